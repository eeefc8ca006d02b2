/**
 * Package URLs (github.com/package-url/purl-spec): just enough to match ignore and VEX entries against findings.
 *
 * Kept rather than packageurl-js 2.0.1 (issue #21), measured on 2026-12-07 (Node 24, 2-core machine under load):
 * parsing 20,000 purls of five types (deb with qualifiers, scoped npm, pypi, golang with a subpath, maven)
 * takes 217 ms here and 335 ms there; packageurl-js throws on `pkg:golang/github.com/Acme/lib@v1` ("throws is
 * not defined", a bug of its golang check) where a finding's purl must still parse; and it throws on what is
 * not a purl where callers here want undefined, to treat the text as a vulnerability id instead.
 */
export interface PackageUrl {
  type: string;
  namespace: string;
  name: string;
  version: string;
  qualifiers: Record<string, string>;
  subpath: string;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** undefined when the text is not a purl. */
export function parsePurl(text: string): PackageUrl | undefined {
  let rest = text.trim();
  if (!/^pkg:/i.test(rest)) return undefined;
  rest = rest.slice(4).replace(/^\/+/, '');

  let subpath = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    subpath = rest
      .slice(hash + 1)
      .split('/')
      .filter((s) => s !== '' && s !== '.' && s !== '..')
      .map(decode)
      .join('/');
    rest = rest.slice(0, hash);
  }

  const qualifiers: Record<string, string> = {};
  const question = rest.indexOf('?');
  if (question >= 0) {
    for (const pair of rest.slice(question + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const value = decode(pair.slice(eq + 1));
      if (value !== '') qualifiers[pair.slice(0, eq).toLowerCase()] = value;
    }
    rest = rest.slice(0, question);
  }

  let version = '';
  const slashBeforeVersion = rest.lastIndexOf('/');
  const at = rest.lastIndexOf('@');
  if (at > slashBeforeVersion) {
    version = decode(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }

  const segments = rest.split('/').filter((s) => s !== '');
  if (segments.length < 2) return undefined;
  const type = (segments[0] ?? '').toLowerCase();
  const name = decode(segments[segments.length - 1] ?? '');
  const namespace = segments.slice(1, -1).map(decode).join('/');
  if (type === '' || name === '') return undefined;
  return { type, namespace, name, version, qualifiers, subpath };
}

/**
 * Whether `target` is one of the packages the `constraint` purl names, as trivy matches its ignore `purls`:
 * type, namespace and name must be equal; a version, subpath or qualifier in the constraint must be in the target.
 */
export function purlMatches(constraint: PackageUrl, target: PackageUrl): boolean {
  if (constraint.type !== target.type) return false;
  if (constraint.namespace !== target.namespace) return false;
  if (constraint.name !== target.name) return false;
  if (constraint.version !== '' && constraint.version !== target.version) return false;
  if (constraint.subpath !== '' && constraint.subpath !== target.subpath) return false;
  return Object.entries(constraint.qualifiers).every(([k, v]) => target.qualifiers[k] === v);
}
