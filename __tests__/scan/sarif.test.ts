import { describe, expect, it } from '@jest/globals';
import type { Finding, ScanReport } from '../../src/scan/finding.js';
import { type GateOptions, evaluateGate } from '../../src/scan/gate.js';
import { parseGrypeReport } from '../../src/scan/grype-report.js';
import { parseTrivyIgnore } from '../../src/scan/ignore-file.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MAX_SARIF_RESULTS,
  type SarifLog,
  fingerprint,
  securitySeverity,
  toSarif,
  toSarifForWriting,
} from '../../src/scan/sarif.js';
import { writeJsonFile } from '../../src/util/json-file.js';
import { parseTrivyReport } from '../../src/scan/trivy-report.js';
import { sarifSchemaErrors as schemaErrors } from '../support/sarif-schema.js';
import { finding, readUpstream } from './helpers.js';

/*
 * A structural check of SARIF 2.1.0 written from the OASIS schema (sarif-schema-2.1.0.json): the objects used
 * here, the properties each may have (the schema sets additionalProperties: false on them), the required ones,
 * and the enums; plus what GitHub code scanning requires on top (docs: "SARIF support for code scanning").
 * It is run on trivy's own golden SARIF too, so the checker is known to accept real upstream output.
 */
const ALLOWED: Record<string, string[]> = {
  log: ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties'],
  run: [
    'tool',
    'invocations',
    'conversion',
    'language',
    'versionControlProvenance',
    'originalUriBaseIds',
    'artifacts',
    'logicalLocations',
    'graphs',
    'results',
    'automationDetails',
    'runAggregates',
    'baselineGuid',
    'redactionTokens',
    'defaultEncoding',
    'defaultSourceLanguage',
    'newlineSequences',
    'columnKind',
    'externalPropertyFileReferences',
    'threadFlowLocations',
    'taxonomies',
    'addresses',
    'translations',
    'policies',
    'webRequests',
    'webResponses',
    'specialLocations',
    'properties',
  ],
  tool: ['driver', 'extensions', 'properties'],
  toolComponent: [
    'guid',
    'name',
    'organization',
    'product',
    'productSuite',
    'shortDescription',
    'fullDescription',
    'fullName',
    'version',
    'semanticVersion',
    'dottedQuadFileVersion',
    'releaseDateUtc',
    'downloadUri',
    'informationUri',
    'globalMessageStrings',
    'notifications',
    'rules',
    'taxa',
    'locations',
    'language',
    'contents',
    'isComprehensive',
    'localizedDataSemanticVersion',
    'minimumRequiredLocalizedDataSemanticVersion',
    'associatedComponent',
    'translationMetadata',
    'supportedTaxonomies',
    'properties',
  ],
  reportingDescriptor: [
    'id',
    'deprecatedIds',
    'guid',
    'deprecatedGuids',
    'name',
    'deprecatedNames',
    'shortDescription',
    'fullDescription',
    'messageStrings',
    'defaultConfiguration',
    'helpUri',
    'help',
    'relationships',
    'properties',
  ],
  reportingConfiguration: ['enabled', 'level', 'rank', 'parameters', 'properties'],
  multiformatMessageString: ['text', 'markdown', 'properties'],
  message: ['text', 'markdown', 'id', 'arguments', 'properties'],
  result: [
    'guid',
    'correlationGuid',
    'ruleId',
    'ruleIndex',
    'rule',
    'kind',
    'level',
    'message',
    'analysisTarget',
    'locations',
    'hostedViewerUri',
    'partialFingerprints',
    'fingerprints',
    'stacks',
    'codeFlows',
    'graphs',
    'graphTraversals',
    'relatedLocations',
    'suppressions',
    'baselineState',
    'rank',
    'attachments',
    'workItemUris',
    'provenance',
    'fixes',
    'taxa',
    'webRequest',
    'webResponse',
    'properties',
  ],
  location: [
    'id',
    'physicalLocation',
    'logicalLocations',
    'message',
    'annotations',
    'relationships',
    'properties',
  ],
  physicalLocation: ['address', 'artifactLocation', 'region', 'contextRegion', 'properties'],
  artifactLocation: ['uri', 'uriBaseId', 'index', 'description', 'properties'],
  region: [
    'startLine',
    'startColumn',
    'endLine',
    'endColumn',
    'charOffset',
    'charLength',
    'byteOffset',
    'byteLength',
    'snippet',
    'message',
    'sourceLanguage',
    'properties',
  ],
  runAutomationDetails: ['description', 'id', 'guid', 'correlationGuid', 'properties'],
};

/* eslint-disable @typescript-eslint/no-explicit-any -- the checker walks arbitrary JSON */
function sarifProblems(log: any): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const obj = (v: any, kind: string, path: string): boolean => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      problems.push(`${path} is not an object`);
      return false;
    }
    for (const key of Object.keys(v))
      check(ALLOWED[kind]?.includes(key) ?? false, `${path}.${key} is not a ${kind} property`);
    return true;
  };
  const nonEmpty = (v: any, path: string) =>
    check(typeof v === 'string' && v !== '', `${path} must be a non-empty string`);
  const text = (v: any, kind: 'multiformatMessageString' | 'message', path: string) => {
    if (obj(v, kind, path)) nonEmpty(v.text, `${path}.text`);
  };
  const props = (v: any, path: string) => {
    if (v === undefined) return;
    check(typeof v === 'object' && v !== null && !Array.isArray(v), `${path} must be a property bag`);
    if (v.tags !== undefined) {
      check(
        Array.isArray(v.tags) && v.tags.every((t: any) => typeof t === 'string'),
        `${path}.tags must be strings`,
      );
      check(new Set(v.tags).size === v.tags.length, `${path}.tags must be unique`);
      check(v.tags.length <= 20, `${path}.tags: GitHub accepts at most 20`);
    }
  };
  const int = (v: any, min: number, path: string) =>
    check(Number.isInteger(v) && v >= min, `${path} must be an integer ≥ ${min}`);
  const level = (v: any, path: string) =>
    check(['none', 'note', 'warning', 'error'].includes(v), `${path} is not a level`);

  if (!obj(log, 'log', 'log')) return problems;
  nonEmpty(log.$schema, 'log.$schema');
  check(log.version === '2.1.0', 'log.version must be "2.1.0"');
  check(
    Array.isArray(log.runs) && log.runs.length >= 1 && log.runs.length <= 20,
    'log.runs must hold 1–20 runs',
  );
  (log.runs ?? []).forEach((run: any, ri: number) => {
    const rp = `runs[${ri}]`;
    if (!obj(run, 'run', rp)) return;
    props(run.properties, `${rp}.properties`);
    if (run.columnKind !== undefined)
      check(['utf16CodeUnits', 'unicodeCodePoints'].includes(run.columnKind), `${rp}.columnKind`);
    if (
      run.automationDetails !== undefined &&
      obj(run.automationDetails, 'runAutomationDetails', `${rp}.automationDetails`)
    ) {
      nonEmpty(run.automationDetails.id, `${rp}.automationDetails.id`);
    }
    if (!obj(run.tool, 'tool', `${rp}.tool`)) return;
    const driver = run.tool.driver;
    if (!obj(driver, 'toolComponent', `${rp}.tool.driver`)) return;
    nonEmpty(driver.name, `${rp}.tool.driver.name`);
    if (driver.version !== undefined) nonEmpty(driver.version, `${rp}.tool.driver.version`);
    check(Array.isArray(driver.rules), `${rp}.tool.driver.rules must be an array (GitHub requires it)`);
    const ruleIds = new Set<string>();
    (driver.rules ?? []).forEach((rule: any, i: number) => {
      const p = `${rp}.tool.driver.rules[${i}]`;
      if (!obj(rule, 'reportingDescriptor', p)) return;
      nonEmpty(rule.id, `${p}.id`);
      check(!ruleIds.has(rule.id), `${p}.id is not unique`);
      ruleIds.add(rule.id);
      if (rule.name !== undefined)
        check(typeof rule.name === 'string' && rule.name.length <= 255, `${p}.name ≤ 255`);
      // GitHub: shortDescription, fullDescription and help are required, descriptions ≤ 1024 characters.
      text(rule.shortDescription, 'multiformatMessageString', `${p}.shortDescription`);
      text(rule.fullDescription, 'multiformatMessageString', `${p}.fullDescription`);
      text(rule.help, 'multiformatMessageString', `${p}.help`);
      check((rule.shortDescription?.text ?? '').length <= 1024, `${p}.shortDescription ≤ 1024`);
      check((rule.fullDescription?.text ?? '').length <= 1024, `${p}.fullDescription ≤ 1024`);
      if (
        rule.defaultConfiguration !== undefined &&
        obj(rule.defaultConfiguration, 'reportingConfiguration', `${p}.defaultConfiguration`)
      ) {
        level(rule.defaultConfiguration.level, `${p}.defaultConfiguration.level`);
      }
      props(rule.properties, `${p}.properties`);
      const severity = rule.properties?.['security-severity'];
      if (severity !== undefined) {
        check(
          typeof severity === 'string' && /^\d+(\.\d+)?$/.test(severity) && Number(severity) <= 10,
          `${p} security-severity must be a "0.0"–"10.0" string`,
        );
      }
    });
    check(Array.isArray(run.results), `${rp}.results must be an array`);
    check((run.results ?? []).length <= 25_000, `${rp}.results: GitHub accepts at most 25,000`);
    (run.results ?? []).forEach((result: any, i: number) => {
      const p = `${rp}.results[${i}]`;
      if (!obj(result, 'result', p)) return;
      text(result.message, 'message', `${p}.message`);
      if (result.level !== undefined) level(result.level, `${p}.level`);
      if (result.ruleIndex !== undefined) {
        int(result.ruleIndex, 0, `${p}.ruleIndex`);
        check(
          driver.rules?.[result.ruleIndex]?.id === result.ruleId,
          `${p}.ruleIndex must point at rule ${result.ruleId}`,
        );
      }
      check(ruleIds.has(result.ruleId), `${p}.ruleId must name a rule`);
      check(
        Array.isArray(result.locations) && result.locations.length >= 1 && result.locations.length <= 10,
        `${p}.locations: 1–10`,
      );
      (result.locations ?? []).forEach((loc: any, li: number) => {
        const lp = `${p}.locations[${li}]`;
        if (!obj(loc, 'location', lp)) return;
        if (loc.message !== undefined) text(loc.message, 'message', `${lp}.message`);
        if (!obj(loc.physicalLocation, 'physicalLocation', `${lp}.physicalLocation`)) return;
        const phys = loc.physicalLocation;
        if (obj(phys.artifactLocation, 'artifactLocation', `${lp}.physicalLocation.artifactLocation`)) {
          nonEmpty(phys.artifactLocation.uri, `${lp}.physicalLocation.artifactLocation.uri`);
        }
        if (obj(phys.region, 'region', `${lp}.physicalLocation.region`)) {
          for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn'])
            int(phys.region[k], 1, `${lp}.region.${k}`);
          check(phys.region.endLine >= phys.region.startLine, `${lp}.region ends before it starts`);
        }
      });
      if (result.partialFingerprints !== undefined) {
        check(
          typeof result.partialFingerprints === 'object' &&
            Object.values(result.partialFingerprints).every((v) => typeof v === 'string' && v !== ''),
          `${p}.partialFingerprints values must be strings`,
        );
      }
      props(result.properties, `${p}.properties`);
    });
  });
  return problems;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const gateOptions = (o: Partial<GateOptions> = {}): GateOptions => ({
  failOn: 'high',
  ignoreUnfixed: false,
  ignores: [],
  vex: [],
  now: new Date('2024-06-01T00:00:00Z'),
  ...o,
});

function sarifFor(report: ScanReport, o: Partial<GateOptions> = {}, baseImageLine?: number) {
  const gate = evaluateGate(report, gateOptions(o));
  return {
    gate,
    sarif: toSarif(report, gate, {
      dockerfile: './docker/Dockerfile',
      baseImageLine,
      imageRef: 'ghcr.io/acme/app@sha256:abc',
    }),
  };
}

describe('the structural checker', () => {
  it('accepts trivy’s golden SARIF, as the OASIS schema does', () => {
    const golden: unknown = JSON.parse(readUpstream('trivy/alpine-310.sarif.golden'));
    expect(sarifProblems(golden)).toEqual([]);
    expect(schemaErrors(golden)).toEqual([]);
  });

  it('the OASIS schema refuses what it forbids', () => {
    const golden = JSON.parse(readUpstream('trivy/alpine-310.sarif.golden'));
    golden.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0;
    golden.runs[0].tool.driver.rules[0].severity = 'high';
    expect(schemaErrors(golden).length).toBeGreaterThanOrEqual(2);
  });

  it('rejects what the schema forbids', () => {
    const golden = JSON.parse(readUpstream('trivy/alpine-310.sarif.golden'));
    golden.runs[0].results[0].message = {};
    golden.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0;
    golden.runs[0].tool.driver.rules[0].severity = 'high';
    expect(sarifProblems(golden)).toEqual([
      'runs[0].tool.driver.rules[0].severity is not a reportingDescriptor property',
      'runs[0].results[0].message.text must be a non-empty string',
      'runs[0].results[1].locations[0].region.startLine must be an integer ≥ 1',
    ]);
  });
});

describe('toSarif', () => {
  it.each([
    ['trivy/alpine-310.json.golden', 'trivy'],
    ['trivy/distroless-base.json.golden', 'trivy'],
    ['trivy/alpine-distroless.json.golden', 'trivy'],
    ['grype/chainguard-ruby-test.json', 'grype'],
    ['grype/keycloak-test.json', 'grype'],
    ['grype/ghsa-test.json', 'grype'],
  ])('%s gives a valid log with one result per counted finding', (file, scanner) => {
    const text = readUpstream(file);
    const report = scanner === 'trivy' ? parseTrivyReport(text) : parseGrypeReport(text);
    const { gate, sarif } = sarifFor(report, {}, 3);
    expect(sarifProblems(sarif)).toEqual([]);
    expect(schemaErrors(sarif)).toEqual([]);
    const run = sarif.runs[0];
    expect(run?.results).toHaveLength(gate.counts.total - gate.counts.ignored);
    expect(new Set(run?.results.map((r) => r.ruleId))).toEqual(new Set(gate.top.map((f) => f.id)));
    expect(run?.tool.driver.rules.map((r) => r.id)).toEqual([...new Set(gate.top.map((f) => f.id))]);
    expect(run?.tool.driver.name).toBe(scanner === 'trivy' ? 'Trivy' : 'Grype');
    expect(run?.tool.driver.version).toBe(report.scannerVersion);
  });

  it('has the shape of trivy’s own SARIF where GitHub reads it', () => {
    const golden = JSON.parse(readUpstream('trivy/alpine-310.sarif.golden'));
    const { sarif } = sarifFor(parseTrivyReport(readUpstream('trivy/alpine-310.json.golden')));
    const ours = sarif.runs[0];
    const theirs = golden.runs[0];
    expect(sarif.version).toBe(golden.version);
    for (const key of Object.keys(theirs.tool.driver.rules[0]))
      expect(ours?.tool.driver.rules[0]).toHaveProperty(key);
    for (const key of Object.keys(theirs.results[0])) expect(ours?.results[0]).toHaveProperty(key);
    expect(Object.keys(ours?.results[0]?.locations[0]?.physicalLocation.region ?? {}).sort()).toEqual(
      Object.keys(theirs.results[0].locations[0].physicalLocation.region).sort(),
    );
    // same rules and levels as trivy decided for the same report
    expect(
      ours?.tool.driver.rules.map((r) => [
        r.id,
        r.defaultConfiguration.level,
        r.properties['security-severity'],
      ]),
    ).toEqual(
      theirs.tool.driver.rules.map(
        (r: { id: string; defaultConfiguration: { level: string }; properties: Record<string, string> }) => [
          r.id,
          r.defaultConfiguration.level,
          r.properties['security-severity'],
        ],
      ),
    );
    expect(ours?.results.map((r) => r.level).sort()).toEqual(
      theirs.results.map((r: { level: string }) => r.level).sort(),
    );
  });

  it('locates base-image findings on the FROM line, the rest on line 1', () => {
    const text = readUpstream('trivy/distroless-base.json.golden');
    const upper = 'sha256:dffd9992ca398466a663c87c92cfea2a2db0ae0cf33fcb99da60eec52addbfc5';
    const lower = 'sha256:932da51564135c98a49a34a193d6cd363d8fa4184d957fde16c9d8527b3f3b02';
    const lines = (baseLayers: string[], baseImageLine?: number) =>
      sarifFor(parseTrivyReport(text, { baseLayers }), {}, baseImageLine).sarif.runs[0]?.results.map((r) => {
        const loc = r.locations[0]?.physicalLocation;
        return [loc?.artifactLocation.uri, loc?.region.startLine, loc?.region.endLine];
      });
    expect(lines([lower, upper], 7)).toEqual(Array(4).fill(['docker/Dockerfile', 7, 7]));
    expect(lines([lower], 7)).toEqual(Array(4).fill(['docker/Dockerfile', 1, 1]));
    expect(lines([], 7)).toEqual(Array(4).fill(['docker/Dockerfile', 1, 1]));
    expect(lines([lower, upper])).toEqual(Array(4).fill(['docker/Dockerfile', 1, 1]));
  });

  it('leaves ignored findings out', () => {
    const report = parseTrivyReport(readUpstream('trivy/alpine-310.json.golden'));
    const { sarif } = sarifFor(report, { ignores: parseTrivyIgnore('CVE-2019-1551\n', '.trivyignore') });
    expect(sarif.runs[0]?.results.map((r) => r.ruleId)).toEqual(['CVE-2019-1549', 'CVE-2019-1549']);
    expect(sarif.runs[0]?.tool.driver.rules.map((r) => r.id)).toEqual(['CVE-2019-1549']);
    expect(sarif.runs[0]?.properties['counts']).toMatchObject({ total: 4, ignored: 2 });
  });

  it('fingerprints are stable across builds and Dockerfile edits, distinct across packages', () => {
    const report = parseTrivyReport(readUpstream('trivy/alpine-310.json.golden'));
    const a = sarifFor(report, {}, 3).sarif.runs[0]?.results.map(
      (r) => r.partialFingerprints.primaryLocationLineHash,
    );
    const gate = evaluateGate(report, gateOptions());
    const b = toSarif(report, gate, {
      dockerfile: 'Dockerfile',
      baseImageLine: 9,
      imageRef: 'ghcr.io/acme/app@sha256:def',
    }).runs[0]?.results.map((r) => r.partialFingerprints.primaryLocationLineHash);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(4);
    expect(fingerprint(finding({ packagePath: 'a' }))).not.toBe(fingerprint(finding({ packagePath: 'b' })));
  });

  it.each<[Partial<Finding>, string]>([
    [{ severity: 'medium', cvss: [{ source: 'nvd', version: '3.1', score: 5.3 }] }, '5.3'],
    [{ severity: 'high', cvss: [{ source: 'nvd', version: '3.1', score: 9.8 }] }, '8.9'],
    [{ severity: 'critical', cvss: [] }, '9.5'],
    [{ severity: 'critical', cvss: [{ source: 'ghsa', version: '3.1', score: 9.0 }] }, '9.1'],
    [{ severity: 'low', cvss: [{ source: 'nvd', version: '2.0', score: 5 }] }, '3.9'],
    [
      {
        severity: 'high',
        cvss: [
          { source: 'nvd', version: '2.0', score: 10 },
          { source: 'redhat', version: '3.1', score: 7.1 },
        ],
      },
      '7.1',
    ],
    [{ severity: 'unknown', cvss: [{ source: 'nvd', version: '3.1', score: 7 }] }, '0.0'],
  ])('security-severity of %j is %s, inside the severity’s band', (overrides, expected) => {
    expect(securitySeverity(finding(overrides))).toBe(expected);
  });

  it('keeps the 25,000 most severe results that GitHub accepts', () => {
    const findings = Array.from({ length: MAX_SARIF_RESULTS + 10 }, (_, i) =>
      finding({ id: `CVE-${i}`, severity: i < 10 ? 'low' : 'high' }),
    );
    const report: ScanReport = { scanner: 'grype', findings };
    const { sarif } = sarifFor(report, { failOn: 'never' });
    const run = sarif.runs[0];
    expect(run?.results).toHaveLength(MAX_SARIF_RESULTS);
    expect(run?.results.every((r) => r.level === 'error')).toBe(true);
    expect(run?.properties['omittedResults']).toBe(10);
    expect(sarifProblems(sarif)).toEqual([]);
  });

  it('clips long descriptions and writes levels from severity', () => {
    const long = 'x'.repeat(5000);
    const report: ScanReport = {
      scanner: 'trivy',
      findings: [
        finding({ id: 'A', severity: 'critical', title: long, description: long }),
        finding({ id: 'B', severity: 'medium' }),
        finding({ id: 'C', severity: 'low' }),
        finding({ id: 'D', severity: 'unknown' }),
      ],
    };
    const { sarif } = sarifFor(report, { failOn: 'never' });
    expect(sarifProblems(sarif)).toEqual([]);
    expect(sarif.runs[0]?.results.map((r) => [r.ruleId, r.level])).toEqual([
      ['A', 'error'],
      ['B', 'warning'],
      ['C', 'note'],
      ['D', 'note'],
    ]);
    expect(sarif.runs[0]?.tool.driver.rules[0]?.fullDescription.text).toHaveLength(1024);
    expect(sarif.runs[0]?.tool.driver.version).toBeUndefined();
  });
});

describe('toSarifForWriting', () => {
  it('writes, result by result, the same SARIF file toSarif describes', async () => {
    const report = parseTrivyReport(readUpstream('trivy/alpine-310.json.golden'));
    const gate = evaluateGate(report, {
      failOn: 'high',
      ignoreUnfixed: false,
      ignores: [],
      vex: [],
      now: new Date(),
    });
    const options = { dockerfile: 'app/Dockerfile', baseImageLine: 3, imageRef: 'r/app@sha256:0' };
    const dir = mkdtempSync(join(tmpdir(), 'sarif-'));
    const file = join(dir, 'results.sarif');
    await writeJsonFile(file, toSarifForWriting(report, gate, options));
    const written = JSON.parse(readFileSync(file, 'utf8')) as SarifLog;
    expect(written).toEqual(toSarif(report, gate, options));
    expect(written.runs[0]?.results.length).toBe(gate.top.length);
  });
});
