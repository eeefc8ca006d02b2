import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type DatabaseState, warmDatabase } from '../../src/scan/database.js';
import type { Severity } from '../../src/scan/finding.js';
import type { SarifLog } from '../../src/scan/sarif.js';
import {
  type ScanStageInput,
  gateFailureMessage,
  readGateRules,
  runScanStage,
  scanPlatforms,
} from '../../src/scan/scan-target.js';
import { UserError } from '../../src/util/errors.js';
import { readUpstream } from './helpers.js';
import {
  type FakeCache,
  type ScanWorld,
  LOGIN,
  fakeCache,
  startScanWorld,
  trivyJarReportFile,
  trivyReportFile,
} from './world.js';

interface RawTrivy {
  Metadata: { DiffIDs: string[] };
  Results?: Array<{
    Vulnerabilities?: Array<{
      VulnerabilityID: string;
      PkgName: string;
      InstalledVersion: string;
      FixedVersion?: string;
      Severity: string;
    }>;
  }>;
}

function rawVulns(golden: string) {
  const doc = JSON.parse(readUpstream(`trivy/${golden}`)) as RawTrivy;
  return (doc.Results ?? []).flatMap((r) => r.Vulnerabilities ?? []);
}

const key = (v: { VulnerabilityID: string; PkgName: string; InstalledVersion: string }): string =>
  `${v.VulnerabilityID} ${v.PkgName} ${v.InstalledVersion}`;

/** The test's own severity order (lowest first), independent of src/scan/finding.ts. */
const ORDER = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

describe('runScanStage', () => {
  let world: ScanWorld;
  let cache: FakeCache;
  let toolCacheDir: string;

  beforeAll(async () => {
    world = await startScanWorld();
  });
  afterAll(async () => {
    await world.stop();
  });
  beforeEach(async () => {
    await world.standins.setScenario({});
    await world.standins.clearCalls();
    cache = await fakeCache(await world.fresh('actions-cache'), true);
    toolCacheDir = await world.fresh('toolcache');
  });

  async function input(over: Partial<ScanStageInput> = {}): Promise<ScanStageInput> {
    const scanner = over.scanner ?? 'trivy';
    const scannerPath = scanner === 'trivy' ? world.standins.trivy : world.standins.grype;
    const database: Promise<DatabaseState> = warmDatabase({
      scanner,
      scannerPath,
      toolCacheDir,
      cache,
      retry: { sleep: async () => undefined },
      log: () => undefined,
    });
    return {
      scanner,
      scannerPath,
      scannerVersion: scanner === 'trivy' ? '0.74.0' : '0.116.0',
      target: { kind: 'registry', ref: world.imageRef },
      platforms: [],
      workDir: await world.fresh('work'),
      toolCacheDir,
      env: {},
      insecure: false,
      gate: { failOn: 'high', ignoreUnfixed: true, ignores: [], vex: [] },
      dockerfile: './docker/Dockerfile',
      baseImageLine: 3,
      imageRef: world.imageRef,
      database,
      login: { registry: world.registry.host, ...LOGIN },
      cache,
      ...over,
    };
  }

  const sets: Array<[string, string[]]> = [
    ['only LOW', ['LOW']],
    ['MEDIUM and UNKNOWN', ['MEDIUM', 'UNKNOWN']],
    ['every severity', ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN']],
  ];
  const thresholds: Array<Severity | 'never'> = ['critical', 'high', 'medium', 'low', 'never'];
  const table = sets.flatMap(([name, severities]) => thresholds.map((t) => [name, t, severities] as const));

  it.each(table)('a report with %s against fail-on-severity %s', async (_name, failOn, severities) => {
    const file = await trivyReportFile(
      join(await world.fresh('report'), 'r.json'),
      severities.map((s, i) => ({ id: `CVE-2024-${1000 + i}`, severity: s, fixed: '9.9.9-r0' })),
    );
    await world.standins.setScenario({ trivy: { rules: [{ command: 'image', report: file }] } });
    const result = await runScanStage(
      await input({ gate: { failOn, ignoreUnfixed: true, ignores: [], vex: [] } }),
    );

    const expectedPass =
      failOn === 'never' || !severities.some((s) => ORDER.indexOf(s) >= ORDER.indexOf(failOn.toUpperCase()));
    expect(result.gate.passed).toBe(expectedPass);
    expect(result.outputs['scan-passed']).toBe(String(expectedPass));
    const counts = JSON.parse(result.outputs.vulnerabilities) as Record<string, number>;
    for (const s of ORDER) expect(counts[s.toLowerCase()]).toBe(severities.filter((x) => x === s).length);
    expect(counts['total']).toBe(severities.length);
    expect(counts['fixable']).toBe(severities.length);
    expect(gateFailureMessage(result) === undefined).toBe(expectedPass);
  });

  it.each([true, false])(
    'ignore-unfixed %s: unfixed findings are reported, and count for the gate only when false',
    async (ignoreUnfixed) => {
      await world.standins.setScenario({
        trivy: { rules: [{ command: 'image', report: 'distroless-base.json.golden' }] },
      });
      const result = await runScanStage(
        await input({ gate: { failOn: 'medium', ignoreUnfixed, ignores: [], vex: [] } }),
      );

      const vulns = rawVulns('distroless-base.json.golden');
      const unfixed = new Set(vulns.filter((v) => !v.FixedVersion).map(key));
      const unfixedAtOrAboveMedium = vulns.filter(
        (v) => !v.FixedVersion && ORDER.indexOf(v.Severity) >= ORDER.indexOf('MEDIUM'),
      );
      expect(unfixedAtOrAboveMedium.length).toBeGreaterThan(0);
      expect(result.gate.counts.total).toBe(new Set(vulns.map(key)).size);
      expect(result.gate.counts.ignored).toBe(ignoreUnfixed ? unfixed.size : 0);
      expect(result.gate.passed).toBe(ignoreUnfixed);
      expect(result.summary.ignored.map((i) => i.reason)).toEqual(
        ignoreUnfixed ? [...unfixed].map(() => 'no fixed version (ignore-unfixed)') : [],
      );
      // The scanner was not asked to filter: what was ignored is the gate's decision, and shown.
      const argv =
        world.standins
          .calls('trivy')
          .find((c) => c.command === 'image' && !c.argv.includes('--download-db-only'))?.argv ?? [];
      expect(argv).not.toContain('--ignore-unfixed');
    },
  );

  it('writes SARIF for code scanning, located on the base image FROM line, a CycloneDX SBOM and a vuln predicate, from one scan', async () => {
    const raw = JSON.parse(readUpstream('trivy/alpine-310.json.golden')) as RawTrivy;
    const result = await runScanStage(
      await input({
        gate: { failOn: 'critical', ignoreUnfixed: false, ignores: [], vex: [] },
        baseLayers: { 'linux/arm64': raw.Metadata.DiffIDs },
        defaultPlatform: 'linux/arm64',
      }),
    );
    const trivyCommands = world.standins
      .calls('trivy')
      .map((c) => (c.argv.includes('--download-db-only') ? 'db' : c.command));
    expect(trivyCommands).toEqual(['db', 'image', 'convert']);
    expect(world.standins.calls('trivy').find((c) => c.command === 'convert')?.argv).toEqual([
      'convert',
      '--format',
      'cyclonedx',
      '--output',
      result.sbomFile,
      result.reportFile,
    ]);

    const sarif = JSON.parse(await readFile(result.sarifFile, 'utf8')) as SarifLog;
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run?.results).toHaveLength(new Set(rawVulns('alpine-310.json.golden').map(key)).size);
    for (const r of run?.results ?? []) {
      const location = r.locations[0]?.physicalLocation;
      expect(location?.artifactLocation.uri).toBe('docker/Dockerfile');
      expect(location?.region.startLine).toBe(3);
    }
    expect(run?.tool.driver.version).toBe('0.74.0');

    const sbom = JSON.parse(await readFile(result.sbomFile, 'utf8')) as { bomFormat: string };
    expect(sbom.bomFormat).toBe('CycloneDX');
    const predicate = JSON.parse(await readFile(result.vulnPredicateFile ?? '', 'utf8')) as {
      scanner: { uri: string; version: string; db: { uri: string }; result: { findings: unknown[] } };
    };
    expect(predicate.scanner).toMatchObject({
      uri: 'https://github.com/aquasecurity/trivy',
      version: '0.74.0',
    });
    expect(predicate.scanner.db.uri).toBe(result.database.repository);
    expect(predicate.scanner.result.findings).toHaveLength(run?.results.length ?? -1);
    expect(result.outputs['scan-report']).toBe(result.reportFile);
    expect(JSON.parse(await readFile(result.reportFile, 'utf8'))).toMatchObject({
      SchemaVersion: 2,
      ArtifactName: world.imageRef,
    });
    expect(result.summary).toMatchObject({
      scanner: 'trivy',
      scannerVersion: '0.74.0',
      passed: true,
      database: { source: 'download', repository: result.database.repository, stale: false },
    });
    // No Java DB was in place (no earlier run needed one): the summary does not name one.
    expect(result.summary.database.java).toBeUndefined();
  });

  it('scans every platform at once against one DB and merges what they found', async () => {
    await world.standins.setScenario({
      trivy: {
        rules: [
          { command: 'image', match: 'linux/amd64', report: 'alpine-310.json.golden', delayMs: 1000 },
          { command: 'image', match: 'linux/arm64', report: 'alpine-distroless.json.golden', delayMs: 1000 },
        ],
      },
    });
    const result = await runScanStage(await input({ platforms: ['linux/amd64', 'linux/arm64'] }));

    const scans = world.standins
      .calls('trivy')
      .filter((c) => c.command === 'image' && !c.argv.includes('--download-db-only'));
    expect(scans.map((c) => c.argv[c.argv.indexOf('--platform') + 1]).sort()).toEqual([
      'linux/amd64',
      'linux/arm64',
    ]);
    expect(new Set(scans.map((c) => c.argv[c.argv.indexOf('--cache-dir') + 1]))).toEqual(
      new Set([result.database.dir]),
    );
    // Both started before either could have finished (each waits a second).
    const [a, b] = scans.map((c) => Date.parse(c.time));
    expect(Math.abs((a ?? 0) - (b ?? 0))).toBeLessThan(1000);

    const amd = new Set(rawVulns('alpine-310.json.golden').map(key));
    const arm = new Set(rawVulns('alpine-distroless.json.golden').map(key));
    const found = new Map(
      result.report.findings.map((f) => [`${f.id} ${f.packageName} ${f.installedVersion}`, f.platforms]),
    );
    expect(new Set(found.keys())).toEqual(new Set([...amd, ...arm]));
    for (const [k, platforms] of found) {
      expect(platforms).toEqual([
        ...(amd.has(k) ? ['linux/amd64'] : []),
        ...(arm.has(k) ? ['linux/arm64'] : []),
      ]);
    }

    expect(result.platformReports.map((p) => p.platform)).toEqual(['linux/amd64', 'linux/arm64']);
    for (const p of result.platformReports) {
      expect(JSON.parse(await readFile(p.reportFile, 'utf8'))).toMatchObject({ SchemaVersion: 2 });
      expect(JSON.parse(await readFile(p.sbomFile, 'utf8'))).toMatchObject({ bomFormat: 'CycloneDX' });
    }
    const merged = JSON.parse(await readFile(result.reportFile, 'utf8')) as RawTrivy & {
      ArtifactName: string;
    };
    expect(merged.ArtifactName).toBe(world.imageRef);
    expect(new Set((merged.Results ?? []).flatMap((r) => r.Vulnerabilities ?? []).map(key))).toEqual(
      new Set([...amd, ...arm]),
    );
    const sbom = JSON.parse(await readFile(result.sbomFile, 'utf8')) as {
      metadata: { properties: Array<{ name: string; value: string }> };
    };
    expect(
      sbom.metadata.properties.filter((p) => p.name === 'secure-image:platform').map((p) => p.value),
    ).toEqual(['linux/amd64', 'linux/arm64']);
    const sarif = JSON.parse(await readFile(result.sarifFile, 'utf8')) as SarifLog;
    expect(sarif.runs[0]?.results.every((r) => Array.isArray(r.properties['platforms']))).toBe(true);
    expect(result.summary.platforms).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it("reads each platform's findings against that platform's base-image layers", async () => {
    // Each platform's base has its own layers: alpine-310's on amd64, alpine-distroless's on arm64.
    const amdLayers = (JSON.parse(readUpstream('trivy/alpine-310.json.golden')) as RawTrivy).Metadata.DiffIDs;
    const armLayers = (JSON.parse(readUpstream('trivy/alpine-distroless.json.golden')) as RawTrivy).Metadata
      .DiffIDs;
    expect(armLayers.filter((l) => amdLayers.includes(l))).toEqual([]);
    await world.standins.setScenario({
      trivy: {
        rules: [
          { command: 'image', match: 'linux/amd64', report: 'alpine-310.json.golden' },
          { command: 'image', match: 'linux/arm64', report: 'alpine-distroless.json.golden' },
        ],
      },
    });
    const result = await runScanStage(
      await input({
        platforms: ['linux/amd64', 'linux/arm64'],
        gate: { failOn: 'never', ignoreUnfixed: false, ignores: [], vex: [] },
        baseLayers: { 'linux/amd64': amdLayers, 'linux/arm64': armLayers },
      }),
    );
    const armOnly = rawVulns('alpine-distroless.json.golden').map((v) => v.VulnerabilityID);
    expect(armOnly.length).toBeGreaterThan(0);
    const sarif = JSON.parse(await readFile(result.sarifFile, 'utf8')) as SarifLog;
    const results = sarif.runs[0]?.results ?? [];
    expect(results.length).toBe(result.report.findings.length);
    for (const r of results) {
      expect(r.properties['origin']).toBe('base');
      expect(r.locations[0]?.physicalLocation.region.startLine).toBe(3);
    }
    expect(results.filter((r) => armOnly.includes(r.ruleId)).map((r) => r.properties['platforms'])).toEqual(
      armOnly.map(() => ['linux/arm64']),
    );
  });

  describe('the trivy Java DB', () => {
    const javaDb = (): string => join(toolCacheDir, 'secure-image', 'trivy-db', 'java-db', 'metadata.json');
    const scans = () =>
      world.standins
        .calls('trivy')
        .filter((c) => c.command === 'image' && !c.argv.some((a) => a.startsWith('--download-')));

    it('is downloaded by a scan that meets JAR files when none was warmed, and then kept for the next runs', async () => {
      const report = await trivyJarReportFile(join(await world.fresh('jar'), 'r.json'));
      await world.standins.setScenario({ trivy: { rules: [{ command: 'image', report }] } });
      const result = await runScanStage(await input());
      expect(result.database.java).toMatchObject({ ready: false });
      expect(scans()).toHaveLength(1);
      expect(scans()[0]?.argv).not.toContain('--skip-java-db-update');
      expect(JSON.parse(await readFile(javaDb(), 'utf8'))).toMatchObject({ Version: 1 });
      expect(cache.saves).toEqual([result.database.cacheKey, result.database.java?.cacheKey]);
    });

    it('is not saved from a scan that failed, whatever it left', async () => {
      const report = await trivyJarReportFile(join(await world.fresh('jar'), 'r.json'));
      await world.standins.setScenario({
        trivy: {
          rules: [
            { command: 'image', match: 'linux/arm64', exitCode: 1, stderr: 'FATAL\tunexpected EOF\n' },
            { command: 'image', report },
          ],
        },
      });
      await expect(runScanStage(await input({ platforms: ['linux/amd64', 'linux/arm64'] }))).rejects.toThrow(
        /linux\/arm64\) exited with code 1/,
      );
      expect(cache.saves).toEqual([expect.stringMatching(/^secure-image-trivy-db-/)]);
    });

    it('once warmed, is what every platform scan reads: none of them downloads it', async () => {
      // A runner whose tool cache holds a current Java DB from an earlier run.
      const dir = join(toolCacheDir, 'secure-image', 'trivy-db', 'java-db');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'trivy-java.db'), 'java db');
      const at = new Date().toISOString();
      const next = new Date(Date.now() + 86_400_000).toISOString();
      const before = JSON.stringify({ Version: 1, NextUpdate: next, UpdatedAt: at, DownloadedAt: at });
      await writeFile(join(dir, 'metadata.json'), before);
      const report = await trivyJarReportFile(join(await world.fresh('jar'), 'r.json'));
      await world.standins.setScenario({ trivy: { rules: [{ command: 'image', report }] } });

      const result = await runScanStage(await input({ platforms: ['linux/amd64', 'linux/arm64'] }));
      expect(result.database.java).toMatchObject({ ready: true, saveNeeded: false });
      // The job summary says which Java DB the scans read.
      expect(result.summary.database.java).toEqual({ source: 'cache', updatedAt: at });
      expect(
        world.standins.calls('trivy').filter((c) => c.argv.includes('--download-java-db-only')),
      ).toHaveLength(1);
      expect(scans()).toHaveLength(2);
      for (const scan of scans()) expect(scan.argv).toContain('--skip-java-db-update');
      expect(await readFile(javaDb(), 'utf8')).toBe(before);
      // Nothing new to keep: the Java DB is the one the runner had.
      expect(cache.saves).toEqual([result.database.cacheKey]);
    });
  });

  it('scans one image of a multi-platform archive with trivy, and says the others were not scanned', async () => {
    const archive = join(await world.fresh('archive'), 'image.oci.tar');
    await writeFile(archive, 'oci');
    const result = await runScanStage(
      await input({ target: { kind: 'archive', path: archive }, platforms: ['linux/amd64', 'linux/arm64'] }),
    );
    const scans = world.standins
      .calls('trivy')
      .filter((c) => c.command === 'image' && !c.argv.includes('--download-db-only'));
    expect(scans).toHaveLength(1);
    expect(scans[0]?.argv).not.toContain('--platform');
    expect(result.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/only one of linux\/amd64, linux\/arm64 was scanned/)]),
    );
  });

  it('runs grype once for the report and the SBOM, and builds the predicate from the findings', async () => {
    const result = await runScanStage(await input({ scanner: 'grype' }));
    const calls = world.standins.calls('grype').filter((c) => c.command === 'scan');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.argv).toEqual(
      expect.arrayContaining(['-o', `json=${result.reportFile}`, '-o', `cyclonedx-json=${result.sbomFile}`]),
    );
    expect(calls[0]?.argv.join(' ')).not.toContain(LOGIN.password);
    expect(JSON.parse(await readFile(result.sbomFile, 'utf8'))).toMatchObject({ bomFormat: 'CycloneDX' });
    const matches = (JSON.parse(readUpstream('grype/chainguard-ruby-test.json')) as { matches: unknown[] })
      .matches;
    expect(result.report.findings).toHaveLength(matches.length);
    const predicate = JSON.parse(await readFile(result.vulnPredicateFile ?? '', 'utf8')) as {
      scanner: { uri: string; result: { scanner: string } };
    };
    expect(predicate.scanner.uri).toBe('https://github.com/anchore/grype');
    expect(predicate.scanner.result.scanner).toBe('grype');
  });

  it('reports what the ignore file ignored and why, without handing the file to the scanner', async () => {
    const dir = await world.fresh('ignores');
    const ignoreFile = join(dir, '.trivyignore');
    const ignored = rawVulns('alpine-310.json.golden')[0]?.VulnerabilityID ?? '';
    await writeFile(ignoreFile, `# accepted\n${ignored} # not reachable from our code\n`);
    const rules = await readGateRules('trivy', ignoreFile, []);
    const result = await runScanStage(
      await input({ gate: { failOn: 'low', ignoreUnfixed: false, ...rules } }),
    );
    const reasons = new Set(result.summary.ignored.filter((i) => i.id === ignored).map((i) => i.reason));
    expect(reasons).toEqual(new Set([`ignored by ${ignoreFile}:2 (not reachable from our code)`]));
    expect(world.standins.calls('trivy').some((c) => c.argv.includes('--ignorefile'))).toBe(false);
  });

  it('saves the DB to the Actions cache even when the gate fails', async () => {
    const result = await runScanStage(
      await input({ gate: { failOn: 'low', ignoreUnfixed: false, ignores: [], vex: [] } }),
    );
    expect(result.gate.passed).toBe(false);
    expect(cache.saves).toEqual([result.database.cacheKey]);
    const message = gateFailureMessage(result) ?? '';
    for (const f of result.gate.blocking) expect(message).toContain(f.id);
    expect(message).toMatch(/not signed/);
  });

  it('fails the stage, and still saves the DB, when a platform scan crashes', async () => {
    await world.standins.setScenario({
      trivy: {
        rules: [
          {
            command: 'image',
            match: 'linux/arm64',
            exitCode: 1,
            stderr: 'FATAL\tlayer unpack: unexpected EOF\n',
          },
        ],
      },
    });
    const failure = runScanStage(await input({ platforms: ['linux/amd64', 'linux/arm64'] }));
    await expect(failure).rejects.toThrow(UserError);
    await expect(failure).rejects.toThrow(
      /trivy image \(linux\/arm64\) exited with code 1[\s\S]*unexpected EOF/,
    );
    expect(cache.saves).toHaveLength(1);
  });

  it('times out the whole stage, every platform scan stopped', async () => {
    await world.standins.setScenario({
      trivy: { rules: [{ command: 'image', match: '--platform', hang: true }] },
    });
    const started = Date.now();
    await expect(
      runScanStage(await input({ platforms: ['linux/amd64', 'linux/arm64'], timeoutMs: 1500 })),
    ).rejects.toThrow(
      /^the scan stage timed out after 1\.5 s: trivy image \(linux\/(amd64|arm64)\) did not finish[\s\S]*1 other platform scan failed too/,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    const pids = world.standins
      .calls('trivy')
      .filter((c) => c.argv.includes('--platform'))
      .map((c) => c.pid);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe('scanPlatforms', () => {
  it.each<[string, 'trivy' | 'grype', 'registry' | 'archive', string[], Array<string | undefined>, boolean]>([
    ['one platform, no --platform', 'trivy', 'registry', ['linux/amd64'], [undefined], false],
    ['no platforms', 'grype', 'registry', [], [undefined], false],
    [
      'several, from the registry',
      'trivy',
      'registry',
      ['linux/amd64', 'linux/arm64', 'linux/amd64'],
      ['linux/amd64', 'linux/arm64'],
      false,
    ],
    [
      'several, grype from the archive',
      'grype',
      'archive',
      ['linux/amd64', 'linux/arm64'],
      ['linux/amd64', 'linux/arm64'],
      false,
    ],
    [
      'several, trivy from the archive',
      'trivy',
      'archive',
      ['linux/amd64', 'linux/arm64'],
      [undefined],
      true,
    ],
  ])('%s', (_name, scanner, kind, platforms, expected, warns) => {
    const target = kind === 'registry' ? { kind, ref: 'r/a@sha256:x' } : { kind, path: '/a.tar' };
    const chosen = scanPlatforms(scanner, target, platforms);
    expect(chosen.platforms).toEqual(expected);
    expect(chosen.warning !== undefined).toBe(warns);
  });
});
