import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { TRIVY_DB_REPOSITORIES, TRIVY_JAVA_DB_REPOSITORIES, databaseDir } from '../../src/scan/args.js';
import {
  STALE_DB_HOURS,
  type WarmOptions,
  WarmupCancelled,
  actionsCache,
  databaseCacheKey,
  formatAge,
  saveDatabase,
  warmDatabase,
} from '../../src/scan/database.js';
import { UserError } from '../../src/util/errors.js';
import { installStandins, type Standins } from '../harness/standins.js';
import { fakeCache } from './world.js';

const [MIRROR, GHCR] = TRIVY_DB_REPOSITORIES as [string, string];
const [JAVA_MIRROR] = TRIVY_JAVA_DB_REPOSITORIES as [string, string];
const HOUR = 3_600_000;
/**
 * The days of the cache tests, from tomorrow on: a restored DB's metadata may not claim a build after the run's clock,
 * and the stand-in stamps its DB with the real time.
 */
const dayAfter = (days: number): string => new Date(Date.now() + days * 24 * HOUR).toISOString().slice(0, 10);
const [D0, D1, D2] = [dayAfter(0), dayAfter(1), dayAfter(2)];

/** A DB's metadata.json rewritten as trivy finds it once it is due: NextUpdate passed, downloaded days ago. */
async function makeDue(metadataFile: string): Promise<void> {
  const meta = JSON.parse(await readFile(metadataFile, 'utf8')) as Record<string, unknown>;
  const past = new Date(Date.now() - 48 * HOUR).toISOString();
  await writeFile(metadataFile, JSON.stringify({ ...meta, NextUpdate: past, DownloadedAt: past }));
}

/** A Java DB as trivy leaves it in `<cache-dir>/java-db`; `due` puts its NextUpdate in the past. */
async function writeJavaDb(cacheDir: string, due: boolean): Promise<string> {
  const dir = join(cacheDir, 'java-db');
  await mkdir(dir, { recursive: true });
  const at = new Date(Date.now() - (due ? 96 : 1) * HOUR).toISOString();
  const next = new Date(Date.now() + (due ? -24 : 47) * HOUR).toISOString();
  await writeFile(join(dir, 'trivy-java.db'), 'an earlier Java DB\n');
  await writeFile(
    join(dir, 'metadata.json'),
    JSON.stringify({ Version: 1, NextUpdate: next, UpdatedAt: at, DownloadedAt: at }),
  );
  return join(dir, 'metadata.json');
}

describe('warmDatabase with the stand-in scanners', () => {
  let dir: string;
  let standins: Standins;
  let n = 0;
  const fresh = async (name: string): Promise<string> => {
    n += 1;
    const path = join(dir, `${name}-${n}`);
    await mkdir(path, { recursive: true });
    return path;
  };
  const sleeps: number[] = [];
  const logs: string[] = [];
  const options = async (over: Partial<WarmOptions> = {}): Promise<WarmOptions> => ({
    scanner: 'trivy',
    scannerPath: standins.trivy,
    toolCacheDir: await fresh('toolcache'),
    cache: await fakeCache(await fresh('cache-store'), false),
    retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000, sleep: async (ms) => void sleeps.push(ms) },
    log: (m) => void logs.push(m),
    ...over,
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'secure-image-db-'));
    standins = await installStandins(join(dir, 'standins'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await standins.setScenario({});
    await standins.clearCalls();
    sleeps.length = 0;
    logs.length = 0;
  });

  const dbCalls = () => standins.calls('trivy').filter((c) => c.argv.includes('--download-db-only'));
  const javaCalls = () => standins.calls('trivy').filter((c) => c.argv.includes('--download-java-db-only'));
  const repoOf = (argv: string[]) => argv[argv.indexOf('--db-repository') + 1];

  it('downloads the trivy DB into the tool cache, from the mirror, and reads its age', async () => {
    const o = await options();
    const before = Date.now();
    const state = await warmDatabase(o);
    expect(state.source).toBe('download');
    expect(state.dir).toBe(databaseDir(o.toolCacheDir, 'trivy'));
    expect(state.repository).toBe(MIRROR);
    expect(state.warnings).toEqual([]);
    const meta = JSON.parse(await readFile(join(state.dir, 'db', 'metadata.json'), 'utf8')) as {
      UpdatedAt: string;
    };
    expect(state.updatedAt?.toISOString()).toBe(new Date(meta.UpdatedAt).toISOString());
    expect(state.ageHours).toBeLessThanOrEqual((Date.now() - before) / HOUR + 0.1);
    expect(dbCalls().map((c) => repoOf(c.argv))).toEqual([MIRROR]);
    expect(dbCalls()[0]?.argv).toEqual(expect.arrayContaining(['--cache-dir', state.dir]));

    // A second run on the same runner finds it there and the scanner has nothing newer.
    await standins.clearCalls();
    const again = await warmDatabase(o);
    expect(again.source).toBe('cache');
    expect(dbCalls()).toHaveLength(1);
    // It asked the mirror, which had nothing newer: the DB it scans with is not said to come from there.
    expect(again.repository).toBeUndefined();
  });

  it('retries a transient failure with backoff, then falls back to the secondary repository', async () => {
    await standins.setScenario({
      trivy: {
        rules: [
          {
            command: 'image',
            match: MIRROR,
            failFirst: 1000,
            stderr: `FATAL\tdb download: GET https://${MIRROR}/v2/: 503 Service Unavailable\n`,
          },
        ],
      },
    });
    const state = await warmDatabase(await options());
    expect(dbCalls().map((c) => repoOf(c.argv))).toEqual([MIRROR, MIRROR, MIRROR, GHCR]);
    expect(state.source).toBe('download');
    expect(state.repository).toBe(GHCR);
    expect(state.warnings).toEqual([expect.stringContaining(`came from ${GHCR} after ${MIRROR} failed`)]);
    expect(state.warnings[0]).toContain('503 Service Unavailable');
    // Two waits between three tries, each within its backoff ceiling.
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
    expect(logs.some((l) => l.includes('falling back'))).toBe(true);
  });

  it('falls back at once when the failure is not one that a retry heals', async () => {
    await standins.setScenario({
      trivy: {
        rules: [
          {
            command: 'image',
            match: MIRROR,
            exitCode: 1,
            stderr: 'FATAL\tMANIFEST_UNKNOWN: manifest unknown\n',
          },
        ],
      },
    });
    const state = await warmDatabase(await options());
    expect(dbCalls().map((c) => repoOf(c.argv))).toEqual([MIRROR, GHCR]);
    expect(state.repository).toBe(GHCR);
    expect(sleeps).toEqual([]);
  });

  it('moves on to the secondary repository when a download hangs, without waiting for it twice', async () => {
    await standins.setScenario({ trivy: { rules: [{ command: 'image', match: MIRROR, hang: true }] } });
    const state = await warmDatabase(await options({ timeoutMs: 1000 }));
    expect(dbCalls().map((c) => repoOf(c.argv))).toEqual([MIRROR, GHCR]);
    expect(state.repository).toBe(GHCR);
    expect(state.warnings[0]).toMatch(/timed out after 1 s/);
  });

  it('fails with what each repository said when there is no DB at all', async () => {
    await standins.setScenario({
      trivy: {
        rules: [{ command: 'image', exitCode: 1, stderr: 'FATAL\tdial tcp: lookup mirror: no such host\n' }],
      },
    });
    const failure = warmDatabase(await options());
    await expect(failure).rejects.toThrow(UserError);
    await expect(failure).rejects.toThrow(
      /there is none to fall back on:\n- mirror\.gcr\.io\/aquasec\/trivy-db:2: .*no such host\n- ghcr\.io\/aquasecurity\/trivy-db:2: .*no such host/,
    );
  });

  it('scans with an old DB when refreshing fails, and warns that it is stale', async () => {
    const o = await options();
    const dbDir = join(databaseDir(o.toolCacheDir, 'trivy'), 'db');
    await mkdir(dbDir, { recursive: true });
    const updatedAt = new Date(Date.now() - 5 * 24 * HOUR);
    await writeFile(join(dbDir, 'trivy.db'), 'old');
    await writeFile(
      join(dbDir, 'metadata.json'),
      JSON.stringify({
        Version: 2,
        UpdatedAt: updatedAt.toISOString(),
        DownloadedAt: updatedAt.toISOString(),
      }),
    );
    await standins.setScenario({
      trivy: { rules: [{ command: 'image', exitCode: 1, stderr: 'FATAL\tunauthorized: access denied\n' }] },
    });
    const state = await warmDatabase(o);
    expect(state.source).toBe('cache');
    expect(state.updatedAt?.toISOString()).toBe(updatedAt.toISOString());
    expect(state.ageHours).toBeGreaterThan(STALE_DB_HOURS);
    expect(state.warnings).toEqual([
      expect.stringMatching(/Could not refresh the trivy vulnerability DB; scanning with the one from/),
      expect.stringMatching(/is 5 days old/),
    ]);
  });

  it('warns about a DB older than three days and not about a younger one', async () => {
    // trivy would refresh a DB this old; here it cannot, so the scan goes on with the old one.
    await standins.setScenario({
      trivy: { rules: [{ command: 'image', exitCode: 1, stderr: 'FATAL\tunauthorized: access denied\n' }] },
    });
    for (const [days, warned] of [
      [2.9, false],
      [3.2, true],
    ] as const) {
      const o = await options();
      const dbDir = join(databaseDir(o.toolCacheDir, 'trivy'), 'db');
      await mkdir(dbDir, { recursive: true });
      const at = new Date(Date.now() - days * 24 * HOUR).toISOString();
      await writeFile(join(dbDir, 'trivy.db'), 'db');
      await writeFile(
        join(dbDir, 'metadata.json'),
        JSON.stringify({ Version: 2, UpdatedAt: at, DownloadedAt: at }),
      );
      const state = await warmDatabase(o);
      expect(state.warnings.some((w) => /days old/.test(w))).toBe(warned);
    }
  });

  it('restores today\u2019s DB from the Actions cache without downloading, and saves a new day\u2019s', async () => {
    const store = await fresh('shared-store');
    const cache = await fakeCache(store, true);
    const day1 = new Date(`${D1}T10:00:00Z`);

    // First run: nothing cached, so download, and save under today's key.
    const first = await warmDatabase(await options({ cache, now: () => day1 }));
    expect(first.source).toBe('download');
    expect(first.cacheKey).toBe(`secure-image-trivy-db-${D1}`);
    expect(first.saveNeeded).toBe(true);
    expect(await saveDatabase(first, { cache })).toEqual({ saved: true });
    expect(cache.saves).toEqual([`secure-image-trivy-db-${D1}`]);

    // Another runner the same day: an exact hit, no scanner call at all, nothing to save.
    await standins.clearCalls();
    const second = await warmDatabase(await options({ cache, now: () => new Date(`${D1}T23:59:00Z`) }));
    expect(second.source).toBe('restored');
    expect(second.saveNeeded).toBe(false);
    expect(dbCalls()).toHaveLength(0);
    expect(await readFile(join(second.dir, 'db', 'metadata.json'), 'utf8')).toBe(
      await readFile(join(first.dir, 'db', 'metadata.json'), 'utf8'),
    );
    expect(await saveDatabase(second, { cache })).toEqual({ saved: false });

    // The next day, while yesterday's DB is still current for trivy (its NextUpdate is ahead): restored by prefix,
    // the scanner asked, nothing downloaded, so nothing saved: it is not today's DB.
    await standins.clearCalls();
    const current = await warmDatabase(await options({ cache, now: () => new Date(`${D2}T00:01:00Z`) }));
    expect(cache.restores.filter((r) => r.key === `secure-image-trivy-db-${D2}`)).toEqual([
      {
        key: `secure-image-trivy-db-${D2}`,
        restoreKeys: ['secure-image-trivy-db-'],
        hit: `secure-image-trivy-db-${D1}`,
      },
    ]);
    expect(dbCalls()).toHaveLength(1);
    expect(current.source).toBe('restored');
    expect(current.saveNeeded).toBe(false);
    // trivy was pointed at the mirror, but downloaded nothing from it: the DB's origin is not known to this run.
    expect(current.repository).toBeUndefined();
    expect(await saveDatabase(current, { cache })).toEqual({ saved: false });

    // Once it is due, trivy downloads a new one, and that is saved under today's key.
    await makeDue(join(store, `secure-image-trivy-db-${D1}`, '0', 'metadata.json'));
    await standins.clearCalls();
    const third = await warmDatabase(await options({ cache, now: () => new Date(`${D2}T00:01:00Z`) }));
    expect(dbCalls()).toHaveLength(1);
    expect(third.source).toBe('download');
    expect(third.saveNeeded).toBe(true);
    expect(await saveDatabase(third, { cache })).toEqual({ saved: true });
    expect(cache.saves).toEqual([`secure-image-trivy-db-${D1}`, `secure-image-trivy-db-${D2}`]);
    // A save that loses the race to another job is a warning, not a failure.
    const raced = await saveDatabase(third, { cache });
    expect(raced.saved).toBe(false);
    expect(raced.warning).toMatch(/Could not save the trivy DB to the Actions cache .*another job/);
  });

  it.each([
    ['claims a build in the future', { UpdatedAt: 'FUTURE' }, /built in the future/],
    [
      'keeps trivy from replacing it for a year',
      { NextUpdate: 'YEAR' },
      /NextUpdate .* more than 48 h after its build/,
    ],
    ['is of another schema', { Version: 1 }, /schema version is 1, not 2/],
    ['has metadata that is not an object', 'null', /metadata\.json is not an object/],
  ])(
    'refuses a DB from the Actions cache that %s: removed, downloaded again, with a warning',
    async (_, change, why) => {
      const store = await fresh('tampered-store');
      const cache = await fakeCache(store, true);
      const now = new Date(`${D1}T10:00:00Z`);
      await warmDatabase(await options({ cache, now: () => now })).then((s) => saveDatabase(s, { cache }));
      const metadataFile = join(store, `secure-image-trivy-db-${D1}`, '0', 'metadata.json');
      const meta = JSON.parse(await readFile(metadataFile, 'utf8')) as Record<string, unknown>;
      const values: Record<string, string> = {
        FUTURE: new Date(now.getTime() + 30 * 24 * HOUR).toISOString(),
        YEAR: new Date(now.getTime() + 365 * 24 * HOUR).toISOString(),
      };
      const tampered =
        typeof change === 'string'
          ? change
          : JSON.stringify({
              ...meta,
              ...Object.fromEntries(Object.entries(change).map(([k, v]) => [k, values[String(v)] ?? v])),
            });
      await writeFile(metadataFile, tampered);
      await standins.clearCalls();

      const state = await warmDatabase(await options({ cache, now: () => now }));
      expect(state.warnings[0]).toMatch(
        new RegExp(`^The trivy DB in the Actions cache \\(secure-image-trivy-db-${D1}\\) was not used: `),
      );
      expect(state.warnings[0]).toMatch(why);
      expect(dbCalls()).toHaveLength(1);
      expect(state.source).toBe('download');
      const used = JSON.parse(await readFile(join(state.dir, 'db', 'metadata.json'), 'utf8')) as unknown;
      expect(used).not.toEqual(JSON.parse(tampered));
    },
  );

  it('does not save an older DB under today\u2019s key when its refresh fails', async () => {
    const store = await fresh('failed-refresh-store');
    const cache = await fakeCache(store, true);
    await warmDatabase(await options({ cache, now: () => new Date(`${D1}T10:00:00Z`) })).then((s) =>
      saveDatabase(s, { cache }),
    );
    await makeDue(join(store, `secure-image-trivy-db-${D1}`, '0', 'metadata.json'));
    await standins.clearCalls();
    await standins.setScenario({
      trivy: {
        rules: [{ command: 'image', exitCode: 1, stderr: 'FATAL\tMANIFEST_UNKNOWN: manifest unknown\n' }],
      },
    });
    const state = await warmDatabase(await options({ cache, now: () => new Date(`${D2}T08:00:00Z`) }));
    expect(dbCalls().map((c) => repoOf(c.argv))).toEqual([MIRROR, GHCR]);
    expect(state.source).toBe('restored');
    expect(state.warnings[0]).toMatch(/Could not refresh the trivy vulnerability DB/);
    expect(state.saveNeeded).toBe(false);
    expect(await saveDatabase(state, { cache, scansCompleted: true })).toEqual({ saved: false });
    expect(cache.saves).toEqual([`secure-image-trivy-db-${D1}`]);
  });

  it('neither restores nor saves when the cache service is not there', async () => {
    const cache = await fakeCache(await fresh('unused-store'), false);
    const state = await warmDatabase(await options({ cache }));
    expect(state.saveNeeded).toBe(false);
    expect(await saveDatabase(state, { cache })).toEqual({ saved: false });
    expect(cache.restores).toEqual([]);
    expect(cache.saves).toEqual([]);
  });

  it('updates the grype DB in GRYPE_DB_CACHE_DIR, retrying a reset connection, and reads its age from db status', async () => {
    await standins.setScenario({
      grype: {
        rules: [{ command: 'db update', failFirst: 2, stderr: 'read tcp: connection reset by peer\n' }],
      },
    });
    const now = new Date('2025-11-22T00:34:08Z');
    const state = await warmDatabase(
      await options({ scanner: 'grype', scannerPath: standins.grype, now: () => now }),
    );
    const calls = standins.calls('grype');
    expect(calls.filter((c) => c.command === 'db update')).toHaveLength(3);
    expect(calls.every((c) => c.envNames.includes('GRYPE_DB_CACHE_DIR'))).toBe(true);
    expect(calls.find((c) => c.command === 'db status')?.argv).toEqual(['db', 'status', '-o', 'json']);
    expect(state.source).toBe('download');
    // The stand-in answers as grype 0.116 does: built 2025-11-20T00:34:08Z, from the v6 listing.
    const status = JSON.parse(
      (await import('node:child_process'))
        .execFileSync(standins.grype, ['db', 'status', '-o', 'json'], {
          env: { PATH: process.env.PATH ?? '', GRYPE_DB_CACHE_DIR: state.dir },
        })
        .toString(),
    ) as { built: string; from: string };
    expect(state.updatedAt?.toISOString()).toBe(new Date(status.built).toISOString());
    expect(state.ageHours).toBe((now.getTime() - new Date(status.built).getTime()) / HOUR);
    expect(state.repository).toBe(status.from);
    expect(sleeps).toHaveLength(2);
  });

  it('stops a download in flight when the run no longer needs it, and leaves no DB behind', async () => {
    await standins.setScenario({
      trivy: { rules: [{ command: 'image', match: '--download-db-only', delayMs: 20_000 }] },
    });
    const controller = new AbortController();
    const o = await options({ signal: controller.signal });
    const pending = warmDatabase(o);
    // Once the download is under way (its call is logged), the run stops needing it.
    while (dbCalls().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await expect(pending).rejects.toThrow(WarmupCancelled);
    const pid = dbCalls()[0]?.pid ?? 0;
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).toThrow();
    // Ended, not finished: the stand-in writes the DB only at the end of its 20 s.
    expect(existsSync(join(databaseDir(o.toolCacheDir, 'trivy'), 'db', 'metadata.json'))).toBe(false);
    // Only the one try: a stopped download is neither retried nor tried at the next repository.
    expect(dbCalls()).toHaveLength(1);
  });

  it('stops waiting between tries when the run no longer needs the DB', async () => {
    await standins.setScenario({
      trivy: { rules: [{ command: 'image', failFirst: 100, stderr: 'FATAL\t503 Service Unavailable\n' }] },
    });
    const controller = new AbortController();
    const o = await options({ signal: controller.signal });
    // The real sleep, waiting a minute before the second try.
    o.retry = { attempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 };
    const pending = warmDatabase(o);
    while (!logs.some((l) => l.includes('trying again'))) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await expect(pending).rejects.toThrow(WarmupCancelled);
    expect(dbCalls()).toHaveLength(1);
  });

  describe('the trivy Java DB', () => {
    it('is not downloaded ahead when no earlier run needed it', async () => {
      const state = await warmDatabase(
        await options({ cache: await fakeCache(await fresh('jstore'), true) }),
      );
      expect(javaCalls()).toEqual([]);
      expect(state.java).toMatchObject({ ready: false, saveNeeded: false });
      expect(logs.some((l) => /No trivy Java DB from an earlier run/.test(l))).toBe(true);
    });

    it('is refreshed beside the vulnerability DB when the tool cache has one, and saved when trivy downloaded it', async () => {
      const cache = await fakeCache(await fresh('jstore'), true);
      const o = await options({ cache, now: () => new Date(`${D2}T08:00:00Z`) });
      await writeJavaDb(databaseDir(o.toolCacheDir, 'trivy'), true);
      const state = await warmDatabase(o);
      expect(javaCalls()).toHaveLength(1);
      const argv = javaCalls()[0]?.argv ?? [];
      expect(argv[argv.indexOf('--java-db-repository') + 1]).toBe(JAVA_MIRROR);
      expect(argv[argv.indexOf('--cache-dir') + 1]).toBe(state.dir);
      // Both downloads ran at once.
      expect(
        Math.abs(Date.parse(javaCalls()[0]?.time ?? '') - Date.parse(dbCalls()[0]?.time ?? '')),
      ).toBeLessThan(1000);
      expect(state.java).toMatchObject({
        ready: true,
        saveNeeded: true,
        cacheKey: `secure-image-trivy-java-db-${D2}`,
        source: 'download',
      });
      expect(state.java?.updatedAt).toBeInstanceOf(Date);
      expect(await saveDatabase(state, { cache })).toEqual({ saved: true });
      expect(cache.saves).toEqual([`secure-image-trivy-db-${D2}`, `secure-image-trivy-java-db-${D2}`]);
    });

    it('comes from the Actions cache; a current one is used as it is, and not saved again', async () => {
      const store = await fresh('jstore');
      const cache = await fakeCache(store, true);
      await writeJavaDb(join(store, `secure-image-trivy-java-db-${D0}`), false);
      await rename(join(store, `secure-image-trivy-java-db-${D0}`, 'java-db'), join(store, 'x'));
      await rename(join(store, 'x'), join(store, `secure-image-trivy-java-db-${D0}`, '0'));
      const state = await warmDatabase(await options({ cache, now: () => new Date(`${D2}T08:00:00Z`) }));
      expect(cache.restores).toContainEqual({
        key: `secure-image-trivy-java-db-${D2}`,
        restoreKeys: ['secure-image-trivy-java-db-'],
        hit: `secure-image-trivy-java-db-${D0}`,
      });
      // trivy was asked and found it current (NextUpdate ahead): nothing downloaded, nothing to save.
      expect(javaCalls()).toHaveLength(1);
      expect(state.java).toMatchObject({ ready: true, saveNeeded: false, source: 'restored' });

      // Today's key: not even asked.
      await standins.clearCalls();
      await rename(
        join(store, `secure-image-trivy-java-db-${D0}`),
        join(store, `secure-image-trivy-java-db-${D2}`),
      );
      const today = await warmDatabase(await options({ cache, now: () => new Date(`${D2}T09:00:00Z`) }));
      expect(javaCalls()).toEqual([]);
      expect(today.java).toMatchObject({ ready: true, saveNeeded: false, source: 'restored' });
    });

    it('keeps an older Java DB, with a warning, when its refresh fails', async () => {
      await standins.setScenario({
        trivy: {
          rules: [
            {
              command: 'image',
              match: '--download-java-db-only',
              exitCode: 1,
              stderr: 'FATAL\tJava DB error: OCI repository error: MANIFEST_UNKNOWN\n',
            },
          ],
        },
      });
      const cache = await fakeCache(await fresh('jstore'), true);
      const o = await options({ cache });
      await writeJavaDb(databaseDir(o.toolCacheDir, 'trivy'), true);
      const state = await warmDatabase(o);
      expect(javaCalls()).toHaveLength(2);
      // The scans use the older one, from the tool cache.
      expect(state.java).toMatchObject({ ready: true, saveNeeded: false, source: 'cache' });
      expect(state.warnings).toEqual([
        expect.stringMatching(
          /^Could not refresh the trivy Java DB; the scans use the one from .*MANIFEST_UNKNOWN/,
        ),
      ]);
      expect(await saveDatabase(state, { cache, scansCompleted: true })).toEqual({ saved: true });
      expect(cache.saves).toEqual([state.cacheKey]);
    });
  });

  it('leaves a rejection that nobody awaits yet handled, and still rejects when awaited', async () => {
    await standins.setScenario({
      trivy: { rules: [{ command: 'image', exitCode: 1, stderr: 'FATAL\tboom\n' }] },
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const pending = warmDatabase(await options());
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(unhandled).toEqual([]);
      await expect(pending).rejects.toThrow(/boom/);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('the Actions cache', () => {
  const names = ['ACTIONS_CACHE_URL', 'ACTIONS_RESULTS_URL', 'ACTIONS_CACHE_SERVICE_V2', 'GITHUB_SERVER_URL'];
  const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
  afterEach(() => {
    for (const n of names) {
      if (saved[n] === undefined) delete process.env[n];
      else process.env[n] = saved[n];
    }
  });

  it.each<[string, Record<string, string>, boolean]>([
    ['no cache service variables', {}, false],
    ['the v1 service', { ACTIONS_CACHE_URL: 'https://artifactcache.actions.githubusercontent.com/x/' }, true],
    [
      'the v2 service',
      {
        ACTIONS_CACHE_SERVICE_V2: 'true',
        ACTIONS_RESULTS_URL: 'https://results-receiver.actions.githubusercontent.com/',
      },
      true,
    ],
    [
      'v2 switched on without its URL',
      { ACTIONS_CACHE_SERVICE_V2: 'true', ACTIONS_CACHE_URL: 'https://x/' },
      false,
    ],
  ])('is available with %s as @actions/cache decides', (_name, env, expected) => {
    for (const n of names) delete process.env[n];
    Object.assign(process.env, env);
    expect(actionsCache.isAvailable()).toBe(expected);
  });

  it('keys the DB by scanner and UTC day, restoring older days by prefix', () => {
    const late = new Date('2026-01-31T23:30:00-05:00');
    expect(databaseCacheKey('grype', late)).toEqual({
      key: 'secure-image-grype-db-2026-02-01',
      restoreKeys: ['secure-image-grype-db-'],
    });
  });

  it.each([
    [3, '3 hours'],
    [1, '1 hour'],
    [47.6, '48 hours'],
    [125, '5.2 days'],
  ])('formats an age of %s hours as %s', (hours, text) => {
    expect(formatAge(hours)).toBe(text);
  });
});
