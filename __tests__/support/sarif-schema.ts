// The OASIS SARIF 2.1.0 JSON schema (draft-04), as Microsoft's SARIF SDK ships it, checked with ajv: the schema
// itself, not a reading of it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const readJson = (id: string): object => JSON.parse(readFileSync(require.resolve(id), 'utf8')) as object;

type Validate = ((data: unknown) => boolean) & {
  errors?: Array<{ dataPath?: string; message?: string }> | null;
};
// ajv 6 is CommonJS without an ESM entry; its types are not needed beyond these two calls.
const AjvClass = require('ajv') as new (options: object) => {
  addMetaSchema(schema: object): void;
  compile(schema: object): Validate;
};
const ajv = new AjvClass({ schemaId: 'id', allErrors: true, meta: false });
ajv.addMetaSchema(readJson('ajv/lib/refs/json-schema-draft-04.json'));
const validate = ajv.compile(readJson('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'));

/** What the SARIF 2.1.0 schema finds wrong with `log`: empty when it is valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.dataPath ?? ''} ${e.message ?? ''}`);
}
