import { code, escapeProse } from './markdown.js';

/** One entry of the `base-updates` output: a pinned base image whose tag now points at another digest. */
export interface BaseUpdate {
  /** `name:tag` as the Dockerfile writes it (fully qualified). */
  image: string;
  /** The digest the Dockerfile pins. */
  pinned: string;
  /** The digest the tag points at now. */
  current: string;
  /** Whether the new digest passes the rule the pinned one is held to (`unchecked`: no rule matches). */
  status: 'newer-trusted' | 'newer-not-trusted' | 'newer-unchecked';
  rule: string | null;
  /** Why the new digest fails the rule. */
  reason: string | null;
  /** The new image's `created` time, when its config has one. */
  created: string | null;
  /** The Dockerfile lines that use the image. */
  lines: number[];
  /** The Dockerfile line that holds the pinned digest, with the new digest: the line to paste. */
  pinnedLine: { line: number; text: string } | null;
}

/** `### Base image updates`: newer digests behind pinned tags, trusted or not, with the line to paste. */
export function baseUpdatesBlock(
  updates: readonly BaseUpdate[],
  heading = '### Base image updates',
): string | undefined {
  if (updates.length === 0) return undefined;
  const items = updates.map((u) => {
    const built = u.created ? `, built ${u.created.slice(0, 10)}` : '';
    const paste = u.pinnedLine ? u.pinnedLine.text : `${u.image}@${u.current}`;
    if (u.status === 'newer-not-trusted') {
      return `- ⚠️ ${code(u.image)} now points at ${code(u.current)}${built}, which does **not** pass the rule ${code(u.rule ?? '')}: ${escapeProse(u.reason ?? '', false)}. The tag may have been hijacked; keep the pinned digest.`;
    }
    const signed = u.status === 'newer-trusted' ? 'signed ' : '';
    const unchecked = u.status === 'newer-unchecked' ? ' (no policy rule matches it; not checked)' : '';
    return `- A newer ${signed}${code(u.image)} exists${built}${unchecked}. ${u.pinnedLine ? `Line ${u.pinnedLine.line}, pinned` : 'Pinned'}: ${code(paste)}`;
  });
  return [heading, '', ...items].join('\n');
}
