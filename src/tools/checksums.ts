/**
 * goreleaser's checksums file: one `<sha256 hex>  <file name>` per line, as `sha256sum` writes it (a `*` before
 * the name marks binary mode). Returns file name → lower-case hash.
 *
 * A name listed twice with different hashes is an error, not "the last one wins": a file that vouches for two
 * different contents for the same asset vouches for neither.
 */
export function parseChecksums(text: string, source: string): Map<string, string> {
  const hashes = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^([0-9a-fA-F]{64})\s+\*?(.+)$/.exec(line);
    if (!match?.[1] || !match[2]) return;
    const hash = match[1].toLowerCase();
    const name = match[2].trim();
    const previous = hashes.get(name);
    if (previous !== undefined && previous !== hash) {
      throw new Error(`${source} line ${index + 1} lists ${name} a second time with a different SHA-256`);
    }
    hashes.set(name, hash);
  });
  return hashes;
}

/** The hash `checksums` lists for `file`, or a message saying it lists none. */
export function lookupChecksum(
  checksums: ReadonlyMap<string, string>,
  file: string,
): { ok: true; sha256: string } | { ok: false } {
  const sha256 = checksums.get(file);
  return sha256 === undefined ? { ok: false } : { ok: true, sha256 };
}
