import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, LOOPBACK, waitUntil } from './ports.js';

/**
 * A real OCI registry (Debian's docker-registry, i.e. distribution 2.8) on 127.0.0.1 and a free port,
 * storing into a temp dir, for end-to-end tests and the demo.
 */
export interface Registry {
  /** `127.0.0.1:PORT`, the host part of image references. */
  host: string;
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Temp dir holding the config, the storage and the buildah store of `pushBaseImage`. */
  dataDir: string;
  /** Credentials, when the registry was started with auth. */
  auth?: { username: string; password: string };
  stop(): Promise<void>;
  manifest(repo: string, ref: string): Promise<RegistryManifest | undefined>;
  /** Raw blob bytes, or undefined when the registry does not have it. */
  blob(repo: string, digest: string): Promise<Buffer | undefined>;
  tags(repo: string): Promise<string[]>;
  /** `METHOD /path` of every request the registry served, in order (from its access log). */
  requests(): string[];
  /** Uploads a blob (a layer, a config) as a client pushing an image does: POST, then PUT with its digest. */
  putBlob(repo: string, bytes: Buffer): Promise<{ digest: string; size: number }>;
  /** PUTs a manifest or index under `reference` (a tag or its digest); resolves to its digest. */
  putManifest(repo: string, reference: string, mediaType: string, text: string): Promise<string>;
}

export interface RegistryManifest {
  digest: string;
  mediaType: string;
  body: unknown;
  /** The bytes as served; their sha256 is `digest`. */
  raw: string;
}

// The harness asks for manifests exactly as the action does.
import { MANIFEST_ACCEPT } from '../../src/registry/client.js';

export { MANIFEST_ACCEPT };

const REGISTRY_BINARY = '/usr/bin/docker-registry';

// Children and temp dirs still alive when the test process exits (a test that forgot stop(), or a
// crash): killed and removed synchronously so nothing outlives the run.
const liveChildren = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of liveChildren) {
      try {
        child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
    for (const dir of liveDirs) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // Best effort: the dir is under tmpdir anyway.
      }
    }
  });
}

export async function startRegistry(
  options: { auth?: { username: string; password: string } } = {},
): Promise<Registry> {
  if (!existsSync(REGISTRY_BINARY)) {
    throw new Error(`${REGISTRY_BINARY} is missing: install Debian's docker-registry package`);
  }
  installExitHook();
  const dataDir = await mkdtemp(join(tmpdir(), 'secure-image-registry-'));
  liveDirs.add(dataDir);
  const auth = options.auth;
  let htpasswdPath: string | undefined;
  if (auth) {
    htpasswdPath = join(dataDir, 'htpasswd');
    await writeFile(htpasswdPath, `${auth.username}:${await bcryptHash(auth.password)}\n`, { mode: 0o600 });
  }

  // The kernel cannot hand docker-registry a port, so there is a small window in which another
  // process may take the one we picked: try again with a new port when the bind fails.
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const configPath = join(dataDir, 'config.yml');
    await writeFile(configPath, registryConfig(dataDir, port, htpasswdPath));
    try {
      return await launch(dataDir, configPath, port, auth);
    } catch (error) {
      lastError = error;
      if (!String(error).includes('address already in use')) break;
    }
  }
  liveDirs.delete(dataDir);
  await rm(dataDir, { recursive: true, force: true });
  throw lastError;
}

function registryConfig(dataDir: string, port: number, htpasswdPath: string | undefined): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: false',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(join(dataDir, 'storage'))}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: ${LOOPBACK}:${port}`,
    // A fixed secret silences the startup warning; it only signs upload state.
    `  secret: ${randomBytes(16).toString('hex')}`,
    'health:',
    '  storagedriver:',
    '    enabled: false',
  ];
  if (htpasswdPath) {
    lines.push(
      'auth:',
      '  htpasswd:',
      '    realm: secure-image-test',
      `    path: ${JSON.stringify(htpasswdPath)}`,
    );
  }
  return lines.join('\n') + '\n';
}

async function launch(
  dataDir: string,
  configPath: string,
  port: number,
  auth: { username: string; password: string } | undefined,
): Promise<Registry> {
  const child = spawn(REGISTRY_BINARY, ['serve', configPath], {
    cwd: dataDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  const log: string[] = [];
  const requests: string[] = [];
  let partial = '';
  const onData = (chunk: Buffer): void => {
    const text = partial + chunk.toString('utf8');
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      log.push(line);
      // Access log lines: 127.0.0.1 - - [date] "GET /v2/ HTTP/1.1" 200 2 "" "agent"
      const match = /"([A-Z]+) (\S+) HTTP\/[\d.]+" \d{3}/.exec(line);
      if (match) requests.push(`${match[1]} ${match[2]}`);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exited: { code: number | null } | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      exited = { code };
      liveChildren.delete(child);
      resolve();
    });
  });

  const host = `${LOOPBACK}:${port}`;
  const url = `http://${host}`;
  const authHeader = auth
    ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
    : undefined;
  const get = (path: string, accept?: string): Promise<Response> =>
    fetch(`${url}${path}`, {
      headers: {
        ...(accept ? { Accept: accept } : {}),
        ...(authHeader ? { Authorization: authHeader } : {}),
      },
    });
  const send = (
    method: string,
    path: string,
    body?: Buffer | string,
    contentType?: string,
  ): Promise<Response> =>
    fetch(`${url}${path}`, {
      method,
      ...(body !== undefined ? { body } : {}),
      headers: {
        ...(contentType ? { 'Content-Type': contentType } : {}),
        ...(authHeader ? { Authorization: authHeader } : {}),
      },
    });

  try {
    await waitUntil(
      async () => {
        if (exited) throw new Error(`docker-registry exited (${exited.code}) at start:\n${log.join('\n')}`);
        try {
          const response = await get('/v2/');
          await response.arrayBuffer();
          // 401 means it is up and wants credentials.
          return response.status === 200 || response.status === 401;
        } catch {
          return false;
        }
      },
      15000,
      `docker-registry on ${host}`,
    );
  } catch (error) {
    child.kill('SIGKILL');
    await exitPromise;
    throw error;
  }

  let stopped = false;
  return {
    host,
    url,
    dataDir,
    ...(auth ? { auth } : {}),
    requests: () => [...requests],
    async stop() {
      if (stopped) return;
      stopped = true;
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exitPromise;
        clearTimeout(timer);
      }
      baseImageBuilds.delete(dataDir);
      liveDirs.delete(dataDir);
      await rm(dataDir, { recursive: true, force: true });
    },
    async putBlob(repo, bytes) {
      const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      const started = await send('POST', `/v2/${repo}/blobs/uploads/`);
      await started.arrayBuffer();
      const upload = new URL(started.headers.get('location') ?? '', url);
      upload.searchParams.set('digest', digest);
      const put = await send('PUT', `${upload.pathname}${upload.search}`, bytes, 'application/octet-stream');
      if (put.status !== 201)
        throw new Error(`blob upload to ${repo}: HTTP ${put.status} ${await put.text()}`);
      return { digest, size: bytes.length };
    },
    async putManifest(repo, reference, mediaType, text) {
      const put = await send('PUT', `/v2/${repo}/manifests/${reference}`, text, mediaType);
      if (put.status !== 201)
        throw new Error(`manifest upload to ${repo}: HTTP ${put.status} ${await put.text()}`);
      await put.arrayBuffer();
      return `sha256:${createHash('sha256').update(text).digest('hex')}`;
    },
    async manifest(repo, ref) {
      const response = await get(`/v2/${repo}/manifests/${ref}`, MANIFEST_ACCEPT);
      if (response.status === 404) {
        await response.arrayBuffer();
        return undefined;
      }
      const raw = await response.text();
      if (!response.ok) throw new Error(`GET ${repo}/manifests/${ref}: ${response.status} ${raw}`);
      return {
        digest: response.headers.get('docker-content-digest') ?? '',
        mediaType: response.headers.get('content-type') ?? '',
        body: JSON.parse(raw) as unknown,
        raw,
      };
    },
    async blob(repo, digest) {
      const response = await get(`/v2/${repo}/blobs/${digest}`);
      if (response.status === 404) {
        await response.arrayBuffer();
        return undefined;
      }
      if (!response.ok)
        throw new Error(`GET ${repo}/blobs/${digest}: ${response.status} ${await response.text()}`);
      return Buffer.from(await response.arrayBuffer());
    },
    async tags(repo) {
      const response = await get(`/v2/${repo}/tags/list`);
      if (response.status === 404) {
        await response.arrayBuffer();
        return [];
      }
      const body = (await response.json()) as { tags?: string[] | null };
      return body.tags ?? [];
    },
  };
}

/**
 * The bcrypt hash docker-registry's htpasswd wants. apache2-utils (htpasswd) is not installed here,
 * so this asks the C library's crypt(3) through perl: Debian's libxcrypt implements `$2b$`.
 */
async function bcryptHash(password: string): Promise<string> {
  const alphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const salt = [...randomBytes(22)].map((byte) => alphabet[byte % 64]).join('');
  // Cost 5: the registry checks the password on every request, and these are throwaway passwords.
  const setting = `$2b$05$${salt}`;
  const hash = await new Promise<string>((resolve, reject) => {
    const child = execFile(
      'perl',
      ['-e', 'my $p = do { local $/; <STDIN> }; print crypt($p, $ARGV[0]);', setting],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
    child.stdin?.end(password);
  });
  if (!hash.startsWith('$2b$05$')) {
    throw new Error(
      `crypt(3) did not produce a bcrypt hash (got ${JSON.stringify(hash)}); registry auth needs one`,
    );
  }
  return hash;
}

// ---------------------------------------------------------------------------------------------
// A tiny base image for tests: FROM scratch + static busybox, built once per registry with buildah.

interface BaseImageBuild {
  storage: string;
  image: Promise<string>;
  pushes: Map<string, Promise<{ ref: string; digest: string }>>;
}
const baseImageBuilds = new Map<string, BaseImageBuild>();

const BUSYBOX_CANDIDATES = ['/usr/bin/busybox', '/bin/busybox'];

/**
 * Builds (once per registry) an image FROM scratch holding the static busybox as /bin/busybox with
 * /bin/sh linked to it, and pushes it as `repo:tag`. Returns the pushed reference with its digest,
 * as buildah reported it. Asking twice for the same repo:tag pushes once.
 */
export async function pushBaseImage(
  registry: Registry,
  repo: string,
  tag: string,
): Promise<{ ref: string; digest: string }> {
  let build = baseImageBuilds.get(registry.dataDir);
  if (!build) {
    const storage = join(registry.dataDir, 'buildah');
    build = { storage, image: buildBaseImage(storage), pushes: new Map() };
    baseImageBuilds.set(registry.dataDir, build);
  }
  const key = `${repo}:${tag}`;
  let push = build.pushes.get(key);
  if (!push) {
    const current = build;
    push = current.image.then((image) => pushImage(current.storage, image, registry, repo, tag));
    build.pushes.set(key, push);
    push.catch(() => current.pushes.delete(key));
  }
  return push;
}

function buildahArgs(storage: string): string[] {
  return ['--root', join(storage, 'root'), '--runroot', join(storage, 'runroot'), '--storage-driver', 'vfs'];
}

function buildahEnv(storage: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: storage,
    TMPDIR: storage,
    BUILDAH_ISOLATION: 'chroot',
  };
}

export async function buildah(storage: string, args: string[]): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    execFile(
      'buildah',
      [...buildahArgs(storage), ...args],
      { env: buildahEnv(storage), maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`buildah ${args.join(' ')} failed: ${stderr || error.message}`));
        else resolve(stdout.trim());
      },
    );
  });
}

/**
 * Like `pushBaseImage`, with `files` (absolute path in the image → content) added to the busybox tree, in the same
 * layer: an image that declares what a distribution would (an os-release, a package database). Built and pushed on
 * each call, in a buildah store of its own under the registry's data dir.
 */
export async function pushBusyboxImageWith(
  registry: Registry,
  repo: string,
  tag: string,
  files: Readonly<Record<string, string>>,
): Promise<{ ref: string; digest: string }> {
  const storage = join(registry.dataDir, `buildah-${randomBytes(6).toString('hex')}`);
  const image = await buildBaseImage(storage, files, `localhost/${repo}:${tag}`);
  return pushImage(storage, image, registry, repo, tag);
}

async function buildBaseImage(
  storage: string,
  files: Readonly<Record<string, string>> = {},
  image = 'localhost/secure-image-test-base:latest',
): Promise<string> {
  const busybox = BUSYBOX_CANDIDATES.find((path) => existsSync(path));
  if (!busybox) throw new Error('no static busybox found (install busybox-static)');
  await mkdir(storage, { recursive: true });
  const rootfs = join(storage, 'rootfs');
  await mkdir(join(rootfs, 'bin'), { recursive: true });
  await copyFile(busybox, join(rootfs, 'bin', 'busybox'));
  await symlink('busybox', join(rootfs, 'bin', 'sh'));
  for (const [path, content] of Object.entries(files)) {
    const target = join(rootfs, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }

  const container = await buildah(storage, ['from', '--quiet', 'scratch']);
  await buildah(storage, ['copy', '--quiet', container, `${rootfs}/`, '/']);
  await buildah(storage, [
    'config',
    '--cmd',
    '/bin/sh',
    '--env',
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    container,
  ]);
  await buildah(storage, ['commit', '--quiet', '--rm', container, image]);
  return image;
}

async function pushImage(
  storage: string,
  image: string,
  registry: Registry,
  repo: string,
  tag: string,
): Promise<{ ref: string; digest: string }> {
  const digestFile = join(storage, `digest-${randomBytes(6).toString('hex')}`);
  const ref = `${registry.host}/${repo}:${tag}`;
  const creds = registry.auth ? ['--creds', `${registry.auth.username}:${registry.auth.password}`] : [];
  await buildah(storage, [
    'push',
    '--quiet',
    '--tls-verify=false',
    ...creds,
    '--digestfile',
    digestFile,
    image,
    `docker://${ref}`,
  ]);
  const digest = (await readFile(digestFile, 'utf8')).trim();
  await rm(digestFile, { force: true });
  return { ref, digest };
}
