// Faults through dist/index.js: a registry that goes away in the middle of a push, a GitHub OIDC
// endpoint that answers 500, a release mirror that drops the connection mid-download, and a RUNNER_TEMP
// with no space left. Each run ends with a clear error, a summary that says where it stopped, no
// partial tool in the cache, and no signature.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReleaseServer, type ReleaseServer } from '../harness/release-server.js';
import type { RunResult } from '../harness/runner.js';
import type { StandinCall } from '../harness/standins.js';
import { expectFailure, failureOf, filesUnder, startHangupProxy } from './adversity.js';
import { signatureTags, stageRow, visibleStdout } from './expectations.js';
import { startOfflineWorld, type OfflineWorld } from './offline-world.js';

let world: OfflineWorld;
let releases: ReleaseServer;
let releaseRoot: string;

const COSIGN_ASSET = '/sigstore/cosign/releases/download/v3.1.3/cosign-linux-amd64';

beforeAll(async () => {
  world = await startOfflineWorld();
  releaseRoot = mkdtempSync(join(tmpdir(), 'secure-image-faults-releases-'));
  mkdirSync(join(releaseRoot, 'sigstore/cosign/releases/download/v3.1.3'), { recursive: true });
  // Under the default cosign's asset name: a stand-in, which the pinned hash refuses once it arrives.
  copyFileSync(world.standins.cosign, join(releaseRoot, COSIGN_ASSET));
  releases = await startReleaseServer(releaseRoot);
}, 120_000);

afterAll(async () => {
  await releases?.stop();
  await world?.stop();
  if (releaseRoot) rmSync(releaseRoot, { recursive: true, force: true });
});

let repos = 0;
function target(name: string, host = world.registry.host): { repo: string; image: string } {
  const repo = `faults/${name}-${++repos}`;
  return { repo, image: `${host}/${repo}` };
}

function cosignCalls(command: string): StandinCall[] {
  return world.standins.calls('cosign').filter((c) => c.command === command);
}

/**
 * No tool in the tool cache (an install is `secure-image-<tool>/<version>/<arch>`), no staging folder an install
 * broken off would leave (`.secure-image-staging-*`), nothing else named after a tool, and no download left in
 * RUNNER_TEMP. The vulnerability DB (`secure-image/<scanner>-db`) is a cache of its own, warmed while the image
 * builds; it is not a tool and may stay.
 */
function expectNoToolLeftBehind(result: RunResult): void {
  const top = existsSync(result.toolCache) ? readdirSync(result.toolCache) : [];
  expect(
    top.filter((name) => name.startsWith('secure-image-') || name.startsWith('.secure-image-staging-')),
  ).toEqual([]);
  const cached = readdirSync(result.toolCache, { recursive: true }).map(String);
  expect(cached.filter((p) => !p.startsWith('secure-image/') && /cosign|trivy|grype/i.test(p))).toEqual([]);
  const temp = filesUnder(result.runnerTemp).map((p) => p.slice(result.runnerTemp.length));
  expect(temp.filter((p) => /cosign-linux|trivy_|grype_/.test(p))).toEqual([]);
}

async function expectNoSignature(result: RunResult, repo: string, digest?: string): Promise<void> {
  expect(result.outputs.signed).toBe('false');
  expect(cosignCalls('attest')).toEqual([]);
  expect(world.standins.signatures().filter((s) => s.name.endsWith(repo))).toEqual([]);
  if (digest) expect(await signatureTags(world.registry, repo, digest)).toEqual([]);
}

describe('the registry goes away mid-push', () => {
  it('a registry that hangs up on every blob upload fails the push, counting the tries; nothing is tagged or signed', async () => {
    const proxy = await startHangupProxy(world.registry.url, { path: /\/blobs\/uploads\// });
    try {
      const { repo, image } = target('hangup', proxy.host);
      const started = Date.now();
      const result = await world.run({ inputs: { image, tags: 'v1' } });
      const seconds = (Date.now() - started) / 1000;
      // The action uploads the blobs itself, and tries a hang-up again before it gives up, naming the repository.
      expectFailure(
        result,
        new RegExp(`^Pushing ${proxy.host}/${repo} \\(blob sha256:`),
        /failed after 4 tries/,
      );
      expect(seconds).toBeLessThan(100);
      expect(proxy.log().filter((l) => l.endsWith('hung up')).length).toBeGreaterThan(0);
      expect(result.summary).toMatch(/\*\*Failed\*\* at Push/);
      expect(stageRow(result.summary, 'Sign')?.result).toMatch(/not run/);
      expect(await world.registry.tags(repo)).toEqual([]);
      expect(proxy.log().filter((l) => /PUT .*\/manifests\//.test(l))).toEqual([]);
      expect(result.outputs.digest).toBeUndefined();
      expect(cosignCalls('sign')).toEqual([]);
      // Nothing was scanned (the DB warmed meanwhile, as it does during every build).
      const scans = world.standins.calls('trivy').filter((c) => c.command === 'image');
      expect(scans.filter((c) => !c.argv.includes('--download-db-only'))).toEqual([]);
      expectNoToolLeftBehind(result);
      await expectNoSignature(result, repo);
    } finally {
      await proxy.stop();
    }
  }, 120_000);
});

// A registry that accepts an upload and never answers must not hold the step until GitHub's job limit.
it('a registry that stalls mid-push is given up within stage-timeout, with an error naming the push', async () => {
  const proxy = await startHangupProxy(world.registry.url, { path: /\/blobs\/uploads\//, action: 'stall' });
  try {
    const { repo, image } = target('stall', proxy.host);
    const result = await world.run({
      inputs: { image, tags: 'v1', 'stage-timeout': '5s' },
      timeoutMs: 30_000,
    });
    expectFailure(
      result,
      new RegExp(`/v2/${repo}/blobs/uploads/`),
      /did not finish within 5 s \(`stage-timeout`\)/,
    );
    expect(result.summary).toMatch(/\*\*Failed\*\* at Push/);
    expect(await world.registry.tags(repo)).toEqual([]);
    expectNoToolLeftBehind(result);
    await expectNoSignature(result, repo);
  } finally {
    await proxy.stop();
  }
}, 60_000);

describe('the OIDC token endpoint fails', () => {
  it("500s from the token endpoint fail the run before the build, with the endpoint's answer; nothing is pushed", async () => {
    const { repo, image } = target('oidc-500');
    world.oidc.setFailures(1_000, 500);
    let result: RunResult;
    try {
      result = await world.run({ inputs: { image, tags: 'v1' } });
    } finally {
      world.oidc.setFailures(0, 500);
    }
    expectFailure(
      result,
      /^Could not get an OIDC token for keyless signing: GitHub's token endpoint failed 4 times; the last answer: .*Error Code : 500/s,
    );
    // The permission is there (the runner set the variables): the advice is not to add it.
    expect(failureOf(result)).not.toMatch(/id-token: write/);
    expect(result.summary).toMatch(/\*\*Failed\*\* at Sign/);
    // Signing is checked before the build: nothing was built, pushed or scanned, and cosign never signed.
    expect(stageRow(result.summary, 'Build')?.result).toMatch(/not run/);
    expect(result.outputs.digest).toBeUndefined();
    expect(result.outputs['scan-passed']).toBeUndefined();
    expect(await world.registry.tags(repo)).toEqual([]);
    expect(cosignCalls('sign')).toEqual([]);
    expectNoToolLeftBehind(result);
    await expectNoSignature(result, repo);
  });

  it('a token endpoint that fails twice and then answers: signing goes on with the token', async () => {
    const { repo, image } = target('oidc-flaky');
    const before = world.oidc.issued().length;
    world.oidc.setFailures(2, 500);
    let result: RunResult;
    try {
      result = await world.run({ inputs: { image, tags: 'v1' } });
    } finally {
      world.oidc.setFailures(0, 500);
    }
    expect({ exitCode: result.exitCode, error: failureOf(result) }).toEqual({ exitCode: 0, error: '' });
    expect(world.oidc.issued().length).toBeGreaterThan(before);
    expect(result.outputs.signed).toBe('true');
    expect(
      world.standins
        .signatures()
        .filter((s) => s.name.endsWith(repo))
        .map((s) => s.kind),
    ).toContain('signature');
  });
});

describe('the release mirror drops the connection mid-download', () => {
  it('every try broken off: the download fails after its tries, saying so, and nothing is cached', async () => {
    releases.clearFaults();
    releases.fault(COSIGN_ASSET, { kind: 'drop', afterBytes: 100 });
    const before = releases.requests().length;
    const { repo, image } = target('drop');
    try {
      const result = await world.run({ inputs: { image, 'cosign-path': '', 'tool-mirror': releases.url } });
      const url = `${releases.url}${COSIGN_ASSET}`;
      expectFailure(
        result,
        new RegExp(`download of ${url} failed after 4 tries`),
        /broke off after|ended after/,
      );
      const asked = releases
        .requests()
        .slice(before)
        .filter((r) => r.path === COSIGN_ASSET);
      expect(asked.map((r) => r.fault)).toEqual(['drop', 'drop', 'drop', 'drop']);
      const retries = visibleStdout(result).match(/download of .*\(try \d of 4\); trying again/g) ?? [];
      expect(retries).toHaveLength(3);
      expect(stageRow(result.summary, 'Tools')?.result).toMatch(/failed/);
      expectNoToolLeftBehind(result);
      expect(await world.registry.tags(repo)).toEqual([]);
      await expectNoSignature(result, repo);
    } finally {
      releases.clearFaults();
    }
  }, 60_000);

  it('one try broken off: the next try downloads it whole, and the embedded hash still decides', async () => {
    releases.clearFaults();
    releases.fault(COSIGN_ASSET, { kind: 'drop', afterBytes: 100, times: 1 });
    const before = releases.requests().length;
    const { repo, image } = target('drop-once');
    try {
      const result = await world.run({ inputs: { image, 'cosign-path': '', 'tool-mirror': releases.url } });
      // The stand-in is not the real cosign: once it arrives whole, the pinned SHA-256 refuses it.
      expectFailure(result, /4629c757b7618056f8ddd7e2625ae9fdd94c0372a65049520bc7d9df9efc7f71/);
      const asked = releases
        .requests()
        .slice(before)
        .filter((r) => r.path === COSIGN_ASSET);
      expect(asked.map((r) => [r.fault, r.status])).toEqual([
        ['drop', 200],
        [undefined, 200],
      ]);
      expect(visibleStdout(result).match(/\(try 1 of 4\); trying again/g)).toHaveLength(1);
      expectNoToolLeftBehind(result);
      await expectNoSignature(result, repo);
    } finally {
      releases.clearFaults();
    }
  }, 60_000);
});

/** Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN); why not, otherwise. */
function tmpfsProbe(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'secure-image-tmpfs-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'pipe' });
    execFileSync('umount', [dir], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error).trim() || 'mount failed';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const noTmpfs = tmpfsProbe();
const withTmpfs = noTmpfs === undefined ? it : it.skip;
const tmpfsNote = noTmpfs === undefined ? '' : ` [skipped: cannot mount a tmpfs here: ${noTmpfs}]`;

/** Runs `body` with a 64 KiB tmpfs mounted as RUNNER_TEMP, and unmounts it afterwards. */
async function withFullTemp<T>(body: (runnerTemp: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'secure-image-full-temp-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0755', 'tmpfs', dir], { stdio: 'pipe' });
  try {
    return await body(dir);
  } finally {
    execFileSync('umount', [dir], { stdio: 'pipe' });
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('RUNNER_TEMP is full', () => {
  withTmpfs(
    `a download that does not fit fails with the disk named, and nothing is cached${tmpfsNote}`,
    async () => {
      // A cosign asset of 1 MiB, to a RUNNER_TEMP of 64 KiB.
      const big = join(releaseRoot, 'big', 'sigstore/cosign/releases/download/v3.1.3');
      mkdirSync(big, { recursive: true });
      writeFileSync(join(big, 'cosign-linux-amd64'), randomBytes(1024 * 1024));
      const mirror = await startReleaseServer(join(releaseRoot, 'big'));
      const { repo, image } = target('full-download');
      try {
        await withFullTemp(async (runnerTemp) => {
          const result = await world.run({
            inputs: { image, 'cosign-path': '', 'tool-mirror': mirror.url },
            runnerTemp,
          });
          expectFailure(
            result,
            /^Could not write the download to .*cosign-linux-amd64: ENOSPC: no space left on device/,
            /Free space on the disk of RUNNER_TEMP/,
          );
          expect(failureOf(result)).not.toMatch(/server may be down/);
          // A full disk does not pass on another try.
          expect(mirror.requests().filter((r) => r.path === COSIGN_ASSET)).toHaveLength(1);
          expect(stageRow(result.summary, 'Tools')?.result).toMatch(/failed/);
          expectNoToolLeftBehind(result);
          expect(filesUnder(runnerTemp).filter((p) => p.includes('cosign'))).toEqual([]);
          expect(await world.registry.tags(repo)).toEqual([]);
          await expectNoSignature(result, repo);
        });
      } finally {
        await mirror.stop();
      }
    },
    60_000,
  );

  withTmpfs(
    `a pipeline that runs out of RUNNER_TEMP stops with the disk named, where it ran out, and signs nothing${tmpfsNote}`,
    async () => {
      const { repo, image } = target('full-pipeline');
      await withFullTemp(async (runnerTemp) => {
        // Fill what the run would have, but a few KiB (the run writes a registries.conf for buildah before the build).
        writeFileSync(join(runnerTemp, 'filler'), Buffer.alloc(52 * 1024));
        const result = await world.run({ inputs: { image, tags: 'v1' }, runnerTemp });
        // The OCI layout the builder writes for the push by digest is the first to need more than a few KiB; the
        // builder's own words say why.
        expectFailure(result, /no space left on device/);
        const failedAt = /\*\*Failed\*\* at ([A-Za-z ]+)/.exec(result.summary)?.[1];
        expect(failedAt).toBeDefined();
        expect(stageRow(result.summary, failedAt ?? '')?.result).toMatch(/failed/);
        expect(cosignCalls('sign')).toEqual([]);
        expectNoToolLeftBehind(result);
        await expectNoSignature(result, repo, result.outputs.digest);
      });
    },
    60_000,
  );
});
