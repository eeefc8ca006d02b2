// One measured pass of what the action does with a scanner's report once the scanner has written it: read the
// file, parse it into findings, gate them (ignore rules and VEX statements to match), write SARIF and the
// cosign-vuln predicate, and render and write the job summary of that scan as src/main.ts's finish does
// (scanSummary as the scan stage makes it, renderSummary, core.summary). bench/scan.ts bundles this file as dist/
// is bundled and runs it in a fresh process per run, so the peak RSS it prints is that of the action's own code,
// not of a TypeScript loader.
// argv: <report.json> <out dir> [--idle]; prints one JSON line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import { github, runReport, tools, verifiedBases } from '../__tests__/report/inputs.js';
import { renderSummary, type SummaryInput } from '../src/report/summary.js';
import { toCosignVulnPredicate } from '../src/scan/cosign-vuln.js';
import { evaluateGate } from '../src/scan/gate.js';
import { parseTrivyIgnore } from '../src/scan/ignore-file.js';
import { openFileSource } from '../src/scan/json-deferred.js';
import { parseReport } from '../src/scan/run.js';
import { toSarifForWriting } from '../src/scan/sarif.js';
import { scanSummary } from '../src/scan/scan-target.js';
import type { VexStatement } from '../src/scan/vex.js';
import { writeJsonFile } from '../src/util/json-file.js';

const [reportFile = '', outDir = '', mode] = process.argv.slice(2);

const IMAGE_REF = 'registry.example/bench@sha256:0';

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

  // The runner's step summary file, which core.summary appends to.
  const summaryFile = join(outDir, 'step-summary.md');
  writeFileSync(summaryFile, '');
  process.env['GITHUB_STEP_SUMMARY'] = summaryFile;

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
      imageRef: IMAGE_REF,
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
  // The job summary of that scan, as the scan stage hands it to the report and main.ts's finish writes it.
  const summary = scanSummary({
    scanner: 'trivy',
    scannerVersion: '0.74.0',
    imageRef: IMAGE_REF,
    platforms: [],
    ignoreUnfixed: true,
    gate,
    database: {
      scanner: 'trivy',
      dir: outDir,
      updatedAt: new Date(),
      ageHours: 1,
      source: 'download',
      warnings: [],
      cacheKey: 'bench',
      saveNeeded: false,
      durationMs: 0,
    },
    warnings: [],
    durationMs: 0,
  });
  // The rest of the run as the report's fixtures have it (tools, base images, build), so the summary is whole.
  const c = gate.counts;
  const input: SummaryInput = {
    report: runReport({}, [
      ['tools', 'passed', 'cosign 3.0.6 (downloaded, verified); trivy 0.74.0 (downloaded, verified)', 3150],
      ['base-images', 'passed', '1 verified, 1 allowed-unsigned; build pinned to the checked digests', 920],
      ['build', 'passed', 'buildah from the verified digests', 20_000],
      ['push', 'passed', `1 tag; ${IMAGE_REF}`, 200],
      [
        'scan',
        gate.passed ? 'passed' : 'failed',
        `${c.total} vulnerabilities (${c.critical} critical, ${c.high} high, ${c.fixable} fixable, ${c.ignored} ignored); gate: high`,
        10_000,
      ],
    ]),
    subject: IMAGE_REF,
    tools,
    baseImages: verifiedBases,
    dockerfile: 'Dockerfile',
    github,
    scan: { summary, reportFile, gate },
  };
  const markdown = renderSummary(input);
  await core.summary.addRaw(markdown).write();
  const summaryMs = lap();
  return {
    findings: report.findings.length,
    parseMs,
    gateMs,
    renderMs,
    summaryMs,
    summaryBytes: Buffer.byteLength(markdown),
    totalMs: performance.now() - started,
  };
}

const figures = mode === '--idle' ? {} : await pass();
console.log(JSON.stringify({ ...figures, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
