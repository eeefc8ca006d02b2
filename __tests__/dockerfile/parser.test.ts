import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

import { parseDockerfile, type Instruction, type Span } from '../../src/dockerfile/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const readCase = (name: string): string => readFileSync(join(here, 'cases', name), 'utf8');
const lines = (...l: string[]): string => `${l.join('\n')}\n`;

/** The text a span covers in the original. */
function textAt(text: string, span: Span): string {
  const all = text.split('\n');
  if (span.line === span.endLine) return (all[span.line - 1] ?? '').slice(span.column, span.endColumn);
  const first = (all[span.line - 1] ?? '').slice(span.column);
  const last = (all[span.endLine - 1] ?? '').slice(0, span.endColumn);
  return `${first}\n${last}`;
}

const summary = (ins: Instruction[]): string[] => ins.map((i) => `${i.keyword}@${i.line}-${i.endLine}`);

describe('parser directives', () => {
  it('escape=` makes the backtick the continuation and escape character', () => {
    const text = readCase('escape-backtick.Dockerfile');
    const parsed = parseDockerfile(text);
    expect(parsed.directives.escape).toBe('`');
    expect(parsed.directives.syntax).toMatchObject({ image: 'docker/dockerfile:1.7', line: 2 });
    expect(parsed.problems).toEqual([]);
    expect(summary(parsed.instructions)).toEqual(['FROM@4-4', 'RUN@5-6', 'COPY@7-7', 'RUN@8-8']);
    // "c:\ `" continues (backtick), "C:\dst\" does not (backslash is an ordinary character now)
    expect(parsed.instructions[1]?.original).toBe('RUN dir c:\\     && echo done');
    expect(parsed.instructions[2]?.args.map((a) => a.value)).toEqual(['C:\\src\\', 'C:\\dst\\']);
  });

  it('with the default escape, a trailing backslash continues', () => {
    const parsed = parseDockerfile(lines('FROM a', 'COPY C:\\src\\ C:\\dst\\', 'RUN x'));
    expect(summary(parsed.instructions)).toEqual(['FROM@1-1', 'COPY@2-3']);
  });

  it.each([
    ['# syntax=docker/dockerfile:1', 'docker/dockerfile:1', 1],
    ['#SYNTAX = docker/dockerfile:1.7-labs', 'docker/dockerfile:1.7-labs', 1],
    ['# syntax=ghcr.io/acme/frontend:2 extra words', 'ghcr.io/acme/frontend:2', 1],
    ['#!/usr/bin/env buildctl\n# syntax=docker/dockerfile:1', 'docker/dockerfile:1', 2],
    ['# check=skip=all\n# syntax=docker/dockerfile:1', 'docker/dockerfile:1', 2],
    ['# escape=`\n# syntax=docker/dockerfile:1', 'docker/dockerfile:1', 2],
  ])('finds %j', (head, image, line) => {
    const text = `${head}\nFROM alpine\n`;
    const parsed = parseDockerfile(text);
    expect(parsed.directives.syntax?.image).toBe(image);
    expect(parsed.directives.syntax?.line).toBe(line);
    const span = parsed.directives.syntax?.span;
    expect(span && textAt(text, span)).toBe(image);
  });

  it.each([
    ['after an instruction', 'FROM alpine\n# syntax=docker/dockerfile:1\n'],
    ['after an ordinary comment', '# hello\n# syntax=docker/dockerfile:1\nFROM alpine\n'],
    ['after a blank line', '\n# syntax=docker/dockerfile:1\nFROM alpine\n'],
    ['after an unknown directive', '# foo=bar\n# syntax=docker/dockerfile:1\nFROM alpine\n'],
  ])('ignores a syntax line %s', (_why, text) => {
    expect(parseDockerfile(text).directives.syntax).toBeUndefined();
  });

  it('escape after the first instruction is an ordinary comment', () => {
    const parsed = parseDockerfile('FROM a\n# escape=`\nRUN x \\\n  y\n');
    expect(parsed.directives.escape).toBe('\\');
    expect(summary(parsed.instructions)).toEqual(['FROM@1-1', 'RUN@3-4']);
  });

  it('recognises # check= and goes on reading directives', () => {
    const parsed = parseDockerfile('# check=skip=JSONArgsRecommended\n# escape=`\nFROM a\n');
    expect(parsed.directives.check).toEqual({ value: 'skip=JSONArgsRecommended', line: 1 });
    expect(parsed.directives.escape).toBe('`');
  });

  it('a duplicate or invalid directive is a problem', () => {
    expect(parseDockerfile('# escape=`\n# escape=\\\nFROM a\n').problems).toEqual([
      { line: 2, message: 'only one escape parser directive can be used' },
    ]);
    expect(parseDockerfile('# escape=x\nFROM a\n').problems[0]?.message).toMatch(/invalid escape token 'x'/);
  });
});

describe('continuations', () => {
  const text = readCase('continuations.Dockerfile');
  const parsed = parseDockerfile(text);

  it('skips comment lines and blank lines inside a continuation', () => {
    expect(summary(parsed.instructions)).toEqual([
      'FROM@1-1',
      'RUN@2-7',
      'FROM@8-10',
      'COPY@11-12',
      'RUN@13-13',
      'FROM@14-14',
    ]);
    expect(parsed.instructions[1]?.original).toBe('RUN apk add     curl     git');
  });

  it('keeps the location of a token on a continuation line', () => {
    const from = parsed.instructions[2]?.from;
    expect(from?.image?.value).toBe('golang:1.22');
    expect(from?.image?.span).toEqual({ line: 9, column: 4, endLine: 9, endColumn: 15 });
    expect(from?.stageName).toBe('build');
    const copy = parsed.instructions[3]?.copyFrom;
    expect(copy?.value).toBe('alpine:3.19');
    expect(copy && textAt(text, copy.span)).toBe('alpine:3.19');
  });

  it('an escaped escape character does not continue', () => {
    expect(parsed.instructions[4]?.original).toBe('RUN echo one \\\\');
    expect(parsed.instructions[5]?.from?.image?.value).toBe('not-a-continuation-target');
  });

  it('a token split by a continuation spans both lines', () => {
    const t = 'FROM alp\\\nine:3\n';
    const image = parseDockerfile(t).instructions[0]?.from?.image;
    expect(image?.value).toBe('alpine:3');
    expect(image?.span).toEqual({ line: 1, column: 5, endLine: 2, endColumn: 5 });
  });

  it('CRLF line endings and a byte-order mark', () => {
    const t = '\uFEFFFROM alpine:3 AS a\r\nRUN x \\\r\n  y\r\nCOPY --from=a /x /y\r\n';
    const p = parseDockerfile(t);
    expect(p.problems).toEqual([]);
    expect(summary(p.instructions)).toEqual(['FROM@1-1', 'RUN@2-3', 'COPY@4-4']);
    const image = p.instructions[0]?.from?.image;
    expect(image?.span).toEqual({ line: 1, column: 6, endLine: 1, endColumn: 14 });
    expect(image && textAt(t, image.span)).toBe('alpine:3');
    expect(p.instructions[1]?.original).toBe('RUN x   y');
  });

  it('a continuation at the end of the file ends the instruction', () => {
    const p = parseDockerfile('FROM a\nRUN x \\');
    expect(summary(p.instructions)).toEqual(['FROM@1-1', 'RUN@2-2']);
  });

  it('a lone continuation with nothing after it is a problem', () => {
    const p = parseDockerfile('FROM a\n\\\n\n');
    expect(p.problems[0]?.message).toMatch(/no instruction/);
  });
});

describe('heredocs', () => {
  const text = readCase('heredocs.Dockerfile');
  const parsed = parseDockerfile(text);

  it('never reads a heredoc body as instructions', () => {
    expect(parsed.problems).toEqual([]);
    expect(summary(parsed.instructions)).toEqual([
      'FROM@1-1',
      'RUN@2-5',
      'RUN@6-8',
      'COPY@9-13',
      'RUN@14-14',
      'RUN@15-15',
      'RUN@16-17',
      'FROM@18-18',
    ]);
    const froms = parsed.instructions.filter((i) => i.keyword === 'FROM').map((i) => i.from?.image?.value);
    expect(froms).toEqual(['alpine', 'real:1']);
  });

  it('reads names, quoting, chomping and file descriptors', () => {
    const [run1, run2, copy] = [parsed.instructions[1], parsed.instructions[2], parsed.instructions[3]];
    expect(run1?.heredocs).toEqual([
      {
        name: 'EOF',
        fileDescriptor: 0,
        chomp: false,
        expand: true,
        content: 'FROM evil:latest\nCOPY --from=evil:2 / /\n',
        line: 3,
        endLine: 5,
      },
    ]);
    expect(run2?.heredocs[0]).toMatchObject({ name: 'EOT', chomp: true, content: '\tFROM tabbed\n' });
    expect(copy?.heredocs.map((h) => [h.name, h.expand, h.content])).toEqual([
      ['EOF', false, 'FROM inside-first\n'],
      ['END', false, 'FROM inside-second\n'],
    ]);
    expect(parsed.instructions[6]?.heredocs[0]).toMatchObject({ name: 'X', fileDescriptor: 3 });
  });

  it('a quoted "<<EOF" and the JSON form are not heredocs', () => {
    expect(parsed.instructions[4]?.heredocs).toEqual([]);
    expect(parsed.instructions[5]?.json).toEqual(['sh', '-c', '<<EOF']);
    expect(parsed.instructions[5]?.heredocs).toEqual([]);
  });

  it('a heredoc in an ONBUILD trigger', () => {
    const p = parseDockerfile(lines('FROM a', 'ONBUILD RUN <<EOF', 'FROM x', 'EOF', 'FROM b'));
    expect(summary(p.instructions)).toEqual(['FROM@1-1', 'ONBUILD@2-4', 'FROM@5-5']);
    expect(p.instructions[1]?.onbuild?.heredocs[0]?.content).toBe('FROM x\n');
  });

  it('an unterminated heredoc is a problem and nothing after it is parsed', () => {
    const p = parseDockerfile(lines('FROM a', 'RUN <<EOF', 'echo', 'FROM b'));
    expect(p.problems).toEqual([
      { line: 2, message: 'unterminated heredoc <<EOF (the file ends before a line that is exactly "EOF")' },
    ]);
    expect(summary(p.instructions)).toEqual(['FROM@1-1', 'RUN@2-4']);
  });

  it('heredocs are only read for RUN, COPY and ADD', () => {
    const p = parseDockerfile(lines('FROM a', 'CMD cat <<EOF', 'FROM b'));
    expect(summary(p.instructions)).toEqual(['FROM@1-1', 'CMD@2-2', 'FROM@3-3']);
  });
});

describe('instructions', () => {
  it('instruction names are case-insensitive and AS names are lower-cased', () => {
    const p = parseDockerfile(
      lines('from --platform=linux/arm64 Alpine:3 as Build', 'copy --from=BUILD a b', 'Run echo'),
    );
    expect(p.instructions.map((i) => i.keyword)).toEqual(['FROM', 'COPY', 'RUN']);
    expect(p.instructions[0]?.from?.stageName).toBe('build');
    expect(p.instructions[0]?.from?.platform?.value).toBe('linux/arm64');
    expect(p.instructions[1]?.copyFrom?.value).toBe('BUILD');
  });

  it('flags: quotes and escapes are processed, the span covers the raw value', () => {
    const t = 'FROM a\nCOPY --chown=1:1 --from="alpine:3" x y\n';
    const copy = parseDockerfile(t).instructions[1];
    expect(copy?.flags.map((f) => [f.name, f.value])).toEqual([
      ['chown', '1:1'],
      ['from', 'alpine:3'],
    ]);
    expect(copy?.copyFrom && textAt(t, copy.copyFrom.span)).toBe('alpine:3');
    expect(copy?.args.map((a) => a.value)).toEqual(['x', 'y']);
  });

  it('flags end at the first word that is not one, or at "--"', () => {
    const p = parseDockerfile(lines('FROM a', 'COPY x --from=b y', 'COPY -- --from=b y'));
    expect(p.instructions[1]?.copyFrom).toBeUndefined();
    expect(p.instructions[2]?.copyFrom).toBeUndefined();
    expect(p.instructions[2]?.rest).toBe('--from=b y');
  });

  it('RUN --mount: type, from and its exact location', () => {
    const t = readCase('multistage.Dockerfile');
    const run = parseDockerfile(t).instructions.find((i) => i.keyword === 'RUN');
    expect(run?.mounts.map((m) => [m.type, m.from?.value])).toEqual([
      ['cache', undefined],
      ['bind', 'ghcr.io/acme/tools:1.0'],
    ]);
    const from = run?.mounts[1]?.from;
    expect(from?.span.line).toBe(10);
    expect(from && textAt(t, from.span)).toBe('ghcr.io/acme/tools:1.0');
    expect(run?.mounts[1]?.fields).toContainEqual({ key: 'source', value: '/bin' });
  });

  it.each([
    ['RUN --mount=from=img x', 'bind', 'img'],
    ['RUN --mount=FROM=img,TYPE=Cache x', 'cache', 'img'],
    ['RUN --mount="type=bind,from=img" x', 'bind', 'img'],
    // the flag's escapes are processed first, then the value is read as CSV: a quoted field
    ['RUN --mount=type=bind,\\"from=a,b\\" x', 'bind', 'a,b'],
    ['RUN --mount=type=bind,fr\\"om=a x', undefined, undefined],
    ['RUN --mount=type=bind,ro,from=img x', 'bind', 'img'],
  ])('mount %j', (line, type, from) => {
    const t = `FROM a\n${line}\n`;
    const p = parseDockerfile(t);
    const m = p.instructions[1]?.mounts[0];
    if (type === undefined) {
      expect(p.problems[0]?.message).toMatch(/csv/);
      return;
    }
    expect(m?.type).toBe(type);
    expect(m?.from?.value).toBe(from);
    expect(m?.from && textAt(t, m.from.span)).toBe(from);
  });

  it('JSON form and shell form', () => {
    const p = parseDockerfile(lines('FROM a', 'COPY ["a b", "c"]', 'RUN ["echo", 1]', 'CMD [not json'));
    expect(p.instructions[1]?.json).toEqual(['a b', 'c']);
    expect(p.problems).toEqual([
      { line: 3, message: 'RUN: when using JSON array syntax, arrays must be comprised of strings only' },
    ]);
    expect(p.instructions[3]?.json).toBeNull();
  });

  it('ONBUILD keeps its trigger', () => {
    const p = parseDockerfile(
      lines('FROM a', 'ONBUILD COPY --from=img:1 /a /b', 'onbuild run --mount=from=x,target=/t true'),
    );
    expect(p.instructions[1]?.onbuild?.keyword).toBe('COPY');
    expect(p.instructions[1]?.onbuild?.copyFrom?.value).toBe('img:1');
    expect(p.instructions[1]?.onbuild?.line).toBe(2);
    expect(p.instructions[2]?.onbuild?.mounts[0]?.from?.value).toBe('x');
  });

  const bad: Array<[string, RegExp]> = [
    ['FROM', /FROM needs an image/],
    ['FROM a b', /either one or three arguments/],
    ['FROM a AS 1st', /invalid name for build stage: "1st"/],
    ['FROM a AS b c', /either one or three arguments/],
    ['FROM --plat=x a', /unknown flag --plat/],
    ['FROM --platform a', /--platform needs a value/],
    ['COPY --from a b', /--from needs a value/],
    ['COPY --from=a --from=b c d', /--from is given twice/],
    ['ADD --from=a b c', /ADD does not support --from/],
    ['COPY a', /at least two arguments/],
    ['RUN --mount=type=nope,target=/x y', /unsupported mount type "nope"/],
    ['RUN --mount=type=secret,id=x,from=img y', /secret mount should not have a from/],
    ['RUN --mount y', /--mount needs a value/],
    ['ONBUILD', /ONBUILD needs an instruction/],
    ['ONBUILD ONBUILD RUN x', /Chaining ONBUILD/],
    ['ONBUILD FROM x', /FROM isn't allowed as an ONBUILD trigger/],
    ['FRM alpine', /unknown instruction: FRM/],
  ];
  it.each(bad)('%j is a problem', (line, message) => {
    const p = parseDockerfile(`FROM base\n${line}\n`);
    expect(p.problems.map((x) => x.line)).toContain(2);
    expect(p.problems.map((x) => x.message).join('\n')).toMatch(message);
  });

  it('empty and comment-only files have no instructions and no parse problems', () => {
    for (const t of ['', '\n\n', '# just a comment\n\n# another\n', '   \n\t\n']) {
      const p = parseDockerfile(t);
      expect(p.instructions).toEqual([]);
      expect(p.problems).toEqual([]);
    }
    expect(parseDockerfile('').lineCount).toBe(0);
    expect(parseDockerfile('a\nb').lineCount).toBe(2);
    expect(parseDockerfile('a\nb\n').lineCount).toBe(2);
  });

  it('a line longer than BuildKit accepts is a problem', () => {
    const p = parseDockerfile(`FROM a\nRUN echo ${'x'.repeat(70_000)}\n`);
    expect(p.problems).toEqual([{ line: 2, message: expect.stringMatching(/longer than 65535 bytes/) }]);
  });
});
