import { join } from 'node:path';
import { isLoopbackRegistry } from '../registry/client.js';

/**
 * Command lines and environments for trivy and grype (pure). Every flag is on the upstream reference pages
 * (__tests__/fixtures/upstream/cli/trivy/trivy_{image,convert}.md, cli/grype/grype.md). The scanners are asked
 * for everything they find: severity, unfixed and ignore-file filtering are the gate's decisions, so the report
 * can say what was ignored and why. Registry credentials go in the environment or a config file, never argv.
 */
export type Scanner = 'trivy' | 'grype';

export type ScanTarget =
  /** The pushed digest, read straight from the registry: `repo@sha256:…`. */
  | { kind: 'registry'; ref: string; platform?: string }
  /** The OCI archive the build wrote when nothing was pushed. */
  | { kind: 'archive'; path: string; platform?: string };

/** trivy's own order (trivy_image.md, `--db-repository`): the mirror first, GitHub's registry second. */
export const TRIVY_DB_REPOSITORIES: readonly string[] = [
  'mirror.gcr.io/aquasec/trivy-db:2',
  'ghcr.io/aquasecurity/trivy-db:2',
];

/** The same for the Java index DB (trivy_image.md, `--java-db-repository`). */
export const TRIVY_JAVA_DB_REPOSITORIES: readonly string[] = [
  'mirror.gcr.io/aquasec/trivy-java-db:1',
  'ghcr.io/aquasecurity/trivy-java-db:1',
];

export interface TrivyScanOptions {
  target: ScanTarget;
  cacheDir: string;
  /** Where the JSON report goes. */
  output: string;
  /** Plain HTTP / unverified TLS: loopback registries, or the caller says so. */
  insecure: boolean;
  /** trivy's own deadline (default 5 min upstream); set above the runner's so the runner's message wins. */
  timeoutSeconds: number;
  /**
   * A Java DB was warmed into `cacheDir`: the scans use it as it is. Without one, a scan that meets JAR files
   * downloads it itself (trivy refuses `--skip-java-db-update` when there is none).
   */
  skipJavaDbUpdate?: boolean;
}

export function trivyScanArgs(o: TrivyScanOptions): string[] {
  const args = [
    'image',
    '--format',
    'json',
    '--output',
    o.output,
    '--cache-dir',
    o.cacheDir,
    // Concurrent platform scans share one cache dir. The layer cache (`fs` backend) is a BoltDB file with an
    // exclusive lock ("cache may be in use by another process"), so it is kept in memory; each scan reads a fresh
    // image anyway. The vulnerability DB itself is opened read-only since trivy 0.68 (aquasecurity/trivy#9750), so
    // the scans can all read the one DB the warm-up left; an older trivy (`scanner-version`) may wait on its lock.
    '--cache-backend',
    'memory',
    // The DB was warmed before the scan; several scans must not download it at once.
    '--skip-db-update',
    '--scanners',
    'vuln',
    // Every package in the report, not only vulnerable ones, so `trivy convert` makes a complete SBOM.
    '--list-all-pkgs',
    '--no-progress',
    '--timeout',
    `${Math.max(1, Math.ceil(o.timeoutSeconds))}s`,
  ];
  if (o.skipJavaDbUpdate) args.push('--skip-java-db-update');
  if (o.target.platform) args.push('--platform', o.target.platform);
  if (o.insecure) args.push('--insecure');
  if (o.target.kind === 'registry') {
    // Only the registry: the docker/containerd/podman sources would scan whatever a local daemon holds under that name.
    args.push('--image-src', 'remote', o.target.ref);
  } else {
    args.push('--input', o.target.path);
  }
  return args;
}

export type TrivyConvertFormat = 'cyclonedx' | 'sarif' | 'cosign-vuln' | 'spdx-json';

/** `trivy convert`: another format from the same JSON report, without scanning again. */
export function trivyConvertArgs(format: TrivyConvertFormat, report: string, output: string): string[] {
  return ['convert', '--format', format, '--output', output, report];
}

/**
 * `trivy image --download-db-only` (or `--download-java-db-only` for the Java index DB) from one repository; the
 * caller walks the repositories and retries.
 */
export function trivyDbArgs(
  cacheDir: string,
  repository: string,
  timeoutSeconds = 600,
  db: 'vulnerability' | 'java' = 'vulnerability',
): string[] {
  return [
    'image',
    db === 'java' ? '--download-java-db-only' : '--download-db-only',
    '--cache-dir',
    cacheDir,
    db === 'java' ? '--java-db-repository' : '--db-repository',
    repository,
    '--no-progress',
    '--timeout',
    `${Math.max(1, Math.ceil(timeoutSeconds))}s`,
  ];
}

export interface GrypeScanOptions {
  target: ScanTarget;
  /** The JSON report. */
  output: string;
  /** The CycloneDX SBOM, written by the same run. */
  sbomOutput: string;
  /** An explicit config file, so grype does not pick up `.grype.yaml` from the working or home directory. */
  configFile?: string;
}

export function grypeScanArgs(o: GrypeScanOptions): string[] {
  const source = o.target.kind === 'registry' ? `registry:${o.target.ref}` : `oci-archive:${o.target.path}`;
  const args = [source, '-o', `json=${o.output}`, '-o', `cyclonedx-json=${o.sbomOutput}`];
  if (o.configFile) args.push('-c', o.configFile);
  if (o.target.platform) args.push('--platform', o.target.platform);
  return args;
}

/** The grype config written for a scan: nothing but what keeps grype quiet; the gate reads ignore rules itself. */
export const GRYPE_SCAN_CONFIG = 'check-for-app-update: false\n';

export function grypeDbUpdateArgs(): string[] {
  return ['db', 'update'];
}

export function grypeDbStatusArgs(): string[] {
  return ['db', 'status', '-o', 'json'];
}

/** Where each scanner keeps its DB under the runner's tool cache. */
export function databaseDir(toolCacheDir: string, scanner: Scanner): string {
  return join(toolCacheDir, 'secure-image', `${scanner}-db`);
}

/** The registry host of `repo@sha256:…` / `repo:tag` (the first path segment, when it names a host). */
export function registryHost(ref: string): string {
  const first = ref.split('/')[0] ?? '';
  const isHost = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return isHost ? first : 'docker.io';
}

/** Loopback registries speak plain HTTP (as Docker treats 127.0.0.0/8), so the scanners must be told. */
export function targetIsInsecure(target: ScanTarget, insecure: boolean): boolean {
  return insecure || (target.kind === 'registry' && isLoopbackRegistry(registryHost(target.ref)));
}

export interface RegistryLogin {
  registry: string;
  username: string;
  password: string;
}

/**
 * Environment for trivy. Settings that only quiet it go through `TRIVY_*` variables rather than flags, so an
 * older trivy given by `scanner-version` ignores what it does not know instead of failing on an unknown flag.
 * Credentials are not set here, on purpose: `TRIVY_USERNAME`/`TRIVY_PASSWORD` are sent to every registry trivy
 * contacts (trivy's private-registry docs), the vulnerability and Java DB registries included. The login goes in
 * a temporary docker config that names only the target registry's host (`dockerConfigJson`, written per scan
 * and deleted after it), which trivy reads through `DOCKER_CONFIG`.
 */
export function trivyEnv(o: { dockerConfigDir?: string } = {}): Record<string, string> {
  return {
    TRIVY_SKIP_VERSION_CHECK: 'true',
    TRIVY_DISABLE_TELEMETRY: 'true',
    ...(o.dockerConfigDir ? { DOCKER_CONFIG: o.dockerConfigDir } : {}),
  };
}

/** A docker config.json holding one login, for scanners that read `DOCKER_CONFIG`. */
export function dockerConfigJson(login: RegistryLogin): string {
  const auth = Buffer.from(`${login.username}:${login.password}`).toString('base64');
  const key = login.registry === 'docker.io' ? 'https://index.docker.io/v1/' : login.registry;
  return JSON.stringify({ auths: { [key]: { auth } } });
}

/**
 * Environment for grype: the DB location, no DB update during a scan (it was warmed, and concurrent platform
 * scans must not each update it), plain HTTP for loopback registries, and a login scoped to its registry.
 */
export function grypeEnv(o: {
  dbDir: string;
  insecureHttp: boolean;
  login?: RegistryLogin;
  autoUpdate?: boolean;
}): Record<string, string> {
  return {
    GRYPE_DB_CACHE_DIR: o.dbDir,
    GRYPE_DB_AUTO_UPDATE: o.autoUpdate ? 'true' : 'false',
    GRYPE_CHECK_FOR_APP_UPDATE: 'false',
    ...(o.insecureHttp ? { GRYPE_REGISTRY_INSECURE_USE_HTTP: 'true' } : {}),
    ...(o.login
      ? {
          GRYPE_REGISTRY_AUTH_AUTHORITY: o.login.registry,
          GRYPE_REGISTRY_AUTH_USERNAME: o.login.username,
          GRYPE_REGISTRY_AUTH_PASSWORD: o.login.password,
        }
      : {}),
  };
}

/** `linux/arm64/v8` → `linux-arm64-v8`, for file names. */
export function platformSlug(platform: string | undefined): string {
  return platform ? platform.replace(/[^A-Za-z0-9._-]+/g, '-') : 'image';
}
