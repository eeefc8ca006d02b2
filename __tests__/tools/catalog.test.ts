import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_CATALOG,
  assertNotRefused,
  assetFor,
  normalizeVersion,
  pinnedHash,
  refusalReason,
  type ToolName,
} from '../../src/tools/catalog.js';
import { SUPPORTED_PLATFORMS, resolvePlatform, type PlatformKey } from '../../src/tools/platform.js';
import { UserError } from '../../src/util/errors.js';

const tools = DEFAULT_CATALOG.tools;

describe('release catalog: asset per tool and platform', () => {
  // Names as the upstream goreleaser configs publish them (see ARCHITECTURE.md "Facts to build on").
  const table: Array<[ToolName, string, PlatformKey, string, string, string]> = [
    ['cosign', '3.0.6', 'linux/amd64', 'cosign-linux-amd64', 'binary', ''],
    ['cosign', '3.0.6', 'linux/arm64', 'cosign-linux-arm64', 'binary', ''],
    ['cosign', '3.0.6', 'darwin/amd64', 'cosign-darwin-amd64', 'binary', ''],
    ['cosign', '3.0.6', 'darwin/arm64', 'cosign-darwin-arm64', 'binary', ''],
    ['cosign', '3.0.6', 'windows/amd64', 'cosign-windows-amd64.exe', 'binary', ''],
    ['trivy', '0.74.0', 'linux/amd64', 'trivy_0.74.0_Linux-64bit.tar.gz', 'tar.gz', 'trivy'],
    ['trivy', '0.74.0', 'linux/arm64', 'trivy_0.74.0_Linux-ARM64.tar.gz', 'tar.gz', 'trivy'],
    ['trivy', '0.74.0', 'darwin/amd64', 'trivy_0.74.0_macOS-64bit.tar.gz', 'tar.gz', 'trivy'],
    ['trivy', '0.74.0', 'darwin/arm64', 'trivy_0.74.0_macOS-ARM64.tar.gz', 'tar.gz', 'trivy'],
    ['trivy', '0.74.0', 'windows/amd64', 'trivy_0.74.0_windows-64bit.zip', 'zip', 'trivy.exe'],
    ['grype', '0.116.0', 'linux/amd64', 'grype_0.116.0_linux_amd64.tar.gz', 'tar.gz', 'grype'],
    ['grype', '0.116.0', 'linux/arm64', 'grype_0.116.0_linux_arm64.tar.gz', 'tar.gz', 'grype'],
    ['grype', '0.116.0', 'darwin/amd64', 'grype_0.116.0_darwin_amd64.tar.gz', 'tar.gz', 'grype'],
    ['grype', '0.116.0', 'darwin/arm64', 'grype_0.116.0_darwin_arm64.tar.gz', 'tar.gz', 'grype'],
    ['grype', '0.116.0', 'windows/amd64', 'grype_0.116.0_windows_amd64.zip', 'zip', 'grype.exe'],
  ];

  it.each(table)('%s %s on %s is %s', (tool, version, platform, name, archive, binaryPath) => {
    const asset = assetFor(tools[tool], version, platform);
    expect(asset).toEqual({ name, archive, binaryPath });
  });

  it('covers every supported platform for every tool', () => {
    for (const tool of Object.keys(tools) as ToolName[]) {
      expect(Object.keys(tools[tool].assets).sort()).toEqual([...SUPPORTED_PLATFORMS].sort());
    }
  });

  it('names the version in the asset of another release', () => {
    expect(assetFor(tools.trivy, '0.70.1', 'linux/arm64').name).toBe('trivy_0.70.1_Linux-ARM64.tar.gz');
    expect(assetFor(tools.cosign, '3.1.2', 'darwin/arm64').name).toBe('cosign-darwin-arm64');
  });

  it('defaults to the pinned releases', () => {
    expect(tools.cosign.defaultVersion).toBe('3.0.6');
    expect(tools.trivy.defaultVersion).toBe('0.74.0');
    expect(tools.grype.defaultVersion).toBe('0.116.0');
  });

  it.each<[PlatformKey, string]>([
    ['linux/amd64', 'c956e5dfcac53d52bcf058360d579472f0c1d2d9b69f55209e256fe7783f4c74'],
    ['linux/arm64', 'bedac92e8c3729864e13d4a17048007cfafa79d5deca993a43a90ffe018ef2b8'],
    ['darwin/amd64', '4c3e7af8372d3ca3296e62fa56f23fcbb5721cc6ac1827900d398f110d7cd280'],
    ['darwin/arm64', '5fadd012ae6381a6a29ff86a7d39aa873878852f1073fc90b15995961ecfb084'],
    ['windows/amd64', '9b85a88ebff2d9dd30ff4984a6f61f2cedc232dd87d81fa7f2ff3c0ed96c241c'],
  ])('embeds the SHA-256 of cosign v3.0.6 on %s', (platform, sha256) => {
    expect(pinnedHash(tools.cosign, '3.0.6', platform)).toBe(sha256);
  });

  it('pins no other version, and no scanner', () => {
    expect(pinnedHash(tools.cosign, '3.1.2', 'linux/amd64')).toBeUndefined();
    expect(pinnedHash(tools.trivy, '0.74.0', 'linux/amd64')).toBeUndefined();
    expect(pinnedHash(tools.grype, '0.116.0', 'linux/amd64')).toBeUndefined();
  });

  it('expects the signers upstream sign with', () => {
    expect(tools.cosign.signature).toEqual({
      covers: 'asset',
      bundle: '{asset}.sigstore.json',
      signer: {
        identity: 'keyless@projectsigstore.iam.gserviceaccount.com',
        issuer: 'https://accounts.google.com',
      },
    });
    expect(tools.trivy.signature.signer.identity).toBe(
      'https://github.com/aquasecurity/trivy/.github/workflows/reusable-release.yaml@refs/tags/{tag}',
    );
    expect(tools.grype.signature.covers).toBe('checksums');
    expect(tools.grype.signature.signer).toEqual({
      identity: 'https://github.com/anchore/grype/.github/workflows/release.yaml@refs/heads/main',
      issuer: 'https://token.actions.githubusercontent.com',
    });
  });
});

describe('platform mapping from RUNNER_OS / RUNNER_ARCH', () => {
  it.each<[string, string, PlatformKey, string, string]>([
    ['Linux', 'X64', 'linux/amd64', 'x64', ''],
    ['Linux', 'ARM64', 'linux/arm64', 'arm64', ''],
    ['macOS', 'X64', 'darwin/amd64', 'x64', ''],
    ['macOS', 'ARM64', 'darwin/arm64', 'arm64', ''],
    ['Windows', 'X64', 'windows/amd64', 'x64', '.exe'],
  ])('%s %s → %s', (os, arch, key, cacheArch, exeSuffix) => {
    const platform = resolvePlatform(os, arch);
    expect(platform.key).toBe(key);
    expect(platform.cacheArch).toBe(cacheArch);
    expect(platform.exeSuffix).toBe(exeSuffix);
  });

  it.each([
    ['Windows', 'ARM64'],
    ['Linux', 'ARM'],
    ['Linux', 'X86'],
    ['FreeBSD', 'X64'],
    ['', ''],
  ])('refuses %s %s, naming it and the supported platforms', (os, arch) => {
    let caught: unknown;
    try {
      resolvePlatform(os, arch);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UserError);
    const message = (caught as Error).message;
    expect(message).toContain(`RUNNER_OS=${JSON.stringify(os)}`);
    expect(message).toContain(`RUNNER_ARCH=${JSON.stringify(arch)}`);
    expect(message).toContain('Linux X64, Linux ARM64, macOS X64, macOS ARM64, Windows X64');
    expect(message).toContain('cosign-path');
  });
});

describe('refused versions', () => {
  it('refuses trivy v0.69.4 by name, with the reason and the way out', () => {
    expect(refusalReason(tools.trivy, '0.69.4')).toMatch(/malicious/);
    expect(() => assertNotRefused(tools.trivy, '0.69.4', 'scanner-version')).toThrow(
      /trivy v0\.69\.4 is refused: .*malicious.*Set `scanner-version` to another release \(the default is v0\.74\.0\)/,
    );
  });

  it('lets neighbouring trivy versions through', () => {
    for (const version of ['0.69.3', '0.69.5', '0.74.0']) {
      expect(() => assertNotRefused(tools.trivy, version, 'scanner-version')).not.toThrow();
    }
  });

  it('refuses any version a catalog marks', () => {
    const marked = { ...tools.grype, refused: { '0.100.0': 'it was withdrawn' } };
    expect(() => assertNotRefused(marked, '0.100.0', 'scanner-version')).toThrow(
      /grype v0\.100\.0 is refused: it was withdrawn/,
    );
    expect(() => assertNotRefused(marked, '0.100.1', 'scanner-version')).not.toThrow();
  });

  it('does not match inherited object keys', () => {
    expect(refusalReason(tools.trivy, 'constructor')).toBeUndefined();
  });
});

describe('version normalisation', () => {
  it.each([
    ['v0.69.4', '0.69.4'],
    ['0.69.4', '0.69.4'],
    [' v3.1.2 ', '3.1.2'],
    ['v3.2.0-rc.1', '3.2.0-rc.1'],
  ])('%s → %s', (raw, normal) => {
    expect(normalizeVersion(raw, 'cosign-version')).toBe(normal);
  });

  it.each(['latest', 'v3', '3.1', '^3.1.0', 'v3.1.2; rm -rf /', ''])(
    'refuses %j, naming the input',
    (raw) => {
      expect(() => normalizeVersion(raw, 'cosign-version')).toThrow(/Input `cosign-version`/);
    },
  );
});
