export const id = 863;
export const ids = [863];
export const modules = {

/***/ 8130:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bu: () => (/* binding */ grypeDbStatusArgs),
/* harmony export */   DN: () => (/* binding */ platformSlug),
/* harmony export */   G7: () => (/* binding */ trivyEnv),
/* harmony export */   PQ: () => (/* binding */ grypeEnv),
/* harmony export */   QG: () => (/* binding */ grypeDbUpdateArgs),
/* harmony export */   R$: () => (/* binding */ GRYPE_SCAN_CONFIG),
/* harmony export */   Rv: () => (/* binding */ trivyScanArgs),
/* harmony export */   TF: () => (/* binding */ dockerConfigJson),
/* harmony export */   VT: () => (/* binding */ databaseDir),
/* harmony export */   aW: () => (/* binding */ TRIVY_JAVA_DB_REPOSITORIES),
/* harmony export */   m5: () => (/* binding */ targetIsInsecure),
/* harmony export */   mC: () => (/* binding */ trivyDbArgs),
/* harmony export */   pr: () => (/* binding */ TRIVY_DB_REPOSITORIES),
/* harmony export */   td: () => (/* binding */ trivyConvertArgs),
/* harmony export */   u6: () => (/* binding */ grypeScanArgs)
/* harmony export */ });
/* unused harmony export registryHost */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _registry_client_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9238);


/** trivy's own order (trivy_image.md, `--db-repository`): the mirror first, GitHub's registry second. */
const TRIVY_DB_REPOSITORIES = [
    'mirror.gcr.io/aquasec/trivy-db:2',
    'ghcr.io/aquasecurity/trivy-db:2',
];
/** The same for the Java index DB (trivy_image.md, `--java-db-repository`). */
const TRIVY_JAVA_DB_REPOSITORIES = [
    'mirror.gcr.io/aquasec/trivy-java-db:1',
    'ghcr.io/aquasecurity/trivy-java-db:1',
];
function trivyScanArgs(o) {
    const args = [
        'image',
        '--format',
        'json',
        '--output',
        o.output,
        '--cache-dir',
        o.cacheDir,
        // Concurrent platform scans share one cache dir. The layer cache (`fs` backend) is a BoltDB file with an
        // exclusive lock ("cache may be in use by another process"), so it is kept in memory; each scan reads a fresh
        // image anyway. The vulnerability DB itself is opened read-only since trivy 0.68 (aquasecurity/trivy#9750), so
        // the scans can all read the one DB the warm-up left; an older trivy (`scanner-version`) may wait on its lock.
        '--cache-backend',
        'memory',
        // The DB was warmed before the scan; several scans must not download it at once.
        '--skip-db-update',
        '--scanners',
        'vuln',
        // Every package in the report, not only vulnerable ones, so `trivy convert` makes a complete SBOM.
        '--list-all-pkgs',
        '--no-progress',
        '--timeout',
        `${Math.max(1, Math.ceil(o.timeoutSeconds))}s`,
    ];
    if (o.skipJavaDbUpdate)
        args.push('--skip-java-db-update');
    if (o.target.platform)
        args.push('--platform', o.target.platform);
    if (o.insecure)
        args.push('--insecure');
    if (o.target.kind === 'registry') {
        // Only the registry: the docker/containerd/podman sources would scan whatever a local daemon holds under that name.
        args.push('--image-src', 'remote', o.target.ref);
    }
    else {
        args.push('--input', o.target.path);
    }
    return args;
}
/** `trivy convert`: another format from the same JSON report, without scanning again. */
function trivyConvertArgs(format, report, output) {
    return ['convert', '--format', format, '--output', output, report];
}
/**
 * `trivy image --download-db-only` (or `--download-java-db-only` for the Java index DB) from one repository; the
 * caller walks the repositories and retries.
 */
function trivyDbArgs(cacheDir, repository, timeoutSeconds = 600, db = 'vulnerability') {
    return [
        'image',
        db === 'java' ? '--download-java-db-only' : '--download-db-only',
        '--cache-dir',
        cacheDir,
        db === 'java' ? '--java-db-repository' : '--db-repository',
        repository,
        '--no-progress',
        '--timeout',
        `${Math.max(1, Math.ceil(timeoutSeconds))}s`,
    ];
}
function grypeScanArgs(o) {
    const source = o.target.kind === 'registry' ? `registry:${o.target.ref}` : `oci-archive:${o.target.path}`;
    const args = [source, '-o', `json=${o.output}`, '-o', `cyclonedx-json=${o.sbomOutput}`];
    if (o.configFile)
        args.push('-c', o.configFile);
    if (o.target.platform)
        args.push('--platform', o.target.platform);
    return args;
}
/** The grype config written for a scan: nothing but what keeps grype quiet; the gate reads ignore rules itself. */
const GRYPE_SCAN_CONFIG = 'check-for-app-update: false\n';
function grypeDbUpdateArgs() {
    return ['db', 'update'];
}
function grypeDbStatusArgs() {
    return ['db', 'status', '-o', 'json'];
}
/** Where each scanner keeps its DB under the runner's tool cache. */
function databaseDir(toolCacheDir, scanner) {
    return (0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)(toolCacheDir, 'secure-image', `${scanner}-db`);
}
/** The registry host of `repo@sha256:…` / `repo:tag` (the first path segment, when it names a host). */
function registryHost(ref) {
    const first = ref.split('/')[0] ?? '';
    const isHost = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
    return isHost ? first : 'docker.io';
}
/** Loopback registries speak plain HTTP (as Docker treats 127.0.0.0/8), so the scanners must be told. */
function targetIsInsecure(target, insecure) {
    return insecure || (target.kind === 'registry' && (0,_registry_client_js__WEBPACK_IMPORTED_MODULE_1__/* .isLoopbackRegistry */ .jW)(registryHost(target.ref)));
}
/**
 * Environment for trivy. Settings that only quiet it go through `TRIVY_*` variables rather than flags, so an
 * older trivy given by `scanner-version` ignores what it does not know instead of failing on an unknown flag.
 * Credentials are not set here, on purpose: `TRIVY_USERNAME`/`TRIVY_PASSWORD` are sent to every registry trivy
 * contacts (trivy's private-registry docs), the vulnerability and Java DB registries included. The login goes in
 * a temporary docker config that names only the target registry's host (`dockerConfigJson`, written per scan
 * and deleted after it), which trivy reads through `DOCKER_CONFIG`.
 */
function trivyEnv(o = {}) {
    return {
        TRIVY_SKIP_VERSION_CHECK: 'true',
        TRIVY_DISABLE_TELEMETRY: 'true',
        ...(o.dockerConfigDir ? { DOCKER_CONFIG: o.dockerConfigDir } : {}),
    };
}
/** A docker config.json holding one login, for scanners that read `DOCKER_CONFIG`. */
function dockerConfigJson(login) {
    const auth = Buffer.from(`${login.username}:${login.password}`).toString('base64');
    const key = login.registry === 'docker.io' ? 'https://index.docker.io/v1/' : login.registry;
    return JSON.stringify({ auths: { [key]: { auth } } });
}
/**
 * Environment for grype: the DB location, no DB update during a scan (it was warmed, and concurrent platform
 * scans must not each update it), plain HTTP for loopback registries, and a login scoped to its registry.
 */
function grypeEnv(o) {
    return {
        GRYPE_DB_CACHE_DIR: o.dbDir,
        GRYPE_DB_AUTO_UPDATE: o.autoUpdate ? 'true' : 'false',
        GRYPE_CHECK_FOR_APP_UPDATE: 'false',
        ...(o.insecureHttp ? { GRYPE_REGISTRY_INSECURE_USE_HTTP: 'true' } : {}),
        ...(o.login
            ? {
                GRYPE_REGISTRY_AUTH_AUTHORITY: o.login.registry,
                GRYPE_REGISTRY_AUTH_USERNAME: o.login.username,
                GRYPE_REGISTRY_AUTH_PASSWORD: o.login.password,
            }
            : {}),
    };
}
/** `linux/arm64/v8` → `linux-arm64-v8`, for file names. */
function platformSlug(platform) {
    return platform ? platform.replace(/[^A-Za-z0-9._-]+/g, '-') : 'image';
}


/***/ }),

/***/ 8863:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  zD: () => (/* binding */ STALE_DB_HOURS),
  Lx: () => (/* binding */ saveDatabase),
  warmDatabase: () => (/* binding */ warmDatabase)
});

// UNUSED EXPORTS: DEFAULT_DB_RETRY, WarmupCancelled, actionsCache, databaseCacheKey, databaseCachePaths, formatAge

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:timers/promises"
var external_node_timers_promises_ = __webpack_require__(8500);
// EXTERNAL MODULE: ../main/node_modules/@actions/cache/lib/cache.js + 340 modules
var cache = __webpack_require__(139);
// EXTERNAL MODULE: ./src/util/log.ts + 1 modules
var log = __webpack_require__(4174);
// EXTERNAL MODULE: ./src/util/exec.ts + 1 modules
var util_exec = __webpack_require__(3117);
// EXTERNAL MODULE: ./src/util/errors.ts
var errors = __webpack_require__(9115);
// EXTERNAL MODULE: ./src/util/retry.ts
var retry = __webpack_require__(9092);
// EXTERNAL MODULE: ./src/scan/args.ts
var args = __webpack_require__(8130);
;// CONCATENATED MODULE: ./src/scan/db-metadata.ts
/**
 * Checks on a vulnerability DB restored from the Actions cache, before a scan trusts it. The cache is written by other
 * runs (in scopes this run can read), so what it holds is checked as input: the scanner's own metadata must be there,
 * be of the scanner's schema, and not claim a build or a refresh date that would keep a planted DB in use (a build in
 * the future, or a next update far beyond the scanner's own interval, which stops the scanner from replacing it).
 * A DB that fails is removed and downloaded again.
 */
/** Clocks differ a little between the runner that built a DB's metadata and this one. */
const CLOCK_SKEW_MS = 5 * 60_000;
const HOUR_MS = 3_600_000;
/** trivy's schemas and how long upstream says a DB stays current (trivy-db: 24 h; the Java DB: 3 days), with room. */
const TRIVY = {
    vulnerability: { schema: 2, maxCurrentHours: 48 },
    java: { schema: 1, maxCurrentHours: 7 * 24 },
};
function date(value) {
    if (typeof value !== 'string' || value === '')
        return undefined;
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d;
}
function inFuture(d, now) {
    return d.getTime() > now.getTime() + CLOCK_SKEW_MS;
}
/** Why trivy's `metadata.json` of a restored DB is not to be trusted; undefined when it passes. */
function trivyMetadataProblem(meta, now, db) {
    if (meta === null || typeof meta !== 'object' || Array.isArray(meta))
        return 'its metadata.json is not an object';
    const m = meta;
    const { schema, maxCurrentHours } = TRIVY[db];
    if (m['Version'] !== schema)
        return `its schema version is ${JSON.stringify(m['Version'])}, not ${schema}`;
    const updatedAt = date(m['UpdatedAt']);
    const nextUpdate = date(m['NextUpdate']);
    if (!updatedAt)
        return 'its metadata.json has no UpdatedAt';
    if (!nextUpdate)
        return 'its metadata.json has no NextUpdate';
    if (inFuture(updatedAt, now))
        return `it says it was built in the future (${updatedAt.toISOString()})`;
    const downloadedAt = date(m['DownloadedAt']);
    if (downloadedAt && inFuture(downloadedAt, now))
        return `it says it was downloaded in the future (${downloadedAt.toISOString()})`;
    if (nextUpdate.getTime() - updatedAt.getTime() > maxCurrentHours * HOUR_MS)
        return `its NextUpdate (${nextUpdate.toISOString()}) is more than ${maxCurrentHours} h after its build, which would keep trivy from replacing it`;
    return undefined;
}
/** Why grype's `db status` of a restored DB is not to be trusted (grype checks the DB file against its checksum). */
function grypeStatusProblem(status, now) {
    if (!status.valid)
        return '`grype db status` does not call it valid (its checksum or schema does not match)';
    if (!status.built)
        return '`grype db status` gives no build date';
    if (inFuture(status.built, now))
        return `it says it was built in the future (${status.built.toISOString()})`;
    return undefined;
}

// EXTERNAL MODULE: ./src/scan/run.ts + 3 modules
var run = __webpack_require__(4649);
;// CONCATENATED MODULE: ./src/scan/database.ts











/**
 * @actions/cache decides availability from the environment: `ACTIONS_CACHE_URL` for the v1 service,
 * `ACTIONS_RESULTS_URL` when `ACTIONS_CACHE_SERVICE_V2` is set (v2; GHES always uses v1).
 */
const actionsCache = {
    isAvailable: () => cache/* isFeatureAvailable */.w3(),
    restore: (paths, key, restoreKeys) => cache/* restoreCache */.P3(paths, key, restoreKeys),
    save: async (paths, key) => {
        await cache/* saveCache */.Io(paths, key);
    },
};
const DEFAULT_DB_RETRY = { attempts: 3, baseDelayMs: 2000, maxDelayMs: 20000 };
/** Older than this, the summary warns: new vulnerabilities are missing from the scan. */
const STALE_DB_HOURS = 72;
/** `secure-image-trivy-db-2026-03-14`: one entry per DB and UTC day, so the DB is refreshed daily. */
function databaseCacheKey(db, now) {
    const prefix = `secure-image-${db}-db-`;
    return { key: `${prefix}${now.toISOString().slice(0, 10)}`, restoreKeys: [prefix] };
}
/** What the Actions cache holds for a DB: trivy's `db/` or `java-db/` (never the layer cache), grype's dir. */
function databaseCachePaths(db, dir) {
    if (db === 'trivy')
        return [(0,external_node_path_.join)(dir, 'db')];
    return db === 'trivy-java' ? [(0,external_node_path_.join)(dir, 'java-db')] : [dir];
}
/** The run no longer needs the warm-up (it failed before the scan); nobody reads this but the log. */
class WarmupCancelled extends Error {
    constructor() {
        super('The vulnerability DB warm-up was stopped: the run failed before its scan.');
        this.name = 'WarmupCancelled';
    }
}
function validDate(value) {
    if (typeof value !== 'string' || value === '')
        return undefined;
    const date = new Date(value);
    // trivy writes Go's zero time (0001-01-01) for fields it never set.
    return Number.isNaN(date.getTime()) || date.getUTCFullYear() < 2000 ? undefined : date;
}
async function fileStamp(path) {
    try {
        const s = await (0,promises_.stat)(path);
        return `${s.size}:${s.mtimeMs}`;
    }
    catch {
        return undefined;
    }
}
/**
 * trivy keeps `metadata.json` (Version, UpdatedAt, NextUpdate, DownloadedAt) next to `trivy.db` in `<cache-dir>/db/`,
 * and next to `trivy-java.db` in `<cache-dir>/java-db/`.
 */
async function trivyInfo(dir, db = 'vulnerability') {
    const sub = (0,external_node_path_.join)(dir, db === 'java' ? 'java-db' : 'db');
    const stamp = await fileStamp((0,external_node_path_.join)(sub, db === 'java' ? 'trivy-java.db' : 'trivy.db'));
    let meta = {};
    try {
        const parsed = JSON.parse(await (0,promises_.readFile)((0,external_node_path_.join)(sub, 'metadata.json'), 'utf8'));
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
            meta = parsed;
    }
    catch {
        // No metadata: no usable DB.
    }
    const updatedAt = validDate(meta['UpdatedAt']);
    const version = typeof meta['Version'] === 'number' ? String(meta['Version']) : undefined;
    return {
        exists: stamp !== undefined && updatedAt !== undefined,
        updatedAt,
        version,
        fingerprint: `${String(meta['DownloadedAt'] ?? '')}|${String(meta['UpdatedAt'] ?? '')}|${stamp ?? ''}`,
    };
}
/** `grype db status -o json`: `{schemaVersion, from, built, path, valid, error}`; it exits 1 when there is no DB. */
async function grypeInfo(scannerPath, dir, env, exec, timeoutMs, signal) {
    const result = await exec({
        command: scannerPath,
        args: (0,args/* grypeDbStatusArgs */.Bu)(),
        env,
        cwd: dir,
        timeoutMs,
        label: 'grype db status',
        ...(signal ? { signal } : {}),
    });
    throwIfCancelled(signal);
    let status = {};
    try {
        const parsed = JSON.parse(result.stdout);
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
            status = parsed;
    }
    catch {
        // Not JSON: treated as no DB.
    }
    const path = typeof status['path'] === 'string' ? status['path'] : undefined;
    const stamp = path ? await fileStamp(path) : undefined;
    const updatedAt = validDate(status['built']);
    return {
        exists: status['valid'] === true && updatedAt !== undefined,
        updatedAt,
        version: typeof status['schemaVersion'] === 'string' ? status['schemaVersion'] : undefined,
        from: typeof status['from'] === 'string' && status['from'] !== '' ? status['from'] : undefined,
        fingerprint: `${String(status['built'] ?? '')}|${String(status['from'] ?? '')}|${stamp ?? ''}`,
    };
}
/** One failed download try: what the scanner said, and whether trying again may help. */
class DownloadAttemptError extends Error {
    transient;
    constructor(message, transient) {
        super(message);
        this.transient = transient;
        this.name = 'DownloadAttemptError';
    }
}
function databaseEnv(scanner, dir, env) {
    return {
        ...(0,run/* withoutScannerVariables */.of)(env),
        ...(scanner === 'trivy' ? (0,args/* trivyEnv */.G7)() : (0,args/* grypeEnv */.PQ)({ dbDir: dir, insecureHttp: false })),
    };
}
function throwIfCancelled(signal) {
    if (signal?.aborted)
        throw new WarmupCancelled();
}
async function attempt(exec, request, what) {
    throwIfCancelled(request.signal);
    let result;
    try {
        result = await exec(request);
    }
    catch (error) {
        throwIfCancelled(request.signal);
        throw new errors/* UserError */.yo(`Could not run ${what}: ${(0,errors/* errorMessage */.gJ)(error)}`, { cause: error });
    }
    // Ended because the run stopped needing it: not a failure of the repository, and not worth another try.
    throwIfCancelled(request.signal);
    if (result.timedOut) {
        // Another try at a repository that took the whole budget would double the wait: the next repository instead.
        throw new DownloadAttemptError(`timed out after ${(0,run/* formatSeconds */.Xo)(request.timeoutMs ?? 0)}`, false);
    }
    if (result.exitCode !== 0 || result.signal) {
        const said = (0,util_exec/* tailLines */.os)(result.stderr, 8) || (0,util_exec/* tailLines */.os)(result.stdout, 8) || '(no output)';
        const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
        throw new DownloadAttemptError(`${how}: ${said}`, (0,retry/* isTransientText */.KL)(`${result.stderr}\n${result.stdout}`));
    }
}
function downloadSpec(scanner, dir, db, o) {
    if (scanner === 'grype') {
        return {
            repositories: [undefined],
            args: () => (0,args/* grypeDbUpdateArgs */.QG)(),
            label: 'grype db update',
            what: () => 'the grype DB update (grype db update)',
        };
    }
    const java = db === 'java';
    return {
        repositories: java ? args/* TRIVY_JAVA_DB_REPOSITORIES */.aW : (o.repositories ?? args/* TRIVY_DB_REPOSITORIES */.pr),
        args: (repository, timeoutSeconds) => (0,args/* trivyDbArgs */.mC)(dir, repository ?? '', timeoutSeconds, db),
        label: java ? 'trivy Java DB download' : 'trivy DB download',
        what: (repository) => `the trivy ${java ? 'Java ' : ''}DB download from ${repository ?? ''}`,
    };
}
/** Tries each repository with retries; returns the one that worked and the failures before it. */
async function download(c, spec) {
    const { o, dir, env, settings, log } = c;
    const exec = o.exec ?? util_exec/* execTool */.wc;
    const timeoutMs = o.timeoutMs ?? 5 * 60 * 1000;
    const { repositories } = spec;
    const signal = o.signal;
    // The waits between tries end with the run's need for them.
    const sleep = settings.sleep ?? ((ms) => (0,external_node_timers_promises_.setTimeout)(ms, undefined, signal ? { signal } : {}));
    const failures = [];
    for (const repository of repositories) {
        const what = spec.what(repository);
        try {
            await (0,retry/* retry */.L5)(() => attempt(exec, {
                command: o.scannerPath,
                args: spec.args(repository, timeoutMs / 1000 + 30),
                env,
                cwd: dir,
                timeoutMs,
                label: spec.label,
                ...(signal ? { signal } : {}),
            }, what), {
                attempts: settings.attempts,
                baseDelayMs: settings.baseDelayMs,
                maxDelayMs: settings.maxDelayMs,
                isTransient: (error) => error instanceof DownloadAttemptError && error.transient,
                what,
                onRetry: ({ attempt: n, delayMs, error }) => log(`${what}: try ${n} failed (${(0,errors/* errorMessage */.gJ)(error)}); trying again in ${(0,run/* formatSeconds */.Xo)(delayMs)}.`),
                sleep,
            });
            return { ok: true, ...(repository !== undefined ? { repository } : {}), failures };
        }
        catch (error) {
            throwIfCancelled(signal);
            if (error instanceof errors/* UserError */.yo || error instanceof WarmupCancelled)
                throw error;
            failures.push({ source: repository ?? spec.label, message: (0,errors/* errorMessage */.gJ)(error) });
            if (repository !== undefined && repository !== repositories.at(-1)) {
                log(`${what} failed (${(0,errors/* errorMessage */.gJ)(error)}); falling back to the next repository.`);
            }
        }
    }
    return { ok: false, failures };
}
function ageHours(updatedAt, now) {
    if (!updatedAt)
        return undefined;
    return Math.max(0, Math.round(((now.getTime() - updatedAt.getTime()) / 3_600_000) * 10) / 10);
}
/** The DB's age for people: `5.2 days`, `7 hours`. */
function formatAge(hours) {
    if (hours >= 48)
        return `${Math.round((hours / 24) * 10) / 10} days`;
    const rounded = Math.round(hours);
    return `${rounded} hour${rounded === 1 ? '' : 's'}`;
}
/**
 * Restores a DB from the Actions cache, when the service is there; the key that matched, if any. A restored DB whose
 * metadata fails the checks of db-metadata.ts is removed (and so downloaded again), with a warning.
 */
async function restoreFromCache(c, db, key, restoreKeys, warnings, problem) {
    if (!c.cacheUsable)
        return undefined;
    const name = db === 'trivy-java' ? 'trivy Java DB' : `${db} DB`;
    try {
        const restored = await c.cache.restore(databaseCachePaths(db, c.dir), key, restoreKeys);
        if (!restored)
            return undefined;
        const refused = await problem();
        if (refused !== undefined) {
            for (const path of databaseCachePaths(db, c.dir))
                await (0,promises_.rm)(path, { recursive: true, force: true });
            // grype's cache path is the DB directory itself, which the scanner runs in.
            await (0,promises_.mkdir)(c.dir, { recursive: true });
            warnings.push(`The ${name} in the Actions cache (${restored}) was not used: ${refused}. A new one is downloaded; if this repeats, delete that cache entry.`);
            return undefined;
        }
        c.log(`Restored the ${name} from the Actions cache (${restored}).`);
        return restored;
    }
    catch (error) {
        warnings.push(`Could not restore the ${name} from the Actions cache: ${(0,errors/* errorMessage */.gJ)(error)}`);
        return undefined;
    }
    finally {
        throwIfCancelled(c.o.signal);
    }
}
/** trivy's metadata.json of the DB in `<dir>/db` or `<dir>/java-db`, checked as restored input. */
async function trivyRestoredProblem(dir, db, now) {
    const sub = (0,external_node_path_.join)(dir, db === 'java' ? 'java-db' : 'db');
    const size = (await (0,promises_.stat)((0,external_node_path_.join)(sub, db === 'java' ? 'trivy-java.db' : 'trivy.db')).catch(() => undefined))
        ?.size;
    if (!size)
        return 'it has no DB file';
    let meta;
    try {
        meta = JSON.parse(await (0,promises_.readFile)((0,external_node_path_.join)(sub, 'metadata.json'), 'utf8'));
    }
    catch {
        return 'its metadata.json is missing or not JSON';
    }
    return trivyMetadataProblem(meta, now, db);
}
async function warm(o) {
    const started = performance.now();
    const cache = o.cache ?? actionsCache;
    const dir = (0,args/* databaseDir */.VT)(o.toolCacheDir, o.scanner);
    await (0,promises_.mkdir)(dir, { recursive: true });
    const c = {
        o,
        dir,
        env: databaseEnv(o.scanner, dir, o.env ?? {}),
        now: (o.now ?? (() => new Date()))(),
        cache,
        cacheUsable: cache.isAvailable(),
        settings: { ...DEFAULT_DB_RETRY, ...o.retry },
        log: o.log ?? log/* logInfo */.fH,
    };
    // Both at once: the Java DB (when it is worth it) downloads while the vulnerability DB does.
    const [vulnerability, java] = await Promise.allSettled([
        warmVulnerabilityDb(c),
        o.scanner === 'trivy' ? warmJavaDb(c) : Promise.resolve(undefined),
    ]);
    if (vulnerability.status === 'rejected')
        throw vulnerability.reason;
    if (java.status === 'rejected')
        throw java.reason;
    const state = vulnerability.value;
    if (java.value) {
        state.java = java.value.state;
        state.warnings.push(...java.value.warnings);
    }
    state.durationMs = Math.round(performance.now() - started);
    return state;
}
async function warmVulnerabilityDb(c) {
    const { o, dir, env, now } = c;
    const exec = o.exec ?? util_exec/* execTool */.wc;
    const info = () => o.scanner === 'trivy' ? trivyInfo(dir) : grypeInfo(o.scannerPath, dir, env, exec, 60_000, o.signal);
    const { key, restoreKeys } = databaseCacheKey(o.scanner, now);
    const warnings = [];
    const restoredKey = await restoreFromCache(c, o.scanner, key, restoreKeys, warnings, async () => {
        if (o.scanner === 'trivy')
            return trivyRestoredProblem(dir, 'vulnerability', now);
        const status = await info();
        return grypeStatusProblem({ valid: status.exists, ...(status.updatedAt ? { built: status.updatedAt } : {}) }, now);
    });
    const before = await info();
    let source;
    let repository;
    if (restoredKey === key && before.exists) {
        // Today's DB: the daily key is the refresh policy, so no download.
        source = 'restored';
    }
    else {
        const outcome = await download(c, downloadSpec(o.scanner, dir, 'vulnerability', o));
        repository = outcome.repository;
        if (!outcome.ok) {
            const failures = outcome.failures.map((f) => `- ${f.source}: ${f.message}`).join('\n');
            if (!before.exists) {
                throw new errors/* UserError */.yo(`Could not download the ${o.scanner} vulnerability DB, and there is none to fall back on:\n${failures}\nThe scan cannot run without it. If the runner cannot reach the internet, restore the DB into ${dir} before this step.`);
            }
            warnings.push(`Could not refresh the ${o.scanner} vulnerability DB; scanning with the one from ${before.updatedAt?.toISOString() ?? 'an earlier run'}:\n${failures}`);
        }
        else if (outcome.failures.length > 0) {
            warnings.push(`The ${o.scanner} vulnerability DB came from ${outcome.repository ?? 'a later try'} after ${outcome.failures.map((f) => f.source).join(', ')} failed: ${outcome.failures.map((f) => f.message).join('; ')}`);
        }
        const after = await info();
        if (!after.exists) {
            throw new errors/* UserError */.yo(`The ${o.scanner} DB update reported success, but there is no readable DB in ${dir}. Delete the directory and run again.`);
        }
        // A download: the scanner succeeded and the DB on disk changed. After a failed refresh, or when the scanner
        // found its DB current, the DB on disk is the one from before.
        source =
            outcome.ok && (after.fingerprint !== before.fingerprint || !before.exists)
                ? 'download'
                : restoredKey
                    ? 'restored'
                    : 'cache';
    }
    const final = await info();
    const age = ageHours(final.updatedAt, now);
    if (age !== undefined && age > STALE_DB_HOURS) {
        warnings.push(`The ${o.scanner} vulnerability DB is ${formatAge(age)} old (built ${final.updatedAt?.toISOString() ?? ''}); vulnerabilities published since then are not in this scan.`);
    }
    return {
        scanner: o.scanner,
        dir,
        ...(final.updatedAt ? { updatedAt: final.updatedAt } : {}),
        ...(age !== undefined ? { ageHours: age } : {}),
        source,
        warnings,
        ...((repository ?? final.from) ? { repository: repository ?? final.from } : {}),
        ...(final.version ? { version: final.version } : {}),
        cacheKey: key,
        // Only what was downloaded in this run is today's DB.
        saveNeeded: c.cacheUsable && restoredKey !== key && source === 'download',
        durationMs: 0,
    };
}
/**
 * trivy's Java index DB, warmed only when an earlier run on this runner or in this repository needed it (it is in
 * the tool cache, or the Actions cache holds one): trivy downloads it for images with JAR files only, and it is
 * several hundred MB, so downloading it ahead for every image would cost most runs far more than it saves.
 * When there is none, the scans go without `--skip-java-db-update`: one that meets JAR files downloads the DB
 * itself (on a first run, each platform scan does), and `saveScannedJavaDb` keeps it for the next runs.
 * A failed refresh is a warning: the scans use the older DB rather than each trying to download it again.
 */
async function warmJavaDb(c) {
    const { o, dir } = c;
    const { key, restoreKeys } = databaseCacheKey('trivy-java', c.now);
    const warnings = [];
    const restoredKey = await restoreFromCache(c, 'trivy-java', key, restoreKeys, warnings, () => trivyRestoredProblem(dir, 'java', c.now));
    const before = await trivyInfo(dir, 'java');
    const state = (ready, fingerprint, saveNeeded = false, inPlace) => ({
        ready,
        cacheKey: key,
        saveNeeded,
        fingerprint,
        ...(inPlace ? { source: inPlace.source } : {}),
        ...(inPlace?.updatedAt ? { updatedAt: inPlace.updatedAt } : {}),
    });
    if (!before.exists) {
        c.log('No trivy Java DB from an earlier run, so none is downloaded ahead: a scan that meets JAR files downloads it, and it is kept for the next runs.');
        return { state: state(false, before.fingerprint), warnings };
    }
    if (restoredKey === key) {
        return {
            state: state(true, before.fingerprint, false, { source: 'restored', updatedAt: before.updatedAt }),
            warnings,
        };
    }
    // trivy downloads only when its copy is due (NextUpdate), so a current DB costs one quick call.
    let outcome;
    try {
        outcome = await download(c, downloadSpec('trivy', dir, 'java', o));
    }
    catch (error) {
        if (error instanceof WarmupCancelled)
            throw error;
        outcome = { ok: false, failures: [{ source: 'trivy', message: (0,errors/* errorMessage */.gJ)(error) }] };
    }
    const after = await trivyInfo(dir, 'java');
    if (!outcome.ok) {
        warnings.push(`Could not refresh the trivy Java DB; the scans use the one from ${before.updatedAt?.toISOString() ?? 'an earlier run'}: ${outcome.failures.map((f) => `${f.source}: ${f.message}`).join('; ')}`);
    }
    if (!after.exists) {
        // Never seen from trivy; the scans then download it themselves rather than fail on --skip-java-db-update.
        warnings.push(`The trivy Java DB in ${(0,external_node_path_.join)(dir, 'java-db')} is not readable after its refresh.`);
        return { state: state(false, after.fingerprint), warnings };
    }
    const downloaded = outcome.ok && after.fingerprint !== before.fingerprint;
    const source = downloaded ? 'download' : restoredKey !== undefined ? 'restored' : 'cache';
    return {
        state: state(true, after.fingerprint, c.cacheUsable && restoredKey !== key && downloaded, {
            source,
            updatedAt: after.updatedAt,
        }),
        warnings,
    };
}
/**
 * Starts the warm-up. The pipeline calls it before the build and awaits it before the scan; a rejection that
 * nobody awaits yet (the build is still running) is not an unhandled rejection.
 */
function warmDatabase(options) {
    const promise = warm(options);
    promise.catch(() => undefined);
    return promise;
}
/** Uploads a DB to the Actions cache under today's key; a failed save is a warning. */
async function saveToCache(cache, db, dir, key) {
    const name = db === 'trivy-java' ? 'trivy Java DB' : `${db} DB`;
    try {
        await cache.save(databaseCachePaths(db, dir), key);
        return { saved: true };
    }
    catch (error) {
        return {
            saved: false,
            warning: `Could not save the ${name} to the Actions cache (${key}): ${(0,errors/* errorMessage */.gJ)(error)}`,
        };
    }
}
/**
 * Uploads the DBs downloaded in this run to the Actions cache, for the next runs; also when the gate failed or a
 * scan crashed (the warm-up's downloads are whole). `scansCompleted`: every scan exited 0, so a Java DB one of them
 * downloaded is whole too. A save that fails (another job saved the same key first, the cache is full) is a
 * warning, never a failure of the run.
 */
async function saveDatabase(state, options = {}) {
    const cache = options.cache ?? actionsCache;
    if (!cache.isAvailable())
        return { saved: false };
    const results = [];
    if (state.saveNeeded)
        results.push(await saveToCache(cache, state.scanner, state.dir, state.cacheKey));
    const java = state.java;
    if (java && (java.saveNeeded || (options.scansCompleted && (await scansDownloadedJavaDb(state, java))))) {
        results.push(await saveToCache(cache, 'trivy-java', state.dir, java.cacheKey));
    }
    const warnings = results.flatMap((r) => (r.warning ? [r.warning] : []));
    return {
        saved: results.some((r) => r.saved),
        ...(warnings.length > 0 ? { warning: warnings.join('\n') } : {}),
    };
}
/** A scan downloaded the Java DB (none was warmed, and now one is there): the image has JAR files. */
async function scansDownloadedJavaDb(state, java) {
    if (java.ready)
        return false;
    const now = await trivyInfo(state.dir, 'java');
    return now.exists && now.fingerprint !== java.fingerprint;
}


/***/ }),

/***/ 8181:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BP: () => (/* binding */ DeferredArray),
/* harmony export */   Sd: () => (/* binding */ openFileSource),
/* harmony export */   sA: () => (/* binding */ parseDeferring)
/* harmony export */ });
/* unused harmony exports bufferSource, JsonSyntaxError, lineAndColumn */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);

function bufferSource(bytes) {
    return { length: bytes.length, read: (start, end) => bytes.subarray(start, end) };
}
/**
 * A file as a ByteSource; close it when every deferred element that will be read has been. Reads are served
 * from a block read ahead, so reading 20,000 findings one after another costs one read per block, not one each.
 */
function openFileSource(path) {
    const fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(path, 'r');
    const length = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.fstatSync)(fd).size;
    const readAt = (start, end) => {
        const out = Buffer.allocUnsafe(Math.max(0, Math.min(end, length) - start));
        let done = 0;
        while (done < out.length) {
            const n = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readSync)(fd, out, done, out.length - done, start + done);
            if (n === 0)
                break;
            done += n;
        }
        return out.subarray(0, done);
    };
    let block = Buffer.alloc(0);
    let blockStart = 0;
    return {
        length,
        read(start, end) {
            end = Math.min(end, length);
            if (end - start > READ_AHEAD)
                return readAt(start, end);
            if (start < blockStart || end > blockStart + block.length) {
                blockStart = start;
                block = readAt(start, start + READ_AHEAD);
            }
            return block.subarray(start - blockStart, end - blockStart);
        },
        close: () => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd),
    };
}
const READ_AHEAD = 1 << 20;
class JsonSyntaxError extends Error {
    offset;
    constructor(message, offset) {
        super(message);
        this.offset = offset;
        this.name = 'JsonSyntaxError';
    }
}
/** The elements of an array, parsed one at a time from the source as they are read. */
class DeferredArray {
    source;
    bounds;
    recount;
    constructor(source, bounds, 
    /** When the bounds were read from the layout (Walker.laidOutArray): finds them byte by byte instead. */
    recount) {
        this.source = source;
        this.bounds = bounds;
        this.recount = recount;
    }
    get length() {
        return this.bounds.length / 2;
    }
    at(index) {
        try {
            return parseSlice(this.source, this.bounds[index * 2], this.bounds[index * 2 + 1]);
        }
        catch (error) {
            if (!this.recount)
                throw error;
            // An element that parses is exactly one value, so every bound before this one was right; this one was
            // not, or the element is not JSON. Walking the array settles which.
            this.bounds = this.recount();
            this.recount = undefined;
            if (index * 2 >= this.bounds.length)
                throw error;
            return this.at(index);
        }
    }
    *[Symbol.iterator]() {
        for (let i = 0; i < this.length; i++)
            yield this.at(i);
    }
    /** The bounds as they stand (for a re-walk). */
    boundsNow() {
        return Float64Array.from(this.bounds);
    }
}
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const NEWLINE = 0x0a;
function isSpace(c) {
    return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
/** Where the line and column of a byte offset are, for messages a person can follow. */
function lineAndColumn(source, offset) {
    let line = 1;
    let lineStart = 0;
    for (let from = 0; from < offset; from += WINDOW) {
        const chunk = source.read(from, Math.min(from + WINDOW, offset));
        for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) {
            line += 1;
            lineStart = from + i + 1;
        }
    }
    return { line, column: offset - lineStart + 1 };
}
function syntaxError(source, offset, problem) {
    // A document cut off half way (a scanner killed while writing) is named as such, whatever was expected next.
    if (offset >= source.length)
        problem = 'Unexpected end of JSON input';
    const { line, column } = lineAndColumn(source, offset);
    return new JsonSyntaxError(`${problem} at line ${line} column ${column}`, offset);
}
function parseSlice(source, start, end) {
    try {
        return JSON.parse(source.read(start, end).toString('utf8'));
    }
    catch (error) {
        // V8 names the position within the slice; make it a position in the whole document.
        const message = error instanceof Error ? error.message : String(error);
        const at = /position (\d+)/.exec(message);
        const offset = start + (at ? Number(at[1]) : 0);
        throw syntaxError(source, offset, message.replace(/ in JSON at position \d+.*$/s, '').replace(/\.$/, ''));
    }
}
/** How much of a file the walker holds at a time. */
const WINDOW = 1 << 20;
/** Forward-only reading of a source through a window (the whole source when it is a Buffer already). */
class Cursor {
    source;
    /** The bytes from `base` on; the hot loops read them directly. */
    window;
    base = 0;
    constructor(source) {
        this.source = source;
        this.window = source.read(0, Math.min(source.length, WINDOW));
    }
    /** Moves the window to start at `pos`; false past the end. */
    load(pos) {
        if (pos < 0 || pos >= this.source.length)
            return false;
        this.base = pos;
        this.window = this.source.read(pos, Math.min(this.source.length, pos + WINDOW));
        return true;
    }
    /** The byte at `pos`; undefined past the end. */
    at(pos) {
        const local = pos - this.base;
        if (local >= 0 && local < this.window.length)
            return this.window[local];
        return this.load(pos) ? this.window[0] : undefined;
    }
    /** The offset of the next `bytes` at or after `from`, or -1; found across window boundaries too. */
    indexOfBytes(bytes, from) {
        for (let pos = from; pos < this.source.length;) {
            if (this.at(pos) === undefined)
                return -1;
            const found = this.window.indexOf(bytes, pos - this.base);
            if (found !== -1)
                return this.base + found;
            const windowEnd = this.base + this.window.length;
            if (windowEnd >= this.source.length)
                return -1;
            pos = Math.max(pos + 1, windowEnd - bytes.length + 1);
        }
        return -1;
    }
    /** The offset of the next `byte` at or after `from`, or -1. */
    indexOf(byte, from) {
        for (let pos = from; pos < this.source.length;) {
            if (this.at(pos) === undefined)
                return -1;
            const found = this.window.indexOf(byte, pos - this.base);
            if (found !== -1)
                return this.base + found;
            pos = this.base + this.window.length;
        }
        return -1;
    }
}
class Walker {
    source;
    defer;
    s;
    constructor(source, defer) {
        this.source = source;
        this.defer = defer;
        this.s = new Cursor(source);
    }
    skipSpace(pos) {
        while (isSpace(this.s.at(pos)))
            pos++;
        return pos;
    }
    /** The offset just past the string that starts at `pos`. */
    stringEnd(pos) {
        let from = pos + 1;
        for (;;) {
            const quote = this.s.indexOf(QUOTE, from);
            if (quote === -1)
                throw syntaxError(this.source, pos, 'Unterminated string');
            let backslashes = 0;
            // Stepping back over the window's start moves the window there; it still covers the quote.
            for (let k = quote - 1; this.s.at(k) === BACKSLASH; k--)
                backslashes++;
            if (backslashes % 2 === 0)
                return quote + 1;
            from = quote + 1;
        }
    }
    /** The offset just past the value that starts at `pos`; JSON.parse of the slice checks its grammar. */
    valueEnd(pos) {
        const s = this.s;
        const first = s.at(pos);
        if (first === undefined)
            throw syntaxError(this.source, pos, 'Unexpected end of JSON input');
        if (first === QUOTE)
            return this.stringEnd(pos);
        if (first === OPEN_BRACE || first === OPEN_BRACKET) {
            // The hot loop of the walk: it reads the window directly and leaves strings to stringEnd's indexOf.
            let depth = 0;
            let window = s.window;
            let i = pos - s.base;
            for (;;) {
                if (i >= window.length) {
                    if (!s.load(s.base + i))
                        throw syntaxError(this.source, s.base + i, 'Unexpected end of JSON input');
                    window = s.window;
                    i = 0;
                }
                const c = window[i];
                if (c === QUOTE) {
                    const end = this.stringEnd(s.base + i);
                    window = s.window;
                    i = end - s.base;
                    continue;
                }
                if (c === OPEN_BRACE || c === OPEN_BRACKET)
                    depth++;
                else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
                    depth--;
                    if (depth === 0)
                        return s.base + i + 1;
                }
                i++;
            }
        }
        let i = pos;
        for (let c = s.at(i); c !== undefined; c = s.at(++i)) {
            if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c))
                break;
        }
        if (i === pos)
            throw syntaxError(this.source, pos, `Unexpected token '${String.fromCharCode(first)}'`);
        return i;
    }
    /** What the patterns say of the value at `path`: defer it, descend into it, or parse it whole. */
    role(path) {
        let descend = false;
        for (const pattern of this.defer) {
            if (pattern.length < path.length)
                continue;
            let matches = true;
            for (let i = 0; i < path.length; i++) {
                const p = pattern[i];
                if (p !== '*' ? p !== path[i] : !/^\d+$/.test(path[i] ?? '')) {
                    matches = false;
                    break;
                }
            }
            if (!matches)
                continue;
            if (pattern.length === path.length)
                return 'defer';
            descend = true;
        }
        return descend ? 'descend' : 'parse';
    }
    /** The value at `pos` (after white space) and the offset past it. */
    value(pos, path) {
        const start = this.skipSpace(pos);
        const role = path.length === 0 ? 'descend' : this.role(path);
        const first = this.s.at(start);
        if (role === 'defer' && first === OPEN_BRACKET)
            return this.deferredArray(start);
        if (role !== 'parse' && first === OPEN_BRACE)
            return this.object(start, path);
        if (role !== 'parse' && first === OPEN_BRACKET)
            return this.array(start, path);
        const end = this.valueEnd(start);
        return [parseSlice(this.source, start, end), end];
    }
    object(pos, path) {
        const s = this.s;
        const out = {};
        let i = this.skipSpace(pos + 1);
        if (s.at(i) === CLOSE_BRACE)
            return [out, i + 1];
        for (;;) {
            if (s.at(i) !== QUOTE)
                throw syntaxError(this.source, i, 'Expected a property name');
            const keyEnd = this.stringEnd(i);
            const key = parseSlice(this.source, i, keyEnd);
            i = this.skipSpace(keyEnd);
            if (s.at(i) !== COLON)
                throw syntaxError(this.source, i, `Expected ':' after property name`);
            const [value, end] = this.value(i + 1, [...path, key]);
            // JSON.parse keeps the last of duplicate keys and makes __proto__ a plain key; so does this.
            Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
            i = this.skipSpace(end);
            if (s.at(i) === CLOSE_BRACE)
                return [out, i + 1];
            if (s.at(i) !== COMMA)
                throw syntaxError(this.source, i, `Expected ',' or '}' after property value`);
            i = this.skipSpace(i + 1);
        }
    }
    array(pos, path) {
        const s = this.s;
        const out = [];
        let i = this.skipSpace(pos + 1);
        if (s.at(i) === CLOSE_BRACKET)
            return [out, i + 1];
        for (;;) {
            const [value, end] = this.value(i, [...path, String(out.length)]);
            out.push(value);
            i = this.skipSpace(end);
            if (s.at(i) === CLOSE_BRACKET)
                return [out, i + 1];
            if (s.at(i) !== COMMA)
                throw syntaxError(this.source, i, `Expected ',' or ']' after array element`);
            i = i + 1;
        }
    }
    deferredArray(pos) {
        const laidOut = this.laidOutArray(pos);
        if (laidOut) {
            const recount = () => new Walker(this.source, []).walkedArray(pos)[0].boundsNow();
            return [new DeferredArray(this.source, laidOut.bounds, recount), laidOut.end];
        }
        return this.walkedArray(pos);
    }
    /** The indentation of `pos` when only spaces stand between it and the start of its line. */
    indentAt(pos) {
        let k = pos - 1;
        while (this.s.at(k) === SPACE)
            k--;
        return k < 0 || this.s.at(k) === NEWLINE ? pos - 1 - k : undefined;
    }
    /** The indentation of the line `pos` is on (its leading spaces); undefined past a few KiB of line. */
    lineIndent(pos) {
        let k = pos - 1;
        while (k >= 0 && this.s.at(k) !== NEWLINE) {
            if (pos - k > 4096)
                return undefined;
            k--;
        }
        let n = 0;
        while (this.s.at(k + 1 + n) === SPACE)
            n++;
        return n;
    }
    closers = new Map();
    /**
     * The elements' bounds read from an indented layout (trivy and grype indent their JSON): JSON strings
     * cannot hold a newline, so an element that opens at indentation k ends at the first newline, k spaces
     * and its closing bracket after it, found with one native search instead of a walk over every byte. Any
     * departure from that layout gives undefined (the caller walks instead); DeferredArray re-walks if an
     * element then does not parse.
     */
    laidOutArray(pos) {
        const s = this.s;
        const arrayIndent = this.lineIndent(pos);
        if (arrayIndent === undefined)
            return undefined;
        const bounds = [];
        let elementIndent;
        let i = this.skipSpace(pos + 1);
        if (s.at(i) === CLOSE_BRACKET)
            return undefined;
        for (;;) {
            const start = this.skipSpace(i);
            const open = s.at(start);
            if (open !== OPEN_BRACE && open !== OPEN_BRACKET)
                return undefined;
            const indent = this.indentAt(start);
            if (indent === undefined || indent <= arrayIndent || (elementIndent ?? indent) !== indent)
                return undefined;
            elementIndent = indent;
            const closer = `\n${' '.repeat(indent)}${open === OPEN_BRACE ? '}' : ']'}`;
            let needle = this.closers.get(closer);
            if (!needle)
                this.closers.set(closer, (needle = Buffer.from(closer)));
            const at = s.indexOfBytes(needle, start);
            if (at === -1)
                return undefined;
            const end = at + needle.length;
            bounds.push(start, end);
            i = this.skipSpace(end);
            const next = s.at(i);
            if (next === CLOSE_BRACKET) {
                return this.indentAt(i) === arrayIndent
                    ? { bounds: Float64Array.from(bounds), end: i + 1 }
                    : undefined;
            }
            if (next !== COMMA)
                return undefined;
            i = i + 1;
        }
    }
    walkedArray(pos) {
        const s = this.s;
        const bounds = [];
        let i = this.skipSpace(pos + 1);
        if (s.at(i) === CLOSE_BRACKET)
            return [new DeferredArray(this.source, bounds), i + 1];
        for (;;) {
            const start = this.skipSpace(i);
            const end = this.valueEnd(start);
            bounds.push(start, end);
            i = this.skipSpace(end);
            if (s.at(i) === CLOSE_BRACKET)
                return [new DeferredArray(this.source, Float64Array.from(bounds)), i + 1];
            if (s.at(i) !== COMMA)
                throw syntaxError(this.source, i, `Expected ',' or ']' after array element`);
            i = i + 1;
        }
    }
}
/**
 * Parses `source`, leaving each array found at one of the `defer` paths as a DeferredArray whose elements
 * are parsed when read (from the source, which must stay readable until then). Syntax errors anywhere but
 * inside a deferred element are thrown here; an element's own errors are thrown when it is read.
 */
function parseDeferring(source, defer) {
    const bytes = Buffer.isBuffer(source) ? bufferSource(source) : source;
    const walker = new Walker(bytes, defer);
    const [value, end] = walker.value(0, []);
    const rest = walker.skipSpace(end);
    if (rest < bytes.length)
        throw syntaxError(bytes, rest, 'Unexpected non-whitespace character after JSON');
    return value;
}


/***/ }),

/***/ 4214:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G: () => (/* binding */ isObject),
/* harmony export */   O: () => (/* binding */ JsonReader)
/* harmony export */ });
/* harmony import */ var _finding_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(506);
/* harmony import */ var _json_deferred_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8181);


function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function describe(value) {
    if (value === undefined)
        return 'missing';
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
class JsonReader {
    what;
    constructor(what) {
        this.what = what;
    }
    fail(path, problem) {
        throw new _finding_js__WEBPACK_IMPORTED_MODULE_0__/* .ReportFormatError */ .Qs(`${this.what}: ${path} ${problem}`);
    }
    parse(text) {
        try {
            return JSON.parse(text);
        }
        catch (err) {
            throw this.notJson(err);
        }
    }
    /** Parses a report, leaving the arrays at `defer` to be parsed element by element (see json-deferred.ts). */
    parseDeferring(source, defer) {
        const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
        try {
            return (0,_json_deferred_js__WEBPACK_IMPORTED_MODULE_1__/* .parseDeferring */ .sA)(bytes, defer);
        }
        catch (err) {
            throw this.notJson(err);
        }
    }
    notJson(err) {
        const detail = err instanceof Error ? err.message : String(err);
        return new _finding_js__WEBPACK_IMPORTED_MODULE_0__/* .ReportFormatError */ .Qs(`${this.what} is not JSON (${detail})`, { cause: err });
    }
    /**
     * The elements of an array or a deferred array, each handed to `each` as it is parsed; absent or null is
     * none. An element that is not JSON fails as the whole report would.
     */
    forEachElement(obj, key, path, each) {
        const value = obj[key];
        if (value === undefined || value === null)
            return;
        if (Array.isArray(value)) {
            value.forEach(each);
            return;
        }
        if (!(value instanceof _json_deferred_js__WEBPACK_IMPORTED_MODULE_1__/* .DeferredArray */ .BP)) {
            this.fail(`${path}${key}`, `is ${describe(value)}, expected an array`);
        }
        for (let i = 0; i < value.length; i++) {
            let element;
            try {
                element = value.at(i);
            }
            catch (err) {
                throw this.notJson(err);
            }
            each(element, i);
        }
    }
    object(value, path) {
        if (!isObject(value))
            this.fail(path, `is ${describe(value)}, expected an object`);
        return value;
    }
    /** Absent or null → undefined; anything but an array is an error. */
    optArray(obj, key, path) {
        const value = obj[key];
        if (value === undefined || value === null)
            return undefined;
        if (!Array.isArray(value))
            this.fail(`${path}${key}`, `is ${describe(value)}, expected an array`);
        return value;
    }
    optObject(obj, key, path) {
        const value = obj[key];
        if (value === undefined || value === null)
            return undefined;
        return this.object(value, `${path}${key}`);
    }
    /** Absent, null or empty → undefined; a non-string is an error. */
    optString(obj, key, path) {
        const value = obj[key];
        if (value === undefined || value === null || value === '')
            return undefined;
        if (typeof value !== 'string')
            this.fail(`${path}${key}`, `is ${describe(value)}, expected a string`);
        return value;
    }
    string(obj, key, path) {
        const value = obj[key];
        if (typeof value !== 'string' || value === '') {
            this.fail(`${path}${key}`, value === undefined
                ? 'is missing'
                : `is ${value === '' ? 'empty' : describe(value)}, expected a string`);
        }
        return value;
    }
    optNumber(obj, key, path) {
        const value = obj[key];
        if (value === undefined || value === null)
            return undefined;
        if (typeof value !== 'number' || !Number.isFinite(value)) {
            this.fail(`${path}${key}`, `is ${describe(value)}, expected a number`);
        }
        return value;
    }
    /** An array of strings; non-string items are an error, empty strings are dropped. */
    optStrings(obj, key, path) {
        const arr = this.optArray(obj, key, path) ?? [];
        const out = [];
        arr.forEach((item, i) => {
            if (typeof item !== 'string')
                this.fail(`${path}${key}[${i}]`, `is ${describe(item)}, expected a string`);
            if (item !== '')
                out.push(item);
        });
        return out;
    }
}


/***/ }),

/***/ 4649:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Xo: () => (/* binding */ formatSeconds),
  Hk: () => (/* binding */ runScan),
  m5: () => (/* binding */ runToolStep),
  of: () => (/* binding */ withoutScannerVariables)
});

// UNUSED EXPORTS: parseReport

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./src/util/exec.ts + 1 modules
var util_exec = __webpack_require__(3117);
// EXTERNAL MODULE: ./src/util/errors.ts
var errors = __webpack_require__(9115);
// EXTERNAL MODULE: ./src/scan/json-deferred.ts
var json_deferred = __webpack_require__(8181);
// EXTERNAL MODULE: ./src/scan/finding.ts
var finding = __webpack_require__(506);
// EXTERNAL MODULE: ./src/scan/json-read.ts
var json_read = __webpack_require__(4214);
;// CONCATENATED MODULE: ./src/scan/string-pool.ts
/**
 * One copy of each string that repeats across the findings of a report. A report parsed one finding at a time
 * gets a new copy of every string for every finding: the same CVE's title and description once per package it
 * is found in, the same layer digest once per finding in that layer. Held for the parse only.
 */
class StringPool {
    strings = new Map();
    share(value) {
        if (value === undefined)
            return value;
        const held = this.strings.get(value);
        if (held !== undefined)
            return held;
        this.strings.set(value, value);
        return value;
    }
    /**
     * `finding` with its repeating strings (texts of the vulnerability, layer, target, CVSS) shared. Strings that
     * are unique to one finding (package path, purl) are left alone: pooling them would only cost map entries.
     */
    shareFinding(finding) {
        finding.id = this.share(finding.id);
        finding.aliases = finding.aliases.map((a) => this.share(a));
        finding.fixedVersions = finding.fixedVersions.map((v) => this.share(v));
        finding.packageName = this.share(finding.packageName);
        finding.installedVersion = this.share(finding.installedVersion);
        finding.packageType = this.share(finding.packageType);
        finding.title = this.share(finding.title);
        finding.description = this.share(finding.description);
        finding.url = this.share(finding.url);
        finding.target = this.share(finding.target);
        finding.layerDigest = this.share(finding.layerDigest);
        finding.diffId = this.share(finding.diffId);
        for (const c of finding.cvss) {
            c.source = this.share(c.source);
            c.version = this.share(c.version);
            c.vector = this.share(c.vector);
        }
        return finding;
    }
}

;// CONCATENATED MODULE: ./src/scan/grype-report.ts



// The arrays that grow with the image: read one element at a time (matches), or never (ignoredMatches).
const GRYPE_DEFERRED = [['matches'], ['ignoredMatches']];
/** `grype -o json` → ScanReport; the matches are read one at a time. */
function parseGrypeReport(json, options = {}) {
    const r = new json_read/* JsonReader */.O('the grype report');
    const doc = r.object(r.parseDeferring(json, GRYPE_DEFERRED), 'the top level');
    if (!('matches' in doc)) {
        r.fail('matches', 'is missing; expected the output of `grype -o json`');
    }
    const findings = [];
    const pool = new StringPool();
    r.forEachElement(doc, 'matches', '', (m, i) => {
        findings.push(pool.shareFinding(toFinding(r, r.object(m, `matches[${i}]`), `matches[${i}].`, options.baseLayers)));
    });
    const descriptor = r.optObject(doc, 'descriptor', '');
    const source = r.optObject(doc, 'source', '');
    const target = source?.['target'];
    return {
        scanner: 'grype',
        scannerVersion: descriptor ? r.optString(descriptor, 'version', 'descriptor.') : undefined,
        artifactName: (0,json_read/* isObject */.G)(target)
            ? r.optString(target, 'userInput', 'source.target.')
            : typeof target === 'string'
                ? target
                : undefined,
        findings,
        dbUpdatedAt: descriptor ? dbBuilt(r, descriptor) : undefined,
    };
}
/** grype ≤0.7x wrote `descriptor.db.built`; newer versions write `descriptor.db.status.built`. */
function dbBuilt(r, descriptor) {
    const db = r.optObject(descriptor, 'db', 'descriptor.');
    if (!db)
        return undefined;
    const status = (0,json_read/* isObject */.G)(db['status']) ? db['status'] : undefined;
    return (r.optString(db, 'built', 'descriptor.db.') ??
        (status ? r.optString(status, 'built', 'descriptor.db.status.') : undefined));
}
function toFinding(r, m, path, baseLayers) {
    const vp = `${path}vulnerability.`;
    const vuln = r.object(m['vulnerability'], `${path}vulnerability`);
    const ap = `${path}artifact.`;
    const artifact = r.object(m['artifact'], `${path}artifact`);
    const id = r.string(vuln, 'id', vp);
    const related = (r.optArray(m, 'relatedVulnerabilities', path) ?? []).map((rv, i) => r.object(rv, `${path}relatedVulnerabilities[${i}]`));
    const aliases = [];
    related.forEach((rv, i) => {
        const alias = r.optString(rv, 'id', `${path}relatedVulnerabilities[${i}].`);
        if (alias !== undefined && alias !== id && !aliases.includes(alias))
            aliases.push(alias);
    });
    const fix = r.optObject(vuln, 'fix', vp);
    const fixedVersions = fix ? r.optStrings(fix, 'versions', `${vp}fix.`) : [];
    const locations = (r.optArray(artifact, 'locations', ap) ?? []).map((l, i) => r.object(l, `${ap}locations[${i}]`));
    const first = locations[0];
    const location = first ? r.optString(first, 'path', `${ap}locations[0].`) : undefined;
    // syft's layerID is the layer's uncompressed digest, i.e. the diff ID.
    const layerId = first ? r.optString(first, 'layerID', `${ap}locations[0].`) : undefined;
    const urls = r.optStrings(vuln, 'urls', vp);
    const cvss = [
        ...cvssOf(r, vuln, vp),
        ...related.flatMap((rv, i) => cvssOf(r, rv, `${path}relatedVulnerabilities[${i}].`)),
    ];
    return {
        id,
        aliases,
        severity: (0,finding/* normaliseSeverity */.s4)(vuln['severity']),
        packageName: r.string(artifact, 'name', ap),
        packageType: r.optString(artifact, 'type', ap),
        packagePath: location,
        purl: r.optString(artifact, 'purl', ap),
        installedVersion: r.optString(artifact, 'version', ap) ?? '',
        fixedVersions,
        fixState: fixStateOf(fix ? r.optString(fix, 'state', `${vp}fix.`) : undefined, fixedVersions.length > 0),
        description: r.optString(vuln, 'description', vp) ??
            related
                .map((rv) => (typeof rv['description'] === 'string' ? rv['description'] : ''))
                .find((d) => d !== ''),
        url: r.optString(vuln, 'dataSource', vp) ?? urls[0],
        target: location,
        diffId: layerId,
        origin: (0,finding/* originFromLayers */.Th)([layerId], baseLayers),
        cvss,
    };
}
function fixStateOf(state, hasFixedVersion) {
    switch (state) {
        case 'fixed':
        case 'not-fixed':
        case 'wont-fix':
        case 'unknown':
            return state;
        default:
            return hasFixedVersion ? 'fixed' : 'unknown';
    }
}
function cvssOf(r, vuln, path) {
    const namespace = r.optString(vuln, 'namespace', path);
    return (r.optArray(vuln, 'cvss', path) ?? []).map((c, i) => {
        const cp = `${path}cvss[${i}].`;
        const entry = r.object(c, `${path}cvss[${i}]`);
        const vector = r.optString(entry, 'vector', cp);
        const metrics = r.optObject(entry, 'metrics', cp);
        return {
            source: r.optString(entry, 'source', cp) ?? namespace ?? 'unknown',
            version: r.optString(entry, 'version', cp) ?? (0,finding/* cvssVersionOfVector */.MH)(vector),
            vector,
            score: metrics ? r.optNumber(metrics, 'baseScore', `${cp}metrics.`) : undefined,
        };
    });
}

;// CONCATENATED MODULE: ./src/scan/trivy-report.ts



// The arrays that grow with the image: read one element at a time (Vulnerabilities), or never (the package
// list of `--list-all-pkgs`, which the gate does not read).
const TRIVY_DEFERRED = [
    ['Results', '*', 'Vulnerabilities'],
    ['Results', '*', 'Packages'],
];
/** `trivy image --format json` (SchemaVersion 2) → ScanReport; the findings are read one at a time. */
function parseTrivyReport(json, options = {}) {
    const r = new json_read/* JsonReader */.O('the trivy report');
    const doc = r.object(r.parseDeferring(json, TRIVY_DEFERRED), 'the top level');
    const schema = doc['SchemaVersion'];
    if (schema === undefined) {
        r.fail('SchemaVersion', 'is missing; expected 2 (the output of `trivy image --format json`)');
    }
    if (schema !== 2)
        r.fail('', `has SchemaVersion ${JSON.stringify(schema)}, expected 2`);
    const findings = [];
    const pool = new StringPool();
    const results = r.optArray(doc, 'Results', '') ?? [];
    results.forEach((resultValue, ri) => {
        const rp = `Results[${ri}].`;
        const result = r.object(resultValue, `Results[${ri}]`);
        const target = r.optString(result, 'Target', rp);
        const type = r.optString(result, 'Type', rp);
        r.forEachElement(result, 'Vulnerabilities', rp, (vulnValue, vi) => {
            const vp = `${rp}Vulnerabilities[${vi}]`;
            findings.push(pool.shareFinding(trivy_report_toFinding(r, r.object(vulnValue, vp), `${vp}.`, { target, type }, options.baseLayers)));
        });
    });
    const trivy = r.optObject(doc, 'Trivy', '');
    return {
        scanner: 'trivy',
        scannerVersion: trivy ? r.optString(trivy, 'Version', 'Trivy.') : undefined,
        artifactName: r.optString(doc, 'ArtifactName', ''),
        findings,
    };
}
function trivy_report_toFinding(r, v, path, result, baseLayers) {
    const id = r.string(v, 'VulnerabilityID', path);
    const fixed = r.optString(v, 'FixedVersion', path);
    // trivy joins several fixed versions with ", " (one per affected branch).
    const fixedVersions = fixed
        ? fixed
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '')
        : [];
    const layer = r.optObject(v, 'Layer', path);
    const layerDigest = layer ? r.optString(layer, 'Digest', `${path}Layer.`) : undefined;
    const diffId = layer ? r.optString(layer, 'DiffID', `${path}Layer.`) : undefined;
    const identifier = r.optObject(v, 'PkgIdentifier', path);
    return {
        id,
        aliases: r.optStrings(v, 'VendorIDs', path).filter((a) => a !== id),
        severity: (0,finding/* normaliseSeverity */.s4)(v['Severity']),
        packageName: r.string(v, 'PkgName', path),
        packageType: result.type,
        packagePath: r.optString(v, 'PkgPath', path),
        purl: identifier ? r.optString(identifier, 'PURL', `${path}PkgIdentifier.`) : undefined,
        installedVersion: r.optString(v, 'InstalledVersion', path) ?? '',
        fixedVersions,
        fixState: trivy_report_fixStateOf(r.optString(v, 'Status', path), fixedVersions.length > 0),
        title: r.optString(v, 'Title', path),
        description: r.optString(v, 'Description', path),
        url: r.optString(v, 'PrimaryURL', path),
        target: result.target,
        layerDigest,
        diffId,
        origin: (0,finding/* originFromLayers */.Th)([diffId, layerDigest], baseLayers),
        cvss: trivy_report_cvssOf(r, v, path),
    };
}
/**
 * trivy's statuses (docs/guide/configuration/filtering.md, "By Status"). Reports from before `Status`
 * existed only say whether there is a FixedVersion; trivy lists only affected packages, so no fix means not fixed.
 */
function trivy_report_fixStateOf(status, hasFixedVersion) {
    switch (status) {
        case 'fixed':
            return 'fixed';
        case 'affected':
        case 'fix_deferred':
            return 'not-fixed';
        case 'will_not_fix':
        case 'end_of_life':
            return 'wont-fix';
        case undefined:
            return hasFixedVersion ? 'fixed' : 'not-fixed';
        default:
            // unknown, under_investigation, and statuses newer than this code.
            return hasFixedVersion ? 'fixed' : 'unknown';
    }
}
const CVSS_KEYS = [
    { vector: 'V40Vector', score: 'V40Score', version: '4.0' },
    { vector: 'V3Vector', score: 'V3Score', version: '3' },
    { vector: 'V2Vector', score: 'V2Score', version: '2.0' },
];
function trivy_report_cvssOf(r, v, path) {
    const cvss = r.optObject(v, 'CVSS', path);
    if (!cvss)
        return [];
    const out = [];
    for (const [source, entry] of Object.entries(cvss)) {
        if (!(0,json_read/* isObject */.G)(entry))
            continue;
        const ep = `${path}CVSS.${source}.`;
        for (const k of CVSS_KEYS) {
            const vector = r.optString(entry, k.vector, ep);
            const score = r.optNumber(entry, k.score, ep);
            if (vector === undefined && score === undefined)
                continue;
            out.push({ source, version: (0,finding/* cvssVersionOfVector */.MH)(vector) ?? k.version, vector, score });
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/scan/run.ts






const STDERR_LINES = 20;
/** `1.5 s`, `900 s`: what a person reads in a timeout message. */
function formatSeconds(ms) {
    const s = ms / 1000;
    return `${s >= 10 ? Math.round(s) : Math.round(s * 10) / 10} s`;
}
/**
 * The runner's environment minus the scanners' own variables: a `TRIVY_SEVERITY` or `GRYPE_ONLY_FIXED` left in
 * a workflow would silently drop findings before the gate sees them.
 */
function withoutScannerVariables(env) {
    const out = {};
    for (const [name, value] of Object.entries(env)) {
        if (!/^(TRIVY|GRYPE|SYFT)_/i.test(name))
            out[name] = value;
    }
    return out;
}
function quote(stderr, stdout = '') {
    const tail = (0,util_exec/* tailLines */.os)(stderr, STDERR_LINES) || (0,util_exec/* tailLines */.os)(stdout, STDERR_LINES);
    return tail ? `\n${tail}` : ' (it printed nothing)';
}
function what(plan) {
    return plan.platform ? `${plan.label} (${plan.platform})` : plan.label;
}
function exitText(result) {
    if (result.signal)
        return `was killed by ${result.signal}`;
    return `exited with code ${result.exitCode}`;
}
async function start(exec, request, label) {
    try {
        return await exec(request);
    }
    catch (error) {
        throw new errors/* UserError */.yo(`Could not run ${label}: ${(0,errors/* errorMessage */.gJ)(error)}. Check \`scanner-path\`, or let the action install the scanner.`, { cause: error });
    }
}
function timedOut(plan, result) {
    return new errors/* UserError */.yo(`the scan stage timed out after ${formatSeconds(plan.budgetMs ?? plan.timeoutMs)}: ${what(plan)} did not finish and was stopped. A scan that does not finish is not a pass. Its last output:${quote(result.stderr, result.stdout)}`);
}
/**
 * The report, opened to be read a window at a time (see json-deferred.ts): a report of 100 MB is never in
 * memory whole. Undefined when the scanner wrote none.
 */
function openReport(path) {
    try {
        return (0,json_deferred/* openFileSource */.Sd)(path);
    }
    catch {
        return undefined;
    }
}
function isBlank(source) {
    for (let from = 0; from < source.length; from += 1 << 16) {
        for (const c of source.read(from, from + (1 << 16))) {
            if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09)
                return false;
        }
    }
    return true;
}
function parseReport(scanner, json, baseLayers) {
    return scanner === 'trivy'
        ? parseTrivyReport(json, baseLayers ? { baseLayers } : {})
        : parseGrypeReport(json, baseLayers ? { baseLayers } : {});
}
async function runScan(plan, options = {}) {
    // A report left by an earlier run must not pass for this run's output.
    for (const file of [plan.reportFile, ...(plan.extraFiles ?? [])])
        await (0,promises_.rm)(file, { force: true });
    const result = await start(options.exec ?? util_exec/* execTool */.wc, {
        command: plan.command,
        args: plan.args,
        env: plan.env,
        secrets: plan.secrets,
        cwd: plan.cwd,
        timeoutMs: plan.timeoutMs,
        label: plan.label,
    }, plan.label);
    if (result.timedOut)
        throw timedOut(plan, result);
    const source = openReport(plan.reportFile);
    const failed = result.exitCode !== 0 || result.signal !== null;
    if (source === undefined || isBlank(source)) {
        source?.close();
        const empty = source === undefined ? 'wrote no report' : `wrote an empty report (${plan.reportFile})`;
        throw new errors/* UserError */.yo(failed
            ? `${what(plan)} ${exitText(result)} and ${empty}. Its last output:${quote(result.stderr, result.stdout)}`
            : `${what(plan)} exited with code 0 but ${empty}; expected the JSON report at ${plan.reportFile}. Its last output:${quote(result.stderr, result.stdout)}`);
    }
    if (failed) {
        // What it left may be whole or cut short; either way the scan did not finish, and findings are never asked to
        // make it exit non-zero. Reading the report anyway would pass an image on half a scan.
        source.close();
        throw new errors/* UserError */.yo(`${what(plan)} ${exitText(result)}: the scan failed, so its report (${plan.reportFile}) was not used and the image did not pass. secure-image never asks the scanner to exit non-zero for findings, so this is the scanner's own failure; its last output says why:${quote(result.stderr, result.stdout)}`);
    }
    try {
        return { report: parseReport(plan.scanner, source, options.baseLayers), exec: result };
    }
    catch (error) {
        throw new errors/* UserError */.yo(`${what(plan)} wrote ${plan.reportFile}, but it is not a ${plan.scanner} JSON report: ${(0,errors/* errorMessage */.gJ)(error)}. The scanner's last output:${quote(result.stderr, result.stdout)}`, { cause: error });
    }
    finally {
        source.close();
    }
}
/** Runs a step that must succeed (exit 0, and its output file present and not empty). */
async function runToolStep(step, exec = util_exec/* execTool */.wc) {
    if (step.output)
        await (0,promises_.rm)(step.output, { force: true });
    const result = await start(exec, {
        command: step.command,
        args: step.args,
        env: step.env,
        cwd: step.cwd,
        timeoutMs: step.timeoutMs,
        label: step.label,
    }, step.label);
    if (result.timedOut) {
        throw new errors/* UserError */.yo(`the scan stage timed out after ${formatSeconds(step.budgetMs ?? step.timeoutMs)}: ${step.label} did not finish. Its last output:${quote(result.stderr, result.stdout)}`);
    }
    if (result.exitCode !== 0 || result.signal) {
        throw new errors/* UserError */.yo(`${step.label} ${exitText(result)}. Its last output:${quote(result.stderr, result.stdout)}`);
    }
    if (step.output) {
        const size = await (0,promises_.stat)(step.output).then((s) => s.size, () => -1);
        if (size <= 0) {
            throw new errors/* UserError */.yo(`${step.label} exited with code 0 but wrote ${size < 0 ? 'nothing' : 'an empty file'} at ${step.output}. Its last output:${quote(result.stderr, result.stdout)}`);
        }
    }
    return result;
}


/***/ })

};
