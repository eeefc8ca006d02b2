import { describe, expect, it } from '@jest/globals';
import { ReportFormatError } from '../../src/scan/finding.js';
import { parseGrypeReport } from '../../src/scan/grype-report.js';
import { parseTrivyReport } from '../../src/scan/trivy-report.js';
import { evaluateGate } from '../../src/scan/gate.js';
import { GRYPE_FIXTURES, TRIVY_FIXTURES, readUpstream } from './helpers.js';

// Counts computed straight from the raw JSON with the simplest possible code, to check the parsers against.
type Tally = Record<'critical' | 'high' | 'medium' | 'low' | 'unknown' | 'total', number>;

function tally(entries: Array<{ key: string; severity: string }>): Tally {
  const t: Tally = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0, total: 0 };
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    const s = e.severity.toLowerCase();
    const level = s === 'negligible' ? 'low' : s in t && s !== 'total' ? (s as keyof Tally) : 'unknown';
    t[level] += 1;
    t.total += 1;
  }
  return t;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- walking fixture JSON by hand is the point here */
function rawTrivy(text: string): { tally: Tally; rows: number; fixable: number } {
  const doc = JSON.parse(text) as any;
  const entries: Array<{ key: string; severity: string; fixed: boolean }> = [];
  for (const result of doc.Results ?? []) {
    for (const v of result.Vulnerabilities ?? []) {
      entries.push({
        key: `${v.VulnerabilityID}|${v.PkgName}|${v.InstalledVersion}`,
        severity: v.Severity,
        fixed: Boolean(v.FixedVersion),
      });
    }
  }
  const fixable = new Set(entries.filter((e) => e.fixed).map((e) => e.key)).size;
  return { tally: tally(entries), rows: entries.length, fixable };
}

function rawGrype(text: string): { tally: Tally; rows: number; fixable: number } {
  const doc = JSON.parse(text) as any;
  const entries = (doc.matches as any[]).map((m) => ({
    key: `${m.vulnerability.id}|${m.artifact.name}|${m.artifact.version}`,
    severity: m.vulnerability.severity as string,
    fixed: m.vulnerability.fix.state === 'fixed' || m.vulnerability.fix.versions.length > 0,
  }));
  const fixable = new Set(entries.filter((e) => e.fixed).map((e) => e.key)).size;
  return { tally: tally(entries), rows: entries.length, fixable };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const gateAll = { failOn: 'never' as const, ignoreUnfixed: false, ignores: [], vex: [], now: new Date() };

describe('trivy fixtures', () => {
  it.each(TRIVY_FIXTURES)('%s: findings and counts match the raw JSON', (file) => {
    const text = readUpstream(`trivy/${file}`);
    const raw = rawTrivy(text);
    const report = parseTrivyReport(text);
    expect(report.scanner).toBe('trivy');
    expect(report.findings).toHaveLength(raw.rows);
    const { counts } = evaluateGate(report, gateAll);
    expect({
      critical: counts.critical,
      high: counts.high,
      medium: counts.medium,
      low: counts.low,
      unknown: counts.unknown,
      total: counts.total,
    }).toEqual(raw.tally);
    expect(counts.fixable).toBe(raw.fixable);
    expect(raw.rows).toBeGreaterThan(0);
  });

  it('reads every field of a finding', () => {
    const report = parseTrivyReport(readUpstream('trivy/alpine-310.json.golden'));
    expect(report.scannerVersion).toBe('dev');
    expect(report.artifactName).toBe('testdata/fixtures/images/alpine-310.tar.gz');
    expect(report.dbUpdatedAt).toBeUndefined();
    const f = report.findings[0];
    expect(f).toMatchObject({
      id: 'CVE-2019-1549',
      severity: 'medium',
      packageName: 'libcrypto1.1',
      packageType: 'alpine',
      purl: 'pkg:apk/alpine/libcrypto1.1@1.1.1c-r0?arch=x86_64&distro=3.10.2',
      installedVersion: '1.1.1c-r0',
      fixedVersions: ['1.1.1d-r0'],
      fixState: 'fixed',
      title: 'openssl: information disclosure in fork()',
      url: 'https://avd.aquasec.com/nvd/cve-2019-1549',
      target: 'testdata/fixtures/images/alpine-310.tar.gz (alpine 3.10.2)',
      layerDigest: 'sha256:9d48c3bd43c520dc2784e868a780e976b207cbf493eaff8c6596eb871cbd9609',
      diffId: 'sha256:03901b4a2ea88eeaad62dbe59b072b28b6efa00491962b8741081c5df50c65e0',
      origin: 'unknown',
    });
    expect(f?.cvss).toEqual(
      expect.arrayContaining([
        { source: 'nvd', version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', score: 5.3 },
        { source: 'nvd', version: '2.0', vector: 'AV:N/AC:L/Au:N/C:P/I:N/A:N', score: 5 },
        {
          source: 'redhat',
          version: '3.0',
          vector: 'CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N',
          score: 4.8,
        },
      ]),
    );
  });

  it('maps trivy statuses to fix states', () => {
    const report = parseTrivyReport(readUpstream('trivy/distroless-base.json.golden'));
    expect(report.findings.map((f) => [f.id, f.packageName, f.fixState, f.fixedVersions])).toEqual([
      ['CVE-2019-1551', 'libssl1.1', 'not-fixed', []],
      ['CVE-2019-1563', 'libssl1.1', 'fixed', ['1.1.0l-1~deb9u1']],
      ['CVE-2019-1551', 'openssl', 'not-fixed', []],
      ['CVE-2019-1563', 'openssl', 'fixed', ['1.1.0l-1~deb9u1']],
    ]);
  });

  it.each([
    ['fixed', '1.2', 'fixed'],
    ['affected', undefined, 'not-fixed'],
    ['fix_deferred', undefined, 'not-fixed'],
    ['will_not_fix', undefined, 'wont-fix'],
    ['end_of_life', undefined, 'wont-fix'],
    ['under_investigation', undefined, 'unknown'],
    [undefined, '1.2, 1.3.1', 'fixed'],
    [undefined, undefined, 'not-fixed'],
  ])('Status %s with FixedVersion %s → %s', (status, fixed, expected) => {
    const vuln: Record<string, unknown> = { VulnerabilityID: 'CVE-1', PkgName: 'p', InstalledVersion: '1' };
    if (status) vuln['Status'] = status;
    if (fixed) vuln['FixedVersion'] = fixed;
    const report = parseTrivyReport(
      JSON.stringify({ SchemaVersion: 2, Results: [{ Vulnerabilities: [vuln] }] }),
    );
    expect(report.findings[0]?.fixState).toBe(expected);
    if (fixed === '1.2, 1.3.1') expect(report.findings[0]?.fixedVersions).toEqual(['1.2', '1.3.1']);
  });

  it('origin: base when the layer is among the base layers, app when not', () => {
    const text = readUpstream('trivy/distroless-base.json.golden');
    const lower = 'sha256:932da51564135c98a49a34a193d6cd363d8fa4184d957fde16c9d8527b3f3b02';
    const upper = 'sha256:dffd9992ca398466a663c87c92cfea2a2db0ae0cf33fcb99da60eec52addbfc5';
    const upperDigest = 'sha256:e005d777a298a3529b1c8cf890883359e050cc966089ce84fea4d17b111907db';
    expect(parseTrivyReport(text, { baseLayers: [lower] }).findings.map((f) => f.origin)).toEqual([
      'app',
      'app',
      'app',
      'app',
    ]);
    expect(
      parseTrivyReport(text, { baseLayers: [lower, upper] }).findings.every((f) => f.origin === 'base'),
    ).toBe(true);
    // the compressed digest names the same layer, and case and the sha256: prefix do not matter
    expect(
      parseTrivyReport(text, { baseLayers: [upperDigest.toUpperCase().replace('SHA256:', '')] }).findings[0]
        ?.origin,
    ).toBe('base');
    expect(parseTrivyReport(text, { baseLayers: [] }).findings[0]?.origin).toBe('unknown');
  });

  it('a finding without a layer has unknown origin even with base layers', () => {
    const json = JSON.stringify({
      SchemaVersion: 2,
      Results: [{ Vulnerabilities: [{ VulnerabilityID: 'CVE-1', PkgName: 'p', InstalledVersion: '1' }] }],
    });
    expect(parseTrivyReport(json, { baseLayers: ['sha256:aa'] }).findings[0]?.origin).toBe('unknown');
  });

  it.each([
    ['no Results', { SchemaVersion: 2, ArtifactName: 'x' }],
    ['Results null', { SchemaVersion: 2, Results: null }],
    ['a Result without Vulnerabilities', { SchemaVersion: 2, Results: [{ Target: 't', Class: 'os-pkgs' }] }],
    ['empty Vulnerabilities', { SchemaVersion: 2, Results: [{ Target: 't', Vulnerabilities: [] }] }],
  ])('%s is a valid empty report', (_name, doc) => {
    const report = parseTrivyReport(JSON.stringify(doc));
    expect(report.findings).toEqual([]);
    expect(evaluateGate(report, { ...gateAll, failOn: 'low' }).passed).toBe(true);
  });

  it.each([
    ['not JSON', 'Total: 0 (UNKNOWN: 0)', /^the trivy report is not JSON \(/],
    ['empty', '', /^the trivy report is not JSON/],
    ['an array', '[]', /the top level is an array, expected an object/],
    ['SchemaVersion 1', '{"SchemaVersion":1,"Results":[]}', /has SchemaVersion 1, expected 2/],
    ['no SchemaVersion', '{"Results":[]}', /SchemaVersion is missing; expected 2/],
    ['Results an object', '{"SchemaVersion":2,"Results":{}}', /Results is an object, expected an array/],
    [
      'Vulnerabilities a string',
      '{"SchemaVersion":2,"Results":[{"Vulnerabilities":"x"}]}',
      /Results\[0\]\.Vulnerabilities is a string, expected an array/,
    ],
    [
      'a vulnerability without an ID',
      '{"SchemaVersion":2,"Results":[{"Vulnerabilities":[{"PkgName":"p"}]}]}',
      /Results\[0\]\.Vulnerabilities\[0\]\.VulnerabilityID is missing/,
    ],
    [
      'a numeric PkgName',
      '{"SchemaVersion":2,"Results":[{"Vulnerabilities":[{"VulnerabilityID":"C","PkgName":3}]}]}',
      /PkgName is a number, expected a string/,
    ],
    ['a grype report', readUpstream('grype/ghsa-test.json'), /SchemaVersion is missing/],
  ])('%s is a ReportFormatError', (_name, text, message) => {
    let caught: unknown;
    try {
      parseTrivyReport(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ReportFormatError);
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).message).toMatch(message);
  });
});

describe('grype fixtures', () => {
  it.each(GRYPE_FIXTURES)('%s: findings and counts match the raw JSON', (file) => {
    const text = readUpstream(`grype/${file}`);
    const raw = rawGrype(text);
    const report = parseGrypeReport(text);
    expect(report.scanner).toBe('grype');
    expect(report.findings).toHaveLength(raw.rows);
    const { counts } = evaluateGate(report, gateAll);
    expect({
      critical: counts.critical,
      high: counts.high,
      medium: counts.medium,
      low: counts.low,
      unknown: counts.unknown,
      total: counts.total,
    }).toEqual(raw.tally);
    expect(counts.fixable).toBe(raw.fixable);
  });

  it('reads versions, artifact, db date, aliases, cvss', () => {
    const report = parseGrypeReport(readUpstream('grype/chainguard-ruby-test.json'));
    expect(report.scannerVersion).toBe('0.61.1');
    expect(report.artifactName).toBe('cgr.dev/chainguard/ruby:latest-3.0');
    expect(report.dbUpdatedAt).toBe('2023-05-17T01:32:43Z');
    const ghsa = report.findings[2];
    expect(ghsa).toMatchObject({
      id: 'GHSA-hv5j-3h9f-99c2',
      aliases: ['CVE-2023-28755'],
      severity: 'high',
      packageName: 'uri',
      packageType: 'gem',
      packagePath: '/usr/lib/ruby/gems/3.0.0/specifications/default/uri-0.10.1.gemspec',
      purl: 'pkg:gem/uri@0.10.1',
      installedVersion: '0.10.1',
      fixedVersions: ['0.10.2'],
      fixState: 'fixed',
      url: 'https://github.com/advisories/GHSA-hv5j-3h9f-99c2',
      diffId: 'sha256:ed905fc06ed3176315bd1e33075ca5b09cd768ad78142fb45439350469556880',
    });
    // the GHSA has no CVSS of its own; the related NVD record's is kept
    expect(ghsa?.cvss).toEqual([
      {
        source: 'nvd:cpe',
        version: '3.1',
        vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
        score: 7.5,
      },
    ]);
    // a match whose own id is the related id does not list itself as an alias
    expect(report.findings[0]?.aliases).toEqual([]);
  });

  it('reads fix states as grype states them', () => {
    const states = (file: string) =>
      parseGrypeReport(readUpstream(`grype/${file}`)).findings.map((f) => f.fixState);
    expect(states('chainguard-ruby-test.json')).toEqual(['fixed', 'unknown', 'fixed']);
    expect(states('keycloak-test.json')).toEqual(Array(6).fill('wont-fix'));
    expect(states('ghsa-test.json')).toEqual(['fixed', 'unknown']);
  });

  it('Negligible is low, and unknown words are unknown', () => {
    const match = (severity: string) => ({
      vulnerability: { id: `CVE-${severity}`, severity, fix: { versions: [], state: 'not-fixed' } },
      artifact: { name: 'p', version: '1', type: 'deb', locations: [] },
    });
    const report = parseGrypeReport(
      JSON.stringify({ matches: ['Negligible', 'Critical', 'Unknown', 'Weird'].map(match) }),
    );
    expect(report.findings.map((f) => f.severity)).toEqual(['low', 'critical', 'unknown', 'unknown']);
    expect(report.findings[0]?.fixState).toBe('not-fixed');
  });

  it('origin from artifact.locations[].layerID', () => {
    const text = readUpstream('grype/keycloak-test.json');
    const layer = 'sha256:798d91f89858e63627a98d3a196c9ee4d0899259c0f64b68b1e0260a67c9cd2b';
    const other = 'sha256:4e37aeaccb4c8016e381d6e2b2a0f22ea59985a7b9b8eca674726e8c60f2f51d';
    expect(
      parseGrypeReport(text, { baseLayers: [other, layer] }).findings.every((f) => f.origin === 'base'),
    ).toBe(true);
    expect(parseGrypeReport(text, { baseLayers: [other] }).findings.every((f) => f.origin === 'app')).toBe(
      true,
    );
    expect(parseGrypeReport(text).findings.every((f) => f.origin === 'unknown')).toBe(true);
  });

  it('reads the newer descriptor.db.status.built', () => {
    const report = parseGrypeReport(
      JSON.stringify({
        matches: [],
        descriptor: { name: 'grype', version: '0.116.0', db: { status: { built: '2026-01-02T03:04:05Z' } } },
      }),
    );
    expect(report.dbUpdatedAt).toBe('2026-01-02T03:04:05Z');
    expect(report.scannerVersion).toBe('0.116.0');
  });

  it('empty matches is a valid empty report', () => {
    const report = parseGrypeReport('{"matches":[],"source":{"type":"image","target":{"userInput":"a:b"}}}');
    expect(report.findings).toEqual([]);
    expect(report.artifactName).toBe('a:b');
  });

  it.each([
    ['not JSON', 'NAME INSTALLED', /^the grype report is not JSON \(/],
    ['no matches', '{"source":{}}', /matches is missing; expected the output of `grype -o json`/],
    ['matches an object', '{"matches":{}}', /matches is an object, expected an array/],
    ['a trivy report', readUpstream('trivy/alpine-310.json.golden'), /matches is missing/],
    [
      'a match without vulnerability',
      '{"matches":[{"artifact":{"name":"a"}}]}',
      /matches\[0\]\.vulnerability is missing, expected an object/,
    ],
    [
      'a match without artifact name',
      '{"matches":[{"vulnerability":{"id":"C"},"artifact":{}}]}',
      /matches\[0\]\.artifact\.name is missing/,
    ],
  ])('%s is a ReportFormatError', (_name, text, message) => {
    expect(() => parseGrypeReport(text)).toThrow(ReportFormatError);
    expect(() => parseGrypeReport(text)).toThrow(message);
  });
});
