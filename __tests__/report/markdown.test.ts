import { describe, expect, it } from '@jest/globals';
import { Marked } from 'marked';
import { cutBytes, renderWithin, type TableBlock } from '../../src/report/budget.js';
import { prose } from '../../src/report/sections.js';
import {
  cellCode,
  code,
  escapeMarkdown,
  escapeProse,
  fenced,
  formatDuration,
  safeUrl,
  table,
  truncate,
} from '../../src/report/markdown.js';

const marked = new Marked({ gfm: true, async: false });
const inline = (markdown: string): string => marked.parseInline(markdown) as string;
const cells = (markdown: string): string[] => {
  const html = marked.parse(table(['a', 'b'], [[markdown, 'end']])) as string;
  return [...html.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1] ?? '');
};

describe('escapeMarkdown', () => {
  it.each([
    '<img src=x onerror=alert(1)>',
    '<script>x</script>',
    '[click](http://evil)',
    '![p](https://evil/p.png)',
    '[ref]: https://evil',
    '**bold** _it_ ~~del~~ `code`',
    'a & b &amp; c',
    'x <details open>',
  ])('%s renders as its own text', (text) => {
    const html = inline(escapeMarkdown(text));
    expect(html).not.toMatch(/<(?!a href="(https?:[^"]+)">\1<\/a>)[a-z]/);
    const shown = html
      .replace(/<a href="[^"]+">([^<]*)<\/a>/g, '$1')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
    expect(shown).toBe(text);
  });

  it('keeps a table cell one cell and one line', () => {
    expect(cells(escapeMarkdown('x | y\nz'))).toEqual(['x | y z', 'end']);
  });

  it('does not let a title mention anyone', () => {
    expect(escapeMarkdown('ping @octocat and me@example.com')).toBe('ping @\u200boctocat and me@example.com');
  });
});

describe('escapeProse', () => {
  it('keeps our code spans and escapes everything around them', () => {
    expect(inline(escapeProse('set `push: false` <b>now</b>', false))).toBe(
      'set <code>push: false</code> &lt;b&gt;now&lt;/b&gt;',
    );
  });

  it('keeps a pipe inside a code span in its table cell', () => {
    expect(cells(escapeProse('ran `a | b` | c'))).toEqual(['ran <code>a | b</code> | c', 'end']);
  });
});

describe('code and fenced', () => {
  it('fences inline code around backticks', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(inline(code('<b>'))).toBe('<code>&lt;b&gt;</code>');
  });

  it('escapes pipes for table cells', () => {
    expect(cellCode('a|b')).toBe('`a\\|b`');
    expect(cells(cellCode('a|b'))).toEqual(['<code>a|b</code>', 'end']);
  });

  it('picks a fence no line can close', () => {
    const block = fenced('echo ```\n````', 'sh');
    expect(block.split('\n')[0]).toBe('`````sh');
    expect(marked.parse(`${block}\n\nafter`)).toMatch(/<\/code><\/pre>\n<p>after<\/p>/);
  });
});

describe('safeUrl', () => {
  it.each([
    ['https://avd.aquasec.com/nvd/cve-2024-1', 'https://avd.aquasec.com/nvd/cve-2024-1'],
    ['http://example.com/a b', 'http://example.com/a%20b'],
    ['https://example.com/x)(y|z', 'https://example.com/x%29%28y%7Cz'],
    ['javascript:alert(1)', undefined],
    ['data:text/html,<script>', undefined],
    ['/relative/path', undefined],
    ['not a url', undefined],
  ])('%s → %s', (url, safe) => {
    expect(safeUrl(url)).toBe(safe);
  });
});

describe('truncate and formatDuration', () => {
  it('cuts by characters, never inside one', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('✅✅✅✅', 3)).toBe('✅✅…');
    expect(truncate('abc', 3)).toBe('abc');
  });

  it.each([
    [undefined, ''],
    [999, '999 ms'],
    [1000, '1.0 s'],
    [59_940, '59.9 s'],
    [59_960, '1 min 0 s'],
    [119_600, '2 min 0 s'],
    [125_000, '2 min 5 s'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('renderWithin', () => {
  const block = (name: string, rows: number, width: number): TableBlock => ({
    kind: 'table',
    before: `### ${name}`,
    header: ['n', 'text'],
    rows: Array.from({ length: rows }, (_, i) => [String(i), 'x'.repeat(width)]),
    more: (n) => `${n} more ${name} rows`,
  });

  it('leaves what fits alone', () => {
    const out = renderWithin(['# title', block('a', 3, 10)], 10_000);
    expect(out).not.toContain('more');
    expect(out.split('\n').filter((l) => l.startsWith('| ') && /^\| \d/.test(l))).toHaveLength(3);
  });

  it('cuts the longest table first, down to the size of the others', () => {
    const small = block('small', 10, 20);
    const big = block('big', 1000, 100);
    const out = renderWithin(['# title', small, big, 'tail text'], 20_000);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(20_000);
    expect(out).not.toContain('more small rows');
    const omitted = Number(/_(\d+) more big rows_/.exec(out)?.[1]);
    const shown = out.split('\n').filter((l) => /^\| \d+ \| x{100} \|$/.test(l)).length;
    expect(shown + omitted).toBe(1000);
    expect(shown).toBeGreaterThan(100);
    expect(out.trimEnd().endsWith('tail text')).toBe(true);
  });

  it('holds several long tables to one size', () => {
    const out = renderWithin([block('one', 500, 100), block('two', 500, 100)], 30_000);
    const one = Number(/_(\d+) more one rows_/.exec(out)?.[1]);
    const two = Number(/_(\d+) more two rows_/.exec(out)?.[1]);
    expect(Math.abs(one - two)).toBeLessThanOrEqual(1);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(30_000);
  });

  it('counts rows that were never passed in', () => {
    const out = renderWithin([{ ...block('a', 2, 5), hidden: 98 }], 10_000);
    expect(out).toContain('_98 more a rows_');
  });
});

describe('cutBytes', () => {
  it('cuts at a character boundary, closes an open fence and says so', () => {
    const text = `intro\n\n\`\`\`sh\n${'é'.repeat(5000)}\n\`\`\`\n`;
    const out = cutBytes(text, 3001);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(3001);
    expect(out).not.toContain('\uFFFD');
    expect(out).toMatch(/\n```\n\n_The rest of this report was cut/);
  });
});

describe('prose', () => {
  it('turns a message of ours into paragraphs and one list, and no line of it into a heading or rule', () => {
    const message = [
      'Two things failed:',
      '- first `a | b`',
      '- second <b>',
      '# not a heading',
      '---',
      '1. not a list',
      'Fix them.',
    ].join('\n');
    expect(marked.parse(prose(message))).toBe(
      [
        '<p>Two things failed:</p>',
        '<ul>',
        '<li>first <code>a | b</code></li>',
        '<li>second &lt;b&gt;</li>',
        '</ul>',
        '<p># not a heading</p>',
        '<p>---</p>',
        '<p>1. not a list</p>',
        '<p>Fix them.</p>',
        '',
      ].join('\n'),
    );
  });
});
