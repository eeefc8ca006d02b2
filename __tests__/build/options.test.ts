// The builder-parity inputs as a user writes them: what each line becomes, and the error each malformed line gets.
import { describe, expect, it } from '@jest/globals';
import {
  cacheSummary,
  csvFields,
  parseAnnotations,
  parseCache,
  parseSsh,
  writableCache,
} from '../../src/build/options.js';

const lines = (text: string) => text.split('\n').map((t, i) => ({ text: t, line: i + 1 }));

describe('cache-from and cache-to', () => {
  it('reads buildx syntax; a bare reference is a registry cache', () => {
    const { values, problems } = parseCache(
      'cache-to',
      lines('type=gha,scope=build,mode=max\nghcr.io/acme/app:cache\ntype=local,dest=/tmp/c\ntype=inline'),
    );
    expect(problems).toEqual([]);
    expect(values.map((v) => [v.type, v.attrs, v.spec])).toEqual([
      ['gha', { scope: 'build', mode: 'max' }, 'type=gha,scope=build,mode=max'],
      ['registry', { ref: 'ghcr.io/acme/app:cache' }, 'type=registry,ref=ghcr.io/acme/app:cache'],
      ['local', { dest: '/tmp/c' }, 'type=local,dest=/tmp/c'],
      ['inline', {}, 'type=inline'],
    ]);
  });

  it('names the input, the line and the accepted values for each malformed line', () => {
    const { values, problems } = parseCache(
      'cache-to',
      lines(
        'type=gha,mode=sometimes\ntype=s3,bucket=x\ntype=registry\ntype=gha,token=abc\ntype=local,src=/x\n,,',
      ),
    );
    expect(values).toEqual([]);
    expect(problems).toEqual([
      'Input `cache-to`, line 1: "type=gha,mode=sometimes": `mode` must be one of `min`, `max`; got "sometimes".',
      'Input `cache-to`, line 2: "type=s3,bucket=x": `type` must be one of `registry`, `local`, `gha`, `inline`; got "s3".',
      'Input `cache-to`, line 3: "type=registry": type=registry needs `ref=`.',
      expect.stringMatching(/^Input `cache-to`, line 4: .*a token does not belong in `cache-to`/),
      expect.stringMatching(
        /^Input `cache-to`, line 5: .*type=local takes `dest`, .*; `src` is not one of them\.$/,
      ),
      'Input `cache-to`, line 6: ",," is not a comma-separated list of key=value (an empty field or an unclosed quote).',
    ]);
    expect(parseCache('cache-from', lines('type=inline')).problems).toEqual([
      'Input `cache-from`, line 1: "type=inline": `type` must be one of `registry`, `local`, `gha`; got "inline".',
    ]);
  });

  it('a pull request never writes where the default branch reads', () => {
    const to = parseCache(
      'cache-to',
      lines('type=gha,mode=max\ntype=registry,ref=r/c\ntype=local,dest=/c'),
    ).values;
    const kinds = (w: ReturnType<typeof writableCache>) => [
      w.write.map((c) => c.type),
      w.held.map((c) => c.type),
    ];
    expect(kinds(writableCache('push', to))).toEqual([['gha', 'registry', 'local'], []]);
    expect(kinds(writableCache('pull_request', to))).toEqual([['gha', 'local'], ['registry']]);
    expect(kinds(writableCache('pull_request_target', to))).toEqual([['local'], ['gha', 'registry']]);
    const from = parseCache('cache-from', lines('type=gha')).values;
    expect(cacheSummary(from, writableCache('pull_request', to))).toBe(
      "cache read from `type=gha`; written to `type=gha,mode=max`, `type=local,dest=/c`; not written to `type=registry,ref=r/c` (a pull request does not write the default branch's cache)",
    );
  });

  it('CSV quoting keeps a comma inside a value', () => {
    expect(csvFields('type=local,"dest=/a,b"')).toEqual(['type=local', 'dest=/a,b']);
    expect(csvFields('"unclosed')).toBeUndefined();
  });
});

describe('annotations', () => {
  it("reads buildx's levels and platform, and docker/metadata-action's output as it is", () => {
    const { values, problems } = parseAnnotations(
      lines(
        'manifest:org.opencontainers.image.title=App\nindex,manifest[linux/arm64]:team=core\norg.example.x=a=b',
      ),
    );
    expect(problems).toEqual([]);
    expect(values).toEqual([
      { levels: ['manifest'], key: 'org.opencontainers.image.title', value: 'App' },
      { levels: ['index', 'manifest'], platform: 'linux/arm64', key: 'team', value: 'core' },
      { levels: ['manifest'], key: 'org.example.x', value: 'a=b' },
    ]);
  });

  it('a malformed line names the input and the line', () => {
    expect(parseAnnotations(lines('nothing\nlayer:a=b\nmanifest: =x')).problems).toEqual([
      'Input `annotations`, line 1: "nothing" is not [level:]key=value.',
      'Input `annotations`, line 2: "layer:a=b": the prefix before `:` must be levels from `manifest`, `index`, `manifest-descriptor`, `index-descriptor`, optionally with [os/arch].',
      'Input `annotations`, line 3: "manifest: =x": "" is not an annotation key (e.g. `org.opencontainers.image.title`).',
    ]);
  });
});

describe('ssh', () => {
  const files: Record<string, string> = { 'keys/deploy': '/ws/keys/deploy' };
  it('the agent by id, or key files made absolute; a missing file or agent is an error', () => {
    expect(parseSsh(lines('default\ndeploy=keys/deploy'), (p) => files[p], '/tmp/agent.sock')).toEqual({
      values: ['default', 'deploy=/ws/keys/deploy'],
      problems: [],
    });
    expect(parseSsh(lines('default\ngit=keys/none\nbad id'), (p) => files[p], undefined).problems).toEqual([
      expect.stringMatching(
        /^Input `ssh`, line 1: "default": no SSH agent is running \(SSH_AUTH_SOCK is not set\)/,
      ),
      'Input `ssh`, line 2: "git=keys/none": "keys/none" does not exist.',
      expect.stringMatching(/^Input `ssh`, line 3: "bad id": "bad id" is not an SSH id/),
    ]);
  });
});

describe('annotations the input cannot set', () => {
  it('org.opencontainers.image.base.* comes from the verified base image, never from the input', () => {
    expect(
      parseAnnotations(lines('manifest:org.opencontainers.image.base.digest=sha256:00')).problems,
    ).toEqual([
      'Input `annotations`, line 1: "manifest:org.opencontainers.image.base.digest=sha256:00": "org.opencontainers.image.base.digest" is set from the verified base image, not by this input.',
    ]);
  });
});
