import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  DEFAULT_CATALOG,
  assertNotRefused,
  assetFor,
  compareVersions,
  normalizeVersion,
  pinnedHash,
  refusalReason,
  signatureFor,
  versionWarning,
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
    expect(tools.cosign.defaultVersion).toBe('3.1.3');
    expect(tools.trivy.defaultVersion).toBe('0.74.0');
    expect(tools.grype.defaultVersion).toBe('0.121.3');
  });

  it.each<[PlatformKey, string]>([
    ['linux/amd64', '4629c757b7618056f8ddd7e2625ae9fdd94c0372a65049520bc7d9df9efc7f71'],
    ['linux/arm64', 'c5d324e091826b0d7a78eb16fef316450b4eb9aaec045611c08ba06f5e73220a'],
    ['darwin/amd64', '2347488e5d5b25336644024dfeca5601b190e91197a71a917bda44744aff106c'],
    ['darwin/arm64', '5cf948c2f4dfe59687bdd0b8523709067383e03982cc543475c8a7dc70e92a76'],
    ['windows/amd64', '9fe59be0eca1271873ce019061335eb1ac419b7059202e797828467ddabe33be'],
  ])('embeds the SHA-256 of cosign v3.1.3 on %s', (platform, sha256) => {
    expect(pinnedHash(tools.cosign, '3.1.3', platform)).toBe(sha256);
  });

  it('the hashes embedded are the ones the catalog comment cites, each platform once', () => {
    const source = readFileSync(new URL('../../src/tools/catalog.ts', import.meta.url), 'utf8');
    const pinned = Object.values(tools.cosign.pinned?.['3.1.3'] ?? {});
    expect(pinned).toHaveLength(5);
    for (const hash of pinned) expect(source.split(hash)).toHaveLength(2);
    expect(source).toMatch(
      /cosign_checksums\.txt of v3\.1\.3, each confirmed in at least two independent public/,
    );
  });

  it('pins no other version, and no scanner', () => {
    expect(pinnedHash(tools.cosign, '3.1.2', 'linux/amd64')).toBeUndefined();
    expect(pinnedHash(tools.trivy, '0.74.0', 'linux/amd64')).toBeUndefined();
    expect(pinnedHash(tools.grype, '0.116.0', 'linux/amd64')).toBeUndefined();
  });

  it('expects the signers upstream sign with', () => {
    expect(signatureFor(tools.cosign, '3.1.3')).toEqual({
      covers: 'asset',
      files: { kind: 'bundle', bundle: '{asset}.sigstore.json' },
      signer: {
        identity: 'keyless@projectsigstore.iam.gserviceaccount.com',
        issuer: 'https://accounts.google.com',
      },
    });
    expect(signatureFor(tools.trivy, '0.74.0').signer.identity).toBe(
      'https://github.com/aquasecurity/trivy/.github/workflows/reusable-release.yaml@refs/tags/{tag}',
    );
    for (const version of ['0.116.0', '0.121.3']) {
      expect(signatureFor(tools.grype, version).covers).toBe('checksums');
      expect(signatureFor(tools.grype, version).signer).toEqual({
        identity: 'https://github.com/anchore/grype/.github/workflows/release.yaml@refs/heads/main',
        issuer: 'https://token.actions.githubusercontent.com',
      });
    }
  });

  it.each([
    ['0.72.0', 'signature-and-certificate'],
    ['0.116.0', 'signature-and-certificate'],
    ['0.119.9', 'signature-and-certificate'],
    ['0.120.0', 'bundle'],
    ['0.121.3', 'bundle'],
  ])('grype %s is signed with a %s', (version, kind) => {
    expect(signatureFor(tools.grype, version).files.kind).toBe(kind);
  });

  it('every signature range and floor says where it was read', () => {
    for (const release of Object.values(tools)) {
      expect(release.floor.source).not.toBe('');
      for (const range of release.signatures) expect(range.source).not.toBe('');
    }
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
      /trivy v0\.69\.4 is refused: .*malicious.*Set `scanner-version` to another release \(v0\.68\.1 or newer; the default is v0\.74\.0\)/,
    );
  });

  it.each([
    [
      'trivy',
      '0.68.0',
      'scanner-version',
      /trivy v0\.68\.0 is refused: releases before v0\.68\.1 publish no Sigstore bundle/,
    ],
    [
      'grype',
      '0.71.0',
      'scanner-version',
      /grype v0\.71\.0 is refused: releases before v0\.72\.0 are not signed/,
    ],
    [
      'cosign',
      '3.0.1',
      'cosign-version',
      /cosign v3\.0\.1 is refused: releases before v3\.0\.2 publish no Sigstore bundle/,
    ],
    [
      'cosign',
      '2.6.1',
      'cosign-version',
      /Set `cosign-version` to another release \(v3\.0\.2 or newer; the default is v3\.1\.3\)/,
    ],
  ] as [ToolName, string, string, RegExp][])(
    'refuses %s v%s, below its floor, saying why',
    (tool, version, input, message) => {
      expect(() => assertNotRefused(tools[tool], version, input)).toThrow(message);
    },
  );

  it('warns about a cosign below v3.1.3 by its advisory, and not about v3.1.3', () => {
    expect(versionWarning(tools.cosign, '3.0.6', 'cosign-version')).toMatch(
      /^cosign v3\.0\.6 \(from `cosign-version`\) is affected by GHSA-fx35-mq7g-6g98 .*secure-image still verifies every download with its own cosign v3\.1\.3/,
    );
    expect(versionWarning(tools.cosign, '3.1.3', 'cosign-version')).toBeUndefined();
    expect(versionWarning(tools.trivy, '0.69.0', 'scanner-version')).toBeUndefined();
  });

  it('orders versions, pre-releases before their release', () => {
    expect(compareVersions('3.1.3', '3.1.3')).toBe(0);
    expect(compareVersions('3.0.10', '3.0.9')).toBe(1);
    expect(compareVersions('3.1.3-rc.1', '3.1.3')).toBe(-1);
    expect(compareVersions('0.120.0', '0.72.0')).toBe(1);
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
