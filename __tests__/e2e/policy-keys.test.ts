// Rules with several keys, and revoked keys, through dist/index.js: a real registry, buildah, the stand-in cosign
// holding key signatures of the base image.
import { describe, expect, it } from '@jest/globals';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { BASE_REPO, baseImagesOf, useOfflineWorld, type OfflineWorld } from './offline-world.js';
import type { Scenario } from '../harness/standins.js';

let world: OfflineWorld;
useOfflineWorld((w) => (world = w));

const publicPem = (): string =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();
const OLD_KEY = publicPem();
const NEW_KEY = publicPem();
const fingerprint = (pem: string): string =>
  createHash('sha256')
    .update(createPublicKey(pem).export({ type: 'spki', format: 'der' }))
    .digest('hex');

const block = (pem: string, indent: string): string =>
  pem
    .trim()
    .split('\n')
    .map((l) => `${indent}${l}`)
    .join('\n');

/** A policy whose rule for the base image trusts either key; `revoked` lines go under revoked-keys. */
const policy = (revoked: string[] = []): string =>
  `${revoked.length > 0 ? `revoked-keys:\n${revoked.map((r) => `  - ${r}`).join('\n')}\n` : ''}unmatched: deny
rules:
  - name: offline base
    images: ["127.0.0.1:*/secure-image/*"]
    keys:
      - |
${block(OLD_KEY, '        ')}
      - |
${block(NEW_KEY, '        ')}
`;

/** The base image signed with `pem` only. */
const signedWith = (pem: string): Scenario => ({
  cosign: {
    ...world.signedBase().cosign,
    signedImages: [
      { image: `${world.registry.host}/${BASE_REPO}`, digest: world.base.digest, publicKey: pem },
    ],
  },
});

const baseVerifies = (): string[][] =>
  world.standins
    .calls('cosign')
    .filter((c) => c.argv[0] === 'verify' && (c.argv.at(-1) ?? '').includes(BASE_REPO))
    .map((c) => c.argv);

describe('a rule with two keys', () => {
  it.each([
    ['the old key', 'old'],
    ['the new key', 'new'],
  ])('accepts a base image signed with %s', async (_what, which) => {
    const image = `${world.registry.host}/acme/keys-${which}`;
    const result = await world.run({
      workspace: world.workspace(policy()),
      inputs: { image },
      scenario: signedWith(which === 'old' ? OLD_KEY : NEW_KEY),
    });
    expect(result.exitCode).toBe(0);
    expect(baseImagesOf(result).map((e) => [e.status, e.rule, e.reason])).toEqual([
      ['verified', 'offline base', null],
      ['verified', 'offline base', null],
    ]);
    // Keys are tried in the order written, each as a --key file: the old key alone, or the old one then the new.
    expect(baseVerifies().map((argv) => argv[1])).toEqual(which === 'old' ? ['--key'] : ['--key', '--key']);
    expect(await world.registry.tags('acme/keys-' + which)).toContain('sha-4f3c2b1');
  });
});

describe('revoked-keys', () => {
  it.each([
    ['its SHA-256 fingerprint', `sha256:${fingerprint(OLD_KEY)}`],
    ['the PEM key', `|\n${block(OLD_KEY, '    ')}`],
  ])(
    'named by %s: a base image signed only with the revoked key fails, naming the fingerprint; nothing is built',
    async (_what, entry) => {
      const image = `${world.registry.host}/acme/revoked`;
      const result = await world.run({
        workspace: world.workspace(policy([entry])),
        inputs: { image },
        scenario: signedWith(OLD_KEY),
      });
      expect(result.exitCode).toBe(1);
      const reason = `signature check failed: signed only with the revoked key sha256:${fingerprint(OLD_KEY)}`;
      expect(baseImagesOf(result).map((e) => [e.status, String(e.reason).slice(0, reason.length)])).toEqual([
        ['failed', reason],
        ['failed', reason],
      ]);
      const onLines = result.annotations.filter((a) => a.title === 'Base image not trusted');
      expect(onLines.map((a) => [a.level, a.file, a.line])).toEqual([
        ['error', 'app/Dockerfile', 6],
        ['error', 'app/Dockerfile', 11],
      ]);
      expect(onLines[0]?.message).toContain(`sha256:${fingerprint(OLD_KEY)}`);
      expect(result.summary).toContain(`revoked key sha256:${fingerprint(OLD_KEY)}`);
      expect(await world.registry.tags('acme/revoked')).toEqual([]);
    },
  );

  it('a base image signed with the new key passes while the old key is revoked', async () => {
    const image = `${world.registry.host}/acme/rotated`;
    const result = await world.run({
      workspace: world.workspace(policy([`sha256:${fingerprint(OLD_KEY)}`])),
      inputs: { image },
      scenario: signedWith(NEW_KEY),
    });
    expect(result.exitCode).toBe(0);
    expect(baseImagesOf(result).map((e) => e.status)).toEqual(['verified', 'verified']);
    // The revoked key is not asked at all when a trusted key verifies.
    expect(baseVerifies()).toHaveLength(1);
  });
});
