import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the builder itself says it built from, read from its own records rather than from our parse of the
 * Dockerfile: a parser can always drift from a builder (a heredoc that buildah 1.28 reads as a `FROM`, a frontend
 * older than heredocs), so the gate is checked again against what was actually consumed.
 */
export interface BuilderMaterial {
  /** The builder's name for the image (a purl for BuildKit, the base name for buildah/podman). */
  name: string;
  digest: string;
  /** Where the builder said so, for the error. */
  source: string;
  /**
   * The digest in the builder's name for the image (`repo@sha256:…`), when it has one. buildah with `--layers`
   * records as `base.digest` the digest of its local copy (converted on pull), and the verified digest in `base.name`.
   */
  nameDigest?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * BuildKit's record of the images a buildx build resolved: the SLSA provenance buildx writes into its metadata file
 * (`buildx.build.provenance`, or `buildx.build.provenance/<platform>` per platform; `BUILDX_METADATA_PROVENANCE`
 * decides how much, `min` by default). It is there whether or not a provenance attestation is pushed: buildx reads it
 * from the build's history record. `undefined` when the metadata holds none (a builder without the history API).
 */
export function buildxMaterials(metadata: Record<string, unknown>): BuilderMaterial[] | undefined {
  const records = Object.entries(metadata).filter(
    ([key]) => key === 'buildx.build.provenance' || key.startsWith('buildx.build.provenance/'),
  );
  if (records.length === 0) return undefined;
  const out: BuilderMaterial[] = [];
  for (const [key, raw] of records) {
    const predicate = decode(raw);
    const materials = [
      ...arrayOf(predicate?.materials),
      ...arrayOf((predicate?.buildDefinition as Record<string, unknown> | undefined)?.resolvedDependencies),
    ];
    for (const m of materials) {
      const uri = typeof m.uri === 'string' ? m.uri : '';
      // Images only: BuildKit names them `pkg:docker/…`; other materials are the context, git or HTTP sources.
      if (!uri.startsWith('pkg:docker/')) continue;
      const sha = (m.digest as Record<string, unknown> | undefined)?.sha256;
      out.push({ name: uri, digest: typeof sha === 'string' ? `sha256:${sha}` : '', source: key });
    }
  }
  return out;
}

/**
 * The base image buildah or podman recorded in each manifest of an OCI layout (`org.opencontainers.image.base.digest`
 * and `.base.name`, set by the builder from the image it built on), per manifest; an image built from scratch has
 * none.
 */
export function layoutBaseImages(
  layout: string,
): Array<BuilderMaterial | { name: ''; digest: ''; source: string }> {
  return layoutImageDigests(layout).map((digest) => {
    const annotations = (readLayoutBlob(layout, digest).annotations ?? {}) as Record<string, string>;
    const base = annotations['org.opencontainers.image.base.digest'] ?? '';
    const name = annotations['org.opencontainers.image.base.name'] ?? base;
    const nameDigest = /@(sha256:[0-9a-f]{64})$/.exec(name)?.[1];
    return base
      ? { name, digest: base, source: `manifest ${digest}`, ...(nameDigest ? { nameDigest } : {}) }
      : { name: '', digest: '', source: `manifest ${digest}` };
  });
}

/** The image manifests' digests of an OCI layout the builder wrote: its one image, or those of its index. */
export function layoutImageDigests(layout: string): string[] {
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as {
    manifests?: Array<{ digest: string }>;
  };
  const top = index.manifests?.at(-1)?.digest;
  if (!top || !DIGEST.test(top)) return [];
  const document = readLayoutBlob(layout, top);
  return Array.isArray(document.manifests)
    ? (document.manifests as Array<{ digest: string }>)
        .filter((m) => DIGEST.test(m.digest))
        .map((m) => m.digest)
    : [top];
}

/** A JSON blob of an OCI layout (a manifest, an index, a config), by its digest. */
export function readLayoutBlob(layout: string, digest: string): Record<string, unknown> {
  if (!DIGEST.test(digest)) throw new Error(`${layout}: ${JSON.stringify(digest)} is not a sha256 digest`);
  return JSON.parse(
    readFileSync(join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)), 'utf8'),
  ) as Record<string, unknown>;
}

/** The materials whose digest is not one the gate allowed. */
export function unverifiedMaterials(
  materials: readonly BuilderMaterial[],
  allowed: ReadonlySet<string>,
): BuilderMaterial[] {
  return materials.filter(
    (m) => !allowed.has(m.digest) && !(m.nameDigest !== undefined && allowed.has(m.nameDigest)),
  );
}

function decode(raw: unknown): Record<string, unknown> | undefined {
  if (raw !== null && typeof raw === 'object') return raw as Record<string, unknown>;
  if (typeof raw !== 'string') return undefined;
  // buildx writes the predicate as JSON; older versions left it base64-encoded.
  for (const text of [raw, Buffer.from(raw, 'base64').toString('utf8')]) {
    try {
      const value: unknown = JSON.parse(text);
      if (value !== null && typeof value === 'object') return value as Record<string, unknown>;
    } catch {
      // Try the next form.
    }
  }
  return undefined;
}

function arrayOf(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object')
    : [];
}
