import {
  assetFor,
  expand,
  pinnedHash,
  tagOf,
  type ArchiveType,
  type Catalog,
  type Signer,
  type ToolName,
} from './catalog.js';
import type { Platform } from './platform.js';

/** One file to fetch. */
export interface PlannedFile {
  name: string;
  url: string;
}

/** A check the installer runs, in order, before anything is cached. */
export type VerificationStep =
  | { kind: 'pinned-sha256'; sha256: string }
  | { kind: 'checksums-file'; file: PlannedFile }
  | {
      kind: 'sigstore-bundle';
      bundle: PlannedFile;
      /** The file whose signature the bundle carries. */
      covers: 'asset' | 'checksums';
      signer: Signer;
    };

/** Which redirects a download may follow. */
export type RedirectPolicy =
  /** A `tool-mirror`: stay on its host. */
  | { kind: 'same-host' }
  /** GitHub releases: its own host, or its object storage. */
  | { kind: 'hosts'; hosts: readonly string[] };

export interface InstallPlan {
  tool: ToolName;
  version: string;
  tag: string;
  platform: Platform;
  asset: PlannedFile & { archive: ArchiveType; binaryPath: string };
  /** File name of the binary in the cache (`trivy`, `cosign.exe`). */
  binaryName: string;
  /** Tool-cache coordinates. */
  cache: { tool: string; version: string; arch: string };
  verification: readonly VerificationStep[];
  /** Every file the plan fetches on a cache miss: the asset first. */
  downloads: readonly PlannedFile[];
  redirects: RedirectPolicy;
  source: 'github' | 'mirror';
}

/**
 * Tool-cache folder names carry a prefix so that another action's `trivy` or `cosign` in a shared cache is never
 * taken for one that secure-image verified (nor evicted by it).
 */
export const CACHE_PREFIX = 'secure-image-';

/**
 * Everything about installing one tool that does not touch the network or disk: URLs, file names, the signer
 * expected, and the checks in order. A pinned hash makes the other checks redundant, so it stands alone; otherwise
 * the checksums file and the Sigstore bundle both have to pass.
 */
export function planInstall(
  tool: ToolName,
  version: string,
  platform: Platform,
  mirror: string | undefined,
  catalog: Catalog,
): InstallPlan {
  const release = catalog.tools[tool];
  const tag = tagOf(release, version);
  const asset = assetFor(release, version, platform.key);
  const base = (mirror ?? catalog.github.baseUrl).replace(/\/+$/, '');
  const file = (name: string): PlannedFile => ({
    name,
    url: `${base}/${release.repo}/releases/download/${encodeURIComponent(tag)}/${encodeURIComponent(name)}`,
  });
  const values = { version, tag, asset: asset.name };

  const pinned = pinnedHash(release, version, platform.key);
  const verification: VerificationStep[] = [];
  if (pinned !== undefined) {
    verification.push({ kind: 'pinned-sha256', sha256: pinned.toLowerCase() });
  } else {
    verification.push({ kind: 'checksums-file', file: file(expand(release.checksums, values)) });
    verification.push({
      kind: 'sigstore-bundle',
      bundle: file(expand(release.signature.bundle, values)),
      covers: release.signature.covers,
      signer: {
        identity: expand(release.signature.signer.identity, values),
        issuer: expand(release.signature.signer.issuer, values),
      },
    });
  }

  const assetFile = file(asset.name);
  const downloads: PlannedFile[] = [assetFile];
  for (const step of verification) {
    if (step.kind === 'checksums-file') downloads.push(step.file);
    if (step.kind === 'sigstore-bundle') downloads.push(step.bundle);
  }

  return {
    tool,
    version,
    tag,
    platform,
    asset: { ...assetFile, archive: asset.archive, binaryPath: asset.binaryPath },
    binaryName: `${tool}${platform.exeSuffix}`,
    cache: { tool: `${CACHE_PREFIX}${tool}`, version, arch: platform.cacheArch },
    verification,
    downloads,
    redirects:
      mirror === undefined ? { kind: 'hosts', hosts: catalog.github.redirectHosts } : { kind: 'same-host' },
    source: mirror === undefined ? 'github' : 'mirror',
  };
}

/** What a verification step proves, for the summary and the log. */
export function describeStep(step: VerificationStep, plan: InstallPlan, verifier?: string): string {
  switch (step.kind) {
    case 'pinned-sha256':
      return `SHA-256 ${step.sha256} matches the hash embedded in secure-image`;
    case 'checksums-file':
      return `SHA-256 of ${plan.asset.name} matches ${step.file.name}`;
    case 'sigstore-bundle': {
      const what = step.covers === 'asset' ? plan.asset.name : (checksumsName(plan) ?? 'the checksums file');
      const by = verifier ? ` by ${verifier}` : '';
      return `Sigstore bundle ${step.bundle.name} verified${by} for ${what}: signed by ${step.signer.identity} (issuer ${step.signer.issuer})`;
    }
  }
}

function checksumsName(plan: InstallPlan): string | undefined {
  for (const step of plan.verification) if (step.kind === 'checksums-file') return step.file.name;
  return undefined;
}
