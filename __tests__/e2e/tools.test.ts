// The chain of trust through dist/index.js: a mirror that serves anything but the real cosign under the
// default version's name is refused by the hash embedded in the action, and nothing is cached.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { legacyBundleWithPublicKey } from '../harness/release-signing.js';
import { startReleaseServer, type ReleaseServer } from '../harness/release-server.js';
import { stageRow } from './expectations.js';
import { OFFLINE_POLICY, startOfflineWorld, type OfflineWorld } from './offline-world.js';

let world: OfflineWorld;
let releases: ReleaseServer;
let root: string;

beforeAll(async () => {
  world = await startOfflineWorld();
  root = mkdtempSync(join(tmpdir(), 'secure-image-mirror-'));
  const dir = join(root, 'sigstore', 'cosign', 'releases', 'download', 'v3.1.3');
  mkdirSync(dir, { recursive: true });
  // A working cosign stand-in, under the exact asset name of the pinned bootstrap cosign.
  copyFileSync(world.standins.cosign, join(dir, 'cosign-linux-amd64'));
  releases = await startReleaseServer(root);
}, 120_000);

afterAll(async () => {
  await releases?.stop();
  await world?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('tool-mirror', () => {
  it('refuses a cosign whose SHA-256 is not the embedded one, with both hashes and the URL, and caches nothing', async () => {
    const result = await world.run({
      workspace: world.workspace(OFFLINE_POLICY),
      inputs: {
        image: `${world.registry.host}/acme/mirrored`,
        'cosign-path': '',
        'tool-mirror': releases.url,
      },
    });
    expect(result.exitCode).toBe(1);
    const error = result.annotations.find((a) => a.level === 'error' && !a.file)?.message ?? '';
    const url = `${releases.url}/sigstore/cosign/releases/download/v3.1.3/cosign-linux-amd64`;
    expect(error).toContain(url);
    expect(error).toContain('4629c757b7618056f8ddd7e2625ae9fdd94c0372a65049520bc7d9df9efc7f71');
    const served = createHash('sha256')
      .update(readFileSync(join(root, 'sigstore/cosign/releases/download/v3.1.3/cosign-linux-amd64')))
      .digest('hex');
    expect(error).toContain(`actual:   ${served}`);
    expect(releases.requests().map((r) => r.path)).toContain(
      '/sigstore/cosign/releases/download/v3.1.3/cosign-linux-amd64',
    );
    // Nothing cached, nothing left half-installed, nothing built or pushed.
    const cached = existsSync(result.toolCache) ? readdirSync(result.toolCache) : [];
    expect(
      cached.filter((name) => name.startsWith('secure-image-') || name.startsWith('.secure-image')),
    ).toEqual([]);
    expect(await world.registry.tags('acme/mirrored')).toEqual([]);
    expect(result.summary).toMatch(/\| Tools \| ❌ failed \|/);
  });

  it("run by hand, without RUNNER_OS and RUNNER_ARCH: the tools asked for are this machine's", async () => {
    const before = releases.requests().length;
    const result = await world.run({
      workspace: world.workspace(OFFLINE_POLICY),
      inputs: {
        image: `${world.registry.host}/acme/by-hand`,
        'cosign-path': '',
        'tool-mirror': releases.url,
      },
      env: { RUNNER_OS: '', RUNNER_ARCH: '' },
    });
    // cosign's asset names use Go's names for the platform.
    const goos = { win32: 'windows' }[process.platform as string] ?? process.platform;
    const goarch = { x64: 'amd64', ia32: '386' }[process.arch as string] ?? process.arch;
    expect(
      releases
        .requests()
        .slice(before)
        .map((r) => r.path),
    ).toContain(`/sigstore/cosign/releases/download/v3.1.3/cosign-${goos}-${goarch}`);
    expect(result.exitCode).toBe(1);
  });
});

describe('cosign-path and scanner-path', () => {
  it('are used as given, and the summary and the log say they were not verified', async () => {
    const result = await world.run({ inputs: { image: `${world.registry.host}/acme/provided`, tags: 'v1' } });
    expect(result.exitCode).toBe(0);
    const toolRows = result.summary
      .split('\n')
      .filter((line) => /^\| (cosign|trivy) \|/.test(line))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    expect(toolRows.map((cells) => [cells[1], cells[3], cells[4]])).toEqual([
      ['cosign', '⚠️ provided, not verified', 'provided through `cosign-path`, not verified'],
      ['trivy', '⚠️ provided, not verified', 'provided through `scanner-path`, not verified'],
    ]);
    const warnings = result.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^cosign \S+ at .+ comes from `cosign-path`: it is used as provided, and secure-image did not verify it\.$/,
        ),
        expect.stringMatching(
          /^trivy \S+ at .+ comes from `scanner-path`: it is used as provided, and secure-image did not verify it\.$/,
        ),
      ]),
    );
    // No tool was installed into the tool cache, nor left staged there (the scanner's DB cache lives beside them).
    const cached = existsSync(result.toolCache) ? readdirSync(result.toolCache) : [];
    expect(
      cached.filter((name) => name.startsWith('secure-image-') || name.startsWith('.secure-image')),
    ).toEqual([]);
  });
});

describe('a scanner that cannot be installed', () => {
  it('lets the build use the verified cosign, but pushes nothing: an image this run cannot scan is not published', async () => {
    const broken = join(root, 'trivy-broken');
    writeFileSync(
      broken,
      '#!/bin/sh\necho "trivy: cannot execute binary file: Exec format error" >&2\nexit 126\n',
    );
    chmodSync(broken, 0o755);
    const result = await world.run({
      inputs: { image: `${world.registry.host}/acme/unscannable`, tags: 'v1', 'scanner-path': broken },
    });
    expect(result.exitCode).toBe(1);
    const error = result.annotations.find((a) => a.level === 'error' && !a.file)?.message ?? '';
    expect(error).toMatch(/^Input `scanner-path`: .*trivy-broken version` exited with code 126/);
    // The build ran; the push by digest is where it stopped.
    expect(stageRow(result.summary, 'Build')?.result).toBe('✅ passed');
    expect(stageRow(result.summary, 'Push')).toEqual({
      result: '❌ failed',
      detail:
        'Nothing was pushed: the tools stage failed (its error is above), so this run could not scan and sign the image.',
    });
    expect(world.registry.requests().filter((r) => /^(POST|PUT) .*\/acme\/unscannable\//.test(r))).toEqual(
      [],
    );
    // The base image was still checked with the verified cosign; nothing reached the registry or was signed.
    expect(world.standins.calls('cosign').filter((c) => c.command === 'verify')).not.toEqual([]);
    expect(await world.registry.tags('acme/unscannable')).toEqual([]);
    expect(world.standins.calls('cosign').filter((c) => c.command === 'sign')).toEqual([]);
    expect(result.outputs.digest ?? '').toBe('');
    expect(result.summary).toMatch(/\| Tools \| ❌ failed \|/);
  });
});

const TRIVY_ASSET = 'trivy_0.74.0_Linux-64bit.tar.gz';
const TRIVY_TAG = 'aquasecurity/trivy/releases/download/v0.74.0';

/** trivy's release files on the mirror: an archive, its checksums file, and (when given) the bundle. */
function publishTrivy(bundle: string | undefined): void {
  const dir = join(root, TRIVY_TAG);
  mkdirSync(dir, { recursive: true });
  const archive = Buffer.from('not read: the bundle is refused first');
  writeFileSync(join(dir, TRIVY_ASSET), archive);
  writeFileSync(
    join(dir, 'trivy_0.74.0_checksums.txt'),
    `${createHash('sha256').update(archive).digest('hex')}  ${TRIVY_ASSET}\n`,
  );
  rmSync(join(dir, `${TRIVY_ASSET}.sigstore.json`), { force: true });
  if (bundle !== undefined) writeFileSync(join(dir, `${TRIVY_ASSET}.sigstore.json`), bundle);
}

/** A run that installs trivy from the mirror (whose bootstrap cosign is a stand-in, so it never verifies). */
const installTrivyFromMirror = (repository: string): ReturnType<OfflineWorld['run']> =>
  world.run({
    workspace: world.workspace(OFFLINE_POLICY),
    inputs: {
      image: `${world.registry.host}/${repository}`,
      'scanner-path': '',
      'tool-mirror': releases.url,
    },
  });

const errorOf = (result: { annotations: { level: string; file?: string; message: string }[] }): string =>
  result.annotations.find((a) => a.level === 'error' && !a.file)?.message ?? '';

describe('what a download is verified with', () => {
  it('a legacy bundle with a public key in its certificate field is refused before any cosign runs', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    publishTrivy(legacyBundleWithPublicKey(publicKey.export({ type: 'spki', format: 'pem' }).toString()));
    const result = await installTrivyFromMirror('acme/legacy-bundle');
    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toContain(
      `${TRIVY_ASSET}.sigstore.json (${releases.url}/${TRIVY_TAG}/${TRIVY_ASSET}.sigstore.json) is refused before ` +
        'any cosign reads it: it has no Sigstore bundle media type (a legacy cosign bundle, or another format)',
    );
    // No cosign of any kind was asked to verify a blob; nothing of trivy was cached.
    expect(world.standins.calls('cosign').filter((c) => c.command === 'verify-blob')).toEqual([]);
    const cached = existsSync(result.toolCache) ? readdirSync(result.toolCache) : [];
    expect(cached.filter((name) => name.startsWith('secure-image-trivy'))).toEqual([]);
    expect(await world.registry.tags('acme/legacy-bundle')).toEqual([]);
  });

  it('a 404 on a signature file names the file and the release', async () => {
    publishTrivy(undefined);
    const result = await installTrivyFromMirror('acme/no-bundle');
    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toContain(
      `trivy 0.74.0 cannot be installed: its Sigstore signature bundle (${TRIVY_ASSET}.sigstore.json) is missing ` +
        `from release v0.74.0 of aquasecurity/trivy (HTTP 404 at ${releases.url}/${TRIVY_TAG}/${TRIVY_ASSET}.sigstore.json)`,
    );
    expect(errorOf(result)).toContain(
      'Check that `tool-mirror` holds every file of the release, signature files included.',
    );
  });
});

describe('a poisoned tool cache', () => {
  it('a fake trivy with its own hash in the record and a .complete marker is not run, and the summary does not call it verified', async () => {
    const toolCache = mkdtempSync(join(tmpdir(), 'poisoned-tool-cache-'));
    const entry = join(toolCache, 'secure-image-trivy', '0.74.0', 'x64');
    mkdirSync(entry, { recursive: true });
    const ran = join(toolCache, 'the-fake-trivy-ran');
    // Empties every report, and leaves a mark if it is ever run.
    const fake = `#!/bin/sh\ntouch '${ran}'\necho '{"SchemaVersion":2,"Results":[]}'\n`;
    writeFileSync(join(entry, 'trivy'), fake, { mode: 0o755 });
    writeFileSync(
      join(entry, 'secure-image-install.json'),
      JSON.stringify({
        tool: 'trivy',
        version: '0.74.0',
        platform: 'linux/amd64',
        binary: 'trivy',
        sha256: createHash('sha256').update(fake).digest('hex'),
        asset: TRIVY_ASSET,
        url: `https://github.com/${TRIVY_TAG}/${TRIVY_ASSET}`,
        verification: ['SHA-256 of the archive matches the checksums file', 'Sigstore bundle verified'],
        installedAt: new Date().toISOString(),
      }),
    );
    writeFileSync(`${entry}.complete`, '');
    try {
      const result = await world.run({
        workspace: world.workspace(OFFLINE_POLICY),
        toolCache,
        inputs: {
          image: `${world.registry.host}/acme/poisoned`,
          tags: 'v1',
          'scanner-path': '',
          'tool-mirror': releases.url,
        },
      });
      expect(result.exitCode).toBe(1);
      expect(existsSync(ran)).toBe(false);
      expect(result.summary).not.toContain('tool cache, re-verified');
      expect(result.outputs['scan-passed']).not.toBe('true');
      expect(result.outputs.signed).not.toBe('true');
      expect(await world.registry.tags('acme/poisoned')).toEqual([]);
      const warnings = result.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
      expect(warnings).toContainEqual(
        expect.stringMatching(
          /^the cached trivy 0\.74\.0 did not verify again: the cache entry lacks what it was verified with .*; evicted .*\. Installing it again\.$/,
        ),
      );
      expect(existsSync(join(entry, 'trivy'))).toBe(false);
    } finally {
      rmSync(toolCache, { recursive: true, force: true });
    }
  });
});

describe('only what the run needs', () => {
  it('a provided scanner, no base-image check and no signing: no cosign is downloaded at all', async () => {
    const before = releases.requests().length;
    const result = await world.run({
      inputs: {
        image: `${world.registry.host}/acme/scan-only`,
        tags: 'v1',
        'cosign-path': '',
        'tool-mirror': releases.url,
        'verify-base-images': 'off',
        sign: 'false',
      },
    });
    expect(result.exitCode).toBe(0);
    expect(releases.requests().slice(before)).toEqual([]);
    const toolRows = result.summary.split('\n').filter((line) => /^\| (cosign|trivy) \|/.test(line));
    expect(toolRows.map((line) => line.split('|')[1]?.trim())).toEqual(['trivy']);
    expect(result.outputs['scan-passed']).toBe('true');
  });
});
