import { chmod, lstat, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tc from '@actions/tool-cache';
import { UserError, errorMessage } from '../util/errors.js';
import { tailLines, type ExecRequest, type ExecResult } from '../util/exec.js';
import { lookupChecksum, parseChecksums } from './checksums.js';
import type { InstallPlan, PlannedFile } from './plan.js';

/**
 * The checks a download and a cache hit share: the checksums file lists the asset with its hash, a zip holds the
 * binary, and a cosign that is what it says it is.
 */

/** A verification that said no; the download or the cache entry is not used. */
export class CheckFailedError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailedError';
  }
}

/** The SHA-256 the checksums file (at `path`, fetched from `file`) lists for the plan's asset. */
export async function listedHash(plan: InstallPlan, file: PlannedFile, path: string): Promise<string> {
  let checksums: Map<string, string>;
  try {
    checksums = parseChecksums(await readFile(path, 'utf8'), `${file.name} (${file.url})`);
  } catch (err) {
    throw new CheckFailedError(`${plan.tool} ${plan.version}: ${errorMessage(err)}. Nothing was cached.`);
  }
  const found = lookupChecksum(checksums, plan.asset.name);
  if (!found.ok) {
    throw new CheckFailedError(
      `${plan.tool} ${plan.version}: ${file.name} (${file.url}) lists no SHA-256 for ${plan.asset.name}. ` +
        'The download was deleted and nothing was cached.',
    );
  }
  return found.sha256;
}

/**
 * Unpacks a verified zip into `out` and returns the path of the binary in it. Only a regular file counts: a link
 * could point anywhere on the runner.
 */
export async function zipMember(plan: InstallPlan, zip: string, out: string): Promise<string> {
  await mkdir(out, { recursive: true });
  await tc.extractZip(zip, out);
  const inside = join(out, plan.asset.binaryPath);
  const stat = await lstat(inside).catch(() => undefined);
  if (!stat?.isFile()) {
    throw new CheckFailedError(
      `${plan.tool} ${plan.version}: ${plan.asset.name} verified, but holds no file ${plan.asset.binaryPath}. Nothing was cached.`,
    );
  }
  return inside;
}

/** `cosign version --json` prints `{"gitVersion": "v3.1.3", …}`. */
function reportedVersion(stdout: string): string | undefined {
  try {
    const parsed = JSON.parse(stdout) as { gitVersion?: unknown };
    return typeof parsed.gitVersion === 'string' ? parsed.gitVersion.replace(/^v/, '') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every cosign release is signed by the same identity, and its asset names carry no version, so a signature alone
 * cannot tell v3.0.0 from v3.1.3: a `tool-mirror` could serve an older signed release under a newer version's name.
 * The binary's own `version --json` must then name the version asked for. (trivy's signer names the exact tag, and
 * grype's signed checksums file names the version in every line, so theirs cannot be swapped this way; the bootstrap
 * cosign is pinned by hash.)
 */
export async function assertCosignVersion(
  plan: InstallPlan,
  binary: string,
  exec: (request: ExecRequest) => Promise<ExecResult>,
): Promise<void> {
  // A pinned hash names one release's bytes: nothing to ask the binary.
  if (plan.tool !== 'cosign' || plan.verification.some((s) => s.kind === 'pinned-sha256')) return;
  await chmod(binary, 0o755);
  const result = await exec({
    command: binary,
    args: ['version', '--json'],
    env: {},
    timeoutMs: 30_000,
    label: 'cosign version',
  });
  const reported = result.exitCode === 0 ? reportedVersion(result.stdout) : undefined;
  if (reported === plan.version) return;
  const said = reported
    ? `it reports version ${reported}`
    : `\`cosign version --json\` did not say which version it is (exit code ${result.exitCode}${tailLines(result.stderr, 2) ? `: ${tailLines(result.stderr, 2)}` : ''})`;
  throw new CheckFailedError(
    `cosign ${plan.version}: ${plan.asset.url} carries a valid cosign release signature, but ${said}, not ${plan.version}. ` +
      "A mirror or proxy served another release under this version's name; nothing was cached. Check `tool-mirror`.",
  );
}
