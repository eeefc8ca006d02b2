import { parseSizeBudget, type SizeBudget } from '../registry/size-budget.js';
import type { InputReader } from './reader.js';

export type { SizeBudget } from '../registry/size-budget.js';

export interface SizeInputs {
  /** What the build may add to its base image; none: sizes are reported, never judged. */
  sizeBudget?: SizeBudget;
  /** Over the budget: a warning on the final FROM line, or a failed run. */
  sizeBudgetMode: 'warn' | 'fail';
}

/** The image size group: `size-budget`, `size-budget-mode`. */
export function readSizeInputs(r: InputReader): SizeInputs {
  const raw = r.read('size-budget');
  const sizeBudgetMode = r.oneOf('size-budget-mode', ['warn', 'fail'] as const);
  if (raw === '') return { sizeBudgetMode };
  const parsed = parseSizeBudget(raw);
  if ('problem' in parsed) {
    r.problem(parsed.problem);
    return { sizeBudgetMode };
  }
  return { sizeBudget: parsed, sizeBudgetMode };
}
