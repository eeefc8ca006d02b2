// What the builder really used, checked against what the gate verified, through dist/index.js with the real
// registry and the real buildah (1.28, which has no heredocs): a FROM hidden from our parser in a heredoc body must
// not be built, pushed or signed, and a build of only verified images says the builder used only those.
import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pushBaseImage } from '../harness/registry.js';
import { explain, useOfflineWorld, type OfflineWorld } from './offline-world.js';

let world: OfflineWorld;
useOfflineWorld((started) => (world = started));

/** The issue's reproduction, and a variant with the hidden FROM in a RUN heredoc. */
const hidden = (registry: string, instruction: 'COPY' | 'RUN'): string[] => [
  `ARG REGISTRY=${registry}`,
  'FROM ${REGISTRY}/secure-image/busybox:stable AS app',
  instruction === 'COPY' ? 'COPY <<CMD /notes.txt' : 'RUN <<CMD',
  'FROM ${REGISTRY}/evil/unsigned:latest',
  'LABEL pwned=built-from-unverified-image',
  'CMD',
  '',
];

describe('a FROM the gate never saw', () => {
  it.each(['COPY', 'RUN'] as const)(
    'hidden in a %s heredoc: buildah may not fetch it, nothing is pushed, tagged or signed',
    async (instruction) => {
      const repo = `acme/heredoc-${instruction.toLowerCase()}`;
      await pushBaseImage(world.registry, 'evil/unsigned', 'latest');
      const ws = world.workspace();
      writeFileSync(join(ws, 'app', 'Dockerfile'), hidden(world.registry.host, instruction).join('\n'));
      const result = await world.run({
        inputs: { image: `${world.registry.host}/${repo}`, tags: 'v1' },
        workspace: ws,
        scenario: world.signedBase(),
      });
      expect(result.exitCode).toBe(1);
      const error =
        result.annotations.find((a) => a.level === 'error' && a.title === undefined)?.message ?? '';
      expect(error).toMatch(
        /evil\/unsigned:latest from the Dockerfile, an image the base-image check never saw/,
      );
      expect(result.outputs.signed).toBe('false');
      expect(result.outputs.digest).toBeUndefined();
      expect(await world.registry.tags(repo)).toEqual([]);
      expect(world.standins.calls('cosign').filter((c) => c.command === 'sign')).toEqual([]);
      expect(result.summary).toMatch(/\*\*Failed\*\* at Build/);
    },
  );

  it('a build of verified images only says the builder used exactly those, from what it recorded', async () => {
    const repo = 'acme/materials-ok';
    const result = await world.run({
      inputs: { image: `${world.registry.host}/${repo}`, tags: 'v1' },
      scenario: world.signedBase(),
    });
    expect({ exitCode: result.exitCode, log: result.exitCode === 0 ? '' : explain(result) }).toEqual({
      exitCode: 0,
      log: '',
    });
    expect(result.summary).toMatch(
      /\| Build \| ✅ passed \| .*the builder used only verified digests \(the base image it recorded: 1 checked\);<br>layers begin with the verified base's \(1 checked\) \|/,
    );
    // buildah was told to fetch nothing itself.
    expect(result.stdout).toMatch(/buildah pull .*secure-image\/busybox@sha256:[0-9a-f]{64}/);
  });
});
