// The builder's own record of what it built from, as buildx writes it into --metadata-file (SLSA v0.2 `materials`,
// or v1 `resolvedDependencies`, decoded or base64) and as the gate checks it.
import { describe, expect, it } from '@jest/globals';
import { buildxMaterials, unverifiedMaterials, type BuilderMaterial } from '../../src/build/materials.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const predicate = {
  buildType: 'https://mobyproject.org/buildkit@v1',
  materials: [
    { uri: 'pkg:docker/docker/dockerfile@1.10', digest: { sha256: A } },
    { uri: 'pkg:docker/127.0.0.1:5000/evil/unsigned@latest?platform=linux%2Famd64', digest: { sha256: B } },
    { uri: 'https://example.com/app.tar.gz', digest: { sha256: B } },
  ],
};

describe('buildxMaterials', () => {
  it('reads the images (pkg:docker) of the provenance, whichever way buildx wrote it', () => {
    const expected = [
      { name: 'pkg:docker/docker/dockerfile@1.10', digest: `sha256:${A}`, source: 'buildx.build.provenance' },
      {
        name: 'pkg:docker/127.0.0.1:5000/evil/unsigned@latest?platform=linux%2Famd64',
        digest: `sha256:${B}`,
        source: 'buildx.build.provenance',
      },
    ];
    expect(buildxMaterials({ 'buildx.build.provenance': predicate })).toEqual(expected);
    expect(
      buildxMaterials({
        'buildx.build.provenance': Buffer.from(JSON.stringify(predicate)).toString('base64'),
      }),
    ).toEqual(expected);
  });

  it('reads SLSA v1 resolvedDependencies, per platform', () => {
    const v1 = {
      buildDefinition: { resolvedDependencies: [{ uri: 'pkg:docker/alpine@3', digest: { sha256: A } }] },
    };
    expect(buildxMaterials({ 'buildx.build.provenance/linux/arm64': v1 })).toEqual([
      { name: 'pkg:docker/alpine@3', digest: `sha256:${A}`, source: 'buildx.build.provenance/linux/arm64' },
    ]);
  });

  it('says nothing when buildx wrote no provenance, so the caller fails closed', () => {
    expect(buildxMaterials({ 'containerimage.digest': `sha256:${A}` })).toBeUndefined();
  });

  it('an image whose digest the gate did not allow is reported; a material without a digest is too', () => {
    const materials = buildxMaterials({
      'buildx.build.provenance': { materials: [...predicate.materials, { uri: 'pkg:docker/nodigest@1' }] },
    });
    expect(unverifiedMaterials(materials ?? [], new Set([`sha256:${A}`])).map((m) => m.name)).toEqual([
      'pkg:docker/127.0.0.1:5000/evil/unsigned@latest?platform=linux%2Famd64',
      'pkg:docker/nodigest@1',
    ]);
  });

  it('buildah with --layers: base.digest is its local copy, base.name the verified digest; either may match', () => {
    const local: BuilderMaterial = {
      name: `127.0.0.1:5000/base@sha256:${A}`,
      digest: `sha256:${B}`,
      source: 'manifest sha256:c',
      nameDigest: `sha256:${A}`,
    };
    expect(unverifiedMaterials([local], new Set([`sha256:${A}`]))).toEqual([]);
    expect(unverifiedMaterials([local], new Set([`sha256:${'c'.repeat(64)}`]))).toEqual([local]);
  });
});
