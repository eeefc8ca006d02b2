// The contract of a stand-in's command line: the flag tables of the upstream reference pages in
// __tests__/fixtures/upstream/cli/, read at run time, and argv parsed the way spf13/pflag (cobra)
// parses it. A flag that the page of the subcommand does not list is an error, as it is upstream.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** An error the tool reports on its own (bad flag, missing argument, failed check). */
export class CliError extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

// Lines of a cobra flag table: `  -o, --output string   description` or `      --yes   description`.
// A single space separates the flag from its value type; two or more start the description.
const FLAG_LINE =
  /^\s+(?:-([A-Za-z0-9]), )?--([A-Za-z0-9][A-Za-z0-9._-]*)(?: ([A-Za-z][A-Za-z0-9.]*))?(?:\s{2,}|\s*$)/;

/**
 * Reads the flag tables of one reference page: the `### Options` section and the
 * `### Options inherited from parent commands` section, each the first fenced block after it.
 * Returns a map from long name to `{ long, short, type, kind, inherited }` where kind is one of
 * bool | count | list (comma-split, repeatable) | array (repeatable) | value.
 */
export function parseFlagTable(markdown) {
  const flags = new Map();
  const lines = markdown.split('\n');
  let inSection = false;
  let inherited = false;
  let inFence = false;
  for (const line of lines) {
    if (!inFence && /^#{2,4} /.test(line)) {
      inSection = /^#{2,4} Options\b/.test(line);
      inherited = /inherited/.test(line);
      continue;
    }
    if (line.startsWith('```')) {
      // Only the first fenced block after an Options heading is its table.
      if (inFence) {
        inFence = false;
        inSection = false;
      } else if (inSection) inFence = true;
      continue;
    }
    if (!inSection || !inFence) continue;
    const match = FLAG_LINE.exec(line);
    if (!match) continue;
    const [, short, long, type] = match;
    flags.set(long, { long, short, type: type ?? 'bool', kind: kindOf(type), inherited });
  }
  return flags;
}

function kindOf(type) {
  if (type === undefined || type === 'bool') return 'bool';
  if (type === 'count') return 'count';
  if (type === 'strings') return 'list';
  if (type === 'stringArray') return 'array';
  return 'value';
}

/** The subcommands a root page links under SEE ALSO, e.g. `cosign verify` → 'verify'. */
export function parseSubcommands(markdown, tool) {
  const names = new Set();
  for (const match of markdown.matchAll(new RegExp(`^\\* \\[${tool} ([^\\]]+)\\]`, 'gm')))
    names.add(match[1]);
  return names;
}

const pageCache = new Map();
/**
 * The flag table of `<tool>_<words joined by _>.md` (or `<tool>.md`), or undefined without a page. The page
 * regenerated from the real binary (`../cli-real/`, see regenerate-flags.mjs) is the authority where there is one:
 * it has the flags the binary takes that the reference page omits, and lacks those it no longer takes.
 */
export function loadPage(cliDir, tool, words) {
  const name = words.length ? `${tool}_${words.join('_')}.md` : `${tool}.md`;
  const real = join(cliDir, '..', 'cli-real', tool, name);
  const file = existsSync(real) ? real : join(cliDir, tool, name);
  if (pageCache.has(file)) return pageCache.get(file);
  const page = existsSync(file)
    ? { file, text: readFileSync(file, 'utf8'), flags: parseFlagTable(readFileSync(file, 'utf8')) }
    : undefined;
  pageCache.set(file, page);
  return page;
}

function displayName(spec) {
  return spec.short ? `-${spec.short}, --${spec.long}` : `--${spec.long}`;
}

const GO_BOOL = new Map([
  ['1', true],
  ['t', true],
  ['T', true],
  ['TRUE', true],
  ['true', true],
  ['True', true],
  ['0', false],
  ['f', false],
  ['F', false],
  ['FALSE', false],
  ['false', false],
  ['False', false],
]);

const DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$|^0$/;

/** Checks a value the way pflag converts it for the flag's type. */
function convert(spec, value) {
  const bad = (why) =>
    new CliError(
      `invalid argument ${JSON.stringify(value)} for ${JSON.stringify(displayName(spec))} flag: ${why}`,
    );
  switch (spec.type) {
    case 'bool':
      if (!GO_BOOL.has(value))
        throw bad(`strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
      return GO_BOOL.get(value);
    case 'int':
      if (!/^[-+]?\d+$/.test(value))
        throw bad(`strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
      return value;
    case 'float':
      if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(value)) {
        throw bad(`strconv.ParseFloat: parsing ${JSON.stringify(value)}: invalid syntax`);
      }
      return value;
    case 'duration':
      if (!DURATION.test(value)) throw bad(`time: invalid duration ${JSON.stringify(value)}`);
      return value;
    default:
      return value;
  }
}

/** pflag's string-slice values are CSV: `a,b` is two values, `"a,b"` one. */
function splitCsv(value) {
  const out = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '"') {
      if (quoted && value[i + 1] === '"') {
        current += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

/** What a parsed command line holds: values by long flag name, and the positional arguments. */
export class ParsedFlags {
  constructor(table) {
    this.table = table;
    this.values = new Map();
    this.positionals = [];
    this.fromEnv = new Set();
  }
  set(spec, value) {
    const converted = convert(spec, value);
    if (spec.kind === 'list') {
      this.values.set(spec.long, [...(this.values.get(spec.long) ?? []), ...splitCsv(value)]);
    } else if (spec.kind === 'array') {
      this.values.set(spec.long, [...(this.values.get(spec.long) ?? []), value]);
    } else if (spec.kind === 'count') {
      this.values.set(spec.long, (this.values.get(spec.long) ?? 0) + 1);
    } else {
      this.values.set(spec.long, converted);
    }
  }
  has(name) {
    return this.values.has(name);
  }
  /** The value of a single-valued flag (the last one given), or `fallback`. */
  get(name, fallback = undefined) {
    const value = this.values.get(name);
    if (value === undefined) return fallback;
    return Array.isArray(value) ? value[value.length - 1] : value;
  }
  /** All values of a repeatable flag. */
  all(name) {
    const value = this.values.get(name);
    if (value === undefined) return [];
    return Array.isArray(value) ? value : [value];
  }
  bool(name, fallback = false) {
    const value = this.values.get(name);
    return value === undefined ? fallback : value === true;
  }
}

/**
 * Parses `args` against `table` with pflag's rules: `--name value`, `--name=value`, `-n value`,
 * `-nvalue`, `-n=value`, grouped boolean shorthands (`-qd`), repeated flags, `--` ending flags,
 * flags and positional arguments interleaved. Flags not given on the command line are read from
 * `<envPrefix>_<NAME>` (viper's AutomaticEnv, as cosign and trivy bind them) when envPrefix is set.
 */
export function parseArgs(args, table, { envPrefix, env = process.env } = {}) {
  const parsed = new ParsedFlags(table);
  const byShort = new Map([...table.values()].filter((s) => s.short).map((s) => [s.short, s]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      parsed.positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const spec = table.get(name);
      if (!spec) throw new CliError(`unknown flag: --${name}`);
      if (eq !== -1) parsed.set(spec, arg.slice(eq + 1));
      else if (spec.kind === 'bool') parsed.set(spec, 'true');
      else if (spec.kind === 'count') parsed.set(spec, '');
      else {
        if (i + 1 >= args.length) throw new CliError(`flag needs an argument: --${name}`);
        parsed.set(spec, args[++i]);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      let rest = arg.slice(1);
      while (rest.length > 0) {
        const letter = rest[0];
        const spec = byShort.get(letter);
        if (!spec) throw new CliError(`unknown shorthand flag: '${letter}' in -${rest}`);
        rest = rest.slice(1);
        if (spec.kind === 'bool' || spec.kind === 'count') {
          if (rest.startsWith('=')) {
            parsed.set(spec, spec.kind === 'bool' ? rest.slice(1) : '');
            rest = '';
          } else parsed.set(spec, spec.kind === 'bool' ? 'true' : '');
          continue;
        }
        if (rest.length > 0) parsed.set(spec, rest.startsWith('=') ? rest.slice(1) : rest);
        else {
          if (i + 1 >= args.length) throw new CliError(`flag needs an argument: '${letter}' in -${letter}`);
          parsed.set(spec, args[++i]);
        }
        rest = '';
      }
      continue;
    }
    parsed.positionals.push(arg);
  }
  if (envPrefix) {
    for (const spec of table.values()) {
      if (parsed.has(spec.long)) continue;
      const name = `${envPrefix}_${spec.long.toUpperCase().replace(/-/g, '_')}`;
      const value = env[name];
      if (value === undefined || value === '') continue;
      parsed.set(spec, spec.kind === 'count' ? '' : value);
      parsed.fromEnv.add(spec.long);
    }
  }
  return parsed;
}

/**
 * Splits `argv` into the subcommand words and the rest, skipping the root's flags that come first
 * (`cosign -d verify …`). `pages(words)` says whether a page exists for a word path; the longest
 * path with a page wins (`trivy registry login`). Returns `{ words, rest }`; words is empty when the
 * first positional names no page.
 */
export function splitSubcommand(argv, rootFlags, hasPage) {
  let i = 0;
  const leading = [];
  while (i < argv.length && argv[i].startsWith('-') && argv[i] !== '-' && argv[i] !== '--') {
    const arg = argv[i];
    leading.push(arg);
    i++;
    if (arg.includes('=')) continue;
    const spec = arg.startsWith('--')
      ? rootFlags.get(arg.slice(2))
      : [...rootFlags.values()].find((s) => s.short === arg[arg.length - 1] && arg.length === 2);
    if (spec && spec.kind !== 'bool' && spec.kind !== 'count' && i < argv.length) leading.push(argv[i++]);
  }
  const words = [];
  let j = i;
  let best = { count: 0 };
  while (j < argv.length && /^[a-z][a-z0-9-]*$/.test(argv[j])) {
    words.push(argv[j]);
    j++;
    if (hasPage(words)) best = { count: words.length };
  }
  const chosen = words.slice(0, best.count);
  return {
    words: chosen,
    first: argv[i],
    rest: [...leading, ...argv.slice(i + chosen.length)],
  };
}
