import type { BuilderChoice } from '../build/select.js';
import type { Config } from '../config/index.js';
import type { TrustPolicy } from '../policy/index.js';
import type { RegistryClient } from '../registry/client.js';
import type { AuthDir } from '../registry/credentials.js';
import type { AnnotationRequest } from '../report/annotations.js';
import type { RunReport, StageId, StagePlan } from '../report/run-report.js';
import type { DatabaseState } from '../scan/database.js';
import type { BaseUpdate } from '../report/base-updates-section.js';
import type { SizeReport } from '../report/size-section.js';
import type { ScanStageResult } from '../scan/scan-target.js';
import type { SignResult } from '../sign/signing.js';
import type { InstallDeps, InstallResult, ToolReport } from '../tools/install.js';
import { UserError } from '../util/errors.js';
import type { BaseImageResult } from './base-images.js';
import type { BuildOutcome } from './build.js';

/**
 * What a benchmark may replace in a run. Only code that imports src/main.ts can pass it (src/index.ts passes
 * nothing); no input or environment variable reaches it.
 */
export interface RunSeams {
  /** A tool catalog whose pinned hashes fit a local release server's stand-ins (bench/pipeline.ts). */
  install?: Pick<InstallDeps, 'catalog'>;
}

/** What every stage of one run shares: the inputs, the report being written, and the run's resources. */
export interface Run {
  config: Config;
  plan: StagePlan;
  report: RunReport;
  annotations: AnnotationRequest[];
  registry: RegistryClient;
  /** The clean environment tools run with (plus DOCKER_CONFIG when the action logged in itself). */
  toolEnv: Record<string, string>;
  /** This run's folder under RUNNER_TEMP. */
  workDir: string;
  authDir?: AuthDir;
  policyFile?: TrustPolicy;
  seams: RunSeams;

  // Work started early and awaited by the stages that need it.
  tools?: Promise<InstallResult>;
  cosign?: Promise<ToolReport | undefined>;
  database?: Promise<DatabaseState>;
  /** Newer digests behind the pinned base images' tags, looked up beside the build. */
  baseUpdates?: Promise<BaseUpdate[]>;

  // What the stages found, in the order they run.
  installed?: InstallResult;
  /** The builder, chosen before the Dockerfile is read (its grammar decides what the check reads). */
  builder?: BuilderChoice;
  baseImages?: BaseImageResult;
  /** What `baseUpdates` found, once the report awaited it. */
  baseUpdateList?: BaseUpdate[];
  build?: BuildOutcome;
  /** The platforms of a merged index, which the scan reads one by one (`platforms` is empty in a merge job). */
  platforms?: string[];
  /** The image's size per platform (`image-size`), once it is in the registry. */
  size?: SizeReport;
  scan?: ScanStageResult;
  sign?: SignResult;
  /** Tags that exist in the registry, made by the publish stage. */
  tags?: string[];
}

/**
 * One stage: when it is skipped and why (from the plan and what ran before), and what it does. A stage reads what
 * earlier stages put on the `Run` and adds its own result there; the schedule in main.ts decides the order.
 */
export interface Stage {
  readonly id: StageId;
  /** Why the stage does not run in this run, or undefined when it does. */
  skipped?(run: Run): string | undefined;
  run(run: Run): Promise<void>;
}

/** Runs a stage unless the plan or the run so far rules it out; the report keeps the plan's reason. */
export async function runStage(run: Run, stage: Stage): Promise<void> {
  if (!run.plan[stage.id].run) return;
  const why = stage.skipped?.(run);
  if (why !== undefined) {
    run.report.set(stage.id, 'skipped', why);
    return;
  }
  await stage.run(run);
}

/** The cosign binary of this run, once installed and verified. */
export async function cosignPath(run: Run): Promise<string> {
  const installed = await run.cosign;
  if (!installed) throw new UserError('cosign is not installed in this run');
  return installed.path;
}

/** The registry host of the image this run pushes or signs. */
export function registryOf(config: Config): string {
  const repository = config.image ?? config.digest?.repository ?? config.tags[0] ?? '';
  return repository.split('/')[0] ?? '';
}

/** What the run is about: the pushed reference, or the local name. */
export function subjectOf(run: Run): string {
  const { config, build } = run;
  if (build?.imageRef) return build.imageRef;
  if (config.digest) return `${config.digest.repository}@${config.digest.digest}`;
  return config.tags[0] ?? config.image ?? 'image';
}
