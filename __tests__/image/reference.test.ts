import { describe, expect, it } from '@jest/globals';

import {
  formatReference,
  isValidDigest,
  isValidTag,
  parseReference,
  parseRepositoryOnly,
  ReferenceFormatError,
  repositoryName,
  tryParseReference,
  withDigest,
} from '../../src/image/reference.js';
import { UserError } from '../../src/util/errors.js';

const D = `sha256:${'a'.repeat(64)}`;
const D512 = `sha512:${'b'.repeat(128)}`;

describe('parseReference: valid references and their normalisation', () => {
  const valid: Array<[string, string, string, boolean]> = [
    // input, formatReference, repositoryName, implicitLatest
    ['node', 'docker.io/library/node:latest', 'docker.io/library/node', true],
    ['node:20', 'docker.io/library/node:20', 'docker.io/library/node', false],
    ['library/node:20', 'docker.io/library/node:20', 'docker.io/library/node', false],
    ['docker.io/node', 'docker.io/library/node:latest', 'docker.io/library/node', true],
    ['docker.io/library/node', 'docker.io/library/node:latest', 'docker.io/library/node', true],
    ['index.docker.io/node:1', 'docker.io/library/node:1', 'docker.io/library/node', false],
    ['index.docker.io/acme/app', 'docker.io/acme/app:latest', 'docker.io/acme/app', true],
    // upstream keeps registry-1.docker.io as written (no library/ prefix either)
    ['registry-1.docker.io/node', 'registry-1.docker.io/node:latest', 'registry-1.docker.io/node', true],
    ['acme/app', 'docker.io/acme/app:latest', 'docker.io/acme/app', true],
    ['ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app', false],
    ['ghcr.io/acme/team/app', 'ghcr.io/acme/team/app:latest', 'ghcr.io/acme/team/app', true],
    ['localhost/app', 'localhost/app:latest', 'localhost/app', true],
    ['localhost:5000/app:dev', 'localhost:5000/app:dev', 'localhost:5000/app', false],
    ['127.0.0.1:5000/a/b', '127.0.0.1:5000/a/b:latest', '127.0.0.1:5000/a/b', true],
    ['[::1]:5000/app', '[::1]:5000/app:latest', '[::1]:5000/app', true],
    ['[fe80::1]/app:1', '[fe80::1]/app:1', '[fe80::1]/app', false],
    ['example:5000/app', 'example:5000/app:latest', 'example:5000/app', true],
    [`node@${D}`, `docker.io/library/node@${D}`, 'docker.io/library/node', false],
    [`node:20@${D}`, `docker.io/library/node:20@${D}`, 'docker.io/library/node', false],
    [`ghcr.io/a/b:1@${D512}`, `ghcr.io/a/b:1@${D512}`, 'ghcr.io/a/b', false],
    [
      'acme/a.b-c__d---e/f_g.h',
      'docker.io/acme/a.b-c__d---e/f_g.h:latest',
      'docker.io/acme/a.b-c__d---e/f_g.h',
      true,
    ],
    [
      'gcr.io/distroless/static-debian12:nonroot',
      'gcr.io/distroless/static-debian12:nonroot',
      'gcr.io/distroless/static-debian12',
      false,
    ],
    // no "/" and a ":": upstream reads a familiar name with a tag, not a registry
    ['localhost:5000', 'docker.io/library/localhost:5000', 'docker.io/library/localhost', false],
    // registry hosts are case-insensitive: lower-cased so policy patterns cannot be sidestepped
    ['GHCR.IO/acme/app', 'ghcr.io/acme/app:latest', 'ghcr.io/acme/app', true],
    // an upper-case first component is a domain upstream; kept as written so it stays one
    ['Foo/bar', 'Foo/bar:latest', 'Foo/bar', true],
    ['app:_under.score-1', 'docker.io/library/app:_under.score-1', 'docker.io/library/app', false],
    [`app:${'t'.repeat(128)}`, `docker.io/library/app:${'t'.repeat(128)}`, 'docker.io/library/app', false],
  ];
  it.each(valid)('%s', (input, formatted, name, implicitLatest) => {
    const ref = parseReference(input);
    expect(formatReference(ref)).toBe(formatted);
    expect(repositoryName(ref)).toBe(name);
    expect(ref.implicitLatest).toBe(implicitLatest);
    // the normalised form parses back to itself
    expect(formatReference(parseReference(formatted))).toBe(formatted);
  });

  it('splits the parts', () => {
    expect(parseReference(`localhost:5000/team/app:v1@${D}`)).toEqual({
      registry: 'localhost:5000',
      repository: 'team/app',
      tag: 'v1',
      digest: D,
      implicitLatest: false,
    });
    expect(parseReference('node')).toEqual({
      registry: 'docker.io',
      repository: 'library/node',
      implicitLatest: true,
    });
  });
});

describe('parseReference: invalid references say what is wrong', () => {
  const invalid: Array<[string, RegExp]> = [
    ['', /empty/],
    ['Node', /must be lower case \(write "library\/node"\)/],
    ['ghcr.io/Acme/app', /must be lower case/],
    ['docker.io/library/Node:1', /must be lower case/],
    ['node:', /no tag/],
    ['node:-x', /tag "-x" is not valid/],
    ['node:.x', /tag ".x" is not valid/],
    ['node:a+b', /tag "a\+b" is not valid/],
    [`node:${'t'.repeat(129)}`, /129 characters long; the limit is 128/],
    ['node@sha256:abc', /64 hex characters/],
    [`node@sha256:${'A'.repeat(64)}`, /lower-case hex/],
    [`node@md5:${'a'.repeat(32)}`, /algorithm "md5" is not supported/],
    [`node@sha256:${'g'.repeat(64)}`, /not a hex character/],
    [`node@${D}@${D}`, /more than one "@"/],
    ['node@', /sha256:<64 hex/],
    ['a//b', /path component is empty/],
    ['a/b/', /path component is empty/],
    ['/a', /no host name|path component is empty|letter or digit/],
    ['ghcr.io/-app', /must start with a lower-case letter or digit/],
    ['ghcr.io/app-', /must not end with a separator/],
    ['ghcr.io/a___b', /letter or digit must follow/],
    ['ghcr.io/a..b', /letter or digit must follow/],
    ['ghcr.io/a b', /whitespace/],
    ['ghcr.io/a\tb', /whitespace/],
    ['ghcr.io/café', /ASCII only/],
    ['my_registry.io/app', /registry host "my_registry.io" contains "_"/],
    ['-bad.io/app', /registry host "-bad.io" contains "-"/],
    ['bad-.io/app', /registry host "bad-.io" contains "-"/],
    ['a..io/app', /empty label/],
    ['localhost:/app', /no port number/],
    ['localhost:50a0/app', /port "50a0", which is not a number/],
    ['[::1/app', /"\[" without "\]"/],
    ['[::g]/app', /not an IPv6 address/],
    ['[::1]x/app', /not a port/],
    ['a'.repeat(64), /image ID/],
    [`x/${'a'.repeat(256)}`, /repository name is 258 characters long; the limit is 255/],
    [`${'a'.repeat(5000)}`, /5000 characters long/],
    ['ghcr.io/app:tag:tag', /contains ":"/],
  ];
  it.each(invalid)('%j', (input, message) => {
    const result = tryParseReference(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
    expect(() => parseReference(input)).toThrow(ReferenceFormatError);
  });

  it('errors are user errors (shown as they are)', () => {
    let caught: unknown;
    try {
      parseReference('Bad');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as Error).message).toContain('invalid image reference "Bad"');
  });

  it('rejects pathological input quickly, without scanning it with a regexp', () => {
    const inputs = [
      'a'.repeat(5000),
      `${'a-'.repeat(2500)}!`,
      `${'a.'.repeat(400)}!`,
      `${'a/'.repeat(400)}A`,
      `${'a_'.repeat(400)}_`,
      `ghcr.io/${'a-'.repeat(450)}`,
    ];
    const start = performance.now();
    for (let i = 0; i < 200; i++) for (const s of inputs) tryParseReference(s);
    const elapsed = performance.now() - start;
    console.log(`1200 pathological references rejected in ${elapsed.toFixed(1)} ms`);
    for (const s of inputs) expect(tryParseReference(s).ok).toBe(false);
  });
});

describe('tags and digests', () => {
  it.each([
    ['latest', true],
    ['v1.2.3', true],
    ['_x', true],
    ['1', true],
    ['t'.repeat(128), true],
    ['t'.repeat(129), false],
    ['', false],
    ['.x', false],
    ['-x', false],
    ['a/b', false],
    ['a:b', false],
  ])('isValidTag(%j) = %j', (tag, ok) => {
    expect(isValidTag(tag)).toBe(ok);
  });

  it.each([
    [D, true],
    [D512, true],
    [`sha384:${'c'.repeat(96)}`, true],
    [`sha256:${'a'.repeat(63)}`, false],
    [`sha256:${'a'.repeat(65)}`, false],
    [`sha256:${'A'.repeat(64)}`, false],
    [`sha1:${'a'.repeat(40)}`, false],
    [`md5:${'a'.repeat(32)}`, false],
    ['a'.repeat(64), false],
    ['sha256:', false],
  ])('isValidDigest(%j) = %j', (d, ok) => {
    expect(isValidDigest(d)).toBe(ok);
  });
});

describe('withDigest', () => {
  it('keeps a written tag', () => {
    expect(formatReference(withDigest(parseReference('golang:1.22'), D))).toBe(
      `docker.io/library/golang:1.22@${D}`,
    );
  });
  it('pins an implicit latest without inventing a tag', () => {
    const pinned = withDigest(parseReference('ghcr.io/a/b'), D);
    expect(formatReference(pinned)).toBe(`ghcr.io/a/b@${D}`);
    expect(pinned.implicitLatest).toBe(false);
  });
  it('replaces an existing digest', () => {
    const other = `sha256:${'b'.repeat(64)}`;
    expect(formatReference(withDigest(parseReference(`a:1@${D}`), other))).toBe(
      `docker.io/library/a:1@${other}`,
    );
  });
  it('refuses an invalid digest', () => {
    expect(() => withDigest(parseReference('a'), 'sha256:xyz')).toThrow(/cannot pin docker.io\/library\/a/);
  });
});

describe('parseRepositoryOnly (the image input)', () => {
  it.each([
    ['ghcr.io/acme/app', 'ghcr.io', 'acme/app'],
    ['  ghcr.io/acme/app  ', 'ghcr.io', 'acme/app'],
    ['acme/app', 'docker.io', 'acme/app'],
    ['localhost:5000/app', 'localhost:5000', 'app'],
  ])('%j', (input, registry, repository) => {
    expect(parseRepositoryOnly(input)).toEqual({ ok: true, registry, repository });
  });

  it('a tag: remove it and use the tags input', () => {
    const r = parseRepositoryOnly('ghcr.io/acme/app:1.0');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toContain('has the tag "1.0"');
      expect(r.error).toContain('write "ghcr.io/acme/app"');
      expect(r.error).toContain('"tags" input');
    }
  });

  it('a digest: remove it', () => {
    const r = parseRepositoryOnly(`ghcr.io/acme/app@${D}`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/has the digest "sha256:a+": remove it/);
  });

  it('an invalid name says what is wrong with it', () => {
    const r = parseRepositoryOnly('ghcr.io/Acme/app');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^invalid image reference .*lower case/);
  });
});
