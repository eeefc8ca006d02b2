import * as core from '@actions/core';

export interface AnnotationRequest {
  level: 'error' | 'warning' | 'notice';
  message: string;
  title: string;
  file?: string;
  line?: number;
}

/** GitHub shows at most this many annotations of each level per step. */
export const ANNOTATION_LIMIT = 10;

/**
 * Errors first, then warnings, then notices; when a level has more than GitHub shows, the last slot
 * says how many more there are and where to read them, so nothing is dropped silently.
 */
export function limitAnnotations(
  requests: readonly AnnotationRequest[],
  limit = ANNOTATION_LIMIT,
): AnnotationRequest[] {
  const out: AnnotationRequest[] = [];
  for (const level of ['error', 'warning', 'notice'] as const) {
    const of = requests.filter((r) => r.level === level);
    if (of.length <= limit) {
      out.push(...of);
      continue;
    }
    out.push(...of.slice(0, limit - 1));
    const rest = of.length - (limit - 1);
    out.push({
      level,
      title: `${rest} more ${level === 'error' ? 'errors' : level === 'warning' ? 'warnings' : 'notices'}`,
      message: `${rest} more ${level}s are not shown here (GitHub shows ${limit} per step); the job summary lists them all.`,
    });
  }
  return out;
}

export function emitAnnotations(requests: readonly AnnotationRequest[]): void {
  for (const r of limitAnnotations(requests)) {
    const props: core.AnnotationProperties = { title: r.title };
    if (r.file) props.file = r.file;
    if (r.line !== undefined) props.startLine = r.line;
    core[r.level](r.message, props);
  }
}
