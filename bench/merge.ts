// Issue 17: the merge of N matrix legs costs O(N) registry reads. dist/index.js merges N single-platform images
// (N = 2 and 8) in the real registry of the offline world; the registry's own access log counts what the merge
// read of the legs (their manifests and configs) before it wrote the index, and the Push stage's time comes from
// the job summary. Linear means 8 legs cost 4× what 2 legs cost, in reads and about so in time; a client that
// re-read every earlier leg per leg (O(N²)) would show 16×.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { startOfflineWorld } from '../__tests__/e2e/offline-world.js';
import { fmtRange, summarize } from './measure.js';
import { formatTable, loadNow, stageDurations, type BenchRow } from './table.js';

const runs = Number(process.env.BENCH_MERGE_RUNS ?? 3);
const PLATFORMS = [
  ['linux', 'amd64'],
  ['linux', 'arm64'],
  ['linux', 'arm', 'v7'],
  ['linux', 'arm', 'v6'],
  ['linux', '386'],
  ['linux', 'ppc64le'],
  ['linux', 's390x'],
  ['linux', 'riscv64'],
] as const;
const SIZES = [2, 8] as const;

const sha256 = (bytes: Buffer | string): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** An empty tar (two zero blocks), gzipped: a layer every scanner reads as "no files". */
const EMPTY_TAR = Buffer.alloc(1024);

const world = await startOfflineWorld();

/** Pushes one single-platform image per platform to `repo`, by digest; answers their references and digests. */
async function pushLegs(repo: string, n: number): Promise<{ refs: string[]; digests: string[] }> {
  const layer = gzipSync(EMPTY_TAR);
  const layerBlob = await world.registry.putBlob(repo, layer);
  const refs: string[] = [];
  const digests: string[] = [];
  for (const [os, architecture, variant] of PLATFORMS.slice(0, n)) {
    const config = Buffer.from(
      JSON.stringify({
        os,
        architecture,
        ...(variant ? { variant } : {}),
        rootfs: { type: 'layers', diff_ids: [sha256(EMPTY_TAR)] },
        config: {},
      }),
    );
    const configBlob = await world.registry.putBlob(repo, config);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...configBlob },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layerBlob }],
    });
    const digest = sha256(manifest);
    await world.registry.putManifest(repo, digest, 'application/vnd.oci.image.manifest.v1+json', manifest);
    refs.push(`${world.registry.host}/${repo}@${digest}`);
    digests.push(digest, configBlob.digest);
  }
  return { refs, digests };
}

/** The access log, once it has caught up with the run (the registry writes it asynchronously). */
async function settledRequests(): Promise<string[]> {
  let last = -1;
  for (;;) {
    const now = world.registry.requests();
    if (now.length === last) return now;
    last = now.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface MergeRun {
  legReads: number;
  pushMs: number;
  wallMs: number;
}

let count = 0;
async function mergeRun(n: number): Promise<MergeRun> {
  const repo = `bench/merge-${n}-${++count}`;
  const { refs, digests } = await pushLegs(repo, n);
  const before = (await settledRequests()).length;
  const result = await world.run({
    workspace: world.workspace(),
    inputs: { image: `${world.registry.host}/${repo}`, build: 'false', merge: refs.join('\n'), tags: 'v1' },
  });
  if (result.exitCode !== 0) throw new Error(`merge of ${n} legs failed:\n${result.summary}`);
  const requests = (await settledRequests()).slice(before);
  // What the merge read of the legs: everything up to its one write, the index.
  const indexPut = requests.findIndex((r) => r.startsWith('PUT ') && r.includes(`/v2/${repo}/manifests/`));
  if (indexPut < 0) throw new Error(`merge of ${n} legs: no index PUT in the registry's log`);
  const legReads = requests
    .slice(0, indexPut)
    .filter((r) => /^(GET|HEAD) /.test(r) && digests.some((d) => r.includes(d))).length;
  const pushMs = stageDurations(result.summary)['Push'];
  if (pushMs === undefined) throw new Error(`merge of ${n} legs: no Push row in the summary`);
  return { legReads, pushMs, wallMs: result.durationMs };
}

const results = new Map<number, MergeRun[]>(SIZES.map((n) => [n, []]));
try {
  for (let i = 0; i < runs; i++)
    for (const n of SIZES) {
      results.get(n)?.push(await mergeRun(n));
      process.stderr.write(`merge: ${n} legs, run ${i + 1}\n`);
    }
} finally {
  await world.stop();
}

const [small, large] = SIZES;
const of = (n: number, pick: (r: MergeRun) => number): number[] => (results.get(n) ?? []).map(pick);
const range = (values: number[], digits: number, unit: string): string =>
  fmtRange(summarize(values), digits, unit);
const paired = (pick: (r: MergeRun) => number): number[] =>
  of(large, pick).map((v, i) => v / (of(small, pick)[i] ?? Number.NaN));
const load = loadNow();
const rows: BenchRow[] = [
  {
    part: 'merge',
    figure: `issue 17: merge of ${large} legs, reads of the legs (manifest, config) before the index is written, from the registry's access log; dist/index.js`,
    value: `${range(
      of(large, (r) => r.legReads),
      0,
      '',
    )} reads (${(summarize(of(large, (r) => r.legReads)).median / large).toFixed(1)} per leg)`,
    baseline: `${small} legs: ${range(
      of(small, (r) => r.legReads),
      0,
      '',
    )} reads`,
    ratio: range(
      paired((r) => r.legReads),
      2,
      '×',
    ),
    target: `≤ ${large / small}× (O(N): ${large / small}× the legs)`,
    load,
  },
  {
    part: 'merge',
    figure: `issue 17: merge of ${large} legs, the Push stage (read the legs, write the index) from the job summary`,
    value: range(
      of(large, (r) => r.pushMs),
      0,
      ' ms',
    ),
    baseline: `${small} legs: ${range(
      of(small, (r) => r.pushMs),
      0,
      ' ms',
    )}`,
    ratio: range(
      paired((r) => r.pushMs),
      2,
      '×',
    ),
    target: `(context: ≤ ${large / small}× is linear)`,
    load,
  },
  {
    part: 'merge',
    figure: `issue 17: merge of ${large} legs, the whole run (merge, a scan per platform, sign, attest, verify, tag) with the stand-ins`,
    value: range(
      of(large, (r) => r.wallMs),
      0,
      ' ms',
    ),
    baseline: `${small} legs: ${range(
      of(small, (r) => r.wallMs),
      0,
      ' ms',
    )}`,
    ratio: range(
      paired((r) => r.wallMs),
      2,
      '×',
    ),
    target: '(context)',
    load,
  },
];
console.log(`merge: ${SIZES.join(' and ')} legs pushed by digest, ${runs} merges of each, interleaved`);
console.log(formatTable(rows));
