import { retry, isTransientStatus } from '../util/retry.js';
import { UserError } from '../util/errors.js';
import { proxyAwareFetch } from '../util/http.js';
import { parsePlatform, type Platform } from '../dockerfile/platform.js';
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

/** The `platform` of an image index entry. */
interface IndexPlatform {
  os?: string;
  architecture?: string;
  variant?: string;
}

interface IndexEntry {
  digest: string;
  platform?: IndexPlatform;
  annotations?: Record<string, string>;
}

interface ManifestDocument {
  manifests?: IndexEntry[];
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
      const entry = indexEntryFor(manifest.manifests, platform);
      // Another platform's layers never match the scanned image's, so they would call every finding the
      // app's own; without layers its findings stay unattributed, which is the truth.
      if (!entry)
        throw new Error(noImageFor(`${registry}/${repository}@${digest}`, platform, manifest.manifests));
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

/**
 * The entry of an image index for `platform` (`os/arch[/variant]`), matched as containerd does: an arm64
 * CPU without a named variant is v8 and an arm one v7, so `linux/arm64`, `linux/arm64/v8` and entries
 * with `variant: "v8"` or none are one platform. Other variants (amd64's v2, v3) are compared only when
 * both sides name one, and an entry with the very variant asked for wins over one without.
 */
function indexEntryFor<T extends IndexEntry>(entries: readonly T[], platform: string): T | undefined {
  const wanted = normalisedPlatform(platform);
  const candidates = entries.filter(isImage).flatMap((entry) => {
    const offered = normalisedPlatform(entry.platform);
    return offered.os === wanted.os && offered.architecture === wanted.architecture
      ? [{ entry, offered }]
      : [];
  });
  const chosen =
    candidates.find(({ offered }) => offered.variant === wanted.variant) ??
    candidates.find(({ offered }) => offered.variant === '' || wanted.variant === '');
  return chosen?.entry;
}

/**
 * An entry for an image of a named platform. Attestations (buildx lists them as unknown/unknown) carry
 * none of the image's layers, and an entry without a platform may be any.
 */
function isImage<T extends IndexEntry>(entry: T): entry is T & { platform: IndexPlatform } {
  return (
    entry.platform !== undefined &&
    entry.platform.os !== 'unknown' &&
    entry.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest'
  );
}

function normalisedPlatform(platform: string | IndexPlatform): Platform {
  const text =
    typeof platform === 'string'
      ? platform
      : [platform.os ?? '', platform.architecture ?? '', platform.variant ?? ''].join('/');
  const normal = parsePlatform(text);
  // parsePlatform leaves arm64's v8 unnamed, as containerd spells it; named, it is compared like arm's v7.
  return normal.architecture === 'arm64' && normal.variant === '' ? { ...normal, variant: 'v8' } : normal;
}

/** The platforms are listed as the index spells them, which is what `docker manifest inspect` shows. */
function noImageFor(image: string, platform: string, entries: readonly IndexEntry[]): string {
  const has = [
    ...new Set(
      entries
        .filter(isImage)
        .map(({ platform: p }) => [p.os, p.architecture, p.variant].filter((part) => part).join('/')),
    ),
  ];
  const last = has.pop();
  if (last === undefined) return `${image} has no image for ${platform}: its index names no platform`;
  return `${image} has no image for ${platform}, only for ${has.length > 0 ? `${has.join(', ')} and ${last}` : last}`;
}

function parseChallenge(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.replace(/^bearer\s+/i, '').matchAll(/([a-zA-Z]+)="([^"]*)"/g)) {
    if (m[1] && m[2] !== undefined) out[m[1].toLowerCase()] = m[2];
  }
  return out;
}
