// The base-image gate through dist/index.js: a real registry, real buildah builds, the stand-in cosign.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BASE_IDENTITY,
  BASE_REPO,
  GITHUB_ISSUER,
  baseImagesOf,
  imageConfig,
  startOfflineWorld,
  type OfflineWorld,
} from './offline-world.js';

// jest 29's each() wants mutable rows; this keeps the literal types of an `as const` table.
const rows = <T extends readonly unknown[]>(table: readonly T[]): Array<[...T]> =>
  table.map((r) => [...r] as [...T]);

let world: OfflineWorld;

/** cosign verify calls for the base image (the action also verifies its own signature after signing). */
const isBaseVerify = (c: { argv: string[] }): boolean =>
  c.argv[0] === 'verify' && (c.argv.at(-1) ?? '').includes(BASE_REPO);

beforeAll(async () => {
  world = await startOfflineWorld();
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

const FROM_LINES = [6, 11];

describe('base images: enforce (the default)', () => {
  it('verifies every base image by digest, builds from the pinned digests and pushes', async () => {
    const image = `${world.registry.host}/acme/app`;
    const result = await world.run({ inputs: { image, tags: '1.0.0', labels: 'org.example.team=platform' } });
    expect(result.exitCode).toBe(0);

    const entries = baseImagesOf(result);
    expect(entries).toEqual(
      FROM_LINES.map((line, i) => ({
        kind: 'from',
        stage: i === 0 ? 'build' : '1',
        line,
        ref: '${BASE}',
        image: `${world.registry.host}/${BASE_REPO}:stable`,
        digest: world.base.digest,
        pinned: false,
        status: 'verified',
        rule: 'offline base',
        // The identity on the base image's certificate, as cosign printed it (the rule only says ^…@refs/tags/v).
        signer: { identity: BASE_IDENTITY, issuer: GITHUB_ISSUER },
        reason: null,
      })),
    );

    // One verification for the one distinct image, by digest, with the rule's identity flags.
    const verifies = world.standins.calls('cosign').filter(isBaseVerify);
    expect(verifies).toHaveLength(1);
    expect(verifies[0]?.argv).toEqual([
      'verify',
      '--certificate-identity-regexp',
      '^https://github\\.com/acme/base/\\.github/workflows/release\\.yml@refs/tags/v',
      '--certificate-oidc-issuer',
      GITHUB_ISSUER,
      '--allow-http-registry',
      '--allow-insecure-registry',
      '--output',
      'json',
      `${world.registry.host}/${BASE_REPO}@${world.base.digest}`,
    ]);

    // What reached the registry: the tag points at the digest the action output, and the image was
    // built from the verified base digest (the pinned Dockerfile reached the builder).
    const pushed = await world.registry.manifest('acme/app', '1.0.0');
    expect(result.outputs.digest).toBe(pushed?.digest);
    expect(result.outputs['image-ref']).toBe(`${image}@${pushed?.digest}`);
    expect(result.outputs.tags).toBe(`${image}:1.0.0`);
    const config = (await imageConfig(world.registry, 'acme/app', result.outputs.digest ?? '')) as {
      config: { Labels: Record<string, string> };
    };
    expect(config.config.Labels).toEqual(
      expect.objectContaining({
        'org.opencontainers.image.base.name': `${world.registry.host}/${BASE_REPO}:stable`,
        'org.opencontainers.image.base.digest': world.base.digest,
        'org.opencontainers.image.source': 'https://github.com/acme/hello',
        'org.opencontainers.image.revision': '4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b',
        'org.opencontainers.image.created': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        'org.example.team': 'platform',
        'org.example.greeting': 'hello',
      }),
    );

    // The original Dockerfile is untouched; the builder got a pinned copy.
    const original = readFileSync(join(result.workspace, 'app', 'Dockerfile'), 'utf8');
    expect(original).toContain('ARG BASE=${REGISTRY}/secure-image/busybox:stable');
    const pinnedDir = readdirSync(result.runnerTemp).find((d) => d.startsWith('secure-image-'));
    const pinned = readFileSync(join(result.runnerTemp, pinnedDir ?? '', 'Dockerfile.pinned'), 'utf8');
    expect(pinned.split('\n')[5]).toBe(
      `FROM ${world.registry.host}/${BASE_REPO}:stable@${world.base.digest} AS build`,
    );
    expect(pinned.split('\n')[10]).toBe(
      `FROM ${world.registry.host}/${BASE_REPO}:stable@${world.base.digest}`,
    );

    // Both FROM lines use ARG BASE whole: one warning, on the ARG line, with that line pinned.
    const pinWarnings = result.annotations.filter((a) => a.title === 'Base image not pinned to a digest');
    expect(pinWarnings.map((a) => [a.level, a.file, a.line])).toEqual([['warning', 'app/Dockerfile', 4]]);
    expect(pinWarnings[0]?.message).toContain(
      `used by FROM on lines 6, 11) can change under you. Pin it on this line:\nARG BASE=\${REGISTRY}/secure-image/busybox:stable@${world.base.digest}\n`,
    );
    expect(result.summary).toContain('Base images');
    expect(result.summary).toContain('✅ verified');
    // The verdict line says why it warned; the Tools row agrees with the Tools table (stand-ins are provided).
    const verdict = result.summary.split('\n')[2] ?? '';
    expect(verdict).toMatch(
      /^\*\*Passed with warnings\*\*: 2 FROM lines not pinned; cosign provided, not verified; trivy provided, not verified\./,
    );
    expect(result.summary).toMatch(/\n\| Tools \| ⚠️ passed with warnings \|/);
    expect(result.summary).toContain('\nBuilt for `linux/amd64`.\n');
  });

  it('fails before the build when the base image is not signed, naming line, image, rule and reason', async () => {
    const image = `${world.registry.host}/acme/unsigned`;
    const result = await world.run({ inputs: { image }, scenario: { cosign: { signedImages: [] } } });
    expect(result.exitCode).toBe(1);
    const error = result.annotations.find((a) => a.level === 'error' && !a.file)?.message ?? '';
    expect(error).toMatch(/base images? do(es)? not meet the trust policy/);
    expect(error).toContain(
      `app/Dockerfile:6: ${world.registry.host}/${BASE_REPO}:stable (offline base): signature check failed`,
    );
    expect(error).toContain('app/Dockerfile:11:');
    expect(baseImagesOf(result).map((e) => e.status)).toEqual(['failed', 'failed']);
    const lineErrors = result.annotations.filter(
      (a) => a.level === 'error' && a.title === 'Base image not trusted',
    );
    expect(lineErrors.map((a) => a.line)).toEqual(FROM_LINES);
    // Nothing was built or pushed; the summary shows where it stopped.
    expect(await world.registry.tags('acme/unsigned')).toEqual([]);
    expect(result.outputs.digest).toBeUndefined();
    expect(result.summary).toMatch(/Failed\*\* at Base images/);
    expect(result.summary).toMatch(/\| Build \| ⏹️ not run \|/);
  });

  it("fails on an identity mismatch with cosign's reason and does not retry the no", async () => {
    const image = `${world.registry.host}/acme/mismatch`;
    const scenario = world.signedBase();
    const signed = scenario.cosign?.signedImages?.[0];
    if (signed)
      signed.identity = 'https://github.com/evil/base/.github/workflows/release.yml@refs/tags/v1.0.0';
    const result = await world.run({ inputs: { image }, scenario });
    expect(result.exitCode).toBe(1);
    expect(baseImagesOf(result)[0]?.reason).toMatch(/signature check failed: .*(identit|subject)/i);
    // The summary says it once, first, with the rule and the file to edit.
    const top = result.summary.slice(0, result.summary.indexOf('| Stage | Result |'));
    expect(top).toContain('**Failed** at Base images:');
    expect(top).toContain('edit rule offline base in `app/secure-image.yml`');
    // Who signed, and what the rule asks for instead: the two identities side by side.
    expect(top).toContain(
      'it is signed by `https://github.com/evil/base/.github/workflows/release.yml@refs/tags/v1.0.0`, and the rule asks for an identity matching `^https://github\\.com/acme/base/\\.github/workflows/release\\.yml@refs/tags/v` from issuer `https://token.actions.githubusercontent.com`;',
    );
    expect(top).toContain('- Lines [6](');
    expect(result.summary.split('signature check failed').length - 1).toBe(1);
    expect(world.standins.calls('cosign').filter(isBaseVerify)).toHaveLength(1);
    expect(await world.registry.tags('acme/mismatch')).toEqual([]);
  });

  it('retries a transient registry error during verification, then passes', async () => {
    const scenario = world.signedBase();
    scenario.cosign = {
      ...scenario.cosign,
      rules: [
        {
          command: 'verify',
          failFirst: 2,
          exitCode: 1,
          stderr: 'Error: GET https://registry/v2/: 503 Service Unavailable',
        },
      ],
    };
    const result = await world.run({ inputs: { image: `${world.registry.host}/acme/retry` }, scenario });
    expect(result.exitCode).toBe(0);
    expect(world.standins.calls('cosign').filter(isBaseVerify)).toHaveLength(3);
    expect(baseImagesOf(result)[0]?.status).toBe('verified');
  }, 60_000);
});

describe('a malformed trust policy', () => {
  it("is an error on the policy file's line and key, before any tool runs", async () => {
    const policy =
      'unmatched: deny\nrules:\n  - name: offline base\n    images: ["127.0.0.1:*/secure-image/*"]\n    keyless:\n      issuer: https://token.actions.githubusercontent.com\n      identiy: https://github.com/acme/base/.github/workflows/release.yml@refs/tags/v1\n';
    const result = await world.run({
      workspace: world.workspace(policy),
      inputs: { image: `${world.registry.host}/acme/badpolicy` },
    });
    expect(result.exitCode).toBe(1);
    const onFile = result.annotations.filter((a) => a.file === 'app/secure-image.yml');
    // The misspelt key, and the keyless block left without an identity.
    expect(onFile.map((a) => [a.level, a.line])).toEqual([
      ['error', 5],
      ['error', 7],
    ]);
    expect(onFile[1]?.message).toMatch(/identiy/);
    expect(world.standins.calls('cosign')).toEqual([]);
    expect(result.outputs).toEqual({});
    expect(await world.registry.tags('acme/badpolicy')).toEqual([]);
  });
});

describe('a tool that hangs', () => {
  it('stage-timeout ends a hung cosign verify and the error names the stage; nothing is built', async () => {
    const scenario = world.signedBase();
    scenario.cosign = { ...scenario.cosign, rules: [{ command: 'verify', hang: true }] };
    const image = `${world.registry.host}/acme/hung`;
    const result = await world.run({ inputs: { image, 'stage-timeout': '2s' }, scenario });
    expect(result.exitCode).toBe(1);
    expect(baseImagesOf(result)[0]?.reason).toMatch(
      /signature check could not complete: .*did not finish within 2 s/,
    );
    expect(result.summary).toMatch(/Failed\*\* at Base images/);
    expect(await world.registry.tags('acme/hung')).toEqual([]);
  }, 60_000);
});

describe('base images: warn and off', () => {
  it('warn: annotates the unsigned base image and goes on to build and push', async () => {
    const image = `${world.registry.host}/acme/warned`;
    const result = await world.run({
      inputs: { image, 'verify-base-images': 'warn' },
      scenario: { cosign: { signedImages: [] } },
    });
    expect(result.exitCode).toBe(0);
    const warnings = result.annotations.filter(
      (a) => a.level === 'warning' && a.title === 'Base image not trusted',
    );
    expect(warnings.map((a) => a.line)).toEqual(FROM_LINES);
    expect(baseImagesOf(result).map((e) => e.status)).toEqual(['failed', 'failed']);
    expect(await world.registry.tags('acme/warned')).toContain('sha-4f3c2b1');
  });

  it('off: parses and reports only, never verifies a base image', async () => {
    const image = `${world.registry.host}/acme/off`;
    const result = await world.run({ inputs: { image, 'verify-base-images': 'off' } });
    expect(result.exitCode).toBe(0);
    expect(world.standins.calls('cosign').filter(isBaseVerify)).toEqual([]);
    expect(baseImagesOf(result).map((e) => [e.status, e.line])).toEqual([
      ['skipped', 6],
      ['skipped', 11],
    ]);
  });
});

describe('unmatched images', () => {
  const policy = (unmatched: string): string =>
    `unmatched: ${unmatched}\nrules:\n  - name: elsewhere\n    images: ["ghcr.io/acme/**"]\n    allow-unsigned: true\n`;

  it.each(
    rows([
      ['deny', 1, 'error'],
      ['warn', 0, 'warning'],
      ['allow', 0, undefined],
    ] as const),
  )('unmatched: %s', async (unmatched, exitCode, level) => {
    const image = `${world.registry.host}/acme/unmatched-${unmatched}`;
    const result = await world.run({ inputs: { image }, workspace: world.workspace(policy(unmatched)) });
    expect(result.exitCode).toBe(exitCode);
    expect(baseImagesOf(result).map((e) => e.status)).toEqual(['unmatched', 'unmatched']);
    const onLines = result.annotations.filter(
      (a) => a.file === 'app/Dockerfile' && a.title !== 'Base image not pinned to a digest',
    );
    expect(onLines.map((a) => a.level)).toEqual(level ? [level, level] : []);
    expect(world.standins.calls('cosign').filter(isBaseVerify)).toEqual([]);
  });
});

describe('digest pinning', () => {
  it('enforce fails on an unpinned FROM and names the pinned reference to use', async () => {
    const result = await world.run({
      inputs: { image: `${world.registry.host}/acme/pin`, 'digest-pinning': 'enforce' },
    });
    expect(result.exitCode).toBe(1);
    const message = result.annotations.find((a) => a.level === 'error' && !a.file)?.message ?? '';
    expect(message).toContain('`digest-pinning: enforce`');
    expect(message).toContain(
      `app/Dockerfile:6: \${BASE} → pin it as ${world.registry.host}/${BASE_REPO}:stable@${world.base.digest}`,
    );
  });

  it('a Dockerfile that pins its own digest gets no pinning annotation and is built as written', async () => {
    const ws = world.workspace();
    const file = join(ws, 'app', 'Dockerfile');
    const pinnedRef = `${world.registry.host}/${BASE_REPO}:stable@${world.base.digest}`;
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        'ARG BASE=${REGISTRY}/secure-image/busybox:stable',
        `ARG BASE=${pinnedRef}`,
      ),
    );
    const result = await world.run({
      workspace: ws,
      inputs: { image: `${world.registry.host}/acme/selfpinned`, 'digest-pinning': 'enforce' },
    });
    expect(result.exitCode).toBe(0);
    expect(baseImagesOf(result).map((e) => [e.pinned, e.status, e.digest])).toEqual([
      [true, 'verified', world.base.digest],
      [true, 'verified', world.base.digest],
    ]);
    expect(result.annotations.filter((a) => a.title === 'Base image not pinned to a digest')).toEqual([]);
  });
});

describe('ARGs and targets', () => {
  it('an ARG without a value is unresolved, named with its line, and fails under enforce', async () => {
    const ws = world.workspace();
    const file = join(ws, 'app', 'Dockerfile');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('ARG BASE=${REGISTRY}/secure-image/busybox:stable', 'ARG BASE'),
    );
    const result = await world.run({
      workspace: ws,
      inputs: { image: `${world.registry.host}/acme/unresolved` },
    });
    expect(result.exitCode).toBe(1);
    const entries = baseImagesOf(result);
    expect(entries.map((e) => e.status)).toEqual(['unresolved', 'unresolved']);
    expect(entries[0]?.reason).toMatch(/ARG `BASE` has no value on line 6/);
    expect(await world.registry.tags('acme/unresolved')).toEqual([]);
  });

  it('target: only the stages the target needs count', async () => {
    const result = await world.run({
      inputs: { image: `${world.registry.host}/acme/target`, target: 'build', tags: 'build' },
    });
    expect(result.exitCode).toBe(0);
    expect(baseImagesOf(result).map((e) => [e.stage, e.line])).toEqual([['build', 6]]);
    const config = (await imageConfig(world.registry, 'acme/target', result.outputs.digest ?? '')) as {
      config: { Labels?: Record<string, string> };
    };
    // The build stage has no greeting label: the target stage is what was built.
    expect(config.config.Labels?.['org.example.greeting']).toBeUndefined();
  });

  it('build-args reach both the FROM lines and the build', async () => {
    const result = await world.run({
      inputs: {
        image: `${world.registry.host}/acme/args`,
        'build-args': `REGISTRY=${world.registry.host}\nGREETING=bonjour`,
      },
    });
    expect(result.exitCode).toBe(0);
    const config = (await imageConfig(world.registry, 'acme/args', result.outputs.digest ?? '')) as {
      config: { Labels: Record<string, string> };
    };
    expect(config.config.Labels['org.example.greeting']).toBe('bonjour');
  });
});
