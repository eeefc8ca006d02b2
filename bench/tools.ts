// Issue 2: the tools stage against what a shell script would do with the same bytes, in the same run.
// - warm: installTools with both tools in the tool cache (re-verification: hash each binary again) against
//   `sha256sum` over the same two cached files;
// - cold: installTools from a local release server (download, checksum, pinned hash, signature check by the
//   bootstrap cosign, extraction, caching) against `curl` fetching the same files from the same server;
// - concurrent against sequential: one cold install of both tools against a cold cosign install followed by a
//   trivy install.
// Cold installs run against two servers on the same files: one that emulates a link of LINK_MIB_S shared by all its
// connections (the target rows: a runner downloads from GitHub's release CDN, not from loopback), and an
// unthrottled one (context: there curl moves 28 MB in well under 100 ms, a floor no installer that must start a
// verifier process can reach). The emulated bandwidth is 50 MiB/s by default: the average download speed of
// GitHub-hosted runners that actions/cache reports for its own (Azure) downloads, "Hosted runners: 50 MBs/s" in
// https://github.com/actions/cache/issues/928 (its progress line divides by 1024 × 1024, see
// @actions/cache/lib/internal/downloadUtils.js); release assets come from a CDN at a similar order
// (https://github.com/actions/setup-node/issues/1333 reports 60.5 MiB/s for the cache and slower tool downloads on
// the same runner). curl runs with --parallel, as the installer fetches: on one shared link that is the quicker
// (stricter) baseline. A context row times curl followed by the signature check alone: the least an installer can
// take that checks the signature once the last byte is in. This one does not wait for it: the bootstrap cosign has
// the link first, and then reads trivy's archive on its stdin while it downloads (src/tools/install.ts).
// Assets are padded to realistic sizes (tens of MB) so that hashing and transfer dominate, not process start.
// The stand-in cosign (a Node script) does the signature check; it is the one process an install starts. The
// release servers run in processes of their own, as real ones would be.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { installStandins } from '../__tests__/harness/standins.js';
import { releaseSigner } from '../__tests__/harness/release-signing.js';
import { fmtRange, pairRatios, summarize, timeAsync, timeCommandAsync } from './measure.js';
import { scratchDir } from './scratch.js';
import { formatTable, loadNow, withActionOutputDiscarded, type BenchRow } from './table.js';

const runs = Number(process.env.BENCH_RUNS ?? 5);
// Cold runs are the long ones (five installs, two curls and a script each, about 5 s). Eight of them: on this
// shared 2-core VM a single install swings by ±15% from one second to the next, and the median of four did too.
const coldRuns = Number(process.env.BENCH_COLD_RUNS ?? 8);
const LINK_MIB_S = Number(process.env.BENCH_LINK_MIB_S ?? 50);
const COSIGN_MB = Number(process.env.BENCH_COSIGN_MB ?? 16);
const TRIVY_MB = Number(process.env.BENCH_TRIVY_MB ?? 32);

const root = scratchDir('secure-image-bench-tools-');
// tool-cache reads both at call time; set here, before the installer is imported, all the same.
process.env.RUNNER_TOOL_CACHE = join(root, 'tool-cache-unused');
process.env.RUNNER_TEMP = join(root, 'runner-temp');
mkdirSync(process.env.RUNNER_TEMP, { recursive: true });
const { DEFAULT_CATALOG } = await import('../src/tools/catalog.js');
const { installTools } = await import('../src/tools/install.js');
type Catalog = typeof DEFAULT_CATALOG;
type InstallRequest = Parameters<typeof installTools>[0];

/** The release server in a child process (see serve-releases.ts); it stops when its stdin closes. */
async function serveReleases(
  dir: string,
  mibPerSecond?: number,
): Promise<{ url: string; stop(): Promise<void> }> {
  const limit = mibPerSecond === undefined ? [] : ['--mib-per-second', String(mibPerSecond)];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'serve-releases.ts'), dir, ...limit],
    {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  process.once('exit', () => child.kill());
  const lines = createInterface({ input: child.stdout });
  const [url] = (await once(lines, 'line')) as [string];
  return {
    url,
    async stop() {
      child.stdin.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const MB = 1024 * 1024;

/**
 * `bytes` of filler: half random base64 (no `*` in it, so it cannot end a block comment early) and half a repeated
 * pattern, which gzip shrinks to roughly what Go binaries compress to.
 */
function filler(bytes: number): Buffer[] {
  const block = 64 * 1024;
  const parts: Buffer[] = [];
  for (let written = 0; written < bytes; written += block) {
    parts.push(Buffer.from(randomBytes((block / 2) * 0.75).toString('base64')));
    parts.push(Buffer.alloc(block / 2, 'secure-image '));
  }
  return parts;
}

/** A valid script followed by `bytes` of filler in a block comment. The stand-in still runs. */
function padded(script: Buffer, bytes: number): Buffer {
  return Buffer.concat([script, Buffer.from('\n/*\n'), ...filler(bytes), Buffer.from('\n*/\n')]);
}

/**
 * The cosign asset: a shell script that hands over to the stand-in at once (`exec`), then filler the shell never
 * reads. A real cosign is a Go binary that the kernel maps page by page, so its start does not grow with its
 * size; with the filler inside the Node stand-in (as in trivy's asset, which nothing runs here), every cosign
 * start would parse 16 MB of comment (≈ 40 ms on this machine), a cost of the stand-in, not of verifying. The
 * shell-script baseline runs the same asset.
 */
function trampoline(target: string, bytes: number): Buffer {
  const head = Buffer.from(`#!/bin/sh\nexec '${target}' "$@"\nexit 127\n`);
  return Buffer.concat([head, ...filler(bytes)]);
}

const GH_ISSUER = 'https://token.actions.githubusercontent.com';
const TRIVY_ID =
  'https://github.com/aquasecurity/trivy/.github/workflows/reusable-release.yaml@refs/tags/v0.74.0';
const TRIVY_ASSET = 'trivy_0.74.0_Linux-64bit.tar.gz';

const standins = await installStandins(join(root, 'standins'), {
  cosign: { blobs: [{ match: TRIVY_ASSET, identity: TRIVY_ID, issuer: GH_ISSUER }] },
});

const releases = join(root, 'releases');
const files: string[] = [];
const publish = (repo: string, tag: string, name: string, data: Buffer | string): string => {
  const path = `/${repo}/releases/download/${tag}/${name}`;
  mkdirSync(dirname(join(releases, path)), { recursive: true });
  writeFileSync(join(releases, path), data);
  files.push(path);
  return path;
};

const cosignBytes = trampoline(standins.cosign, COSIGN_MB * MB);
publish('sigstore/cosign', 'v3.1.3', 'cosign-linux-amd64', cosignBytes);

const archiveDir = join(root, 'archive');
mkdirSync(archiveDir, { recursive: true });
const trivyBinary = padded(readFileSync(standins.trivy), TRIVY_MB * MB);
writeFileSync(join(archiveDir, 'trivy'), trivyBinary, { mode: 0o755 });
writeFileSync(join(archiveDir, 'README.md'), '# trivy\n');
execFileSync('tar', ['-czf', join(root, 'trivy.tar.gz'), '-C', archiveDir, 'trivy', 'README.md']);
const trivyArchive = readFileSync(join(root, 'trivy.tar.gz'));
publish('aquasecurity/trivy', 'v0.74.0', TRIVY_ASSET, trivyArchive);
publish(
  'aquasecurity/trivy',
  'v0.74.0',
  'trivy_0.74.0_checksums.txt',
  `${sha256(trivyArchive)}  ${TRIVY_ASSET}\n${sha256('other')}  trivy_0.74.0_Linux-ARM64.tar.gz\n`,
);
// A Sigstore bundle with a certificate, as the release workflow makes one; the scenario's `blobs` decide the signer.
publish(
  'aquasecurity/trivy',
  'v0.74.0',
  `${TRIVY_ASSET}.sigstore.json`,
  releaseSigner(TRIVY_ID, GH_ISSUER).bundle(trivyArchive),
);
const servedBytes = files.reduce((sum, f) => sum + statSync(join(releases, f)).size, 0);

const link = await serveReleases(releases, LINK_MIB_S);
const loopback = await serveReleases(releases);
interface Server {
  url: string;
  deps: { catalog: Catalog; log: { info(): void; warning(): void } };
}
const quiet = { info: () => undefined, warning: () => undefined };
function against(url: string): Server {
  const catalog: Catalog = structuredClone(DEFAULT_CATALOG);
  catalog.github = { baseUrl: url, redirectHosts: [] };
  (catalog.tools.cosign as { pinned: unknown }).pinned = { '3.1.3': { 'linux/amd64': sha256(cosignBytes) } };
  return { url, deps: { catalog, log: quiet } };
}
const atLink = against(link.url);
const atLoopback = against(loopback.url);

const LINUX = { runnerOs: 'Linux', runnerArch: 'X64' } as const;
const both: InstallRequest = { ...LINUX, scanner: 'trivy' };
const cosignOnly: InstallRequest = { ...LINUX, scanner: 'none' };

let caches = 0;
/** A fresh, empty tool cache for the next install. */
function freshCache(): string {
  const dir = join(root, `tool-cache-${++caches}`);
  mkdirSync(dir, { recursive: true });
  process.env.RUNNER_TOOL_CACHE = dir;
  return dir;
}

async function install(
  request: InstallRequest,
  server: Server = atLoopback,
): Promise<Awaited<ReturnType<typeof installTools>>> {
  return withActionOutputDiscarded(() => installTools(request, server.deps));
}

// Warm-up: the page cache holds the served files, V8 has compiled the installer, and one good install proves the
// world is right before anything is timed.
const warmCache = freshCache();
const first = await install(both);
if (first.cosign?.source !== 'download' || first.scanner?.source !== 'download') {
  throw new Error('the first install should have downloaded both tools');
}
// What a cache hit reads: both binaries, and what trivy was verified with (kept beside it).
const evidenceDir = join(dirname(first.scanner.path), 'secure-image-evidence');
const keptArchive = join(evidenceDir, TRIVY_ASSET);
const keptBundle = join(evidenceDir, `${TRIVY_ASSET}.sigstore.json`);
const cachedFiles = [
  first.cosign.path,
  first.scanner.path,
  keptArchive,
  keptBundle,
  join(evidenceDir, 'trivy_0.74.0_checksums.txt'),
];
const cachedBytes = cachedFiles.reduce((sum, p) => sum + statSync(p).size, 0);
const bootstrapCosign = first.cosign.path;

const rows: BenchRow[] = [];
const mb = (bytes: number): string => `${(bytes / MB).toFixed(0)} MB`;

// 1. Warm cache: re-verification against sha256sum over the same files, interleaved.
{
  const action: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    // The floor a re-verification cannot go below: read every file once, and one signature check of the same bundle.
    const bt =
      (await timeCommandAsync('sha256sum', cachedFiles)) +
      (await timeCommandAsync(bootstrapCosign, [
        'verify-blob',
        '--bundle',
        keptBundle,
        '--certificate-identity',
        TRIVY_ID,
        '--certificate-oidc-issuer',
        GH_ISSUER,
        keptArchive,
      ]));
    let hit = true;
    const at = await timeAsync(async () => {
      const result = await install(both);
      hit = result.cosign?.source === 'cache' && result.scanner?.source === 'cache';
    });
    if (!hit) throw new Error('the warm install did not hit the tool cache');
    // The first pair only warms up.
    if (i === 0) continue;
    baseline.push(bt);
    action.push(at);
  }
  rows.push({
    part: 'tools',
    figure: `warm install, cosign + trivy re-verified from the kept signature material (${mb(cachedBytes)} read)`,
    value: fmtRange(summarize(action), 0, ' ms'),
    baseline: `sha256sum, same files, + 1 cosign verify-blob: ${fmtRange(summarize(baseline), 0, ' ms')}`,
    ratio: fmtRange(summarize(pairRatios(action, baseline)), 2, '×'),
    target: '≤ 1.3×',
    load: loadNow(),
  });
}

// 2 to 6. Cold installs, each into an empty tool cache: both tools at once, one after the other, curl and the
// script, at the emulated link and on loopback.
{
  // Parallel, as the installer fetches: with one link shared by all connections, parallel transfers take as long
  // as sequential ones, less the per-request round trips, so this is the quicker (stricter) of the two baselines.
  const curlArgs = (url: string): string[] => [
    '-sS',
    '--fail',
    '--parallel',
    '--parallel-immediate',
    ...files.flatMap((f, i) => ['-o', `f${i}`, `${url}${f}`]),
  ];
  // What a careful shell script does with the same files: fetch, check both hashes, have the bootstrap cosign
  // check the trivy signature, unpack, copy the binaries into place.
  const [cosignPath, trivyPath, checksumsPath, bundlePath] = files;
  const fetchAll = (url: string): string =>
    `curl -sS --fail --parallel --parallel-immediate -o cosign ${url}${cosignPath} -o ${TRIVY_ASSET} ${url}${trivyPath} -o checksums.txt ${url}${checksumsPath} -o bundle.json ${url}${bundlePath}`;
  const verifySignature = `./cosign verify-blob --bundle bundle.json --certificate-identity ${TRIVY_ID} --certificate-oidc-issuer ${GH_ISSUER} ${TRIVY_ASSET} 2>/dev/null`;
  const script = (url: string): string =>
    [
      'set -e',
      fetchAll(url),
      `echo "${sha256(cosignBytes)}  cosign" | sha256sum -c --quiet`,
      `grep "  ${TRIVY_ASSET}$" checksums.txt | sha256sum -c --quiet`,
      'chmod +x cosign',
      verifySignature,
      `mkdir unpacked installed && tar -xzf ${TRIVY_ASSET} -C unpacked trivy`,
      'cp cosign unpacked/trivy installed/',
    ].join('\n');
  // The least an installer can do that checks the signature once the bytes are in: fetch, then start the verifier.
  // No hashing, no unpacking, no caching. The gap between this and curl alone is the verifier process.
  const floor = (url: string): string =>
    ['set -e', fetchAll(url), 'chmod +x cosign', verifySignature].join('\n');

  const inScratch = async (run: (dir: string) => Promise<number>): Promise<number> => {
    const dir = mkdtempSync(join(root, 'scratch-'));
    try {
      return await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const concurrently = (server: Server): Promise<number> =>
    inScratch(async () => {
      const dir = freshCache();
      const ms = await timeAsync(async () => {
        const result = await install(both, server);
        if (result.scanner?.source !== 'download') throw new Error('the cold install did not download');
      });
      rmSync(dir, { recursive: true, force: true });
      return ms;
    });
  const sequentially = (server: Server): Promise<number> =>
    inScratch(async () => {
      const dir = freshCache();
      const ms = await timeAsync(async () => {
        await install(cosignOnly, server);
        const result = await install(both, server);
        if (result.scanner?.source !== 'download' || result.cosign?.source !== 'cache')
          throw new Error('the sequential install did not go one tool after the other');
      });
      rmSync(dir, { recursive: true, force: true });
      return ms;
    });

  const m = {
    curl: [] as number[],
    byHand: [] as number[],
    floor: [] as number[],
    concurrent: [] as number[],
    sequential: [] as number[],
    loopCurl: [] as number[],
    loopConcurrent: [] as number[],
    loopSequential: [] as number[],
  };
  for (let i = 0; i < coldRuns; i++) {
    m.curl.push(await inScratch((cwd) => timeCommandAsync('curl', curlArgs(link.url), { cwd })));
    m.byHand.push(await inScratch((cwd) => timeCommandAsync('sh', ['-c', script(link.url)], { cwd })));
    m.floor.push(await inScratch((cwd) => timeCommandAsync('sh', ['-c', floor(link.url)], { cwd })));
    m.concurrent.push(await concurrently(atLink));
    m.sequential.push(await sequentially(atLink));
    m.loopCurl.push(await inScratch((cwd) => timeCommandAsync('curl', curlArgs(loopback.url), { cwd })));
    m.loopConcurrent.push(await concurrently(atLoopback));
    m.loopSequential.push(await sequentially(atLoopback));
  }
  const ms = (values: number[]): string => fmtRange(summarize(values), 0, ' ms');
  const ratio = (values: number[], baseline: number[]): string =>
    fmtRange(summarize(pairRatios(values, baseline)), 2, '×');
  const linkName = `a ${LINK_MIB_S} MiB/s link`;
  rows.push({
    part: 'tools',
    figure: `cold install, cosign + trivy (${mb(servedBytes)} served over ${linkName} shared by all connections)`,
    value: ms(m.concurrent),
    baseline: `curl --parallel, same ${files.length} files, same link: ${ms(m.curl)}`,
    ratio: ratio(m.concurrent, m.curl),
    target: '≤ 1.2×',
    load: loadNow(),
  });
  rows.push({
    part: 'tools',
    figure: 'cold install on unthrottled loopback (no link emulated)',
    value: ms(m.loopConcurrent),
    baseline: `curl --parallel, same files, loopback: ${ms(m.loopCurl)}`,
    ratio: ratio(m.loopConcurrent, m.loopCurl),
    target: '(context)',
    load: loadNow(),
  });
  rows.push({
    part: 'tools',
    figure: `cold install over ${linkName}, against a shell script doing the same steps`,
    value: ms(m.concurrent),
    baseline: `curl, sha256sum, cosign verify-blob, tar, cp: ${ms(m.byHand)}`,
    ratio: ratio(m.concurrent, m.byHand),
    target: '(context)',
    load: loadNow(),
  });
  rows.push({
    part: 'tools',
    figure: `cold install over ${linkName}, against fetching and then only verifying the signature`,
    value: ms(m.concurrent),
    baseline: `curl --parallel, then cosign verify-blob: ${ms(m.floor)}`,
    ratio: ratio(m.concurrent, m.floor),
    target: '(context)',
    load: loadNow(),
  });
  rows.push({
    part: 'tools',
    // Issue 2 asks for this figure, with no target. On one shared link the two archives cannot overlap (cosign's
    // goes first by design), so what concurrency wins is trivy's signature check and the small files.
    figure: `cold install over ${linkName}, both tools concurrently (the archives one after the other on the link)`,
    value: ms(m.concurrent),
    baseline: `cosign, then trivy: ${ms(m.sequential)}`,
    ratio: ratio(m.concurrent, m.sequential),
    target: '(context: ≤ 1×)',
    load: loadNow(),
  });
  rows.push({
    part: 'tools',
    figure: 'cold install on loopback, both tools concurrently',
    value: ms(m.loopConcurrent),
    baseline: `cosign, then trivy: ${ms(m.loopSequential)}`,
    ratio: ratio(m.loopConcurrent, m.loopSequential),
    target: '(context)',
    load: loadNow(),
  });
}

await link.stop();
await loopback.stop();
rmSync(warmCache, { recursive: true, force: true });
rmSync(root, { recursive: true, force: true });

console.log(
  `tools: cosign asset ${mb(cosignBytes.length)}, trivy archive ${mb(trivyArchive.length)} ` +
    `(binary ${mb(trivyBinary.length)}); ${runs} warm and ${coldRuns} cold runs, each interleaved with its baselines`,
);
console.log(formatTable(rows));
