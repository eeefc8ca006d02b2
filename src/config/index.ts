import type { GithubContext } from '../github-context.js';
import { ConfigErrors } from '../util/errors.js';
import { readBaseImageInputs, type BaseImageInputs } from './base-images.js';
import { readBuildInputs, type BuildInputs } from './build.js';
import { readImageInputs, type ImageInputs } from './image.js';
import { InputReader, type InputSource } from './reader.js';
import { readReportInputs, type ReportInputs } from './report.js';
import { readScanInputs, type ScanInputs } from './scan.js';
import { readSignInputs, type SignInputs } from './sign.js';
import { readSizeInputs, type SizeInputs } from './size.js';
import { readToolInputs, type ToolInputs } from './tools.js';

export type { Builder } from '../build/types.js';
export type { CosignKey } from '../sign/key-material.js';
export type { KeyValue } from '../util/key-value.js';
export type { PinningMode, VerifyMode } from './base-images.js';
export type { GivenDigest, MergeLeg } from './image.js';
export type { InputSource } from './reader.js';
export type { FailOn, ScannerName } from './scan.js';
export type { Attestation, SignatureFormat } from './sign.js';
export type { SizeBudget } from './size.js';
export { workspaceRelative } from './paths.js';

/** Every input, read once and validated: the groups of the README's input table, and the run's GitHub context. */
export interface Config
  extends
    ImageInputs,
    BuildInputs,
    BaseImageInputs,
    ScanInputs,
    SignInputs,
    SizeInputs,
    ToolInputs,
    ReportInputs {
  github: GithubContext;
}

/**
 * Reads every input once, group by group, and validates all of it, so a user sees every problem of a run in one
 * go. `secret` is called for each secret value the moment it is read, before anything can log it.
 */
export function readConfig(
  input: InputSource,
  github: GithubContext,
  secret: (value: string) => void,
  cwd: string = process.cwd(),
): Config {
  const r = new InputReader(input, cwd, secret);
  const cosignKey = r.secret('cosign-key');
  const cosignPassword = r.secret('cosign-password');
  const registryPassword = r.secret('registry-password');
  const githubToken = r.secret('github-token');

  const image = readImageInputs(r, github, registryPassword);
  const needsDockerfile = image.digest === undefined && image.merge.length === 0;
  const config: Config = {
    ...image,
    ...readBuildInputs(r, github, needsDockerfile, image.build),
    ...readBaseImageInputs(r),
    ...readScanInputs(r),
    ...readSignInputs(r, cosignKey, cosignPassword),
    ...readSizeInputs(r),
    ...readToolInputs(r),
    ...readReportInputs(r, githubToken),
    github,
  };
  if (r.problems.length > 0) throw new ConfigErrors(r.problems);
  return config;
}
