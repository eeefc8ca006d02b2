import { type Finding, type ScanReport, SEVERITIES, type Severity, dedupeKey } from './finding.js';

/**
 * The cosign vulnerability scan record (`cosign attest --type vuln`, predicate type
 * https://cosign.sigstore.dev/attestation/vuln/v1; field names as cosign's pkg/cosign/attestation
 * CosignVulnPredicate). `scanner.result` is built from the Finding model rather than copied from the scanner,
 * so one policy reads trivy and grype attestations alike.
 */
export const COSIGN_VULN_PREDICATE_TYPE = 'https://cosign.sigstore.dev/attestation/vuln/v1';
/** Names the shape of `scanner.result` so policies can check what they read. */
export const VULN_RESULT_FORMAT = 'secure-image/vuln-result/v1';

export interface CosignVulnOptions {
  scannerUri: string;
  scannerVersion: string;
  dbUri?: string;
  dbVersion?: string;
  startedOn: Date;
  finishedOn: Date;
  /** Where the scan ran, e.g. the workflow run URL and its id; empty strings when not given, as trivy writes them. */
  invocation?: { uri?: string; eventId?: string; builderId?: string; parameters?: unknown };
}

export interface CosignVulnPredicate {
  invocation: { parameters: unknown; uri: string; event_id: string; 'builder.id': string };
  scanner: {
    uri: string;
    version: string;
    db: { uri: string; version: string };
    result: VulnResult;
  };
  metadata: { scanStartedOn: string; scanFinishedOn: string };
}

export interface VulnResult {
  format: string;
  scanner: 'trivy' | 'grype';
  scannerVersion?: string;
  artifactName?: string;
  dbUpdatedAt?: string;
  /** Each vulnerability in each package version once, as the gate counts them. */
  summary: Record<Severity, number> & { total: number };
  findings: Array<{
    id: string;
    aliases: string[];
    severity: Severity;
    package: { name: string; version: string; type?: string; path?: string; purl?: string };
    fixedVersions: string[];
    fixState: string;
    origin: string;
    layer?: { digest?: string; diffId?: string };
    url?: string;
    title?: string;
    cvss: Finding['cvss'];
    /** The platforms of a multi-platform image the finding was found on. */
    platforms?: string[];
  }>;
}

function rfc3339(date: Date, what: string): string {
  if (Number.isNaN(date.getTime())) throw new Error(`the scan ${what} time is not a valid date`);
  return date.toISOString();
}

export function toCosignVulnPredicate(report: ScanReport, options: CosignVulnOptions): CosignVulnPredicate {
  const summary = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0, total: 0 };
  const seen = new Set<string>();
  const findings: VulnResult['findings'] = [];
  for (const f of report.findings) {
    const key = `${dedupeKey(f)}\u0000${f.packagePath ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push({
      id: f.id,
      aliases: f.aliases,
      severity: f.severity,
      package: {
        name: f.packageName,
        version: f.installedVersion,
        ...(f.packageType ? { type: f.packageType } : {}),
        ...(f.packagePath ? { path: f.packagePath } : {}),
        ...(f.purl ? { purl: f.purl } : {}),
      },
      fixedVersions: f.fixedVersions,
      fixState: f.fixState,
      origin: f.origin,
      ...(f.layerDigest || f.diffId
        ? {
            layer: {
              ...(f.layerDigest ? { digest: f.layerDigest } : {}),
              ...(f.diffId ? { diffId: f.diffId } : {}),
            },
          }
        : {}),
      ...(f.url ? { url: f.url } : {}),
      ...(f.title ? { title: f.title } : {}),
      cvss: f.cvss,
      ...(f.platforms ? { platforms: f.platforms } : {}),
    });
  }
  const counted = new Set<string>();
  for (const f of report.findings) {
    const key = dedupeKey(f);
    if (counted.has(key)) continue;
    counted.add(key);
    summary[f.severity] += 1;
    summary.total += 1;
  }
  const order = (s: Severity): number => SEVERITIES.indexOf(s);
  findings.sort((a, b) => order(a.severity) - order(b.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const inv = options.invocation ?? {};
  return {
    invocation: {
      parameters: inv.parameters ?? null,
      uri: inv.uri ?? '',
      event_id: inv.eventId ?? '',
      'builder.id': inv.builderId ?? '',
    },
    scanner: {
      uri: options.scannerUri,
      version: options.scannerVersion,
      db: { uri: options.dbUri ?? '', version: options.dbVersion ?? report.dbUpdatedAt ?? '' },
      result: {
        format: VULN_RESULT_FORMAT,
        scanner: report.scanner,
        ...(report.scannerVersion ? { scannerVersion: report.scannerVersion } : {}),
        ...(report.artifactName ? { artifactName: report.artifactName } : {}),
        ...(report.dbUpdatedAt ? { dbUpdatedAt: report.dbUpdatedAt } : {}),
        summary,
        findings,
      },
    },
    metadata: {
      scanStartedOn: rfc3339(options.startedOn, 'start'),
      scanFinishedOn: rfc3339(options.finishedOn, 'finish'),
    },
  };
}
