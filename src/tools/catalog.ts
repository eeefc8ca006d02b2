import { UserError } from '../util/errors.js';
import type { PlatformKey } from './platform.js';

export type ToolName = 'cosign' | 'trivy' | 'grype';
export type ScannerName = Exclude<ToolName, 'cosign'>;

/** How a release asset holds the binary. */
export type ArchiveType = 'binary' | 'tar.gz' | 'zip';

/** Templates below may use `{version}` (`0.74.0`) and `{tag}` (`v0.74.0`). */
export interface AssetSpec {
  /** File name on the release page. */
  name: string;
  archive: ArchiveType;
  /** Path of the binary inside the archive; for `binary`, unused (the asset is the binary). */
  binaryPath: string;
}

/** A keyless Sigstore signer: the Fulcio certificate's identity (SAN) and the OIDC issuer. */
export interface Signer {
  identity: string;
  issuer: string;
}

/** A Sigstore bundle (`.sigstore.json`) published beside the release files. */
export interface SignatureSpec {
  /** What the bundle signs: the asset itself, or the checksums file (which then vouches for the asset). */
  covers: 'asset' | 'checksums';
  /** Bundle file name; `{asset}` is the asset's name. */
  bundle: string;
  signer: Signer;
}

export interface ToolRelease {
  name: ToolName;
  /** `owner/name` on GitHub; the mirror uses the same layout. */
  repo: string;
  defaultVersion: string;
  /** Release tag of a version. */
  tag: string;
  assets: Readonly<Partial<Record<PlatformKey, AssetSpec>>>;
  /** goreleaser checksums file (`<sha256>  <file>` per line). */
  checksums: string;
  signature: SignatureSpec;
  /** Versions that are never installed, with the reason shown to the user. Keys without `v`. */
  refused: Readonly<Record<string, string>>;
  /** SHA-256 of the asset per version and platform, embedded in the action. Keys without `v`. */
  pinned?: Readonly<Record<string, Readonly<Partial<Record<PlatformKey, string>>>>>;
}

/** Where releases come from when no `tool-mirror` is set. */
export interface ReleaseSource {
  baseUrl: string;
  /**
   * Hosts a download from `baseUrl` may be redirected to. GitHub answers release downloads with a redirect to
   * its object storage; anything else is refused.
   */
  redirectHosts: readonly string[];
}

export interface Catalog {
  tools: Readonly<Record<ToolName, ToolRelease>>;
  github: ReleaseSource;
}

const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

const COSIGN: ToolRelease = {
  name: 'cosign',
  repo: 'sigstore/cosign',
  // The version sigstore/cosign-installer pins; its hashes below are the root of the chain of trust.
  defaultVersion: '3.0.6',
  tag: 'v{version}',
  assets: {
    'linux/amd64': { name: 'cosign-linux-amd64', archive: 'binary', binaryPath: '' },
    'linux/arm64': { name: 'cosign-linux-arm64', archive: 'binary', binaryPath: '' },
    'darwin/amd64': { name: 'cosign-darwin-amd64', archive: 'binary', binaryPath: '' },
    'darwin/arm64': { name: 'cosign-darwin-arm64', archive: 'binary', binaryPath: '' },
    'windows/amd64': { name: 'cosign-windows-amd64.exe', archive: 'binary', binaryPath: '' },
  },
  checksums: 'cosign_checksums.txt',
  signature: {
    covers: 'asset',
    bundle: '{asset}.sigstore.json',
    signer: {
      identity: 'keyless@projectsigstore.iam.gserviceaccount.com',
      issuer: 'https://accounts.google.com',
    },
  },
  refused: {},
  pinned: {
    '3.0.6': {
      'linux/amd64': 'c956e5dfcac53d52bcf058360d579472f0c1d2d9b69f55209e256fe7783f4c74',
      'linux/arm64': 'bedac92e8c3729864e13d4a17048007cfafa79d5deca993a43a90ffe018ef2b8',
      'darwin/amd64': '4c3e7af8372d3ca3296e62fa56f23fcbb5721cc6ac1827900d398f110d7cd280',
      'darwin/arm64': '5fadd012ae6381a6a29ff86a7d39aa873878852f1073fc90b15995961ecfb084',
      'windows/amd64': '9b85a88ebff2d9dd30ff4984a6f61f2cedc232dd87d81fa7f2ff3c0ed96c241c',
    },
  },
};

const TRIVY: ToolRelease = {
  name: 'trivy',
  repo: 'aquasecurity/trivy',
  defaultVersion: '0.74.0',
  tag: 'v{version}',
  assets: {
    'linux/amd64': { name: 'trivy_{version}_Linux-64bit.tar.gz', archive: 'tar.gz', binaryPath: 'trivy' },
    'linux/arm64': { name: 'trivy_{version}_Linux-ARM64.tar.gz', archive: 'tar.gz', binaryPath: 'trivy' },
    'darwin/amd64': { name: 'trivy_{version}_macOS-64bit.tar.gz', archive: 'tar.gz', binaryPath: 'trivy' },
    'darwin/arm64': { name: 'trivy_{version}_macOS-ARM64.tar.gz', archive: 'tar.gz', binaryPath: 'trivy' },
    'windows/amd64': { name: 'trivy_{version}_windows-64bit.zip', archive: 'zip', binaryPath: 'trivy.exe' },
  },
  checksums: 'trivy_{version}_checksums.txt',
  signature: {
    covers: 'asset',
    bundle: '{asset}.sigstore.json',
    // The exact tag, not a pattern: a signature made by the release workflow of another tag does not count.
    signer: {
      identity:
        'https://github.com/aquasecurity/trivy/.github/workflows/reusable-release.yaml@refs/tags/{tag}',
      issuer: GITHUB_ACTIONS_ISSUER,
    },
  },
  refused: {
    // March 2026: hijacked tags published a malicious v0.69.4 with a checksums file of its own.
    '0.69.4':
      'it is the malicious release published with hijacked tags in the March 2026 trivy-action compromise',
  },
};

const GRYPE: ToolRelease = {
  name: 'grype',
  repo: 'anchore/grype',
  defaultVersion: '0.116.0',
  tag: 'v{version}',
  assets: {
    'linux/amd64': { name: 'grype_{version}_linux_amd64.tar.gz', archive: 'tar.gz', binaryPath: 'grype' },
    'linux/arm64': { name: 'grype_{version}_linux_arm64.tar.gz', archive: 'tar.gz', binaryPath: 'grype' },
    'darwin/amd64': { name: 'grype_{version}_darwin_amd64.tar.gz', archive: 'tar.gz', binaryPath: 'grype' },
    'darwin/arm64': { name: 'grype_{version}_darwin_arm64.tar.gz', archive: 'tar.gz', binaryPath: 'grype' },
    'windows/amd64': { name: 'grype_{version}_windows_amd64.zip', archive: 'zip', binaryPath: 'grype.exe' },
  },
  checksums: 'grype_{version}_checksums.txt',
  // Anchore signs the checksums file only, keylessly, from its release workflow on main (releases are cut by
  // workflow_dispatch on main, so the identity names the branch, not the tag).
  signature: {
    covers: 'checksums',
    bundle: 'grype_{version}_checksums.txt.sigstore.json',
    signer: {
      identity: 'https://github.com/anchore/grype/.github/workflows/release.yaml@refs/heads/main',
      issuer: GITHUB_ACTIONS_ISSUER,
    },
  },
  refused: {},
};

export const DEFAULT_CATALOG: Catalog = {
  tools: { cosign: COSIGN, trivy: TRIVY, grype: GRYPE },
  github: {
    baseUrl: 'https://github.com',
    redirectHosts: ['objects.githubusercontent.com', 'release-assets.githubusercontent.com'],
  },
};

const VERSION = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;

/**
 * `v1.2.3` or `1.2.3` → `1.2.3`. Only exact releases: a range or `latest` would make the installed bytes depend
 * on the day, which defeats pinning.
 */
export function normalizeVersion(raw: string, input: string): string {
  const match = VERSION.exec(raw.trim());
  if (!match?.[1]) {
    throw new UserError(
      `Input \`${input}\`: ${JSON.stringify(raw)} is not an exact release version. Give one like \`v1.2.3\`.`,
    );
  }
  return match[1];
}

export function expand(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

export function tagOf(release: ToolRelease, version: string): string {
  return expand(release.tag, { version });
}

/** The refusal reason when `version` must never be installed, else undefined. */
export function refusalReason(release: ToolRelease, version: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(release.refused, version)
    ? release.refused[version]
    : undefined;
}

export function assertNotRefused(release: ToolRelease, version: string, input: string): void {
  const reason = refusalReason(release, version);
  if (reason === undefined) return;
  throw new UserError(
    `${release.name} v${version} is refused: ${reason}. Set \`${input}\` to another release ` +
      `(the default is v${release.defaultVersion}), or leave it empty.`,
  );
}

export function assetFor(release: ToolRelease, version: string, platform: PlatformKey): AssetSpec {
  const spec = release.assets[platform];
  if (!spec) {
    const supported = Object.keys(release.assets).join(', ');
    throw new UserError(
      `${release.name} has no release asset for ${platform} (it is published for ${supported}). ` +
        `Install ${release.name} yourself and pass it with \`${release.name === 'cosign' ? 'cosign-path' : 'scanner-path'}\`.`,
    );
  }
  const values = { version, tag: tagOf(release, version) };
  return { ...spec, name: expand(spec.name, values), binaryPath: expand(spec.binaryPath, values) };
}

export function pinnedHash(release: ToolRelease, version: string, platform: PlatformKey): string | undefined {
  return release.pinned?.[version]?.[platform];
}
