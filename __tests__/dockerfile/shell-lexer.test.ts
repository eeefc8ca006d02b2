import { describe, expect, it } from '@jest/globals';

import { ExpansionBudget, processWord, type VarLookup } from '../../src/dockerfile/shell-lexer.js';

const env =
  (vars: Record<string, string>): VarLookup =>
  (name) =>
    Object.hasOwn(vars, name) ? { value: vars[name] ?? '' } : undefined;

const expand = (src: string, vars: Record<string, string> = {}, escapeToken = '\\') =>
  processWord(src, env(vars), { escapeToken });

describe('processWord follows BuildKit (cases from moby/buildkit shell/lex_test.go)', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['x', { DUMMY: 'dummy' }, 'x'],
    ['x ${FOO}', { FOO: 'y' }, 'x y'],
    ['${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}', { FOO: 'xxx', BAR: '' }, 'xxx  ccc'],
    ['${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}', { FOO: 'xxx', BAR: '' }, 'xxx bbb ccc'],
    ['${FOO:-}', { FOO: 'xxx', BAR: '' }, 'xxx'],
    ['${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}', { FOO: 'xxx', BAR: '' }, 'aaa bbb '],
    ['${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}', { FOO: 'xxx', BAR: '' }, 'aaa  '],
    ['${FOO?aaa}', { FOO: 'xxx', BAR: '' }, 'xxx'],
    ['${BAR?bbb}', { FOO: 'xxx', BAR: '' }, ''],
    ['${FOO:?aaa}', { FOO: 'xxx', BAR: '' }, 'xxx'],
    ['${FOO#()[]{\\}^$.\\*\\?|\\\\}', { FOO: '()[]{}^$.*?|\\x' }, 'x'],
    ['${FOO%%\\**}', { FOO: 'xx**' }, 'xx'],
    ['${FOO#*x*y}', { FOO: 'xxyy' }, 'y'],
    ['${FOO#*}', { FOO: 'xxyy' }, 'xxyy'],
    ['${FOO#$BAR}', { FOO: 'xxyy', BAR: 'x' }, 'xyy'],
    ['${FOO#$BAR}', { FOO: 'xxyy', BAR: '' }, 'xxyy'],
    ['${FOO#}', { FOO: 'xxyy' }, 'xxyy'],
    ['${FOO##*x}', { FOO: 'xxyy' }, 'yy'],
    ['${FOO##}', { FOO: 'xxyy' }, 'xxyy'],
    ['${FOO#?\\?}', { FOO: '???y' }, '?y'],
    ['${FOO%%\\**\\*}', { FOO: 'a***yy*' }, 'a'],
    ['${FOO%}', { FOO: 'xxyy' }, 'xxyy'],
    ['${FOO%%$BAR}', { FOO: 'xxyy', BAR: '' }, 'xxyy'],
    [
      '${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}',
      { FOO: '/foo*/*/*.txt', NEEDLE: '\\*/' },
      '/foo.*/*.txt - /foo..*.txt',
    ],
    [
      '${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}',
      { FOO: '/tmp/tmp/bar.txt', NEEDLE: '/tmp' },
      '/tmp/bar.txt - /bar.txt',
    ],
    [
      '${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}',
      { FOO: '/a/foo/b/c.txt', NEEDLE: '/?/', REPLACEMENT: '/' },
      '/foo/b/c.txt - /foo/c.txt',
    ],
    [
      '${FOO/$NEEDLE/$REPLACEMENT}',
      { FOO: 'http://google.de', NEEDLE: 'http://', REPLACEMENT: 'https://' },
      'https://google.de',
    ],
    ['${FOO//\\//\\/}', { FOO: '/tmp/foo.txt' }, '\\/tmp\\/foo.txt'],
    ['${FOO/$BAR/ww}', { FOO: 'xxyy', BAR: '' }, 'wwxxyy'],
    ['${FOO///}', { FOO: 'xxyy' }, 'xxyy'],
    [
      'something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz',
      { VERSION: 'v1.2.3', TARGETOS: 'linux', TARGETARCH: 'arm', TARGETVARIANT: 'v7' },
      'something-v1.2.3.linux-arm-v7.tar.gz',
    ],
    [
      'something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz',
      { VERSION: 'v1.2.3', TARGETOS: 'linux', TARGETARCH: 'amd64', TARGETVARIANT: '' },
      'something-v1.2.3.linux-amd64.tar.gz',
    ],
    // quotes and escapes
    ['"a $FOO b"', { FOO: 'x' }, 'a x b'],
    ["'a $FOO b'", { FOO: 'x' }, 'a $FOO b'],
    ['\\$FOO', { FOO: 'x' }, '$FOO'],
    ['"\\$FOO"', { FOO: 'x' }, '$FOO'],
    ['"a\\b"', {}, 'a\\b'],
    ['$', {}, '$'],
    ['a$', {}, 'a$'],
    ['$.x', {}, '$.x'],
    ['${FOO}bar', { FOO: 'x' }, 'xbar'],
    ['$FOO-bar', { FOO: 'x' }, 'x-bar'],
    ['$FOO_bar', { FOO_bar: 'y' }, 'y'],
  ];
  it.each(cases)('%j with %j → %j', (src, vars, want) => {
    const r = expand(src, vars);
    expect(r).toMatchObject({ ok: true, value: want });
  });

  const errors: Array<[string, Record<string, string>, RegExp]> = [
    ['${BAZ?ccc}', { FOO: 'xxx' }, /BAZ: ccc/],
    ['${BAR:?bbb}', { BAR: '' }, /BAR: bbb/],
    ['${BAZ:?}', {}, /BAZ: is not allowed to be unset/],
    ['${BAR:?}', { BAR: '' }, /BAR: is not allowed to be empty/],
    ['${VAR:?message here$ARG}', { VAR: '', ARG: 'x' }, /message herex/],
    ['${FOO=aaa}', { FOO: 'xxx' }, /unsupported modifier \(=\)/],
    ['${FOO=:aaa}', { FOO: 'xxx' }, /unsupported modifier/],
    ['${FOO=}', {}, /unsupported modifier/],
    ['${FOO//ww}', { FOO: 'xxyy' }, /missing '\/'/],
    ['${FOO//}', { FOO: 'xxyy' }, /missing/],
    ['${FOO', {}, /missing '}'/],
    ['${}', {}, /bad substitution/],
    ['${:x}', {}, /bad substitution/],
    ['"abc', {}, /matching double-quote/],
    ["'abc", {}, /matching single-quote/],
    ['${FOO#\\x}', { FOO: 'a' }, /invalid escape/],
  ];
  it.each(errors)('%j fails: %s', (src, vars, message) => {
    const r = expand(src, vars);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe('unresolved variables are named, not silently empty', () => {
  it.each([
    ['${TAG}', ['TAG']],
    ['$TAG', ['TAG']],
    ['a-${A}-${B}', ['A', 'B']],
    ['${TAG#v}', ['TAG']],
    ['${TAG/a/b}', ['TAG']],
    ['${TAG:-3.19}', []],
    ['${TAG-3.19}', []],
    ['${TAG+x}', []],
    ['${TAG:-$OTHER}', ['OTHER']],
    ['${SET:-$OTHER}', []],
    ['${SET:+$OTHER}', ['OTHER']],
    ['${TAG:+$OTHER}', []],
  ])('%j → %j', (src, names) => {
    const r = expand(src, { SET: 'yes' });
    expect(r.unresolved).toEqual(names);
  });

  it('a value computed from an unresolved variable carries it along', () => {
    const lookup: VarLookup = (n) => (n === 'B' ? { value: '', unresolved: ['A'] } : undefined);
    expect(processWord('x${B}', lookup, { escapeToken: '\\' })).toMatchObject({
      ok: true,
      unresolved: ['A'],
    });
    // with a default, an empty-but-unknown value still cannot be decided
    expect(processWord('${B:-d}', lookup, { escapeToken: '\\' })).toMatchObject({ unresolved: ['A'] });
  });
});

describe('the escape token follows the directive', () => {
  it('backtick escapes, backslash is literal', () => {
    expect(expand('`$FOO\\x', { FOO: 'v' }, '`')).toMatchObject({ ok: true, value: '$FOO\\x' });
    expect(expand('"`"x"', {}, '`')).toMatchObject({ ok: true, value: '"x' });
  });
});

describe('words (heredoc detection mode)', () => {
  const words = (src: string) =>
    processWord(src, undefined, {
      escapeToken: '\\',
      rawQuotes: true,
      rawEscapes: true,
      skipUnsetEnv: true,
      words: true,
    });
  it.each([
    ['RUN <<EOF cat', ['RUN', '<<EOF', 'cat']],
    ['RUN echo "a <<EOF b"', ['RUN', 'echo', '"a <<EOF b"']],
    ['RUN <<"EOF"', ['RUN', '<<"EOF"']],
    ['COPY <<a <<b /dst', ['COPY', '<<a', '<<b', '/dst']],
    ['RUN $UNSET ${X:-y}', ['RUN', '$UNSET', '${X:-y}']],
    // an escaped blank stays inside the word
    ['RUN a\\ b', ['RUN', 'a\\ b']],
  ])('%j', (src, want) => {
    expect(words(src)).toMatchObject({ ok: true, words: want });
  });
});

describe('hostile input', () => {
  it('nesting is capped', () => {
    const deep = `${'${A:-'.repeat(200)}x${'}'.repeat(200)}`;
    const r = expand(deep);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/nested deeper than 64/);
  });

  it('10,000 expansions in one word run in linear time', () => {
    const src = '${A}'.repeat(10_000);
    const start = performance.now();
    const r = expand(src, { A: 'a' });
    console.log(`10,000 expansions: ${(performance.now() - start).toFixed(1)} ms`);
    expect(r).toMatchObject({ ok: true });
    if (r.ok) expect(r.value).toHaveLength(10_000);
  });

  it('expansions that produce too much stop with an error', () => {
    const r = expand('${A}'.repeat(100), { A: 'x'.repeat(10_000) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/add more than 65536 characters/);
  });

  it('a shared budget bounds total work', () => {
    const budget = new ExpansionBudget(1000);
    const lookup = env({ A: 'x'.repeat(600) });
    expect(processWord('$A', lookup, { escapeToken: '\\', budget }).ok).toBe(true);
    const second = processWord('$A', lookup, { escapeToken: '\\', budget });
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.error).toMatch(/too much work/);
  });

  it('pattern matching on long values is linear in value × pattern, and charged to the budget', () => {
    const value = `${'a'.repeat(20_000)}b`;
    const start = performance.now();
    const r = processWord('${V%%*a*a*a*c}', env({ V: value }), {
      escapeToken: '\\',
      budget: new ExpansionBudget(1_000_000),
    });
    console.log(`pattern on a 20,001-character value: ${(performance.now() - start).toFixed(1)} ms`);
    expect(r).toMatchObject({ ok: true, value });
    const starved = processWord('${V%%*a*a*a*c}', env({ V: value }), {
      escapeToken: '\\',
      budget: new ExpansionBudget(50_000),
    });
    expect(starved.ok).toBe(false);
  });
});
