// The chain of trust through dist/index.js: a mirror that serves anything but the real cosign under the
// default version's name is refused by the hash embedded in the action, and nothing is cached.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
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
    expect(stageRow(result.summary, 'Build')).toEqual({
      result: '❌ failed',
      detail:
        'Nothing was pushed: the tools stage failed (its error is above), so this run could not scan and sign the image.',
    });
    // The base image was still checked with the verified cosign; nothing reached the registry or was signed.
    expect(world.standins.calls('cosign').filter((c) => c.command === 'verify')).not.toEqual([]);
    expect(await world.registry.tags('acme/unscannable')).toEqual([]);
    expect(world.standins.calls('cosign').filter((c) => c.command === 'sign')).toEqual([]);
    expect(result.outputs.digest ?? '').toBe('');
    expect(result.summary).toMatch(/\| Tools \| ❌ failed \|/);
  });
});
