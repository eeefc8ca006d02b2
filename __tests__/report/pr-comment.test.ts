// The PR comment against a fake GitHub REST API on 127.0.0.1: real HTTP through @actions/github's
// Octokit, GITHUB_API_URL pointing at the fake, GitHub's status codes and pagination.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { readGithubContext, type GithubContext } from '../../src/github-context.js';
import {
  COMMENT_LIMIT,
  commentMarker,
  markerRepository,
  postPrComment,
  type PrCommentDeps,
} from '../../src/report/pr-comment.js';
import { startGithubApi, type GithubApi } from '../harness/github-api.js';

const OWNER = 'acme';
const REPO = 'app';
const PR = 7;

function context(
  apiUrl: string,
  event: { name: string; pr?: number } = { name: 'pull_request', pr: PR },
): GithubContext {
  return readGithubContext(
    {
      GITHUB_API_URL: apiUrl,
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_SHA: '4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b',
      GITHUB_EVENT_NAME: event.name,
      GITHUB_EVENT_PATH: '/github/workflow/event.json',
      GITHUB_RUN_ID: '1234567890',
    },
    () => (event.pr === undefined ? {} : { number: event.pr, pull_request: { number: event.pr } }),
    '/work',
  );
}

function logs(): Required<Pick<PrCommentDeps, 'log'>> & { infos: string[]; warnings: string[] } {
  const infos: string[] = [];
  const warnings: string[] = [];
  return { infos, warnings, log: { info: (m) => void infos.push(m), warning: (m) => void warnings.push(m) } };
}

let api: GithubApi;
beforeAll(async () => {
  api = await startGithubApi();
});
afterAll(async () => {
  await api.stop();
});

describe('commentMarker', () => {
  it.each([
    ['ghcr.io/acme/app', 'ghcr.io/acme/app'],
    ['ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app'],
    [`ghcr.io/acme/app:1.2@sha256:${'a'.repeat(64)}`, 'ghcr.io/acme/app'],
    ['127.0.0.1:5000/demo/hello', '127.0.0.1:5000/demo/hello'],
    ['127.0.0.1:5000/demo/hello:pr-7', '127.0.0.1:5000/demo/hello'],
    ['evil/x-->--!><script>', 'evil/x-%2D%3E-%2D!%3E%3Cscript%3E'],
  ])('%s → %s', (image, repository) => {
    expect(markerRepository(image)).toBe(repository);
    expect(commentMarker(image)).toBe(`<!-- secure-image:comment image=${repository} -->`);
    expect(commentMarker(image).slice(4, -3)).not.toMatch(/--|>/);
  });
});

describe('postPrComment', () => {
  it('creates one comment per image, then updates each in place on the next push', async () => {
    const github = context(api.url);
    const first = await postPrComment(
      { token: api.token, github, image: 'ghcr.io/acme/app:pr-7', markdown: 'run 1' },
      logs(),
    );
    expect(first.action).toBe('created');
    const other = await postPrComment(
      { token: api.token, github, image: 'ghcr.io/acme/worker', markdown: 'worker 1' },
      logs(),
    );
    expect(other.action).toBe('created');

    const before = api.comments(OWNER, REPO, PR);
    expect(before.map((c) => c.body)).toEqual([
      '<!-- secure-image:comment image=ghcr.io/acme/app -->\nrun 1',
      '<!-- secure-image:comment image=ghcr.io/acme/worker -->\nworker 1',
    ]);
    expect(first.url).toBe(before[0]?.html_url);

    const second = await postPrComment(
      { token: api.token, github, image: `ghcr.io/acme/app@sha256:${'b'.repeat(64)}`, markdown: 'run 2' },
      logs(),
    );
    expect(second).toEqual({ action: 'updated', url: before[0]?.html_url });
    const after = api.comments(OWNER, REPO, PR);
    expect(after.map((c) => [c.id, c.body])).toEqual([
      [before[0]?.id, '<!-- secure-image:comment image=ghcr.io/acme/app -->\nrun 2'],
      [before[1]?.id, '<!-- secure-image:comment image=ghcr.io/acme/worker -->\nworker 1'],
    ]);
    // The token went where it belongs.
    expect(new Set(api.requests().map((r) => r.token))).toEqual(new Set([api.token]));
  });

  it('finds its comment on a later page, past replies that quote it and one a person wrote with the marker', async () => {
    const issue = 8;
    const marker = commentMarker('ghcr.io/acme/paged');
    api.addComment(OWNER, REPO, issue, `${marker}\nI copied this`, { login: 'mallory', type: 'User' });
    for (let i = 0; i < 230; i++)
      api.addComment(OWNER, REPO, issue, `review comment ${i}`, { login: 'reviewer' });
    api.addComment(OWNER, REPO, issue, `> ${marker}\n> quoted`, { login: 'reviewer' });
    const ours = api.addComment(OWNER, REPO, issue, `${marker}\nearlier run`);
    const seen = api.requests().length;

    const result = await postPrComment(
      {
        token: api.token,
        github: context(api.url, { name: 'pull_request', pr: issue }),
        image: 'ghcr.io/acme/paged:pr-8',
        markdown: 'this run',
      },
      logs(),
    );
    expect(result).toEqual({ action: 'updated', url: ours.html_url });
    const comments = api.comments(OWNER, REPO, issue);
    expect(comments).toHaveLength(233);
    expect(comments.find((c) => c.id === ours.id)?.body).toBe(`${marker}\nthis run`);
    expect(comments[0]?.body).toBe(`${marker}\nI copied this`);
    const paths = api
      .requests()
      .slice(seen)
      .map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual([
      // GITHUB_TOKEN has no user; GraphQL's viewer names its bot.
      'GET /user',
      'POST /graphql',
      `GET /repos/${OWNER}/${REPO}/issues/${issue}/comments?per_page=100`,
      `GET /repos/${OWNER}/${REPO}/issues/${issue}/comments?per_page=100&page=2`,
      `GET /repos/${OWNER}/${REPO}/issues/${issue}/comments?per_page=100&page=3`,
      `PATCH /repos/${OWNER}/${REPO}/issues/comments/${ours.id}`,
    ]);
  });

  it('skips with a warning when the token may not write (a fork), and the run goes on', async () => {
    const issue = 9;
    api.setForbidWrites(true);
    try {
      const log = logs();
      const result = await postPrComment(
        {
          token: api.token,
          github: context(api.url, { name: 'pull_request', pr: issue }),
          image: 'ghcr.io/acme/app',
          markdown: 'x',
        },
        log,
      );
      expect(result.action).toBe('skipped');
      expect(result.reason).toMatch(/Resource not accessible by integration.*\(HTTP 403\)/);
      expect(result.reason).toMatch(/forks get a read-only token.*pull-requests: write.*pr-comment: false/);
      expect(log.warnings).toEqual([result.reason]);
      expect(api.comments(OWNER, REPO, issue)).toEqual([]);
    } finally {
      api.setForbidWrites(false);
    }
  });

  it('skips with a warning when the token is refused', async () => {
    const log = logs();
    const result = await postPrComment(
      {
        token: 'ghs_not_the_token',
        github: context(api.url, { name: 'pull_request', pr: 10 }),
        image: 'ghcr.io/acme/app',
        markdown: 'x',
      },
      log,
    );
    expect(result.action).toBe('skipped');
    expect(result.reason).toMatch(/Bad credentials.*\(HTTP 401\)/);
    expect(log.warnings).toHaveLength(1);
  });

  it.each<[string, () => GithubContext, string | undefined, RegExp, 'info' | 'warning']>([
    ['a push event', () => context(api.url, { name: 'push' }), 'token', /not for a pull request/, 'info'],
    ['no token', () => context(api.url), '', /`github-token` is empty/, 'warning'],
    [
      'a repository that is not owner/name',
      () => ({ ...context(api.url), repository: '' }),
      'token',
      /not owner\/name/,
      'warning',
    ],
  ])('skips without a request on %s', async (_, github, token, reason, level) => {
    const seen = api.requests().length;
    const log = logs();
    const result = await postPrComment(
      { token, github: github(), image: 'ghcr.io/acme/app', markdown: 'x' },
      log,
    );
    expect(result.action).toBe('skipped');
    expect(result.reason).toMatch(reason);
    expect(level === 'info' ? log.infos : log.warnings).toEqual([result.reason]);
    expect(api.requests().length).toBe(seen);
  });

  it('cuts a body over GitHub’s limit, closing an open code block', async () => {
    const issue = 11;
    const markdown = `head\n\n\`\`\`text\n${'x'.repeat(80).concat('\n').repeat(1000)}\`\`\`\n`;
    const result = await postPrComment(
      {
        token: api.token,
        github: context(api.url, { name: 'pull_request', pr: issue }),
        image: 'ghcr.io/acme/app',
        markdown,
      },
      logs(),
    );
    expect(result.action).toBe('created');
    const body = api.comments(OWNER, REPO, issue)[0]?.body ?? '';
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body).toMatch(/\n```\n\n_The rest of this comment was cut/);
  });

  it('tries again when the API does not answer, then skips with a warning', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const log = logs();
    const slept: number[] = [];
    const result = await postPrComment(
      {
        token: 'ghs_x',
        github: context(`http://127.0.0.1:${port}`),
        image: 'ghcr.io/acme/app',
        markdown: 'x',
      },
      { ...log, attempts: 3, sleep: async (ms) => void slept.push(ms) },
    );
    expect(result.action).toBe('skipped');
    expect(result.reason).toMatch(/failed after 3 tries/);
    expect(slept).toHaveLength(2);
    expect(log.warnings).toEqual([result.reason]);
  });
});
