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

export function formatTable(rows: readonly BenchRow[]): string {
  const lines = [
    `| ${COLUMNS.join(' | ')} |`,
    `| ${COLUMNS.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${COLUMNS.map((c) => cell(r[c])).join(' | ')} |`),
  ];
  return lines.join('\n');
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
