import { describe, expect, it } from '@jest/globals';

import {
  globMatch,
  globToRegExp,
  imagePatternProblem,
  normaliseImagePattern,
} from '../../src/policy/glob.js';

// [pattern, name, matches]
const CASES: Array<[string, string, boolean]> = [
  // `*` stays within one segment
  ['ghcr.io/acme/*', 'ghcr.io/acme/app', true],
  ['ghcr.io/acme/*', 'ghcr.io/acme/team/app', false],
  ['ghcr.io/acme/*', 'ghcr.io/acme', false],
  ['ghcr.io/acme/base-*', 'ghcr.io/acme/base-alpine', true],
  ['ghcr.io/acme/base-*', 'ghcr.io/acme/base-', true],
  ['ghcr.io/acme/base-*', 'ghcr.io/acme/base-alpine/x', false],
  ['ghcr.io/*/app', 'ghcr.io/acme/app', true],
  ['ghcr.io/*/app', 'ghcr.io/acme/x/app', false],
  // `**` crosses segments, but the `/` before it is literal
  ['ghcr.io/acme/**', 'ghcr.io/acme/app', true],
  ['ghcr.io/acme/**', 'ghcr.io/acme/team/app/x', true],
  ['ghcr.io/acme/**', 'ghcr.io/acme', false],
  ['ghcr.io/acme/**', 'ghcr.io/acme-evil/app', false],
  ['ghcr.io/**/app', 'ghcr.io/a/b/app', true],
  ['ghcr.io/**/app', 'ghcr.io/a/b/apps', false],
  ['ghcr.io/acme/base-*/**', 'ghcr.io/acme/base-x/y/z', true],
  ['ghcr.io/acme/base-*/**', 'ghcr.io/acme/base-x', false],
  ['**', 'docker.io/library/golang', true],
  // dots are literal, not "any character"
  ['gcr.io/distroless/**', 'gcrXio/distroless/static', false],
  ['gcr.io/distroless/**', 'gcr.io/distroless/static', true],
  ['gcr.io/distroless/**', 'gcr.io/distroless/static-debian12', true],
  // other RegExp metacharacters are literal too
  ['a+b.io/x', 'aab.io/x', false],
  ['a+b.io/x', 'a+b.io/x', true],
  // Docker Hub official images
  ['docker.io/library/golang', 'docker.io/library/golang', true],
  ['docker.io/library/*', 'docker.io/library/node', true],
  ['docker.io/library/*', 'docker.io/acme/node', false],
  // registries with ports
  ['localhost:5000/**', 'localhost:5000/team/app', true],
  ['localhost:5000/**', 'localhost:5001/team/app', false],
  ['localhost:*/app', 'localhost:5000/app', true],
  ['[::1]:5000/**', '[::1]:5000/app', true],
  ['[::1]:5000/**', '[::2]:5000/app', false],
  ['registry.acme.internal/**', 'registry.acme.internal:443/x', false],
  // anchored at both ends
  ['ghcr.io/acme/app', 'ghcr.io/acme/app2', false],
  ['ghcr.io/acme/app', 'x.ghcr.io/acme/app', false],
];

describe('globMatch and globToRegExp', () => {
  it.each(CASES)('%s vs %s → %s', (pattern, name, expected) => {
    expect(globMatch(pattern, name)).toBe(expected);
    expect(globToRegExp(pattern).test(name)).toBe(expected);
  });

  it('returns a RegExp anchored at both ends', () => {
    const re = globToRegExp('ghcr.io/*');
    expect(re.test('ghcr.io/app')).toBe(true);
    expect(re.test('xghcr.io/app')).toBe(false);
    expect(re.test('ghcr.io/app/x')).toBe(false);
  });

  it('matches in linear-ish time where a backtracking RegExp would not', () => {
    // 25 stars and a name that almost matches: a backtracking engine tries ~C(100,25) splits.
    const pattern = `${'*a'.repeat(25)}b`;
    const name = 'a'.repeat(100);
    const start = performance.now();
    expect(globMatch(pattern, name)).toBe(false);
    expect(globMatch(`${'*a'.repeat(25)}*`, name)).toBe(true);
    expect(performance.now() - start).toBeLessThan(200);
  });
});

describe('normaliseImagePattern', () => {
  it.each([
    ['golang', 'docker.io/library/golang'],
    ['acme/app', 'docker.io/acme/app'],
    ['acme/*', 'docker.io/acme/*'],
    ['docker.io/golang', 'docker.io/library/golang'],
    ['docker.io/*', 'docker.io/library/*'],
    ['index.docker.io/acme/app', 'docker.io/acme/app'],
    ['docker.io/library/node', 'docker.io/library/node'],
    ['ghcr.io/acme/app', 'ghcr.io/acme/app'],
    ['localhost/app', 'localhost/app'],
    ['localhost:5000/app', 'localhost:5000/app'],
    ['registry-1.docker.io/acme/app', 'registry-1.docker.io/acme/app'],
    ['[::1]:5000/app', '[::1]:5000/app'],
    ['**', '**'],
    ['*.gcr.io/**', '*.gcr.io/**'],
  ])('%s → %s', (pattern, expected) => {
    expect(normaliseImagePattern(pattern)).toBe(expected);
  });
});

describe('imagePatternProblem', () => {
  it.each([
    'ghcr.io/acme/*',
    'localhost:5000/app',
    'docker.io/library/golang',
    '**',
    'a.b/c_d-e.f/**',
    'golang',
  ])('accepts %s', (pattern) => {
    expect(imagePatternProblem(pattern)).toBeUndefined();
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['ghcr.io/acme /app', /white space/],
    ['ghcr.io/Acme/app', /lower case \(write "ghcr.io\/acme\/app"\)/],
    ['golang:1.22', /tag \(":1.22"\).*write "golang"/],
    ['ghcr.io/acme/app:latest', /tag.*write "ghcr.io\/acme\/app"/],
    ['ghcr.io/acme/app@sha256:abc', /digest.*write "ghcr.io\/acme\/app"/],
    ['localhost:abc/app', /tag/],
    ['[::1]:5000', /tag/],
    ['[::1]:abc/app', /tag|contains/],
    ['ghcr.io/acme/app?', /contains "\?"/],
    ['ghcr.io/acme/{a,b}', /contains "\{"/],
    ['ghcr.io//app', /empty path segment/],
    ['ghcr.io/acme/', /empty path segment/],
    ['ghcr.io/acme**', /\*\* must be a whole segment/],
    ['ghcr.io/***', /\*\* must be a whole segment/],
  ])('rejects %j', (pattern, message) => {
    expect(imagePatternProblem(pattern)).toMatch(message);
  });
});
