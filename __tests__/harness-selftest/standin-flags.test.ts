import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadPage, parseArgs, parseFlagTable, splitSubcommand } from '../standins/lib/flags.mjs';
import { UPSTREAM_FIXTURES } from '../harness/standins.js';

// jest 29's each() wants mutable rows; this keeps the literal types of an `as const` table.
const rows = <T extends readonly unknown[]>(table: readonly T[]): Array<[...T]> =>
  table.map((r) => [...r] as [...T]);

const cliDir = join(UPSTREAM_FIXTURES, 'cli');

function page(tool: string, words: string[]) {
  const found = loadPage(cliDir, tool, words);
  if (!found) throw new Error(`no page for ${tool} ${words.join(' ')}`);
  return found;
}

describe('parseFlagTable on the upstream reference pages', () => {
  const pages = ['cosign', 'trivy', 'grype'].flatMap((tool) =>
    readdirSync(join(cliDir, tool))
      .filter((f) => f.startsWith(tool) && f.endsWith('.md'))
      .map((f) => [tool, f] as const),
  );

  it.each(pages)(
    '%s/%s yields a table with --help and every flag line of its Options blocks',
    (tool, file) => {
      const text = readFileSync(join(cliDir, tool, file), 'utf8');
      const table = parseFlagTable(text);
      expect(table.get('help')).toMatchObject({ short: 'h', kind: 'bool' });
      // Every line inside the Options fences that starts a flag became an entry.
      const fenced = [...text.matchAll(/### Options[^\n]*\n\n```\n([\s\S]*?)```/g)]
        .map((m) => m[1] ?? '')
        .join('');
      const flagLines = fenced.split('\n').filter((l) => /^\s+(-\w, )?--\w/.test(l));
      expect(table.size).toBe(new Set(flagLines.map((l) => /--([\w.-]+)/.exec(l)?.[1])).size);
    },
  );

  it.each(
    rows([
      ['cosign', ['verify'], 'certificate-identity', { type: 'string', kind: 'value', inherited: false }],
      ['cosign', ['verify'], 'annotations', { short: 'a', kind: 'list' }],
      ['cosign', ['verify'], 'check-claims', { kind: 'bool' }],
      ['cosign', ['verify'], 'timeout', { short: 't', type: 'duration', inherited: true }],
      ['cosign', ['sign'], 'yes', { short: 'y', kind: 'bool' }],
      ['cosign', ['sign'], 'registry-referrers-mode', { type: 'registryReferrersMode', kind: 'value' }],
      ['cosign', ['generate-key-pair'], 'output-key-prefix', { kind: 'value' }],
      ['trivy', ['image'], 'severity', { short: 's', kind: 'list' }],
      ['trivy', ['image'], 'format', { short: 'f', kind: 'value' }],
      ['trivy', ['image'], 'cache-dir', { inherited: true, kind: 'value' }],
      ['trivy', ['registry', 'login'], 'password-stdin', { kind: 'bool' }],
      ['grype', [], 'output', { short: 'o', kind: 'array' }],
      ['grype', [], 'verbose', { short: 'v', kind: 'count' }],
    ] as const),
  )('%s %j lists --%s as %j', (tool, words, flag, expected) => {
    expect(page(tool, [...words]).flags.get(flag)).toMatchObject(expected);
  });

  it('does not take flags from the Examples', () => {
    // `cosign sign` examples use --cert and --tlog-upload, which v3.1.2's flag table does not have.
    const upstreamSign = parseFlagTable(readFileSync(join(cliDir, 'cosign', 'cosign_sign.md'), 'utf8'));
    expect(upstreamSign.has('tlog-upload')).toBe(false);
    expect(upstreamSign.has('cert')).toBe(false);
  });

  it('the table regenerated from the real binary wins: it has the deprecated flags the binary still takes', () => {
    // cosign marks --tlog-upload deprecated (hidden from its pages and --help), and still takes it.
    expect(page('cosign', ['sign']).file).toMatch(/cli-real\/cosign\/cosign_sign\.md$/);
    expect(page('cosign', ['sign']).flags.get('tlog-upload')).toMatchObject({ kind: 'bool' });
    expect(page('cosign', ['verify-blob']).flags.get('signature')).toMatchObject({ kind: 'value' });
    // pflag normalises --cert to --certificate (cosign's normalizeCertificateFlags): the binary takes both.
    expect(page('cosign', ['sign']).flags.get('cert')).toMatchObject({ kind: 'value' });
    expect(page('cosign', ['sign']).flags.has('certificate-chains')).toBe(false);
  });
});

describe('parseArgs (pflag rules)', () => {
  const sign = page('cosign', ['sign']).flags;
  const verify = page('cosign', ['verify']).flags;

  it.each(
    rows([
      [['--key', 'k.key', 'img'], 'key', 'k.key'],
      [['--key=k.key', 'img'], 'key', 'k.key'],
      [['-y', 'img'], 'yes', true],
      [['--yes=false', 'img'], 'yes', false],
      [['--upload=0', 'img'], 'upload', false],
      [['-t30s', 'img'], 'timeout', '30s'],
      [['-t=1m30s', 'img'], 'timeout', '1m30s'],
      [['-ya', 'k=v', 'img'], 'annotations', 'k=v'],
    ] as const),
  )('%j sets --%s', (args, flag, value) => {
    expect(parseArgs([...args], sign).get(flag)).toBe(value);
  });

  it('collects repeated and comma-separated values, and positionals around flags', () => {
    const parsed = parseArgs(
      ['img1', '-a', 'k1=v1,k2=v2', '--annotations', 'k3=v3', 'img2', '--', '--not-a-flag'],
      verify,
    );
    expect(parsed.all('annotations')).toEqual(['k1=v1', 'k2=v2', 'k3=v3']);
    expect(parsed.positionals).toEqual(['img1', 'img2', '--not-a-flag']);
  });

  it.each([
    [['--not-a-flag'], 'unknown flag: --not-a-flag'],
    [['-Z'], "unknown shorthand flag: 'Z' in -Z"],
    [['--key'], 'flag needs an argument: --key'],
    [['-a'], "flag needs an argument: 'a' in -a"],
    [
      ['--max-workers', 'ten'],
      'invalid argument "ten" for "--max-workers" flag: strconv.ParseInt: parsing "ten": invalid syntax',
    ],
    [
      ['--check-claims=maybe'],
      'invalid argument "maybe" for "--check-claims" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
    ],
    [['-tforever'], 'invalid argument "forever" for "-t, --timeout" flag: time: invalid duration "forever"'],
  ])('%j is refused: %s', (args, message) => {
    expect(() => parseArgs(args, verify)).toThrow(message);
  });

  it('counts -vv and reads flags from <PREFIX>_<NAME> variables when not on the command line', () => {
    expect(parseArgs(['-vv', 'img'], page('grype', []).flags).get('verbose')).toBe(2);
    const parsed = parseArgs(['img'], sign, {
      envPrefix: 'COSIGN',
      env: { COSIGN_YES: 'true', COSIGN_KEY: 'env.key' },
    });
    expect(parsed.bool('yes')).toBe(true);
    expect(parsed.get('key')).toBe('env.key');
    expect([...parsed.fromEnv].sort()).toEqual(['key', 'yes']);
    expect(
      parseArgs(['--key', 'cli.key', 'img'], sign, {
        envPrefix: 'COSIGN',
        env: { COSIGN_KEY: 'env.key' },
      }).get('key'),
    ).toBe('cli.key');
  });

  it('finds the subcommand after root flags, preferring the longest word path with a page', () => {
    const root = page('cosign', []).flags;
    const has = (words: string[]) => loadPage(cliDir, 'cosign', words) !== undefined;
    expect(splitSubcommand(['-t', '30s', 'verify', '--key', 'k', 'img'], root, has)).toEqual({
      words: ['verify'],
      first: 'verify',
      rest: ['-t', '30s', '--key', 'k', 'img'],
    });
    const trivyHas = (words: string[]) => loadPage(cliDir, 'trivy', words) !== undefined;
    expect(splitSubcommand(['registry', 'login', 'reg.example'], new Map(), trivyHas).words).toEqual([
      'registry',
      'login',
    ]);
    expect(splitSubcommand(['tree', 'img'], root, has)).toMatchObject({ words: [], first: 'tree' });
  });
});
