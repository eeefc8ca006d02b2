import { describe, expect, it } from '@jest/globals';
import {
  COSIGN_VULN_PREDICATE_TYPE,
  VULN_RESULT_FORMAT,
  toCosignVulnPredicate,
} from '../../src/scan/cosign-vuln.js';
import { parseGrypeReport } from '../../src/scan/grype-report.js';
import { parseTrivyReport } from '../../src/scan/trivy-report.js';
import type { ScanReport } from '../../src/scan/finding.js';
import { finding, readUpstream } from './helpers.js';

const times = { startedOn: new Date('2024-06-01T10:00:00Z'), finishedOn: new Date('2024-06-01T10:01:30.5Z') };

describe('toCosignVulnPredicate', () => {
  it('has cosign’s CosignVulnPredicate fields', () => {
    const report = parseTrivyReport(readUpstream('trivy/alpine-310.json.golden'));
    const predicate = toCosignVulnPredicate(report, {
      scannerUri: 'pkg:github/aquasecurity/trivy@v0.74.0',
      scannerVersion: '0.74.0',
      dbUri: 'mirror.gcr.io/aquasec/trivy-db:2',
      dbVersion: '2024-06-01T06:00:00Z',
      ...times,
      invocation: {
        uri: 'https://github.com/acme/app/actions/runs/1',
        eventId: '1',
        builderId: 'github-actions',
      },
    });
    expect(COSIGN_VULN_PREDICATE_TYPE).toBe('https://cosign.sigstore.dev/attestation/vuln/v1');
    expect(Object.keys(predicate)).toEqual(['invocation', 'scanner', 'metadata']);
    expect(predicate.invocation).toEqual({
      parameters: null,
      uri: 'https://github.com/acme/app/actions/runs/1',
      event_id: '1',
      'builder.id': 'github-actions',
    });
    expect(predicate.scanner.uri).toBe('pkg:github/aquasecurity/trivy@v0.74.0');
    expect(predicate.scanner.version).toBe('0.74.0');
    expect(predicate.scanner.db).toEqual({
      uri: 'mirror.gcr.io/aquasec/trivy-db:2',
      version: '2024-06-01T06:00:00Z',
    });
    expect(predicate.metadata).toEqual({
      scanStartedOn: '2024-06-01T10:00:00.000Z',
      scanFinishedOn: '2024-06-01T10:01:30.500Z',
    });
    const result = predicate.scanner.result;
    expect(result.format).toBe(VULN_RESULT_FORMAT);
    expect(result.scanner).toBe('trivy');
    expect(result.summary).toEqual({ critical: 0, high: 0, medium: 4, low: 0, unknown: 0, total: 4 });
    expect(result.findings).toHaveLength(4);
    expect(result.findings[0]).toMatchObject({
      id: 'CVE-2019-1549',
      severity: 'medium',
      package: {
        name: 'libcrypto1.1',
        version: '1.1.1c-r0',
        type: 'alpine',
        purl: 'pkg:apk/alpine/libcrypto1.1@1.1.1c-r0?arch=x86_64&distro=3.10.2',
      },
      fixedVersions: ['1.1.1d-r0'],
      fixState: 'fixed',
      layer: { diffId: 'sha256:03901b4a2ea88eeaad62dbe59b072b28b6efa00491962b8741081c5df50c65e0' },
    });
    // it survives a JSON round trip unchanged: no undefined, no Date objects
    expect(JSON.parse(JSON.stringify(predicate))).toEqual(predicate);
  });

  it('attests grype scans in the same shape, with the db date from the report', () => {
    const report = parseGrypeReport(readUpstream('grype/keycloak-test.json'));
    const predicate = toCosignVulnPredicate(report, {
      scannerUri: 'pkg:github/anchore/grype@v0.116.0',
      scannerVersion: '0.116.0',
      ...times,
    });
    expect(predicate.invocation).toEqual({ parameters: null, uri: '', event_id: '', 'builder.id': '' });
    expect(predicate.scanner.db).toEqual({ uri: '', version: '2023-09-01T01:26:55Z' });
    const result = predicate.scanner.result;
    expect(result.scanner).toBe('grype');
    expect(result.dbUpdatedAt).toBe('2023-09-01T01:26:55Z');
    expect(result.summary).toEqual({ critical: 0, high: 0, medium: 0, low: 6, unknown: 0, total: 6 });
    expect(result.findings.map((f) => [f.id, f.package.name, f.fixState])).toEqual(
      ['nspr', 'nss', 'nss-softokn', 'nss-softokn-freebl', 'nss-sysinit', 'nss-util'].map((n) => [
        'CVE-2020-12413',
        n,
        'wont-fix',
      ]),
    );
    expect(JSON.parse(JSON.stringify(predicate))).toEqual(predicate);
  });

  it('lists the most severe findings first and counts each package version once', () => {
    const report: ScanReport = {
      scanner: 'trivy',
      findings: [
        finding({ id: 'B', severity: 'low' }),
        finding({ id: 'A', severity: 'critical', packagePath: 'a.jar' }),
        finding({ id: 'A', severity: 'critical', packagePath: 'b.jar' }),
        finding({ id: 'C', severity: 'unknown' }),
        finding({ id: 'D', severity: 'medium' }),
      ],
    };
    const result = toCosignVulnPredicate(report, { scannerUri: 'u', scannerVersion: 'v', ...times }).scanner
      .result;
    expect(result.findings.map((f) => [f.id, f.package.path])).toEqual([
      ['A', 'a.jar'],
      ['A', 'b.jar'],
      ['D', undefined],
      ['B', undefined],
      ['C', undefined],
    ]);
    expect(result.summary).toEqual({ critical: 1, high: 0, medium: 1, low: 1, unknown: 1, total: 4 });
  });

  it('rejects an invalid time', () => {
    const report = parseGrypeReport('{"matches":[]}');
    expect(() =>
      toCosignVulnPredicate(report, {
        scannerUri: 'u',
        scannerVersion: 'v',
        startedOn: new Date('x'),
        finishedOn: new Date(),
      }),
    ).toThrow('start time');
  });
});
