import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execStandin, installStandins, type Standins, type StandinTool } from '../harness/standins.js';

// What the action gives a tool: an explicit environment, nothing inherited but PATH.
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

describe('stand-ins on the command line', () => {
  let dir: string;
  let standins: Standins;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'standin-cli-'));
    standins = await installStandins(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each<[StandinTool, string[], RegExp]>([
    [
      'cosign',
      ['sign', '--not-a-flag', 'img'],
      /^Error: unknown flag: --not-a-flag\nmain\.go:\d+: error during command execution: unknown flag: --not-a-flag\n$/,
    ],
    // Deprecated and hidden, but still taken by the real cosign: not here, and no longer refused.
    ['cosign', ['sign', '--tlog-uploads=false', 'img'], /^Error: unknown flag: --tlog-uploads\n/],
    ['cosign', ['verify', '-Z', 'img'], /^Error: unknown shorthand flag: 'Z' in -Z\n/],
    ['cosign', ['verify', 'img', '--key'], /^Error: flag needs an argument: --key\n/],
    ['cosign', ['bogus'], /^Error: unknown command "bogus" for "cosign"\n/],
    ['cosign', ['tree', 'img'], /no upstream reference page for "cosign tree"/],
    ['trivy', ['image', '--bogus', 'alpine'], /\tFATAL\tFatal error\tunknown flag: --bogus\n$/],
    [
      'trivy',
      ['convert', '--input', 'x.tar', 'report.json'],
      /\tFATAL\tFatal error\tunknown flag: --input\n$/,
    ],
    ['trivy', ['fs', '.'], /no upstream reference page for "trivy fs"/],
    ['grype', ['--bogus', 'alpine:3'], /^Error: unknown flag: --bogus\n$/],
    ['grype', ['alpine:3', '--severity', 'high'], /^Error: unknown flag: --severity\n$/],
  ])('%s %j is refused as upstream refuses it', async (tool, args, stderr) => {
    const run = await execStandin(standins[tool], args, { env, cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(stderr);
    expect(run.stdout).toBe('');
    expect(standins.calls(tool).at(-1)).toMatchObject({ argv: args, rejected: expect.any(String) });
  });

  it.each<[StandinTool, string[], (stdout: string) => void]>([
    [
      'cosign',
      ['version', '--json'],
      (out) => expect(JSON.parse(out)).toMatchObject({ gitVersion: 'v3.0.6', compiler: 'gc' }),
    ],
    ['cosign', ['-d', 'version'], (out) => expect(out).toMatch(/^GitVersion:\s+v3\.0\.6$/m)],
    [
      'cosign',
      ['version', '--json=true', '--timeout', '30s'],
      (out) => expect(JSON.parse(out).gitVersion).toBe('v3.0.6'),
    ],
    [
      'trivy',
      ['version', '--format', 'json'],
      (out) => expect(JSON.parse(out)).toEqual({ Version: '0.74.0' }),
    ],
    ['trivy', ['-q', 'version', '-f=json'], (out) => expect(JSON.parse(out)).toEqual({ Version: '0.74.0' })],
    ['trivy', ['--version'], (out) => expect(out).toBe('Version: 0.74.0\n')],
    [
      'grype',
      ['version', '-o', 'json'],
      (out) => expect(JSON.parse(out)).toMatchObject({ application: 'grype', version: '0.116.0' }),
    ],
    ['grype', ['version'], (out) => expect(out).toMatch(/^Version:\s+0\.116\.0$/m)],
    ['grype', ['--version'], (out) => expect(out).toBe('grype 0.116.0\n')],
  ])('%s %j answers in the upstream format', async (tool, args, check) => {
    const run = await execStandin(standins[tool], args, { env, cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    check(run.stdout);
  });

  it('logs argv, the names but never the values of the environment, and the cwd', async () => {
    const secret = 'sup3r-s3cret-value';
    await execStandin(standins.cosign, ['version'], { env: { ...env, SIGSTORE_ID_TOKEN: secret }, cwd: dir });
    const call = standins.calls('cosign').at(-1);
    expect(call).toMatchObject({ argv: ['version'], cwd: dir, command: 'version' });
    expect(call?.envNames).toEqual(['PATH', 'SIGSTORE_ID_TOKEN']);
    expect(readFileSync(join(standins.stateDir, 'calls', 'cosign.jsonl'), 'utf8')).not.toContain(secret);
  });

  it('sends stdout to --output-file, as cosign does', async () => {
    const file = join(dir, 'version.json');
    const run = await execStandin(standins.cosign, ['version', '--json', '--output-file', file], {
      env,
      cwd: dir,
    });
    expect(run).toMatchObject({ exitCode: 0, stdout: '' });
    expect(JSON.parse(readFileSync(file, 'utf8')).gitVersion).toBe('v3.0.6');
  });

  it('takes flags from COSIGN_* / TRIVY_* variables as upstream does', async () => {
    const run = await execStandin(standins.trivy, ['version'], {
      env: { ...env, TRIVY_FORMAT: 'json' },
      cwd: dir,
    });
    expect(JSON.parse(run.stdout)).toEqual({ Version: '0.74.0' });
  });

  it('logs only the digest of a secret read from stdin, and writes the docker config like trivy', async () => {
    const dockerConfig = join(dir, 'docker');
    const run = await execStandin(
      standins.trivy,
      ['registry', 'login', '--username', 'ci', '--password-stdin', '127.0.0.1:5000'],
      { env: { ...env, DOCKER_CONFIG: dockerConfig }, cwd: dir, stdin: 'pa55word\n' },
    );
    expect(run.exitCode).toBe(0);
    const call = standins.calls('trivy').at(-1);
    expect(call?.stdin).toBeUndefined();
    expect(call?.stdinSha256).toBe(createHash('sha256').update('pa55word\n').digest('hex'));
    const config = JSON.parse(readFileSync(join(dockerConfig, 'config.json'), 'utf8')) as {
      auths: Record<string, { auth: string }>;
    };
    expect(Buffer.from(config.auths['127.0.0.1:5000']?.auth ?? '', 'base64').toString()).toBe('ci:pa55word');
  });
});

describe('stand-in scenario rules', () => {
  let dir: string;
  let standins: Standins;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'standin-rules-'));
    standins = await installStandins(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails the first N matching calls, counted across processes, then behaves normally', async () => {
    await standins.setScenario({
      trivy: {
        rules: [
          {
            command: 'version',
            failFirst: 2,
            exitCode: 1,
            stderr: 'FATAL\tGET https://mirror.gcr.io/v2/: 503 Service Unavailable\n',
          },
        ],
      },
    });
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await execStandin(standins.trivy, ['version'], { env, cwd: dir }));
    expect(runs.map((r) => r.exitCode)).toEqual([1, 1, 0]);
    expect(runs[0]?.stderr).toContain('503 Service Unavailable');
    expect(runs[2]?.stdout).toBe('Version: 0.74.0\n');
  });

  it('counts exactly N failures when the calls run in parallel', async () => {
    await standins.setScenario({ grype: { rules: [{ command: 'version', failFirst: 3 }] } });
    const runs = await Promise.all(
      Array.from({ length: 6 }, () => execStandin(standins.grype, ['version'], { env, cwd: dir })),
    );
    expect(runs.filter((r) => r.exitCode === 1)).toHaveLength(3);
    expect(runs.filter((r) => r.exitCode === 0)).toHaveLength(3);
  });

  it('setScenario resets the counters', async () => {
    await standins.setScenario({ trivy: { rules: [{ command: 'version', failFirst: 1 }] } });
    expect((await execStandin(standins.trivy, ['version'], { env })).exitCode).toBe(1);
    await standins.setScenario({ trivy: { rules: [{ command: 'version', failFirst: 1 }] } });
    expect((await execStandin(standins.trivy, ['version'], { env })).exitCode).toBe(1);
    expect((await execStandin(standins.trivy, ['version'], { env })).exitCode).toBe(0);
  });

  it('answers with a canned result for calls whose arguments match, and normally for others', async () => {
    await standins.setScenario({
      cosign: {
        version: 'v2.6.1',
        rules: [
          {
            command: 'verify',
            match: 'evil.example',
            exitCode: 12,
            stderr: 'Error: no matching signatures: canned\n',
          },
          {
            command: 'verify',
            matchRegexp: '^ghcr\\.io/acme/',
            stdoutFile: 'cosign-README.verify-output.json',
          },
        ],
      },
    });
    const keyless = ['--certificate-identity', 'x', '--certificate-oidc-issuer', 'y'];
    const digest = `sha256:${'a'.repeat(64)}`;
    const evil = await execStandin(standins.cosign, ['verify', ...keyless, `evil.example/app@${digest}`], {
      env,
    });
    expect(evil).toMatchObject({ exitCode: 12, stderr: 'Error: no matching signatures: canned\n' });
    const canned = await execStandin(standins.cosign, ['verify', ...keyless, `ghcr.io/acme/app@${digest}`], {
      env,
    });
    expect(canned.exitCode).toBe(0);
    expect(JSON.parse(canned.stdout)[0].critical.identity['docker-reference']).toBe(
      'gcr.io/priya-chainguard/test',
    );
    const other = await execStandin(standins.cosign, ['verify', ...keyless, `quay.io/other/app@${digest}`], {
      env,
    });
    expect(other.exitCode).toBe(10);
    expect(other.stderr).toContain('Error: no signatures found');
    const version = await execStandin(standins.cosign, ['version', '--json'], { env });
    expect(JSON.parse(version.stdout).gitVersion).toBe('v2.6.1');
  });

  it('delays an answer by delayMs', async () => {
    await standins.setScenario({ grype: { rules: [{ command: 'version', delayMs: 400 }] } });
    const run = await execStandin(standins.grype, ['version'], { env });
    expect(run.exitCode).toBe(0);
    expect(run.durationMs).toBeGreaterThanOrEqual(400);
  });

  it('hangs until killed, leaving no process behind', async () => {
    await standins.setScenario({ trivy: { rules: [{ command: 'image', hang: true }] } });
    const run = await execStandin(standins.trivy, ['image', 'alpine:3.19'], { env, timeoutMs: 600 });
    expect(run.exitCode).toBeNull();
    expect(run.signal).toBe('SIGTERM');
    const pid = standins.calls('trivy').at(-1)?.pid ?? 0;
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  });
});
