export const id = 595;
export const ids = [595];
export const modules = {

/***/ 6595:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  installTools: () => (/* binding */ installTools)
});

// UNUSED EXPORTS: parseVersionOutput

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ../main/node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(4846);
// EXTERNAL MODULE: ../main/node_modules/@actions/tool-cache/lib/tool-cache.js + 2 modules
var tool_cache = __webpack_require__(9213);
// EXTERNAL MODULE: ./src/util/errors.ts
var errors = __webpack_require__(9115);
// EXTERNAL MODULE: ./src/util/exec.ts + 1 modules
var util_exec = __webpack_require__(3117);
// EXTERNAL MODULE: ./src/util/http.ts
var http = __webpack_require__(8888);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./src/tools/cache.ts





/** Written beside the binary when it is cached; read back on every cache hit. */
const RECORD_FILE = 'secure-image-install.json';
async function sha256File(path) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for await (const chunk of (0,external_node_fs_.createReadStream)(path))
        hash.update(chunk);
    return hash.digest('hex');
}
function isRecord(value) {
    if (typeof value !== 'object' || value === null)
        return false;
    const r = value;
    return typeof r.sha256 === 'string' && /^[0-9a-f]{64}$/.test(r.sha256) && typeof r.binary === 'string';
}
/** Removes a cache entry and its `.complete` marker, so `tc.find` no longer returns it. */
async function evict(dir) {
    await (0,promises_.rm)(dir, { recursive: true, force: true });
    await (0,promises_.rm)(`${dir}.complete`, { force: true });
}
/**
 * Looks the plan up in the tool cache and re-checks what is there: a self-hosted runner's cache outlives jobs and
 * anyone with access to the machine can change it. The binary must hash to what was recorded when it was cached
 * and, when the catalog pins the asset (the bootstrap cosign), to the pinned hash too. An entry that fails either
 * is evicted and the caller installs afresh.
 */
async function checkCache(plan, pinned) {
    const dir = tool_cache/* find */.I6(plan.cache.tool, plan.cache.version, plan.cache.arch);
    if (!dir)
        return { kind: 'miss' };
    const binaryPath = (0,external_node_path_.join)(dir, plan.binaryName);
    const fail = async (why) => {
        await evict(dir);
        return { kind: 'miss', evicted: `${why}; evicted ${dir}` };
    };
    let record;
    try {
        record = JSON.parse(await (0,promises_.readFile)((0,external_node_path_.join)(dir, RECORD_FILE), 'utf8'));
    }
    catch {
        return fail(`the cached ${plan.tool} ${plan.version} has no readable install record (${RECORD_FILE})`);
    }
    if (!isRecord(record) || record.binary !== plan.binaryName) {
        return fail(`the install record of the cached ${plan.tool} ${plan.version} is malformed`);
    }
    let actual;
    try {
        actual = await sha256File(binaryPath);
    }
    catch {
        return fail(`the cached ${plan.tool} ${plan.version} has no ${plan.binaryName}`);
    }
    if (actual !== record.sha256) {
        return fail(`the cached ${plan.tool} ${plan.version} (${binaryPath}) was changed after it was installed: ` +
            `SHA-256 recorded at install ${record.sha256}, found ${actual}`);
    }
    if (pinned !== undefined && actual !== pinned) {
        return fail(`the cached ${plan.tool} ${plan.version} (${binaryPath}) is not the release secure-image pins: ` +
            `expected SHA-256 ${pinned}, found ${actual}`);
    }
    return { kind: 'hit', dir, binaryPath, sha256: actual, record };
}
function toolCacheRoot() {
    const root = process.env.RUNNER_TOOL_CACHE;
    if (!root)
        throw new Error('RUNNER_TOOL_CACHE is not set: the runner defines it for every job');
    return root;
}
/** Prefix of the staging folders in the tool cache; tool-cache's `find` never looks at a dot folder. */
const STAGING_PREFIX = '.secure-image-staging-';
/**
 * A fresh folder for this run's staged installs, inside RUNNER_TOOL_CACHE so that publishing one is a rename on
 * the same filesystem, not a copy. Hidden (a dot folder at the top of the cache, outside any `<tool>/<version>`),
 * so `tc.find` cannot return anything in it.
 */
async function createStagingRoot() {
    const root = toolCacheRoot();
    await (0,promises_.mkdir)(root, { recursive: true });
    return (0,promises_.mkdtemp)((0,external_node_path_.join)(root, STAGING_PREFIX));
}
/**
 * Where `tc.find(tool, version, arch)` looks: `<RUNNER_TOOL_CACHE>/<tool>/<version>/<arch>`, with the version as
 * `semver.clean` spells it (no `v`, no build metadata; our versions are normalised already).
 */
function cacheEntryDir(plan) {
    return (0,external_node_path_.join)(toolCacheRoot(), plan.cache.tool, plan.cache.version.replace(/\+.*$/, ''), plan.cache.arch);
}
/**
 * Publishes a verified staging folder (the binary and nothing else) as the tool-cache entry: writes the install
 * record, makes the binary executable, renames the folder into place and then writes the `<arch>.complete` marker
 * that `tc.find` requires, so the entry becomes visible only whole. A rename moves the very bytes that were
 * verified, so nothing is hashed again. Where the rename is refused (a handle held open on Windows, another
 * filesystem), it falls back to tool-cache's copy, which is checked.
 */
async function publishVerified(stagingDir, plan, record) {
    await (0,promises_.writeFile)((0,external_node_path_.join)(stagingDir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
    await (0,promises_.chmod)((0,external_node_path_.join)(stagingDir, plan.binaryName), 0o755);
    const dir = cacheEntryDir(plan);
    await evict(dir);
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(dir), { recursive: true });
    try {
        await (0,promises_.rename)(stagingDir, dir);
    }
    catch {
        return cacheVerified(stagingDir, plan, record);
    }
    await (0,promises_.writeFile)(`${dir}.complete`, '');
    if (tool_cache/* find */.I6(plan.cache.tool, plan.cache.version, plan.cache.arch) !== dir) {
        await evict(dir);
        throw new Error(`internal: tool-cache does not find ${plan.tool} ${plan.version} at ${dir} after caching it`);
    }
    return { dir, binaryPath: (0,external_node_path_.join)(dir, plan.binaryName) };
}
/**
 * Copies a verified staging folder (the binary and nothing else) into the tool cache with its install record,
 * makes the binary executable, and checks that the copy is the bytes that were verified.
 */
async function cacheVerified(stagingDir, plan, record) {
    await (0,promises_.writeFile)((0,external_node_path_.join)(stagingDir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
    const dir = await tool_cache/* cacheDir */.e8(stagingDir, plan.cache.tool, plan.cache.version, plan.cache.arch);
    const binaryPath = (0,external_node_path_.join)(dir, plan.binaryName);
    // On Windows this only clears read-only; elsewhere it is what makes the binary runnable.
    await (0,promises_.chmod)(binaryPath, 0o755);
    const copied = await sha256File(binaryPath);
    if (copied !== record.sha256) {
        await evict(dir);
        throw new Error(`copying ${plan.tool} into the tool cache changed it (SHA-256 ${record.sha256} became ${copied}); evicted ${dir}`);
    }
    return { dir, binaryPath };
}

;// CONCATENATED MODULE: ./src/tools/checksums.ts
/**
 * goreleaser's checksums file: one `<sha256 hex>  <file name>` per line, as `sha256sum` writes it (a `*` before
 * the name marks binary mode). Returns file name → lower-case hash.
 *
 * A name listed twice with different hashes is an error, not "the last one wins": a file that vouches for two
 * different contents for the same asset vouches for neither.
 */
function parseChecksums(text, source) {
    const hashes = new Map();
    const lines = text.split(/\r?\n/);
    lines.forEach((raw, index) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            return;
        const match = /^([0-9a-fA-F]{64})\s+\*?(.+)$/.exec(line);
        if (!match?.[1] || !match[2])
            return;
        const hash = match[1].toLowerCase();
        const name = match[2].trim();
        const previous = hashes.get(name);
        if (previous !== undefined && previous !== hash) {
            throw new Error(`${source} line ${index + 1} lists ${name} a second time with a different SHA-256`);
        }
        hashes.set(name, hash);
    });
    return hashes;
}
/** The hash `checksums` lists for `file`, or a message saying it lists none. */
function lookupChecksum(checksums, file) {
    const sha256 = checksums.get(file);
    return sha256 === undefined ? { ok: false } : { ok: true, sha256 };
}

;// CONCATENATED MODULE: ./src/tools/checks.ts






/**
 * The checks a download and a cache hit share: the checksums file lists the asset with its hash, a zip holds the
 * binary, and a cosign that is what it says it is.
 */
/** A verification that said no; the download or the cache entry is not used. */
class CheckFailedError extends errors/* UserError */.yo {
    constructor(message) {
        super(message);
        this.name = 'CheckFailedError';
    }
}
/** The SHA-256 the checksums file (at `path`, fetched from `file`) lists for the plan's asset. */
async function listedHash(plan, file, path) {
    let checksums;
    try {
        checksums = parseChecksums(await (0,promises_.readFile)(path, 'utf8'), `${file.name} (${file.url})`);
    }
    catch (err) {
        throw new CheckFailedError(`${plan.tool} ${plan.version}: ${(0,errors/* errorMessage */.gJ)(err)}. Nothing was cached.`);
    }
    const found = lookupChecksum(checksums, plan.asset.name);
    if (!found.ok) {
        throw new CheckFailedError(`${plan.tool} ${plan.version}: ${file.name} (${file.url}) lists no SHA-256 for ${plan.asset.name}. ` +
            'The download was deleted and nothing was cached.');
    }
    return found.sha256;
}
/**
 * Unpacks a verified zip into `out` and returns the path of the binary in it. Only a regular file counts: a link
 * could point anywhere on the runner.
 */
async function zipMember(plan, zip, out) {
    await (0,promises_.mkdir)(out, { recursive: true });
    await tool_cache/* extractZip */.JE(zip, out);
    const inside = (0,external_node_path_.join)(out, plan.asset.binaryPath);
    const stat = await (0,promises_.lstat)(inside).catch(() => undefined);
    if (!stat?.isFile()) {
        throw new CheckFailedError(`${plan.tool} ${plan.version}: ${plan.asset.name} verified, but holds no file ${plan.asset.binaryPath}. Nothing was cached.`);
    }
    return inside;
}
/** `cosign version --json` prints `{"gitVersion": "v3.1.3", …}`. */
function reportedVersion(stdout) {
    try {
        const parsed = JSON.parse(stdout);
        return typeof parsed.gitVersion === 'string' ? parsed.gitVersion.replace(/^v/, '') : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * Every cosign release is signed by the same identity, and its asset names carry no version, so a signature alone
 * cannot tell v3.0.0 from v3.1.3: a `tool-mirror` could serve an older signed release under a newer version's name.
 * The binary's own `version --json` must then name the version asked for. (trivy's signer names the exact tag, and
 * grype's signed checksums file names the version in every line, so theirs cannot be swapped this way; the bootstrap
 * cosign is pinned by hash.)
 */
async function assertCosignVersion(plan, binary, exec) {
    // A pinned hash names one release's bytes: nothing to ask the binary.
    if (plan.tool !== 'cosign' || plan.verification.some((s) => s.kind === 'pinned-sha256'))
        return;
    await (0,promises_.chmod)(binary, 0o755);
    const result = await exec({
        command: binary,
        args: ['version', '--json'],
        env: {},
        timeoutMs: 30_000,
        label: 'cosign version',
    });
    const reported = result.exitCode === 0 ? reportedVersion(result.stdout) : undefined;
    if (reported === plan.version)
        return;
    const said = reported
        ? `it reports version ${reported}`
        : `\`cosign version --json\` did not say which version it is (exit code ${result.exitCode}${(0,util_exec/* tailLines */.os)(result.stderr, 2) ? `: ${(0,util_exec/* tailLines */.os)(result.stderr, 2)}` : ''})`;
    throw new CheckFailedError(`cosign ${plan.version}: ${plan.asset.url} carries a valid cosign release signature, but ${said}, not ${plan.version}. ` +
        "A mirror or proxy served another release under this version's name; nothing was cached. Check `tool-mirror`.");
}

;// CONCATENATED MODULE: ./src/tools/catalog.ts

const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';
const SIGSTORE_RELEASE_SIGNER = {
    identity: 'keyless@projectsigstore.iam.gserviceaccount.com',
    issuer: 'https://accounts.google.com',
};
const COSIGN = {
    name: 'cosign',
    repo: 'sigstore/cosign',
    // The bootstrap: the root of the chain of trust, installed by the hashes below and nothing else. v3.1.3 is the
    // first v3 release with GHSA-fx35-mq7g-6g98 fixed (verify-blob took a bare public key in a legacy bundle's
    // certificate field and skipped the chain and identity checks; v3.0.6, which cosign-installer v4.1.2 still
    // installs, has it). Chainguard documents cosign >= 3.1.1 for its Rekor v2 bundles.
    //
    // The five SHA-256 values are cosign_checksums.txt of v3.1.3, each confirmed in at least two independent public
    // repositories that pin them (found with a code search of public GitHub files, December 2026):
    //   linux/amd64, linux/arm64, darwin/amd64, darwin/arm64, windows/amd64: a Go installer's `cosignPinSHA256` map
    //     ("They come from the release's cosign_checksums.txt"), and a Go verifier's `verifierPins` map, both with all
    //     five;
    //   all five again in a TypeScript `COSIGN_RELEASE_SHA256` table ("Official v3.1.3 release checksums from
    //     sigstore/cosign's cosign_checksums.txt") and in a PowerShell install test's v3.1.3 matrix;
    //   linux/amd64 + linux/arm64 + darwin/* also in a Homebrew formula for v3.1.3 and several shell installers;
    //   windows/amd64 also in a Windows qualification note citing the v3.1.3 release notes on the legacy-bundle
    //     public-key bypass, and a C# verifier pinning the Windows and Linux amd64 hashes.
    // A platform missing here is refused with a message (see installTools), never installed unverified.
    defaultVersion: '3.1.3',
    tag: 'v{version}',
    assets: {
        'linux/amd64': { name: 'cosign-linux-amd64', archive: 'binary', binaryPath: '' },
        'linux/arm64': { name: 'cosign-linux-arm64', archive: 'binary', binaryPath: '' },
        'darwin/amd64': { name: 'cosign-darwin-amd64', archive: 'binary', binaryPath: '' },
        'darwin/arm64': { name: 'cosign-darwin-arm64', archive: 'binary', binaryPath: '' },
        'windows/amd64': { name: 'cosign-windows-amd64.exe', archive: 'binary', binaryPath: '' },
    },
    checksums: 'cosign_checksums.txt',
    signatures: [
        {
            from: '3.0.2',
            signature: {
                covers: 'asset',
                files: { kind: 'bundle', bundle: '{asset}.sigstore.json' },
                signer: SIGSTORE_RELEASE_SIGNER,
            },
            source: 'cosign CHANGELOG.md (v3.1.3 source tree), v3.0.2: "a fix for CI to publish signed releases in the new bundle format"; .goreleaser.yml signs `${artifact}.sigstore.json` keylessly',
        },
    ],
    floor: {
        version: '3.0.2',
        reason: 'releases before v3.0.2 publish no Sigstore bundle (`<asset>.sigstore.json`) that secure-image can verify them with',
        source: 'cosign CHANGELOG.md, v3.0.2 and v3.0.1 entries',
    },
    warnBelow: {
        version: '3.1.3',
        reason: 'is affected by GHSA-fx35-mq7g-6g98 (`verify-blob` accepted a legacy bundle whose certificate field held a bare public key, skipping the chain and identity checks), fixed in v3.1.3',
        source: 'GHSA-fx35-mq7g-6g98; cosign v3.1.3 release notes',
    },
    refused: {},
    pinned: {
        '3.1.3': {
            'linux/amd64': '4629c757b7618056f8ddd7e2625ae9fdd94c0372a65049520bc7d9df9efc7f71',
            'linux/arm64': 'c5d324e091826b0d7a78eb16fef316450b4eb9aaec045611c08ba06f5e73220a',
            'darwin/amd64': '2347488e5d5b25336644024dfeca5601b190e91197a71a917bda44744aff106c',
            'darwin/arm64': '5cf948c2f4dfe59687bdd0b8523709067383e03982cc543475c8a7dc70e92a76',
            'windows/amd64': '9fe59be0eca1271873ce019061335eb1ac419b7059202e797828467ddabe33be',
        },
    },
};
const TRIVY = {
    name: 'trivy',
    repo: 'aquasecurity/trivy',
    // The newest release the Go module proxy lists (December 2026).
    defaultVersion: '0.74.0',
    tag: 'v{version}',
    assets: {
        'linux/amd64': { name: 'trivy_{version}_Linux-64bit.tar.gz', archive: 'tar.gz', binaryPath: 'trivy' },
        'linux/arm64': { name: 'trivy_{version}_Linux-ARM64.tar.gz', archive: 'tar.gz', binaryPath: 'trivy' },
        'darwin/amd64': { name: 'trivy_{version}_macOS-64bit.tar.gz', archive: 'tar.gz', binaryPath: 'trivy' },
        'darwin/arm64': { name: 'trivy_{version}_macOS-ARM64.tar.gz', archive: 'tar.gz', binaryPath: 'trivy' },
        'windows/amd64': { name: 'trivy_{version}_windows-64bit.zip', archive: 'zip', binaryPath: 'trivy.exe' },
    },
    checksums: 'trivy_{version}_checksums.txt',
    signatures: [
        {
            from: '0.68.1',
            signature: {
                covers: 'asset',
                files: { kind: 'bundle', bundle: '{asset}.sigstore.json' },
                // The exact tag, not a pattern: a signature made by the release workflow of another tag does not count. This
                // is also what binds the installed bytes to the version asked for (see SECURITY.md).
                signer: {
                    identity: 'https://github.com/aquasecurity/trivy/.github/workflows/reusable-release.yaml@refs/tags/{tag}',
                    issuer: GITHUB_ACTIONS_ISSUER,
                },
            },
            source: 'trivy v0.74.0 docs/getting-started/signature-verification.md ("Since Trivy v0.68.1, GitHub Releases provide sigstore signature bundles … Every release asset has a corresponding .sigstore.json") and goreleaser.yml (`signs: artifacts: all`, `${artifact}.sigstore.json`)',
        },
    ],
    floor: {
        version: '0.68.1',
        reason: 'releases before v0.68.1 publish no Sigstore bundle (`<asset>.sigstore.json`) that secure-image can verify them with',
        source: 'trivy docs/getting-started/signature-verification.md at v0.74.0',
    },
    refused: {
        // March 2026: hijacked tags published a malicious v0.69.4 with a checksums file of its own.
        '0.69.4': 'it is the malicious release published with hijacked tags in the March 2026 trivy-action compromise',
    },
};
// Anchore signs the checksums file only, keylessly, from its release workflow on main (releases are cut by
// workflow_dispatch on main, so the identity names the branch, not the tag: install.sh at v0.121.3 verifies with
// `release.yaml@refs/heads/main`). The version is bound by the signed checksums file, whose every line names it.
const GRYPE_SIGNER = {
    identity: 'https://github.com/anchore/grype/.github/workflows/release.yaml@refs/heads/main',
    issuer: GITHUB_ACTIONS_ISSUER,
};
const GRYPE = {
    name: 'grype',
    repo: 'anchore/grype',
    // The newest release whose signature files are confirmed (its own .goreleaser.yaml and install.sh, from the Go
    // module proxy's copy of v0.121.3); v0.122.x needs go1.27, which the project's machines cannot build to compare.
    defaultVersion: '0.121.3',
    tag: 'v{version}',
    assets: {
        'linux/amd64': { name: 'grype_{version}_linux_amd64.tar.gz', archive: 'tar.gz', binaryPath: 'grype' },
        'linux/arm64': { name: 'grype_{version}_linux_arm64.tar.gz', archive: 'tar.gz', binaryPath: 'grype' },
        'darwin/amd64': { name: 'grype_{version}_darwin_amd64.tar.gz', archive: 'tar.gz', binaryPath: 'grype' },
        'darwin/arm64': { name: 'grype_{version}_darwin_arm64.tar.gz', archive: 'tar.gz', binaryPath: 'grype' },
        'windows/amd64': { name: 'grype_{version}_windows_amd64.zip', archive: 'zip', binaryPath: 'grype.exe' },
    },
    checksums: 'grype_{version}_checksums.txt',
    signatures: [
        {
            from: '0.72.0',
            signature: {
                covers: 'checksums',
                files: {
                    kind: 'signature-and-certificate',
                    signature: 'grype_{version}_checksums.txt.sig',
                    certificate: 'grype_{version}_checksums.txt.pem',
                },
                signer: GRYPE_SIGNER,
            },
            source: 'grype .goreleaser.yaml at v0.116.0 (`sign-blob --output-certificate=${artifact}.pem --output-signature=${artifact}.sig`, artifacts: checksum); install.sh at v0.121.3 (VERIFY_SIGN_SUPPORTED_VERSION=v0.72.0)',
        },
        {
            from: '0.120.0',
            signature: {
                covers: 'checksums',
                files: { kind: 'bundle', bundle: 'grype_{version}_checksums.txt.sigstore.json' },
                signer: GRYPE_SIGNER,
            },
            source: 'grype install.sh at v0.121.3 (VERIFY_SIGN_BUNDLE_VERSION=v0.120.0: "releases at or after this version are signed with a sigstore bundle"), its .goreleaser.yaml (`sign-blob --bundle=${artifact}.sigstore.json`) and test/install (grype_0.120.0_checksums.txt.sigstore.json)',
        },
    ],
    floor: {
        version: '0.72.0',
        reason: 'releases before v0.72.0 are not signed',
        source: 'grype install.sh at v0.121.3 (VERIFY_SIGN_SUPPORTED_VERSION=v0.72.0)',
    },
    refused: {},
};
const DEFAULT_CATALOG = {
    tools: { cosign: COSIGN, trivy: TRIVY, grype: GRYPE },
    github: {
        baseUrl: 'https://github.com',
        redirectHosts: ['objects.githubusercontent.com', 'release-assets.githubusercontent.com'],
    },
};
const VERSION = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;
/**
 * `v1.2.3` or `1.2.3` → `1.2.3`. Only exact releases: a range or `latest` would make the installed bytes depend
 * on the day, which defeats pinning.
 */
function normalizeVersion(raw, input) {
    const match = VERSION.exec(raw.trim());
    if (!match?.[1]) {
        throw new errors/* UserError */.yo(`Input \`${input}\`: ${JSON.stringify(raw)} is not an exact release version. Give one like \`v1.2.3\`.`);
    }
    return match[1];
}
function expand(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, key) => values[key] ?? whole);
}
function tagOf(release, version) {
    return expand(release.tag, { version });
}
/**
 * Orders release versions: `-1` when `a` is older than `b`. A pre-release comes before its release
 * (`3.1.3-rc.1` < `3.1.3`); pre-releases of one version compare as text, which is enough for the floors here.
 */
function compareVersions(a, b) {
    const parse = (v) => {
        const [main = '', ...rest] = v.replace(/\+.*$/, '').split('-');
        return { core: main.split('.').map((n) => Number(n)), pre: rest.length > 0 ? rest.join('-') : undefined };
    };
    const x = parse(a);
    const y = parse(b);
    for (let i = 0; i < 3; i++) {
        const d = (x.core[i] ?? 0) - (y.core[i] ?? 0);
        if (d !== 0)
            return Math.sign(d);
    }
    if (x.pre === y.pre)
        return 0;
    if (x.pre === undefined)
        return 1;
    if (y.pre === undefined)
        return -1;
    return x.pre < y.pre ? -1 : 1;
}
/** The refusal reason when `version` must never be installed (listed, or below the floor), else undefined. */
function refusalReason(release, version) {
    if (Object.prototype.hasOwnProperty.call(release.refused, version))
        return release.refused[version];
    if (compareVersions(version, release.floor.version) < 0)
        return release.floor.reason;
    return undefined;
}
function assertNotRefused(release, version, input) {
    const reason = refusalReason(release, version);
    if (reason === undefined)
        return;
    throw new errors/* UserError */.yo(`${release.name} v${version} is refused: ${reason}. Set \`${input}\` to another release ` +
        `(v${release.floor.version} or newer; the default is v${release.defaultVersion}), or leave it empty.`);
}
/** The warning for a release that installs but has a known flaw, else undefined. */
function versionWarning(release, version, input) {
    const below = release.warnBelow;
    if (!below || compareVersions(version, below.version) >= 0)
        return undefined;
    return (`${release.name} v${version} (from \`${input}\`) ${below.reason}. secure-image still verifies every download ` +
        `with its own ${release.name} v${release.defaultVersion}; set \`${input}\` to v${below.version} or newer, or leave it empty.`);
}
/** How `version` is signed: the last range that starts at or below it. */
function signatureFor(release, version) {
    let found;
    for (const range of release.signatures) {
        if (compareVersions(version, range.from) >= 0)
            found = range.signature;
    }
    if (!found) {
        throw new errors/* UserError */.yo(`${release.name} v${version} publishes no signature secure-image knows how to verify. Use ` +
            `v${release.floor.version} or newer (the default is v${release.defaultVersion}).`);
    }
    return found;
}
function assetFor(release, version, platform) {
    const spec = release.assets[platform];
    if (!spec) {
        const supported = Object.keys(release.assets).join(', ');
        throw new errors/* UserError */.yo(`${release.name} has no release asset for ${platform} (it is published for ${supported}). ` +
            `Install ${release.name} yourself and pass it with \`${release.name === 'cosign' ? 'cosign-path' : 'scanner-path'}\`.`);
    }
    const values = { version, tag: tagOf(release, version) };
    return { ...spec, name: expand(spec.name, values), binaryPath: expand(spec.binaryPath, values) };
}
function pinnedHash(release, version, platform) {
    return release.pinned?.[version]?.[platform];
}

// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(8474);
// EXTERNAL MODULE: ./src/util/retry.ts
var retry = __webpack_require__(9092);
;// CONCATENATED MODULE: ./src/tools/download.ts







const DEFAULT_DOWNLOAD_OPTIONS = {
    stallTimeoutMs: 60_000,
    // 150 MB (the largest cosign binary) at 1 MB/s would still make it.
    tryTimeoutMs: 10 * 60_000,
    attempts: 4,
    baseDelayMs: 1_000,
    maxDelayMs: 15_000,
    maxBytes: 1024 * 1024 * 1024,
};
/**
 * One sink that feeds every chunk to each of `sinks` (the archive unpacked, its signature checked), side by side.
 * Each result is kept under its sink's name; one sink's failure does not touch the others'.
 */
function sinkGroup(sinks) {
    const entries = Object.entries(sinks);
    return {
        async write(chunk) {
            await Promise.all(entries.map(([, sink]) => sink.write(chunk)));
        },
        async close() {
            const results = await Promise.all(entries.map(async ([name, sink]) => [name, await sink.close()]));
            return { ok: true, value: Object.fromEntries(results) };
        },
        async abort() {
            // Each gives up what it made, whatever another's abort says.
            await Promise.allSettled(entries.map(([, sink]) => sink.abort()));
        },
    };
}
/** The server answered with a status that is not 2xx. */
class HttpStatusError extends Error {
    status;
    url;
    constructor(status, statusText, url) {
        super(`HTTP ${status}${statusText ? ` ${statusText}` : ''} from ${url}`);
        this.name = 'HttpStatusError';
        this.status = status;
        this.url = url;
    }
}
/** Nothing arrived for `stallTimeoutMs`. */
class StallError extends Error {
    constructor(url, ms) {
        super(`no response from ${url} for ${formatSeconds(ms)} (timeout)`);
        this.name = 'StallError';
    }
}
/** The download went on, but too slowly to finish in `tryTimeoutMs`. Not transient. */
class TooSlowError extends errors/* UserError */.yo {
    constructor(url, ms, bytes) {
        super(`${url} was still downloading after ${formatSeconds(ms)} (${bytes} bytes in), too slow to wait for. Re-run the ` +
            'job, or set `tool-mirror` to a mirror closer to the runner.');
        this.name = 'TooSlowError';
    }
}
/** The connection broke or the body ended short. */
class NetworkError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'NetworkError';
    }
}
/**
 * The download could not be written here (a full RUNNER_TEMP, most often). Never transient: the
 * server is not at fault, and the next try would stop at the same byte.
 */
class DiskWriteError extends errors/* UserError */.yo {
    constructor(dest, cause) {
        super(`Could not write the download to ${dest}: ${cause.message}. Free space on the disk of RUNNER_TEMP, or run the job on a runner with more.`, { cause });
        this.name = 'DiskWriteError';
    }
}
/** A redirect that the policy forbids. Never transient: trying again would be redirected again. */
class RedirectRefusedError extends errors/* UserError */.yo {
    constructor(message) {
        super(message);
        this.name = 'RedirectRefusedError';
    }
}
/** A download that could not be completed: says what, where, how many tries, and the last answer. */
class DownloadError extends errors/* UserError */.yo {
    url;
    tries;
    status;
    constructor(message, url, tries, status, cause) {
        super(message, { cause });
        this.name = 'DownloadError';
        this.url = url;
        this.tries = tries;
        this.status = status;
    }
}
const MAX_REDIRECTS = 5;
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;
function isTransientDownloadError(err) {
    if (err instanceof HttpStatusError)
        return (0,retry/* isTransientStatus */.Dm)(err.status);
    return err instanceof StallError || err instanceof NetworkError;
}
/**
 * Whether a redirect from `from` to `to` may be followed. A mirror stays on its own host (a mirror that hands the
 * download to another host has stopped being the mirror the user named); GitHub may hand off to its object storage.
 * A redirect from https to http is never followed.
 */
function redirectAllowed(origin, to, policy) {
    if (origin.protocol === 'https:' && to.protocol !== 'https:')
        return false;
    if (to.protocol !== 'https:' && to.protocol !== 'http:')
        return false;
    if (to.host === origin.host)
        return true;
    return policy.kind === 'hosts' && policy.hosts.includes(to.host);
}
/** Writes a body that was held in memory to `dest`, where the caller needs it after all. */
async function writeHeld(dest, chunks) {
    try {
        await (0,promises_.writeFile)(dest, chunks);
    }
    catch (err) {
        // Whatever part of it was written goes (where the folder itself is gone, there is nothing to remove).
        await (0,promises_.rm)(dest, { force: true }).catch(() => undefined);
        throw new DiskWriteError(dest, err instanceof Error ? err : new Error(String(err)));
    }
    return dest;
}
function formatSeconds(ms) {
    return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
function describeNetworkError(err) {
    const cause = err instanceof Error ? err.cause : undefined;
    const code = typeof cause?.code === 'string' ? cause.code : undefined;
    const detail = typeof cause?.message === 'string' ? cause.message : undefined;
    return [(0,errors/* errorMessage */.gJ)(err), code, detail].filter((s) => s !== undefined && s !== '').join(': ');
}
async function closeStream(out) {
    if (out.closed)
        return;
    out.end();
    await (0,external_node_events_.once)(out, 'close');
}
/** One try: GET with manual redirects, the body streamed to `dest` (and the sink) and hashed on the way. */
async function fetchOnce(url, dest, policy, options, { sink: makeSink, holdBytes = 0 }) {
    const controller = new AbortController();
    let sink;
    let current = url;
    let timer;
    // Re-armed on every chunk: refresh() restarts the same timer instead of making a new one each time.
    const arm = () => {
        if (timer) {
            timer.refresh();
            return;
        }
        timer = setTimeout(() => controller.abort(new StallError(current, options.stallTimeoutMs)), options.stallTimeoutMs);
    };
    let out;
    let bytes = 0;
    const deadline = setTimeout(() => controller.abort(new TooSlowError(current, options.tryTimeoutMs, bytes)), options.tryTimeoutMs);
    try {
        arm();
        const origin = new URL(url);
        let response;
        for (let hop = 0;; hop++) {
            try {
                response = await options.fetch(current, {
                    redirect: 'manual',
                    signal: controller.signal,
                    headers: { 'user-agent': 'secure-image-action', accept: 'application/octet-stream' },
                });
            }
            catch (err) {
                if (controller.signal.aborted)
                    throw controller.signal.reason;
                throw new NetworkError(describeNetworkError(err), { cause: err });
            }
            const location = response.headers.get('location');
            if (response.status < 300 || response.status >= 400 || location === null)
                break;
            await response.body?.cancel().catch(() => undefined);
            const next = new URL(location, current);
            if (!redirectAllowed(origin, next, policy)) {
                throw new RedirectRefusedError(policy.kind === 'same-host'
                    ? `The tool mirror redirected ${current} to ${next.href}, on another host. secure-image does not follow a ` +
                        `\`tool-mirror\` off its own host (${origin.host}): serve the release files from the mirror itself.`
                    : `${current} redirected to ${next.href}; secure-image follows release downloads only to ${[origin.host, ...policy.hosts].join(', ')}.`);
            }
            if (hop + 1 >= MAX_REDIRECTS)
                throw new RedirectRefusedError(`${url} redirected more than ${MAX_REDIRECTS} times.`);
            current = next.href;
            arm();
        }
        if (!response.ok) {
            await response.body?.cancel().catch(() => undefined);
            throw new HttpStatusError(response.status, response.statusText, current);
        }
        const declared = Number(response.headers.get('content-length') ?? Number.NaN);
        if (Number.isFinite(declared) && declared > options.maxBytes) {
            throw new errors/* UserError */.yo(`${current} is ${declared} bytes, more than any release asset (${options.maxBytes}).`);
        }
        const hash = (0,external_node_crypto_.createHash)('sha256');
        let writeError;
        let rejectFailed = () => undefined;
        const failed = new Promise((_, reject) => {
            rejectFailed = reject;
        });
        failed.catch(() => undefined);
        const openFile = () => {
            // A deep buffer: with the default 16 KiB every 64 KiB chunk would wait for its disk write before the next
            // read, one round trip to the thread pool per chunk.
            const file = (0,external_node_fs_.createWriteStream)(dest, { highWaterMark: WRITE_BUFFER_BYTES });
            file.once('error', (error) => {
                writeError = error;
                rejectFailed(error);
            });
            out = file;
            return file;
        };
        let held = holdBytes > 0 ? [] : undefined;
        let heldBytes = 0;
        if (!held)
            openFile();
        sink = makeSink?.();
        if (response.body) {
            try {
                for await (const chunk of response.body) {
                    arm();
                    bytes += chunk.byteLength;
                    if (bytes > options.maxBytes) {
                        throw new errors/* UserError */.yo(`${current} sent more than ${options.maxBytes} bytes, more than any release asset.`);
                    }
                    hash.update(chunk);
                    let drained;
                    if (held && heldBytes + chunk.byteLength <= holdBytes) {
                        held.push(chunk);
                        heldBytes += chunk.byteLength;
                    }
                    else {
                        const file = out ?? openFile();
                        // Too large to hold: what was held goes to disk first, and the rest follows it there.
                        for (const earlier of held ?? [])
                            file.write(earlier);
                        held = undefined;
                        drained = file.write(chunk) ? undefined : Promise.race([(0,external_node_events_.once)(file, 'drain'), failed]);
                    }
                    // The sink works on this chunk while the file write drains: neither waits for the other. (A write
                    // error meanwhile is seen by the await below, not reported as unhandled.)
                    drained?.catch(() => undefined);
                    await sink?.write(chunk);
                    if (drained)
                        await drained;
                }
            }
            catch (err) {
                if (writeError)
                    throw new DiskWriteError(dest, writeError);
                if (controller.signal.aborted)
                    throw controller.signal.reason;
                if (err instanceof errors/* UserError */.yo)
                    throw err;
                throw new NetworkError(`the body of ${current} broke off after ${bytes} bytes: ${describeNetworkError(err)}`, {
                    cause: err,
                });
            }
        }
        if (Number.isFinite(declared) && declared !== bytes) {
            throw new NetworkError(`${current} ended after ${bytes} of ${declared} bytes`);
        }
        // The body is whole: the sink finishes (a signature check reads its end of input) while the file is flushed.
        const closing = sink?.close();
        closing?.catch(() => undefined);
        if (out) {
            await Promise.race([closeStream(out), failed]).catch((err) => {
                throw writeError ? new DiskWriteError(dest, writeError) : err;
            });
        }
        const derived = await closing;
        sink = undefined;
        return { sha256: hash.digest('hex'), bytes, ...(derived ? { derived } : {}), ...(held ? { held } : {}) };
    }
    catch (err) {
        if (out && !out.closed)
            out.destroy();
        // A sink already closing finishes first, then gives up what it made: the download did not complete.
        await sink?.abort();
        await (0,promises_.rm)(dest, { force: true });
        throw err;
    }
    finally {
        if (timer)
            clearTimeout(timer);
        clearTimeout(deadline);
    }
}
/**
 * Fetches release files into one work directory, each URL at most once per run (the same file asked for twice gets
 * the same promise), retrying what may pass on another try.
 */
class Downloader {
    dir;
    options;
    files = new Map();
    fetched = [];
    count = 0;
    constructor(dir, options) {
        this.dir = dir;
        this.options = options;
    }
    /** URLs fetched so far (each once). */
    urls() {
        return this.fetched;
    }
    /**
     * The file at `file.url`, fetched once: a second call for the same URL gets the first call's promise, and its
     * `options` are not used.
     */
    get(file, policy, options = {}) {
        let pending = this.files.get(file.url);
        if (!pending) {
            pending = this.download(file, policy, options);
            this.files.set(file.url, pending);
        }
        return pending;
    }
    async download(file, policy, options) {
        // One folder per URL: two tools may publish files with the same name.
        const folder = (0,external_node_path_.join)(this.dir, String(this.count++));
        const dest = (0,external_node_path_.join)(folder, file.name);
        this.fetched.push(file.url);
        await (0,promises_.mkdir)(folder, { recursive: true });
        let tries = 0;
        try {
            const result = await (0,retry/* retry */.L5)(async (attempt) => {
                tries = attempt;
                return fetchOnce(file.url, dest, policy, this.options, options);
            }, {
                attempts: this.options.attempts,
                baseDelayMs: this.options.baseDelayMs,
                maxDelayMs: this.options.maxDelayMs,
                isTransient: isTransientDownloadError,
                what: `download of ${file.url}`,
                sleep: this.options.sleep,
                onRetry: ({ attempt, delayMs, error }) => this.options.onRetry?.(`download of ${file.url}: ${(0,errors/* errorMessage */.gJ)(error)} (try ${attempt} of ${this.options.attempts}); ` +
                    `trying again in ${formatSeconds(delayMs)}`),
            });
            const { held: body, ...fetched } = result;
            let held = body;
            let written = held ? undefined : Promise.resolve(dest);
            // Written once, however often asked for; the memory is let go once the file is there.
            const onDisk = () => (written ??= writeHeld(dest, held ?? []).finally(() => {
                held = undefined;
            }));
            return { name: file.name, url: file.url, path: dest, onDisk, tries, ...fetched };
        }
        catch (err) {
            if (err instanceof errors/* UserError */.yo)
                throw err;
            const last = err instanceof retry/* RetriesExhaustedError */.i5 ? err.cause : err;
            const status = last instanceof HttpStatusError ? last.status : undefined;
            const message = err instanceof retry/* RetriesExhaustedError */.i5
                ? `${err.message}. The server may be down or throttling: re-run the job, or set \`tool-mirror\` to a mirror of the release files.`
                : `download of ${file.url} failed after ${tries} ${tries === 1 ? 'try' : 'tries'}: ${(0,errors/* errorMessage */.gJ)(err)}.`;
            throw new DownloadError(message, file.url, tries, status, err);
        }
    }
}

;// CONCATENATED MODULE: ./src/tools/platform.ts

/** Every platform the catalog has assets for, in the runner's own spelling for messages. */
const SUPPORTED_PLATFORMS = [
    'linux/amd64',
    'linux/arm64',
    'darwin/amd64',
    'darwin/arm64',
    'windows/amd64',
];
const OS_FROM_RUNNER = {
    linux: 'linux',
    macos: 'darwin',
    windows: 'windows',
};
const ARCH_FROM_RUNNER = { x64: 'amd64', arm64: 'arm64' };
const RUNNER_OS_NAME = {
    linux: 'Linux',
    darwin: 'macOS',
    windows: 'Windows',
};
const RUNNER_ARCH_NAME = { amd64: 'X64', arm64: 'ARM64' };
function describeRunnerPlatform(key) {
    const [os, arch] = key.split('/');
    return `${RUNNER_OS_NAME[os]} ${RUNNER_ARCH_NAME[arch]}`;
}
/**
 * Maps `RUNNER_OS`/`RUNNER_ARCH` to a supported platform. Anything else is an error that names the platform
 * and lists the supported ones, because guessing an asset for an unknown platform would install the wrong binary.
 */
function resolvePlatform(runnerOs, runnerArch, supported = SUPPORTED_PLATFORMS) {
    const os = OS_FROM_RUNNER[runnerOs.trim().toLowerCase()];
    const arch = ARCH_FROM_RUNNER[runnerArch.trim().toLowerCase()];
    const key = os && arch ? `${os}/${arch}` : undefined;
    if (!os || !arch || !key || !supported.includes(key)) {
        const shown = `${runnerOs || '(RUNNER_OS unset)'} ${runnerArch || '(RUNNER_ARCH unset)'}`;
        throw new errors/* UserError */.yo(`secure-image cannot install cosign or a scanner on ${shown} (RUNNER_OS=${JSON.stringify(runnerOs)}, ` +
            `RUNNER_ARCH=${JSON.stringify(runnerArch)}). Supported runners: ${supported.map(describeRunnerPlatform).join(', ')}. ` +
            'On another platform, install the tools yourself and pass them with `cosign-path` and `scanner-path`.');
    }
    return {
        os,
        arch,
        key,
        runnerOs,
        runnerArch,
        cacheArch: runnerArch.trim().toLowerCase(),
        exeSuffix: os === 'windows' ? '.exe' : '',
    };
}

;// CONCATENATED MODULE: ./src/tools/plan.ts

/** The files of a signature, in the order they are fetched. */
function signatureFiles(files) {
    return files.kind === 'bundle' ? [files.bundle] : [files.signature, files.certificate];
}
/**
 * Tool-cache folder names carry a prefix so that another action's `trivy` or `cosign` in a shared cache is never
 * taken for one that secure-image verified (nor evicted by it).
 */
const CACHE_PREFIX = 'secure-image-';
/**
 * Everything about installing one tool that does not touch the network or disk: URLs, file names, the signer
 * expected, and the checks in order. A pinned hash makes the other checks redundant, so it stands alone; otherwise
 * the checksums file and the Sigstore bundle both have to pass.
 */
function planInstall(tool, version, platform, mirror, catalog) {
    const release = catalog.tools[tool];
    const tag = tagOf(release, version);
    const asset = assetFor(release, version, platform.key);
    const base = (mirror ?? catalog.github.baseUrl).replace(/\/+$/, '');
    const file = (name) => ({
        name,
        url: `${base}/${release.repo}/releases/download/${encodeURIComponent(tag)}/${encodeURIComponent(name)}`,
    });
    const values = { version, tag, asset: asset.name };
    const pinned = pinnedHash(release, version, platform.key);
    const verification = [];
    if (pinned !== undefined) {
        verification.push({ kind: 'pinned-sha256', sha256: pinned.toLowerCase() });
    }
    else {
        const signature = signatureFor(release, version);
        const named = (template) => file(expand(template, values));
        verification.push({ kind: 'checksums-file', file: named(release.checksums) });
        verification.push({
            kind: 'signature',
            files: signature.files.kind === 'bundle'
                ? { kind: 'bundle', bundle: named(signature.files.bundle) }
                : {
                    kind: 'signature-and-certificate',
                    signature: named(signature.files.signature),
                    certificate: named(signature.files.certificate),
                },
            covers: signature.covers,
            signer: {
                identity: expand(signature.signer.identity, values),
                issuer: expand(signature.signer.issuer, values),
            },
        });
    }
    const assetFile = file(asset.name);
    const downloads = [assetFile];
    for (const step of verification) {
        if (step.kind === 'checksums-file')
            downloads.push(step.file);
        if (step.kind === 'signature')
            downloads.push(...signatureFiles(step.files));
    }
    return {
        tool,
        repo: release.repo,
        version,
        tag,
        platform,
        asset: { ...assetFile, archive: asset.archive, binaryPath: asset.binaryPath },
        binaryName: `${tool}${platform.exeSuffix}`,
        cache: { tool: `${CACHE_PREFIX}${tool}`, version, arch: platform.cacheArch },
        verification,
        downloads,
        redirects: mirror === undefined ? { kind: 'hosts', hosts: catalog.github.redirectHosts } : { kind: 'same-host' },
        source: mirror === undefined ? 'github' : 'mirror',
    };
}
/** What a verification step proves, for the summary and the log. */
function describeStep(step, plan, verifier) {
    switch (step.kind) {
        case 'pinned-sha256':
            return `SHA-256 ${step.sha256} matches the hash embedded in secure-image`;
        case 'checksums-file':
            return `SHA-256 of ${plan.asset.name} matches ${step.file.name}`;
        case 'signature': {
            const what = step.covers === 'asset' ? plan.asset.name : (checksumsName(plan) ?? 'the checksums file');
            const by = verifier ? ` by ${verifier}` : '';
            const files = step.files.kind === 'bundle'
                ? `Sigstore bundle ${step.files.bundle.name}`
                : `Signature ${step.files.signature.name} with certificate ${step.files.certificate.name}`;
            return `${files} verified${by} for ${what}: signed by ${step.signer.identity} (issuer ${step.signer.issuer})`;
        }
    }
}
function checksumsName(plan) {
    for (const step of plan.verification)
        if (step.kind === 'checksums-file')
            return step.file.name;
    return undefined;
}

// EXTERNAL MODULE: ../main/node_modules/@sigstore/bundle/dist/index.js
var dist = __webpack_require__(176);
;// CONCATENATED MODULE: ./src/tools/signature-material.ts





/**
 * Signature files are checked here before any cosign reads them, whatever cosign version runs: GHSA-fx35-mq7g-6g98
 * let cosign before v3.1.3 take a bare public key from a legacy bundle's certificate field and skip the chain and
 * identity checks, so a bundle that holds anything but a certificate must never reach cosign at all.
 */
/** The media types of Sigstore protobuf bundles (v0.1 to v0.3); cosign's older `.bundle` JSON has none. */
const MEDIA_TYPES = new Set([
    dist/* BUNDLE_V01_MEDIA_TYPE */.Td,
    dist/* BUNDLE_V02_MEDIA_TYPE */.qx,
    dist/* BUNDLE_V03_LEGACY_MEDIA_TYPE */.ZZ,
    dist/* BUNDLE_V03_MEDIA_TYPE */.HM,
]);
/** A signature file that is not what a keyless release signature must be. Never retried. */
class SignatureMaterialError extends errors/* UserError */.yo {
    constructor(message) {
        super(message);
        this.name = 'SignatureMaterialError';
    }
}
function refuse(file, url, why) {
    return new SignatureMaterialError(`${(0,external_node_path_.basename)(file)}${url ? ` (${url})` : ''} is refused before any cosign reads it: ${why}. A keyless release ` +
        'signature carries a Fulcio X.509 certificate (a Sigstore bundle: with a transparency-log entry or a signed ' +
        'timestamp). Nothing was cached; if a `tool-mirror` serves this file, replace it with the file of the release.');
}
function isCertificate(der) {
    try {
        new external_node_crypto_.X509Certificate(der);
        return true;
    }
    catch {
        return false;
    }
}
/** The certificates a bundle carries, or the reason it carries none. */
function certificatesOf(bundle) {
    const material = bundle.verificationMaterial.content;
    switch (material.$case) {
        case 'certificate':
            return [material.certificate.rawBytes];
        case 'x509CertificateChain':
            return material.x509CertificateChain.certificates.map((c) => c.rawBytes);
        case 'publicKey':
            return 'its verification material is a bare public key, not a certificate';
    }
}
/**
 * Refuses a `.sigstore.json` that is not a Sigstore protobuf bundle (v0.1–v0.3 media type) signed with a certificate
 * (or chain) and logged (a transparency-log entry) or timestamped (an RFC 3161 timestamp). The cryptography is
 * cosign's to check; this only makes sure it checks a certificate.
 */
async function assertKeylessBundle(path, url) {
    let json;
    try {
        json = JSON.parse(await (0,promises_.readFile)(path, 'utf8'));
    }
    catch (err) {
        throw refuse(path, url, `it is not JSON (${(0,errors/* errorMessage */.gJ)(err)})`);
    }
    const mediaType = json?.mediaType;
    if (typeof mediaType !== 'string' || !MEDIA_TYPES.has(mediaType)) {
        throw refuse(path, url, typeof mediaType === 'string'
            ? `its media type ${JSON.stringify(mediaType)} is not a Sigstore bundle's`
            : 'it has no Sigstore bundle media type (a legacy cosign bundle, or another format)');
    }
    let bundle;
    try {
        bundle = (0,dist/* bundleFromJSON */.vw)(json);
    }
    catch (err) {
        const fields = err.fields;
        throw refuse(path, url, `it is not a well-formed Sigstore bundle (${(0,errors/* errorMessage */.gJ)(err)}${Array.isArray(fields) ? `: ${fields.join(', ')}` : ''})`);
    }
    const certificates = certificatesOf(bundle);
    if (typeof certificates === 'string')
        throw refuse(path, url, certificates);
    if (certificates.length === 0 || !certificates.every(isCertificate)) {
        throw refuse(path, url, 'its certificate field holds something that is not an X.509 certificate');
    }
    const logged = bundle.verificationMaterial.tlogEntries.length > 0;
    const timestamped = (bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length ?? 0) > 0;
    if (!logged && !timestamped) {
        throw refuse(path, url, 'it has neither a transparency-log entry nor a signed timestamp');
    }
}
/**
 * Refuses a goreleaser `.pem` (`cosign sign-blob --output-certificate`: PEM, itself base64-encoded) that is not an
 * X.509 certificate: a public key there would have cosign check a signature without a certificate's identity.
 */
async function assertCertificateFile(path, url) {
    const text = (await (0,promises_.readFile)(path, 'utf8')).trim();
    const pem = text.startsWith('-----BEGIN') ? text : Buffer.from(text, 'base64').toString('utf8');
    const blocks = [...pem.matchAll(/-----BEGIN ([A-Z ]+)-----\r?\n([\s\S]*?)-----END \1-----/g)];
    if (blocks.length === 0)
        throw refuse(path, url, 'it holds no PEM certificate');
    for (const [, label, body] of blocks) {
        if (label !== 'CERTIFICATE' || !isCertificate(Buffer.from(body ?? '', 'base64'))) {
            throw refuse(path, url, `it holds a ${label ?? 'PEM block'}, not an X.509 certificate`);
        }
    }
}

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./src/tools/untar.ts





/** The archive is a valid tar.gz but holds no regular file under the name asked for. */
class MissingMemberError extends Error {
    constructor(member, found) {
        super(found ? `${member} is a ${found}, not a regular file` : `there is no ${member} in it`);
        this.name = 'MissingMemberError';
    }
}
const BLOCK = 512;
const EMPTY = Buffer.alloc(0);
// Metadata entries (long names, pax headers) are a few hundred bytes; more is not a release archive.
const MAX_META_BYTES = 1024 * 1024;
/** Pulls exact byte counts out of a stream of chunks. */
class ByteReader {
    source;
    buf = EMPTY;
    constructor(source) {
        this.source = source;
    }
    async fill() {
        const next = await this.source.next();
        if (next.done)
            return false;
        this.buf = this.buf.length === 0 ? next.value : Buffer.concat([this.buf, next.value]);
        return true;
    }
    /** Exactly `n` bytes, or undefined when the stream ends first (with nothing read: `atEnd`). */
    async exact(n) {
        while (this.buf.length < n) {
            if (!(await this.fill()))
                return { atEnd: this.buf.length === 0 };
        }
        const bytes = this.buf.subarray(0, n);
        this.buf = this.buf.subarray(n);
        return { bytes, atEnd: false };
    }
    /** Hands the next `n` bytes to `each`, piece by piece; false when the stream ends first. */
    async pass(n, each) {
        let left = n;
        while (left > 0) {
            if (this.buf.length === 0 && !(await this.fill()))
                return false;
            const piece = this.buf.subarray(0, Math.min(left, this.buf.length));
            this.buf = this.buf.subarray(piece.length);
            left -= piece.length;
            if (each)
                await each(piece);
        }
        return true;
    }
    async drain() {
        this.buf = EMPTY;
        while (!(await this.source.next()).done) {
            // Read to the end, so that the gzip trailer (CRC and length) is checked.
        }
    }
}
const untar_text = (field) => {
    const end = field.indexOf(0);
    return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
};
/** A numeric header field: octal text, or GNU base-256 when the top bit of the first byte is set. */
function numeric(field) {
    if ((field[0] ?? 0) & 0x80) {
        let value = (field[0] ?? 0) & 0x7f;
        for (const byte of field.subarray(1))
            value = value * 256 + byte;
        return value;
    }
    const digits = untar_text(field).trim();
    if (!/^[0-7]*$/.test(digits))
        throw new Error(`a tar header holds a bad number (${JSON.stringify(digits)})`);
    return digits === '' ? 0 : parseInt(digits, 8);
}
function checksumHolds(header) {
    let sum = 0;
    for (let i = 0; i < BLOCK; i++)
        sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
    try {
        return sum === numeric(header.subarray(148, 156));
    }
    catch {
        return false;
    }
}
/** pax extended header records: `<length> <key>=<value>\n`. */
function paxRecords(data) {
    const records = new Map();
    let at = 0;
    while (at < data.length) {
        const space = data.indexOf(0x20, at);
        const length = Number(data.subarray(at, space).toString('ascii'));
        if (space === -1 || !Number.isInteger(length) || length <= 0)
            break;
        const record = data.subarray(space + 1, at + length - 1).toString('utf8');
        const eq = record.indexOf('=');
        if (eq > 0)
            records.set(record.slice(0, eq), record.slice(eq + 1));
        at += length;
    }
    return records;
}
/** How tar names an entry on extraction: no leading `/` or `./`. */
const normalise = (name) => name.replace(/^(?:\.?\/)+/, '');
/**
 * Writes `dest` through a deeply buffered stream: `produce` waits on the disk only when 4 MiB are pending, not on
 * every piece. Resolves once the file is closed; rejects (and leaves the file to the caller) on a write error.
 */
async function writeWhole(dest, produce) {
    const out = (0,external_node_fs_.createWriteStream)(dest, { highWaterMark: 4 * 1024 * 1024 });
    let failure;
    const failed = new Promise((_, reject) => out.once('error', (err) => {
        failure = err;
        reject(err);
    }));
    failed.catch(() => undefined);
    try {
        await produce(async (piece) => {
            if (failure)
                throw failure;
            if (!out.write(piece))
                await Promise.race([(0,external_node_events_.once)(out, 'drain'), failed]);
        });
        out.end();
        await Promise.race([(0,external_node_events_.once)(out, 'close'), failed]);
    }
    catch (err) {
        out.destroy();
        throw err;
    }
}
const TYPE_NAMES = {
    '1': 'hard link',
    '2': 'symbolic link',
    '3': 'character device',
    '4': 'block device',
    '5': 'directory',
    '6': 'FIFO',
};
/**
 * Reads a tar stream and writes the regular file named `member` to `dest`, hashing it on the way; every other entry
 * is skipped, so nothing but that one file is ever written, whatever names the archive holds. As with `tar -x`, the
 * last entry of that name wins: a link or directory after the file means there is no file.
 */
async function extractMember(source, member, dest, maxBytes) {
    const reader = new ByteReader(source[Symbol.asyncIterator]());
    let found;
    let foundOther;
    let longName;
    let pax = new Map();
    const meta = async (size) => {
        if (size > MAX_META_BYTES)
            throw new Error(`a tar metadata entry of ${size} bytes`);
        const { bytes } = await reader.exact(size);
        if (!bytes)
            throw new Error('the tar stream ends inside an entry');
        await reader.pass((BLOCK - (size % BLOCK)) % BLOCK);
        return bytes;
    };
    for (;;) {
        const { bytes: header, atEnd } = await reader.exact(BLOCK);
        if (!header) {
            if (atEnd)
                break;
            throw new Error('the tar stream ends inside a header');
        }
        if (header.every((b) => b === 0))
            break;
        if (!checksumHolds(header))
            throw new Error('a tar header checksum does not match: not a tar archive');
        const type = String.fromCharCode(header[156] ?? 0);
        const ownSize = numeric(header.subarray(124, 136));
        // Metadata entries (a GNU long name, pax headers) describe the entry that follows them.
        if (type === 'L') {
            longName = untar_text(await meta(ownSize));
            continue;
        }
        if (type === 'x') {
            pax = paxRecords(await meta(ownSize));
            continue;
        }
        if (type === 'K' || type === 'g') {
            await meta(ownSize);
            continue;
        }
        const size = Number(pax.get('size') ?? ownSize);
        if (!Number.isSafeInteger(size) || size < 0 || size > maxBytes) {
            throw new Error(`a tar entry claims ${size} bytes`);
        }
        const ustar = header.subarray(257, 263).toString('latin1') === 'ustar\0';
        const prefix = ustar ? untar_text(header.subarray(345, 500)) : '';
        const raw = pax.get('path') ??
            longName ??
            (prefix ? `${prefix}/${untar_text(header.subarray(0, 100))}` : untar_text(header.subarray(0, 100)));
        longName = undefined;
        pax = new Map();
        const padding = (BLOCK - (size % BLOCK)) % BLOCK;
        const regular = type === '0' || type === '\0' || type === '7';
        if (normalise(raw) !== member) {
            if (!(await reader.pass(size + padding)))
                throw new Error('the tar stream ends inside an entry');
            continue;
        }
        if (!regular) {
            foundOther = TYPE_NAMES[type] ?? `entry of type ${JSON.stringify(type)}`;
            found = undefined;
            if (!(await reader.pass(size + padding)))
                throw new Error('the tar stream ends inside an entry');
            continue;
        }
        const hash = (0,external_node_crypto_.createHash)('sha256');
        await writeWhole(dest, async (write) => {
            const complete = await reader.pass(size, async (piece) => {
                hash.update(piece);
                await write(piece);
            });
            if (!complete)
                throw new Error('the tar stream ends inside an entry');
        });
        found = { path: dest, sha256: hash.digest('hex'), bytes: size };
        foundOther = undefined;
        await reader.pass(padding);
    }
    await reader.drain();
    if (!found)
        throw new MissingMemberError(member, foundOther);
    return found;
}
/**
 * A sink that gunzips and untars a `.tar.gz` while it downloads and keeps one file of it. The bytes are not yet
 * verified while this runs: it only writes `dest` (in a staging folder nothing looks into), and the caller uses the
 * result only after the archive's checksum and signature passed.
 */
function tarGzMemberSink(member, dest, maxBytes) {
    // Output in 1 MiB pieces: each piece is a round trip to the thread pool, and with 64 KiB ones inflating took half
    // as much CPU again. Up to 1 MiB of input is queued before the download loop waits for inflation (zlib hands
    // stream options such as highWaterMark on to its Transform; its type does not list them).
    const options = { chunkSize: 1024 * 1024, highWaterMark: 1024 * 1024 };
    const gunzip = (0,external_node_zlib_.createGunzip)(options);
    let unpacked = 0;
    async function* counted() {
        for await (const chunk of gunzip) {
            unpacked += chunk.length;
            // A small archive that inflates without end is not a release archive.
            if (unpacked > maxBytes)
                throw new Error(`it unpacks to more than ${maxBytes} bytes`);
            yield chunk;
        }
    }
    let error;
    const done = extractMember(counted(), normalise(member), dest, maxBytes).then((value) => ({ ok: true, value }), (err) => {
        error = err;
        gunzip.destroy();
        return { ok: false, error: err };
    });
    const stopped = done.then(() => undefined);
    return {
        async write(chunk) {
            if (error !== undefined || gunzip.destroyed)
                return;
            if (!gunzip.write(chunk)) {
                await Promise.race([(0,external_node_events_.once)(gunzip, 'drain').catch(() => undefined), stopped]);
            }
        },
        async close() {
            if (error === undefined && !gunzip.destroyed)
                gunzip.end();
            const result = await done;
            if (!result.ok)
                await (0,promises_.rm)(dest, { force: true });
            return result;
        },
        async abort() {
            gunzip.destroy();
            await done;
            await (0,promises_.rm)(dest, { force: true });
        },
    };
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
;// CONCATENATED MODULE: ./src/tools/verify-blob.ts





/** The signature files, for messages. */
function describeMaterial(material) {
    return material.kind === 'bundle'
        ? `bundle ${material.bundle}`
        : `signature ${material.signature}, certificate ${material.certificate}`;
}
/**
 * Checks the signature files before cosign reads them (see signature-material.ts): a bundle must carry a certificate
 * and a log entry or timestamp, a `.pem` a certificate.
 */
async function assertMaterial(material) {
    if (material.kind === 'bundle')
        await assertKeylessBundle(material.bundle);
    else
        await assertCertificateFile(material.certificate);
}
/**
 * argv for `cosign verify-blob` with an exact keyless signer. A Sigstore bundle carries the certificate, signature
 * and transparency-log proof. Releases signed before bundles (grype before v0.120.0) publish a signature and a
 * certificate instead: `--signature`/`--certificate` are deprecated in v3 and missing from its reference page, but
 * the binary accepts them, and it looks the signature up in Rekor itself.
 */
function verifyBlobArgs(request, source = 'file') {
    const { material } = request;
    return [
        'verify-blob',
        ...(material.kind === 'bundle'
            ? ['--bundle', material.bundle]
            : ['--signature', material.signature, '--certificate', material.certificate]),
        '--certificate-identity',
        request.signer.identity,
        '--certificate-oidc-issuer',
        request.signer.issuer,
        source === 'stdin' ? '-' : request.blob,
    ];
}
/** cosign said the signature does not hold. Never retried. */
class SignatureError extends errors/* UserError */.yo {
    constructor(message) {
        super(message);
        this.name = 'SignatureError';
    }
}
/** cosign could not reach a verdict (Sigstore's trust root out of reach, every try). Not a no: nothing is evicted. */
class SignatureUnavailableError extends errors/* UserError */.yo {
    constructor(message) {
        super(message);
        this.name = 'SignatureUnavailableError';
    }
}
class TransientVerifyError extends Error {
}
/** cosign itself would not start: not a verdict on the signature. */
class CosignNotRunError extends Error {
}
/** The blob's file could not be put in place for cosign: not a verdict either; its own error is what the user sees. */
class BlobNotWrittenError extends Error {
}
const TIMEOUT_MS = 120_000;
/** What one run of verify-blob said: the signature holds, it does not, or the run could not tell (network). */
function verdictOf(result) {
    if (result.exitCode === 0)
        return 'passed';
    return result.timedOut || (0,retry/* isTransientText */.KL)(`${result.stderr}\n${result.stdout}`) ? 'transient' : 'refused';
}
/**
 * Runs `cosign verify-blob` on the file. The environment is the exec wrapper's base only: a `COSIGN_*` variable on
 * the runner would set a flag (e.g. `COSIGN_INSECURE_IGNORE_TLOG`) and weaken the check. Network trouble fetching
 * Sigstore's trust root is tried again; a signature that does not verify is not.
 */
async function verifyBlob(cosign, request, options = {}) {
    const exec = options.exec ?? util_exec/* execTool */.wc;
    const attempts = options.attempts ?? 3;
    await assertMaterial(request.material);
    let last;
    try {
        await (0,retry/* retry */.L5)(async (attempt) => {
            if (attempt === 1 && options.first) {
                last = options.first;
            }
            else {
                await options.blobOnDisk?.().catch((err) => {
                    throw new BlobNotWrittenError((0,errors/* errorMessage */.gJ)(err), { cause: err });
                });
                try {
                    last = await exec({
                        command: cosign,
                        args: verifyBlobArgs(request),
                        env: {},
                        timeoutMs: options.timeoutMs ?? TIMEOUT_MS,
                        label: 'cosign verify-blob',
                    });
                }
                catch (err) {
                    throw new CosignNotRunError(`could not run cosign at ${cosign} to verify ${request.blob}: ${(0,errors/* errorMessage */.gJ)(err)}`);
                }
            }
            const verdict = verdictOf(last);
            if (verdict === 'passed')
                return;
            const text = `${last.stderr}\n${last.stdout}`;
            if (verdict === 'transient')
                throw new TransientVerifyError((0,util_exec/* tailLines */.os)(text, 3));
            throw new SignatureError((0,util_exec/* tailLines */.os)(text, 5) || `exit code ${last.exitCode}`);
        }, {
            attempts,
            baseDelayMs: 2_000,
            maxDelayMs: 10_000,
            isTransient: (err) => err instanceof TransientVerifyError,
            what: 'cosign verify-blob',
            sleep: options.sleep,
        });
    }
    catch (err) {
        if (err instanceof CosignNotRunError)
            throw err;
        if (err instanceof BlobNotWrittenError)
            throw err.cause;
        const detail = err instanceof Error ? err.message : String(err);
        const message = `cosign verify-blob did not accept the signature of ${request.blob} (${describeMaterial(request.material)}, expected signer ` +
            `${request.signer.identity}, issuer ${request.signer.issuer})${last ? `, exit code ${last.exitCode}` : ''}:\n${detail}`;
        // Tries that all ended on network trouble are no verdict: a cached tool is then not evicted for it.
        if (err instanceof retry/* RetriesExhaustedError */.i5)
            throw new SignatureUnavailableError(message);
        throw new SignatureError(message);
    }
}
/**
 * A download sink that has `cosign verify-blob … -` read the body while it arrives, so that the signature check
 * ends with the last byte instead of starting after it. cosign starts once `target` is known (the verifying cosign
 * installed, the bundle downloaded); the body waits for it in memory, up to `maxQueuedBytes`. The sink never slows
 * the download: when cosign falls that far behind, the streamed check is given up and the caller checks the file.
 * Like every sink, its result is used only after the body's checksum matched.
 */
function verifyBlobSink(target, options) {
    const exec = options.exec ?? util_exec/* execTool */.wc;
    const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
    const input = new external_node_stream_.PassThrough({ highWaterMark: 1024 * 1024 });
    let inputEnded = false;
    input.once('end', () => {
        inputEnded = true;
    });
    let gaveUp;
    let started = false;
    let closed = false;
    let answered = false;
    // cosign v3 fetches Sigstore's trust root before it reads stdin, so the end of its input may never come: the time
    // limit counts from the end of the download (or cosign's start, if later), not from the end of what it read.
    const stop = new AbortController();
    let timer;
    const armTimeout = () => {
        if (started && closed && !timer && !answered)
            timer = setTimeout(() => stop.abort(), timeoutMs);
    };
    const notStreamed = (why) => ({
        ok: true,
        value: { kind: 'not-streamed', why },
    });
    const giveUp = (why) => {
        gaveUp ??= why;
        input.destroy();
    };
    const run = target
        .then(async ({ cosign, request }) => {
        // A refused signature file is the install's error, not a reason to try the file instead. Checked first: the
        // sink may give up while this runs, and then no cosign must start.
        await assertMaterial(request.material);
        if (gaveUp !== undefined)
            return notStreamed(gaveUp);
        started = true;
        armTimeout();
        let result;
        try {
            result = await exec({
                command: cosign,
                args: verifyBlobArgs(request, 'stdin'),
                env: {},
                stdin: input,
                timeoutMs,
                signal: stop.signal,
                label: 'cosign verify-blob',
            });
        }
        finally {
            answered = true;
            clearTimeout(timer);
        }
        // Stopped (the download broke off, cosign fell behind, or it ran out of time): no verdict at all.
        if (result.signal !== null || result.aborted) {
            giveUp(`cosign did not answer within ${timeoutMs / 1000} s of the end of the download`);
            return notStreamed(gaveUp ?? '');
        }
        // A no is a no, however much cosign had read. A yes, or a failure to get as far as a verdict, counts only
        // for the whole body: anything less says nothing about the file, which is then checked instead.
        if (verdictOf(result) === 'refused')
            return { ok: true, value: { kind: 'ran', result } };
        if (gaveUp !== undefined)
            return notStreamed(gaveUp);
        if (!inputEnded) {
            giveUp('cosign answered before it was handed the whole download');
            return notStreamed(gaveUp ?? '');
        }
        return { ok: true, value: { kind: 'ran', result } };
    })
        .catch((error) => {
        giveUp(`cosign could not check the download as it arrived: ${(0,errors/* errorMessage */.gJ)(error)}`);
        return { ok: false, error };
    });
    return {
        write(chunk) {
            if (gaveUp !== undefined || answered)
                return Promise.resolve();
            if (input.writableLength + input.readableLength + chunk.byteLength > options.maxQueuedBytes) {
                giveUp(`cosign fell more than ${options.maxQueuedBytes} bytes behind the download`);
            }
            else {
                input.write(chunk);
            }
            return Promise.resolve();
        },
        async close() {
            closed = true;
            if (gaveUp === undefined)
                input.end();
            // Given up before cosign started: nothing to wait for (cosign may still be installing).
            if (gaveUp !== undefined && !started)
                return notStreamed(gaveUp);
            armTimeout();
            return run;
        },
        async abort() {
            giveUp('the download broke off');
            if (started)
                await run;
        },
    };
}

;// CONCATENATED MODULE: ./src/tools/reverify.ts











/**
 * A cache entry of a tool that is not pinned by hash keeps what it was verified with, in this folder beside the
 * binary: the release asset (for an archive), the checksums file and the signature files. The install record sits in
 * the same writable folder, so a cache hit trusts none of it: it verifies these files again, with the bootstrap cosign
 * (itself checked against the hash embedded in secure-image) and the signer from the catalog, and checks that the
 * cached binary is what the verified asset holds. Someone who can write the cache can change these files, but cannot
 * make new ones that pass.
 */
const EVIDENCE_DIR = 'secure-image-evidence';
/** The plan's checksums and signature steps (a plan without a pinned hash has one of each). */
function signedSteps(plan) {
    let checksums;
    let signature;
    for (const step of plan.verification) {
        if (step.kind === 'checksums-file')
            checksums = step.file;
        if (step.kind === 'signature')
            signature = step;
    }
    if (!checksums || !signature)
        throw new Error(`internal: ${plan.tool} ${plan.version} is not verified by signature`);
    return { checksums, signature };
}
/** Where a signature's files are, given where each release file is. */
function materialAt(step, at) {
    return step.files.kind === 'bundle'
        ? { kind: 'bundle', bundle: at(step.files.bundle) }
        : {
            kind: 'signature-and-certificate',
            signature: at(step.files.signature),
            certificate: at(step.files.certificate),
        };
}
/**
 * Copies the verified files into the staged entry's evidence folder. `pathOf` gives each release file's verified
 * copy on disk (the asset's is written from memory if it was held there).
 */
async function keepEvidence(plan, stagedDir, pathOf) {
    const { checksums, signature } = signedSteps(plan);
    const dir = (0,external_node_path_.join)(stagedDir, EVIDENCE_DIR);
    await (0,promises_.mkdir)(dir, { recursive: true });
    const files = [checksums, ...signatureFiles(signature.files)];
    // A bare binary is its own asset: the cached binary is what gets hashed again.
    if (plan.asset.archive !== 'binary')
        files.push(plan.asset);
    for (const file of files)
        await (0,promises_.copyFile)(await pathOf(file), (0,external_node_path_.join)(dir, file.name));
}
/** The SHA-256 of a kept asset and of the binary it holds, in one read of the asset. */
async function hashAsset(plan, asset, ctx) {
    const scratch = await (0,promises_.mkdtemp)((0,external_node_path_.join)(ctx.workDir, `reverify-${plan.tool}-`));
    if (plan.asset.archive === 'zip') {
        const binary = await sha256File(await zipMember(plan, asset, scratch));
        return { asset: await sha256File(asset), binary };
    }
    const hash = (0,external_node_crypto_.createHash)('sha256');
    const sink = plan.asset.archive === 'tar.gz'
        ? tarGzMemberSink(plan.asset.binaryPath, (0,external_node_path_.join)(scratch, 'member'), ctx.maxBytes)
        : undefined;
    for await (const chunk of (0,external_node_fs_.createReadStream)(asset)) {
        hash.update(chunk);
        await sink?.write(chunk);
    }
    const assetHash = hash.digest('hex');
    if (!sink)
        return { asset: assetHash, binary: assetHash };
    const unpacked = await sink.close();
    if (!unpacked.ok) {
        throw new CheckFailedError(`${plan.asset.name} in the cache does not unpack: ${(0,errors/* errorMessage */.gJ)(unpacked.error)}`);
    }
    return { asset: assetHash, binary: unpacked.value.sha256 };
}
/**
 * Verifies a cache entry again from its evidence (see EVIDENCE_DIR) and returns what passed. A `CheckFailedError`,
 * `SignatureError` or `SignatureMaterialError` means the entry is not to be used; anything else (the bootstrap cosign
 * could not be installed, cosign could not reach Sigstore) fails the install and leaves the entry alone.
 */
async function reverifyCached(plan, entry, ctx) {
    const { checksums, signature } = signedSteps(plan);
    const at = (file) => (0,external_node_path_.join)(entry.dir, EVIDENCE_DIR, file.name);
    const asset = plan.asset.archive === 'binary' ? entry.binaryPath : at(plan.asset);
    const cosign = ctx.verifier();
    cosign.catch(() => undefined);
    const hashes = await hashAsset(plan, asset, ctx).catch((err) => {
        // Entries cached before the evidence was kept, or with it removed, cannot be verified again.
        if (err.code !== 'ENOENT')
            throw err;
        throw new CheckFailedError(`the cache entry lacks what it was verified with (${(0,errors/* errorMessage */.gJ)(err)})`);
    });
    const listed = await listedHash(plan, checksums, at(checksums));
    if (listed !== hashes.asset) {
        throw new CheckFailedError(`${plan.asset.name} in the cache has SHA-256 ${hashes.asset}; ${checksums.name} lists ${listed}`);
    }
    if (hashes.binary !== entry.sha256) {
        throw new CheckFailedError(`${entry.binaryPath} (SHA-256 ${entry.sha256}) is not the ${plan.asset.binaryPath || plan.binaryName} that the ` +
            `verified ${plan.asset.name} holds (SHA-256 ${hashes.binary})`);
    }
    const blob = signature.covers === 'asset' ? asset : at(checksums);
    const verifier = await cosign;
    await verifyBlob(verifier.path, { blob, material: materialAt(signature, at), signer: signature.signer }, { exec: ctx.exec, ...(ctx.sleep ? { sleep: ctx.sleep } : {}) });
    await assertCosignVersion(plan, entry.binaryPath, ctx.exec);
    return [
        `${describeStep({ kind: 'checksums-file', file: checksums }, plan)} (kept in the tool cache)`,
        `${describeStep(signature, plan, `cosign ${verifier.version}`)} (kept in the tool cache)`,
        `SHA-256 ${entry.sha256} of the cached binary is the one ${plan.asset.name} holds`,
    ];
}
/** Whether `reverifyCached` refused the entry (rather than being unable to check it). */
function isRefusedEntry(err) {
    return (err instanceof CheckFailedError || err instanceof SignatureError || err instanceof SignatureMaterialError);
}

// EXTERNAL MODULE: ./src/util/log.ts + 1 modules
var log = __webpack_require__(4174);
;// CONCATENATED MODULE: ./src/tools/install.ts



















const coreLog = { info: (m) => (0,log/* logInfo */.fH)(m), warning: (m) => core/* warning */.$e(m) };
const elapsed = (start) => Math.round(performance.now() - start);
const SCANNER_VERSION_INPUT = 'scanner-version';
/**
 * A scanner's archive (tens of MB) waits in memory for its signature check, if cosign is not yet reading; a larger
 * backlog is left for cosign to read from the file once the download is over.
 */
const STREAM_QUEUE_BYTES = 128 * 1024 * 1024;
/**
 * Installs cosign and the scanner through the tool cache, verifying every byte before anything is cached:
 * the bootstrap cosign against the hash embedded here, everything else by checksum and a Sigstore signature that
 * the bootstrap cosign checks. cosign and the scanner install concurrently, with one ordering on the wire: the
 * bootstrap cosign's asset downloads first, while the other tools' checksums files and bundles come alongside, and
 * their assets follow it. Everything waits for that cosign (the base-image checks and the build behind them, every
 * signature check), and it is the largest file, so on a link that the downloads share it gets the whole link; the
 * assets after it are then read by their signature check (`cosign verify-blob -`) while they arrive, and an install
 * is done about when its last byte is in. Where every connection has a bandwidth of its own, the scanner's archive
 * arrives later by its own transfer time instead, beside the base-image checks and the build.
 */
async function installTools(request, deps = {}) {
    const catalog = deps.catalog ?? DEFAULT_CATALOG;
    const log = deps.log ?? coreLog;
    const exec = deps.exec ?? util_exec/* execTool */.wc;
    // Everything a user can get wrong is checked before the first byte moves.
    const needCosign = request.needCosign ?? true;
    const cosignWanted = needCosign && request.cosignPath === undefined
        ? normalizeVersion(request.cosignVersion ?? catalog.tools.cosign.defaultVersion, 'cosign-version')
        : undefined;
    if (cosignWanted !== undefined) {
        assertNotRefused(catalog.tools.cosign, cosignWanted, 'cosign-version');
        const warning = versionWarning(catalog.tools.cosign, cosignWanted, 'cosign-version');
        if (warning)
            log.warning(warning);
    }
    const scanner = request.scanner === 'none' ? undefined : request.scanner;
    const scannerWanted = scanner !== undefined && request.scannerPath === undefined
        ? normalizeVersion(request.scannerVersion ?? catalog.tools[scanner].defaultVersion, SCANNER_VERSION_INPUT)
        : undefined;
    if (scanner !== undefined && scannerWanted !== undefined) {
        assertNotRefused(catalog.tools[scanner], scannerWanted, SCANNER_VERSION_INPUT);
    }
    const installs = cosignWanted !== undefined || scannerWanted !== undefined;
    const platform = installs ? resolvePlatform(request.runnerOs, request.runnerArch) : undefined;
    const workRoot = deps.tempDir ?? process.env.RUNNER_TEMP ?? (0,external_node_os_.tmpdir)();
    await (0,promises_.mkdir)(workRoot, { recursive: true });
    const workDir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(workRoot, 'secure-image-tools-'));
    let staging;
    const downloadOptions = { ...DEFAULT_DOWNLOAD_OPTIONS, ...deps.download };
    const ctx = {
        catalog,
        exec,
        sleep: deps.sleep,
        log,
        workDir,
        stagingRoot: () => (staging ??= createStagingRoot()),
        maxBytes: downloadOptions.maxBytes,
        maxStreamQueue: deps.streamQueueBytes ?? Math.min(downloadOptions.maxBytes, STREAM_QUEUE_BYTES),
        ...(deps.onCosign ? { onCosign: deps.onCosign } : {}),
        downloader: new Downloader((0,external_node_path_.join)(workDir, 'downloads'), {
            ...downloadOptions,
            fetch: deps.fetch ?? (0,http/* proxyAwareFetch */.F)(),
            sleep: deps.sleep,
            onRetry: (m) => log.info(m),
        }),
    };
    try {
        return await run(request, ctx, platform, needCosign, cosignWanted, scanner, scannerWanted);
    }
    finally {
        await (0,promises_.rm)(workDir, { recursive: true, force: true });
        // What is left of the staging folder is what failed; published entries were renamed out of it.
        const stagingRoot = await staging?.catch(() => undefined);
        if (stagingRoot)
            await (0,promises_.rm)(stagingRoot, { recursive: true, force: true });
    }
}
async function run(request, ctx, platform, needCosign, cosignWanted, scanner, scannerWanted) {
    const { catalog } = ctx;
    const mirror = request.toolMirror;
    const plan = (tool, version) => {
        if (!platform)
            throw new Error('internal: a tool is installed without a platform');
        return planInstall(tool, version, platform, mirror, catalog);
    };
    const bootstrapVersion = catalog.tools.cosign.defaultVersion;
    const cosignPlan = cosignWanted !== undefined ? plan('cosign', cosignWanted) : undefined;
    const scannerPlan = scanner !== undefined && scannerWanted !== undefined ? plan(scanner, scannerWanted) : undefined;
    // The bootstrap cosign verifies every signature. It is installed at most once, by whichever task first needs
    // it, and as soon as that task knows it will: its download then runs alongside the others.
    const cosignIsBootstrap = cosignPlan !== undefined && cosignPlan.version === bootstrapVersion;
    let verifier;
    let separateVerifier;
    // The bootstrap cosign goes first on the wire, unless the tool cache holds it (checked again when it is used).
    const installBootstrap = (bootstrapPlan) => {
        const { cache } = bootstrapPlan;
        const task = install(bootstrapPlan, undefined, ctx);
        if (tool_cache/* find */.I6(cache.tool, cache.version, cache.arch) === '')
            ctx.bootstrapDownload = task;
        return task;
    };
    const getVerifier = () => {
        if (!verifier) {
            const bootstrapPlan = plan('cosign', bootstrapVersion);
            if (bootstrapPlan.verification[0]?.kind !== 'pinned-sha256') {
                // Never guessed: without a hash embedded here there is no root to verify anything else from.
                throw new errors/* UserError */.yo(`secure-image embeds no SHA-256 of cosign ${bootstrapVersion} for ${bootstrapPlan.platform.key}, so it cannot ` +
                    'verify any download on this runner. Install the tools yourself and pass them with `cosign-path` and `scanner-path`.');
            }
            separateVerifier = installBootstrap(bootstrapPlan);
            verifier = separateVerifier;
            // Whoever needs the verifier awaits it; this only keeps a failure from counting as unhandled twice.
            verifier.catch(() => undefined);
        }
        return verifier;
    };
    let cosignTask;
    if (cosignPlan && cosignIsBootstrap) {
        const bootstrap = installBootstrap(cosignPlan);
        cosignTask = bootstrap;
        verifier = bootstrap;
        verifier.catch(() => undefined);
    }
    else if (cosignPlan) {
        cosignTask = install(cosignPlan, getVerifier, ctx);
    }
    else {
        cosignTask = needCosign
            ? useProvided('cosign', request.cosignPath ?? '', 'cosign-path', ctx)
            : Promise.resolve(undefined);
    }
    const { onCosign } = ctx;
    if (onCosign)
        cosignTask.then((c) => c && onCosign(c), () => undefined);
    const scannerTask = scanner === undefined
        ? Promise.resolve(undefined)
        : scannerPlan
            ? install(scannerPlan, getVerifier, ctx)
            : useProvided(scanner, request.scannerPath ?? '', 'scanner-path', ctx);
    // Both tasks settle before the verifier is looked at: by then it exists if anything needed it.
    await Promise.allSettled([cosignTask, scannerTask]);
    const [cosignResult, scannerResult, verifierResult] = await Promise.allSettled([
        cosignTask,
        scannerTask,
        separateVerifier ?? Promise.resolve(undefined),
    ]);
    const failures = [verifierResult, cosignResult, scannerResult]
        .filter((r) => r.status === 'rejected')
        .map((r) => r.reason)
        .filter((reason, index, all) => all.indexOf(reason) === index);
    if (failures.length === 1)
        throw failures[0];
    if (failures.length > 1) {
        throw new errors/* UserError */.yo(`${failures.length} tools could not be installed:\n${failures.map((f) => `- ${(0,errors/* errorMessage */.gJ)(f)}`).join('\n')}`, { cause: failures[0] });
    }
    if (cosignResult.status !== 'fulfilled' || scannerResult.status !== 'fulfilled')
        throw new Error('internal: unreachable');
    return {
        cosign: cosignResult.value,
        scanner: scannerResult.value,
        verifier: verifierResult.status === 'fulfilled' ? verifierResult.value : undefined,
        downloads: ctx.downloader.urls(),
    };
}
/** One tool through the tool cache: a verified hit, or a verified download. */
async function install(plan, getVerifier, ctx) {
    const start = performance.now();
    const pinned = pinnedHash(ctx.catalog.tools[plan.tool], plan.version, plan.platform.key);
    const check = await checkCache(plan, pinned);
    if (check.kind === 'miss' && check.evicted)
        ctx.log.warning(`${check.evicted}. Installing it again.`);
    if (check.kind === 'hit') {
        let verification;
        if (pinned !== undefined) {
            verification = [`SHA-256 ${check.sha256} matches the hash embedded in secure-image`];
        }
        else {
            if (!getVerifier)
                throw new Error(`internal: ${plan.tool} needs a signature check but no cosign was planned`);
            try {
                verification = await reverifyCached(plan, check, {
                    exec: ctx.exec,
                    ...(ctx.sleep ? { sleep: ctx.sleep } : {}),
                    workDir: ctx.workDir,
                    maxBytes: ctx.maxBytes,
                    verifier: getVerifier,
                });
            }
            catch (err) {
                if (!isRefusedEntry(err))
                    throw err;
                await evict(check.dir);
                ctx.log.warning(`the cached ${plan.tool} ${plan.version} did not verify again: ${(0,errors/* errorMessage */.gJ)(err)}; evicted ${check.dir}. Installing it again.`);
                return downloadAndVerify(plan, getVerifier, ctx, start);
            }
        }
        ctx.log.info(`${plan.tool} ${plan.version}: tool cache hit at ${check.binaryPath}; ${verification.join('; ')}`);
        return {
            name: plan.tool,
            version: plan.version,
            path: check.binaryPath,
            source: 'cache',
            verification,
            durationMs: elapsed(start),
            sha256: check.sha256,
        };
    }
    return downloadAndVerify(plan, getVerifier, ctx, start);
}
function mismatch(plan, file, expected, against) {
    return new errors/* UserError */.yo(`${plan.tool} ${plan.version}: the SHA-256 of ${file.name} does not match ${against}.\n` +
        `  expected: ${expected}\n  actual:   ${file.sha256}\n  URL:      ${file.url}\n` +
        'The download was deleted and nothing was cached. A mirror or proxy may be serving other bytes than the ' +
        'release: do not work around this, find out why.');
}
/**
 * Every file of the plan at once, into RUNNER_TEMP; the asset goes through `sink` as it arrives, once `after` (the
 * bootstrap cosign, for any other tool) is in. When `after` fails, the asset is not fetched.
 */
async function fetchAll(plan, sink, ctx, after) {
    // A tar.gz is unpacked, hashed and signature-checked as it arrives, so it is held in memory rather than written to
    // disk: the file is written only if cosign could not give its verdict on the stream.
    const hold = plan.asset.archive === 'tar.gz' ? { holdBytes: ctx.maxStreamQueue } : {};
    const getAsset = async (file) => {
        await after;
        return ctx.downloader.get(file, plan.redirects, sink ? { sink, ...hold } : {});
    };
    const settled = await Promise.allSettled(plan.downloads.map((f) => f.url === plan.asset.url ? getAsset(f) : ctx.downloader.get(f, plan.redirects)));
    const files = new Map();
    const errors = [];
    settled.forEach((result, index) => {
        const planned = plan.downloads[index];
        if (!planned)
            return;
        if (result.status === 'fulfilled')
            files.set(planned.url, result.value);
        else
            errors.push(explainDownloadFailure(plan, planned.url, result.reason));
    });
    if (errors.length > 0) {
        for (const file of files.values())
            await (0,promises_.rm)(file.path, { force: true });
        throw errors[0];
    }
    return files;
}
/** A 404 says which file of the release is missing, in the words of what it was for. */
function explainDownloadFailure(plan, url, err) {
    // Another tool's failure (the bootstrap cosign this asset waited for) is told in its own words.
    if (!(err instanceof DownloadError) || err.status !== 404 || err.url !== url)
        return err;
    const named = plan.downloads.find((f) => f.url === url)?.name ?? url;
    const role = plan.verification.find((s) => (s.kind === 'signature' && signatureFiles(s.files).some((f) => f.url === url)) ||
        (s.kind === 'checksums-file' && s.file.url === url));
    const release = `release ${plan.tag} of ${plan.repo}`;
    const what = role?.kind === 'signature'
        ? role.files.kind === 'bundle'
            ? `its Sigstore signature bundle (${named}) is missing from ${release}`
            : `its signature file ${named} is missing from ${release}`
        : role?.kind === 'checksums-file'
            ? `its checksums file (${named}) is missing from ${release}`
            : `${release} has no ${named}`;
    const where = plan.source === 'mirror'
        ? 'Check that `tool-mirror` holds every file of the release, signature files included.'
        : `Check that ${plan.tag} is a published release of ${plan.repo}.`;
    return new errors/* UserError */.yo(`${plan.tool} ${plan.version} cannot be installed: ${what} (HTTP 404 at ${url}). secure-image installs only ` +
        `what it can verify, so nothing was cached. ${where}`, { cause: err });
}
async function downloadAndVerify(plan, getVerifier, ctx, start) {
    ctx.log.info(`${plan.tool} ${plan.version}: downloading ${plan.asset.url}`);
    const signatureSteps = plan.verification.filter((s) => s.kind === 'signature');
    if (signatureSteps.length > 0 && !getVerifier) {
        throw new Error(`internal: ${plan.tool} needs a signature check but no cosign was planned`);
    }
    // Asked for now, not when the signature check comes: the bootstrap cosign then downloads alongside this tool.
    const verifier = signatureSteps.length > 0 ? getVerifier?.() : undefined;
    const staged = (0,external_node_path_.join)(await ctx.stagingRoot(), `${plan.tool}-${plan.version}`);
    await (0,promises_.mkdir)(staged, { recursive: true });
    const stagedBinary = (0,external_node_path_.join)(staged, plan.binaryName);
    let files = new Map();
    const fetched = (file) => ctx.downloader
        .get(file, plan.redirects)
        .catch((err) => Promise.reject(explainDownloadFailure(plan, file.url, err)));
    // Each signature's files are checked as soon as they are in, before any cosign reads them (and whether or not
    // the bootstrap cosign installs): a refused file is this tool's own error.
    const materials = new Map();
    for (const step of signatureSteps) {
        const { files: planned } = step;
        const material = Promise.all(signatureFiles(planned).map(fetched)).then(async ([first, second]) => {
            if (!first)
                throw new Error(`internal: ${plan.tool} has no signature file`);
            if (planned.kind === 'bundle')
                await assertKeylessBundle(first.path, first.url);
            else if (second)
                await assertCertificateFile(second.path, second.url);
            const paths = new Map([first, second].map((f) => [f?.url, f?.path]));
            return materialAt(step, (f) => paths.get(f.url) ?? f.url);
        });
        material.catch(() => undefined);
        materials.set(step, material);
    }
    const materialOf = (step) => {
        const material = materials.get(step);
        if (!material)
            throw new Error(`internal: ${plan.tool} signature files were not planned`);
        return material;
    };
    // A signature over the asset is checked by cosign reading the asset as it downloads; one over the checksums file
    // as soon as that file, the signature files and cosign are in, while the asset still downloads. Each verdict is
    // taken in the plan's order below, after the checksum.
    const streamedStep = signatureSteps.find((s) => s.covers === 'asset');
    const unpackOnTheWay = plan.asset.archive === 'tar.gz';
    const assetSink = unpackOnTheWay || (streamedStep && verifier)
        ? () => {
            const parts = {};
            if (unpackOnTheWay)
                parts.unpacked = tarGzMemberSink(plan.asset.binaryPath, stagedBinary, ctx.maxBytes);
            if (streamedStep && verifier) {
                const target = Promise.all([verifier, materialOf(streamedStep)]).then(([cosign, material]) => ({
                    cosign: cosign.path,
                    request: { blob: plan.asset.name, material, signer: streamedStep.signer },
                }));
                parts.signature = verifyBlobSink(target, { exec: ctx.exec, maxQueuedBytes: ctx.maxStreamQueue });
            }
            return sinkGroup(parts);
        }
        : undefined;
    const early = new Map();
    const checksumsStep = plan.verification.find((s) => s.kind === 'checksums-file');
    for (const step of signatureSteps) {
        if (step.covers !== 'checksums' || !verifier || checksumsStep?.kind !== 'checksums-file')
            continue;
        const check = Promise.all([verifier, fetched(checksumsStep.file), materialOf(step)]).then(([cosign, listed, material]) => verifyBlob(cosign.path, { blob: listed.path, material, signer: step.signer }, { exec: ctx.exec, sleep: ctx.sleep, blobOnDisk: listed.onDisk }));
        check.catch(() => undefined);
        early.set(step, check);
    }
    try {
        // The bootstrap cosign never waits for itself; every other tool's asset waits for it (see installTools).
        const bootstrap = ctx.bootstrapDownload;
        const isBootstrap = plan.verification.some((step) => step.kind === 'pinned-sha256');
        const [all, ...checked] = await Promise.allSettled([
            fetchAll(plan, assetSink, ctx, isBootstrap ? undefined : bootstrap),
            ...materials.values(),
        ]);
        const refused = checked.find((r) => r.status === 'rejected');
        if (refused)
            throw refused.reason;
        if (all.status === 'rejected')
            throw all.reason;
        files = all.value;
        const asset = files.get(plan.asset.url);
        if (!asset)
            throw new Error(`internal: ${plan.asset.url} was not downloaded`);
        const passed = [];
        for (const step of plan.verification) {
            if (step.kind === 'pinned-sha256') {
                if (asset.sha256 !== step.sha256)
                    throw mismatch(plan, asset, step.sha256, 'the hash embedded in secure-image');
                passed.push(describeStep(step, plan));
            }
            else if (step.kind === 'checksums-file') {
                const listed = files.get(step.file.url);
                if (!listed)
                    throw new Error(`internal: ${step.file.url} was not downloaded`);
                const expected = await listedHash(plan, step.file, listed.path);
                if (expected !== asset.sha256)
                    throw mismatch(plan, asset, expected, `${step.file.name} (${step.file.url})`);
                passed.push(describeStep(step, plan));
            }
            else {
                if (!verifier)
                    throw new Error(`internal: ${plan.tool} needs a signature check but has no cosign`);
                const cosign = await verifier;
                const started = early.get(step);
                if (started) {
                    await started;
                }
                else {
                    // cosign's answer while the asset streamed in counts as the first try; the file is read for any other.
                    const streamed = asset.derived?.ok ? asset.derived.value.signature : undefined;
                    const first = streamed?.ok && streamed.value.kind === 'ran' ? streamed.value.result : undefined;
                    await verifyBlob(cosign.path, { blob: asset.path, material: await materialOf(step), signer: step.signer }, {
                        exec: ctx.exec,
                        sleep: ctx.sleep,
                        // A tar.gz was held in memory: it reaches the disk only if cosign must read it from there.
                        blobOnDisk: asset.onDisk,
                        ...(first ? { first } : {}),
                    });
                }
                passed.push(describeStep(step, plan, `cosign ${cosign.version}`));
            }
        }
        // Only now, with every verdict in, is anything taken out of a zip.
        const sha256 = await unpack(plan, asset, stagedBinary, ctx);
        await assertCosignVersion(plan, stagedBinary, ctx.exec);
        if (signatureSteps.length > 0) {
            await keepEvidence(plan, staged, async (file) => {
                const got = files.get(file.url);
                if (!got)
                    throw new Error(`internal: ${file.url} was not downloaded`);
                return got.onDisk();
            });
        }
        const record = {
            tool: plan.tool,
            version: plan.version,
            platform: plan.platform.key,
            binary: plan.binaryName,
            sha256,
            asset: plan.asset.name,
            url: plan.asset.url,
            verification: passed,
            installedAt: new Date().toISOString(),
        };
        const cached = await publishVerified(staged, plan, record);
        ctx.log.info(`${plan.tool} ${plan.version}: verified and cached at ${cached.binaryPath} (${passed.join('; ')})`);
        return {
            name: plan.tool,
            version: plan.version,
            path: cached.binaryPath,
            source: 'download',
            verification: passed,
            durationMs: elapsed(start),
            sha256,
            url: plan.asset.url,
        };
    }
    catch (err) {
        // Nothing of a failed install stays: not its downloads, not what was staged.
        for (const check of early.values())
            await check.catch(() => undefined);
        for (const file of files.values())
            await (0,promises_.rm)(file.path, { force: true });
        await (0,promises_.rm)(staged, { recursive: true, force: true });
        throw err;
    }
}
/**
 * Puts the verified binary, and only it, at `dest` (in the staging folder) and returns its SHA-256. A bare binary
 * is moved there (hashed on the way in, so not again); a tar.gz was unpacked on the way in; a zip is unpacked now.
 */
async function unpack(plan, asset, dest, ctx) {
    if (plan.asset.archive === 'binary')
        return moveVerified(plan, asset, dest);
    if (plan.asset.archive === 'tar.gz') {
        const unpacked = asset.derived?.ok ? asset.derived.value.unpacked : undefined;
        if (!unpacked)
            throw new Error(`internal: ${plan.asset.name} was not unpacked`);
        if (unpacked.ok)
            return unpacked.value.sha256;
        if (unpacked.error instanceof MissingMemberError) {
            throw new errors/* UserError */.yo(`${plan.tool} ${plan.version}: ${plan.asset.name} verified, but holds no file ${plan.asset.binaryPath}. Nothing was cached.`);
        }
        throw new errors/* UserError */.yo(`${plan.tool} ${plan.version}: ${plan.asset.name} verified, but could not be unpacked: ${(0,errors/* errorMessage */.gJ)(unpacked.error)}. Nothing was cached.`, { cause: unpacked.error });
    }
    const inside = await zipMember(plan, await asset.onDisk(), (0,external_node_path_.join)(ctx.workDir, 'extract', `${plan.tool}-${plan.version}`));
    await (0,promises_.copyFile)(inside, dest);
    return sha256File(dest);
}
/**
 * Moves a verified download to `dest`: a rename when RUNNER_TEMP and RUNNER_TOOL_CACHE share a filesystem (the
 * bytes that were hashed are the bytes that move), else a copy, hashed again to prove it is the same.
 */
async function moveVerified(plan, file, dest) {
    const path = await file.onDisk();
    try {
        await (0,promises_.rename)(path, dest);
        return file.sha256;
    }
    catch (err) {
        if (err.code !== 'EXDEV')
            throw err;
    }
    await (0,promises_.copyFile)(path, dest);
    const copied = await sha256File(dest);
    if (copied !== file.sha256) {
        throw new Error(`copying ${plan.tool} from RUNNER_TEMP to RUNNER_TOOL_CACHE changed it (SHA-256 ${file.sha256} became ${copied})`);
    }
    return copied;
}
const VERSION_LINE = /^\s*(?:GitVersion|Version)\s*:\s*v?([0-9][^\s]*)/m;
/** The version a tool prints for `version` (cosign: `GitVersion: v3.0.6`; trivy, grype: `Version: 0.74.0`). */
function parseVersionOutput(output) {
    return VERSION_LINE.exec(output)?.[1];
}
async function useProvided(tool, path, input, ctx) {
    const start = performance.now();
    let result;
    try {
        result = await ctx.exec({
            command: path,
            args: ['version'],
            env: {},
            timeoutMs: 30_000,
            label: `${tool} version`,
        });
    }
    catch (err) {
        throw new errors/* UserError */.yo(`Input \`${input}\`: ${path} does not run: ${(0,errors/* errorMessage */.gJ)(err)}.`, { cause: err });
    }
    if (result.exitCode !== 0) {
        const tail = (0,util_exec/* tailLines */.os)(`${result.stderr}\n${result.stdout}`, 3);
        throw new errors/* UserError */.yo(`Input \`${input}\`: \`${path} version\` exited with ${result.timedOut ? 'a timeout' : `code ${result.exitCode}`}` +
            `${tail ? `:\n${tail}` : ''}\nGive the path of a working ${tool} binary, or leave \`${input}\` empty to let secure-image install a verified one.`);
    }
    const version = parseVersionOutput(`${result.stdout}\n${result.stderr}`) ?? 'unknown';
    // Provided or not, a release known to be malicious does not run here.
    const refused = refusalReason(ctx.catalog.tools[tool], version);
    if (refused !== undefined) {
        throw new errors/* UserError */.yo(`Input \`${input}\`: ${path} is ${tool} v${version}, which secure-image refuses: ${refused}. Provide another ` +
            `release, or leave \`${input}\` empty to let secure-image install a verified one.`);
    }
    ctx.log.warning(`${tool} ${version} at ${path} comes from \`${input}\`: it is used as provided, and secure-image did not verify it.`);
    return {
        name: tool,
        version,
        path,
        source: 'provided',
        verification: [],
        durationMs: elapsed(start),
        note: `provided through \`${input}\`, not verified`,
    };
}


/***/ })

};
