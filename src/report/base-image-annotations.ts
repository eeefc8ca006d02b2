import { parseArgDeclarations } from '../dockerfile/declarations.js';
import { parseDockerfile, type BaseImageUse } from '../dockerfile/index.js';
import {
  isFailure,
  suggestPinned,
  type BaseImageEntry,
  type ImageCheck,
  type VerifyMode,
} from '../policy/entries.js';
import type { AnnotationRequest } from './annotations.js';

export interface BaseImageAnnotationOptions {
  /** The Dockerfile as the repository names it. */
  file: string;
  verifyBaseImages: VerifyMode;
  digestPinning: 'off' | 'warn' | 'enforce';
}

/** Annotations on the Dockerfile lines whose images failed their rule, matched none, or are not pinned. */
export function baseImageAnnotations(
  entries: BaseImageEntry[],
  uses: BaseImageUse[],
  distinct: Map<string, ImageCheck>,
  keyOf: Map<BaseImageUse, string>,
  config: BaseImageAnnotationOptions,
  text: string,
): AnnotationRequest[] {
  const out: AnnotationRequest[] = [];
  const lines = text.split(/\r?\n/);
  const file = config.file;
  const globalArgs = globalArgDefaults(text);
  // One suggestion per ARG whose default a FROM line uses whole: on the ARG line, naming the lines that use it.
  const argPins = new Map<string, { arg: GlobalArg; entry: BaseImageEntry; lines: number[] }>();
  const policyUnmatched = (d: ImageCheck | undefined): string | undefined =>
    d?.requirement.kind === 'unmatched' ? d.requirement.action : undefined;
  entries.forEach((e, i) => {
    const use = uses[i];
    if (!use) return;
    const d = distinct.get(keyOf.get(use) ?? '');
    const failing = isFailure(e, config.verifyBaseImages, policyUnmatched(d) ?? 'warn');
    // The frontend image of the BUILDKIT_SYNTAX build-arg has no line in the file; the message names the build-arg.
    const at = use.fromBuildArg
      ? { prefix: 'build-arg BUILDKIT_SYNTAX: ' }
      : { file, line: e.line, prefix: '' };
    const place = at.file !== undefined ? { file: at.file, line: at.line } : {};
    if (failing) {
      out.push({
        level: config.verifyBaseImages === 'enforce' ? 'error' : 'warning',
        ...place,
        title: `Base image ${e.status === 'unresolved' ? 'unresolved' : 'not trusted'}`,
        message: `${at.prefix}${e.image ?? e.ref}: ${e.reason ?? e.status}${e.rule ? ` (rule: ${e.rule})` : ''}`,
      });
    } else if (e.status === 'unmatched' && policyUnmatched(d) === 'warn') {
      out.push({
        level: 'warning',
        ...place,
        title: 'Base image matches no policy rule',
        message: `${at.prefix}${e.image ?? e.ref}: ${e.reason ?? ''}`,
      });
    }
    if (!e.pinned && e.status !== 'unresolved' && config.digestPinning !== 'off') {
      const arg = use.fromBuildArg ? undefined : wholeArg(use.ref, globalArgs);
      if (arg && e.digest) {
        const pin = argPins.get(arg.name) ?? { arg, entry: e, lines: [] };
        pin.lines.push(e.line);
        argPins.set(arg.name, pin);
        return;
      }
      const source = lines[use.location.line - 1] ?? '';
      const pinnedRef = suggestPinned(e);
      const suggestion =
        e.digest && !use.fromBuildArg && use.location.line === e.line
          ? `${source.slice(0, use.location.column)}${pinnedRef}${source.slice(use.location.endColumn)}`.trim()
          : undefined;
      out.push({
        level: config.digestPinning === 'enforce' ? 'error' : 'warning',
        ...place,
        title: 'Base image not pinned to a digest',
        message: suggestion
          ? `${e.ref} can change under you. Pin it:\n${suggestion}`
          : `${at.prefix}${e.ref} is not pinned to a digest${e.digest ? `; it resolved to ${e.digest}` : ''}.`,
      });
    }
  });
  for (const { arg, entry, lines: usedOn } of argPins.values()) {
    const source = lines[arg.line - 1] ?? '';
    const suggestion =
      `${source.slice(0, arg.valueEnd)}@${entry.digest ?? ''}${source.slice(arg.valueEnd)}`.trim();
    const where = usedOn.length === 1 ? `line ${usedOn[0]}` : `lines ${usedOn.join(', ')}`;
    out.push({
      level: config.digestPinning === 'enforce' ? 'error' : 'warning',
      file,
      line: arg.line,
      title: 'Base image not pinned to a digest',
      message:
        `The default of ARG ${arg.name} (${entry.image ?? entry.ref}, used by FROM on ${where}) can change under you. ` +
        `Pin it on this line:\n${suggestion}\n(A value passed in \`build-args\` replaces this default: pin that value too.)`,
    });
  }
  return out;
}

interface GlobalArg {
  name: string;
  /** Line of the ARG instruction, and the column where its default ends in that line (before a closing quote). */
  line: number;
  valueEnd: number;
}

/** The ARGs before the first FROM that have a default written on one line: the ones FROM lines can use. */
function globalArgDefaults(text: string): Map<string, GlobalArg> {
  const args = new Map<string, GlobalArg>();
  const parsed = parseDockerfile(text);
  const lines = text.split(/\r?\n/);
  for (const ins of parsed.instructions) {
    if (ins.keyword === 'FROM') break;
    if (ins.keyword !== 'ARG' || ins.endLine !== ins.line) continue;
    const source = lines[ins.line - 1] ?? '';
    for (const d of parseArgDeclarations(ins.rest, parsed.directives.escape).declarations) {
      if (d.value === undefined || d.value === '') {
        args.delete(d.key);
        continue;
      }
      // Where `KEY=value` sits in the line: the value ends before its closing quote, if it has one.
      const at = source.indexOf(`${d.key}=`);
      if (at < 0) continue;
      const raw = /^("[^"]*"|'[^']*'|\S+)/.exec(source.slice(at + d.key.length + 1))?.[1] ?? '';
      const quoted = /^["'].*["']$/.test(raw);
      args.set(d.key, {
        name: d.key,
        line: ins.line,
        valueEnd: at + d.key.length + 1 + raw.length - (quoted ? 1 : 0),
      });
    }
  }
  return args;
}

/** The name of the ARG a reference is made of, whole: `${BASE}` or `$BASE`. */
export function wholeArgName(ref: string): string | undefined {
  const name = /^\$(?:\{(\w+)\}|(\w+))$/.exec(ref.trim());
  return name?.[1] ?? name?.[2];
}

/** That ARG, when it is a global ARG with a default. */
function wholeArg(ref: string, args: Map<string, GlobalArg>): GlobalArg | undefined {
  const key = wholeArgName(ref);
  return key ? args.get(key) : undefined;
}
