import { copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import * as tc from '@actions/tool-cache';
import { UserError, errorMessage } from '../util/errors.js';
import { execTool, tailLines, type ExecRequest, type ExecResult } from '../util/exec.js';
import { proxyAwareFetch } from '../util/http.js';
import {
  checkCache,
  createStagingRoot,
  evict,
  publishVerified,
  sha256File,
  type InstallRecord,
} from './cache.js';
import { assertCosignVersion, listedHash, zipMember } from './checks.js';
import {
  DEFAULT_CATALOG,
  assertNotRefused,
  normalizeVersion,
  pinnedHash,
  refusalReason,
  versionWarning,
  type Catalog,
  type ScannerName,
  type ToolName,
} from './catalog.js';
import {
  DEFAULT_DOWNLOAD_OPTIONS,
  DownloadError,
  Downloader,
  sinkGroup,
  type DownloadOptions,
  type DownloadedFile,
  type SinkResults,
  type StreamSink,
} from './download.js';
import { resolvePlatform, type Platform } from './platform.js';
import {
  describeStep,
  planInstall,
  signatureFiles,
  type InstallPlan,
  type PlannedFile,
  type VerificationStep,
} from './plan.js';
import { isRefusedEntry, keepEvidence, materialAt, reverifyCached } from './reverify.js';
import { MissingMemberError, tarGzMemberSink, type UnpackedFile } from './untar.js';
import { assertCertificateFile, assertKeylessBundle } from './signature-material.js';
import { verifyBlob, verifyBlobSink, type SignatureMaterial, type StreamedCheck } from './verify-blob.js';
import { logInfo } from '../util/log.js';

export type { ToolName } from './catalog.js';

export interface ToolReport {
  name: ToolName;
  version: string;
  path: string;
  source: 'cache' | 'download' | 'provided';
  /** Human-readable checks that passed, in order, e.g. "SHA-256 … matches the hash embedded in secure-image". */
  verification: string[];
  durationMs: number;
  /** SHA-256 of the binary in use (not known for a provided binary). */
  sha256?: string;
  /** Where the asset was downloaded from (source `download`). */
  url?: string;
  /** One line for the summary about anything unusual: "provided through cosign-path, not verified". */
  note?: string;
}

export interface InstallRequest {
  /**
   * Whether the run uses cosign itself (base-image checks, signing). Without, no cosign is installed for the run;
   * the bootstrap cosign is still fetched when a download needs its signature checked. Default true.
   */
  needCosign?: boolean;
  cosignVersion?: string;
  scanner: ScannerName | 'none';
  scannerVersion?: string;
  cosignPath?: string;
  scannerPath?: string;
  toolMirror?: string;
  runnerOs: string;
  runnerArch: string;
}

export interface InstallResult {
  /** Absent when the run does not need cosign (`needCosign: false`). */
  cosign?: ToolReport;
  scanner?: ToolReport;
  /**
   * The cosign with the pinned hash that verified the other downloads, when it is not `cosign` itself (another
   * `cosign-version`, or `cosign-path`).
   */
  verifier?: ToolReport;
  /** Every URL fetched in this run, each once. Empty when everything came from the tool cache. */
  downloads: readonly string[];
}

export interface InstallLog {
  info(message: string): void;
  warning(message: string): void;
}

export interface InstallDeps {
  /** Tests inject a catalog here; nothing a user sets reaches it. */
  catalog?: Catalog;
  fetch?: typeof fetch;
  exec?: (request: ExecRequest) => Promise<ExecResult>;
  download?: Partial<Omit<DownloadOptions, 'fetch' | 'sleep' | 'onRetry'>>;
  sleep?: (ms: number) => Promise<void>;
  log?: InstallLog;
  /** How much of an archive may wait in memory for the cosign that reads it as it downloads (tests make it tiny). */
  streamQueueBytes?: number;
  /** Scratch space for downloads; default `RUNNER_TEMP`. Removed afterwards. */
  tempDir?: string;
  /**
   * Called once cosign is installed and verified, before the scanner may be: the pipeline's base-image checks
   * need only cosign. Not called when the install of cosign fails.
   */
  onCosign?: (cosign: ToolReport) => void;
}

interface Context {
  catalog: Catalog;
  downloader: Downloader;
  exec: (request: ExecRequest) => Promise<ExecResult>;
  sleep?: (ms: number) => Promise<void>;
  log: InstallLog;
  workDir: string;
  /** This run's staging folder in the tool cache, made when the first download needs it. */
  stagingRoot: () => Promise<string>;
  /** No release asset, nor what it unpacks to, is larger. */
  maxBytes: number;
  /** How much of a download may wait in memory for the cosign that checks it as it arrives. */
  maxStreamQueue: number;
  onCosign?: (cosign: ToolReport) => void;
  /**
   * The bootstrap cosign, when this run downloads it: every other asset waits for it to be in and verified (see
   * `installTools`), and is not fetched at all when it fails.
   */
  bootstrapDownload?: Promise<ToolReport>;
}

const coreLog: InstallLog = { info: (m) => logInfo(m), warning: (m) => core.warning(m) };

const elapsed = (start: number): number => Math.round(performance.now() - start);

const SCANNER_VERSION_INPUT = 'scanner-version';

/**
 * A scanner's archive (tens of MB) waits in memory for its signature check, if cosign is not yet reading; a larger
 * backlog is left for cosign to read from the file once the download is over.
 */
const STREAM_QUEUE_BYTES = 128 * 1024 * 1024;

/**
 * Installs cosign and the scanner through the tool cache, verifying every byte before anything is cached:
 * the bootstrap cosign against the hash embedded here, everything else by checksum and a Sigstore signature that
 * the bootstrap cosign checks. cosign and the scanner install concurrently, with one ordering on the wire: the
 * bootstrap cosign's asset downloads first, while the other tools' checksums files and bundles come alongside, and
 * their assets follow it. Everything waits for that cosign (the base-image checks and the build behind them, every
 * signature check), and it is the largest file, so on a link that the downloads share it gets the whole link; the
 * assets after it are then read by their signature check (`cosign verify-blob -`) while they arrive, and an install
 * is done about when its last byte is in. Where every connection has a bandwidth of its own, the scanner's archive
 * arrives later by its own transfer time instead, beside the base-image checks and the build.
 */
export async function installTools(request: InstallRequest, deps: InstallDeps = {}): Promise<InstallResult> {
  const catalog = deps.catalog ?? DEFAULT_CATALOG;
  const log = deps.log ?? coreLog;
  const exec = deps.exec ?? execTool;

  // Everything a user can get wrong is checked before the first byte moves.
  const needCosign = request.needCosign ?? true;
  const cosignWanted =
    needCosign && request.cosignPath === undefined
      ? normalizeVersion(request.cosignVersion ?? catalog.tools.cosign.defaultVersion, 'cosign-version')
      : undefined;
  if (cosignWanted !== undefined) {
    assertNotRefused(catalog.tools.cosign, cosignWanted, 'cosign-version');
    const warning = versionWarning(catalog.tools.cosign, cosignWanted, 'cosign-version');
    if (warning) log.warning(warning);
  }
  const scanner = request.scanner === 'none' ? undefined : request.scanner;
  const scannerWanted =
    scanner !== undefined && request.scannerPath === undefined
      ? normalizeVersion(
          request.scannerVersion ?? catalog.tools[scanner].defaultVersion,
          SCANNER_VERSION_INPUT,
        )
      : undefined;
  if (scanner !== undefined && scannerWanted !== undefined) {
    assertNotRefused(catalog.tools[scanner], scannerWanted, SCANNER_VERSION_INPUT);
  }

  const installs = cosignWanted !== undefined || scannerWanted !== undefined;
  const platform = installs ? resolvePlatform(request.runnerOs, request.runnerArch) : undefined;

  const workRoot = deps.tempDir ?? process.env.RUNNER_TEMP ?? tmpdir();
  await mkdir(workRoot, { recursive: true });
  const workDir = await mkdtemp(join(workRoot, 'secure-image-tools-'));
  let staging: Promise<string> | undefined;
  const downloadOptions = { ...DEFAULT_DOWNLOAD_OPTIONS, ...deps.download };
  const ctx: Context = {
    catalog,
    exec,
    sleep: deps.sleep,
    log,
    workDir,
    stagingRoot: () => (staging ??= createStagingRoot()),
    maxBytes: downloadOptions.maxBytes,
    maxStreamQueue: deps.streamQueueBytes ?? Math.min(downloadOptions.maxBytes, STREAM_QUEUE_BYTES),
    ...(deps.onCosign ? { onCosign: deps.onCosign } : {}),
    downloader: new Downloader(join(workDir, 'downloads'), {
      ...downloadOptions,
      fetch: deps.fetch ?? proxyAwareFetch(),
      sleep: deps.sleep,
      onRetry: (m) => log.info(m),
    }),
  };

  try {
    return await run(request, ctx, platform, needCosign, cosignWanted, scanner, scannerWanted);
  } finally {
    await rm(workDir, { recursive: true, force: true });
    // What is left of the staging folder is what failed; published entries were renamed out of it.
    const stagingRoot = await staging?.catch(() => undefined);
    if (stagingRoot) await rm(stagingRoot, { recursive: true, force: true });
  }
}

async function run(
  request: InstallRequest,
  ctx: Context,
  platform: Platform | undefined,
  needCosign: boolean,
  cosignWanted: string | undefined,
  scanner: ScannerName | undefined,
  scannerWanted: string | undefined,
): Promise<InstallResult> {
  const { catalog } = ctx;
  const mirror = request.toolMirror;
  const plan = (tool: ToolName, version: string): InstallPlan => {
    if (!platform) throw new Error('internal: a tool is installed without a platform');
    return planInstall(tool, version, platform, mirror, catalog);
  };
  const bootstrapVersion = catalog.tools.cosign.defaultVersion;
  const cosignPlan = cosignWanted !== undefined ? plan('cosign', cosignWanted) : undefined;
  const scannerPlan =
    scanner !== undefined && scannerWanted !== undefined ? plan(scanner, scannerWanted) : undefined;

  // The bootstrap cosign verifies every signature. It is installed at most once, by whichever task first needs
  // it, and as soon as that task knows it will: its download then runs alongside the others.
  const cosignIsBootstrap = cosignPlan !== undefined && cosignPlan.version === bootstrapVersion;
  let verifier: Promise<ToolReport> | undefined;
  let separateVerifier: Promise<ToolReport> | undefined;
  // The bootstrap cosign goes first on the wire, unless the tool cache holds it (checked again when it is used).
  const installBootstrap = (bootstrapPlan: InstallPlan): Promise<ToolReport> => {
    const { cache } = bootstrapPlan;
    const task = install(bootstrapPlan, undefined, ctx);
    if (tc.find(cache.tool, cache.version, cache.arch) === '') ctx.bootstrapDownload = task;
    return task;
  };
  const getVerifier = (): Promise<ToolReport> => {
    if (!verifier) {
      const bootstrapPlan = plan('cosign', bootstrapVersion);
      if (bootstrapPlan.verification[0]?.kind !== 'pinned-sha256') {
        // Never guessed: without a hash embedded here there is no root to verify anything else from.
        throw new UserError(
          `secure-image embeds no SHA-256 of cosign ${bootstrapVersion} for ${bootstrapPlan.platform.key}, so it cannot ` +
            'verify any download on this runner. Install the tools yourself and pass them with `cosign-path` and `scanner-path`.',
        );
      }
      separateVerifier = installBootstrap(bootstrapPlan);
      verifier = separateVerifier;
      // Whoever needs the verifier awaits it; this only keeps a failure from counting as unhandled twice.
      verifier.catch(() => undefined);
    }
    return verifier;
  };

  let cosignTask: Promise<ToolReport | undefined>;
  if (cosignPlan && cosignIsBootstrap) {
    const bootstrap = installBootstrap(cosignPlan);
    cosignTask = bootstrap;
    verifier = bootstrap;
    verifier.catch(() => undefined);
  } else if (cosignPlan) {
    cosignTask = install(cosignPlan, getVerifier, ctx);
  } else {
    cosignTask = needCosign
      ? useProvided('cosign', request.cosignPath ?? '', 'cosign-path', ctx)
      : Promise.resolve(undefined);
  }
  const { onCosign } = ctx;
  if (onCosign)
    cosignTask.then(
      (c) => c && onCosign(c),
      () => undefined,
    );

  const scannerTask: Promise<ToolReport | undefined> =
    scanner === undefined
      ? Promise.resolve(undefined)
      : scannerPlan
        ? install(scannerPlan, getVerifier, ctx)
        : useProvided(scanner, request.scannerPath ?? '', 'scanner-path', ctx);

  // Both tasks settle before the verifier is looked at: by then it exists if anything needed it.
  await Promise.allSettled([cosignTask, scannerTask]);
  const [cosignResult, scannerResult, verifierResult] = await Promise.allSettled([
    cosignTask,
    scannerTask,
    separateVerifier ?? Promise.resolve(undefined),
  ]);
  const failures = [verifierResult, cosignResult, scannerResult]
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => r.reason as unknown)
    .filter((reason, index, all) => all.indexOf(reason) === index);
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    throw new UserError(
      `${failures.length} tools could not be installed:\n${failures.map((f) => `- ${errorMessage(f)}`).join('\n')}`,
      { cause: failures[0] },
    );
  }
  if (cosignResult.status !== 'fulfilled' || scannerResult.status !== 'fulfilled')
    throw new Error('internal: unreachable');
  return {
    cosign: cosignResult.value,
    scanner: scannerResult.value,
    verifier: verifierResult.status === 'fulfilled' ? verifierResult.value : undefined,
    downloads: ctx.downloader.urls(),
  };
}

/** One tool through the tool cache: a verified hit, or a verified download. */
async function install(
  plan: InstallPlan,
  getVerifier: (() => Promise<ToolReport>) | undefined,
  ctx: Context,
): Promise<ToolReport> {
  const start = performance.now();
  const pinned = pinnedHash(ctx.catalog.tools[plan.tool], plan.version, plan.platform.key);
  const check = await checkCache(plan, pinned);
  if (check.kind === 'miss' && check.evicted) ctx.log.warning(`${check.evicted}. Installing it again.`);
  if (check.kind === 'hit') {
    let verification: string[];
    if (pinned !== undefined) {
      verification = [`SHA-256 ${check.sha256} matches the hash embedded in secure-image`];
    } else {
      if (!getVerifier)
        throw new Error(`internal: ${plan.tool} needs a signature check but no cosign was planned`);
      try {
        verification = await reverifyCached(plan, check, {
          exec: ctx.exec,
          ...(ctx.sleep ? { sleep: ctx.sleep } : {}),
          workDir: ctx.workDir,
          maxBytes: ctx.maxBytes,
          verifier: getVerifier,
        });
      } catch (err) {
        if (!isRefusedEntry(err)) throw err;
        await evict(check.dir);
        ctx.log.warning(
          `the cached ${plan.tool} ${plan.version} did not verify again: ${errorMessage(err)}; evicted ${check.dir}. Installing it again.`,
        );
        return downloadAndVerify(plan, getVerifier, ctx, start);
      }
    }
    ctx.log.info(
      `${plan.tool} ${plan.version}: tool cache hit at ${check.binaryPath}; ${verification.join('; ')}`,
    );
    return {
      name: plan.tool,
      version: plan.version,
      path: check.binaryPath,
      source: 'cache',
      verification,
      durationMs: elapsed(start),
      sha256: check.sha256,
    };
  }
  return downloadAndVerify(plan, getVerifier, ctx, start);
}

function mismatch(
  plan: InstallPlan,
  file: DownloadedFile<unknown>,
  expected: string,
  against: string,
): UserError {
  return new UserError(
    `${plan.tool} ${plan.version}: the SHA-256 of ${file.name} does not match ${against}.\n` +
      `  expected: ${expected}\n  actual:   ${file.sha256}\n  URL:      ${file.url}\n` +
      'The download was deleted and nothing was cached. A mirror or proxy may be serving other bytes than the ' +
      'release: do not work around this, find out why.',
  );
}

/** What the download of an asset makes on the way in: its binary unpacked (a tar.gz), its signature checked. */
interface AssetWork {
  unpacked: UnpackedFile;
  signature: StreamedCheck;
}

type Fetched = DownloadedFile<SinkResults<AssetWork>>;

/**
 * Every file of the plan at once, into RUNNER_TEMP; the asset goes through `sink` as it arrives, once `after` (the
 * bootstrap cosign, for any other tool) is in. When `after` fails, the asset is not fetched.
 */
async function fetchAll(
  plan: InstallPlan,
  sink: (() => StreamSink<SinkResults<AssetWork>>) | undefined,
  ctx: Context,
  after: Promise<unknown> | undefined,
): Promise<Map<string, Fetched>> {
  // A tar.gz is unpacked, hashed and signature-checked as it arrives, so it is held in memory rather than written to
  // disk: the file is written only if cosign could not give its verdict on the stream.
  const hold = plan.asset.archive === 'tar.gz' ? { holdBytes: ctx.maxStreamQueue } : {};
  const getAsset = async (file: PlannedFile): Promise<Fetched> => {
    await after;
    return ctx.downloader.get(file, plan.redirects, sink ? { sink, ...hold } : {});
  };
  const settled = await Promise.allSettled(
    plan.downloads.map((f) =>
      f.url === plan.asset.url ? getAsset(f) : ctx.downloader.get<SinkResults<AssetWork>>(f, plan.redirects),
    ),
  );
  const files = new Map<string, Fetched>();
  const errors: unknown[] = [];
  settled.forEach((result, index) => {
    const planned = plan.downloads[index];
    if (!planned) return;
    if (result.status === 'fulfilled') files.set(planned.url, result.value);
    else errors.push(explainDownloadFailure(plan, planned.url, result.reason));
  });
  if (errors.length > 0) {
    for (const file of files.values()) await rm(file.path, { force: true });
    throw errors[0];
  }
  return files;
}

/** A 404 says which file of the release is missing, in the words of what it was for. */
function explainDownloadFailure(plan: InstallPlan, url: string, err: unknown): unknown {
  // Another tool's failure (the bootstrap cosign this asset waited for) is told in its own words.
  if (!(err instanceof DownloadError) || err.status !== 404 || err.url !== url) return err;
  const named = plan.downloads.find((f) => f.url === url)?.name ?? url;
  const role = plan.verification.find(
    (s) =>
      (s.kind === 'signature' && signatureFiles(s.files).some((f) => f.url === url)) ||
      (s.kind === 'checksums-file' && s.file.url === url),
  );
  const release = `release ${plan.tag} of ${plan.repo}`;
  const what =
    role?.kind === 'signature'
      ? role.files.kind === 'bundle'
        ? `its Sigstore signature bundle (${named}) is missing from ${release}`
        : `its signature file ${named} is missing from ${release}`
      : role?.kind === 'checksums-file'
        ? `its checksums file (${named}) is missing from ${release}`
        : `${release} has no ${named}`;
  const where =
    plan.source === 'mirror'
      ? 'Check that `tool-mirror` holds every file of the release, signature files included.'
      : `Check that ${plan.tag} is a published release of ${plan.repo}.`;
  return new UserError(
    `${plan.tool} ${plan.version} cannot be installed: ${what} (HTTP 404 at ${url}). secure-image installs only ` +
      `what it can verify, so nothing was cached. ${where}`,
    { cause: err },
  );
}

type SignatureStep = Extract<VerificationStep, { kind: 'signature' }>;

async function downloadAndVerify(
  plan: InstallPlan,
  getVerifier: (() => Promise<ToolReport>) | undefined,
  ctx: Context,
  start: number,
): Promise<ToolReport> {
  ctx.log.info(`${plan.tool} ${plan.version}: downloading ${plan.asset.url}`);
  const signatureSteps = plan.verification.filter((s): s is SignatureStep => s.kind === 'signature');
  if (signatureSteps.length > 0 && !getVerifier) {
    throw new Error(`internal: ${plan.tool} needs a signature check but no cosign was planned`);
  }
  // Asked for now, not when the signature check comes: the bootstrap cosign then downloads alongside this tool.
  const verifier = signatureSteps.length > 0 ? getVerifier?.() : undefined;
  const staged = join(await ctx.stagingRoot(), `${plan.tool}-${plan.version}`);
  await mkdir(staged, { recursive: true });
  const stagedBinary = join(staged, plan.binaryName);
  let files = new Map<string, Fetched>();
  const fetched = (file: PlannedFile): Promise<Fetched> =>
    ctx.downloader
      .get<SinkResults<AssetWork>>(file, plan.redirects)
      .catch((err: unknown) => Promise.reject(explainDownloadFailure(plan, file.url, err)));

  // Each signature's files are checked as soon as they are in, before any cosign reads them (and whether or not
  // the bootstrap cosign installs): a refused file is this tool's own error.
  const materials = new Map<SignatureStep, Promise<SignatureMaterial>>();
  for (const step of signatureSteps) {
    const { files: planned } = step;
    const material = Promise.all(signatureFiles(planned).map(fetched)).then(async ([first, second]) => {
      if (!first) throw new Error(`internal: ${plan.tool} has no signature file`);
      if (planned.kind === 'bundle') await assertKeylessBundle(first.path, first.url);
      else if (second) await assertCertificateFile(second.path, second.url);
      const paths = new Map([first, second].map((f) => [f?.url, f?.path]));
      return materialAt(step, (f) => paths.get(f.url) ?? f.url);
    });
    material.catch(() => undefined);
    materials.set(step, material);
  }
  const materialOf = (step: SignatureStep): Promise<SignatureMaterial> => {
    const material = materials.get(step);
    if (!material) throw new Error(`internal: ${plan.tool} signature files were not planned`);
    return material;
  };

  // A signature over the asset is checked by cosign reading the asset as it downloads; one over the checksums file
  // as soon as that file, the signature files and cosign are in, while the asset still downloads. Each verdict is
  // taken in the plan's order below, after the checksum.
  const streamedStep = signatureSteps.find((s) => s.covers === 'asset');
  const unpackOnTheWay = plan.asset.archive === 'tar.gz';
  const assetSink =
    unpackOnTheWay || (streamedStep && verifier)
      ? (): StreamSink<SinkResults<AssetWork>> => {
          const parts: { unpacked?: StreamSink<UnpackedFile>; signature?: StreamSink<StreamedCheck> } = {};
          if (unpackOnTheWay)
            parts.unpacked = tarGzMemberSink(plan.asset.binaryPath, stagedBinary, ctx.maxBytes);
          if (streamedStep && verifier) {
            const target = Promise.all([verifier, materialOf(streamedStep)]).then(([cosign, material]) => ({
              cosign: cosign.path,
              request: { blob: plan.asset.name, material, signer: streamedStep.signer },
            }));
            parts.signature = verifyBlobSink(target, { exec: ctx.exec, maxQueuedBytes: ctx.maxStreamQueue });
          }
          return sinkGroup<AssetWork>(parts);
        }
      : undefined;
  const early = new Map<SignatureStep, Promise<void>>();
  const checksumsStep = plan.verification.find((s) => s.kind === 'checksums-file');
  for (const step of signatureSteps) {
    if (step.covers !== 'checksums' || !verifier || checksumsStep?.kind !== 'checksums-file') continue;
    const check = Promise.all([verifier, fetched(checksumsStep.file), materialOf(step)]).then(
      ([cosign, listed, material]) =>
        verifyBlob(
          cosign.path,
          { blob: listed.path, material, signer: step.signer },
          { exec: ctx.exec, sleep: ctx.sleep, blobOnDisk: listed.onDisk },
        ),
    );
    check.catch(() => undefined);
    early.set(step, check);
  }

  try {
    // The bootstrap cosign never waits for itself; every other tool's asset waits for it (see installTools).
    const bootstrap = ctx.bootstrapDownload;
    const isBootstrap = plan.verification.some((step) => step.kind === 'pinned-sha256');
    const [all, ...checked] = await Promise.allSettled([
      fetchAll(plan, assetSink, ctx, isBootstrap ? undefined : bootstrap),
      ...materials.values(),
    ]);
    const refused = checked.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (refused) throw refused.reason;
    if (all.status === 'rejected') throw all.reason;
    files = all.value;
    const asset = files.get(plan.asset.url);
    if (!asset) throw new Error(`internal: ${plan.asset.url} was not downloaded`);
    const passed: string[] = [];

    for (const step of plan.verification) {
      if (step.kind === 'pinned-sha256') {
        if (asset.sha256 !== step.sha256)
          throw mismatch(plan, asset, step.sha256, 'the hash embedded in secure-image');
        passed.push(describeStep(step, plan));
      } else if (step.kind === 'checksums-file') {
        const listed = files.get(step.file.url);
        if (!listed) throw new Error(`internal: ${step.file.url} was not downloaded`);
        const expected = await listedHash(plan, step.file, listed.path);
        if (expected !== asset.sha256)
          throw mismatch(plan, asset, expected, `${step.file.name} (${step.file.url})`);
        passed.push(describeStep(step, plan));
      } else {
        if (!verifier) throw new Error(`internal: ${plan.tool} needs a signature check but has no cosign`);
        const cosign = await verifier;
        const started = early.get(step);
        if (started) {
          await started;
        } else {
          // cosign's answer while the asset streamed in counts as the first try; the file is read for any other.
          const streamed = asset.derived?.ok ? asset.derived.value.signature : undefined;
          const first = streamed?.ok && streamed.value.kind === 'ran' ? streamed.value.result : undefined;
          await verifyBlob(
            cosign.path,
            { blob: asset.path, material: await materialOf(step), signer: step.signer },
            {
              exec: ctx.exec,
              sleep: ctx.sleep,
              // A tar.gz was held in memory: it reaches the disk only if cosign must read it from there.
              blobOnDisk: asset.onDisk,
              ...(first ? { first } : {}),
            },
          );
        }
        passed.push(describeStep(step, plan, `cosign ${cosign.version}`));
      }
    }

    // Only now, with every verdict in, is anything taken out of a zip.
    const sha256 = await unpack(plan, asset, stagedBinary, ctx);
    await assertCosignVersion(plan, stagedBinary, ctx.exec);
    if (signatureSteps.length > 0) {
      await keepEvidence(plan, staged, async (file) => {
        const got = files.get(file.url);
        if (!got) throw new Error(`internal: ${file.url} was not downloaded`);
        return got.onDisk();
      });
    }
    const record: InstallRecord = {
      tool: plan.tool,
      version: plan.version,
      platform: plan.platform.key,
      binary: plan.binaryName,
      sha256,
      asset: plan.asset.name,
      url: plan.asset.url,
      verification: passed,
      installedAt: new Date().toISOString(),
    };
    const cached = await publishVerified(staged, plan, record);
    ctx.log.info(
      `${plan.tool} ${plan.version}: verified and cached at ${cached.binaryPath} (${passed.join('; ')})`,
    );
    return {
      name: plan.tool,
      version: plan.version,
      path: cached.binaryPath,
      source: 'download',
      verification: passed,
      durationMs: elapsed(start),
      sha256,
      url: plan.asset.url,
    };
  } catch (err) {
    // Nothing of a failed install stays: not its downloads, not what was staged.
    for (const check of early.values()) await check.catch(() => undefined);
    for (const file of files.values()) await rm(file.path, { force: true });
    await rm(staged, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Puts the verified binary, and only it, at `dest` (in the staging folder) and returns its SHA-256. A bare binary
 * is moved there (hashed on the way in, so not again); a tar.gz was unpacked on the way in; a zip is unpacked now.
 */
async function unpack(plan: InstallPlan, asset: Fetched, dest: string, ctx: Context): Promise<string> {
  if (plan.asset.archive === 'binary') return moveVerified(plan, asset, dest);
  if (plan.asset.archive === 'tar.gz') {
    const unpacked = asset.derived?.ok ? asset.derived.value.unpacked : undefined;
    if (!unpacked) throw new Error(`internal: ${plan.asset.name} was not unpacked`);
    if (unpacked.ok) return unpacked.value.sha256;
    if (unpacked.error instanceof MissingMemberError) {
      throw new UserError(
        `${plan.tool} ${plan.version}: ${plan.asset.name} verified, but holds no file ${plan.asset.binaryPath}. Nothing was cached.`,
      );
    }
    throw new UserError(
      `${plan.tool} ${plan.version}: ${plan.asset.name} verified, but could not be unpacked: ${errorMessage(unpacked.error)}. Nothing was cached.`,
      { cause: unpacked.error },
    );
  }
  const inside = await zipMember(
    plan,
    await asset.onDisk(),
    join(ctx.workDir, 'extract', `${plan.tool}-${plan.version}`),
  );
  await copyFile(inside, dest);
  return sha256File(dest);
}

/**
 * Moves a verified download to `dest`: a rename when RUNNER_TEMP and RUNNER_TOOL_CACHE share a filesystem (the
 * bytes that were hashed are the bytes that move), else a copy, hashed again to prove it is the same.
 */
async function moveVerified(plan: InstallPlan, file: Fetched, dest: string): Promise<string> {
  const path = await file.onDisk();
  try {
    await rename(path, dest);
    return file.sha256;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
  }
  await copyFile(path, dest);
  const copied = await sha256File(dest);
  if (copied !== file.sha256) {
    throw new Error(
      `copying ${plan.tool} from RUNNER_TEMP to RUNNER_TOOL_CACHE changed it (SHA-256 ${file.sha256} became ${copied})`,
    );
  }
  return copied;
}

const VERSION_LINE = /^\s*(?:GitVersion|Version)\s*:\s*v?([0-9][^\s]*)/m;

/** The version a tool prints for `version` (cosign: `GitVersion: v3.0.6`; trivy, grype: `Version: 0.74.0`). */
export function parseVersionOutput(output: string): string | undefined {
  return VERSION_LINE.exec(output)?.[1];
}

async function useProvided(tool: ToolName, path: string, input: string, ctx: Context): Promise<ToolReport> {
  const start = performance.now();
  let result: ExecResult;
  try {
    result = await ctx.exec({
      command: path,
      args: ['version'],
      env: {},
      timeoutMs: 30_000,
      label: `${tool} version`,
    });
  } catch (err) {
    throw new UserError(`Input \`${input}\`: ${path} does not run: ${errorMessage(err)}.`, { cause: err });
  }
  if (result.exitCode !== 0) {
    const tail = tailLines(`${result.stderr}\n${result.stdout}`, 3);
    throw new UserError(
      `Input \`${input}\`: \`${path} version\` exited with ${result.timedOut ? 'a timeout' : `code ${result.exitCode}`}` +
        `${tail ? `:\n${tail}` : ''}\nGive the path of a working ${tool} binary, or leave \`${input}\` empty to let secure-image install a verified one.`,
    );
  }
  const version = parseVersionOutput(`${result.stdout}\n${result.stderr}`) ?? 'unknown';
  // Provided or not, a release known to be malicious does not run here.
  const refused = refusalReason(ctx.catalog.tools[tool], version);
  if (refused !== undefined) {
    throw new UserError(
      `Input \`${input}\`: ${path} is ${tool} v${version}, which secure-image refuses: ${refused}. Provide another ` +
        `release, or leave \`${input}\` empty to let secure-image install a verified one.`,
    );
  }
  ctx.log.warning(
    `${tool} ${version} at ${path} comes from \`${input}\`: it is used as provided, and secure-image did not verify it.`,
  );
  return {
    name: tool,
    version,
    path,
    source: 'provided',
    verification: [],
    durationMs: elapsed(start),
    note: `provided through \`${input}\`, not verified`,
  };
}
