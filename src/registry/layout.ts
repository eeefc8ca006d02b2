import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/errors.js';
import type { RegistryClient } from './client.js';

interface Descriptor {
  mediaType?: string;
  digest: string;
}

interface LayoutDocument {
  mediaType?: string;
  manifests?: Descriptor[];
  config?: Descriptor;
  layers?: Descriptor[];
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Publishes the image of an OCI layout (what `buildah push … oci:<dir>` writes) by digest only: every blob, then
 * each platform's manifest, then the index, all addressed by digest, so no tag exists until the action makes one.
 * Returns the digest and media type of the top manifest; the registry must name the same digest for each
 * manifest it stored (checked in putManifest).
 */
export async function pushLayout(
  client: RegistryClient,
  registry: string,
  repository: string,
  layout: string,
): Promise<{ digest: string; mediaType: string }> {
  const index = readJson(join(layout, 'index.json')) as LayoutDocument;
  const top = index.manifests?.at(-1);
  if (!top || !DIGEST.test(top.digest))
    throw new UserError(
      `The builder's OCI layout ${layout} names no image in index.json; nothing can be pushed.`,
    );
  const mediaType = await pushManifest(client, registry, repository, layout, top);
  return { digest: top.digest, mediaType };
}

async function pushManifest(
  client: RegistryClient,
  registry: string,
  repository: string,
  layout: string,
  descriptor: Descriptor,
): Promise<string> {
  const bytes = readFileSync(blobPath(layout, descriptor.digest));
  const document = JSON.parse(bytes.toString('utf8')) as LayoutDocument;
  const mediaType = descriptor.mediaType ?? document.mediaType ?? '';
  if (INDEX_TYPES.has(mediaType) || document.manifests) {
    for (const child of document.manifests ?? [])
      await pushManifest(client, registry, repository, layout, child);
  } else {
    const blobs = [document.config, ...(document.layers ?? [])].filter(
      (d): d is Descriptor => d !== undefined,
    );
    await Promise.all(
      blobs.map((b) => client.pushBlob(registry, repository, b.digest, blobPath(layout, b.digest))),
    );
  }
  await client.putManifest(registry, repository, descriptor.digest, { bytes, mediaType });
  return mediaType;
}

function blobPath(layout: string, digest: string): string {
  if (!DIGEST.test(digest))
    throw new UserError(`The builder's OCI layout names a blob "${digest}" that is not a sha256 digest.`);
  return join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UserError(`The builder wrote no readable ${path}: ${String(error)}`);
  }
}
