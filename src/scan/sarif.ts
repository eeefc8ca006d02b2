import { createHash } from 'node:crypto';
import { type Finding, type ScanReport, type Severity, isFixable } from './finding.js';
import { LazyJsonArray } from '../util/json-file.js';
import type { GateResult } from './gate.js';

/**
 * SARIF 2.1.0 for GitHub code scanning (docs: "SARIF support for code scanning"): one run, one rule per
 * vulnerability, one result per finding that counts, located in the Dockerfile — on the base image's FROM
 * line when the finding comes from the base image's layers, else on line 1.
 */
export interface SarifOptions {
  /** Repository-relative path of the Dockerfile. */
  dockerfile: string;
  /** 1-based line of the FROM of the final stage's base image. */
  baseImageLine?: number;
  /** The scanner's version; defaults to the version the report states. */
  toolVersion?: string;
  imageRef: string;
  /** `runAutomationDetails.id` (`category/`), for several images analysed in one workflow. */
  automationId?: string;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** GitHub rejects a run with more results than this (sarif-limits.md) and shows only the 5,000 most severe. */
export const MAX_SARIF_RESULTS = 25_000;
const MAX_DESCRIPTION = 1024;
/** One kind of rule: a known vulnerability in a package of the image (trivy names its rules the same way). */
const RULE_NAME = 'ContainerImageVulnerability';

export type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  defaultConfiguration: { level: SarifLevel };
  helpUri?: string;
  help: SarifMessage;
  properties: { tags: string[]; precision: 'very-high'; 'security-severity': string };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: Array<{
    physicalLocation: {
      artifactLocation: { uri: string };
      region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
    };
    message: { text: string };
  }>;
  partialFingerprints: { primaryLocationLineHash: string };
  properties: Record<string, unknown>;
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: Array<{
    tool: {
      driver: {
        name: string;
        fullName: string;
        informationUri: string;
        version?: string;
        rules: SarifRule[];
      };
    };
    automationDetails?: { id: string };
    columnKind: 'utf16CodeUnits';
    results: SarifResult[];
    properties: Record<string, unknown>;
  }>;
}

const SCANNERS = {
  trivy: {
    name: 'Trivy',
    fullName: 'Trivy Vulnerability Scanner',
    uri: 'https://github.com/aquasecurity/trivy',
  },
  grype: { name: 'Grype', fullName: 'Grype Vulnerability Scanner', uri: 'https://github.com/anchore/grype' },
} as const;

export function sarifLevel(severity: Severity): SarifLevel {
  if (severity === 'critical' || severity === 'high') return 'error';
  if (severity === 'medium') return 'warning';
  return 'note';
}

/**
 * GitHub derives the alert severity from `security-severity` (>9.0 critical, 7.0–8.9 high, 4.0–6.9 medium,
 * 0.1–3.9 low). The scanner's severity is what the gate used, so the score is kept inside that severity's band:
 * the finding's CVSS base score when it falls inside, else the nearest edge; without a score, a fixed point.
 */
const BANDS: Record<Severity, { min: number; max: number; fallback: number }> = {
  critical: { min: 9.1, max: 10, fallback: 9.5 },
  high: { min: 7, max: 8.9, fallback: 8 },
  medium: { min: 4, max: 6.9, fallback: 5.5 },
  low: { min: 0.1, max: 3.9, fallback: 2 },
  unknown: { min: 0, max: 0, fallback: 0 },
};

export function securitySeverity(finding: Finding): string {
  const band = BANDS[finding.severity];
  const modern = finding.cvss.filter((c) => c.score !== undefined && !(c.version ?? '').startsWith('2'));
  const scores = (modern.length > 0 ? modern : finding.cvss)
    .map((c) => c.score)
    .filter((s): s is number => s !== undefined);
  const score = scores.length > 0 ? Math.max(...scores) : band.fallback;
  return Math.min(band.max, Math.max(band.min, score)).toFixed(1);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function fixedText(finding: Finding): string {
  return finding.fixedVersions.length > 0 ? finding.fixedVersions.join(', ') : 'none';
}

function link(finding: Finding): string {
  return finding.url ? `[${finding.id}](${finding.url})` : finding.id;
}

function rule(finding: Finding): SarifRule {
  const severity = finding.severity.toUpperCase();
  const title = finding.title ?? `${finding.id} in ${finding.packageName}`;
  const description = finding.description ?? finding.title ?? finding.id;
  const text = [
    `Vulnerability ${finding.id}`,
    `Severity: ${severity}`,
    `Package: ${finding.packageName}`,
    `Fixed Version: ${fixedText(finding)}`,
    `Link: ${link(finding)}`,
    description,
  ].join('\n');
  const markdown = [
    `**Vulnerability ${finding.id}**`,
    '| Severity | Package | Fixed Version | Link |',
    '| --- | --- | --- | --- |',
    `|${severity}|${cell(finding.packageName)}|${cell(fixedText(finding))}|${cell(link(finding))}|`,
    '',
    description,
  ].join('\n');
  return {
    id: finding.id,
    name: RULE_NAME,
    shortDescription: { text: clip(oneLine(title), MAX_DESCRIPTION) },
    fullDescription: { text: clip(oneLine(description), MAX_DESCRIPTION) },
    defaultConfiguration: { level: sarifLevel(finding.severity) },
    ...(finding.url ? { helpUri: finding.url } : {}),
    help: { text, markdown },
    properties: {
      tags: ['vulnerability', 'security', severity],
      precision: 'very-high',
      'security-severity': securitySeverity(finding),
    },
  };
}

/** Stable across builds and Dockerfile edits: the vulnerability, the package and where in the image it is. */
export function fingerprint(finding: Finding): string {
  const where = finding.packagePath ?? finding.target ?? '';
  const hash = createHash('sha256')
    .update(`${finding.id}\u0000${finding.packageName}\u0000${where}`)
    .digest('hex');
  return `${hash.slice(0, 32)}:1`;
}

function originText(finding: Finding): string {
  if (finding.origin === 'base') return 'the base image';
  if (finding.origin === 'app') return 'a layer this build added';
  return 'unknown';
}

function result(
  finding: Finding,
  ruleIndex: number,
  uri: string,
  line: number,
  imageRef: string,
): SarifResult {
  const fixed = isFixable(finding) ? `fixed in ${fixedText(finding)}` : 'no fixed version';
  const message = [
    `${finding.id} (${finding.severity.toUpperCase()}) in ${finding.packageName} ${finding.installedVersion}; ${fixed}.`,
    `Package: ${finding.packageName}`,
    `Installed Version: ${finding.installedVersion}`,
    `Vulnerability ${finding.id}`,
    `Severity: ${finding.severity.toUpperCase()}`,
    `Fixed Version: ${fixedText(finding)}`,
    `Layer: ${originText(finding)}`,
    ...(finding.packagePath ? [`Path: ${finding.packagePath}`] : []),
    `Link: ${link(finding)}`,
  ].join('\n');
  const versioned = finding.installedVersion
    ? `${finding.packageName}@${finding.installedVersion}`
    : finding.packageName;
  return {
    ruleId: finding.id,
    ruleIndex,
    level: sarifLevel(finding.severity),
    message: { text: message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri },
          region: { startLine: line, startColumn: 1, endLine: line, endColumn: 1 },
        },
        message: { text: `${imageRef}: ${versioned}` },
      },
    ],
    partialFingerprints: { primaryLocationLineHash: fingerprint(finding) },
    properties: {
      origin: finding.origin,
      fixState: finding.fixState,
      ...(finding.packageType ? { packageType: finding.packageType } : {}),
      ...(finding.purl ? { purl: finding.purl } : {}),
      ...(finding.platforms ? { platforms: finding.platforms } : {}),
    },
  };
}

/** `./docker/Dockerfile` and `docker\Dockerfile` → `docker/Dockerfile`, as GitHub matches paths from the repository root. */
function repoPath(path: string): string {
  const cleaned = path
    .replace(/\\/g, '/')
    .replace(/^(?:\.\/)+/, '')
    .replace(/^\/+/, '');
  return cleaned === '' ? 'Dockerfile' : cleaned;
}

export function toSarif(report: ScanReport, gate: GateResult, options: SarifOptions): SarifLog {
  const log = sarifLog(report, gate, options);
  const run = log.runs[0] as (typeof log.runs)[number];
  return { ...log, runs: [{ ...run, results: [...run.results] }] };
}

/**
 * The same log with its results made one at a time as writeJsonFile writes them: for 20,000 findings the
 * result objects would be ~30 MB alive at once, beside the findings they are made from.
 */
export function toSarifForWriting(
  report: ScanReport,
  gate: GateResult,
  options: SarifOptions,
): StreamedSarifLog {
  return sarifLog(report, gate, options);
}

/** A SARIF log whose results are made as it is written (see toSarifForWriting). */
export interface StreamedSarifLog extends Omit<SarifLog, 'runs'> {
  runs: Array<Omit<SarifLog['runs'][number], 'results'> & { results: LazyJsonArray<SarifResult> }>;
}

function sarifLog(report: ScanReport, gate: GateResult, options: SarifOptions): StreamedSarifLog {
  const scanner = SCANNERS[report.scanner];
  const uri = repoPath(options.dockerfile);
  const baseLine =
    options.baseImageLine !== undefined &&
    Number.isInteger(options.baseImageLine) &&
    options.baseImageLine >= 1
      ? options.baseImageLine
      : 1;
  // gate.top is most severe first, so the cut keeps the results GitHub would show anyway.
  const counted = gate.top.slice(0, MAX_SARIF_RESULTS);

  // Rules first, in the order their first result comes: each result names its rule by index.
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  for (const finding of counted) {
    if (ruleIndex.has(finding.id)) continue;
    ruleIndex.set(finding.id, rules.length);
    rules.push(rule(finding));
  }
  const results = new LazyJsonArray(counted.length, (i) => {
    const finding = counted[i] as Finding;
    const line = finding.origin === 'base' ? baseLine : 1;
    return result(finding, ruleIndex.get(finding.id) as number, uri, line, options.imageRef);
  });

  const version = options.toolVersion ?? report.scannerVersion;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: scanner.name,
            fullName: scanner.fullName,
            informationUri: scanner.uri,
            ...(version ? { version } : {}),
            rules,
          },
        },
        ...(options.automationId ? { automationDetails: { id: options.automationId } } : {}),
        columnKind: 'utf16CodeUnits',
        results,
        properties: {
          imageRef: options.imageRef,
          ...(report.artifactName ? { artifactName: report.artifactName } : {}),
          gatePassed: gate.passed,
          failOn: gate.failOn,
          counts: gate.counts,
          ...(gate.top.length > counted.length ? { omittedResults: gate.top.length - counted.length } : {}),
        },
      },
    ],
  };
}
