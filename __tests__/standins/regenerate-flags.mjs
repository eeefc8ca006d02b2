#!/usr/bin/env node
// Regenerates the stand-ins' flag tables from the real binaries of the pinned versions, so a stand-in accepts exactly
// what the real tool accepts: `node __tests__/standins/regenerate-flags.mjs [bin dir] [tool…]` (bin dir: the last
// line of scripts/install-real-tools.sh). For each upstream reference page in __tests__/fixtures/upstream/cli/<tool>/
// it writes __tests__/fixtures/upstream/cli-real/<tool>/<same name>: the page with its Options blocks replaced by
// the flags `<tool> <subcommand> --help` lists, plus the deprecated or hidden flags the tool's source marks
// (MarkDeprecated, MarkHidden) that the binary still takes, which neither the reference pages nor --help show.
// A flag's type is the one --help prints (cobra's table), else the upstream page's, else what the binary says when
// given a value of the wrong kind.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlagTable } from './lib/flags.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const upstream = join(root, '__tests__', 'fixtures', 'upstream', 'cli');
const out = join(root, '__tests__', 'fixtures', 'upstream', 'cli-real');
const [binArg, ...only] = process.argv.slice(2);
const bin =
  binArg ??
  execFileSync('bash', [join(root, 'scripts', 'install-real-tools.sh'), '--no-build'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();

// The version of each binary, from the build information `go install` put in it (its main module's version).
const versions = new Map();
const version = (tool) => {
  if (!versions.has(tool)) {
    const info = execFileSync('go', ['version', '-m', join(bin, tool)], { encoding: 'utf8' });
    versions.set(tool, /^\s+mod\s+\S+\s+v(\S+)/m.exec(info)?.[1]);
  }
  return versions.get(tool);
};
const MODULES = {
  cosign: { module: 'github.com/sigstore/cosign/v3', sources: ['cmd/cosign/cli'] },
  trivy: { module: 'github.com/aquasecurity/trivy', sources: ['pkg/flag', 'pkg/commands'] },
  grype: { module: 'github.com/anchore/grype', sources: ['cmd/grype/cli'] },
};

const home = mkdtempSync(join(tmpdir(), 'secure-image-flags-'));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, NO_COLOR: '1' };
const run = (tool, args) => spawnSync(join(bin, tool), args, { env, encoding: 'utf8', timeout: 60_000 });

/** Flags of `--help`: cobra's table (`-o, --output string   text`) or cosign's (`-o, --output='':`). */
function helpFlags(text) {
  const flags = new Map();
  let section = '';
  let pending;
  for (const line of text.split('\n')) {
    // Headings: `Flags:` and `Global Flags:` (cobra), or trivy's groups (`Scan Flags`, `Report Flags`, …).
    if (/^\S/.test(line)) {
      section = /^Global Flags:?\s*$/.test(line)
        ? 'inherited'
        : /^([\w/]+ )?Flags:?\s*$/.test(line)
          ? 'own'
          : '';
      continue;
    }
    if (!section) continue;
    const cosignStyle = /^\s+(?:-([A-Za-z0-9]), )?--([A-Za-z0-9][A-Za-z0-9._-]*)=(.*):\s*$/.exec(line);
    if (cosignStyle) {
      const [, short, long, fallback] = cosignStyle;
      pending = { long, short, fallback, inherited: section === 'inherited' };
      flags.set(long, pending);
      continue;
    }
    if (pending && line.startsWith('\t')) {
      pending.description = line.trim();
      pending = undefined;
      continue;
    }
    const cobra =
      /^\s+(?:-([A-Za-z0-9]), )?--([A-Za-z0-9][A-Za-z0-9._-]*)(?: ([A-Za-z][A-Za-z0-9.]*))?(?:\s{2,}|\s*$)/.exec(
        line,
      );
    if (cobra) {
      const [, short, long, type] = cobra;
      const description = line.slice(cobra[0].length).trim();
      flags.set(long, { long, short, type: type ?? 'bool', description, inherited: section === 'inherited' });
    }
  }
  return flags;
}

/** What the binary says of `--name=<wrong kind of value>`: pflag names the conversion that failed. */
function probeType(tool, words, long) {
  const said = run(tool, [...words, `--${long}=not-a-value`, '--help']);
  const text = `${said.stdout}${said.stderr}`;
  if (said.status === 0) return 'string';
  if (/unknown flag/.test(text)) return undefined;
  if (/ParseBool/.test(text)) return 'bool';
  if (/ParseInt|ParseUint/.test(text)) return 'int';
  if (/ParseFloat/.test(text)) return 'float';
  if (/time: invalid duration/.test(text)) return 'duration';
  return 'string';
}

function inferType(fallback) {
  if (fallback === 'false' || fallback === 'true') return 'bool';
  if (fallback.startsWith('[')) return 'strings';
  if (/^-?\d+$/.test(fallback)) return 'int';
  if (/^\d+(\.\d+)?(ns|us|ms|s|m|h)/.test(fallback)) return 'duration';
  return 'string';
}

/** The tool's source in the module cache (where `go install` fetched it). */
function sourceDir(tool) {
  const gomodcache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  return join(gomodcache, `${MODULES[tool].module.toLowerCase()}@v${version(tool)}`);
}

/**
 * Other names pflag takes for a flag: cosign normalises `--cert` to `--certificate` and the like
 * (`normalizeCertificateFlags` in cmd/cosign/cli/commands.go), so the binary takes both.
 */
function aliases(tool) {
  const found = new Map();
  if (tool !== 'cosign') return found;
  const text = readFileSync(join(sourceDir(tool), 'cmd', 'cosign', 'cli', 'commands.go'), 'utf8');
  const normalize = /func normalizeCertificateFlags[\s\S]*?\n}/.exec(text)?.[0] ?? '';
  for (const m of normalize.matchAll(/case "([a-z-]+)":\s*name = "([a-z-]+)"/g)) found.set(m[1], m[2]);
  return found;
}

/** Flag names the tool's source hides (deprecated or hidden): candidates, each checked against the binary. */
function hiddenCandidates(tool) {
  const { sources } = MODULES[tool];
  const dir = sourceDir(tool);
  const names = new Set();
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.go') && !entry.name.endsWith('_test.go')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/Mark(?:Deprecated|Hidden)\("([a-z0-9-]+)"/g))
          names.add(m[1]);
      }
    }
  };
  for (const s of sources) walk(join(dir, s));
  return names;
}

function line({ long, short, type, description, hidden }) {
  const name = `${short ? `-${short}, ` : '    '}--${long}${type === 'bool' ? '' : ` ${type}`}`;
  return `  ${name}   ${description || (hidden ? '(not in --help: deprecated or hidden, still taken)' : '')}`.trimEnd();
}

function regenerate(tool) {
  const hidden = hiddenCandidates(tool);
  const pages = readdirSync(join(upstream, tool)).filter((f) => f.startsWith(tool) && f.endsWith('.md'));
  mkdirSync(join(out, tool), { recursive: true });
  for (const file of pages) {
    const words = file === `${tool}.md` ? [] : file.slice(tool.length + 1, -3).split('_');
    const text = readFileSync(join(upstream, tool, file), 'utf8');
    const documented = parseFlagTable(text);
    const help = run(tool, [...words, '--help']);
    if (help.status !== 0) throw new Error(`${tool} ${words.join(' ')} --help: ${help.stderr}`);
    const flags = helpFlags(help.stdout);
    for (const f of flags.values()) {
      f.type ??= documented.get(f.long)?.type ?? inferType(f.fallback);
    }
    for (const long of hidden) {
      if (flags.has(long)) continue;
      const type = probeType(tool, words, long);
      if (type) flags.set(long, { long, type, inherited: false, hidden: true });
    }
    // cobra gives every command -h/--help, whether or not its help lists it (trivy's grouped help does not).
    if (!flags.has('help')) flags.set('help', { long: 'help', short: 'h', type: 'bool', inherited: false });
    for (const [alias, target] of aliases(tool)) {
      const spec = flags.get(target);
      if (spec && !flags.has(alias))
        flags.set(alias, { ...spec, long: alias, short: undefined, alias: target });
    }
    const own = [...flags.values()].filter((f) => !f.inherited).sort((a, b) => a.long.localeCompare(b.long));
    const inherited = [...flags.values()]
      .filter((f) => f.inherited)
      .sort((a, b) => a.long.localeCompare(b.long));
    const block = (list) => ['```', ...list.map(line), '```'].join('\n');
    let body = text
      .replace(/(### Options inherited from parent commands\n\n)```\n[\s\S]*?```/, `$1${block(inherited)}`)
      .replace(/(### Options\n\n)```\n[\s\S]*?```/, `$1${block(own)}`);
    if (!/### Options\n/.test(text)) body += `\n### Options\n\n${block(own)}\n`;
    if (inherited.length > 0 && !/### Options inherited/.test(text))
      body += `\n### Options inherited from parent commands\n\n${block(inherited)}\n`;
    const hiddenNames = own.filter((f) => f.hidden).map((f) => `--${f.long}`);
    const header = `<!-- Generated by __tests__/standins/regenerate-flags.mjs from \`${tool} ${[...words, '--help'].join(' ')}\` of ${tool} ${version(tool)}${hiddenNames.length ? `; hidden flags the binary takes: ${hiddenNames.join(', ')}` : ''}. Do not edit. -->\n\n`;
    writeFileSync(join(out, tool, file), header + body);
    console.log(
      `${tool}/${file}: ${own.length} flags${hiddenNames.length ? ` (${hiddenNames.length} hidden)` : ''}, ${inherited.length} inherited`,
    );
  }
}

try {
  for (const tool of only.length ? only : Object.keys(MODULES)) regenerate(tool);
} finally {
  rmSync(home, { recursive: true, force: true });
}
