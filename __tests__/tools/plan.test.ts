import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CATALOG } from '../../src/tools/catalog.js';
import { describeStep, planInstall } from '../../src/tools/plan.js';
import { resolvePlatform } from '../../src/tools/platform.js';
import { verifyBlobArgs } from '../../src/tools/verify-blob.js';
import { readFileSync } from 'node:fs';

const linux = resolvePlatform('Linux', 'X64');
const windows = resolvePlatform('Windows', 'X64');
const mac = resolvePlatform('macOS', 'ARM64');
const GH = 'https://github.com';

describe('planInstall', () => {
  it('bootstrap cosign: the embedded hash alone, from GitHub', () => {
    const plan = planInstall('cosign', '3.1.3', linux, undefined, DEFAULT_CATALOG);
    expect(plan.asset).toEqual({
      name: 'cosign-linux-amd64',
      url: `${GH}/sigstore/cosign/releases/download/v3.1.3/cosign-linux-amd64`,
      archive: 'binary',
      binaryPath: '',
    });
    expect(plan.verification).toEqual([
      { kind: 'pinned-sha256', sha256: '4629c757b7618056f8ddd7e2625ae9fdd94c0372a65049520bc7d9df9efc7f71' },
    ]);
    expect(plan.downloads.map((d) => d.name)).toEqual(['cosign-linux-amd64']);
    expect(plan.binaryName).toBe('cosign');
    expect(plan.cache).toEqual({ tool: 'secure-image-cosign', version: '3.1.3', arch: 'x64' });
    expect(plan.redirects).toEqual({
      kind: 'hosts',
      hosts: ['objects.githubusercontent.com', 'release-assets.githubusercontent.com'],
    });
  });

  it('another cosign: checksums file, then its own bundle signed by the Sigstore project', () => {
    const plan = planInstall('cosign', '3.1.2', mac, undefined, DEFAULT_CATALOG);
    const base = `${GH}/sigstore/cosign/releases/download/v3.1.2`;
    expect(plan.verification).toEqual([
      { kind: 'checksums-file', file: { name: 'cosign_checksums.txt', url: `${base}/cosign_checksums.txt` } },
      {
        kind: 'signature',
        files: {
          kind: 'bundle',
          bundle: {
            name: 'cosign-darwin-arm64.sigstore.json',
            url: `${base}/cosign-darwin-arm64.sigstore.json`,
          },
        },
        covers: 'asset',
        signer: {
          identity: 'keyless@projectsigstore.iam.gserviceaccount.com',
          issuer: 'https://accounts.google.com',
        },
      },
    ]);
    expect(plan.downloads.map((d) => d.url)).toEqual([
      `${base}/cosign-darwin-arm64`,
      `${base}/cosign_checksums.txt`,
      `${base}/cosign-darwin-arm64.sigstore.json`,
    ]);
  });

  it('trivy: checksums and the asset bundle, signed by the release workflow of that exact tag', () => {
    const plan = planInstall('trivy', '0.74.0', linux, undefined, DEFAULT_CATALOG);
    const base = `${GH}/aquasecurity/trivy/releases/download/v0.74.0`;
    expect(plan.asset.url).toBe(`${base}/trivy_0.74.0_Linux-64bit.tar.gz`);
    expect(plan.verification).toEqual([
      {
        kind: 'checksums-file',
        file: { name: 'trivy_0.74.0_checksums.txt', url: `${base}/trivy_0.74.0_checksums.txt` },
      },
      {
        kind: 'signature',
        files: {
          kind: 'bundle',
          bundle: {
            name: 'trivy_0.74.0_Linux-64bit.tar.gz.sigstore.json',
            url: `${base}/trivy_0.74.0_Linux-64bit.tar.gz.sigstore.json`,
          },
        },
        covers: 'asset',
        signer: {
          identity:
            'https://github.com/aquasecurity/trivy/.github/workflows/reusable-release.yaml@refs/tags/v0.74.0',
          issuer: 'https://token.actions.githubusercontent.com',
        },
      },
    ]);
  });

  it('grype 0.116.0: a signature and certificate over the checksums file, no bundle', () => {
    const plan = planInstall('grype', '0.116.0', linux, undefined, DEFAULT_CATALOG);
    const base = `${GH}/anchore/grype/releases/download/v0.116.0`;
    expect(plan.verification[1]).toMatchObject({
      kind: 'signature',
      files: {
        kind: 'signature-and-certificate',
        signature: {
          name: 'grype_0.116.0_checksums.txt.sig',
          url: `${base}/grype_0.116.0_checksums.txt.sig`,
        },
        certificate: {
          name: 'grype_0.116.0_checksums.txt.pem',
          url: `${base}/grype_0.116.0_checksums.txt.pem`,
        },
      },
      covers: 'checksums',
    });
    expect(plan.downloads.map((d) => d.name)).toEqual([
      'grype_0.116.0_linux_amd64.tar.gz',
      'grype_0.116.0_checksums.txt',
      'grype_0.116.0_checksums.txt.sig',
      'grype_0.116.0_checksums.txt.pem',
    ]);
  });

  it('grype: the checksums file carries the signature', () => {
    const plan = planInstall('grype', '0.121.3', windows, undefined, DEFAULT_CATALOG);
    const base = `${GH}/anchore/grype/releases/download/v0.121.3`;
    expect(plan.asset).toMatchObject({
      name: 'grype_0.121.3_windows_amd64.zip',
      archive: 'zip',
      binaryPath: 'grype.exe',
    });
    expect(plan.binaryName).toBe('grype.exe');
    expect(plan.verification[1]).toEqual({
      kind: 'signature',
      files: {
        kind: 'bundle',
        bundle: {
          name: 'grype_0.121.3_checksums.txt.sigstore.json',
          url: `${base}/grype_0.121.3_checksums.txt.sigstore.json`,
        },
      },
      covers: 'checksums',
      signer: {
        identity: 'https://github.com/anchore/grype/.github/workflows/release.yaml@refs/heads/main',
        issuer: 'https://token.actions.githubusercontent.com',
      },
    });
  });

  it('a mirror takes the place of github.com with the same layout, and stays on its host', () => {
    const plan = planInstall('cosign', '3.1.3', linux, 'https://mirror.example.com/gh/', DEFAULT_CATALOG);
    expect(plan.asset.url).toBe(
      'https://mirror.example.com/gh/sigstore/cosign/releases/download/v3.1.3/cosign-linux-amd64',
    );
    expect(plan.redirects).toEqual({ kind: 'same-host' });
    expect(plan.source).toBe('mirror');
  });

  it('describes each step for the summary', () => {
    const plan = planInstall('trivy', '0.74.0', linux, undefined, DEFAULT_CATALOG);
    const [checksums, bundle] = plan.verification;
    if (!checksums || !bundle) throw new Error('expected two steps');
    expect(describeStep(checksums, plan)).toBe(
      'SHA-256 of trivy_0.74.0_Linux-64bit.tar.gz matches trivy_0.74.0_checksums.txt',
    );
    expect(describeStep(bundle, plan, 'cosign 3.1.3')).toBe(
      'Sigstore bundle trivy_0.74.0_Linux-64bit.tar.gz.sigstore.json verified by cosign 3.1.3 for ' +
        'trivy_0.74.0_Linux-64bit.tar.gz: signed by ' +
        'https://github.com/aquasecurity/trivy/.github/workflows/reusable-release.yaml@refs/tags/v0.74.0 ' +
        '(issuer https://token.actions.githubusercontent.com)',
    );
  });
});

describe('cosign verify-blob argv', () => {
  const args = verifyBlobArgs({
    blob: '/tmp/trivy.tar.gz',
    material: { kind: 'bundle', bundle: '/tmp/trivy.tar.gz.sigstore.json' },
    signer: { identity: 'https://id', issuer: 'https://issuer' },
  });

  it("grype before v0.120.0: goreleaser's signature and certificate, with the same exact signer", () => {
    expect(
      verifyBlobArgs({
        blob: '/tmp/grype_0.116.0_checksums.txt',
        material: {
          kind: 'signature-and-certificate',
          signature: '/tmp/grype_0.116.0_checksums.txt.sig',
          certificate: '/tmp/grype_0.116.0_checksums.txt.pem',
        },
        signer: { identity: 'https://id', issuer: 'https://issuer' },
      }),
    ).toEqual([
      'verify-blob',
      '--signature',
      '/tmp/grype_0.116.0_checksums.txt.sig',
      '--certificate',
      '/tmp/grype_0.116.0_checksums.txt.pem',
      '--certificate-identity',
      'https://id',
      '--certificate-oidc-issuer',
      'https://issuer',
      '/tmp/grype_0.116.0_checksums.txt',
    ]);
  });

  it('passes the bundle and the exact signer, blob last', () => {
    expect(args).toEqual([
      'verify-blob',
      '--bundle',
      '/tmp/trivy.tar.gz.sigstore.json',
      '--certificate-identity',
      'https://id',
      '--certificate-oidc-issuer',
      'https://issuer',
      '/tmp/trivy.tar.gz',
    ]);
  });

  it('uses only flags on the cosign verify-blob reference page', () => {
    const page = readFileSync(
      new URL('../fixtures/upstream/cli/cosign/cosign_verify-blob.md', import.meta.url),
      'utf8',
    );
    const options = page.slice(page.indexOf('### Options'));
    for (const flag of args.filter((a) => a.startsWith('--'))) {
      expect(options).toMatch(new RegExp(`^\\s+(?:-\\w, )?${flag}\\b`, 'm'));
    }
  });
});
