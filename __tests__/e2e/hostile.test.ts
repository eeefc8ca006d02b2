// Hostile inputs through dist/index.js: shell syntax in every string input (it must reach the tools'
// argv as the literal text, and run nothing), oversized and pathological Dockerfiles, policies and
// scanner reports, absurd references, a mirror that sends the download elsewhere, and a cosign that
// never answers. Each run either passes with the literal values or fails with a clear error, and a run
// that fails pushes and signs nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { startGithubApi } from '../harness/github-api.js';
import { pushBaseImage, startRegistry } from '../harness/registry.js';
import { startReleaseServer } from '../harness/release-server.js';
import type { RunResult } from '../harness/runner.js';
import { execStandin, type Scenario, type StandinCall } from '../harness/standins.js';
import { flagValues, failureOf, expectFailure, loggingBuildah, peakRssProbe } from './adversity.js';
import { expectedGate, fixturePath, isAlive, rawFindings, stageRow, visibleStdout } from './expectations.js';
import { GITHUB_ISSUER, imageConfig, startOfflineWorld, type OfflineWorld } from './offline-world.js';

let world: OfflineWorld;

beforeAll(async () => {
  world = await startOfflineWorld();
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

let repos = 0;
/** A repository of this test's own in the world's registry. */
function target(name: string): { repo: string; image: string } {
  const repo = `hostile/${name}-${++repos}`;
  return { repo, image: `${world.registry.host}/${repo}` };
}

function cosignCalls(command: string): StandinCall[] {
  return world.standins.calls('cosign').filter((c) => c.command === command);
}

/** Nothing reached the registry under `repo`, and cosign signed and attested nothing. */
async function expectNothingPushedOrSigned(result: RunResult, repo: string): Promise<void> {
  expect(await world.registry.tags(repo)).toEqual([]);
  // A run stopped by its inputs writes no outputs at all; any other run says `signed: false`.
  expectNoSignAttempt(result);
}

/** The run produced no digest and cosign neither signed nor attested (the calls are the run's own). */
function expectNoSignAttempt(result: RunResult): void {
  expect(result.outputs.digest).toBeUndefined();
  expect(result.outputs.signed ?? 'false').toBe('false');
  expect(cosignCalls('sign')).toEqual([]);
  expect(cosignCalls('attest')).toEqual([]);
}

/** A workspace whose `app/Dockerfile` is `text` (the policy of the offline world beside it). */
function workspaceWith(dockerfile: string): string {
  const ws = world.workspace();
  writeFileSync(join(ws, 'app', 'Dockerfile'), dockerfile);
  return ws;
}

/**
 * Shell syntax that, run by a shell in any directory, leaves a file named `marker` there. File names cannot
 * hold `/`, so it writes into the working directory; `ranNowhere` looks there and in every tool's.
 */
function shellBait(marker: string): string {
  return `;touch ${marker}|$(touch ${marker})\`touch ${marker}\`&'"<>\\ $HOME`;
}

function ranNowhere(marker: string, result: RunResult): void {
  const dirs = new Set([result.workspace, join(result.workspace, 'app'), result.runnerTemp, world.dir]);
  for (const tool of ['cosign', 'trivy', 'grype'] as const)
    for (const call of world.standins.calls(tool)) dirs.add(call.cwd);
  expect([...dirs].filter((dir) => existsSync(join(dir, marker)))).toEqual([]);
}

/** `stand-in` copied to a directory whose name is shell syntax with a line break, as cosign-path/scanner-path name it. */
function standinAt(standin: string, marker: string): string {
  const dir = join(world.dir, `tools ${shellBait(marker)}\nsecond line`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, standin.slice(standin.lastIndexOf('/') + 1));
  copyFileSync(standin, path);
  return path;
}

describe('shell syntax in inputs', () => {
  it('build-args, labels, annotations, paths: metacharacters and $(…) reach buildah and cosign as literal argv', async () => {
    const pwned = join(world.dir, `pwned-${Date.now()}`);
    const nasty = `a;b|c&d\`touch ${pwned}\`$(touch ${pwned})'"<>\\ $HOME`;
    // A context directory and a Dockerfile whose names are shell syntax too.
    const ws = world.workspace();
    const contextName = `ctx $(touch ${pwned.replace(/\//g, '_')});|&\`id\`\nnext line`;
    renameSync(join(ws, 'app'), join(ws, contextName));
    const dockerfileName = `Docker,file;$(id)|\`id\`"\n%0A\r.end`;
    writeFileSync(
      join(ws, contextName, dockerfileName),
      [
        'ARG REGISTRY',
        'FROM ${REGISTRY}/secure-image/busybox:stable',
        'ARG GREETING',
        'ARG NASTY',
        'LABEL org.example.greeting="${GREETING}" org.example.nasty="${NASTY}"',
        '',
      ].join('\n'),
    );
    const buildah = loggingBuildah(join(world.dir, `buildah-log-${repos}`));
    const { repo, image } = target('metachars');
    const buildArgs = [`REGISTRY=${world.registry.host}`, `GREETING=$(touch ${pwned})`, `NASTY=${nasty}`];
    const result = await world.run({
      workspace: ws,
      inputs: {
        image,
        tags: 'v1',
        context: contextName,
        file: join(contextName, dockerfileName),
        'trust-policy': join(contextName, 'secure-image.yml'),
        'build-args': buildArgs.join('\n'),
        labels: `org.example.label=${nasty}\nx;$(id)|y=\`id\``,
        'signature-annotations': `note=${nasty}\nk;|\`=$(touch ${pwned})`,
      },
      env: { PATH: `${buildah.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}` },
    });
    expect({ exitCode: result.exitCode, error: failureOf(result) }).toEqual({ exitCode: 0, error: '' });
    expect(existsSync(pwned)).toBe(false);

    // buildah got every value as one argument, byte for byte.
    const build = buildah.calls().find((argv) => argv[0] === 'build');
    expect(build).toBeDefined();
    const argv = build ?? [];
    expect(flagValues(argv, '--build-arg')).toEqual(buildArgs);
    expect(flagValues(argv, '--label')).toEqual(
      expect.arrayContaining([`org.example.label=${nasty}`, 'x;$(id)|y=`id`']),
    );
    expect(argv.at(-1)).toBe(join(ws, contextName));
    // buildah reads `--file` as a CSV record: the path with a comma, a quote and a newline is quoted.
    const file = flagValues(argv, '--file')[0] ?? '';
    expect([file.at(0), file.at(-1)]).toEqual(['"', '"']);
    expect(file.slice(1, -1).replace(/""/g, '"').endsWith(`/${dockerfileName}.pinned`)).toBe(true);

    // The image carries the literal values (the Dockerfile's own expansion, not a shell's).
    const config = (await imageConfig(world.registry, repo, result.outputs.digest ?? '')) as {
      config: { Labels: Record<string, string> };
    };
    expect(config.config.Labels).toMatchObject({
      'org.example.greeting': `$(touch ${pwned})`,
      'org.example.nasty': nasty,
      'org.example.label': nasty,
      'x;$(id)|y': '`id`',
    });

    // cosign sign got each annotation as one argv string. pflag reads `--annotations` as a CSV record,
    // so the value holding a quote travels CSV-quoted; cosign recorded the literal text.
    const signs = cosignCalls('sign');
    expect(signs).toHaveLength(1);
    const annotations = flagValues(signs[0]?.argv ?? [], '--annotations');
    expect(annotations).toEqual(
      expect.arrayContaining([`"note=${nasty.replace(/"/g, '""')}"`, `k;|\`=$(touch ${pwned})`]),
    );
    const recorded = world.standins.signatures().find((s) => s.kind === 'signature' && s.name.endsWith(repo));
    expect(recorded?.annotations).toMatchObject({ note: nasty, 'k;|`': `$(touch ${pwned})` });
    expect(existsSync(pwned)).toBe(false);
  }, 120_000);

  it('shell syntax in inputs that name images, tags, platforms, versions and URLs is rejected, input by input', async () => {
    const pwned = join(world.dir, `pwned-${Date.now()}`);
    const { repo, image } = target('rejected');
    const result = await world.run({
      inputs: {
        image: `${image};touch ${pwned}`,
        tags: `v1$(touch ${pwned})\n${image}:v2|id`,
        platforms: `linux/amd64;touch ${pwned}`,
        'cosign-version': `v3.0.6$(touch ${pwned})`,
        'scanner-version': '0.74.0`id`',
        'tool-mirror': `$(touch ${pwned})`,
        'stage-timeout': `10s;touch ${pwned}`,
        digest: `sha256:$(touch ${pwned})`,
        // A stage name is a word: shell syntax or a line break cannot name one.
        target: `build;touch ${pwned}\n$(touch ${pwned})`,
        // A user name and a token are one word each; a line break inside glues two values together.
        'registry-username': `pusher\n$(touch ${pwned})`,
        'registry-password': 'not-used',
        'github-token': `ghs_first\nghs_$(touch ${pwned})`,
        // Every choice and switch: an allowed word or an error, never passed on.
        push: `true;touch ${pwned}`,
        build: `$(touch ${pwned})`,
        builder: `buildah|touch ${pwned}`,
        'verify-base-images': `enforce\n$(touch ${pwned})`,
        'pin-base-images': `true\`touch ${pwned}\``,
        'digest-pinning': `warn;touch ${pwned}`,
        scanner: `trivy$(touch ${pwned})`,
        'fail-on-severity': `high&touch ${pwned}`,
        'ignore-unfixed': `true\ntrue`,
        sign: `true|touch ${pwned}`,
        attest: `sbom,$(touch ${pwned})`,
        summary: `true;touch ${pwned}`,
        annotate: `$(touch ${pwned})`,
        'pr-comment': `false\`touch ${pwned}\``,
      },
    });
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    const named = [
      'image',
      'tags',
      'platforms',
      'cosign-version',
      'scanner-version',
      'tool-mirror',
      'stage-timeout',
      'digest',
      'target',
      'registry-username',
      'github-token',
      'push',
      'build',
      'builder',
      'verify-base-images',
      'pin-base-images',
      'digest-pinning',
      'scanner',
      'fail-on-severity',
      'ignore-unfixed',
      'sign',
      'attest',
      'summary',
      'annotate',
      'pr-comment',
    ];
    expect(named.filter((input) => !errors.some((e) => e.includes(`Input \`${input}\``)))).toEqual([]);
    // Neither secret is quoted back.
    expect(errors.join('\n')).not.toMatch(/ghs_first|ghs_\$/);
    expect(existsSync(pwned)).toBe(false);
    expect(world.standins.calls('cosign')).toEqual([]);
    expect(world.standins.calls('trivy')).toEqual([]);
    await expectNothingPushedOrSigned(result, repo);
  });
});

describe('shell syntax in the files, tools and credentials the inputs name', () => {
  it('ignore-file, vex, cosign-path and scanner-path: paths with shell syntax and line breaks are the files they name', async () => {
    const marker = `PWNED-files-${repos}`;
    const ws = world.workspace();
    // trivy's report has CVE-2019-1549 and CVE-2019-1551, each in two packages, all medium: the gate at
    // `medium` passes only when the ignore file takes the one and the VEX document the other.
    const ignoreName = `ignore ${shellBait(marker)}\n.trivyignore`;
    writeFileSync(join(ws, 'app', ignoreName), 'CVE-2019-1549\n');
    // A VEX list is one path a line, so a line break cannot be inside one.
    const vexName = `vex ${shellBait(marker)}.json`;
    writeFileSync(
      join(ws, 'app', vexName),
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        '@id': 'https://example.com/vex/hostile',
        author: 'hostile test',
        timestamp: '2024-01-01T00:00:00Z',
        version: 1,
        statements: [
          {
            vulnerability: { name: 'CVE-2019-1551' },
            status: 'not_affected',
            justification: 'vulnerable_code_not_present',
          },
        ],
      }),
    );
    const cosign = standinAt(world.standins.cosign, marker);
    const trivy = standinAt(world.standins.trivy, marker);
    const { repo, image } = target('files');
    const result = await world.run({
      workspace: ws,
      inputs: {
        image,
        tags: 'v1',
        'fail-on-severity': 'medium',
        'ignore-file': `app/${ignoreName}`,
        vex: `app/${vexName}`,
        'cosign-path': cosign,
        'scanner-path': trivy,
      },
    });
    expect({ exitCode: result.exitCode, error: failureOf(result) }).toEqual({ exitCode: 0, error: '' });
    const expected = expectedGate(rawFindings('trivy', 'alpine-310.json.golden'), {
      failOn: 'medium',
      ignoreUnfixed: true,
      ignoredIds: ['CVE-2019-1549', 'CVE-2019-1551'],
    });
    expect(expected.counts.ignored).toBe(4);
    expect(result.outputs.vulnerabilities).toBe(expected.json);
    expect(result.outputs['scan-passed']).toBe('true');
    // Only the copies were given, so every call was theirs; both report as the user's own binaries.
    expect(world.standins.calls('trivy').some((c) => c.command === 'image')).toBe(true);
    expect(cosignCalls('sign')).toHaveLength(1);
    expect(stageRow(result.summary, 'Tools')?.detail).toMatch(
      /provided, not verified.*provided, not verified/,
    );
    expect(result.outputs.signed).toBe('true');
    expect((await world.registry.manifest(repo, 'v1'))?.digest).toBe(result.outputs.digest);
    ranNowhere(marker, result);
  }, 120_000);

  it('registry-username, registry-password and a KMS cosign-key with shell syntax reach the registry and cosign as written', async () => {
    const marker = `PWNED-credentials-${repos}`;
    // htpasswd holds one `user:hash` a line, so the user name has no `:`, and no white space either (the
    // action refuses it in a user name); the password may hold all of them.
    const username = `pusher${shellBait(marker).replace(/ /g, '')}`;
    const password = `pw${shellBait(marker)}\n:second line ${randomBytes(4).toString('hex')}`;
    const kms = `gcpkms://projects/acme/locations/global/keyRings/r${shellBait(marker)}\n/cryptoKeys/k/cryptoKeyVersions/1`;
    const secured = await startRegistry({ auth: { username, password } });
    try {
      const repo = `hostile/credentials-${++repos}`;
      const result = await world.run({
        inputs: {
          image: `${secured.host}/${repo}`,
          tags: 'v1',
          'registry-username': username,
          'registry-password': password,
          'cosign-key': kms,
        },
      });
      expect({ exitCode: result.exitCode, error: failureOf(result) }).toEqual({ exitCode: 0, error: '' });
      // The registry let the push in, so it got the user name and password byte for byte.
      expect((await secured.manifest(repo, 'v1'))?.digest).toBe(result.outputs.digest);
      const signs = cosignCalls('sign');
      expect(signs.map((c) => flagValues(c.argv, '--key'))).toEqual([[kms]]);
      expect(
        world.standins
          .signatures()
          .filter((sig) => sig.name.endsWith(repo))
          .map((sig) => [sig.kind, sig.uri]),
      ).toEqual([
        ['signature', kms],
        ['attestation', kms],
        ['attestation', kms],
        ['attestation', kms],
      ]);
      // The password went through files and the environment, never a command line.
      const argvs = (['cosign', 'trivy'] as const).flatMap((t) => world.standins.calls(t).map((c) => c.argv));
      expect(argvs.filter((argv) => argv.some((a) => a.includes(password)))).toEqual([]);
      ranNowhere(marker, result);
    } finally {
      await secured.stop();
    }
  }, 120_000);

  it('cosign-password with shell syntax and a line break opens the key it belongs to, through the environment', async () => {
    const marker = `PWNED-password-${repos}`;
    const password = `pa${shellBait(marker)}\nsecond line`;
    const keyDir = join(world.dir, `keys-${++repos}`);
    mkdirSync(keyDir, { recursive: true });
    const made = await execStandin(world.standins.cosign, ['generate-key-pair'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: keyDir, COSIGN_PASSWORD: password },
      cwd: keyDir,
      timeoutMs: 30_000,
    });
    expect(made.exitCode).toBe(0);
    const { repo, image } = target('password');
    const result = await world.run({
      inputs: {
        image,
        tags: 'v1',
        'cosign-key': readFileSync(join(keyDir, 'cosign.key'), 'utf8'),
        'cosign-password': password,
      },
    });
    // The stand-in decrypts the key with what it got: anything but the literal password fails signing.
    expect({ exitCode: result.exitCode, error: failureOf(result) }).toEqual({ exitCode: 0, error: '' });
    expect(result.outputs.signed).toBe('true');
    const signs = cosignCalls('sign');
    expect(signs).toHaveLength(1);
    expect(signs[0]?.argv.some((a) => a.includes('second line'))).toBe(false);
    // The signature, the SBOM and vuln attestations, and the SLSA provenance (on by default).
    expect(world.standins.signatures().filter((sig) => sig.name.endsWith(repo))).toHaveLength(4);
    ranNowhere(marker, result);
  }, 120_000);

  it('github-token with shell syntax is the token GitHub gets for the pull-request comment', async () => {
    const marker = `PWNED-token-${repos}`;
    const token = `ghs_${randomBytes(8).toString('hex')}${shellBait(marker).replace(/ /g, '')}`;
    const api = await startGithubApi({ token });
    try {
      const result = await world.run({
        event: 'pull_request',
        pullRequest: { number: 21 },
        apiUrl: api.url,
        githubToken: token,
        inputs: { image: target('token').image, push: 'false', 'pr-comment': 'true' },
      });
      expect({ exitCode: result.exitCode, error: failureOf(result) }).toEqual({ exitCode: 0, error: '' });
      expect(api.comments('acme', 'hello', 21)).toHaveLength(1);
      expect(api.requests().length).toBeGreaterThan(0);
      expect(api.requests().filter((r) => r.token !== token)).toEqual([]);
      ranNowhere(marker, result);
    } finally {
      await api.stop();
    }
  }, 120_000);
});

// `new URL()` drops tabs and newlines: unless they are refused first, a tool-mirror of two lines is read
// as one URL made of both, and downloads go to a path nobody wrote.
it('a tool-mirror holding a newline is refused, not glued into one URL', async () => {
  const { repo, image } = target('mirror-newline');
  const result = await world.run({
    inputs: { image, 'tool-mirror': 'http://127.0.0.1:1/mirror\nhttp://127.0.0.1:2/other' },
  });
  expectFailure(result, /Input `tool-mirror`/);
  await expectNothingPushedOrSigned(result, repo);
});

describe('oversized and pathological Dockerfiles', () => {
  it('a Dockerfile of 10 MB is refused before anything runs, with its name, its size and the limit', async () => {
    const head = [
      'ARG REGISTRY',
      'FROM ${REGISTRY}/secure-image/busybox:stable',
      'LABEL org.example.size="10MB"',
      '',
    ].join('\n');
    const line = `# ${'padding '.repeat(12)}\n`;
    const body = line.repeat(Math.ceil((10 * 1024 * 1024) / line.length));
    const ws = workspaceWith(head + body + 'USER 65532\n');
    const { repo, image } = target('big-dockerfile');
    const result = await world.run({ workspace: ws, inputs: { image, tags: 'v1' } });
    expectFailure(
      result,
      /^app\/Dockerfile is 10\.0 MiB \(\d+ bytes\); a Dockerfile may be at most 2 MiB, as docker buildx allows\. Move generated content/,
    );
    // Refused with the inputs: no tool was asked anything, not even its version.
    expect(world.standins.calls('cosign')).toEqual([]);
    expect(world.standins.calls('trivy')).toEqual([]);
    await expectNothingPushedOrSigned(result, repo);
  });

  it('a FROM with 10,000 ARG expansions is refused on its line, before any image is checked', async () => {
    // Short names keep the line under the 64 KiB BuildKit allows (the next test goes over).
    const letter = (n: number): string => String.fromCharCode(97 + (n % 26));
    const names = Array.from({ length: 10_000 }, (_, i) => letter(i / 676) + letter(i / 26) + letter(i));
    const args = names.map((n) => `ARG ${n}=`);
    const from = `FROM \${REGISTRY}/secure-image/busybox${names.map((n) => `\${${n}}`).join('')}:stable`;
    expect(from.length).toBeGreaterThan(60_000);
    expect(from.length).toBeLessThan(65_535);
    const ws = workspaceWith(['ARG REGISTRY', ...args, from, 'USER 65532', ''].join('\n'));
    const { repo, image } = target('many-args');
    const result = await world.run({ workspace: ws, inputs: { image, tags: 'v1' } });
    expectFailure(
      result,
      /^app\/Dockerfile:10002: FROM .*: it has more than 1000 variable expansions; write the value into one ARG \(or a build-arg\)/,
    );
    expect(result.summary).toMatch(/\*\*Failed\*\* at Base images/);
    expect(cosignCalls('verify')).toEqual([]);
    await expectNothingPushedOrSigned(result, repo);
  });

  it('a FROM line over 64 KiB is refused with its line, as BuildKit refuses it', async () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `LONG_ARGUMENT_${i}`);
    const from = `FROM \${REGISTRY}/secure-image/busybox${names.map((n) => `\${${n}}`).join('')}:stable`;
    const ws = workspaceWith(['ARG REGISTRY', ...names.map((n) => `ARG ${n}=`), from, ''].join('\n'));
    const { repo, image } = target('long-line');
    const result = await world.run({ workspace: ws, inputs: { image } });
    expectFailure(result, /^app\/Dockerfile:10002: line 10002 is longer than 65535 bytes/);
    expect(cosignCalls('verify')).toEqual([]);
    await expectNothingPushedOrSigned(result, repo);
  });

  it('ARGs that double at every step (a billion laughs in ARG form) fail clearly instead of exhausting memory', async () => {
    const chain = ['ARG L0=lol'];
    for (let i = 1; i <= 40; i++) chain.push(`ARG L${i}=\${L${i - 1}}\${L${i - 1}}`);
    const ws = workspaceWith(
      ['ARG REGISTRY', ...chain, 'FROM ${REGISTRY}/secure-image/busybox:${L40}', ''].join('\n'),
    );
    const { repo, image } = target('arg-bomb');
    const result = await world.run({ workspace: ws, inputs: { image }, timeoutMs: 100_000 });
    expectFailure(result, /^app\/Dockerfile:\d+: ARG L\d+: .*expansions add more than \d+ characters/);
    expect(result.summary).toMatch(/\*\*Failed\*\* at Base images/);
    expect(visibleStdout(result) + result.stderr).not.toMatch(
      /heap out of memory|Invalid string length|RangeError/,
    );
    await expectNothingPushedOrSigned(result, repo);
  }, 120_000);
});

describe('pathological trust policies', () => {
  it('a YAML alias bomb is refused with the file and line, before any tool runs', async () => {
    const bomb = ['unmatched: deny', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      bomb.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    bomb.push('rules: []');
    const ws = world.workspace(bomb.join('\n') + '\n');
    const { repo, image } = target('yaml-bomb');
    const result = await world.run({ workspace: ws, inputs: { image } });
    expectFailure(result, /app\/secure-image\.yml:\d+: .*more than \d+ YAML aliases/);
    // No image was checked against it (cosign only answered `version` while being installed).
    expect(world.standins.calls('cosign').map((c) => c.command)).not.toContain('verify');
    await expectNothingPushedOrSigned(result, repo);
  });

  it('a catastrophic identity-regexp does not hang: cosign gets it as one argv string, and its answer is reported as it is', async () => {
    const policy = [
      'unmatched: deny',
      'rules:',
      '  - name: redos',
      '    images: ["127.0.0.1:*/secure-image/*"]',
      '    keyless:',
      '      issuer: https://token.actions.githubusercontent.com',
      '      identity-regexp: ^(a+)+$',
      '',
    ].join('\n');
    // The identity a backtracking engine cannot finish against ^(a+)+$: 2^40 ways to split the `a`s.
    const subject = 'a'.repeat(40) + '!';
    // cosign answers as the real one does, having matched with RE2 in microseconds. (The stand-in's own
    // matching is JavaScript's and would hang on this subject, so the answer is given to it.)
    const scenario = world.signedBase();
    const why = `no matching signatures: none of the expected identities matched what was in the certificate, got subjects [${subject}] with issuer ${GITHUB_ISSUER}`;
    (scenario.cosign as NonNullable<Scenario['cosign']>).rules = [
      {
        command: 'verify',
        exitCode: 12,
        stderr: `Error: ${why}\nmain.go:74: error during command execution: ${why}\n`,
      },
    ];
    const { repo, image } = target('redos');
    const result = await world.run({ workspace: world.workspace(policy), inputs: { image }, scenario });
    const verifies = cosignCalls('verify');
    expect(verifies.length).toBeGreaterThan(0);
    for (const call of verifies)
      expect(flagValues(call.argv, '--certificate-identity-regexp')).toEqual(['^(a+)+$']);
    // enforce stops the run before the build, with cosign's reason and the subject it saw.
    expectFailure(
      result,
      /base images do not meet the trust policy/,
      new RegExp(`none of the expected identities matched .*got subjects \\[${subject}\\]`),
    );
    const entries = JSON.parse(result.outputs['base-images'] ?? '[]') as Array<Record<string, unknown>>;
    expect(entries.map((e) => e.status)).toEqual(expect.arrayContaining(['failed']));
    await expectNothingPushedOrSigned(result, repo);
  });
});

describe('pathological ignore files', () => {
  /** A trivy report of one finding in a package whose name and path are made to be hard to match. */
  function trivyReportWith(name: string, path: string): string {
    const file = join(world.dir, `redos-report-${++repos}.json`);
    const report = JSON.parse(readFileSync(fixturePath('trivy', 'alpine-310.json.golden'), 'utf8')) as {
      Results: Array<{ Vulnerabilities?: Array<Record<string, unknown>> }>;
    };
    const first = report.Results[0]?.Vulnerabilities?.[0] ?? {};
    for (const result of report.Results) result.Vulnerabilities = [];
    (report.Results[0] as { Vulnerabilities: unknown[] }).Vulnerabilities = [
      {
        ...first,
        VulnerabilityID: 'CVE-2099-0001',
        PkgName: name,
        PkgPath: path,
        Severity: 'HIGH',
        FixedVersion: '9.9.9',
      },
    ];
    writeFileSync(file, JSON.stringify(report));
    return file;
  }

  it('a .trivyignore.yaml path glob that backtracks for minutes in a RegExp is matched at once', async () => {
    const ws = world.workspace();
    // `*a` twelve times, then `*c`, against a path of 60 `a`s: C(60,12) ways to place the stars (a backtracking
    // RegExp would run for hours; the harness ends a run after 110 s).
    writeFileSync(
      join(ws, 'app', '.trivyignore.yaml'),
      `vulnerabilities:\n  - id: CVE-2099-0001\n    paths: ["${'*a'.repeat(12)}*c"]\n`,
    );
    const scenario: Scenario = {
      ...world.signedBase(),
      trivy: { rules: [{ command: 'image', report: trivyReportWith('pkg', 'a'.repeat(60)) }] },
    };
    const { repo, image } = target('glob-redos');
    const result = await world.run({ workspace: ws, inputs: { image, tags: 'v1' }, scenario });
    // The glob does not match (no `c`), so the high finding counts and the gate fails: nothing is signed.
    expectFailure(result, /CVE-2099-0001/);
    expect(JSON.parse(result.outputs.vulnerabilities ?? '{}')).toMatchObject({ high: 1, ignored: 0 });
    expect(result.outputs['scan-passed']).toBe('false');
    expect(cosignCalls('sign')).toEqual([]);
    expect(world.standins.signatures().filter((sig) => sig.name.endsWith(repo))).toEqual([]);
  }, 120_000);

  it('a grype package name that backtracks for minutes in a RegExp is matched at once, as grype (RE2) matches it', async () => {
    const ws = world.workspace();
    writeFileSync(join(ws, 'app', '.grype.yaml'), 'ignore:\n  - package:\n      name: "(a+)+b"\n');
    const report = join(world.dir, `redos-grype-${++repos}.json`);
    const grype = JSON.parse(readFileSync(fixturePath('grype', 'chainguard-ruby-test.json'), 'utf8')) as {
      matches: Array<{ vulnerability: { id: string }; artifact: { name: string; version: string } }>;
    };
    // Every other package is renamed to 40 `a`s, on which (a+)+b fails after 2^40 tries in a RegExp (days; the
    // harness ends a run after 110 s); the rest to 39 `a`s and a `b`, which it matches.
    grype.matches.forEach((match, i) => {
      match.artifact.name = i % 2 === 0 ? 'a'.repeat(40) : `${'a'.repeat(39)}b`;
    });
    const ignorable = new Set(
      grype.matches
        .filter((m) => m.artifact.name.endsWith('b'))
        .map((m) => JSON.stringify([m.vulnerability.id, m.artifact.name, m.artifact.version])),
    );
    writeFileSync(report, JSON.stringify(grype));
    const scenario: Scenario = { ...world.signedBase(), grype: { rules: [{ report }] } };
    const { image } = target('name-redos');
    const result = await world.run({
      workspace: ws,
      inputs: {
        image,
        tags: 'v1',
        scanner: 'grype',
        'scanner-path': world.standins.grype,
        'fail-on-severity': 'never',
        'ignore-unfixed': 'false',
      },
      scenario,
    });
    expect({ exitCode: result.exitCode, error: failureOf(result) }).toEqual({ exitCode: 0, error: '' });
    // Ignored are exactly the findings of the packages whose names end in `b`.
    const counts = JSON.parse(result.outputs.vulnerabilities ?? '{}') as Record<string, number>;
    expect(ignorable.size).toBeGreaterThan(0);
    expect(counts.ignored).toBe(ignorable.size);
    expect(counts.total).toBeGreaterThan(ignorable.size);
    expect(result.outputs.signed).toBe('true');
  }, 120_000);
});

/**
 * A trivy JSON report of about `megabytes` MB: one OS result with low-severity, fixable findings
 * (the gate passes), each with a long description, as trivy writes them.
 */
async function writeBigTrivyReport(
  path: string,
  megabytes: number,
): Promise<{ findings: number; bytes: number }> {
  const out = createWriteStream(path);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let bytes = 0;
  const head =
    '{"SchemaVersion":2,"ArtifactName":"big","ArtifactType":"container_image",' +
    '"Metadata":{"OS":{"Family":"alpine","Name":"3.10.2"}},"Results":[{"Target":"big (alpine 3.10.2)",' +
    '"Class":"os-pkgs","Type":"alpine","Vulnerabilities":[';
  await write(head);
  bytes += head.length;
  const description = 'A long advisory text. '.repeat(90);
  let findings = 0;
  while (bytes < megabytes * 1024 * 1024) {
    const v = JSON.stringify({
      VulnerabilityID: `CVE-2099-${100000 + findings}`,
      PkgName: `pkg-${findings % 997}`,
      InstalledVersion: '1.0.0-r0',
      FixedVersion: '1.0.1-r0',
      Severity: 'LOW',
      Title: `stand-in finding ${findings}`,
      Description: description,
      PrimaryURL: `https://avd.aquasec.com/nvd/cve-2099-${100000 + findings}`,
    });
    const text = (findings === 0 ? '' : ',') + v;
    await write(text);
    bytes += text.length;
    findings += 1;
  }
  await write(']}]}\n');
  out.end();
  await once(out, 'close');
  return { findings, bytes: bytes + 5 };
}

describe('a scanner report of 200 MB', () => {
  // The report is accepted, not refused: it is what trivy writes for an image with tens of thousands of
  // findings (a large base with a long advisory text each), so a size limit would fail real images, and a
  // report the scanner wrote is not input a pull request chooses apart from the image itself. What must
  // hold is that it is read in bounded memory and time, and that what cannot be attested is skipped with
  // the reason. The report comes after the push, so the run is given an image already in the registry
  // (`build: false` with `digest`): the action pushes no image, only the signature of what passed.
  //
  // Measured here: the action peaks at about 590 MiB resident while it reads, gates and converts the report
  // (it reads the report a window at a time and parses one finding at a time; it was 1.7 GiB when it parsed
  // the report whole). GitHub's smallest Linux runner has 7 GiB; the bound leaves room for a loaded machine.
  it('is read and gated within bounded memory; no image is pushed; predicates too large to attest are skipped before signing, with the reason', async () => {
    const dir = join(world.dir, 'big-report');
    mkdirSync(dir, { recursive: true });
    const report = join(dir, 'trivy-200mb.json');
    const { findings } = await writeBigTrivyReport(report, 200);
    const probe = peakRssProbe(dir);
    const scenario: Scenario = { ...world.signedBase(), trivy: { rules: [{ command: 'image', report }] } };
    const { repo } = target('big-report');
    const given = await pushBaseImage(world.registry, repo, 'v1');
    const tagsBefore = await world.registry.tags(repo);
    const result = await world.run({
      inputs: { build: 'false', digest: `${world.registry.host}/${repo}@${given.digest}` },
      scenario,
      env: { NODE_OPTIONS: probe.nodeOptions },
    });
    const peakMiB = Math.round((probe.peakKiB() ?? Number.NaN) / 1024);
    expect({ exitCode: result.exitCode, error: failureOf(result) }).toEqual({ exitCode: 0, error: '' });
    expect(peakMiB).toBeLessThan(1024);
    expect(stageRow(result.summary, 'Build')?.result).toMatch(/skipped/);

    // The action pushed no image: the registry holds the tag it had, on the same digest, and a signature.
    expect(result.outputs.digest).toBe(given.digest);
    expect((await world.registry.manifest(repo, 'v1'))?.digest).toBe(given.digest);
    const added = (await world.registry.tags(repo)).filter((t) => !tagsBefore.includes(t));
    expect(added).toEqual([`${given.digest.replace(':', '-')}.sig`]);

    // Every finding was read and counted; none is high, so the gate passed.
    expect(JSON.parse(result.outputs.vulnerabilities ?? '{}')).toMatchObject({
      low: findings,
      total: findings,
    });
    expect(result.outputs['scan-passed']).toBe('true');

    // The signature is made; the two attestations, whose predicates hold every finding, are not.
    expect(result.outputs.signed).toBe('true');
    expect(cosignCalls('attest')).toEqual([]);
    const skipped = result.annotations.filter((a) => a.level === 'notice' && /^Attestation/.test(a.message));
    expect(skipped.map((a) => a.message)).toEqual([
      expect.stringMatching(
        /^Attestation sbom skipped: the CycloneDX SBOM .* is \d+(\.\d)? MiB, more than the 16 MiB an attestation carries/,
      ),
      expect.stringMatching(
        /^Attestation vuln skipped: the vulnerability predicate .* is \d+(\.\d)? MiB, more than the 16 MiB/,
      ),
    ]);
    expect(
      world.standins
        .signatures()
        .filter((s) => s.name.endsWith(repo))
        .map((s) => s.kind),
    ).toEqual(['signature']);
  }, 180_000);
});

describe('absurd references', () => {
  it('an image reference of 5,000 characters is refused with the limit, in image, tags and FROM', async () => {
    const long = `${world.registry.host}/hostile/${'a'.repeat(5_000)}`;
    const inputs = await world.run({ inputs: { image: long } });
    expectFailure(inputs, /Input `image`: .*it is 5\d{3} characters long; no valid reference exceeds 1024/);
    expectNoSignAttempt(inputs);
    const longTag = target('long-tag');
    const tags = await world.run({ inputs: { image: longTag.image, tags: `${long}:v1` } });
    expectFailure(tags, /Input `tags`: .*it is 5\d{3} characters long; no valid reference exceeds 1024/);
    await expectNothingPushedOrSigned(tags, longTag.repo);

    const { repo, image } = target('long-from');
    const ws = workspaceWith(`FROM ${long}:stable\nUSER 65532\n`);
    const from = await world.run({ workspace: ws, inputs: { image } });
    expectFailure(
      from,
      /^app\/Dockerfile:1: FROM .*it is 5\d{3} characters long; no valid reference exceeds 1024/,
    );
    expect(cosignCalls('verify')).toEqual([]);
    await expectNothingPushedOrSigned(from, repo);
    // Each message quotes the reference shortened, not all 5,000 characters of it.
    for (const r of [inputs, tags, from]) expect(failureOf(r).length).toBeLessThan(1_000);
  });

  it('a tag with upper case is a valid tag and is pushed as written; an upper-case repository is refused', async () => {
    const { repo, image } = target('upper');
    const result = await world.run({ inputs: { image, tags: 'Release-1.0_RC' } });
    expect({ exitCode: result.exitCode, error: failureOf(result) }).toEqual({ exitCode: 0, error: '' });
    expect(result.outputs.tags).toBe(`${image}:Release-1.0_RC`);
    expect((await world.registry.manifest(repo, 'Release-1.0_RC'))?.digest).toBe(result.outputs.digest);

    const upper = target('UPPER');
    const refused = await world.run({ inputs: { image: upper.image, tags: 'v1' } });
    expectFailure(refused, /Input `image`.*(upper|lower)/i);
    await expectNothingPushedOrSigned(refused, upper.repo);
    expect(await world.registry.tags(upper.repo.toLowerCase())).toEqual([]);

    // As docker/metadata-action writes tags: full references, here with the repository in upper case.
    const mixed = target('mixed');
    const upperRepo = `hostile/Mixed-${repos}`;
    const viaTags = await world.run({
      inputs: { image: mixed.image, tags: `v1\n${world.registry.host}/${upperRepo}:v2` },
    });
    expectFailure(
      viaTags,
      new RegExp(
        `^Input \`tags\`: .*repository name "${upperRepo}" must be lower case \\(write "${upperRepo.toLowerCase()}"\\)`,
      ),
    );
    await expectNothingPushedOrSigned(viaTags, mixed.repo);
    expect(await world.registry.tags(upperRepo.toLowerCase())).toEqual([]);
  });
});

describe('tools that misbehave', () => {
  it('a tool-mirror that redirects to another host is refused, the other host is never asked, and nothing is cached', async () => {
    const root = join(world.dir, 'mirror-root');
    const otherRoot = join(world.dir, 'other-root');
    const asset = '/sigstore/cosign/releases/download/v3.1.3/cosign-linux-amd64';
    for (const r of [root, otherRoot]) {
      mkdirSync(join(r, 'sigstore/cosign/releases/download/v3.1.3'), { recursive: true });
      writeFileSync(join(r, asset), 'not cosign\n');
    }
    const mirror = await startReleaseServer(root);
    const other = await startReleaseServer(otherRoot);
    try {
      mirror.fault(asset, { kind: 'redirect', to: `${other.url}${asset}` });
      const { repo, image } = target('redirect');
      const result = await world.run({ inputs: { image, 'cosign-path': '', 'tool-mirror': mirror.url } });
      expectFailure(
        result,
        new RegExp(`redirected ${mirror.url}${asset} to ${other.url}${asset}, on another host`),
        /`tool-mirror`/,
      );
      expect(mirror.requests().map((r) => [r.path, r.status])).toEqual([[asset, 302]]);
      expect(other.requests()).toEqual([]);
      const cached = readdirSync(result.toolCache, { recursive: true }).map(String);
      expect(cached.filter((p) => /cosign|trivy/.test(p))).toEqual([]);
      expect(stageRow(result.summary, 'Tools')?.result).toMatch(/failed/);
      await expectNothingPushedOrSigned(result, repo);
    } finally {
      await mirror.stop();
      await other.stop();
    }
  });

  it('a cosign that hangs is stopped by stage-timeout, and the error names the stage', async () => {
    const scenario = world.signedBase();
    (scenario.cosign as NonNullable<Scenario['cosign']>).rules = [{ command: 'verify', hang: true }];
    const { repo, image } = target('hang');
    const started = Date.now();
    const result = await world.run({ inputs: { image, 'stage-timeout': '3s' }, scenario });
    expect(Date.now() - started).toBeLessThan(20_000);
    expectFailure(
      result,
      /base images do not meet the trust policy/,
      /cosign verify did not finish within 3 s \(`stage-timeout`\) and was stopped/,
    );
    // Stopped once, not tried again: both FROM lines name one digest, verified once.
    const hung = cosignCalls('verify');
    expect(hung).toHaveLength(1);
    for (const call of hung) expect(isAlive(call.pid)).toBe(false);
    expect(result.summary).toMatch(/\*\*Failed\*\* at Base images/);
    await expectNothingPushedOrSigned(result, repo);
  });

  it('a cosign that hangs while signing is stopped too, and nothing is reported signed', async () => {
    const scenario = world.signedBase();
    (scenario.cosign as NonNullable<Scenario['cosign']>).rules = [{ command: 'sign', hang: true }];
    const { repo, image } = target('hang-sign');
    const started = Date.now();
    const result = await world.run({ inputs: { image, tags: 'v1', 'stage-timeout': '3s' }, scenario });
    expect(Date.now() - started).toBeLessThan(25_000);
    expectFailure(
      result,
      /^Signing .* failed.*: did not finish within 3 s \(`stage-timeout`\) and was stopped/,
    );
    const hung = cosignCalls('sign');
    expect(hung).toHaveLength(1);
    for (const call of hung) expect(isAlive(call.pid)).toBe(false);
    expect(result.outputs.signed).toBe('false');
    expect(result.summary).toMatch(/\*\*Failed\*\* at Sign/);
    expect(world.standins.signatures().filter((s) => s.name.endsWith(repo))).toEqual([]);
  });
});
