import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  access,
  chmod,
  constants as fsConstants,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_CATALOG, type Catalog } from '../../src/tools/catalog.js';
import {
  installTools,
  type InstallDeps,
  type InstallLog,
  type InstallRequest,
} from '../../src/tools/install.js';
import { UserError } from '../../src/util/errors.js';
import { startReleaseServer, type ReleaseServer } from '../harness/release-server.js';

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** A release root, two servers on it (the second plays "another host"), and a fresh tool cache and temp dir. */
interface Fixture {
  root: string;
  server: ReleaseServer;
  other: ReleaseServer;
  toolCache: string;
  runnerTemp: string;
  /** Writes a release file at `<owner>/<repo>/releases/download/<tag>/<name>`; returns its URL path. */
  publish(repo: string, tag: string, name: string, data: Buffer | string): Promise<string>;
  /** The default catalog, pointed at the local server, with cosign's pinned hash for linux/amd64 replaced. */
  catalog(pinnedCosign: string, edit?: (c: Catalog) => void): Catalog;
  deps(
    catalog: Catalog,
    extra?: Partial<InstallDeps>,
  ): InstallDeps & { log: InstallLog & { warnings: string[] } };
  /** Every file under RUNNER_TOOL_CACHE, relative, sorted. */
  cached(): Promise<string[]>;
  /** What is left in RUNNER_TEMP (the installer removes its scratch folder). */
  leftovers(): Promise<string[]>;
  stop(): Promise<void>;
}

async function startFixture(): Promise<Fixture> {
  const root = await mkdtemp(join(tmpdir(), 'releases-'));
  const toolCache = await mkdtemp(join(tmpdir(), 'tool-cache-'));
  const runnerTemp = await mkdtemp(join(tmpdir(), 'runner-temp-'));
  const server = await startReleaseServer(root);
  const other = await startReleaseServer(root);
  const saved = { cache: process.env.RUNNER_TOOL_CACHE, temp: process.env.RUNNER_TEMP };
  // @actions/tool-cache reads both at call time, so setting them here, before any install, is enough.
  process.env.RUNNER_TOOL_CACHE = toolCache;
  process.env.RUNNER_TEMP = runnerTemp;

  const list = async (dir: string): Promise<string[]> => {
    if (!existsSync(dir)) return [];
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
      .sort();
  };

  return {
    root,
    server,
    other,
    toolCache,
    runnerTemp,
    async publish(repo, tag, name, data) {
      const path = `/${repo}/releases/download/${tag}/${name}`;
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), data);
      return path;
    },
    catalog(pinnedCosign, edit) {
      const c: Catalog = structuredClone(DEFAULT_CATALOG);
      const cosign = c.tools.cosign;
      c.github = { baseUrl: server.url, redirectHosts: [other.host] };
      (cosign as { pinned: unknown }).pinned = {
        [cosign.defaultVersion]: { ...cosign.pinned?.[cosign.defaultVersion], 'linux/amd64': pinnedCosign },
      };
      edit?.(c);
      return c;
    },
    deps(catalog, extra = {}) {
      const warnings: string[] = [];
      return {
        catalog,
        sleep: async () => undefined,
        download: { stallTimeoutMs: 2_000, attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
        ...extra,
        log: { info: () => undefined, warning: (m: string) => warnings.push(m), warnings },
      };
    },
    cached: () => list(toolCache),
    leftovers: () => list(runnerTemp),
    async stop() {
      await server.stop();
      await other.stop();
      for (const dir of [root, toolCache, runnerTemp]) await rm(dir, { recursive: true, force: true });
      if (saved.cache === undefined) delete process.env.RUNNER_TOOL_CACHE;
      else process.env.RUNNER_TOOL_CACHE = saved.cache;
      if (saved.temp === undefined) delete process.env.RUNNER_TEMP;
      else process.env.RUNNER_TEMP = saved.temp;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------

const COSIGN_PATH = '/sigstore/cosign/releases/download/v3.0.6/cosign-linux-amd64';
const COSIGN_BYTES = Buffer.concat([
  Buffer.from('#!/bin/sh\necho bootstrap cosign\n'),
  Buffer.alloc(64 * 1024, 1),
]);
const CACHED_COSIGN = 'secure-image-cosign/3.0.6/x64/cosign';
const CACHED_RECORD = 'secure-image-cosign/3.0.6/x64/secure-image-install.json';
// tool-cache's marker that the entry is complete, the binary, and the install record: nothing else.
const COSIGN_ENTRY = ['secure-image-cosign/3.0.6/x64.complete', CACHED_COSIGN, CACHED_RECORD];
const LINUX: Pick<InstallRequest, 'runnerOs' | 'runnerArch'> = { runnerOs: 'Linux', runnerArch: 'X64' };
const cosignOnly: InstallRequest = { ...LINUX, scanner: 'none' };

let fx: Fixture;

beforeEach(async () => {
  fx = await startFixture();
  await fx.publish('sigstore/cosign', 'v3.0.6', 'cosign-linux-amd64', COSIGN_BYTES);
});

afterEach(async () => {
  await fx.stop();
});

async function rejection(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

describe('installTools: the bootstrap cosign', () => {
  it('downloads, checks the embedded hash, caches the binary with its record, and cleans up', async () => {
    const catalog = fx.catalog(sha256(COSIGN_BYTES));
    const result = await installTools(cosignOnly, fx.deps(catalog));

    expect(result.cosign).toMatchObject({
      name: 'cosign',
      version: '3.0.6',
      source: 'download',
      path: join(fx.toolCache, CACHED_COSIGN),
      sha256: sha256(COSIGN_BYTES),
      url: `${fx.server.url}${COSIGN_PATH}`,
    });
    expect(result.cosign.verification).toEqual([
      `SHA-256 ${sha256(COSIGN_BYTES)} matches the hash embedded in secure-image`,
    ]);
    expect(result.cosign.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.scanner).toBeUndefined();
    expect(result.downloads).toEqual([`${fx.server.url}${COSIGN_PATH}`]);

    expect(await fx.cached()).toEqual(COSIGN_ENTRY);
    expect(existsSync(join(fx.toolCache, 'secure-image-cosign/3.0.6/x64.complete'))).toBe(true);
    expect(await readFile(join(fx.toolCache, CACHED_COSIGN))).toEqual(COSIGN_BYTES);
    await access(join(fx.toolCache, CACHED_COSIGN), fsConstants.X_OK);
    const record = JSON.parse(await readFile(join(fx.toolCache, CACHED_RECORD), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(record).toMatchObject({
      tool: 'cosign',
      version: '3.0.6',
      binary: 'cosign',
      sha256: sha256(COSIGN_BYTES),
    });
    expect(await fx.leftovers()).toEqual([]);
  });

  it('a second run hits the cache with zero downloads', async () => {
    const catalog = fx.catalog(sha256(COSIGN_BYTES));
    await installTools(cosignOnly, fx.deps(catalog));
    const before = fx.server.requests().length;

    const second = await installTools(cosignOnly, fx.deps(catalog));
    expect(fx.server.requests().length).toBe(before);
    expect(second.downloads).toEqual([]);
    expect(second.cosign.source).toBe('cache');
    expect(second.cosign.path).toBe(join(fx.toolCache, CACHED_COSIGN));
    expect(second.cosign.verification).toEqual([
      `SHA-256 ${sha256(COSIGN_BYTES)} matches the hash recorded when secure-image cached it`,
      'SHA-256 matches the hash embedded in secure-image',
    ]);
  });

  it('one corrupted byte: fails with both hashes and the URL, deletes the download, caches nothing', async () => {
    const corrupted = Buffer.from(COSIGN_BYTES);
    corrupted[100] = (corrupted[100] ?? 0) ^ 0xff;
    await fx.publish('sigstore/cosign', 'v3.0.6', 'cosign-linux-amd64', corrupted);
    const err = await rejection(installTools(cosignOnly, fx.deps(fx.catalog(sha256(COSIGN_BYTES)))));

    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain('does not match the hash embedded in secure-image');
    expect(err.message).toContain(`expected: ${sha256(COSIGN_BYTES)}`);
    expect(err.message).toContain(`actual:   ${sha256(corrupted)}`);
    expect(err.message).toContain(`URL:      ${fx.server.url}${COSIGN_PATH}`);
    expect(err.message).toContain('nothing was cached');
    expect(await fx.cached()).toEqual([]);
    expect(await fx.leftovers()).toEqual([]);
  });

  it('503 twice, then success', async () => {
    fx.server.fault(COSIGN_PATH, { kind: 'status', status: 503, times: 2 });
    const result = await installTools(cosignOnly, fx.deps(fx.catalog(sha256(COSIGN_BYTES))));
    expect(result.cosign.source).toBe('download');
    expect(fx.server.requests().map((r) => r.status)).toEqual([503, 503, 200]);
    expect(await fx.cached()).toEqual(COSIGN_ENTRY);
  });

  it('503 on every try: says how many tries and the last status, caches nothing', async () => {
    fx.server.fault(COSIGN_PATH, { kind: 'status', status: 503 });
    const err = await rejection(installTools(cosignOnly, fx.deps(fx.catalog(sha256(COSIGN_BYTES)))));
    expect(err.message).toContain('failed after 3 tries: HTTP 503 Service Unavailable');
    expect(fx.server.requests()).toHaveLength(3);
    expect(await fx.cached()).toEqual([]);
  });

  it('404: one request, a message that names the missing file, nothing cached', async () => {
    const err = await rejection(
      installTools(
        { ...cosignOnly, cosignVersion: 'v3.0.6', runnerArch: 'ARM64' },
        fx.deps(fx.catalog('0'.repeat(64))),
      ),
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain('the release has no cosign-linux-arm64 (HTTP 404 at');
    expect(fx.server.requests()).toHaveLength(1);
    expect(await fx.cached()).toEqual([]);
  });

  it('a server slower than the timeout: gives up after the bound, caches nothing', async () => {
    fx.server.fault(COSIGN_PATH, { kind: 'delay', ms: 5_000 });
    const deps = fx.deps(fx.catalog(sha256(COSIGN_BYTES)), {
      download: { stallTimeoutMs: 250, attempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const err = await rejection(installTools(cosignOnly, deps));
    expect(err.message).toContain('failed after 2 tries');
    expect(err.message).toContain('(timeout)');
    expect(await fx.cached()).toEqual([]);
    expect(await fx.leftovers()).toEqual([]);
  });

  it('a tampered cache entry is evicted, reported, and installed again', async () => {
    const catalog = fx.catalog(sha256(COSIGN_BYTES));
    await installTools(cosignOnly, fx.deps(catalog));
    const cachedBinary = join(fx.toolCache, CACHED_COSIGN);
    await writeFile(cachedBinary, '#!/bin/sh\necho evil\n');
    const before = fx.server.requests().length;

    const deps = fx.deps(catalog);
    const result = await installTools(cosignOnly, deps);
    expect(result.cosign.source).toBe('download');
    expect(fx.server.requests().length).toBe(before + 1);
    expect(await readFile(cachedBinary)).toEqual(COSIGN_BYTES);
    expect(deps.log.warnings).toHaveLength(1);
    expect(deps.log.warnings[0]).toContain('was changed after it was installed');
    expect(deps.log.warnings[0]).toContain(`recorded at install ${sha256(COSIGN_BYTES)}`);
    expect(deps.log.warnings[0]).toContain(`found ${sha256('#!/bin/sh\necho evil\n')}`);
  });

  it('a cache entry whose binary and record were both replaced still fails the embedded hash', async () => {
    const catalog = fx.catalog(sha256(COSIGN_BYTES));
    await installTools(cosignOnly, fx.deps(catalog));
    const evil = '#!/bin/sh\necho evil\n';
    await writeFile(join(fx.toolCache, CACHED_COSIGN), evil);
    const recordPath = join(fx.toolCache, CACHED_RECORD);
    const record = JSON.parse(await readFile(recordPath, 'utf8')) as Record<string, unknown>;
    await writeFile(recordPath, JSON.stringify({ ...record, sha256: sha256(evil) }));

    const deps = fx.deps(catalog);
    const result = await installTools(cosignOnly, deps);
    expect(result.cosign.source).toBe('download');
    expect(deps.log.warnings[0]).toContain(
      `is not the release secure-image pins: expected SHA-256 ${sha256(COSIGN_BYTES)}`,
    );
    expect(await readFile(join(fx.toolCache, CACHED_COSIGN))).toEqual(COSIGN_BYTES);
  });

  it('a cache entry without a record (another tool put it there) is replaced', async () => {
    const catalog = fx.catalog(sha256(COSIGN_BYTES));
    const dir = join(fx.toolCache, 'secure-image-cosign/3.0.6/x64');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'cosign'), COSIGN_BYTES);
    await writeFile(`${dir}.complete`, '');

    const deps = fx.deps(catalog);
    const result = await installTools(cosignOnly, deps);
    expect(result.cosign.source).toBe('download');
    expect(deps.log.warnings[0]).toContain('has no readable install record');
    expect(await fx.cached()).toEqual(COSIGN_ENTRY);
  });

  it('from a tool-mirror laid out like GitHub releases', async () => {
    const mirrorRoot = await mkdtemp(join(tmpdir(), 'mirror-'));
    await mkdir(dirname(join(mirrorRoot, 'gh', COSIGN_PATH)), { recursive: true });
    await writeFile(join(mirrorRoot, 'gh', COSIGN_PATH), COSIGN_BYTES);
    const mirror = await startReleaseServer(mirrorRoot);
    try {
      const result = await installTools(
        { ...cosignOnly, toolMirror: `${mirror.url}/gh` },
        fx.deps(fx.catalog(sha256(COSIGN_BYTES))),
      );
      expect(result.cosign.url).toBe(`${mirror.url}/gh${COSIGN_PATH}`);
      expect(fx.server.requests()).toEqual([]);
      expect(mirror.requests().map((r) => r.path)).toEqual([`/gh${COSIGN_PATH}`]);
    } finally {
      await mirror.stop();
      await rm(mirrorRoot, { recursive: true, force: true });
    }
  });

  it('a tool-mirror that redirects to another host is refused and nothing is cached', async () => {
    fx.server.fault(COSIGN_PATH, { kind: 'redirect', to: `${fx.other.url}${COSIGN_PATH}` });
    const err = await rejection(
      installTools({ ...cosignOnly, toolMirror: fx.server.url }, fx.deps(fx.catalog(sha256(COSIGN_BYTES)))),
    );
    expect(err.message).toContain('on another host');
    expect(fx.other.requests()).toEqual([]);
    expect(await fx.cached()).toEqual([]);
  });

  it('GitHub releases may redirect to their object storage host', async () => {
    fx.server.fault(COSIGN_PATH, { kind: 'redirect', to: `${fx.other.url}${COSIGN_PATH}` });
    const result = await installTools(cosignOnly, fx.deps(fx.catalog(sha256(COSIGN_BYTES))));
    expect(result.cosign.source).toBe('download');
    expect(fx.other.requests().map((r) => r.path)).toEqual([COSIGN_PATH]);
  });
});

describe('installTools: checks before the first byte moves', () => {
  it('refuses trivy v0.69.4 by name without a single request', async () => {
    const err = await rejection(
      installTools(
        { ...LINUX, scanner: 'trivy', scannerVersion: 'v0.69.4' },
        fx.deps(fx.catalog(sha256(COSIGN_BYTES))),
      ),
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/^trivy v0\.69\.4 is refused: .*malicious/);
    expect(fx.server.requests()).toEqual([]);
    expect(await fx.cached()).toEqual([]);
  });

  it('refuses a version the catalog marks, for cosign too', async () => {
    const catalog = fx.catalog(sha256(COSIGN_BYTES), (c) => {
      (c.tools.cosign as { refused: Record<string, string> }).refused = { '3.0.5': 'it is withdrawn' };
    });
    const err = await rejection(installTools({ ...cosignOnly, cosignVersion: '3.0.5' }, fx.deps(catalog)));
    expect(err.message).toContain('cosign v3.0.5 is refused: it is withdrawn. Set `cosign-version`');
    expect(fx.server.requests()).toEqual([]);
  });

  it('an unsupported runner is an error naming it, before any request', async () => {
    const err = await rejection(
      installTools(
        { runnerOs: 'Windows', runnerArch: 'ARM64', scanner: 'none' },
        fx.deps(fx.catalog('0'.repeat(64))),
      ),
    );
    expect(err.message).toContain('Windows ARM64');
    expect(err.message).toContain('Supported runners: Linux X64');
    expect(fx.server.requests()).toEqual([]);
  });
});

describe('installTools: cosign-path and scanner-path', () => {
  it('uses provided binaries as they are, reports them as not verified, downloads nothing', async () => {
    const bin = join(fx.runnerTemp, 'bin');
    await mkdir(bin);
    const fake = async (name: string, out: string): Promise<string> => {
      const path = join(bin, name);
      await writeFile(path, `#!/bin/sh\n[ "$1" = version ] || exit 3\nprintf '%s\\n' '${out}'\n`);
      await chmod(path, 0o755);
      return path;
    };
    const cosignPath = await fake('my-cosign', 'GitVersion:    v3.1.2');
    const scannerPath = await fake('my-trivy', 'Version: 0.70.0');
    // A platform with no assets: nothing is installed, so nothing needs one.
    const deps = fx.deps(fx.catalog('0'.repeat(64)));
    const result = await installTools(
      { runnerOs: 'Plan9', runnerArch: 'MIPS', scanner: 'trivy', cosignPath, scannerPath },
      deps,
    );
    expect(result.cosign).toMatchObject({
      name: 'cosign',
      version: '3.1.2',
      path: cosignPath,
      source: 'provided',
      verification: [],
      note: 'provided through `cosign-path`, not verified',
    });
    expect(result.scanner).toMatchObject({
      name: 'trivy',
      version: '0.70.0',
      source: 'provided',
      verification: [],
    });
    expect(result.downloads).toEqual([]);
    expect(fx.server.requests()).toEqual([]);
    expect([...deps.log.warnings].sort()).toEqual([
      `cosign 3.1.2 at ${cosignPath} comes from \`cosign-path\`: it is used as provided, and secure-image did not verify it.`,
      `trivy 0.70.0 at ${scannerPath} comes from \`scanner-path\`: it is used as provided, and secure-image did not verify it.`,
    ]);
    expect(await fx.cached()).toEqual([]);
  });

  it('a provided binary that does not run is an error naming the input', async () => {
    const path = join(fx.runnerTemp, 'broken-cosign');
    await writeFile(path, '#!/bin/sh\necho "exec format error" >&2\nexit 126\n');
    await chmod(path, 0o755);
    const err = await rejection(
      installTools({ ...LINUX, scanner: 'none', cosignPath: path }, fx.deps(fx.catalog('0'.repeat(64)))),
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain('Input `cosign-path`');
    expect(err.message).toContain('code 126');
    expect(err.message).toContain('exec format error');
  });

  it('a provided path that does not exist is an error naming the input', async () => {
    const err = await rejection(
      installTools(
        { ...LINUX, scanner: 'none', cosignPath: join(fx.runnerTemp, 'nope') },
        fx.deps(fx.catalog('0'.repeat(64))),
      ),
    );
    expect(err.message).toContain('Input `cosign-path`');
    expect(err.message).toContain('was not found');
  });
});
