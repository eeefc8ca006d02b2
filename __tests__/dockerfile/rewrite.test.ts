import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

import { analyzeBaseImages, parseDockerfile, rewriteReferences } from '../../src/dockerfile/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const readCase = (name: string): string => readFileSync(join(here, 'cases', name), 'utf8');
const options = { buildArgs: {}, buildPlatform: 'linux/amd64', targetPlatform: 'linux/amd64' };
const D = `sha256:${'d'.repeat(64)}`;

describe('rewriteReferences', () => {
  it.each([
    'multistage.Dockerfile',
    'continuations.Dockerfile',
    'heredocs.Dockerfile',
    'escape-backtick.Dockerfile',
  ])('%s: replacing every ref by itself changes nothing', (name) => {
    const text = readCase(name);
    const a = analyzeBaseImages(parseDockerfile(text), options);
    expect(a.images.length).toBeGreaterThan(0);
    expect(
      rewriteReferences(
        text,
        a.images.map((u) => ({ location: u.location, replacement: u.ref })),
      ),
    ).toBe(text);
  });

  it('pins every image in place; the result parses to the pinned refs and the rest is unchanged', () => {
    const text = readCase('multistage.Dockerfile');
    const a = analyzeBaseImages(parseDockerfile(text), options);
    const edits = a.images
      .filter((u) => u.kind !== 'syntax' && u.resolved !== null)
      .map((u) => ({ location: u.location, replacement: `${u.resolved ?? ''}@${D}` }));
    const pinned = rewriteReferences(text, edits);
    const b = analyzeBaseImages(parseDockerfile(pinned), options);
    expect(b.problems).toEqual([]);
    expect(b.images.filter((u) => u.kind !== 'syntax').map((u) => u.resolved)).toEqual(
      a.images.filter((u) => u.kind !== 'syntax').map((u) => `${u.resolved ?? ''}@${D}`),
    );
    // line structure and every untouched line are identical
    const before = text.split('\n');
    const after = pinned.split('\n');
    expect(after).toHaveLength(before.length);
    const touched = new Set(edits.map((e) => e.location.line));
    before.forEach((line, i) => {
      if (!touched.has(i + 1)) expect(after[i]).toBe(line);
    });
    expect(after[9]).toBe(
      `    --mount=type=bind,from=ghcr.io/acme/tools:1.0@${D},source=/bin,target=/tools \\`,
    );
    expect(after[18]).toBe(`FROM docker.io/library/debian:12-slim@${D} AS runtime`);
  });

  it('rewrites a ref that sits on a continuation line', () => {
    const text = 'FROM \\\n    golang:1.22 \\\n    AS build\nRUN x\n';
    const [use] = analyzeBaseImages(parseDockerfile(text), options).images;
    expect(use?.location).toEqual({ line: 2, column: 4, endColumn: 15, endLine: 2 });
    const out = rewriteReferences(text, [{ location: use!.location, replacement: `golang:1.22@${D}` }]);
    expect(out).toBe(`FROM \\\n    golang:1.22@${D} \\\n    AS build\nRUN x\n`);
  });

  it('rewrites a ref that a continuation splits in two', () => {
    const text = 'FROM alp\\\nine:3\n';
    const [use] = analyzeBaseImages(parseDockerfile(text), options).images;
    expect(rewriteReferences(text, [{ location: use!.location, replacement: 'alpine:3' }])).toBe(
      'FROM alpine:3\n',
    );
  });

  it('keeps CRLF line endings and a byte-order mark byte for byte', () => {
    const text = '\uFEFFFROM alpine:3 AS a\r\nCOPY --from=busybox:1 /x /y\r\n';
    const a = analyzeBaseImages(parseDockerfile(text), options);
    expect(a.images.map((u) => u.kind)).toEqual(['from', 'copy-from']);
    const edits = a.images.map((u) => ({
      location: u.location,
      replacement: `${u.ref}@${D}`,
    }));
    expect(rewriteReferences(text, edits)).toBe(
      `\uFEFFFROM alpine:3@${D} AS a\r\nCOPY --from=busybox:1@${D} /x /y\r\n`,
    );
  });

  it('takes edits in any order', () => {
    const text = 'FROM a AS x\nFROM b\nCOPY --from=c / /\n';
    const edits = [
      { location: { line: 3, column: 12, endColumn: 13 }, replacement: 'C' },
      { location: { line: 1, column: 5, endColumn: 6 }, replacement: 'A' },
    ];
    expect(rewriteReferences(text, edits)).toBe('FROM A AS x\nFROM b\nCOPY --from=C / /\n');
  });

  it('refuses overlapping or out-of-range edits', () => {
    const text = 'FROM alpine\n';
    expect(() =>
      rewriteReferences(text, [
        { location: { line: 1, column: 5, endColumn: 11 }, replacement: 'x' },
        { location: { line: 1, column: 6, endColumn: 8 }, replacement: 'y' },
      ]),
    ).toThrow(/overlap/);
    expect(() =>
      rewriteReferences(text, [{ location: { line: 3, column: 0, endColumn: 1 }, replacement: 'x' }]),
    ).toThrow(/outside the text/);
    expect(() =>
      rewriteReferences(text, [{ location: { line: 1, column: 5, endColumn: 40 }, replacement: 'x' }]),
    ).toThrow(/outside the text/);
    expect(() =>
      rewriteReferences(text, [{ location: { line: 0, column: 0, endColumn: 0 }, replacement: 'x' }]),
    ).toThrow(/outside the text/);
  });

  it('no edits: the same string', () => {
    expect(rewriteReferences('FROM a\n', [])).toBe('FROM a\n');
  });
});
