// The one table every benchmark part prints, and that bench/run-all.ts collects: a Markdown table with fixed
// columns, so a part's output is readable on its own and parseable by the aggregator. Cells never hold `|`.
import { closeSync, openSync, writeSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

export interface BenchRow {
  part: string;
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  /** 1-minute load average when the figure was taken, against the number of cores. */
  load: string;
}

export const COLUMNS = ['part', 'figure', 'value', 'baseline', 'ratio', 'target', 'load'] as const;

/** `1.73/2 cores`: the 1-minute load average now. */
export function loadNow(): string {
  return `${(loadavg()[0] ?? 0).toFixed(2)}/${availableParallelism()} cores`;
}

const cell = (text: string): string => text.replace(/\|/g, '/').replace(/\s+/g, ' ').trim();

/** The table; `extra` adds columns after the fixed ones (name → one cell per row), as bench/run-all.ts's verdict. */
export function formatTable(
  rows: readonly BenchRow[],
  extra: Record<string, readonly string[]> = {},
): string {
  const names = [...COLUMNS, ...Object.keys(extra)];
  const extraCells = Object.values(extra);
  const lines = [
    `| ${names.join(' | ')} |`,
    `| ${names.map(() => '---').join(' | ')} |`,
    ...rows.map(
      (r, i) =>
        `| ${[...COLUMNS.map((c) => r[c]), ...extraCells.map((cells) => cells[i] ?? '')].map(cell).join(' | ')} |`,
    ),
  ];
  return lines.join('\n');
}

export type Verdict = 'met' | 'missed' | 'context' | 'no threshold' | 'failed';

const UNITS: Record<string, { kind: 'ratio' | 'time' | 'memory'; scale: number }> = {
  '×': { kind: 'ratio', scale: 1 },
  ms: { kind: 'time', scale: 1 },
  s: { kind: 'time', scale: 1000 },
  MiB: { kind: 'memory', scale: 1 },
  GiB: { kind: 'memory', scale: 1024 },
  MB: { kind: 'memory', scale: 1e6 / 2 ** 20 },
  GB: { kind: 'memory', scale: 1e9 / 2 ** 20 },
};
const UNIT = '(×|ms|s|MiB|GiB|MB|GB)(?![A-Za-z])';

/** The first number of a cell with its unit, in the unit kind's base (ms, MiB, ×): a median, as every part prints. */
function leading(text: string): { kind: string; value: number } | undefined {
  const m = new RegExp(`^\\s*([\\d.]+)\\s*${UNIT}`).exec(text);
  const unit = m ? UNITS[m[2] ?? ''] : undefined;
  return m && unit ? { kind: unit.kind, value: Number(m[1]) * unit.scale } : undefined;
}

/**
 * Whether a row met its target, read from the target cell: a target in parentheses is context (no verdict); every
 * `≤ N`, `< N` or `under N` with a unit in it is checked — `×` against the ratio's median (the ratio cell's first
 * number), a time or a memory size against the value's median — and the row met its target when all hold. A
 * target with none of these (say "about 1 s") gets no verdict rather than a guessed one.
 */
export function judge(row: BenchRow): { verdict: Verdict; checked: string[] } {
  if (row.figure.startsWith('FAILED')) return { verdict: 'failed', checked: [] };
  const target = row.target.trim();
  if (target.startsWith('(')) return { verdict: 'context', checked: [] };
  const checks = [...target.matchAll(new RegExp(`(≤|<=|<|under|at most)\\s*([\\d.]+)\\s*${UNIT}`, 'g'))];
  const checked: string[] = [];
  let met = true;
  for (const [, op = '', number = '', unitName = ''] of checks) {
    const unit = UNITS[unitName];
    if (!unit) continue;
    const limit = Number(number) * unit.scale;
    const against = unit.kind === 'ratio' ? row.ratio : row.value;
    const actual = leading(against);
    if (!actual || actual.kind !== unit.kind) continue;
    const holds =
      op === '≤' || op === '<=' || op === 'at most' ? actual.value <= limit : actual.value < limit;
    met &&= holds;
    checked.push(
      `${against.split(' (')[0] ?? against} against ${op} ${number}${unitName === '×' ? '' : ' '}${unitName}`,
    );
  }
  if (checked.length === 0) return { verdict: 'no threshold', checked };
  return { verdict: met ? 'met' : 'missed', checked };
}

/** The rows of every table in `text` that has exactly the columns above (header and rule lines skipped). */
export function parseTables(text: string): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('|') || !trimmed.endsWith('|')) continue;
    const cells = trimmed
      .slice(1, -1)
      .split('|')
      .map((c) => c.trim());
    if (cells.length !== COLUMNS.length || cells[0] === 'part' || cells.every((c) => /^-+$/.test(c)))
      continue;
    const [part, figure, value, baseline, ratio, target, load] = cells as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    rows.push({ part, figure, value, baseline, ratio, target, load });
  }
  return rows;
}

/**
 * Runs `fn` with the action's own stdout (workflow commands such as `::debug::`, `::group::`, streamed builder
 * logs) going to /dev/null instead of the benchmark's output. The writes still happen, as they would into the
 * runner's pipe, so their cost stays in the figure.
 */
export async function withActionOutputDiscarded<T>(fn: () => Promise<T>): Promise<T> {
  const sink = openSync('/dev/null', 'w');
  const original = process.stdout.write.bind(process.stdout);
  const discard = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    if (typeof chunk === 'string') writeSync(sink, chunk);
    else writeSync(sink, chunk);
    const callback = rest.find((r): r is () => void => typeof r === 'function');
    callback?.();
    return true;
  };
  process.stdout.write = discard as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = original;
    closeSync(sink);
  }
}

/** Each stage row's duration in a job summary (`| Stage | status | 1.2 s | detail |`), by the stage's title, in ms. */
export function stageDurations(summary: string): Record<string, number> {
  const stages: Record<string, number> = {};
  for (const line of summary.split('\n')) {
    const cells = line.split(' | ');
    const title = cells[0]?.replace(/^\|\s*/, '');
    const duration = /^([\d.]+) (ms|s)$/.exec(cells[2]?.trim() ?? '');
    if (!title || !duration || cells.length < 4) continue;
    stages[title] = Number(duration[1]) * (duration[2] === 's' ? 1000 : 1);
  }
  return stages;
}
