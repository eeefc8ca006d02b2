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

/**
 * How a release publishes its keyless signature, beside the release files. File names may use `{asset}` (the
 * asset's name), `{version}` and `{tag}`.
 */
export type SignatureFiles =
  /** A Sigstore bundle (`.sigstore.json`): certificate, signature and transparency-log proof in one file. */
  | { kind: 'bundle'; bundle: string }
  /**
   * goreleaser's `--output-signature` / `--output-certificate` pair: a base64 signature and the Fulcio certificate
   * (PEM, base64-encoded), checked with `verify-blob --signature --certificate`.
   */
  | { kind: 'signature-and-certificate'; signature: string; certificate: string };

export interface SignatureSpec {
  /** What the signature covers: the asset itself, or the checksums file (which then vouches for the asset). */
  covers: 'asset' | 'checksums';
  files: SignatureFiles;
  signer: Signer;
}

/** How releases from `from` on (until the next range) are signed, and where that was read. */
export interface SignatureRange {
  from: string;
  signature: SignatureSpec;
  source: string;
}

/** A version below which the tool is refused (or warned about), with the reason shown to the user. */
export interface VersionFloor {
  version: string;
  reason: string;
  source: string;
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
  /** Signature kinds by version, oldest first; a version uses the last range that starts at or below it. */
  signatures: readonly SignatureRange[];
  /** Older releases are refused: they cannot be verified the way this catalog verifies (or are unsafe). */
  floor: VersionFloor;
  /** Older releases install, with a warning naming the reason (a known flaw that does not touch installs). */
  warnBelow?: VersionFloor;
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

const SIGSTORE_RELEASE_SIGNER: Signer = {
  identity: 'keyless@projectsigstore.iam.gserviceaccount.com',
  issuer: 'https://accounts.google.com',
};

const COSIGN: ToolRelease = {
  name: 'cosign',
  repo: 'sigstore/cosign',
  // The bootstrap: the root of the chain of trust, installed by the hashes below and nothing else. v3.1.3 is the
  // first v3 release with GHSA-fx35-mq7g-6g98 fixed (verify-blob took a bare public key in a legacy bundle's
  // certificate field and skipped the chain and identity checks; v3.0.6, which cosign-installer v4.1.2 still
  // installs, has it). Chainguard documents cosign >= 3.1.1 for its Rekor v2 bundles.
  //
  // The five SHA-256 values are cosign_checksums.txt of v3.1.3, each confirmed in at least two independent public
  // repositories that pin them (found with a code search of public GitHub files, December 2026):
  //   linux/amd64, linux/arm64, darwin/amd64, darwin/arm64, windows/amd64: a Go installer's `cosignPinSHA256` map
  //     ("They come from the release's cosign_checksums.txt"), and a Go verifier's `verifierPins` map, both with all
  //     five;
  //   all five again in a TypeScript `COSIGN_RELEASE_SHA256` table ("Official v3.1.3 release checksums from
  //     sigstore/cosign's cosign_checksums.txt") and in a PowerShell install test's v3.1.3 matrix;
  //   linux/amd64 + linux/arm64 + darwin/* also in a Homebrew formula for v3.1.3 and several shell installers;
  //   windows/amd64 also in a Windows qualification note citing the v3.1.3 release notes on the legacy-bundle
  //     public-key bypass, and a C# verifier pinning the Windows and Linux amd64 hashes.
  // A platform missing here is refused with a message (see installTools), never installed unverified.
  defaultVersion: '3.1.3',
  tag: 'v{version}',
  assets: {
    'linux/amd64': { name: 'cosign-linux-amd64', archive: 'binary', binaryPath: '' },
    'linux/arm64': { name: 'cosign-linux-arm64', archive: 'binary', binaryPath: '' },
    'darwin/amd64': { name: 'cosign-darwin-amd64', archive: 'binary', binaryPath: '' },
    'darwin/arm64': { name: 'cosign-darwin-arm64', archive: 'binary', binaryPath: '' },
    'windows/amd64': { name: 'cosign-windows-amd64.exe', archive: 'binary', binaryPath: '' },
  },
  checksums: 'cosign_checksums.txt',
  signatures: [
    {
      from: '3.0.2',
      signature: {
        covers: 'asset',
        files: { kind: 'bundle', bundle: '{asset}.sigstore.json' },
        signer: SIGSTORE_RELEASE_SIGNER,
      },
      source:
        'cosign CHANGELOG.md (v3.1.3 source tree), v3.0.2: "a fix for CI to publish signed releases in the new bundle format"; .goreleaser.yml signs `${artifact}.sigstore.json` keylessly',
    },
  ],
  floor: {
    version: '3.0.2',
    reason:
      'releases before v3.0.2 publish no Sigstore bundle (`<asset>.sigstore.json`) that secure-image can verify them with',
    source: 'cosign CHANGELOG.md, v3.0.2 and v3.0.1 entries',
  },
  warnBelow: {
    version: '3.1.3',
    reason:
      'is affected by GHSA-fx35-mq7g-6g98 (`verify-blob` accepted a legacy bundle whose certificate field held a bare public key, skipping the chain and identity checks), fixed in v3.1.3',
    source: 'GHSA-fx35-mq7g-6g98; cosign v3.1.3 release notes',
  },
  refused: {},
  pinned: {
    '3.1.3': {
      'linux/amd64': '4629c757b7618056f8ddd7e2625ae9fdd94c0372a65049520bc7d9df9efc7f71',
      'linux/arm64': 'c5d324e091826b0d7a78eb16fef316450b4eb9aaec045611c08ba06f5e73220a',
      'darwin/amd64': '2347488e5d5b25336644024dfeca5601b190e91197a71a917bda44744aff106c',
      'darwin/arm64': '5cf948c2f4dfe59687bdd0b8523709067383e03982cc543475c8a7dc70e92a76',
      'windows/amd64': '9fe59be0eca1271873ce019061335eb1ac419b7059202e797828467ddabe33be',
    },
  },
};

const TRIVY: ToolRelease = {
  name: 'trivy',
  repo: 'aquasecurity/trivy',
  // The newest release the Go module proxy lists (December 2026).
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
  signatures: [
    {
      from: '0.68.1',
      signature: {
        covers: 'asset',
        files: { kind: 'bundle', bundle: '{asset}.sigstore.json' },
        // The exact tag, not a pattern: a signature made by the release workflow of another tag does not count. This
        // is also what binds the installed bytes to the version asked for (see SECURITY.md).
        signer: {
          identity:
            'https://github.com/aquasecurity/trivy/.github/workflows/reusable-release.yaml@refs/tags/{tag}',
          issuer: GITHUB_ACTIONS_ISSUER,
        },
      },
      source:
        'trivy v0.74.0 docs/getting-started/signature-verification.md ("Since Trivy v0.68.1, GitHub Releases provide sigstore signature bundles … Every release asset has a corresponding .sigstore.json") and goreleaser.yml (`signs: artifacts: all`, `${artifact}.sigstore.json`)',
    },
  ],
  floor: {
    version: '0.68.1',
    reason:
      'releases before v0.68.1 publish no Sigstore bundle (`<asset>.sigstore.json`) that secure-image can verify them with',
    source: 'trivy docs/getting-started/signature-verification.md at v0.74.0',
  },
  refused: {
    // March 2026: hijacked tags published a malicious v0.69.4 with a checksums file of its own.
    '0.69.4':
      'it is the malicious release published with hijacked tags in the March 2026 trivy-action compromise',
  },
};

// Anchore signs the checksums file only, keylessly, from its release workflow on main (releases are cut by
// workflow_dispatch on main, so the identity names the branch, not the tag: install.sh at v0.121.3 verifies with
// `release.yaml@refs/heads/main`). The version is bound by the signed checksums file, whose every line names it.
const GRYPE_SIGNER: Signer = {
  identity: 'https://github.com/anchore/grype/.github/workflows/release.yaml@refs/heads/main',
  issuer: GITHUB_ACTIONS_ISSUER,
};

const GRYPE: ToolRelease = {
  name: 'grype',
  repo: 'anchore/grype',
  // The newest release whose signature files are confirmed (its own .goreleaser.yaml and install.sh, from the Go
  // module proxy's copy of v0.121.3); v0.122.x needs go1.27, which the project's machines cannot build to compare.
  defaultVersion: '0.121.3',
  tag: 'v{version}',
  assets: {
    'linux/amd64': { name: 'grype_{version}_linux_amd64.tar.gz', archive: 'tar.gz', binaryPath: 'grype' },
    'linux/arm64': { name: 'grype_{version}_linux_arm64.tar.gz', archive: 'tar.gz', binaryPath: 'grype' },
    'darwin/amd64': { name: 'grype_{version}_darwin_amd64.tar.gz', archive: 'tar.gz', binaryPath: 'grype' },
    'darwin/arm64': { name: 'grype_{version}_darwin_arm64.tar.gz', archive: 'tar.gz', binaryPath: 'grype' },
    'windows/amd64': { name: 'grype_{version}_windows_amd64.zip', archive: 'zip', binaryPath: 'grype.exe' },
  },
  checksums: 'grype_{version}_checksums.txt',
  signatures: [
    {
      from: '0.72.0',
      signature: {
        covers: 'checksums',
        files: {
          kind: 'signature-and-certificate',
          signature: 'grype_{version}_checksums.txt.sig',
          certificate: 'grype_{version}_checksums.txt.pem',
        },
        signer: GRYPE_SIGNER,
      },
      source:
        'grype .goreleaser.yaml at v0.116.0 (`sign-blob --output-certificate=${artifact}.pem --output-signature=${artifact}.sig`, artifacts: checksum); install.sh at v0.121.3 (VERIFY_SIGN_SUPPORTED_VERSION=v0.72.0)',
    },
    {
      from: '0.120.0',
      signature: {
        covers: 'checksums',
        files: { kind: 'bundle', bundle: 'grype_{version}_checksums.txt.sigstore.json' },
        signer: GRYPE_SIGNER,
      },
      source:
        'grype install.sh at v0.121.3 (VERIFY_SIGN_BUNDLE_VERSION=v0.120.0: "releases at or after this version are signed with a sigstore bundle"), its .goreleaser.yaml (`sign-blob --bundle=${artifact}.sigstore.json`) and test/install (grype_0.120.0_checksums.txt.sigstore.json)',
    },
  ],
  floor: {
    version: '0.72.0',
    reason: 'releases before v0.72.0 are not signed',
    source: 'grype install.sh at v0.121.3 (VERIFY_SIGN_SUPPORTED_VERSION=v0.72.0)',
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

/**
 * Orders release versions: `-1` when `a` is older than `b`. A pre-release comes before its release
 * (`3.1.3-rc.1` < `3.1.3`); pre-releases of one version compare as text, which is enough for the floors here.
 */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): { core: number[]; pre: string | undefined } => {
    const [main = '', ...rest] = v.replace(/\+.*$/, '').split('-');
    return { core: main.split('.').map((n) => Number(n)), pre: rest.length > 0 ? rest.join('-') : undefined };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.core[i] ?? 0) - (y.core[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** The refusal reason when `version` must never be installed (listed, or below the floor), else undefined. */
export function refusalReason(release: ToolRelease, version: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(release.refused, version)) return release.refused[version];
  if (compareVersions(version, release.floor.version) < 0) return release.floor.reason;
  return undefined;
}

export function assertNotRefused(release: ToolRelease, version: string, input: string): void {
  const reason = refusalReason(release, version);
  if (reason === undefined) return;
  throw new UserError(
    `${release.name} v${version} is refused: ${reason}. Set \`${input}\` to another release ` +
      `(v${release.floor.version} or newer; the default is v${release.defaultVersion}), or leave it empty.`,
  );
}

/** The warning for a release that installs but has a known flaw, else undefined. */
export function versionWarning(release: ToolRelease, version: string, input: string): string | undefined {
  const below = release.warnBelow;
  if (!below || compareVersions(version, below.version) >= 0) return undefined;
  return (
    `${release.name} v${version} (from \`${input}\`) ${below.reason}. secure-image still verifies every download ` +
    `with its own ${release.name} v${release.defaultVersion}; set \`${input}\` to v${below.version} or newer, or leave it empty.`
  );
}

/** How `version` is signed: the last range that starts at or below it. */
export function signatureFor(release: ToolRelease, version: string): SignatureSpec {
  let found: SignatureSpec | undefined;
  for (const range of release.signatures) {
    if (compareVersions(version, range.from) >= 0) found = range.signature;
  }
  if (!found) {
    throw new UserError(
      `${release.name} v${version} publishes no signature secure-image knows how to verify. Use ` +
        `v${release.floor.version} or newer (the default is v${release.defaultVersion}).`,
    );
  }
  return found;
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
