// The action's entry for bench/pipeline.ts, bundled by it with ncc the way dist/index.js is: src/main.ts's run,
// given a tool catalog whose pinned hash is the stand-in cosign's (the real one pins the real cosign, which a
// local release server cannot serve). The catalog comes from catalog.json beside the bundle, written by the
// benchmark; nothing a user sets reaches it, and dist/index.js never reads it.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from '../src/main.js';
import type { Catalog } from '../src/tools/catalog.js';

const catalog = JSON.parse(
  readFileSync(join(dirname(process.argv[1] ?? ''), 'catalog.json'), 'utf8'),
) as Catalog;
await run({ install: { catalog } });
