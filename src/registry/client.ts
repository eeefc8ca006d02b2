import { retry, isTransientStatus } from '../util/retry.js';
import { UserError } from '../util/errors.js';
import { proxyAwareFetch } from '../util/http.js';
import type { RegistryCredentials } from './credentials.js';

/**
 * Just enough of the distribution API to ask a registry whether a digest exists and what a tag points
 * to, with the anonymous, basic and bearer-token flows registries use. Builders push; this only reads.
 */

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

interface ManifestDocument {
  manifests?: Array<{ digest: string; platform?: { os?: string; architecture?: string; variant?: string } }>;
  layers?: Array<{ digest: string }>;
  config?: { digest: string };
}

export interface ManifestHead {
  digest: string;
  mediaType: string;
}

export type CredentialLookup = (registry: string) => RegistryCredentials | undefined;

export interface RegistryClientOptions {
  credentials: CredentialLookup;
  fetch?: typeof fetch;
  timeoutMs?: number;
  attempts?: number;
}

/** Registries on this machine speak plain HTTP, as Docker assumes for 127.0.0.0/8 and localhost. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith('[')
    ? registry.slice(1, registry.indexOf(']'))
    : (registry.split(':')[0] ?? '');
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

export function registryBaseUrl(registry: string): string {
  const host = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
  return `${isLoopbackRegistry(registry) ? 'http' : 'https'}://${host}`;
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class RegistryClient {
  private readonly fetchImpl: typeof fetch;
  private readonly tokens = new Map<string, string>();

  constructor(private readonly options: RegistryClientOptions) {
    this.fetchImpl = options.fetch ?? proxyAwareFetch();
  }

  /** The manifest a reference (tag or digest) resolves to, or undefined when the registry has none. */
  async headManifest(
    registry: string,
    repository: string,
    reference: string,
  ): Promise<ManifestHead | undefined> {
    const url = `${registryBaseUrl(registry)}/v2/${repository}/manifests/${reference}`;
    const what = `looking up ${registry}/${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
    return this.retrying(what, async () => {
      const response = await this.request(url, registry, repository, 'HEAD');
      if (response.status === 404) return undefined;
      if (!response.ok)
        throw new HttpStatusError(response.status, `${what}: the registry answered HTTP ${response.status}`);
      const digest = response.headers.get('docker-content-digest') ?? '';
      return { digest, mediaType: response.headers.get('content-type') ?? '' };
    });
  }

  /** A manifest or blob as JSON (image configs, manifests), through the same auth and retries. */
  async getJson(
    registry: string,
    repository: string,
    kind: 'manifests' | 'blobs',
    reference: string,
  ): Promise<unknown> {
    const url = `${registryBaseUrl(registry)}/v2/${repository}/${kind}/${reference}`;
    const what = `reading ${registry}/${repository} ${kind === 'blobs' ? 'blob' : 'manifest'} ${reference}`;
    return this.retrying(what, async () => {
      const response = await this.request(url, registry, repository, 'GET');
      if (!response.ok)
        throw new HttpStatusError(response.status, `${what}: the registry answered HTTP ${response.status}`);
      return (await response.json()) as unknown;
    });
  }

  /** Registry reads try again on throttling, 5xx and network errors; a refusal (UserError) is final. */
  private retrying<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return retry(fn, {
      attempts: this.options.attempts ?? 4,
      baseDelayMs: 500,
      maxDelayMs: 4000,
      what,
      isTransient: (e) =>
        e instanceof HttpStatusError ? isTransientStatus(e.status) : !(e instanceof UserError),
    });
  }

  /**
   * The layers of an image (for an index, of its manifest for `platform`): both the compressed
   * digests and the config's diff IDs, since scanners name layers either way.
   */
  async imageLayers(
    registry: string,
    repository: string,
    digest: string,
    platform: string,
  ): Promise<string[]> {
    let manifest = (await this.getJson(registry, repository, 'manifests', digest)) as ManifestDocument;
    if (manifest.manifests) {
      const [os, arch, variant] = platform.split('/');
      const entry =
        manifest.manifests.find(
          (m) =>
            m.platform?.os === os &&
            m.platform?.architecture === arch &&
            (!variant || m.platform?.variant === variant),
        ) ?? manifest.manifests.find((m) => m.platform?.os !== 'unknown');
      if (!entry) return [];
      manifest = (await this.getJson(registry, repository, 'manifests', entry.digest)) as ManifestDocument;
    }
    const layers = (manifest.layers ?? []).map((l) => l.digest);
    if (!manifest.config?.digest) return layers;
    const config = (await this.getJson(registry, repository, 'blobs', manifest.config.digest)) as {
      rootfs?: { diff_ids?: string[] };
    };
    return [...layers, ...(config.rootfs?.diff_ids ?? [])];
  }

  private async request(
    url: string,
    registry: string,
    repository: string,
    method: string,
  ): Promise<Response> {
    const scope = `repository:${repository}:pull`;
    const headers: Record<string, string> = { Accept: MANIFEST_ACCEPT };
    const cached = this.tokens.get(`${registry}|${scope}`);
    if (cached) headers.Authorization = cached;
    let response = await this.send(url, { method, headers });
    if (response.status !== 401) return response;

    const challenge = response.headers.get('www-authenticate') ?? '';
    const credentials = this.options.credentials(registry);
    const authorization = await this.authorize(challenge, scope, credentials, registry);
    this.tokens.set(`${registry}|${scope}`, authorization);
    response = await this.send(url, { method, headers: { ...headers, Authorization: authorization } });
    if (response.status === 401 || response.status === 403) {
      throw new UserError(
        credentials
          ? `The registry ${registry} refused the credentials for ${repository} (HTTP ${response.status}). Check \`registry-username\`/\`registry-password\` or the login step, and that the token may read ${repository}.`
          : `The registry ${registry} needs credentials to read ${repository}. Log in before this step (docker/login-action) or set \`registry-username\` and \`registry-password\`.`,
      );
    }
    return response;
  }

  private async authorize(
    challenge: string,
    scope: string,
    credentials: RegistryCredentials | undefined,
    registry: string,
  ): Promise<string> {
    const basic = credentials
      ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
      : undefined;
    if (/^basic/i.test(challenge)) {
      if (!basic)
        throw new UserError(
          `The registry ${registry} needs credentials: log in before this step or set \`registry-username\` and \`registry-password\`.`,
        );
      return basic;
    }
    const params = parseChallenge(challenge);
    if (!params.realm)
      throw new HttpStatusError(401, `the registry ${registry} answered 401 without a usable challenge`);
    const tokenUrl = new URL(params.realm);
    if (params.service) tokenUrl.searchParams.set('service', params.service);
    tokenUrl.searchParams.set('scope', params.scope ?? scope);
    const response = await this.send(tokenUrl.toString(), { headers: basic ? { Authorization: basic } : {} });
    if (!response.ok) {
      if (isTransientStatus(response.status))
        throw new HttpStatusError(
          response.status,
          `token endpoint of ${registry} answered HTTP ${response.status}`,
        );
      throw new UserError(
        `The registry ${registry} did not grant a pull token (HTTP ${response.status}). ${credentials ? 'Check the credentials' : 'Log in before this step or set `registry-username` and `registry-password`'}.`,
      );
    }
    const body = (await response.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new HttpStatusError(502, `the token endpoint of ${registry} returned no token`);
    return `Bearer ${token}`;
  }

  private send(url: string, init: RequestInit): Promise<Response> {
    return this.fetchImpl(url, {
      ...init,
      redirect: 'follow',
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
  }
}

function parseChallenge(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.replace(/^bearer\s+/i, '').matchAll(/([a-zA-Z]+)="([^"]*)"/g)) {
    if (m[1] && m[2] !== undefined) out[m[1].toLowerCase()] = m[2];
  }
  return out;
}
