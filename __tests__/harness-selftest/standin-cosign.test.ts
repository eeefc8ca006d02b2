import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GITHUB_ISSUER, startOidcServer, workflowIdentity, type OidcServer } from '../harness/oidc.js';
import { pushBaseImage, startRegistry, type Registry } from '../harness/registry.js';
import { execStandin, installStandins, type Standins } from '../harness/standins.js';

const PATH = process.env.PATH ?? '/usr/bin:/bin';
const RELEASE_IDENTITY = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main';
const DISTROLESS_DIGEST = `sha256:${'d'.repeat(64)}`;

interface VerifyOutput {
  critical: {
    identity: { 'docker-reference': string };
    image: { 'docker-manifest-digest': string };
    type: string;
  };
  optional: Record<string, unknown> | null;
}

async function token(oidc: OidcServer, audience = 'sigstore'): Promise<string> {
  const response = await fetch(`${oidc.requestUrl}&audience=${audience}`, {
    headers: { Authorization: `Bearer ${oidc.requestToken}` },
  });
  return ((await response.json()) as { value: string }).value;
}

function keyless(identity = RELEASE_IDENTITY, issuer = GITHUB_ISSUER): string[] {
  return ['--certificate-identity', identity, '--certificate-oidc-issuer', issuer];
}

describe('stand-in cosign against a real registry and OIDC endpoint', () => {
  let dir: string;
  let registry: Registry;
  let oidc: OidcServer;
  let standins: Standins;
  let image: { ref: string; digest: string };
  let pinned: string;
  let env: Record<string, string>;

  const cosign = (
    args: string[],
    extra: { env?: Record<string, string>; cwd?: string; stdin?: string } = {},
  ) =>
    execStandin(standins.cosign, args, {
      env: { ...env, ...extra.env },
      cwd: extra.cwd ?? dir,
      stdin: extra.stdin,
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'standin-cosign-'));
    [registry, oidc] = await Promise.all([startRegistry(), startOidcServer()]);
    standins = await installStandins(join(dir, 'tools'), {
      cosign: {
        oidcPublicKeyPem: oidc.publicKeyPem,
        signedImages: [
          {
            image: 'gcr.io/distroless/static:nonroot',
            digest: DISTROLESS_DIGEST,
            identity: 'keyless@distroless.iam.gserviceaccount.com',
            issuer: 'https://accounts.google.com',
          },
        ],
      },
    });
    image = await pushBaseImage(registry, 'acme/app', '1.0');
    pinned = `${registry.host}/acme/app@${image.digest}`;
    env = { PATH, HOME: dir, SIGSTORE_ID_TOKEN: await token(oidc) };
  });
  afterAll(async () => {
    await Promise.all([registry?.stop(), oidc?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  describe('sign then verify (keyless, v3 bundle format)', () => {
    beforeAll(async () => {
      const run = await cosign(['sign', '--yes', '-a', 'run=42', pinned]);
      expect(run.stderr).toMatch(/^tlog entry created with index: \d+$/m);
      expect(run.exitCode).toBe(0);
    });

    it('records the workflow identity of the token and pushes a .sig artifact for the digest', async () => {
      expect(standins.signatures()).toContainEqual(
        expect.objectContaining({
          kind: 'signature',
          name: `${registry.host}/acme/app`,
          digest: image.digest,
          identity: workflowIdentity(oidc.issued()[0]!.claims),
          issuer: GITHUB_ISSUER,
        }),
      );
      const sigTag = `${image.digest.replace(':', '-')}.sig`;
      expect(await registry.tags('acme/app')).toContain(sigTag);
      const manifest = (await registry.manifest('acme/app', sigTag))?.body as {
        layers: Array<{ digest: string; mediaType: string }>;
      };
      expect(manifest.layers[0]?.mediaType).toBe('application/vnd.dev.cosign.simplesigning.v1+json');
      const payload = JSON.parse(
        (await registry.blob('acme/app', manifest.layers[0]!.digest))!.toString('utf8'),
      );
      expect(payload).toEqual({
        critical: {
          identity: { 'docker-reference': `${registry.host}/acme/app` },
          image: { 'docker-manifest-digest': image.digest },
          type: 'cosign container image signature',
        },
        optional: { run: '42' },
      });
    });

    it('verifies with the matching identity: JSON array on stdout, checks on stderr', async () => {
      const run = await cosign(['verify', ...keyless(), pinned]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout.startsWith('\n[')).toBe(true);
      const [out] = JSON.parse(run.stdout) as VerifyOutput[];
      expect(out?.critical).toEqual({
        identity: { 'docker-reference': `${registry.host}/acme/app` },
        image: { 'docker-manifest-digest': image.digest },
        type: 'cosign container image signature',
      });
      expect(run.stderr).toContain(`Verification for ${pinned} --`);
      expect(run.stderr).toContain(
        '  - The code-signing certificate was verified using trusted certificate authority certificates',
      );
    });

    it('resolves a tag against the registry, and takes identity/issuer regexps', async () => {
      const run = await cosign([
        'verify',
        '--certificate-identity-regexp',
        '^https://github\\.com/acme/app/\\.github/workflows/',
        '--certificate-oidc-issuer-regexp',
        'githubusercontent',
        '-a',
        'run=42',
        `${registry.host}/acme/app:1.0`,
      ]);
      expect(run.exitCode).toBe(0);
      expect((JSON.parse(run.stdout) as VerifyOutput[])[0]?.critical.image['docker-manifest-digest']).toBe(
        image.digest,
      );
      expect(run.stderr).toContain('  - The specified annotations were verified.');
    });

    it.each([
      [
        keyless('https://github.com/evil/app/.github/workflows/release.yml@refs/heads/main'),
        'expected SAN value "https://github.com/evil/app/.github/workflows/release.yml@refs/heads/main", got "' +
          RELEASE_IDENTITY +
          '"',
      ],
      [
        keyless(RELEASE_IDENTITY, 'https://accounts.google.com'),
        'expected issuer value "https://accounts.google.com", got "https://token.actions.githubusercontent.com"',
      ],
      [
        [
          '--certificate-identity-regexp',
          '^https://github\\.com/other/',
          '--certificate-oidc-issuer',
          GITHUB_ISSUER,
        ],
        'expected SAN value to match regex',
      ],
      [
        [...keyless(), '--certificate-github-workflow-trigger', 'pull_request'],
        'expected GitHub Workflow Trigger not found in certificate',
      ],
      [[...keyless(), '-a', 'run=43'], 'missing or incorrect annotation'],
    ])('refuses %j: %s', async (flags, message) => {
      const run = await cosign(['verify', ...flags, pinned]);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('Error: no matching signatures: ');
      expect(run.stderr).toContain(message);
    });
  });

  describe('verify flag rules and legacy signatures', () => {
    it.each([
      [
        ['--certificate-oidc-issuer', GITHUB_ISSUER],
        '--certificate-identity or --certificate-identity-regexp is required for verification in keyless mode',
      ],
      [
        ['--certificate-identity', RELEASE_IDENTITY],
        '--certificate-oidc-issuer or --certificate-oidc-issuer-regexp is required for verification in keyless mode',
      ],
    ])('keyless verification without %j fails as cosign does', async (flags, message) => {
      const run = await cosign(['verify', ...flags, pinned]);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toBe(`Error: ${message}\nmain.go:74: error during command execution: ${message}\n`);
    });

    it('verifies a declared legacy signature, with Subject and Issuer in the output', async () => {
      const run = await cosign([
        'verify',
        ...keyless('keyless@distroless.iam.gserviceaccount.com', 'https://accounts.google.com'),
        'gcr.io/distroless/static:nonroot',
      ]);
      expect(run.exitCode).toBe(0);
      const [out] = JSON.parse(run.stdout) as VerifyOutput[];
      expect(out?.critical.image['docker-manifest-digest']).toBe(DISTROLESS_DIGEST);
      expect(out?.critical.identity['docker-reference']).toBe('gcr.io/distroless/static');
      expect(out?.optional).toMatchObject({
        Subject: 'keyless@distroless.iam.gserviceaccount.com',
        Issuer: 'https://accounts.google.com',
        '1.3.6.1.4.1.57264.1.1': 'https://accounts.google.com',
      });
      expect(run.stderr).toContain('Verification for gcr.io/distroless/static:nonroot --');
    });

    it('exits 12 with cosign message when a legacy signature is by someone else', async () => {
      const run = await cosign(['verify', ...keyless(), `gcr.io/distroless/static@${DISTROLESS_DIGEST}`]);
      expect(run.exitCode).toBe(12);
      expect(run.stderr).toContain(
        'Error: no matching signatures: none of the expected identities matched what was in the certificate, got subjects [keyless@distroless.iam.gserviceaccount.com] with issuer https://accounts.google.com\n',
      );
    });

    it('exits 10 for an unsigned image and 11 for a tag the registry does not have', async () => {
      const unsigned = await pushBaseImage(registry, 'acme/unsigned', '1');
      const none = await cosign([
        'verify',
        ...keyless(),
        `${registry.host}/acme/unsigned@${unsigned.digest}`,
      ]);
      expect(none.exitCode).toBe(10);
      expect(none.stderr).toContain('Error: no signatures found\n');
      const missing = await cosign(['verify', ...keyless(), `${registry.host}/acme/unsigned:nope`]);
      expect(missing.exitCode).toBe(11);
      expect(missing.stderr).toContain('Error: image tag not found: ');
    });

    it('cannot resolve a tag of a registry it cannot reach', async () => {
      const run = await cosign(['verify', ...keyless(), 'docker.io/library/alpine:3.19']);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain('index.docker.io');
    });
  });

  describe('sign refusals', () => {
    it('refuses to sign a tag, and records nothing', async () => {
      const before = standins.signatures().length;
      const run = await cosign(['sign', '--yes', `${registry.host}/acme/app:1.0`]);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain(
        `WARNING: Image reference ${registry.host}/acme/app:1.0 uses a tag, not a digest`,
      );
      expect(standins.signatures()).toHaveLength(before);
    });

    it.each<[string, string[], Record<string, string>, string]>([
      ['without --yes', ['sign'], {}, 'Are you sure you would like to continue? [y/N]'],
      ['without any identity token', ['sign', '--yes'], { SIGSTORE_ID_TOKEN: '' }, 'no identity token'],
      ['a digest the registry does not have', ['sign', '--yes'], {}, 'MANIFEST_UNKNOWN'],
    ])('refuses to sign %s', async (_, args, extraEnv, message) => {
      const target =
        message === 'MANIFEST_UNKNOWN' ? `${registry.host}/acme/app@sha256:${'0'.repeat(64)}` : pinned;
      const run = await cosign([...args, target], { env: extraEnv });
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain(message);
    });

    it('refuses, as Fulcio would, a token for another audience or signed by another key', async () => {
      const wrongAudience = await cosign(['sign', '--yes', pinned], {
        env: { SIGSTORE_ID_TOKEN: await token(oidc, 'https://github.com/acme') },
      });
      expect(wrongAudience.exitCode).toBe(1);
      expect(wrongAudience.stderr).toContain('expected audience "sigstore"');
      const other = await startOidcServer();
      try {
        const forged = await cosign(['sign', '--yes', pinned], {
          env: { SIGSTORE_ID_TOKEN: await token(other) },
        });
        expect(forged.exitCode).toBe(1);
        expect(forged.stderr).toContain('failed to verify id token signature');
      } finally {
        await other.stop();
      }
    });

    it('fetches the token itself from the ambient GitHub Actions variables', async () => {
      const before = oidc.issued().length;
      const run = await cosign(['sign', '--yes', pinned], {
        env: {
          SIGSTORE_ID_TOKEN: '',
          ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
        },
      });
      expect(run.exitCode).toBe(0);
      expect(
        oidc
          .issued()
          .slice(before)
          .map((t) => t.audience),
      ).toEqual(['sigstore']);
    });
  });

  describe('keys', () => {
    let keys: string;
    beforeAll(async () => {
      keys = join(dir, 'keys');
      await mkdir(keys);
      const made = await cosign(['generate-key-pair'], { cwd: keys, env: { COSIGN_PASSWORD: 'hunter2' } });
      expect(made.stderr).toBe('Private key written to cosign.key\nPublic key written to cosign.pub\n');
      const other = await cosign(['generate-key-pair', '--output-key-prefix', 'other'], {
        cwd: keys,
        env: { COSIGN_PASSWORD: 'x' },
      });
      expect(other.exitCode).toBe(0);
    });

    it('writes an encrypted private key and a PEM public key', async () => {
      expect(await readFile(join(keys, 'cosign.key'), 'utf8')).toMatch(
        /^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n[\s\S]+\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n$/,
      );
      expect(await readFile(join(keys, 'cosign.pub'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
      const again = await cosign(['generate-key-pair'], { cwd: keys, env: { COSIGN_PASSWORD: 'hunter2' } });
      expect(again.exitCode).toBe(1);
    });

    it('signs with the key and verifies with its public key only', async () => {
      const keyed = await pushBaseImage(registry, 'acme/keyed', '1');
      const ref = `${registry.host}/acme/keyed@${keyed.digest}`;
      const signed = await cosign(['sign', '--yes', '--key', join(keys, 'cosign.key'), ref], {
        env: { COSIGN_PASSWORD: 'hunter2', SIGSTORE_ID_TOKEN: '' },
      });
      expect(signed.exitCode).toBe(0);
      expect(signed.stderr).not.toContain('Generating ephemeral keys');

      const ok = await cosign(['verify', '--key', join(keys, 'cosign.pub'), ref]);
      expect(ok.exitCode).toBe(0);
      expect(ok.stderr).toContain('  - The signatures were verified against the specified public key');
      const wrong = await cosign(['verify', '--key', join(keys, 'other.pub'), ref]);
      expect(wrong.exitCode).toBe(1);
      expect(wrong.stderr).toContain('signature verification failed');
      const keylessCheck = await cosign(['verify', ...keyless(), ref]);
      expect(keylessCheck.exitCode).toBe(1);
      expect(keylessCheck.stderr).toContain('bundle has no certificate');
    });

    it('cannot open the key with a wrong password', async () => {
      const run = await cosign(['sign', '--yes', '--key', join(keys, 'cosign.key'), pinned], {
        env: { COSIGN_PASSWORD: 'wrong' },
      });
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain('decryption failed');
    });
  });

  describe('attestations', () => {
    it('attests a predicate and verifies it by type', async () => {
      const predicatePath = join(dir, 'vuln.json');
      const predicate = {
        scanner: { uri: 'pkg:github/aquasecurity/trivy@0.74.0', result: { SchemaVersion: 2 } },
      };
      await writeFile(predicatePath, JSON.stringify(predicate));
      const attested = await cosign([
        'attest',
        '--yes',
        '--type',
        'vuln',
        '--predicate',
        predicatePath,
        pinned,
      ]);
      expect(attested.exitCode).toBe(0);
      expect(await registry.tags('acme/app')).toContain(`${image.digest.replace(':', '-')}.att`);

      const run = await cosign(['verify-attestation', '--type', 'vuln', ...keyless(), pinned]);
      expect(run.exitCode).toBe(0);
      const envelope = JSON.parse(run.stdout.trim().split('\n')[0] ?? '{}') as {
        payloadType: string;
        payload: string;
      };
      expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
      const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
      expect(statement).toMatchObject({
        predicateType: 'https://cosign.sigstore.dev/attestation/vuln/v1',
        subject: [
          { name: `${registry.host}/acme/app`, digest: { sha256: image.digest.slice('sha256:'.length) } },
        ],
        predicate,
      });

      const otherType = await cosign(['verify-attestation', '--type', 'cyclonedx', ...keyless(), pinned]);
      expect(otherType.exitCode).toBe(1);
      expect(otherType.stderr).toContain('none of the attestations matched the predicate type: cyclonedx');
    });

    it('reads the predicate from stdin with --predicate -', async () => {
      const run = await cosign(['attest', '--yes', '--type', 'cyclonedx', '--predicate', '-', pinned], {
        stdin: '{"bomFormat":"CycloneDX"}',
      });
      expect(run.exitCode).toBe(0);
      expect(standins.calls('cosign').at(-1)?.stdin).toBe('{"bomFormat":"CycloneDX"}');
    });
  });

  describe('verify-blob', () => {
    const trivyIdentity =
      'https://github.com/aquasecurity/trivy/.github/workflows/reusable-release.yaml@refs/tags/v0.74.0';
    let blob: string;
    let bundle: string;
    beforeAll(async () => {
      await standins.setScenario({
        cosign: { blobs: [{ match: 'trivy_0.74.0', identity: trivyIdentity, issuer: GITHUB_ISSUER }] },
      });
      blob = join(dir, 'trivy_0.74.0_checksums.txt');
      bundle = `${blob}.sigstore.json`;
      await writeFile(blob, 'abc  trivy_0.74.0_Linux-64bit.tar.gz\n');
      const digest = createHash('sha256')
        .update(await readFile(blob))
        .digest('base64');
      await writeFile(
        bundle,
        JSON.stringify({
          mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
          messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest } },
        }),
      );
    });

    it('verifies a blob signed by the expected identity', async () => {
      const run = await cosign(['verify-blob', '--bundle', bundle, ...keyless(trivyIdentity), blob]);
      expect(run).toMatchObject({ exitCode: 0, stderr: 'Verified OK\n' });
    });

    it('refuses another identity, a missing bundle and a blob that does not match the bundle', async () => {
      const wrong = await cosign(['verify-blob', '--bundle', bundle, ...keyless(RELEASE_IDENTITY), blob]);
      expect(wrong.exitCode).toBe(1);
      expect(wrong.stderr).toContain(
        `no matching CertificateIdentity found, last error: expected SAN value "${RELEASE_IDENTITY}", got "${trivyIdentity}"`,
      );
      const missing = await cosign([
        'verify-blob',
        '--bundle',
        join(dir, 'nope.json'),
        ...keyless(trivyIdentity),
        blob,
      ]);
      expect(missing.exitCode).toBe(1);
      expect(missing.stderr).toContain('no such file or directory');
      await writeFile(blob, 'tampered\n');
      const tampered = await cosign(['verify-blob', '--bundle', bundle, ...keyless(trivyIdentity), blob]);
      expect(tampered.exitCode).toBe(1);
      expect(tampered.stderr).toContain('does not match digest in bundle');
    });
  });
});

describe('stand-in cosign against a registry with auth', () => {
  it('needs the registry credentials to push the signature', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'standin-cosign-auth-'));
    const auth = { username: 'ci', password: 's3cret' };
    const [registry, oidc] = await Promise.all([startRegistry({ auth }), startOidcServer()]);
    try {
      const standins = await installStandins(join(dir, 'tools'));
      const pushed = await pushBaseImage(registry, 'private/app', '1');
      const ref = `${registry.host}/private/app@${pushed.digest}`;
      const env = { PATH, HOME: dir, SIGSTORE_ID_TOKEN: await token(oidc) };
      const anonymous = await execStandin(standins.cosign, ['sign', '--yes', ref], { env });
      expect(anonymous.exitCode).toBe(1);
      expect(anonymous.stderr).toContain('UNAUTHORIZED');

      const withFlags = await execStandin(
        standins.cosign,
        ['sign', '--yes', '--registry-username', 'ci', '--registry-password', 's3cret', ref],
        { env },
      );
      expect(withFlags.exitCode).toBe(0);

      const dockerConfig = join(dir, 'docker');
      await mkdir(dockerConfig);
      await writeFile(
        join(dockerConfig, 'config.json'),
        JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from('ci:s3cret').toString('base64') } } }),
      );
      const withConfig = await execStandin(
        standins.cosign,
        ['verify', ...keyless(), `${registry.host}/private/app:1`],
        { env: { ...env, DOCKER_CONFIG: dockerConfig } },
      );
      expect(withConfig.exitCode).toBe(0);
    } finally {
      await Promise.all([registry.stop(), oidc.stop()]);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
