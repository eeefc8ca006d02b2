// The real trivy and grype (built by scripts/install-real-tools.sh at the catalog's versions) through dist/index.js,
// against vulnerability DBs the set-up writes itself with the scanners' own Go packages (secure-image-vulndb,
// __tests__/harness/vulndb.ts): a Debian 12 busybox base image with one package, an app that adds another, and a
// handful of advisories with fixed and unfixed versions and several severities. The DB reaches the action as a
// runner has it from an earlier job: in the directory under RUNNER_TOOL_CACHE that the warm-up keeps it in. The
// runner reaches out only through a proxy that leads the scanners' DB hosts nowhere, so no DB is downloaded, in CI
// either. Every assertion reads what the real scanners reported: an empty scan fails each of them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startForwardProxy, type ForwardProxy } from '../harness/forward-proxy.js';
import { realTools, skipReason } from '../harness/real-tools.js';
import type { RunResult } from '../harness/runner.js';
import type { Scenario } from '../harness/standins.js';
import {
  APP_PACKAGE,
  BASE_PACKAGE,
  expectedFindings,
  pushDebianBase,
  seedToolCache,
  writeAppContext,
  writeVulnDbs,
  type Advisory,
  type VulnDbs,
} from '../harness/vulndb.js';
import { stageRow } from './expectations.js';
import {
  BASE_IDENTITY,
  GITHUB_ISSUER,
  explain,
  startOfflineWorld,
  type OfflineWorld,
} from './offline-world.js';

const missing = skipReason(['trivy', 'grype', 'secure-image-vulndb'], 'real scanner end-to-end tests');
const suite = missing ? describe.skip : describe;

const BASE_REPO = 'secure-image/debian-busybox';
/** The DB says it was built this long before the run: the summary's age line shows it. */
const DB_AGE_HOURS = 5;

let world: OfflineWorld;
let proxy: ForwardProxy;
let dbs: VulnDbs;
let base: { ref: string; digest: string };
let tools: { trivy: string; grype: string; vulndb: string };
let images = 0;

beforeAll(async () => {
  if (missing) return;
  const found = realTools(['trivy', 'grype', 'secure-image-vulndb']).tools;
  if (!found) return;
  tools = {
    trivy: found.path('trivy'),
    grype: found.path('grype'),
    vulndb: found.path('secure-image-vulndb'),
  };
  world = await startOfflineWorld();
  // The scanners' DB hosts lead nowhere (a closed loopback port); loopback itself is reached directly.
  proxy = await startForwardProxy(
    Object.fromEntries(
      ['mirror.gcr.io:443', 'ghcr.io:443', 'grype.anchore.io:443', 'toolbox-data.anchore.io:443'].map((h) => [
        h,
        '127.0.0.1:1',
      ]),
    ),
  );
  const [written, pushed] = await Promise.all([
    writeVulnDbs(tools.vulndb, mkdtempSync(join(world.dir, 'vulndb-')), {
      built: new Date(Date.now() - DB_AGE_HOURS * 3_600_000),
    }),
    pushDebianBase(world.registry, BASE_REPO, '12'),
  ]);
  dbs = written;
  base = pushed;
}, 180_000);

afterAll(async () => {
  await proxy?.stop();
  await world?.stop();
});

/** The stand-in cosign knows the Debian base as signed by the base's release workflow, as the policy wants. */
function scenario(): Scenario {
  const signed = world.signedBase();
  return {
    ...signed,
    cosign: {
      ...signed.cosign,
      signedImages: [
        ...(signed.cosign?.signedImages ?? []),
        {
          image: `${world.registry.host}/${BASE_REPO}`,
          digest: base.digest,
          identity: BASE_IDENTITY,
          issuer: GITHUB_ISSUER,
        },
      ],
    },
  };
}

/**
 * One run of the action with the real `scanner`, its DB seeded into a fresh tool cache: it builds the app (the
 * Debian base + APP_PACKAGE), pushes, scans, and signs when the gate passes. `files` go into the workspace.
 */
async function scanRun(
  scanner: 'trivy' | 'grype',
  inputs: Record<string, string>,
  files: Record<string, string> = {},
): Promise<RunResult> {
  const toolCache = mkdtempSync(join(world.dir, `tool-cache-${scanner}-`));
  seedToolCache(toolCache, scanner, dbs);
  const workspace = world.workspace();
  writeAppContext(join(workspace, 'app'), `${world.registry.host}/${BASE_REPO}:12`);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(workspace, name), content);
  const result = await world.run({
    scenario: scenario(),
    workspace,
    toolCache,
    inputs: {
      image: `${world.registry.host}/acme/real-scan-${scanner}-${++images}`,
      scanner,
      'scanner-path': scanner === 'trivy' ? tools.trivy : tools.grype,
      ...inputs,
    },
    env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1,localhost' },
    timeoutMs: 150_000,
  });
  return result;
}

const SEVERITY_KEYS = ['critical', 'high', 'medium', 'low'] as const;

/** The `vulnerabilities` output the advisories call for, with `ignore-unfixed` on (the default). */
function expectedCounts(): Record<string, number> {
  const found = expectedFindings();
  const counts: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  for (const a of found) counts[a.severity.toLowerCase()] = (counts[a.severity.toLowerCase()] ?? 0) + 1;
  const fixable = found.filter((a) => a.fixed !== '').length;
  return { ...counts, total: found.length, fixable, ignored: found.length - fixable };
}

/** The summary's findings table rows (shown and ignored): id → the row's cells. */
function summaryRows(summary: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of summary.split('\n')) {
    const cells = line.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '').trim());
    const id = /\[(CVE-[\d-]+)\]/.exec(cells[1] ?? '')?.[1];
    if (id) rows.set(id, cells);
  }
  return rows;
}

const originOf = (a: Advisory): string => (a.package === BASE_PACKAGE.name ? 'base image' : 'app');

/** What every passing run shows, whichever scanner found it. */
function expectReportedAsAdvised(scanner: 'trivy' | 'grype', result: RunResult): void {
  if (result.exitCode !== 0) throw new Error(explain(result));
  expect(result.outputs['scan-passed']).toBe('true');
  expect(JSON.parse(result.outputs.vulnerabilities ?? '{}')).toEqual(expectedCounts());

  // The summary: the counts, the DB's age as it states it, each finding with its package, versions and origin.
  const counts = expectedCounts();
  expect(result.summary).toContain(
    `${counts.total} vulnerabilities found, ${counts.fixable} fixable, ${counts.ignored} ignored. Vulnerability database: built ${dbs.built.toISOString().replace(/\.\d+Z$/, 'Z')} (${DB_AGE_HOURS} h old), from the tool cache.`,
  );
  for (const key of SEVERITY_KEYS) {
    const advised = expectedFindings().filter((a) => a.severity.toLowerCase() === key);
    const fixable = advised.filter((a) => a.fixed !== '').length;
    expect(result.summary).toContain(
      `| ${key[0]?.toUpperCase()}${key.slice(1)} | ${advised.length} | ${fixable} |`,
    );
  }
  expect(stageRow(result.summary, 'Scan')?.detail).toContain(
    `${counts.total} vulnerabilities (${counts.critical} critical, ${counts.high} high, ${counts.fixable} fixable, ${counts.ignored} ignored)`,
  );
  const rows = summaryRows(result.summary);
  expect([...rows.keys()].sort()).toEqual(
    expectedFindings()
      .map((a) => a.id)
      .sort(),
  );
  for (const a of expectedFindings()) {
    const row = rows.get(a.id) ?? [];
    const installed = a.package === BASE_PACKAGE.name ? BASE_PACKAGE.version : APP_PACKAGE.version;
    expect(row).toContain(`\`${a.package}\``);
    expect(row).toContain(`\`${installed}\` → ${a.fixed ? `\`${a.fixed}\`` : 'no fix yet'}`);
    // Unfixed ones are in the ignored table, which gives the reason instead of the origin.
    if (a.fixed) expect(row).toContain(originOf(a));
    else expect(row).toContain('no fixed version (ignore-unfixed)');
  }

  // SARIF: one rule per finding that counts (what code scanning should alert on; the unfixed ones are ignored by
  // `ignore-unfixed`), each result on its package.
  const counted = expectedFindings().filter((a) => a.fixed !== '');
  const sarif = JSON.parse(readFileSync(result.outputs['sarif-file'] ?? '', 'utf8')) as {
    runs: Array<{
      tool: { driver: { name: string; rules: Array<{ id: string }> } };
      results: Array<{ ruleId: string; message: { text: string } }>;
    }>;
  };
  const run = sarif.runs[0];
  expect(run?.tool.driver.rules.map((r) => r.id).sort()).toEqual(counted.map((a) => a.id).sort());
  for (const a of counted) {
    const results = run?.results.filter((r) => r.ruleId === a.id) ?? [];
    expect(results.length).toBeGreaterThanOrEqual(1);
    expect(results.map((r) => r.message.text).join('\n')).toContain(a.package);
  }

  // The CycloneDX SBOM lists both packages at their installed versions, as Debian packages.
  const sbom = JSON.parse(readFileSync(result.outputs['sbom-file'] ?? '', 'utf8')) as {
    bomFormat: string;
    components?: Array<{ name: string; version?: string; purl?: string }>;
  };
  expect(sbom.bomFormat).toBe('CycloneDX');
  for (const pkg of [BASE_PACKAGE, APP_PACKAGE]) {
    const component = sbom.components?.find((c) => c.name === pkg.name);
    expect(component?.version).toBe(pkg.version);
    expect(component?.purl).toMatch(
      new RegExp(`^pkg:deb/debian/${pkg.name}@${pkg.version.replace(/\./g, '\\.')}`),
    );
  }

  // The vuln attestation: cosign attested a predicate that holds each finding, its fix and where it came from.
  const digest = result.outputs.digest ?? '';
  const attests = world.standins
    .calls('cosign')
    .filter((c) => c.command === 'attest' && c.argv.includes('vuln'));
  expect(attests).toHaveLength(1);
  const attested = world.standins
    .signatures()
    .filter((s) => s.kind === 'attestation' && s.digest === digest && s.predicateType === COSIGN_VULN);
  expect(attested).toHaveLength(1);
  const predicate = attested[0]?.predicate as {
    scanner: {
      db: { uri: string; version: string };
      result: {
        scanner: string;
        dbUpdatedAt?: string;
        summary: Record<string, number>;
        findings: Array<{
          id: string;
          severity: string;
          package: { name: string; version: string };
          fixedVersions: string[];
          origin: string;
        }>;
      };
    };
  };
  // The DB it scanned with: its build time, and no claim of a repository it was downloaded from (it was not: trivy
  // found it current, grype could not reach its listing); grype's DB carries its own record of where it came from.
  expect(predicate.scanner.db).toEqual({
    uri: scanner === 'trivy' ? '' : 'secure-image-vulndb',
    version: new Date(dbs.built.getTime() - (dbs.built.getTime() % 1000)).toISOString(),
  });
  const vulnResult = predicate.scanner.result;
  expect(vulnResult.scanner).toBe(scanner);
  expect(vulnResult.summary).toEqual({
    critical: counts.critical,
    high: counts.high,
    medium: counts.medium,
    low: counts.low,
    unknown: 0,
    total: counts.total,
  });
  expect(
    vulnResult.findings
      .map((f) => ({
        id: f.id,
        severity: f.severity,
        package: f.package.name,
        fixedVersions: f.fixedVersions,
        origin: f.origin,
      }))
      .sort((x, y) => (x.id < y.id ? -1 : 1)),
  ).toEqual(
    expectedFindings()
      .map((a) => ({
        id: a.id,
        severity: a.severity.toLowerCase(),
        package: a.package,
        fixedVersions: a.fixed ? [a.fixed] : [],
        origin: a.package === BASE_PACKAGE.name ? 'base' : 'app',
      }))
      .sort((x, y) => (x.id < y.id ? -1 : 1)),
  );
}

const COSIGN_VULN = 'https://cosign.sigstore.dev/attestation/vuln/v1';

suite('real scanners against a DB the tests wrote', () => {
  it('trivy: the findings, their counts, origins and fixes reach the summary, SARIF, SBOM and vuln attestation', async () => {
    const result = await scanRun('trivy', { 'fail-on-severity': 'never' });
    expectReportedAsAdvised('trivy', result);
    // The DB in the tool cache was current (its NextUpdate is ahead): trivy asked no DB repository for a new one.
    expect(proxy.log().filter((l) => /mirror\.gcr\.io|ghcr\.io/.test(l))).toEqual([]);
  }, 240_000);

  it('grype: the same, from its own report; without a network the DB from the tool cache is used, and said so', async () => {
    const before = proxy.log().length;
    const result = await scanRun('grype', { 'fail-on-severity': 'never' });
    expectReportedAsAdvised('grype', result);
    // `grype db update` always asks its listing; the runner cannot reach it, so the warm-up says it scanned with
    // the DB it had.
    expect(proxy.log().slice(before)).toContain('CONNECT grype.anchore.io:443');
    expect(result.summary).toMatch(
      /Could not refresh the grype vulnerability DB; scanning with the one from/,
    );
  }, 240_000);

  /** The gate's failure as the job shows it: its error annotation, one `- <id> (<severity>) in …` line a finding. */
  function blockingIds(result: RunResult): string[] {
    const failed = result.annotations.find(
      (a) => a.level === 'error' && a.title === 'Vulnerability gate failed',
    );
    return [...(failed?.message ?? '').matchAll(/^- (CVE-[\d-]+) \(/gm)].map((m) => m[1] ?? '').sort();
  }

  function expectGateFailed(result: RunResult, blocking: string[]): void {
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs['scan-passed']).toBe('false');
    expect(result.outputs.signed).not.toBe('true');
    expect(blockingIds(result)).toEqual([...blocking].sort());
    // Nothing was attested about an image that failed its gate.
    expect(world.standins.calls('cosign').filter((c) => c.command === 'attest')).toEqual([]);
  }

  const fixedAtOrAbove = (severities: string[]): string[] =>
    expectedFindings()
      .filter((a) => a.fixed !== '' && severities.includes(a.severity))
      .map((a) => a.id);

  it('trivy, the default gate (high, unfixed ignored): the fixable critical in the base image fails it', async () => {
    const result = await scanRun('trivy', {});
    expectGateFailed(result, fixedAtOrAbove(['CRITICAL', 'HIGH']));
    expect(blockingIds(result)).toEqual(['CVE-2099-1001']);
  }, 240_000);

  const ignoreTable: Array<[string, string[]]> = [
    ['true', []],
    ['false', ['CVE-2099-1002', 'CVE-2099-2001']],
  ];
  it.each(ignoreTable)(
    'trivy, the fixable critical ignored by the ignore file, ignore-unfixed: %s',
    async (ignoreUnfixed, blocking) => {
      const result = await scanRun(
        'trivy',
        { 'ignore-unfixed': ignoreUnfixed, 'ignore-file': 'app/.trivyignore' },
        { 'app/.trivyignore': '# fixed upstream of us, rebuilt next week\nCVE-2099-1001\n' },
      );
      if (blocking.length === 0) {
        if (result.exitCode !== 0) throw new Error(explain(result));
        // Left: the medium and the low of the app, below the gate; the unfixed ones are ignored.
        expect(result.outputs['scan-passed']).toBe('true');
        expect(JSON.parse(result.outputs.vulnerabilities ?? '{}')).toMatchObject({ total: 5, ignored: 3 });
      } else {
        // The unfixed critical of the app and the unfixed high of the base now count.
        expectGateFailed(result, blocking);
      }
    },
    240_000,
  );

  it('grype, the default gate: the same fixable critical fails it', async () => {
    const result = await scanRun('grype', {});
    expectGateFailed(result, ['CVE-2099-1001']);
  }, 240_000);
});
