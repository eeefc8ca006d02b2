import type { KeyValue } from '../util/key-value.js';
import type { Annotation, CacheEntry } from './options.js';
import type { RegistriesConf } from './registries-conf.js';

export type BuilderName = 'docker' | 'buildah' | 'podman';
/** The `builder` input: a builder, or `auto` to pick the one this machine has. */
export type Builder = 'auto' | BuilderName;

/** A build secret from `secrets` or `secret-envs` (a value the action writes to a file) or `secret-files` (a file). */
export type BuildSecret = { id: string; value: string } | { id: string; file: string };

/** What a `RUN --mount=type=secret,id=<id>` reads: a 0600 file under RUNNER_TEMP, or the user's own file. */
export interface SecretMount {
  id: string;
  src: string;
}

export interface BuildRequest {
  context: string;
  /** The Dockerfile the builder reads: the pinned copy when pinning is on. */
  dockerfile: string;
  buildArgs: KeyValue[];
  target?: string;
  platforms: string[];
  labels: KeyValue[];
  /** Full references, the first of which names the local image. The builder pushes none of them. */
  tags: string[];
  /** Push by digest, untagged, to `repository`. */
  push: boolean;
  /** The repository a push goes to (`image`). */
  repository?: string;
  /** Where build files (digest files, the OCI archive) go; under RUNNER_TEMP. */
  workDir: string;
  /** `<Dockerfile>.dockerignore` beside the original Dockerfile, which BuildKit prefers to the context's. */
  ignoreFile?: string;
  /** A docker-style config.json with the `registry-*` login, when those inputs were given. */
  authFile?: string;
  /** Registries reached over plain HTTP (loopback), as Docker does for 127.0.0.0/8. */
  insecureRegistries: string[];
  /**
   * buildah/podman: the verified base images, pulled by digest before the build (and tagged with the reference the
   * Dockerfile names, when it is not pinned), which then runs with `--pull=never`: an image the gate never saw
   * cannot be fetched at all. Unset: the builder pulls as it likes.
   */
  pulls?: Array<{ ref: string; tag?: string }>;
  /** `--secret id=…,src=<file>`: only file paths reach the command line. */
  secrets?: SecretMount[];
  /** `--ssh` values: `default`, `<id>` or `<id>=<absolute paths>`. */
  ssh?: string[];
  cacheFrom?: CacheEntry[];
  cacheTo?: CacheEntry[];
  /** The action's OCI annotations, then the user's (which win on the same key and level). */
  annotations?: Annotation[];
  /** `--build-context name=value`, docker-image:// values pinned to their checked digests. */
  buildContexts?: KeyValue[];
}

/** One program run of a build plan. */
export interface PlannedCommand {
  label: string;
  args: string[];
  /** A build has only the job's time limit; writing the archive or layout has `stage-timeout`. */
  kind: 'build' | 'archive' | 'pull';
}

export interface BuildPlan {
  builder: BuilderName;
  command: string;
  commands: PlannedCommand[];
  /** The OCI archive a scanner reads when nothing is pushed. */
  archive?: string;
  /** The metadata file buildx writes (containerimage.digest). */
  metadataFile?: string;
  /** The OCI layout buildah or podman writes, for the action to upload by digest. */
  layout?: string;
  /** buildah/podman: the registries.conf that lets the build reach loopback registries over plain HTTP. */
  registriesConf?: RegistriesConf;
  /**
   * Names of the runner's variables the builder needs besides its configuration: SSH_AUTH_SOCK for an agent, and
   * for a gha cache the runner's cache service and token, which buildx reads from its environment.
   */
  passEnv?: string[];
}

export interface BuildResult {
  builder: BuilderName;
  /** The registry digest of what buildx pushed (the index, for several platforms). */
  digest?: string;
  archive?: string;
  /** The OCI layout to upload (buildah, podman). */
  layout?: string;
  /** The metadata file buildx wrote (its provenance names the images it resolved). */
  metadataFile?: string;
  durationMs: number;
  /** Time spent inside builder processes, for the overhead benchmark. */
  toolMs: number;
}
