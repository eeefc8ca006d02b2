// The pull-request comment through dist/index.js against a fake GitHub REST API on loopback: created
// once, found again by its marker and updated in place, and a read-only token is a warning, not a failure.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGithubApi, type GithubApi } from '../harness/github-api.js';
import { commentMarker } from '../../src/report/pr-comment.js';
import { startOfflineWorld, type OfflineWorld } from './offline-world.js';

let world: OfflineWorld;
let api: GithubApi;

beforeAll(async () => {
  world = await startOfflineWorld();
  api = await startGithubApi();
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await world?.stop();
});

function pullRequestRun(image: string, number: number, extra: Record<string, string> = {}) {
  return world.run({
    event: 'pull_request',
    pullRequest: { number },
    apiUrl: api.url,
    githubToken: api.token,
    inputs: { image, push: 'false', 'pr-comment': 'true', ...extra },
  });
}

describe('pull request comment', () => {
  it('creates one comment per image and updates it in place on the next push', async () => {
    const image = `${world.registry.host}/acme/pr-app`;
    const first = await pullRequestRun(image, 11);
    expect(first.exitCode).toBe(0);
    const comments = api.comments('acme', 'hello', 11);
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body ?? '';
    expect(body).toContain('<!-- secure-image:comment image=');
    expect(body).toContain('acme/pr-app');
    expect(body.length).toBeLessThan(65_536);

    const second = await pullRequestRun(image, 11, { 'fail-on-severity': 'low' });
    expect(second.exitCode).toBe(1);
    const after = api.comments('acme', 'hello', 11);
    expect(after).toHaveLength(1);
    expect(after[0]?.id).toBe(comments[0]?.id);
    expect(after[0]?.body).not.toBe(body);
    expect(api.requests().filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect(api.requests().every((r) => r.token === api.token)).toBe(true);

    // Another image in the same pull request gets a comment of its own.
    await pullRequestRun(`${world.registry.host}/acme/pr-other`, 11);
    expect(api.comments('acme', 'hello', 11)).toHaveLength(2);
  });

  it('a token that may not write (a fork) gives a warning, and the run still passes', async () => {
    api.setForbidWrites(true);
    try {
      const result = await pullRequestRun(`${world.registry.host}/acme/pr-fork`, 12);
      expect(result.exitCode).toBe(0);
      expect(api.comments('acme', 'hello', 12)).toEqual([]);
      expect(
        result.annotations
          .filter((a) => a.level === 'warning')
          .map((a) => a.message)
          .join('\n'),
      ).toMatch(/comment/i);
    } finally {
      api.setForbidWrites(false);
    }
  });

  it('pr-comment: false, or a push event, posts nothing', async () => {
    const before = api.requests().length;
    await pullRequestRun(`${world.registry.host}/acme/pr-quiet`, 13, { 'pr-comment': 'false' });
    await world.run({
      apiUrl: api.url,
      githubToken: api.token,
      inputs: { image: `${world.registry.host}/acme/pr-push` },
    });
    expect(api.requests().length).toBe(before);
  });

  it('a marker comment someone else wrote, a person or another app, is left as it is and a comment of its own is made', async () => {
    const image = `${world.registry.host}/acme/pr-squat`;
    const marker = commentMarker(image);
    // Copies: the fake API hands out its live comments.
    const squatters = structuredClone([
      api.addComment('acme', 'hello', 14, `${marker}\n**All checks passed** (by mallory)`, {
        login: 'mallory',
        type: 'User',
      }),
      api.addComment('acme', 'hello', 14, `${marker}\n**All checks passed** (by an app)`, {
        login: 'evil-app[bot]',
        type: 'Bot',
        app: { id: 999, slug: 'evil-app', name: 'Evil app' },
      }),
    ]);
    const seen = api.requests().length;
    const first = await pullRequestRun(image, 14);
    expect(first.exitCode).toBe(0);
    const second = await pullRequestRun(image, 14);
    expect(second.exitCode).toBe(0);

    const comments = api.comments('acme', 'hello', 14);
    // The others' comments are untouched; ours was created once, then updated in place.
    expect(comments.slice(0, 2)).toEqual(squatters);
    expect(comments).toHaveLength(3);
    expect(comments[2]?.user.login).toBe('github-actions[bot]');
    expect(comments[2]?.body.startsWith(`${marker}\n`)).toBe(true);
    const writes = api
      .requests()
      .slice(seen)
      .filter((r) => (r.method === 'PATCH' || r.method === 'POST') && r.path !== '/graphql');
    expect(writes.map((r) => r.method)).toEqual(['POST', 'PATCH']);
    expect(writes[1]?.path).toBe(`/repos/acme/hello/issues/comments/${comments[2]?.id}`);
  });

  it('with another app’s installation token, its own comment is updated in place (GraphQL names its bot), not the Actions bot’s', async () => {
    const app = { id: 424242, slug: 'release-bot', name: 'Release bot' };
    const appApi = await startGithubApi({ identity: { login: 'release-bot[bot]', type: 'Bot', app } });
    try {
      const image = `${world.registry.host}/acme/pr-app`;
      const marker = commentMarker(image);
      const bots = structuredClone(
        appApi.addComment('acme', 'hello', 16, `${marker}\nby the workflow token`, {
          login: 'github-actions[bot]',
          type: 'Bot',
          app: { id: 15368, slug: 'github-actions', name: 'GitHub Actions' },
        }),
      );
      const run = () =>
        world.run({
          event: 'pull_request',
          pullRequest: { number: 16 },
          apiUrl: appApi.url,
          githubToken: appApi.token,
          inputs: { image, push: 'false', 'pr-comment': 'true' },
        });
      expect((await run()).exitCode).toBe(0);
      expect((await run()).exitCode).toBe(0);
      const comments = appApi.comments('acme', 'hello', 16);
      // The Actions bot's comment as it was; the app's own made once, then updated.
      expect(comments).toHaveLength(2);
      expect(comments[0]).toEqual(bots);
      expect(comments[1]?.user.login).toBe('release-bot[bot]');
      // Each run asked who the token is (GET /user is refused to an app; GraphQL's viewer answers), then wrote.
      const calls = appApi
        .requests()
        .filter((r) => r.path === '/user' || r.path === '/graphql' || r.method !== 'GET')
        .map((r) => `${r.method} ${r.path}`);
      expect(calls).toEqual([
        'GET /user',
        'POST /graphql',
        'POST /repos/acme/hello/issues/16/comments',
        'GET /user',
        'POST /graphql',
        `PATCH /repos/acme/hello/issues/comments/${comments[1]?.id}`,
      ]);
    } finally {
      await appApi.stop();
    }
  });

  it('with a person’s token, only that person’s marker comment is updated, not the Actions bot’s', async () => {
    const userApi = await startGithubApi({ identity: { login: 'release-manager', type: 'User' } });
    try {
      const image = `${world.registry.host}/acme/pr-pat`;
      const marker = commentMarker(image);
      const bots = structuredClone(
        userApi.addComment('acme', 'hello', 15, `${marker}\nby the workflow token`, {
          login: 'github-actions[bot]',
          type: 'Bot',
          app: { id: 15368, slug: 'github-actions', name: 'GitHub Actions' },
        }),
      );
      const mine = structuredClone(
        userApi.addComment('acme', 'hello', 15, `${marker}\nan earlier run with this token`),
      );
      const result = await world.run({
        event: 'pull_request',
        pullRequest: { number: 15 },
        apiUrl: userApi.url,
        githubToken: userApi.token,
        inputs: { image, push: 'false', 'pr-comment': 'true' },
      });
      expect(result.exitCode).toBe(0);
      const comments = userApi.comments('acme', 'hello', 15);
      expect(comments).toHaveLength(2);
      expect(comments[0]).toEqual(bots);
      expect(comments[1]?.id).toBe(mine.id);
      expect(comments[1]?.body).not.toBe(mine.body);
    } finally {
      await userApi.stop();
    }
  });
});
