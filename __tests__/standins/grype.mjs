#!/usr/bin/env node
// Stand-in for grype: the root flags transcribed in __tests__/fixtures/upstream/cli/grype/grype.md,
// `grype <source>` writing a real grype report (one of grype's own test outputs, re-labelled with
// the scanned source) in the -o formats, --fail-on exiting 2, and `grype version` / `grype db …`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError, loadPage, parseArgs } from './lib/flags.mjs';
import { credentialsFor, headManifest, isLocalRegistry, parseReference } from './lib/oci.mjs';
import { grypeFindings, grypeTable, severityRank, toCycloneDx, toSarif } from './lib/reports.mjs';
import { runTool, sha256Hex } from './lib/runtime.mjs';

const DEFAULT_REPORT = 'chainguard-ruby-test.json';
const FAIL_ON = ['negligible', 'low', 'medium', 'high', 'critical'];
const SCHEMES = [
  'registry',
  'docker',
  'podman',
  'containerd',
  'docker-archive',
  'oci-archive',
  'oci-dir',
  'singularity',
  'dir',
  'file',
  'sbom',
];

// grype.md transcribes the root command only. The few subcommands the project may call take these
// flags upstream (cmd/grype/cli/commands/{version,db_*}.go), plus clio's persistent root flags.
function subcommandFlags(rootFlags) {
  const persistent = ['config', 'quiet', 'verbose'].map((name) => rootFlags.get(name));
  const table = new Map(persistent.map((spec) => [spec.long, spec]));
  table.set('help', { long: 'help', short: 'h', type: 'bool', kind: 'bool' });
  table.set('output', { long: 'output', short: 'o', type: 'string', kind: 'value' });
  return table;
}

function parse(argv, rt) {
  const page = loadPage(rt.cliDir, 'grype', []);
  if (!page) throw new Error(`stand-in grype: ${rt.cliDir}/grype/grype.md is missing`);
  const firstPositional = argv.find((a) => !a.startsWith('-'));
  if (firstPositional === 'version' || firstPositional === 'db') {
    const rest = [...argv];
    rest.splice(rest.indexOf(firstPositional), 1);
    let command = firstPositional;
    if (command === 'db') {
      const sub = rest.find((a) => !a.startsWith('-'));
      if (!['update', 'status', 'check'].includes(sub ?? '')) {
        throw new CliError(
          `stand-in grype: "grype db ${sub ?? ''}" is not implemented (update, status, check are)`,
        );
      }
      rest.splice(rest.indexOf(sub), 1);
      command = `db ${sub}`;
    }
    const flags = parseArgs(rest, subcommandFlags(page.flags));
    if (flags.positionals.length)
      throw new CliError(`unknown command "${flags.positionals[0]}" for "grype ${command}"`);
    return {
      command,
      flags,
      args: rest,
      help: flags.bool('help'),
      usage: `Usage:\n  grype ${command} [flags]\n`,
    };
  }
  const flags = parseArgs(argv, page.flags);
  if (flags.bool('version')) return { command: 'version', flags, args: argv, short: true };
  return {
    command: 'scan',
    flags,
    args: argv,
    help: flags.bool('help'),
    usage: 'Usage:\n  grype [IMAGE] [flags]\n',
  };
}

function fail(rt, message, invocation) {
  rt.err(invocation ? `[0000] ERROR ${message}\n` : `Error: ${message}\n`);
}

function version(inv, rt) {
  if (inv.short) {
    rt.out(`grype ${rt.version}\n`);
    return 0;
  }
  const info = {
    application: 'grype',
    buildDate: '2025-11-04T15:10:42Z',
    compiler: 'gc',
    gitCommit: sha256Hex(rt.version).slice(0, 40),
    gitDescription: `v${rt.version}`,
    goVersion: 'go1.25.3',
    platform: `linux/${arch() === 'x64' ? 'amd64' : arch()}`,
    supportedDbSchema: 6,
    syftVersion: 'v1.36.0',
    version: rt.version,
  };
  if (inv.flags.get('output') === 'json') {
    rt.out(JSON.stringify(info, null, ' ') + '\n');
    return 0;
  }
  rt.out(
    [
      `Application:         ${info.application}`,
      `Version:             ${info.version}`,
      `BuildDate:           ${info.buildDate}`,
      `GitCommit:           ${info.gitCommit}`,
      `GitDescription:      ${info.gitDescription}`,
      `Platform:            ${info.platform}`,
      `GoVersion:           ${info.goVersion}`,
      `Compiler:            ${info.compiler}`,
      `Syft Version:        ${info.syftVersion}`,
      `Supported DB Schema: ${info.supportedDbSchema}`,
      '',
    ].join('\n'),
  );
  return 0;
}

function dbPath() {
  const dir = process.env.GRYPE_DB_CACHE_DIR;
  return dir ? join(dir, '6', 'vulnerability.db') : undefined;
}

function dbUpdate(inv, rt) {
  const path = dbPath();
  if (path && !existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'stand-in grype vulnerability database\n');
  }
  rt.out('Vulnerability database updated to latest version!\n');
  return 0;
}

function dbStatus(inv, rt) {
  const path = dbPath() ?? '~/.cache/grype/db/6/vulnerability.db';
  const valid = dbPath() === undefined || existsSync(path);
  const status = {
    schemaVersion: 'v6.1.2',
    from: 'https://grype.anchore.io/databases/v6/vulnerability-db_v6.1.2_2025-11-20T00:34:08Z_1763613262.tar.zst',
    built: '2025-11-20T00:34:08Z',
    path,
    valid,
    error: valid ? '' : 'database does not exist',
  };
  if (inv.flags.get('output') === 'json') rt.out(JSON.stringify(status, null, ' ') + '\n');
  else
    rt.out(
      `Path:      ${status.path}\nSchema:    ${status.schemaVersion}\nBuilt:     ${status.built}\nFrom:      ${status.from}\nStatus:    ${valid ? 'valid' : 'invalid'}\n`,
    );
  return valid ? 0 : 1;
}

function dbCheck(inv, rt) {
  rt.out(inv.flags.get('output') === 'json' ? '{"updateAvailable":false}\n' : 'No update available\n');
  return 0;
}

/** grype's ignore rules from -c config files (`ignore: [{vulnerability: …}]`). */
function configIgnores(inv) {
  const ids = new Set();
  for (const path of inv.flags.all('config')) {
    if (!existsSync(path))
      throw new CliError(`unable to load config: open ${path}: no such file or directory`);
    for (const match of readFileSync(path, 'utf8').matchAll(/vulnerability:\s*["']?([\w.:-]+)/g))
      ids.add(match[1]);
  }
  return ids;
}

async function resolveSource(inv, source) {
  const scheme = /^([a-z-]+):(?!\/\/)(.*)$/.exec(source);
  const from = inv.flags.all('from');
  const kind = scheme && SCHEMES.includes(scheme[1]) ? scheme[1] : undefined;
  const rest = kind ? scheme[2] : source;
  const notFound = (why) => new CliError(`failed to catalog: could not fetch image "${rest}": ${why}`);
  if (['docker-archive', 'oci-archive', 'oci-dir', 'dir', 'file', 'sbom', 'singularity'].includes(kind)) {
    if (!existsSync(rest))
      throw new CliError(`failed to catalog: unable to load source: open ${rest}: no such file or directory`);
    return { userInput: rest };
  }
  const daemon = kind ?? (from.length && !from.includes('registry') ? from[0] : undefined);
  if (daemon && daemon !== 'registry') {
    throw notFound(`unable to use ${daemon} source: cannot connect to the ${daemon} daemon on this machine`);
  }
  const ref = parseReference(rest);
  if (isLocalRegistry(ref.registry)) {
    const username = process.env.GRYPE_REGISTRY_AUTH_USERNAME;
    const explicit =
      username !== undefined
        ? { username, password: process.env.GRYPE_REGISTRY_AUTH_PASSWORD ?? '' }
        : undefined;
    const head = await headManifest(ref, credentialsFor(ref.registry, explicit));
    if (head.missing) throw notFound(head.missing);
    return { userInput: rest, digest: head.digest, mediaType: head.mediaType, ref };
  }
  return { userInput: rest, ref };
}

function render(format, report, rt) {
  const findings = () => grypeFindings(report);
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 1) + '\n';
    case 'table':
      return grypeTable(report);
    case 'sarif':
      return (
        JSON.stringify(
          toSarif({
            tool: 'Grype',
            fullName: 'Grype Vulnerability Scanner',
            informationUri: 'https://github.com/anchore/grype',
            version: rt.version,
            artifactName: report.source?.target?.userInput ?? '',
            findings: findings(),
          }),
          null,
          2,
        ) + '\n'
      );
    case 'cyclonedx-json':
      return (
        JSON.stringify(
          toCycloneDx({
            toolGroup: 'anchore',
            tool: 'grype',
            version: rt.version,
            artifactName: report.source?.target?.userInput ?? '',
            packages: (report.matches ?? []).map((m) => ({
              name: m.artifact.name,
              version: m.artifact.version,
              purl: m.artifact.purl,
              type: m.artifact.type,
            })),
            findings: findings(),
          }),
          null,
          2,
        ) + '\n'
      );
    default:
      throw new CliError(`stand-in grype: the "${format}" output format is not implemented`);
  }
}

async function scan(inv, rt, rule) {
  const f = inv.flags;
  if (f.positionals.length === 0) throw new CliError('an image/directory argument is required');
  if (f.positionals.length > 1)
    throw new CliError(`accepts at most 1 arg(s), received ${f.positionals.length}`);
  const failOn = f.get('fail-on');
  if (failOn !== undefined && !FAIL_ON.includes(failOn.toLowerCase())) {
    throw new CliError(`invalid configuration: bad --fail-on severity value '${failOn}'`);
  }
  const ignores = configIgnores(inv);
  const source = await resolveSource(inv, f.positionals[0]);
  const fixture = rt.fixture(rule?.report ?? rt.scenario.report ?? DEFAULT_REPORT);
  const report = JSON.parse(readFileSync(fixture, 'utf8'));
  report.source = report.source ?? { type: 'image', target: {} };
  report.source.target = { ...report.source.target, userInput: source.userInput };
  if (source.ref)
    report.source.target.tags = source.ref.tag
      ? [`${source.ref.registry}/${source.ref.repository}:${source.ref.tag}`]
      : [];
  if (source.digest) {
    report.source.target.manifestDigest = source.digest;
    report.source.target.repoDigests = [`${source.ref.registry}/${source.ref.repository}@${source.digest}`];
  }
  report.descriptor = {
    ...(report.descriptor ?? {}),
    name: 'grype',
    version: rt.version,
    timestamp: new Date().toISOString(),
  };
  const states = new Set((f.get('ignore-states') ?? '').split(',').filter(Boolean));
  const kept = [];
  const ignored = [...(report.ignoredMatches ?? [])];
  for (const match of report.matches ?? []) {
    const state = match.vulnerability.fix?.state ?? 'unknown';
    const drop =
      (f.bool('only-fixed') && state !== 'fixed') ||
      (f.bool('only-notfixed') && state === 'fixed') ||
      states.has(state) ||
      ignores.has(match.vulnerability.id);
    if (!drop) kept.push(match);
    else if (ignores.has(match.vulnerability.id))
      ignored.push({ ...match, appliedIgnoreRules: [{ vulnerability: match.vulnerability.id }] });
  }
  report.matches = kept;
  if (ignored.length) report.ignoredMatches = ignored;

  const outputs = f.all('output');
  const specs = outputs.length ? outputs : ['table'];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const format = eq === -1 ? spec : spec.slice(0, eq);
    const file = eq === -1 ? f.get('file') : spec.slice(eq + 1);
    const text = render(format, report, rt);
    if (file) writeFileSync(file, text);
    else rt.out(text);
  }
  if (failOn !== undefined) {
    const threshold = severityRank(failOn);
    if (kept.some((m) => severityRank(m.vulnerability.severity) >= threshold)) {
      rt.err('1 error occurred:\n\t* discovered vulnerabilities at or above the severity threshold\n\n');
      return 2;
    }
  }
  return 0;
}

export const spec = {
  tool: 'grype',
  parse,
  fail,
  handlers: {
    version,
    scan,
    'db update': dbUpdate,
    'db status': dbStatus,
    'db check': dbCheck,
  },
};

export function main(config) {
  return runTool(spec, config);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main({});
