import * as core from '@actions/core';
import { escapeLineBreaks, logInfo } from '../util/log.js';

export interface AnnotationRequest {
  level: 'error' | 'warning' | 'notice';
  message: string;
  title: string;
  file?: string;
  line?: number;
}

/** GitHub shows at most this many annotations of each level per step. */
export const ANNOTATION_LIMIT = 10;

const LEVELS = ['error', 'warning', 'notice'] as const;
const PLURAL = { error: 'errors', warning: 'warnings', notice: 'notices' } as const;

function key(r: AnnotationRequest): string {
  return [r.level, r.file ?? '', r.line ?? '', r.title, r.message].join('\u0000');
}

function where(r: AnnotationRequest): string {
  return r.file ? `${r.file}${r.line !== undefined ? `:${r.line}` : ''}: ` : '';
}

/**
 * Errors first, then warnings, then notices, each in the order they were raised, the same one once.
 * When a level has more than GitHub shows, the last slot of that level says how many more there are
 * and lists them briefly, so nothing is dropped silently.
 */
export function limitAnnotations(
  requests: readonly AnnotationRequest[],
  limit = ANNOTATION_LIMIT,
): AnnotationRequest[] {
  return planAnnotations(requests, limit).shown;
}

/** `shown`: what goes out as annotations; `overflow`: the ones only the summary annotation mentions. */
export function planAnnotations(
  requests: readonly AnnotationRequest[],
  limit = ANNOTATION_LIMIT,
): { shown: AnnotationRequest[]; overflow: AnnotationRequest[] } {
  const seen = new Set<string>();
  const unique = requests.filter((r) => {
    const k = key(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const out: AnnotationRequest[] = [];
  const overflow: AnnotationRequest[] = [];
  for (const level of LEVELS) {
    const of = unique.filter((r) => r.level === level);
    if (of.length <= limit) {
      out.push(...of);
      continue;
    }
    out.push(...of.slice(0, limit - 1));
    const rest = of.slice(limit - 1);
    overflow.push(...rest);
    const listed = rest.slice(0, 20).map((r) => `- ${where(r)}${r.title}`);
    if (rest.length > listed.length) listed.push(`- … and ${rest.length - listed.length} more`);
    out.push({
      level,
      title: `${rest.length} more ${PLURAL[level]}`,
      message: [
        `${rest.length} more ${PLURAL[level]} are not shown as annotations (GitHub shows ${limit} per step); the step log has them all:`,
        ...listed,
      ].join('\n'),
    });
  }
  return { shown: out, overflow };
}

/** Where annotations go: `@actions/core`, which writes the `::error file=…::` workflow commands. */
export type AnnotationSink = Pick<typeof core, 'error' | 'warning' | 'notice' | 'info'>;

/** `@actions/core`, with the log lines of the overflow on one line each and never read as a command. */
const runnerSink: AnnotationSink = {
  error: core.error,
  warning: core.warning,
  notice: core.notice,
  info: logInfo,
};

export function emitAnnotations(
  requests: readonly AnnotationRequest[],
  sink: AnnotationSink = runnerSink,
): void {
  const { shown, overflow } = planAnnotations(requests);
  for (const r of shown) {
    const props: core.AnnotationProperties = { title: r.title };
    if (r.file) props.file = r.file;
    if (r.line !== undefined) props.startLine = r.line;
    sink[r.level](r.message, props);
  }
  // What did not fit as an annotation is still in the log, where the overflow annotation points.
  for (const r of overflow)
    sink.info(escapeLineBreaks(`${r.level}: ${where(r)}${r.title}: ${r.message.replace(/\r?\n/g, ' / ')}`));
}
