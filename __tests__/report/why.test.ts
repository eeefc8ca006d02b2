// The first lines of the summary answer "why": every warning named in the verdict line, the stage rows
// agreeing with the tables under them, each failure stated once with its next step.
import { describe, expect, it } from '@jest/globals';
import { renderPrComment } from '../../src/report/comment.js';
import { renderSummary, type SummaryInput } from '../../src/report/summary.js';
import type { BaseImageEntry } from '../../src/policy/entries.js';
import { noPush, runReport, tools, unsignedBase } from './inputs.js';

const firstLines = (markdown: string, n = 3): string => markdown.split('\n').slice(0, n).join('\n');
const occurrences = (text: string, part: string): number => text.split(part).length - 1;

function withProvidedTrivy(input: SummaryInput): SummaryInput {
  const scanner = {
    ...tools.scanner!,
    source: 'provided' as const,
    verification: [],
    note: 'provided through scanner-path, not verified',
  };
  const report = runReport({}, [
    ['tools', 'warning', 'cosign 3.0.6 (downloaded, verified); trivy 0.74.0 (provided, not verified)', 300],
    ['base-images', 'warning', '2 verified; build pinned to the checked digests', 700],
  ]);
  return { ...input, report, tools: { ...tools, scanner } };
}

const unpinnedFrom = (line: number): BaseImageEntry => ({
  kind: 'from',
  stage: null,
  line,
  ref: 'docker.io/library/alpine:3.20',
  image: 'docker.io/library/alpine:3.20',
  digest: 'sha256:' + 'b'.repeat(64),
  pinned: false,
  status: 'allowed-unsigned',
  rule: 'build tools',
  signer: null,
  reason: 'rule "build tools" trusts it without a signature',
});

describe('a run that passed with warnings', () => {
  it('names every reason in the verdict line: unpinned FROM lines and a provided tool', () => {
    const input = withProvidedTrivy({ ...noPush(), baseImages: [...noPush().baseImages!, unpinnedFrom(20)] });
    const top = firstLines(renderSummary(input));
    expect(top).toContain('**Passed with warnings**: 2 FROM lines not pinned; trivy provided, not verified.');
  });

  it('shows the Tools row as a warning when a tool is provided, as its table does', () => {
    const md = renderSummary(withProvidedTrivy(noPush()));
    expect(md).toMatch(/\n\| Tools \| ⚠️ passed with warnings \|/);
    expect(md).toContain('provided through scanner-path, not verified');
  });

  it('names a rule-less image and says nothing of pinning under digest-pinning: off', () => {
    const input: SummaryInput = {
      ...noPush(),
      digestPinning: 'off',
      baseImages: [
        {
          ...unpinnedFrom(2),
          status: 'unmatched',
          rule: null,
          reason: 'no policy rule matches docker.io/library/alpine (unmatched: warn)',
        },
      ],
    };
    const line = firstLines(renderSummary(input)).split('\n')[2] ?? '';
    expect(line).toBe(
      '**Passed with warnings**: 1 base image matches no policy rule. Otherwise: base images checked; no vulnerability at or above high that counts; not pushed.',
    );
  });

  it('says whose signature each verified image has, under a heading that says so', () => {
    const md = renderSummary(noPush());
    expect(md).toContain('Who signed the verified images (keyless), by rule:');
    expect(md).not.toContain('Signers the rules demand');
  });
});

describe('the platforms built', () => {
  it('are said under the verdict, before the stage table', () => {
    const md = renderSummary({ ...noPush(), platforms: ['linux/amd64', 'linux/arm64'] });
    const at = md.indexOf('Built for `linux/amd64`, `linux/arm64`.');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(md.indexOf('| Stage | Result |'));
  });
});

describe('a base image that failed', () => {
  const input = (): SummaryInput => ({ ...unsignedBase(), trustPolicy: 'app/secure-image.yml' });

  it('is stated once, in the first lines, with the signer cosign saw and the next step', () => {
    const md = renderSummary(input());
    const subject = 'https://github.com/evil/fork/.github/workflows/x.yml@refs/heads/main';
    expect(firstLines(md)).toContain(
      '**Failed** at Base images: 2 base images do not meet the trust policy.',
    );
    expect(occurrences(md, 'none of the expected identities matched')).toBe(1);
    expect(md).toContain(
      `**Next step:** it is signed by \`${subject}\`, and the rule distroless (built-in) trusts another signer: use an image that rule trusts, or add a rule of your own for it to \`app/secure-image.yml\`.`,
    );
    expect(md).toContain('**Next step:** correct the reference on line 5 of `Dockerfile`.');
    // The rule-less image that only warned keeps its line under the table.
    expect(md).toContain('no policy rule matches docker.io/docker/dockerfile (unmatched: warn)');
    const failedAt = md.indexOf('**Next step:**');
    expect(failedAt).toBeLessThan(md.indexOf('| Stage | Result |'));
  });

  it("names the policy file and the rule when the rule is the user's own", () => {
    const base = input();
    const bases = base.baseImages!.map((e) =>
      e.status === 'failed' && e.rule ? { ...e, rule: 'offline base' } : e,
    );
    const md = renderSummary({ ...base, baseImages: bases });
    expect(md).toContain(
      'if that signer is the one to trust, edit rule offline base in `app/secure-image.yml` to name it; else use an image that rule trusts.',
    );
    // With the policy's rules at hand, the next step says what the rule asks for beside who signed.
    const asked = renderSummary({
      ...base,
      baseImages: bases,
      ruleDemands: {
        'offline base': {
          kind: 'keyless',
          signer: {
            identityRegexp: '^https://github\\.com/acme/',
            issuer: 'https://token.actions.githubusercontent.com',
          },
        },
      },
    });
    expect(asked).toContain(
      'it is signed by `https://github.com/evil/fork/.github/workflows/x.yml@refs/heads/main`, and the rule asks for an identity matching `^https://github\\.com/acme/` from issuer `https://token.actions.githubusercontent.com`; if that signer is the one to trust, edit rule offline base in `app/secure-image.yml` to name it',
    );
    const keyed = renderSummary({
      ...base,
      baseImages: bases,
      ruleDemands: { 'offline base': { kind: 'key', keys: [`sha256:${'a'.repeat(64)}`] } },
    });
    expect(keyed).toContain(`and the rule asks for a signature by the key \`sha256:${'a'.repeat(64)}\`;`);
  });

  it('that has no signature at all: the next step says so, not "who signed"', () => {
    const base = input();
    const bases = base.baseImages!.map((e) =>
      e.rule === 'distroless (built-in)'
        ? { ...e, rule: 'offline base', reason: 'signature check failed: no signatures found' }
        : e,
    );
    const md = renderSummary({ ...base, baseImages: bases });
    expect(md).toContain(
      '**Next step:** cosign found no signature on it: ask its publisher to sign it, use a signed image, or trust it unsigned with a rule with `allow-unsigned: true` in `app/secure-image.yml` (rule offline base asks for a signature).',
    );
  });

  it('is stated once in the pull-request comment too', () => {
    const md = renderPrComment(input());
    expect(occurrences(md, 'none of the expected identities matched')).toBe(1);
    expect(md).toContain('**Next step:**');
  });
});
