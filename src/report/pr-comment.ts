import * as core from '@actions/core';
import type { GithubContext } from '../github-context.js';
import { errorMessage } from '../util/errors.js';
import { logInfo } from '../util/log.js';
import { isTransientStatus, retry } from '../util/retry.js';

/** GitHub's limit for an issue or PR comment body, in characters. */
export const COMMENT_LIMIT = 65_536;

/**
 * The hidden first line that finds this image's comment again on the next push. One per repository
 * (tag and digest dropped), so a workflow that builds several images keeps one comment for each.
 */
export function commentMarker(image: string): string {
  return `<!-- secure-image:comment image=${markerRepository(image)} -->`;
}

/** `ghcr.io/acme/app:1.2@sha256:…` → `ghcr.io/acme/app`; anything that could end the HTML comment is encoded. */
export function markerRepository(image: string): string {
  let name = image.trim();
  const at = name.indexOf('@');
  if (at >= 0) name = name.slice(0, at);
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) name = name.slice(0, colon);
  return name.replace(/[^A-Za-z0-9._:/-]/g, (c) => encodeURIComponent(c)).replace(/--/g, '-%2D');
}

/** The body as posted: the marker, the markdown, and never more than GitHub accepts. */
export function commentBody(image: string, markdown: string): string {
  const marker = commentMarker(image);
  const note =
    '\n\n_The rest of this comment was cut to stay within GitHub’s size limit; the job summary has it all._\n';
  const body = `${marker}\n${markdown}`;
  if (body.length <= COMMENT_LIMIT) return body;
  let head = body.slice(0, COMMENT_LIMIT - note.length - 8);
  // Not half a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  const newline = head.lastIndexOf('\n');
  if (newline > head.length - 2000) head = head.slice(0, newline);
  if ((head.match(/^`{3,}/gm) ?? []).length % 2 === 1) head += '\n```';
  return `${head}${note}`;
}

export interface PrCommentInput {
  token?: string;
  github: GithubContext;
  /** The comment without its marker (`renderPrComment`). */
  markdown: string;
  /** The image the comment is about; its repository names the marker. */
  image: string;
}

export interface PrCommentResult {
  action: 'created' | 'updated' | 'skipped';
  reason?: string;
  url?: string;
}

/** The slice of Octokit used here, so a caller can hand in a configured client. */
export interface CommentClient {
  /** GitHub's GraphQL API: `viewer` names an installation token's bot user, which `GET /user` refuses to. */
  graphql?: (query: string) => Promise<unknown>;
  rest: {
    users: {
      getAuthenticated(): Promise<{ data: { login: string; id: number } }>;
    };
    issues: {
      listComments: unknown;
      createComment(params: { owner: string; repo: string; issue_number: number; body: string }): Promise<{
        data: { id: number; html_url: string };
      }>;
      updateComment(params: { owner: string; repo: string; comment_id: number; body: string }): Promise<{
        data: { id: number; html_url: string };
      }>;
    };
  };
  paginate: {
    iterator(
      route: unknown,
      params: { owner: string; repo: string; issue_number: number; per_page: number },
    ): AsyncIterable<{ data: ReadonlyArray<ExistingComment> }>;
  };
}

interface ExistingComment {
  id: number;
  body?: string | null;
  html_url: string;
  user?: { login?: string; id?: number; type?: string } | null;
}

/** Who wrote a comment, by GitHub's user id and login. */
export interface CommentAuthor {
  login: string;
  id: number;
}

/**
 * The user GITHUB_TOKEN writes as. Its id is GitHub's own, which no person or other app can hold, unlike a login
 * or a `type: Bot` anyone's app has.
 */
export const ACTIONS_BOT: CommentAuthor = { login: 'github-actions[bot]', id: 41898282 };

/** Whether `comment` was written by `author`: the one comment this token may take over. */
export function writtenBy(comment: ExistingComment, author: CommentAuthor): boolean {
  return comment.user?.id === author.id && comment.user.login === author.login;
}

export interface PrCommentDeps {
  /** Makes the API client; default `@actions/github`'s `getOctokit` with the run's API URL. */
  client?: (token: string, baseUrl: string) => Promise<CommentClient>;
  log?: { info(message: string): void; warning(message: string): void };
  attempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

async function defaultClient(token: string, baseUrl: string): Promise<CommentClient> {
  // Loaded on demand: most runs are not pull requests, and the bundle starts faster without it.
  const { getOctokit } = await import('@actions/github');
  // Octokit's generated types are far wider than this slice; the methods used are the ones named here.
  return getOctokit(token, { baseUrl }) as unknown as CommentClient;
}

/** Octokit's RequestError carries the HTTP status; after retries it is the cause of the last error. */
function statusOf(error: unknown): number | undefined {
  const e = error as { status?: unknown; cause?: { status?: unknown } } | null;
  const status = e?.status ?? e?.cause?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The user the token writes comments as. `GET /user` answers for a person's token; an installation token (GITHUB_TOKEN,
 * or another app's) is refused there, and GraphQL's `viewer` names its bot user (`<app>[bot]` and its id). When that
 * cannot be read either, GITHUB_TOKEN's github-actions[bot]: another app's token then never matches its own comment
 * and makes a new one each run, rather than taking over one it cannot tell is its own.
 */
async function tokenAuthor(client: CommentClient): Promise<CommentAuthor> {
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return { login: data.login, id: data.id };
  } catch (error) {
    if (!isPermissionError(error)) throw error;
  }
  try {
    const answer = (await client.graphql?.('query { viewer { login databaseId } }')) as
      { viewer?: { login?: unknown; databaseId?: unknown } } | undefined;
    const { login, databaseId } = answer?.viewer ?? {};
    // GITHUB_TOKEN's bot stays the constant whatever form `viewer` gives its login: its comments carry that id.
    if (login === ACTIONS_BOT.login || login === 'github-actions') return ACTIONS_BOT;
    if (typeof login === 'string' && login !== '' && typeof databaseId === 'number')
      return { login, id: databaseId };
  } catch (error) {
    if (!isPermissionError(error) && statusOf(error) !== undefined) throw error;
  }
  return ACTIONS_BOT;
}

/** Whether the token may not write here: forks' read-only tokens, missing `pull-requests: write`. */
function isPermissionError(error: unknown): boolean {
  const status = statusOf(error);
  return status === 401 || status === 403 || status === 404;
}

/**
 * Creates this image's comment on the pull request, or updates the one an earlier run left (found by
 * its marker). A comment is a report, never a gate: whatever goes wrong here is a warning and the run
 * goes on, with the reason in the result.
 */
export async function postPrComment(
  input: PrCommentInput,
  deps: PrCommentDeps = {},
): Promise<PrCommentResult> {
  const log = deps.log ?? { info: logInfo, warning: core.warning };
  const skip = (reason: string, warn: boolean): PrCommentResult => {
    if (warn) log.warning(reason);
    else log.info(reason);
    return { action: 'skipped', reason };
  };
  const { github } = input;
  const issue = github.pullRequest;
  if (!github.eventName.startsWith('pull_request') || issue === undefined) {
    return skip('No pull-request comment: this run is not for a pull request.', false);
  }
  if (!input.token) {
    return skip(
      'No pull-request comment: `github-token` is empty. Pass `${{ github.token }}` or set `pr-comment: false`.',
      true,
    );
  }
  const [owner, repo, ...rest] = github.repository.split('/');
  if (!owner || !repo || rest.length > 0) {
    return skip(
      `No pull-request comment: GITHUB_REPOSITORY (${github.repository || 'empty'}) is not owner/name.`,
      true,
    );
  }

  const marker = commentMarker(input.image);
  const body = commentBody(input.image, input.markdown);
  const call = <T>(what: string, fn: () => Promise<T>): Promise<T> =>
    retry(fn, {
      attempts: deps.attempts ?? 3,
      baseDelayMs: deps.baseDelayMs ?? 1000,
      maxDelayMs: 10_000,
      isTransient: (error) => {
        const status = statusOf(error);
        return status === undefined
          ? /ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up/i.test(errorMessage(error))
          : isTransientStatus(status);
      },
      what,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      onRetry: ({ delayMs, error }) =>
        log.info(`${what}: ${errorMessage(error)}; trying again in ${delayMs} ms`),
    });

  try {
    const client = await (deps.client ?? defaultClient)(input.token, github.apiUrl);
    const author = await call('Asking GitHub who the token is', () => tokenAuthor(client));
    const existing = await call('Listing the pull request comments', async () => {
      const mine: ExistingComment[] = [];
      for await (const page of client.paginate.iterator(client.rest.issues.listComments, {
        owner,
        repo,
        issue_number: issue,
        per_page: 100,
      })) {
        // Ours starts with the marker (a reply that quotes it does not) and was written by this token's user: anyone
        // can post the marker, and updating their comment would put our report under their name, or theirs under ours.
        mine.push(...page.data.filter((c) => (c.body ?? '').startsWith(marker) && writtenBy(c, author)));
      }
      return mine[0];
    });
    if (existing) {
      const { data } = await call('Updating the pull request comment', () =>
        client.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body }),
      );
      log.info(`Updated the pull request comment: ${data.html_url}`);
      return { action: 'updated', url: data.html_url };
    }
    const { data } = await call('Creating the pull request comment', () =>
      client.rest.issues.createComment({ owner, repo, issue_number: issue, body }),
    );
    log.info(`Commented on the pull request: ${data.html_url}`);
    return { action: 'created', url: data.html_url };
  } catch (error) {
    const status = statusOf(error);
    const cause = `${errorMessage(error).split('\n')[0] ?? ''}${status !== undefined ? ` (HTTP ${status})` : ''}`;
    if (isPermissionError(error)) {
      return skip(
        `No pull-request comment: the token may not write to ${owner}/${repo}#${issue}: ${cause}. ` +
          'Pull requests from forks get a read-only token; elsewhere give the job `permissions: pull-requests: write`, or set `pr-comment: false`.',
        true,
      );
    }
    return skip(`No pull-request comment: ${cause}. The run goes on; the job summary has the report.`, true);
  }
}
