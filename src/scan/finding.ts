import { UserError } from '../util/errors.js';

/** The one vulnerability model both scanners' reports are turned into; the gate, SARIF and attestations read only this. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'unknown';
export type FixState = 'fixed' | 'not-fixed' | 'wont-fix' | 'unknown';
export type Origin = 'base' | 'app' | 'unknown';

export interface Cvss {
  /** Who scored it: trivy's vendor key (`nvd`, `redhat`, …), grype's `source` or the vulnerability namespace. */
  source: string;
  /** `2.0`, `3.0`, `3.1`, `4.0`, as the vector or the report states it. */
  version?: string;
  vector?: string;
  score?: number;
}

export interface Finding {
  id: string;
  /** Other names of the same vulnerability (grype's related vulnerabilities, trivy's vendor IDs); never contains `id`. */
  aliases: string[];
  severity: Severity;
  packageName: string;
  packageType?: string;
  packagePath?: string;
  /** Package URL of the affected package, when the scanner gives one (used by ignore `purls` and VEX products). */
  purl?: string;
  installedVersion: string;
  fixedVersions: string[];
  fixState: FixState;
  title?: string;
  description?: string;
  url?: string;
  /** trivy `Result.Target` / grype artifact location path. */
  target?: string;
  layerDigest?: string;
  diffId?: string;
  /** `base` when the finding's layer is one of the base image's layers, `app` when it is a layer the build added. */
  origin: Origin;
  cvss: Cvss[];
  /** The platforms of a multi-platform image the finding was found on (set when several were scanned). */
  platforms?: string[];
}

export interface ScanReport {
  scanner: 'trivy' | 'grype';
  scannerVersion?: string;
  artifactName?: string;
  findings: Finding[];
  /** When the vulnerability database was built, when the report says so (grype does, trivy's JSON does not). */
  dbUpdatedAt?: string;
}

/** The scanner's output is not the report this action asked for: names the scanner and what is wrong with it. */
export class ReportFormatError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReportFormatError';
  }
}

/** Most severe first: the order of the gate thresholds and of every listing. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'unknown'];

/** Higher is more severe; `unknown` ranks below `low`, so `fail-on-severity: low` does not fail on unknown findings. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity);
}

/** Both scanners' words (trivy CRITICAL…, grype Critical…Negligible) onto the five levels. */
export function normaliseSeverity(value: unknown): Severity {
  if (typeof value !== 'string') return 'unknown';
  switch (value.trim().toLowerCase()) {
    case 'critical':
      return 'critical';
    case 'high':
      return 'high';
    case 'medium':
    case 'moderate':
      return 'medium';
    case 'low':
    case 'negligible':
      return 'low';
    default:
      return 'unknown';
  }
}

/** A finding can be fixed by upgrading: the scanner names a fixed version, or says it is fixed. */
export function isFixable(finding: Finding): boolean {
  return finding.fixedVersions.length > 0 || finding.fixState === 'fixed';
}

/** The identity used to count a vulnerability once even when a scanner reports it at several paths. */
export function dedupeKey(finding: Finding): string {
  return `${finding.id}\u0000${finding.packageName}\u0000${finding.installedVersion}`;
}

/** `sha256:ABC…` and `abc…` name the same layer. */
export function normaliseDigest(digest: string): string {
  const lower = digest.trim().toLowerCase();
  return lower.startsWith('sha256:') ? lower.slice('sha256:'.length) : lower;
}

/**
 * Which part of the image a finding comes from. Without the base image's layers, or without a layer on the
 * finding, nobody can tell, so `unknown` rather than a guess.
 */
export function originFromLayers(
  layers: ReadonlyArray<string | undefined>,
  baseLayers: readonly string[] | undefined,
): Origin {
  if (!baseLayers || baseLayers.length === 0) return 'unknown';
  const known = layers.filter((l): l is string => typeof l === 'string' && l.trim() !== '');
  if (known.length === 0) return 'unknown';
  const base = new Set(baseLayers.map(normaliseDigest));
  return known.some((l) => base.has(normaliseDigest(l))) ? 'base' : 'app';
}

/** The CVSS version a vector states (`CVSS:3.1/…` → `3.1`), for vectors that carry one. */
export function cvssVersionOfVector(vector: string | undefined): string | undefined {
  const m = vector === undefined ? null : /^CVSS:(\d+(?:\.\d+)?)\//.exec(vector);
  return m?.[1];
}

/** A finding as the report shows it: what a maintainer needs to act on it, nothing of the raw report. */
export interface SummaryFinding {
  id: string;
  severity: Severity;
  packageName: string;
  installedVersion: string;
  fixedVersions: string[];
  fixable: boolean;
  origin: Finding['origin'];
  title?: string;
  url?: string;
  platforms?: string[];
}

export function summaryFinding(f: Finding): SummaryFinding {
  return {
    id: f.id,
    severity: f.severity,
    packageName: f.packageName,
    installedVersion: f.installedVersion,
    fixedVersions: f.fixedVersions,
    fixable: isFixable(f),
    origin: f.origin,
    ...(f.title ? { title: f.title } : {}),
    ...(f.url ? { url: f.url } : {}),
    ...(f.platforms ? { platforms: f.platforms } : {}),
  };
}
