import {
  createHash,
  createPublicKey,
  generateKeyPair,
  randomBytes,
  randomUUID,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { listenOnLoopback } from './ports.js';

/**
 * GitHub's OIDC token endpoint, for real: the runner's ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN pair,
 * answering `{"value": "<jwt>"}` with an RS256 JWT carrying the claims GitHub puts in its tokens
 * (docs.github.com/actions/reference/security/oidc), signed by a key made at start and published
 * at `/.well-known/jwks` next to an openid-configuration.
 */
export interface GithubClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  repository: string;
  repository_owner: string;
  repository_owner_id: string;
  repository_id: string;
  repository_visibility: string;
  ref: string;
  ref_type: string;
  ref_protected: string;
  sha: string;
  workflow: string;
  workflow_ref: string;
  workflow_sha: string;
  job_workflow_ref: string;
  job_workflow_sha: string;
  run_id: string;
  run_number: string;
  run_attempt: string;
  actor: string;
  actor_id: string;
  event_name: string;
  head_ref: string;
  base_ref: string;
  runner_environment: string;
  /** Only present when the job runs in an environment; the subject then names it. */
  environment?: string;
}

export interface IssuedToken {
  audience: string;
  token: string;
  claims: GithubClaims;
}

export interface OidcServer {
  /** For ACTIONS_ID_TOKEN_REQUEST_URL. Has a query already, as GitHub's does, so `&audience=` appends. */
  requestUrl: string;
  /** For ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  requestToken: string;
  /** The `iss` of the tokens: GitHub's issuer, `claims.iss`, or with `selfIssued` the server's own URL. */
  issuer: string;
  /** Base URL of the server itself. */
  url: string;
  jwksUrl: string;
  publicKeyPem: string;
  /** Key id in the JWT header and the JWKS. */
  kid: string;
  issued(): IssuedToken[];
  /** The next `count` token requests answer `status`. */
  setFailures(count: number, status: number): void;
  /** Every request the server saw (path and query), for asserting what the action asked. */
  requests(): Array<{ method: string; path: string; authorized: boolean }>;
  stop(): Promise<void>;
}

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/** The Fulcio certificate identity a keyless signature made with these claims carries. */
export function workflowIdentity(claims: Pick<GithubClaims, 'job_workflow_ref'>): string {
  return `https://github.com/${claims.job_workflow_ref}`;
}

/**
 * The claims GitHub would issue for `overrides` at time `now` (seconds): values that derive from
 * others (owner, subject, workflow refs) follow the overrides unless they are given too.
 */
export function githubClaims(
  overrides: Partial<GithubClaims> = {},
  audience?: string,
  now?: number,
): GithubClaims {
  const iat = now ?? Math.floor(Date.now() / 1000);
  const repository = overrides.repository ?? 'acme/app';
  const owner = overrides.repository_owner ?? repository.split('/')[0] ?? 'acme';
  const eventName = overrides.event_name ?? 'push';
  const pullRequest = eventName === 'pull_request' || eventName === 'pull_request_target';
  const ref = overrides.ref ?? (pullRequest ? 'refs/pull/1/merge' : 'refs/heads/main');
  const sha = overrides.sha ?? 'f3a1c2d4e5b60718293a4b5c6d7e8f9012345678';
  const workflowPath = '.github/workflows/release.yml';
  const workflowRef = overrides.workflow_ref ?? `${repository}/${workflowPath}@${ref}`;
  const environment = overrides.environment;
  const subject = environment
    ? `repo:${repository}:environment:${environment}`
    : pullRequest
      ? `repo:${repository}:pull_request`
      : `repo:${repository}:ref:${ref}`;
  const claims: GithubClaims = {
    iss: GITHUB_ISSUER,
    sub: subject,
    // GitHub's default audience is the owner's URL; core.getIDToken(aud) replaces it.
    aud: audience ?? `https://github.com/${owner}`,
    // GitHub's tokens: valid from 10 minutes before issue, for 5 minutes after it.
    nbf: iat - 600,
    iat,
    exp: iat + 300,
    jti: randomUUID(),
    repository,
    repository_owner: owner,
    repository_owner_id: '65001',
    repository_id: '74001',
    repository_visibility: 'public',
    ref,
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    ref_protected: ref === 'refs/heads/main' ? 'true' : 'false',
    sha,
    workflow: 'release',
    workflow_ref: workflowRef,
    workflow_sha: sha,
    job_workflow_ref: overrides.job_workflow_ref ?? workflowRef,
    job_workflow_sha: overrides.job_workflow_sha ?? overrides.workflow_sha ?? sha,
    run_id: '9000000001',
    run_number: '42',
    run_attempt: '1',
    actor: 'octocat',
    actor_id: '583231',
    event_name: eventName,
    head_ref: pullRequest ? 'feature' : '',
    base_ref: pullRequest ? 'main' : '',
    runner_environment: 'github-hosted',
    ...overrides,
  };
  // The per-token values always come from this call, even when overrides carried stale ones.
  if (audience !== undefined) claims.aud = audience;
  if (overrides.jti === undefined) claims.jti = randomUUID();
  return claims;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function signJwt(header: Record<string, unknown>, claims: object, privateKey: KeyObject): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(signingInput), privateKey);
  return `${signingInput}.${base64url(signature)}`;
}

export interface VerifiedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/**
 * Checks that `token` is a compact RS256 JWT whose signature verifies with `publicKeyPem`, and,
 * when given, that it is for `audience` and valid at `now` (seconds). Throws saying what is wrong.
 */
export function verifyJwt(
  token: string,
  publicKeyPem: string,
  expect: { audience?: string; now?: number } = {},
): VerifiedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error(`not a compact JWT: ${parts.length} parts`);
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (header.alg !== 'RS256') throw new Error(`unexpected JWT alg ${String(header.alg)}`);
  const ok = verify(
    'sha256',
    Buffer.from(`${headerPart}.${payloadPart}`),
    createPublicKey(publicKeyPem),
    Buffer.from(signaturePart, 'base64url'),
  );
  if (!ok) throw new Error('JWT signature does not verify with the given public key');
  const claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  if (expect.audience !== undefined && claims.aud !== expect.audience) {
    throw new Error(
      `JWT audience is ${JSON.stringify(claims.aud)}, expected ${JSON.stringify(expect.audience)}`,
    );
  }
  if (expect.now !== undefined) {
    if (typeof claims.exp === 'number' && claims.exp < expect.now) throw new Error('JWT has expired');
    if (typeof claims.nbf === 'number' && claims.nbf > expect.now) throw new Error('JWT is not valid yet');
  }
  return { header, claims };
}

/**
 * `selfIssued`: the tokens' `iss` is this server's own URL (`http://127.0.0.1:<port>`), whose discovery document and
 * JWKS it serves, so that a real Fulcio can verify them; otherwise GitHub's issuer (or `claims.iss`).
 */
export async function startOidcServer(
  options: {
    claims?: Partial<GithubClaims>;
    failures?: { count: number; status: number };
    selfIssued?: boolean;
  } = {},
): Promise<OidcServer> {
  const { privateKey, publicKey } = await new Promise<{ privateKey: KeyObject; publicKey: KeyObject }>(
    (resolve, reject) =>
      generateKeyPair('rsa', { modulusLength: 2048 }, (error, pub, priv) =>
        error ? reject(error) : resolve({ privateKey: priv, publicKey: pub }),
      ),
  );
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = createHash('sha256')
    .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
    .digest('hex');
  const requestToken = randomBytes(24).toString('hex');
  const issued: IssuedToken[] = [];
  const seen: Array<{ method: string; path: string; authorized: boolean }> = [];
  let failures = options.failures ? { ...options.failures } : { count: 0, status: 500 };
  let issuer = options.claims?.iss ?? GITHUB_ISSUER;
  const tokenPath = '/_apis/distributedtask/hubs/build/plans/plan/jobs/job/idtoken';

  const server = await listenOnLoopback((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    // Auth schemes are case-insensitive (RFC 7235): core sends "Bearer", cosign's provider "bearer".
    const authorized = /^bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1] === requestToken;
    seen.push({ method: request.method ?? 'GET', path: `${url.pathname}${url.search}`, authorized });
    const json = (status: number, body: unknown): void => {
      response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
    };

    if (url.pathname === '/.well-known/openid-configuration') {
      json(200, {
        issuer,
        jwks_uri: `${server.url}/.well-known/jwks`,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        claims_supported: [
          'sub',
          'aud',
          'exp',
          'iat',
          'iss',
          'jti',
          'nbf',
          'ref',
          'sha',
          'repository',
          'repository_id',
          'repository_owner',
          'repository_owner_id',
          'run_id',
          'run_number',
          'run_attempt',
          'actor',
          'actor_id',
          'workflow',
          'workflow_ref',
          'workflow_sha',
          'head_ref',
          'base_ref',
          'event_name',
          'ref_type',
          'ref_protected',
          'environment',
          'job_workflow_ref',
          'job_workflow_sha',
          'repository_visibility',
          'runner_environment',
        ],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid'],
      });
      return;
    }
    if (url.pathname === '/.well-known/jwks') {
      json(200, { keys: [{ ...jwk, kid, use: 'sig', alg: 'RS256' }] });
      return;
    }
    if (url.pathname !== tokenPath) {
      json(404, { message: 'Not Found' });
      return;
    }
    if (request.method !== 'GET') {
      json(405, { message: 'Method Not Allowed' });
      return;
    }
    if (failures.count > 0) {
      failures = { ...failures, count: failures.count - 1 };
      json(failures.status, { message: `injected failure (${failures.status})` });
      return;
    }
    if (!authorized) {
      json(401, { message: 'Unauthorized: bad or missing bearer token' });
      return;
    }
    const audience = url.searchParams.get('audience') ?? undefined;
    const claims = githubClaims({ ...options.claims, iss: issuer }, audience);
    const token = signJwt({ typ: 'JWT', alg: 'RS256', kid }, claims, privateKey);
    issued.push({ audience: claims.aud, token, claims });
    json(200, { value: token });
  });

  if (options.selfIssued) issuer = server.url;
  return {
    requestUrl: `${server.url}${tokenPath}?api-version=2.0`,
    requestToken,
    issuer,
    url: server.url,
    jwksUrl: `${server.url}/.well-known/jwks`,
    publicKeyPem,
    kid,
    issued: () => [...issued],
    setFailures(count, status) {
      failures = { count, status };
    },
    requests: () => [...seen],
    stop: () => server.close(),
  };
}
