import {
  containersDialect,
  containersDialects,
  frontendDialects,
  frontendGrammar,
  HEREDOCS_SINCE,
  type Dialect,
} from '../dockerfile/dialect.js';
import { execTool } from '../util/exec.js';
import type { BuilderName } from './types.js';

/** How the builder of this run reads the Dockerfile: one grammar, or several when it cannot be known. */
export interface BuilderDialects {
  /** The first is the reading the build is pinned by; a FROM any of them reads is checked. */
  dialects: Dialect[];
  /** For the stage row: whose grammar, and why several. */
  why: string;
  /** With several grammars: how to have the file read in one (a FROM only another grammar reads is then gone). */
  fix?: string;
  /** A `# syntax=` or BUILDKIT_SYNTAX frontend that is not Docker's: its grammar is not known at all. */
  unknownFrontend?: { image: string; line: number };
}

/** The frontend BuildKit runs: the BUILDKIT_SYNTAX build-arg, which BuildKit prefers, else `# syntax=`. */
export interface Frontend {
  image: string;
  /** 0 for the build-arg. */
  line: number;
}

/**
 * The grammar the builder reads the Dockerfile with. buildah and podman: by their version (`buildah version --json`,
 * `podman version --format json`, the server's for a remote podman). BuildKit: by the frontend image, or every grammar
 * of Docker's frontend when the daemon's built-in one reads it (its version is the daemon's, which this run does not
 * ask). No builder (nothing is built here, or none was found): every grammar known.
 */
export async function builderDialects(
  builder: BuilderName | undefined,
  frontend: Frontend | undefined,
): Promise<BuilderDialects> {
  if (builder === undefined) {
    return {
      dialects: [...frontendDialects(), ...containersDialects('buildah')],
      why: 'every grammar a builder may read it with (no builder in this run)',
    };
  }
  if (builder !== 'docker') {
    const version = await containersVersion(builder);
    if (version === undefined) {
      return {
        dialects: containersDialects(builder),
        why: `with and without heredocs (the ${builder} version could not be read)`,
        fix: `Make \`${builder} version\` work on the runner, so the check reads the grammar of that version alone.`,
      };
    }
    const dialect = containersDialect(builder, version);
    const since = HEREDOCS_SINCE[builder].join('.');
    return {
      dialects: [dialect],
      why: dialect.name,
      ...(dialect.heredocs
        ? {}
        : {
            fix: `To ${builder} ${since} and later, as to BuildKit, a heredoc's body is text, not instructions.`,
          }),
    };
  }
  if (frontend === undefined) {
    return {
      dialects: frontendDialects(),
      why: "every version of BuildKit's built-in Dockerfile frontend (no `# syntax=` names one)",
      fix: 'Name the frontend in the first line, e.g. `# syntax=docker/dockerfile:1`, so the check reads its grammar alone.',
    };
  }
  const grammar = frontendGrammar(frontend.image);
  switch (grammar.kind) {
    case 'known':
      return { dialects: [grammar.dialect], why: grammar.dialect.name };
    case 'any-version':
      return {
        dialects: grammar.dialects,
        why: `every version of ${frontend.image.replace(/@.*/, '')} (a digest names no version)`,
        fix: 'Name the frontend by its tag alone (e.g. `docker/dockerfile:1.7`): the check pins the digest it reads, and reads that version alone.',
      };
    case 'unknown':
      return {
        dialects: frontendDialects(),
        why: `every grammar of docker/dockerfile; ${frontend.image} is a frontend of unknown grammar`,
        unknownFrontend: frontend,
      };
  }
}

/** `major.minor.patch` of buildah or podman; undefined when it does not say. */
async function containersVersion(builder: 'buildah' | 'podman'): Promise<number[] | undefined> {
  const args = builder === 'buildah' ? ['version', '--json'] : ['version', '--format', 'json'];
  try {
    const r = await execTool({
      command: builder,
      args,
      timeoutMs: 15_000,
      label: `${builder} ${args.join(' ')}`,
    });
    if (r.exitCode !== 0) return undefined;
    return parseContainersVersion(r.stdout);
  } catch {
    return undefined;
  }
}

/** The version in `buildah version --json` (`version`) or `podman version --format json` (`Server`, else `Client`). */
export function parseContainersVersion(json: string): number[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const o = value as Record<string, { Version?: unknown } | undefined> & { version?: unknown };
  const text = o.version ?? o.Server?.Version ?? o.Client?.Version;
  const m = typeof text === 'string' ? /^v?(\d+)\.(\d+)\.(\d+)/.exec(text) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}
