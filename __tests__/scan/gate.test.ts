import { describe, expect, it } from '@jest/globals';
import type { Finding, ScanReport, Severity } from '../../src/scan/finding.js';
import { type GateOptions, countsJson, evaluateGate } from '../../src/scan/gate.js';
import { parseGrypeReport } from '../../src/scan/grype-report.js';
import {
  parseTrivyIgnore,
  parseTrivyIgnoreYaml,
  parseGrypeIgnoreConfig,
} from '../../src/scan/ignore-file.js';
import { parseTrivyReport } from '../../src/scan/trivy-report.js';
import { parseOpenVex } from '../../src/scan/vex.js';
import { finding, readUpstream } from './helpers.js';

const NOW = new Date('2024-06-01T12:00:00Z');
const options = (o: Partial<GateOptions> = {}): GateOptions => ({
  failOn: 'high',
  ignoreUnfixed: false,
  ignores: [],
  vex: [],
  now: NOW,
  ...o,
});
const report = (findings: Finding[]): ScanReport => ({ scanner: 'trivy', findings });
const ids = (fs: Finding[]) => fs.map((f) => f.id);

describe('thresholds', () => {
  // One finding per severity; the high one has no fix.
  const findings = [
    finding({ id: 'C', severity: 'critical' }),
    finding({ id: 'H', severity: 'high', fixedVersions: [], fixState: 'not-fixed' }),
    finding({ id: 'M', severity: 'medium' }),
    finding({ id: 'L', severity: 'low' }),
    finding({ id: 'U', severity: 'unknown' }),
  ];

  it.each<[Severity | 'never', boolean, string[]]>([
    ['critical', false, ['C']],
    ['high', false, ['C', 'H']],
    ['medium', false, ['C', 'H', 'M']],
    ['low', false, ['C', 'H', 'M', 'L']],
    ['unknown', false, ['C', 'H', 'M', 'L', 'U']],
    ['never', false, []],
    ['critical', true, ['C']],
    ['high', true, ['C']],
    ['medium', true, ['C', 'M']],
    ['low', true, ['C', 'M', 'L']],
    ['never', true, []],
  ])('fail-on %s, ignore-unfixed %s blocks %j', (failOn, ignoreUnfixed, blocking) => {
    const result = evaluateGate(report(findings), options({ failOn, ignoreUnfixed }));
    expect(ids(result.blocking)).toEqual(blocking);
    expect(result.passed).toBe(blocking.length === 0);
    expect(result.failOn).toBe(failOn);
    // the counts cover every finding whatever the threshold
    expect(result.counts).toEqual({
      critical: 1,
      high: 1,
      medium: 1,
      low: 1,
      unknown: 1,
      total: 5,
      fixable: 4,
      ignored: ignoreUnfixed ? 1 : 0,
    });
    if (ignoreUnfixed) {
      expect(result.ignored).toEqual([{ finding: findings[1], reason: 'no fixed version (ignore-unfixed)' }]);
    }
  });

  it('an empty report passes at every threshold', () => {
    for (const failOn of ['critical', 'high', 'medium', 'low', 'never'] as const) {
      const result = evaluateGate(report([]), options({ failOn }));
      expect(result.passed).toBe(true);
      expect(countsJson(result.counts)).toBe(
        '{"critical":0,"high":0,"medium":0,"low":0,"unknown":0,"total":0,"fixable":0,"ignored":0}',
      );
    }
  });
});

describe('real reports', () => {
  it('distroless-base: its unfixed mediums fail at medium unless ignore-unfixed', () => {
    const r = parseTrivyReport(readUpstream('trivy/distroless-base.json.golden'));
    expect(evaluateGate(r, options({ failOn: 'medium' })).passed).toBe(false);
    const ignoring = evaluateGate(r, options({ failOn: 'medium', ignoreUnfixed: true }));
    expect(ignoring.passed).toBe(true);
    expect(ignoring.ignored.map((i) => [i.finding.id, i.finding.packageName, i.reason])).toEqual([
      ['CVE-2019-1551', 'libssl1.1', 'no fixed version (ignore-unfixed)'],
      ['CVE-2019-1551', 'openssl', 'no fixed version (ignore-unfixed)'],
    ]);
    const low = evaluateGate(r, options({ failOn: 'low', ignoreUnfixed: true }));
    expect(low.passed).toBe(false);
    expect(low.blocking.map((f) => [f.id, f.packageName])).toEqual([
      ['CVE-2019-1563', 'libssl1.1'],
      ['CVE-2019-1563', 'openssl'],
    ]);
    expect(countsJson(low.counts)).toBe(
      '{"critical":0,"high":0,"medium":2,"low":2,"unknown":0,"total":4,"fixable":2,"ignored":2}',
    );
  });

  it('keycloak (grype, wont-fix lows): ignore-unfixed takes them all out', () => {
    const r = parseGrypeReport(readUpstream('grype/keycloak-test.json'));
    expect(evaluateGate(r, options({ failOn: 'low' })).blocking).toHaveLength(6);
    const result = evaluateGate(r, options({ failOn: 'low', ignoreUnfixed: true }));
    expect(result.passed).toBe(true);
    expect(result.counts.ignored).toBe(6);
    expect(result.counts.low).toBe(6);
  });
});

describe('ignore files', () => {
  const alpine = () => parseTrivyReport(readUpstream('trivy/alpine-310.json.golden'));

  it('an unexpired entry ignores, an expired one does not and is reported', () => {
    const ignores = parseTrivyIgnore(
      [
        '# risk accepted until the rebuild',
        'CVE-2019-1549 exp:2024-01-01',
        'CVE-2019-1551 exp:2099-12-31 # accepted',
        'CVE-2000-0000 exp:2020-01-01',
      ].join('\n'),
      '.trivyignore',
    );
    const result = evaluateGate(alpine(), options({ failOn: 'medium', ignores }));
    expect(result.passed).toBe(false);
    expect(result.blocking.map((f) => [f.id, f.packageName])).toEqual([
      ['CVE-2019-1549', 'libcrypto1.1'],
      ['CVE-2019-1549', 'libssl1.1'],
    ]);
    expect(result.ignored.map((i) => [i.finding.id, i.finding.packageName, i.reason])).toEqual([
      ['CVE-2019-1551', 'libcrypto1.1', 'ignored by .trivyignore:3 (accepted)'],
      ['CVE-2019-1551', 'libssl1.1', 'ignored by .trivyignore:3 (accepted)'],
    ]);
    expect(result.counts.ignored).toBe(2);
    expect(result.expiredIgnores.map((e) => [e.rule.id, e.message])).toEqual([
      [
        'CVE-2019-1549',
        '.trivyignore:2: the ignore of CVE-2019-1549 expired on 2024-01-01 and no longer applies; it matches 2 findings in this scan, which it no longer ignores. Renew or remove it.',
      ],
      [
        'CVE-2000-0000',
        '.trivyignore:4: the ignore of CVE-2000-0000 expired on 2020-01-01 and no longer applies; it matches nothing in this scan. Renew or remove it.',
      ],
    ]);
  });

  it('the same file before the date ignores both', () => {
    const ignores = parseTrivyIgnore('CVE-2019-1549 exp:2024-01-01\nCVE-2019-1551\n', '.trivyignore');
    const result = evaluateGate(
      alpine(),
      options({ failOn: 'medium', ignores, now: new Date('2023-12-31T00:00:00Z') }),
    );
    expect(result.passed).toBe(true);
    expect(result.expiredIgnores).toEqual([]);
    expect(result.counts.ignored).toBe(4);
  });

  it('.trivyignore.yaml purls narrow an ignore to one package', () => {
    const ignores = parseTrivyIgnoreYaml(
      'vulnerabilities:\n  - id: CVE-2019-1549\n    purls: ["pkg:apk/alpine/libssl1.1"]\n    statement: not linked\n',
      '.trivyignore.yaml',
    );
    const result = evaluateGate(alpine(), options({ failOn: 'medium', ignores }));
    expect(result.ignored.map((i) => [i.finding.id, i.finding.packageName, i.reason])).toEqual([
      ['CVE-2019-1549', 'libssl1.1', 'ignored by .trivyignore.yaml:2 (not linked)'],
    ]);
    expect(result.blocking).toHaveLength(3);
  });

  it('.trivyignore.yaml paths narrow an ignore to one location', () => {
    const r = report([
      finding({ id: 'CVE-9', packageName: 'jackson', packagePath: 'app/lib/jackson-2.9.jar' }),
      finding({
        id: 'CVE-9',
        packageName: 'jackson',
        installedVersion: '2.8',
        packagePath: 'opt/tool/jackson-2.8.jar',
      }),
    ]);
    const ignores = parseTrivyIgnoreYaml(
      'vulnerabilities:\n  - id: CVE-9\n    paths: ["opt/tool/**"]\n',
      '.trivyignore.yaml',
    );
    const result = evaluateGate(r, options({ ignores }));
    expect(result.ignored.map((i) => i.finding.packagePath)).toEqual(['opt/tool/jackson-2.8.jar']);
    expect(result.blocking.map((f) => f.packagePath)).toEqual(['app/lib/jackson-2.9.jar']);
  });

  it('grype config rules: fix-state and package', () => {
    const r = parseGrypeReport(readUpstream('grype/chainguard-ruby-test.json'));
    const ignores = parseGrypeIgnoreConfig(
      'ignore:\n  - fix-state: unknown\n  - vulnerability: GHSA-hv5j-3h9f-99c2\n    package:\n      type: gem\n',
      '.grype.yaml',
    );
    const result = evaluateGate(r, options({ ignores }));
    expect(result.ignored.map((i) => [i.finding.id, i.reason])).toEqual([
      ['CVE-2023-28755', 'ignored by .grype.yaml:2'],
      ['GHSA-hv5j-3h9f-99c2', 'ignored by .grype.yaml:3'],
    ]);
    expect(result.blocking.map((f) => [f.id, f.packageName])).toEqual([['CVE-2023-28755', 'ruby-3.0']]);
  });

  it('an ignore by CVE also covers a GHSA that names that CVE', () => {
    const r = parseGrypeReport(readUpstream('grype/chainguard-ruby-test.json'));
    const result = evaluateGate(
      r,
      options({ ignores: parseTrivyIgnore('CVE-2023-28755\n', '.trivyignore') }),
    );
    expect(result.passed).toBe(true);
    expect(result.counts.ignored).toBe(3);
  });
});

describe('VEX', () => {
  const alpine = () => parseTrivyReport(readUpstream('trivy/alpine-310.json.golden'));
  const vex = parseOpenVex(
    JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://example.com/vex',
      author: 'Acme',
      timestamp: '2024-01-01T00:00:00Z',
      version: 1,
      statements: [
        {
          vulnerability: { name: 'CVE-2019-1549' },
          products: [{ '@id': 'pkg:oci/app?repository_url=ghcr.io/acme/app' }],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
        },
        {
          vulnerability: { name: 'CVE-2019-1551' },
          products: [{ '@id': 'pkg:oci/app?repository_url=ghcr.io/acme/app' }],
          status: 'affected',
          action_statement: 'rebuild on the next base image',
        },
      ],
    }),
    '.vex/app.json',
  );

  it('not_affected suppresses, affected does not', () => {
    const result = evaluateGate(
      alpine(),
      options({ failOn: 'medium', vex, imageName: 'ghcr.io/acme/app:pr-1' }),
    );
    expect(result.ignored.map((i) => [i.finding.id, i.finding.packageName, i.reason])).toEqual([
      [
        'CVE-2019-1549',
        'libcrypto1.1',
        'VEX not_affected: vulnerable_code_not_in_execute_path (.vex/app.json)',
      ],
      ['CVE-2019-1549', 'libssl1.1', 'VEX not_affected: vulnerable_code_not_in_execute_path (.vex/app.json)'],
    ]);
    expect(result.blocking.map((f) => f.id)).toEqual(['CVE-2019-1551', 'CVE-2019-1551']);
    expect(result.passed).toBe(false);
  });

  it('a statement about another image does not apply', () => {
    const result = evaluateGate(
      alpine(),
      options({ failOn: 'medium', vex, imageName: 'ghcr.io/acme/other' }),
    );
    expect(result.ignored).toEqual([]);
  });

  it('affected VEX does not undo an ignore file entry', () => {
    const ignores = parseTrivyIgnore('CVE-2019-1551\n', '.trivyignore');
    const result = evaluateGate(
      alpine(),
      options({ failOn: 'medium', vex, ignores, imageName: 'ghcr.io/acme/app' }),
    );
    expect(result.passed).toBe(true);
    expect(result.counts.ignored).toBe(4);
  });
});

describe('deduplication and order', () => {
  it('a vulnerability at several paths counts once, and is ignored only when every path is', () => {
    const a = finding({ id: 'CVE-1', packagePath: 'a/x.jar' });
    const b = finding({ id: 'CVE-1', packagePath: 'b/x.jar' });
    const partial = parseTrivyIgnoreYaml('vulnerabilities:\n  - id: CVE-1\n    paths: ["a/**"]\n', 'i.yaml');
    const partly = evaluateGate(report([a, b]), options({ ignores: partial }));
    expect(partly.counts.total).toBe(1);
    expect(partly.counts.ignored).toBe(0);
    expect(partly.blocking).toEqual([b]);

    const all = parseTrivyIgnoreYaml('vulnerabilities:\n  - id: CVE-1\n    paths: ["*/x.jar"]\n', 'i.yaml');
    const fully = evaluateGate(report([a, b]), options({ ignores: all }));
    expect(fully.counts).toMatchObject({ total: 1, ignored: 1, high: 1 });
    expect(fully.passed).toBe(true);
  });

  it('top: severity, then fixable first, then id', () => {
    const fs = [
      finding({ id: 'B', severity: 'medium' }),
      finding({ id: 'A', severity: 'medium', fixedVersions: [], fixState: 'not-fixed' }),
      finding({ id: 'Z', severity: 'critical', fixedVersions: [], fixState: 'wont-fix' }),
      finding({ id: 'C', severity: 'medium' }),
      finding({ id: 'Y', severity: 'unknown' }),
      finding({ id: 'X', severity: 'low' }),
    ];
    expect(ids(evaluateGate(report(fs), options()).top)).toEqual(['Z', 'B', 'C', 'A', 'X', 'Y']);
  });

  it('countsJson keeps the documented key order', () => {
    const json = countsJson({
      ignored: 8,
      fixable: 7,
      total: 6,
      unknown: 5,
      low: 4,
      medium: 3,
      high: 2,
      critical: 1,
    });
    expect(json).toBe(
      '{"critical":1,"high":2,"medium":3,"low":4,"unknown":5,"total":6,"fixable":7,"ignored":8}',
    );
  });
});

describe('scale', () => {
  it('parses and gates a 20,000-finding report', () => {
    const source = JSON.parse(readUpstream('trivy/alpine-310.json.golden')) as {
      Results: Array<{ Vulnerabilities: Array<Record<string, unknown>> }>;
    };
    const template = source.Results[0]?.Vulnerabilities ?? [];
    const severities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];
    const vulns = Array.from({ length: 20_000 }, (_, i) => ({
      ...template[i % template.length],
      VulnerabilityID: `CVE-2024-${String(i).padStart(5, '0')}`,
      Severity: severities[i % severities.length],
      ...(i % 3 === 0 ? { FixedVersion: undefined, Status: 'affected' } : {}),
    }));
    const text = JSON.stringify({ ...source, Results: [{ ...source.Results[0], Vulnerabilities: vulns }] });
    const ignores = parseTrivyIgnore(
      Array.from({ length: 500 }, (_, i) => `CVE-2024-${String(i * 7).padStart(5, '0')}`).join('\n'),
      '.trivyignore',
    );

    const start = performance.now();
    const r = parseTrivyReport(text);
    const parsed = performance.now();
    const result = evaluateGate(r, options({ failOn: 'high', ignoreUnfixed: true, ignores }));
    const gated = performance.now();
    console.log(
      `20,000 findings (${(text.length / 1e6).toFixed(1)} MB): parse ${(parsed - start).toFixed(0)} ms, gate ${(gated - parsed).toFixed(0)} ms`,
    );

    expect(r.findings).toHaveLength(20_000);
    expect(result.counts.total).toBe(20_000);
    expect(result.counts.critical).toBe(4_000);
    expect(result.counts.fixable).toBe(20_000 - Math.ceil(20_000 / 3));
    // ignored: every unfixed finding, plus the listed ids that are fixable
    const listed = new Set(Array.from({ length: 500 }, (_, i) => i * 7));
    const expectedIgnored = Array.from({ length: 20_000 }, (_, i) => i).filter(
      (i) => i % 3 === 0 || listed.has(i),
    ).length;
    expect(result.counts.ignored).toBe(expectedIgnored);
    expect(result.blocking.every((f) => f.severity === 'critical' || f.severity === 'high')).toBe(true);
    expect(result.passed).toBe(false);
  });
});
