import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  GRYPE_SCAN_CONFIG,
  TRIVY_DB_REPOSITORIES,
  TRIVY_JAVA_DB_REPOSITORIES,
  type ScanTarget,
  databaseDir,
  dockerConfigJson,
  grypeDbStatusArgs,
  grypeDbUpdateArgs,
  grypeEnv,
  grypeScanArgs,
  platformSlug,
  registryHost,
  targetIsInsecure,
  trivyConvertArgs,
  trivyDbArgs,
  trivyEnv,
  trivyScanArgs,
} from '../../src/scan/args.js';
import { loadPage, parseArgs } from '../standins/lib/flags.mjs';
import { UPSTREAM } from './helpers.js';

const cliDir = join(UPSTREAM, 'cli');

function page(tool: string, words: string[]) {
  const found = loadPage(cliDir, tool, words);
  if (!found) throw new Error(`no reference page for ${tool} ${words.join(' ')}`);
  return found;
}

/** Parses argv against the upstream page the way pflag does: an unknown flag throws, as upstream. */
function parseTrivy(argv: string[]) {
  const [command, ...rest] = argv;
  return parseArgs(rest, page('trivy', [command ?? '']).flags);
}

const DIGEST = `sha256:${'a'.repeat(64)}`;
const registry = (ref: string, platform?: string): ScanTarget => ({
  kind: 'registry',
  ref,
  ...(platform ? { platform } : {}),
});
const archive = (path: string, platform?: string): ScanTarget => ({
  kind: 'archive',
  path,
  ...(platform ? { platform } : {}),
});

describe('trivyScanArgs', () => {
  const base = { cacheDir: '/cache/trivy', output: '/tmp/out.json', insecure: false, timeoutSeconds: 930 };

  it.each<[string, ScanTarget, boolean, Record<string, string | boolean | undefined>, string[]]>([
    [
      'a pushed digest, from the registry only',
      registry(`ghcr.io/acme/app@${DIGEST}`),
      false,
      { 'image-src': 'remote', input: undefined, platform: undefined, insecure: false },
      [`ghcr.io/acme/app@${DIGEST}`],
    ],
    [
      'one platform of a multi-platform digest',
      registry(`ghcr.io/acme/app@${DIGEST}`, 'linux/arm64'),
      false,
      { 'image-src': 'remote', platform: 'linux/arm64' },
      [`ghcr.io/acme/app@${DIGEST}`],
    ],
    [
      'a loopback registry over plain HTTP',
      registry(`127.0.0.1:5000/app@${DIGEST}`),
      true,
      { insecure: true },
      [`127.0.0.1:5000/app@${DIGEST}`],
    ],
    [
      'the build archive when nothing was pushed',
      archive('/runner/temp/image.oci.tar'),
      false,
      { input: '/runner/temp/image.oci.tar', 'image-src': undefined },
      [],
    ],
  ])('%s', (_name, target, insecure, expected, positionals) => {
    const argv = trivyScanArgs({ ...base, target, insecure });
    expect(argv[0]).toBe('image');
    const flags = parseTrivy(argv);
    expect(flags.positionals).toEqual(positionals);
    // One scan, to JSON, from the DB warmed before, every package listed for the SBOM.
    expect(flags.get('format')).toBe('json');
    expect(flags.get('output')).toBe('/tmp/out.json');
    expect(flags.get('cache-dir')).toBe('/cache/trivy');
    expect(flags.get('cache-backend')).toBe('memory');
    expect(flags.bool('skip-db-update')).toBe(true);
    expect(flags.all('scanners')).toEqual(['vuln']);
    expect(flags.bool('list-all-pkgs')).toBe(true);
    expect(flags.get('timeout')).toBe('930s');
    for (const [name, value] of Object.entries(expected)) {
      if (typeof value === 'boolean') expect(flags.bool(name)).toBe(value);
      else expect(flags.get(name)).toBe(value);
    }
  });

  it('leaves severity, unfixed, ignore files and exit codes to the gate', () => {
    const argv = trivyScanArgs({ ...base, target: registry(`r.example/app@${DIGEST}`) });
    for (const flag of [
      '--severity',
      '--ignore-unfixed',
      '--ignorefile',
      '--exit-code',
      '--ignore-status',
      '--vex',
    ]) {
      expect(argv).not.toContain(flag);
    }
  });

  it('gives trivy a whole number of seconds, at least one', () => {
    expect(
      parseTrivy(trivyScanArgs({ ...base, target: archive('/a'), timeoutSeconds: 0.2 })).get('timeout'),
    ).toBe('1s');
    expect(
      parseTrivy(trivyScanArgs({ ...base, target: archive('/a'), timeoutSeconds: 61.5 })).get('timeout'),
    ).toBe('62s');
  });
});

describe('trivyConvertArgs and trivyDbArgs', () => {
  it.each(['cyclonedx', 'sarif', 'cosign-vuln', 'spdx-json'] as const)(
    'convert to %s uses only trivy_convert.md flags',
    (format) => {
      const argv = trivyConvertArgs(format, '/w/report.json', '/w/out');
      expect(argv[0]).toBe('convert');
      const flags = parseTrivy(argv);
      expect(flags.get('format')).toBe(format);
      expect(flags.get('output')).toBe('/w/out');
      expect(flags.positionals).toEqual(['/w/report.json']);
    },
  );

  it.each(TRIVY_DB_REPOSITORIES.map((r) => [r]))('downloads only the DB, from %s', (repository) => {
    const flags = parseTrivy(trivyDbArgs('/cache/trivy', repository, 600));
    expect(flags.bool('download-db-only')).toBe(true);
    expect(flags.all('db-repository')).toEqual([repository]);
    expect(flags.get('cache-dir')).toBe('/cache/trivy');
    expect(flags.get('timeout')).toBe('600s');
    expect(flags.positionals).toEqual([]);
  });

  it('falls back in the order trivy documents for --db-repository and --java-db-repository', () => {
    const lines = page('trivy', ['image']).text.split('\n');
    const line = (flag: string): string => lines.find((l) => l.includes(`${flag} `)) ?? '';
    expect(line('--db-repository')).toContain(`default [${TRIVY_DB_REPOSITORIES.join(',')}]`);
    expect(line('--java-db-repository')).toContain(`default [${TRIVY_JAVA_DB_REPOSITORIES.join(',')}]`);
  });

  it.each(TRIVY_JAVA_DB_REPOSITORIES.map((r) => [r]))('downloads only the Java DB, from %s', (repository) => {
    const flags = parseTrivy(trivyDbArgs('/cache/trivy', repository, 600, 'java'));
    expect(flags.bool('download-java-db-only')).toBe(true);
    expect(flags.bool('download-db-only')).toBe(false);
    expect(flags.all('java-db-repository')).toEqual([repository]);
    expect(flags.has('db-repository')).toBe(false);
    expect(flags.get('cache-dir')).toBe('/cache/trivy');
  });

  it('scans with the warmed Java DB as it is only when told one is there', () => {
    const target = registry(`r.example/app@${DIGEST}`);
    const base = { cacheDir: '/c', output: '/o.json', insecure: false, timeoutSeconds: 60 };
    expect(parseTrivy(trivyScanArgs({ ...base, target })).bool('skip-java-db-update')).toBe(false);
    expect(
      parseTrivy(trivyScanArgs({ ...base, target, skipJavaDbUpdate: true })).bool('skip-java-db-update'),
    ).toBe(true);
  });
});

describe('trivyEnv', () => {
  it('only sets variables that name flags on trivy_image.md, so they behave as those flags', () => {
    const flags = page('trivy', ['image']).flags;
    const env = trivyEnv();
    for (const name of Object.keys(env)) {
      const flag = name
        .replace(/^TRIVY_/, '')
        .toLowerCase()
        .replace(/_/g, '-');
      expect(flags.has(flag)).toBe(true);
    }
    const parsed = parseArgs([], flags, { envPrefix: 'TRIVY', env });
    expect(parsed.bool('skip-version-check')).toBe(true);
    expect(parsed.bool('disable-telemetry')).toBe(true);
  });

  it('puts a login in a docker config, never in TRIVY_USERNAME/TRIVY_PASSWORD', () => {
    const env = trivyEnv({ dockerConfigDir: '/tmp/auth' });
    expect(env['DOCKER_CONFIG']).toBe('/tmp/auth');
    expect(Object.keys(env).filter((k) => /USERNAME|PASSWORD/.test(k))).toEqual([]);
    const config = JSON.parse(
      dockerConfigJson({ registry: 'ghcr.io', username: 'bot', password: 's3cret' }),
    ) as {
      auths: Record<string, { auth: string }>;
    };
    expect(Buffer.from(config.auths['ghcr.io']?.auth ?? '', 'base64').toString()).toBe('bot:s3cret');
    const hub = JSON.parse(dockerConfigJson({ registry: 'docker.io', username: 'u', password: 'p' })) as {
      auths: Record<string, unknown>;
    };
    expect(Object.keys(hub.auths)).toEqual(['https://index.docker.io/v1/']);
  });
});

describe('grypeScanArgs', () => {
  const grypeFlags = page('grype', []).flags;
  const parseGrype = (argv: string[]) => parseArgs(argv, grypeFlags);

  it.each<[string, ScanTarget, string, string | undefined]>([
    [
      'a pushed digest',
      registry(`ghcr.io/acme/app@${DIGEST}`),
      `registry:ghcr.io/acme/app@${DIGEST}`,
      undefined,
    ],
    [
      'one platform of it',
      registry(`ghcr.io/acme/app@${DIGEST}`, 'linux/arm64'),
      `registry:ghcr.io/acme/app@${DIGEST}`,
      'linux/arm64',
    ],
    ['the build archive', archive('/t/image.oci.tar'), 'oci-archive:/t/image.oci.tar', undefined],
    [
      'one platform of the archive',
      archive('/t/image.oci.tar', 'linux/amd64'),
      'oci-archive:/t/image.oci.tar',
      'linux/amd64',
    ],
  ])('%s: one run, JSON and CycloneDX to files', (_name, target, source, platform) => {
    const argv = grypeScanArgs({
      target,
      output: '/w/g.json',
      sbomOutput: '/w/sbom.json',
      configFile: '/w/grype.yaml',
    });
    const flags = parseGrype(argv);
    expect(flags.positionals).toEqual([source]);
    expect(flags.all('output')).toEqual(['json=/w/g.json', 'cyclonedx-json=/w/sbom.json']);
    expect(flags.all('config')).toEqual(['/w/grype.yaml']);
    expect(flags.get('platform')).toBe(platform);
    for (const flag of ['fail-on', 'only-fixed', 'ignore-states', 'vex']) expect(flags.has(flag)).toBe(false);
  });

  it('names sources with schemes the grype page lists', () => {
    const text = page('grype', []).text;
    expect(text).toContain('`registry:<ref>`');
    expect(text).toContain('`oci-archive:<path>`');
  });

  it('writes a config without ignore rules: the gate applies them itself', () => {
    expect(GRYPE_SCAN_CONFIG).not.toMatch(/ignore|only-fixed|fail-on/);
  });

  it('manages the DB with the subcommands the grype page names', () => {
    const text = page('grype', []).text;
    expect(text).toContain(`\`grype ${grypeDbUpdateArgs().join(' ')}\``);
    expect(text).toContain(`\`grype ${grypeDbStatusArgs().join(' ')}\``);
  });
});

describe('grypeEnv', () => {
  const text = readFileSync(join(cliDir, 'grype', 'grype.md'), 'utf8');

  it('scopes a login to its registry and allows plain HTTP, with the variables grype documents', () => {
    const env = grypeEnv({
      dbDir: '/cache/grype',
      insecureHttp: true,
      login: { registry: '127.0.0.1:5000', username: 'bot', password: 's3cret' },
    });
    expect(env).toMatchObject({
      GRYPE_DB_CACHE_DIR: '/cache/grype',
      GRYPE_DB_AUTO_UPDATE: 'false',
      GRYPE_REGISTRY_INSECURE_USE_HTTP: 'true',
      GRYPE_REGISTRY_AUTH_AUTHORITY: '127.0.0.1:5000',
      GRYPE_REGISTRY_AUTH_USERNAME: 'bot',
      GRYPE_REGISTRY_AUTH_PASSWORD: 's3cret',
    });
    for (const name of [
      'GRYPE_DB_CACHE_DIR',
      'GRYPE_REGISTRY_INSECURE_USE_HTTP',
      'GRYPE_REGISTRY_AUTH_AUTHORITY',
    ]) {
      expect(text).toContain(name);
    }
  });

  it('sets no registry variables without a login or an insecure registry', () => {
    const env = grypeEnv({ dbDir: '/d', insecureHttp: false });
    expect(Object.keys(env).filter((k) => k.startsWith('GRYPE_REGISTRY'))).toEqual([]);
  });
});

describe('targets', () => {
  it.each<[string, string]>([
    [`ghcr.io/acme/app@${DIGEST}`, 'ghcr.io'],
    [`127.0.0.1:5000/app@${DIGEST}`, '127.0.0.1:5000'],
    [`localhost/app:1`, 'localhost'],
    [`acme/app:1`, 'docker.io'],
    [`alpine`, 'docker.io'],
  ])('the registry of %s is %s', (ref, host) => {
    expect(registryHost(ref)).toBe(host);
  });

  it.each<[ScanTarget, boolean, boolean]>([
    [registry(`127.0.0.1:5000/app@${DIGEST}`), false, true],
    [registry(`127.3.4.5:5000/app@${DIGEST}`), false, true],
    [registry(`localhost:5000/app@${DIGEST}`), false, true],
    [registry(`ghcr.io/app@${DIGEST}`), false, false],
    [registry(`ghcr.io/app@${DIGEST}`), true, true],
    [archive('/a.tar'), false, false],
  ])('%j with insecure=%s is insecure: %s', (target, insecure, expected) => {
    expect(targetIsInsecure(target, insecure)).toBe(expected);
  });

  it('names files after platforms and keeps DBs apart per scanner', () => {
    expect(platformSlug('linux/arm64/v8')).toBe('linux-arm64-v8');
    expect(platformSlug(undefined)).toBe('image');
    expect(databaseDir('/opt/hostedtoolcache', 'trivy')).not.toBe(
      databaseDir('/opt/hostedtoolcache', 'grype'),
    );
    expect(databaseDir('/opt/hostedtoolcache', 'trivy').startsWith('/opt/hostedtoolcache/')).toBe(true);
  });
});
