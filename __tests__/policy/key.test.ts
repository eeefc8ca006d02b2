import { generateKeyPairSync } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';

import { classifyKey, keyProblem } from '../../src/policy/key.js';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ecPem = ec.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ed = generateKeyPairSync('ed25519');

describe('keyProblem accepts what cosign verify --key reads', () => {
  it.each([
    ['ECDSA P-256 (cosign generate-key-pair)', ecPem],
    ['RSA, PKIX "PUBLIC KEY"', rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()],
    ['RSA, PKCS#1 "RSA PUBLIC KEY"', rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString()],
    [
      'ECDSA P-384',
      generateKeyPairSync('ec', { namedCurve: 'P-384' })
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString(),
    ],
    ['Ed25519', ed.publicKey.export({ type: 'spki', format: 'pem' }).toString()],
    ['PEM with surrounding blank lines', `\n\n${ecPem}\n\n`],
    ['AWS KMS', 'awskms:///arn:aws:kms:us-east-1:123456789012:key/1234abcd'],
    ['GCP KMS', 'gcpkms://projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1'],
    ['Azure Key Vault', 'azurekms://acme.vault.azure.net/cosign'],
    ['HashiCorp Vault', 'hashivault://cosign'],
    ['Kubernetes secret', 'k8s://security/cosign'],
    ['GitLab project', 'gitlab://acme/base'],
    ['HTTPS URL', 'https://acme.example/cosign.pub'],
  ])('%s', (_what, key) => {
    expect(keyProblem(key)).toBeUndefined();
  });
});

describe('keyProblem rejects with a reason', () => {
  const body = ecPem.split('\n').slice(1, -2).join('\n');
  it.each([
    ['empty', '  ', /is empty/],
    [
      'a private key',
      ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      /private key.*never/,
    ],
    ['an EC private key', ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString(), /private key/],
    ['a certificate', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', /is a certificate/],
    [
      'another PEM type',
      '-----BEGIN PGP PUBLIC KEY BLOCK-----\nx\n-----END PGP PUBLIC KEY BLOCK-----',
      /of type "PGP/,
    ],
    [
      'a damaged body',
      `-----BEGIN PUBLIC KEY-----\n${body.slice(0, 20)}\n-----END PUBLIC KEY-----`,
      /not a readable PEM/,
    ],
    ['a folded (one-line) PEM', ecPem.trim().replace(/\n/g, ' '), /not a readable PEM|block scalar/],
    [
      'a cut-off PEM',
      ecPem.split('\n').slice(0, 2).join('\n'),
      /does not end with "-----END PUBLIC KEY-----"/,
    ],
    ['two keys', `${ecPem}${ecPem}`, /more than one PEM block/],
    [
      'an X25519 key',
      generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      /x25519 key; cosign verifies ECDSA, RSA and Ed25519/,
    ],
    [
      'an ECDSA key on secp256k1',
      generateKeyPairSync('ec', { namedCurve: 'secp256k1' })
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString(),
      /curve secp256k1; cosign verifies ECDSA keys on P-256, P-384 and P-521/,
    ],
    ['base64 without armour', body.replace(/\n/g, ''), /without the PEM armour/],
    ['a file path', './cosign.pub', /file path is not accepted/],
    ['env://', 'env://COSIGN_PUBLIC_KEY', /clean environment/],
    ['http://', 'http://acme.example/cosign.pub', /plain HTTP/],
    ['pkcs11:', 'pkcs11:token=x;slot-id=1', /PKCS#11/],
    ['an unknown scheme', 'ftp://acme.example/cosign.pub', /"ftp:" is not one cosign resolves.*awskms:\/\//],
    ['a scheme without a key', 'awskms://', /not a complete awskms:\/\/ URI/],
    ['a scheme without //', 'gcpkms:projects/x', /not a complete gcpkms:\/\/ URI/],
  ])('%s', (_what, key, message) => {
    expect(keyProblem(key)).toMatch(message);
  });
});

describe('classifyKey', () => {
  it('gives PEM text, trimmed and ending in one newline, for a file', () => {
    expect(classifyKey(`\n  ${ecPem.trim()}\n\n`)).toEqual({ kind: 'pem', pem: `${ecPem.trim()}\n` });
  });

  it('gives a URI and its scheme as they are', () => {
    expect(classifyKey(' gcpkms://projects/p/k ')).toEqual({
      kind: 'uri',
      uri: 'gcpkms://projects/p/k',
      scheme: 'gcpkms',
    });
  });
});
