// Small helpers every benchmark shares: run a command N times, report median/min/max, and ratios to a
// baseline measured in the same run.
import { spawn, spawnSync } from 'node:child_process';

export interface Sample {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(values: number[]): Sample {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0, runs: values.length };
}

export function timeCommand(command: string, args: string[], env: NodeJS.ProcessEnv, runs: number): Sample {
  const values: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    spawnSync(command, args, { env, stdio: 'ignore' });
    values.push(performance.now() - started);
  }
  return summarize(values);
}

export function fmt(sample: Sample): string {
  return `${sample.median.toFixed(1)} ms (min ${sample.min.toFixed(1)}, max ${sample.max.toFixed(1)}, n=${sample.runs})`;
}

/** Wall time of one call, in milliseconds. */
export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/**
 * Pairwise ratios of runs that were interleaved (action, baseline, action, baseline…): load that drifts during
 * the run moves both sides of a pair alike, so the ratio is steadier than one of two medians.
 */
export function pairRatios(values: number[], baselines: number[]): number[] {
  return values.map((v, i) => v / (baselines[i] ?? Number.NaN));
}

/** `median (min–max)` with the unit after each number, e.g. `1.08× (0.97–1.21)`. */
export function fmtRange(sample: Sample, digits: number, unit: string): string {
  const n = (x: number): string => x.toFixed(digits);
  return `${n(sample.median)}${unit} (${n(sample.min)}–${n(sample.max)}${unit}, n=${sample.runs})`;
}

/**
 * Runs a command without blocking the event loop (a server in this process may be what it talks to) and
 * resolves with its wall time; rejects when it fails.
 */
export function timeCommandAsync(
  command: string,
  args: string[],
  options: { cwd?: string } = {},
): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: 'ignore' });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(performance.now() - started);
      else reject(new Error(`${command} exited with ${code}`));
    });
  });
}

/**
 * The longest path through a dependency graph of steps with these durations: its length and its steps. `after` lists
 * what each step waits for, each step after the steps it names.
 */
export function criticalPathOf<T extends string>(
  after: ReadonlyArray<readonly [T, readonly T[]]>,
  durations: Readonly<Record<T, number>>,
): { ms: number; path: T[] } {
  const finish = new Map<T, { at: number; via?: T }>();
  for (const [id, before] of after) {
    let start = 0;
    let via: T | undefined;
    for (const b of before) {
      const end = finish.get(b);
      if (!end) throw new Error(`steps out of order: ${id} before ${b}`);
      if (end.at > start) {
        start = end.at;
        via = b;
      }
    }
    finish.set(id, { at: start + durations[id], ...(via ? { via } : {}) });
  }
  let last: T | undefined;
  for (const [id, end] of finish) if (last === undefined || end.at > (finish.get(last)?.at ?? 0)) last = id;
  const path: T[] = [];
  for (let at: T | undefined = last; at; at = finish.get(at)?.via) path.unshift(at);
  return { ms: last === undefined ? 0 : (finish.get(last)?.at ?? 0), path };
}
