// Issue 18: the whole pipeline with the real tools, no stand-in: the real buildx and BuildKit (remote driver), trivy
// on a vulnerability DB the set-up writes (secure-image-vulndb) and kept where a runner keeps it, cosign keyless
// against a private Sigstore the harness starts (the real Fulcio and timestamp authority, the harness's OIDC
// issuer), and a base image signed by its publisher's key, checked by the gate with the real cosign. The action runs
// as dist/index.js. Against it, the same steps run one after another as a workflow of anchors would (a cosign
// verify step, build-push-action, trivy-action, cosign sign and attest, cosign verify), each timed: their sum is the
// sequential baseline, and the longest path through their dependency graph (the action's schedule: the checks after
// signing run at once; sign and the attestations one after another, sigstore/cosign#2432) is the critical path of
// the real tools' own work. Pairs interleaved. Tools and DB are in place on both sides: no download is timed.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startOfflineWorld, type OfflineWorld } from '../__tests__/e2e/offline-world.js';
import { startForwardProxy } from '../__tests__/harness/forward-proxy.js';
import { startPrivateSigstore } from '../__tests__/harness/private-sigstore.js';
import {
  keyRulePolicy,
  publisherSignArgs,
  realTools,
  startBuildkitd,
  type RealToolName,
} from '../__tests__/harness/real-tools.js';
import {
  ADVISORIES,
  pushDebianBase,
  seedToolCache,
  writeAppContext,
  writeVulnDbs,
} from '../__tests__/harness/vulndb.js';
import { verifyArgs, verifyAttestationArgs, type Signer } from '../src/cosign/args.js';
import { trivyConvertArgs, trivyEnv, trivyScanArgs } from '../src/scan/args.js';
import { attestArgs, signArgs } from '../src/sign/args.js';
import { criticalPathOf, fmtRange, pairRatios, summarize } from './measure.js';
import { formatTable, loadNow, stageDurations, type BenchRow } from './table.js';

const runs = Number(process.env.BENCH_REAL_PIPELINE_RUNS ?? 3);
const NEEDED: RealToolName[] = [
  'cosign',
  'trivy',
  'secure-image-vulndb',
  'buildx',
  'buildkitd',
  'buildctl',
  'fulcio',
  'timestamp-server',
];
const { tools, missing } = realTools(NEEDED);
if (!tools) throw new Error(`real-pipeline: ${missing ?? 'the real tools are missing'}`);
const cosign = tools.path('cosign');
const trivy = tools.path('trivy');
const PATH = process.env.PATH ?? '/usr/bin:/bin';
const BASE_REPO = 'secure-image/debian-busybox';
const IDENTITY = 'https://github.com/acme/hello/.github/workflows/release.yml@refs/heads/main';

const world: OfflineWorld = await startOfflineWorld({ selfIssuedOidc: true });
const sigstore = await startPrivateSigstore(tools, world.oidc);
const buildkitd = await startBuildkitd(tools);
// The scanners' DB hosts lead nowhere: a current DB in place is used, and nothing is downloaded.
const proxy = await startForwardProxy(
  Object.fromEntries(['mirror.gcr.io:443', 'ghcr.io:443'].map((h) => [h, '127.0.0.1:1'])),
);
const root = mkdtempSync(join(world.dir, 'real-pipeline-'));
const host = world.registry.host;

// The base image, signed by its publisher's key without a log entry; the policy trusts that key.
const base = await pushDebianBase(world.registry, BASE_REPO, '12');
const baseRef = `${host}/${BASE_REPO}@${base.digest}`;
const publisher = join(root, 'publisher');
mkdirSync(publisher);
const password = 'real-pipeline-publisher';
await exec(cosign, ['generate-key-pair'], { cwd: publisher, env: { COSIGN_PASSWORD: password } });
await exec(cosign, publisherSignArgs(join(publisher, 'cosign.key'), baseRef), {
  env: { COSIGN_PASSWORD: password },
});
const publicKey = join(publisher, 'cosign.pub');
const policy = keyRulePolicy('our base', `127.0.0.1:*/${BASE_REPO}`, readFileSync(publicKey, 'utf8'));
// The harness's advisories, none at or above the default gate (high): the scan finds them, the run goes on to sign.
const dbs = await writeVulnDbs(tools.path('secure-image-vulndb'), join(root, 'vulndb'), {
  built: new Date(Date.now() - 3_600_000),
  advisories: ADVISORIES.map((a) =>
    a.severity === 'CRITICAL' || a.severity === 'HIGH' ? { ...a, severity: 'MEDIUM' as const } : a,
  ),
});

function exec(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd ?? root,
        env: { PATH, HOME: root, ...options.env },
        maxBuffer: 256 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`${command} ${args.join(' ')}: ${stderr || error.message}`))
          : resolve(stdout),
    );
  });
}

/**
 * The app's context with a file of this run's own, so BuildKit builds its last layers every time on both sides; with
 * `runSeconds`, a RUN step after it that takes that long, as an app's build does (busybox's sleep: the base image has
 * busybox and /bin/sh only).
 */
let contexts = 0;
function appWorkspace(runSeconds: number): string {
  const ws = world.workspace(policy);
  const app = join(ws, 'app');
  writeAppContext(app, `${host}/${BASE_REPO}:12`);
  writeFileSync(join(app, 'stamp.txt'), `run ${++contexts} ${Date.now()}\n`);
  writeFileSync(
    join(app, 'Dockerfile'),
    readFileSync(join(app, 'Dockerfile'), 'utf8').replace(
      'USER 65532',
      `COPY stamp.txt /stamp.txt\n${runSeconds > 0 ? `RUN ["/bin/busybox", "sleep", "${runSeconds}"]\n` : ''}USER 65532`,
    ),
  );
  mkdirSync(join(ws, 'sigstore'));
  copyFileSync(sigstore.trustedRoot, join(ws, 'sigstore', 'trusted_root.json'));
  copyFileSync(sigstore.signingConfig, join(ws, 'sigstore', 'signing_config.json'));
  return ws;
}

const proxyEnv = { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1,localhost' };

// ---------------------------------------------------------------------------------------------------------------
// The action, as dist/index.js.

interface ActionRun {
  wallMs: number;
  stages: Record<string, number>;
  /** The programs it ran, in the order their runs ended, with their times (its exec wrapper's debug lines). */
  commands: string[];
}

let actionRuns = 0;
async function runTheAction(runSeconds: number): Promise<ActionRun> {
  const n = ++actionRuns;
  const toolCache = mkdtempSync(join(root, 'tool-cache-'));
  seedToolCache(toolCache, 'trivy', dbs);
  const result = await world.run({
    workspace: appWorkspace(runSeconds),
    toolCache,
    timeoutMs: 300_000,
    inputs: {
      image: `${host}/bench/real-action`,
      tags: `run-${n}`,
      builder: 'docker',
      'cosign-path': cosign,
      'scanner-path': trivy,
      'sigstore-trusted-root': 'sigstore/trusted_root.json',
      'sigstore-signing-config': 'sigstore/signing_config.json',
    },
    env: { ...proxyEnv, DOCKER_CONFIG: buildkitd.dockerConfig },
  });
  if (result.exitCode !== 0)
    throw new Error(
      `action run ${n} failed:\n${result.summary}\n${result.stdout.slice(-4000)}\n${sigstore.logs()}`,
    );
  if (!/\| Sign \| ✅ passed/.test(result.summary))
    throw new Error(`action run ${n} did not sign:\n${result.summary}`);
  const commands = [...result.stdout.matchAll(/^::debug::(.+): exit \d+ in (\d+) ms$/gm)].map(
    (m) => `${m[1] ?? ''} ${m[2] ?? ''} ms`,
  );
  return { wallMs: result.durationMs, stages: stageDurations(result.summary), commands };
}

// ---------------------------------------------------------------------------------------------------------------
// The same steps, one after another, as separate workflow steps would run them.

type StepId =
  | 'base-verify'
  | 'build'
  | 'scan'
  | 'sbom'
  | 'vuln-predicate'
  | 'sign'
  | 'attest-sbom'
  | 'attest-vuln'
  | 'attest-provenance'
  | 'verify'
  | 'verify-sbom'
  | 'verify-vuln'
  | 'verify-provenance';

/** What waits for what, as the action schedules it. */
const AFTER: Record<StepId, StepId[]> = {
  'base-verify': [],
  build: ['base-verify'],
  scan: ['build'],
  sbom: ['scan'],
  'vuln-predicate': ['scan'],
  sign: ['scan'],
  'attest-sbom': ['sign', 'sbom'],
  'attest-vuln': ['attest-sbom', 'vuln-predicate'],
  'attest-provenance': ['attest-vuln'],
  verify: ['sign'],
  'verify-sbom': ['attest-sbom'],
  'verify-vuln': ['attest-vuln'],
  'verify-provenance': ['attest-provenance'],
};

function criticalPath(ms: Record<StepId, number>): number {
  return criticalPathOf(Object.entries(AFTER) as Array<[StepId, StepId[]]>, ms).ms;
}

async function idToken(): Promise<string> {
  const response = await fetch(`${world.oidc.requestUrl}&audience=sigstore`, {
    headers: { authorization: `Bearer ${world.oidc.requestToken}` },
  });
  if (!response.ok) throw new Error(`OIDC token: HTTP ${response.status}`);
  return ((await response.json()) as { value: string }).value;
}

let compositeRuns = 0;
async function runComposite(runSeconds: number): Promise<{ wallMs: number; steps: Record<StepId, number> }> {
  const n = ++compositeRuns;
  const ws = appWorkspace(runSeconds);
  const dir = mkdtempSync(join(root, 'composite-'));
  const files = {
    metadata: join(dir, 'metadata.json'),
    report: join(dir, 'report.json'),
    sbom: join(dir, 'sbom.cdx.json'),
    vuln: join(dir, 'vuln.json'),
    provenance: join(dir, 'provenance.json'),
  };
  // trivy-action's cache, restored from the Actions cache before the step: the same DB, not timed.
  seedToolCache(dir, 'trivy', dbs);
  const trivyCache = join(dir, 'secure-image', 'trivy-db');
  const sigstoreFiles = {
    signingConfig: join(ws, 'sigstore', 'signing_config.json'),
    trustedRoot: join(ws, 'sigstore', 'trusted_root.json'),
  };
  const trust = {
    trustedRoot: sigstoreFiles.trustedRoot,
    ignoreSct: true,
    ignoreTlog: true,
    signedTimestamps: true,
  };
  const signer: Signer = { kind: 'keyless', identity: IDENTITY, issuer: sigstore.issuer, trust };
  const steps = {} as Record<StepId, number>;
  const step = async (id: StepId, fn: () => Promise<unknown>): Promise<void> => {
    const started = performance.now();
    await fn();
    steps[id] = performance.now() - started;
  };
  let ref = '';
  let token = '';
  const started = performance.now();
  await step('base-verify', () =>
    exec(cosign, verifyArgs(baseRef, { kind: 'key', key: publicKey, ignoreTlog: true }, true)),
  );
  await step('build', async () => {
    await exec(
      'docker',
      [
        'buildx',
        'build',
        '--metadata-file',
        files.metadata,
        '--provenance=false',
        '--output',
        `type=image,name=${host}/bench/real-composite:run-${n},push=true`,
        join(ws, 'app'),
      ],
      { env: { DOCKER_CONFIG: buildkitd.dockerConfig } },
    );
    const digest = (JSON.parse(readFileSync(files.metadata, 'utf8')) as Record<string, string>)[
      'containerimage.digest'
    ];
    ref = `${host}/bench/real-composite@${digest ?? ''}`;
  });
  const trivyRun = { env: { ...trivyEnv(), ...proxyEnv } };
  await step('scan', () =>
    exec(
      trivy,
      trivyScanArgs({
        target: { kind: 'registry', ref },
        cacheDir: trivyCache,
        output: files.report,
        insecure: true,
        timeoutSeconds: 600,
      }),
      trivyRun,
    ),
  );
  await step('sbom', () => exec(trivy, trivyConvertArgs('cyclonedx', files.report, files.sbom), trivyRun));
  await step('vuln-predicate', () =>
    exec(trivy, trivyConvertArgs('cosign-vuln', files.report, files.vuln), trivyRun),
  );
  // actions/attest-build-provenance's part: a SLSA v1 predicate for the pushed digest (its content costs nothing).
  writeFileSync(
    files.provenance,
    JSON.stringify({
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        resolvedDependencies: [
          { uri: `oci://${host}/${BASE_REPO}`, digest: { sha256: base.digest.slice(7) } },
        ],
      },
      runDetails: { builder: { id: 'https://github.com/actions/runner' } },
    }),
  );
  const signEnv = (): { env: Record<string, string> } => ({ env: { SIGSTORE_ID_TOKEN: token } });
  await step('sign', async () => {
    token = await idToken();
    await exec(
      cosign,
      signArgs({
        reference: ref,
        recursive: false,
        annotations: [],
        insecure: true,
        sigstore: sigstoreFiles,
      }),
      signEnv(),
    );
  });
  for (const [id, type, predicate] of [
    ['attest-sbom', 'cyclonedx', files.sbom],
    ['attest-vuln', 'vuln', files.vuln],
    ['attest-provenance', 'slsaprovenance1', files.provenance],
  ] as const) {
    await step(id, () =>
      exec(
        cosign,
        attestArgs({
          reference: ref,
          type,
          predicateFile: predicate,
          insecure: true,
          sigstore: sigstoreFiles,
        }),
        signEnv(),
      ),
    );
  }
  await step('verify', () => exec(cosign, verifyArgs(ref, signer, true)));
  for (const [id, type] of [
    ['verify-sbom', 'cyclonedx'],
    ['verify-vuln', 'vuln'],
    ['verify-provenance', 'slsaprovenance1'],
  ] as const) {
    await step(id, () => exec(cosign, verifyAttestationArgs(ref, signer, type, true)));
  }
  return { wallMs: performance.now() - started, steps };
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * The app's build: the example as it is (the fixed costs show), and with a RUN step of 20 s, the build issue 8's
 * schedule (bench/pipeline.ts) takes, so that both pipeline figures weigh the action's own time against the same
 * build.
 */
const RUN_SECONDS = [0, Number(process.env.BENCH_REAL_PIPELINE_RUN_SECONDS ?? 20)];
interface Measured {
  runSeconds: number;
  actions: ActionRun[];
  composites: Array<Awaited<ReturnType<typeof runComposite>>>;
}
const measured: Measured[] = [];
try {
  // One of each first, not counted: BuildKit pulls the base image's layers, the page cache warms.
  await runTheAction(0);
  await runComposite(0);
  for (const runSeconds of RUN_SECONDS) {
    const m: Measured = { runSeconds, actions: [], composites: [] };
    measured.push(m);
    for (let i = 0; i < runs; i++) {
      m.actions.push(await runTheAction(runSeconds));
      m.composites.push(await runComposite(runSeconds));
      process.stderr.write(
        `real-pipeline: RUN ${runSeconds} s, run ${i + 1}: action ${Math.round(m.actions.at(-1)?.wallMs ?? 0)} ms, steps ${Math.round(m.composites.at(-1)?.wallMs ?? 0)} ms\n`,
      );
    }
  }
} finally {
  await proxy.stop();
  await buildkitd.stop();
  await sigstore.stop();
  await world.stop();
}

const ms = (values: number[]): string => fmtRange(summarize(values), 0, ' ms');
const ratio = (values: number[], baselines: number[]): string =>
  fmtRange(summarize(pairRatios(values, baselines)), 3, '×');
const load = loadNow();
const rows: BenchRow[] = [];
for (const { runSeconds, actions, composites } of measured) {
  const wall = actions.map((a) => a.wallMs);
  const paths = composites.map((c) => criticalPath(c.steps));
  const sequential = composites.map((c) => c.wallMs);
  const scanStage = actions.map((a) => a.stages['Scan'] ?? Number.NaN);
  const bareScan = composites.map((c) => c.steps.scan);
  const bareScanConvert = composites.map((c) => c.steps.scan + c.steps.sbom);
  const app =
    runSeconds > 0
      ? `the app with a RUN step of ${runSeconds} s`
      : 'the app as it is (a COPY: every step is short, the fixed costs show)';
  const headline = runSeconds > 0;
  rows.push(
    {
      part: 'real-pipeline',
      figure: `issue 18: action wall time (dist/index.js; real buildx + BuildKit, trivy on a test-built DB, cosign keyless against a private Fulcio + timestamp authority, a key-signed base image), ${app}, vs the critical path of the real tools' own work (the same steps run bare, one after another, each timed; the longest path through the action's schedule)`,
      value: ms(wall),
      baseline: `critical path ${ms(paths)}`,
      ratio: ratio(wall, paths),
      target: headline ? '≤ 1.05×' : '(context)',
      load,
    },
    {
      part: 'real-pipeline',
      figure: `issue 18: the same, ${app}, against those steps one after another (a cosign verify step, build-push-action, trivy-action, cosign sign, attest and verify)`,
      value: ms(wall),
      baseline: `sequential ${ms(sequential)}`,
      ratio: ratio(wall, sequential),
      target: '(context: < 1×)',
      load,
    },
    {
      part: 'real-pipeline',
      figure: `issue 18: the action’s Scan stage (from its job summary; trivy image, then its CycloneDX SBOM by trivy convert while the action reads the report), ${app}, vs a bare trivy image of the same image with the same DB`,
      value: ms(scanStage),
      baseline: `trivy image: ${ms(bareScan)}; trivy image, then trivy convert to CycloneDX: ${ms(bareScanConvert)}`,
      ratio: `${ratio(scanStage, bareScanConvert)} of image + convert; ${ratio(scanStage, bareScan)} of trivy image alone`,
      target: headline ? '≤ 1.1×' : '(context)',
      load,
    },
  );
}

const stepNames = Object.keys(AFTER) as StepId[];
console.log(
  `real-pipeline: for each app, ${runs} action runs and ${runs} runs of the bare steps, interleaved, after one of each not counted.`,
);
for (const { runSeconds, actions, composites } of measured) {
  console.log(`\nRUN ${runSeconds} s. Bare steps (median, min–max):`);
  for (const id of stepNames)
    console.log(
      `- ${id} [${ms(composites.map((c) => c.steps[id]))}]: after ${AFTER[id].join(', ') || 'nothing'}`,
    );
  console.log('Stage durations of each action run (from its job summary):');
  for (const [i, a] of actions.entries())
    console.log(
      `- run ${i + 1}: ${Math.round(a.wallMs)} ms: ${Object.entries(a.stages)
        .map(([k, v]) => `${k} ${v} ms`)
        .join(', ')}`,
    );
  console.log(`The programs the last action run ran (its exec wrapper's log, in the order they ended):`);
  for (const c of actions.at(-1)?.commands ?? []) console.log(`- ${c}`);
}
console.log('');
console.log(formatTable(rows));
