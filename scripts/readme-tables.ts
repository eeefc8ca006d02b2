// Keeps the README's input and output tables equal to action.yml: `npm run docs` rewrites them, and a
// test fails when they drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

interface ActionSpec {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string }>;
}

const cell = (text: string): string => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');

export function renderTables(actionYml: string): { inputs: string; outputs: string } {
  const spec = parse(actionYml) as ActionSpec;
  const inputs = [
    '| input | default | description |',
    '| --- | --- | --- |',
    ...Object.entries(spec.inputs).map(
      ([name, i]) =>
        `| \`${name}\` | ${i.default ? `\`${cell(i.default)}\`` : ''} | ${cell(i.description)} |`,
    ),
  ].join('\n');
  const outputs = [
    '| output | description |',
    '| --- | --- |',
    ...Object.entries(spec.outputs).map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`),
  ].join('\n');
  return { inputs, outputs };
}

export function replaceBlock(readme: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} block`);
  return `${readme.slice(0, from + start.length)}\n${body}\n${readme.slice(to)}`;
}

export function renderReadme(readme: string, actionYml: string): string {
  const tables = renderTables(actionYml);
  return replaceBlock(replaceBlock(readme, 'inputs', tables.inputs), 'outputs', tables.outputs);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const readme = readFileSync('README.md', 'utf8');
  writeFileSync('README.md', renderReadme(readme, readFileSync('action.yml', 'utf8')));
}
