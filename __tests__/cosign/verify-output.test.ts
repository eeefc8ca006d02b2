import { describe, expect, it } from '@jest/globals';
import {
  VerificationIncomplete,
  certificateSigners,
  cosignReason,
  verifiedDigest,
} from '../../src/cosign/verify.js';

import { readUpstream } from '../scan/helpers.js';

const upstream = (name: string): string => readUpstream(`cosign/${name}`);

describe('cosign verify output (upstream examples)', () => {
  it('names the digest and the certificate of a GitHub Actions signature', () => {
    const out = upstream('chainguard-musl-dynamic-README.verify-output.json');
    expect(verifiedDigest(out)).toBe(
      'sha256:d42fb8b381042a4f488c2ea281d48565d9a627e12326fcb0ab088f11e8665fd9',
    );
    expect(certificateSigners(out)).toEqual([
      {
        identity:
          'https://github.com/chainguard-images/musl-dynamic/.github/workflows/release.yaml@refs/heads/main',
        issuer: 'https://token.actions.githubusercontent.com',
      },
    ]);
  });

  it("names a person's signature by its email subject", () => {
    const out = upstream('cosign-README.verify-output.json');
    expect(certificateSigners(out)).toEqual([
      { identity: 'priya@chainguard.dev', issuer: 'https://accounts.google.com' },
    ]);
  });

  it('gives no signer for signatures whose output carries no certificate fields (v3 bundles, keys)', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const out = JSON.stringify([
      { critical: { image: { 'docker-manifest-digest': digest } }, optional: null },
      { critical: { image: { 'docker-manifest-digest': digest } }, optional: { Subject: '', Issuer: 'x' } },
    ]);
    expect(verifiedDigest(out)).toBe(digest);
    expect(certificateSigners(out)).toEqual([]);
    expect(certificateSigners('not json')).toEqual([]);
  });

  it('refuses output that does not say which digest was verified, or names several', () => {
    expect(() => verifiedDigest('')).toThrow(VerificationIncomplete);
    expect(() => verifiedDigest('[]')).toThrow('cosign verify printed no signatures');
    const two = JSON.stringify(
      ['a', 'b'].map((c) => ({
        critical: { image: { 'docker-manifest-digest': `sha256:${c.repeat(64)}` } },
      })),
    );
    expect(() => verifiedDigest(two)).toThrow(/several digests/);
  });

  it("reads cosign's reason from its Error line, without the usage text", () => {
    const stderr = [
      'Error: no matching signatures: none of the expected identities matched what was in the certificate',
      'main.go:69: error during command execution: no matching signatures: none of the expected identities matched',
    ].join('\n');
    expect(cosignReason(stderr)).toBe(
      'no matching signatures: none of the expected identities matched what was in the certificate',
    );
  });
});
