// Where one party's input could pass as another's, through dist/index.js: a trust policy with one key per team (each
// image checked against its own team's key).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pushBaseImage } from '../harness/registry.js';
import type { Scenario } from '../harness/standins.js';
import { baseImagesOf, explain, startOfflineWorld, type OfflineWorld } from './offline-world.js';

let world: OfflineWorld;

beforeAll(async () => {
  world = await startOfflineWorld();
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

function publicKeyPem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();
}

describe('a trust policy with a key per team', () => {
  it('checks each image against its own rule’s key: one signed only by another team’s key fails', async () => {
    const teams = ['alpha', 'beta', 'gamma', 'delta'] as const;
    const keys = Object.fromEntries(teams.map((t) => [t, publicKeyPem()])) as Record<
      (typeof teams)[number],
      string
    >;
    const bases = await Promise.all(teams.map((t) => pushBaseImage(world.registry, `${t}/base`, 'v1')));
    const indent = (pem: string): string =>
      pem
        .trim()
        .split('\n')
        .map((l) => `        ${l}`)
        .join('\n');
    const policy = [
      'unmatched: deny',
      'rules:',
      ...teams.flatMap((t) => [
        `  - name: team ${t}`,
        `    images: ["127.0.0.1:*/${t}/*"]`,
        '    key: |',
        indent(keys[t]),
      ]),
      '',
    ].join('\n');
    const ws = world.workspace(policy);
    // Pinned references: every key file is written before the first cosign runs, so a shared file holds the last key.
    writeFileSync(
      join(ws, 'app', 'Dockerfile'),
      [
        ...teams.map((t, i) => `FROM ${world.registry.host}/${t}/base@${bases[i]?.digest ?? ''} AS ${t}`),
        // Every stage is needed, so every image is checked.
        ...teams.slice(0, -1).map((t) => `COPY --from=${t} /bin/busybox /${t}`),
        '',
      ].join('\n'),
    );
    // alpha's image carries only delta's signature (delta's rule is the last one); the others their own team's.
    const signer = { alpha: 'delta', beta: 'beta', gamma: 'gamma', delta: 'delta' } as const;
    const scenario: Scenario = {
      cosign: {
        ...world.signedBase().cosign,
        signedImages: teams.map((t, i) => ({
          image: `${world.registry.host}/${t}/base`,
          digest: bases[i]?.digest ?? '',
          publicKey: keys[signer[t]],
        })),
      },
    };
    const result = await world.run({
      workspace: ws,
      scenario,
      inputs: { image: `${world.registry.host}/teams/app`, push: 'false', 'build-args': '' },
    });
    expect(result.exitCode).toBe(1);
    const statuses = Object.fromEntries(
      baseImagesOf(result).map((e) => [e.stage, { status: e.status, rule: e.rule }]),
    );
    expect(statuses).toEqual({
      alpha: { status: 'failed', rule: 'team alpha' },
      beta: { status: 'verified', rule: 'team beta' },
      gamma: { status: 'verified', rule: 'team gamma' },
      delta: { status: 'verified', rule: 'team delta' },
    });
    expect(explain(result)).toMatch(/alpha\/base.*team alpha.*signature check failed/);
  });
});
