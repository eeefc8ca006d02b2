import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pushBaseImage, startRegistry, type Registry } from '../harness/registry.js';
import { execStandin, installStandins, UPSTREAM_FIXTURES, type Standins } from '../harness/standins.js';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

interface TrivyReport {
  ArtifactName: string;
  Metadata: { RepoTags: string[]; RepoDigests: string[] };
  Results: Array<{ Target: string; Vulnerabilities?: Array<{ VulnerabilityID: string; Severity: string }> }>;
}

interface GrypeReport {
  matches: Array<{ vulnerability: { id: string; severity: string } }>;
  source: { target: { userInput: string; manifestDigest?: string } };
  descriptor: { name: string; version: string };
}

async function json<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

describe('stand-in scanners against a real registry', () => {
  let dir: string;
  let registry: Registry;
  let standins: Standins;
  let image: { ref: string; digest: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'standin-scan-'));
    registry = await startRegistry();
    standins = await installStandins(join(dir, 'tools'));
    image = await pushBaseImage(registry, 'acme/app', '2.0');
  });
  afterAll(async () => {
    await registry?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const trivy = (args: string[]) => execStandin(standins.trivy, args, { env, cwd: dir });
  const grype = (args: string[], extra: Record<string, string> = {}) =>
    execStandin(standins.grype, args, { env: { ...env, ...extra }, cwd: dir });

  describe('trivy', () => {
    it('writes the report of the scanned image, labelled with its reference and digest', async () => {
      const output = join(dir, 'trivy.json');
      const run = await trivy([
        'image',
        '--image-src',
        'remote',
        '--format',
        'json',
        '--output',
        output,
        image.ref,
      ]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('INFO\t[vuln] Vulnerability scanning is enabled');
      const report = await json<TrivyReport>(output);
      expect(report.ArtifactName).toBe(image.ref);
      expect(report.Results[0]?.Target).toBe(`${image.ref} (alpine 3.10.2)`);
      expect(report.Metadata.RepoTags).toEqual([image.ref]);
      expect(report.Metadata.RepoDigests).toEqual([`${registry.host}/acme/app@${image.digest}`]);
      expect(report.Results[0]?.Vulnerabilities?.map((v) => v.VulnerabilityID)).toEqual([
        'CVE-2019-1549',
        'CVE-2019-1551',
        'CVE-2019-1549',
        'CVE-2019-1551',
      ]);
    });

    it('filters by severity, exits with --exit-code only when findings remain, and writes to stdout', async () => {
      const high = await trivy([
        'image',
        '-q',
        '--severity',
        'HIGH,CRITICAL',
        '--exit-code',
        '1',
        '-f',
        'json',
        image.ref,
      ]);
      expect(high.exitCode).toBe(0);
      expect(high.stderr).toBe('');
      expect(JSON.parse(high.stdout).Results[0].Vulnerabilities).toEqual([]);
      const medium = await trivy([
        'image',
        '-q',
        '--severity',
        'MEDIUM',
        '--exit-code',
        '1',
        '-f',
        'json',
        image.ref,
      ]);
      expect(medium.exitCode).toBe(1);
      expect(JSON.parse(medium.stdout).Results[0].Vulnerabilities).toHaveLength(4);
    });

    it('honours an ignore file', async () => {
      const ignore = join(dir, '.trivyignore.yaml');
      await writeFile(ignore, 'vulnerabilities:\n  - id: CVE-2019-1549\n    statement: not reachable\n');
      const run = await trivy(['image', '-q', '--ignorefile', ignore, '-f', 'json', image.ref]);
      const ids = (JSON.parse(run.stdout) as TrivyReport).Results[0]?.Vulnerabilities?.map(
        (v) => v.VulnerabilityID,
      );
      expect(ids).toEqual(['CVE-2019-1551', 'CVE-2019-1551']);
    });

    it('fails like trivy for an image the registry does not have, a missing --input, or no remote source', async () => {
      const missing = await trivy(['image', '-f', 'json', `${registry.host}/acme/app:nope`]);
      expect(missing.exitCode).toBe(1);
      expect(missing.stderr).toMatch(
        /\tFATAL\tFatal error\timage scan error: .*unable to find the specified image/,
      );
      const noInput = await trivy(['image', '--input', join(dir, 'nope.tar')]);
      expect(noInput.exitCode).toBe(1);
      expect(noInput.stderr).toContain('no such file or directory');
      const noRemote = await trivy(['image', '--image-src', 'docker', image.ref]);
      expect(noRemote.exitCode).toBe(1);
      expect(noRemote.stderr).toContain('docker error');
    });

    it('downloads its DB into --cache-dir, and refuses --skip-db-update on the first run', async () => {
      const cache = join(dir, 'trivy-cache');
      const first = await trivy(['image', '--cache-dir', cache, '--skip-db-update', image.ref]);
      expect(first.exitCode).toBe(1);
      expect(first.stderr).toContain('--skip-db-update cannot be specified on the first run');
      const download = await trivy(['image', '--download-db-only', '--cache-dir', cache]);
      expect(download.exitCode).toBe(0);
      expect(existsSync(join(cache, 'db', 'trivy.db'))).toBe(true);
      const version = await trivy(['version', '--cache-dir', cache, '--format', 'json']);
      expect(JSON.parse(version.stdout)).toMatchObject({
        Version: '0.74.0',
        VulnerabilityDB: { Version: 2 },
      });
      const again = await trivy([
        'image',
        '-q',
        '--cache-dir',
        cache,
        '--skip-db-update',
        '-f',
        'json',
        image.ref,
      ]);
      expect(again.exitCode).toBe(0);
    });

    it('takes the report fixture from the scenario, per image', async () => {
      await standins.setScenario({
        trivy: { rules: [{ command: 'image', match: 'acme/app', report: 'distroless-base.json.golden' }] },
      });
      try {
        const run = await trivy(['image', '-q', '-f', 'json', image.ref]);
        expect((JSON.parse(run.stdout) as TrivyReport).Results[0]?.Target).toBe(`${image.ref} (debian 9.9)`);
      } finally {
        await standins.setScenario({});
      }
    });

    it('converts a JSON report to the same SARIF as trivy (its own golden file)', async () => {
      const report = join(dir, 'alpine-310.json');
      await copyFile(join(UPSTREAM_FIXTURES, 'trivy', 'alpine-310.json.golden'), report);
      const sarifPath = join(dir, 'alpine-310.sarif');
      const run = await trivy(['convert', '--format', 'sarif', '--output', sarifPath, report]);
      expect(run.exitCode).toBe(0);
      const ours = await json<{
        version: string;
        runs: Array<Record<string, unknown> & { tool: { driver: Record<string, unknown> } }>;
      }>(sarifPath);
      const golden = await json<typeof ours>(join(UPSTREAM_FIXTURES, 'trivy', 'alpine-310.sarif.golden'));
      expect(ours.version).toBe('2.1.0');
      const [mine, theirs] = [ours.runs[0]!, golden.runs[0]!];
      expect(mine.results).toEqual(theirs.results);
      expect(mine.tool.driver.rules).toEqual(theirs.tool.driver.rules);
      expect(mine.properties).toEqual(theirs.properties);
      expect({ ...mine.tool.driver, version: 'dev' }).toEqual(theirs.tool.driver);
    });

    it('converts a JSON report to CycloneDX 1.6 and to the cosign-vuln predicate', async () => {
      const report = join(dir, 'scan.json');
      await trivy(['image', '-q', '-f', 'json', '-o', report, image.ref]);
      const cdxPath = join(dir, 'sbom.cdx.json');
      expect((await trivy(['convert', '-f', 'cyclonedx', '-o', cdxPath, report])).exitCode).toBe(0);
      const cdx = await json<{
        bomFormat: string;
        specVersion: string;
        metadata: { component: { name: string; purl?: string } };
        components: Array<{ name: string; purl?: string; type: string }>;
        vulnerabilities: Array<{ id: string; affects: Array<{ ref: string }> }>;
      }>(cdxPath);
      expect(cdx).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
      expect(cdx.metadata.component.name).toBe(image.ref);
      expect(cdx.metadata.component.purl).toBe(
        `pkg:oci/app@${encodeURIComponent(image.digest)}?arch=amd64&repository_url=${encodeURIComponent(`${registry.host}/acme/app`)}`,
      );
      expect(
        cdx.components
          .filter((c) => c.type === 'library')
          .map((c) => c.name)
          .sort(),
      ).toEqual(['libcrypto1.1', 'libssl1.1']);
      expect(cdx.vulnerabilities.map((v) => v.id)).toEqual(['CVE-2019-1549', 'CVE-2019-1551']);
      const refs = new Set(cdx.components.map((c) => c.purl));
      for (const v of cdx.vulnerabilities) for (const a of v.affects) expect(refs.has(a.ref)).toBe(true);

      const predicate = JSON.parse((await trivy(['convert', '--format', 'cosign-vuln', report])).stdout);
      expect(predicate.scanner).toMatchObject({
        uri: 'pkg:github/aquasecurity/trivy@0.74.0',
        version: '0.74.0',
      });
      expect(predicate.scanner.result).toEqual(await json(report));
    });
  });

  describe('grype', () => {
    it('writes the report of a registry source and exits 2 when --fail-on matches', async () => {
      const output = join(dir, 'grype.json');
      const run = await grype([`registry:${image.ref}`, '-o', `json=${output}`, '--fail-on', 'high']);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain('discovered vulnerabilities at or above the severity threshold');
      const report = await json<GrypeReport>(output);
      expect(report.source.target.userInput).toBe(image.ref);
      expect(report.source.target.manifestDigest).toBe(image.digest);
      expect(report.descriptor).toMatchObject({ name: 'grype', version: '0.116.0' });
      expect(report.matches.map((m) => m.vulnerability.severity)).toEqual(['High', 'High', 'High']);
    });

    it('passes --fail-on critical, and prints the table by default', async () => {
      const run = await grype([image.ref, '--fail-on', 'critical']);
      expect(run.exitCode).toBe(0);
      expect(run.stdout.split('\n')[0]).toMatch(
        /^NAME\s+INSTALLED\s+FIXED-IN\s+TYPE\s+VULNERABILITY\s+SEVERITY$/,
      );
      expect(run.stdout).toContain('CVE-2023-28755');
    });

    it('drops ignored and unfixed matches', async () => {
      const config = join(dir, '.grype.yaml');
      await writeFile(config, 'ignore:\n  - vulnerability: CVE-2023-28755\n');
      const run = await grype([image.ref, '-c', config, '--only-fixed', '-o', 'json']);
      const report = JSON.parse(run.stdout) as GrypeReport;
      expect(report.matches.map((m) => m.vulnerability.id)).not.toContain('CVE-2023-28755');
      expect(report.matches.length).toBeLessThan(3);
    });

    it('fails for a missing image, a bad --fail-on and a daemon source', async () => {
      const missing = await grype([`registry:${registry.host}/acme/app:nope`, '-o', 'json']);
      expect(missing.exitCode).toBe(1);
      expect(missing.stderr).toContain('MANIFEST_UNKNOWN');
      const bad = await grype([image.ref, '--fail-on', 'severe']);
      expect(bad.exitCode).toBe(1);
      expect(bad.stderr).toContain("bad --fail-on severity value 'severe'");
      const daemon = await grype([`docker:${image.ref}`]);
      expect(daemon.exitCode).toBe(1);
      expect(daemon.stderr).toContain('daemon');
    });

    it('writes SARIF with -o sarif=file', async () => {
      const path = join(dir, 'grype.sarif');
      const run = await grype([image.ref, '-o', `sarif=${path}`]);
      expect(run.exitCode).toBe(0);
      const sarif = await json<{
        version: string;
        runs: Array<{ tool: { driver: { name: string } }; results: unknown[] }>;
      }>(path);
      expect(sarif.version).toBe('2.1.0');
      expect(sarif.runs[0]?.tool.driver.name).toBe('Grype');
      expect(sarif.runs[0]?.results).toHaveLength(3);
    });
  });
});
