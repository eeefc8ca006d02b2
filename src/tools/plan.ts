import {
  assetFor,
  expand,
  pinnedHash,
  signatureFor,
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
      kind: 'signature';
      files: PlannedSignature;
      /** The file whose signature this is. */
      covers: 'asset' | 'checksums';
      signer: Signer;
    };

/** The signature files to fetch: a Sigstore bundle, or a signature and its certificate. */
export type PlannedSignature =
  | { kind: 'bundle'; bundle: PlannedFile }
  | { kind: 'signature-and-certificate'; signature: PlannedFile; certificate: PlannedFile };

/** The files of a signature, in the order they are fetched. */
export function signatureFiles(files: PlannedSignature): PlannedFile[] {
  return files.kind === 'bundle' ? [files.bundle] : [files.signature, files.certificate];
}

/** Which redirects a download may follow. */
export type RedirectPolicy =
  /** A `tool-mirror`: stay on its host. */
  | { kind: 'same-host' }
  /** GitHub releases: its own host, or its object storage. */
  | { kind: 'hosts'; hosts: readonly string[] };

export interface InstallPlan {
  tool: ToolName;
  /** `owner/name` of the releases, for messages. */
  repo: string;
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
    const signature = signatureFor(release, version);
    const named = (template: string): PlannedFile => file(expand(template, values));
    verification.push({ kind: 'checksums-file', file: named(release.checksums) });
    verification.push({
      kind: 'signature',
      files:
        signature.files.kind === 'bundle'
          ? { kind: 'bundle', bundle: named(signature.files.bundle) }
          : {
              kind: 'signature-and-certificate',
              signature: named(signature.files.signature),
              certificate: named(signature.files.certificate),
            },
      covers: signature.covers,
      signer: {
        identity: expand(signature.signer.identity, values),
        issuer: expand(signature.signer.issuer, values),
      },
    });
  }

  const assetFile = file(asset.name);
  const downloads: PlannedFile[] = [assetFile];
  for (const step of verification) {
    if (step.kind === 'checksums-file') downloads.push(step.file);
    if (step.kind === 'signature') downloads.push(...signatureFiles(step.files));
  }

  return {
    tool,
    repo: release.repo,
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
    case 'signature': {
      const what = step.covers === 'asset' ? plan.asset.name : (checksumsName(plan) ?? 'the checksums file');
      const by = verifier ? ` by ${verifier}` : '';
      const files =
        step.files.kind === 'bundle'
          ? `Sigstore bundle ${step.files.bundle.name}`
          : `Signature ${step.files.signature.name} with certificate ${step.files.certificate.name}`;
      return `${files} verified${by} for ${what}: signed by ${step.signer.identity} (issuer ${step.signer.issuer})`;
    }
  }
}

function checksumsName(plan: InstallPlan): string | undefined {
  for (const step of plan.verification) if (step.kind === 'checksums-file') return step.file.name;
  return undefined;
}
