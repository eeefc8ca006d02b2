import { randomUUID } from 'node:crypto';
import { type Finding, type ScanReport, dedupeKey } from './finding.js';
import { isObject } from './json-read.js';

/**
 * One result from the scans of several platforms of one image (pure). A vulnerability found on several platforms
 * is listed once, with the platforms it was found on; the per-platform reports stay on disk as the scanner wrote them.
 */
export interface PlatformReport {
  /** `linux/arm64`, or undefined for a single-platform scan. */
  platform?: string;
  report: ScanReport;
}

/** The identity of one finding across platforms: the gate's id + package + version, and where in the image. */
function mergeKey(finding: Finding): string {
  return `${dedupeKey(finding)}\u0000${finding.packagePath ?? ''}`;
}

export function mergeFindings(reports: readonly PlatformReport[]): Finding[] {
  const merged = new Map<string, Finding>();
  const order: Finding[] = [];
  for (const { platform, report } of reports) {
    for (const finding of report.findings) {
      const key = mergeKey(finding);
      const seen = merged.get(key);
      if (!seen) {
        const copy: Finding = { ...finding, ...(platform ? { platforms: [platform] } : {}) };
        merged.set(key, copy);
        order.push(copy);
      } else if (platform && !(seen.platforms ?? []).includes(platform)) {
        seen.platforms = [...(seen.platforms ?? []), platform];
      }
    }
  }
  return order;
}

/** The scan report of an image built for several platforms, for the gate, SARIF and the attestation. */
export function mergeReports(reports: readonly PlatformReport[], imageRef: string): ScanReport {
  const first = reports[0]?.report;
  if (!first) throw new Error('mergeReports needs at least one report');
  if (reports.length === 1) {
    const only = reports[0] as PlatformReport;
    return only.platform ? { ...first, findings: mergeFindings(reports) } : first;
  }
  return {
    scanner: first.scanner,
    ...(first.scannerVersion ? { scannerVersion: first.scannerVersion } : {}),
    artifactName: imageRef,
    findings: mergeFindings(reports),
    ...(first.dbUpdatedAt ? { dbUpdatedAt: first.dbUpdatedAt } : {}),
  };
}

type Json = Record<string, unknown>;

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function pushUnique(into: unknown[], seen: Set<string>, items: unknown[], key: (item: Json) => string): void {
  for (const item of items) {
    if (!isObject(item)) continue;
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    into.push(item);
  }
}

/**
 * The scanners' own JSON, merged so it stays readable by the tools that read it (`trivy convert`, jq scripts):
 * trivy Results joined by target, class and type, their vulnerabilities and packages listed once; grype matches
 * listed once. The first platform's metadata stands for the image.
 */
export function mergeRaw(raws: readonly unknown[], scanner: 'trivy' | 'grype', imageRef: string): Json {
  const docs = raws.filter(isObject);
  const first = docs[0] ?? {};
  if (scanner === 'grype') {
    const matches: unknown[] = [];
    const ignored: unknown[] = [];
    const seenMatches = new Set<string>();
    const seenIgnored = new Set<string>();
    const key = (m: Json): string => {
      const v = isObject(m['vulnerability']) ? m['vulnerability'] : {};
      const a = isObject(m['artifact']) ? m['artifact'] : {};
      const loc = array(a['locations'])[0];
      return [str(v['id']), str(a['name']), str(a['version']), isObject(loc) ? str(loc['path']) : ''].join(
        '\u0000',
      );
    };
    for (const doc of docs) {
      pushUnique(matches, seenMatches, array(doc['matches']), key);
      pushUnique(ignored, seenIgnored, array(doc['ignoredMatches']), key);
    }
    const source = isObject(first['source']) ? first['source'] : {};
    const target = isObject(source['target']) ? source['target'] : {};
    return {
      ...first,
      matches,
      ...(ignored.length > 0 ? { ignoredMatches: ignored } : {}),
      source: { ...source, target: { ...target, userInput: imageRef } },
    };
  }

  const results: Json[] = [];
  const byTarget = new Map<string, { result: Json; vulns: Set<string>; pkgs: Set<string> }>();
  for (const doc of docs) {
    for (const value of array(doc['Results'])) {
      if (!isObject(value)) continue;
      const k = [str(value['Target']), str(value['Class']), str(value['Type'])].join('\u0000');
      let entry = byTarget.get(k);
      if (!entry) {
        entry = { result: { ...value }, vulns: new Set(), pkgs: new Set() };
        if (value['Vulnerabilities'] !== undefined) entry.result['Vulnerabilities'] = [];
        if (value['Packages'] !== undefined) entry.result['Packages'] = [];
        byTarget.set(k, entry);
        results.push(entry.result);
      }
      if (Array.isArray(value['Vulnerabilities'])) {
        const list = array(entry.result['Vulnerabilities']);
        entry.result['Vulnerabilities'] = list;
        pushUnique(list, entry.vulns, value['Vulnerabilities'], (v) =>
          [str(v['VulnerabilityID']), str(v['PkgName']), str(v['InstalledVersion']), str(v['PkgPath'])].join(
            '\u0000',
          ),
        );
      }
      if (Array.isArray(value['Packages'])) {
        const list = array(entry.result['Packages']);
        entry.result['Packages'] = list;
        pushUnique(list, entry.pkgs, value['Packages'], (p) => {
          const id = isObject(p['Identifier']) ? str(p['Identifier']['PURL']) : '';
          return id || [str(p['Name']), str(p['Version']), str(p['FilePath'])].join('\u0000');
        });
      }
    }
  }
  return { ...first, ArtifactName: imageRef, Results: results };
}

/**
 * CycloneDX SBOMs of the platforms of one image as one document: components, dependencies and vulnerabilities
 * listed once (by bom-ref, or purl / name@version), the first platform's metadata for the image.
 */
export function mergeCycloneDx(docs: readonly unknown[], platforms: readonly string[]): Json {
  const boms = docs.filter(isObject);
  const first = boms[0] ?? {};
  const components: unknown[] = [];
  const dependencies: unknown[] = [];
  const vulnerabilities: unknown[] = [];
  const seenComponents = new Set<string>();
  const seenDependencies = new Set<string>();
  const vulnIndex = new Map<string, Json>();
  for (const bom of boms) {
    pushUnique(components, seenComponents, array(bom['components']), (c) => {
      const purl = str(c['purl']);
      return purl || str(c['bom-ref']) || `${str(c['type'])}:${str(c['name'])}@${str(c['version'])}`;
    });
    pushUnique(dependencies, seenDependencies, array(bom['dependencies']), (d) => str(d['ref']));
    for (const value of array(bom['vulnerabilities'])) {
      if (!isObject(value)) continue;
      const id = str(value['id']);
      const existing = vulnIndex.get(id);
      if (!existing) {
        const copy = { ...value, affects: [...array(value['affects'])] };
        vulnIndex.set(id, copy);
        vulnerabilities.push(copy);
        continue;
      }
      const affects = array(existing['affects']);
      const refs = new Set(affects.map((a) => (isObject(a) ? str(a['ref']) : '')));
      for (const a of array(value['affects'])) {
        if (isObject(a) && !refs.has(str(a['ref']))) {
          refs.add(str(a['ref']));
          affects.push(a);
        }
      }
      existing['affects'] = affects;
    }
  }
  const metadata = isObject(first['metadata']) ? first['metadata'] : {};
  const properties = [
    ...array(metadata['properties']),
    ...platforms.map((p) => ({ name: 'secure-image:platform', value: p })),
  ];
  return {
    ...first,
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: { ...metadata, properties },
    components,
    ...(dependencies.length > 0 ? { dependencies } : {}),
    ...(vulnerabilities.length > 0 ? { vulnerabilities } : {}),
  };
}
