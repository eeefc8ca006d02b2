/**
 * Dockerfile text → instructions, following BuildKit's frontend/dockerfile/parser (Parse,
 * splitCommand, the line parsers, heredocs) and the checks of frontend/dockerfile/instructions that
 * concern what an instruction refers to. It never throws; what BuildKit would refuse is collected in
 * `problems` with the line it is on, and parsing goes on where that is meaningful.
 *
 * Upstream behaviour kept on purpose:
 * - Parser directives (`# syntax=`, `# escape=`, `# check=`, names case-insensitive) are read only
 *   until the first line that is not one (a blank line, an ordinary comment or an instruction ends
 *   them). A duplicate or an invalid escape token is a problem.
 * - The first line of an instruction is trimmed on the left; continuation lines are not. Comment lines
 *   and blank lines inside a continuation are skipped. The escape character continues a line when it
 *   is the last non-blank character and not itself escaped.
 * - Heredocs are looked for only in RUN, COPY and ADD (also as ONBUILD triggers), not in their JSON
 *   form, and their bodies are consumed without being read as instructions. The delimiter words are
 *   found with BuildKit's lexer rules, so a quoted `"<<EOF"` is not a heredoc.
 * - A line longer than 64 KiB is a problem (BuildKit's line scanner refuses it).
 *
 * Another builder's grammar (a `Dialect`: buildah or podman, an older `# syntax` frontend) changes three things:
 * whether heredocs exist, which parser directives are read, and whether an escaped escape continues a line.
 */
import { countLeadingGoSpace, isAsciiBlank, trimEndGoSpace } from './chars.js';
import { extractFlags, parseMountFields, type RawFlag } from './flags.js';
import { BUILDKIT_DIALECT, type Dialect } from './dialect.js';
import { processWord } from './shell-lexer.js';
import type {
  DockerfileDirectives,
  Flag,
  Heredoc,
  Instruction,
  ParsedDockerfile,
  Problem,
  RunMount,
  Span,
  Token,
} from './types.js';

const MAX_LINE_BYTES = 65_535;
const KNOWN_INSTRUCTIONS = new Set([
  'add',
  'arg',
  'cmd',
  'copy',
  'entrypoint',
  'env',
  'expose',
  'from',
  'healthcheck',
  'label',
  'maintainer',
  'onbuild',
  'run',
  'shell',
  'stopsignal',
  'user',
  'volume',
  'workdir',
]);
const HEREDOC_INSTRUCTIONS = new Set(['run', 'copy', 'add']);
const MOUNT_TYPES = new Set(['bind', 'cache', 'tmpfs', 'secret', 'ssh']);
const STAGE_NAME = /^[a-z][a-z0-9\-_.]*$/;

interface PhysicalLine {
  lineNo: number;
  /** Without the "\n". */
  raw: string;
  hadNewline: boolean;
}

class LineReader {
  private pos = 0;
  private lineNo = 0;
  tooLong: number | undefined;
  constructor(private readonly text: string) {}
  next(): PhysicalLine | undefined {
    const { text } = this;
    if (this.pos >= text.length) return undefined;
    const nl = text.indexOf('\n', this.pos);
    const end = nl < 0 ? text.length : nl;
    const raw = text.slice(this.pos, end);
    this.pos = nl < 0 ? text.length : nl + 1;
    this.lineNo++;
    if (
      this.tooLong === undefined &&
      raw.length * 3 > MAX_LINE_BYTES &&
      Buffer.byteLength(raw) > MAX_LINE_BYTES
    ) {
      this.tooLong = this.lineNo;
    }
    return { lineNo: this.lineNo, raw, hadNewline: nl >= 0 };
  }
}

/** bytes.TrimRight(line, "\r\n") */
function trimNewline(s: string): string {
  let j = s.length;
  while (j > 0 && (s[j - 1] === '\r' || s[j - 1] === '\n')) j--;
  return j === s.length ? s : s.slice(0, j);
}

function isCommentLine(s: string): boolean {
  return s[countLeadingGoSpace(s)] === '#';
}

/**
 * The line-continuation rule: `([^E])E[ \t]*$|^E[ \t]*$` with E the escape token; in the legacy grammar `E[ \t]*$`,
 * so an escaped escape character continues the line too.
 */
function continuation(
  s: string,
  escape: string,
  rule: Dialect['continuation'],
): { kept: string; continued: boolean } {
  let j = s.length - 1;
  while (j >= 0 && (s[j] === ' ' || s[j] === '\t')) j--;
  if (j < 0 || s[j] !== escape) return { kept: s, continued: false };
  if (j === 0) return { kept: '', continued: true };
  if (rule === 'strict' && s[j - 1] === escape) return { kept: s, continued: false };
  return { kept: s.slice(0, j), continued: true };
}

/** imagebuilder's (and docker/dockerfile 1.0–1.1's) only directive: `^#[ \t]*escape[ \t]*=[ \t]*(.).*$`, lower-cased. */
const LEGACY_ESCAPE = /^#[ \t]*escape[ \t]*=[ \t]*(.)/;

const DIRECTIVE_SPACE = new Set(['\t', '\n', '\f', '\r', ' ']);

/** `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` without a backtracking regexp. */
function matchDirective(line: string): { key: string; value: string; valueStart: number } | null {
  if (line[0] !== '#') return null;
  let i = 1;
  while (DIRECTIVE_SPACE.has(line[i] ?? '')) i++;
  const keyStart = i;
  if (!/[a-zA-Z]/.test(line[i] ?? '')) return null;
  while (/[a-zA-Z0-9]/.test(line[i] ?? '')) i++;
  const key = line.slice(keyStart, i);
  while (DIRECTIVE_SPACE.has(line[i] ?? '')) i++;
  if (line[i] !== '=') return null;
  i++;
  const afterEq = i;
  while (DIRECTIVE_SPACE.has(line[i] ?? '')) i++;
  let end = line.length;
  while (end > i && DIRECTIVE_SPACE.has(line[end - 1] ?? '')) end--;
  if (end === i) {
    // only blanks after "=": the lazy value still takes one character (the last blank)
    if (line.length === afterEq) return null;
    return { key, value: line.slice(line.length - 1), valueStart: line.length - 1 };
  }
  return { key, value: line.slice(i, end), valueStart: i };
}

const VALID_DIRECTIVES = new Set(['syntax', 'escape', 'check']);

/** Mapping of a logical line's offsets back to the physical text. */
class LogicalLine {
  text = '';
  private readonly starts: number[] = [];
  private readonly lines: number[] = [];
  private readonly columns: number[] = [];

  add(s: string, line: number, column: number): void {
    if (s.length === 0) return;
    this.starts.push(this.text.length);
    this.lines.push(line);
    this.columns.push(column);
    this.text += s;
  }

  private segment(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private at(offset: number): { line: number; column: number } {
    const k = this.segment(offset);
    return { line: this.lines[k] ?? 0, column: (this.columns[k] ?? 0) + offset - (this.starts[k] ?? 0) };
  }

  span(start: number, end: number): Span {
    if (this.starts.length === 0) return { line: 0, column: 0, endLine: 0, endColumn: 0 };
    if (end <= start) {
      const p = start < this.text.length ? this.at(start) : this.after(start);
      return { line: p.line, column: p.column, endLine: p.line, endColumn: p.column };
    }
    const s = this.at(start);
    const e = this.after(end);
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  }

  /** Position just after the character at offset-1. */
  private after(offset: number): { line: number; column: number } {
    const p = this.at(offset - 1);
    return { line: p.line, column: p.column + 1 };
  }
}

function problem(problems: Problem[], line: number, message: string): void {
  problems.push({ line, message });
}

/** Splits text[from, to) on runs of [\t\v\f\r ] (BuildKit's parseStringsWhitespaceDelimited). */
function blankWords(text: string, from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = from;
  while (i < to) {
    while (i < to && isAsciiBlank(text[i])) i++;
    if (i >= to) break;
    const s = i;
    while (i < to && !isAsciiBlank(text[i])) i++;
    out.push([s, i]);
  }
  return out;
}

type JsonForm =
  { kind: 'json'; values: string[] } | { kind: 'not-json' } | { kind: 'error'; message: string };

/** parseJSON: a JSON array of strings, or not JSON at all (then the shell form applies). */
function parseJsonForm(rest: string): JsonForm {
  const trimmed = rest.slice(countLeadingGoSpace(rest));
  if (!trimmed.startsWith('[')) return { kind: 'not-json' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return { kind: 'not-json' };
  }
  if (!Array.isArray(parsed)) return { kind: 'not-json' };
  const values: string[] = [];
  for (const item of parsed as unknown[]) {
    if (typeof item !== 'string') {
      return {
        kind: 'error',
        message: 'when using JSON array syntax, arrays must be comprised of strings only',
      };
    }
    values.push(item);
  }
  return { kind: 'json', values };
}

/** `^(\d*)<<(-?)([^<]*)$` */
function matchHeredocWord(word: string): { fd: string; chomp: boolean; rest: string } | null {
  let i = 0;
  while (i < word.length && word.charCodeAt(i) >= 0x30 && word.charCodeAt(i) <= 0x39) i++;
  if (word[i] !== '<' || word[i + 1] !== '<') return null;
  const fd = word.slice(0, i);
  i += 2;
  const chomp = word[i] === '-';
  if (chomp) i++;
  const rest = word.slice(i);
  if (rest.includes('<')) return null;
  return { fd, chomp, rest };
}

type HeredocHead = Omit<Heredoc, 'content' | 'line' | 'endLine'>;

function heredocFromWord(word: string): { head: HeredocHead | null } | { error: string } {
  const m = matchHeredocWord(word);
  if (m === null || m.rest.length === 0) return { head: null };
  const plain = processWord(m.rest, undefined, { escapeToken: '\\', skipUnsetEnv: true, words: true });
  if (!plain.ok) return { error: plain.error };
  if (plain.words.length !== 1) return { head: null };
  const raw = processWord(m.rest, undefined, {
    escapeToken: '\\',
    skipUnsetEnv: true,
    rawQuotes: true,
    words: true,
  });
  if (!raw.ok) return { error: raw.error };
  if (raw.words.length !== plain.words.length) {
    return { error: `internal lexing of heredoc produced inconsistent results: ${m.rest}` };
  }
  const name = plain.words[0] ?? '';
  const quotes = (s: string): number => s.split('').filter((c) => c === '"' || c === "'").length;
  const fd = Number.parseInt(m.fd, 10);
  return {
    head: {
      name,
      fileDescriptor: Number.isSafeInteger(fd) ? fd : 0,
      chomp: m.chomp,
      expand: quotes(name) === quotes(raw.words[0] ?? ''),
    },
  };
}

class Parser {
  private readonly reader: LineReader;
  private readonly problems: Problem[] = [];
  private readonly instructions: Instruction[] = [];
  private escape: '\\' | '`' = '\\';
  private directivesDone = false;
  private readonly seenDirectives = new Set<string>();
  private checkDirective: { value: string; line: number } | undefined;
  private readonly directiveNames: ReadonlySet<string> | 'legacy';

  constructor(
    private readonly text: string,
    private readonly dialect: Dialect,
  ) {
    this.reader = new LineReader(text);
    this.directiveNames = dialect.directives === 'legacy' ? 'legacy' : new Set(dialect.directives);
  }

  parse(): ParsedDockerfile {
    this.run();
    if (this.reader.tooLong !== undefined) {
      problem(
        this.problems,
        this.reader.tooLong,
        `line ${this.reader.tooLong} is longer than ${MAX_LINE_BYTES} bytes; BuildKit refuses Dockerfile lines that long`,
      );
    }
    const directives: DockerfileDirectives = { escape: this.escape };
    const syntax = detectSyntax(this.text);
    if (syntax !== undefined) directives.syntax = syntax;
    if (this.checkDirective !== undefined) directives.check = this.checkDirective;
    this.problems.sort((a, b) => a.line - b.line);
    return {
      directives,
      instructions: this.instructions,
      problems: this.problems,
      lineCount: countLines(this.text),
    };
  }

  /** BuildKit's DirectiveParser.ParseLine, fed every line the main parser processes. */
  private directive(token: string, lineNo: number): void {
    if (this.directivesDone) return;
    if (this.directiveNames === 'legacy') {
      this.legacyDirective(token, lineNo);
      return;
    }
    const m = matchDirective(token);
    if (m === null) {
      this.directivesDone = true;
      return;
    }
    const key = m.key.toLowerCase();
    if (!this.directiveNames.has(key)) {
      this.directivesDone = true;
      return;
    }
    if (this.seenDirectives.has(key)) {
      problem(this.problems, lineNo, `only one ${key} parser directive can be used`);
      return;
    }
    this.seenDirectives.add(key);
    if (key === 'escape') {
      if (m.value === '\\' || m.value === '`') this.escape = m.value;
      else problem(this.problems, lineNo, `invalid escape token '${m.value}' does not match \` or \\`);
    } else if (key === 'check') {
      this.checkDirective = { value: m.value, line: lineNo };
    }
  }

  /** imagebuilder's possibleParserDirective: `# escape=` only, its first character; anything else ends the directives. */
  private legacyDirective(token: string, lineNo: number): void {
    const m = LEGACY_ESCAPE.exec(token.toLowerCase());
    if (m === null) {
      this.directivesDone = true;
      return;
    }
    if (this.seenDirectives.has('escape')) {
      problem(this.problems, lineNo, 'only one escape parser directive can be used');
      return;
    }
    this.seenDirectives.add('escape');
    const value = m[1] ?? '';
    if (value === '\\' || value === '`') this.escape = value;
    else problem(this.problems, lineNo, `invalid escape token '${value}' does not match \` or \\`);
  }

  private run(): void {
    for (;;) {
      const first = this.reader.next();
      if (first === undefined) return;
      const content = trimNewline(first.raw);
      const bom = first.lineNo === 1 && content.startsWith('\uFEFF') ? 1 : 0;
      const tokenStart = bom + countLeadingGoSpace(content, bom);
      const token = content.slice(tokenStart);
      this.directive(token, first.lineNo);
      if (token.length === 0 || token.startsWith('#')) continue;

      const logical = new LogicalLine();
      let cont = continuation(token, this.escape, this.dialect.continuation);
      logical.add(cont.kept, first.lineNo, tokenStart);
      let endLine = first.lineNo;
      while (cont.continued) {
        const next = this.reader.next();
        if (next === undefined) break;
        const text = trimNewline(next.raw);
        this.directive(text, next.lineNo);
        endLine = next.lineNo;
        if (isCommentLine(text)) continue;
        if (countLeadingGoSpace(text) === text.length) continue;
        cont = continuation(text, this.escape, this.dialect.continuation);
        logical.add(cont.kept, next.lineNo, 0);
      }

      const instruction = this.node(logical, 0, logical.text.length, first.lineNo, endLine, 0);
      if (instruction === undefined) continue;
      this.instructions.push(instruction);
      if (!this.readHeredocs(instruction, logical.text)) return;
    }
  }

  /** Reads the bodies of the instruction's heredocs; false when the file ended inside one. */
  private readHeredocs(instruction: Instruction, line: string): boolean {
    if (!this.dialect.heredocs || !line.includes('<<')) return true;
    const target = instruction.keyword === 'ONBUILD' ? instruction.onbuild : instruction;
    if (
      target === undefined ||
      !HEREDOC_INSTRUCTIONS.has(target.keyword.toLowerCase()) ||
      target.json !== null
    ) {
      return true;
    }
    const lexed = processWord(line, undefined, {
      escapeToken: '\\',
      rawQuotes: true,
      rawEscapes: true,
      skipUnsetEnv: true,
      words: true,
    });
    const heads: HeredocHead[] = [];
    for (const word of lexed.ok ? lexed.words : []) {
      const h = heredocFromWord(word);
      if ('error' in h) {
        problem(this.problems, instruction.line, h.error);
        return true;
      }
      if (h.head !== null) heads.push(h.head);
    }
    for (const head of heads) {
      let content = '';
      let bodyStart = 0;
      let terminated = false;
      for (;;) {
        const next = this.reader.next();
        if (next === undefined) break;
        if (bodyStart === 0) bodyStart = next.lineNo;
        instruction.endLine = next.lineNo;
        let candidate = trimNewline(next.raw);
        if (head.chomp) candidate = candidate.replace(/^\t+/, '');
        if (candidate === head.name) {
          terminated = true;
          break;
        }
        content += next.hadNewline ? `${next.raw}\n` : next.raw;
      }
      if (!terminated) {
        problem(
          this.problems,
          instruction.line,
          `unterminated heredoc <<${head.name} (the file ends before a line that is exactly "${head.name}")`,
        );
        return false;
      }
      const doc: Heredoc = { ...head, content, line: bodyStart, endLine: instruction.endLine };
      target.heredocs.push(doc);
      if (target !== instruction) instruction.heredocs.push(doc);
    }
    return true;
  }

  /** newNodeFromLine over logical[from, to). */
  private node(
    logical: LogicalLine,
    from: number,
    to: number,
    line: number,
    endLine: number,
    depth: number,
  ): Instruction | undefined {
    const L = logical.text;
    const s = Math.min(to, from + countLeadingGoSpace(L, from));
    const e = trimEndGoSpace(L, s, to);
    if (s >= e) {
      problem(this.problems, line, 'a line continuation is followed by no instruction');
      return undefined;
    }
    let k = s;
    while (k < e && !isAsciiBlank(L[k])) k++;
    const cmd = L.slice(s, k).toLowerCase();
    let rawFlags: RawFlag[] = [];
    let restStart = e;
    if (k < e) {
      let j = k;
      while (j < e && isAsciiBlank(L[j])) j++;
      const extracted = extractFlags(L, j, e);
      rawFlags = extracted.flags;
      restStart = Math.min(e, extracted.restStart + countLeadingGoSpace(L, extracted.restStart));
    }
    const rest = L.slice(restStart, e);
    const flags: Flag[] = rawFlags.map((f) => ({
      name: f.name,
      value: f.value,
      span: logical.span(f.start, f.end),
      valueSpan:
        f.value === null
          ? null
          : f.value.length === 0
            ? logical.span(f.end, f.end)
            : logical.span(f.valueOffset(0), f.valueOffset(f.value.length - 1) + 1),
    }));
    const instruction: Instruction = {
      keyword: L.slice(s, k).toUpperCase(),
      line,
      endLine,
      original: L,
      flags,
      rest,
      args: [],
      json: null,
      heredocs: [],
      mounts: [],
    };
    const words = (): Token[] =>
      blankWords(L, restStart, e).map(([a, b]) => ({ value: L.slice(a, b), span: logical.span(a, b) }));

    switch (cmd) {
      case 'add':
      case 'copy':
      case 'volume': {
        const form = parseJsonForm(rest);
        if (form.kind === 'json') instruction.json = form.values;
        else if (form.kind === 'error')
          problem(this.problems, line, `${instruction.keyword}: ${form.message}`);
        else instruction.args = words();
        break;
      }
      case 'run':
      case 'cmd':
      case 'entrypoint':
      case 'shell': {
        // the shell form stays one string (BuildKit does not split it)
        if (rest === '') break;
        const form = parseJsonForm(rest);
        if (form.kind === 'json') instruction.json = form.values;
        else if (form.kind === 'error')
          problem(this.problems, line, `${instruction.keyword}: ${form.message}`);
        break;
      }
      case 'onbuild':
        if (rest !== '' && depth === 0) {
          const child = this.node(logical, restStart, e, line, endLine, depth + 1);
          if (child !== undefined) instruction.onbuild = child;
        }
        break;
      case 'from':
      case 'expose':
        instruction.args = words();
        break;
      default:
    }

    if (!KNOWN_INSTRUCTIONS.has(cmd)) {
      problem(this.problems, line, `unknown instruction: ${instruction.keyword}`);
    }
    this.validate(cmd, instruction, rawFlags, logical, depth);
    return instruction;
  }

  /** The checks of BuildKit's instructions package that matter for what an instruction refers to. */
  private validate(
    cmd: string,
    ins: Instruction,
    rawFlags: RawFlag[],
    logical: LogicalLine,
    depth: number,
  ): void {
    const at = ins.line;
    switch (cmd) {
      case 'from': {
        const from: NonNullable<Instruction['from']> = {};
        ins.from = from;
        for (const f of ins.flags) {
          if (f.name !== 'platform') {
            problem(this.problems, at, `FROM: unknown flag --${f.name} (FROM only takes --platform)`);
          } else if (f.value === null) {
            problem(this.problems, at, 'FROM: --platform needs a value (--platform=<os/arch>)');
          } else if (from.platform !== undefined) {
            problem(this.problems, at, 'FROM: --platform is given twice');
          } else from.platform = f;
        }
        const args = ins.args;
        if (args.length === 0) {
          problem(this.problems, at, 'FROM needs an image: FROM [--platform=<platform>] <image> [AS <name>]');
          return;
        }
        from.image = args[0];
        if (args.length === 3 && (args[1]?.value ?? '').toLowerCase() === 'as') {
          const written = args[2]?.value ?? '';
          const name = written.toLowerCase();
          if (!STAGE_NAME.test(name)) {
            problem(
              this.problems,
              at,
              `invalid name for build stage: "${written}", name can't start with a number or contain symbols`,
            );
          } else from.stageName = name;
        } else if (args.length !== 1) {
          problem(
            this.problems,
            at,
            `FROM requires either one or three arguments (FROM <image> [AS <name>]), got ${args.length}`,
          );
        }
        return;
      }
      case 'copy':
      case 'add': {
        for (const f of ins.flags) {
          if (f.name !== 'from') continue;
          if (cmd === 'add') {
            problem(this.problems, at, 'ADD does not support --from (BuildKit rejects it): use COPY --from');
          } else if (f.value === null) {
            problem(this.problems, at, 'COPY: --from needs a value (--from=<stage, index or image>)');
          } else if (ins.copyFrom !== undefined) {
            problem(this.problems, at, 'COPY: --from is given twice');
          } else {
            ins.copyFrom = { value: f.value, span: f.valueSpan ?? f.span };
          }
        }
        const count = ins.json?.length ?? ins.args.length;
        if (count < 2) {
          problem(
            this.problems,
            at,
            `${ins.keyword} requires at least two arguments: a source and a destination`,
          );
        }
        return;
      }
      case 'run': {
        for (const f of rawFlags) {
          if (f.name !== 'mount') continue;
          const mount = this.mount(f, logical, at);
          if (mount !== undefined) ins.mounts.push(mount);
        }
        return;
      }
      case 'onbuild': {
        if (depth > 0) return;
        const child = ins.onbuild;
        if (child === undefined) {
          problem(this.problems, at, 'ONBUILD needs an instruction to run in the child build');
          return;
        }
        const trigger = child.keyword.toUpperCase();
        if (trigger === 'ONBUILD') {
          problem(this.problems, at, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        } else if (trigger === 'FROM' || trigger === 'MAINTAINER') {
          problem(this.problems, at, `${trigger} isn't allowed as an ONBUILD trigger`);
        }
        return;
      }
      default:
    }
  }

  private mount(f: RawFlag, logical: LogicalLine, at: number): RunMount | undefined {
    if (f.value === null) {
      problem(this.problems, at, 'RUN: --mount needs a value (--mount=type=<type>,…)');
      return undefined;
    }
    if (f.value === '') {
      problem(this.problems, at, 'RUN: --mount= is empty');
      return undefined;
    }
    const parsed = parseMountFields(f.value, f.valueOffset);
    if ('error' in parsed) {
      problem(this.problems, at, `RUN --mount=${f.value}: ${parsed.error}`);
      return undefined;
    }
    const mount: RunMount = { type: 'bind', fields: [] };
    for (const field of parsed.fields) {
      mount.fields.push({ key: field.key, value: field.value });
      if (field.value === null) continue;
      if (field.key === 'type') mount.type = field.value.toLowerCase();
      else if (field.key === 'from') {
        mount.from = { value: field.value, span: logical.span(field.valueStart, field.valueEnd) };
      }
    }
    if (!MOUNT_TYPES.has(mount.type)) {
      problem(
        this.problems,
        at,
        `RUN --mount: unsupported mount type "${mount.type}" (bind, cache, tmpfs, secret, ssh)`,
      );
    } else if (mount.type === 'secret' && mount.from !== undefined) {
      problem(this.problems, at, 'RUN --mount: a secret mount should not have a from');
    }
    return mount;
  }
}

/** Lines in the text; a final newline does not start another line. */
function countLines(text: string): number {
  if (text.length === 0) return 0;
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n : n + 1;
}

/**
 * The frontend image, found as BuildKit's DetectSyntax does: after a byte-order mark and a `#!` line,
 * directives at the very top, lines taken as they are (not trimmed); the first word of the value.
 */
export function detectSyntax(text: string): DockerfileDirectives['syntax'] {
  let pos = 0;
  let lineNo = 0;
  const seen = new Set<string>();
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    let line = text.slice(pos, end);
    pos = nl < 0 ? text.length : nl + 1;
    lineNo++;
    let column = 0;
    if (lineNo === 1 && line.startsWith('\uFEFF')) {
      line = line.slice(1);
      column = 1;
    }
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (lineNo === 1 && line.startsWith('#!')) continue;
    const m = matchDirective(line);
    if (m === null) break;
    const key = m.key.toLowerCase();
    if (!VALID_DIRECTIVES.has(key) || seen.has(key)) break;
    seen.add(key);
    if (key !== 'syntax') continue;
    const space = m.value.indexOf(' ');
    const image = space < 0 ? m.value : m.value.slice(0, space);
    const start = column + m.valueStart;
    return {
      value: m.value,
      image,
      line: lineNo,
      span: { line: lineNo, column: start, endLine: lineNo, endColumn: start + image.length },
    };
  }
  return undefined;
}

/** Parses `text` as a builder of `dialect` reads it (BuildKit's current grammar unless said otherwise). */
export function parseDockerfile(text: string, dialect: Dialect = BUILDKIT_DIALECT): ParsedDockerfile {
  return new Parser(text, dialect).parse();
}
