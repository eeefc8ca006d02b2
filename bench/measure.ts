// Small helpers every benchmark shares: run a command N times, report median/min/max, and ratios to a
// baseline measured in the same run.
import { spawnSync } from 'node:child_process';

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
