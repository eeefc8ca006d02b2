import { describe, expect, it } from '@jest/globals';
import { mergeCycloneDx, mergeFindings, mergeRaw, mergeReports } from '../../src/scan/merge.js';
import { parseGrypeReport } from '../../src/scan/grype-report.js';
import { parseTrivyReport } from '../../src/scan/trivy-report.js';
import { finding, readUpstream } from './helpers.js';

describe('mergeFindings', () => {
  it('lists a finding seen on several platforms once, with those platforms, in first-seen order', () => {
    const shared = finding({ id: 'CVE-1', packagePath: '/app/a.jar' });
    const amdOnly = finding({ id: 'CVE-2' });
    const armOnly = finding({ id: 'CVE-3' });
    const merged = mergeFindings([
      { platform: 'linux/amd64', report: { scanner: 'trivy', findings: [shared, amdOnly] } },
      { platform: 'linux/arm64', report: { scanner: 'trivy', findings: [{ ...shared }, armOnly] } },
    ]);
    expect(merged.map((f) => [f.id, f.platforms])).toEqual([
      ['CVE-1', ['linux/amd64', 'linux/arm64']],
      ['CVE-2', ['linux/amd64']],
      ['CVE-3', ['linux/arm64']],
    ]);
    // The parsed reports are not changed.
    expect(shared.platforms).toBeUndefined();
  });

  it('keeps one vulnerability at two paths of the same package apart, for path-based ignores', () => {
    const merged = mergeFindings([
      {
        platform: 'linux/amd64',
        report: {
          scanner: 'grype',
          findings: [finding({ packagePath: '/a/lib.jar' }), finding({ packagePath: '/b/lib.jar' })],
        },
      },
    ]);
    expect(merged.map((f) => f.packagePath)).toEqual(['/a/lib.jar', '/b/lib.jar']);
  });

  it('leaves a single-platform report as the scanner reported it', () => {
    const report = parseTrivyReport(readUpstream('trivy/alpine-310.json.golden'));
    expect(mergeReports([{ report }], 'r/app@sha256:x')).toBe(report);
  });
});

describe('mergeRaw', () => {
  it('joins trivy results by target and lists each vulnerability once', () => {
    const one = JSON.parse(readUpstream('trivy/alpine-310.json.golden')) as Record<string, unknown>;
    const two = JSON.parse(readUpstream('trivy/alpine-310.json.golden')) as Record<string, unknown>;
    const other = JSON.parse(readUpstream('trivy/alpine-distroless.json.golden')) as Record<string, unknown>;
    const merged = mergeRaw([one, two, other], 'trivy', 'r/app@sha256:x');
    const again = parseTrivyReport(JSON.stringify(merged));
    const expected = [
      ...parseTrivyReport(readUpstream('trivy/alpine-310.json.golden')).findings,
      ...parseTrivyReport(readUpstream('trivy/alpine-distroless.json.golden')).findings,
    ].map((f) => `${f.id} ${f.packageName}`);
    expect(again.findings.map((f) => `${f.id} ${f.packageName}`).sort()).toEqual(expected.sort());
    expect(again.artifactName).toBe('r/app@sha256:x');
  });

  it('lists each grype match once and names the image', () => {
    const doc = JSON.parse(readUpstream('grype/keycloak-test.json')) as Record<string, unknown>;
    const merged = mergeRaw([doc, structuredClone(doc)], 'grype', 'r/app@sha256:x');
    const again = parseGrypeReport(JSON.stringify(merged));
    expect(again.findings).toHaveLength(
      parseGrypeReport(readUpstream('grype/keycloak-test.json')).findings.length,
    );
    expect(again.artifactName).toBe('r/app@sha256:x');
  });
});

describe('mergeCycloneDx', () => {
  const bom = (components: Array<{ purl: string }>, vulns: Array<{ id: string; ref: string }>) => ({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: 'urn:uuid:1',
    metadata: { component: { name: 'app' } },
    components: components.map((c) => ({ 'bom-ref': c.purl, type: 'library', name: c.purl, purl: c.purl })),
    dependencies: components.map((c) => ({ ref: c.purl, dependsOn: [] })),
    vulnerabilities: vulns.map((v) => ({ id: v.id, affects: [{ ref: v.ref }] })),
  });

  it('unites components, dependencies and the packages a vulnerability affects, and names the platforms', () => {
    const merged = mergeCycloneDx(
      [
        bom(
          [{ purl: 'pkg:apk/alpine/a@1' }, { purl: 'pkg:apk/alpine/b@1' }],
          [{ id: 'CVE-1', ref: 'pkg:apk/alpine/a@1' }],
        ),
        bom(
          [{ purl: 'pkg:apk/alpine/a@1' }, { purl: 'pkg:apk/alpine/c@1' }],
          [{ id: 'CVE-1', ref: 'pkg:apk/alpine/c@1' }],
        ),
      ],
      ['linux/amd64', 'linux/arm64'],
    ) as {
      serialNumber: string;
      components: Array<{ purl: string }>;
      dependencies: Array<{ ref: string }>;
      vulnerabilities: Array<{ id: string; affects: Array<{ ref: string }> }>;
      metadata: { component: unknown; properties: Array<{ name: string; value: string }> };
    };
    expect(merged.components.map((c) => c.purl)).toEqual([
      'pkg:apk/alpine/a@1',
      'pkg:apk/alpine/b@1',
      'pkg:apk/alpine/c@1',
    ]);
    expect(merged.dependencies.map((d) => d.ref)).toEqual([
      'pkg:apk/alpine/a@1',
      'pkg:apk/alpine/b@1',
      'pkg:apk/alpine/c@1',
    ]);
    expect(merged.vulnerabilities).toEqual([
      { id: 'CVE-1', affects: [{ ref: 'pkg:apk/alpine/a@1' }, { ref: 'pkg:apk/alpine/c@1' }] },
    ]);
    expect(merged.metadata.component).toEqual({ name: 'app' });
    expect(merged.metadata.properties).toEqual([
      { name: 'secure-image:platform', value: 'linux/amd64' },
      { name: 'secure-image:platform', value: 'linux/arm64' },
    ]);
    expect(merged.serialNumber).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
  });
});
