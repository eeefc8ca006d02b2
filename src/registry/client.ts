import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { retry, isTransientStatus } from '../util/retry.js';
import { UserError } from '../util/errors.js';
import { proxyAwareFetch } from '../util/http.js';
import { parsePlatform, type Platform } from '../dockerfile/platform.js';
import type { RegistryCredentials } from './credentials.js';

/**
 * Just enough of the distribution API to ask a registry whether a digest exists and what a tag points to, and to
 * publish by digest (blobs, then manifests) and make tags last, with the anonymous, basic and bearer-token flows
 * registries use.
 */

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** The `platform` of an image index entry. */
export interface IndexPlatform {
  os?: string;
  architecture?: string;
  variant?: string;
}

export interface IndexEntry {
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

/** A manifest's exact bytes: what a tag is made to point at, byte for byte. */
export interface RawManifest {
  bytes: Buffer;
  mediaType: string;
  /** sha256 of `bytes`, as computed here. */
  digest: string;
}

type Access = 'pull' | 'push';

export type CredentialLookup = (registry: string) => RegistryCredentials | undefined;

export interface RegistryClientOptions {
  credentials: CredentialLookup;
  fetch?: typeof fetch;
  timeoutMs?: number;
  attempts?: number;
  /** Limit for one write (a blob or a manifest), `stage-timeout`; a registry that stops answering is not retried. */
  writeTimeoutMs?: number;
  /** Told of each write that is tried again (the job log shows it as a warning). */
  onWriteRetry?: (message: string) => void;
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

/** The registry's own error codes (distribution's `errors[].code`), for a message that says what went wrong. */
async function errorDetail(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { errors?: Array<{ code?: string; message?: string }> };
    const first = body.errors?.[0];
    return first ? ` (${[first.code, first.message].filter(Boolean).join(': ')})` : '';
  } catch {
    return '';
  }
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

  /**
   * A manifest's exact bytes, for a tag to point at; the digest is checked against what was asked for. Undefined
   * when the registry has no such manifest.
   */
  async getManifest(registry: string, repository: string, digest: string): Promise<RawManifest | undefined> {
    const url = `${registryBaseUrl(registry)}/v2/${repository}/manifests/${digest}`;
    const what = `reading ${registry}/${repository}@${digest}`;
    return this.retrying(what, async () => {
      const response = await this.request(url, registry, repository, 'GET');
      if (response.status === 404) return undefined;
      if (!response.ok)
        throw new HttpStatusError(response.status, `${what}: the registry answered HTTP ${response.status}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      const computed = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      if (computed !== digest)
        throw new UserError(
          `${what}: the registry served a manifest whose digest is ${computed}, not ${digest}.`,
        );
      return { bytes, mediaType: response.headers.get('content-type') ?? '', digest: computed };
    });
  }

  /**
   * Stores a manifest under `reference` (its digest, or a tag) and returns the digest the registry names for it,
   * which must be the digest of the bytes sent.
   */
  async putManifest(
    registry: string,
    repository: string,
    reference: string,
    manifest: Pick<RawManifest, 'bytes' | 'mediaType'>,
  ): Promise<string> {
    const url = `${registryBaseUrl(registry)}/v2/${repository}/manifests/${reference}`;
    const what = `Pushing ${registry}/${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
    const expected = `sha256:${createHash('sha256').update(manifest.bytes).digest('hex')}`;
    return this.retrying(
      what,
      async () => {
        const response = await this.request(url, registry, repository, 'PUT', 'push', {
          headers: { 'Content-Type': manifest.mediaType },
          body: () => manifest.bytes,
        });
        if (!response.ok)
          throw new HttpStatusError(
            response.status,
            `${what}: the registry answered HTTP ${response.status}${await errorDetail(response)}`,
          );
        const named = response.headers.get('docker-content-digest') ?? expected;
        if (named !== expected)
          throw new UserError(
            `${what}: the registry stored it as ${named}, but the bytes sent are ${expected}.`,
          );
        return expected;
      },
      true,
    );
  }

  /** Uploads a blob from a file unless the repository has it already (a monolithic upload, tried again whole). */
  async pushBlob(registry: string, repository: string, digest: string, path: string): Promise<void> {
    const base = registryBaseUrl(registry);
    const what = `Pushing ${registry}/${repository} (blob ${digest.slice(0, 19)}…)`;
    await this.retrying(
      what,
      async () => {
        const head = await this.request(
          `${base}/v2/${repository}/blobs/${digest}`,
          registry,
          repository,
          'HEAD',
          'push',
        );
        if (head.ok) return;
        const start = await this.request(
          `${base}/v2/${repository}/blobs/uploads/`,
          registry,
          repository,
          'POST',
          'push',
          {
            headers: { 'Content-Length': '0' },
          },
        );
        const location = start.headers.get('location');
        if (start.status !== 202 || !location)
          throw new HttpStatusError(
            start.status,
            `${what}: the registry answered HTTP ${start.status} to the upload${await errorDetail(start)}`,
          );
        const target = new URL(location, base);
        target.searchParams.set('digest', digest);
        const size = statSync(path).size;
        const put = await this.request(target.toString(), registry, repository, 'PUT', 'push', {
          headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) },
          body: () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>,
        });
        if (put.status !== 201)
          throw new HttpStatusError(
            put.status,
            `${what}: the registry answered HTTP ${put.status}${await errorDetail(put)}`,
          );
      },
      true,
    );
  }

  /** Registry reads try again on throttling, 5xx and network errors; a refusal (UserError) is final. */
  private retrying<T>(what: string, fn: () => Promise<T>, write = false): Promise<T> {
    return retry(fn, {
      attempts: this.options.attempts ?? 4,
      baseDelayMs: 500,
      maxDelayMs: 4000,
      what,
      ...(write && this.options.onWriteRetry
        ? {
            onRetry: ({ attempt, delayMs }: { attempt: number; delayMs: number }) =>
              this.options.onWriteRetry?.(
                `Push of ${what.replace(/^Pushing /, '')} failed (try ${attempt}); trying again in ${delayMs} ms.`,
              ),
          }
        : {}),
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
    const manifest = await this.platformManifest(registry, repository, digest, platform);
    const layers = (manifest.layers ?? []).map((l) => l.digest);
    return [...layers, ...(await this.diffIdsOf(registry, repository, manifest))];
  }

  /**
   * The uncompressed layer digests (`rootfs.diff_ids`) of an image, for an index of its image for `platform`;
   * undefined when the index has none for it. Every manifest and the config are read by digest and checked against
   * it, so a registry cannot answer with another image's layers.
   */
  async imageDiffIds(
    registry: string,
    repository: string,
    digest: string,
    platform: string,
  ): Promise<string[] | undefined> {
    const manifest = await this.platformManifest(registry, repository, digest, platform).catch(
      (error: unknown) => {
        if (error instanceof NoImageForPlatform) return undefined;
        throw error;
      },
    );
    return manifest ? this.diffIdsOf(registry, repository, manifest) : undefined;
  }

  /** The image manifest of `digest`, or for an index its manifest for `platform` (matched as containerd does). */
  private async platformManifest(
    registry: string,
    repository: string,
    digest: string,
    platform: string,
  ): Promise<ManifestDocument> {
    const read = async (d: string): Promise<ManifestDocument> => {
      const raw = await this.getManifest(registry, repository, d);
      if (!raw) throw new Error(`${registry}/${repository}@${d} is not in the registry`);
      return JSON.parse(raw.bytes.toString('utf8')) as ManifestDocument;
    };
    const manifest = await read(digest);
    if (!manifest.manifests) return manifest;
    const entry = indexEntryFor(manifest.manifests, platform);
    // Another platform's layers never match the image's: the caller decides what no image for it means.
    if (!entry)
      throw new NoImageForPlatform(
        noImageFor(`${registry}/${repository}@${digest}`, platform, manifest.manifests),
      );
    return read(entry.digest);
  }

  /** The config's diff IDs, its bytes checked against the digest the manifest names. */
  private async diffIdsOf(
    registry: string,
    repository: string,
    manifest: ManifestDocument,
  ): Promise<string[]> {
    const configDigest = manifest.config?.digest;
    if (!configDigest) return [];
    const url = `${registryBaseUrl(registry)}/v2/${repository}/blobs/${configDigest}`;
    const what = `reading ${registry}/${repository} blob ${configDigest}`;
    const bytes = await this.retrying(what, async () => {
      const response = await this.request(url, registry, repository, 'GET');
      if (!response.ok)
        throw new HttpStatusError(response.status, `${what}: the registry answered HTTP ${response.status}`);
      return Buffer.from(await response.arrayBuffer());
    });
    const computed = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (computed !== configDigest)
      throw new UserError(
        `${what}: the registry served a blob whose digest is ${computed}, not ${configDigest}.`,
      );
    return configDiffIds(JSON.parse(bytes.toString('utf8')));
  }

  private async request(
    url: string,
    registry: string,
    repository: string,
    method: string,
    access: Access = 'pull',
    init: { headers?: Record<string, string>; body?: () => RequestInit['body'] } = {},
  ): Promise<Response> {
    const scope = `repository:${repository}:${access === 'push' ? 'pull,push' : 'pull'}`;
    const headers: Record<string, string> = { Accept: MANIFEST_ACCEPT, ...init.headers };
    const cached = this.tokens.get(`${registry}|${scope}`);
    if (cached) headers.Authorization = cached;
    // A body that streams is made anew for every send: a stream is read once.
    const write = method === 'PUT' || method === 'POST';
    const send = (h: Record<string, string>): Promise<Response> =>
      this.send(
        url,
        {
          method,
          headers: h,
          ...(init.body ? { body: init.body(), duplex: 'half' } : {}),
        } as RequestInit,
        write ? this.options.writeTimeoutMs : undefined,
      );
    let response = await send(headers);
    if (response.status !== 401) return response;

    const challenge = response.headers.get('www-authenticate') ?? '';
    const credentials = this.options.credentials(registry);
    const authorization = await this.authorize(challenge, scope, credentials, registry);
    this.tokens.set(`${registry}|${scope}`, authorization);
    response = await send({ ...headers, Authorization: authorization });
    if (response.status === 401 || response.status === 403) {
      const verb = access === 'push' ? 'push to' : 'read';
      throw new UserError(
        credentials
          ? `The registry ${registry} refused the credentials to ${verb} ${repository} (HTTP ${response.status}). Check \`registry-username\`/\`registry-password\` or the login step, and that the token may ${verb} ${repository}${access === 'push' ? ' (for ghcr.io, `permissions: packages: write`)' : ''}.`
          : `The registry ${registry} needs credentials to ${verb} ${repository}. Log in before this step (docker/login-action) or set \`registry-username\` and \`registry-password\`.`,
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

  private async send(url: string, init: RequestInit, timeoutMs?: number): Promise<Response> {
    const limit = timeoutMs ?? this.options.timeoutMs ?? 30_000;
    try {
      return await this.fetchImpl(url, {
        ...init,
        redirect: 'follow',
        signal: AbortSignal.timeout(limit),
      });
    } catch (error) {
      if (timeoutMs !== undefined && (error as Error).name === 'TimeoutError')
        throw new UserError(
          `${init.method ?? 'GET'} ${new URL(url).pathname} did not finish within ${Math.round(limit / 1000)} s (\`stage-timeout\`); the registry stopped answering.`,
        );
      // undici says only "fetch failed"; the reason is in its cause.
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      if (!cause) throw error;
      const said = cause.code === 'ECONNREFUSED' ? 'connection refused' : (cause.message ?? cause.code ?? '');
      throw new Error(`${(error as Error).message}: ${said}`, { cause: error });
    }
  }
}

/**
 * The entry of an image index for `platform` (`os/arch[/variant]`), matched as containerd does: an arm64
 * CPU without a named variant is v8 and an arm one v7, so `linux/arm64`, `linux/arm64/v8` and entries
 * with `variant: "v8"` or none are one platform. Other variants (amd64's v2, v3) are compared only when
 * both sides name one, and an entry with the very variant asked for wins over one without.
 */
export function indexEntryFor<T extends IndexEntry>(entries: readonly T[], platform: string): T | undefined {
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
export function isImage<T extends IndexEntry>(entry: T): entry is T & { platform: IndexPlatform } {
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
/** An image config's `rootfs.diff_ids`: its uncompressed layers, bottom first. */
export function configDiffIds(config: unknown): string[] {
  const ids = (config as { rootfs?: { diff_ids?: unknown } } | null)?.rootfs?.diff_ids;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/** An index without an image for the platform asked for. */
class NoImageForPlatform extends Error {}

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
