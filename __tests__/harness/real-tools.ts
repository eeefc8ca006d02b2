// The real tools scripts/install-real-tools.sh builds (cosign, trivy, grype, buildx, buildkitd, buildctl,
// secure-image-vulndb, which writes the scanners' vulnerability DBs, and a private Sigstore's fulcio and
// timestamp-server, which private-sigstore.ts starts) and the daemons the docker builder needs, started on private
// sockets in temp dirs and stopped with the suite: `buildkitd` (a buildx builder with the `remote` driver, what
// setup-buildx-action's docker-container builder amounts to) and `dockerd` (buildx's `docker` driver, what GitHub's
// runners have by default).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitUntil } from './ports.js';

const run = promisify(execFile);

export type RealToolName =
  | 'cosign'
  | 'trivy'
  | 'grype'
  | 'buildx'
  | 'buildkitd'
  | 'buildctl'
  | 'fulcio'
  | 'timestamp-server'
  // scripts/vulndb: writes the scanners' vulnerability DBs (__tests__/harness/vulndb.ts).
  | 'secure-image-vulndb';

export interface RealTools {
  /** The script's bin directory. */
  bin: string;
  path(tool: RealToolName): string;
}

/** Where the script puts the tools when SECURE_IMAGE_REAL_TOOLS is not set (keep in step with the script). */
function defaultBin(): string {
  const dir =
    process.env.SECURE_IMAGE_REAL_TOOLS ??
    join(
      process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? '/root', '.cache'),
      'secure-image',
      'real-tools',
    );
  return join(dir, 'bin');
}

const FIX =
  'run `bash scripts/install-real-tools.sh` (it builds them with `go install` and prints their bin directory)';

/**
 * The real tools `needed`, from the bin directory the test set-up found (SECURE_IMAGE_REAL_TOOLS_BIN, set by
 * __tests__/support/real-tools-setup.js from the script's last line) or the script's default one. In CI a missing
 * tool fails the suite; elsewhere the caller skips, and `missing` says what to run.
 */
export function realTools(needed: readonly RealToolName[]): { tools?: RealTools; missing?: string } {
  const bin = process.env.SECURE_IMAGE_REAL_TOOLS_BIN ?? defaultBin();
  const absent = needed.filter((tool) => !existsSync(join(bin, tool)));
  const daemons = needed.some((t) => t === 'buildx' || t === 'buildkitd')
    ? ['dockerd', 'runc'].filter((d) => !['/usr/bin', '/usr/sbin'].some((p) => existsSync(join(p, d))))
    : [];
  if (absent.length === 0 && daemons.length === 0) {
    return { tools: { bin, path: (tool) => join(bin, tool) } };
  }
  const missing = `real ${[...absent, ...daemons].join(', ')} not found (looked in ${bin}): ${FIX}`;
  if (process.env.CI === 'true') throw new Error(`In CI the real tools are required: ${missing}`);
  return { missing };
}

/** `describe`, or `describe.skip` with the reason printed once, when the real tools are missing outside CI. */
export function skipReason(needed: readonly RealToolName[], suite: string): string | undefined {
  const { missing } = realTools(needed);
  if (missing) console.warn(`${suite}: skipped, ${missing}`);
  return missing;
}

export interface Daemon {
  child: ChildProcess;
  log: string[];
  exited: () => boolean;
  stop(): Promise<void>;
}

/** A long-running program in a process group of its own, its last 400 lines of output kept, stopped with the group. */
export function startDaemon(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Daemon {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log: string[] = [];
  const keep = (chunk: Buffer): void => {
    log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (log.length > 400) log.splice(0, log.length - 400);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let done = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((done = true), resolve())));
  const kill = (signal: NodeJS.Signals): void => {
    // The daemon and what it started (containerd, runc, shims): its own process group.
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  process.once('exit', () => kill('SIGKILL'));
  return {
    child,
    log,
    exited: () => done,
    async stop() {
      if (done) return;
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Removes a daemon's state dir; what it mounted (overlay or bind mounts of runc) is unmounted first. */
async function removeState(dir: string): Promise<void> {
  try {
    const { stdout } = await run('findmnt', ['-rn', '-o', 'TARGET']);
    const mounts = stdout
      .split('\n')
      .filter((m) => m.startsWith(dir))
      .sort((a, b) => b.length - a.length);
    for (const m of mounts) await run('umount', ['-l', m]).catch(() => undefined);
  } catch {
    // No findmnt: nothing was listed to unmount.
  }
  rmSync(dir, { recursive: true, force: true });
}

export interface Buildkitd {
  /** `unix://…/buildkitd.sock` */
  address: string;
  /** A docker config dir whose buildx knows the builder (`remote` driver) and has the buildx plugin. */
  dockerConfig: string;
  /** The builder's name, for BUILDX_BUILDER. */
  builder: string;
  stop(): Promise<void>;
}

/**
 * buildkitd as root with the OCI worker (runc from Debian, the native snapshotter, host networking: no CNI here),
 * on a private socket; and a buildx builder with the `remote` driver that points at it, in a docker config dir of
 * its own. Registries on loopback are reached over plain HTTP, as BuildKit does for localhost.
 */
export async function startBuildkitd(tools: RealTools): Promise<Buildkitd> {
  const dir = mkdtempSync(join(tmpdir(), 'secure-image-buildkitd-'));
  const address = `unix://${join(dir, 'buildkitd.sock')}`;
  const env = { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: dir };
  const daemon = startDaemon(
    tools.path('buildkitd'),
    [
      '--addr',
      address,
      '--root',
      join(dir, 'root'),
      '--oci-worker-snapshotter',
      'native',
      '--oci-worker-net',
      'host',
      '--containerd-worker',
      'false',
    ],
    env,
    dir,
  );
  const buildctl = async (): Promise<boolean> => {
    if (daemon.exited()) throw new Error(`buildkitd exited at start:\n${daemon.log.slice(-30).join('\n')}`);
    try {
      await run(tools.path('buildctl'), ['--addr', address, 'debug', 'workers'], { env });
      return true;
    } catch {
      return false;
    }
  };
  try {
    await waitUntil(buildctl, 60_000, `buildkitd on ${address}`);
  } catch (error) {
    await daemon.stop();
    await removeState(dir);
    throw error;
  }
  const dockerConfig = join(dir, 'docker-config');
  mkdirSync(join(dockerConfig, 'cli-plugins'), { recursive: true });
  symlinkSync(tools.path('buildx'), join(dockerConfig, 'cli-plugins', 'docker-buildx'));
  const builder = `secure-image-remote-${process.pid}`;
  await run(tools.path('buildx'), ['create', '--name', builder, '--driver', 'remote', '--use', address], {
    env: { ...env, DOCKER_CONFIG: dockerConfig },
  });
  return {
    address,
    dockerConfig,
    builder,
    async stop() {
      await daemon.stop();
      await removeState(dir);
    },
  };
}

export interface Dockerd {
  /** `unix://…/docker.sock`, for DOCKER_HOST. */
  host: string;
  /** A docker config dir with the buildx plugin, whose default builder is the engine's own (`docker` driver). */
  dockerConfig: string;
  stop(): Promise<void>;
}

/**
 * dockerd on a private socket with its own data-root, exec-root and pidfile: the vfs storage driver (works on any
 * file system, in a container too), no iptables, no bridge. Loopback registries are plain HTTP to it by default.
 */
export async function startDockerd(tools: RealTools): Promise<Dockerd> {
  const dir = mkdtempSync(join(tmpdir(), 'secure-image-dockerd-'));
  const socket = join(dir, 'docker.sock');
  const host = `unix://${socket}`;
  const env = { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: dir };
  // A configuration of its own: nothing from the machine's /etc/docker/daemon.json.
  writeFileSync(join(dir, 'daemon.json'), '{}\n');
  const daemon = startDaemon(
    '/usr/sbin/dockerd',
    [
      '--host',
      host,
      '--data-root',
      join(dir, 'data'),
      '--exec-root',
      join(dir, 'exec'),
      '--pidfile',
      join(dir, 'docker.pid'),
      '--storage-driver',
      'vfs',
      '--iptables=false',
      '--ip6tables=false',
      '--bridge=none',
      '--config-file',
      join(dir, 'daemon.json'),
    ],
    env,
    dir,
  );
  const dockerConfig = join(dir, 'docker-config');
  mkdirSync(join(dockerConfig, 'cli-plugins'), { recursive: true });
  symlinkSync(tools.path('buildx'), join(dockerConfig, 'cli-plugins', 'docker-buildx'));
  const answers = async (): Promise<boolean> => {
    if (daemon.exited()) throw new Error(`dockerd exited at start:\n${daemon.log.slice(-30).join('\n')}`);
    try {
      await run('docker', ['version', '--format', '{{.Server.Version}}'], {
        env: { ...env, DOCKER_HOST: host, DOCKER_CONFIG: dockerConfig },
      });
      return true;
    } catch {
      return false;
    }
  };
  try {
    await waitUntil(answers, 60_000, `dockerd on ${host}`);
  } catch (error) {
    await daemon.stop();
    await removeState(dir);
    throw error;
  }
  return {
    host,
    dockerConfig,
    async stop() {
      await daemon.stop();
      await removeState(dir);
    },
  };
}

/**
 * `cosign sign` as a base image's publisher runs it with a key and no transparency log (none can be reached here):
 * cosign v3 wants its default signing config off for `--tlog-upload=false`. Loopback registries are plain HTTP.
 */
export function publisherSignArgs(keyFile: string, reference: string): string[] {
  return [
    'sign',
    '--key',
    keyFile,
    '--tlog-upload=false',
    '--use-signing-config=false',
    '--allow-http-registry',
    '--allow-insecure-registry',
    '--yes',
    reference,
  ];
}

/**
 * A trust policy with one rule, `name`, that trusts the images matching `images` by the PEM public key `publicPem`;
 * `tlog: false` unless `tlog` (the publisher signed without a transparency-log entry, as publisherSignArgs does).
 */
export function keyRulePolicy(name: string, images: string, publicPem: string, tlog = false): string {
  return [
    'unmatched: deny',
    'rules:',
    `  - name: ${name}`,
    `    images: ["${images}"]`,
    '    key: |',
    ...publicPem
      .trim()
      .split('\n')
      .map((l) => `      ${l}`),
    ...(tlog ? [] : ['    tlog: false']),
    '',
  ].join('\n');
}
