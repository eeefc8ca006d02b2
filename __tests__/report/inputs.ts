// Fixed inputs for the report renderers: the runs a maintainer sees most (a full pass, a gate failure,
// an unsigned base image, a pull request without push) and a very large scan. Everything a user or a
// tool controls carries hostile text somewhere, so the goldens show how it comes out.
import type { GithubContext } from '../../src/github-context.js';
import type { BaseImageEntry } from '../../src/policy/entries.js';
import { RunReport, type StageId, type StagePlan } from '../../src/report/run-report.js';
import type { SummaryInput } from '../../src/report/summary.js';
import type { Finding, Severity } from '../../src/scan/finding.js';
import type { Counts } from '../../src/scan/gate.js';
import type { ScanSummary } from '../../src/scan/scan-target.js';
import { rekorSearchUrl, verifyCommand } from '../../src/sign/args.js';
import type { SignResult } from '../../src/sign/signing.js';
import type { InstallResult, ToolReport } from '../../src/tools/install.js';

export const SHA = '4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b';
export const DIGEST = 'sha256:0308130de5715e0f2b329800e11b4001017ff2091286e9010e7a6ae014fcfa9e';
export const BASE_DIGEST = 'sha256:9f7a3651d2a04bb8eeeb8fbd650c56a6d67ddc5258518802f15fd6ced7102745';
export const IMAGE = 'ghcr.io/acme/app';
export const REPORT_FILE = '/home/runner/work/_temp/secure-image-2211/scan/trivy-report.json';
export const HOSTILE_TITLE =
  '<img src=x onerror=alert(1)> <script>alert(2)</script> | [phish](https://evil.example) **@octocat** `code`';

export const github: GithubContext = {
  repository: 'acme/app',
  sha: SHA,
  ref: 'refs/heads/main',
  serverUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  runId: '1234567890',
  runAttempt: '1',
  eventName: 'push',
  eventPath: '/home/runner/work/_temp/_github_workflow/event.json',
  workspace: '/home/runner/work/app/app',
  runnerOs: 'Linux',
  runnerArch: 'X64',
  runnerTemp: '/home/runner/work/_temp',
  toolCache: '/opt/hostedtoolcache',
};

const ALL_RUN: StagePlan = {
  tools: { run: true },
  'base-images': { run: true },
  build: { run: true },
  push: { run: true },
  scan: { run: true },
  sign: { run: true },
  attest: { run: true },
  verify: { run: true },
  publish: { run: true },
};

type StageSet = [StageId, Parameters<RunReport['set']>[1], string, number?];

export function runReport(
  plan: Partial<StagePlan>,
  sets: StageSet[],
  failure?: RunReport['failure'],
): RunReport {
  const report = new RunReport({ ...ALL_RUN, ...plan });
  for (const [id, status, detail, ms] of sets) report.set(id, status, detail, ms);
  if (failure) report.failure = failure;
  report.closeUnfinished();
  return report;
}

function tool(name: ToolReport['name'], version: string, ms: number): ToolReport {
  return {
    name,
    version,
    path: `/opt/hostedtoolcache/${name}/${version}/x64/${name}`,
    source: 'download',
    verification: [
      name === 'cosign'
        ? 'SHA-256 matches the hash embedded in secure-image'
        : `Sigstore bundle verified: signed by the ${name} release workflow`,
      `checksum in ${name === 'cosign' ? 'cosign_checksums.txt' : `${name}_${version}_checksums.txt`} matches`,
    ],
    durationMs: ms,
    url: `https://github.com/${name === 'cosign' ? 'sigstore/cosign' : 'aquasecurity/trivy'}/releases/download/v${version}/${name === 'cosign' ? 'cosign-linux-amd64' : `trivy_${version}_Linux-64bit.tar.gz`}`,
  };
}

export const tools: InstallResult = {
  cosign: tool('cosign', '3.0.6', 1840),
  scanner: tool('trivy', '0.74.0', 3120),
  downloads: [],
};

const BASE_RULE_IDENTITY = 'https://github.com/acme/base/.github/workflows/release.yml@refs/tags/v1.4.0';

export const verifiedBases: BaseImageEntry[] = [
  {
    kind: 'from',
    stage: 'build',
    line: 3,
    ref: 'golang:${GO_VERSION}',
    image: 'docker.io/library/golang:1.22',
    digest: BASE_DIGEST,
    pinned: false,
    status: 'allowed-unsigned',
    rule: 'build tools',
    signer: null,
    reason: 'rule "build tools" trusts it without a signature',
  },
  {
    kind: 'from',
    stage: '1',
    line: 11,
    ref: `ghcr.io/acme/base:1.4@${BASE_DIGEST}`,
    image: `ghcr.io/acme/base:1.4@${BASE_DIGEST}`,
    digest: BASE_DIGEST,
    pinned: true,
    status: 'verified',
    rule: 'our base images',
    signer: { identity: BASE_RULE_IDENTITY, issuer: 'https://token.actions.githubusercontent.com' },
    reason: null,
  },
];

let nextLayer = 0;
export function finding(
  id: string,
  severity: Severity,
  pkg: string,
  installed: string,
  fixed: string[],
  extra: Partial<Finding> = {},
): Finding {
  nextLayer += 1;
  return {
    id,
    aliases: [],
    severity,
    packageName: pkg,
    installedVersion: installed,
    fixedVersions: fixed,
    fixState: fixed.length > 0 ? 'fixed' : 'not-fixed',
    title: `${pkg}: ${id.toLowerCase()} issue`,
    url: `https://avd.aquasec.com/nvd/${id.toLowerCase()}`,
    origin: 'base',
    cvss: [],
    layerDigest: `sha256:${String(nextLayer).padStart(64, '0')}`,
    ...extra,
  };
}

function counts(all: Finding[], ignored: number): Counts {
  const c: Counts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0, total: 0, fixable: 0, ignored };
  for (const f of all) {
    c[f.severity] += 1;
    c.total += 1;
    if (f.fixedVersions.length > 0) c.fixable += 1;
  }
  return c;
}

export function scanOf(
  top: Finding[],
  ignored: Array<{ finding: Finding; reason: string }>,
  gate: { failOn: ScanSummary['failOn']; passed: boolean; blocking: number },
  extra: Partial<ScanSummary> = {},
): NonNullable<SummaryInput['scan']> {
  const all = [...top, ...ignored.map((i) => i.finding)];
  const fixableBySeverity = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  for (const f of all) if (f.fixedVersions.length > 0) fixableBySeverity[f.severity] += 1;
  const summary: ScanSummary = {
    scanner: 'trivy',
    scannerVersion: '0.74.0',
    imageRef: `${IMAGE}@${DIGEST}`,
    platforms: [],
    passed: gate.passed,
    failOn: gate.failOn,
    ignoreUnfixed: true,
    counts: counts(all, ignored.length),
    fixableBySeverity,
    top: [],
    blocking: gate.blocking,
    ignored: [],
    expiredIgnores: [],
    database: {
      source: 'restored',
      updatedAt: '2026-05-04T06:12:31.000Z',
      ageHours: 9.4,
      repository: 'mirror.gcr.io/aquasec/trivy-db:2',
      stale: false,
    },
    warnings: [],
    durationMs: 14_200,
    ...extra,
  };
  return { summary, reportFile: REPORT_FILE, gate: { top, ignored } };
}

export function keylessSign(reference: string): SignResult {
  const identity = {
    identity: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main',
    issuer: 'https://token.actions.githubusercontent.com',
  };
  const signer = { kind: 'keyless' as const, ...identity };
  return {
    signed: true,
    phase: 'done',
    mode: 'keyless',
    reference,
    identity,
    rekorLogIndex: 211_456_789,
    rekorUrl: rekorSearchUrl(211_456_789),
    annotations: {
      'org.opencontainers.image.source': 'https://github.com/acme/app',
      'org.opencontainers.image.revision': SHA,
      'dev.secure-image.run-url': 'https://github.com/acme/app/actions/runs/1234567890',
    },
    attestations: (['cyclonedx', 'vuln'] as const).map((type, i) => ({
      type,
      verified: true,
      rekorLogIndex: 211_456_790 + i,
      rekorUrl: rekorSearchUrl(211_456_790 + i),
      verifyCommand: verifyCommand(reference, signer, { insecure: false, attestationType: type }),
    })),
    skippedAttestations: [],
    verifyCommand: verifyCommand(reference, signer, { insecure: false }),
    durations: { sign: 2310, attest: 4120, verify: 1880 },
  };
}

const ref = `${IMAGE}@${DIGEST}`;
const common = { subject: ref, tools, dockerfile: 'Dockerfile', github };

export function fullPass(): SummaryInput {
  const top = [
    finding('CVE-2025-0913', 'medium', 'stdlib', 'v1.22.4', ['1.23.8', '1.24.2'], { origin: 'app' }),
    finding('CVE-2024-45336', 'medium', 'stdlib', 'v1.22.4', ['1.22.11']),
    finding('GHSA-qxp5-gwg8-xv66', 'low', 'golang.org/x/net', 'v0.23.0', ['0.36.0'], {
      url: undefined,
      origin: 'app',
    }),
    finding('CVE-2023-45853', 'low', 'zlib1g', '1:1.2.13.dfsg-1', [], { origin: 'base' }),
  ];
  const ignored = [
    {
      finding: finding('CVE-2024-6119', 'high', 'libssl3', '3.0.13-1~deb12u1', ['3.0.14-1~deb12u1']),
      reason: 'ignored by .trivyignore.yaml:4 (not reachable: no TLS server in this image)',
    },
  ];
  return {
    ...common,
    tags: [`${IMAGE}:1.4.2`, `${IMAGE}:latest`],
    report: runReport({}, [
      ['tools', 'passed', 'cosign 3.0.6 (downloaded, verified); trivy 0.74.0 (downloaded, verified)', 3150],
      ['base-images', 'passed', '1 verified, 1 allowed-unsigned; build pinned to the checked digests', 920],
      ['build', 'passed', 'docker from the verified digests (a Docker engine answers)', 48_300],
      ['push', 'passed', `by digest, not tagged yet: ${ref}`, 2100],
      ['scan', 'passed', '5 vulnerabilities (0 critical, 1 high, 4 fixable, 1 ignored); gate: high', 14_200],
      [
        'sign',
        'passed',
        `${ref} by https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main; Rekor log index 211456789`,
        2310,
      ],
      ['attest', 'passed', 'cyclonedx, vuln', 4120],
      ['verify', 'passed', 'signature and attestations verified with the expected identity', 1880],
      ['publish', 'passed', `2 tags → ${ref.split('@')[1] ?? ''}`, 40],
    ]),
    baseImages: verifiedBases,
    scan: scanOf(top, ignored, { failOn: 'high', passed: true, blocking: 0 }),
    sign: keylessSign(ref),
  };
}

export function gateFailure(): SummaryInput {
  const top = [
    finding('CVE-2024-45337', 'critical', 'golang.org/x/crypto', 'v0.21.0', ['0.31.0'], {
      origin: 'app',
      title: HOSTILE_TITLE,
    }),
    finding('CVE-2025-22869', 'high', 'golang.org/x/crypto', 'v0.21.0', ['0.35.0'], { origin: 'app' }),
    finding('CVE-2025-0913', 'medium', 'stdlib', 'v1.22.4', ['1.23.8'], { origin: 'app' }),
  ];
  const message = [
    'The scan found 2 vulnerabilities at or above `fail-on-severity: high` that are not ignored, so the image is not signed:',
    `- CVE-2024-45337 (critical) in golang.org/x/crypto v0.21.0: fixed in 0.31.0`,
    '- CVE-2025-22869 (high) in golang.org/x/crypto v0.21.0: fixed in 0.35.0',
    'Upgrade the packages or the base image, or, when a finding does not apply, record why in the ignore file (`ignore-file`) or a VEX document (`vex`).',
  ].join('\n');
  const ignored = [
    {
      finding: finding('CVE-2024-56171', 'high', 'libxml2', '2.9.14+dfsg-1.3~deb12u1', []),
      reason: 'no fixed version (ignore-unfixed)',
    },
  ];
  return {
    ...common,
    report: runReport(
      {},
      [
        [
          'tools',
          'passed',
          'cosign 3.0.6 (tool cache, re-verified); trivy 0.74.0 (tool cache, re-verified)',
          410,
        ],
        ['base-images', 'passed', '1 verified, 1 allowed-unsigned; build pinned to the checked digests', 880],
        ['build', 'passed', 'docker from the verified digests (a Docker engine answers)', 51_000],
        ['push', 'passed', `by digest, not tagged yet: ${ref}`, 1900],
        ['scan', 'failed', message.split('\n')[0] ?? '', 12_700],
        ['publish', 'not-run', 'not tagged: the run failed at Scan'],
      ],
      { stage: 'scan', message },
    ),
    baseImages: verifiedBases,
    scan: scanOf(
      top,
      ignored,
      { failOn: 'high', passed: false, blocking: 2 },
      {
        expiredIgnores: [
          '.trivyignore.yaml:9: the ignore of CVE-2024-45337 expired on 2026-04-30 and no longer applies; it matches 1 finding in this scan, which it no longer ignores. Renew or remove it.',
        ],
      },
    ),
  };
}

export function unsignedBase(): SummaryInput {
  const message = [
    '2 base images do not meet the trust policy:',
    `- Dockerfile:1: gcr.io/distroless/static-debian12:nonroot (distroless (built-in)): signature check failed: none of the expected identities matched what was in the certificate`,
    '- Dockerfile:5: evil/<img src=x onerror=alert(1)>:latest (no rule): not a valid image reference: invalid reference format',
  ].join('\n');
  const bases: BaseImageEntry[] = [
    {
      kind: 'syntax',
      stage: null,
      line: 1,
      ref: 'docker/dockerfile:1.10',
      image: 'docker.io/docker/dockerfile:1.10',
      digest: BASE_DIGEST,
      pinned: false,
      status: 'unmatched',
      rule: null,
      signer: null,
      reason: 'no policy rule matches docker.io/docker/dockerfile (unmatched: warn)',
    },
    {
      kind: 'from',
      stage: 'runtime',
      line: 3,
      ref: 'gcr.io/distroless/static-debian12:nonroot',
      image: 'gcr.io/distroless/static-debian12:nonroot',
      digest: 'sha256:6ec5aa99dc335666e79dc64e4a6c8b89c33a543a1967f20d360922a80dd21f02',
      pinned: false,
      status: 'failed',
      rule: 'distroless (built-in)',
      signer: null,
      reason:
        'signature check failed: none of the expected identities matched what was in the certificate, got subjects [https://github.com/evil/fork/.github/workflows/x.yml@refs/heads/main]',
    },
    {
      kind: 'copy-from',
      stage: 'runtime',
      line: 5,
      ref: 'evil/<img src=x onerror=alert(1)>:latest',
      image: 'evil/<img src=x onerror=alert(1)>:latest',
      digest: null,
      pinned: false,
      status: 'failed',
      rule: null,
      signer: null,
      reason: 'not a valid image reference: invalid reference format | [x](javascript:alert(1))',
    },
  ];
  return {
    ...common,
    subject: `${IMAGE}:sha-4f3c2b1`,
    report: runReport(
      {},
      [
        ['tools', 'passed', 'cosign 3.0.6 (downloaded, verified); trivy 0.74.0 (downloaded, verified)', 3000],
        ['base-images', 'failed', message.split('\n')[0] ?? '', 2400],
      ],
      { stage: 'base-images', message },
    ),
    baseImages: bases,
  };
}

export function noPush(): SummaryInput {
  const top = [finding('CVE-2025-0913', 'medium', 'stdlib', 'v1.22.4', ['1.23.8'], { origin: 'app' })];
  const report = runReport(
    {
      push: { run: false, reason: '`push: false`: the image stays on this machine' },
      sign: { run: false, reason: 'nothing was pushed, so there is no digest to sign' },
      attest: { run: false, reason: 'nothing is signed' },
      verify: { run: false, reason: 'nothing is signed' },
      publish: { run: false, reason: 'nothing is pushed' },
    },
    [
      [
        'tools',
        'passed',
        'cosign 3.0.6 (tool cache, re-verified); trivy 0.74.0 (tool cache, re-verified)',
        380,
      ],
      ['base-images', 'warning', '2 verified; build pinned to the checked digests', 700],
      [
        'build',
        'passed',
        'buildah from the verified digests, into an OCI archive on this machine (no Docker engine answered; buildah is installed)',
        39_800,
      ],
      ['scan', 'passed', '1 vulnerabilities (0 critical, 0 high, 1 fixable, 0 ignored); gate: high', 9100],
    ],
  );
  report.notices.push(
    'Nothing was pushed (`push: false`): the image is in an OCI archive on this machine only.',
  );
  return {
    ...common,
    github: { ...github, eventName: 'pull_request', ref: 'refs/pull/7/merge', pullRequest: 7 },
    subject: `${IMAGE}:pr-7`,
    report,
    baseImages: verifiedBases,
    scan: scanOf(top, [], { failOn: 'high', passed: true, blocking: 0 }),
  };
}

const SEVERITY_CYCLE: Severity[] = ['critical', 'high', 'medium', 'low', 'unknown'];

/** A scan of an old fat image: `n` findings, every title long and hostile, and half as many ignored. */
export function hugeScan(n: number): SummaryInput {
  const top: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const severity = SEVERITY_CYCLE[i % SEVERITY_CYCLE.length] ?? 'unknown';
    top.push(
      finding(
        `CVE-2020-${String(10_000 + i)}`,
        severity,
        `lib-package-${i % 700}`,
        `1.${i % 50}.0-r${i % 9}`,
        i % 3 === 0 ? [] : [`1.${i % 50}.1`],
        {
          title: `${HOSTILE_TITLE} ${'x'.repeat(400)}`,
          origin: i % 2 === 0 ? 'base' : 'app',
        },
      ),
    );
  }
  const ignored = top.slice(0, Math.floor(n / 2)).map((f) => ({
    finding: { ...f, id: `${f.id}-IGN` },
    reason: `ignored by .trivyignore:${f.id} ${'y'.repeat(200)}`,
  }));
  const input = fullPass();
  return {
    ...input,
    report: runReport({}, [
      ['tools', 'passed', 'cosign 3.0.6 (downloaded, verified); trivy 0.74.0 (downloaded, verified)', 3150],
      ['base-images', 'passed', '1 verified, 1 allowed-unsigned; build pinned to the checked digests', 920],
      ['build', 'passed', 'docker from the verified digests (a Docker engine answers)', 48_300],
      ['push', 'passed', `by digest, not tagged yet: ${ref}`, 2100],
      ['scan', 'passed', `${n} vulnerabilities; gate: never`, 94_200],
      [
        'sign',
        'passed',
        `${ref} by https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main`,
        2310,
      ],
      ['attest', 'passed', 'cyclonedx, vuln', 4120],
      ['verify', 'passed', 'signature and attestations verified with the expected identity', 1880],
      ['publish', 'passed', `2 tags → ${ref.split('@')[1] ?? ''}`, 40],
    ]),
    scan: scanOf(top, ignored, { failOn: 'never', passed: true, blocking: 0 }),
  };
}
