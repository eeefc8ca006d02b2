// The scan and its gate through dist/index.js: the stand-in trivy and grype answer with real upstream
// reports (the `report` scenario option picks which), and each expected verdict is worked out from the
// raw report in expectations.ts. Most runs scan an image already pushed (`digest`), so only the runs
// that are about building scan what buildah built.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pushBaseImage, startRegistry } from '../harness/registry.js';
import type { RunResult } from '../harness/runner.js';
import type { Scenario, StandinCall } from '../harness/standins.js';
import {
  COUNT_KEYS,
  expectedGate,
  fixturePath,
  isAlive,
  rawFindings,
  signatureTags,
  stageRow,
  visibleStdout,
  type FailOn,
} from './expectations.js';
import { startOfflineWorld, type OfflineWorld } from './offline-world.js';

// jest 29's each() wants mutable rows; this keeps the literal types of an `as const` table.
const rows = <T extends readonly unknown[]>(table: readonly T[]): Array<[...T]> =>
  table.map((r) => [...r] as [...T]);

let world: OfflineWorld;

beforeAll(async () => {
  world = await startOfflineWorld();
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

let images = 0;
/** A repository of its own holding the busybox image, so signatures of one test never meet another's. */
async function pushedImage(name: string): Promise<{ repo: string; ref: string; digest: string }> {
  const repo = `acme/scan-${name}-${++images}`;
  const { digest } = await pushBaseImage(world.registry, repo, 'v1');
  return { repo, ref: `${world.registry.host}/${repo}@${digest}`, digest };
}

function scenario(extra: Pick<Scenario, 'trivy' | 'grype'>): Scenario {
  return { ...world.signedBase(), ...extra };
}

/** The scanner's scan call (not `version`, the DB download or `convert`). */
function scanCall(tool: 'trivy' | 'grype'): StandinCall {
  const calls = world.standins
    .calls(tool)
    .filter((c) =>
      tool === 'trivy'
        ? c.command === 'image' && !c.argv.includes('--download-db-only')
        : c.command === 'scan',
    );
  expect(calls).toHaveLength(1);
  return calls[0] as StandinCall;
}

function flagValue(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i === -1 ? undefined : argv[i + 1];
}

function errorOf(result: RunResult): string {
  return result.annotations.find((a) => a.level === 'error' && a.title === undefined)?.message ?? '';
}

/** A failed gate, a crash or a hang: nothing is signed, the registry holds no signature, Sign never ran. */
async function expectUnsigned(result: RunResult, repo: string, digest: string): Promise<void> {
  expect(result.exitCode).toBe(1);
  expect(result.outputs.signed).toBe('false');
  expect(
    world.standins.calls('cosign').filter((c) => c.command === 'sign' || c.command === 'attest'),
  ).toEqual([]);
  expect(await signatureTags(world.registry, repo, digest)).toEqual([]);
  expect(world.standins.signatures().filter((s) => s.name.endsWith(repo))).toEqual([]);
  expect(result.summary).toMatch(/\*\*Failed\*\* at Scan/);
  expect(stageRow(result.summary, 'Scan')?.result).toBe('❌ failed');
  expect(stageRow(result.summary, 'Sign')).toEqual({
    result: '⏹️ not run',
    detail: 'not reached: an earlier stage failed',
  });
}

describe('a passing scan, built and pushed', () => {
  it('scans the pushed digest, writes every report, passes the gate and then signs', async () => {
    const image = `${world.registry.host}/acme/scanned`;
    const fixture = 'alpine-310.json.golden';
    const result = await world.run({
      inputs: { image, tags: 'v1' },
      scenario: scenario({ trivy: { report: fixture } }),
    });
    expect(result.exitCode).toBe(0);
    const digest = result.outputs.digest ?? '';
    const ref = `${image}@${digest}`;

    const expected = expectedGate(rawFindings('trivy', fixture), { failOn: 'high', ignoreUnfixed: true });
    expect(expected.passed).toBe(true);
    expect(result.outputs.vulnerabilities).toBe(expected.json);
    expect(Object.keys(JSON.parse(result.outputs.vulnerabilities ?? '{}') as object)).toEqual([
      ...COUNT_KEYS,
    ]);
    expect(result.outputs['scan-passed']).toBe('true');

    // trivy read the digest from the registry, not a daemon, and wrote the report the output names.
    const argv = scanCall('trivy').argv;
    expect(argv.slice(-3)).toEqual(['--image-src', 'remote', ref]);
    expect(flagValue(argv, '--format')).toBe('json');
    expect(flagValue(argv, '--output')).toBe(result.outputs['scan-report']);

    const report = JSON.parse(readFileSync(result.outputs['scan-report'] ?? '', 'utf8')) as {
      SchemaVersion: number;
      ArtifactName: string;
    };
    expect(report.SchemaVersion).toBe(2);
    expect(report.ArtifactName).toBe(ref);
    const sarif = JSON.parse(readFileSync(result.outputs['sarif-file'] ?? '', 'utf8')) as {
      version: string;
      runs: Array<{ results: Array<{ ruleId: string }> }>;
    };
    expect(sarif.version).toBe('2.1.0');
    expect(new Set(sarif.runs.flatMap((r) => r.results.map((x) => x.ruleId)))).toEqual(
      new Set(rawFindings('trivy', fixture).map((f) => f.id)),
    );
    const sbom = JSON.parse(readFileSync(result.outputs['sbom-file'] ?? '', 'utf8')) as {
      bomFormat: string;
      specVersion: string;
    };
    expect(sbom.bomFormat).toBe('CycloneDX');
    expect(sbom.specVersion).toMatch(/^1\.\d+$/);

    // The gate passed, so the digest was signed.
    expect(result.outputs.signed).toBe('true');
    expect(await signatureTags(world.registry, 'acme/scanned', digest)).toHaveLength(1);
    expect(stageRow(result.summary, 'Scan')?.result).toBe('✅ passed');
    expect(stageRow(result.summary, 'Sign')?.result).toBe('✅ passed');
    expect(result.annotations).toContainEqual(
      expect.objectContaining({ level: 'notice', title: 'Vulnerability gate passed' }),
    );
  });
});

describe('the gate, against the real reports', () => {
  const table = rows([
    ['trivy', 'alpine-310.json.golden', 'critical', true],
    ['trivy', 'alpine-310.json.golden', 'high', true],
    ['trivy', 'alpine-310.json.golden', 'medium', true],
    ['trivy', 'alpine-310.json.golden', 'low', true],
    ['trivy', 'alpine-310.json.golden', 'never', true],
    ['trivy', 'distroless-base.json.golden', 'medium', true],
    ['trivy', 'distroless-base.json.golden', 'medium', false],
    ['trivy', 'distroless-base.json.golden', 'low', true],
    ['grype', 'chainguard-ruby-test.json', 'critical', true],
    ['grype', 'chainguard-ruby-test.json', 'high', true],
    ['grype', 'keycloak-test.json', 'low', true],
    ['grype', 'keycloak-test.json', 'low', false],
  ] as const);

  it('covers both verdicts and both ignore-unfixed outcomes (a table that cannot pass vacuously)', () => {
    const verdicts = table.map(([scanner, fixture, failOn, ignoreUnfixed]) => {
      const gate = expectedGate(rawFindings(scanner, fixture), { failOn, ignoreUnfixed });
      return `${scanner}:${gate.passed}`;
    });
    expect(new Set(verdicts)).toEqual(new Set(['trivy:true', 'trivy:false', 'grype:true', 'grype:false']));
    // ignore-unfixed changes the verdict for at least one fixture.
    const flips = (['distroless-base.json.golden'] as const).map((f) => [
      expectedGate(rawFindings('trivy', f), { failOn: 'medium', ignoreUnfixed: true }).passed,
      expectedGate(rawFindings('trivy', f), { failOn: 'medium', ignoreUnfixed: false }).passed,
    ]);
    expect(flips).toEqual([[true, false]]);
  });

  it.each(table)(
    '%s %s, fail-on-severity: %s, ignore-unfixed: %s',
    async (scanner, fixture, failOn: FailOn, ignoreUnfixed) => {
      const { repo, ref, digest } = await pushedImage(`${scanner}-${failOn}`);
      const expected = expectedGate(rawFindings(scanner, fixture), { failOn, ignoreUnfixed });
      const result = await world.run({
        inputs: {
          digest: ref,
          scanner,
          'scanner-path': world.standins[scanner],
          'fail-on-severity': failOn,
          'ignore-unfixed': String(ignoreUnfixed),
        },
        scenario: scenario({ [scanner]: { report: fixture } }),
      });
      expect(result.outputs.vulnerabilities).toBe(expected.json);
      expect(result.outputs['scan-passed']).toBe(String(expected.passed));
      // Every finding is in the report the output names: the inputs filter the gate, not the scan.
      const written = JSON.parse(readFileSync(result.outputs['scan-report'] ?? '', 'utf8')) as unknown;
      const total =
        scanner === 'trivy'
          ? ((written as { Results?: Array<{ Vulnerabilities?: unknown[] }> }).Results ?? []).reduce(
              (n, r) => n + (r.Vulnerabilities?.length ?? 0),
              0,
            )
          : ((written as { matches?: unknown[] }).matches ?? []).length;
      expect(total).toBe(rawFindings(scanner, fixture).length);

      if (expected.passed) {
        expect(result.exitCode).toBe(0);
        expect(result.outputs.signed).toBe('true');
        expect(await signatureTags(world.registry, repo, digest)).toHaveLength(1);
      } else {
        await expectUnsigned(result, repo, digest);
        const error = errorOf(result);
        expect(error).toMatch(
          new RegExp(
            `^The scan found ${expected.blocking.length} vulnerabilit(y|ies) at or above \`fail-on-severity: ${failOn}\``,
          ),
        );
        for (const id of new Set(expected.blocking.slice(0, 5))) expect(error).toContain(id);
        expect(result.annotations).toContainEqual(
          expect.objectContaining({ level: 'error', title: 'Vulnerability gate failed' }),
        );
      }
    },
  );
});

describe('a scan that does not give a verdict is never a pass', () => {
  it('a scanner that crashes without a report fails the run with its last words', async () => {
    const { repo, ref, digest } = await pushedImage('crash');
    const stderr = '2026-01-01T00:00:00Z\tFATAL\tFatal error\tpanic: runtime error: invalid memory address';
    const result = await world.run({
      inputs: { digest: ref },
      scenario: scenario({
        trivy: { rules: [{ command: 'image', match: '--list-all-pkgs', exitCode: 2, stderr }] },
      }),
    });
    await expectUnsigned(result, repo, digest);
    // A scan ran and gave no verdict: not passed, and no counts that would read as a clean image.
    expect(result.outputs['scan-passed']).toBe('false');
    expect(result.outputs.vulnerabilities).toBeUndefined();
    const error = errorOf(result);
    expect(error).toMatch(/^trivy image exited with code 2 and wrote no report/);
    expect(error).toContain('panic: runtime error: invalid memory address');
  });

  it('a report cut off half way (not JSON) fails the run and names the file', async () => {
    const { repo, ref, digest } = await pushedImage('truncated');
    // A scanner that dies while writing: the stand-in's report, cut to its first 300 bytes.
    const wrapper = join(world.dir, 'trivy-truncating');
    writeFileSync(
      wrapper,
      [
        '#!/bin/sh',
        'out=""; prev=""; scan=0',
        'for a in "$@"; do',
        '  [ "$prev" = "--output" ] && out="$a"',
        '  [ "$a" = "--list-all-pkgs" ] && scan=1',
        '  prev="$a"',
        'done',
        `"${world.standins.trivy}" "$@"; code=$?`,
        'if [ "$scan" = 1 ] && [ -n "$out" ]; then head -c 300 "$out" > "$out.part" && mv "$out.part" "$out"; fi',
        'exit $code',
        '',
      ].join('\n'),
    );
    chmodSync(wrapper, 0o755);
    const result = await world.run({ inputs: { digest: ref, 'scanner-path': wrapper } });
    await expectUnsigned(result, repo, digest);
    const reportFile = flagValue(scanCall('trivy').argv, '--output') ?? '';
    expect(() => JSON.parse(readFileSync(reportFile, 'utf8')) as unknown).toThrow();
    expect(errorOf(result)).toContain(`trivy image wrote ${reportFile}, but it is not a trivy JSON report`);
    expect(result.outputs['scan-passed']).toBe('false');
  });

  it('JSON that is not a trivy report (a grype report) fails the run', async () => {
    const { repo, ref, digest } = await pushedImage('not-trivy');
    const result = await world.run({
      inputs: { digest: ref },
      scenario: scenario({
        trivy: {
          rules: [
            { command: 'image', match: '--list-all-pkgs', report: fixturePath('grype', 'ghsa-test.json') },
          ],
        },
      }),
    });
    await expectUnsigned(result, repo, digest);
    expect(errorOf(result)).toMatch(/but it is not a trivy JSON report.*SchemaVersion/s);
  });

  it('a scanner that hangs is stopped at `stage-timeout` and the run fails', async () => {
    const { repo, ref, digest } = await pushedImage('hang');
    const result = await world.run({
      inputs: { digest: ref, 'stage-timeout': '5s' },
      scenario: scenario({ trivy: { rules: [{ command: 'image', match: '--list-all-pkgs', hang: true }] } }),
    });
    await expectUnsigned(result, repo, digest);
    expect(errorOf(result)).toMatch(
      /^the scan stage timed out after 5 s: trivy image did not finish and was stopped\. A scan that does not finish is not a pass\./,
    );
    expect(result.outputs['scan-passed']).toBe('false');
    expect(result.durationMs).toBeLessThan(40_000);
    // The hung process itself was ended, not left behind.
    expect(isAlive(scanCall('trivy').pid)).toBe(false);
  }, 60_000);
});

describe('scanners and targets', () => {
  it('grype scans `registry:<digest>` and its own CycloneDX SBOM is the sbom-file', async () => {
    const { ref } = await pushedImage('grype');
    const fixture = 'ghsa-test.json';
    const result = await world.run({
      inputs: { digest: ref, scanner: 'grype', 'scanner-path': world.standins.grype },
      scenario: scenario({ grype: { report: fixture } }),
    });
    const expected = expectedGate(rawFindings('grype', fixture), { failOn: 'high', ignoreUnfixed: true });
    expect(result.exitCode).toBe(expected.passed ? 0 : 1);
    expect(result.outputs.vulnerabilities).toBe(expected.json);
    const argv = scanCall('grype').argv;
    expect(argv[0]).toBe(`registry:${ref}`);
    expect(argv).toEqual(
      expect.arrayContaining([
        `json=${result.outputs['scan-report']}`,
        `cyclonedx-json=${result.outputs['sbom-file']}`,
      ]),
    );
    expect(world.standins.calls('trivy')).toEqual([]);
    const report = JSON.parse(readFileSync(result.outputs['scan-report'] ?? '', 'utf8')) as {
      matches: unknown[];
      descriptor: { name: string };
    };
    expect(report.descriptor.name).toBe('grype');
    const sbom = JSON.parse(readFileSync(result.outputs['sbom-file'] ?? '', 'utf8')) as { bomFormat: string };
    expect(sbom.bomFormat).toBe('CycloneDX');
    expect(
      (JSON.parse(readFileSync(result.outputs['sarif-file'] ?? '', 'utf8')) as { version: string }).version,
    ).toBe('2.1.0');
  });

  it('scanner: none runs no scanner, sets no scan outputs, and still signs', async () => {
    const { repo, ref, digest } = await pushedImage('none');
    const result = await world.run({ inputs: { digest: ref, scanner: 'none' } });
    expect(result.exitCode).toBe(0);
    expect(world.standins.calls('trivy')).toEqual([]);
    expect(world.standins.calls('grype')).toEqual([]);
    for (const name of ['vulnerabilities', 'scan-passed', 'scan-report', 'sarif-file', 'sbom-file'])
      expect(result.outputs[name] ?? '').toBe('');
    expect(stageRow(result.summary, 'Scan')).toEqual({ result: '⏭️ skipped', detail: '`scanner: none`' });
    expect(result.outputs.signed).toBe('true');
    expect(await signatureTags(world.registry, repo, digest)).toHaveLength(1);
    // No scan, so nothing to attest.
    expect(world.standins.calls('cosign').filter((c) => c.command === 'attest')).toEqual([]);
  });

  it('push: false scans the OCI archive the build wrote (`--input`)', async () => {
    const image = `${world.registry.host}/acme/scan-local`;
    const fixture = 'alpine-distroless.json.golden';
    const result = await world.run({
      inputs: { image, push: 'false' },
      scenario: scenario({ trivy: { report: fixture } }),
    });
    const expected = expectedGate(rawFindings('trivy', fixture), { failOn: 'high', ignoreUnfixed: true });
    expect(result.exitCode).toBe(0);
    const argv = scanCall('trivy').argv;
    const archive = flagValue(argv, '--input') ?? '';
    expect(archive).toMatch(/image\.oci\.tar$/);
    expect(archive.startsWith(result.runnerTemp)).toBe(true);
    expect(existsSync(archive)).toBe(true);
    expect(argv).not.toContain('--image-src');
    expect(result.outputs.vulnerabilities).toBe(expected.json);
    expect(result.outputs['scan-passed']).toBe(String(expected.passed));
    const report = JSON.parse(readFileSync(result.outputs['scan-report'] ?? '', 'utf8')) as {
      ArtifactName: string;
    };
    expect(report.ArtifactName).toBe(archive);
    expect(await world.registry.tags('acme/scan-local')).toEqual([]);
    expect(result.outputs.signed).toBe('false');
  });
});

describe('ignore files and credentials', () => {
  it('a .trivyignore in the context root is read by default: its ids stop counting, and the report keeps them', async () => {
    const { ref } = await pushedImage('ignored');
    const fixture = 'alpine-310.json.golden';
    const findings = rawFindings('trivy', fixture);
    const ids = [...new Set(findings.map((f) => f.id))];
    expect(ids.length).toBeGreaterThan(1);
    const ws = world.workspace();
    writeFileSync(
      join(ws, 'app', '.trivyignore'),
      `# accepted until the next base image\n${ids.join('\n')}\n`,
    );
    const failOn = 'medium';
    const without = expectedGate(findings, { failOn, ignoreUnfixed: true });
    const expected = expectedGate(findings, { failOn, ignoreUnfixed: true, ignoredIds: ids });
    expect([without.passed, expected.passed]).toEqual([false, true]);

    const result = await world.run({
      workspace: ws,
      inputs: { digest: ref, 'fail-on-severity': failOn },
      scenario: scenario({ trivy: { report: fixture } }),
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.vulnerabilities).toBe(expected.json);
    expect(result.outputs['scan-passed']).toBe('true');
    // The gate read the file; trivy was not told to drop anything.
    const argv = scanCall('trivy').argv;
    expect(argv.some((a) => a.includes('trivyignore'))).toBe(false);
    const report = JSON.parse(readFileSync(result.outputs['scan-report'] ?? '', 'utf8')) as {
      Results: Array<{ Vulnerabilities?: unknown[] }>;
    };
    expect(report.Results.flatMap((r) => r.Vulnerabilities ?? [])).toHaveLength(findings.length);
  });

  it('registry credentials reach the scanners through their environment, never argv', async () => {
    const password = 'scan-registry-pa55word';
    const secured = await startRegistry({ auth: { username: 'scanner', password } });
    try {
      const image = `${secured.host}/acme/private`;
      const credentials = { 'registry-username': 'scanner', 'registry-password': password };
      const built = await world.run({ inputs: { image, tags: 'v1', ...credentials } });
      expect(built.exitCode).toBe(0);
      // The stand-in trivy reads the manifest from the registry: it could only if it had the login.
      expect(built.outputs['scan-passed']).toBe('true');
      expect(scanCall('trivy').envNames).toContain('DOCKER_CONFIG');
      const argvLogs = [argvLog()];

      const grype = await world.run({
        inputs: {
          digest: `${image}@${built.outputs.digest ?? ''}`,
          scanner: 'grype',
          'scanner-path': world.standins.grype,
          ...credentials,
        },
        scenario: scenario({ grype: { report: 'ghsa-test.json' } }),
      });
      expect(grype.exitCode).toBe(0);
      expect(grype.outputs['scan-passed']).toBe('true');
      expect(scanCall('grype').envNames).toEqual(
        expect.arrayContaining(['GRYPE_REGISTRY_AUTH_USERNAME', 'GRYPE_REGISTRY_AUTH_PASSWORD']),
      );
      argvLogs.push(argvLog());

      for (const result of [built, grype]) {
        expect(result.masks).toContain(password);
        expect(visibleStdout(result)).not.toContain(password);
        expect(result.summary).not.toContain(password);
        // No login file is left in the run's directories.
        const leftovers = readdirSync(result.runnerTemp, { recursive: true }).map(String);
        expect(leftovers.filter((f) => /(^|\/)auth-[0-9a-f]+/.test(f))).toEqual([]);
      }
      const basic = Buffer.from(`scanner:${password}`).toString('base64');
      for (const log of argvLogs) {
        expect(log).toContain(secured.host);
        expect(log).not.toContain(password);
        expect(log).not.toContain(basic);
      }
    } finally {
      await secured.stop();
    }
  });
});

/** Every argv the stand-ins logged in the last run, as one text. */
function argvLog(): string {
  return JSON.stringify(
    (['trivy', 'grype', 'cosign'] as const).flatMap((tool) => world.standins.calls(tool).map((c) => c.argv)),
  );
}
