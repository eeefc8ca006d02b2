/**
 * Positions: `line` is 1-based; columns are 0-based indexes into that line of the original text
 * (UTF-16 code units, as JavaScript strings count; a byte-order mark on line 1 counts as column 0);
 * `endColumn` is exclusive. A token that crosses a line continuation ends on `endLine`.
 */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A token of an instruction: `value` is its processed text, `span` where its raw text sits. */
export interface Token {
  value: string;
  span: Span;
}

export interface Flag {
  /** Name without "--", as written. */
  name: string;
  /** Value after "=" with quotes and "\" escapes processed; null when written without "=". */
  value: string | null;
  /** The whole flag word. */
  span: Span;
  /** The value's raw text (after "="); null without "=". */
  valueSpan: Span | null;
}

export interface Heredoc {
  name: string;
  fileDescriptor: number;
  /** `<<-`: leading tabs are stripped from the body and the terminator. */
  chomp: boolean;
  /** Unquoted delimiter: the body is subject to expansion. */
  expand: boolean;
  /** The body, lines with their line endings. Never parsed as instructions. */
  content: string;
  /** First body line and the terminator line (for an empty body, line = endLine). */
  line: number;
  endLine: number;
}

export interface RunMount {
  /** Lower-cased mount type; "bind" when not written (BuildKit's default). */
  type: string;
  /** The `from=` value when written (empty value included). */
  from?: Token;
  /** All fields as written, keys lower-cased; a field without "=" has value null. */
  fields: Array<{ key: string; value: string | null }>;
}

export interface Instruction {
  /** Upper-cased instruction name ("FROM", "COPY", …; unknown names upper-cased too). */
  keyword: string;
  /** 1-based line where the instruction starts, and the last line it occupies (heredoc bodies included). */
  line: number;
  endLine: number;
  /** The logical line: continuations joined, comment lines inside them dropped. */
  original: string;
  flags: Flag[];
  /** Text after the flags, trimmed. */
  rest: string;
  /** FROM, COPY, ADD, VOLUME, EXPOSE (not in JSON form): `rest` split on blanks, as BuildKit splits them. */
  args: Token[];
  /** The JSON (exec) form's strings, when the instruction takes one and was written that way. */
  json: string[] | null;
  heredocs: Heredoc[];
  /** RUN only: its `--mount` flags. */
  mounts: RunMount[];
  /** FROM only. */
  from?: { image?: Token; stageName?: string; platform?: Flag };
  /** COPY only: the `--from` value (ADD has no --from in BuildKit; it is a problem there). */
  copyFrom?: Token;
  /** ONBUILD only: the trigger instruction. */
  onbuild?: Instruction;
}

export interface DockerfileDirectives {
  /** `# syntax=<value>`: `image` is the first word of the value (what BuildKit runs). */
  syntax?: { value: string; image: string; line: number; span: Span };
  escape: '\\' | '`';
  /** `# check=` is recognised (it does not end the directives) and otherwise ignored. */
  check?: { value: string; line: number };
}

export interface Problem {
  line: number;
  message: string;
}

export interface ParsedDockerfile {
  directives: DockerfileDirectives;
  instructions: Instruction[];
  /** Things BuildKit would refuse, with the line they are on. */
  problems: Problem[];
  /** Lines in the text (a trailing newline does not start a new line). */
  lineCount: number;
}
