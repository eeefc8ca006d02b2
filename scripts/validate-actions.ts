// Validates action.yml and every workflow against the schemas GitHub's own parser ships
// (@actions/workflow-parser: the action-v1.0 and workflow-v1.0 schemas the runner and VS Code use).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/index';

export function validateActionFile(name: string, content: string): string[] {
  const result = parseAction({ name, content }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}

export async function validateWorkflowFile(name: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value !== undefined && errors.length === 0) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    for (const e of template.errors ?? []) errors.push(e.Message);
  }
  return errors;
}

async function main(): Promise<void> {
  const problems: string[] = [];
  for (const e of validateActionFile('action.yml', readFileSync('action.yml', 'utf8'))) problems.push(e);
  const dir = '.github/workflows';
  const files = readdirSync(dir).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));
  for (const f of files) {
    const path = join(dir, f);
    for (const e of await validateWorkflowFile(path, readFileSync(path, 'utf8'))) problems.push(e);
  }
  if (problems.length > 0) {
    for (const p of problems) console.error(p);
    process.exit(1);
  }
  console.log(`action.yml and ${files.length} workflows are valid`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
