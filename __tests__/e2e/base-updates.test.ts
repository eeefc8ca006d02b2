// Freshness of pinned base images through dist/index.js: a real registry where the base image's tag moves to a
// new digest, signed by the rule's signer or not, and the stand-in cosign checking that digest.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BASE_IDENTITY,
  BASE_REPO,
  GITHUB_ISSUER,
  explain,
  pushRebuiltBase,
  useOfflineWorld,
  type OfflineWorld,
} from './offline-world.js';
import type { RunResult } from '../harness/runner.js';
import type { Scenario } from '../harness/standins.js';

let world: OfflineWorld;
useOfflineWorld((w) => (world = w));

const NEWER_CREATED = '2026-11-30T08:15:00Z';
/** The digest `v1` pointed at when the Dockerfile was pinned, and the one it points at now. */
let pinned: string;
let newer: string;

beforeAll(async () => {
  pinned = world.base.digest;
  newer = await pushRebuiltBase(world, 'v1', NEWER_CREATED);
}, 60_000);

/** The example's workspace with its base image pinned as `:<tag>@<digest>` on the ARG line (line 4). */
function pinnedWorkspace(tag = 'v1', digest = pinned): string {
  const ws = world.workspace();
  const file = join(ws, 'app', 'Dockerfile');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(
      'ARG BASE=${REGISTRY}/secure-image/busybox:stable',
      `ARG BASE=\${REGISTRY}/secure-image/busybox:${tag}@${digest}`,
    ),
  );
  return ws;
}

function updatesOf(result: RunResult): Array<Record<string, unknown>> {
  const raw = result.outputs['base-updates'];
  if (raw === undefined) throw new Error(`no base-updates output\n${explain(result)}`);
  return JSON.parse(raw) as Array<Record<string, unknown>>;
}

const signedToo = (digests: string[]): Scenario => ({
  cosign: {
    ...world.signedBase().cosign,
    signedImages: digests.map((digest) => ({
      image: `${world.registry.host}/${BASE_REPO}`,
      digest,
      identity: BASE_IDENTITY,
      issuer: GITHUB_ISSUER,
    })),
  },
});

describe('base image freshness', () => {
  it('a tag moved to a newer digest that passes the rule: a notice with the pinned line to paste', async () => {
    expect(newer).not.toBe(pinned);
    const result = await world.run({
      workspace: pinnedWorkspace(),
      inputs: { image: `${world.registry.host}/acme/fresh` },
      scenario: signedToo([pinned, newer]),
    });
    expect(result.exitCode).toBe(0);
    const image = `${world.registry.host}/${BASE_REPO}:v1`;
    const line = `ARG BASE=\${REGISTRY}/secure-image/busybox:v1@${newer}`;
    expect(updatesOf(result)).toEqual([
      {
        image,
        pinned,
        current: newer,
        status: 'newer-trusted',
        rule: 'offline base',
        reason: null,
        created: NEWER_CREATED,
        lines: [6, 11],
        pinnedLine: { line: 4, text: line },
      },
    ]);
    const notices = result.annotations.filter((a) => a.title === 'Newer base image');
    expect(notices.map((a) => [a.level, a.file, a.line])).toEqual([['notice', 'app/Dockerfile', 4]]);
    expect(notices[0]?.message).toBe(`A newer signed ${image} exists, built 2026-11-30. Pin it:\n${line}`);
    expect(result.summary).toContain(
      `A newer signed \`${image}\` exists, built 2026-11-30. Line 4, pinned: \`${line}\``,
    );
    // The new digest was checked with the rule's signer, by digest.
    const verified = world.standins
      .calls('cosign')
      .filter((c) => c.argv[0] === 'verify')
      .map((c) => c.argv.at(-1));
    expect(verified).toContain(`${world.registry.host}/${BASE_REPO}@${newer}`);
    // The tag was looked up before anything of the image was pushed: beside the build, not after it.
    const requests = world.registry.requests();
    const lookup = requests.indexOf(`HEAD /v2/${BASE_REPO}/manifests/v1`);
    const firstPush = requests.findIndex((r) => /^(POST|PUT|PATCH) \/v2\/acme\/fresh\//.test(r));
    expect(lookup).toBeGreaterThanOrEqual(0);
    expect(firstPush).toBeGreaterThan(lookup);
    // The build used the pinned digest, not the newer one.
    expect(result.outputs['base-images']).toContain(pinned);
  });

  it('a tag moved to a digest that fails the rule is reported as such, and the build goes on from the pinned one', async () => {
    const result = await world.run({
      workspace: pinnedWorkspace(),
      inputs: { image: `${world.registry.host}/acme/hijacked` },
      scenario: signedToo([pinned]),
    });
    expect(result.exitCode).toBe(0);
    const [update] = updatesOf(result);
    expect(update).toEqual(
      expect.objectContaining({
        pinned,
        current: newer,
        status: 'newer-not-trusted',
        rule: 'offline base',
        reason: expect.stringMatching(/^signature check failed: /),
      }),
    );
    const warnings = result.annotations.filter(
      (a) => a.title === 'Base image tag moved to an untrusted digest',
    );
    expect(warnings.map((a) => [a.level, a.file, a.line])).toEqual([['warning', 'app/Dockerfile', 4]]);
    expect(warnings[0]?.message).toContain(`now points at ${newer}`);
    expect(warnings[0]?.message).toContain('does NOT pass the rule "offline base"');
    expect(result.summary).toContain('which does **not** pass the rule `offline base`');
    expect(result.annotations.filter((a) => a.title === 'Newer base image')).toEqual([]);
  });

  it('a pinned tag that still points at the pinned digest gives no update', async () => {
    const ws = pinnedWorkspace('stable', world.base.digest);
    const result = await world.run({
      workspace: ws,
      inputs: { image: `${world.registry.host}/acme/current` },
    });
    expect(result.exitCode).toBe(0);
    expect(updatesOf(result)).toEqual([]);
    expect(result.summary).not.toContain('Base image updates');
  });
});
