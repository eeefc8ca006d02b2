// Issue 5: a 20,000-finding trivy report (the upstream goldens' vulnerabilities repeated under new ids, packages
// and paths, written indented as trivy writes it) read, parsed, gated (with ignore rules and VEX statements to
// match) and turned into SARIF, the cosign-vuln predicate and the job summary (rendered and written as src/main.ts
// writes it), in under 2 s and 300 MB.
// The work runs in a fresh process per run, from a bundle of bench/scan-worker.ts made the way dist/ is made
// (one ESM file, no TypeScript loader), so the peak RSS is the action's. Baselines from the same run:
// `JSON.parse` of the same file (time) and the same bundle started idle (memory).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../__tests__/harness/runner.js';
import { fmtRange, summarize } from './measure.js';
import { scratchDir } from './scratch.js';
import { formatTable, loadNow, type BenchRow } from './table.js';

const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 20_000);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const fixtures = join(PROJECT_ROOT, '__tests__', 'fixtures', 'upstream', 'trivy');
const root = scratchDir('secure-image-bench-scan-');

interface Golden {
  Results: Array<{ Target: string; Vulnerabilities?: Array<Record<string, unknown>> }>;
}

function writeReport(file: string): void {
  const goldens = [
    'alpine-310.json.golden',
    'distroless-base.json.golden',
    'alpine-distroless.json.golden',
  ].map((f) => JSON.parse(readFileSync(join(fixtures, f), 'utf8')) as Golden);
  const templates = goldens.flatMap((g) => g.Results.flatMap((r) => r.Vulnerabilities ?? []));
  const report = goldens[0] as Golden;
  const vulns: Array<Record<string, unknown>> = [];
  for (let i = 0; i < FINDINGS; i++) {
    const t = templates[i % templates.length] as Record<string, unknown>;
    // Every 10th finding repeats the one before at another path, as scanners report a jar found twice.
    const n = i % 10 === 9 ? i - 1 : i;
    const id = `CVE-2024-${String(10_000 + (n % 7_000)).padStart(5, '0')}`;
    vulns.push({
      ...t,
      // Each vulnerability its own texts, as in a real report (the templates would share theirs).
      Title: `${String(t['Title'] ?? '')} (${id})`,
      Description: `${String(t['Description'] ?? '')} (${id})`,
      VulnerabilityID: id,
      PkgName: `${String(t['PkgName'])}-${Math.floor(n / 7_000)}-${n % 97}`,
      PkgPath: `/app/lib/${i}/pkg.jar`,
    });
  }
  report.Results = [
    { ...report.Results[0], Target: 'bench', Vulnerabilities: vulns } as Golden['Results'][number],
  ];
  // trivy writes its JSON report indented by two spaces.
  writeFileSync(file, JSON.stringify(report, null, 2));
}

const reportFile = join(root, 'trivy-report.json');
writeReport(reportFile);
const reportMB = statSync(reportFile).size / 1e6;

const worker = join(root, 'scan-worker.mjs');
execFileSync(
  join(PROJECT_ROOT, 'node_modules', 'esbuild', 'bin', 'esbuild'),
  [
    join(PROJECT_ROOT, 'bench', 'scan-worker.ts'),
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--target=es2022',
    `--outfile=${worker}`,
    // CommonJS dependencies of @actions/* call require(); give the ESM bundle one, as ncc's output has.
    // (Under a name of its own: the bundle may import createRequire too.)
    `--banner:js=import { createRequire as benchCreateRequire } from 'node:module'; const require = benchCreateRequire(import.meta.url);`,
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);

interface Figures {
  findings?: number;
  parseMs?: number;
  gateMs?: number;
  renderMs?: number;
  summaryMs?: number;
  summaryBytes?: number;
  totalMs?: number;
  peakRssMiB: number;
}

function runWorker(args: string[]): Figures {
  const out = join(root, 'out');
  mkdirSync(out, { recursive: true });
  const result = spawnSync(process.execPath, [worker, reportFile, out, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`scan worker failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Figures;
}

function timeJsonParse(): number {
  const script = `const t=performance.now();JSON.parse(require('fs').readFileSync(${JSON.stringify(reportFile)},'utf8'));console.log(performance.now()-t)`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`JSON.parse baseline failed: ${result.stderr}`);
  return Number(result.stdout.trim());
}

// Interleaved: a pass, its JSON.parse baseline, an idle start, so load that drifts moves all three alike.
const passes: Figures[] = [];
const parses: number[] = [];
const idle: number[] = [];
for (let i = 0; i < runs; i++) {
  passes.push(runWorker([]));
  parses.push(timeJsonParse());
  idle.push(runWorker(['--idle']).peakRssMiB);
}
const findings = passes[0]?.findings ?? 0;
if (findings !== FINDINGS) throw new Error(`the worker read ${findings} findings, expected ${FINDINGS}`);

const ms = (key: keyof Figures): ReturnType<typeof summarize> => summarize(passes.map((p) => p[key] ?? NaN));
const total = ms('totalMs');
const rss = ms('peakRssMiB');
const parse = summarize(parses);
const idleRss = summarize(idle);
const timeRatios = summarize(passes.map((p, i) => (p.totalMs ?? NaN) / (parses[i] ?? NaN)));
const rssRatios = summarize(passes.map((p, i) => p.peakRssMiB / (idle[i] ?? NaN)));

console.log(
  `report: ${FINDINGS} findings, ${reportMB.toFixed(1)} MB of JSON; ${runs} runs, each in a fresh process`,
);
console.log(
  `steps (median ms): read+parse ${ms('parseMs').median.toFixed(0)}, gate ${ms('gateMs').median.toFixed(0)}, ` +
    `SARIF+predicate ${ms('renderMs').median.toFixed(0)}, job summary ${ms('summaryMs').median.toFixed(0)} ` +
    `(${((passes[0]?.summaryBytes ?? 0) / 1024).toFixed(0)} KiB of markdown)`,
);
const rows: BenchRow[] = [
  {
    part: 'scan',
    figure: `read, parse, gate, SARIF + vuln predicate + job summary: ${FINDINGS} findings (${reportMB.toFixed(0)} MB report)`,
    value: fmtRange(total, 0, ' ms'),
    baseline: `JSON.parse of the same file: ${fmtRange(parse, 0, ' ms')}`,
    ratio: fmtRange(timeRatios, 2, '×'),
    target: 'under 2 s',
    load: loadNow(),
  },
  {
    part: 'scan',
    figure: 'peak RSS of that process',
    value: fmtRange(rss, 0, ' MiB'),
    baseline: `the same bundle started idle: ${fmtRange(idleRss, 0, ' MiB')}`,
    ratio: fmtRange(rssRatios, 1, '×'),
    target: 'under 300 MB (286 MiB)',
    load: loadNow(),
  },
];
console.log(formatTable(rows));
