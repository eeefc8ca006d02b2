import { describe, expect, it } from '@jest/globals';
import { instructionText, layerInstructions } from '../../src/registry/image-size.js';
import { overBudget, parseSizeBudget } from '../../src/registry/size-budget.js';
import type { PlatformSize } from '../../src/registry/image-size.js';

describe('layerInstructions', () => {
  it('names one instruction per layer when each made its own (BuildKit, buildah --layers)', () => {
    expect(
      layerInstructions(
        [
          { created_by: '/bin/sh -c #(nop) ADD file:abc in / ' },
          { created_by: 'ARG GREETING=hello', empty_layer: true },
          { created_by: 'COPY hello.sh /src/hello.sh # buildkit' },
          { created_by: 'RUN /bin/sh -c apk add curl # buildkit' },
        ],
        3,
      ),
    ).toEqual(['ADD file:abc in /', 'COPY hello.sh /src/hello.sh', 'RUN /bin/sh -c apk add curl']);
  });

  it('a stage committed as one layer (buildah): the instructions since the last layer that change files', () => {
    expect(
      layerInstructions(
        [
          { created_by: '/bin/sh -c #(nop) ADD file:abc in / ' },
          { created_by: '/bin/sh -c #(nop) LABEL org.example.greeting=hello', empty_layer: true },
          { created_by: '/bin/sh -c #(nop) COPY file:123 in /app/hello.sh ', empty_layer: true },
          { created_by: '/bin/sh -c #(nop) USER 65532', empty_layer: true },
          { created_by: '/bin/sh -c #(nop) LABEL "org.opencontainers.image.base.digest"="sha256:4a"' },
        ],
        2,
      ),
    ).toEqual(['ADD file:abc in /', 'COPY file:123 in /app/hello.sh']);
  });

  it('a history that does not account for every layer names none rather than the wrong ones', () => {
    expect(layerInstructions([{ created_by: 'COPY a /a' }], 2)).toEqual([null, null]);
    expect(layerInstructions(undefined, 1)).toEqual([null]);
  });

  it('reads classic Docker shell commands as RUN', () => {
    expect(instructionText('/bin/sh -c apt-get update')).toBe('RUN apt-get update');
  });
});

describe('size-budget', () => {
  const platform = (size: number, baseSize: number): PlatformSize => ({
    platform: 'linux/amd64',
    digest: 'sha256:1',
    size,
    base: { image: 'gcr.io/distroless/static', digest: 'sha256:2', size: baseSize },
    added: size - baseSize,
    largestAdded: [],
  });

  it.each([
    ['+50MB', { kind: 'growth', bytes: 50_000_000, text: '+50MB' }],
    ['+1.5GB', { kind: 'growth', bytes: 1_500_000_000, text: '+1.5GB' }],
    [' + 20 mb ', { kind: 'growth', bytes: 20_000_000, text: '+20mb' }],
    ['2x', { kind: 'ratio', factor: 2, text: '2x' }],
    ['1.5X', { kind: 'ratio', factor: 1.5, text: '1.5X' }],
  ])('reads %j', (raw, expected) => {
    expect(parseSizeBudget(raw)).toEqual(expected);
  });

  it.each(['50MB', '+50', '+50KB', '0.5x', 'x2', '-5MB', ''])('refuses %j, naming the input', (raw) => {
    expect(parseSizeBudget(raw)).toEqual({ problem: expect.stringContaining('Input `size-budget` must be') });
  });

  it('judges growth against the bytes added and a ratio against the base size', () => {
    const growth = parseSizeBudget('+50MB');
    const ratio = parseSizeBudget('2x');
    if ('problem' in growth || 'problem' in ratio) throw new Error('valid budgets refused');
    expect(overBudget(platform(70_000_000, 20_000_000), growth)).toBeUndefined();
    expect(overBudget(platform(70_000_001, 20_000_000), growth)).toMatch(
      /^linux\/amd64: the build adds 50\.0 MB to gcr\.io\/distroless\/static \(20\.0 MB\), over the size-budget of \+50MB$/,
    );
    expect(overBudget(platform(40_000_000, 20_000_000), ratio)).toBeUndefined();
    expect(overBudget(platform(40_000_001, 20_000_000), ratio)).toMatch(
      /2\.0x its base .* over the size-budget of 2x/,
    );
    expect(overBudget({ ...platform(9e9, 1), base: null }, growth)).toBeUndefined();
  });
});
