// The signing stage for real: the OIDC endpoint the runner would offer (real RS256 JWTs through
// core.getIDToken), a real registry holding a real image, and the stand-in cosign, which checks the
// token as Fulcio would and keeps every signature so the verify step sees exactly what sign made.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { GithubContext } from '../../src/github-context.js';
import { toCosignVulnPredicate } from '../../src/scan/cosign-vuln.js';
import { parseTrivyReport } from '../../src/scan/trivy-report.js';
import { ANNOTATION_REVISION, ANNOTATION_RUN, ANNOTATION_SOURCE } from '../../src/sign/args.js';
import { SignStageError, runSignStage, type SignInput, type SignResult } from '../../src/sign/signing.js';
import { UserError } from '../../src/util/errors.js';
import { GITHUB_ISSUER, startOidcServer, workflowIdentity, type OidcServer } from '../harness/oidc.js';
import { pushBaseImage, startRegistry, type Registry } from '../harness/registry.js';
import {
  UPSTREAM_FIXTURES,
  execStandin,
  installStandins,
  type Scenario,
  type StandinCall,
  type Standins,
} from '../harness/standins.js';

const PATH = process.env.PATH ?? '/usr/bin:/bin';
const OIDC_VARIABLES = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'] as const;
const fast = {
  sleep: async () => undefined,
  baseDelayMs: 1,
  log: { info: () => undefined, warning: () => undefined },
};

const github: GithubContext = {
  repository: 'acme/app',
  sha: 'f3a1c2d4e5b60718293a4b5c6d7e8f9012345678',
  ref: 'refs/heads/main',
  serverUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  runId: '9000000001',
  runAttempt: '1',
  eventName: 'push',
  eventPath: '',
  workspace: '/w',
  runnerOs: 'Linux',
  runnerArch: 'X64',
  runnerTemp: '/tmp',
  toolCache: '/opt/hostedtoolcache',
};

let dir: string;
let registry: Registry;
let oidc: OidcServer;
let reference: string;
let digest: string;
let sbomFile: string;
let vulnPredicateFile: string;
const savedEnv: Partial<Record<(typeof OIDC_VARIABLES)[number], string>> = {};
let installs = 0;

function setOidcEnvironment(server: OidcServer): void {
  process.env.ACTIONS_ID_TOKEN_REQUEST_URL = server.requestUrl;
  process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = server.requestToken;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sign-stage-'));
  for (const name of OIDC_VARIABLES) savedEnv[name] = process.env[name];
  [registry, oidc] = await Promise.all([startRegistry(), startOidcServer()]);
  const image = await pushBaseImage(registry, 'acme/app', '1.0');
  digest = image.digest;
  reference = `${registry.host}/acme/app@${digest}`;

  sbomFile = join(dir, 'sbom.cdx.json');
  writeFileSync(
    sbomFile,
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      version: 1,
      components: [{ type: 'library', name: 'musl', version: '1.2.4' }],
    }),
  );
  const report = parseTrivyReport(
    readFileSync(join(UPSTREAM_FIXTURES, 'trivy', 'alpine-310.json.golden'), 'utf8'),
  );
  vulnPredicateFile = join(dir, 'vuln.json');
  writeFileSync(
    vulnPredicateFile,
    JSON.stringify(
      toCosignVulnPredicate(report, {
        scannerUri: 'https://github.com/aquasecurity/trivy',
        scannerVersion: '0.74.0',
        startedOn: new Date('2026-01-01T00:00:00Z'),
        finishedOn: new Date('2026-01-01T00:01:00Z'),
      }),
    ),
  );
}, 120_000);

afterAll(async () => {
  for (const name of OIDC_VARIABLES) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
  await Promise.all([registry?.stop(), oidc?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  jest.restoreAllMocks();
});

/** A fresh set of stand-ins (own call log and signature store) for one test. */
async function standinsFor(scenario: Scenario['cosign'] = {}, server: OidcServer = oidc): Promise<Standins> {
  installs += 1;
  return installStandins(join(dir, `tools-${installs}`), {
    cosign: { oidcPublicKeyPem: server.publicKeyPem, ...scenario },
  });
}

function config(overrides: Partial<SignInput['config']> = {}): SignInput['config'] {
  return {
    signatureAnnotations: [{ key: 'team', value: 'payments, core' }],
    attest: ['sbom', 'vuln'],
    github,
    ...overrides,
  } as SignInput['config'];
}

function input(standins: Standins, overrides: Partial<SignInput> = {}): SignInput {
  return {
    config: config(),
    reference,
    isIndex: false,
    cosign: standins.cosign,
    // What a runner may carry that must not reach cosign: flags by env, a stale token.
    env: { PATH, HOME: dir, COSIGN_EXPERIMENTAL: '1', SIGSTORE_ID_TOKEN: 'stale' },
    workDir: join(dir, `work-${installs}`),
    sbomFile,
    vulnPredicateFile,
    ...overrides,
  };
}

function callsOf(standins: Standins, command: string): StandinCall[] {
  return standins.calls('cosign').filter((c) => c.command === command);
}

function flagValues(argv: string[], flag: string): string[] {
  return argv.flatMap((arg, i) => (arg === flag && argv[i + 1] !== undefined ? [argv[i + 1] as string] : []));
}

/** Everything written to stdout while `fn` runs, minus the runner's own ::add-mask:: commands. */
async function capturingStdout<T>(
  fn: () => Promise<T>,
): Promise<{ value?: T; error?: unknown; stdout: string }> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  jest.spyOn(process.stdout, 'write').mockImplementation(((
    chunk: string | Uint8Array,
    ...rest: unknown[]
  ) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write);
  try {
    return { value: await fn(), stdout: visible(chunks.join('')) };
  } catch (error) {
    return { error, stdout: visible(chunks.join('')) };
  } finally {
    jest.restoreAllMocks();
  }
}

function visible(stdout: string): string {
  return stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

describe('keyless, with the workflow identity from the runner OIDC token', () => {
  let standins: Standins;
  let result: SignResult;
  let stdout: string;

  beforeAll(async () => {
    setOidcEnvironment(oidc);
    standins = await standinsFor();
    const run = await capturingStdout(() => runSignStage(input(standins), { baseDelayMs: 1 }));
    if (run.error) throw run.error;
    result = run.value as SignResult;
    stdout = run.stdout;
  }, 60_000);

  it('gets a sigstore-audience token from the runner and certifies its job_workflow_ref', () => {
    const issued = oidc.issued();
    expect(issued.length).toBeGreaterThan(0);
    expect(issued.every((t) => t.audience === 'sigstore')).toBe(true);
    const claims = issued[issued.length - 1]!.claims;
    expect(result.identity).toEqual({ identity: workflowIdentity(claims), issuer: GITHUB_ISSUER });
    expect(result.signed).toBe(true);
    expect(result.mode).toBe('keyless');
  });

  it('signs by digest with --yes and the annotations; the stand-in saw a real JWT in SIGSTORE_ID_TOKEN only', () => {
    const [sign, ...more] = callsOf(standins, 'sign');
    expect(more).toEqual([]);
    expect(sign?.argv).toEqual([
      'sign',
      '--yes',
      '--annotations',
      `${ANNOTATION_SOURCE}=https://github.com/acme/app`,
      '--annotations',
      `${ANNOTATION_REVISION}=${github.sha}`,
      '--annotations',
      `${ANNOTATION_RUN}=https://github.com/acme/app/actions/runs/9000000001`,
      '--annotations',
      '"team=payments, core"',
      '--allow-http-registry',
      '--allow-insecure-registry',
      reference,
    ]);
    expect(sign?.envNames).toContain('SIGSTORE_ID_TOKEN');
    for (const call of standins.calls('cosign')) {
      expect(call.envNames.filter((n) => /^(COSIGN_|ACTIONS_ID_TOKEN_)/.test(n))).toEqual([]);
    }
    // The stand-in checked the token's RS256 signature against the OIDC server's key, so a stale or
    // made-up SIGSTORE_ID_TOKEN would have failed: the recorded signer is the token's identity.
    expect(standins.signatures()).toContainEqual(
      expect.objectContaining({
        kind: 'signature',
        digest,
        identity: result.identity?.identity,
        issuer: GITHUB_ISSUER,
        annotations: result.annotations,
      }),
    );
    expect(result.annotations.team).toBe('payments, core');
  });

  it('attaches the SBOM and the vuln predicate by digest, with the same identity', () => {
    const attests = callsOf(standins, 'attest');
    expect(attests.map((c) => flagValues(c.argv, '--type'))).toEqual([['cyclonedx'], ['vuln']]);
    expect(attests.map((c) => flagValues(c.argv, '--predicate'))).toEqual([[sbomFile], [vulnPredicateFile]]);
    expect(attests.every((c) => c.argv.at(-1) === reference && c.argv.includes('--yes'))).toBe(true);
    const recorded = standins.signatures().filter((s) => s.kind === 'attestation');
    expect(recorded.map((s) => [s.predicateType, s.digest, s.identity])).toEqual([
      ['https://cyclonedx.org/bom', digest, result.identity?.identity],
      ['https://cosign.sigstore.dev/attestation/vuln/v1', digest, result.identity?.identity],
    ]);
    expect(recorded[1]?.predicate).toEqual(JSON.parse(readFileSync(vulnPredicateFile, 'utf8')));
    expect(result.attestations.map((a) => [a.type, a.verified])).toEqual([
      ['cyclonedx', true],
      ['vuln', true],
    ]);
  });

  it('verifies with identity flags equal to the token job_workflow_ref and its issuer', () => {
    const claims = oidc.issued().at(-1)!.claims;
    const checks = [...callsOf(standins, 'verify'), ...callsOf(standins, 'verify-attestation')];
    expect(checks).toHaveLength(3);
    for (const call of checks) {
      expect(flagValues(call.argv, '--certificate-identity')).toEqual([
        `https://github.com/${claims.job_workflow_ref}`,
      ]);
      expect(flagValues(call.argv, '--certificate-oidc-issuer')).toEqual([claims.iss]);
      expect(call.argv.at(-1)).toBe(reference);
      // Checking needs no token: it is not handed to the verify calls.
      expect(call.envNames).not.toContain('SIGSTORE_ID_TOKEN');
    }
    // The checks run at once, so in no particular order.
    expect(
      callsOf(standins, 'verify-attestation')
        .map((c) => flagValues(c.argv, '--type').join())
        .sort(),
    ).toEqual(['cyclonedx', 'vuln']);
    expect(result.verifyCommand).toBe(
      [
        `cosign verify ${reference} \\`,
        `  --certificate-identity https://github.com/${claims.job_workflow_ref} \\`,
        `  --certificate-oidc-issuer ${GITHUB_ISSUER} \\`,
        '  --allow-http-registry \\',
        '  --allow-insecure-registry',
      ].join('\n'),
    );
    for (const attestation of result.attestations) {
      expect(attestation.verifyCommand).toBe(
        result.verifyCommand
          .replace('cosign verify ', 'cosign verify-attestation ')
          .replace(' \\\n', ` \\\n  --type ${attestation.type} \\\n`),
      );
    }
  });

  it('keeps the Rekor log index cosign printed, with its search.sigstore.dev link', () => {
    const logIndex = standins.signatures().find((s) => s.kind === 'signature')?.logIndex;
    expect(result.rekorLogIndex).toBe(logIndex);
    expect(result.rekorUrl).toBe(`https://search.sigstore.dev/?logIndex=${logIndex}`);
    expect(result.attestations.every((a) => a.rekorLogIndex !== undefined)).toBe(true);
  });

  it('never puts the token in argv, stdout or the result', () => {
    const tokens = oidc.issued().map((t) => t.token);
    const argv = JSON.stringify(standins.calls('cosign').map((c) => c.argv));
    for (const token of tokens) {
      expect(argv).not.toContain(token);
      expect(stdout).not.toContain(token);
      expect(JSON.stringify(result)).not.toContain(token);
      // Not even the signature part, which is what a truncated log line would show.
      expect(stdout).not.toContain(token.split('.')[2]);
    }
    expect(stdout).toContain('Signed ');
  });
});

describe('keyless, identity of a reusable workflow', () => {
  it('demands the reusable workflow file (job_workflow_ref), not the caller workflow_ref', async () => {
    const reusable = await startOidcServer({
      claims: {
        repository: 'acme/app',
        workflow_ref: 'acme/app/.github/workflows/release.yml@refs/tags/v3',
        job_workflow_ref: 'acme/platform/.github/workflows/image.yml@refs/tags/v1',
      },
    });
    try {
      setOidcEnvironment(reusable);
      const standins = await standinsFor({}, reusable);
      const result = await runSignStage(input(standins, { config: config({ attest: [] }) }), fast);
      const identity = 'https://github.com/acme/platform/.github/workflows/image.yml@refs/tags/v1';
      expect(result.identity?.identity).toBe(identity);
      expect(flagValues(callsOf(standins, 'verify')[0]!.argv, '--certificate-identity')).toEqual([identity]);
      expect(result.verifyCommand).toContain(`--certificate-identity ${identity}`);
    } finally {
      setOidcEnvironment(oidc);
      await reusable.stop();
    }
  });
});

/** Puts an OCI index holding the pushed image (as linux/amd64) into the registry; returns its digest. */
async function pushIndex(): Promise<string> {
  const child = await registry.manifest('acme/app', digest);
  if (!child) throw new Error('the pushed image is gone');
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: child.mediaType,
        digest,
        size: Buffer.byteLength(child.raw),
        platform: { os: 'linux', architecture: 'amd64' },
      },
    ],
  });
  const response = await fetch(`${registry.url}/v2/acme/app/manifests/multi`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/vnd.oci.image.index.v1+json' },
    body: index,
  });
  if (response.status !== 201) throw new Error(`index push: ${response.status} ${await response.text()}`);
  return `sha256:${createHash('sha256').update(index).digest('hex')}`;
}

describe('a multi-platform index', () => {
  it('signs with --recursive (the index and its platform image), attests and verifies the index digest', async () => {
    setOidcEnvironment(oidc);
    const indexDigest = await pushIndex();
    const indexRef = `${registry.host}/acme/app@${indexDigest}`;
    const standins = await standinsFor();
    const result = await runSignStage(
      input(standins, { reference: indexRef, isIndex: true, config: config({ attest: ['sbom'] }) }),
      fast,
    );
    expect(result.signed).toBe(true);
    const sign = callsOf(standins, 'sign')[0]!;
    expect(sign.argv).toContain('--recursive');
    expect(sign.argv.at(-1)).toBe(indexRef);
    const signed = standins.signatures().filter((s) => s.kind === 'signature');
    expect(signed.map((s) => s.digest).sort()).toEqual([indexDigest, digest].sort());
    const attest = callsOf(standins, 'attest')[0]!;
    expect(attest.argv.includes('--recursive')).toBe(false);
    expect(attest.argv.at(-1)).toBe(indexRef);
    expect(callsOf(standins, 'verify')[0]?.argv.at(-1)).toBe(indexRef);
  });

  it('a single image is signed without --recursive', async () => {
    setOidcEnvironment(oidc);
    const standins = await standinsFor();
    await runSignStage(input(standins, { config: config({ attest: [] }) }), fast);
    expect(callsOf(standins, 'sign')[0]?.argv).not.toContain('--recursive');
  });
});

describe('missing OIDC variables', () => {
  it('fails before any cosign call, with the permission to add and the fork advice', async () => {
    const standins = await standinsFor();
    for (const name of OIDC_VARIABLES) delete process.env[name];
    try {
      const error = await runSignStage(input(standins), fast).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toContain('permissions: id-token: write');
      expect((error as Error).message).toMatch(/forks never get an OIDC token/);
      expect((error as Error).message).toMatch(/push: false|push: \$\{\{/);
      expect(standins.calls('cosign')).toEqual([]);
    } finally {
      setOidcEnvironment(oidc);
    }
  });
});

describe('refuses a reference without a digest', () => {
  it.each([`127.0.0.1:5000/acme/app:1.0`, 'ghcr.io/acme/app'])('%s', async (ref) => {
    setOidcEnvironment(oidc);
    const standins = await standinsFor();
    const before = oidc.issued().length;
    await expect(runSignStage(input(standins, { reference: ref }), fast)).rejects.toThrow(
      /only a digest reference/,
    );
    expect(standins.calls('cosign')).toEqual([]);
    expect(oidc.issued().length).toBe(before);
  });
});

describe('transient failures', () => {
  const rekor503 = (ref: string) =>
    `Error: signing [${ref}]: uploading to rekor: [POST /api/v1/log/entries][503] createLogEntryDefault  &{Code:503 Message:service unavailable}\nmain.go:74: error during command execution: signing [${ref}]: uploading to rekor: [POST /api/v1/log/entries][503] createLogEntryDefault\n`;

  it('Rekor answers 503 twice, then signs: three tries, one signature', async () => {
    setOidcEnvironment(oidc);
    const standins = await standinsFor({
      rules: [{ command: 'sign', failFirst: 2, exitCode: 1, stderr: rekor503(reference) }],
    });
    const retries: string[] = [];
    const result = await runSignStage(input(standins, { config: config({ attest: [] }) }), {
      ...fast,
      log: { info: (m) => retries.push(m), warning: () => undefined },
    });
    expect(callsOf(standins, 'sign')).toHaveLength(3);
    expect(standins.signatures().filter((s) => s.kind === 'signature')).toHaveLength(1);
    expect(result.signed).toBe(true);
    expect(result.rekorLogIndex).toBeDefined();
    expect(retries.filter((m) => /try \d failed/.test(m))).toHaveLength(2);
  });

  it('Rekor down for good: fails after the last try, nothing reported signed', async () => {
    setOidcEnvironment(oidc);
    const standins = await standinsFor({
      rules: [{ command: 'sign', exitCode: 1, stderr: rekor503(reference) }],
    });
    const error = await runSignStage(input(standins), { ...fast, attempts: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignStageError);
    expect((error as SignStageError).message).toMatch(/after 3 tries.*503/);
    expect((error as SignStageError).result.signed).toBe(false);
    expect(callsOf(standins, 'sign')).toHaveLength(3);
    expect(callsOf(standins, 'attest')).toEqual([]);
  });

  it('a refusal is not retried: the registry denied the write', async () => {
    setOidcEnvironment(oidc);
    const standins = await standinsFor({
      rules: [
        {
          command: 'sign',
          exitCode: 1,
          stderr: `Error: signing [${reference}]: PUT https://ghcr.io/v2/acme/app/manifests/sha256-x.sig: DENIED: permission_denied: write_package\n`,
        },
      ],
    });
    const error = await runSignStage(input(standins), fast).catch((e: unknown) => e);
    expect(callsOf(standins, 'sign')).toHaveLength(1);
    expect((error as Error).message).toMatch(/packages: write/);
  });
});

describe('verify after signing', () => {
  it('a signature that does not verify fails the run', async () => {
    setOidcEnvironment(oidc);
    const standins = await standinsFor({
      rules: [
        {
          command: 'verify',
          exitCode: 1,
          stderr:
            'Error: no matching signatures: failed to verify certificate identity: no matching CertificateIdentity found\nmain.go:74: error during command execution: no matching signatures\n',
        },
      ],
    });
    const error = await runSignStage(input(standins), fast).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignStageError);
    const failure = error as SignStageError;
    expect(failure.message).toMatch(
      /does not verify with identity https:\/\/github\.com\/.*no matching signatures/,
    );
    expect(failure.result.signed).toBe(false);
    // The signature was made (and is in the result for the report), but not called verified.
    expect(failure.result.rekorLogIndex).toBeDefined();
    expect(callsOf(standins, 'verify')).toHaveLength(1);
  });

  it('an attestation that does not verify fails the run too', async () => {
    setOidcEnvironment(oidc);
    const standins = await standinsFor({
      rules: [
        {
          command: 'verify-attestation',
          match: 'vuln',
          exitCode: 1,
          stderr: 'Error: no matching attestations: none verified\n',
        },
      ],
    });
    const error = await runSignStage(input(standins), fast).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignStageError);
    expect((error as Error).message).toMatch(/vuln attestation .* does not verify/);
    const result = (error as SignStageError).result;
    expect(result.signed).toBe(false);
    expect(result.attestations.map((a) => [a.type, a.verified])).toEqual([
      ['cyclonedx', true],
      ['vuln', false],
    ]);
  });

  it('each check starts as soon as what it checks is written, beside the next write, and all are awaited', async () => {
    setOidcEnvironment(oidc);
    // Each attestation takes 600 ms: the signature's check must start during the first one, the SBOM's during the
    // second, not after both.
    const standins = await standinsFor({ rules: [{ command: 'attest', durationMs: 600 }] });
    const result = await runSignStage(input(standins), fast);
    expect(result.signed).toBe(true);
    const at = (c: StandinCall): number => Date.parse(c.time);
    const attests = callsOf(standins, 'attest');
    expect(attests).toHaveLength(2);
    const [verifySignature] = callsOf(standins, 'verify');
    const verifyAttestations = callsOf(standins, 'verify-attestation');
    expect(verifySignature && at(verifySignature)).toBeLessThan(at(attests[1]!));
    const sbomCheck = verifyAttestations.find((c) => c.argv.includes('cyclonedx'));
    expect(sbomCheck && at(sbomCheck)).toBeGreaterThanOrEqual(at(attests[0]!));
    expect(result.attestations.map((a) => [a.type, a.verified])).toEqual([
      ['cyclonedx', true],
      ['vuln', true],
    ]);
  });

  it('a verify that passes but prints no statement about the digest is not taken as proof', async () => {
    setOidcEnvironment(oidc);
    const other = Buffer.from(
      JSON.stringify({
        predicateType: 'https://cyclonedx.org/bom',
        subject: [{ digest: { sha256: 'f'.repeat(64) } }],
      }),
    ).toString('base64');
    const standins = await standinsFor({
      rules: [
        {
          command: 'verify-attestation',
          exitCode: 0,
          stdout: `${JSON.stringify({ payloadType: 'application/vnd.in-toto+json', payload: other, signatures: [] })}\n`,
        },
      ],
    });
    const error = await runSignStage(input(standins, { config: config({ attest: ['sbom'] }) }), fast).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(
      /printed no https:\/\/cyclonedx\.org\/bom statement about sha256:/,
    );
  });
});

describe('attestations without their input', () => {
  it('are skipped with the reason; the signature is still made and verified', async () => {
    setOidcEnvironment(oidc);
    const standins = await standinsFor();
    const { vulnPredicateFile: _omit, ...rest } = input(standins);
    const result = await runSignStage({ ...rest, sbomFile: join(dir, 'absent.json') }, fast);
    expect(result.signed).toBe(true);
    expect(result.attestations).toEqual([]);
    expect(result.skippedAttestations).toEqual([
      { kind: 'sbom', reason: expect.stringContaining('absent.json does not exist') },
      { kind: 'vuln', reason: expect.stringContaining('no vulnerability predicate') },
    ]);
    expect(callsOf(standins, 'attest')).toEqual([]);
  });
});

describe('key mode with a KMS URI', () => {
  it('signs and verifies with --key <uri>, carrying the provider variables, no OIDC token asked', async () => {
    const standins = await standinsFor();
    const before = oidc.issued().length;
    const uri = 'awskms:///alias/release-signing';
    const result = await runSignStage(
      input(standins, { config: config({ cosignKey: { kind: 'kms', uri } }) }),
      { ...fast, processEnv: { AWS_REGION: 'eu-west-1', AWS_SECRET_ACCESS_KEY: 'aws-secret-value' } },
    );
    expect(oidc.issued().length).toBe(before);
    expect(result).toMatchObject({ signed: true, mode: 'key', keyRef: uri });
    expect(result.identity).toBeUndefined();
    for (const command of ['sign', 'attest', 'verify', 'verify-attestation']) {
      for (const call of callsOf(standins, command)) {
        expect(flagValues(call.argv, '--key')).toEqual([uri]);
        expect(call.envNames).toEqual(expect.arrayContaining(['AWS_REGION', 'AWS_SECRET_ACCESS_KEY']));
        expect(call.envNames).not.toContain('SIGSTORE_ID_TOKEN');
      }
    }
    expect(callsOf(standins, 'public-key')).toEqual([]);
    expect(result.verifyCommand).toBe(
      `cosign verify ${reference} \\\n  --key ${uri} \\\n  --allow-http-registry \\\n  --allow-insecure-registry`,
    );
    expect(JSON.stringify(standins.calls('cosign').map((c) => c.argv))).not.toContain('aws-secret-value');
  });
});

describe('key mode with a PEM private key', () => {
  const PASSWORD = 'correct horse battery staple';
  let keyPem: string;
  let publicPem: string;

  beforeAll(async () => {
    // A key made by (stand-in) cosign, in cosign's encrypted format, as a user would store it in a secret.
    const standins = await standinsFor();
    const keyDir = join(dir, 'generated-key');
    mkdirSync(keyDir, { recursive: true });
    const made = await execStandin(standins.cosign, ['generate-key-pair'], {
      env: { PATH, HOME: dir, COSIGN_PASSWORD: PASSWORD },
      cwd: keyDir,
    });
    expect(made.exitCode).toBe(0);
    keyPem = readFileSync(join(keyDir, 'cosign.key'), 'utf8');
    publicPem = readFileSync(join(keyDir, 'cosign.pub'), 'utf8');
  });

  function keyConfig(pem = keyPem, password: string | undefined = PASSWORD): SignInput['config'] {
    return config({
      cosignKey: { kind: 'pem', pem },
      ...(password !== undefined ? { cosignPassword: password } : {}),
    });
  }

  it.each(['file', 'env'] as const)(
    'signs with the key (%s), verifies with its public key from cosign public-key, and removes the key',
    async (transport) => {
      const standins = await standinsFor();
      const before = oidc.issued().length;
      const run = input(standins, { config: keyConfig() });
      const {
        value: result,
        error,
        stdout,
      } = await capturingStdout(() =>
        runSignStage(run, { sleep: fast.sleep, baseDelayMs: 1, keyTransport: transport }),
      );
      if (error) throw error;
      expect(result).toMatchObject({ signed: true, mode: 'key', publicKey: publicPem });
      expect(oidc.issued().length).toBe(before);

      const sign = callsOf(standins, 'sign')[0]!;
      const keyRef = flagValues(sign.argv, '--key')[0] ?? '';
      if (transport === 'file') {
        expect(keyRef.startsWith(join(run.workDir, 'signing-key'))).toBe(true);
        expect(existsSync(keyRef)).toBe(false);
        expect(readdirSync(join(run.workDir, 'signing-key'))).toEqual([]);
      } else {
        expect(keyRef).toBe('env://SECURE_IMAGE_COSIGN_PRIVATE_KEY');
        expect(sign.envNames).toContain('SECURE_IMAGE_COSIGN_PRIVATE_KEY');
      }
      for (const call of [sign, ...callsOf(standins, 'attest'), ...callsOf(standins, 'public-key')]) {
        expect(flagValues(call.argv, '--key')).toEqual([keyRef]);
        expect(call.envNames).toContain('COSIGN_PASSWORD');
        // The password came from the environment: nothing was read from stdin.
        expect(call.stdinSha256).toBeUndefined();
      }
      // Verification uses the public key only: no password, no private key in its environment.
      const pubPath = join(run.workDir, 'cosign.pub');
      expect(readFileSync(pubPath, 'utf8')).toBe(publicPem);
      for (const call of [...callsOf(standins, 'verify'), ...callsOf(standins, 'verify-attestation')]) {
        expect(flagValues(call.argv, '--key')).toEqual([pubPath]);
        expect(call.envNames).not.toContain('COSIGN_PASSWORD');
        expect(call.envNames).not.toContain('SECURE_IMAGE_COSIGN_PRIVATE_KEY');
      }
      expect(standins.signatures().filter((s) => s.kind === 'signature')).toHaveLength(1);
      expect(result?.verifyCommand).toBe(
        `cosign verify ${reference} \\\n  --key cosign.pub \\\n  --allow-http-registry \\\n  --allow-insecure-registry`,
      );

      // The key and the password appear nowhere: argv, stdout, result.
      const argv = JSON.stringify(standins.calls('cosign').map((c) => c.argv));
      const keyBody = keyPem.split('\n')[1] ?? '';
      expect(keyBody.length).toBeGreaterThan(20);
      for (const secret of [PASSWORD, keyBody]) {
        expect(argv).not.toContain(secret);
        expect(stdout).not.toContain(secret);
        expect(JSON.stringify(result)).not.toContain(secret);
      }
    },
  );

  it('a wrong password fails the run and still removes the key file', async () => {
    const standins = await standinsFor();
    const run = input(standins, { config: keyConfig(keyPem, 'wrong password') });
    const error = await runSignStage(run, fast).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignStageError);
    expect((error as Error).message).toMatch(/decrypt/);
    expect((error as SignStageError).result.signed).toBe(false);
    expect(readdirSync(join(run.workDir, 'signing-key'))).toEqual([]);
    expect(JSON.stringify(standins.calls('cosign'))).not.toContain('wrong password');
  });

  it('a verify failure in key mode fails the run and removes the key file', async () => {
    const standins = await standinsFor({
      rules: [
        { command: 'verify', exitCode: 1, stderr: 'Error: no matching signatures: invalid signature\n' },
      ],
    });
    const run = input(standins, { config: keyConfig() });
    const error = await runSignStage(run, fast).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/does not verify with the key .*cosign\.pub/);
    expect(readdirSync(join(run.workDir, 'signing-key'))).toEqual([]);
  });
});
