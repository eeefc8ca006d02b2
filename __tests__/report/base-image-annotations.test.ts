// The pin suggestion lands on the line to change: the ARG line when the FROM lines use an ARG default
// whole, once per ARG; the FROM line otherwise.
import { describe, expect, it } from '@jest/globals';
import { analyzeBaseImages, parseDockerfile } from '../../src/dockerfile/index.js';
import type { BaseImageEntry } from '../../src/policy/entries.js';
import { baseImageAnnotations } from '../../src/report/base-image-annotations.js';

const DIGEST = 'sha256:' + 'c'.repeat(64);

function annotate(text: string, digestPinning: 'warn' | 'enforce' = 'warn') {
  const analysis = analyzeBaseImages(parseDockerfile(text), {
    buildArgs: {},
    buildPlatform: 'linux/amd64',
    targetPlatform: 'linux/amd64',
  });
  const entries: BaseImageEntry[] = analysis.images.map((use) => ({
    kind: use.kind,
    stage: use.stage,
    line: use.line,
    ref: use.ref,
    image: use.resolved,
    digest: DIGEST,
    pinned: false,
    status: 'allowed-unsigned',
    rule: 'build tools',
    signer: null,
    reason: null,
  }));
  return baseImageAnnotations(
    entries,
    analysis.images,
    new Map(),
    new Map(),
    { file: 'app/Dockerfile', verifyBaseImages: 'enforce', digestPinning },
    text,
  );
}

describe('pin suggestions', () => {
  it('for FROM ${BASE} on two lines: one suggestion, on the ARG line, pinning its default', () => {
    const text = [
      'ARG REGISTRY=127.0.0.1:5000',
      'ARG BASE=${REGISTRY}/secure-image/busybox:stable',
      '',
      'FROM ${BASE} AS build',
      'RUN true',
      'FROM $BASE',
      'COPY --from=build /bin/true /true',
      '',
    ].join('\n');
    const pins = annotate(text);
    expect(pins).toEqual([
      {
        level: 'warning',
        file: 'app/Dockerfile',
        line: 2,
        title: 'Base image not pinned to a digest',
        message:
          'The default of ARG BASE (127.0.0.1:5000/secure-image/busybox:stable, used by FROM on lines 4, 6) can change under you. Pin it on this line:\n' +
          `ARG BASE=\${REGISTRY}/secure-image/busybox:stable@${DIGEST}\n` +
          '(A value passed in `build-args` replaces this default: pin that value too.)',
      },
    ]);
  });

  it('keeps the quotes of a quoted default, and is an error under digest-pinning: enforce', () => {
    const pins = annotate('ARG IMG="alpine:3.20"\nFROM ${IMG}\n', 'enforce');
    expect(pins.map((p) => [p.level, p.line])).toEqual([['error', 1]]);
    expect(pins[0]?.message).toContain(`\nARG IMG="alpine:3.20@${DIGEST}"\n`);
  });

  it('a reference only partly made of an ARG is pinned on its FROM line', () => {
    const pins = annotate('ARG GO=1.22\nFROM golang:${GO}\n');
    expect(pins.map((p) => p.line)).toEqual([2]);
    expect(pins[0]?.message).toBe(
      `golang:\${GO} can change under you. Pin it:\nFROM docker.io/library/golang:1.22@${DIGEST}`,
    );
  });
});
