// One measured pass of what the scan stage does with a scanner's report once the scanner has written it: read
// the file, parse it into findings, gate them (ignore rules and VEX statements to match), and write SARIF and the
// cosign-vuln predicate. bench/scan.ts bundles this file as dist/ is bundled and runs it in a fresh process per
// run, so the peak RSS it prints is that of the action's own code, not of a TypeScript loader.
// argv: <report.json> <out dir> [--idle]; prints one JSON line.
import { join } from 'node:path';
import { toCosignVulnPredicate } from '../src/scan/cosign-vuln.js';
import { evaluateGate } from '../src/scan/gate.js';
import { parseTrivyIgnore } from '../src/scan/ignore-file.js';
import { openFileSource } from '../src/scan/json-deferred.js';
import { parseReport } from '../src/scan/run.js';
import { toSarifForWriting } from '../src/scan/sarif.js';
import type { VexStatement } from '../src/scan/vex.js';
import { writeJsonFile } from '../src/util/json-file.js';

const [reportFile = '', outDir = '', mode] = process.argv.slice(2);

async function pass(): Promise<Record<string, number>> {
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

  const started = performance.now();
  let t = started;
  const lap = (): number => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return ms;
  };
  // As runScan reads it: a window at a time, each finding parsed when it is reached.
  const source = openFileSource(reportFile);
  const report = parseReport('trivy', source, []);
  source.close();
  const parseMs = lap();
  const gate = evaluateGate(report, { failOn: 'high', ignoreUnfixed: true, ignores, vex, now: new Date() });
  const gateMs = lap();
  await writeJsonFile(
    join(outDir, 'results.sarif'),
    toSarifForWriting(report, gate, {
      dockerfile: 'Dockerfile',
      baseImageLine: 1,
      imageRef: 'bench@sha256:0',
    }),
  );
  await writeJsonFile(
    join(outDir, 'vuln-predicate.json'),
    toCosignVulnPredicate(report, {
      scannerUri: 'pkg:github/aquasecurity/trivy@0.74.0',
      scannerVersion: '0.74.0',
      startedOn: new Date(),
      finishedOn: new Date(),
    }),
  );
  const renderMs = lap();
  return {
    findings: report.findings.length,
    parseMs,
    gateMs,
    renderMs,
    totalMs: performance.now() - started,
  };
}

const figures = mode === '--idle' ? {} : await pass();
console.log(JSON.stringify({ ...figures, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
