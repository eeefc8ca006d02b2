import type { PolicyRule } from './types.js';

/**
 * Signers of widely used minimal base images, trusted without a policy file. The file's rules come
 * first, so a repository can override either one.
 */
export const BUILT_IN_RULES: readonly PolicyRule[] = Object.freeze(
  [
    {
      name: 'distroless',
      images: ['gcr.io/distroless/**'],
      source: 'built-in' as const,
      keyless: {
        identity: 'keyless@distroless.iam.gserviceaccount.com',
        issuer: 'https://accounts.google.com',
      },
    },
    {
      name: 'chainguard',
      images: ['cgr.dev/chainguard/**'],
      source: 'built-in' as const,
      keyless: {
        identity:
          'https://github.com/chainguard-images/images/.github/workflows/release.yaml@refs/heads/main',
        issuer: 'https://token.actions.githubusercontent.com',
      },
    },
  ].map((rule) =>
    Object.freeze({ ...rule, images: Object.freeze(rule.images), keyless: Object.freeze(rule.keyless) }),
  ) as PolicyRule[],
);
