// The thin build runner with a real process standing in for the builder's push: the digest must come
// from the builder's digest file and be a registry digest, never an image ID or nothing at all
// (docker/build-push-action #461, #579 and #906 were exactly these).
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBuildPlan } from '../../src/build/run.js';
import type { BuildPlan } from '../../src/build/types.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

/** A plan whose "push" writes what a builder would into its --digestfile. */
function planWriting(...written: string[]): BuildPlan {
  const dir = mkdtempSync(join(tmpdir(), 'secure-image-buildrun-'));
  return {
    builder: 'buildah',
    command: '/bin/sh',
    commands: written.map((content, i) => {
      const digestFile = join(dir, `digest-${i}.txt`);
      return {
        label: `buildah push tag-${i}`,
        kind: 'push' as const,
        args: ['-c', 'printf "%s" "$1" > "$2"', 'sh', content, digestFile],
        digestFile,
        pushes: `127.0.0.1:5000/acme/app:tag-${i}`,
      };
    }),
  };
}

describe('runBuildPlan reads the pushed digest from the builder', () => {
  it('takes a sha256 registry digest, the same for every tag', async () => {
    const result = await runBuildPlan(planWriting(DIGEST, `${DIGEST}\n`), { cwd: tmpdir(), env: {} });
    expect(result.digest).toBe(DIGEST);
    expect(result.pushedTags).toEqual(['127.0.0.1:5000/acme/app:tag-0', '127.0.0.1:5000/acme/app:tag-1']);
  });

  it.each([
    ['an empty digest file', '', /reported no digest instead of a sha256 registry digest/],
    [
      'an image ID without its algorithm',
      'b'.repeat(64),
      /reported "b{64}" instead of a sha256 registry digest/,
    ],
    ['an image ID in short form', 'f313afab807', /reported "f313afab807" instead/],
    ['upper-case hex', `sha256:${'A'.repeat(64)}`, /instead of a sha256 registry digest/],
  ])('refuses %s', async (_what, written, message) => {
    await expect(runBuildPlan(planWriting(written), { cwd: tmpdir(), env: {} })).rejects.toThrow(message);
  });

  it('refuses tags that the builder pushed with different digests', async () => {
    await expect(
      runBuildPlan(planWriting(DIGEST, `sha256:${'c'.repeat(64)}`), { cwd: tmpdir(), env: {} }),
    ).rejects.toThrow(/pushed with different digests/);
  });

  it('a failing push is retried only when the builder says the registry hiccuped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secure-image-buildrun-'));
    const counter = join(dir, 'tries');
    const plan: BuildPlan = {
      builder: 'buildah',
      command: '/bin/sh',
      commands: [
        {
          label: 'buildah push flaky',
          kind: 'push',
          // Fails twice with a 503 on stderr, then writes the digest.
          args: [
            '-c',
            'n=$(cat "$1" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$1"; if [ $n -lt 3 ]; then echo "received unexpected HTTP status: 503 Service Unavailable" >&2; exit 125; fi; printf "%s" "$2" > "$3"',
            'sh',
            counter,
            DIGEST,
            join(dir, 'digest.txt'),
          ],
          digestFile: join(dir, 'digest.txt'),
          pushes: '127.0.0.1:5000/acme/app:flaky',
        },
      ],
    };
    const result = await runBuildPlan(plan, { cwd: dir, env: {}, pushDelayMs: 10 });
    expect(result.digest).toBe(DIGEST);

    const denied: BuildPlan = {
      ...plan,
      commands: [
        {
          ...plan.commands[0]!,
          args: ['-c', 'echo "denied: requested access to the resource is denied" >&2; exit 125'],
        },
      ],
    };
    await expect(runBuildPlan(denied, { cwd: dir, env: {}, pushDelayMs: 10 })).rejects.toThrow(
      /buildah push flaky failed \(buildah exited with code 125\):\ndenied/,
    );
  });
});

describe('runBuildPlan waits for beforePush before anything is published', () => {
  /** A build that leaves a mark, then a push that leaves another. */
  function markingPlan(dir: string, pushInBuild = false): BuildPlan {
    const mark = (name: string): string[] => ['-c', 'echo "$1" >> "$2"', 'sh', name, join(dir, 'marks')];
    return {
      builder: pushInBuild ? 'docker' : 'buildah',
      command: '/bin/sh',
      commands: pushInBuild
        ? [{ label: 'docker buildx build', kind: 'build', args: [...mark('build+push'), '--push'] }]
        : [
            { label: 'buildah build', kind: 'build', args: mark('build') },
            { label: 'buildah push', kind: 'push', args: mark('push'), pushes: '127.0.0.1:5000/acme/app:v1' },
          ],
    };
  }
  const marks = (dir: string): string[] => {
    try {
      return readFileSync(join(dir, 'marks'), 'utf8').trim().split('\n');
    } catch {
      return [];
    }
  };

  it('builds, then stops before the push when beforePush rejects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secure-image-buildrun-'));
    const beforePush = (): Promise<void> => Promise.reject(new Error('the tools stage failed'));
    await expect(runBuildPlan(markingPlan(dir), { cwd: dir, env: {}, beforePush })).rejects.toThrow(
      'the tools stage failed',
    );
    expect(marks(dir)).toEqual(['build']);
  });

  it('a builder that pushes as it builds (buildx --push) waits before it starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secure-image-buildrun-'));
    const order: string[] = [];
    const beforePush = async (): Promise<void> => {
      order.push(`beforePush after [${marks(dir).join(',')}]`);
      return Promise.reject(new Error('no'));
    };
    await expect(runBuildPlan(markingPlan(dir, true), { cwd: dir, env: {}, beforePush })).rejects.toThrow(
      'no',
    );
    expect(order).toEqual(['beforePush after []']);
    expect(marks(dir)).toEqual([]);
  });

  it('is awaited once, between the build and the first push', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secure-image-buildrun-'));
    const seen: string[][] = [];
    const beforePush = async (): Promise<void> => {
      seen.push(marks(dir));
    };
    const plan = markingPlan(dir);
    plan.commands.push({
      ...plan.commands[1]!,
      label: 'buildah push 2',
      pushes: '127.0.0.1:5000/acme/app:v2',
    });
    await runBuildPlan(plan, { cwd: dir, env: {}, beforePush }).catch(() => undefined);
    expect(seen).toEqual([['build']]);
    expect(marks(dir)).toEqual(['build', 'push', 'push']);
  });
});
