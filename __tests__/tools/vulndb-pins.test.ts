// scripts/vulndb writes the DBs the real scanners read in the tests, with trivy-db's and grype's own Go packages: a
// DB schema is only what the scanner reading it expects when those packages are the ones that scanner is built with.
// Its go.mod is pinned to the catalog's trivy and grype; a version bump in the catalog must move it too.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CATALOG } from '../../src/tools/catalog.js';
import { PROJECT_ROOT } from '../harness/runner.js';

const goMod = readFileSync(join(PROJECT_ROOT, 'scripts', 'vulndb', 'go.mod'), 'utf8');

describe('scripts/vulndb/go.mod', () => {
  it("requires the catalog's grype, whose v6 build pipeline writes the grype DB", () => {
    const grype = DEFAULT_CATALOG.tools.grype.defaultVersion;
    expect(goMod).toMatch(
      new RegExp(`^\\s*github\\.com/anchore/grype v${grype.replace(/\./g, '\\.')}$`, 'm'),
    );
  });

  it("says which trivy's go.mod its trivy-db pin comes from, and it is the catalog's trivy", () => {
    const trivy = DEFAULT_CATALOG.tools.trivy.defaultVersion;
    expect(goMod).toContain(`the trivy-db that trivy v${trivy}'s go.mod requires`);
    expect(goMod).toMatch(/^\s*github\.com\/aquasecurity\/trivy-db v\S+$/m);
  });
});
