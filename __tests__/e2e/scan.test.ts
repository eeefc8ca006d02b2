// The scan and its gate through dist/index.js: the stand-in trivy and grype answer with real upstream
// reports (the `report` scenario option picks which), and each expected verdict is worked out from the
// raw report in expectations.ts. Most runs scan an image already pushed (`digest`), so only the runs
// that are about building scan what buildah built.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
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
import {
  BASE_IDENTITY,
  GITHUB_ISSUER,
  standinKeyPair,
  startOfflineWorld,
  type OfflineWorld,
} from './offline-world.js';
import { sarifSchemaErrors } from '../support/sarif-schema.js';

// jest 29's each() wants mutable rows; this keeps the literal types of an `as const` table.
const rows = <T extends readonly unknown[]>(table: readonly T[]): Array<[...T]> =>
  table.map((r) => [...r] as [...T]);

let world: OfflineWorld;

beforeAll(async () => {
  world = await startOfflineWorld();
}, 120_000);

afterAll(async () => {
  await world?.stop();
  rmSync(DERIVED, { recursive: true, force: true });
});

// Derived fixtures: no upstream report has a Critical finding, and no trivy one a High, so some rows of the gate
// table read a copy of an upstream report with one vulnerability's severity raised. They are named for exactly
// that ("derived from <upstream>: <id> raised to <severity>") and written here, never stored as upstream data.
const DERIVED = mkdtempSync(join(tmpdir(), 'secure-image-derived-'));

/** The report file a gate-table row names: an upstream fixture by name, or a derived one, written on first use. */
function fixtureFile(scanner: 'trivy' | 'grype', name: string): string {
  const derived = /^derived from (\S+): (\S+) raised to (\w+)$/.exec(name);
  if (!derived) return name;
  const [, upstream = '', id = '', severity = ''] = derived;
  const file = join(DERIVED, `${scanner}-${upstream}-${id}-${severity}.json`);
  if (existsSync(file)) return file;
  const doc = JSON.parse(readFileSync(fixturePath(scanner, upstream), 'utf8')) as {
    Results?: Array<{ Vulnerabilities?: Array<{ VulnerabilityID: string; Severity: string }> }>;
    matches?: Array<{ vulnerability: { id: string; severity: string } }>;
  };
  const entries =
    scanner === 'trivy'
      ? (doc.Results ?? []).flatMap((r) => r.Vulnerabilities ?? []).filter((v) => v.VulnerabilityID === id)
      : (doc.matches ?? []).map((m) => m.vulnerability).filter((v) => v.id === id);
  if (entries.length === 0) throw new Error(`${upstream} has no ${id} to raise`);
  for (const entry of entries) {
    if ('Severity' in entry) entry.Severity = severity;
    else entry.severity = severity;
  }
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

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

/**
 * The stand-in trivy behind a wrapper that runs `after` (sh) once the scan call is done (not the DB download or
 * `convert`), with `$out` the report's path and `$code` trivy's exit code, which the wrapper exits with.
 */
function trivyWrapper(name: string, after: string): string {
  const wrapper = join(world.dir, name);
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
      `if [ "$scan" = 1 ]; then ${after}; fi`,
      'exit $code',
      '',
    ].join('\n'),
  );
  chmodSync(wrapper, 0o755);
  return wrapper;
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
  expect(result.outputs.tags ?? '').toBe('');
  expect(result.outputs.digest).toBe(digest);
  if (stageRow(result.summary, 'Push')?.result === '✅ passed') {
    // Built and pushed by this run: by digest, so the image can be inspected, but no tag, so `latest` still names
    // what passed before.
    expect(await world.registry.tags(repo)).toEqual([]);
    expect(result.summary).toContain(
      `Pushed by digest, not tagged: failed at Scan. The untagged image is ${world.registry.host}/${repo}@${digest}.`,
    );
  }
  expect(stageRow(result.summary, 'Sign')).toEqual({
    result: '⏹️ not run',
    detail: 'not reached: an earlier stage failed',
  });
}

describe('a failing scan, built and pushed', () => {
  it('leaves the image pushed by digest and untagged: `latest` is not moved onto what failed', async () => {
    const repo = 'acme/failed-gate';
    const image = `${world.registry.host}/${repo}`;
    const result = await world.run({
      inputs: { image, tags: 'v1, latest', 'fail-on-severity': 'low' },
      scenario: scenario({ trivy: { report: 'alpine-310.json.golden' } }),
    });
    expect(stageRow(result.summary, 'Push')?.result).toBe('✅ passed');
    expect(stageRow(result.summary, 'Tags')?.result).toBe('⏹️ not run');
    await expectUnsigned(result, repo, result.outputs.digest ?? '');
    expect(await world.registry.manifest(repo, result.outputs.digest ?? '')).toBeDefined();
  });
});

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
    expect(sarifSchemaErrors(sarif)).toEqual([]);
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
    ['trivy', 'derived from alpine-310.json.golden: CVE-2019-1549 raised to CRITICAL', 'critical', true],
    ['trivy', 'derived from alpine-310.json.golden: CVE-2019-1551 raised to HIGH', 'critical', true],
    ['trivy', 'derived from alpine-310.json.golden: CVE-2019-1551 raised to HIGH', 'high', true],
    ['grype', 'derived from chainguard-ruby-test.json: CVE-2023-28755 raised to Critical', 'critical', true],
  ] as const);

  it('covers both verdicts and both ignore-unfixed outcomes (a table that cannot pass vacuously)', () => {
    const gates = table.map(([scanner, fixture, failOn, ignoreUnfixed]) => ({
      scanner,
      failOn,
      passed: expectedGate(rawFindings(scanner, fixtureFile(scanner, fixture)), { failOn, ignoreUnfixed })
        .passed,
    }));
    const verdicts = gates.map((g) => `${g.scanner}:${g.passed}`);
    expect(new Set(verdicts)).toEqual(new Set(['trivy:true', 'trivy:false', 'grype:true', 'grype:false']));
    // Every threshold fails the gate for trivy, and high and critical do for grype.
    const failing = (scanner: string): Set<string> =>
      new Set(gates.filter((g) => g.scanner === scanner && !g.passed).map((g) => g.failOn));
    expect(failing('trivy')).toEqual(new Set(['critical', 'high', 'medium', 'low']));
    expect([...failing('grype')]).toEqual(expect.arrayContaining(['critical', 'high']));
    // ignore-unfixed changes the verdict for at least one fixture.
    const flips = (['distroless-base.json.golden'] as const).map((f) => [
      expectedGate(rawFindings('trivy', f), { failOn: 'medium', ignoreUnfixed: true }).passed,
      expectedGate(rawFindings('trivy', f), { failOn: 'medium', ignoreUnfixed: false }).passed,
    ]);
    expect(flips).toEqual([[true, false]]);
  });

  it.each(table)(
    '%s %s, fail-on-severity: %s, ignore-unfixed: %s',
    async (scanner, name, failOn: FailOn, ignoreUnfixed) => {
      const fixture = fixtureFile(scanner, name);
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
    const wrapper = trivyWrapper(
      'trivy-truncating',
      '[ -n "$out" ] && head -c 300 "$out" > "$out.part" && mv "$out.part" "$out"',
    );
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

  it('a scanner that writes a complete report and then exits 1 failed: the run fails and nothing is signed', async () => {
    const { repo, ref, digest } = await pushedImage('exit-1');
    // The stand-in trivy, run whole; the scan call then ends with exit 1 (the DB download and convert do not).
    const wrapper = trivyWrapper(
      'trivy-exit-1',
      'if [ "$code" = 0 ]; then echo "FATAL\tfailed to write the cache: no space left on device" >&2; code=1; fi',
    );
    const result = await world.run({ inputs: { digest: ref, 'scanner-path': wrapper } });
    await expectUnsigned(result, repo, digest);
    expect(result.outputs['scan-passed']).toBe('false');
    expect(result.outputs.vulnerabilities).toBeUndefined();
    // The report it left is whole and valid: it is the exit that failed the scan.
    const reportFile = flagValue(scanCall('trivy').argv, '--output') ?? '';
    expect(JSON.parse(readFileSync(reportFile, 'utf8'))).toMatchObject({
      SchemaVersion: 2,
      ArtifactName: ref,
    });
    const error = errorOf(result);
    expect(error).toMatch(/^trivy image exited with code 1: the scan failed, so its report .* was not used/);
    expect(error).toContain('no space left on device');
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

  it.each([
    ['.trivyignore', (id: string) => `# accepted until the next base image\n${id} exp:2020-01-31\n`, 2],
    [
      '.trivyignore.yaml',
      (id: string) =>
        `vulnerabilities:\n  # accepted until the next base image\n  - id: ${id}\n    expired_at: 2020-01-31\n`,
      3,
    ],
  ])(
    'an expired entry in %s is a warning on its line, also with `summary: false`',
    async (name, content, line) => {
      const { ref } = await pushedImage('expired');
      const fixture = 'alpine-310.json.golden';
      const id = rawFindings('trivy', fixture)[0]?.id ?? '';
      const ws = world.workspace();
      writeFileSync(join(ws, 'app', name), content(id));
      const result = await world.run({
        workspace: ws,
        inputs: { digest: ref, summary: 'false', 'fail-on-severity': 'critical' },
        scenario: scenario({ trivy: { report: fixture } }),
      });
      expect(result.exitCode).toBe(0);
      expect(result.summary).toBe('');
      const warnings = result.annotations.filter((a) => a.title === 'Ignore entry expired');
      expect(warnings).toEqual([
        {
          level: 'warning',
          title: 'Ignore entry expired',
          file: `app/${name}`,
          line,
          message: expect.stringMatching(
            new RegExp(
              `^app/${name.replace(/\./g, '\\.')}:${line}: the ignore of ${id} expired on 2020-01-31 and no longer applies; it matches \\d+ findings? in this scan, which it no longer ignores\\. Renew or remove it\\.$`,
            ),
          ) as unknown as string,
        },
      ]);
      // It no longer ignores: the finding counts (nothing is ignored at all).
      expect(JSON.parse(result.outputs.vulnerabilities ?? '{}')).toMatchObject({ ignored: 0 });
    },
  );

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

describe('a run that fails before its scan', () => {
  it('starts no DB warm-up when the base images fail: it begins with the build', async () => {
    const { ref } = await pushedImage('early-failure');
    const result = await world.run({
      inputs: { digest: ref },
      scenario: {
        // No signature for the base image, so it is refused.
        cosign: { rules: [{ command: 'verify', delayMs: 1000 }] },
        trivy: { rules: [{ command: 'image', match: '--download-db-only', delayMs: 20_000 }] },
      },
    });
    expect(result.exitCode).toBe(1);
    expect(stageRow(result.summary, 'Base images')?.result).toBe('❌ failed');
    expect(stageRow(result.summary, 'Scan')?.result).toBe('⏹️ not run');
    expect(world.standins.calls('trivy').filter((c) => c.argv.includes('--download-db-only'))).toEqual([]);
  });

  it('stops the DB warm-up, started with the build, instead of waiting for it', async () => {
    const { ref } = await pushedImage('early-failure-sign');
    const key = await standinKeyPair(world, 'the-real-password-1');
    const signed = world.signedBase();
    const result = await world.run({
      inputs: {
        digest: ref,
        'cosign-key': key.privatePem,
        'cosign-password': 'a-wrong-password',
      },
      scenario: {
        ...signed,
        cosign: {
          ...signed.cosign,
          // The signing preflight reads the key for 2 s, then the wrong password fails the run: the DB download,
          // begun beside it, is under way.
          rules: [{ command: 'public-key', delayMs: 2000 }],
        },
        // A DB download that would take 20 s.
        trivy: { rules: [{ command: 'image', match: '--download-db-only', delayMs: 20_000 }] },
      },
    });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.find((a) => a.level === 'error')?.message).toContain('cosign-password');
    expect(stageRow(result.summary, 'Scan')?.result).toBe('⏹️ not run');
    const downloads = world.standins.calls('trivy').filter((c) => c.argv.includes('--download-db-only'));
    expect(downloads).toHaveLength(1);
    // Ended, not waited for: gone when the run is, and it never got to write the DB it would have at 20 s.
    expect(isAlive(downloads[0]?.pid ?? 0)).toBe(false);
    expect(existsSync(join(result.toolCache, 'secure-image', 'trivy-db', 'db', 'metadata.json'))).toBe(false);
    expect(result.stdout).toContain('Stopping the vulnerability DB warm-up: the run ended before its scan.');
  });
});

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const sha256 = (bytes: Buffer | string): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

interface Layer {
  Digest: string;
  DiffID: string;
}

/**
 * An image index in `repo:multi` for linux/amd64 (the busybox image) and linux/arm64 (a layer of its own), as a
 * base image built for two platforms is: each platform has other layers.
 */
async function twoPlatformImage(repo: string): Promise<{ digest: string; layers: Record<string, Layer> }> {
  const amd = await pushBaseImage(world.registry, repo, 'amd64');
  const amdManifest = await world.registry.manifest(repo, amd.digest);
  const amdBody = amdManifest?.body as { config: { digest: string }; layers: Array<{ digest: string }> };
  const amdConfig = JSON.parse(
    (await world.registry.blob(repo, amdBody.config.digest))?.toString() ?? '{}',
  ) as {
    rootfs: { diff_ids: string[] };
  };
  const tar = randomBytes(1024);
  const layer = await world.registry.putBlob(repo, gzipSync(tar));
  const config = await world.registry.putBlob(
    repo,
    Buffer.from(
      JSON.stringify({
        architecture: 'arm64',
        os: 'linux',
        config: {},
        rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
      }),
    ),
  );
  const armText = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
  });
  const arm = await world.registry.putManifest(repo, sha256(armText), OCI_MANIFEST, armText);
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      {
        mediaType: amdManifest?.mediaType,
        digest: amd.digest,
        size: Buffer.byteLength(amdManifest?.raw ?? ''),
        platform: { architecture: 'amd64', os: 'linux' },
      },
      {
        mediaType: OCI_MANIFEST,
        digest: arm,
        size: Buffer.byteLength(armText),
        platform: { architecture: 'arm64', os: 'linux' },
      },
    ],
  });
  return {
    digest: await world.registry.putManifest(repo, 'multi', OCI_INDEX, index),
    layers: {
      'linux/amd64': { Digest: amdBody.layers[0]?.digest ?? '', DiffID: amdConfig.rootfs.diff_ids[0] ?? '' },
      'linux/arm64': { Digest: layer.digest, DiffID: sha256(tar) },
    },
  };
}

/** A derived trivy report: alpine-310 with each vulnerability put on the layer `layerOf` gives it. */
function reportOnLayers(name: string, layerOf: (id: string) => Layer): string {
  const doc = JSON.parse(readFileSync(fixturePath('trivy', 'alpine-310.json.golden'), 'utf8')) as {
    Results: Array<{ Vulnerabilities?: Array<{ VulnerabilityID: string; Layer: Layer }> }>;
  };
  for (const v of doc.Results.flatMap((r) => r.Vulnerabilities ?? [])) v.Layer = layerOf(v.VulnerabilityID);
  const file = join(DERIVED, `${name}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

interface SarifResult {
  ruleId: string;
  locations: Array<{
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
  }>;
  properties: { origin: string; platforms?: string[] };
}

function sarifResults(result: RunResult): SarifResult[] {
  const sarif = JSON.parse(readFileSync(result.outputs['sarif-file'] ?? '', 'utf8')) as {
    runs: Array<{ results: SarifResult[] }>;
  };
  return sarif.runs.flatMap((r) => r.results);
}

describe("findings of the base image, on each platform's own layers", () => {
  let bases = 0;
  /** A signed two-platform base image, and what a run needs to build FROM it. */
  async function twoPlatformBase(): Promise<{
    layers: Record<string, Layer>;
    inputs: Record<string, string>;
    scenario: Scenario;
  }> {
    const repo = `secure-image/multi-base-${++bases}`;
    const base = await twoPlatformImage(repo);
    const signed = world.signedBase();
    return {
      layers: base.layers,
      inputs: { 'build-args': `REGISTRY=${world.registry.host}\nBASE=${world.registry.host}/${repo}:multi` },
      scenario: {
        cosign: {
          ...signed.cosign,
          signedImages: [
            {
              image: `${world.registry.host}/${repo}`,
              digest: base.digest,
              identity: BASE_IDENTITY,
              issuer: GITHUB_ISSUER,
            },
          ],
        },
      },
    };
  }

  /** The line of the Dockerfile's last FROM: where SARIF puts findings of the base image. */
  function finalFromLine(result: RunResult): number {
    const lines = readFileSync(join(result.workspace, 'app', 'Dockerfile'), 'utf8').split('\n');
    return (
      lines
        .map((l, i) => (/^FROM\s/i.test(l) ? i + 1 : 0))
        .filter((n) => n > 0)
        .at(-1) ?? 0
    );
  }

  it('an arm64 runner without `platforms` reads the base image\u2019s arm64 layers', async () => {
    const base = await twoPlatformBase();
    const { ref } = await pushedImage('arm64-runner');
    // CVE-2019-1549 sits on the arm64 base layer, CVE-2019-1551 on the amd64 one (so on arm64 it is the app's).
    const report = reportOnLayers('on-arm64-base', (id) =>
      id === 'CVE-2019-1549' ? (base.layers['linux/arm64'] as Layer) : (base.layers['linux/amd64'] as Layer),
    );
    const result = await world.run({
      inputs: { digest: ref, ...base.inputs },
      env: { RUNNER_ARCH: 'ARM64' },
      scenario: { ...base.scenario, trivy: { report } },
    });
    expect(result.exitCode).toBe(0);
    const line = finalFromLine(result);
    expect(line).toBeGreaterThan(1);
    const results = sarifResults(result);
    expect(new Set(results.map((r) => r.ruleId))).toEqual(new Set(['CVE-2019-1549', 'CVE-2019-1551']));
    for (const r of results) {
      const base = r.ruleId === 'CVE-2019-1549';
      expect(r.properties.origin).toBe(base ? 'base' : 'app');
      expect(r.locations[0]?.physicalLocation).toEqual({
        artifactLocation: { uri: 'app/Dockerfile' },
        region: expect.objectContaining({ startLine: base ? line : 1 }) as unknown,
      });
    }
  });

  it('a finding only on arm64 of a two-platform image is located on the FROM line', async () => {
    const base = await twoPlatformBase();
    const app = await twoPlatformImage(`acme/scan-multi-${bases}`);
    const armReport = reportOnLayers('arm64-only', (id) =>
      id === 'CVE-2019-1549'
        ? (base.layers['linux/arm64'] as Layer)
        : { Digest: sha256('app'), DiffID: sha256('app layer') },
    );
    const result = await world.run({
      inputs: {
        digest: `${world.registry.host}/acme/scan-multi-${bases}@${app.digest}`,
        platforms: 'linux/amd64,linux/arm64',
        ...base.inputs,
      },
      scenario: {
        ...base.scenario,
        trivy: {
          rules: [
            { command: 'image', match: 'linux/arm64', report: armReport },
            { command: 'image', match: 'linux/amd64', report: 'alpine-distroless.json.golden' },
          ],
        },
      },
    });
    expect(result.exitCode).toBe(0);
    const results = sarifResults(result);
    const arm = results.filter((r) => r.ruleId === 'CVE-2019-1549');
    expect(arm.length).toBeGreaterThan(0);
    for (const r of arm) {
      expect(r.properties).toMatchObject({ origin: 'base', platforms: ['linux/arm64'] });
      expect(r.locations[0]?.physicalLocation.region.startLine).toBe(finalFromLine(result));
    }
    // What is on neither platform's base layers is the build's own.
    const own = results.filter((r) => r.ruleId === 'CVE-2019-1551');
    expect(own.length).toBeGreaterThan(0);
    expect(new Set(own.map((r) => r.properties.origin))).toEqual(new Set(['app']));
  });
});

/** Every argv the stand-ins logged in the last run, as one text. */
function argvLog(): string {
  return JSON.stringify(
    (['trivy', 'grype', 'cosign'] as const).flatMap((tool) => world.standins.calls(tool).map((c) => c.argv)),
  );
}
