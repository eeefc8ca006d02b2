import { describe, expect, it } from '@jest/globals';
import {
  emitAnnotations,
  limitAnnotations,
  planAnnotations,
  type AnnotationRequest,
} from '../../src/report/annotations.js';

const make = (level: AnnotationRequest['level'], n: number, from = 0): AnnotationRequest[] =>
  Array.from({ length: n }, (_, i) => ({
    level,
    title: `${level} ${from + i}`,
    message: `${level} ${from + i}`,
    file: 'Dockerfile',
    line: from + i + 1,
  }));

/** Runs `fn` with stdout captured: @actions/core writes its workflow commands there. */
function captureStdout(fn: () => void): string[] {
  const original = process.stdout.write.bind(process.stdout);
  const lines: string[] = [];
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    lines.push(
      ...String(chunk)
        .split(/\r?\n/)
        .filter((l) => l !== ''),
    );
    return true;
  }) as typeof process.stdout.write;
  try {
    fn();
  } finally {
    process.stdout.write = original;
  }
  return lines;
}

describe('limitAnnotations', () => {
  it('puts errors first, then warnings, then notices, each in the order raised', () => {
    const out = limitAnnotations([
      ...make('notice', 1),
      ...make('warning', 2),
      ...make('error', 1),
      ...make('warning', 1, 2),
      ...make('error', 1, 1),
    ]);
    expect(out.map((a) => a.title)).toEqual([
      'error 0',
      'error 1',
      'warning 0',
      'warning 1',
      'warning 2',
      'notice 0',
    ]);
  });

  it.each([
    [10, 10, 0],
    [11, 10, 2],
    [14, 10, 5],
    [250, 10, 241],
  ])('%i errors: %i annotations, the last summing up %i', (n, shown, summed) => {
    const { shown: out, overflow } = planAnnotations([...make('error', n), ...make('warning', 3)]);
    const errors = out.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(shown);
    expect(out.filter((a) => a.level === 'warning')).toHaveLength(3);
    expect(overflow).toHaveLength(summed);
    if (summed === 0) return;
    expect(errors.slice(0, 9).map((a) => a.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const last = errors[9];
    expect(last?.title).toBe(`${summed} more errors`);
    expect(last?.file).toBeUndefined();
    expect(last?.message).toMatch(new RegExp(`^${summed} more errors are not shown as annotations`));
    // The first of those left out, by place and title.
    expect(last?.message).toContain('- Dockerfile:10: error 9');
    expect((last?.message.split('\n').length ?? 0) - 1).toBe(Math.min(summed, 20) + (summed > 20 ? 1 : 0));
  });

  it('says the same thing once', () => {
    const twice = [...make('warning', 2), ...make('warning', 2)];
    expect(limitAnnotations(twice)).toHaveLength(2);
  });
});

describe('emitAnnotations', () => {
  it('writes workflow commands with file, line and title, escaped, and logs what did not fit', () => {
    const requests: AnnotationRequest[] = [
      {
        level: 'warning',
        title: 'Base image not pinned to a digest',
        file: 'app/Docker,file',
        line: 6,
        message: 'golang:1.22 can change under you. Pin it:\nFROM golang:1.22@sha256:abc AS build',
      },
      { level: 'error', title: 'Vulnerability gate failed', message: '100% sure: 2 findings' },
      ...make('notice', 12),
    ];
    const lines = captureStdout(() => emitAnnotations(requests));
    expect(lines[0]).toBe('::error title=Vulnerability gate failed::100%25 sure: 2 findings');
    expect(lines[1]).toBe(
      '::warning title=Base image not pinned to a digest,file=app/Docker%2Cfile,line=6::golang:1.22 can change under you. Pin it:%0AFROM golang:1.22@sha256:abc AS build',
    );
    const notices = lines.filter((l) => l.startsWith('::notice'));
    expect(notices).toHaveLength(10);
    expect(notices[9]).toMatch(/^::notice title=3 more notices::3 more notices are not shown as annotations/);
    const logged = lines.filter((l) => !l.startsWith('::'));
    expect(logged).toEqual([
      'notice: Dockerfile:10: notice 9: notice 9',
      'notice: Dockerfile:11: notice 10: notice 10',
      'notice: Dockerfile:12: notice 11: notice 11',
    ]);
  });
});
