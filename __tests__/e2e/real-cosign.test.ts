// The real cosign (built by scripts/install-real-tools.sh at the catalog's version) against the real registry,
// through dist/index.js: key signing without the public transparency log (`tlog-upload: false`, which cannot be
// reached here), the SBOM and vulnerability attestations, the check after signing; then what reached the registry is
// checked from outside with the real `cosign verify` and `verify-attestation`, as a consumer would.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyRulePolicy, publisherSignArgs, realTools, skipReason } from '../harness/real-tools.js';
import { pushBaseImage } from '../harness/registry.js';
import { execStandin } from '../harness/standins.js';
import { SIGNED_AND_ATTESTED, shellWords, signingShown, stageRow } from './expectations.js';
import { explain, startOfflineWorld, type OfflineWorld } from './offline-world.js';

const missing = skipReason(['cosign'], 'real cosign end-to-end tests');
const suite = missing ? describe.skip : describe;

const PATH = process.env.PATH ?? '/usr/bin:/bin';
const password = 'real-cosign-password-42';
let world: OfflineWorld;
let cosign: string;
let images = 0;

/** Runs the real cosign as a consumer would: a clean environment, nothing of the action's. */
function consumer(args: string[], cwd?: string) {
  return execStandin(cosign, args, {
    env: { PATH, HOME: world.dir, COSIGN_PASSWORD: password },
    ...(cwd ? { cwd } : {}),
    timeoutMs: 60_000,
  });
}

async function keyPair(): Promise<{ dir: string; privatePem: string; publicKey: string }> {
  const dir = mkdtempSync(join(world.dir, 'keys-'));
  const made = await consumer(['generate-key-pair'], dir);
  if (made.exitCode !== 0) throw new Error(`cosign generate-key-pair: ${made.stderr}`);
  return {
    dir,
    privatePem: readFileSync(join(dir, 'cosign.key'), 'utf8'),
    publicKey: join(dir, 'cosign.pub'),
  };
}

beforeAll(async () => {
  if (missing) return;
  cosign = realTools(['cosign']).tools?.path('cosign') ?? '';
  world = await startOfflineWorld();
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

/** The statement of each DSSE envelope `cosign verify-attestation --output json` printed. */
function statements(
  stdout: string,
): Array<{ predicateType?: string; subject?: Array<{ digest?: { sha256?: string } }> }> {
  return stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) =>
      JSON.parse(Buffer.from((JSON.parse(l) as { payload: string }).payload, 'base64').toString('utf8')),
    );
}

suite('real cosign, key mode without the transparency log', () => {
  it('signs, attests the SBOM and the scan, verifies; the verify-command, run as printed, passes', async () => {
    const repo = `acme/real-key-${++images}`;
    const { digest } = await pushBaseImage(world.registry, repo, 'v1');
    const ref = `${world.registry.host}/${repo}@${digest}`;
    const key = await keyPair();

    const result = await world.run({
      inputs: {
        digest: ref,
        'cosign-path': cosign,
        'cosign-key': key.privatePem,
        'cosign-password': password,
        'tlog-upload': 'false',
        // The keyless base image is checked against the public Sigstore instance, which cannot be reached here.
        'verify-base-images': 'off',
      },
    });
    if (result.exitCode !== 0) throw new Error(explain(result));
    // Signed, the SBOM and the scan attested; no transparency log, so no Rekor index and no search.sigstore.dev link.
    expect(signingShown(result)).toEqual(SIGNED_AND_ATTESTED);

    // The printed command says it does not look for a log entry, and with the published public key it verifies.
    const words = shellWords(result.outputs['verify-command'] ?? '');
    expect(words.slice(0, 2)).toEqual(['cosign', 'verify']);
    expect(words).toEqual(
      expect.arrayContaining(['--key', 'cosign.pub', '--insecure-ignore-tlog=true', ref]),
    );
    const verified = await consumer(words.slice(1).map((w) => (w === 'cosign.pub' ? key.publicKey : w)));
    expect(verified.stderr).toMatch(/signatures were verified against the specified public key/);
    expect(verified.exitCode).toBe(0);
    const payloads = JSON.parse(verified.stdout) as Array<{ critical: { image: Record<string, string> } }>;
    // cosign v3 lists every bundle the key verifies on the digest (the signature, and the attestations too).
    expect(new Set(payloads.map((p) => p.critical.image['docker-manifest-digest']))).toEqual(
      new Set([digest]),
    );

    // Both attestations reached the registry, signed by that key, about that digest.
    for (const [type, predicateType] of [
      ['cyclonedx', 'https://cyclonedx.org/bom'],
      ['vuln', 'https://cosign.sigstore.dev/attestation/vuln/v1'],
    ] as const) {
      const attested = await consumer([
        'verify-attestation',
        '--type',
        type,
        '--key',
        key.publicKey,
        '--insecure-ignore-tlog=true',
        '--allow-http-registry',
        '--allow-insecure-registry',
        '--output',
        'json',
        ref,
      ]);
      expect(attested.exitCode).toBe(0);
      const about = statements(attested.stdout).filter(
        (s) =>
          s.predicateType === predicateType &&
          s.subject?.some((x) => `sha256:${x.digest?.sha256}` === digest),
      );
      expect(about.length).toBeGreaterThanOrEqual(1);
    }

    // Another key does not verify it; nor does a consumer who demands a log entry.
    const other = await keyPair();
    const otherKey = await consumer(words.slice(1).map((w) => (w === 'cosign.pub' ? other.publicKey : w)));
    expect(otherKey.exitCode).not.toBe(0);
    const demandsLog = await consumer(
      words
        .slice(1)
        .filter((w) => w !== '--insecure-ignore-tlog=true')
        .map((w) => (w === 'cosign.pub' ? key.publicKey : w)),
    );
    expect(demandsLog.exitCode).not.toBe(0);
  }, 240_000);
});

suite(
  'real cosign, a base image signed with a key and no transparency-log entry, checked by the gate',
  () => {
    /** A policy that trusts the repository's images by `publicKey` alone; `tlog` as given. */
    const policy = (repo: string, publicKey: string, tlog: boolean): string =>
      keyRulePolicy('our base', `127.0.0.1:*/${repo}`, readFileSync(publicKey, 'utf8'), tlog);

    it('verifies it with the rule key (tlog: false), fails another key and a rule that demands a log entry', async () => {
      const repo = `acme/real-keyed-base-${++images}`;
      const base = await pushBaseImage(world.registry, repo, 'v1');
      const baseRef = `${world.registry.host}/${repo}@${base.digest}`;
      const publisher = await keyPair();
      const signedBase = await consumer(publisherSignArgs(join(publisher.dir, 'cosign.key'), baseRef));
      if (signedBase.exitCode !== 0) throw new Error(`cosign sign of the base: ${signedBase.stderr}`);
      const stranger = await keyPair();
      const signer = await keyPair();

      const runWith = (name: string, trusted: string, tlog: boolean) => {
        const ws = world.workspace(policy(repo, trusted, tlog));
        writeFileSync(
          join(ws, 'app', 'Dockerfile'),
          `FROM ${world.registry.host}/${repo}:v1\nCOPY hello.sh /app/hello.sh\n`,
        );
        return world.run({
          workspace: ws,
          inputs: {
            image: `${world.registry.host}/acme/${name}`,
            tags: 'v1',
            'cosign-path': cosign,
            'cosign-key': signer.privatePem,
            'cosign-password': password,
            'tlog-upload': 'false',
          },
        });
      };
      const entries = (result: { outputs: Record<string, string | undefined> }) =>
        JSON.parse(result.outputs['base-images'] ?? '[]') as Array<{
          status: string;
          digest: string | null;
          rule: string | null;
          reason: string | null;
        }>;

      const trusted = await runWith('keyed-app', publisher.publicKey, false);
      if (trusted.exitCode !== 0) throw new Error(explain(trusted));
      expect(entries(trusted)).toEqual([
        expect.objectContaining({
          status: 'verified',
          digest: base.digest,
          rule: 'our base',
          reason: expect.stringMatching(
            /without a transparency-log entry \(rule "our base" has tlog: false\)/,
          ),
        }),
      ]);
      expect(trusted.outputs.signed).toBe('true');
      // The base image table says how it was verified: by the key, with no log entry looked for.
      expect(trusted.summary).toMatch(/\| our base \| key, no log entry \| ✅ verified \|/);

      // The same image under a rule with another key: the real cosign says no, and nothing is built or tagged.
      const wrongKey = await runWith('keyed-wrong', stranger.publicKey, false);
      expect(wrongKey.exitCode).toBe(1);
      expect(entries(wrongKey)[0]).toMatchObject({
        status: 'failed',
        reason: expect.stringMatching(/^signature check/),
      });
      expect(stageRow(wrongKey.summary, 'Build')?.result).toMatch(/not run/);
      expect(await world.registry.tags('acme/keyed-wrong')).toEqual([]);

      // The right key, but a rule that demands a transparency-log entry the signature never had: it fails closed.
      const demandsLog = await runWith('keyed-logged', publisher.publicKey, true);
      expect(demandsLog.exitCode).toBe(1);
      expect(entries(demandsLog)[0]?.status).toBe('failed');
      expect(await world.registry.tags('acme/keyed-logged')).toEqual([]);
    }, 300_000);
  },
);

suite('real cosign, signature-format: legacy', () => {
  it('signs and attests with the .sig/.att tag scheme cosign v2, Kyverno and policy-controller read; checked from outside', async () => {
    const repo = `acme/real-legacy-${++images}`;
    const { digest } = await pushBaseImage(world.registry, repo, 'v1');
    const ref = `${world.registry.host}/${repo}@${digest}`;
    const key = await keyPair();
    const result = await world.run({
      inputs: {
        digest: ref,
        'cosign-path': cosign,
        'cosign-key': key.privatePem,
        'cosign-password': password,
        'tlog-upload': 'false',
        'signature-format': 'legacy',
        'verify-base-images': 'off',
      },
    });
    if (result.exitCode !== 0) throw new Error(explain(result));
    expect(signingShown(result)).toEqual(SIGNED_AND_ATTESTED);
    // What reached the registry: the old scheme's tags beside the digest, named after it.
    const tags = await world.registry.tags(repo);
    const prefix = `sha256-${digest.slice('sha256:'.length)}`;
    expect(tags).toEqual(expect.arrayContaining([`${prefix}.sig`, `${prefix}.att`]));
    // A consumer reading that scheme (cosign's legacy verification) finds the signature with the key.
    const words = shellWords(result.outputs['verify-command'] ?? '');
    const verified = await consumer(words.slice(1).map((w) => (w === 'cosign.pub' ? key.publicKey : w)));
    if (verified.exitCode !== 0) throw new Error(`cosign verify: ${verified.stderr}`);
    expect(verified.stderr).toMatch(/signatures were verified against the specified public key/);
    const other = await keyPair();
    const otherKey = await consumer(words.slice(1).map((w) => (w === 'cosign.pub' ? other.publicKey : w)));
    expect(otherKey.exitCode).not.toBe(0);
  }, 240_000);
});
