import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../util/errors.js';
import type { ExecRequest, ExecResult } from '../util/exec.js';
import { sha256File } from './cache.js';
import { CheckFailedError, assertCosignVersion, listedHash, zipMember } from './checks.js';
import {
  describeStep,
  signatureFiles,
  type InstallPlan,
  type PlannedFile,
  type VerificationStep,
} from './plan.js';
import { SignatureMaterialError } from './signature-material.js';
import { tarGzMemberSink } from './untar.js';
import { SignatureError, verifyBlob, type SignatureMaterial } from './verify-blob.js';

/**
 * A cache entry of a tool that is not pinned by hash keeps what it was verified with, in this folder beside the
 * binary: the release asset (for an archive), the checksums file and the signature files. The install record sits in
 * the same writable folder, so a cache hit trusts none of it: it verifies these files again, with the bootstrap cosign
 * (itself checked against the hash embedded in secure-image) and the signer from the catalog, and checks that the
 * cached binary is what the verified asset holds. Someone who can write the cache can change these files, but cannot
 * make new ones that pass.
 */
export const EVIDENCE_DIR = 'secure-image-evidence';

type SignatureStep = Extract<VerificationStep, { kind: 'signature' }>;

/** The plan's checksums and signature steps (a plan without a pinned hash has one of each). */
export function signedSteps(plan: InstallPlan): { checksums: PlannedFile; signature: SignatureStep } {
  let checksums: PlannedFile | undefined;
  let signature: SignatureStep | undefined;
  for (const step of plan.verification) {
    if (step.kind === 'checksums-file') checksums = step.file;
    if (step.kind === 'signature') signature = step;
  }
  if (!checksums || !signature)
    throw new Error(`internal: ${plan.tool} ${plan.version} is not verified by signature`);
  return { checksums, signature };
}

/** Where a signature's files are, given where each release file is. */
export function materialAt(step: SignatureStep, at: (file: PlannedFile) => string): SignatureMaterial {
  return step.files.kind === 'bundle'
    ? { kind: 'bundle', bundle: at(step.files.bundle) }
    : {
        kind: 'signature-and-certificate',
        signature: at(step.files.signature),
        certificate: at(step.files.certificate),
      };
}

/**
 * Copies the verified files into the staged entry's evidence folder. `pathOf` gives each release file's verified
 * copy on disk (the asset's is written from memory if it was held there).
 */
export async function keepEvidence(
  plan: InstallPlan,
  stagedDir: string,
  pathOf: (file: PlannedFile) => Promise<string>,
): Promise<void> {
  const { checksums, signature } = signedSteps(plan);
  const dir = join(stagedDir, EVIDENCE_DIR);
  await mkdir(dir, { recursive: true });
  const files = [checksums, ...signatureFiles(signature.files)];
  // A bare binary is its own asset: the cached binary is what gets hashed again.
  if (plan.asset.archive !== 'binary') files.push(plan.asset);
  for (const file of files) await copyFile(await pathOf(file), join(dir, file.name));
}

export interface ReverifyContext {
  exec: (request: ExecRequest) => Promise<ExecResult>;
  sleep?: (ms: number) => Promise<void>;
  workDir: string;
  maxBytes: number;
  /** The bootstrap cosign, installed (or re-checked against its embedded hash). */
  verifier: () => Promise<{ path: string; version: string }>;
}

/** The SHA-256 of a kept asset and of the binary it holds, in one read of the asset. */
async function hashAsset(
  plan: InstallPlan,
  asset: string,
  ctx: ReverifyContext,
): Promise<{ asset: string; binary: string }> {
  const scratch = await mkdtemp(join(ctx.workDir, `reverify-${plan.tool}-`));
  if (plan.asset.archive === 'zip') {
    const binary = await sha256File(await zipMember(plan, asset, scratch));
    return { asset: await sha256File(asset), binary };
  }
  const hash = createHash('sha256');
  const sink =
    plan.asset.archive === 'tar.gz'
      ? tarGzMemberSink(plan.asset.binaryPath, join(scratch, 'member'), ctx.maxBytes)
      : undefined;
  for await (const chunk of createReadStream(asset)) {
    hash.update(chunk as Buffer);
    await sink?.write(chunk as Buffer);
  }
  const assetHash = hash.digest('hex');
  if (!sink) return { asset: assetHash, binary: assetHash };
  const unpacked = await sink.close();
  if (!unpacked.ok) {
    throw new CheckFailedError(
      `${plan.asset.name} in the cache does not unpack: ${errorMessage(unpacked.error)}`,
    );
  }
  return { asset: assetHash, binary: unpacked.value.sha256 };
}

/**
 * Verifies a cache entry again from its evidence (see EVIDENCE_DIR) and returns what passed. A `CheckFailedError`,
 * `SignatureError` or `SignatureMaterialError` means the entry is not to be used; anything else (the bootstrap cosign
 * could not be installed, cosign could not reach Sigstore) fails the install and leaves the entry alone.
 */
export async function reverifyCached(
  plan: InstallPlan,
  entry: { dir: string; binaryPath: string; sha256: string },
  ctx: ReverifyContext,
): Promise<string[]> {
  const { checksums, signature } = signedSteps(plan);
  const at = (file: PlannedFile): string => join(entry.dir, EVIDENCE_DIR, file.name);
  const asset = plan.asset.archive === 'binary' ? entry.binaryPath : at(plan.asset);
  const cosign = ctx.verifier();
  cosign.catch(() => undefined);
  const hashes = await hashAsset(plan, asset, ctx).catch((err: unknown) => {
    // Entries cached before the evidence was kept, or with it removed, cannot be verified again.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new CheckFailedError(`the cache entry lacks what it was verified with (${errorMessage(err)})`);
  });
  const listed = await listedHash(plan, checksums, at(checksums));
  if (listed !== hashes.asset) {
    throw new CheckFailedError(
      `${plan.asset.name} in the cache has SHA-256 ${hashes.asset}; ${checksums.name} lists ${listed}`,
    );
  }
  if (hashes.binary !== entry.sha256) {
    throw new CheckFailedError(
      `${entry.binaryPath} (SHA-256 ${entry.sha256}) is not the ${plan.asset.binaryPath || plan.binaryName} that the ` +
        `verified ${plan.asset.name} holds (SHA-256 ${hashes.binary})`,
    );
  }
  const blob = signature.covers === 'asset' ? asset : at(checksums);
  const verifier = await cosign;
  await verifyBlob(
    verifier.path,
    { blob, material: materialAt(signature, at), signer: signature.signer },
    { exec: ctx.exec, ...(ctx.sleep ? { sleep: ctx.sleep } : {}) },
  );
  await assertCosignVersion(plan, entry.binaryPath, ctx.exec);
  return [
    `${describeStep({ kind: 'checksums-file', file: checksums }, plan)} (kept in the tool cache)`,
    `${describeStep(signature, plan, `cosign ${verifier.version}`)} (kept in the tool cache)`,
    `SHA-256 ${entry.sha256} of the cached binary is the one ${plan.asset.name} holds`,
  ];
}

/** Whether `reverifyCached` refused the entry (rather than being unable to check it). */
export function isRefusedEntry(err: unknown): boolean {
  return (
    err instanceof CheckFailedError || err instanceof SignatureError || err instanceof SignatureMaterialError
  );
}
