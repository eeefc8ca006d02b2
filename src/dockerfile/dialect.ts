/**
 * The grammar a builder reads a Dockerfile with. Builders differ in ways that decide which lines are instructions,
 * so which `FROM` lines exist at all: a heredoc body is text to one builder and instructions to another. The base-image
 * check parses the file the way the builder that runs it will.
 *
 * What the grammars differ in (sources: moby/buildkit frontend/dockerfile/parser at the dockerfile/* tags;
 * openshift/imagebuilder dockerfile/parser, which buildah and podman build with):
 * - Heredocs (`RUN <<EOF`, `COPY <<EOF`, `ADD <<EOF`): docker/dockerfile 1.3.0-labs (labs channel only, the
 *   `dfheredoc` build tag), 1.4.0 for everyone. imagebuilder v1.2.6 (commit b0d49c4, "Containerfile: Add heredoc
 *   support"), first vendored by buildah 1.33.0 and podman 4.8.0 (podman 4.7 vendors buildah 1.32, imagebuilder
 *   1.2.5; "podman build now supports Containerfiles with heredoc syntax" in podman 4.8.0's release notes).
 * - Parser directives: docker/dockerfile 1.2 and later read `# syntax=` and `# escape=` (and `# check=` from 1.8)
 *   before the first other line; 1.0, 1.1 and every imagebuilder know only `# escape=` (its first character after
 *   `=`, the rest ignored), so a `# syntax=` line ends the directives there and a `# escape=` after it is a comment.
 * - Line continuation: since docker/dockerfile 1.2.0 (buildkit cc7a3ded6, "fix parsing of trailing backslash") an
 *   escaped escape character (`\\` at the end) does not continue the line; in 1.0, 1.1 and every imagebuilder it does.
 */
export interface Dialect {
  /** Who reads the file this way, for messages: "buildah 1.28.2", "docker/dockerfile:1.3". */
  name: string;
  /** Whether `<<WORD` in RUN, COPY and ADD starts a heredoc whose body is not read as instructions. */
  heredocs: boolean;
  /** The parser directives read at the top of the file; `legacy`: `# escape=` only, as imagebuilder reads it. */
  directives: 'legacy' | readonly string[];
  /** `strict`: a line ending in an escaped escape character does not continue; `legacy`: it does. */
  continuation: 'strict' | 'legacy';
}

/** docker/dockerfile 1.8 and later, and the parser's default. */
export const BUILDKIT_DIALECT: Dialect = {
  name: 'BuildKit (docker/dockerfile 1.8 or later)',
  heredocs: true,
  directives: ['syntax', 'escape', 'check'],
  continuation: 'strict',
};

/** The grammars of the docker/dockerfile frontend, by the first version that reads the file that way. */
const FRONTEND_GRAMMARS: ReadonlyArray<{ since: [number, number]; labs?: true } & Omit<Dialect, 'name'>> = [
  { since: [1, 8], heredocs: true, directives: ['syntax', 'escape', 'check'], continuation: 'strict' },
  { since: [1, 4], heredocs: true, directives: ['syntax', 'escape'], continuation: 'strict' },
  { since: [1, 3], labs: true, heredocs: true, directives: ['syntax', 'escape'], continuation: 'strict' },
  { since: [1, 2], heredocs: false, directives: ['syntax', 'escape'], continuation: 'strict' },
  { since: [0, 0], heredocs: false, directives: 'legacy', continuation: 'legacy' },
];

/** buildah and podman read with imagebuilder; heredocs from buildah 1.33.0 and podman 4.8.0. */
export const HEREDOCS_SINCE: Readonly<Record<'buildah' | 'podman', readonly [number, number]>> = {
  buildah: [1, 33],
  podman: [4, 8],
};

function atLeast(version: readonly number[], since: readonly [number, number]): boolean {
  const [major = 0, minor = 0] = version;
  return major > since[0] || (major === since[0] && minor >= since[1]);
}

/** The grammar of a buildah or podman of this version. */
export function containersDialect(builder: 'buildah' | 'podman', version: readonly number[]): Dialect {
  const heredocs = atLeast(version, HEREDOCS_SINCE[builder]);
  return {
    name: `${builder} ${version.join('.')}${heredocs ? '' : ' (no heredocs)'}`,
    heredocs,
    directives: 'legacy',
    continuation: 'legacy',
  };
}

/** Every grammar a buildah or podman of some version reads with: the union when its version is not known. */
export function containersDialects(builder: 'buildah' | 'podman'): Dialect[] {
  const [major, minor] = HEREDOCS_SINCE[builder];
  return [
    { ...containersDialect(builder, [major, minor]), name: `${builder} ${major}.${minor} or later` },
    {
      ...containersDialect(builder, [major, minor - 1]),
      name: `${builder} before ${major}.${minor} (no heredocs)`,
    },
  ];
}

/** Every grammar of the docker/dockerfile frontend, newest first. */
export function frontendDialects(): Dialect[] {
  return FRONTEND_GRAMMARS.map((g, i) => ({
    name:
      i === 0
        ? BUILDKIT_DIALECT.name
        : `docker/dockerfile ${g.since[0] === 0 ? '1.0–1.1' : `${g.since.join('.')}${g.labs ? '-labs' : ''}`}`,
    heredocs: g.heredocs,
    directives: g.directives,
    continuation: g.continuation,
  }));
}

/** The frontend images whose grammar is known: Docker's own, on Docker Hub. */
const KNOWN_FRONTENDS = new Set(['docker/dockerfile', 'docker/dockerfile-upstream']);

export type FrontendGrammar =
  /** The frontend's tag names its version. */
  | { kind: 'known'; dialect: Dialect }
  /** Docker's frontend, but no tag says which version (a digest only): any of its grammars. */
  | { kind: 'any-version'; dialects: Dialect[] }
  /** Not Docker's frontend: its grammar is whatever its author made it. */
  | { kind: 'unknown' };

/**
 * The grammar of a frontend image as `# syntax=` or BUILDKIT_SYNTAX names it: `docker/dockerfile:1.3` (no heredocs),
 * `docker/dockerfile:1`, `:1.4`, `:latest`, `:labs`, `:1.3-labs` (heredocs); written with a digest (`…@sha256:…`), any of
 * its grammars: the digest, not the tag beside it, decides which frontend runs. The gate pins a tag to the digest it
 * checked, so a tag alone names the version that runs.
 */
export function frontendGrammar(image: string): FrontendGrammar {
  const m =
    /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/)?([^:@]+)(?::([^@]+))?(?:@(.+))?$/.exec(
      image,
    );
  const repository = m?.[1];
  if (m === null || repository === undefined || !KNOWN_FRONTENDS.has(repository)) return { kind: 'unknown' };
  const tag = m[2];
  // With a digest, the digest decides what runs and a tag beside it is only a word the file chose: any version.
  if (m[3] !== undefined) return { kind: 'any-version', dialects: frontendDialects() };
  if (tag === undefined) return known(image, 0);
  const version = /^(\d+)(?:\.(\d+))?(?:\.\d+)?(?:-rc\d+)?(-labs|-experimental)?$/.exec(tag);
  if (version === null) {
    // latest, labs, master, master-labs, nightly…: the newest grammar; any other word is no version we know.
    return /^(latest|labs|master|master-labs|nightly|mainline|mainline-labs)$/.test(tag)
      ? known(image, 0)
      : { kind: 'any-version', dialects: frontendDialects() };
  }
  const major = Number(version[1]);
  // `1` alone is the newest 1.x; a minor version below what we list reads as the oldest grammar.
  const minor = version[2] === undefined ? Number.POSITIVE_INFINITY : Number(version[2]);
  const labs = version[3] === '-labs';
  const index = FRONTEND_GRAMMARS.findIndex(
    (g) => (!g.labs || labs) && (major > g.since[0] || (major === g.since[0] && minor >= g.since[1])),
  );
  return known(image, index < 0 ? FRONTEND_GRAMMARS.length - 1 : index);
}

function known(image: string, index: number): FrontendGrammar {
  const dialect = frontendDialects()[index] ?? BUILDKIT_DIALECT;
  return {
    kind: 'known',
    dialect: { ...dialect, name: `${image} (${dialect.heredocs ? 'heredocs' : 'no heredocs'})` },
  };
}
