// Keyless signing end to end with the real cosign, against a private Sigstore the harness starts: the real Fulcio
// trusting the harness's OIDC server (the runner's token endpoint, issuing as itself), the real timestamp authority,
// and the trusted root and signing config cosign made for them, given to the action as `sigstore-trusted-root` and
// `sigstore-signing-config`. Through dist/index.js: the signature, the SBOM and scan attestations, the action's own
// check; then from outside, the real `cosign verify` as printed in verify-command passes, and fails for another
// identity, another issuer, and another instance's trusted root. The same instance with `cosign-key`: signed through
// its signing config, dated by its timestamp authority, checked with the public key and its trusted root.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPrivateSigstore, type PrivateSigstore } from '../harness/private-sigstore.js';
import { realTools, skipReason } from '../harness/real-tools.js';
import { pushBaseImage } from '../harness/registry.js';
import { execStandin } from '../harness/standins.js';
import { SIGNED_AND_ATTESTED, shellWords, signingShown } from './expectations.js';
import { explain, startOfflineWorld, type OfflineWorld } from './offline-world.js';

const missing = skipReason(['cosign', 'fulcio', 'timestamp-server'], 'real keyless end-to-end tests');
const suite = missing ? describe.skip : describe;

const PATH = process.env.PATH ?? '/usr/bin:/bin';
/** The identity Fulcio certifies for the world's tokens: https://github.com/<job_workflow_ref>. */
const IDENTITY = 'https://github.com/acme/hello/.github/workflows/release.yml@refs/heads/main';
let world: OfflineWorld;
let sigstore: PrivateSigstore;
let cosign: string;

const password = 'private-sigstore-password-7';

/** Runs the real cosign as a consumer would: a clean environment, nothing of the action's. */
function consumer(args: string[], cwd: string) {
  return execStandin(cosign, args, {
    env: { PATH, HOME: world.dir, COSIGN_PASSWORD: password },
    cwd,
    timeoutMs: 60_000,
  });
}

/** A workspace with the instance's files committed as a user would, under sigstore/. */
function workspaceWithSigstore(): string {
  const ws = world.workspace();
  mkdirSync(join(ws, 'sigstore'));
  copyFileSync(sigstore.trustedRoot, join(ws, 'sigstore', 'trusted_root.json'));
  copyFileSync(sigstore.signingConfig, join(ws, 'sigstore', 'signing_config.json'));
  return ws;
}

/**
 * Runs the action on `ref` with the instance's files as inputs (and `inputs`): it must sign, attest and check both,
 * and show it. Resolves to its verify-command, as the words a shell reads.
 */
async function signWithPrivateSigstore(
  ws: string,
  ref: string,
  inputs: Record<string, string> = {},
): Promise<string[]> {
  const result = await world.run({
    workspace: ws,
    inputs: {
      digest: ref,
      'cosign-path': cosign,
      'sigstore-trusted-root': 'sigstore/trusted_root.json',
      'sigstore-signing-config': 'sigstore/signing_config.json',
      // The base-image gate checks against the public instance, which cannot be reached here.
      'verify-base-images': 'off',
      ...inputs,
    },
  });
  if (result.exitCode !== 0) throw new Error(`${explain(result)}\n${sigstore.logs()}`);
  // Signed, the SBOM and the scan attested; nothing of the public transparency log is linked.
  expect(signingShown(result)).toEqual(SIGNED_AND_ATTESTED);
  return shellWords(result.outputs['verify-command'] ?? '');
}

beforeAll(async () => {
  if (missing) return;
  const tools = realTools(['cosign', 'fulcio', 'timestamp-server']).tools;
  if (!tools) return;
  cosign = tools.path('cosign');
  world = await startOfflineWorld({ selfIssuedOidc: true });
  sigstore = await startPrivateSigstore(tools, world.oidc);
}, 180_000);

afterAll(async () => {
  await sigstore?.stop();
  await world?.stop();
});

suite(
  'real cosign, keyless, against a private Sigstore (Fulcio, timestamp authority, no transparency log)',
  () => {
    it('signs and attests with the workflow identity, checks both; verify-command as printed passes; another identity, issuer or root fails', async () => {
      const repo = 'acme/real-keyless';
      const { digest } = await pushBaseImage(world.registry, repo, 'v1');
      const ref = `${world.registry.host}/${repo}@${digest}`;
      const ws = workspaceWithSigstore();
      const words = await signWithPrivateSigstore(ws, ref);

      // The printed command names the identity, the private issuer, the repository's trusted root, and relaxes only
      // what this instance cannot give: an SCT (no CT log) and a log entry (no transparency log; its signed
      // timestamp dates the signature instead).
      expect(words).toEqual([
        'cosign',
        'verify',
        ref,
        '--certificate-identity',
        IDENTITY,
        '--certificate-oidc-issuer',
        sigstore.issuer,
        '--trusted-root',
        'sigstore/trusted_root.json',
        '--insecure-ignore-sct=true',
        '--insecure-ignore-tlog=true',
        '--use-signed-timestamps=true',
        '--allow-http-registry',
        '--allow-insecure-registry',
      ]);
      const verified = await consumer(words.slice(1), ws);
      if (verified.exitCode !== 0) throw new Error(`cosign verify: ${verified.stderr}`);
      expect(verified.stderr).toMatch(
        /code-signing certificate was verified using trusted certificate authority/,
      );
      const payloads = JSON.parse(verified.stdout) as Array<{ critical: { image: Record<string, string> } }>;
      expect(new Set(payloads.map((p) => p.critical.image['docker-manifest-digest']))).toEqual(
        new Set([digest]),
      );

      // Both attestations pass with the same flags.
      for (const type of ['cyclonedx', 'vuln']) {
        const attested = await consumer(['verify-attestation', '--type', type, ...words.slice(3), ref], ws);
        if (attested.exitCode !== 0)
          throw new Error(`cosign verify-attestation --type ${type}: ${attested.stderr}`);
      }

      // Another identity, another issuer: the real cosign says no.
      const swap = (from: string, to: string) => words.slice(1).map((w) => (w === from ? to : w));
      const otherIdentity = await consumer(
        swap(IDENTITY, 'https://github.com/acme/other/.github/workflows/release.yml@refs/heads/main'),
        ws,
      );
      expect(otherIdentity.exitCode).not.toBe(0);
      expect(otherIdentity.stderr).toMatch(/no matching CertificateIdentity found/);
      const otherIssuer = await consumer(
        swap(sigstore.issuer, 'https://token.actions.githubusercontent.com'),
        ws,
      );
      expect(otherIssuer.exitCode).not.toBe(0);
      expect(otherIssuer.stderr).toMatch(/no matching CertificateIdentity found/);
      // A trusted root whose certificate authority is not this Fulcio (the authority's chain in its place), as another
      // instance's would be: the certificate does not chain to it.
      const strangerRoot = join(ws, 'sigstore', 'other_root.json');
      const made = await consumer(
        [
          'trusted-root',
          'create',
          '--fulcio',
          `url=${sigstore.fulcioUrl},certificate-chain=${sigstore.chains.tsa}`,
          '--tsa',
          `url=${sigstore.tsaUrl}/api/v1/timestamp,certificate-chain=${sigstore.chains.tsa}`,
          '--out',
          strangerRoot,
        ],
        ws,
      );
      if (made.exitCode !== 0) throw new Error(`cosign trusted-root create: ${made.stderr}`);
      const otherRoot = await consumer(swap('sigstore/trusted_root.json', strangerRoot), ws);
      expect(otherRoot.exitCode).not.toBe(0);
      expect(otherRoot.stderr).toMatch(/leaf certificate verification failed/);
    }, 300_000);
  },
);

suite('real cosign, a key, against the private Sigstore: its timestamp authority dates the signature', () => {
  it('signs and attests with cosign-key through the signing config; verify-command with the public key passes', async () => {
    const repo = 'acme/private-keyed';
    const { digest } = await pushBaseImage(world.registry, repo, 'v1');
    const ref = `${world.registry.host}/${repo}@${digest}`;
    const ws = workspaceWithSigstore();
    const keys = join(ws, 'keys');
    mkdirSync(keys);
    const made = await consumer(['generate-key-pair'], keys);
    if (made.exitCode !== 0) throw new Error(`cosign generate-key-pair: ${made.stderr}`);

    const words = await signWithPrivateSigstore(ws, ref, {
      'cosign-key': readFileSync(join(keys, 'cosign.key'), 'utf8'),
      'cosign-password': password,
    });

    // A key has no certificate, so no SCT flag; no log entry to demand, the authority's timestamp instead.
    expect(words).toEqual([
      'cosign',
      'verify',
      ref,
      '--key',
      'cosign.pub',
      '--trusted-root',
      'sigstore/trusted_root.json',
      '--insecure-ignore-tlog=true',
      '--use-signed-timestamps=true',
      '--allow-http-registry',
      '--allow-insecure-registry',
    ]);
    const withKey = (key: string) => words.slice(1).map((w) => (w === 'cosign.pub' ? key : w));
    const verified = await consumer(withKey(join(keys, 'cosign.pub')), ws);
    if (verified.exitCode !== 0) throw new Error(`cosign verify: ${verified.stderr}`);
    expect(verified.stderr).toMatch(/signatures were verified against the specified public key/);

    // Another key does not verify it.
    const other = join(ws, 'other-keys');
    mkdirSync(other);
    await consumer(['generate-key-pair'], other);
    expect((await consumer(withKey(join(other, 'cosign.pub')), ws)).exitCode).not.toBe(0);
  }, 300_000);
});
