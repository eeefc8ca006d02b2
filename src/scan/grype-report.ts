import {
  type Cvss,
  type Finding,
  type FixState,
  type ScanReport,
  cvssVersionOfVector,
  normaliseSeverity,
  originFromLayers,
} from './finding.js';
import type { ByteSource } from './json-deferred.js';
import { type JsonObject, JsonReader, isObject } from './json-read.js';
import { StringPool } from './string-pool.js';

// The arrays that grow with the image: read one element at a time (matches), or never (ignoredMatches).
const GRYPE_DEFERRED = [['matches'], ['ignoredMatches']] as const;

/** `grype -o json` → ScanReport; the matches are read one at a time. */
export function parseGrypeReport(
  json: string | Buffer | ByteSource,
  options: { baseLayers?: string[] } = {},
): ScanReport {
  const r = new JsonReader('the grype report');
  const doc = r.object(r.parseDeferring(json, GRYPE_DEFERRED), 'the top level');
  if (!('matches' in doc)) {
    r.fail('matches', 'is missing; expected the output of `grype -o json`');
  }
  const findings: Finding[] = [];
  const pool = new StringPool();
  r.forEachElement(doc, 'matches', '', (m, i) => {
    findings.push(
      pool.shareFinding(toFinding(r, r.object(m, `matches[${i}]`), `matches[${i}].`, options.baseLayers)),
    );
  });

  const descriptor = r.optObject(doc, 'descriptor', '');
  const source = r.optObject(doc, 'source', '');
  const target = source?.['target'];
  return {
    scanner: 'grype',
    scannerVersion: descriptor ? r.optString(descriptor, 'version', 'descriptor.') : undefined,
    artifactName: isObject(target)
      ? r.optString(target, 'userInput', 'source.target.')
      : typeof target === 'string'
        ? target
        : undefined,
    findings,
    dbUpdatedAt: descriptor ? dbBuilt(r, descriptor) : undefined,
  };
}

/** grype ≤0.7x wrote `descriptor.db.built`; newer versions write `descriptor.db.status.built`. */
function dbBuilt(r: JsonReader, descriptor: JsonObject): string | undefined {
  const db = r.optObject(descriptor, 'db', 'descriptor.');
  if (!db) return undefined;
  const status = isObject(db['status']) ? db['status'] : undefined;
  return (
    r.optString(db, 'built', 'descriptor.db.') ??
    (status ? r.optString(status, 'built', 'descriptor.db.status.') : undefined)
  );
}

function toFinding(r: JsonReader, m: JsonObject, path: string, baseLayers: string[] | undefined): Finding {
  const vp = `${path}vulnerability.`;
  const vuln = r.object(m['vulnerability'], `${path}vulnerability`);
  const ap = `${path}artifact.`;
  const artifact = r.object(m['artifact'], `${path}artifact`);
  const id = r.string(vuln, 'id', vp);

  const related = (r.optArray(m, 'relatedVulnerabilities', path) ?? []).map((rv, i) =>
    r.object(rv, `${path}relatedVulnerabilities[${i}]`),
  );
  const aliases: string[] = [];
  related.forEach((rv, i) => {
    const alias = r.optString(rv, 'id', `${path}relatedVulnerabilities[${i}].`);
    if (alias !== undefined && alias !== id && !aliases.includes(alias)) aliases.push(alias);
  });

  const fix = r.optObject(vuln, 'fix', vp);
  const fixedVersions = fix ? r.optStrings(fix, 'versions', `${vp}fix.`) : [];

  const locations = (r.optArray(artifact, 'locations', ap) ?? []).map((l, i) =>
    r.object(l, `${ap}locations[${i}]`),
  );
  const first = locations[0];
  const location = first ? r.optString(first, 'path', `${ap}locations[0].`) : undefined;
  // syft's layerID is the layer's uncompressed digest, i.e. the diff ID.
  const layerId = first ? r.optString(first, 'layerID', `${ap}locations[0].`) : undefined;

  const urls = r.optStrings(vuln, 'urls', vp);
  const cvss = [
    ...cvssOf(r, vuln, vp),
    ...related.flatMap((rv, i) => cvssOf(r, rv, `${path}relatedVulnerabilities[${i}].`)),
  ];

  return {
    id,
    aliases,
    severity: normaliseSeverity(vuln['severity']),
    packageName: r.string(artifact, 'name', ap),
    packageType: r.optString(artifact, 'type', ap),
    packagePath: location,
    purl: r.optString(artifact, 'purl', ap),
    installedVersion: r.optString(artifact, 'version', ap) ?? '',
    fixedVersions,
    fixState: fixStateOf(fix ? r.optString(fix, 'state', `${vp}fix.`) : undefined, fixedVersions.length > 0),
    description:
      r.optString(vuln, 'description', vp) ??
      related
        .map((rv) => (typeof rv['description'] === 'string' ? rv['description'] : ''))
        .find((d) => d !== ''),
    url: r.optString(vuln, 'dataSource', vp) ?? urls[0],
    target: location,
    diffId: layerId,
    origin: originFromLayers([layerId], baseLayers),
    cvss,
  };
}

function fixStateOf(state: string | undefined, hasFixedVersion: boolean): FixState {
  switch (state) {
    case 'fixed':
    case 'not-fixed':
    case 'wont-fix':
    case 'unknown':
      return state;
    default:
      return hasFixedVersion ? 'fixed' : 'unknown';
  }
}

function cvssOf(r: JsonReader, vuln: JsonObject, path: string): Cvss[] {
  const namespace = r.optString(vuln, 'namespace', path);
  return (r.optArray(vuln, 'cvss', path) ?? []).map((c, i) => {
    const cp = `${path}cvss[${i}].`;
    const entry = r.object(c, `${path}cvss[${i}]`);
    const vector = r.optString(entry, 'vector', cp);
    const metrics = r.optObject(entry, 'metrics', cp);
    return {
      source: r.optString(entry, 'source', cp) ?? namespace ?? 'unknown',
      version: r.optString(entry, 'version', cp) ?? cvssVersionOfVector(vector),
      vector,
      score: metrics ? r.optNumber(metrics, 'baseScore', `${cp}metrics.`) : undefined,
    };
  });
}
