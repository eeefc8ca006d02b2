import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import * as core from '@actions/core';
import { listeningAddresses } from '../harness/ports.js';
import {
  GITHUB_ISSUER,
  githubClaims,
  signJwt,
  startOidcServer,
  verifyJwt,
  workflowIdentity,
  type OidcServer,
} from '../harness/oidc.js';

async function requestToken(
  server: OidcServer,
  audience: string,
  bearer = server.requestToken,
): Promise<Response> {
  return fetch(`${server.requestUrl}&audience=${encodeURIComponent(audience)}`, {
    headers: { Authorization: `Bearer ${bearer}` },
  });
}

describe('startOidcServer', () => {
  let server: OidcServer;
  beforeAll(async () => {
    server = await startOidcServer();
  });
  afterAll(async () => {
    await server.stop();
  });
  afterEach(() => {
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  });

  it('listens on 127.0.0.1 only, with a request URL that already has a query', () => {
    const url = new URL(server.requestUrl);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.searchParams.get('api-version')).toBe('2.0');
    expect(listeningAddresses(Number(url.port))).toEqual(['127.0.0.1']);
  });

  it('issues, to core.getIDToken, an RS256 JWT with GitHub claims that verifies against its key', async () => {
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = server.requestUrl;
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = server.requestToken;
    const token = await core.getIDToken('sigstore');

    const now = Math.floor(Date.now() / 1000);
    const { header, claims } = verifyJwt(token, server.publicKeyPem, { audience: 'sigstore', now });
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: server.kid });
    expect(claims).toMatchObject({
      iss: GITHUB_ISSUER,
      aud: 'sigstore',
      sub: 'repo:acme/app:ref:refs/heads/main',
      repository: 'acme/app',
      repository_owner: 'acme',
      ref: 'refs/heads/main',
      ref_type: 'branch',
      event_name: 'push',
      job_workflow_ref: 'acme/app/.github/workflows/release.yml@refs/heads/main',
      runner_environment: 'github-hosted',
    });
    for (const name of [
      'repository_id',
      'sha',
      'workflow',
      'workflow_ref',
      'workflow_sha',
      'job_workflow_sha',
      'run_id',
      'run_number',
      'run_attempt',
      'actor',
      'jti',
    ]) {
      expect(typeof claims[name]).toBe('string');
    }
    expect(claims.iat).toBeLessThanOrEqual(now);
    expect(claims.exp).toBeGreaterThan(now);
    expect(claims.nbf).toBeLessThanOrEqual(now);

    const issued = server.issued();
    expect(issued.at(-1)).toMatchObject({ audience: 'sigstore', token });
    expect(workflowIdentity(issued.at(-1)!.claims)).toBe(
      'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main',
    );
  });

  it('publishes the key in its JWKS and an openid-configuration', async () => {
    const config = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({
      issuer: GITHUB_ISSUER,
      jwks_uri: server.jwksUrl,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    const jwks = (await (await fetch(server.jwksUrl)).json()) as {
      keys: Array<{ kid: string; kty: string; n: string; e: string }>;
    };
    expect(jwks.keys).toHaveLength(1);
    const jwk = jwks.keys[0]!;
    expect(jwk.kid).toBe(server.kid);
    const fromJwks = createPublicKey({ key: jwk, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const token = ((await (await requestToken(server, 'x')).json()) as { value: string }).value;
    expect(verifyJwt(token, fromJwks).claims.aud).toBe('x');
  });

  it('refuses a wrong or missing bearer token with 401', async () => {
    const before = server.issued().length;
    expect((await requestToken(server, 'sigstore', 'not-the-token')).status).toBe(401);
    expect((await fetch(`${server.requestUrl}&audience=sigstore`)).status).toBe(401);
    expect(server.issued()).toHaveLength(before);
  });

  it('fails the next N requests with the status it is told, then answers again', async () => {
    server.setFailures(2, 503);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await requestToken(server, 'sigstore')).status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  it('uses the owner URL as audience when none is asked for, as GitHub does', async () => {
    const response = await fetch(server.requestUrl, {
      headers: { Authorization: `Bearer ${server.requestToken}` },
    });
    const token = ((await response.json()) as { value: string }).value;
    expect(verifyJwt(token, server.publicKeyPem).claims.aud).toBe('https://github.com/acme');
  });
});

describe('OIDC claims and JWT checks', () => {
  it('selfIssued: the tokens and the discovery document name the server itself, for a real Fulcio to fetch', async () => {
    const server = await startOidcServer({ selfIssued: true });
    try {
      expect(server.issuer).toBe(server.url);
      const config = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as {
        issuer: string;
      };
      expect(config.issuer).toBe(server.url);
      const token = ((await (await requestToken(server, 'sigstore')).json()) as { value: string }).value;
      expect(verifyJwt(token, server.publicKeyPem).claims.iss).toBe(server.url);
    } finally {
      await server.stop();
    }
  });

  it('derives subject and workflow refs from the overrides (pull requests, tags, environments)', async () => {
    const server = await startOidcServer({
      claims: { repository: 'octo/site', event_name: 'pull_request' },
      failures: { count: 1, status: 500 },
    });
    try {
      expect((await requestToken(server, 'sigstore')).status).toBe(500);
      const token = ((await (await requestToken(server, 'sigstore')).json()) as { value: string }).value;
      const { claims } = verifyJwt(token, server.publicKeyPem);
      expect(claims).toMatchObject({
        sub: 'repo:octo/site:pull_request',
        repository_owner: 'octo',
        ref: 'refs/pull/1/merge',
        job_workflow_ref: 'octo/site/.github/workflows/release.yml@refs/pull/1/merge',
      });
    } finally {
      await server.stop();
    }
    expect(githubClaims({ ref: 'refs/tags/v1.2.0' })).toMatchObject({
      ref_type: 'tag',
      sub: 'repo:acme/app:ref:refs/tags/v1.2.0',
    });
    expect(githubClaims({ environment: 'prod' }).sub).toBe('repo:acme/app:environment:prod');
  });

  it('verifyJwt rejects a token signed by another key, a wrong audience and an expired token', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const claims = githubClaims({}, 'sigstore', 1000);
    const token = signJwt({ alg: 'RS256', typ: 'JWT' }, claims, privateKey);
    expect(verifyJwt(token, pem).claims.sub).toBe(claims.sub);
    expect(() => verifyJwt(signJwt({ alg: 'RS256' }, claims, other.privateKey), pem)).toThrow(
      /signature does not verify/,
    );
    expect(() => verifyJwt(token, pem, { audience: 'other' })).toThrow(/audience/);
    expect(() => verifyJwt(token, pem, { now: 2000 })).toThrow(/expired/);
    expect(() => verifyJwt('a.b', pem)).toThrow(/not a compact JWT/);
  });
});
