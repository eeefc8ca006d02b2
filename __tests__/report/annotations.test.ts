import { describe, expect, it } from '@jest/globals';
import { limitAnnotations, type AnnotationRequest } from '../../src/report/annotations.js';
import { code, escapeMarkdown } from '../../src/report/markdown.js';

const make = (level: AnnotationRequest['level'], n: number): AnnotationRequest[] =>
  Array.from({ length: n }, (_, i) => ({
    level,
    title: `${level} ${i}`,
    message: `${level} ${i}`,
    file: 'Dockerfile',
    line: i + 1,
  }));

describe('limitAnnotations', () => {
  it('puts errors first and keeps everything when under the limit', () => {
    const out = limitAnnotations([...make('warning', 2), ...make('error', 2), ...make('notice', 1)]);
    expect(out.map((a) => a.level)).toEqual(['error', 'error', 'warning', 'warning', 'notice']);
  });

  it('keeps nine of a level past ten and says how many more in the tenth', () => {
    const out = limitAnnotations([...make('error', 14), ...make('warning', 10)]);
    const errors = out.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(10);
    expect(errors[8]?.title).toBe('error 8');
    expect(errors[9]?.message).toMatch(/^5 more errors are not shown here/);
    expect(out.filter((a) => a.level === 'warning')).toHaveLength(10);
  });
});

describe('markdown escaping', () => {
  it('neutralises HTML, tables and links in user text', () => {
    const hostile = '<img src=x onerror=alert(1)> | [click](http://evil) **bold**\nnext';
    const escaped = escapeMarkdown(hostile);
    expect(escaped).not.toMatch(/<img/);
    expect(escaped).not.toMatch(/(^|[^\\])\|/);
    expect(escaped).not.toMatch(/(^|[^\\])\[click/);
    expect(escaped).not.toContain('\n');
  });

  it('fences inline code around backticks', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
  });
});
