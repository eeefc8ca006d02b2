// The pure part of the scan stage on a large image: a 20,000-finding trivy report (the upstream goldens'
// vulnerabilities repeated under new ids, packages and paths) parsed, gated (with ignore rules and VEX
// statements to match against) and turned into SARIF. Prints the time of each step and the peak RSS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateGate } from '../src/scan/gate.js';
import { parseTrivyIgnore } from '../src/scan/ignore-file.js';
import { toSarif } from '../src/scan/sarif.js';
import { parseTrivyReport } from '../src/scan/trivy-report.js';
import type { VexStatement } from '../src/scan/vex.js';
import { summarize } from './measure.js';

const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 20_000);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const fixtures = join(import.meta.dirname, '..', '__tests__', 'fixtures', 'upstream', 'trivy');

interface Golden {
  Metadata?: { DiffIDs?: string[] };
  Results: Array<{ Target: string; Vulnerabilities?: Array<Record<string, unknown>> }>;
}

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
  vulns.push({
    ...t,
    VulnerabilityID: `CVE-2024-${String(10_000 + (n % 7_000)).padStart(5, '0')}`,
    PkgName: `${String(t['PkgName'])}-${Math.floor(n / 7_000)}-${n % 97}`,
    PkgPath: `/app/lib/${i}/pkg.jar`,
  });
}
report.Results = [
  { ...report.Results[0], Target: 'bench', Vulnerabilities: vulns } as Golden['Results'][number],
];
const json = JSON.stringify(report);
const baseLayers = report.Metadata?.DiffIDs ?? [];

const ignores = parseTrivyIgnore(
  Array.from({ length: 200 }, (_, i) => `CVE-2024-${10_000 + i * 3} exp:2099-01-01 # accepted`).join('\n'),
  '.trivyignore',
);
const vex: VexStatement[] = Array.from({ length: 200 }, (_, i) => ({
  vulnerability: `CVE-2024-${11_000 + i}`,
  aliases: [],
  products: [],
  status: 'not_affected',
  justification: 'vulnerable_code_not_in_execute_path',
  file: 'bench.vex.json',
}));

const times = { parse: [] as number[], gate: [] as number[], sarif: [] as number[] };
let results = 0;
for (let run = 0; run < runs; run++) {
  let t = performance.now();
  const parsed = parseTrivyReport(json, { baseLayers });
  times.parse.push(performance.now() - t);
  t = performance.now();
  const gate = evaluateGate(parsed, { failOn: 'high', ignoreUnfixed: true, ignores, vex, now: new Date() });
  times.gate.push(performance.now() - t);
  t = performance.now();
  const sarif = JSON.stringify(
    toSarif(parsed, gate, { dockerfile: 'Dockerfile', baseImageLine: 1, imageRef: 'bench@sha256:0' }),
  );
  times.sarif.push(performance.now() - t);
  results = sarif.length;
}

const line = (name: string, values: number[]): string => {
  const s = summarize(values);
  return `${name.padEnd(7)} ${s.median.toFixed(1)} ms (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)}, n=${s.runs})`;
};
console.log(
  `report: ${FINDINGS} findings, ${(json.length / 1e6).toFixed(1)} MB of JSON; SARIF ${(results / 1e6).toFixed(1)} MB`,
);
console.log(line('parse', times.parse));
console.log(line('gate', times.gate));
console.log(line('sarif', times.sarif));
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
