// Issue 2: the tools stage against what a shell script would do with the same bytes, in the same run.
// - warm: installTools with both tools in the tool cache (re-verification: hash each binary again) against
//   `sha256sum` over the same two cached files;
// - cold: installTools from a local release server (download, checksum, pinned hash, signature check by the
//   bootstrap cosign, extraction, caching) against `curl` fetching the same files from the same server;
// - concurrent against sequential: one cold install of both tools against a cold cosign install followed by a
//   trivy install.
// Assets are padded to realistic sizes (tens of MB) so that hashing and transfer dominate, not process start.
// The stand-in cosign (a Node script) does the signature check; it is the one process an install starts. The
// release server runs in a process of its own, as a real one would be.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { installStandins } from '../__tests__/harness/standins.js';
import { fmtRange, pairRatios, summarize, timeAsync, timeCommandAsync } from './measure.js';
import { scratchDir } from './scratch.js';
import { formatTable, loadNow, withActionOutputDiscarded, type BenchRow } from './table.js';

const runs = Number(process.env.BENCH_RUNS ?? 5);
// Cold runs are the long ones (four installs and a script each); fewer of them keep the part near 20 s.
const coldRuns = Number(process.env.BENCH_COLD_RUNS ?? 4);
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
async function serveReleases(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'serve-releases.ts'), dir],
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
 * A valid script followed by `bytes` of padding in a block comment: half random base64 (no `*` in it, so the
 * comment cannot end early) and half a repeated pattern, which gzip shrinks to roughly what Go binaries compress
 * to. The stand-in still runs.
 */
function padded(script: Buffer, bytes: number): Buffer {
  const block = 64 * 1024;
  const parts: Buffer[] = [script, Buffer.from('\n/*\n')];
  for (let written = 0; written < bytes; written += block) {
    parts.push(Buffer.from(randomBytes((block / 2) * 0.75).toString('base64')));
    parts.push(Buffer.alloc(block / 2, 'secure-image '));
  }
  parts.push(Buffer.from('\n*/\n'));
  return Buffer.concat(parts);
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

const cosignBytes = padded(readFileSync(standins.cosign), COSIGN_MB * MB);
publish('sigstore/cosign', 'v3.0.6', 'cosign-linux-amd64', cosignBytes);

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
// A bundle as far as the stand-in reads one; the scenario's `blobs` decide the signer.
publish(
  'aquasecurity/trivy',
  'v0.74.0',
  `${TRIVY_ASSET}.sigstore.json`,
  JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: {},
    messageSignature: { signature: 'MEUCIQ==' },
  }),
);
const servedBytes = files.reduce((sum, f) => sum + statSync(join(releases, f)).size, 0);

const server = await serveReleases(releases);
const catalog: Catalog = structuredClone(DEFAULT_CATALOG);
catalog.github = { baseUrl: server.url, redirectHosts: [] };
(catalog.tools.cosign as { pinned: unknown }).pinned = { '3.0.6': { 'linux/amd64': sha256(cosignBytes) } };

const LINUX = { runnerOs: 'Linux', runnerArch: 'X64' } as const;
const both: InstallRequest = { ...LINUX, scanner: 'trivy' };
const cosignOnly: InstallRequest = { ...LINUX, scanner: 'none' };
const quiet = { info: () => undefined, warning: () => undefined };
const deps = { catalog, log: quiet };

let caches = 0;
/** A fresh, empty tool cache for the next install. */
function freshCache(): string {
  const dir = join(root, `tool-cache-${++caches}`);
  mkdirSync(dir, { recursive: true });
  process.env.RUNNER_TOOL_CACHE = dir;
  return dir;
}

async function install(request: InstallRequest): Promise<Awaited<ReturnType<typeof installTools>>> {
  return withActionOutputDiscarded(() => installTools(request, deps));
}

// Warm-up: the page cache holds the served files, V8 has compiled the installer, and one good install proves the
// world is right before anything is timed.
const warmCache = freshCache();
const first = await install(both);
if (first.cosign.source !== 'download' || first.scanner?.source !== 'download') {
  throw new Error('the first install should have downloaded both tools');
}
const cachedBinaries = [first.cosign.path, first.scanner.path];
const cachedBytes = cachedBinaries.reduce((sum, p) => sum + statSync(p).size, 0);

const rows: BenchRow[] = [];
const mb = (bytes: number): string => `${(bytes / MB).toFixed(0)} MB`;

// 1. Warm cache: re-verification against sha256sum over the same files, interleaved.
{
  const action: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const bt = await timeCommandAsync('sha256sum', cachedBinaries);
    let hit = true;
    const at = await timeAsync(async () => {
      const result = await install(both);
      hit = result.cosign.source === 'cache' && result.scanner?.source === 'cache';
    });
    if (!hit) throw new Error('the warm install did not hit the tool cache');
    // The first pair only warms up.
    if (i === 0) continue;
    baseline.push(bt);
    action.push(at);
  }
  rows.push({
    part: 'tools',
    figure: `warm install, cosign + trivy re-verified (${mb(cachedBytes)} hashed)`,
    value: fmtRange(summarize(action), 0, ' ms'),
    baseline: `sha256sum, same files: ${fmtRange(summarize(baseline), 0, ' ms')}`,
    ratio: fmtRange(summarize(pairRatios(action, baseline)), 2, '×'),
    target: '≤ 1.3×',
    load: loadNow(),
  });
}

// 2 and 3. Cold installs, each into an empty tool cache: both tools at once, one after the other, and curl.
{
  const curlArgs = ['-sS', '--fail', ...files.flatMap((f, i) => ['-o', `f${i}`, `${server.url}${f}`])];
  // What a careful shell script does with the same files: fetch, check both hashes, have the bootstrap cosign
  // check the trivy signature, unpack, copy the binaries into place.
  const [cosignPath, trivyPath, checksumsPath, bundlePath] = files;
  const script = [
    'set -e',
    `curl -sS --fail -o cosign ${server.url}${cosignPath} -o ${TRIVY_ASSET} ${server.url}${trivyPath} -o checksums.txt ${server.url}${checksumsPath} -o bundle.json ${server.url}${bundlePath}`,
    `echo "${sha256(cosignBytes)}  cosign" | sha256sum -c --quiet`,
    `grep "  ${TRIVY_ASSET}$" checksums.txt | sha256sum -c --quiet`,
    'chmod +x cosign',
    `./cosign verify-blob --bundle bundle.json --certificate-identity ${TRIVY_ID} --certificate-oidc-issuer ${GH_ISSUER} ${TRIVY_ASSET} 2>/dev/null`,
    `mkdir unpacked installed && tar -xzf ${TRIVY_ASSET} -C unpacked trivy`,
    'cp cosign unpacked/trivy installed/',
  ].join('\n');
  const byHand: number[] = [];
  const curl: number[] = [];
  const concurrent: number[] = [];
  const sequential: number[] = [];
  for (let i = 0; i < coldRuns; i++) {
    const out = mkdtempSync(join(root, 'curl-'));
    curl.push(await timeCommandAsync('curl', curlArgs, { cwd: out }));
    rmSync(out, { recursive: true, force: true });

    const work = mkdtempSync(join(root, 'script-'));
    byHand.push(await timeCommandAsync('sh', ['-c', script], { cwd: work }));
    rmSync(work, { recursive: true, force: true });

    let dir = freshCache();
    concurrent.push(
      await timeAsync(async () => {
        const result = await install(both);
        if (result.scanner?.source !== 'download') throw new Error('the cold install did not download');
      }),
    );
    rmSync(dir, { recursive: true, force: true });

    dir = freshCache();
    sequential.push(
      await timeAsync(async () => {
        await install(cosignOnly);
        const result = await install(both);
        if (result.scanner?.source !== 'download' || result.cosign.source !== 'cache')
          throw new Error('the sequential install did not go one tool after the other');
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  }
  rows.push({
    part: 'tools',
    figure: `cold install from the release server, cosign + trivy (${mb(servedBytes)} served)`,
    value: fmtRange(summarize(concurrent), 0, ' ms'),
    baseline: `curl, same ${files.length} files: ${fmtRange(summarize(curl), 0, ' ms')}`,
    ratio: fmtRange(summarize(pairRatios(concurrent, curl)), 2, '×'),
    target: '≤ 1.2×',
    load: loadNow(),
  });
  rows.push({
    part: 'tools',
    figure: 'cold install, against a shell script doing the same steps',
    value: fmtRange(summarize(concurrent), 0, ' ms'),
    baseline: `curl, sha256sum, cosign verify-blob, tar, cp: ${fmtRange(summarize(byHand), 0, ' ms')}`,
    ratio: fmtRange(summarize(pairRatios(concurrent, byHand)), 2, '×'),
    target: '(context)',
    load: loadNow(),
  });
  rows.push({
    part: 'tools',
    figure: 'cold install, both tools concurrently',
    value: fmtRange(summarize(concurrent), 0, ' ms'),
    baseline: `cosign, then trivy: ${fmtRange(summarize(sequential), 0, ' ms')}`,
    ratio: fmtRange(summarize(pairRatios(concurrent, sequential)), 2, '×'),
    target: '< 1×',
    load: loadNow(),
  });
}

await server.stop();
rmSync(warmCache, { recursive: true, force: true });
rmSync(root, { recursive: true, force: true });

console.log(
  `tools: cosign asset ${mb(cosignBytes.length)}, trivy archive ${mb(trivyArchive.length)} ` +
    `(binary ${mb(trivyBinary.length)}); ${runs} warm and ${coldRuns} cold runs, each interleaved with its baselines`,
);
console.log(formatTable(rows));
