import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import * as actionsCacheModule from '@actions/cache';
import { logInfo } from '../util/log.js';
import { execTool, tailLines } from '../util/exec.js';
import { UserError, errorMessage } from '../util/errors.js';
import { isTransientText, retry } from '../util/retry.js';
import {
  type Scanner,
  TRIVY_DB_REPOSITORIES,
  TRIVY_JAVA_DB_REPOSITORIES,
  databaseDir,
  grypeDbStatusArgs,
  grypeDbUpdateArgs,
  grypeEnv,
  trivyDbArgs,
  trivyEnv,
} from './args.js';
import { grypeStatusProblem, trivyMetadataProblem } from './db-metadata.js';
import { type Exec, formatSeconds, withoutScannerVariables } from './run.js';

/**
 * The vulnerability DB, warmed while the image builds: restored from the Actions cache when the cache service is
 * there, refreshed from the scanner's repository (with retries, then the secondary repository), kept in a
 * directory under the runner's tool cache that every scan of the run shares, and saved back for the next run.
 */
export interface DatabaseState {
  scanner: Scanner;
  /** trivy: the `--cache-dir` (the DB is in `<dir>/db`); grype: `GRYPE_DB_CACHE_DIR`. */
  dir: string;
  /** When the DB was built upstream (trivy `UpdatedAt`, grype `built`). */
  updatedAt?: Date;
  ageHours?: number;
  /**
   * `cache`: the tool-cache directory already held it and the scanner found nothing newer; `restored`: it came
   * from the Actions cache; `download`: the scanner downloaded it in this run.
   */
  source: 'cache' | 'download' | 'restored';
  warnings: string[];
  /**
   * Where the DB came from: the trivy OCI repository it was downloaded from in this run (none for a DB kept from an
   * earlier run), grype's own record of its source.
   */
  repository?: string;
  /** The DB's version as the scanner states it (schema version). */
  version?: string;
  /** The Actions cache key for today's DB. */
  cacheKey: string;
  /**
   * Whether `saveDatabase` should upload: the scanner downloaded a new DB in this run, the cache service is there
   * and does not hold today's key yet. A DB restored from an earlier day (refreshed or not) is never saved under
   * today's key: it would stand for today's until tomorrow.
   */
  saveNeeded: boolean;
  /** trivy's Java index DB, beside the vulnerability DB (see `warmJavaDb`). */
  java?: JavaDbState;
  durationMs: number;
}

/**
 * trivy's Java index DB (`<dir>/java-db`, several hundred MB), which trivy downloads during a scan that meets JAR
 * files, once per scan process. It is warmed beside the vulnerability DB only when an earlier run here needed it
 * (it is in the tool cache or the Actions cache); otherwise an image without JARs would pay for it on every run.
 */
export interface JavaDbState {
  /** A Java DB is in place for the scans: they get `--skip-java-db-update`, so none of them downloads it. */
  ready: boolean;
  /** Where the DB in place came from, as for the vulnerability DB (when `ready`). */
  source?: DatabaseState['source'];
  /** When the DB in place was built upstream (when `ready`). */
  updatedAt?: Date;
  cacheKey: string;
  /** Whether to upload it after the scans: downloaded in the warm-up, and the cache lacks today's key. */
  saveNeeded: boolean;
  /** The DB on disk when the warm-up ended, to tell whether a scan downloaded it (an image with JARs). */
  fingerprint: string;
}

/** The part of @actions/cache this module uses, so tests can run it against a local store. */
export interface CacheService {
  isAvailable(): boolean;
  /** The key that matched (primary or a restore key), or undefined on a miss. */
  restore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined>;
  save(paths: string[], key: string): Promise<void>;
}

/**
 * @actions/cache decides availability from the environment: `ACTIONS_CACHE_URL` for the v1 service,
 * `ACTIONS_RESULTS_URL` when `ACTIONS_CACHE_SERVICE_V2` is set (v2; GHES always uses v1).
 */
export const actionsCache: CacheService = {
  isAvailable: () => actionsCacheModule.isFeatureAvailable(),
  restore: (paths, key, restoreKeys) => actionsCacheModule.restoreCache(paths, key, restoreKeys),
  save: async (paths, key) => {
    await actionsCacheModule.saveCache(paths, key);
  },
};

export interface RetrySettings {
  /** Tries per repository, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_DB_RETRY: RetrySettings = { attempts: 3, baseDelayMs: 2000, maxDelayMs: 20000 };
/** Older than this, the summary warns: new vulnerabilities are missing from the scan. */
export const STALE_DB_HOURS = 72;

export interface WarmOptions {
  scanner: Scanner;
  scannerPath: string;
  /** `RUNNER_TOOL_CACHE`. */
  toolCacheDir: string;
  /** Proxy settings and the like; the scanner's own variables are dropped. */
  env?: Readonly<Record<string, string>>;
  /** trivy DB repositories in order of preference. */
  repositories?: readonly string[];
  now?: () => Date;
  /** Per download attempt; default 5 minutes. A try that runs out of time is not repeated on the same repository. */
  timeoutMs?: number;
  retry?: Partial<RetrySettings>;
  cache?: CacheService;
  exec?: Exec;
  log?: (message: string) => void;
  /**
   * Aborted when the run fails before its scan: the scanner processes are ended, retries and waits stop, and the
   * warm-up rejects with `WarmupCancelled`. A warm-up that already finished is not affected.
   */
  signal?: AbortSignal;
}

/** The DBs kept in the Actions cache: each scanner's vulnerability DB, and trivy's Java index DB. */
export type CachedDatabase = Scanner | 'trivy-java';

/** `secure-image-trivy-db-2026-03-14`: one entry per DB and UTC day, so the DB is refreshed daily. */
export function databaseCacheKey(db: CachedDatabase, now: Date): { key: string; restoreKeys: string[] } {
  const prefix = `secure-image-${db}-db-`;
  return { key: `${prefix}${now.toISOString().slice(0, 10)}`, restoreKeys: [prefix] };
}

/** What the Actions cache holds for a DB: trivy's `db/` or `java-db/` (never the layer cache), grype's dir. */
export function databaseCachePaths(db: CachedDatabase, dir: string): string[] {
  if (db === 'trivy') return [join(dir, 'db')];
  return db === 'trivy-java' ? [join(dir, 'java-db')] : [dir];
}

/** The run no longer needs the warm-up (it failed before the scan); nobody reads this but the log. */
export class WarmupCancelled extends Error {
  constructor() {
    super('The vulnerability DB warm-up was stopped: the run failed before its scan.');
    this.name = 'WarmupCancelled';
  }
}

interface DbInfo {
  exists: boolean;
  updatedAt?: Date;
  version?: string;
  from?: string;
  /** Changes when the DB on disk changes, to tell a download from "already up to date". */
  fingerprint: string;
}

function validDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const date = new Date(value);
  // trivy writes Go's zero time (0001-01-01) for fields it never set.
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() < 2000 ? undefined : date;
}

async function fileStamp(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/**
 * trivy keeps `metadata.json` (Version, UpdatedAt, NextUpdate, DownloadedAt) next to `trivy.db` in `<cache-dir>/db/`,
 * and next to `trivy-java.db` in `<cache-dir>/java-db/`.
 */
async function trivyInfo(dir: string, db: 'vulnerability' | 'java' = 'vulnerability'): Promise<DbInfo> {
  const sub = join(dir, db === 'java' ? 'java-db' : 'db');
  const stamp = await fileStamp(join(sub, db === 'java' ? 'trivy-java.db' : 'trivy.db'));
  let meta: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(await readFile(join(sub, 'metadata.json'), 'utf8')) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      meta = parsed as Record<string, unknown>;
  } catch {
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
async function grypeInfo(
  scannerPath: string,
  dir: string,
  env: Record<string, string>,
  exec: Exec,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<DbInfo> {
  const result = await exec({
    command: scannerPath,
    args: grypeDbStatusArgs(),
    env,
    cwd: dir,
    timeoutMs,
    label: 'grype db status',
    ...(signal ? { signal } : {}),
  });
  throwIfCancelled(signal);
  let status: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(result.stdout) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      status = parsed as Record<string, unknown>;
  } catch {
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
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'DownloadAttemptError';
  }
}

function databaseEnv(
  scanner: Scanner,
  dir: string,
  env: Readonly<Record<string, string>>,
): Record<string, string> {
  return {
    ...withoutScannerVariables(env),
    ...(scanner === 'trivy' ? trivyEnv() : grypeEnv({ dbDir: dir, insecureHttp: false })),
  };
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new WarmupCancelled();
}

async function attempt(exec: Exec, request: Parameters<Exec>[0], what: string): Promise<void> {
  throwIfCancelled(request.signal);
  let result;
  try {
    result = await exec(request);
  } catch (error) {
    throwIfCancelled(request.signal);
    throw new UserError(`Could not run ${what}: ${errorMessage(error)}`, { cause: error });
  }
  // Ended because the run stopped needing it: not a failure of the repository, and not worth another try.
  throwIfCancelled(request.signal);
  if (result.timedOut) {
    // Another try at a repository that took the whole budget would double the wait: the next repository instead.
    throw new DownloadAttemptError(`timed out after ${formatSeconds(request.timeoutMs ?? 0)}`, false);
  }
  if (result.exitCode !== 0 || result.signal) {
    const said = tailLines(result.stderr, 8) || tailLines(result.stdout, 8) || '(no output)';
    const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
    throw new DownloadAttemptError(`${how}: ${said}`, isTransientText(`${result.stderr}\n${result.stdout}`));
  }
}

/** One DB download: the repositories in order, and how to ask the scanner for one of them. */
interface DownloadSpec {
  repositories: ReadonlyArray<string | undefined>;
  args: (repository: string | undefined, timeoutSeconds: number) => string[];
  label: string;
  what: (repository: string | undefined) => string;
}

function downloadSpec(
  scanner: Scanner,
  dir: string,
  db: 'vulnerability' | 'java',
  o: WarmOptions,
): DownloadSpec {
  if (scanner === 'grype') {
    return {
      repositories: [undefined],
      args: () => grypeDbUpdateArgs(),
      label: 'grype db update',
      what: () => 'the grype DB update (grype db update)',
    };
  }
  const java = db === 'java';
  return {
    repositories: java ? TRIVY_JAVA_DB_REPOSITORIES : (o.repositories ?? TRIVY_DB_REPOSITORIES),
    args: (repository, timeoutSeconds) => trivyDbArgs(dir, repository ?? '', timeoutSeconds, db),
    label: java ? 'trivy Java DB download' : 'trivy DB download',
    what: (repository) => `the trivy ${java ? 'Java ' : ''}DB download from ${repository ?? ''}`,
  };
}

/** Tries each repository with retries; returns the one that worked and the failures before it. */
async function download(
  c: WarmContext,
  spec: DownloadSpec,
): Promise<{ ok: boolean; repository?: string; failures: Array<{ source: string; message: string }> }> {
  const { o, dir, env, settings, log } = c;
  const exec = o.exec ?? execTool;
  const timeoutMs = o.timeoutMs ?? 5 * 60 * 1000;
  const { repositories } = spec;
  const signal = o.signal;
  // The waits between tries end with the run's need for them.
  const sleep = settings.sleep ?? ((ms: number) => delay(ms, undefined, signal ? { signal } : {}));
  const failures: Array<{ source: string; message: string }> = [];
  for (const repository of repositories) {
    const what = spec.what(repository);
    try {
      await retry(
        () =>
          attempt(
            exec,
            {
              command: o.scannerPath,
              args: spec.args(repository, timeoutMs / 1000 + 30),
              env,
              cwd: dir,
              timeoutMs,
              label: spec.label,
              ...(signal ? { signal } : {}),
            },
            what,
          ),
        {
          attempts: settings.attempts,
          baseDelayMs: settings.baseDelayMs,
          maxDelayMs: settings.maxDelayMs,
          isTransient: (error) => error instanceof DownloadAttemptError && error.transient,
          what,
          onRetry: ({ attempt: n, delayMs, error }) =>
            log(
              `${what}: try ${n} failed (${errorMessage(error)}); trying again in ${formatSeconds(delayMs)}.`,
            ),
          sleep,
        },
      );
      return { ok: true, ...(repository !== undefined ? { repository } : {}), failures };
    } catch (error) {
      throwIfCancelled(signal);
      if (error instanceof UserError || error instanceof WarmupCancelled) throw error;
      failures.push({ source: repository ?? spec.label, message: errorMessage(error) });
      if (repository !== undefined && repository !== repositories.at(-1)) {
        log(`${what} failed (${errorMessage(error)}); falling back to the next repository.`);
      }
    }
  }
  return { ok: false, failures };
}

function ageHours(updatedAt: Date | undefined, now: Date): number | undefined {
  if (!updatedAt) return undefined;
  return Math.max(0, Math.round(((now.getTime() - updatedAt.getTime()) / 3_600_000) * 10) / 10);
}

/** The DB's age for people: `5.2 days`, `7 hours`. */
export function formatAge(hours: number): string {
  if (hours >= 48) return `${Math.round((hours / 24) * 10) / 10} days`;
  const rounded = Math.round(hours);
  return `${rounded} hour${rounded === 1 ? '' : 's'}`;
}

/** What the vulnerability-DB and Java-DB warm-ups share. */
interface WarmContext {
  o: WarmOptions;
  dir: string;
  env: Record<string, string>;
  now: Date;
  cache: CacheService;
  cacheUsable: boolean;
  settings: RetrySettings;
  log: (message: string) => void;
}

/**
 * Restores a DB from the Actions cache, when the service is there; the key that matched, if any. A restored DB whose
 * metadata fails the checks of db-metadata.ts is removed (and so downloaded again), with a warning.
 */
async function restoreFromCache(
  c: WarmContext,
  db: CachedDatabase,
  key: string,
  restoreKeys: string[],
  warnings: string[],
  problem: () => Promise<string | undefined>,
): Promise<string | undefined> {
  if (!c.cacheUsable) return undefined;
  const name = db === 'trivy-java' ? 'trivy Java DB' : `${db} DB`;
  try {
    const restored = await c.cache.restore(databaseCachePaths(db, c.dir), key, restoreKeys);
    if (!restored) return undefined;
    const refused = await problem();
    if (refused !== undefined) {
      for (const path of databaseCachePaths(db, c.dir)) await rm(path, { recursive: true, force: true });
      // grype's cache path is the DB directory itself, which the scanner runs in.
      await mkdir(c.dir, { recursive: true });
      warnings.push(
        `The ${name} in the Actions cache (${restored}) was not used: ${refused}. A new one is downloaded; if this repeats, delete that cache entry.`,
      );
      return undefined;
    }
    c.log(`Restored the ${name} from the Actions cache (${restored}).`);
    return restored;
  } catch (error) {
    warnings.push(`Could not restore the ${name} from the Actions cache: ${errorMessage(error)}`);
    return undefined;
  } finally {
    throwIfCancelled(c.o.signal);
  }
}

/** trivy's metadata.json of the DB in `<dir>/db` or `<dir>/java-db`, checked as restored input. */
async function trivyRestoredProblem(
  dir: string,
  db: 'vulnerability' | 'java',
  now: Date,
): Promise<string | undefined> {
  const sub = join(dir, db === 'java' ? 'java-db' : 'db');
  const size = (await stat(join(sub, db === 'java' ? 'trivy-java.db' : 'trivy.db')).catch(() => undefined))
    ?.size;
  if (!size) return 'it has no DB file';
  let meta: unknown;
  try {
    meta = JSON.parse(await readFile(join(sub, 'metadata.json'), 'utf8')) as unknown;
  } catch {
    return 'its metadata.json is missing or not JSON';
  }
  return trivyMetadataProblem(meta, now, db);
}

async function warm(o: WarmOptions): Promise<DatabaseState> {
  const started = performance.now();
  const cache = o.cache ?? actionsCache;
  const dir = databaseDir(o.toolCacheDir, o.scanner);
  await mkdir(dir, { recursive: true });
  const c: WarmContext = {
    o,
    dir,
    env: databaseEnv(o.scanner, dir, o.env ?? {}),
    now: (o.now ?? (() => new Date()))(),
    cache,
    cacheUsable: cache.isAvailable(),
    settings: { ...DEFAULT_DB_RETRY, ...o.retry },
    log: o.log ?? logInfo,
  };
  // Both at once: the Java DB (when it is worth it) downloads while the vulnerability DB does.
  const [vulnerability, java] = await Promise.allSettled([
    warmVulnerabilityDb(c),
    o.scanner === 'trivy' ? warmJavaDb(c) : Promise.resolve(undefined),
  ]);
  if (vulnerability.status === 'rejected') throw vulnerability.reason;
  if (java.status === 'rejected') throw java.reason;
  const state = vulnerability.value;
  if (java.value) {
    state.java = java.value.state;
    state.warnings.push(...java.value.warnings);
  }
  state.durationMs = Math.round(performance.now() - started);
  return state;
}

async function warmVulnerabilityDb(c: WarmContext): Promise<DatabaseState> {
  const { o, dir, env, now } = c;
  const exec = o.exec ?? execTool;
  const info = (): Promise<DbInfo> =>
    o.scanner === 'trivy' ? trivyInfo(dir) : grypeInfo(o.scannerPath, dir, env, exec, 60_000, o.signal);
  const { key, restoreKeys } = databaseCacheKey(o.scanner, now);
  const warnings: string[] = [];
  const restoredKey = await restoreFromCache(c, o.scanner, key, restoreKeys, warnings, async () => {
    if (o.scanner === 'trivy') return trivyRestoredProblem(dir, 'vulnerability', now);
    const status = await info();
    return grypeStatusProblem(
      { valid: status.exists, ...(status.updatedAt ? { built: status.updatedAt } : {}) },
      now,
    );
  });
  const before = await info();

  let source: DatabaseState['source'];
  let repository: string | undefined;
  if (restoredKey === key && before.exists) {
    // Today's DB: the daily key is the refresh policy, so no download.
    source = 'restored';
  } else {
    const outcome = await download(c, downloadSpec(o.scanner, dir, 'vulnerability', o));
    repository = outcome.repository;
    if (!outcome.ok) {
      const failures = outcome.failures.map((f) => `- ${f.source}: ${f.message}`).join('\n');
      if (!before.exists) {
        throw new UserError(
          `Could not download the ${o.scanner} vulnerability DB, and there is none to fall back on:\n${failures}\nThe scan cannot run without it. If the runner cannot reach the internet, restore the DB into ${dir} before this step.`,
        );
      }
      warnings.push(
        `Could not refresh the ${o.scanner} vulnerability DB; scanning with the one from ${before.updatedAt?.toISOString() ?? 'an earlier run'}:\n${failures}`,
      );
    } else if (outcome.failures.length > 0) {
      warnings.push(
        `The ${o.scanner} vulnerability DB came from ${outcome.repository ?? 'a later try'} after ${outcome.failures.map((f) => f.source).join(', ')} failed: ${outcome.failures.map((f) => f.message).join('; ')}`,
      );
    }
    const after = await info();
    if (!after.exists) {
      throw new UserError(
        `The ${o.scanner} DB update reported success, but there is no readable DB in ${dir}. Delete the directory and run again.`,
      );
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
  // The repository asked names where the DB came from only when it was downloaded from there in this run: trivy asks
  // none when its DB is current, and a DB from the tool cache or the Actions cache came from wherever an earlier run
  // got it. grype's own record of its source (`db status` `from`) travels with its DB.
  const from = source === 'download' ? repository : undefined;
  const age = ageHours(final.updatedAt, now);
  if (age !== undefined && age > STALE_DB_HOURS) {
    warnings.push(
      `The ${o.scanner} vulnerability DB is ${formatAge(age)} old (built ${final.updatedAt?.toISOString() ?? ''}); vulnerabilities published since then are not in this scan.`,
    );
  }
  return {
    scanner: o.scanner,
    dir,
    ...(final.updatedAt ? { updatedAt: final.updatedAt } : {}),
    ...(age !== undefined ? { ageHours: age } : {}),
    source,
    warnings,
    ...((from ?? final.from) ? { repository: from ?? final.from } : {}),
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
async function warmJavaDb(c: WarmContext): Promise<{ state: JavaDbState; warnings: string[] }> {
  const { o, dir } = c;
  const { key, restoreKeys } = databaseCacheKey('trivy-java', c.now);
  const warnings: string[] = [];
  const restoredKey = await restoreFromCache(c, 'trivy-java', key, restoreKeys, warnings, () =>
    trivyRestoredProblem(dir, 'java', c.now),
  );
  const before = await trivyInfo(dir, 'java');
  const state = (
    ready: boolean,
    fingerprint: string,
    saveNeeded = false,
    inPlace?: { source: DatabaseState['source']; updatedAt?: Date },
  ): JavaDbState => ({
    ready,
    cacheKey: key,
    saveNeeded,
    fingerprint,
    ...(inPlace ? { source: inPlace.source } : {}),
    ...(inPlace?.updatedAt ? { updatedAt: inPlace.updatedAt } : {}),
  });
  if (!before.exists) {
    c.log(
      'No trivy Java DB from an earlier run, so none is downloaded ahead: a scan that meets JAR files downloads it, and it is kept for the next runs.',
    );
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
  } catch (error) {
    if (error instanceof WarmupCancelled) throw error;
    outcome = { ok: false, failures: [{ source: 'trivy', message: errorMessage(error) }] };
  }
  const after = await trivyInfo(dir, 'java');
  if (!outcome.ok) {
    warnings.push(
      `Could not refresh the trivy Java DB; the scans use the one from ${before.updatedAt?.toISOString() ?? 'an earlier run'}: ${outcome.failures.map((f) => `${f.source}: ${f.message}`).join('; ')}`,
    );
  }
  if (!after.exists) {
    // Never seen from trivy; the scans then download it themselves rather than fail on --skip-java-db-update.
    warnings.push(`The trivy Java DB in ${join(dir, 'java-db')} is not readable after its refresh.`);
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
export function warmDatabase(options: WarmOptions): Promise<DatabaseState> {
  const promise = warm(options);
  promise.catch(() => undefined);
  return promise;
}

/** Uploads a DB to the Actions cache under today's key; a failed save is a warning. */
async function saveToCache(
  cache: CacheService,
  db: CachedDatabase,
  dir: string,
  key: string,
): Promise<{ saved: boolean; warning?: string }> {
  const name = db === 'trivy-java' ? 'trivy Java DB' : `${db} DB`;
  try {
    await cache.save(databaseCachePaths(db, dir), key);
    return { saved: true };
  } catch (error) {
    return {
      saved: false,
      warning: `Could not save the ${name} to the Actions cache (${key}): ${errorMessage(error)}`,
    };
  }
}

/**
 * Uploads the DBs downloaded in this run to the Actions cache, for the next runs; also when the gate failed or a
 * scan crashed (the warm-up's downloads are whole). `scansCompleted`: every scan exited 0, so a Java DB one of them
 * downloaded is whole too. A save that fails (another job saved the same key first, the cache is full) is a
 * warning, never a failure of the run.
 */
export async function saveDatabase(
  state: DatabaseState,
  options: { cache?: CacheService; scansCompleted?: boolean } = {},
): Promise<{ saved: boolean; warning?: string }> {
  const cache = options.cache ?? actionsCache;
  if (!cache.isAvailable()) return { saved: false };
  const results: Array<{ saved: boolean; warning?: string }> = [];
  if (state.saveNeeded) results.push(await saveToCache(cache, state.scanner, state.dir, state.cacheKey));
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
async function scansDownloadedJavaDb(state: DatabaseState, java: JavaDbState): Promise<boolean> {
  if (java.ready) return false;
  const now = await trivyInfo(state.dir, 'java');
  return now.exists && now.fingerprint !== java.fingerprint;
}
