import {
  analyzeBaseImages,
  type AnalyzeOptions,
  type BaseImageAnalysis,
  type BaseImageUse,
} from './analyze.js';
import { BUILDKIT_DIALECT, type Dialect } from './dialect.js';
import { parseDockerfile } from './parser.js';
import type { Instruction } from './types.js';

/**
 * The base images of `text` as builders of each of `dialects` read it, gated as one: a FROM (or --from, from=) that
 * any of the readings finds is in `images`, so a line one grammar reads as a heredoc body and another as an
 * instruction is checked either way (fail closed when the builder's grammar is not known).
 *
 * The first reading is the build's: its problems stop the run, its stages and final base are reported, and the pinned
 * copy edits its references. A use only another reading finds is added with `reading` saying who reads it, and is not
 * pinned: rewriting it would change a heredoc's text in the first reading. Another reading's problems are not the
 * run's (that builder would refuse the file, which builds nothing); a FROM it reads without one or three arguments
 * (`FROM <image> [AS <name>]`) is left out for the same reason: every grammar refuses that stage before pulling its image
 * (a Python `from x import y` in a heredoc is such a line).
 *
 * When the build's grammar is not BuildKit's, a use that BuildKit's grammar does not read gets `reading` too, so the
 * user sees why a line inside a heredoc is taken for a FROM.
 */
export function analyzeReadings(
  text: string,
  dialects: readonly Dialect[],
  options: AnalyzeOptions,
): BaseImageAnalysis {
  const [first = BUILDKIT_DIALECT, ...others] = dialects;
  const analysis = analyzeBaseImages(parseDockerfile(text, first), options);
  const seen = new Set(analysis.images.map(useKey));
  if (!others.some((d) => sameGrammar(d, BUILDKIT_DIALECT)) && !sameGrammar(first, BUILDKIT_DIALECT)) {
    const buildkit = new Set(readUses(text, BUILDKIT_DIALECT, options).map(useKey));
    for (const use of analysis.images)
      if (use.kind !== 'syntax' && !buildkit.has(useKey(use)))
        use.reading = { by: first.name, notBy: BUILDKIT_DIALECT.name };
  }
  const extra: BaseImageUse[] = [];
  // Dialects of one grammar read the file alike: each grammar is read once.
  const read: Dialect[] = [first];
  for (const dialect of others) {
    if (read.some((d) => sameGrammar(d, dialect))) continue;
    read.push(dialect);
    for (const use of readUses(text, dialect, options)) {
      const key = useKey(use);
      if (use.kind === 'syntax' || seen.has(key)) continue;
      seen.add(key);
      use.reading = { by: dialect.name, notBy: first.name };
      extra.push(use);
    }
  }
  if (extra.length === 0) return analysis;
  const [syntax, rest] = [
    analysis.images.filter((u) => u.kind === 'syntax'),
    analysis.images.filter((u) => u.kind !== 'syntax'),
  ];
  const images = [
    ...syntax,
    ...[...rest, ...extra].sort(
      (a, b) => a.location.line - b.location.line || a.location.column - b.location.column,
    ),
  ];
  return { ...analysis, images };
}

/** The uses another reading finds, without those of FROM lines every builder refuses. */
function readUses(text: string, dialect: Dialect, options: AnalyzeOptions): BaseImageUse[] {
  const parsed = parseDockerfile(text, dialect);
  const refused = new Set(parsed.instructions.filter(malformedFrom).map((i) => i.line));
  return analyzeBaseImages(parsed, options).images.filter((u) => !(u.kind === 'from' && refused.has(u.line)));
}

/** `FROM` with other than one argument, or three with `AS` in the middle. */
function malformedFrom(ins: Instruction): boolean {
  if (ins.keyword !== 'FROM') return false;
  const n = ins.args.length;
  return !(n === 1 || (n === 3 && (ins.args[1]?.value ?? '').toLowerCase() === 'as'));
}

function sameGrammar(a: Dialect, b: Dialect): boolean {
  return (
    a.heredocs === b.heredocs &&
    a.continuation === b.continuation &&
    JSON.stringify(a.directives) === JSON.stringify(b.directives)
  );
}

/** A use is the same in two readings when the same text at the same place names the same image. */
function useKey(use: BaseImageUse): string {
  const { line, column } = use.location;
  return `${use.kind} ${line}:${column} ${use.resolved ?? `?${use.ref}`} ${use.context ?? ''}`;
}
