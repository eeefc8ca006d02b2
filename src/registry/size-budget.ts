/** `size-budget`: how much a build may add to its base image. */
import { formatBytes, type PlatformSize } from './image-size.js';

export type SizeBudget =
  { kind: 'growth'; bytes: number; text: string } | { kind: 'ratio'; factor: number; text: string };

const UNITS: Record<string, number> = { MB: 1e6, GB: 1e9 };

/** `+50MB`, `+1.5GB` (bytes added to the base, decimal units) or `2x` (times the base's size); else a problem. */
export function parseSizeBudget(raw: string): SizeBudget | { problem: string } {
  const text = raw.replace(/\s+/g, '');
  const growth = /^\+(\d+(?:\.\d+)?)(MB|GB)$/i.exec(text);
  if (growth) {
    return {
      kind: 'growth',
      bytes: Math.round(Number(growth[1]) * (UNITS[growth[2]?.toUpperCase() ?? ''] ?? 0)),
      text,
    };
  }
  const ratio = /^(\d+(?:\.\d+)?)x$/i.exec(text);
  if (ratio && Number(ratio[1]) >= 1) return { kind: 'ratio', factor: Number(ratio[1]), text };
  return {
    problem: `Input \`size-budget\` must be \`+<n>MB\` or \`+<n>GB\` (what the build may add to its base image) or \`<n>x\` with n at least 1 (how many times the base image's size the image may be), e.g. \`+50MB\` or \`2x\`; got "${raw.trim()}".`,
  };
}

/** Why a platform's image is over the budget, or undefined when it is within it (or has no base to compare). */
export function overBudget(p: PlatformSize, budget: SizeBudget): string | undefined {
  if (!p.base) return undefined;
  if (budget.kind === 'growth') {
    return p.added > budget.bytes
      ? `${p.platform}: the build adds ${formatBytes(p.added)} to ${p.base.image} (${formatBytes(p.base.size)}), over the size-budget of ${budget.text}`
      : undefined;
  }
  return p.size > p.base.size * budget.factor
    ? `${p.platform}: the image is ${formatBytes(p.size)}, ${(p.size / p.base.size).toFixed(1)}x its base ${p.base.image} (${formatBytes(p.base.size)}), over the size-budget of ${budget.text}`
    : undefined;
}
