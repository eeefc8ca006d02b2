import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
