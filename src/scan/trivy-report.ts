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

// The arrays that grow with the image: read one element at a time (Vulnerabilities), or never (the package
// list of `--list-all-pkgs`, which the gate does not read).
const TRIVY_DEFERRED = [
  ['Results', '*', 'Vulnerabilities'],
  ['Results', '*', 'Packages'],
] as const;

/** `trivy image --format json` (SchemaVersion 2) → ScanReport; the findings are read one at a time. */
export function parseTrivyReport(
  json: string | Buffer | ByteSource,
  options: { baseLayers?: string[] } = {},
): ScanReport {
  const r = new JsonReader('the trivy report');
  const doc = r.object(r.parseDeferring(json, TRIVY_DEFERRED), 'the top level');

  const schema = doc['SchemaVersion'];
  if (schema === undefined) {
    r.fail('SchemaVersion', 'is missing; expected 2 (the output of `trivy image --format json`)');
  }
  if (schema !== 2) r.fail('', `has SchemaVersion ${JSON.stringify(schema)}, expected 2`);

  const findings: Finding[] = [];
  const pool = new StringPool();
  const results = r.optArray(doc, 'Results', '') ?? [];
  results.forEach((resultValue, ri) => {
    const rp = `Results[${ri}].`;
    const result = r.object(resultValue, `Results[${ri}]`);
    const target = r.optString(result, 'Target', rp);
    const type = r.optString(result, 'Type', rp);
    r.forEachElement(result, 'Vulnerabilities', rp, (vulnValue, vi) => {
      const vp = `${rp}Vulnerabilities[${vi}]`;
      findings.push(
        pool.shareFinding(
          toFinding(r, r.object(vulnValue, vp), `${vp}.`, { target, type }, options.baseLayers),
        ),
      );
    });
  });

  const trivy = r.optObject(doc, 'Trivy', '');
  return {
    scanner: 'trivy',
    scannerVersion: trivy ? r.optString(trivy, 'Version', 'Trivy.') : undefined,
    artifactName: r.optString(doc, 'ArtifactName', ''),
    findings,
  };
}

function toFinding(
  r: JsonReader,
  v: JsonObject,
  path: string,
  result: { target?: string; type?: string },
  baseLayers: string[] | undefined,
): Finding {
  const id = r.string(v, 'VulnerabilityID', path);
  const fixed = r.optString(v, 'FixedVersion', path);
  // trivy joins several fixed versions with ", " (one per affected branch).
  const fixedVersions = fixed
    ? fixed
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : [];
  const layer = r.optObject(v, 'Layer', path);
  const layerDigest = layer ? r.optString(layer, 'Digest', `${path}Layer.`) : undefined;
  const diffId = layer ? r.optString(layer, 'DiffID', `${path}Layer.`) : undefined;
  const identifier = r.optObject(v, 'PkgIdentifier', path);

  return {
    id,
    aliases: r.optStrings(v, 'VendorIDs', path).filter((a) => a !== id),
    severity: normaliseSeverity(v['Severity']),
    packageName: r.string(v, 'PkgName', path),
    packageType: result.type,
    packagePath: r.optString(v, 'PkgPath', path),
    purl: identifier ? r.optString(identifier, 'PURL', `${path}PkgIdentifier.`) : undefined,
    installedVersion: r.optString(v, 'InstalledVersion', path) ?? '',
    fixedVersions,
    fixState: fixStateOf(r.optString(v, 'Status', path), fixedVersions.length > 0),
    title: r.optString(v, 'Title', path),
    description: r.optString(v, 'Description', path),
    url: r.optString(v, 'PrimaryURL', path),
    target: result.target,
    layerDigest,
    diffId,
    origin: originFromLayers([diffId, layerDigest], baseLayers),
    cvss: cvssOf(r, v, path),
  };
}

/**
 * trivy's statuses (docs/guide/configuration/filtering.md, "By Status"). Reports from before `Status`
 * existed only say whether there is a FixedVersion; trivy lists only affected packages, so no fix means not fixed.
 */
function fixStateOf(status: string | undefined, hasFixedVersion: boolean): FixState {
  switch (status) {
    case 'fixed':
      return 'fixed';
    case 'affected':
    case 'fix_deferred':
      return 'not-fixed';
    case 'will_not_fix':
    case 'end_of_life':
      return 'wont-fix';
    case undefined:
      return hasFixedVersion ? 'fixed' : 'not-fixed';
    default:
      // unknown, under_investigation, and statuses newer than this code.
      return hasFixedVersion ? 'fixed' : 'unknown';
  }
}

const CVSS_KEYS: ReadonlyArray<{ vector: string; score: string; version: string }> = [
  { vector: 'V40Vector', score: 'V40Score', version: '4.0' },
  { vector: 'V3Vector', score: 'V3Score', version: '3' },
  { vector: 'V2Vector', score: 'V2Score', version: '2.0' },
];

function cvssOf(r: JsonReader, v: JsonObject, path: string): Cvss[] {
  const cvss = r.optObject(v, 'CVSS', path);
  if (!cvss) return [];
  const out: Cvss[] = [];
  for (const [source, entry] of Object.entries(cvss)) {
    if (!isObject(entry)) continue;
    const ep = `${path}CVSS.${source}.`;
    for (const k of CVSS_KEYS) {
      const vector = r.optString(entry, k.vector, ep);
      const score = r.optNumber(entry, k.score, ep);
      if (vector === undefined && score === undefined) continue;
      out.push({ source, version: cvssVersionOfVector(vector) ?? k.version, vector, score });
    }
  }
  return out;
}
