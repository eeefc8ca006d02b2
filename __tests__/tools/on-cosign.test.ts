// `onCosign`: the pipeline starts the base-image checks as soon as cosign is verified, while the scanner may still
// be on its way. The release server holds the trivy archive back; cosign must be reported before that answer,
// and the install must still end with both tools.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_CATALOG, type Catalog } from '../../src/tools/catalog.js';
import { installTools, type ToolReport } from '../../src/tools/install.js';
import { startReleaseServer, type ReleaseServer } from '../harness/release-server.js';
import { releaseSigner } from '../harness/release-signing.js';
import { installStandins } from '../harness/standins.js';

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const TRIVY_DIR = '/aquasecurity/trivy/releases/download/v0.74.0';
const TRIVY_ASSET = 'trivy_0.74.0_Linux-64bit.tar.gz';
const TRIVY_ID =
  'https://github.com/aquasecurity/trivy/.github/workflows/reusable-release.yaml@refs/tags/v0.74.0';
const GH_ISSUER = 'https://token.actions.githubusercontent.com';

let dir: string;
let server: ReleaseServer;
let catalog: Catalog;
const saved = { cache: process.env.RUNNER_TOOL_CACHE, temp: process.env.RUNNER_TEMP };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'on-cosign-'));
  const standins = await installStandins(join(dir, 'standins'), {
    cosign: { blobs: [{ match: TRIVY_ASSET, identity: TRIVY_ID, issuer: GH_ISSUER }] },
  });
  const publish = async (path: string, data: Buffer | string): Promise<void> => {
    await mkdir(dirname(join(dir, 'releases', path)), { recursive: true });
    await writeFile(join(dir, 'releases', path), data);
  };
  const cosign = await readFile(standins.cosign);
  await publish('/sigstore/cosign/releases/download/v3.1.3/cosign-linux-amd64', cosign);
  await mkdir(join(dir, 'archive'));
  await writeFile(join(dir, 'archive', 'trivy'), await readFile(standins.trivy), { mode: 0o755 });
  execFileSync('tar', ['-czf', join(dir, 'trivy.tar.gz'), '-C', join(dir, 'archive'), 'trivy']);
  const archive = await readFile(join(dir, 'trivy.tar.gz'));
  await publish(`${TRIVY_DIR}/${TRIVY_ASSET}`, archive);
  await publish(`${TRIVY_DIR}/trivy_0.74.0_checksums.txt`, `${sha256(archive)}  ${TRIVY_ASSET}\n`);
  await publish(
    `${TRIVY_DIR}/${TRIVY_ASSET}.sigstore.json`,
    releaseSigner(TRIVY_ID, GH_ISSUER).bundle(archive),
  );
  server = await startReleaseServer(join(dir, 'releases'));
  catalog = structuredClone(DEFAULT_CATALOG);
  catalog.github = { baseUrl: server.url, redirectHosts: [] };
  (catalog.tools.cosign as { pinned: unknown }).pinned = { '3.1.3': { 'linux/amd64': sha256(cosign) } };
  process.env.RUNNER_TOOL_CACHE = join(dir, 'tool-cache');
  process.env.RUNNER_TEMP = join(dir, 'temp');
}, 30_000);

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
  for (const [name, value] of [
    ['RUNNER_TOOL_CACHE', saved.cache],
    ['RUNNER_TEMP', saved.temp],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

it('reports cosign, verified, before the scanner has arrived; the install still ends with both', async () => {
  server.fault(`${TRIVY_DIR}/${TRIVY_ASSET}`, { kind: 'delay', ms: 1500 });
  const reported: Array<{ report: ToolReport; at: number }> = [];
  const result = await installTools(
    { runnerOs: 'Linux', runnerArch: 'X64', scanner: 'trivy' },
    {
      catalog,
      log: { info: () => undefined, warning: () => undefined },
      onCosign: (report) => reported.push({ report, at: performance.now() }),
    },
  );
  expect(reported.map((r) => r.report)).toEqual([result.cosign]);
  expect(result.cosign).toMatchObject({ name: 'cosign', source: 'download' });
  expect(result.scanner).toMatchObject({ name: 'trivy', source: 'download' });
  const trivyAnswered = server.requests().find((r) => r.path === `${TRIVY_DIR}/${TRIVY_ASSET}`)?.finishedAt;
  expect(trivyAnswered).toBeDefined();
  expect(reported[0]?.at).toBeLessThan(trivyAnswered ?? 0);
});

it('is not called when cosign cannot be installed', async () => {
  const reported: ToolReport[] = [];
  const wrong = structuredClone(catalog);
  (wrong.tools.cosign as { pinned: unknown }).pinned = {
    '3.1.3': { 'linux/amd64': sha256('another cosign') },
  };
  process.env.RUNNER_TOOL_CACHE = join(dir, 'tool-cache-2');
  await expect(
    installTools(
      { runnerOs: 'Linux', runnerArch: 'X64', scanner: 'none' },
      {
        catalog: wrong,
        log: { info: () => undefined, warning: () => undefined },
        onCosign: (report) => reported.push(report),
      },
    ),
  ).rejects.toThrow(/does not match the hash embedded in secure-image/);
  expect(reported).toEqual([]);
});
