import { describe, expect, it } from '@jest/globals';
import {
  type IgnoreRule,
  ignoreRuleMatches,
  isRuleExpired,
  parseGrypeIgnoreConfig,
  parseIgnoreFile,
  parseTrivyIgnore,
  parseTrivyIgnoreYaml,
} from '../../src/scan/ignore-file.js';
import { UserError } from '../../src/util/errors.js';
import { finding } from './helpers.js';

// jest 29's each() wants mutable rows; this keeps the literal types of an `as const` table.
const rows = <T extends readonly unknown[]>(table: readonly T[]): Array<[...T]> =>
  table.map((r) => [...r] as [...T]);

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('.trivyignore', () => {
  it('reads ids, comments, exp: dates and inline reasons with their lines', () => {
    const text = [
      '# Accept the risk',
      'CVE-2018-14618',
      '',
      '   # indented comment',
      'CVE-2019-14697 exp:2023-01-01',
      'CVE-2019-0006 exp:9999-01-01 key2:value2',
      'CVE-2020-0001   # not used at runtime',
      'GHSA-aaaa-bbbb-cccc\r',
    ].join('\n');
    expect(parseTrivyIgnore(text, '.trivyignore')).toEqual([
      { id: 'CVE-2018-14618', line: 2, file: '.trivyignore' },
      { id: 'CVE-2019-14697', expiresAt: '2023-01-01', line: 5, file: '.trivyignore' },
      { id: 'CVE-2019-0006', expiresAt: '9999-01-01', line: 6, file: '.trivyignore' },
      { id: 'CVE-2020-0001', statement: 'not used at runtime', line: 7, file: '.trivyignore' },
      { id: 'GHSA-aaaa-bbbb-cccc', line: 8, file: '.trivyignore' },
    ]);
  });

  it.each(['exp:2023-13-01', 'exp:2023-02-30', 'exp:01-01-2023', 'exp:'])(
    '"%s" is an error naming the line',
    (exp) => {
      const err = errorOf(() => parseTrivyIgnore(`CVE-1\nCVE-2 ${exp}\n`, 'ci/.trivyignore'));
      expect(err).toBeInstanceOf(UserError);
      expect(err.message).toContain('ci/.trivyignore line 2');
      expect(err.message).toContain('exp:YYYY-MM-DD');
    },
  );

  it('an empty file has no rules', () => {
    expect(parseTrivyIgnore('', 'x')).toEqual([]);
    expect(parseTrivyIgnore('# only\n\n', 'x')).toEqual([]);
  });
});

describe('expiry', () => {
  const rule = (expiresAt?: string): IgnoreRule => ({ id: 'C', line: 1, file: 'f', expiresAt });
  it.each([
    [undefined, '2999-01-01T00:00:00Z', false],
    ['2024-01-01', '2023-12-31T23:59:59Z', false],
    ['2024-01-01', '2024-01-01T00:00:00Z', false],
    ['2024-01-01', '2024-01-01T00:00:01Z', true],
    ['2024-06-01T12:00:00Z', '2024-06-01T11:00:00Z', false],
    ['2024-06-01T12:00:00Z', '2024-06-01T13:00:00Z', true],
  ])('expiresAt %s at %s → expired %s', (expiresAt, now, expired) => {
    expect(isRuleExpired(rule(expiresAt), new Date(now))).toBe(expired);
  });
});

describe('.trivyignore.yaml', () => {
  const text = `# ignore file
vulnerabilities:
  - id: CVE-2022-40897
    paths:
      - "usr/local/lib/python3.9/site-packages/setuptools-58.1.0.dist-info/METADATA"
    statement: Accept the risk
  - id: CVE-2023-2650
  - id: CVE-2023-3817
    purls:
      - "pkg:deb/debian/libssl1.1"
  - id: CVE-2023-29491
    expired_at: 2023-09-01
  - purls:
      - "pkg:deb/ubuntu/linux-libc-dev"
    statement: Kernel headers, not exercised at runtime

misconfigurations:
  - id: AVD-DS-0001
secrets:
licenses:
`;

  it('reads the vulnerabilities section with lines', () => {
    expect(parseTrivyIgnoreYaml(text, '.trivyignore.yaml')).toEqual([
      {
        id: 'CVE-2022-40897',
        paths: ['usr/local/lib/python3.9/site-packages/setuptools-58.1.0.dist-info/METADATA'],
        statement: 'Accept the risk',
        line: 3,
        file: '.trivyignore.yaml',
      },
      { id: 'CVE-2023-2650', line: 7, file: '.trivyignore.yaml' },
      { id: 'CVE-2023-3817', purls: ['pkg:deb/debian/libssl1.1'], line: 8, file: '.trivyignore.yaml' },
      { id: 'CVE-2023-29491', expiresAt: '2023-09-01', line: 11, file: '.trivyignore.yaml' },
      {
        id: '',
        purls: ['pkg:deb/ubuntu/linux-libc-dev'],
        statement: 'Kernel headers, not exercised at runtime',
        line: 13,
        file: '.trivyignore.yaml',
      },
    ]);
  });

  it.each([
    [
      'an unknown entry key',
      'vulnerabilities:\n  - id: CVE-1\n    expires_at: 2024-01-01\n',
      3,
      'unknown key "expires_at"',
    ],
    ['an unknown section', 'vulns:\n  - id: CVE-1\n', 1, 'unknown section "vulns"'],
    [
      'a bad date',
      'vulnerabilities:\n  - id: CVE-1\n    expired_at: next year\n',
      3,
      '"next year" is not a date',
    ],
    [
      'a bad purl',
      'vulnerabilities:\n  - id: CVE-1\n    purls: ["deb/debian/x"]\n',
      3,
      'is not a package URL',
    ],
    ['paths not a list', 'vulnerabilities:\n  - id: CVE-1\n    paths: usr/lib\n', 3, 'must be a list'],
    [
      'an entry with nothing',
      'vulnerabilities:\n  - statement: why\n',
      2,
      'set at least one of id, paths, purls',
    ],
    ['a bad glob', 'vulnerabilities:\n  - id: C\n    paths: ["a/[b"]\n', 3, 'unclosed "["'],
    ['broken YAML', 'vulnerabilities:\n  - id: CVE-1\n\tstatement: x\n', 3, 'not valid YAML (Tabs'],
    ['a duplicate key', 'vulnerabilities:\n  - id: A\n    id: B\n', 3, 'not valid YAML'],
    ['a list at the top', '- id: CVE-1\n', 1, 'must be a mapping'],
  ])('%s is an error naming the file and line', (_name, yaml, line, message) => {
    const err = errorOf(() => parseTrivyIgnoreYaml(yaml, 'sec/.trivyignore.yaml'));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain(`sec/.trivyignore.yaml line ${line}:`);
    expect(err.message).toContain(message);
  });

  it('an empty file or empty section has no rules', () => {
    expect(parseTrivyIgnoreYaml('', 'f')).toEqual([]);
    expect(parseTrivyIgnoreYaml('vulnerabilities:\n', 'f')).toEqual([]);
  });
});

describe('grype config ignore', () => {
  it('reads what maps onto the rules and skips the rest of the config', () => {
    const text = `output: json
fail-on-severity: high
ignore:
  - vulnerability: CVE-2008-4318
    fix-state: unknown
    package:
      name: libcurl
      version: 1.5.1
      type: npm
      location: "/usr/local/lib/node_modules/**"
  - fix-state: wont-fix
    reason: vendor will not fix
  - vulnerability: GHSA-1
    include-aliases: false
  - package:
      name: kernel-headers.*
`;
    expect(parseGrypeIgnoreConfig(text, '.grype.yaml')).toEqual([
      {
        id: 'CVE-2008-4318',
        fixState: 'unknown',
        packageName: 'libcurl',
        packageVersion: '1.5.1',
        packageType: 'npm',
        paths: ['/usr/local/lib/node_modules/**'],
        line: 4,
        file: '.grype.yaml',
      },
      { id: '', fixState: 'wont-fix', statement: 'vendor will not fix', line: 11, file: '.grype.yaml' },
      { id: 'GHSA-1', matchAliases: false, line: 13, file: '.grype.yaml' },
      { id: '', packageName: 'kernel-headers.*', line: 15, file: '.grype.yaml' },
    ]);
  });

  it.each([
    [
      'namespace',
      'ignore:\n  - vulnerability: C\n    namespace: nvd:cpe\n',
      3,
      'ignore[0].namespace is not supported',
    ],
    ['vex-status', 'ignore:\n  - vex-status: not_affected\n', 2, 'the `vex` input'],
    ['match-type', 'ignore:\n  - match-type: exact-direct-match\n', 2, 'is not supported'],
    ['package.language', 'ignore:\n  - package:\n      language: ruby\n', 3, 'use package.type'],
    ['package.upstream-name', 'ignore:\n  - package:\n      upstream-name: nss\n', 3, 'is not supported'],
    ['an unknown key', 'ignore:\n  - vulnerabilty: C\n', 2, 'unknown key "vulnerabilty"'],
    ['a bad fix-state', 'ignore:\n  - fix-state: wontfix\n', 2, '"wontfix" is not a fix state'],
    ['a rule with no criteria', 'ignore:\n  - reason: because\n', 2, 'has no criteria'],
    ['a bad regex', 'ignore:\n  - package:\n      name: "lib(curl"\n', 3, 'not a valid regular expression'],
    [
      'a regex grype (RE2) rejects',
      'ignore:\n  - package:\n      name: "lib(?=curl)"\n',
      3,
      "not a valid regular expression in Go's RE2 syntax, which grype uses: lookahead",
    ],
    // Wrapped in ^(?:…)$ it would read as `^(?:x)|(.*)$`: every package, unanchored.
    ['a name that escapes its anchors', 'ignore:\n  - package:\n      name: "x)|(.*"\n', 3, 'unexpected `)`'],
    [
      'a name too large to match quickly',
      'ignore:\n  - package:\n      name: "[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}x"\n',
      3,
      'needs more than 10000 instructions',
    ],
  ])('%s is rejected with the file and line', (_name, yaml, line, message) => {
    const err = errorOf(() => parseGrypeIgnoreConfig(yaml, '.grype.yaml'));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain(`.grype.yaml line ${line}:`);
    expect(err.message).toContain(message);
  });

  it('a config without ignore has no rules', () => {
    expect(parseGrypeIgnoreConfig('output: table\n', 'g')).toEqual([]);
    expect(parseGrypeIgnoreConfig('', 'g')).toEqual([]);
  });
});

describe('parseIgnoreFile picks the format', () => {
  it.each(
    rows([
      ['trivy', '.trivyignore', 'CVE-1\n', 'CVE-1'],
      ['trivy', 'conf/.trivyignore.yaml', 'vulnerabilities:\n  - id: CVE-2\n', 'CVE-2'],
      ['trivy', 'x.YML', 'vulnerabilities:\n  - id: CVE-3\n', 'CVE-3'],
      ['grype', '.grype.yaml', 'ignore:\n  - vulnerability: CVE-4\n', 'CVE-4'],
    ] as const),
  )('%s %s', (scanner, file, text, id) => {
    expect(parseIgnoreFile(scanner, text, file).map((r) => r.id)).toEqual([id]);
  });
});

describe('ignoreRuleMatches', () => {
  const base = { line: 1, file: 'f' };
  const f = finding({
    id: 'GHSA-x',
    aliases: ['CVE-2023-1'],
    packageName: 'libssl1.1',
    packageType: 'debian',
    installedVersion: '1.1.1n-0',
    purl: 'pkg:deb/debian/libssl1.1@1.1.1n-0?arch=amd64&distro=debian-11',
    packagePath: 'usr/lib/x86_64-linux-gnu/libssl.so.1.1',
    target: 'img (debian 11)',
    fixState: 'not-fixed',
    fixedVersions: [],
  });

  it.each<[string, Partial<IgnoreRule>, boolean]>([
    ['the id', { id: 'GHSA-x' }, true],
    ['an alias', { id: 'CVE-2023-1' }, true],
    ['an alias when aliases are off', { id: 'CVE-2023-1', matchAliases: false }, false],
    ['another id', { id: 'CVE-9' }, false],
    ['a purl without version', { id: '', purls: ['pkg:deb/debian/libssl1.1'] }, true],
    ['a purl with the version', { id: '', purls: ['pkg:deb/debian/libssl1.1@1.1.1n-0'] }, true],
    ['a purl with another version', { id: '', purls: ['pkg:deb/debian/libssl1.1@2'] }, false],
    ['a purl with a matching qualifier', { id: '', purls: ['pkg:deb/debian/libssl1.1?arch=amd64'] }, true],
    ['a purl with another qualifier', { id: '', purls: ['pkg:deb/debian/libssl1.1?arch=arm64'] }, false],
    ['another namespace', { id: '', purls: ['pkg:deb/ubuntu/libssl1.1'] }, false],
    ['a path glob', { id: 'GHSA-x', paths: ['usr/lib/**'] }, true],
    ['a path glob with a leading slash', { id: 'GHSA-x', paths: ['/usr/lib/**/libssl.so.*'] }, true],
    ['a path glob that does not match', { id: 'GHSA-x', paths: ['opt/**'] }, false],
    ['a single * does not cross directories', { id: 'GHSA-x', paths: ['usr/*/libssl.so.1.1'] }, false],
    ['the target', { id: 'GHSA-x', paths: ['img (debian 11)'] }, true],
    ['id and purl both hold', { id: 'GHSA-x', purls: ['pkg:deb/debian/libssl1.1'] }, true],
    ['id holds, purl does not', { id: 'GHSA-x', purls: ['pkg:deb/debian/openssl'] }, false],
    ['grype package name', { id: '', packageName: 'libssl1.1' }, true],
    ['grype package name is exact without regex syntax', { id: '', packageName: 'libssl1' }, false],
    ['grype package name regex', { id: '', packageName: 'libssl.*' }, true],
    ['grype version and type', { id: '', packageVersion: '1.1.1n-0', packageType: 'debian' }, true],
    ['grype wrong type', { id: '', packageType: 'apk' }, false],
    ['grype fix-state', { id: '', fixState: 'not-fixed' }, true],
    ['grype other fix-state', { id: '', fixState: 'wont-fix' }, false],
    ['no criteria', { id: '' }, false],
  ])('%s', (_name, rule, expected) => {
    expect(ignoreRuleMatches({ ...base, id: '', ...rule }, f)).toBe(expected);
  });

  // grype reads package.name with Go's RE2; so does the action, also for what JavaScript lacks.
  it.each<[string, string, boolean]>([
    ['(?P<lib>lib)ssl.*', 'libssl1.1', true],
    ['(?i)LIBSSL\\d\\.\\d', 'libssl1.1', true],
    ['libssl\\z', 'libssl', true],
    ['lib|ssl', 'libssl', false],
    ['[[:alpha:]]+', 'libssl1.1', false],
  ])('grype package name %s against %s → %s', (name, packageName, expected) => {
    const rules = parseGrypeIgnoreConfig(`ignore:\n  - package:\n      name: '${name}'\n`, '.grype.yaml');
    expect(rules.map((r) => r.packageName)).toEqual([name]);
    expect(ignoreRuleMatches(rules[0] as IgnoreRule, { ...f, packageName })).toBe(expected);
  });

  // A JavaScript RegExp takes about 90 s for each of these; RE2 and the linear glob take microseconds.
  it.each<[string, Partial<IgnoreRule>, Partial<typeof f>, boolean]>([
    ['a nested repetition', { packageName: '(a+)+b' }, { packageName: 'a'.repeat(30) }, false],
    [
      'a nested repetition that matches',
      { packageName: '(a+)+b' },
      { packageName: 'a'.repeat(30) + 'b' },
      true,
    ],
    ['a long alternation', { packageName: '(a|aa)+c' }, { packageName: 'a'.repeat(60) }, false],
    [
      'stars before a missing letter',
      { paths: ['*a'.repeat(12) + '*c'] },
      { packagePath: 'a'.repeat(40) },
      false,
    ],
    ['stars that match', { paths: ['*a'.repeat(12) + '*c'] }, { packagePath: 'a'.repeat(40) + 'c' }, true],
  ])('%s is matched in linear time', (_name, rule, fields, expected) => {
    expect(ignoreRuleMatches({ ...base, id: '', ...rule }, { ...f, ...fields })).toBe(expected);
  });

  it('a purl rule does not match a finding without a purl', () => {
    expect(
      ignoreRuleMatches(
        { ...base, id: 'GHSA-x', purls: ['pkg:deb/debian/libssl1.1'] },
        { ...f, purl: undefined },
      ),
    ).toBe(false);
  });
});
