import { describe, expect, it } from '@jest/globals';
import { compileGlob } from '../../src/policy/glob.js';
import { parsePurl, purlMatches } from '../../src/scan/purl.js';

describe('compileGlob', () => {
  it.each([
    ['usr/lib/*.so', 'usr/lib/libssl.so', true],
    ['usr/lib/*.so', 'usr/lib/x/libssl.so', false],
    ['usr/**/*.so', 'usr/libssl.so', true],
    ['usr/**/*.so', 'usr/lib/x/libssl.so', true],
    ['**', 'a/b/c', true],
    ['**/METADATA', 'METADATA', true],
    ['**/METADATA', 'a/b/METADATA', true],
    ['a/**', 'a/b/c', true],
    ['a/**', 'b/a/c', false],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false],
    ['[ab]x', 'bx', true],
    ['[!ab]x', 'cx', true],
    ['[!ab]x', 'ax', false],
    ['*.{jar,war}', 'app.war', true],
    ['*.{jar,war}', 'app.ear', false],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['file.txt', 'fileXtxt', false],
    ['(x)+', '(x)+', true],
    ['a.b$c^d|e', 'a.b$c^d|e', true],
    ['{a,b{c,d}}/x', 'bd/x', true],
    ['[z-]x', '-x', true],
    // doublestar matches runes: `?` is one code point, even outside the BMP.
    ['a?c', 'a\u{1F600}c', true],
    ['**', 'a\nb', true],
  ])('%s vs %s → %s', (pattern, path, expected) => {
    expect(compileGlob(pattern)(path)).toBe(expected);
  });

  it.each(['a[b', 'a{b', 'a\\', '[z-a]'])('%s is malformed', (pattern) => {
    expect(() => compileGlob(pattern)).toThrow(`the pattern ${JSON.stringify(pattern)}`);
  });

  // Each `*` can take any share of a run of `a`s; a backtracking RegExp tries every split (minutes here, or it never returns).
  it.each([
    ['*a'.repeat(12) + '*c', 'a'.repeat(40), false],
    ['*a'.repeat(12) + '*c', 'a'.repeat(40) + 'c', true],
    ['**/a'.repeat(12) + '/**/c', 'a/'.repeat(40) + 'b', false],
    ['**/a'.repeat(12) + '/**/c', 'a/'.repeat(40) + 'c', true],
    ['{a,a*}'.repeat(15) + 'c', 'a'.repeat(40), false],
  ])('%s against %s finishes at once (%s)', (pattern, path, expected) => {
    const glob = compileGlob(pattern);
    expect(glob(path)).toBe(expected);
  });
});

describe('purl', () => {
  it('parses all components, decoding percent-escapes', () => {
    expect(
      parsePurl(
        'pkg:maven/org.apache.httpcomponents/httpclient@4.1.1?type=jar&classifier=&repository_url=a%2Fb#sub/./x',
      ),
    ).toEqual({
      type: 'maven',
      namespace: 'org.apache.httpcomponents',
      name: 'httpclient',
      version: '4.1.1',
      qualifiers: { type: 'jar', repository_url: 'a/b' },
      subpath: 'sub/x',
    });
    expect(parsePurl('pkg:oci/app@sha256%3Aabc?repository_url=ghcr.io/acme/app')).toMatchObject({
      type: 'oci',
      namespace: '',
      name: 'app',
      version: 'sha256:abc',
    });
    expect(parsePurl('pkg:npm/%40scope/name@1.0.0')).toMatchObject({ namespace: '@scope', name: 'name' });
  });

  it.each(['', 'deb/debian/x', 'pkg:deb', 'https://example.com'])('%s is not a purl', (text) => {
    expect(parsePurl(text)).toBeUndefined();
  });

  it('matching follows the constraint: what it states must hold', () => {
    const must = (text: string) => {
      const purl = parsePurl(text);
      if (!purl) throw new Error(`not a purl: ${text}`);
      return purl;
    };
    const target = must('pkg:apk/alpine/libcrypto1.1@1.1.1c-r0?arch=x86_64&distro=3.10.2');
    const check = (c: string) => purlMatches(must(c), target);
    expect(check('pkg:apk/alpine/libcrypto1.1')).toBe(true);
    expect(check('pkg:APK/alpine/libcrypto1.1@1.1.1c-r0?distro=3.10.2')).toBe(true);
    expect(check('pkg:apk/alpine/libcrypto1.1@1.1.1d-r0')).toBe(false);
    expect(check('pkg:apk/alpine/libssl1.1')).toBe(false);
    expect(check('pkg:apk/alpine/libcrypto1.1?arch=aarch64')).toBe(false);
    expect(check('pkg:apk/libcrypto1.1')).toBe(false);
  });
});
