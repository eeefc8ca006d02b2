import type { KeyValue } from '../util/key-value.js';

/**
 * The build-args with BUILDKIT_SYNTAX naming `pinned` (the frontend image at its verified digest) in place of the image
 * it named, anything after the image kept. BuildKit runs the frontend that build-arg names, whatever `# syntax=` says,
 * so the check of that image holds only if the builder gets the digest that was checked.
 */
export function withPinnedSyntax(buildArgs: readonly KeyValue[], pinned: string): KeyValue[] {
  return buildArgs.map((arg) => {
    if (arg.key !== 'BUILDKIT_SYNTAX') return arg;
    const value = arg.value.trim();
    const space = value.indexOf(' ');
    return { key: arg.key, value: space < 0 ? pinned : `${pinned}${value.slice(space)}` };
  });
}
