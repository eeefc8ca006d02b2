// The DB warm-up's Actions-cache path with the real trivy and grype, on DB directories secure-image-vulndb wrote with
// the scanners' own Go packages (__tests__/harness/vulndb.ts): what an earlier run saved is restored into the tool
// cache, checked by the scanner itself, and used without a download; one that was changed after grype wrote it is
// refused. The Actions cache is the on-disk store of world.ts (the service cannot run here); the scanners reach the
// network only through a proxy that leads none of their DB hosts anywhere, so nothing is downloaded in CI either.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { warmDatabase } from '../../src/scan/database.js';
import { startForwardProxy, type ForwardProxy } from '../harness/forward-proxy.js';
import { realTools, skipReason } from '../harness/real-tools.js';
import { nodeBinary } from '../harness/runner.js';
import { writeVulnDbs, type VulnDbs } from '../harness/vulndb.js';
import { fakeCache } from './world.js';

const needed = ['trivy', 'grype', 'secure-image-vulndb'] as const;
const missing = skipReason([...needed], 'DB warm-up with the real scanners');
const suite = missing ? describe.skip : describe;

const HOUR = 3_600_000;
const day = (offset: number): string => new Date(Date.now() + offset * 24 * HOUR).toISOString().slice(0, 10);

let dir: string;
let dbs: VulnDbs;
let proxy: ForwardProxy;
let env: Record<string, string>;
let trivy: string;
let grype: string;
let n = 0;
const fresh = (name: string): string => {
  const path = join(dir, `${name}-${++n}`);
  mkdirSync(path, { recursive: true });
  return path;
};

beforeAll(async () => {
  if (missing) return;
  const tools = realTools([...needed]).tools;
  if (!tools) return;
  trivy = tools.path('trivy');
  grype = tools.path('grype');
  dir = mkdtempSync(join(tmpdir(), 'secure-image-real-db-'));
  dbs = await writeVulnDbs(tools.path('secure-image-vulndb'), join(dir, 'written'), {
    built: new Date(Date.now() - 5 * HOUR),
  });
  proxy = await startForwardProxy(
    Object.fromEntries(
      ['mirror.gcr.io:443', 'ghcr.io:443', 'grype.anchore.io:443'].map((h) => [h, '127.0.0.1:1']),
    ),
  );
  env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    HTTPS_PROXY: proxy.url,
    HTTP_PROXY: proxy.url,
    NO_PROXY: '127.0.0.1,localhost',
  };
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** An Actions cache holding `entry` (a copy of `from`) under `key`, as an earlier run's save leaves it. */
async function cacheHolding(key: string, from: string) {
  const cache = await fakeCache(fresh('actions-cache'));
  cpSync(from, join(cache.store, key, '0'), { recursive: true });
  return cache;
}

const noRetry = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

suite('warm-up and Actions cache with the real scanners, on a DB the tests wrote', () => {
  it("trivy: yesterday's DB is restored, trivy finds it current and downloads nothing; today's key is not saved over it", async () => {
    const key = `secure-image-trivy-db-${day(-1)}`;
    const cache = await cacheHolding(key, join(dbs.trivy, 'db'));
    const toolCache = fresh('tool-cache');
    const asked = proxy.log().length;
    const state = await warmDatabase({
      scanner: 'trivy',
      scannerPath: trivy,
      toolCacheDir: toolCache,
      cache,
      env,
      retry: noRetry,
      log: () => undefined,
    });
    // (The Java DB is looked up too; the cache holds none.)
    expect(cache.restores).toContainEqual({
      key: `secure-image-trivy-db-${day(0)}`,
      restoreKeys: ['secure-image-trivy-db-'],
      hit: key,
    });
    expect(state).toMatchObject({ source: 'restored', version: '2', saveNeeded: false, warnings: [] });
    expect(state.updatedAt?.toISOString()).toBe(dbs.built.toISOString().replace(/\.\d+Z$/, '.000Z'));
    expect(state.ageHours).toBeCloseTo(5, 0);
    // trivy ran (`--download-db-only`), read the restored metadata and asked no DB repository.
    expect(proxy.log().slice(asked)).toEqual([]);
    expect(existsSync(join(toolCache, 'secure-image', 'trivy-db', 'db', 'trivy.db'))).toBe(true);
  });

  it("grype: today's DB is restored, `grype db status` finds it valid, and it is used as it is", async () => {
    const key = `secure-image-grype-db-${day(0)}`;
    const cache = await cacheHolding(key, dbs.grype);
    const asked = proxy.log().length;
    const state = await warmDatabase({
      scanner: 'grype',
      scannerPath: grype,
      toolCacheDir: fresh('tool-cache'),
      cache,
      env,
      retry: noRetry,
      log: () => undefined,
    });
    expect(state).toMatchObject({ source: 'restored', saveNeeded: false, warnings: [] });
    expect(state.version).toMatch(/^v6\./);
    expect(state.updatedAt?.toISOString()).toBe(dbs.built.toISOString().replace(/\.\d+Z$/, '.000Z'));
    // Today's DB: no `grype db update`, so grype's listing was not asked for.
    expect(proxy.log().slice(asked)).toEqual([]);
  });

  it('grype: a cached DB changed after grype wrote it (its findings withdrawn) is refused and removed', async () => {
    const planted = fresh('planted');
    cpSync(dbs.grype, planted, { recursive: true });
    // What someone with write access to the cache could do: keep every advisory, but mark them all withdrawn.
    // (SQLite through Node 24's node:sqlite: the action's own Node, so no sqlite3 package is needed.)
    execFileSync(nodeBinary(), [
      '--disable-warning=ExperimentalWarning',
      '-e',
      "new (require('node:sqlite').DatabaseSync)(process.argv[1]).exec(\"UPDATE vulnerability_handles SET status = 'withdrawn'\")",
      join(planted, '6', 'vulnerability.db'),
    ]);
    const cache = await cacheHolding(`secure-image-grype-db-${day(0)}`, planted);
    const toolCache = fresh('tool-cache');
    const warm = warmDatabase({
      scanner: 'grype',
      scannerPath: grype,
      toolCacheDir: toolCache,
      cache,
      env,
      retry: noRetry,
      log: () => undefined,
    });
    // Refused (grype's own checksum check), so a download is tried; the runner cannot reach grype's listing.
    await expect(warm).rejects.toThrow(
      /Could not download the grype vulnerability DB, and there is none to fall back on/,
    );
    expect(existsSync(join(toolCache, 'secure-image', 'grype-db', '6', 'vulnerability.db'))).toBe(false);
  });
});
