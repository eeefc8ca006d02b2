// `npm run bench`: runs each benchmark part in its own process, one after the other (so one that fails does not
// hide the others, and none competes with another for the 2 cores), collects the table each prints, and writes
// one table to bench/results.md and stdout, with a verdict column (met / missed against each row's target) and a
// line naming every missed target. Missed targets do not change the exit code: benchmarks are not tests (a part
// that fails to run does: exit 1).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../__tests__/harness/runner.js';
import { formatTable, judge, loadNow, parseTables, type BenchRow } from './table.js';

interface Part {
  name: string;
  file: string;
  /** The rows in a part's stdout. */
  rows(stdout: string): BenchRow[];
  /** How long the part may run before it is ended; default PART_TIMEOUT_MS. */
  timeoutMs?: number;
}

interface Outcome {
  part: Part;
  exitCode: number | null;
  timedOut: boolean;
  seconds: number;
  stdout: string;
  stderr: string;
  rows: BenchRow[];
}

const PART_TIMEOUT_MS = Number(process.env.BENCH_PART_TIMEOUT_MS ?? 150_000);
/** The whole pipeline runs the action three times and the steps one after another three times, about 45 s and 60 s
 *  each, after calibrating its build: about 6 minutes. */
const PIPELINE_TIMEOUT_MS = Number(process.env.BENCH_PIPELINE_TIMEOUT_MS ?? 720_000);

const timeoutOf = (part: Part): number => part.timeoutMs ?? PART_TIMEOUT_MS;

/** bench/startup.ts prints three lines of its own; this turns them into a row. */
function startupRows(stdout: string): BenchRow[] {
  const baseline = /^node -e "":\s+(.+)$/m.exec(stdout)?.[1];
  const action = /^node dist\/index\.js:\s+(.+)$/m.exec(stdout)?.[1];
  const ratio = /^ratio \(median\):\s+([^;]+);\s*overhead ([^;]+);\s*target:\s*(.+)$/m.exec(stdout);
  if (!baseline || !action || !ratio) return [];
  return [
    {
      part: 'startup',
      figure: `node dist/index.js to its first decision (overhead ${ratio[2] ?? ''})`,
      value: action,
      baseline: `node -e "": ${baseline}`,
      ratio: `${ratio[1] ?? ''} (of medians)`,
      target: ratio[3] ?? '',
      load: loadNow(),
    },
  ];
}

const PARTS: Part[] = [
  { name: 'startup', file: 'bench/startup.ts', rows: startupRows },
  { name: 'tools', file: 'bench/tools.ts', rows: parseTables },
  { name: 'base-images', file: 'bench/base-images.ts', rows: parseTables },
  { name: 'build', file: 'bench/build.ts', rows: parseTables, timeoutMs: 300_000 },
  { name: 'scan', file: 'bench/scan.ts', rows: parseTables },
  { name: 'patterns', file: 'bench/patterns.ts', rows: parseTables },
  { name: 'pipeline', file: 'bench/pipeline.ts', rows: parseTables, timeoutMs: PIPELINE_TIMEOUT_MS },
  { name: 'merge', file: 'bench/merge.ts', rows: parseTables },
  { name: 'docker-build', file: 'bench/docker-build.ts', rows: parseTables },
  {
    name: 'real-pipeline',
    file: 'bench/real-pipeline.ts',
    rows: parseTables,
    timeoutMs: PIPELINE_TIMEOUT_MS,
  },
];

function runPart(part: Part): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', part.file], {
      cwd: PROJECT_ROOT,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout ends the part's registry and builders too.
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    }, timeoutOf(part));
    const finish = (exitCode: number | null): void => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      const rows = exitCode === 0 ? part.rows(stdout) : [];
      resolve({ part, exitCode, timedOut, seconds, stdout, stderr, rows });
    };
    child.once('error', (error) => {
      stderr += String(error);
      finish(null);
    });
    child.once('close', (code) => finish(code));
  });
}

/** A part that failed still gets a row, saying how it failed. */
function rowsOf(outcome: Outcome): BenchRow[] {
  if (outcome.rows.length > 0) return outcome.rows;
  const lastError =
    outcome.stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('at '))
      .at(-1) ?? '';
  const how = outcome.timedOut
    ? `timed out after ${timeoutOf(outcome.part) / 1000} s`
    : outcome.exitCode === 0
      ? 'printed no table'
      : `exit code ${outcome.exitCode ?? 'none'}`;
  return [
    {
      part: outcome.part.name,
      figure: `FAILED: ${how}`,
      value: lastError.slice(0, 200),
      baseline: '',
      ratio: '',
      target: '',
      load: loadNow(),
    },
  ];
}

const loadText = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
const startedAt = new Date();
const loadBefore = loadText();
const outcomes: Outcome[] = [];
for (const part of PARTS) {
  process.stderr.write(`bench: ${part.name}…\n`);
  const outcome = await runPart(part);
  process.stderr.write(
    `bench: ${part.name} ${outcome.exitCode === 0 ? 'done' : 'FAILED'} in ${outcome.seconds.toFixed(1)} s\n`,
  );
  outcomes.push(outcome);
}
const loadAfter = loadText();

const allRows = outcomes.flatMap(rowsOf);
const judged = allRows.map(judge);
const table = formatTable(allRows, {
  verdict: judged.map((j) => (j.verdict === 'context' ? '—' : j.verdict)),
});
const named = (i: number): string => {
  const row = allRows[i];
  return row ? `${row.part}: ${row.figure.split(' (')[0] ?? row.figure}` : '';
};
const indexes = (verdict: string): number[] => judged.flatMap((j, i) => (j.verdict === verdict ? [i] : []));
const missed = indexes('missed');
const failed = indexes('failed');
const unjudged = indexes('no threshold');
const verdictLine = [
  `targets: ${indexes('met').length} met, ${missed.length} missed, ${unjudged.length} without a threshold to ` +
    `check (context rows have none); ${failed.length} part${failed.length === 1 ? '' : 's'} failed to run`,
  ...missed.map((i) => `- MISSED ${named(i)}: ${judged[i]?.checked.join('; ') ?? ''}`),
  ...failed.map(
    (i) => `- FAILED ${allRows[i]?.part ?? ''}: ${allRows[i]?.figure.replace(/^FAILED: /, '') ?? ''}`,
  ),
  ...unjudged.map((i) => `- not judged ${named(i)}: target "${allRows[i]?.target ?? ''}"`),
].join('\n');
const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
const total = outcomes.reduce((sum, o) => sum + o.seconds, 0);
const fence = '```';
const details = outcomes.map((o) =>
  [
    `<details><summary>${o.part.name} (${o.part.file}): exit ${o.exitCode ?? 'none'}${o.timedOut ? ', timed out' : ''}, ${o.seconds.toFixed(1)} s</summary>`,
    '',
    fence,
    (o.stdout.trim() || '(no output)') +
      (o.exitCode === 0 ? '' : `\n--- stderr\n${o.stderr.trim().slice(-3000)}`),
    fence,
    '',
    '</details>',
  ].join('\n'),
);
const results = [
  '# Benchmark results',
  '',
  `Generated by \`npm run bench\` (bench/run-all.ts) on ${startedAt.toISOString()}: Node ${process.version}, ` +
    `${cpu}, ${availableParallelism()} cores. Load average (1, 5, 15 min) ${loadBefore} at the start, ` +
    `${loadAfter} at the end; the machine was shared with other work, so read the load column beside each figure. ` +
    `Each part ran as its own process, one after the other, ${total.toFixed(0)} s in all.`,
  '',
  'Values are medians of several runs with (min–max, n). Ratios are taken against a baseline measured in the ' +
    'same run: per pair of interleaved runs where the part interleaves them (tools, base-images, build, pipeline), else ' +
    "of the two medians (startup). The pipeline's headline is against the critical path of the fixed schedule " +
    'issue 8 names, a constant; its context rows are against baselines of the same run. The pipeline runs the ' +
    'action as a bundle of src/ (bench/pipeline-entry.ts, by ncc) whose tool catalog pins the stand-in cosign, not ' +
    'dist/index.js. The load column is the 1-minute load average when the figure was taken.',
  '',
  "The verdict column reads each target: `≤`/`<`/`under` a ratio (×) is checked against the ratio's median, a time " +
    "or a size against the value's median; targets in parentheses are context and have no verdict.",
  '',
  table,
  '',
  verdictLine,
  '',
  '## Output of each part',
  '',
  ...details,
  '',
].join('\n');

writeFileSync(join(PROJECT_ROOT, 'bench', 'results.md'), results);
console.log(table);
console.log(`\n${verdictLine}`);
console.log(
  `\nload average ${loadBefore} → ${loadAfter}; ${total.toFixed(0)} s; written to bench/results.md`,
);
if (outcomes.some((o) => o.exitCode !== 0)) process.exitCode = 1;
