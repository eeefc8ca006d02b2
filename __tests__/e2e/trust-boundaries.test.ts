// Where one party's input could pass as another's, through dist/index.js: a trust policy with one key per team (each
// image checked against its own team's key); workflow commands written by the repository (a RUN step, an ignore file, a
// build-arg) or by a tool, which the runner must never read as the action's own; the frontend image a BUILDKIT_SYNTAX
// build-arg names, checked and pinned like any base image; and a loopback registry, which must not turn TLS off for
// the other registries of the build.
import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pushBaseImage } from '../harness/registry.js';
import { flagValues, loggingBuildah } from './adversity.js';
import type { RunResult } from '../harness/runner.js';
import type { Scenario } from '../harness/standins.js';
import { readAsRunner, workflowCommands } from '../harness/workflow-commands.js';
import {
  BASE_IDENTITY,
  GITHUB_ISSUER,
  baseImagesOf,
  explain,
  useOfflineWorld,
  type OfflineWorld,
} from './offline-world.js';

let world: OfflineWorld;
useOfflineWorld((started) => (world = started));

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

/**
 * The commands the runner reads in stdout that the hostile text forged: each forged payload starts with FORGED, or sets
 * an output, or masks. The action's own annotations may quote that text inside their message, escaped.
 */
function forgedCommands(result: RunResult): unknown[] {
  return workflowCommands(result.stdout).filter(
    (c) =>
      c.data.startsWith('FORGED') ||
      ['set-output', 'set-env', 'add-path', 'save-state'].includes(c.command) ||
      (c.command === 'add-mask' && c.data.includes('FORGED')),
  );
}

function expectFencesUnguessable(result: RunResult): void {
  const tokens = readAsRunner(result.stdout).fences;
  expect(tokens.length).toBeGreaterThan(0);
  for (const token of tokens) expect(token).toMatch(/^[0-9a-f]{32}$/);
  expect(new Set(tokens).size).toBe(tokens.length);
}

describe('workflow commands the action did not write never reach the runner', () => {
  const forgedRun = [
    "RUN echo '::set-output name=digest::sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee' \\",
    "  && echo '::error file=app/Dockerfile,line=1::FORGED builder error' \\",
    "  && printf 'progress 50%%\\r::add-mask::FORGED-mask\\n' \\",
    "  && echo 'text ##[set-output name=signed;]FORGED-v1' \\",
    "  && echo '   ::warning::FORGED indented' \\",
    "  && echo '::stop-commands::forged-token' && echo '::error::FORGED after a forged stop' && echo '::forged-token::' \\",
    "  && echo '::error::FORGED on stderr' >&2 \\",
    '  && echo "$NASTY"',
  ];

  it('a RUN step, a build-arg and a .trivyignore.yaml id forging commands (with CR line breaks) stay plain text', async () => {
    const ws = world.workspace();
    writeFileSync(
      join(ws, 'app', 'Dockerfile'),
      ['ARG REGISTRY', 'FROM ${REGISTRY}/secure-image/busybox:stable', 'ARG NASTY', ...forgedRun, ''].join(
        '\n',
      ),
    );
    writeFileSync(
      join(ws, 'app', '.trivyignore.yaml'),
      'vulnerabilities:\n  - id: "CVE-2019-1549\\r::error::FORGED ignore id\\r##[add-mask]FORGED"\n    expired_at: 2020-01-31\n',
    );
    const result = await world.run({
      workspace: ws,
      inputs: {
        image: `${world.registry.host}/forged/app`,
        'build-args': `REGISTRY=${world.registry.host}\nNASTY=x\r::error::FORGED build-arg\r::add-mask::FORGED`,
        'fail-on-severity': 'critical',
      },
    });
    expect({ exitCode: result.exitCode, explain: result.exitCode === 0 ? '' : explain(result) }).toEqual({
      exitCode: 0,
      explain: '',
    });
    // The forged lines did reach the log, as text.
    expect(result.stdout).toContain('FORGED builder error');
    expect(result.stdout).toContain('FORGED on stderr');
    expect(result.stdout).toContain('FORGED ignore id');
    expect(forgedCommands(result)).toEqual([]);
    expect(result.outputs.digest).toMatch(/^sha256:(?!e{64})[0-9a-f]{64}$/);
    expect(result.masks.filter((m) => m.includes('FORGED'))).toEqual([]);
    expectFencesUnguessable(result);
  });

  it('a failing tool’s output (cosign, the scanner) forging commands stays plain text', async () => {
    const forged = 'denied\r::error::FORGED cosign\n::add-mask::FORGED\r\n##[set-output name=signed;]FORGED';
    const cosignFails = await world.run({
      inputs: { image: `${world.registry.host}/forged/cosign`, 'verify-base-images': 'warn' },
      scenario: {
        cosign: {
          ...world.signedBase().cosign,
          rules: [{ command: 'verify', match: 'secure-image/busybox', exitCode: 1, stderr: forged }],
        },
      },
    });
    expect(cosignFails.stdout).toContain('FORGED cosign');
    expect(forgedCommands(cosignFails)).toEqual([]);

    const trivyFails = await world.run({
      inputs: { image: `${world.registry.host}/forged/trivy` },
      scenario: {
        ...world.signedBase(),
        trivy: { rules: [{ command: 'image', exitCode: 2, stderr: forged.replace(/cosign/g, 'trivy') }] },
      },
    });
    expect(trivyFails.exitCode).toBe(1);
    expect(trivyFails.stdout).toContain('FORGED trivy');
    expect(forgedCommands(trivyFails)).toEqual([]);
  });
  it.each([
    [
      'a Dockerfile name',
      'Dockerfile\r::error::FORGED file name\r::add-mask::FORGED',
      'ARG REGISTRY\nFROM ${REGISTRY}/secure-image/busybox:stable\nRUN true\n',
    ],
    [
      'a stage name',
      'Dockerfile',
      'ARG REGISTRY\nFROM ${REGISTRY}/secure-image/busybox:stable AS ::error::FORGED-stage\nRUN true\n',
    ],
    ['an image reference', 'Dockerfile', 'FROM ::error::FORGED-reference\n'],
  ])('%s forging commands stays plain text, in a run that passes or fails', async (_, name, text) => {
    const ws = world.workspace();
    writeFileSync(join(ws, 'app', name), text);
    const result = await world.run({
      workspace: ws,
      inputs: { image: `${world.registry.host}/forged/names`, file: `app/${name}` },
    });
    // The text did reach the log, as text (an annotation's message, a log line or the builder's output).
    expect(result.stdout).toContain('FORGED');
    expect(forgedCommands(result)).toEqual([]);
    expect(result.masks.filter((m) => m.includes('FORGED'))).toEqual([]);
  });
});

describe('the BUILDKIT_SYNTAX build-arg', () => {
  it('names a frontend image that is checked against the policy, pinned in the build-arg the builder gets, and reported', async () => {
    const frontend = await pushBaseImage(world.registry, 'secure-image/dockerfile', '1');
    const ref = `${world.registry.host}/secure-image/dockerfile:1`;
    const buildah = loggingBuildah(join(world.dir, 'buildah-syntax'));
    const signed = world.signedBase();
    const result = await world.run({
      inputs: {
        image: `${world.registry.host}/syntax/app`,
        'build-args': `REGISTRY=${world.registry.host}\nBUILDKIT_SYNTAX=${ref}`,
      },
      scenario: {
        cosign: {
          ...signed.cosign,
          signedImages: [
            ...(signed.cosign?.signedImages ?? []),
            {
              image: `${world.registry.host}/secure-image/dockerfile`,
              digest: frontend.digest,
              identity: BASE_IDENTITY,
              issuer: GITHUB_ISSUER,
            },
          ],
        },
      },
      env: { PATH: `${buildah.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}` },
    });
    expect({ exitCode: result.exitCode, explain: result.exitCode === 0 ? '' : explain(result) }).toEqual({
      exitCode: 0,
      explain: '',
    });
    expect(baseImagesOf(result)[0]).toEqual({
      kind: 'syntax',
      stage: null,
      line: 0,
      ref,
      image: ref,
      digest: frontend.digest,
      pinned: false,
      status: 'verified',
      rule: 'offline base',
      signer: { identity: BASE_IDENTITY, issuer: GITHUB_ISSUER },
      reason: null,
    });
    const build = buildah.calls().find((argv) => argv[0] === 'build') ?? [];
    expect(flagValues(build, '--build-arg')).toEqual([
      `REGISTRY=${world.registry.host}`,
      `BUILDKIT_SYNTAX=${ref}@${frontend.digest}`,
    ]);
  });

  it('naming an unsigned frontend image fails the run before the build, naming the build-arg', async () => {
    await pushBaseImage(world.registry, 'secure-image/unsigned-frontend', '1');
    const ref = `${world.registry.host}/secure-image/unsigned-frontend:1`;
    const result = await world.run({
      inputs: {
        image: `${world.registry.host}/syntax/unsigned`,
        'build-args': `REGISTRY=${world.registry.host}\nBUILDKIT_SYNTAX=${ref}`,
      },
    });
    expect(result.exitCode).toBe(1);
    expect(baseImagesOf(result)[0]).toMatchObject({ kind: 'syntax', ref, status: 'failed' });
    expect(result.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/build-arg BUILDKIT_SYNTAX.*unsigned-frontend/)]),
    );
    expect(await world.registry.tags('syntax/unsigned')).toEqual([]);
  });
});

describe('a build from a loopback registry', () => {
  it('reaches that registry over plain HTTP through registries.conf, and keeps TLS verification on for every other', async () => {
    const buildah = loggingBuildah(join(world.dir, 'buildah-tls'));
    const result = await world.run({
      inputs: { image: `${world.registry.host}/tls/app` },
      env: { PATH: `${buildah.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}` },
    });
    expect({ exitCode: result.exitCode, explain: result.exitCode === 0 ? '' : explain(result) }).toEqual({
      exitCode: 0,
      explain: '',
    });
    const calls = buildah.calls();
    const build = calls.findIndex((argv) => argv[0] === 'build');
    expect(build).toBeGreaterThanOrEqual(0);
    expect(calls[build]?.some((a) => a.startsWith('--tls-verify'))).toBe(false);
    const conf = buildah.registriesConfs()[build] ?? '';
    const insecure = [...conf.matchAll(/location = "([^"]*)"\ninsecure = true/g)].map((m) => m[1]);
    expect(insecure).toEqual([world.registry.host]);
    expect(conf.match(/^\s*insecure\s*=\s*true/gm)).toHaveLength(1);
  });
});
