#!/usr/bin/env node
// Stand-in for trivy: the flags of __tests__/fixtures/upstream/cli/trivy/*.md (TRIVY_* variables
// set flags too, as upstream), `trivy image` writing a real trivy report (a golden from trivy's own
// integration tests, re-labelled with the scanned image), `trivy convert` to SARIF / CycloneDX /
// cosign-vuln, `trivy version`, `trivy registry login`, and the vulnerability and Java DBs in --cache-dir
// (downloaded when missing or due, as trivy decides; the Java DB only for reports with JAR files).
import { Buffer } from 'node:buffer';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL, URLSearchParams } from 'node:url';
import { CliError, loadPage, parseArgs, splitSubcommand } from './lib/flags.mjs';
import { credentialsFor, headManifest, isLocalRegistry, parseReference } from './lib/oci.mjs';
import {
  toCosignVuln,
  toCycloneDx,
  toSarif,
  trivyFindings,
  trivyPackages,
  trivyTable,
} from './lib/reports.mjs';
import { runTool } from './lib/runtime.mjs';

const DEFAULT_REPORT = 'alpine-310.json.golden';
const FORMATS = [
  'table',
  'json',
  'template',
  'sarif',
  'cyclonedx',
  'spdx',
  'spdx-json',
  'github',
  'cosign-vuln',
];
const IMAGE_SOURCES = ['docker', 'containerd', 'podman', 'remote'];

function timestamp() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parse(argv, rt) {
  const hasPage = (words) => loadPage(rt.cliDir, 'trivy', words) !== undefined;
  // trivy.md is not among the fixtures: the root's flags are what every page lists as inherited.
  const versionPage = loadPage(rt.cliDir, 'trivy', ['version']);
  const rootFlags = new Map([...versionPage.flags].filter(([, spec]) => spec.inherited));
  const split = splitSubcommand(argv, rootFlags, hasPage);
  if (split.words.length === 0) {
    const flags = parseArgs(split.rest, rootFlags, { envPrefix: 'TRIVY' });
    if (split.first === undefined) {
      if (flags.bool('version')) return { command: 'version', flags, args: argv };
      return {
        command: 'help',
        flags,
        args: argv,
        help: true,
        usage: 'Usage:\n  trivy [global flags] command [flags] target\n',
      };
    }
    throw new CliError(
      `stand-in: no upstream reference page for "trivy ${split.first}" in __tests__/fixtures/upstream/cli/trivy; add it to use this subcommand`,
    );
  }
  const page = loadPage(rt.cliDir, 'trivy', split.words);
  const flags = parseArgs(split.rest, page.flags, { envPrefix: 'TRIVY' });
  const command = split.words.join(' ');
  const synopsis = /```\n(trivy[^\n]*)\n```/.exec(page.text)?.[1] ?? `trivy ${command} [flags]`;
  return {
    command,
    flags,
    args: split.rest,
    help: flags.bool('help'),
    usage: `Usage:\n  ${synopsis}\n`,
    readsStdin: command === 'registry login' && flags.bool('password-stdin'),
    stdinIsSecret: true,
  };
}

// trivy logs a fatal error through its logger (after cobra's usage, for flag errors).
function fail(rt, message, invocation) {
  if (!invocation) rt.err('Usage:\n  trivy [global flags] command [flags] target\n\n');
  rt.err(`${timestamp()}\tFATAL\tFatal error\t${message}\n`);
}

function info(rt, inv, message) {
  if (!inv.flags.bool('quiet')) rt.err(`${timestamp()}\tINFO\t${message}\n`);
}

function cacheDir(inv) {
  return inv.flags.get('cache-dir') ?? join(homedir(), '.cache', 'trivy');
}

// The two DBs trivy keeps in its cache dir: the vulnerability DB (pkg/db) and the Java index DB (pkg/javadb),
// each a file beside a metadata.json.
const DBS = {
  vuln: {
    dir: 'db',
    file: 'trivy.db',
    schema: 2,
    skipFlag: 'skip-db-update',
    repoFlag: 'db-repository',
    defaultRepo: 'mirror.gcr.io/aquasec/trivy-db:2',
    freshFor: 86400000,
  },
  java: {
    dir: 'java-db',
    file: 'trivy-java.db',
    schema: 1,
    skipFlag: 'skip-java-db-update',
    repoFlag: 'java-db-repository',
    defaultRepo: 'mirror.gcr.io/aquasec/trivy-java-db:1',
    // "The Java DB is cached for 3 days."
    freshFor: 3 * 86400000,
  },
};

function dbMetadataPath(inv, db = DBS.vuln) {
  return join(cacheDir(inv), db.dir, 'metadata.json');
}

function readMetadata(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Whether trivy downloads a DB it has (pkg/db NeedsUpdate, pkg/javadb Update): a schema other than its own, or
 * NextUpdate passed; the vulnerability DB is also left alone for an hour after a download.
 */
function isCurrent(meta, db) {
  if (meta.Version !== db.schema) return false;
  const now = Date.now();
  if (now < Date.parse(meta.NextUpdate ?? '')) return true;
  return db === DBS.vuln && now < Date.parse(meta.DownloadedAt ?? '') + 3600000;
}

function firstRunError(db) {
  return db === DBS.vuln
    ? 'init error: DB error: failed to download vulnerability DB: database download error: --skip-db-update cannot be specified on the first run'
    : "Java DB update failed: '--skip-java-db-update' cannot be specified on the first run";
}

function ensureDb(inv, rt, db = DBS.vuln) {
  // Only an explicit cache dir is written: the default one is the real user's.
  if (!inv.flags.has('cache-dir')) return;
  const path = dbMetadataPath(inv, db);
  const meta = readMetadata(path);
  if (meta === undefined && inv.flags.bool(db.skipFlag)) {
    if (db === DBS.java) rt.err(`${timestamp()}\tERROR\tThe first run cannot skip downloading Java DB\n`);
    throw new CliError(firstRunError(db));
  }
  if (meta !== undefined && (inv.flags.bool(db.skipFlag) || isCurrent(meta, db))) return;
  const repo = inv.flags.all(db.repoFlag)[0] ?? db.defaultRepo;
  if (db === DBS.vuln) {
    info(rt, inv, '[vulndb] Need to update DB');
    info(rt, inv, `[vulndb] Downloading vulnerability DB...`);
    info(rt, inv, `[vulndb] Downloading artifact...\trepo="${repo}"`);
  } else {
    info(rt, inv, `Java DB Repository: ${repo}`);
    info(rt, inv, 'Downloading the Java DB...');
  }
  mkdirSync(dirname(path), { recursive: true });
  const now = new Date();
  writeFileSync(join(dirname(path), db.file), `stand-in ${db.file} from ${repo}\n`);
  writeFileSync(
    path,
    JSON.stringify({
      Version: db.schema,
      NextUpdate: new Date(now.getTime() + db.freshFor).toISOString(),
      UpdatedAt: now.toISOString(),
      DownloadedAt: now.toISOString(),
    }),
  );
}

/** trivy needs its Java DB for JAR files (Results of type `jar`), when it scans for vulnerabilities or makes an SBOM. */
function needsJavaDb(inv, report, format) {
  const scanners = inv.flags.has('scanners') ? inv.flags.all('scanners') : ['vuln', 'secret'];
  const sbom = ['cyclonedx', 'spdx', 'spdx-json'].includes(format);
  return (scanners.includes('vuln') || sbom) && (report.Results ?? []).some((r) => r.Type === 'jar');
}

function version(inv, rt) {
  const metaPath = dbMetadataPath(inv);
  const db = existsSync(metaPath) ? JSON.parse(readFileSync(metaPath, 'utf8')) : undefined;
  if (inv.flags.get('format') === 'json') {
    rt.out(JSON.stringify({ Version: rt.version, ...(db ? { VulnerabilityDB: db } : {}) }) + '\n');
    return 0;
  }
  let text = `Version: ${rt.version}\n`;
  if (db) {
    text += `Vulnerability DB:\n  Version: ${db.Version}\n  UpdatedAt: ${db.UpdatedAt}\n  NextUpdate: ${db.NextUpdate}\n  DownloadedAt: ${db.DownloadedAt}\n`;
  }
  rt.out(text);
  return 0;
}

function ignoredIds(path) {
  if (!path || !existsSync(path)) return new Set();
  const text = readFileSync(path, 'utf8');
  if (/\.ya?ml$/.test(path))
    return new Set([...text.matchAll(/-\s*id:\s*["']?([\w.:-]+)/g)].map((m) => m[1]));
  return new Set(
    text
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim().split(/\s+/)[0])
      .filter((id) => id),
  );
}

/** trivy's filters on a report: severities, unfixed, statuses, the ignore file, scanners. */
function filterReport(report, inv) {
  const severities = new Set(inv.flags.all('severity').map((s) => s.toUpperCase()));
  const statuses = new Set(inv.flags.all('ignore-status'));
  const ignored = ignoredIds(inv.flags.get('ignorefile', '.trivyignore'));
  const scanners = inv.flags.has('scanners') ? inv.flags.all('scanners') : ['vuln', 'secret'];
  for (const result of report.Results ?? []) {
    if (!result.Vulnerabilities) continue;
    if (!scanners.includes('vuln')) {
      delete result.Vulnerabilities;
      continue;
    }
    result.Vulnerabilities = result.Vulnerabilities.filter(
      (v) =>
        (severities.size === 0 || severities.has(v.Severity)) &&
        !(inv.flags.bool('ignore-unfixed') && !v.FixedVersion) &&
        !statuses.has(v.Status) &&
        !ignored.has(v.VulnerabilityID),
    );
  }
  return report;
}

function render(format, report, rt) {
  const findings = () => trivyFindings(report);
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'table':
      return trivyTable(report);
    case 'sarif':
      return (
        JSON.stringify(
          toSarif({
            tool: 'Trivy',
            fullName: 'Trivy Vulnerability Scanner',
            informationUri: 'https://github.com/aquasecurity/trivy',
            version: rt.version,
            artifactName: report.ArtifactName,
            findings: findings(),
            properties: {
              imageID: report.Metadata?.ImageID,
              imageName: report.ArtifactName,
              repoDigests: report.Metadata?.RepoDigests ?? null,
              repoTags: report.Metadata?.RepoTags ?? null,
            },
          }),
          null,
          2,
        ) + '\n'
      );
    case 'cyclonedx': {
      // trivy names an image pkg:oci/<last path segment>@<digest>?arch=…&repository_url=<repository>.
      const [repository, digest] = report.Metadata?.RepoDigests?.[0]?.split('@') ?? [];
      const name = repository?.split('/').pop();
      const arch = report.Metadata?.ImageConfig?.architecture;
      const qualifiers = new URLSearchParams({
        ...(arch ? { arch } : {}),
        ...(repository ? { repository_url: repository } : {}),
      });
      return (
        JSON.stringify(
          toCycloneDx({
            toolGroup: 'aquasecurity',
            tool: 'trivy',
            version: rt.version,
            artifactName: report.ArtifactName,
            artifactPurl: digest ? `pkg:oci/${name}@${encodeURIComponent(digest)}?${qualifiers}` : undefined,
            os: report.Metadata?.OS,
            packages: trivyPackages(report),
            findings: findings(),
          }),
          null,
          2,
        ) + '\n'
      );
    }
    case 'cosign-vuln':
      return JSON.stringify(toCosignVuln({ version: rt.version, report }), null, 2) + '\n';
    default:
      throw new CliError(`stand-in trivy: the "${format}" format is not implemented`);
  }
}

function checkFormat(inv) {
  const format = inv.flags.get('format', 'table');
  if (!FORMATS.includes(format))
    throw new CliError(`flag error: report flag error: unknown format: ${format}`);
  return format;
}

function write(inv, rt, text) {
  const output = inv.flags.get('output');
  if (output) writeFileSync(output, text);
  else rt.out(text);
}

function vulnerabilityCount(report) {
  return (report.Results ?? []).reduce((n, r) => n + (r.Vulnerabilities?.length ?? 0), 0);
}

async function image(inv, rt, rule) {
  const f = inv.flags;
  const format = checkFormat(inv);
  const target = f.positionals[0];
  const input = f.get('input');
  if (f.positionals.length > 1)
    throw new CliError(`accepts at most 1 arg(s), received ${f.positionals.length}`);
  if (f.bool('download-java-db-only')) {
    ensureDb(inv, rt, DBS.java);
    return 0;
  }
  if (f.bool('download-db-only')) {
    ensureDb(inv, rt);
    return 0;
  }
  if (target === undefined && input === undefined)
    throw new CliError('trivy image requires at least 1 argument or --input option');
  if (input !== undefined && !existsSync(input)) {
    throw new CliError(
      `image scan error: scan error: unable to initialize a scan service: unable to initialize an image scan service: unable to open ${input} as a Docker image: open ${input}: no such file or directory`,
    );
  }
  const sources = f.has('image-src') ? f.all('image-src') : IMAGE_SOURCES;
  for (const source of sources) {
    if (!IMAGE_SOURCES.includes(source))
      throw new CliError(`flag error: image flag error: unknown image source: ${source}`);
  }
  ensureDb(inv, rt);
  info(rt, inv, '[vuln] Vulnerability scanning is enabled');
  let digest;
  if (input === undefined) {
    const ref = parseReference(target);
    const notFound = (why) =>
      new CliError(
        `image scan error: scan error: unable to initialize a scan service: unable to initialize an image scan service: unable to find the specified image "${target}" in ${JSON.stringify(sources)}: ${why}`,
      );
    if (!sources.includes('remote')) {
      throw notFound(
        `${sources.length} errors occurred:\n\t* ${sources.map((s) => `${s} error: no ${s} daemon on this machine`).join('\n\t* ')}`,
      );
    }
    if (isLocalRegistry(ref.registry)) {
      const explicit = f.has('username')
        ? { username: f.get('username'), password: f.get('password') ?? '' }
        : undefined;
      const head = await headManifest(ref, credentialsFor(ref.registry, explicit));
      if (head.missing) throw notFound(`remote error: ${head.missing}`);
      digest = head.digest;
    }
  }
  const fixture = rt.fixture(rule?.report ?? rt.scenario.report ?? DEFAULT_REPORT);
  const report = JSON.parse(readFileSync(fixture, 'utf8'));
  const artifact = input ?? target;
  const before = report.ArtifactName;
  report.CreatedAt = new Date().toISOString();
  report.Trivy = { ...(report.Trivy ?? {}), Version: rt.version };
  report.ArtifactName = artifact;
  report.ArtifactType = 'container_image';
  for (const result of report.Results ?? []) {
    if (before && result.Target?.startsWith(before))
      result.Target = artifact + result.Target.slice(before.length);
  }
  if (report.Metadata && input === undefined) {
    const ref = parseReference(target);
    const repo = ref.input.replace(/[@].*$/, '').replace(/:[^:/]+$/, '');
    report.Metadata.RepoTags = ref.input.includes('@') ? [] : [`${repo}:${ref.tag}`];
    report.Metadata.RepoDigests = digest || ref.digest ? [`${repo}@${ref.digest ?? digest}`] : [];
    report.Metadata.Reference = target;
  }
  if (needsJavaDb(inv, report, format)) {
    try {
      ensureDb(inv, rt, DBS.java);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      throw new CliError(
        `image scan error: scan error: scan failed: failed analysis: post analysis error: Unable to initialize the Java DB: ${error.message}`,
      );
    }
  }
  filterReport(report, inv);
  if (report.Metadata?.OS)
    info(rt, inv, `Detected OS\tfamily="${report.Metadata.OS.Family}" version="${report.Metadata.OS.Name}"`);
  write(inv, rt, render(format, report, rt));
  const exitCode = Number(f.get('exit-code', '0'));
  return exitCode !== 0 && vulnerabilityCount(report) > 0 ? exitCode : 0;
}

function convert(inv, rt) {
  const f = inv.flags;
  const format = checkFormat(inv);
  if (f.positionals.length !== 1) throw new CliError(`accepts 1 arg(s), received ${f.positionals.length}`);
  const path = f.positionals[0];
  if (!existsSync(path))
    throw new CliError(`failed to open the report: open ${path}: no such file or directory`);
  let report;
  try {
    report = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`failed to decode the report: ${error.message}`);
  }
  if (report.SchemaVersion !== 2) throw new CliError(`unsupported schema version: ${report.SchemaVersion}`);
  filterReport(report, inv);
  write(inv, rt, render(format, report, rt));
  const exitCode = Number(f.get('exit-code', '0'));
  return exitCode !== 0 && vulnerabilityCount(report) > 0 ? exitCode : 0;
}

function registryLogin(inv, rt) {
  const f = inv.flags;
  if (f.positionals.length !== 1) throw new CliError(`accepts 1 arg(s), received ${f.positionals.length}`);
  const server = f.positionals[0];
  const username = f.all('username')[0];
  const password = f.bool('password-stdin') ? (inv.stdin ?? '').replace(/\r?\n$/, '') : f.all('password')[0];
  if (!username || password === undefined) throw new CliError('username and password required');
  const configDir = process.env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  const configPath = join(configDir, 'config.json');
  const config = existsSync(configPath) ? JSON.parse(readFileSync(configPath, 'utf8')) : {};
  config.auths = {
    ...(config.auths ?? {}),
    [server]: { auth: Buffer.from(`${username}:${password}`).toString('base64') },
  };
  mkdirSync(configDir, { recursive: true });
  writeFileSync(configPath, JSON.stringify(config, null, '\t'), { mode: 0o600 });
  info(rt, inv, `Login succeeded\tregistry="${server}"`);
  return 0;
}

export const spec = {
  tool: 'trivy',
  parse,
  fail,
  handlers: {
    version,
    image,
    convert,
    'registry login': registryLogin,
  },
};

export function main(config) {
  return runTool(spec, config);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main({});
