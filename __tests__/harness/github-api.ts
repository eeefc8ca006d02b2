import { randomBytes } from 'node:crypto';
import { listenOnLoopback, readBody } from './ports.js';

/**
 * The slice of GitHub's REST API that PR comments use (list, create, update issue comments),
 * answering in GitHub's JSON shapes and status codes, on 127.0.0.1. Point GITHUB_API_URL at `url`.
 */
export interface Comment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: { login: string; id: number; node_id: string; type: 'Bot' | 'User'; site_admin: boolean };
  created_at: string;
  updated_at: string;
  author_association: string;
  /** The app a comment was made through: GitHub Actions for the workflow token, null for a person's token. */
  performed_via_github_app: { id: number; slug: string; name: string } | null;
}

/** Who a token acts as: `app` (an installation token such as GITHUB_TOKEN, for which `GET /user` is refused) or a user. */
export interface TokenIdentity {
  login: string;
  type?: 'Bot' | 'User';
  /** An installation token: comments carry the app, `GET /user` answers 403. */
  app?: { id: number; slug: string; name: string };
}

export interface GithubApiRequest {
  method: string;
  /** Path with query, e.g. `/repos/acme/app/issues/7/comments?per_page=100&page=2`. */
  path: string;
  body?: unknown;
  /** The token the request carried (`Authorization: token X` or `Bearer X`), if any. */
  token?: string;
}

export interface GithubApi {
  url: string;
  /** The token the API accepts (generated unless given). */
  token: string;
  comments(owner: string, repo: string, issue: number): Comment[];
  /** Seeds a comment, e.g. one left by an earlier run or by another user. */
  addComment(owner: string, repo: string, issue: number, body: string, user?: TokenIdentity): Comment;
  setForbidWrites(forbid: boolean): void;
  requests(): GithubApiRequest[];
  stop(): Promise<void>;
}

const ACTIONS_BOT = {
  login: 'github-actions[bot]',
  id: 41898282,
  node_id: 'MDM6Qm90NDE4OTgyODI=',
  type: 'Bot' as const,
};
/** The app GITHUB_TOKEN comments are made through, as GitHub's API shows it. */
const ACTIONS_APP = { id: 15368, slug: 'github-actions', name: 'GitHub Actions' };
/** The workflow's GITHUB_TOKEN: the Actions app's installation, acting as github-actions[bot]. */
export const WORKFLOW_TOKEN_IDENTITY: TokenIdentity = {
  login: ACTIONS_BOT.login,
  type: 'Bot',
  app: ACTIONS_APP,
};

/** A stable user id per login, as GitHub has one (github-actions[bot]'s is its real one). */
function userIdOf(login: string): number {
  if (login === ACTIONS_BOT.login) return ACTIONS_BOT.id;
  let h = 0;
  for (const c of login) h = (h * 31 + c.charCodeAt(0)) % 1_000_000;
  return 5_000_000 + h;
}

function githubError(message: string, status: number, docs: string): object {
  return { message, documentation_url: `https://docs.github.com/rest${docs}`, status: String(status) };
}

export async function startGithubApi(
  options: { token?: string; forbidWrites?: boolean; identity?: TokenIdentity } = {},
): Promise<GithubApi> {
  const identity = options.identity ?? WORKFLOW_TOKEN_IDENTITY;
  const token = options.token ?? `ghs_${randomBytes(18).toString('hex')}`;
  let forbidWrites = options.forbidWrites ?? false;
  const byIssue = new Map<string, Comment[]>();
  const byId = new Map<number, { key: string; comment: Comment }>();
  const seen: GithubApiRequest[] = [];
  let nextId = 1_000_000_001;
  let baseUrl = '';

  const issueKey = (owner: string, repo: string, issue: number): string =>
    `${owner.toLowerCase()}/${repo.toLowerCase()}#${issue}`;

  const create = (
    owner: string,
    repo: string,
    issue: number,
    body: string,
    user: TokenIdentity = identity,
  ): Comment => {
    const id = nextId++;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const isBot = (user.type ?? (user.login.endsWith('[bot]') ? 'Bot' : 'User')) === 'Bot';
    const userId = userIdOf(user.login);
    const comment: Comment = {
      id,
      node_id: `IC_kwDO${Buffer.from(String(id)).toString('base64url')}`,
      url: `${baseUrl}/repos/${owner}/${repo}/issues/comments/${id}`,
      html_url: `https://github.com/${owner}/${repo}/pull/${issue}#issuecomment-${id}`,
      issue_url: `${baseUrl}/repos/${owner}/${repo}/issues/${issue}`,
      body,
      user: {
        login: user.login,
        id: userId,
        node_id: user.login === ACTIONS_BOT.login ? ACTIONS_BOT.node_id : `U_kgDO${userId}`,
        type: isBot ? 'Bot' : 'User',
        site_admin: false,
      },
      created_at: now,
      updated_at: now,
      author_association: isBot ? 'NONE' : 'MEMBER',
      performed_via_github_app: user.app ?? null,
    };
    const key = issueKey(owner, repo, issue);
    const list = byIssue.get(key) ?? [];
    list.push(comment);
    byIssue.set(key, list);
    byId.set(id, { key, comment });
    return comment;
  };

  const server = await listenOnLoopback(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    const raw = await readBody(request);
    let body: unknown;
    if (raw !== '') {
      try {
        body = JSON.parse(raw) as unknown;
      } catch {
        body = raw;
      }
    }
    const authHeader = request.headers.authorization ?? '';
    const presented = /^(?:token|bearer)\s+(.+)$/i.exec(authHeader)?.[1];
    seen.push({
      method,
      path: `${url.pathname}${url.search}`,
      ...(body !== undefined ? { body } : {}),
      ...(presented !== undefined ? { token: presented } : {}),
    });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      response.writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
        'X-GitHub-Media-Type': 'github.v3; format=json',
        ...headers,
      });
      response.end(payload === undefined ? '' : JSON.stringify(payload));
    };

    if (presented !== token) {
      send(401, githubError('Bad credentials', 401, ''));
      return;
    }

    if (url.pathname === '/user' && method === 'GET') {
      // An installation token has no user: GitHub refuses, as it does for GITHUB_TOKEN.
      if (identity.app) {
        send(
          403,
          githubError(
            'Resource not accessible by integration',
            403,
            '/users/users#get-the-authenticated-user',
          ),
        );
        return;
      }
      const isBot = (identity.type ?? 'User') === 'Bot';
      send(200, {
        login: identity.login,
        id: userIdOf(identity.login),
        type: isBot ? 'Bot' : 'User',
        site_admin: false,
      });
      return;
    }

    // GraphQL's `viewer` answers for an installation token too: the app's bot user, as comments show it.
    if (url.pathname === '/graphql' && method === 'POST') {
      const query = (body as { query?: unknown } | undefined)?.query;
      if (typeof query !== 'string' || !/\bviewer\b/.test(query)) {
        send(200, { errors: [{ message: 'only the viewer query is served here' }] });
        return;
      }
      send(200, { data: { viewer: { login: identity.login, databaseId: userIdOf(identity.login) } } });
      return;
    }

    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    const single = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);

    if (list && method === 'GET') {
      const [, owner, repo, issue] = list as unknown as [string, string, string, string];
      const all = byIssue.get(issueKey(owner, repo, Number(issue))) ?? [];
      const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page') ?? 30) || 30, 1), 100);
      const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
      const lastPage = Math.max(Math.ceil(all.length / perPage), 1);
      const link = (p: number): string => {
        const next = new URL(`${baseUrl}${url.pathname}`);
        next.searchParams.set('per_page', String(perPage));
        next.searchParams.set('page', String(p));
        return next.toString();
      };
      // GitHub sends only the relations that exist, and no Link at all for a single page.
      const relations: string[] = [];
      if (page < lastPage)
        relations.push(`<${link(page + 1)}>; rel="next"`, `<${link(lastPage)}>; rel="last"`);
      if (page > 1) relations.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
      send(
        200,
        all.slice((page - 1) * perPage, page * perPage),
        relations.length ? { Link: relations.join(', ') } : {},
      );
      return;
    }
    if (list && method === 'POST') {
      const [, owner, repo, issue] = list as unknown as [string, string, string, string];
      if (forbidWrites) {
        send(
          403,
          githubError(
            'Resource not accessible by integration',
            403,
            '/issues/comments#create-an-issue-comment',
          ),
        );
        return;
      }
      const text = (body as { body?: unknown } | undefined)?.body;
      if (typeof text !== 'string' || text === '') {
        send(
          422,
          githubError(
            'Invalid request.\n\n"body" wasn\'t supplied.',
            422,
            '/issues/comments#create-an-issue-comment',
          ),
        );
        return;
      }
      if (text.length > 65536) {
        send(422, {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'IssueComment',
              code: 'custom',
              field: 'body',
              message: 'body is too long (maximum is 65536 characters)',
            },
          ],
          documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
          status: '422',
        });
        return;
      }
      send(201, create(owner, repo, Number(issue), text));
      return;
    }
    if (single && (method === 'GET' || method === 'PATCH')) {
      const [, owner, repo, id] = single as unknown as [string, string, string, string];
      const found = byId.get(Number(id));
      if (!found || !found.key.startsWith(`${owner.toLowerCase()}/${repo.toLowerCase()}#`)) {
        send(404, githubError('Not Found', 404, '/issues/comments'));
        return;
      }
      if (method === 'GET') {
        send(200, found.comment);
        return;
      }
      if (forbidWrites) {
        send(
          403,
          githubError(
            'Resource not accessible by integration',
            403,
            '/issues/comments#update-an-issue-comment',
          ),
        );
        return;
      }
      const text = (body as { body?: unknown } | undefined)?.body;
      if (typeof text !== 'string' || text === '') {
        send(
          422,
          githubError(
            'Invalid request.\n\n"body" wasn\'t supplied.',
            422,
            '/issues/comments#update-an-issue-comment',
          ),
        );
        return;
      }
      found.comment.body = text;
      found.comment.updated_at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      send(200, found.comment);
      return;
    }
    send(404, githubError('Not Found', 404, ''));
  });
  baseUrl = server.url;

  return {
    url: server.url,
    token,
    comments: (owner, repo, issue) =>
      (byIssue.get(issueKey(owner, repo, issue)) ?? []).map((c) => ({ ...c })),
    addComment: (owner, repo, issue, text, user) => create(owner, repo, issue, text, user),
    setForbidWrites(forbid) {
      forbidWrites = forbid;
    },
    requests: () => [...seen],
    stop: () => server.close(),
  };
}
