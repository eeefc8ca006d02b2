// compileRe2 matches as Go's regexp does (grype reads ignore rules with it), and in time linear in the
// text: these are Go's answers, including where JavaScript's differ, and shapes a backtracking engine
// cannot finish.
import { describe, expect, it } from '@jest/globals';
import { checkRe2, compileRe2, RE2_MAX_INSTRUCTIONS } from '../../src/policy/re2.js';

describe('compileRe2 matches as Go MatchString does', () => {
  it.each<[string, string, boolean]>([
    ['b', 'abc', true],
    ['^b', 'abc', false],
    ['^a{2,3}$', 'aaaa', false],
    ['^a{2,3}$', 'aaa', true],
    ['^a{2,}$', 'a'.repeat(50), true],
    ['^(ab|c){2}$', 'abc', true],
    ['^x{0}y$', 'y', true],
    ['^(?:)*$', '', true],
    ['^(a*)*b$', 'aaab', true],
    // `.` stops at a line break unless (?s); a negated class does not (Go's ClassNL).
    ['^a.b$', 'a\nb', false],
    ['(?s)^a.b$', 'a\nb', true],
    ['^[^x]$', '\n', true],
    // `$` is the end of the text unless (?m).
    ['a$', 'a\n', false],
    ['(?m)^b$', 'a\nb\nc', true],
    ['\\Aa\\z', 'a', true],
    // Flags hold to the end of their group, across `|`.
    ['^(?i)abc$', 'ABC', true],
    ['^(?i:a)b$', 'AB', false],
    ['^a(?i)b|c$', 'C', true],
    ['^(?i)k$', '\u212a', true],
    ['^(?i)[^k]$', 'K', false],
    // Perl and POSIX classes are ASCII; \p classes are Unicode.
    ['^\\d$', '\u0663', false],
    ['^\\w+$', 'é', false],
    ['^\\pL+$', 'é', true],
    ['^\\PL$', 'é', false],
    ['^\\p{Greek}$', 'λ', true],
    ['^[[:alpha:]]+[[:^digit:]]$', 'ab-', true],
    ['^[\\d\\s]+$', '1 2', true],
    ['\\bfoo\\b', 'a foo b', true],
    ['\\bfoo\\b', 'afoob', false],
    ['\\Boo', 'foo', true],
    ['^\\Qa.b\\E$', 'a.b', true],
    ['^\\Qa.b\\E$', 'axb', false],
    ['^(?P<name>x)\\x41\\101$', 'xAA', true],
    // One code point, not one UTF-16 unit.
    ['^.$', '\u{1F600}', true],
    ['^[\u{1F600}-\u{1F64F}]$', '\u{1F610}', true],
  ])('%s against %j → %s', (pattern, text, expected) => {
    expect(compileRe2(pattern).test(text)).toBe(expected);
  });
});

describe('compileRe2 never backtracks', () => {
  // A JavaScript RegExp needs about 2^n steps for each of these: with a backtracking engine these would not return.
  it.each<[string, string, boolean]>([
    ['^(a+)+$', 'a'.repeat(10_000) + '!', false],
    ['^(a+)+$', 'a'.repeat(10_000), true],
    ['^(a|aa)+b$', 'a'.repeat(10_000), false],
    ['^(a|a?)+b$', 'a'.repeat(10_000), false],
    ['^(.*a){12}c$', 'a'.repeat(2_000), false],
    ['(x+x+)+y', 'x'.repeat(5_000), false],
  ])('%s against a long text', (pattern, text, expected) => {
    const matcher = compileRe2(pattern);
    expect(matcher.test(text)).toBe(expected);
  });

  it('refuses a program larger than the limit, saying why, instead of matching slowly', () => {
    const pattern = '[a-z]{1000}'.repeat(11);
    expect(checkRe2(pattern).error).toBeUndefined();
    expect(() => compileRe2(pattern)).toThrow(
      `needs more than ${RE2_MAX_INSTRUCTIONS} instructions to match`,
    );
    expect(compileRe2('[a-z]{1000}'.repeat(9)).test('q'.repeat(100))).toBe(false);
  });

  it('rejects what Go rejects, with checkRe2 reasons', () => {
    for (const pattern of ['(?=a)', 'a**', '(a', 'a)', '\\8', '[z-a]']) {
      const reason = checkRe2(pattern).error;
      expect(reason).toBeDefined();
      expect(() => compileRe2(pattern)).toThrow(reason);
    }
  });
});
