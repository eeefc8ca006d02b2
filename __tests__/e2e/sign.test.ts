// Signing through dist/index.js: keyless with the workflow's OIDC token (a real RS256 JWT from the
// harness's GitHub endpoint, checked by the stand-in cosign as Fulcio would), key mode with a PEM key
// and with a KMS URI, verify-after-sign, retries, and the inputs that leave signing out. Each test signs
// the busybox image in a repository of its own (`digest` input), so no signature of another test can
// make its verification pass.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyJwt, workflowIdentity } from '../harness/oidc.js';
import { pushBaseImage } from '../harness/registry.js';
import type { RunResult } from '../harness/runner.js';
import { execStandin, type Scenario, type StandinCall } from '../harness/standins.js';
import { shellWords, signatureTags, stageRow, visibleStdout } from './expectations.js';
import { GITHUB_ISSUER, startOfflineWorld, type OfflineWorld } from './offline-world.js';

let world: OfflineWorld;

beforeAll(async () => {
  world = await startOfflineWorld();
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

let images = 0;
async function pushedImage(name: string): Promise<{ repo: string; ref: string; digest: string }> {
  const repo = `acme/sign-${name}-${++images}`;
  const { digest } = await pushBaseImage(world.registry, repo, 'v1');
  return { repo, ref: `${world.registry.host}/${repo}@${digest}`, digest };
}

function cosignCalls(command: string): StandinCall[] {
  return world.standins.calls('cosign').filter((c) => c.command === command);
}

/** cosign calls about the image under test (the base image is verified too, before the build). */
function callsFor(ref: string, command: string): StandinCall[] {
  return cosignCalls(command).filter((c) => c.argv.at(-1) === ref);
}

function errorOf(result: RunResult): string {
  return result.annotations.find((a) => a.level === 'error' && a.title === undefined)?.message ?? '';
}

/** `--annotations k=v` pairs of one argv, as a map. */
function annotationFlags(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  argv.forEach((arg, i) => {
    if (arg !== '--annotations') return;
    const pair = argv[i + 1] ?? '';
    const eq = pair.indexOf('=');
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  });
  return out;
}

/** The annotations the action always adds, from the run's GitHub context (README, "Verify a published image"). */
function ownAnnotations(result: RunResult): Record<string, string> {
  const {
    GITHUB_SERVER_URL: server,
    GITHUB_REPOSITORY: repo,
    GITHUB_SHA: sha,
    GITHUB_RUN_ID: run,
  } = result.env;
  return {
    'org.opencontainers.image.source': `${server}/${repo}`,
    'org.opencontainers.image.revision': sha ?? '',
    'dev.secure-image.run-url': `${server}/${repo}/actions/runs/${run}`,
  };
}

/** `secret` shows nowhere a person or a later step can read it, nor in any tool's argv. */
function expectNowhere(result: RunResult, secret: string): void {
  expect(secret.length).toBeGreaterThan(7);
  expect(visibleStdout(result)).not.toContain(secret);
  expect(result.stderr).not.toContain(secret);
  expect(result.summary).not.toContain(secret);
  expect(JSON.stringify(result.outputs)).not.toContain(secret);
  for (const tool of ['cosign', 'trivy'] as const) {
    expect(JSON.stringify(world.standins.calls(tool).map((c) => c.argv))).not.toContain(secret);
  }
}

/** Runs the verify-command output as a consumer would (with the stand-in cosign), plus extra flags. */
async function runVerifyCommand(command: string, extra: string[] = [], replace?: [string, string]) {
  const words = shellWords(command);
  expect(words.slice(0, 2)).toEqual(['cosign', 'verify']);
  const args = [...words.slice(1), ...extra].map((w) => (replace && w === replace[0] ? replace[1] : w));
  return execStandin(world.standins.cosign, args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: world.dir },
    timeoutMs: 30_000,
  });
}

async function expectNothingSigned(result: RunResult, repo: string, digest: string): Promise<void> {
  expect(result.outputs.signed).toBe('false');
  expect(cosignCalls('sign')).toEqual([]);
  expect(cosignCalls('attest')).toEqual([]);
  expect(await signatureTags(world.registry, repo, digest)).toEqual([]);
}

describe('keyless signing', () => {
  it("signs the digest with the workflow's token in the environment, and verifies with its identity", async () => {
    const { repo, ref, digest } = await pushedImage('keyless');
    const before = world.oidc.issued().length;
    const result = await world.run({
      inputs: { digest: ref, 'signature-annotations': 'team=platform\nticket=SEC-42' },
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.signed).toBe('true');

    // The token the action asked for: audience sigstore, RS256-signed by GitHub's (the harness's) key.
    const issued = world.oidc.issued().slice(before);
    expect(issued.length).toBeGreaterThanOrEqual(1);
    for (const { token } of issued) {
      verifyJwt(token, world.oidc.publicKeyPem, { audience: 'sigstore', now: Date.now() / 1000 });
    }
    const token = issued[0]?.token ?? '';
    const claims = issued[0]?.claims;
    const identity = workflowIdentity({ job_workflow_ref: claims?.job_workflow_ref ?? '' });
    expect(identity).toBe('https://github.com/acme/hello/.github/workflows/release.yml@refs/heads/main');

    // cosign sign: by digest, --yes, the annotations; the token in SIGSTORE_ID_TOKEN only.
    const signs = callsFor(ref, 'sign');
    expect(signs).toHaveLength(1);
    const sign = signs[0] as StandinCall;
    expect(sign.argv.slice(0, 2)).toEqual(['sign', '--yes']);
    expect(sign.argv.at(-1)).toBe(ref);
    expect(sign.argv).not.toContain('--key');
    expect(sign.envNames).toContain('SIGSTORE_ID_TOKEN');
    const annotations = { ...ownAnnotations(result), team: 'platform', ticket: 'SEC-42' };
    expect(annotationFlags(sign.argv)).toEqual(annotations);
    for (const call of [...callsFor(ref, 'attest')]) expect(call.envNames).toContain('SIGSTORE_ID_TOKEN');

    // What cosign recorded (as Fulcio certifies it from the token, after checking its signature).
    const recorded = world.standins.signatures().filter((s) => s.name.endsWith(repo));
    expect(recorded.map((s) => [s.kind, s.digest, s.identity, s.issuer])).toEqual([
      ['signature', digest, identity, claims?.iss],
      ['attestation', digest, identity, claims?.iss],
      ['attestation', digest, identity, claims?.iss],
    ]);
    expect(recorded[0]?.annotations).toEqual(annotations);
    expect(await signatureTags(world.registry, repo, digest)).toHaveLength(1);

    // Verify-after-sign demands exactly the token's identity, and holds no token.
    const verifies = callsFor(ref, 'verify');
    expect(verifies).toHaveLength(1);
    const verify = verifies[0] as StandinCall;
    const flag = (name: string): string | undefined => verify.argv[verify.argv.indexOf(name) + 1];
    expect(flag('--certificate-identity')).toBe(identity);
    expect(flag('--certificate-oidc-issuer')).toBe(claims?.iss);
    expect(verify.argv).not.toContain('--certificate-identity-regexp');
    for (const call of [verify, ...callsFor(ref, 'verify-attestation')])
      expect(call.envNames).not.toContain('SIGSTORE_ID_TOKEN');
    // The checks run at once, so in no particular order.
    expect(
      callsFor(ref, 'verify-attestation')
        .map((c) => c.argv[c.argv.indexOf('--type') + 1])
        .sort(),
    ).toEqual(['cyclonedx', 'vuln']);

    // verify-command: what a consumer runs, and it works, annotations included.
    const command = result.outputs['verify-command'] ?? '';
    expect(shellWords(command)).toEqual(
      expect.arrayContaining([
        '--certificate-identity',
        identity,
        '--certificate-oidc-issuer',
        GITHUB_ISSUER,
        ref,
      ]),
    );
    const checked = await runVerifyCommand(
      command,
      Object.entries(annotations).flatMap(([k, v]) => ['-a', `${k}=${v}`]),
    );
    expect(checked.exitCode).toBe(0);
    const other = await runVerifyCommand(
      command,
      [],
      [identity, 'https://github.com/evil/fork/.github/workflows/x.yml@refs/heads/main'],
    );
    expect(other.exitCode).not.toBe(0);

    // The token is masked and shows nowhere.
    expect(result.masks).toContain(token);
    expectNowhere(result, token);
    expect(stageRow(result.summary, 'Sign')?.result).toBe('✅ passed');
    expect(stageRow(result.summary, 'Sign')?.detail).toContain(identity);
    expect(stageRow(result.summary, 'Verify signature')?.result).toBe('✅ passed');
  });

  it('a token Fulcio does not accept (signed by another key) fails signing, and nothing is signed', async () => {
    const { repo, ref, digest } = await pushedImage('untrusted-token');
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const scenario = world.signedBase();
    (scenario.cosign as NonNullable<Scenario['cosign']>).oidcPublicKeyPem = otherKey;
    const result = await world.run({ inputs: { digest: ref }, scenario });
    expect(result.exitCode).toBe(1);
    expect(callsFor(ref, 'sign')).toHaveLength(1);
    expect(errorOf(result)).toMatch(/^Signing .* failed: .*failed to verify id token signature/s);
    expect(result.outputs.signed).toBe('false');
    expect(await signatureTags(world.registry, repo, digest)).toEqual([]);
    expect(result.summary).toMatch(/\*\*Failed\*\* at Sign/);
  });

  it('without the OIDC variables (no `id-token: write`) it fails with the fix, before any cosign sign', async () => {
    const { repo, ref, digest } = await pushedImage('no-oidc');
    const before = world.oidc.issued().length;
    const result = await world.run({ inputs: { digest: ref }, env: { ACTIONS_ID_TOKEN_REQUEST_URL: '' } });
    expect(result.exitCode).toBe(1);
    const error = errorOf(result);
    expect(error).toContain('permissions: id-token: write');
    expect(error).toContain('ACTIONS_ID_TOKEN_REQUEST_URL is not set');
    expect(world.oidc.issued().length).toBe(before);
    await expectNothingSigned(result, repo, digest);
    // What signing needs is checked before anything else runs on the image: not even the scan ran.
    expect(result.outputs['scan-passed']).toBeUndefined();
    expect(result.summary).toMatch(/\*\*Failed\*\* at Sign/);
  });

  it('retries a Rekor 503 twice, then signs', async () => {
    const { repo, ref, digest } = await pushedImage('rekor-503');
    const stderr =
      'Error: signing [' +
      ref +
      ']: signing bundle: POST https://rekor.sigstore.dev/api/v1/log/entries: [503] Service Unavailable\n';
    const scenario = world.signedBase();
    (scenario.cosign as NonNullable<Scenario['cosign']>).rules = [
      { command: 'sign', failFirst: 2, exitCode: 1, stderr },
    ];
    const result = await world.run({ inputs: { digest: ref }, scenario });
    expect(result.exitCode).toBe(0);
    expect(callsFor(ref, 'sign')).toHaveLength(3);
    expect(result.stdout.match(/cosign sign .*: try \d failed .*\[503\].*trying again/g)).toHaveLength(2);
    expect(result.outputs.signed).toBe('true');
    expect(await signatureTags(world.registry, repo, digest)).toHaveLength(1);
  }, 60_000);

  it('a signature that does not verify afterwards fails the run and is not reported as signed', async () => {
    const { repo, ref } = await pushedImage('verify-fails');
    const scenario = world.signedBase();
    (scenario.cosign as NonNullable<Scenario['cosign']>).rules = [
      {
        command: 'verify',
        match: repo,
        exitCode: 1,
        stderr:
          'Error: no matching signatures: failed to verify certificate identity: no matching CertificateIdentity found, last error: expected SAN value "x", got "y"\n',
      },
    ];
    const result = await world.run({ inputs: { digest: ref }, scenario });
    expect(result.exitCode).toBe(1);
    expect(callsFor(ref, 'sign')).toHaveLength(1);
    expect(callsFor(ref, 'verify')).toHaveLength(1);
    expect(result.outputs.signed).toBe('false');
    expect(errorOf(result)).toMatch(
      new RegExp(`^The signature just made on ${ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not verify`),
    );
    expect(errorOf(result)).toContain('no matching CertificateIdentity found');
    expect(result.summary).toMatch(/\*\*Failed\*\*/);
  });

  // Product bug: SignStageError's result never has `signed: true` (it is set only after verification
  // succeeds), so main.ts's `failedAt = signed ? 'verify' : 'sign'` always says Sign: the summary shows
  // Sign failed (although cosign sign succeeded) and Verify signature "not reached".
  it('a verify-after-sign failure is reported at the Verify signature stage, not at Sign', async () => {
    const { ref, repo } = await pushedImage('verify-stage');
    const scenario = world.signedBase();
    (scenario.cosign as NonNullable<Scenario['cosign']>).rules = [
      { command: 'verify', match: repo, exitCode: 1, stderr: 'Error: no matching signatures: none\n' },
    ];
    const result = await world.run({ inputs: { digest: ref }, scenario });
    expect(result.exitCode).toBe(1);
    expect(result.summary).toMatch(/\*\*Failed\*\* at Verify signature/);
    expect(stageRow(result.summary, 'Verify signature')?.result).toBe('❌ failed');
    expect(stageRow(result.summary, 'Sign')?.result).not.toBe('❌ failed');
  });
});

describe('key mode', () => {
  it('a PEM key from `cosign generate-key-pair`: signs through a key file in RUNNER_TEMP that is gone afterwards, verifies with its public key', async () => {
    const { repo, ref, digest } = await pushedImage('pem');
    const password = 'correct-horse-battery-staple-7';
    const keyDir = mkdtempSync(join(world.dir, 'keys-'));
    const made = await execStandin(world.standins.cosign, ['generate-key-pair'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: keyDir, COSIGN_PASSWORD: password },
      cwd: keyDir,
      timeoutMs: 30_000,
    });
    expect(made.exitCode).toBe(0);
    const privatePem = readFileSync(join(keyDir, 'cosign.key'), 'utf8');
    const publicPem = readFileSync(join(keyDir, 'cosign.pub'), 'utf8');
    const before = world.oidc.issued().length;

    const result = await world.run({
      inputs: { digest: ref, 'cosign-key': privatePem, 'cosign-password': password },
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.signed).toBe('true');
    // Key mode asks for no OIDC token.
    expect(world.oidc.issued().length).toBe(before);

    const sign = callsFor(ref, 'sign')[0] as StandinCall;
    expect(sign.argv.slice(0, 2)).toEqual(['sign', '--yes']);
    const keyPath = sign.argv[sign.argv.indexOf('--key') + 1] ?? '';
    expect(keyPath.startsWith(result.runnerTemp)).toBe(true);
    expect(sign.envNames).toContain('COSIGN_PASSWORD');
    expect(sign.envNames).not.toContain('SIGSTORE_ID_TOKEN');
    expect(annotationFlags(sign.argv)).toEqual(ownAnnotations(result));
    // The key file is gone from RUNNER_TEMP, and no copy of the key is left there.
    expect(existsSync(keyPath)).toBe(false);
    const left = readdirSync(result.runnerTemp, { recursive: true }).map(String);
    expect(left.filter((f) => f.endsWith('.key'))).toEqual([]);

    // Signed with that key: the recorded signature's key is the generated public key.
    const spki = createPublicKey(publicPem).export({ type: 'spki', format: 'der' }).toString('base64');
    const recorded = world.standins.signatures().filter((s) => s.name.endsWith(repo));
    expect(recorded.map((s) => [s.kind, s.digest, s.spki, s.identity])).toEqual([
      ['signature', digest, spki, undefined],
      ['attestation', digest, spki, undefined],
      ['attestation', digest, spki, undefined],
    ]);

    // Verify-after-sign used the public key, without the password.
    const verify = callsFor(ref, 'verify')[0] as StandinCall;
    const pubPath = verify.argv[verify.argv.indexOf('--key') + 1] ?? '';
    expect(readFileSync(pubPath, 'utf8').trim()).toBe(publicPem.trim());
    expect(verify.envNames).not.toContain('COSIGN_PASSWORD');

    // verify-command names cosign.pub, and with the published public key it verifies.
    const command = result.outputs['verify-command'] ?? '';
    expect(shellWords(command)).toEqual(expect.arrayContaining(['--key', 'cosign.pub', ref]));
    const checked = await runVerifyCommand(command, [], ['cosign.pub', join(keyDir, 'cosign.pub')]);
    expect(checked.exitCode).toBe(0);

    expect(result.masks).toContain(password);
    expectNowhere(result, password);
    const keyLines = privatePem.split('\n').filter((l) => l.length >= 8 && !l.startsWith('-----'));
    expect(keyLines.length).toBeGreaterThan(0);
    for (const line of keyLines) expectNowhere(result, line);
  });

  it("a wrong `cosign-password`: the error names the input and the fix, before the build; cosign's words stay in the log", async () => {
    const { ref } = await pushedImage('wrong-password');
    const keyDir = mkdtempSync(join(world.dir, 'keys-wrong-'));
    const made = await execStandin(world.standins.cosign, ['generate-key-pair'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: keyDir, COSIGN_PASSWORD: 'the-right-one-42' },
      cwd: keyDir,
      timeoutMs: 30_000,
    });
    expect(made.exitCode).toBe(0);
    const privatePem = readFileSync(join(keyDir, 'cosign.key'), 'utf8');
    const result = await world.run({
      inputs: { digest: ref, 'cosign-key': privatePem, 'cosign-password': 'not-the-right-one-42' },
    });
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors.join('\n')).toContain(
      'Input `cosign-password` does not open `cosign-key`: cosign could not decrypt the key. Set `cosign-password` to the password the key was made with',
    );
    expect(result.summary).toContain('`cosign-password`');
    expect(result.outputs.signed).toBe('false');
    expect(callsFor(ref, 'sign')).toEqual([]);
  });

  it('a KMS URI: passed as --key as it is, with the provider variables in the environment only', async () => {
    const { repo, ref, digest } = await pushedImage('kms');
    const uri =
      'gcpkms://projects/acme/locations/global/keyRings/release/cryptoKeys/images/cryptoKeyVersions/1';
    const accessToken = 'ya29.kms-access-token-for-the-test-0123456789';
    const result = await world.run({
      inputs: { digest: ref, 'cosign-key': uri },
      env: {
        GOOGLE_APPLICATION_CREDENTIALS: join(world.dir, 'gcp.json'),
        GOOGLE_OAUTH_ACCESS_TOKEN: accessToken,
      },
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.signed).toBe('true');
    const sign = callsFor(ref, 'sign')[0] as StandinCall;
    expect(sign.argv[sign.argv.indexOf('--key') + 1]).toBe(uri);
    expect(sign.envNames).toEqual(
      expect.arrayContaining(['GOOGLE_APPLICATION_CREDENTIALS', 'GOOGLE_OAUTH_ACCESS_TOKEN']),
    );
    expect(sign.envNames).not.toContain('SIGSTORE_ID_TOKEN');
    const verify = callsFor(ref, 'verify')[0] as StandinCall;
    expect(verify.argv[verify.argv.indexOf('--key') + 1]).toBe(uri);
    expect(verify.envNames).toContain('GOOGLE_OAUTH_ACCESS_TOKEN');
    expect(verify.envNames).not.toContain('COSIGN_PASSWORD');
    expect(
      world.standins
        .signatures()
        .filter((s) => s.name.endsWith(repo))
        .map((s) => [s.digest, s.uri]),
    ).toEqual([
      [digest, uri],
      [digest, uri],
      [digest, uri],
    ]);
    const command = result.outputs['verify-command'] ?? '';
    expect(shellWords(command)).toEqual(expect.arrayContaining(['--key', uri, ref]));
    expect((await runVerifyCommand(command)).exitCode).toBe(0);
    expect(stageRow(result.summary, 'Sign')?.detail).toContain(uri);
    expect(result.masks).toContain(accessToken);
    expectNowhere(result, accessToken);
  });
});

describe('inputs that leave signing out', () => {
  it('sign: false signs nothing, after a scan that passed', async () => {
    const { repo, ref, digest } = await pushedImage('sign-false');
    const result = await world.run({ inputs: { digest: ref, sign: 'false' } });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['scan-passed']).toBe('true');
    await expectNothingSigned(result, repo, digest);
    expect(callsFor(ref, 'verify')).toEqual([]);
    expect(stageRow(result.summary, 'Sign')).toEqual({ result: '⏭️ skipped', detail: '`sign: false`' });
    expect(stageRow(result.summary, 'Attest')?.result).toBe('⏭️ skipped');
  });

  it('attest: none signs and verifies the signature, and attaches no attestation', async () => {
    const { repo, ref, digest } = await pushedImage('attest-none');
    const result = await world.run({ inputs: { digest: ref, attest: 'none' } });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.signed).toBe('true');
    expect(callsFor(ref, 'sign')).toHaveLength(1);
    expect(cosignCalls('attest')).toEqual([]);
    expect(cosignCalls('verify-attestation')).toEqual([]);
    expect(callsFor(ref, 'verify')).toHaveLength(1);
    expect(
      world.standins
        .signatures()
        .filter((s) => s.name.endsWith(repo))
        .map((s) => s.kind),
    ).toEqual(['signature']);
    expect(await signatureTags(world.registry, repo, digest)).toHaveLength(1);
    expect(stageRow(result.summary, 'Attest')).toEqual({ result: '⏭️ skipped', detail: '`attest: none`' });
  });

  it('push: false skips signing with a notice, not an error, and asks for no token', async () => {
    const before = world.oidc.issued().length;
    const result = await world.run({
      inputs: { image: `${world.registry.host}/acme/sign-local`, push: 'false' },
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.signed).toBe('false');
    expect(cosignCalls('sign')).toEqual([]);
    expect(cosignCalls('attest')).toEqual([]);
    expect(world.oidc.issued().length).toBe(before);
    expect(result.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(result.annotations).toContainEqual(
      expect.objectContaining({
        level: 'notice',
        message: 'Sign skipped: nothing was pushed, so there is no digest to sign.',
      }),
    );
    expect(stageRow(result.summary, 'Sign')?.result).toBe('⏭️ skipped');
    expect(result.outputs['verify-command'] ?? '').toBe('');
  });
});
