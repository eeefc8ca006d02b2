// `npm run bench:patterns`: the patterns a pull request can put in the build context or the policy (grype ignore
// names, trivy path globs, identity regexps) that a backtracking engine cannot finish, through this action's RE2
// (src/policy/re2.ts, re2js) and path globs (src/policy/glob.ts). Each row is the median of several calls, each
// compiling and matching once. The baseline is the hand-written Thompson NFA that src/policy/re2.ts was before
// re2js (commit a8cd4a6), timed the same way on 2026-12-07 on the 2-core dev machine: it is no longer in the tree,
// so its figures are constants here.
import { compileGlob } from '../src/policy/glob.js';
import { checkRe2, compileRe2 } from '../src/policy/re2.js';
import { summarize, type Sample } from './measure.js';
import { formatTable, loadNow, type BenchRow } from './table.js';

const RUNS = 5;

function time(fn: () => unknown): Sample {
  fn();
  const values: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    fn();
    values.push(performance.now() - started);
  }
  return summarize(values);
}

const ms = (s: Sample): string =>
  `${s.median.toFixed(2)} ms (${s.min.toFixed(2)}–${s.max.toFixed(2)} ms, n=${s.runs})`;

interface Case {
  figure: string;
  run(): unknown;
  /** The replaced engine's median, ms. */
  before: number;
  target: string;
}

const match = (pattern: string, text: string) => () => compileRe2(pattern).test(text);

const cases: Case[] = [
  {
    figure: 'RE2 ^(a+)+$ against 10,000 `a` and `!`',
    run: match('^(a+)+$', `${'a'.repeat(10_000)}!`),
    before: 8.77,
    target: 'under 50 ms',
  },
  {
    figure: 'RE2 ^(a|aa)+b$ against 10,000 `a`',
    run: match('^(a|aa)+b$', 'a'.repeat(10_000)),
    before: 5.9,
    target: 'under 50 ms',
  },
  {
    figure: 'RE2 ^(.*a){12}c$ against 2,000 `a`',
    run: match('^(.*a){12}c$', 'a'.repeat(2_000)),
    before: 10.35,
    target: 'under 50 ms',
  },
  {
    figure: 'RE2 (x+x+)+y against 5,000 `x`',
    run: match('(x+x+)+y', 'x'.repeat(5_000)),
    before: 3.75,
    target: 'under 50 ms',
  },
  {
    figure: 'path glob `*a`×12`*c` against 10,000 `a`',
    run: () => compileGlob(`${'*a'.repeat(12)}*c`)('a'.repeat(10_000)),
    before: 26.35,
    target: 'under 50 ms',
  },
  {
    figure: 'RE2 ([a-z]{1000})×9 (9,002 instructions, the most allowed is 10,000) against 10,000 `a`',
    run: match('[a-z]{1000}'.repeat(9), 'a'.repeat(10_000)),
    before: 2743,
    target: '(context: the cap)',
  },
  {
    figure: 'checkRe2 of ^([a-z]\\.)×20000$ (140,000 characters)',
    run: () => checkRe2(`^${'[a-z]\\.'.repeat(20_000)}$`),
    before: 78.42,
    target: 'under 1 s',
  },
  {
    figure:
      'checkRe2 of a{1000}×500 (3,500 characters, 500,000 instructions): refused before compiling (the NFA only parsed it, and accepted it)',
    run: () => checkRe2('a{1000}'.repeat(500)),
    before: 8.96,
    target: 'under 50 ms',
  },
];

const rows: BenchRow[] = cases.map((c) => {
  const now = time(c.run);
  return {
    part: 'patterns',
    figure: c.figure,
    value: ms(now),
    baseline: `the Thompson NFA it replaced: ${c.before} ms`,
    ratio: `${(now.median / c.before).toFixed(2)}× (of medians)`,
    target: c.target,
    load: loadNow(),
  };
});

console.log(formatTable(rows));
