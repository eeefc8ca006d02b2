// The Dockerfile read in the grammar of the builder that runs it: heredocs or not, the directives it knows, how an
// escaped escape character ends a line; and the union of the readings when the grammar cannot be known.
import { describe, expect, it } from '@jest/globals';

import { builderDialects, parseContainersVersion } from '../../src/build/dialect.js';
import {
  analyzeReadings,
  BUILDKIT_DIALECT,
  containersDialect,
  frontendGrammar,
  parseDockerfile,
  type AnalyzeOptions,
  type Dialect,
} from '../../src/dockerfile/index.js';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;
const OPTIONS: AnalyzeOptions = {
  buildArgs: {},
  buildPlatform: 'linux/amd64',
  targetPlatform: 'linux/amd64',
};
const BUILDAH_128 = containersDialect('buildah', [1, 28, 2]);
const BUILDAH_133 = containersDialect('buildah', [1, 33, 0]);
const kinds = (text: string, dialect?: Dialect): string[] =>
  parseDockerfile(text, dialect).instructions.map((i) => `${i.keyword}@${i.line}`);
const froms = (text: string, dialects: Dialect[]): string[] =>
  analyzeReadings(text, dialects, OPTIONS).images.map((u) => `${u.line} ${u.resolved ?? '?'}`);

/** The reproduction: a second FROM in a COPY heredoc body. */
const HIDDEN = lines(
  'ARG REGISTRY=127.0.0.1:5000',
  'FROM ${REGISTRY}/secure-image/busybox:stable AS app',
  'COPY <<CMD /notes.txt',
  'FROM ${REGISTRY}/evil/unsigned:latest',
  'LABEL pwned=built-from-unverified-image',
  'CMD',
);

describe('heredocs', () => {
  it('BuildKit reads lines 4–6 as the body of the heredoc; buildah 1.28 reads them as instructions', () => {
    expect(kinds(HIDDEN)).toEqual(['ARG@1', 'FROM@2', 'COPY@3']);
    expect(kinds(HIDDEN, BUILDAH_128)).toEqual(['ARG@1', 'FROM@2', 'COPY@3', 'FROM@4', 'LABEL@5', 'CMD@6']);
    expect(parseDockerfile(HIDDEN, BUILDAH_128).instructions[2]?.heredocs).toEqual([]);
    // buildah 1.33 reads heredocs as BuildKit does.
    expect(kinds(HIDDEN, BUILDAH_133)).toEqual(kinds(HIDDEN));
  });

  it('the gate sees the FROM the builder sees: the hidden one is the built stage under buildah 1.28', () => {
    expect(froms(HIDDEN, [BUILDKIT_DIALECT])).toEqual(['2 127.0.0.1:5000/secure-image/busybox:stable']);
    const buildah = analyzeReadings(HIDDEN, [BUILDAH_128], OPTIONS);
    expect(buildah.images.map((u) => `${u.line} ${u.resolved ?? '?'}`)).toEqual([
      '4 127.0.0.1:5000/evil/unsigned:latest',
    ]);
    expect(buildah.images[0]?.reading).toEqual({ by: BUILDAH_128.name, notBy: BUILDKIT_DIALECT.name });
    expect(buildah.problems).toEqual([]);
  });

  it('a grammar that cannot be known: the FROMs of every reading are gated', () => {
    const union = analyzeReadings(HIDDEN, [BUILDKIT_DIALECT, BUILDAH_128], OPTIONS);
    expect(union.images.map((u) => `${u.line} ${u.resolved ?? '?'} ${u.reading?.by ?? 'build'}`)).toEqual([
      '2 127.0.0.1:5000/secure-image/busybox:stable build',
      `4 127.0.0.1:5000/evil/unsigned:latest ${BUILDAH_128.name}`,
    ]);
    // The build's reading decides the stages and the problems.
    expect(union.stages).toHaveLength(1);
    expect(union.problems).toEqual([]);
  });

  it('another reading adds no FROM its builder refuses: a Python `from x import y` in a heredoc', () => {
    const text = lines('FROM alpine', 'RUN <<EOF', 'python3 - <<PY', 'from os import path', 'PY', 'EOF');
    expect(froms(text, [BUILDKIT_DIALECT, BUILDAH_128])).toEqual(['1 alpine']);
    // Its other lines are unknown instructions to that builder, which are not this run's problems.
    expect(analyzeReadings(text, [BUILDKIT_DIALECT, BUILDAH_128], OPTIONS).problems).toEqual([]);
  });

  it('without heredocs, a JSON-form COPY and a quoted "<<EOF" were never heredocs anyway', () => {
    const text = lines('FROM a', 'RUN echo "<<EOF"', 'FROM b');
    expect(kinds(text)).toEqual(kinds(text, BUILDAH_128));
  });
});

describe('parser directives', () => {
  const text = lines('# syntax=docker/dockerfile:1', '# escape=`', 'FROM a', 'RUN echo `', 'FROM b');

  it('BuildKit reads # escape= after # syntax=; buildah stops at # syntax= and keeps the backslash', () => {
    expect(parseDockerfile(text).directives.escape).toBe('`');
    expect(kinds(text)).toEqual(['FROM@3', 'RUN@4']);
    expect(parseDockerfile(text, BUILDAH_128).directives.escape).toBe('\\');
    expect(kinds(text, BUILDAH_128)).toEqual(['FROM@3', 'RUN@4', 'FROM@5']);
    // buildah runs no frontend; the image # syntax= names is still listed (and checked) as before.
    expect(froms(text, [BUILDAH_128])).toEqual(['1 docker/dockerfile:1', '5 b']);
  });

  it('docker/dockerfile 1.7 and older end the directives at # check=', () => {
    const checked = lines('# check=skip=all', '# escape=`', 'FROM a', 'RUN echo `', 'FROM b');
    const grammar = frontendGrammar('docker/dockerfile:1.7');
    if (grammar.kind !== 'known') throw new Error('1.7 is a known grammar');
    expect(kinds(checked)).toEqual(['FROM@3', 'RUN@4']);
    expect(kinds(checked, grammar.dialect)).toEqual(['FROM@3', 'RUN@4', 'FROM@5']);
  });

  it("imagebuilder's # escape= takes the first character after = and ignores the rest", () => {
    const parsed = parseDockerfile(lines('# ESCAPE = ` anything', 'FROM a'), BUILDAH_128);
    expect(parsed.directives.escape).toBe('`');
    expect(parsed.problems).toEqual([]);
    expect(parseDockerfile(lines('# escape=x', 'FROM a'), BUILDAH_128).problems).toEqual([
      { line: 1, message: "invalid escape token 'x' does not match ` or \\" },
    ]);
  });
});

describe('line continuation', () => {
  const text = lines('FROM a', 'RUN echo foo \\\\', 'FROM b');

  it('an escaped escape at the end continues the line for buildah, not for BuildKit 1.2 and later', () => {
    expect(kinds(text)).toEqual(['FROM@1', 'RUN@2', 'FROM@3']);
    expect(kinds(text, BUILDAH_128)).toEqual(['FROM@1', 'RUN@2']);
    expect(froms(text, [BUILDAH_128])).toEqual(['1 a']);
    const old = frontendGrammar('docker/dockerfile:1.1');
    expect(old.kind === 'known' && kinds(text, old.dialect)).toEqual(['FROM@1', 'RUN@2']);
  });
});

describe('which grammar', () => {
  it.each([
    ['docker/dockerfile:1.3', false],
    ['docker/dockerfile:1.3.1', false],
    ['docker/dockerfile:1.2', false],
    ['docker/dockerfile:1.0-experimental', false],
    ['docker.io/docker/dockerfile:1.3-labs', true],
    ['docker/dockerfile:1.3.0-labs', true],
    ['docker/dockerfile:1.4', true],
    ['docker/dockerfile:1', true],
    ['docker/dockerfile:latest', true],
    ['docker/dockerfile:labs', true],
    ['docker/dockerfile', true],
    ['docker/dockerfile-upstream:master', true],
  ])('%s: heredocs %s', (image, heredocs) => {
    const grammar = frontendGrammar(image);
    expect(grammar.kind).toBe('known');
    expect(grammar.kind === 'known' && grammar.dialect.heredocs).toBe(heredocs);
  });

  it('a digest names no version: every grammar of the frontend; another frontend: unknown', () => {
    const digest = `docker/dockerfile:1.8@sha256:${'a'.repeat(64)}`;
    expect(frontendGrammar(digest).kind).toBe('any-version');
    expect(frontendGrammar('ghcr.io/acme/frontend:1').kind).toBe('unknown');
    expect(frontendGrammar('ghcr.io/docker/dockerfile:1.7').kind).toBe('unknown');
  });

  it.each<['buildah' | 'podman', number[], boolean]>([
    ['buildah', [1, 28, 2], false],
    ['buildah', [1, 32, 9], false],
    ['buildah', [1, 33, 0], true],
    ['podman', [4, 7, 2], false],
    ['podman', [4, 8, 0], true],
    ['podman', [5, 0, 0], true],
  ])('%s %j: heredocs %s', (builder, version, heredocs) => {
    expect(containersDialect(builder, version).heredocs).toBe(heredocs);
  });

  it('reads the version buildah and podman print as JSON', () => {
    expect(parseContainersVersion('{"version": "1.28.2", "goVersion": "go1.19.8"}')).toEqual([1, 28, 2]);
    expect(
      parseContainersVersion('{"Client": {"Version": "4.3.1"}, "Server": {"Version": "4.9.4-rhel"}}'),
    ).toEqual([4, 9, 4]);
    // Debian's podman, as `podman version --format json` printed it here.
    expect(
      parseContainersVersion(
        '{"Client":{"APIVersion":"4.3.1","Version":"4.3.1","GoVersion":"go1.19.8","GitCommit":"","BuiltTime":"Thu Jan  1 00:00:00 1970","Built":0,"OsArch":"linux/amd64","Os":"linux"}}',
      ),
    ).toEqual([4, 3, 1]);
    expect(parseContainersVersion('buildah version 1.28.2')).toBeUndefined();
  });

  it('buildx with # syntax=docker/dockerfile:1.3: the gate reads the file without heredocs and sees the hidden FROM', async () => {
    const grammar = await builderDialects('docker', { image: 'docker/dockerfile:1.3', line: 1 });
    expect(grammar.dialects.map((d) => d.heredocs)).toEqual([false]);
    expect(froms(`# syntax=docker/dockerfile:1.3\n${HIDDEN}`, grammar.dialects)).toEqual([
      '1 docker/dockerfile:1.3',
      '5 127.0.0.1:5000/evil/unsigned:latest',
    ]);
  });

  it('buildx without # syntax: the daemon’s own frontend, of any version; every reading is gated', async () => {
    const grammar = await builderDialects('docker', undefined);
    expect(grammar.dialects.length).toBeGreaterThan(1);
    expect(grammar.fix).toMatch(/# syntax=docker\/dockerfile:1/);
    expect(froms(HIDDEN, grammar.dialects)).toEqual([
      '2 127.0.0.1:5000/secure-image/busybox:stable',
      '4 127.0.0.1:5000/evil/unsigned:latest',
    ]);
  });

  it('a frontend of unknown grammar is named, for the stage to refuse under enforce', async () => {
    const grammar = await builderDialects('docker', { image: 'ghcr.io/acme/frontend:1', line: 1 });
    expect(grammar.unknownFrontend).toEqual({ image: 'ghcr.io/acme/frontend:1', line: 1 });
  });
});

describe('every grammar at once', () => {
  it('a grammar shared by several builders is read once, and 10 MB in every grammar stays within seconds', async () => {
    const all = await builderDialects(undefined, undefined);
    expect(all.dialects.length).toBeGreaterThan(5);
    const text = `FROM alpine\n${'RUN echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \\\n'.repeat(150_000)}RUN end\n`;
    expect(text.length).toBeGreaterThan(10_000_000);
    const start = performance.now();
    const a = analyzeReadings(text, all.dialects, OPTIONS);
    expect(performance.now() - start).toBeLessThan(20_000);
    expect(a.images.map((u) => u.resolved)).toEqual(['alpine']);
  });
});
