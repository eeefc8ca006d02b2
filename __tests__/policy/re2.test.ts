import { describe, expect, it } from '@jest/globals';

import { checkRe2 } from '../../src/policy/re2.js';

describe('checkRe2 accepts what Go regexp.Compile accepts', () => {
  it.each([
    '^https://github\\.com/acme/base/\\.github/workflows/release\\.yml@refs/tags/v',
    '^https://github\\.com/chainguard-images/images/\\.github/workflows/release\\.yaml@refs/heads/main$',
    'keyless@distroless\\.iam\\.gserviceaccount\\.com',
    '',
    // syntax Go has and JavaScript does not
    '(?P<repo>[^/]+)/x',
    '(?i)^https://GITHUB\\.com/',
    '(?i:abc)d',
    '(?i-s:a.)',
    '(?U)a+',
    '(?s).',
    '\\Aabc\\z',
    '[[:alpha:]][[:^digit:]]',
    '\\pL\\p{Greek}\\P{^Han}\\p{Lu}\\PN',
    '\\Qa.b*c\\E+',
    // shared syntax
    '(?<name>a)',
    '\\x{263a}\\x41\\101\\0',
    'a{2,5}b{2,}c{3}',
    'a{,5}', // not a repeat in Go: literal `{,5}`
    'a{',
    '{',
    'x{1000}',
    '(x{10}){100}',
    '[]a]',
    '[^]a]',
    '[a-]',
    '[-a]',
    '[\\d\\s\\w.-]',
    '[\\p{L}\\x{41}-\\x{5A}]',
    'a*?b+?c??d{2}?',
    '()|(|a)|a|',
    '^*',
    '\\bword\\B',
    '(?:)*',
    '\\_\\/\\-\\.\\@',
    '[\\]\\[]',
  ])('%s', (pattern) => {
    expect(checkRe2(pattern).error).toBeUndefined();
  });
});

describe('checkRe2 rejects what Go rejects, saying why', () => {
  it.each([
    // unsupported by RE2 on purpose
    ['^(?=.*acme)', /lookahead `\(\?=…\)` is not supported: .*RE2.*linear-time/],
    ['^(?!evil)', /negative lookahead.*RE2/],
    ['(?<=a)b', /lookbehind.*RE2/],
    ['(?<!a)b', /negative lookbehind.*RE2/],
    ['(?>a+)b', /atomic group.*RE2/],
    ['a*+', /possessive quantifier `\*\+`.*RE2/],
    ['a++', /possessive quantifier `\+\+`/],
    ['a?+', /possessive quantifier `\?\+`/],
    ['a{2}+', /possessive quantifier `\{2\}\+`/],
    ['(a)\\1', /`\\1` is a backreference.*RE2/],
    ['(a)\\9', /backreference/],
    ['(?P<n>a)(?P=n)', /named backreference/],
    ['(?<n>a)\\k<n>', /named backreference/],
    ['(?#comment)a', /comment group/],
    ['(?R)', /recursion/],
    ['(a)(?1)', /subroutine call/],
    ['(?x)a b', /flags i, m, s and U, not `x`/],
    // ordinary syntax errors
    ['a**', /invalid nested repetition operator `\*\*`/],
    ['a*{2}', /invalid nested repetition operator/],
    ['*a', /missing argument to repetition operator `\*`/],
    ['a|*b', /missing argument to repetition operator/],
    ['(*a)', /missing argument to repetition operator/],
    ['(?i)*', /missing argument to repetition operator/],
    ['x{1001}', /invalid repeat count `\{1001\}`/],
    ['x{2,1}', /invalid repeat count `\{2,1\}`/],
    ['(x{500}){3}', /nested repetitions multiply/],
    ['((a{10}){10}){11}', /nested repetitions multiply/],
    ['\\C', /invalid escape sequence `\\C`/],
    ['abc\\Z', /`\\Z`.*use `\\z`/],
    ['\\u0041', /`\\x\{263A\}`/],
    ['\\8', /backreference/],
    ['\\q', /invalid escape sequence `\\q`/],
    ['[z-a]', /invalid character class range `z-a`/],
    ['[a', /missing closing `\]`/],
    ['[a-\\d]', /invalid escape sequence `\\d`/],
    ['a)', /unexpected `\)`/],
    ['(a', /missing closing `\)`/],
    ['((a)', /missing closing `\)`/],
    ['(?P<n!>a)', /invalid named capture/],
    ['(?P<>a)', /invalid named capture/],
    ['(?<n', /invalid named capture/],
    ['(?i-)a', /invalid or unsupported group syntax/],
    ['(?-)a', /invalid or unsupported group syntax/],
    ['\\p{Klingon}', /not a Unicode category or script/],
    ['\\pX', /not a Unicode category or script/],
    ['[[:foo:]]', /not a POSIX class name/],
    ['\\x{110000}', /invalid escape sequence/],
    ['\\xZZ', /invalid escape sequence/],
    ['abc\\', /trailing backslash/],
    [`${'('.repeat(1001)}a${')'.repeat(1001)}`, /nests too deeply/],
  ])('%s', (pattern, message) => {
    const result = checkRe2(pattern);
    expect(result.error).toMatch(message);
  });
});

describe('checkRe2 never runs the pattern', () => {
  // How long these take is measured by `npm run bench:patterns`, not asserted here.
  it('accepts catastrophic-backtracking shapes: RE2 matches them in linear time', () => {
    expect(checkRe2('^(a+)+$').error).toBeUndefined();
    expect(checkRe2(`^(${'(a|aa)+'.repeat(200)})+$`).error).toBeUndefined();
    expect(checkRe2(`${'(a*)*'.repeat(2000)}b`).error).toBeUndefined();
  });

  it('accepts a long pattern', () => {
    expect(checkRe2(`^${'[a-z]\\.'.repeat(20000)}$`).error).toBeUndefined();
  });

  it('refuses a pattern whose repetitions expand past what it will compile, before compiling it', () => {
    expect(checkRe2('a{1000}'.repeat(500)).error).toMatch(/needs more than 50000 instructions/);
  });

  it('says how to write what Go 1.25 calls \\p{ASCII}', () => {
    expect(checkRe2('^\\p{ASCII}+$').error).toMatch(/\[\\x00-\\x7F\]/);
  });
});

describe('checkRe2 anchoring', () => {
  it.each([
    ['^https://github\\.com/acme/', true],
    ['\\Ahttps://github\\.com/acme/', true],
    ['(?i)^https://github\\.com/acme/', true],
    ['(?:^a)b', true],
    ['^a|^b', true],
    ['(^a|^b)c', true],
    ['(^a)+', true],
    ['(?m)^a', false],
    ['https://github\\.com/acme/', false],
    ['^a|b', false],
    ['(^a)*b', false],
    ['.*^a', false],
    ['', false],
  ])('%s anchored: %s', (pattern, anchored) => {
    expect(checkRe2(pattern).anchoredAtStart).toBe(anchored);
  });
});
