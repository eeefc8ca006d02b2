// Image references and the little registry traffic the stand-ins do: resolving a tag, checking that
// a manifest exists, pushing a signature artifact. Only registries on this machine (localhost,
// 127.0.0.1, ::1) are contacted, over plain HTTP: go-containerregistry (cosign, trivy, grype) uses
// HTTP for loopback registries without --allow-http-registry / --insecure, so neither do we.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CliError } from './flags.mjs';
// An ESM import of node:http builds its facade, which compiles Node's internal undici (≈ 45 ms on each start of
// a stand-in that mostly never makes a request); require does not.
const { request: httpRequest } = createRequire(import.meta.url)('node:http');

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/**
 * Parses an image reference as go-containerregistry's name.ParseReference does (defaults to
 * index.docker.io, library/, and :latest).
 * Returns { registry, repository, tag, digest, name (registry/repository), ref (as ggcr prints it) }.
 */
export function parseReference(input) {
  let rest = input;
  let digest;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
      throw new CliError(`could not parse reference: ${input}`);
    }
  }
  let tag;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry = 'index.docker.io';
  let repository = rest;
  const first = rest.split('/')[0];
  if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first === 'docker.io' ? 'index.docker.io' : first;
    repository = rest.slice(first.length + 1);
  }
  if (registry === 'index.docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  if (
    !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository)
  ) {
    throw new CliError(`could not parse reference: ${input}`);
  }
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag))
    throw new CliError(`could not parse reference: ${input}`);
  if (tag === undefined && digest === undefined) tag = 'latest';
  const name = `${registry}/${repository}`;
  const ref = digest ? `${name}@${digest}` : `${name}:${tag}`;
  return { registry, repository, tag, digest, name, ref, input };
}

/** A registry on this machine, which the stand-ins may talk to. */
export function isLocalRegistry(registry) {
  return /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(registry);
}

/** Basic credentials for `registry`: explicit ones first, then the docker/podman auth files. */
export function credentialsFor(registry, explicit, env = process.env) {
  if (explicit && explicit.username !== undefined && explicit.password !== undefined) return explicit;
  const files = [];
  if (env.DOCKER_CONFIG) files.push(join(env.DOCKER_CONFIG, 'config.json'));
  else if (env.HOME) files.push(join(env.HOME, '.docker', 'config.json'));
  if (env.REGISTRY_AUTH_FILE) files.push(env.REGISTRY_AUTH_FILE);
  else if (env.XDG_RUNTIME_DIR) files.push(join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
  for (const file of files) {
    if (!existsSync(file)) continue;
    let auths;
    try {
      auths = JSON.parse(readFileSync(file, 'utf8')).auths ?? {};
    } catch {
      continue;
    }
    const entry = auths[registry] ?? auths[`http://${registry}`] ?? auths[`https://${registry}`];
    if (entry?.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const sep = decoded.indexOf(':');
      return { username: decoded.slice(0, sep), password: decoded.slice(sep + 1) };
    }
    if (entry?.username !== undefined) return { username: entry.username, password: entry.password ?? '' };
  }
  return undefined;
}

/** One HTTP request to a local registry. Resolves { status, headers, body: Buffer }. */
export function registryFetch(registry, method, path, { headers = {}, body, credentials } = {}) {
  const [host, port] = registry.split(':');
  const auth = credentials
    ? {
        Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`,
      }
    : {};
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(
      {
        host,
        port: Number(port ?? 80),
        method,
        path,
        agent: false,
        headers: {
          'User-Agent': 'secure-image-standin',
          ...auth,
          ...headers,
          ...(body ? { 'Content-Length': body.length } : {}),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function registryError(method, url, response) {
  let detail = `unexpected status code ${response.status}`;
  try {
    const parsed = JSON.parse(response.body.toString('utf8'));
    const first = parsed.errors?.[0];
    if (first)
      detail = `${first.code}: ${first.message}${first.detail ? `; ${JSON.stringify(first.detail)}` : ''}`;
  } catch {
    if (method === 'HEAD')
      detail += ` ${response.status === 404 ? 'Not Found' : ''} (HEAD responses have no body, use GET for details)`;
  }
  return `${method} ${url}: ${detail}`;
}

/**
 * The manifest descriptor of `ref` in a local registry: { digest, mediaType, size }, or a
 * { missing: message } when the registry does not have it.
 */
export async function headManifest(ref, credentials) {
  const path = `/v2/${ref.repository}/manifests/${ref.digest ?? ref.tag}`;
  const url = `http://${ref.registry}${path}`;
  let response;
  try {
    response = await registryFetch(ref.registry, 'GET', path, {
      headers: { Accept: MANIFEST_ACCEPT },
      credentials,
    });
  } catch (error) {
    throw new CliError(
      `Get "http://${ref.registry}/v2/": dial tcp ${ref.registry}: ${error.code ?? error.message}`,
    );
  }
  if (response.status === 401)
    throw new CliError(
      `GET ${url}: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:${ref.repository} Type:repository]]`,
    );
  if (response.status === 404) return { missing: registryError('GET', url, response) };
  if (response.status !== 200) throw new CliError(registryError('GET', url, response));
  return {
    digest:
      response.headers['docker-content-digest'] ??
      `sha256:${createHash('sha256').update(response.body).digest('hex')}`,
    mediaType: response.headers['content-type'],
    size: response.body.length,
    body: response.body,
  };
}

async function uploadBlob(registry, repository, data, credentials) {
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  const exists = await registryFetch(registry, 'HEAD', `/v2/${repository}/blobs/${digest}`, { credentials });
  if (exists.status === 200) return { digest, size: data.length };
  const start = await registryFetch(registry, 'POST', `/v2/${repository}/blobs/uploads/`, { credentials });
  if (start.status === 401)
    throw new CliError(
      `POST http://${registry}/v2/${repository}/blobs/uploads/: UNAUTHORIZED: authentication required`,
    );
  if (start.status !== 202)
    throw new CliError(registryError('POST', `http://${registry}/v2/${repository}/blobs/uploads/`, start));
  const location = new URL(start.headers.location, `http://${registry}`);
  location.searchParams.set('digest', digest);
  const put = await registryFetch(registry, 'PUT', `${location.pathname}${location.search}`, {
    headers: { 'Content-Type': 'application/octet-stream' },
    body: data,
    credentials,
  });
  if (put.status !== 201) throw new CliError(registryError('PUT', location.toString(), put));
  return { digest, size: data.length };
}

/**
 * Adds one layer to the cosign-style artifact tagged `<alg>-<hex>.<suffix>` (sig, att) next to the
 * image in a local registry, creating it if needed, as cosign's legacy layout does.
 */
export async function attachArtifact(ref, digest, suffix, layer, credentials) {
  const registry = ref.registry;
  const repository = ref.repository;
  const tag = `${digest.replace(':', '-')}.${suffix}`;
  const existing = await headManifest({ registry, repository, tag }, credentials);
  const layers = existing.missing ? [] : (JSON.parse(existing.body.toString('utf8')).layers ?? []);
  const blob = await uploadBlob(registry, repository, Buffer.from(layer.content), credentials);
  layers.push({
    mediaType: layer.mediaType,
    size: blob.size,
    digest: blob.digest,
    annotations: layer.annotations,
  });
  const config = Buffer.from(
    JSON.stringify({
      architecture: '',
      created: '0001-01-01T00:00:00Z',
      history: [{ created: '0001-01-01T00:00:00Z' }],
      os: '',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      config: {},
    }),
  );
  const configBlob = await uploadBlob(registry, repository, config, credentials);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        size: configBlob.size,
        digest: configBlob.digest,
      },
      layers,
    }),
  );
  const path = `/v2/${repository}/manifests/${tag}`;
  const put = await registryFetch(registry, 'PUT', path, {
    headers: { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
    credentials,
  });
  if (put.status === 401)
    throw new CliError(`PUT http://${registry}${path}: UNAUTHORIZED: authentication required`);
  if (put.status !== 201) throw new CliError(registryError('PUT', `http://${registry}${path}`, put));
  return `${registry}/${repository}:${tag}`;
}
