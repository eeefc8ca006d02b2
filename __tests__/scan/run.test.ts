import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  type ScanTarget,
  dockerConfigJson,
  grypeEnv,
  grypeScanArgs,
  targetIsInsecure,
  trivyConvertArgs,
  trivyEnv,
  trivyScanArgs,
} from '../../src/scan/args.js';
import { type DatabaseState, warmDatabase } from '../../src/scan/database.js';
import { type ScanPlan, runScan, runToolStep, withoutScannerVariables } from '../../src/scan/run.js';
import { UserError } from '../../src/util/errors.js';
import { readUpstream } from './helpers.js';
import { LOGIN, type ScanWorld, fakeCache, startScanWorld } from './world.js';

/** Vulnerabilities of a trivy golden, each (id, package, version) once: what the parser must return. */
function trivyVulnKeys(golden: string): string[] {
  const doc = JSON.parse(readUpstream(`trivy/${golden}`)) as {
    Results?: Array<{
      Vulnerabilities?: Array<{ VulnerabilityID: string; PkgName: string; InstalledVersion: string }>;
    }>;
  };
  return (doc.Results ?? [])
    .flatMap((r) => r.Vulnerabilities ?? [])
    .map((v) => `${v.VulnerabilityID} ${v.PkgName} ${v.InstalledVersion}`)
    .sort();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runScan with the stand-in scanners and a real registry', () => {
  let world: ScanWorld;
  let db: DatabaseState;
  let authDir: string;

  beforeAll(async () => {
    world = await startScanWorld();
    const cache = await fakeCache(join(world.dir, 'actions-cache'), false);
    db = await warmDatabase({
      scanner: 'trivy',
      scannerPath: world.standins.trivy,
      toolCacheDir: join(world.dir, 'toolcache'),
      cache,
      retry: { sleep: async () => undefined },
    });
    authDir = join(world.dir, 'auth');
    await mkdir(authDir, { recursive: true });
    await writeFile(
      join(authDir, 'config.json'),
      dockerConfigJson({ registry: world.registry.host, ...LOGIN }),
    );
  });
  afterAll(async () => {
    await world.stop();
  });
  beforeEach(async () => {
    await world.standins.setScenario({});
    await world.standins.clearCalls();
  });

  async function trivyPlan(
    target: ScanTarget,
    env: Record<string, string> = {},
    timeoutMs = 60_000,
  ): Promise<ScanPlan> {
    const cwd = await world.fresh('trivy');
    const reportFile = join(cwd, 'trivy-report.json');
    return {
      scanner: 'trivy',
      command: world.standins.trivy,
      args: trivyScanArgs({
        target,
        cacheDir: db.dir,
        output: reportFile,
        insecure: targetIsInsecure(target, false),
        timeoutSeconds: timeoutMs / 1000 + 30,
      }),
      env: { ...trivyEnv({ dockerConfigDir: authDir }), ...env },
      secrets: [LOGIN.password],
      cwd,
      timeoutMs,
      reportFile,
      label: 'trivy image',
    };
  }

  it('scans the pushed digest from the loopback registry, with the login in a docker config and not in argv', async () => {
    const plan = await trivyPlan({ kind: 'registry', ref: world.imageRef });
    const run = await runScan(plan);

    expect(run.report.scanner).toBe('trivy');
    expect(run.report.artifactName).toBe(world.imageRef);
    expect(run.report.findings.map((f) => `${f.id} ${f.packageName} ${f.installedVersion}`).sort()).toEqual(
      trivyVulnKeys('alpine-310.json.golden'),
    );
    expect(run.exec.exitCode).toBe(0);

    const calls = world.standins.calls('trivy');
    expect(calls).toHaveLength(1);
    const call = calls[0];
    expect(call?.rejected).toBeUndefined();
    expect(call?.argv).toEqual(plan.args);
    expect(call?.argv.slice(-4)).toEqual(['--insecure', '--image-src', 'remote', world.imageRef]);
    expect(call?.argv.join(' ')).not.toContain(LOGIN.password);
    expect(call?.argv.join(' ')).not.toContain(LOGIN.username);
    expect(call?.envNames).toContain('DOCKER_CONFIG');
    expect(call?.envNames.filter((n) => /USERNAME|PASSWORD/.test(n))).toEqual([]);
    // The scanner never reads the workspace's trivy.yaml / .trivyignore: it runs in a directory of ours.
    expect(call?.cwd).toBe(plan.cwd);
  });

  it("fails with the scanner's own words when the registry refuses it", async () => {
    const plan = await trivyPlan(
      { kind: 'registry', ref: world.imageRef },
      { DOCKER_CONFIG: join(world.dir, 'nowhere') },
    );
    const failure = runScan(plan);
    await expect(failure).rejects.toThrow(UserError);
    await expect(failure).rejects.toThrow(
      /trivy image exited with code 1 and wrote no report[\s\S]*UNAUTHORIZED/,
    );
  });

  it('scans the build archive with --input when nothing was pushed', async () => {
    const archive = join(await world.fresh('archive'), 'image.oci.tar');
    await writeFile(archive, 'an OCI archive');
    const plan = await trivyPlan({ kind: 'archive', path: archive });
    const run = await runScan(plan);
    expect(run.report.artifactName).toBe(archive);
    expect(world.standins.calls('trivy')[0]?.argv.slice(-2)).toEqual(['--input', archive]);
  });

  it('runs grype once for the JSON report and the CycloneDX SBOM, with a login scoped to the registry', async () => {
    const cwd = await world.fresh('grype');
    const reportFile = join(cwd, 'grype-report.json');
    const sbomFile = join(cwd, 'sbom.cdx.json');
    const target: ScanTarget = { kind: 'registry', ref: world.imageRef };
    const plan: ScanPlan = {
      scanner: 'grype',
      command: world.standins.grype,
      args: grypeScanArgs({ target, output: reportFile, sbomOutput: sbomFile }),
      env: grypeEnv({
        dbDir: join(world.dir, 'grype-db'),
        insecureHttp: targetIsInsecure(target, false),
        login: { registry: world.registry.host, ...LOGIN },
      }),
      secrets: [LOGIN.password],
      cwd,
      timeoutMs: 60_000,
      reportFile,
      extraFiles: [sbomFile],
      label: 'grype',
    };
    const run = await runScan(plan);
    expect(run.report.scanner).toBe('grype');
    expect(run.report.artifactName).toBe(world.imageRef);
    const expected = (JSON.parse(readUpstream('grype/chainguard-ruby-test.json')) as { matches: unknown[] })
      .matches.length;
    expect(run.report.findings).toHaveLength(expected);
    const sbom = JSON.parse(await readFile(sbomFile, 'utf8')) as { bomFormat: string };
    expect(sbom.bomFormat).toBe('CycloneDX');

    const calls = world.standins.calls('grype');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.argv).toEqual(plan.args);
    expect(calls[0]?.argv[0]).toBe(`registry:${world.imageRef}`);
    expect(calls[0]?.argv.join(' ')).not.toContain(LOGIN.password);
    expect(calls[0]?.envNames).toEqual(
      expect.arrayContaining([
        'GRYPE_REGISTRY_AUTH_PASSWORD',
        'GRYPE_REGISTRY_AUTH_AUTHORITY',
        'GRYPE_REGISTRY_INSECURE_USE_HTTP',
        'GRYPE_DB_AUTO_UPDATE',
      ]),
    );
  });

  it('fails with the last lines of stderr when the scanner crashes without a report', async () => {
    await world.standins.setScenario({
      trivy: {
        rules: [
          { command: 'image', exitCode: 2, stderr: 'FATAL\tpanic: runtime error: boom in the analyzer\n' },
        ],
      },
    });
    const plan = await trivyPlan({ kind: 'registry', ref: world.imageRef });
    // A report left behind by an earlier run must not be taken for this run's.
    await writeFile(plan.reportFile, readUpstream('trivy/alpine-310.json.golden'));
    const failure = runScan(plan);
    await expect(failure).rejects.toThrow(UserError);
    await expect(failure).rejects.toThrow(
      /trivy image exited with code 2 and wrote no report[\s\S]*boom in the analyzer/,
    );
  });

  it('fails when the report is JSON but not a trivy report', async () => {
    const bogus = join(await world.fresh('bogus'), 'not-a-report.json');
    await writeFile(bogus, JSON.stringify({ hello: 'world', Results: [] }));
    await world.standins.setScenario({ trivy: { rules: [{ command: 'image', report: bogus }] } });
    const plan = await trivyPlan({ kind: 'registry', ref: world.imageRef });
    await expect(runScan(plan)).rejects.toThrow(
      /wrote .*trivy-report\.json, but it is not a trivy JSON report: .*SchemaVersion/,
    );
  });

  it('fails when the scanner writes something that is not JSON at all', async () => {
    // The stand-ins always write real reports, so a small scanner of this test's own writes HTML instead.
    const bin = join(await world.fresh('fake'), 'trivy');
    await writeFile(
      bin,
      [
        `#!${process.execPath}`,
        `const args = process.argv.slice(2);`,
        `require('node:fs').writeFileSync(args[args.indexOf('--output') + 1], '<html>502 Bad Gateway</html>');`,
        `process.stderr.write('WARN\\tunexpected answer from the registry\\n');`,
      ].join('\n'),
    );
    await chmod(bin, 0o755);
    const plan = { ...(await trivyPlan({ kind: 'registry', ref: world.imageRef })), command: bin };
    await expect(runScan(plan)).rejects.toThrow(
      /not a trivy JSON report: [\s\S]*unexpected answer from the registry/,
    );
  });

  it('stops a scanner that hangs and says the scan stage timed out', async () => {
    await world.standins.setScenario({ trivy: { rules: [{ command: 'image', hang: true }] } });
    const plan = await trivyPlan({ kind: 'registry', ref: world.imageRef }, {}, 1500);
    const started = Date.now();
    await expect(runScan({ ...plan, budgetMs: 1500 })).rejects.toThrow(
      /^the scan stage timed out after 1\.5 s: trivy image did not finish/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    const pid = world.standins.calls('trivy')[0]?.pid ?? 0;
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });

  /**
   * The stand-in trivy, run whole (a complete, valid report), after which the process fails: exits 1, or dies of
   * SIGKILL. The action never passes --exit-code and strips TRIVY_*, so either is the scanner failing.
   */
  async function failingAfterReport(how: 'exit 1' | 'SIGKILL'): Promise<string> {
    const bin = join(await world.fresh('failing-trivy'), 'trivy');
    const end =
      how === 'exit 1' ? 'echo "FATAL\tcache write: no space left on device" >&2; exit 1' : 'kill -9 $$';
    await writeFile(bin, `#!/bin/sh\n"${world.standins.trivy}" "$@" || exit $?\n${end}\n`);
    await chmod(bin, 0o755);
    return bin;
  }

  it.each<['exit 1' | 'SIGKILL', RegExp]>([
    ['exit 1', /^trivy image exited with code 1: the scan failed[\s\S]*no space left on device/],
    ['SIGKILL', /^trivy image was killed by SIGKILL: the scan failed/],
  ])('fails when the scanner fails (%s) after writing a complete report', async (how, message) => {
    const plan = {
      ...(await trivyPlan({ kind: 'registry', ref: world.imageRef })),
      command: await failingAfterReport(how),
    };
    const failure = runScan(plan);
    await expect(failure).rejects.toThrow(UserError);
    await expect(failure).rejects.toThrow(message);
    // The report was there and whole: it is the exit that made the scan fail.
    const written = JSON.parse(await readFile(plan.reportFile, 'utf8')) as { SchemaVersion: number };
    expect(written.SchemaVersion).toBe(2);
    expect(world.standins.calls('trivy')).toHaveLength(1);
  });

  it('cannot start a scanner that is not there', async () => {
    const plan = {
      ...(await trivyPlan({ kind: 'registry', ref: world.imageRef })),
      command: join(world.dir, 'no-trivy'),
    };
    await expect(runScan(plan)).rejects.toThrow(/Could not run trivy image: .*not found.*scanner-path/);
  });

  it('converts the same report to CycloneDX without scanning again', async () => {
    const plan = await trivyPlan({ kind: 'registry', ref: world.imageRef });
    await runScan(plan);
    const sbom = join(plan.cwd, 'sbom.cdx.json');
    await runToolStep({
      command: world.standins.trivy,
      args: trivyConvertArgs('cyclonedx', plan.reportFile, sbom),
      env: trivyEnv(),
      cwd: plan.cwd,
      timeoutMs: 30_000,
      label: 'trivy convert',
      output: sbom,
    });
    const doc = JSON.parse(await readFile(sbom, 'utf8')) as {
      bomFormat: string;
      metadata: { component: { name: string } };
    };
    expect(doc.bomFormat).toBe('CycloneDX');
    expect(world.standins.calls('trivy').map((c) => c.command)).toEqual(['image', 'convert']);
  });

  it('fails a conversion that fails, quoting trivy', async () => {
    const cwd = await world.fresh('convert');
    await writeFile(join(cwd, 'r.json'), JSON.stringify({ SchemaVersion: 1 }));
    await expect(
      runToolStep({
        command: world.standins.trivy,
        args: trivyConvertArgs('cyclonedx', join(cwd, 'r.json'), join(cwd, 'out.json')),
        env: {},
        cwd,
        timeoutMs: 30_000,
        label: 'trivy convert',
        output: join(cwd, 'out.json'),
      }),
    ).rejects.toThrow(/trivy convert exited with code 1[\s\S]*unsupported schema version/);
  });
});

describe('withoutScannerVariables', () => {
  it('drops the variables that would change what a scanner reports, and keeps the rest', () => {
    expect(
      withoutScannerVariables({
        PATH: '/bin',
        HTTPS_PROXY: 'http://proxy:3128',
        DOCKER_CONFIG: '/d',
        TRIVY_SEVERITY: 'CRITICAL',
        TRIVY_IGNORE_UNFIXED: 'true',
        GRYPE_ONLY_FIXED: 'true',
        trivy_quiet: 'true',
      }),
    ).toEqual({ PATH: '/bin', HTTPS_PROXY: 'http://proxy:3128', DOCKER_CONFIG: '/d' });
  });
});
