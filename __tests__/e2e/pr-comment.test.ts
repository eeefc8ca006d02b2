// The pull-request comment through dist/index.js against a fake GitHub REST API on loopback: created
// once, found again by its marker and updated in place, and a read-only token is a warning, not a failure.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGithubApi, type GithubApi } from '../harness/github-api.js';
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
});
