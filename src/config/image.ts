import type { GithubContext } from '../github-context.js';
import {
  formatReference,
  isValidDigest,
  isValidTag,
  parseRepositoryOnly,
  tryParseReference,
} from '../image/reference.js';
import { lines, quote, type InputReader } from './reader.js';

/** An image already pushed by another step, given through the `digest` input. */
export interface GivenDigest {
  /** Fully qualified repository, e.g. "ghcr.io/acme/app". */
  repository: string;
  digest: string;
}

/** One matrix leg's image, from `merge`: `repository@sha256:…`. */
export interface MergeLeg {
  repository: string;
  digest: string;
  /** Line of the `merge` input, for errors. */
  line: number;
}

export interface ImageInputs {
  image?: string;
  tags: string[];
  push: boolean;
  build: boolean;
  digest?: GivenDigest;
  pushByDigest: boolean;
  merge: MergeLeg[];
  registryAuth?: { username: string; password: string };
}

/** The image and tags group: `image`, `tags`, `push`, `build`, `digest`, `push-by-digest`, `merge`, registry login. */
export function readImageInputs(
  r: InputReader,
  github: GithubContext,
  registryPassword: string,
): ImageInputs {
  const imageRaw = r.read('image');
  let image: string | undefined;
  if (imageRaw !== '') {
    const parsed = parseRepositoryOnly(imageRaw);
    if (parsed.ok) image = `${parsed.registry}/${parsed.repository}`;
    else r.problem(`Input \`image\`: ${parsed.error}`);
  }

  const digestRaw = r.read('digest');
  const digest = readDigest(r, digestRaw, image, imageRaw);
  const merge = readMerge(r, image);
  const pushByDigest = r.bool('push-by-digest');

  const build = r.bool('build') && digestRaw === '' && merge.length === 0;
  const push = r.bool('push');
  if (push && build && imageRaw === '') {
    r.problem(
      'Input `image` is required to push: set it to the repository to push to (e.g. `ghcr.io/${{ github.repository }}`), or set `push: false` to build and scan without pushing.',
    );
  }
  if (pushByDigest && merge.length > 0)
    r.problem(
      'Inputs `push-by-digest` and `merge` belong to different jobs: `push-by-digest: true` in each matrix leg, `merge` (with `build: false`) in the job after them. Set one of them.',
    );
  if (pushByDigest && (!push || digestRaw !== ''))
    r.problem(
      'Input `push-by-digest: true` builds and pushes a matrix leg by digest, so it needs `push: true` and no `digest`.',
    );
  if (merge.length > 0 && digestRaw !== '')
    r.problem('Inputs `merge` and `digest` both name the image to sign; set one of them.');

  const tags = readTags(r, github, image);
  const registryUsername = r.read('registry-username');
  if (registryPassword !== '' && registryUsername === '')
    r.problem('Input `registry-password` is set but `registry-username` is empty. Set both, or neither.');
  if (registryUsername !== '' && registryPassword === '')
    r.problem('Input `registry-username` is set but `registry-password` is empty. Set both, or neither.');
  oneWord(r, 'registry-username', registryUsername, 'a registry user name');

  return {
    ...(image !== undefined ? { image } : {}),
    tags,
    push,
    build,
    ...(digest !== undefined ? { digest } : {}),
    pushByDigest,
    merge,
    ...(registryUsername !== '' && registryPassword !== ''
      ? { registryAuth: { username: registryUsername, password: registryPassword } }
      : {}),
  };
}

/**
 * A user name or a token is one word: white space inside is two values glued together (a secret pasted with its
 * neighbour), and no HTTP header carries a line break. The value is not quoted: it may be a secret.
 */
export function oneWord(r: InputReader, name: string, value: string, what: string): void {
  if (/[\s\p{Cc}]/u.test(value))
    r.problem(
      `Input \`${name}\` holds white space or a control character (a line break?) inside it, but ${what} is one word. Check the secret or expression that sets it.`,
    );
}

function readDigest(
  r: InputReader,
  raw: string,
  image: string | undefined,
  imageRaw: string,
): GivenDigest | undefined {
  if (raw === '') return undefined;
  if (raw.includes('@')) {
    const parsed = tryParseReference(raw);
    if (!parsed.ok || parsed.ref.digest === undefined) {
      r.problem(
        `Input \`digest\`: ${quote(raw)} is not \`repository@sha256:<64 hex>\`${parsed.ok ? '' : ` (${parsed.error})`}.`,
      );
      return undefined;
    }
    const digest = {
      repository: `${parsed.ref.registry}/${parsed.ref.repository}`,
      digest: parsed.ref.digest,
    };
    if (image !== undefined && image !== digest.repository) {
      r.problem(
        `Input \`digest\` names ${digest.repository} but \`image\` is ${image}. Give one repository: drop \`image\`, or give only \`sha256:…\` in \`digest\`.`,
      );
    }
    return digest;
  }
  if (!isValidDigest(raw)) {
    r.problem(`Input \`digest\`: ${quote(raw)} is not \`sha256:\` followed by 64 lower-case hex characters.`);
    return undefined;
  }
  if (image === undefined) {
    if (imageRaw === '')
      r.problem(
        'Input `digest` is a bare digest, so `image` is needed to say which repository it is in. Set `image`, or give `digest` as `repository@sha256:…`.',
      );
    return undefined;
  }
  return { repository: image, digest: raw };
}

/** `merge`: one `repository@sha256:…` a line, every one in the repository of `image`. */
function readMerge(r: InputReader, image: string | undefined): MergeLeg[] {
  const out: MergeLeg[] = [];
  for (const { text, line } of lines(r.read('merge'))) {
    const parsed = tryParseReference(text);
    if (!parsed.ok || parsed.ref.digest === undefined || parsed.ref.tag !== undefined) {
      r.problem(
        `Input \`merge\`, line ${line}: ${quote(text)} is not \`repository@sha256:<64 hex>\`, the \`image-ref\` output of a \`push-by-digest\` leg.`,
      );
      continue;
    }
    const repository = `${parsed.ref.registry}/${parsed.ref.repository}`;
    if (image === undefined) {
      r.problem('Input `merge` needs `image`: the repository the legs pushed to, where the index goes.');
      return out;
    }
    if (repository !== image) {
      r.problem(
        `Input \`merge\`, line ${line}: ${quote(text)} is in ${repository}, not in \`image\` (${image}). Every leg must push to the repository the index goes to.`,
      );
      continue;
    }
    if (out.some((leg) => leg.digest === parsed.ref.digest)) {
      r.problem(`Input \`merge\`, line ${line}: ${parsed.ref.digest} is listed twice.`);
      continue;
    }
    out.push({ repository, digest: parsed.ref.digest, line });
  }
  return out;
}

/**
 * Short tags join `image`; a full reference is taken as it is only when its first segment is a registry host, and
 * then it must be in `image`'s repository. Anything else with a `/` is a ref name used as a tag
 * (`feature/login`), which would push to another repository, maybe on another registry.
 */
function readTags(r: InputReader, github: GithubContext, image: string | undefined): string[] {
  const tagBase = image ?? `localhost/${localName(github.repository)}`;
  const tags: string[] = [];
  const entries = r.list('tags');
  if (entries.length === 0) entries.push(`sha-${(github.sha || 'local').slice(0, 7)}`);
  for (const entry of entries) {
    const slash = entry.indexOf('/');
    if (slash < 0) {
      if (isValidTag(entry)) tags.push(`${tagBase}:${entry}`);
      else
        r.problem(
          `Input \`tags\`: ${quote(entry)} is not a valid tag (letters, digits, \`_\`, \`.\`, \`-\`, at most 128, not starting with \`.\` or \`-\`)${entry.includes(':') ? '; a full reference starts with the registry host, e.g. `ghcr.io/acme/app:1.0`' : ''}.`,
        );
      continue;
    }
    const first = entry.slice(0, slash);
    if (!(first.includes('.') || first.includes(':') || first === 'localhost')) {
      r.problem(
        `Input \`tags\`: ${quote(entry)} is not a tag: a tag cannot contain \`/\`, and ${quote(first)} is not a registry host. A branch name such as \`feature/login\` needs its \`/\` replaced: use docker/metadata-action's \`tags\` output, or an expression that makes a clean tag.`,
      );
      continue;
    }
    const parsed = tryParseReference(entry);
    if (!parsed.ok) {
      r.problem(`Input \`tags\`: ${quote(entry)} is not a valid image reference: ${parsed.error}`);
      continue;
    }
    if (parsed.ref.digest !== undefined) {
      r.problem(
        `Input \`tags\`: ${quote(entry)} has a digest; tags name what is pushed, so leave the digest out.`,
      );
      continue;
    }
    const repository = `${parsed.ref.registry}/${parsed.ref.repository}`;
    if (image !== undefined && repository !== image) {
      r.problem(
        `Input \`tags\`: ${quote(entry)} is in ${repository}, not in \`image\` (${image}). Every tag names the image this run pushes; give a short tag, or a full reference in ${image}.`,
      );
      continue;
    }
    tags.push(formatReference(parsed.ref));
  }
  return tags;
}

/** A repository name for local builds without `image`: "acme/app" → "app". */
function localName(repository: string): string {
  const name = repository.split('/').pop() ?? '';
  const cleaned = name.toLowerCase().replace(/[^a-z0-9._-]/g, '-');
  return /^[a-z0-9]/.test(cleaned) ? cleaned : 'secure-image';
}
