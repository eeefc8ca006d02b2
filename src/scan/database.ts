import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as actionsCacheModule from '@actions/cache';
import * as core from '@actions/core';
import { execTool, tailLines } from '../util/exec.js';
import { UserError, errorMessage } from '../util/errors.js';
import { isTransientText, retry } from '../util/retry.js';
import {
  type Scanner,
  TRIVY_DB_REPOSITORIES,
  databaseDir,
  grypeDbStatusArgs,
  grypeDbUpdateArgs,
  grypeEnv,
  trivyDbArgs,
  trivyEnv,
} from './args.js';
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
  /** Where the DB came from: trivy's OCI repository, grype's listing URL. */
  repository?: string;
  /** The DB's version as the scanner states it (schema version). */
  version?: string;
  /** The Actions cache key for today's DB. */
  cacheKey: string;
  /** Whether `saveDatabase` should upload: the cache service is there and does not hold today's key yet. */
  saveNeeded: boolean;
  durationMs: number;
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
}

/** `secure-image-trivy-db-2026-03-14`: one entry per scanner and UTC day, so the DB is refreshed daily. */
export function databaseCacheKey(scanner: Scanner, now: Date): { key: string; restoreKeys: string[] } {
  const prefix = `secure-image-${scanner}-db-`;
  return { key: `${prefix}${now.toISOString().slice(0, 10)}`, restoreKeys: [prefix] };
}

/** What the Actions cache holds for a scanner: trivy's `db/` only (not the Java DB, not the layer cache). */
export function databaseCachePaths(scanner: Scanner, dir: string): string[] {
  return scanner === 'trivy' ? [join(dir, 'db')] : [dir];
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

/** trivy keeps `metadata.json` next to `trivy.db` in `<cache-dir>/db/` (Version, UpdatedAt, DownloadedAt). */
async function trivyInfo(dir: string): Promise<DbInfo> {
  const db = await fileStamp(join(dir, 'db', 'trivy.db'));
  let meta: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(await readFile(join(dir, 'db', 'metadata.json'), 'utf8')) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      meta = parsed as Record<string, unknown>;
  } catch {
    // No metadata: no usable DB.
  }
  const updatedAt = validDate(meta['UpdatedAt']);
  const version = typeof meta['Version'] === 'number' ? String(meta['Version']) : undefined;
  return {
    exists: db !== undefined && updatedAt !== undefined,
    updatedAt,
    version,
    fingerprint: `${String(meta['DownloadedAt'] ?? '')}|${String(meta['UpdatedAt'] ?? '')}|${db ?? ''}`,
  };
}

/** `grype db status -o json`: `{schemaVersion, from, built, path, valid, error}`; it exits 1 when there is no DB. */
async function grypeInfo(
  scannerPath: string,
  dir: string,
  env: Record<string, string>,
  exec: Exec,
  timeoutMs: number,
): Promise<DbInfo> {
  const result = await exec({
    command: scannerPath,
    args: grypeDbStatusArgs(),
    env,
    cwd: dir,
    timeoutMs,
    label: 'grype db status',
  });
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

async function attempt(exec: Exec, request: Parameters<Exec>[0], what: string): Promise<void> {
  let result;
  try {
    result = await exec(request);
  } catch (error) {
    throw new UserError(`Could not run ${what}: ${errorMessage(error)}`, { cause: error });
  }
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

/** Tries each repository with retries; returns the one that worked and the failures before it. */
async function download(
  o: WarmOptions,
  dir: string,
  env: Record<string, string>,
  settings: RetrySettings,
  log: (message: string) => void,
): Promise<{ ok: boolean; repository?: string; failures: Array<{ source: string; message: string }> }> {
  const exec = o.exec ?? execTool;
  const timeoutMs = o.timeoutMs ?? 5 * 60 * 1000;
  const repositories: ReadonlyArray<string | undefined> =
    o.scanner === 'trivy' ? (o.repositories ?? TRIVY_DB_REPOSITORIES) : [undefined];
  const failures: Array<{ source: string; message: string }> = [];
  for (const repository of repositories) {
    const what =
      o.scanner === 'trivy'
        ? `the trivy DB download from ${repository ?? ''}`
        : 'the grype DB update (grype db update)';
    try {
      await retry(
        () =>
          attempt(
            exec,
            {
              command: o.scannerPath,
              args:
                o.scanner === 'trivy'
                  ? trivyDbArgs(dir, repository ?? '', timeoutMs / 1000 + 30)
                  : grypeDbUpdateArgs(),
              env,
              cwd: dir,
              timeoutMs,
              label: o.scanner === 'trivy' ? 'trivy DB download' : 'grype db update',
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
          ...(settings.sleep ? { sleep: settings.sleep } : {}),
        },
      );
      return { ok: true, ...(repository !== undefined ? { repository } : {}), failures };
    } catch (error) {
      if (error instanceof UserError) throw error;
      failures.push({ source: repository ?? 'grype db update', message: errorMessage(error) });
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

async function warm(o: WarmOptions): Promise<DatabaseState> {
  const started = performance.now();
  const now = (o.now ?? (() => new Date()))();
  const log = o.log ?? ((message: string) => core.info(message));
  const cache = o.cache ?? actionsCache;
  const exec = o.exec ?? execTool;
  const settings: RetrySettings = { ...DEFAULT_DB_RETRY, ...o.retry };
  const dir = databaseDir(o.toolCacheDir, o.scanner);
  await mkdir(dir, { recursive: true });
  const env = databaseEnv(o.scanner, dir, o.env ?? {});
  const info = (): Promise<DbInfo> =>
    o.scanner === 'trivy' ? trivyInfo(dir) : grypeInfo(o.scannerPath, dir, env, exec, 60_000);
  const { key, restoreKeys } = databaseCacheKey(o.scanner, now);
  const warnings: string[] = [];

  const cacheUsable = cache.isAvailable();
  let restoredKey: string | undefined;
  if (cacheUsable) {
    try {
      restoredKey = await cache.restore(databaseCachePaths(o.scanner, dir), key, restoreKeys);
      if (restoredKey)
        log(`Restored the ${o.scanner} vulnerability DB from the Actions cache (${restoredKey}).`);
    } catch (error) {
      warnings.push(`Could not restore the ${o.scanner} DB from the Actions cache: ${errorMessage(error)}`);
    }
  }
  const before = await info();

  let source: DatabaseState['source'];
  let repository: string | undefined;
  if (restoredKey === key && before.exists) {
    // Today's DB: the daily key is the refresh policy, so no download.
    source = 'restored';
  } else {
    const outcome = await download(o, dir, env, settings, log);
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
    source =
      after.fingerprint !== before.fingerprint || !before.exists
        ? 'download'
        : restoredKey
          ? 'restored'
          : 'cache';
  }

  const final = await info();
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
    ...((repository ?? final.from) ? { repository: repository ?? final.from } : {}),
    ...(final.version ? { version: final.version } : {}),
    cacheKey: key,
    saveNeeded: cacheUsable && restoredKey !== key,
    durationMs: Math.round(performance.now() - started),
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

/**
 * Uploads today's DB to the Actions cache, for the next runs; also when the gate failed. A save that fails (another
 * job saved the same key first, the cache is full) is a warning, never a failure of the run.
 */
export async function saveDatabase(
  state: DatabaseState,
  options: { cache?: CacheService } = {},
): Promise<{ saved: boolean; warning?: string }> {
  const cache = options.cache ?? actionsCache;
  if (!state.saveNeeded || !cache.isAvailable()) return { saved: false };
  try {
    await cache.save(databaseCachePaths(state.scanner, state.dir), state.cacheKey);
    return { saved: true };
  } catch (error) {
    return {
      saved: false,
      warning: `Could not save the ${state.scanner} DB to the Actions cache (${state.cacheKey}): ${errorMessage(error)}`,
    };
  }
}
