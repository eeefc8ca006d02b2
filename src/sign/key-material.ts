import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The `cosign-key` input: a PEM private key (as `cosign generate-key-pair` writes it) or a KMS URI. */
export type CosignKey = { kind: 'pem'; pem: string } | { kind: 'kms'; uri: string };

/**
 * The signing key of key mode, made usable by cosign for the length of one stage: a PEM goes into a
 * file only its owner can read (or into one environment variable, for `env://`), a KMS URI is used as
 * it is. The password always travels as COSIGN_PASSWORD, set even when empty, because without it
 * cosign reads the password from stdin.
 */
export interface KeyMaterial {
  /** What `--key` gets: a file path, `env://NAME` or the KMS URI. */
  keyRef: string;
  kind: 'pem' | 'kms';
  /** Variables cosign needs for this key. */
  env: Record<string, string>;
  /** Values to redact from anything captured. */
  secrets: string[];
  /** Removes what was written. Safe to call twice. */
  dispose(): void;
}

/** The variable an `env://` key reference names; not COSIGN_*, which cosign would read as a flag. */
export const KEY_ENV_NAME = 'SECURE_IMAGE_COSIGN_PRIVATE_KEY';

export type KeyTransport = 'file' | 'env';

export function prepareKeyMaterial(
  key: CosignKey,
  password: string | undefined,
  options: { dir: string; transport?: KeyTransport; env?: NodeJS.ProcessEnv },
): KeyMaterial {
  const passwordEnv = { COSIGN_PASSWORD: password ?? '' };
  const passwordSecrets = password ? [password] : [];
  if (key.kind === 'kms') {
    const provider = kmsProviderEnvironment(key.uri, options.env ?? process.env);
    return {
      keyRef: key.uri,
      kind: 'kms',
      env: { ...passwordEnv, ...provider.env },
      secrets: [...passwordSecrets, ...provider.secrets],
      dispose: () => undefined,
    };
  }
  const pem = key.pem.endsWith('\n') ? key.pem : `${key.pem}\n`;
  if ((options.transport ?? 'file') === 'env') {
    return {
      keyRef: `env://${KEY_ENV_NAME}`,
      kind: 'pem',
      env: { ...passwordEnv, [KEY_ENV_NAME]: pem },
      secrets: [...pemSecrets(key.pem), ...passwordSecrets],
      dispose: () => undefined,
    };
  }
  mkdirSync(options.dir, { recursive: true });
  const path = join(options.dir, `cosign-${randomBytes(6).toString('hex')}.key`);
  // 'wx': never write through a file or link that is already there; 0600 from the first byte.
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, pem);
  } finally {
    closeSync(fd);
  }
  return {
    keyRef: path,
    kind: 'pem',
    env: passwordEnv,
    secrets: [...pemSecrets(key.pem), ...passwordSecrets],
    dispose: () => rmSync(path, { force: true }),
  };
}

/** The key and each of its lines: a tool that echoes part of a key must not leak that part either. */
function pemSecrets(pem: string): string[] {
  const lines = pem
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length >= 8 && !l.startsWith('-----'));
  return [pem, ...lines];
}

// The variables each KMS provider's SDK reads for its endpoint and credentials (as the actions that log
// in to a cloud leave them). cosign runs with a clean environment, so these are carried over by name.
const KMS_PROVIDER_VARIABLES: Array<{ scheme: string; prefixes: string[]; names: string[] }> = [
  { scheme: 'awskms://', prefixes: ['AWS_'], names: [] },
  { scheme: 'gcpkms://', prefixes: ['GOOGLE_', 'CLOUDSDK_'], names: ['GCE_METADATA_HOST'] },
  { scheme: 'azurekms://', prefixes: ['AZURE_'], names: [] },
  { scheme: 'hashivault://', prefixes: ['VAULT_'], names: ['TRANSIT_SECRET_ENGINE_PATH'] },
  { scheme: 'k8s://', prefixes: [], names: ['KUBECONFIG'] },
];

// Credentials by their names; variables that only point at one (…_FILE, …_PATH) are not secret.
const SECRET_NAME = /(^|_)(SECRET|TOKEN|PASSWORD|PRIVATE)(_|$)/;
const LOCATION_NAME = /_(FILE|PATH|ADDR|URL|URI)$/;

/**
 * The runner's variables a KMS key reference needs in cosign's clean environment: the provider's own
 * (AWS_*, GOOGLE_*, AZURE_*, VAULT_*, KUBECONFIG), or the one variable an `env://NAME` names.
 * Credentials among them are returned as secrets too.
 */
export function kmsProviderEnvironment(
  uri: string,
  from: NodeJS.ProcessEnv,
): { env: Record<string, string>; secrets: string[] } {
  const env: Record<string, string> = {};
  const secrets: string[] = [];
  const take = (name: string, secret: boolean): void => {
    const value = from[name];
    if (value === undefined || value === '') return;
    env[name] = value;
    if (secret) secrets.push(value);
  };
  if (uri.startsWith('env://')) {
    take(uri.slice('env://'.length), true);
    return { env, secrets };
  }
  const provider = KMS_PROVIDER_VARIABLES.find((p) => uri.startsWith(p.scheme));
  if (!provider) return { env, secrets };
  for (const name of Object.keys(from).sort()) {
    if (provider.names.includes(name) || provider.prefixes.some((prefix) => name.startsWith(prefix)))
      take(name, SECRET_NAME.test(name) && !LOCATION_NAME.test(name));
  }
  return { env, secrets };
}
