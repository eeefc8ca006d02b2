import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

import {
  analyzeBaseImages,
  parseDockerfile,
  type AnalyzeOptions,
  type BaseImageAnalysis,
  type BaseImageUse,
} from '../../src/dockerfile/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const readCase = (name: string): string => readFileSync(join(here, 'cases', name), 'utf8');
const lines = (...l: string[]): string => `${l.join('\n')}\n`;

function analyze(text: string, options: Partial<AnalyzeOptions> = {}): BaseImageAnalysis {
  return analyzeBaseImages(parseDockerfile(text), {
    buildArgs: {},
    buildPlatform: 'linux/amd64',
    targetPlatform: 'linux/amd64',
    ...options,
  });
}

/** kind stage line ref → resolved, for compact table assertions. */
const brief = (u: BaseImageUse): string =>
  `${u.kind} ${u.stage ?? '-'} ${u.line} ${u.ref} → ${u.resolved ?? `?${u.unresolvedArgs.join(',')}`}`;

describe('a multi-stage Dockerfile', () => {
  const text = readCase('multistage.Dockerfile');

  it('lists the external images in file order, without stages and scratch', () => {
    const a = analyze(text);
    expect(a.problems).toEqual([]);
    expect(a.images.map(brief)).toEqual([
      'syntax - 1 docker/dockerfile:1 → docker/dockerfile:1',
      'from build 7 golang:${GO_VERSION} → golang:1.22',
      'mount-from build 9 ghcr.io/acme/tools:1.0 → ghcr.io/acme/tools:1.0',
      'copy-from assets 17 docker.io/library/nginx:1.25 → docker.io/library/nginx:1.25',
      'from runtime 19 ${BASE}:${DEBIAN_TAG:-12-slim} → docker.io/library/debian:12-slim',
      'copy-from runtime 22 busybox:1.36 → busybox:1.36',
    ]);
    expect(a.images[1]?.platform).toBe('linux/amd64');
    expect(a.images[1]?.stageIndex).toBe(0);
  });

  it('describes the stages and their dependencies', () => {
    const a = analyze(text);
    expect(a.stages.map((s) => [s.index, s.name, s.line, s.base, s.baseStage, s.dependsOn])).toEqual([
      [0, 'build', 7, 'golang:1.22', undefined, []],
      [1, 'test', 13, 'build', 0, [0]],
      [2, 'assets', 16, 'scratch', undefined, []],
      [3, 'runtime', 19, 'docker.io/library/debian:12-slim', undefined, [0, 2]],
    ]);
    expect(a.targetStage).toBe(3);
  });

  it('finalBase is the built stage’s base, the same object as in images', () => {
    const a = analyze(text);
    expect(a.finalBase?.resolved).toBe('docker.io/library/debian:12-slim');
    expect(a.images).toContain(a.finalBase);
  });

  it('ONBUILD triggers of the built stage run in some other build: listed apart, not as images', () => {
    const a = analyze(text);
    expect(a.images.map((u) => u.ref)).not.toContain('child-only:1');
    expect(a.onbuild).toEqual([
      { line: 23, text: 'COPY --from=child-only:1 / /', stage: 'runtime', runsInThisBuild: false },
    ]);
  });

  it.each([
    ['test', ['docker/dockerfile:1', 'golang:1.22', 'ghcr.io/acme/tools:1.0'], 'golang:1.22'],
    ['BUILD', ['docker/dockerfile:1', 'golang:1.22', 'ghcr.io/acme/tools:1.0'], 'golang:1.22'],
    ['assets', ['docker/dockerfile:1', 'docker.io/library/nginx:1.25'], undefined],
  ])('target %j prunes to what it depends on', (target, images, finalBase) => {
    const a = analyze(text, { target });
    expect(a.problems).toEqual([]);
    expect(a.images.map((u) => u.resolved)).toEqual(images);
    expect(a.finalBase?.resolved).toBe(finalBase);
    expect(a.onbuild).toEqual([]);
  });

  it('an unknown target is a problem naming the stages; then every stage counts', () => {
    const a = analyze(text, { target: 'prod' });
    expect(a.problems).toEqual([
      {
        line: 1,
        message: 'target stage "prod" could not be found; the stages are: build, test, assets, runtime',
      },
    ]);
    expect(a.images).toHaveLength(6);
  });

  it.each([
    [{}, 'docker.io/library/debian:12-slim'],
    [{ DEBIAN_TAG: '12' }, 'docker.io/library/debian:12'],
    [{ REGISTRY: 'mirror.gcr.io' }, 'mirror.gcr.io/library/debian:12-slim'],
    [{ BASE: 'ghcr.io/acme/base', REGISTRY: 'ignored.io' }, 'ghcr.io/acme/base:12-slim'],
    [{ DEBIAN_TAG: '' }, 'docker.io/library/debian:12-slim'],
  ])('build-args %j override ARG defaults (defaults see earlier ARGs)', (buildArgs, runtime) => {
    const a = analyze(text, { buildArgs });
    expect(a.images.find((u) => u.stage === 'runtime' && u.kind === 'from')?.resolved).toBe(runtime);
  });
});

describe('ARG resolution in FROM', () => {
  const text = lines('ARG REGISTRY', 'ARG IMAGE', 'ARG TAG', 'FROM ${REGISTRY}/${IMAGE}:${TAG}');

  it('without values the reference is unresolved and names the ARGs', () => {
    const [use] = analyze(text).images;
    expect(use).toMatchObject({
      ref: '${REGISTRY}/${IMAGE}:${TAG}',
      resolved: null,
      unresolvedArgs: ['IMAGE', 'REGISTRY', 'TAG'],
    });
    expect(analyze(text).problems).toEqual([]);
  });

  it('with build-args it resolves', () => {
    const [use] = analyze(text, { buildArgs: { REGISTRY: 'ghcr.io', IMAGE: 'acme/app', TAG: '1.0' } }).images;
    expect(use).toMatchObject({ resolved: 'ghcr.io/acme/app:1.0', unresolvedArgs: [] });
  });

  it('partly given, the rest is named', () => {
    const [use] = analyze(text, { buildArgs: { REGISTRY: 'ghcr.io', IMAGE: 'acme/app' } }).images;
    expect(use).toMatchObject({ resolved: null, unresolvedArgs: ['TAG'] });
  });

  it('a build-arg for an ARG not declared before the first FROM does not apply (and says so)', () => {
    const a = analyze(lines('FROM alpine:${TAG}'), { buildArgs: { TAG: '3.19' } });
    expect(a.images[0]).toMatchObject({ resolved: null, unresolvedArgs: ['TAG'] });
    expect(a.warnings[0]?.message).toMatch(
      /build-arg TAG is set, but ARG TAG is not declared before the first FROM/,
    );
    // an ARG inside a stage is not global either
    const b = analyze(lines('FROM alpine AS a', 'ARG TAG=1', 'FROM busybox:${TAG}'), {
      buildArgs: { TAG: '2' },
    });
    expect(b.images.map((u) => u.ref)).toEqual(['busybox:${TAG}']);
    expect(b.images[0]).toMatchObject({ resolved: null, unresolvedArgs: ['TAG'] });
  });

  it.each([
    ['ARG TAG=3.19\nFROM alpine:$TAG', 'alpine:3.19'],
    ['ARG TAG\nFROM alpine:${TAG:-3.18}', 'alpine:3.18'],
    ['ARG TAG\nFROM alpine:${TAG-3.17}', 'alpine:3.17'],
    ['ARG V=v1.2\nFROM alpine:${V#v}', 'alpine:1.2'],
    ['ARG V=1.22.5\nFROM golang:${V%.*}', 'golang:1.22'],
    ['ARG A=alpine B=3\nFROM "${A}:${B}"', 'alpine:3'],
    ['ARG A=x\nARG A=${A}y\nFROM ${A}', 'xy'],
    ['ARG IMG="alpine:3"\nFROM $IMG', 'alpine:3'],
    ['FROM alpine:3-${TARGETARCH}', 'alpine:3-arm64'],
    ['FROM alpine:${TARGETOS}-${BUILDARCH}${TARGETVARIANT:+-$TARGETVARIANT}', 'alpine:linux-amd64'],
  ])('%j → %j', (text, resolved) => {
    const a = analyze(`${text}\n`, { targetPlatform: 'linux/arm64' });
    expect(a.problems).toEqual([]);
    expect(a.images[0]?.resolved).toBe(resolved);
  });

  it('an error substitution is a problem', () => {
    const a = analyze(lines('ARG TAG', 'FROM alpine:${TAG:?TAG-is-required}'));
    expect(a.problems[0]?.message).toMatch(/TAG: TAG-is-required/);
    expect(a.images[0]).toMatchObject({ resolved: null, unresolvedArgs: ['TAG'] });
  });

  it('escapes: \\$ is a literal dollar (which is then no valid reference)', () => {
    const a = analyze(lines('ARG TAG=1', 'FROM alpine:\\$TAG'));
    expect(a.images[0]?.resolved).toBe('alpine:$TAG');
    expect(a.problems[0]?.message).toMatch(/invalid image reference/);
  });

  it('with the backtick escape directive', () => {
    const a = analyze('# escape=`\nARG TAG=1\nFROM alpine:`$TAG AS a\nFROM alpine:$TAG\nCOPY --from=a / /\n');
    expect(a.images.map((u) => u.resolved)).toEqual(['alpine:$TAG', 'alpine:1']);
  });
});

describe('--platform', () => {
  it.each([
    ['FROM --platform=$BUILDPLATFORM golang:1.22 AS b', 'linux/amd64'],
    ['FROM --platform=${TARGETPLATFORM} alpine', 'linux/arm/v7'],
    ['FROM --platform=linux/s390x alpine', 'linux/s390x'],
  ])('%j', (line, platform) => {
    const a = analyze(`${line}\n`, { buildPlatform: 'linux/x86_64', targetPlatform: 'linux/armhf' });
    expect(a.images[0]?.platform).toBe(platform);
    expect(a.stages[0]?.platform).toBe(platform);
  });
});

describe('stages: FROM stage, COPY --from and mounts', () => {
  const text = lines(
    'FROM golang:1.22 AS Build',
    'RUN go build',
    'FROM build AS test',
    'FROM alpine:3.19',
    'COPY --from=BUILD /a /a',
    'COPY --from=0 /b /b',
    'COPY --from=1 /c /c',
    'COPY --from=docker.io/library/busybox:1.36 /bin/sh /sh',
    'COPY --from=scratch /d /d',
    'RUN --mount=type=bind,from=test,target=/t true',
    'RUN --mount=type=cache,from=ghcr.io/acme/cache:1,target=/c true',
    'RUN --mount=type=tmpfs,from=ignored:1,target=/t true',
    'RUN --mount=type=cache,target=/no-from true',
  );

  it('stage references become dependencies, the rest are images', () => {
    const a = analyze(text);
    expect(a.problems).toEqual([]);
    expect(a.images.map(brief)).toEqual(
      [
        'from build 1 golang:1.22 → golang:1.22',
        'copy-from 2 8 docker.io/library/busybox:1.36 → docker.io/library/busybox:1.36',
        'mount-from 2 11 ghcr.io/acme/cache:1 → ghcr.io/acme/cache:1',
        'from 2 4 alpine:3.19 → alpine:3.19',
      ].sort((x, y) => Number(x.split(' ')[2]) - Number(y.split(' ')[2])),
    );
    expect(a.stages[2]?.dependsOn).toEqual([0, 1]);
    expect(a.stages[1]).toMatchObject({ baseStage: 0, base: 'build' });
    expect(a.images.find((u) => u.kind === 'from' && u.stage === '2')?.stageIndex).toBe(2);
  });

  it('the target that is built FROM a stage gets that stage’s image as finalBase', () => {
    const a = analyze(text, { target: 'test' });
    expect(a.finalBase?.resolved).toBe('golang:1.22');
    expect(a.images.map((u) => u.resolved)).toEqual(['golang:1.22']);
  });

  it.each([
    ['COPY --from=5 /a /b', /invalid stage index 5/],
    ['COPY --from=later /a /b', /stage "later" must be defined before the stage that uses it/],
    ['COPY --from=1 /a /b', /cannot use itself/],
    ['RUN --mount=from=later,target=/x true', /stage "later" must be defined before/],
  ])('%j is a problem', (line, message) => {
    const a = analyze(lines('FROM alpine AS first', 'FROM alpine AS second', line, 'FROM alpine AS later'));
    expect(a.problems.map((p) => p.message).join('\n')).toMatch(message);
  });

  it('FROM Build (upper case) does not match a stage in BuildKit: a problem', () => {
    const a = analyze(lines('FROM alpine AS build', 'FROM Build'));
    expect(a.problems[0]?.message).toMatch(/stage names are lower case; write FROM build/);
  });

  it('FROM of a stage defined later is an image, with a warning', () => {
    const a = analyze(lines('FROM build AS first', 'FROM golang AS build', 'COPY --from=first / /'));
    expect(a.images.map((u) => u.resolved)).toEqual(['build', 'golang']);
    expect(a.warnings[0]?.message).toMatch(/BuildKit pulls an image called "build"/);
  });

  it('variables in --from: resolved in the stage (buildah/podman), with a BuildKit warning', () => {
    const a = analyze(
      lines(
        'ARG TOOLS=ghcr.io/acme/tools:1',
        'FROM alpine',
        'ARG TOOLS',
        'ENV CACHE=ghcr.io/acme/cache:2',
        'COPY --from=$TOOLS /t /t',
        'RUN --mount=type=bind,from=${CACHE},target=/c true',
        'COPY --from=${NOPE} /n /n',
      ),
    );
    expect(a.images.map(brief)).toEqual([
      'from 0 2 alpine → alpine',
      'copy-from 0 5 $TOOLS → ghcr.io/acme/tools:1',
      'mount-from 0 6 ${CACHE} → ghcr.io/acme/cache:2',
      'copy-from 0 7 ${NOPE} → ?NOPE',
    ]);
    expect(a.warnings.map((w) => w.line)).toEqual([5, 6, 7]);
    expect(a.warnings[0]?.message).toMatch(/BuildKit \(docker buildx\) does not expand variables in --from/);
  });

  it('a stage ARG takes a build-arg over its default', () => {
    const a = analyze(lines('FROM alpine', 'ARG T=busybox:1', 'COPY --from=$T /x /x'), {
      buildArgs: { T: 'busybox:2' },
    });
    expect(a.images[1]?.resolved).toBe('busybox:2');
  });
});

describe('ONBUILD', () => {
  it('triggers of a stage run in the stages built FROM it: their images count', () => {
    const a = analyze(
      lines(
        'FROM alpine AS base',
        'ONBUILD COPY --from=ghcr.io/acme/assets:1 /a /a',
        'ONBUILD RUN --mount=type=bind,from=ghcr.io/acme/tools:2,target=/t true',
        'FROM base AS app',
        'FROM base AS other',
      ),
      { target: 'app' },
    );
    expect(a.images.map(brief)).toEqual([
      'from base 1 alpine → alpine',
      'copy-from base 2 ghcr.io/acme/assets:1 → ghcr.io/acme/assets:1',
      'mount-from base 3 ghcr.io/acme/tools:2 → ghcr.io/acme/tools:2',
    ]);
    expect(a.images.slice(1).every((u) => u.onbuild === true)).toBe(true);
    expect(a.onbuild.map((o) => [o.line, o.runsInThisBuild])).toEqual([
      [2, true],
      [3, true],
    ]);
  });

  it('a trigger that uses a stage adds the dependency to the child', () => {
    const a = analyze(
      lines(
        'FROM golang AS build',
        'FROM alpine AS base',
        'ONBUILD COPY --from=build /x /x',
        'FROM base AS app',
        'FROM scratch AS unused',
      ),
      {
        target: 'app',
      },
    );
    expect(a.stages[2]?.dependsOn.sort()).toEqual([0, 1]);
    expect(a.images.map((u) => u.resolved)).toEqual(['golang', 'alpine']);
  });

  it('triggers of a stage nobody builds FROM are not images', () => {
    const a = analyze(lines('FROM alpine AS base', 'ONBUILD COPY --from=img:1 / /', 'FROM busybox'));
    expect(a.images.map((u) => u.resolved)).toEqual(['busybox']);
    expect(a.onbuild).toEqual([]);
  });
});

describe('the syntax image', () => {
  it('comes first and is not subject to ARGs', () => {
    const a = analyze(lines('# syntax=docker/dockerfile:1.7-labs', 'FROM alpine'));
    expect(a.images[0]).toMatchObject({
      kind: 'syntax',
      stage: null,
      stageIndex: null,
      line: 1,
      resolved: 'docker/dockerfile:1.7-labs',
      location: { line: 1, column: 9, endColumn: 35, endLine: 1 },
    });
  });

  it('the BUILDKIT_SYNTAX build-arg replaces it', () => {
    const a = analyze(lines('# syntax=docker/dockerfile:1', 'FROM alpine'), {
      buildArgs: { BUILDKIT_SYNTAX: 'ghcr.io/acme/frontend:2 opts' },
    });
    expect(a.images[0]).toMatchObject({
      kind: 'syntax',
      line: 0,
      resolved: 'ghcr.io/acme/frontend:2',
      fromBuildArg: true,
    });
    expect(a.images.filter((u) => u.kind === 'syntax')).toHaveLength(1);
    expect(a.warnings[0]?.message).toMatch(/BUILDKIT_SYNTAX/);
  });

  it('an invalid one is a problem', () => {
    expect(analyze(lines('# syntax=Docker/Dockerfile', 'FROM alpine')).problems[0]?.message).toMatch(
      /lower case/,
    );
  });
});

describe('files without stages', () => {
  it.each([
    ['', 'the Dockerfile is empty'],
    [
      '# only\n# comments\n\n',
      'the Dockerfile has no instructions (only comments or blank lines); it needs at least a FROM',
    ],
    ['ARG A=1\n', 'the Dockerfile has no FROM instruction, so there is no stage to build'],
  ])('%j', (text, message) => {
    const a = analyze(text);
    expect(a.problems).toEqual([{ line: 1, message }]);
    expect(a.images).toEqual([]);
    expect(a.targetStage).toBe(-1);
    expect(a.finalBase).toBeUndefined();
  });

  it('an instruction before the first FROM is a problem', () => {
    const a = analyze(lines('RUN echo', 'FROM alpine'));
    expect(a.problems[0]).toEqual({
      line: 1,
      message: expect.stringMatching(/RUN comes before the first FROM/),
    });
  });

  it('the parser’s problems are included', () => {
    const a = analyze(lines('FROM alpine', 'FRM x'));
    expect(a.problems).toEqual([{ line: 2, message: 'unknown instruction: FRM' }]);
  });
});

describe('heredoc bodies are never read as references', () => {
  it('FROM and COPY --from inside heredocs do not count', () => {
    const a = analyze(readCase('heredocs.Dockerfile'));
    expect(a.stages.map((s) => s.base)).toEqual(['alpine', 'real:1']);
    // the last stage does not depend on the first, so only its own base is used
    expect(a.images.map((u) => u.resolved)).toEqual(['real:1']);
  });

  it('without a target only the last stage and what it depends on count', () => {
    const a = analyze(lines('FROM unused:1 AS a', 'FROM used:1 AS b', 'FROM final:1', 'COPY --from=b / /'));
    expect(a.images.map((u) => u.resolved)).toEqual(['used:1', 'final:1']);
  });
});

describe('named build contexts', () => {
  const file = lines(
    'FROM alpine AS build',
    'COPY --from=docker.io/library/golang:latest /go /go',
    'COPY --from=shared /lib /lib',
    'FROM docker.io/library/alpine:latest',
    'COPY --from=build /x /x',
  );

  it('a docker-image:// context replaces the references it names, as BuildKit finds them (short form too)', () => {
    const a = analyze(file, {
      namedContexts: {
        alpine: 'docker-image://ghcr.io/acme/alpine:3.20',
        golang: 'docker-image://ghcr.io/acme/go:1',
      },
    });
    expect(a.images.map(brief)).toEqual([
      'context build 1 alpine → ghcr.io/acme/alpine:3.20',
      'context build 2 docker.io/library/golang:latest → ghcr.io/acme/go:1',
      'copy-from build 3 shared → shared',
      'context 1 4 docker.io/library/alpine:latest → ghcr.io/acme/alpine:3.20',
    ]);
    expect(a.images[0]?.context).toBe('alpine');
    expect(a.finalBase?.resolved).toBe('ghcr.io/acme/alpine:3.20');
    expect(a.problems).toEqual([]);
  });

  it('a directory or URL context is no image to check: listed as unverified, with the lines it replaces', () => {
    const a = analyze(file, {
      namedContexts: { shared: '/ws/shared', alpine: 'https://example.com/alpine.git' },
    });
    expect(a.images.map(brief)).toEqual([
      'copy-from build 2 docker.io/library/golang:latest → docker.io/library/golang:latest',
    ]);
    expect(a.unverifiedContexts).toEqual([
      { name: 'alpine', value: 'https://example.com/alpine.git', lines: [1, 4] },
      { name: 'shared', value: '/ws/shared', lines: [3] },
    ]);
    expect(a.finalBase).toBeUndefined();
  });

  it('a context named like a stage is refused: the stage would be replaced by an unchecked image', () => {
    const a = analyze(file, { namedContexts: { build: 'docker-image://evil.example/x:1' } });
    expect(a.problems.map((p) => [p.line, p.message])).toEqual([
      [1, expect.stringMatching(/^build-contexts: "build" names a stage of this Dockerfile/)],
    ]);
  });
});
