import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeferredArray,
  JsonSyntaxError,
  openFileSource,
  parseDeferring,
} from '../../src/scan/json-deferred.js';
import { readUpstream } from './helpers.js';

/** The document with every deferred array read back into a plain array. */
function materialise(value: unknown): unknown {
  if (value instanceof DeferredArray) return [...value].map(materialise);
  if (Array.isArray(value)) return value.map(materialise);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialise(v)]));
  }
  return value;
}

const parse = (text: string, defer: string[][]): unknown => parseDeferring(Buffer.from(text, 'utf8'), defer);

describe('parseDeferring reads what JSON.parse reads', () => {
  it.each([
    ['trivy/alpine-310.json.golden', [['Results', '*', 'Vulnerabilities']]],
    ['trivy/distroless-base.json.golden', [['Results', '*', 'Vulnerabilities']]],
    ['trivy/alpine-distroless.json.golden', [['Results', '*', 'Vulnerabilities']]],
    ['grype/keycloak-test.json', [['matches'], ['ignoredMatches']]],
    ['grype/chainguard-ruby-test.json', [['matches']]],
    ['grype/ghsa-test.json', [['matches']]],
  ])('%s, with its findings deferred', (fixture, defer) => {
    const text = readUpstream(fixture);
    expect(materialise(parse(text, defer))).toEqual(JSON.parse(text));
  });

  it('leaves the named arrays unparsed until they are read, one element at a time', () => {
    const text = readUpstream('trivy/alpine-310.json.golden');
    const doc = parse(text, [['Results', '*', 'Vulnerabilities']]) as {
      Results: Array<{ Vulnerabilities: unknown }>;
    };
    const vulns = doc.Results[0]?.Vulnerabilities;
    expect(vulns).toBeInstanceOf(DeferredArray);
    const expected = (JSON.parse(text) as { Results: Array<{ Vulnerabilities: unknown[] }> }).Results[0]
      ?.Vulnerabilities;
    expect((vulns as DeferredArray).length).toBe(expected?.length);
    expect((vulns as DeferredArray).at(1)).toEqual(expected?.[1]);
  });

  it('strings that hold quotes, backslashes, brackets and other scripts do not end values early', () => {
    const items = [
      { s: 'a "quoted" ] } word' },
      { s: 'ends in a backslash \\' },
      { s: '\\\\"' },
      { s: 'naïve — 日本語 😀', t: ['[', '{', '\\['] },
      { '': null, n: -1.5e-3, b: true, f: false },
      [],
      {},
      'plain',
      12,
    ];
    const text = JSON.stringify({ head: { list: items }, tail: items }, null, 2);
    const doc = parse(text, [['head', 'list'], ['tail']]);
    expect(materialise(doc)).toEqual(JSON.parse(text));
  });

  it('keeps the last of duplicate keys and treats __proto__ as a plain key, as JSON.parse does', () => {
    const text = '{"a":1,"a":2,"__proto__":{"polluted":true},"list":[{"__proto__":{"x":1}}]}';
    const doc = parse(text, [['list']]) as Record<string, unknown>;
    expect(materialise(doc)).toEqual(JSON.parse(text));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
  });

  it('reads indented arrays whose nesting breaks the indentation, as JSON.parse does', () => {
    // trivy and grype indent consistently, and the elements' ends are then found from the layout. These
    // documents are valid JSON whose layout misleads that search: an inner object closes at the element's own
    // indentation. The first is caught while walking, the second only when its first element is read.
    const early = ['{', ' "list": [', '  {', '   "a": {', '  },', '   "b": 1', '  }', ' ]', '}'].join('\n');
    const late = [
      '{',
      ' "list": [',
      '  {',
      '   "a": [',
      '    {',
      '  },',
      '  {',
      '    }',
      '   ]',
      '  }',
      ' ]',
      '}',
    ].join('\n');
    for (const text of [early, late]) {
      const doc = parse(text, [['list']]) as { list: DeferredArray };
      expect(materialise(doc)).toEqual(JSON.parse(text));
      expect(doc.list.length).toBe(1);
    }
  });

  it('indented arrays spread over the read window are read whole', () => {
    const items = Array.from({ length: 5_000 }, (_, i) => ({
      i,
      text: 'x'.repeat(400 + (i % 50)),
      nested: { a: [i] },
    }));
    const text = JSON.stringify({ list: items }, null, 2);
    expect(text.length).toBeGreaterThan(2 << 20);
    const file = join(mkdtempSync(join(tmpdir(), 'json-deferred-')), 'big.json');
    writeFileSync(file, text);
    const source = openFileSource(file);
    try {
      expect(materialise(parseDeferring(source, [['list']]))).toEqual(JSON.parse(text));
    } finally {
      source.close();
    }
  });

  it('agrees with JSON.parse on generated documents', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pieces = ['', 'a', '"', '\\', '[', ']', '{', '}', ',', ':', ' ', '\n', 'é', '\u0000', '\u2028'];
    const value = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.3) {
        return r < 0.1
          ? Math.round(random() * 1e6) / 100
          : Array.from({ length: 4 }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      }
      if (r < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 4) }, (_, i) => [`k${i}`, value(depth + 1)]),
      );
    };
    for (let i = 0; i < 200; i++) {
      const doc = { items: Array.from({ length: 3 }, () => ({ list: value(0) })) };
      const text = JSON.stringify(doc, null, i % 2 === 0 ? 0 : 1);
      expect(materialise(parse(text, [['items', '*', 'list'], ['items']]))).toEqual(doc);
    }
  });
});

describe('parseDeferring refuses what is not JSON, and says where', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['empty', '', /^Unexpected end of JSON input at line 1 column 1$/],
    ['an unterminated string', '{\n  "a": "open\n}', /^Unterminated string at line 2 column 8$/],
    ['a cut-off document', '{"Results": [{"Vulnerabilities": [{"a": 1}', /Unexpected end of JSON input/],
    [
      'text after the document',
      '{"a": 1}\n\nTotal: 0',
      /^Unexpected non-whitespace character after JSON at line 3 column 1$/,
    ],
    ['a missing comma', '{"a": 1\n "b": 2}', /^Expected ',' or '}' after property value at line 2 column 2$/],
    ['a bare word', '{"a": nope}', /at line 1 column 7/],
    ['a table, not JSON', 'Total: 0 (UNKNOWN: 0)', /at line 1 column 1/],
  ];
  it.each(cases)('%s', (_name, text, message) => {
    let thrown: unknown;
    try {
      parse(text, [['Results', '*', 'Vulnerabilities']]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(JsonSyntaxError);
    expect((thrown as Error).message).toMatch(message);
  });

  it('an element of a deferred array that is not JSON fails when it is read, naming its line', () => {
    const text = '{"list": [\n{"a": 1},\n{"a": tru}\n]}';
    const doc = parse(text, [['list']]) as { list: DeferredArray };
    expect(doc.list.at(0)).toEqual({ a: 1 });
    expect(() => doc.list.at(1)).toThrow(/not valid JSON at line 3 column 1$/);
  });
});
