// The Dockerfile read as the builder that runs it reads it, and what the builder really used checked against what
// the gate verified, through dist/index.js with the real registry and the real buildah (1.28, which has no heredocs):
// a FROM hidden from BuildKit's grammar in a heredoc body is a stage to buildah 1.28, podman 4.3 and
// docker/dockerfile 1.3, so the gate reads it too and stops the run at Base images, on its line, before anything is
// built; and a build of only verified images names each image@digest the builder used.
import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pushBaseImage } from '../harness/registry.js';
import { stageRow } from './expectations.js';
import { baseImagesOf, explain, useOfflineWorld, type OfflineWorld } from './offline-world.js';

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
    'hidden in a %s heredoc from a BuildKit reading: buildah 1.28 reads it as a FROM, and so does the gate, which stops it at Base images with the line',
    async (instruction) => {
      const repo = `acme/heredoc-${instruction.toLowerCase()}`;
      await pushBaseImage(world.registry, 'evil/unsigned', 'latest');
      const ws = world.workspace();
      writeFileSync(join(ws, 'app', 'Dockerfile'), hidden(world.registry.host, instruction).join('\n'));
      const before = world.registry.requests().length;
      const result = await world.run({
        inputs: { image: `${world.registry.host}/${repo}`, tags: 'v1' },
        workspace: ws,
        scenario: world.signedBase(),
      });
      expect(result.exitCode).toBe(1);
      expect(result.summary).toMatch(/\*\*Failed\*\* at Base images/);
      expect(stageRow(result.summary, 'Base images')?.detail).toMatch(/buildah 1\.28\.\d+ \(no heredocs\)/);
      expect(stageRow(result.summary, 'Build')?.result ?? 'not run').not.toMatch(/passed|failed/);
      // The hidden FROM, annotated on its line as buildah reads it.
      const onLine4 = result.annotations.filter(
        (a) => a.level === 'error' && a.file === 'app/Dockerfile' && a.line === 4,
      );
      expect(onLine4.map((a) => a.message)).toEqual([
        expect.stringMatching(/evil\/unsigned:latest: no policy rule matches .*evil\/unsigned/),
      ]);
      // Why a line inside a heredoc is a FROM here, and what reads it otherwise.
      expect(onLine4[0]?.message).toMatch(
        /line 4 is an instruction to buildah 1\.28\.\d+ \(no heredocs\), not to BuildKit .*To buildah 1\.33 and later, as to BuildKit, a heredoc's body is text/,
      );
      // Read as buildah reads it, line 4 starts the last stage, the one built; the stage on line 2 is not needed.
      expect(baseImagesOf(result).map((e) => [e.line, e.status])).toEqual([[4, 'unmatched']]);
      // Nothing was built, so nothing was written to the registry: no blob, no manifest.
      const writes = world.registry
        .requests()
        .slice(before)
        .filter((r) => !r.startsWith('GET ') && !r.startsWith('HEAD '));
      expect(writes).toEqual([]);
      expect(result.outputs.signed).toBe('false');
      expect(result.outputs.digest).toBeUndefined();
      expect(await world.registry.tags(repo)).toEqual([]);
      expect(world.standins.calls('cosign').filter((c) => c.command === 'sign')).toEqual([]);
    },
  );

  it('under podman 4.3 (no heredocs either), asked `podman version`, the hidden FROM fails at Base images on line 4', async () => {
    const repo = 'acme/heredoc-podman';
    await pushBaseImage(world.registry, 'evil/unsigned', 'latest');
    const ws = world.workspace();
    writeFileSync(join(ws, 'app', 'Dockerfile'), hidden(world.registry.host, 'COPY').join('\n'));
    const result = await world.run({
      inputs: { image: `${world.registry.host}/${repo}`, tags: 'v1', builder: 'podman' },
      workspace: ws,
      scenario: world.signedBase(),
    });
    expect(result.exitCode).toBe(1);
    expect(result.summary).toMatch(/\*\*Failed\*\* at Base images/);
    expect(stageRow(result.summary, 'Base images')?.detail).toMatch(/podman 4\.\d+\.\d+ \(no heredocs\)/);
    const onLine4 = result.annotations.find((a) => a.level === 'error' && a.line === 4)?.message ?? '';
    expect(onLine4).toMatch(/evil\/unsigned:latest: .*To podman 4\.8 and later, as to BuildKit/);
    expect(await world.registry.tags(repo)).toEqual([]);
  });

  it('under buildx with # syntax=docker/dockerfile:1.3 (no heredocs), the gate reads the hidden FROM and stops the run at Base images', async () => {
    const repo = 'acme/heredoc-frontend-1-3';
    const ws = world.workspace();
    writeFileSync(
      join(ws, 'app', 'Dockerfile'),
      ['# syntax=docker/dockerfile:1.3', ...hidden(world.registry.host, 'COPY')].join('\n'),
    );
    const result = await world.run({
      inputs: { image: `${world.registry.host}/${repo}`, tags: 'v1', builder: 'docker' },
      workspace: ws,
      scenario: world.signedBase(),
    });
    expect(result.exitCode).toBe(1);
    expect(result.summary).toMatch(/\*\*Failed\*\* at Base images/);
    expect(stageRow(result.summary, 'Base images')?.detail).toMatch(
      /docker\/dockerfile:1\.3 \(no heredocs\)/,
    );
    // The FROM on line 5 (line 4 of the issue's file, under the directive) is the stage buildx would build.
    const line5 = baseImagesOf(result).filter((e) => e.line === 5);
    expect(line5).toMatchObject([{ kind: 'from', image: `${world.registry.host}/evil/unsigned:latest` }]);
    const onLine5 = result.annotations.find((a) => a.level === 'error' && a.line === 5)?.message ?? '';
    expect(onLine5).toMatch(/evil\/unsigned:latest: .*line 5 is an instruction to docker\/dockerfile:1\.3/);
    expect(await world.registry.tags(repo)).toEqual([]);
  });

  it('with no builder in the run (`build: false`, `digest`), every grammar is read: the hidden FROM fails at Base images, saying who reads it', async () => {
    const repo = 'acme/given-digest';
    const given = await pushBaseImage(world.registry, repo, 'v1');
    await pushBaseImage(world.registry, 'evil/unsigned', 'latest');
    const ws = world.workspace();
    writeFileSync(join(ws, 'app', 'Dockerfile'), hidden(world.registry.host, 'COPY').join('\n'));
    const result = await world.run({
      inputs: { build: 'false', digest: `${world.registry.host}/${repo}@${given.digest}` },
      workspace: ws,
      scenario: world.signedBase(),
    });
    expect(result.exitCode).toBe(1);
    expect(result.summary).toMatch(/\*\*Failed\*\* at Base images/);
    // The build's reading (BuildKit's) has the stage on line 2; the reading without heredocs adds line 4.
    expect(baseImagesOf(result).map((e) => [e.line, e.status])).toEqual([
      [2, 'verified'],
      [4, 'unmatched'],
    ]);
    const onLine4 = result.annotations.find((a) => a.level === 'error' && a.line === 4)?.message ?? '';
    expect(onLine4).toMatch(
      /evil\/unsigned:latest: no policy rule matches .*; line 4 is an instruction to docker\/dockerfile [0-9.–-]+, not to BuildKit/,
    );
    expect(world.standins.calls('cosign').filter((c) => c.command === 'sign')).toEqual([]);
  });

  it('under buildx, a # syntax= frontend of unknown grammar stops the run at Base images, naming the line and the fix', async () => {
    const repo = 'acme/unknown-frontend';
    const ws = world.workspace();
    writeFileSync(
      join(ws, 'app', 'Dockerfile'),
      [`# syntax=${world.registry.host}/acme/frontend:1`, ...hidden(world.registry.host, 'COPY')].join('\n'),
    );
    const result = await world.run({
      inputs: { image: `${world.registry.host}/${repo}`, tags: 'v1', builder: 'docker' },
      workspace: ws,
      scenario: world.signedBase(),
    });
    expect(result.exitCode).toBe(1);
    expect(result.summary).toMatch(/\*\*Failed\*\* at Base images/);
    const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toMatch(
      new RegExp(
        `^app/Dockerfile:1: # syntax=${world.registry.host}/acme/frontend:1 names a Dockerfile frontend whose grammar this action does not know`,
      ),
    );
    expect(error).toMatch(/Use Docker's frontend \(`# syntax=docker\/dockerfile:1`/);
    expect(await world.registry.tags(repo)).toEqual([]);
  });

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
      /\| Build \| ✅ passed \| .*the builder used only verified digests \(the base image it recorded: 1 checked\): (\S+) \(lines 6, 11\);<br>layers begin with the verified base's \(1 checked\) \|/,
    );
    // By name and digest: the image the base-images stage checked, at the digest buildah recorded.
    const used =
      /only verified digests \(the base image it recorded: 1 checked\): (\S+) \(lines 6, 11\)/.exec(
        result.summary,
      )?.[1];
    // The summary shortens a digest to its first 12 hex digits, as in the base-images table.
    expect(used).toBe(
      `${world.registry.host}/secure-image/busybox:stable@${world.base.digest.slice(0, 19)}…`,
    );
    // buildah was told to fetch nothing itself.
    expect(result.stdout).toMatch(/buildah pull .*secure-image\/busybox@sha256:[0-9a-f]{64}/);
  });
});
