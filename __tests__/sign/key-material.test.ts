import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { KEY_ENV_NAME, kmsProviderEnvironment, prepareKeyMaterial } from '../../src/sign/key-material.js';

const PEM = [
  '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----',
  'eyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjozMjc2OCwiciI6',
  'OCwicCI6MX0sInNhbHQiOiJ4eHgifX0=',
  '-----END ENCRYPTED SIGSTORE PRIVATE KEY-----',
].join('\n');

describe('prepareKeyMaterial', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'key-material-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a PEM to a new 0600 file and removes it on dispose', () => {
    const key = prepareKeyMaterial({ kind: 'pem', pem: PEM }, 'hunter22', { dir: join(dir, 'k') });
    expect(key.kind).toBe('pem');
    expect(dirname(key.keyRef)).toBe(join(dir, 'k'));
    expect(statSync(key.keyRef).mode & 0o777).toBe(0o600);
    expect(readFileSync(key.keyRef, 'utf8')).toBe(`${PEM}\n`);
    expect(key.env).toEqual({ COSIGN_PASSWORD: 'hunter22' });
    expect(key.secrets).toEqual(
      expect.arrayContaining([PEM, 'hunter22', 'OCwicCI6MX0sInNhbHQiOiJ4eHgifX0=']),
    );
    key.dispose();
    expect(existsSync(key.keyRef)).toBe(false);
    key.dispose();
    expect(readdirSync(join(dir, 'k'))).toEqual([]);
  });

  it('sets COSIGN_PASSWORD even without a password, so cosign never waits on stdin', () => {
    const key = prepareKeyMaterial({ kind: 'pem', pem: PEM }, undefined, { dir });
    expect(key.env).toEqual({ COSIGN_PASSWORD: '' });
    key.dispose();
  });

  it('two keys in one directory get two files', () => {
    const a = prepareKeyMaterial({ kind: 'pem', pem: PEM }, undefined, { dir });
    const b = prepareKeyMaterial({ kind: 'pem', pem: PEM }, undefined, { dir });
    expect(a.keyRef).not.toBe(b.keyRef);
    a.dispose();
    b.dispose();
  });

  it('env transport: env:// and the PEM in a variable that is not COSIGN_*', () => {
    const key = prepareKeyMaterial({ kind: 'pem', pem: PEM }, 'pw', { dir, transport: 'env' });
    expect(key.keyRef).toBe(`env://${KEY_ENV_NAME}`);
    expect(KEY_ENV_NAME.startsWith('COSIGN_')).toBe(false);
    expect(key.env).toEqual({ COSIGN_PASSWORD: 'pw', [KEY_ENV_NAME]: `${PEM}\n` });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('KMS: the URI as it is, nothing written, the provider variables carried', () => {
    const key = prepareKeyMaterial({ kind: 'kms', uri: 'awskms:///alias/release' }, undefined, {
      dir,
      env: { AWS_REGION: 'eu-west-1', AWS_SECRET_ACCESS_KEY: 's3cr3t-value', PATH: '/bin' },
    });
    expect(key.keyRef).toBe('awskms:///alias/release');
    expect(key.env).toEqual({
      COSIGN_PASSWORD: '',
      AWS_REGION: 'eu-west-1',
      AWS_SECRET_ACCESS_KEY: 's3cr3t-value',
    });
    expect(key.secrets).toEqual(['s3cr3t-value']);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('kmsProviderEnvironment', () => {
  const runner = {
    PATH: '/bin',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIA1',
    AWS_SESSION_TOKEN: 'aws-session',
    AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/aws-token',
    GOOGLE_APPLICATION_CREDENTIALS: '/tmp/gha-creds.json',
    CLOUDSDK_CORE_PROJECT: 'proj',
    AZURE_CLIENT_ID: 'cid',
    AZURE_CLIENT_SECRET: 'az-secret',
    VAULT_ADDR: 'https://vault:8200',
    VAULT_TOKEN: 'hvs.token',
    TRANSIT_SECRET_ENGINE_PATH: 'transit',
    KUBECONFIG: '/home/runner/.kube/config',
    MY_KEY: 'from-env-uri',
    GITHUB_TOKEN: 'ghs_never',
  };
  it.each([
    [
      'awskms:///alias/x',
      {
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'AKIA1',
        AWS_SESSION_TOKEN: 'aws-session',
        AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/aws-token',
      },
      ['aws-session'],
    ],
    [
      'gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k',
      { GOOGLE_APPLICATION_CREDENTIALS: '/tmp/gha-creds.json', CLOUDSDK_CORE_PROJECT: 'proj' },
      [],
    ],
    [
      'azurekms://vault.vault.azure.net/key',
      { AZURE_CLIENT_ID: 'cid', AZURE_CLIENT_SECRET: 'az-secret' },
      ['az-secret'],
    ],
    [
      'hashivault://key',
      { VAULT_ADDR: 'https://vault:8200', VAULT_TOKEN: 'hvs.token', TRANSIT_SECRET_ENGINE_PATH: 'transit' },
      ['hvs.token'],
    ],
    ['k8s://ns/secret', { KUBECONFIG: '/home/runner/.kube/config' }, []],
    ['env://MY_KEY', { MY_KEY: 'from-env-uri' }, ['from-env-uri']],
    ['env://ABSENT', {}, []],
  ])('%s', (uri, env, secrets) => {
    const result = kmsProviderEnvironment(uri, runner);
    expect(result.env).toEqual(env);
    expect(result.secrets.sort()).toEqual([...secrets].sort());
    expect(Object.keys(result.env)).not.toContain('GITHUB_TOKEN');
  });
});
