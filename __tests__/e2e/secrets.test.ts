// A secrets audit of whole runs through dist/index.js: push to a registry that wants a login, scan,
// sign (keyless with the workflow's OIDC token, then with a password-protected PEM key), attest and
// verify, and comment on a pull request, all with recognisable secret values. None of them, nor their base64 spellings (a docker
// config's `auth` holds `user:password` in base64), may be left where a person, a later step or another
// tool can read them: the job log (stdout without the `::add-mask::` commands the runner swallows),
// stderr, the summary, the outputs, any tool's command line or stdin log, and every file under
// RUNNER_TEMP, the tool cache and HOME after the run; nor in what was published to the registries or
// posted to GitHub.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGithubApi } from '../harness/github-api.js';
import { startRegistry, type Registry } from '../harness/registry.js';
import type { RunResult } from '../harness/runner.js';
import { execStandin, type StandinTool } from '../harness/standins.js';
import { failureOf, secretForms, secretsInFiles, secretsInTexts } from './adversity.js';
import { visibleStdout } from './expectations.js';
import { startOfflineWorld, type OfflineWorld } from './offline-world.js';

let world: OfflineWorld;
let secured: Registry;

const canary = (what: string): string => `S3CR3T-${what}-${randomBytes(6).toString('hex')}-CANARY`;
const REGISTRY_USER = 'pusher';
const REGISTRY_PASSWORD = canary('REGISTRY');
const GITHUB_TOKEN = canary('GITHUB-TOKEN');
const COSIGN_PASSWORD = canary('COSIGN-PASSWORD');

beforeAll(async () => {
  world = await startOfflineWorld();
  secured = await startRegistry({ auth: { username: REGISTRY_USER, password: REGISTRY_PASSWORD } });
}, 120_000);

afterAll(async () => {
  await secured?.stop();
  await world?.stop();
});

const TOOLS: StandinTool[] = ['cosign', 'trivy', 'grype'];

/**
 * Every place a secret must not be, after `result`: texts by name (with `extra` ones, such as what GitHub
 * received), then files under directories.
 */
function audit(
  result: RunResult,
  secrets: Record<string, string>,
  extra: Record<string, string> = {},
): string[] {
  const texts: Record<string, string> = {
    ...extra,
    'job log (stdout)': visibleStdout(result),
    stderr: result.stderr,
    summary: result.summary,
    outputs: JSON.stringify(result.outputs),
    annotations: JSON.stringify(result.annotations),
  };
  for (const tool of TOOLS)
    texts[`${tool} calls (argv, stdin, cwd)`] = JSON.stringify(world.standins.calls(tool));
  return [
    ...secretsInTexts(texts, secrets),
    ...secretsInFiles(
      [
        // RUNNER_TEMP, the tool cache, HOME and the runner's command files (GITHUB_OUTPUT, …).
        result.dir,
        result.workspace,
        // What the tools were asked and published: signatures, attestations, their annotations (the
        // scenario, which tests write, is left out).
        join(world.standins.stateDir, 'calls'),
        join(world.standins.stateDir, 'signatures.json'),
        join(secured.dataDir, 'storage'),
        join(world.registry.dataDir, 'storage'),
      ],
      secrets,
    ),
  ];
}

/**
 * The secrets of a keyless run with a registry login: the password, the GitHub token, the OIDC request token
 * and every identity token issued since `before` (at least one, or signing did not happen).
 */
function keylessSecrets(before: number): {
  issued: ReturnType<OfflineWorld['oidc']['issued']>;
  secrets: Record<string, string>;
} {
  const issued = world.oidc.issued().slice(before);
  expect(issued.length).toBeGreaterThan(0);
  const secrets: Record<string, string> = {
    'registry-password': REGISTRY_PASSWORD,
    'github-token': GITHUB_TOKEN,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.oidc.requestToken,
  };
  issued.forEach(({ token }, i) => {
    secrets[`OIDC token ${i + 1}`] = token;
    // The signature part alone is what makes a JWT a credential.
    secrets[`OIDC token ${i + 1} signature`] = token.split('.')[2] ?? token;
  });
  return { issued, secrets };
}

describe('secrets audit', () => {
  it('keyless, with a registry login and a GitHub token: no secret or its base64 is left anywhere', async () => {
    const image = `${secured.host}/audit/keyless`;
    const before = world.oidc.issued().length;
    const result = await world.run({
      inputs: {
        image,
        tags: 'v1',
        'registry-username': REGISTRY_USER,
        'registry-password': REGISTRY_PASSWORD,
        'github-token': GITHUB_TOKEN,
      },
    });
    expect({ exitCode: result.exitCode, error: failureOf(result) }).toEqual({ exitCode: 0, error: '' });
    // The whole pipeline ran: pushed with the login, scanned, signed keyless, attested, verified.
    expect((await secured.manifest('audit/keyless', 'v1'))?.digest).toBe(result.outputs.digest);
    expect(result.outputs['scan-passed']).toBe('true');
    expect(result.outputs.signed).toBe('true');
    const recorded = world.standins.signatures().filter((s) => s.name.endsWith('audit/keyless'));
    expect(recorded.map((s) => s.kind)).toEqual(['signature', 'attestation', 'attestation', 'attestation']);

    const { issued, secrets } = keylessSecrets(before);
    expect(audit(result, secrets)).toEqual([]);

    // Each secret the action read was masked as it was read (the runner then hides it in the log).
    for (const value of [REGISTRY_PASSWORD, GITHUB_TOKEN, ...issued.map((t) => t.token)]) {
      expect(result.masks).toContain(value);
    }
    // The tools had the login, as a file that is gone now (it must have been used, not skipped).
    expect(world.standins.calls('cosign').some((c) => c.envNames.includes('DOCKER_CONFIG'))).toBe(true);
  }, 120_000);

  it('a pull request with its comment, a registry login and keyless signing: the comment GitHub got carries no secret either', async () => {
    const api = await startGithubApi({ token: GITHUB_TOKEN });
    try {
      const image = `${secured.host}/audit/pull-request`;
      const before = world.oidc.issued().length;
      const result = await world.run({
        event: 'pull_request',
        pullRequest: { number: 41 },
        apiUrl: api.url,
        githubToken: GITHUB_TOKEN,
        inputs: {
          image,
          tags: 'pr-41',
          'pr-comment': 'true',
          'registry-username': REGISTRY_USER,
          'registry-password': REGISTRY_PASSWORD,
        },
      });
      expect({ exitCode: result.exitCode, error: failureOf(result) }).toEqual({ exitCode: 0, error: '' });
      expect(result.outputs.signed).toBe('true');
      // The comment was written with the token: the secret was used, so its absence below means something.
      const comments = api.comments('acme', 'hello', 41);
      expect(comments).toHaveLength(1);
      expect(comments[0]?.body).toContain('audit/pull-request');
      // One comment written (the other POST asks GraphQL who the token is).
      expect(api.requests().filter((r) => r.method === 'POST' && r.path !== '/graphql')).toHaveLength(1);
      expect(api.requests().every((r) => r.token === GITHUB_TOKEN)).toBe(true);

      const { secrets } = keylessSecrets(before);
      const github = {
        // What GitHub stored and shows (the runner does not mask a PR comment), and every request's path and body.
        'PR comments': JSON.stringify(comments.map((c) => c.body)),
        'GitHub API requests': JSON.stringify(api.requests().map((r) => [r.method, r.path, r.body])),
      };
      expect(audit(result, secrets, github)).toEqual([]);
      expect(result.masks).toContain(GITHUB_TOKEN);
    } finally {
      await api.stop();
    }
  }, 120_000);

  it('a PEM key with its password, grype, and a registry login: no secret or its base64 is left anywhere', async () => {
    const keyDir = mkdtempSync(join(world.dir, 'audit-keys-'));
    const made = await execStandin(world.standins.cosign, ['generate-key-pair'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: keyDir, COSIGN_PASSWORD },
      cwd: keyDir,
      timeoutMs: 30_000,
    });
    expect(made.exitCode).toBe(0);
    const privatePem = readFileSync(join(keyDir, 'cosign.key'), 'utf8');
    const image = `${secured.host}/audit/key`;
    const before = world.oidc.issued().length;
    const result = await world.run({
      inputs: {
        image,
        tags: 'v1',
        scanner: 'grype',
        'scanner-path': world.standins.grype,
        // grype's stored report has high findings; the audit wants the signing that follows the gate.
        'fail-on-severity': 'never',
        'cosign-key': privatePem,
        'cosign-password': COSIGN_PASSWORD,
        'registry-username': REGISTRY_USER,
        'registry-password': REGISTRY_PASSWORD,
        'github-token': GITHUB_TOKEN,
      },
    });
    expect({ exitCode: result.exitCode, error: failureOf(result) }).toEqual({ exitCode: 0, error: '' });
    expect((await secured.manifest('audit/key', 'v1'))?.digest).toBe(result.outputs.digest);
    expect(result.outputs['scan-passed']).toBe('true');
    expect(result.outputs.signed).toBe('true');
    expect(world.standins.calls('grype').length).toBeGreaterThan(0);
    // Key mode asks for no token.
    expect(world.oidc.issued().length).toBe(before);

    // The key's body lines are secrets one by one (a tool that echoes part of a key leaks that part).
    const keyLines = privatePem
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length >= 16 && !l.startsWith('-----'));
    expect(keyLines.length).toBeGreaterThan(0);
    const secrets: Record<string, string> = {
      'registry-password': REGISTRY_PASSWORD,
      'github-token': GITHUB_TOKEN,
      'cosign-password': COSIGN_PASSWORD,
    };
    keyLines.forEach((line, i) => (secrets[`cosign-key line ${i + 1}`] = line));
    expect(audit(result, secrets)).toEqual([]);
    for (const value of [REGISTRY_PASSWORD, GITHUB_TOKEN, COSIGN_PASSWORD, ...keyLines]) {
      expect(result.masks).toContain(value);
    }
  }, 120_000);

  it('a cosign that echoes the secrets it was handed in its error: the error the action reports carries none of them', async () => {
    const keyDir = mkdtempSync(join(world.dir, 'audit-echo-keys-'));
    const made = await execStandin(world.standins.cosign, ['generate-key-pair'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: keyDir, COSIGN_PASSWORD },
      cwd: keyDir,
      timeoutMs: 30_000,
    });
    expect(made.exitCode).toBe(0);
    const privatePem = readFileSync(join(keyDir, 'cosign.key'), 'utf8');
    const basic = Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64');
    const scenario = world.signedBase();
    (scenario.cosign as NonNullable<typeof scenario.cosign>).rules = [
      {
        command: 'sign',
        exitCode: 1,
        stderr:
          `Error: signing: key password ${COSIGN_PASSWORD}; PUT /v2/audit/echo/manifests/x.sig with ` +
          `Authorization: Basic ${basic} (password ${REGISTRY_PASSWORD}): 401 Unauthorized\n` +
          `main.go:74: error during command execution: signing: key password ${COSIGN_PASSWORD}\n`,
      },
    ];
    const image = `${secured.host}/audit/echo`;
    const result = await world.run({
      inputs: {
        image,
        tags: 'v1',
        'cosign-key': privatePem,
        'cosign-password': COSIGN_PASSWORD,
        'registry-username': REGISTRY_USER,
        'registry-password': REGISTRY_PASSWORD,
      },
      scenario,
    });
    expect(result.exitCode).toBe(1);
    expect(failureOf(result)).toMatch(/^Signing .* failed/);
    expect(result.outputs.signed).toBe('false');
    expect(
      audit(result, { 'registry-password': REGISTRY_PASSWORD, 'cosign-password': COSIGN_PASSWORD }),
    ).toEqual([]);
  }, 120_000);

  // Before the fix (src/util/exec.ts, src/registry/credentials.ts), tools' output was redacted only of
  // their own call's secrets, in plain text: this echo reached the error annotation, the summary, the
  // `base-images` output and the PR comment (which the runner does not mask) in base64.
  it('a cosign verify of a base image that echoes the registry password: the error carries neither it nor its base64', async () => {
    const basic = Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64');
    const scenario = world.signedBase();
    (scenario.cosign as NonNullable<typeof scenario.cosign>).rules = [
      {
        command: 'verify',
        exitCode: 1,
        stderr: `Error: GET /v2/secure-image/busybox/manifests/x.sig with Authorization: Basic ${basic}: 401 Unauthorized\n`,
      },
    ];
    const result = await world.run({
      inputs: {
        image: `${secured.host}/audit/echo-base`,
        'registry-username': REGISTRY_USER,
        'registry-password': REGISTRY_PASSWORD,
        'github-token': GITHUB_TOKEN,
      },
      scenario,
    });
    expect(result.exitCode).toBe(1);
    expect(failureOf(result)).toMatch(/base images do not meet the trust policy/);
    expect(audit(result, { 'registry-password': REGISTRY_PASSWORD })).toEqual([]);
  }, 120_000);

  it('the audit finds what it looks for: a docker config auth and a plain secret are both caught', () => {
    // The base64 of `user:password`, as docker's config.json holds it.
    const auth = Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64');
    expect(
      secretsInTexts({ config: JSON.stringify({ auths: { x: { auth } } }) }, { p: REGISTRY_PASSWORD }),
    ).toEqual([expect.stringMatching(/^config: p /)]);
    expect(secretsInTexts({ log: `token=${GITHUB_TOKEN}` }, { t: GITHUB_TOKEN })).toHaveLength(1);
    expect(secretsInTexts({ log: 'nothing here' }, { t: GITHUB_TOKEN })).toEqual([]);
    expect(secretForms(REGISTRY_PASSWORD).length).toBeGreaterThan(3);
    // And in files, read as bytes, however deep.
    const dir = mkdtempSync(join(world.dir, 'audit-self-'));
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    writeFileSync(join(dir, 'a', 'b', 'config.json'), JSON.stringify({ auths: { x: { auth } } }));
    expect(secretsInFiles([dir], { p: REGISTRY_PASSWORD })).toEqual([
      `${join(dir, 'a', 'b', 'config.json')}: p (base64)`,
    ]);
  });
});
