/**
 * In-place replacement of reference tokens (e.g. pinning `golang:1.22` to `golang:1.22@sha256:…`):
 * everything outside the edited spans stays byte-identical, line endings included.
 */
import type { BaseImageUse } from './analyze.js';

export interface ReferenceEdit {
  location: Pick<BaseImageUse['location'], 'line' | 'column' | 'endColumn'> & { endLine?: number };
  replacement: string;
}

/** Offsets where each line starts, and where its content ends (before "\n"). */
function lineTable(text: string): { starts: number[]; ends: number[] } {
  const starts = [0];
  const ends: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    ends.push(i);
    starts.push(i + 1);
  }
  ends.push(text.length);
  return { starts, ends };
}

/**
 * Applies the edits; throws on an edit outside the text or edits that overlap (a caller bug, never
 * user input). Edits may come in any order.
 */
export function rewriteReferences(text: string, edits: readonly ReferenceEdit[]): string {
  if (edits.length === 0) return text;
  const { starts, ends } = lineTable(text);
  const offset = (line: number, column: number, what: string): number => {
    const start = starts[line - 1];
    const end = ends[line - 1];
    if (
      start === undefined ||
      end === undefined ||
      !Number.isInteger(column) ||
      column < 0 ||
      start + column > end
    ) {
      throw new RangeError(`rewriteReferences: ${what} ${line}:${column} is outside the text`);
    }
    return start + column;
  };
  const resolved = edits
    .map((e) => {
      const from = offset(e.location.line, e.location.column, 'start');
      const to = offset(e.location.endLine ?? e.location.line, e.location.endColumn, 'end');
      if (to < from)
        throw new RangeError(
          `rewriteReferences: edit at ${e.location.line}:${e.location.column} ends before it starts`,
        );
      return { from, to, replacement: e.replacement };
    })
    .sort((a, b) => a.from - b.from || a.to - b.to);
  let out = '';
  let copied = 0;
  for (const e of resolved) {
    if (e.from < copied) throw new RangeError('rewriteReferences: edits overlap');
    out += text.slice(copied, e.from) + e.replacement;
    copied = e.to;
  }
  return out + text.slice(copied);
}
