import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  IdentityTokens,
  decodeTokenClaims,
  identityFromClaims,
  missingOidcEnvironment,
} from '../../src/sign/oidc.js';
import { UserError } from '../../src/util/errors.js';
import { GITHUB_ISSUER, githubClaims, signJwt, workflowIdentity } from '../harness/oidc.js';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

function jwt(claims: object): string {
  return signJwt({ typ: 'JWT', alg: 'RS256', kid: 'k' }, claims, privateKey);
}

describe('claims → the identity Fulcio certifies', () => {
  it.each([
    ['a workflow on main', githubClaims({ repository: 'acme/app' }, 'sigstore')],
    ['a tag', githubClaims({ repository: 'acme/app', ref: 'refs/tags/v1.2.3' }, 'sigstore')],
    [
      'a reusable workflow: its own file, not the caller',
      githubClaims(
        {
          repository: 'acme/app',
          job_workflow_ref: 'acme/shared/.github/workflows/build.yml@refs/tags/v2',
        },
        'sigstore',
      ),
    ],
    ['a pull request', githubClaims({ repository: 'acme/app', event_name: 'pull_request' }, 'sigstore')],
    ['a GHES issuer', githubClaims({ iss: 'https://ghes.example.com/_services/token' }, 'sigstore')],
  ])('%s', (_name, claims) => {
    const decoded = decodeTokenClaims(jwt(claims));
    expect(decoded.job_workflow_ref).toBe(claims.job_workflow_ref);
    expect(identityFromClaims(decoded)).toEqual({
      identity: workflowIdentity(claims),
      issuer: claims.iss,
    });
  });

  it('the reusable workflow identity differs from the caller workflow_ref', () => {
    const claims = githubClaims({ job_workflow_ref: 'acme/shared/.github/workflows/build.yml@refs/tags/v2' });
    const { identity } = identityFromClaims(decodeTokenClaims(jwt(claims)));
    expect(identity).toBe('https://github.com/acme/shared/.github/workflows/build.yml@refs/tags/v2');
    expect(identity).not.toContain(claims.workflow_ref);
  });

  it.each([
    ['not three parts', 'abc.def', /not a JWT/],
    ['empty payload', 'a..c', /not a JWT/],
    ['payload not JSON', `e30.${Buffer.from('nope').toString('base64url')}.sig`, /not JSON/],
    ['payload an array', `e30.${Buffer.from('[1]').toString('base64url')}.sig`, /not a JSON object/],
    ['no iss', jwt({ job_workflow_ref: 'a/b/.github/workflows/x.yml@refs/heads/main' }), /no `iss`/],
    [
      'no job_workflow_ref (not GitHub Actions)',
      jwt({ iss: 'https://accounts.google.com', sub: '1' }),
      /job_workflow_ref/,
    ],
  ])('refuses a token with %s', (_name, token, message) => {
    expect(() => decodeTokenClaims(token)).toThrow(message);
  });
});

describe('missingOidcEnvironment', () => {
  it('says nothing when the runner gave both variables', () => {
    expect(
      missingOidcEnvironment({
        ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x?a=1',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't',
      }),
    ).toBeUndefined();
  });

  it.each([
    ['both missing', {}, /ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set/],
    [
      'the token empty',
      { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x?a=1', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' },
      /ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set/,
    ],
  ])('%s: the fix, naming the permission, forks and push: false', (_name, env, which) => {
    const error = missingOidcEnvironment(env);
    expect(error).toBeInstanceOf(UserError);
    expect(error?.message).toMatch(which);
    expect(error?.message).toContain('permissions: id-token: write');
    expect(error?.message).toMatch(/forks never get an OIDC token/);
    expect(error?.message).toContain("push: ${{ github.event_name != 'pull_request' }}");
    expect(error?.message).toContain('cosign-key');
  });
});

describe('IdentityTokens', () => {
  const env = { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x?a=1', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' };

  it('asks for the sigstore audience, reuses a fresh token and replaces one about to expire', async () => {
    let now = 1_000_000;
    const asked: string[] = [];
    const tokens = new IdentityTokens(
      async (audience) => {
        asked.push(audience);
        return jwt(githubClaims({}, audience, now));
      },
      env,
      () => now,
      120,
    );
    const first = await tokens.token();
    expect(asked).toEqual(['sigstore']);
    expect(first.claims.aud).toBe('sigstore');
    now += 60; // 240 s left: still good
    expect((await tokens.token()).token).toBe(first.token);
    now += 150; // 90 s left: under the margin
    const second = await tokens.token();
    expect(asked).toEqual(['sigstore', 'sigstore']);
    expect(second.token).not.toBe(first.token);
  });

  it('fails with the fix before asking when the variables are missing', async () => {
    let asked = 0;
    const tokens = new IdentityTokens(async () => {
      asked += 1;
      return '';
    }, {});
    await expect(tokens.token()).rejects.toThrow(/id-token: write/);
    expect(asked).toBe(0);
  });

  it('turns a failed request into a UserError that names the permission', async () => {
    const tokens = new IdentityTokens(async () => {
      throw new Error('Failed to get ID Token. Error Code : 403');
    }, env);
    const error = await tokens.token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/Error Code : 403.*id-token: write/s);
  });

  it('rejects what is not a GitHub token', async () => {
    const tokens = new IdentityTokens(async () => jwt({ iss: GITHUB_ISSUER, sub: 'x' }), env);
    await expect(tokens.token()).rejects.toThrow(/job_workflow_ref/);
  });
});
