// Image size through dist/index.js: a real registry and buildah build; every number is checked against sums the
// test computes from the manifests the registry holds.
import { describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatBytes } from '../../src/registry/image-size.js';
import { BASE_REPO, explain, useOfflineWorld, type OfflineWorld } from './offline-world.js';
import type { RunResult } from '../harness/runner.js';

let world: OfflineWorld;
useOfflineWorld((w) => (world = w));

interface Manifest {
  layers: Array<{ digest: string; size: number }>;
  config: { digest: string };
}

const FINAL_FROM_LINE = 11;

async function manifestOf(repo: string, ref: string): Promise<Manifest> {
  const m = await world.registry.manifest(repo, ref);
  if (!m) throw new Error(`no manifest ${repo}@${ref}`);
  return m.body as Manifest;
}

function imageSizeOf(result: RunResult): Array<Record<string, unknown>> {
  const raw = result.outputs['image-size'];
  if (raw === undefined) throw new Error(`no image-size output\n${explain(result)}`);
  return JSON.parse(raw) as Array<Record<string, unknown>>;
}

/** What the registry says the `image-size` entry of a single-platform image must be. */
async function expectedSize(repo: string, digest: string): Promise<Record<string, unknown>> {
  const image = await manifestOf(repo, digest);
  const base = await manifestOf(BASE_REPO, world.base.digest);
  const baseDigests = new Set(base.layers.map((l) => l.digest));
  const added = image.layers.filter((l) => !baseDigests.has(l.digest));
  const sum = (layers: Array<{ size: number }>): number => layers.reduce((s, l) => s + l.size, 0);
  return {
    platform: 'linux/amd64',
    digest,
    size: sum(image.layers),
    base: {
      image: `${world.registry.host}/${BASE_REPO}:stable`,
      digest: world.base.digest,
      size: sum(base.layers),
    },
    added: sum(added),
    largestAdded: [...added]
      .sort((a, b) => b.size - a.size)
      .map((l) => ({
        digest: l.digest,
        size: l.size,
        instruction: expect.stringMatching(/^COPY .*\/app\/hello\.sh$/),
      })),
  };
}

describe('image size', () => {
  let built: { digest: string; expected: Record<string, unknown> } | undefined;

  it('outputs and summarises the size of the pushed image, its base and what the build added', async () => {
    const result = await world.run({
      inputs: { image: `${world.registry.host}/acme/sized`, 'size-budget': '2x' },
    });
    expect(result.exitCode).toBe(0);
    const digest = result.outputs.digest ?? '';
    const expected = await expectedSize('acme/sized', digest);
    built = { digest, expected };
    expect(imageSizeOf(result)).toEqual([expected]);
    // The build's one layer (COPY --from=build) is what it added; the base's layer is the busybox one.
    expect((expected.largestAdded as unknown[]).length).toBe(1);

    const base = expected.base as { image: string; size: number };
    expect(result.summary).toContain('### Image size');
    expect(result.summary).toContain(
      `| \`linux/amd64\` | ${formatBytes(expected.size as number)} | \`${base.image}\` ${formatBytes(base.size)} | +${formatBytes(expected.added as number)} |`,
    );
    expect(result.summary).toContain('Within the size budget of `2x`.');
    expect(result.summary).toMatch(
      /Largest layers the build added:\n\n\| size \| instruction \|\n.*\n\| [0-9.]+ k?B \| `COPY /,
    );
    expect(result.annotations.filter((a) => a.title === 'Image over its size budget')).toEqual([]);
  });

  it('a digest run reads the same sizes from the registry, the base from the OCI base labels', async () => {
    if (!built) throw new Error('the build test did not run');
    // No Dockerfile: the base-images stage does not run, so the base can only come from the image's labels.
    const workspace = world.workspace();
    rmSync(join(workspace, 'app', 'Dockerfile'));
    const result = await world.run({
      workspace,
      inputs: { digest: `${world.registry.host}/acme/sized@${built.digest}`, scanner: 'none', sign: 'false' },
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['base-images']).toBeUndefined();
    expect(imageSizeOf(result)).toEqual([built.expected]);
  });

  it('over size-budget: a warning on the final FROM line by default', async () => {
    const result = await world.run({
      inputs: { image: `${world.registry.host}/acme/sized-warn`, 'size-budget': '+0MB' },
    });
    expect(result.exitCode).toBe(0);
    const added = (await expectedSize('acme/sized-warn', result.outputs.digest ?? '')).added as number;
    const over = result.annotations.filter((a) => a.title === 'Image over its size budget');
    expect(over.map((a) => [a.level, a.file, a.line])).toEqual([
      ['warning', 'app/Dockerfile', FINAL_FROM_LINE],
    ]);
    expect(over[0]?.message).toContain(`linux/amd64: the build adds ${formatBytes(added)} to`);
    expect(over[0]?.message).toContain('over the size-budget of +0MB');
    expect(result.summary).toContain(`⚠️ linux/amd64: the build adds ${formatBytes(added)}`);
    expect(await world.registry.tags('acme/sized-warn')).toContain('sha-4f3c2b1');
  });

  it('size-budget-mode: fail fails the run before the image is tagged', async () => {
    const result = await world.run({
      inputs: {
        image: `${world.registry.host}/acme/sized-fail`,
        'size-budget': '1x',
        'size-budget-mode': 'fail',
      },
    });
    expect(result.exitCode).toBe(1);
    const over = result.annotations.filter((a) => a.title === 'Image over its size budget');
    expect(over.map((a) => [a.level, a.file, a.line])).toEqual([
      ['error', 'app/Dockerfile', FINAL_FROM_LINE],
    ]);
    expect(over[0]?.message).toMatch(/the image is .*x its base .* over the size-budget of 1x/);
    expect(await world.registry.tags('acme/sized-fail')).toEqual([]);
    // Pushed by digest and measured, but never tagged.
    expect(imageSizeOf(result)).toHaveLength(1);
  });

  it.each(['50MB', '+50mb!', '0.5x', 'big'])(
    'size-budget: %s is an error naming the input',
    async (budget) => {
      const result = await world.run({
        inputs: { image: `${world.registry.host}/acme/sized-bad`, 'size-budget': budget },
      });
      expect(result.exitCode).toBe(1);
      const errors = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      expect(errors.join('\n')).toContain('Input `size-budget` must be `+<n>MB` or `+<n>GB`');
      expect(errors.join('\n')).toContain(`got "${budget}"`);
      expect(await world.registry.tags('acme/sized-bad')).toEqual([]);
    },
  );
});
