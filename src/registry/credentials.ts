import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isRecord } from '../github-context.js';
import { registerSecret } from '../util/exec.js';

export interface RegistryCredentials {
  username: string;
  password: string;
}

// Docker Hub's credentials are stored under its v1 index URL; everything else under the host.
const DOCKER_HUB_KEYS = [
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'https://index.docker.io/v1/',
];

function keysFor(registry: string): string[] {
  return registry === 'docker.io' ? DOCKER_HUB_KEYS : [registry, `https://${registry}`, `http://${registry}`];
}

/** Where earlier login steps leave credentials: docker's config.json, then containers' auth.json. */
export function authFilePaths(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME ?? homedir();
  const paths = [join(userDockerConfigDir(env), 'config.json')];
  if (env.REGISTRY_AUTH_FILE) paths.push(env.REGISTRY_AUTH_FILE);
  if (env.XDG_RUNTIME_DIR) paths.push(join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
  paths.push(join(home, '.config', 'containers', 'auth.json'));
  return paths;
}

/** Inline `auth` entries of an auth file; credential helpers are left to the tools that call them. */
export function credentialsFromAuthFile(text: string, registry: string): RegistryCredentials | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const auths = isRecord(doc) && isRecord(doc.auths) ? doc.auths : undefined;
  if (!auths) return undefined;
  for (const key of keysFor(registry)) {
    const entry = auths[key];
    if (!isRecord(entry) || typeof entry.auth !== 'string') continue;
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return undefined;
}

export function lookupCredentials(
  env: NodeJS.ProcessEnv,
  explicit?: { registry: string; credentials: RegistryCredentials },
): (registry: string) => RegistryCredentials | undefined {
  return (registry) => {
    if (explicit && explicit.registry === registry) return explicit.credentials;
    for (const path of authFilePaths(env)) {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        continue;
      }
      const found = credentialsFromAuthFile(text, registry);
      if (found) return found;
    }
    return undefined;
  };
}

/**
 * A docker-style config directory in RUNNER_TEMP holding the `registry-username`/`registry-password`
 * login, so builders (`--authfile`), cosign (DOCKER_CONFIG) and scanners read it from a 0600 file and
 * never from argv. Removed by `dispose`.
 */
export interface AuthDir {
  dir: string;
  configFile: string;
  dispose(): void;
}

/** The docker config dir of the runner's user: DOCKER_CONFIG, else ~/.docker. */
export function userDockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), '.docker');
}

export function writeAuthDir(
  runnerTemp: string,
  registry: string,
  credentials: RegistryCredentials,
): AuthDir {
  // Every tool that reads this file may quote the login back (a registry error with its `Basic`
  // header): its output is redacted of the password, and of its base64, from here on.
  registerSecret(credentials.password);
  const dir = join(runnerTemp, `secure-image-auth-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const configFile = join(dir, 'config.json');
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  const key = registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry;
  writeFileSync(configFile, JSON.stringify({ auths: { [key]: { auth } } }), { mode: 0o600 });
  chmodSync(configFile, 0o600);
  // The docker CLI looks for its plugins (buildx, as setup-buildx-action installs it) in the config dir first:
  // the runner's stay visible through this one.
  const plugins = join(userDockerConfigDir(process.env), 'cli-plugins');
  if (existsSync(plugins)) symlinkSync(plugins, join(dir, 'cli-plugins'));
  return { dir, configFile, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
