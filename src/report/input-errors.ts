import { code, escapeProse, plural } from './markdown.js';

export interface InputProblem {
  message: string;
  /** A line of the trust policy file, for its problems. */
  file?: string;
  line?: number;
}

/**
 * The job summary of a run that stopped at its inputs: each problem as said in its annotation (the input
 * and what it accepts), and that nothing was built, pushed, scanned or signed. Pure markdown.
 */
export function renderInputErrorSummary(problems: readonly InputProblem[]): string {
  const count = problems.length;
  const title = count === 1 ? 'an input is not valid' : `${plural(count, 'problem')} with the inputs`;
  const items = problems.map((p) => {
    const where = p.file ? `${code(p.line ? `${p.file}:${p.line}` : p.file)}: ` : '';
    const [first = '', ...rest] = p.message.split(/\r?\n/).filter((l) => l.trim() !== '');
    const more = rest.map((l) => `\n  ${escapeProse(l.replace(/^\s*[-*] /, '- '), false)}`).join('');
    return `- ${where}${escapeProse(first, false)}${more}`;
  });
  return [
    `## ❌ secure-image: ${title}`,
    '',
    `**Failed** before anything ran: nothing was built, pushed, scanned or signed. Fix ${count === 1 ? 'it' : 'them'} in the workflow's \`with:\` block${problems.some((p) => p.file) ? ' or the trust policy file' : ''} and run again.`,
    '',
    ...items,
    '',
  ].join('\n');
}
