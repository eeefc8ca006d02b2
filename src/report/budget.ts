import { table, tableRow, utf8Bytes } from './markdown.js';

/**
 * A report is a list of blocks: markdown text as it is, and tables that may lose rows from the end
 * when the whole does not fit its size limit. GitHub rejects a step summary over 1 MiB and a comment
 * over 65,536 characters; a cut table says how many rows it left out and where they are.
 */
export interface TableBlock {
  kind: 'table';
  header: readonly string[];
  rows: readonly (readonly string[])[];
  /** Rows that exist but were not passed in (a display cap applied earlier). */
  hidden?: number;
  /** The line under a cut table, e.g. "12 more rows not shown; the full report is …". Markdown. */
  more: (omitted: number) => string;
  /** Text right before the table (its heading); it stays when every row is cut, above the note. */
  before?: string;
  /** Text right after the table and its note (a closing `</details>`); it always stays. */
  after?: string;
}

export type Block = string | TableBlock;

/** Room left for the "N more rows" line when a table is cut, so the cut itself cannot overflow. */
const NOTE_SLACK = 256;

function renderTable(block: TableBlock, shown: number): string {
  const omitted = block.rows.length - shown + (block.hidden ?? 0);
  const parts: string[] = [];
  if (block.before) parts.push(block.before);
  if (shown > 0) parts.push(table(block.header, block.rows.slice(0, shown)));
  if (omitted > 0) parts.push(`_${block.more(omitted)}_`);
  if (block.after) parts.push(block.after);
  return parts.join('\n\n');
}

function render(blocks: readonly Block[], shown: readonly number[]): string {
  const parts = blocks.map((b, i) => (typeof b === 'string' ? b : renderTable(b, shown[i] ?? 0)));
  return `${parts.filter((p) => p !== '').join('\n\n')}\n`;
}

/** How many of `sizes` (row bytes, in order) fit in `cap` bytes. */
function rowsWithin(sizes: readonly number[], cap: number): number {
  let used = 0;
  for (let n = 0; n < sizes.length; n++) {
    used += sizes[n] ?? 0;
    if (used > cap) return n;
  }
  return sizes.length;
}

/**
 * Renders the blocks within `maxBytes` (UTF-8). When they do not fit, the longest tables are cut
 * first: every table is held to one common size, the largest that fits (the short tables stay whole,
 * the long ones lose rows from the end down to that size). Text that still does not fit (it is capped
 * where it is made, so this is a last resort) is cut at a character boundary with a line that says so.
 */
export function renderWithin(blocks: readonly Block[], maxBytes: number): string {
  const shown = blocks.map((b) => (typeof b === 'string' ? 0 : b.rows.length));
  const rowBytes = blocks.map((b) =>
    typeof b === 'string' ? [] : b.rows.map((r) => utf8Bytes(tableRow(r)) + 1),
  );
  const tableBytes = rowBytes.map((sizes) => sizes.reduce((a, n) => a + n, 0));
  let out = render(blocks, shown);
  let size = utf8Bytes(out);
  let budget = tableBytes.reduce((a, n) => a + n, 0) - (size - maxBytes);
  for (let tries = 0; size > maxBytes && tries < 8; tries++) {
    const tables = blocks.filter((b) => typeof b !== 'string').length;
    const room = Math.max(0, budget - tables * NOTE_SLACK);
    // The largest common cap whose sum fits the room: binary search over bytes.
    let low = 0;
    let high = Math.max(0, ...tableBytes);
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      const sum = tableBytes.reduce((a, n) => a + Math.min(n, mid), 0);
      if (sum <= room) low = mid;
      else high = mid - 1;
    }
    blocks.forEach((b, i) => {
      if (typeof b !== 'string') shown[i] = rowsWithin(rowBytes[i] ?? [], low);
    });
    out = render(blocks, shown);
    const next = utf8Bytes(out);
    budget -= Math.max(next - maxBytes, 0) + NOTE_SLACK;
    size = next;
  }
  return size <= maxBytes ? out : cutBytes(out, maxBytes);
}

const CUT_NOTE = '\n\n_The rest of this report was cut to stay within GitHub’s size limit._\n';

/** The longest prefix within `maxBytes` with the note, cut on a line boundary where one is near. */
export function cutBytes(text: string, maxBytes: number): string {
  // 16 bytes more for a closing fence.
  const room = Math.max(0, maxBytes - utf8Bytes(CUT_NOTE) - 16);
  const buffer = Buffer.from(text, 'utf8');
  let end = Math.min(room, buffer.length);
  // Not inside a multi-byte character: continuation bytes are 10xxxxxx.
  while (end > 0 && ((buffer[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  let head = buffer.subarray(0, end).toString('utf8');
  const newline = head.lastIndexOf('\n');
  if (newline > head.length - 2000) head = head.slice(0, newline);
  // An open code fence would swallow the note; close it.
  const fences = head.match(/^`{3,}/gm) ?? [];
  if (fences.length % 2 === 1) head += `\n${fences[fences.length - 1] ?? '```'}`;
  const out = `${head}${CUT_NOTE}`;
  const over = utf8Bytes(out) - maxBytes;
  return over > 0 && maxBytes > over ? cutBytes(text, maxBytes - over) : out;
}
