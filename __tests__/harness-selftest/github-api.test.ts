import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { startGithubApi, type GithubApi } from '../harness/github-api.js';
import { listeningAddresses } from '../harness/ports.js';

function call(
  api: GithubApi,
  method: string,
  path: string,
  body?: unknown,
  token = api.token,
): Promise<Response> {
  return fetch(`${api.url}${path}`, {
    method,
    headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

describe('startGithubApi', () => {
  let api: GithubApi;
  beforeAll(async () => {
    api = await startGithubApi({ token: 'ghs_test' });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('listens on 127.0.0.1 only', () => {
    const url = new URL(api.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(listeningAddresses(Number(url.port))).toEqual(['127.0.0.1']);
  });

  it('creates, lists and updates comments in GitHub shapes, through octokit', async () => {
    const octokit = getOctokit(api.token, { baseUrl: api.url });
    const created = await octokit.rest.issues.createComment({
      owner: 'acme',
      repo: 'app',
      issue_number: 7,
      body: 'first',
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      body: 'first',
      user: { login: 'github-actions[bot]', type: 'Bot' },
      html_url: expect.stringMatching(/^https:\/\/github\.com\/acme\/app\/pull\/7#issuecomment-\d+$/),
    });
    expect(created.data.node_id).toEqual(expect.any(String));
    expect(Date.parse(created.data.created_at)).not.toBeNaN();

    const updated = await octokit.rest.issues.updateComment({
      owner: 'acme',
      repo: 'app',
      comment_id: created.data.id,
      body: 'second',
    });
    expect(updated.data).toMatchObject({ id: created.data.id, body: 'second' });
    expect(api.comments('acme', 'app', 7).map((c) => c.body)).toEqual(['second']);
    expect(api.requests().map((r) => `${r.method} ${r.path.replace(/\?.*/, '')}`)).toEqual(
      expect.arrayContaining([
        'POST /repos/acme/app/issues/7/comments',
        `PATCH /repos/acme/app/issues/comments/${created.data.id}`,
      ]),
    );
    expect(api.requests().find((r) => r.method === 'PATCH')?.body).toEqual({ body: 'second' });
  });

  it('paginates with Link headers, and octokit.paginate follows them', async () => {
    for (let i = 1; i <= 5; i++) api.addComment('acme', 'app', 9, `comment ${i}`, { login: 'someone' });
    const first = await call(api, 'GET', '/repos/acme/app/issues/9/comments?per_page=2');
    const link = first.headers.get('link') ?? '';
    expect(link).toContain('page=2>; rel="next"');
    expect(link).toContain('page=3>; rel="last"');
    expect(((await first.json()) as unknown[]).length).toBe(2);
    const last = await call(api, 'GET', '/repos/acme/app/issues/9/comments?per_page=2&page=3');
    expect(((await last.json()) as Array<{ body: string }>).map((c) => c.body)).toEqual(['comment 5']);
    expect(last.headers.get('link')).toContain('rel="prev"');
    expect(last.headers.get('link')).not.toContain('rel="next"');

    const octokit = getOctokit(api.token, { baseUrl: api.url });
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner: 'acme',
      repo: 'app',
      issue_number: 9,
      per_page: 2,
    });
    expect(all.map((c) => c.body)).toEqual(['comment 1', 'comment 2', 'comment 3', 'comment 4', 'comment 5']);
    expect(all[0]?.user?.type).toBe('User');
  });

  it('answers 401 Bad credentials to a wrong token', async () => {
    const response = await call(api, 'GET', '/repos/acme/app/issues/7/comments', undefined, 'wrong');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: 'Bad credentials' });
  });

  it('answers 404 for a comment of another repository and for unknown routes', async () => {
    const [comment] = api.comments('acme', 'app', 7);
    expect(
      (await call(api, 'PATCH', `/repos/acme/other/issues/comments/${comment?.id}`, { body: 'x' })).status,
    ).toBe(404);
    expect((await call(api, 'GET', '/repos/acme/app/pulls/7')).status).toBe(404);
  });
});

describe('startGithubApi with forbidWrites', () => {
  it('refuses writes with 403 Resource not accessible by integration, and still lists', async () => {
    const api = await startGithubApi({ forbidWrites: true });
    try {
      const seeded = api.addComment('acme', 'app', 3, 'from an earlier run');
      const post = await call(api, 'POST', '/repos/acme/app/issues/3/comments', { body: 'new' });
      expect(post.status).toBe(403);
      expect(await post.json()).toMatchObject({ message: 'Resource not accessible by integration' });
      const patch = await call(api, 'PATCH', `/repos/acme/app/issues/comments/${seeded.id}`, {
        body: 'edited',
      });
      expect(patch.status).toBe(403);
      const list = await call(api, 'GET', '/repos/acme/app/issues/3/comments');
      expect(list.status).toBe(200);
      expect(api.comments('acme', 'app', 3).map((c) => c.body)).toEqual(['from an earlier run']);

      api.setForbidWrites(false);
      expect((await call(api, 'POST', '/repos/acme/app/issues/3/comments', { body: 'new' })).status).toBe(
        201,
      );
    } finally {
      await api.stop();
    }
  });
});
