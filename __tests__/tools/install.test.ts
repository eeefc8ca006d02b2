import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
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
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tc from '@actions/tool-cache';
import { STAGING_PREFIX } from '../../src/tools/cache.js';
import { DEFAULT_CATALOG, type Catalog } from '../../src/tools/catalog.js';
import {
  installTools,
  type InstallDeps,
  type InstallLog,
  type InstallRequest,
} from '../../src/tools/install.js';
import { UserError } from '../../src/util/errors.js';
import { execTool, type ExecRequest, type ExecResult } from '../../src/util/exec.js';
import { startForwardProxy } from '../harness/forward-proxy.js';
import { startReleaseServer, type ReleaseServer } from '../harness/release-server.js';
import { legacyBundleWithPublicKey, releaseSigner, sigstoreBundle } from '../harness/release-signing.js';
import { installStandins, type Standins } from '../harness/standins.js';

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
  /** Staging folders left in RUNNER_TOOL_CACHE (files or not). */
  staging(): Promise<string[]>;
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
    staging: async () => (await readdir(toolCache)).filter((name) => name.startsWith(STAGING_PREFIX)),
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

const COSIGN_PATH = '/sigstore/cosign/releases/download/v3.1.3/cosign-linux-amd64';
const COSIGN_BYTES = Buffer.concat([
  Buffer.from('#!/bin/sh\necho bootstrap cosign\n'),
  Buffer.alloc(64 * 1024, 1),
]);
const CACHED_COSIGN = 'secure-image-cosign/3.1.3/x64/cosign';
const CACHED_RECORD = 'secure-image-cosign/3.1.3/x64/secure-image-install.json';
// tool-cache's marker that the entry is complete, the binary, and the install record: nothing else.
const COSIGN_ENTRY = ['secure-image-cosign/3.1.3/x64.complete', CACHED_COSIGN, CACHED_RECORD];
const LINUX: Pick<InstallRequest, 'runnerOs' | 'runnerArch'> = { runnerOs: 'Linux', runnerArch: 'X64' };
const cosignOnly: InstallRequest = { ...LINUX, scanner: 'none' };

let fx: Fixture;

beforeEach(async () => {
  fx = await startFixture();
  await fx.publish('sigstore/cosign', 'v3.1.3', 'cosign-linux-amd64', COSIGN_BYTES);
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
      version: '3.1.3',
      source: 'download',
      path: join(fx.toolCache, CACHED_COSIGN),
      sha256: sha256(COSIGN_BYTES),
      url: `${fx.server.url}${COSIGN_PATH}`,
    });
    expect(result.cosign?.verification).toEqual([
      `SHA-256 ${sha256(COSIGN_BYTES)} matches the hash embedded in secure-image`,
    ]);
    expect(result.cosign?.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.scanner).toBeUndefined();
    expect(result.downloads).toEqual([`${fx.server.url}${COSIGN_PATH}`]);

    expect(await fx.cached()).toEqual(COSIGN_ENTRY);
    expect(existsSync(join(fx.toolCache, 'secure-image-cosign/3.1.3/x64.complete'))).toBe(true);
    expect(await readFile(join(fx.toolCache, CACHED_COSIGN))).toEqual(COSIGN_BYTES);
    await access(join(fx.toolCache, CACHED_COSIGN), fsConstants.X_OK);
    const record = JSON.parse(await readFile(join(fx.toolCache, CACHED_RECORD), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(record).toMatchObject({
      tool: 'cosign',
      version: '3.1.3',
      binary: 'cosign',
      sha256: sha256(COSIGN_BYTES),
    });
    expect(await fx.leftovers()).toEqual([]);
    expect(await fx.staging()).toEqual([]);
  });

  it('a second run hits the cache with zero downloads', async () => {
    const catalog = fx.catalog(sha256(COSIGN_BYTES));
    await installTools(cosignOnly, fx.deps(catalog));
    const before = fx.server.requests().length;

    const second = await installTools(cosignOnly, fx.deps(catalog));
    expect(fx.server.requests().length).toBe(before);
    expect(second.downloads).toEqual([]);
    expect(second.cosign?.source).toBe('cache');
    expect(second.cosign?.path).toBe(join(fx.toolCache, CACHED_COSIGN));
    expect(second.cosign?.verification).toEqual([
      `SHA-256 ${sha256(COSIGN_BYTES)} matches the hash embedded in secure-image`,
    ]);
  });

  it('one corrupted byte: fails with both hashes and the URL, deletes the download, caches nothing', async () => {
    const corrupted = Buffer.from(COSIGN_BYTES);
    corrupted[100] = (corrupted[100] ?? 0) ^ 0xff;
    await fx.publish('sigstore/cosign', 'v3.1.3', 'cosign-linux-amd64', corrupted);
    const err = await rejection(installTools(cosignOnly, fx.deps(fx.catalog(sha256(COSIGN_BYTES)))));

    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain('does not match the hash embedded in secure-image');
    expect(err.message).toContain(`expected: ${sha256(COSIGN_BYTES)}`);
    expect(err.message).toContain(`actual:   ${sha256(corrupted)}`);
    expect(err.message).toContain(`URL:      ${fx.server.url}${COSIGN_PATH}`);
    expect(err.message).toContain('nothing was cached');
    expect(await fx.cached()).toEqual([]);
    expect(await fx.leftovers()).toEqual([]);
    expect(await fx.staging()).toEqual([]);
  });

  // /dev/shm is a tmpfs on Linux; the tool cache here is not.
  const otherDisk = existsSync('/dev/shm') ? it : it.skip;
  otherDisk(
    'RUNNER_TEMP on another filesystem than the tool cache: the binary is copied, checked and cached',
    async () => {
      const shm = await mkdtemp(join('/dev/shm', 'runner-temp-'));
      try {
        const result = await installTools(cosignOnly, {
          ...fx.deps(fx.catalog(sha256(COSIGN_BYTES))),
          tempDir: shm,
        });
        expect(result.cosign).toMatchObject({ source: 'download', sha256: sha256(COSIGN_BYTES) });
        expect(await fx.cached()).toEqual(COSIGN_ENTRY);
        expect(await readFile(join(fx.toolCache, CACHED_COSIGN))).toEqual(COSIGN_BYTES);
        expect(await readdir(shm)).toEqual([]);
        expect(await fx.staging()).toEqual([]);
      } finally {
        await rm(shm, { recursive: true, force: true });
      }
    },
  );

  it('503 twice, then success', async () => {
    fx.server.fault(COSIGN_PATH, { kind: 'status', status: 503, times: 2 });
    const result = await installTools(cosignOnly, fx.deps(fx.catalog(sha256(COSIGN_BYTES))));
    expect(result.cosign?.source).toBe('download');
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
        { ...cosignOnly, cosignVersion: 'v3.1.3', runnerArch: 'ARM64' },
        fx.deps(fx.catalog('0'.repeat(64))),
      ),
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain('release v3.1.3 of sigstore/cosign has no cosign-linux-arm64 (HTTP 404 at');
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
    expect(await fx.staging()).toEqual([]);
  });

  it('a tampered cache entry is evicted, reported, and installed again', async () => {
    const catalog = fx.catalog(sha256(COSIGN_BYTES));
    await installTools(cosignOnly, fx.deps(catalog));
    const cachedBinary = join(fx.toolCache, CACHED_COSIGN);
    await writeFile(cachedBinary, '#!/bin/sh\necho evil\n');
    const before = fx.server.requests().length;

    const deps = fx.deps(catalog);
    const result = await installTools(cosignOnly, deps);
    expect(result.cosign?.source).toBe('download');
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
    expect(result.cosign?.source).toBe('download');
    expect(deps.log.warnings[0]).toContain(
      `is not the release secure-image pins: expected SHA-256 ${sha256(COSIGN_BYTES)}`,
    );
    expect(await readFile(join(fx.toolCache, CACHED_COSIGN))).toEqual(COSIGN_BYTES);
  });

  it('a cache entry without a record (another tool put it there) is replaced', async () => {
    const catalog = fx.catalog(sha256(COSIGN_BYTES));
    const dir = join(fx.toolCache, 'secure-image-cosign/3.1.3/x64');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'cosign'), COSIGN_BYTES);
    await writeFile(`${dir}.complete`, '');

    const deps = fx.deps(catalog);
    const result = await installTools(cosignOnly, deps);
    expect(result.cosign?.source).toBe('download');
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
      expect(result.cosign?.url).toBe(`${mirror.url}/gh${COSIGN_PATH}`);
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
    expect(result.cosign?.source).toBe('download');
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

  it('a provided trivy that is the malicious v0.69.4 is refused by name, though it is not verified otherwise', async () => {
    const path = join(fx.runnerTemp, 'old-trivy');
    await writeFile(path, '#!/bin/sh\necho "Version: 0.69.4"\n');
    await chmod(path, 0o755);
    const err = await rejection(
      installTools(
        { ...LINUX, scanner: 'trivy', scannerPath: path, cosignPath: path },
        fx.deps(fx.catalog('0'.repeat(64))),
      ),
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain(
      `Input \`scanner-path\`: ${path} is trivy v0.69.4, which secure-image refuses`,
    );
    expect(err.message).toContain('trivy-action compromise');
    expect(fx.server.requests()).toEqual([]);
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

// ---------------------------------------------------------------------------------------------------------------
// Scanners: the stand-in cosign verifies the Sigstore bundles, so these run the real verify-blob call path.

const GH_ISSUER = 'https://token.actions.githubusercontent.com';
const TRIVY_ID =
  'https://github.com/aquasecurity/trivy/.github/workflows/reusable-release.yaml@refs/tags/v0.74.0';
const GRYPE_ID = 'https://github.com/anchore/grype/.github/workflows/release.yaml@refs/heads/main';
const SIGSTORE_ID = 'keyless@projectsigstore.iam.gserviceaccount.com';
const GOOGLE = 'https://accounts.google.com';
const TRIVY_DIR = '/aquasecurity/trivy/releases/download/v0.74.0';
const TRIVY_ASSET = 'trivy_0.74.0_Linux-64bit.tar.gz';
const GRYPE_DIR = '/anchore/grype/releases/download/v0.121.3';
const GRYPE_ASSET = 'grype_0.121.3_linux_amd64.tar.gz';
const OLD_GRYPE_DIR = '/anchore/grype/releases/download/v0.116.0';
const OLD_GRYPE_ASSET = 'grype_0.116.0_linux_amd64.tar.gz';

/**
 * A v0.3 Sigstore bundle as far as the stand-in reads one: the message digest of what it signs (the stand-in
 * refuses a blob, from a file or stdin, whose SHA-256 is not that digest); the scenario's `blobs` decide the signer.
 */
/** cosign says yes at once when the blob is on its stdin, without reading it; on a file it checks as ever. */
async function answersStdinUnread(world: World): Promise<void> {
  await world.standins.setScenario({
    cosign: {
      blobs: [{ match: TRIVY_ASSET, identity: TRIVY_ID, issuer: GH_ISSUER }],
      rules: [{ command: 'verify-blob', matchRegexp: '^-$', exitCode: 0, stderr: 'Verified OK\n' }],
    },
  });
}

/** A trivy archive larger than a pipe holds: cosign cannot have been handed all of it when it answers unread. */
async function largeTrivyArchive(world: World): Promise<Buffer> {
  return tarGz({ trivy: await readFile(world.standins.trivy), padding: randomBytes(2 << 20) });
}

/**
 * A trivy archive with its checksums file, and a bundle over `signed` (the same archive, unless a test says not;
 * none: a bundle without a digest).
 */
async function publishTrivy(archive: Buffer, signed: Buffer | undefined, asset = TRIVY_ASSET): Promise<void> {
  await fx.publish('aquasecurity/trivy', 'v0.74.0', asset, archive);
  await fx.publish(
    'aquasecurity/trivy',
    'v0.74.0',
    'trivy_0.74.0_checksums.txt',
    goreleaserChecksums({ [asset]: archive }),
  );
  await fx.publish('aquasecurity/trivy', 'v0.74.0', `${asset}.sigstore.json`, bundleFor(signed));
}

/** Signs like the release workflows do (the stand-in's scenario `blobs` decide whose signature it takes it for). */
const SIGNER = releaseSigner(TRIVY_ID, GH_ISSUER);
const GRYPE_SIGNER = releaseSigner(GRYPE_ID, GH_ISSUER);

/** A Sigstore bundle with a certificate over `blob`; `undefined`: over other bytes, so its digest matches nothing. */
function bundleFor(blob: Buffer | undefined): string {
  return SIGNER.bundle(blob ?? 'not the archive');
}

function goreleaserChecksums(entries: Record<string, Buffer | string>): string {
  return Object.entries(entries)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, data]) => `${sha256(data)}  ${name}\n`)
    .join('');
}

async function tarGz(files: Record<string, Buffer | string>, mode = 0o755): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'archive-'));
  try {
    for (const [name, data] of Object.entries(files)) {
      await mkdir(dirname(join(dir, 'root', name)), { recursive: true });
      await writeFile(join(dir, 'root', name), data, { mode });
    }
    execFileSync('tar', ['-czf', join(dir, 'out.tar.gz'), '-C', join(dir, 'root'), ...Object.keys(files)]);
    return await readFile(join(dir, 'out.tar.gz'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function zipOf(files: Record<string, Buffer | string>): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'archive-'));
  try {
    for (const [name, data] of Object.entries(files)) await writeFile(join(dir, name), data);
    execFileSync('zip', ['-q', join(dir, 'out.zip'), ...Object.keys(files)], { cwd: dir });
    return await readFile(join(dir, 'out.zip'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface World {
  standins: Standins;
  cosignBytes: Buffer;
  trivyArchive: Buffer;
  grypeChecksums: string;
  catalog: Catalog;
}

let standinDir: string;

/** Stand-in binaries published as release assets, with checksums and bundles, as upstream lays them out. */
async function publishWorld(): Promise<World> {
  standinDir = await mkdtemp(join(tmpdir(), 'standins-'));
  const standins = await installStandins(standinDir, {
    cosign: {
      blobs: [
        { match: TRIVY_ASSET, identity: TRIVY_ID, issuer: GH_ISSUER },
        { match: 'grype_0.121.3_checksums.txt', identity: GRYPE_ID, issuer: GH_ISSUER },
        { match: 'grype_0.116.0_checksums.txt', identity: GRYPE_ID, issuer: GH_ISSUER },
        { match: 'cosign-linux-amd64', identity: SIGSTORE_ID, issuer: GOOGLE },
      ],
    },
  });
  const cosignBytes = await readFile(standins.cosign);
  await fx.publish('sigstore/cosign', 'v3.1.3', 'cosign-linux-amd64', cosignBytes);

  const trivyArchive = await tarGz({
    trivy: await readFile(standins.trivy),
    'README.md': '# trivy\n',
    LICENSE: 'Apache-2.0\n',
    'contrib/html.tpl': '<html></html>\n',
  });
  await fx.publish('aquasecurity/trivy', 'v0.74.0', TRIVY_ASSET, trivyArchive);
  await fx.publish(
    'aquasecurity/trivy',
    'v0.74.0',
    'trivy_0.74.0_checksums.txt',
    goreleaserChecksums({ [TRIVY_ASSET]: trivyArchive, 'trivy_0.74.0_Linux-ARM64.tar.gz': 'other' }),
  );
  await fx.publish('aquasecurity/trivy', 'v0.74.0', `${TRIVY_ASSET}.sigstore.json`, bundleFor(trivyArchive));

  const grypeArchive = await tarGz({ grype: await readFile(standins.grype), 'README.md': '# grype\n' });
  const grypeChecksums = goreleaserChecksums({
    [GRYPE_ASSET]: grypeArchive,
    'grype_0.121.3_darwin_arm64.tar.gz': 'x',
  });
  await fx.publish('anchore/grype', 'v0.121.3', GRYPE_ASSET, grypeArchive);
  await fx.publish('anchore/grype', 'v0.121.3', 'grype_0.121.3_checksums.txt', grypeChecksums);
  await fx.publish(
    'anchore/grype',
    'v0.121.3',
    'grype_0.121.3_checksums.txt.sigstore.json',
    bundleFor(Buffer.from(grypeChecksums)),
  );
  // grype before v0.120.0: goreleaser's signature and certificate over the checksums file, no bundle.
  const oldChecksums = goreleaserChecksums({ [OLD_GRYPE_ASSET]: grypeArchive });
  const oldRelease: [string, Buffer | string][] = [
    [OLD_GRYPE_ASSET, grypeArchive],
    ['grype_0.116.0_checksums.txt', oldChecksums],
    ['grype_0.116.0_checksums.txt.sig', GRYPE_SIGNER.signature(oldChecksums)],
    ['grype_0.116.0_checksums.txt.pem', GRYPE_SIGNER.certificateFile()],
  ];
  for (const [name, data] of oldRelease) await fx.publish('anchore/grype', 'v0.116.0', name, data);
  return { standins, cosignBytes, trivyArchive, grypeChecksums, catalog: fx.catalog(sha256(cosignBytes)) };
}

const trivyRequest: InstallRequest = { ...LINUX, scanner: 'trivy' };

/** `binary` as cosign v3.1.2's release, signed by Sigstore's release signer; the binary reports `reports`. */
async function publishCosign(world: World, binary: Buffer, reports: string): Promise<void> {
  await fx.publish('sigstore/cosign', 'v3.1.2', 'cosign-linux-amd64', binary);
  await fx.publish(
    'sigstore/cosign',
    'v3.1.2',
    'cosign_checksums.txt',
    goreleaserChecksums({ 'cosign-linux-amd64': binary }),
  );
  await fx.publish('sigstore/cosign', 'v3.1.2', 'cosign-linux-amd64.sigstore.json', bundleFor(binary));
  await world.standins.setScenario({
    cosign: {
      version: reports,
      blobs: [{ match: 'cosign-linux-amd64', identity: SIGSTORE_ID, issuer: GOOGLE }],
    },
  });
}

/** A cached entry of a tool verified by signature: marker, binary, record, and what it was verified with. */
function entryOf(tool: string, version: string, evidence: string[]): string[] {
  const dir = `secure-image-${tool}/${version}/x64`;
  return [
    `${dir}.complete`,
    `${dir}/${tool}`,
    `${dir}/secure-image-install.json`,
    ...evidence.map((f) => `${dir}/secure-image-evidence/${f}`),
  ].sort();
}
const TRIVY_ENTRY = entryOf('trivy', '0.74.0', [
  TRIVY_ASSET,
  `${TRIVY_ASSET}.sigstore.json`,
  'trivy_0.74.0_checksums.txt',
]);
const TRIVY_BINARY = 'secure-image-trivy/0.74.0/x64/trivy';

describe('installTools: scanners, verified by the bootstrap cosign', () => {
  afterEach(async () => {
    delete process.env.COSIGN_INSECURE_IGNORE_TLOG;
    await rm(standinDir, { recursive: true, force: true });
  });

  it('trivy: checksum, then the asset bundle with the exact-tag identity; both tools cached', async () => {
    const world = await publishWorld();
    // A runner variable like this sets a cosign flag; it must not reach cosign.
    process.env.COSIGN_INSECURE_IGNORE_TLOG = 'true';
    const result = await installTools(trivyRequest, fx.deps(world.catalog));

    expect(result.cosign).toMatchObject({ version: '3.1.3', source: 'download' });
    expect(result.verifier).toBeUndefined();
    expect(result.scanner).toMatchObject({
      name: 'trivy',
      version: '0.74.0',
      source: 'download',
      path: join(fx.toolCache, 'secure-image-trivy/0.74.0/x64/trivy'),
      url: `${fx.server.url}${TRIVY_DIR}/${TRIVY_ASSET}`,
    });
    expect(result.scanner?.verification).toEqual([
      `SHA-256 of ${TRIVY_ASSET} matches trivy_0.74.0_checksums.txt`,
      `Sigstore bundle ${TRIVY_ASSET}.sigstore.json verified by cosign 3.1.3 for ${TRIVY_ASSET}: signed by ${TRIVY_ID} (issuer ${GH_ISSUER})`,
    ]);
    expect(await fx.cached()).toEqual([...COSIGN_ENTRY, ...TRIVY_ENTRY].sort());
    expect(await fx.leftovers()).toEqual([]);
    expect(await fx.staging()).toEqual([]);

    const calls = world.standins.calls('cosign');
    expect(calls).toHaveLength(1);
    const argv = calls[0]?.argv ?? [];
    expect(argv.slice(0, 7)).toEqual([
      'verify-blob',
      '--bundle',
      argv[2],
      '--certificate-identity',
      TRIVY_ID,
      '--certificate-oidc-issuer',
      GH_ISSUER,
    ]);
    expect(argv[2]).toMatch(new RegExp(`${TRIVY_ASSET}\\.sigstore\\.json$`));
    // cosign read the archive from stdin while it downloaded: every byte of it, and only those.
    expect(argv[7]).toBe('-');
    expect(calls[0]?.stdinSha256).toBe(sha256(world.trivyArchive));
    expect(calls[0]?.stdinBytes).toBe(world.trivyArchive.length);
    expect(calls[0]?.rejected).toBeUndefined();
    expect(calls[0]?.envNames.filter((n) => n.startsWith('COSIGN_'))).toEqual([]);

    // The cached trivy is the stand-in from the archive, and it runs.
    const version = execFileSync(join(fx.toolCache, 'secure-image-trivy/0.74.0/x64/trivy'), ['version'], {
      encoding: 'utf8',
    });
    expect(version).toContain('Version: 0.74.0');
  });

  it('behind a proxy: every release file goes through HTTP_PROXY', async () => {
    const world = await publishWorld();
    // The release host resolves nowhere: only the proxy knows where it is.
    const proxy = await startForwardProxy({ 'releases.invalid:80': fx.server.host });
    const catalog = structuredClone(world.catalog);
    catalog.github = { baseUrl: 'http://releases.invalid', redirectHosts: [] };
    process.env.HTTP_PROXY = proxy.url;
    try {
      const result = await installTools(trivyRequest, fx.deps(catalog));
      expect(result.scanner?.source).toBe('download');
      expect(result.cosign?.source).toBe('download');
    } finally {
      delete process.env.HTTP_PROXY;
      await proxy.stop();
    }
    expect(proxy.log().length).toBeGreaterThan(0);
    for (const line of proxy.log()) expect(line).toContain('releases.invalid');
    expect(
      fx.server
        .requests()
        .map((r) => r.path)
        .sort(),
    ).toEqual(
      [
        COSIGN_PATH,
        `${TRIVY_DIR}/${TRIVY_ASSET}`,
        `${TRIVY_DIR}/${TRIVY_ASSET}.sigstore.json`,
        `${TRIVY_DIR}/trivy_0.74.0_checksums.txt`,
      ].sort(),
    );
  });

  it('a tampered trivy in the tool cache: its recorded hash catches it, it is evicted and installed again', async () => {
    const world = await publishWorld();
    await installTools(trivyRequest, fx.deps(world.catalog));
    const cachedTrivy = join(fx.toolCache, 'secure-image-trivy/0.74.0/x64/trivy');
    await writeFile(cachedTrivy, '#!/bin/sh\necho "Version: 0.74.0"\n');
    const before = fx.server.requests().length;

    const deps = fx.deps(world.catalog);
    const result = await installTools(trivyRequest, deps);
    expect(result.cosign?.source).toBe('cache');
    expect(result.scanner?.source).toBe('download');
    expect(deps.log.warnings).toEqual([
      expect.stringMatching(
        /^the cached trivy 0\.74\.0 \(.*\/trivy\) was changed after it was installed: SHA-256 recorded at install [0-9a-f]{64}, found [0-9a-f]{64}; evicted .*\. Installing it again\.$/,
      ),
    ]);
    expect(
      fx.server
        .requests()
        .slice(before)
        .map((r) => r.path)
        .sort(),
    ).toEqual(
      [
        `${TRIVY_DIR}/${TRIVY_ASSET}`,
        `${TRIVY_DIR}/${TRIVY_ASSET}.sigstore.json`,
        `${TRIVY_DIR}/trivy_0.74.0_checksums.txt`,
      ].sort(),
    );
    expect(await readFile(cachedTrivy)).toEqual(await readFile(world.standins.trivy));
    expect(await fx.cached()).toEqual([...COSIGN_ENTRY, ...TRIVY_ENTRY].sort());
    expect(await fx.staging()).toEqual([]);
  });

  it('a second run: both from the cache, zero downloads; trivy is verified again from what the cache kept', async () => {
    const world = await publishWorld();
    await installTools(trivyRequest, fx.deps(world.catalog));
    const requests = fx.server.requests().length;
    await world.standins.clearCalls();

    const second = await installTools(trivyRequest, fx.deps(world.catalog));
    expect(second.downloads).toEqual([]);
    expect(fx.server.requests().length).toBe(requests);
    expect(second.cosign?.source).toBe('cache');
    expect(second.scanner?.source).toBe('cache');
    expect(second.scanner?.verification).toEqual([
      `SHA-256 of ${TRIVY_ASSET} matches trivy_0.74.0_checksums.txt (kept in the tool cache)`,
      `Sigstore bundle ${TRIVY_ASSET}.sigstore.json verified by cosign 3.1.3 for ${TRIVY_ASSET}: signed by ${TRIVY_ID} ` +
        `(issuer ${GH_ISSUER}) (kept in the tool cache)`,
      `SHA-256 ${sha256(await readFile(world.standins.trivy))} of the cached binary is the one ${TRIVY_ASSET} holds`,
    ]);
    // One signature check, by the bootstrap cosign from the cache, on the kept archive and bundle.
    const evidence = join(fx.toolCache, 'secure-image-trivy/0.74.0/x64/secure-image-evidence');
    expect(world.standins.calls('cosign').map((c) => c.argv)).toEqual([
      [
        'verify-blob',
        '--bundle',
        join(evidence, `${TRIVY_ASSET}.sigstore.json`),
        '--certificate-identity',
        TRIVY_ID,
        '--certificate-oidc-issuer',
        GH_ISSUER,
        join(evidence, TRIVY_ASSET),
      ],
    ]);
  });

  it('a poisoned cache: a fake trivy with its own hash in the record and a marker is not used, but replaced', async () => {
    const world = await publishWorld();
    await installTools(trivyRequest, fx.deps(world.catalog));
    const binary = join(fx.toolCache, TRIVY_BINARY);
    const fake = '#!/bin/sh\necho \'{"Results":[]}\'\n';
    await writeFile(binary, fake, { mode: 0o755 });
    const recordPath = join(fx.toolCache, 'secure-image-trivy/0.74.0/x64/secure-image-install.json');
    const record = JSON.parse(await readFile(recordPath, 'utf8')) as Record<string, unknown>;
    await writeFile(recordPath, JSON.stringify({ ...record, sha256: sha256(fake) }));
    const before = fx.server.requests().length;

    const deps = fx.deps(world.catalog);
    const second = await installTools(trivyRequest, deps);
    expect(second.scanner?.source).toBe('download');
    expect(await readFile(binary)).toEqual(await readFile(world.standins.trivy));
    expect(deps.log.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^the cached trivy 0\\.74\\.0 did not verify again: ${binary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ` +
            `\\(SHA-256 ${sha256(fake)}\\) is not the trivy that the verified ${TRIVY_ASSET.replace(/\./g, '\\.')} holds`,
        ),
      ),
    ]);
    expect(
      fx.server
        .requests()
        .slice(before)
        .map((r) => r.path),
    ).toContain(`${TRIVY_DIR}/${TRIVY_ASSET}`);
  });

  it('a poisoned cache with forged evidence too (archive and checksums of the fake): the signature says no', async () => {
    const world = await publishWorld();
    await installTools(trivyRequest, fx.deps(world.catalog));
    const dir = join(fx.toolCache, 'secure-image-trivy/0.74.0/x64');
    const fake = '#!/bin/sh\necho fake\n';
    const fakeArchive = await tarGz({ trivy: fake });
    await writeFile(join(dir, 'trivy'), fake, { mode: 0o755 });
    await writeFile(join(dir, 'secure-image-evidence', TRIVY_ASSET), fakeArchive);
    await writeFile(
      join(dir, 'secure-image-evidence', 'trivy_0.74.0_checksums.txt'),
      goreleaserChecksums({ [TRIVY_ASSET]: fakeArchive }),
    );
    const record = JSON.parse(await readFile(join(dir, 'secure-image-install.json'), 'utf8')) as object;
    await writeFile(
      join(dir, 'secure-image-install.json'),
      JSON.stringify({ ...record, sha256: sha256(fake) }),
    );

    const deps = fx.deps(world.catalog);
    const second = await installTools(trivyRequest, deps);
    expect(second.scanner?.source).toBe('download');
    expect(await readFile(join(dir, 'trivy'))).toEqual(await readFile(world.standins.trivy));
    expect(deps.log.warnings.join('\n')).toContain(
      'provided artifact digest does not match digest in bundle',
    );
  });

  it('a cache hit whose signature check cannot reach Sigstore fails, and leaves the entry alone', async () => {
    const world = await publishWorld();
    await installTools(trivyRequest, fx.deps(world.catalog));
    await world.standins.setScenario({
      cosign: {
        rules: [
          {
            command: 'verify-blob',
            exitCode: 1,
            stderr:
              'Error: fetching trusted root: Get "https://tuf-repo-cdn.sigstore.dev/": connection reset by peer\n',
          },
        ],
      },
    });
    await world.standins.clearCalls();
    const err = await rejection(installTools(trivyRequest, fx.deps(world.catalog)));
    expect(err.message).toContain('connection reset by peer');
    expect(world.standins.calls('cosign').filter((c) => c.argv[0] === 'verify-blob')).toHaveLength(3);
    expect(await fx.cached()).toEqual([...COSIGN_ENTRY, ...TRIVY_ENTRY].sort());
  });

  it('a poisoned cache and no network: fails closed, the fake is not used', async () => {
    const world = await publishWorld();
    await installTools(trivyRequest, fx.deps(world.catalog));
    const dir = join(fx.toolCache, 'secure-image-trivy/0.74.0/x64');
    const fake = '#!/bin/sh\necho fake\n';
    await writeFile(join(dir, 'trivy'), fake, { mode: 0o755 });
    const record = JSON.parse(await readFile(join(dir, 'secure-image-install.json'), 'utf8')) as object;
    await writeFile(
      join(dir, 'secure-image-install.json'),
      JSON.stringify({ ...record, sha256: sha256(fake) }),
    );
    fx.server.fault(`${TRIVY_DIR}/${TRIVY_ASSET}`, { kind: 'status', status: 404 });

    const err = await rejection(installTools(trivyRequest, fx.deps(world.catalog)));
    expect(err.message).toContain(`release v0.74.0 of aquasecurity/trivy has no ${TRIVY_ASSET}`);
    expect(existsSync(join(dir, 'trivy'))).toBe(false);
  });

  it('the bootstrap cosign has the link first: the trivy checksums and bundle come alongside, the archive after', async () => {
    const world = await publishWorld();
    fx.server.fault(COSIGN_PATH, { kind: 'delay', ms: 400, times: 1 });
    const result = await installTools(trivyRequest, fx.deps(world.catalog));
    const log = fx.server.requests();
    const at = (path: string): (typeof log)[number] => {
      const found = log.find((r) => r.path === path);
      if (!found) throw new Error(`${path} was not requested`);
      return found;
    };
    const cosign = at(COSIGN_PATH);
    expect(at(`${TRIVY_DIR}/trivy_0.74.0_checksums.txt`).finishedAt).toBeLessThan(cosign.finishedAt);
    expect(at(`${TRIVY_DIR}/${TRIVY_ASSET}.sigstore.json`).finishedAt).toBeLessThan(cosign.finishedAt);
    expect(at(`${TRIVY_DIR}/${TRIVY_ASSET}`).startedAt).toBeGreaterThanOrEqual(cosign.finishedAt);
    const paths = log.map((r) => r.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(result.downloads).toHaveLength(4);
    expect(result.scanner?.source).toBe('download');
  });

  it('with cosign in the tool cache, the trivy archive does not wait', async () => {
    const world = await publishWorld();
    await installTools(cosignOnly, fx.deps(world.catalog));
    const before = fx.server.requests().length;
    fx.server.fault(`${TRIVY_DIR}/${TRIVY_ASSET}.sigstore.json`, { kind: 'delay', ms: 300, times: 1 });
    const result = await installTools(trivyRequest, fx.deps(world.catalog));
    const log = fx.server.requests().slice(before);
    const bundle = log.find((r) => r.path === `${TRIVY_DIR}/${TRIVY_ASSET}.sigstore.json`);
    const archive = log.find((r) => r.path === `${TRIVY_DIR}/${TRIVY_ASSET}`);
    if (!bundle || !archive) throw new Error('trivy should have been downloaded');
    expect(archive.startedAt).toBeLessThan(bundle.finishedAt);
    expect(result.cosign?.source).toBe('cache');
    expect(result.scanner?.source).toBe('download');
  });

  it('an archive that breaks off is fetched again; the cosign that read part of it is stopped, without a verdict', async () => {
    const world = await publishWorld();
    // The first try stalls half-way long enough for cosign to be reading it, then breaks.
    fx.server.fault(`${TRIVY_DIR}/${TRIVY_ASSET}`, {
      kind: 'drop',
      afterBytes: Math.floor(world.trivyArchive.length / 2),
      holdMs: 1_500,
      times: 1,
    });
    const runs: ExecResult[] = [];
    const exec = async (request: ExecRequest): Promise<ExecResult> => {
      const result = await execTool(request);
      runs.push(result);
      return result;
    };
    const result = await installTools(trivyRequest, fx.deps(world.catalog, { exec }));
    expect(result.scanner?.source).toBe('download');
    expect(fx.server.requests().filter((r) => r.path === `${TRIVY_DIR}/${TRIVY_ASSET}`)).toHaveLength(2);
    // Two cosigns read the archive from stdin: the first was killed when its input broke off, the second answered.
    expect(runs.map((r) => [r.args.at(-1), r.signal, r.exitCode])).toEqual([
      ['-', 'SIGKILL', 128],
      ['-', null, 0],
    ]);
    // Only the one that read every byte got as far as its log line (and a verdict).
    const calls = world.standins.calls('cosign');
    expect(calls.map((c) => c.stdinSha256)).toEqual([sha256(world.trivyArchive)]);
    expect(await fx.cached()).toEqual([...COSIGN_ENTRY, ...TRIVY_ENTRY].sort());
    expect(await fx.leftovers()).toEqual([]);
    expect(await fx.staging()).toEqual([]);
  });

  it('a cosign that refuses before reading its whole input: the no stands, and is not asked again', async () => {
    const world = await publishWorld();
    const wrongTag = TRIVY_ID.replace('v0.74.0', 'v0.74.1');
    await world.standins.setScenario({
      cosign: {
        blobs: [{ match: TRIVY_ASSET, identity: TRIVY_ID, issuer: GH_ISSUER }],
        // Exits at once with cosign's identity error, without reading stdin.
        rules: [
          {
            command: 'verify-blob',
            exitCode: 1,
            stderr: `Error: none of the expected identities matched what was in the certificate, got subjects [${wrongTag}]\n`,
          },
        ],
      },
    });
    const err = await rejection(installTools(trivyRequest, fx.deps(world.catalog)));
    expect(err.message).toContain('cosign verify-blob did not accept the signature of');
    expect(err.message).toContain('none of the expected identities matched');
    const calls = world.standins.calls('cosign');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.argv.at(-1)).toBe('-');
    expect(calls[0]?.stdinSha256).toBeUndefined();
    expect(await fx.cached()).toEqual(COSIGN_ENTRY);
  });

  it('a cosign that falls behind the download: the streamed check is given up and cosign reads the file', async () => {
    const world = await publishWorld();
    const result = await installTools(trivyRequest, fx.deps(world.catalog, { streamQueueBytes: 1 }));
    expect(result.scanner?.source).toBe('download');
    const calls = world.standins.calls('cosign');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.argv.at(-1)).toMatch(new RegExp(`/${TRIVY_ASSET}$`));
    expect(calls[0]?.stdinSha256).toBeUndefined();
    expect(await fx.cached()).toEqual([...COSIGN_ENTRY, ...TRIVY_ENTRY].sort());
  });

  it('an archive that cosign checks as it arrives is not written to RUNNER_TEMP before the verdict: only the binary reaches the disk', async () => {
    const world = await publishWorld();
    const archive = await largeTrivyArchive(world);
    await publishTrivy(archive, archive);
    // What RUNNER_TEMP holds the moment cosign has read the whole archive (the download is over by then).
    let atVerdict: string[] | undefined;
    const exec = async (request: ExecRequest): Promise<ExecResult> => {
      const result = await execTool(request);
      if (request.args.at(-1) === '-') atVerdict = await fx.leftovers();
      return result;
    };
    const result = await installTools(trivyRequest, fx.deps(world.catalog, { exec }));
    expect(result.scanner?.source).toBe('download');
    expect(world.standins.calls('cosign').map((c) => c.stdinSha256)).toEqual([sha256(archive)]);
    expect(atVerdict).toBeDefined();
    expect((atVerdict ?? []).filter((path) => path.endsWith(TRIVY_ASSET))).toEqual([]);
    // The checksums file and the bundle are files (cosign reads the bundle from one).
    expect(atVerdict).toEqual(
      expect.arrayContaining([expect.stringMatching(/trivy_0\.74\.0_checksums\.txt$/)]),
    );
  });

  it('a cosign that says yes before reading all of the archive: no verdict; the archive, held in memory, is written and checked from the file', async () => {
    const world = await publishWorld();
    await answersStdinUnread(world);
    const archive = await largeTrivyArchive(world);
    await publishTrivy(archive, archive);
    const result = await installTools(trivyRequest, fx.deps(world.catalog));
    expect(result.scanner?.source).toBe('download');
    const calls = world.standins.calls('cosign');
    // The second reads the file, written now from memory: the stand-in checks the bundle's digest against it.
    expect(calls.map((c) => c.argv.at(-1))).toEqual([
      '-',
      expect.stringMatching(new RegExp(`/${TRIVY_ASSET}$`)),
    ]);
    expect(await fx.cached()).toEqual([...COSIGN_ENTRY, ...TRIVY_ENTRY].sort());
    expect(await fx.leftovers()).toEqual([]);
  });

  it('the same, with an archive changed on the way: the file cosign reads is what arrived, and the digest says no', async () => {
    const world = await publishWorld();
    await answersStdinUnread(world);
    // The checksums file vouches for the changed archive; only the signature (over the original) can catch it.
    const signed = await largeTrivyArchive(world);
    const changed = await tarGz({ trivy: 'not trivy', padding: randomBytes(2 << 20) });
    await publishTrivy(changed, signed);
    const err = await rejection(installTools(trivyRequest, fx.deps(world.catalog)));
    expect(err.message).toContain('provided artifact digest does not match digest in bundle');
    expect(await fx.cached()).toEqual(COSIGN_ENTRY);
    expect(await fx.leftovers()).toEqual([]);
  });

  it('a corrupted byte in the trivy archive: both hashes and the URL, the checksum speaks first, trivy not cached', async () => {
    const world = await publishWorld();
    const corrupted = Buffer.from(world.trivyArchive);
    corrupted[corrupted.length - 10] = (corrupted[corrupted.length - 10] ?? 0) ^ 0x01;
    await fx.publish('aquasecurity/trivy', 'v0.74.0', TRIVY_ASSET, corrupted);

    const err = await rejection(installTools(trivyRequest, fx.deps(world.catalog)));
    expect(err.message).toContain(`the SHA-256 of ${TRIVY_ASSET} does not match trivy_0.74.0_checksums.txt`);
    expect(err.message).toContain(`expected: ${sha256(world.trivyArchive)}`);
    expect(err.message).toContain(`actual:   ${sha256(corrupted)}`);
    expect(err.message).toContain(`URL:      ${fx.server.url}${TRIVY_DIR}/${TRIVY_ASSET}`);
    // cosign read the corrupted bytes as they came; the checksum, which comes first, is what the user is told.
    expect(err.message).not.toContain('verify-blob');
    expect(world.standins.calls('cosign').map((c) => c.stdinSha256)).toEqual([sha256(corrupted)]);
    expect(await fx.cached()).toEqual(COSIGN_ENTRY);
    expect(await fx.leftovers()).toEqual([]);
    expect(await fx.staging()).toEqual([]);
  });

  it('a checksums file that lists another hash: refused the same way', async () => {
    const world = await publishWorld();
    const other = Buffer.from('some other archive');
    await fx.publish(
      'aquasecurity/trivy',
      'v0.74.0',
      'trivy_0.74.0_checksums.txt',
      goreleaserChecksums({ [TRIVY_ASSET]: other }),
    );
    const err = await rejection(installTools(trivyRequest, fx.deps(world.catalog)));
    expect(err.message).toContain(`expected: ${sha256(other)}`);
    expect(err.message).toContain(`actual:   ${sha256(world.trivyArchive)}`);
    expect(await fx.cached()).toEqual(COSIGN_ENTRY);
  });

  it('a checksums file that does not list the asset', async () => {
    const world = await publishWorld();
    await fx.publish(
      'aquasecurity/trivy',
      'v0.74.0',
      'trivy_0.74.0_checksums.txt',
      goreleaserChecksums({ x: 'y' }),
    );
    const err = await rejection(installTools(trivyRequest, fx.deps(world.catalog)));
    expect(err.message).toContain(`lists no SHA-256 for ${TRIVY_ASSET}`);
    expect(await fx.cached()).toEqual(COSIGN_ENTRY);
  });

  it('a missing signature bundle: refused, with the file and URL named', async () => {
    const world = await publishWorld();
    await rm(join(fx.root, TRIVY_DIR, `${TRIVY_ASSET}.sigstore.json`));
    const err = await rejection(installTools(trivyRequest, fx.deps(world.catalog)));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain(
      `trivy 0.74.0 cannot be installed: its Sigstore signature bundle (${TRIVY_ASSET}.sigstore.json) is missing ` +
        `from release v0.74.0 of aquasecurity/trivy (HTTP 404 at ${fx.server.url}${TRIVY_DIR}/${TRIVY_ASSET}.sigstore.json)`,
    );
    expect(world.standins.calls('cosign')).toEqual([]);
    expect(await fx.cached()).toEqual(COSIGN_ENTRY);
    expect(await fx.leftovers()).toEqual([]);
    expect(await fx.staging()).toEqual([]);
  });

  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const publicKeyDer = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  it.each([
    [
      'a legacy cosign bundle whose certificate field holds a public key',
      () => legacyBundleWithPublicKey(publicKeyPem),
      'it has no Sigstore bundle media type',
    ],
    [
      'a v0.3 bundle with a bare public key',
      (blob: Buffer) => sigstoreBundle({ publicKey: { hint: 'k' } }, blob),
      'its verification material is a bare public key',
    ],
    [
      'a v0.3 bundle whose certificate field holds a public key',
      (blob: Buffer) => sigstoreBundle({ certificate: { rawBytes: publicKeyDer } }, blob),
      'its certificate field holds something that is not an X.509 certificate',
    ],
    [
      'a v0.3 bundle with no log entry and no timestamp',
      (blob: Buffer) =>
        sigstoreBundle({ certificate: { rawBytes: SIGNER.certificateDer } }, blob, 'MEUCIQ==', []),
      'it has neither a transparency-log entry nor a signed timestamp',
    ],
  ])('%s: refused before any cosign reads it, the file named, nothing cached', async (_, make, why) => {
    const world = await publishWorld();
    await fx.publish(
      'aquasecurity/trivy',
      'v0.74.0',
      `${TRIVY_ASSET}.sigstore.json`,
      make(world.trivyArchive),
    );
    const err = await rejection(installTools(trivyRequest, fx.deps(world.catalog)));
    expect(err.message).toContain(
      `${TRIVY_ASSET}.sigstore.json (${fx.server.url}${TRIVY_DIR}/${TRIVY_ASSET}.sigstore.json) is refused before any cosign reads it: ${why}`,
    );
    expect(world.standins.calls('cosign')).toEqual([]);
    expect(await fx.cached()).toEqual(COSIGN_ENTRY);
    expect(await fx.leftovers()).toEqual([]);
    expect(await fx.staging()).toEqual([]);
  });

  it('a signature from another tag: verify-blob says no, trivy is not cached', async () => {
    const world = await publishWorld();
    const wrongTag = TRIVY_ID.replace('v0.74.0', 'v0.69.4');
    await world.standins.setScenario({
      cosign: { blobs: [{ match: TRIVY_ASSET, identity: wrongTag, issuer: GH_ISSUER }] },
    });
    const err = await rejection(installTools(trivyRequest, fx.deps(world.catalog)));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain('cosign verify-blob did not accept the signature of');
    expect(err.message).toContain(`expected signer ${TRIVY_ID}`);
    expect(err.message).toContain(
      `expected SAN value ${JSON.stringify(TRIVY_ID)}, got ${JSON.stringify(wrongTag)}`,
    );
    expect(world.standins.calls('cosign')).toHaveLength(1);
    expect(await fx.cached()).toEqual(COSIGN_ENTRY);
    expect(await fx.leftovers()).toEqual([]);
    expect(await fx.staging()).toEqual([]);
  });

  it('trivy is unpacked while cosign checks its signature, and tool-cache cannot find it until that passed', async () => {
    const world = await publishWorld();
    await world.standins.setScenario({
      cosign: {
        blobs: [{ match: TRIVY_ASSET, identity: TRIVY_ID, issuer: GH_ISSUER }],
        rules: [{ command: 'verify-blob', delayMs: 1_500 }],
      },
    });
    let settled = false;
    const install = installTools(trivyRequest, fx.deps(world.catalog)).finally(() => {
      settled = true;
    });
    let staged: string | undefined;
    while (!settled && staged === undefined) {
      const [folder] = await fx.staging();
      const candidate = folder && join(fx.toolCache, folder, 'trivy-0.74.0', 'trivy');
      // The cached cosign is published first, so the signature check is on when trivy shows up staged.
      if (candidate && existsSync(candidate) && tc.find('secure-image-cosign', '3.1.3', 'x64') !== '') {
        staged = candidate;
        expect(tc.find('secure-image-trivy', '0.74.0', 'x64')).toBe('');
      }
      await new Promise((done) => setTimeout(done, 10));
    }
    expect(staged).toBeDefined();
    expect(settled).toBe(false);
    expect(await readFile(staged ?? '')).toEqual(await readFile(world.standins.trivy));

    const result = await install;
    expect(tc.find('secure-image-trivy', '0.74.0', 'x64')).toBe(
      join(fx.toolCache, 'secure-image-trivy/0.74.0/x64'),
    );
    expect(result.scanner?.path).toBe(join(fx.toolCache, TRIVY_BINARY));
    expect(await fx.staging()).toEqual([]);
  });

  it('an archive that verifies but holds no trivy: refused after the signature check, nothing cached', async () => {
    const world = await publishWorld();
    const empty = await tarGz({ 'README.md': '# trivy\n', 'bin/trivy': 'not here\n' });
    await publishTrivy(empty, empty);
    const err = await rejection(installTools(trivyRequest, fx.deps(world.catalog)));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(
      `trivy 0.74.0: ${TRIVY_ASSET} verified, but holds no file trivy. Nothing was cached.`,
    );
    expect(world.standins.calls('cosign')).toHaveLength(1);
    expect(await fx.cached()).toEqual(COSIGN_ENTRY);
    expect(await fx.leftovers()).toEqual([]);
    expect(await fx.staging()).toEqual([]);
  });

  it('a trivy entry that is a symbolic link is not installed', async () => {
    const world = await publishWorld();
    const root = await mkdtemp(join(tmpdir(), 'linked-'));
    try {
      await symlink('/bin/sh', join(root, 'trivy'));
      execFileSync('tar', ['-czf', join(root, 'out.tar.gz'), '-C', root, 'trivy']);
      const linked = await readFile(join(root, 'out.tar.gz'));
      await publishTrivy(linked, linked);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
    const err = await rejection(installTools(trivyRequest, fx.deps(world.catalog)));
    expect(err.message).toContain('holds no file trivy');
    expect(await fx.cached()).toEqual(COSIGN_ENTRY);
    expect(await fx.staging()).toEqual([]);
  });

  it('verify-blob that fails on a network error is tried again', async () => {
    const world = await publishWorld();
    await world.standins.setScenario({
      cosign: {
        blobs: [{ match: TRIVY_ASSET, identity: TRIVY_ID, issuer: GH_ISSUER }],
        rules: [
          {
            command: 'verify-blob',
            failFirst: 1,
            exitCode: 1,
            stderr:
              'Error: fetching trusted root: Get "https://tuf-repo-cdn.sigstore.dev/": connection reset by peer\n',
          },
        ],
      },
    });
    const result = await installTools(trivyRequest, fx.deps(world.catalog));
    expect(result.scanner?.source).toBe('download');
    // The first try was to read the archive as it downloaded, but failed fetching the trust root before it read any;
    // that is no verdict, so the second reads the downloaded file.
    const calls = world.standins.calls('cosign');
    expect(calls.map((c) => c.argv.at(-1))).toEqual([
      '-',
      expect.stringMatching(new RegExp(`/${TRIVY_ASSET}$`)),
    ]);
    expect(calls[0]?.stdinSha256).toBeUndefined();
  });

  it('grype: the bundle signs the checksums file, which vouches for the archive', async () => {
    const world = await publishWorld();
    const result = await installTools({ ...LINUX, scanner: 'grype' }, fx.deps(world.catalog));
    expect(result.scanner).toMatchObject({
      name: 'grype',
      version: '0.121.3',
      source: 'download',
      url: `${fx.server.url}${GRYPE_DIR}/${GRYPE_ASSET}`,
    });
    expect(result.scanner?.verification).toEqual([
      `SHA-256 of ${GRYPE_ASSET} matches grype_0.121.3_checksums.txt`,
      `Sigstore bundle grype_0.121.3_checksums.txt.sigstore.json verified by cosign 3.1.3 for grype_0.121.3_checksums.txt: signed by ${GRYPE_ID} (issuer ${GH_ISSUER})`,
    ]);
    const argv = world.standins.calls('cosign')[0]?.argv ?? [];
    expect(argv[4]).toBe(GRYPE_ID);
    expect(argv[7]).toMatch(/grype_0\.121\.3_checksums\.txt$/);
    expect(await fx.cached()).toEqual(
      [
        ...COSIGN_ENTRY,
        ...entryOf('grype', '0.121.3', [
          GRYPE_ASSET,
          'grype_0.121.3_checksums.txt',
          'grype_0.121.3_checksums.txt.sigstore.json',
        ]),
      ].sort(),
    );
    expect(await fx.leftovers()).toEqual([]);
    expect(await fx.staging()).toEqual([]);
  });

  it('grype 0.116.0: no bundle, so verify-blob checks its .sig and .pem over the checksums file', async () => {
    const world = await publishWorld();
    const result = await installTools(
      { ...LINUX, scanner: 'grype', scannerVersion: 'v0.116.0' },
      fx.deps(world.catalog),
    );
    expect(result.scanner).toMatchObject({ name: 'grype', version: '0.116.0', source: 'download' });
    expect(result.scanner?.verification).toEqual([
      `SHA-256 of ${OLD_GRYPE_ASSET} matches grype_0.116.0_checksums.txt`,
      `Signature grype_0.116.0_checksums.txt.sig with certificate grype_0.116.0_checksums.txt.pem verified by ` +
        `cosign 3.1.3 for grype_0.116.0_checksums.txt: signed by ${GRYPE_ID} (issuer ${GH_ISSUER})`,
    ]);
    const argv = world.standins.calls('cosign').find((c) => c.argv[0] === 'verify-blob')?.argv ?? [];
    expect(argv).toEqual([
      'verify-blob',
      '--signature',
      expect.stringMatching(/grype_0\.116\.0_checksums\.txt\.sig$/),
      '--certificate',
      expect.stringMatching(/grype_0\.116\.0_checksums\.txt\.pem$/),
      '--certificate-identity',
      GRYPE_ID,
      '--certificate-oidc-issuer',
      GH_ISSUER,
      expect.stringMatching(/grype_0\.116\.0_checksums\.txt$/),
    ]);
    expect((await fx.cached()).filter((f) => f.startsWith('secure-image-grype'))).toEqual(
      entryOf('grype', '0.116.0', [
        OLD_GRYPE_ASSET,
        'grype_0.116.0_checksums.txt',
        'grype_0.116.0_checksums.txt.pem',
        'grype_0.116.0_checksums.txt.sig',
      ]),
    );
  });

  it('grype 0.116.0: a signature that does not match the checksums file is refused, nothing cached', async () => {
    const world = await publishWorld();
    await fx.publish(
      'anchore/grype',
      'v0.116.0',
      'grype_0.116.0_checksums.txt.sig',
      GRYPE_SIGNER.signature('other'),
    );
    const err = await rejection(
      installTools({ ...LINUX, scanner: 'grype', scannerVersion: '0.116.0' }, fx.deps(world.catalog)),
    );
    expect(err.message).toContain('invalid signature when validating ASN.1 encoded signature');
    expect(err.message).toContain('grype_0.116.0_checksums.txt.sig');
    expect((await fx.cached()).some((f) => f.startsWith('secure-image-grype'))).toBe(false);
  });

  it('grype 0.116.0: a missing .pem names the file and the release', async () => {
    const world = await publishWorld();
    await rm(join(fx.root, OLD_GRYPE_DIR, 'grype_0.116.0_checksums.txt.pem'));
    const err = await rejection(
      installTools({ ...LINUX, scanner: 'grype', scannerVersion: '0.116.0' }, fx.deps(world.catalog)),
    );
    expect(err.message).toBe(
      `grype 0.116.0 cannot be installed: its signature file grype_0.116.0_checksums.txt.pem is missing from ` +
        `release v0.116.0 of anchore/grype (HTTP 404 at ${fx.server.url}${OLD_GRYPE_DIR}/grype_0.116.0_checksums.txt.pem). ` +
        'secure-image installs only what it can verify, so nothing was cached. Check that v0.116.0 is a published ' +
        'release of anchore/grype.',
    );
    expect(world.standins.calls('cosign').filter((c) => c.argv[0] === 'verify-blob')).toEqual([]);
  });

  it('grype: a checksums file changed after signing fails the bundle digest', async () => {
    const world = await publishWorld();
    // Lists the real archive hash, so the checksum step passes; the signature no longer covers the file.
    await fx.publish(
      'anchore/grype',
      'v0.121.3',
      'grype_0.121.3_checksums.txt',
      `${world.grypeChecksums}${'f'.repeat(64)}  grype_0.121.3_linux_arm64.tar.gz\n`,
    );
    const err = await rejection(installTools({ ...LINUX, scanner: 'grype' }, fx.deps(world.catalog)));
    expect(err.message).toContain('provided artifact digest does not match digest in bundle');
    expect((await fx.cached()).some((f) => f.startsWith('secure-image-grype'))).toBe(false);
  });

  it('another cosign version: verified by the bootstrap cosign, both cached', async () => {
    const world = await publishWorld();
    const v312 = Buffer.concat([world.cosignBytes, Buffer.from('// v3.1.2\n')]);
    await publishCosign(world, v312, 'v3.1.2');

    const result = await installTools({ ...cosignOnly, cosignVersion: 'v3.1.2' }, fx.deps(world.catalog));
    expect(result.cosign).toMatchObject({ version: '3.1.2', source: 'download' });
    expect(result.cosign?.verification).toEqual([
      'SHA-256 of cosign-linux-amd64 matches cosign_checksums.txt',
      `Sigstore bundle cosign-linux-amd64.sigstore.json verified by cosign 3.1.3 for cosign-linux-amd64: signed by ${SIGSTORE_ID} (issuer ${GOOGLE})`,
    ]);
    expect(result.verifier).toMatchObject({ version: '3.1.3', source: 'download' });
    expect(await fx.cached()).toEqual(
      [
        ...COSIGN_ENTRY,
        ...entryOf('cosign', '3.1.2', ['cosign-linux-amd64.sigstore.json', 'cosign_checksums.txt']),
      ].sort(),
    );
    expect(world.standins.calls('cosign').map((c) => c.argv.slice(0, 2))).toContainEqual([
      'version',
      '--json',
    ]);
    // The bootstrap cosign read v3.1.2 as it downloaded.
    const call = world.standins.calls('cosign')[0];
    expect(call?.argv.at(-1)).toBe('-');
    expect(call?.stdinSha256).toBe(sha256(v312));
    const argv = call?.argv ?? [];
    expect(argv.slice(3, 7)).toEqual([
      '--certificate-identity',
      SIGSTORE_ID,
      '--certificate-oidc-issuer',
      GOOGLE,
    ]);
  });

  it('a signed cosign of another release under the version asked for: its own version says so, nothing cached', async () => {
    const world = await publishWorld();
    const old = Buffer.concat([world.cosignBytes, Buffer.from('// v3.0.2, served as v3.1.2\n')]);
    await publishCosign(world, old, 'v3.0.2');
    const deps = fx.deps(world.catalog);
    const err = await rejection(installTools({ ...cosignOnly, cosignVersion: 'v3.1.2' }, deps));
    expect(err.message).toContain(
      'carries a valid cosign release signature, but it reports version 3.0.2, not 3.1.2',
    );
    expect((await fx.cached()).some((f) => f.startsWith('secure-image-cosign/3.1.2'))).toBe(false);
    // Below v3.1.3 the run is warned about GHSA-fx35-mq7g-6g98 before anything moves.
    expect(deps.log.warnings[0]).toContain('GHSA-fx35-mq7g-6g98');
  });

  it('cosign-path with a downloaded scanner: the bootstrap cosign still verifies the scanner', async () => {
    const world = await publishWorld();
    const result = await installTools(
      { ...trivyRequest, cosignPath: world.standins.cosign },
      fx.deps(world.catalog),
    );
    expect(result.cosign?.source).toBe('provided');
    expect(result.verifier).toMatchObject({
      version: '3.1.3',
      source: 'download',
      path: join(fx.toolCache, CACHED_COSIGN),
    });
    expect(result.scanner?.verification[1]).toContain('verified by cosign 3.1.3');
    // `version` for the provided cosign, verify-blob by the bootstrap one.
    expect(
      world.standins
        .calls('cosign')
        .map((c) => c.argv[0])
        .sort(),
    ).toEqual(['verify-blob', 'version']);
  });

  it('Windows: nothing is taken out of the zip until its signature held, and nothing at all when it does not', async () => {
    const world = await publishWorld();
    await fx.publish('sigstore/cosign', 'v3.1.3', 'cosign-windows-amd64.exe', world.cosignBytes);
    const zip = await zipOf({ 'trivy.exe': await readFile(world.standins.trivy) });
    const asset = 'trivy_0.74.0_windows-64bit.zip';
    await publishTrivy(zip, zip, asset);
    // Signed by another tag's workflow: the verdict, after a while, is no.
    await world.standins.setScenario({
      cosign: {
        blobs: [{ match: asset, identity: TRIVY_ID.replace('v0.74.0', 'v0.69.4'), issuer: GH_ISSUER }],
        rules: [{ command: 'verify-blob', delayMs: 1_000 }],
      },
    });
    const catalog = fx.catalog(sha256(world.cosignBytes), (c) => {
      const pinned = c.tools.cosign.pinned?.['3.1.3'] as Record<string, string>;
      pinned['windows/amd64'] = sha256(world.cosignBytes);
    });
    let settled = false;
    const install = installTools(
      { runnerOs: 'Windows', runnerArch: 'X64', scanner: 'trivy' },
      fx.deps(catalog),
    )
      .then(
        () => undefined,
        (e: unknown) => e,
      )
      .finally(() => {
        settled = true;
      });
    const seen = new Set<string>();
    while (!settled) {
      for (const dir of [fx.runnerTemp, fx.toolCache]) {
        for (const f of await readdir(dir, { recursive: true }).catch(() => [] as string[]))
          seen.add(String(f));
      }
      await new Promise((done) => setTimeout(done, 10));
    }
    expect(await install).toBeInstanceOf(Error);
    expect([...seen].filter((f) => f.endsWith('trivy.exe'))).toEqual([]);
    expect((await fx.cached()).some((f) => f.startsWith('secure-image-trivy'))).toBe(false);
  });

  it('Windows: .exe assets and the zip archive', async () => {
    const world = await publishWorld();
    await fx.publish('sigstore/cosign', 'v3.1.3', 'cosign-windows-amd64.exe', world.cosignBytes);
    const zip = await zipOf({ 'trivy.exe': await readFile(world.standins.trivy), 'README.md': '# trivy\n' });
    const asset = 'trivy_0.74.0_windows-64bit.zip';
    await publishTrivy(zip, zip, asset);
    await world.standins.setScenario({
      cosign: { blobs: [{ match: asset, identity: TRIVY_ID, issuer: GH_ISSUER }] },
    });
    const catalog = fx.catalog(sha256(world.cosignBytes), (c) => {
      const pinned = c.tools.cosign.pinned?.['3.1.3'] as Record<string, string>;
      pinned['windows/amd64'] = sha256(world.cosignBytes);
    });

    const result = await installTools(
      { runnerOs: 'Windows', runnerArch: 'X64', scanner: 'trivy' },
      fx.deps(catalog),
    );
    expect(result.cosign?.path).toBe(join(fx.toolCache, 'secure-image-cosign/3.1.3/x64/cosign.exe'));
    expect(result.scanner?.path).toBe(join(fx.toolCache, 'secure-image-trivy/0.74.0/x64/trivy.exe'));
    expect(await readFile(result.scanner?.path ?? '')).toEqual(await readFile(world.standins.trivy));
    // A second run verifies the kept zip again and finds trivy.exe in it.
    const second = await installTools(
      { runnerOs: 'Windows', runnerArch: 'X64', scanner: 'trivy' },
      fx.deps(catalog),
    );
    expect(second.scanner?.source).toBe('cache');
    expect(second.scanner?.verification.at(-1)).toBe(
      `SHA-256 ${sha256(await readFile(world.standins.trivy))} of the cached binary is the one ${asset} holds`,
    );
  });
});
