import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCertificateFile, assertKeylessBundle } from '../../src/tools/signature-material.js';
import { legacyBundleWithPublicKey, releaseSigner, sigstoreBundle } from '../harness/release-signing.js';

const signer = releaseSigner(
  'https://github.com/acme/tool/.github/workflows/release.yaml@refs/tags/v1.0.0',
  'https://token.actions.githubusercontent.com',
);
const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signature-material-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const certificate = { certificate: { rawBytes: signer.certificateDer } };
const signedTimestamp = { timestampVerificationData: { rfc3161Timestamps: [{ signedTimestamp: 'MA==' }] } };

describe('a Sigstore bundle, checked before cosign reads it', () => {
  it.each([
    ['a v0.3 bundle with a certificate and a log entry', sigstoreBundle(certificate, 'blob')],
    [
      'a v0.3 bundle with a certificate and only a signed timestamp (Rekor v2 without a log entry in the bundle)',
      sigstoreBundle({ ...certificate, ...signedTimestamp }, 'blob', 'MEUCIQ==', []),
    ],
    [
      'a v0.2 bundle with a certificate chain',
      JSON.stringify({
        ...JSON.parse(
          sigstoreBundle(
            { x509CertificateChain: { certificates: [{ rawBytes: signer.certificateDer }] } },
            'b',
          ),
        ),
        mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.2',
      }),
    ],
  ])('accepts %s', async (_, text) => {
    await expect(assertKeylessBundle(await file('ok.sigstore.json', text))).resolves.toBeUndefined();
  });

  it.each([
    ['not JSON', 'not json', 'it is not JSON'],
    [
      'a legacy cosign bundle with a public key as its cert',
      legacyBundleWithPublicKey(publicKeyPem),
      'it has no Sigstore bundle media type',
    ],
    [
      'another media type',
      JSON.stringify({ ...JSON.parse(sigstoreBundle(certificate, 'b')), mediaType: 'application/json' }),
      'its media type "application/json" is not a Sigstore bundle\'s',
    ],
    [
      'a bare public key',
      sigstoreBundle({ publicKey: { hint: 'abc' } }, 'b'),
      'its verification material is a bare public key',
    ],
    [
      'a public key in the certificate field',
      sigstoreBundle(
        { certificate: { rawBytes: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') } },
        'b',
      ),
      'its certificate field holds something that is not an X.509 certificate',
    ],
    [
      'neither a log entry nor a timestamp',
      sigstoreBundle(certificate, 'b', 'MEUCIQ==', []),
      'it has neither a transparency-log entry nor a signed timestamp',
    ],
    [
      'no verification material',
      JSON.stringify({ ...JSON.parse(sigstoreBundle(certificate, 'b')), verificationMaterial: undefined }),
      'it is not a well-formed Sigstore bundle',
    ],
  ])('refuses %s, naming the file', async (_, text, why) => {
    const path = await file('tool.tar.gz.sigstore.json', text);
    await expect(
      assertKeylessBundle(path, 'https://mirror.example/tool.tar.gz.sigstore.json'),
    ).rejects.toThrow(
      `tool.tar.gz.sigstore.json (https://mirror.example/tool.tar.gz.sigstore.json) is refused before any cosign reads it: ${why}`,
    );
  });
});

describe("goreleaser's certificate file", () => {
  it('accepts a base64-encoded PEM certificate, as cosign --output-certificate writes it', async () => {
    await expect(
      assertCertificateFile(await file('c.pem', signer.certificateFile())),
    ).resolves.toBeUndefined();
  });

  it('refuses a public key where the certificate belongs', async () => {
    const path = await file('checksums.txt.pem', Buffer.from(publicKeyPem).toString('base64'));
    await expect(assertCertificateFile(path)).rejects.toThrow(
      'checksums.txt.pem is refused before any cosign reads it: it holds a PUBLIC KEY, not an X.509 certificate',
    );
  });
});
