import type { KeyValue } from '../config.js';
import type { RegistriesConf } from './registries-conf.js';

export type BuilderName = 'docker' | 'buildah' | 'podman';

export interface BuildRequest {
  context: string;
  /** The Dockerfile the builder reads: the pinned copy when pinning is on. */
  dockerfile: string;
  buildArgs: KeyValue[];
  target?: string;
  platforms: string[];
  labels: KeyValue[];
  /** Full references, the first of which names the local image. */
  tags: string[];
  push: boolean;
  /** Where build files (digest files, the OCI archive) go; under RUNNER_TEMP. */
  workDir: string;
  /** `<Dockerfile>.dockerignore` beside the original Dockerfile, which BuildKit prefers to the context's. */
  ignoreFile?: string;
  /** A docker-style config.json with the `registry-*` login, when those inputs were given. */
  authFile?: string;
  /** Registries reached over plain HTTP (loopback), as Docker does for 127.0.0.0/8. */
  insecureRegistries: string[];
}

/** One program run of a build plan. */
export interface PlannedCommand {
  label: string;
  args: string[];
  /** Pushes may be tried again on registry hiccups; a build never is. */
  kind: 'build' | 'push' | 'archive' | 'inspect';
  /** File the builder writes the pushed digest to. */
  digestFile?: string;
  /** The reference this command pushes. */
  pushes?: string;
}

export interface BuildPlan {
  builder: BuilderName;
  command: string;
  commands: PlannedCommand[];
  /** The OCI archive a scanner reads when nothing is pushed. */
  archive?: string;
  /** The metadata file buildx writes (containerimage.digest). */
  metadataFile?: string;
  /** buildah/podman: the registries.conf that lets the build reach loopback registries over plain HTTP. */
  registriesConf?: RegistriesConf;
}

export interface BuildResult {
  builder: BuilderName;
  /** The registry digest of what was pushed (the index, for several platforms). */
  digest?: string;
  pushedTags: string[];
  archive?: string;
  durationMs: number;
  /** Time spent inside builder processes, for the overhead benchmark. */
  toolMs: number;
}
