import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tc from '@actions/tool-cache';
import type { InstallPlan } from './plan.js';

/** Written beside the binary when it is cached; read back on every cache hit. */
export const RECORD_FILE = 'secure-image-install.json';

export interface InstallRecord {
  tool: string;
  version: string;
  platform: string;
  binary: string;
  /** SHA-256 of the cached binary (not of the archive it came in). */
  sha256: string;
  asset: string;
  url: string;
  verification: string[];
  installedAt: string;
}

export type CacheCheck =
  | { kind: 'hit'; dir: string; binaryPath: string; sha256: string; record: InstallRecord }
  | { kind: 'miss'; evicted?: string };

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function isRecord(value: unknown): value is InstallRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.sha256 === 'string' && /^[0-9a-f]{64}$/.test(r.sha256) && typeof r.binary === 'string';
}

/** Removes a cache entry and its `.complete` marker, so `tc.find` no longer returns it. */
export async function evict(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await rm(`${dir}.complete`, { force: true });
}

/**
 * Looks the plan up in the tool cache and re-checks what is there: a self-hosted runner's cache outlives jobs and
 * anyone with access to the machine can change it. The binary must hash to what was recorded when it was cached
 * and, when the catalog pins the asset (the bootstrap cosign), to the pinned hash too. An entry that fails either
 * is evicted and the caller installs afresh.
 */
export async function checkCache(plan: InstallPlan, pinned?: string): Promise<CacheCheck> {
  const dir = tc.find(plan.cache.tool, plan.cache.version, plan.cache.arch);
  if (!dir) return { kind: 'miss' };
  const binaryPath = join(dir, plan.binaryName);
  const fail = async (why: string): Promise<CacheCheck> => {
    await evict(dir);
    return { kind: 'miss', evicted: `${why}; evicted ${dir}` };
  };

  let record: unknown;
  try {
    record = JSON.parse(await readFile(join(dir, RECORD_FILE), 'utf8'));
  } catch {
    return fail(`the cached ${plan.tool} ${plan.version} has no readable install record (${RECORD_FILE})`);
  }
  if (!isRecord(record) || record.binary !== plan.binaryName) {
    return fail(`the install record of the cached ${plan.tool} ${plan.version} is malformed`);
  }
  let actual: string;
  try {
    actual = await sha256File(binaryPath);
  } catch {
    return fail(`the cached ${plan.tool} ${plan.version} has no ${plan.binaryName}`);
  }
  if (actual !== record.sha256) {
    return fail(
      `the cached ${plan.tool} ${plan.version} (${binaryPath}) was changed after it was installed: ` +
        `SHA-256 recorded at install ${record.sha256}, found ${actual}`,
    );
  }
  if (pinned !== undefined && actual !== pinned) {
    return fail(
      `the cached ${plan.tool} ${plan.version} (${binaryPath}) is not the release secure-image pins: ` +
        `expected SHA-256 ${pinned}, found ${actual}`,
    );
  }
  return { kind: 'hit', dir, binaryPath, sha256: actual, record };
}

function toolCacheRoot(): string {
  const root = process.env.RUNNER_TOOL_CACHE;
  if (!root) throw new Error('RUNNER_TOOL_CACHE is not set: the runner defines it for every job');
  return root;
}

/** Prefix of the staging folders in the tool cache; tool-cache's `find` never looks at a dot folder. */
export const STAGING_PREFIX = '.secure-image-staging-';

/**
 * A fresh folder for this run's staged installs, inside RUNNER_TOOL_CACHE so that publishing one is a rename on
 * the same filesystem, not a copy. Hidden (a dot folder at the top of the cache, outside any `<tool>/<version>`),
 * so `tc.find` cannot return anything in it.
 */
export async function createStagingRoot(): Promise<string> {
  const root = toolCacheRoot();
  await mkdir(root, { recursive: true });
  return mkdtemp(join(root, STAGING_PREFIX));
}

/**
 * Where `tc.find(tool, version, arch)` looks: `<RUNNER_TOOL_CACHE>/<tool>/<version>/<arch>`, with the version as
 * `semver.clean` spells it (no `v`, no build metadata; our versions are normalised already).
 */
function cacheEntryDir(plan: InstallPlan): string {
  return join(toolCacheRoot(), plan.cache.tool, plan.cache.version.replace(/\+.*$/, ''), plan.cache.arch);
}

/**
 * Publishes a verified staging folder (the binary and nothing else) as the tool-cache entry: writes the install
 * record, makes the binary executable, renames the folder into place and then writes the `<arch>.complete` marker
 * that `tc.find` requires, so the entry becomes visible only whole. A rename moves the very bytes that were
 * verified, so nothing is hashed again. Where the rename is refused (a handle held open on Windows, another
 * filesystem), it falls back to tool-cache's copy, which is checked.
 */
export async function publishVerified(
  stagingDir: string,
  plan: InstallPlan,
  record: InstallRecord,
): Promise<{ dir: string; binaryPath: string }> {
  await writeFile(join(stagingDir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
  await chmod(join(stagingDir, plan.binaryName), 0o755);
  const dir = cacheEntryDir(plan);
  await evict(dir);
  await mkdir(dirname(dir), { recursive: true });
  try {
    await rename(stagingDir, dir);
  } catch {
    return cacheVerified(stagingDir, plan, record);
  }
  await writeFile(`${dir}.complete`, '');
  if (tc.find(plan.cache.tool, plan.cache.version, plan.cache.arch) !== dir) {
    await evict(dir);
    throw new Error(
      `internal: tool-cache does not find ${plan.tool} ${plan.version} at ${dir} after caching it`,
    );
  }
  return { dir, binaryPath: join(dir, plan.binaryName) };
}

/**
 * Copies a verified staging folder (the binary and nothing else) into the tool cache with its install record,
 * makes the binary executable, and checks that the copy is the bytes that were verified.
 */
export async function cacheVerified(
  stagingDir: string,
  plan: InstallPlan,
  record: InstallRecord,
): Promise<{ dir: string; binaryPath: string }> {
  await writeFile(join(stagingDir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
  const dir = await tc.cacheDir(stagingDir, plan.cache.tool, plan.cache.version, plan.cache.arch);
  const binaryPath = join(dir, plan.binaryName);
  // On Windows this only clears read-only; elsewhere it is what makes the binary runnable.
  await chmod(binaryPath, 0o755);
  const copied = await sha256File(binaryPath);
  if (copied !== record.sha256) {
    await evict(dir);
    throw new Error(
      `copying ${plan.tool} into the tool cache changed it (SHA-256 ${record.sha256} became ${copied}); evicted ${dir}`,
    );
  }
  return { dir, binaryPath };
}
