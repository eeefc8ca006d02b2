// What the scan runner tests share: a real registry (with a login) holding a real image, the stand-in
// scanners, a tool cache, and an Actions cache store on disk that behaves as the cache service does
// for this module (exact key first, then the newest entry under a restore-key prefix).
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CacheService } from '../../src/scan/database.js';
import { pushBaseImage, startRegistry, type Registry } from '../harness/registry.js';
import { installStandins, type Scenario, type Standins } from '../harness/standins.js';
import { UPSTREAM } from './helpers.js';

export const LOGIN = { username: 'scanbot', password: 'Sc4n-p4ss-word' };

export interface ScanWorld {
  dir: string;
  registry: Registry;
  /** `host/acme/app@sha256:…` of a real pushed image. */
  imageRef: string;
  standins: Standins;
  /** A fresh directory under the world's temp dir. */
  fresh(name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startScanWorld(scenario: Scenario = {}): Promise<ScanWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'secure-image-scan-'));
  const registry = await startRegistry({ auth: LOGIN });
  const pushed = await pushBaseImage(registry, 'acme/app', '1.0');
  const standins = await installStandins(join(dir, 'standins'), scenario);
  let n = 0;
  return {
    dir,
    registry,
    imageRef: `${registry.host}/acme/app@${pushed.digest}`,
    standins,
    async fresh(name) {
      n += 1;
      const path = join(dir, `${name}-${n}`);
      await mkdir(path, { recursive: true });
      return path;
    },
    async stop() {
      await registry.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface FakeCache extends CacheService {
  store: string;
  restores: Array<{ key: string; restoreKeys: string[]; hit?: string }>;
  saves: string[];
  available: boolean;
}

/** The Actions cache on disk: `store/<key>/<n>` holds a copy of the n-th saved path. */
export async function fakeCache(store: string, available = true): Promise<FakeCache> {
  await mkdir(store, { recursive: true });
  const cache: FakeCache = {
    store,
    restores: [],
    saves: [],
    available,
    isAvailable: () => cache.available,
    async restore(paths, key, restoreKeys) {
      const entries = (await readdir(store)).sort().reverse();
      const hit =
        entries.find((e) => e === key) ??
        entries.find((e) => restoreKeys.some((prefix) => e.startsWith(prefix)));
      cache.restores.push({ key, restoreKeys, ...(hit ? { hit } : {}) });
      if (!hit) return undefined;
      for (const [i, path] of paths.entries()) {
        await rm(path, { recursive: true, force: true });
        await cp(join(store, hit, String(i)), path, { recursive: true });
      }
      return hit;
    },
    async save(paths, key) {
      const entries = await readdir(store);
      // The service refuses a second save under a key (ReserveCacheError).
      if (entries.includes(key))
        throw new Error(`Unable to reserve cache with key ${key}, another job may be creating this cache.`);
      cache.saves.push(key);
      for (const [i, path] of paths.entries())
        await cp(path, join(store, key, String(i)), { recursive: true });
    },
  };
  return cache;
}

/** A trivy report made from an upstream golden, with the vulnerabilities replaced: for threshold tables. */
export async function trivyReportFile(
  path: string,
  vulns: Array<{ id: string; severity: string; fixed?: string; pkg?: string }>,
  golden = 'alpine-310.json.golden',
): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const doc = JSON.parse(await readFile(join(UPSTREAM, 'trivy', golden), 'utf8')) as {
    Results: Array<{ Vulnerabilities?: Array<Record<string, unknown>> }>;
  };
  const result = doc.Results[0];
  const template = result?.Vulnerabilities?.[0];
  if (!result || !template) throw new Error(`${golden} has no vulnerability to copy`);
  result.Vulnerabilities = vulns.map((v) => {
    const copy: Record<string, unknown> = { ...template, VulnerabilityID: v.id, Severity: v.severity };
    if (v.pkg) copy['PkgName'] = v.pkg;
    if (v.fixed) {
      copy['FixedVersion'] = v.fixed;
      copy['Status'] = 'fixed';
    } else {
      delete copy['FixedVersion'];
      copy['Status'] = 'affected';
    }
    return copy;
  });
  await writeFile(path, JSON.stringify(doc));
  return path;
}

/**
 * A derived report: an upstream golden with one more Result, a JAR file's (trivy lists JAR packages under
 * `Type: jar`), which is what makes trivy need its Java DB. Not upstream data: made here for the Java DB tests.
 */
export async function trivyJarReportFile(path: string, golden = 'alpine-310.json.golden'): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const doc = JSON.parse(await readFile(join(UPSTREAM, 'trivy', golden), 'utf8')) as {
    Results: Array<Record<string, unknown>>;
  };
  doc.Results.push({
    Target: 'Java',
    Class: 'lang-pkgs',
    Type: 'jar',
    Packages: [{ Name: 'org.example:app', Version: '1.0.0', FilePath: 'app/app.jar' }],
  });
  await writeFile(path, JSON.stringify(doc));
  return path;
}
