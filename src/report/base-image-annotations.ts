import type { BaseImageUse } from '../dockerfile/index.js';
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
  return out;
}
