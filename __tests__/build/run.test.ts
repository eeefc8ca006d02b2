// The thin build runner with a real process standing in for the builder's push: the digest must come
// from the builder's digest file and be a registry digest, never an image ID or nothing at all
// (docker/build-push-action #461, #579 and #906 were exactly these).
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
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
