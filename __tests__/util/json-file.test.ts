import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LazyJsonArray, writeJsonFile } from '../../src/util/json-file.js';

const dir = mkdtempSync(join(tmpdir(), 'json-file-'));
let n = 0;
async function written(value: unknown): Promise<string> {
  const file = join(dir, `${n++}.json`);
  await writeJsonFile(file, value);
  return readFileSync(file, 'utf8');
}

describe('writeJsonFile', () => {
  it.each([
    ['a number', 42],
    ['a string with quotes and other scripts', 'a "b" \\ 日本 😀 \u2028'],
    ['null', null],
    ['nested objects and short arrays', { a: [1, { b: [true, false, null] }], c: {}, d: [] }],
    ['undefined properties, which JSON leaves out', { a: undefined, b: 1, c: (): number => 1 }],
    ['undefined in arrays, which JSON writes as null', [undefined, 1]],
    ['a Date, through its toJSON', { when: new Date('2026-11-22T00:00:00Z') }],
    [
      'a long array of objects (written an element at a time)',
      {
        runs: [
          { results: Array.from({ length: 5_000 }, (_, i) => ({ i, text: `r${i}`, nested: { x: [i] } })) },
        ],
      },
    ],
  ])('writes exactly what JSON.stringify writes: %s', async (_name, value) => {
    expect(await written(value)).toBe(`${JSON.stringify(value)}\n`);
  });

  it('writes a text larger than its write chunk whole, in order', async () => {
    const value = Array.from({ length: 3_000 }, (_, i) => 'x'.repeat(1_000) + String(i));
    const text = await written(value);
    expect(text.length).toBeGreaterThan(3_000_000);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('makes the elements of a LazyJsonArray as it writes them, once each', async () => {
    const made: number[] = [];
    const lazy = new LazyJsonArray(3, (i) => {
      made.push(i);
      return { i };
    });
    expect(made).toEqual([]);
    expect(await written({ results: lazy })).toBe('{"results":[{"i":0},{"i":1},{"i":2}]}\n');
    expect(made).toEqual([0, 1, 2]);
    // Anything else that turns it into JSON sees the whole array.
    expect(JSON.stringify(new LazyJsonArray(2, (i) => i * 2))).toBe('[0,2]');
  });
});
