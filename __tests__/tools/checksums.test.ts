import { describe, expect, it } from '@jest/globals';
import { lookupChecksum, parseChecksums } from '../../src/tools/checksums.js';

// goreleaser writes `<sha256>  <name>` (two spaces, sha256sum text mode), one line per file, sorted, LF, with a
// final newline. These are the published cosign v3.0.6 binary hashes.
const COSIGN_CHECKSUMS = [
  '4c3e7af8372d3ca3296e62fa56f23fcbb5721cc6ac1827900d398f110d7cd280  cosign-darwin-amd64',
  '5fadd012ae6381a6a29ff86a7d39aa873878852f1073fc90b15995961ecfb084  cosign-darwin-arm64',
  'c956e5dfcac53d52bcf058360d579472f0c1d2d9b69f55209e256fe7783f4c74  cosign-linux-amd64',
  'bedac92e8c3729864e13d4a17048007cfafa79d5deca993a43a90ffe018ef2b8  cosign-linux-arm64',
  '9b85a88ebff2d9dd30ff4984a6f61f2cedc232dd87d81fa7f2ff3c0ed96c241c  cosign-windows-amd64.exe',
  '',
].join('\n');

describe('parseChecksums (goreleaser format)', () => {
  it('reads every line of a goreleaser checksums file', () => {
    const hashes = parseChecksums(COSIGN_CHECKSUMS, 'cosign_checksums.txt');
    expect(hashes.size).toBe(5);
    expect(hashes.get('cosign-linux-amd64')).toBe(
      'c956e5dfcac53d52bcf058360d579472f0c1d2d9b69f55209e256fe7783f4c74',
    );
    expect(hashes.get('cosign-windows-amd64.exe')).toBe(
      '9b85a88ebff2d9dd30ff4984a6f61f2cedc232dd87d81fa7f2ff3c0ed96c241c',
    );
  });

  it('matches names exactly, not by substring', () => {
    const hashes = parseChecksums(COSIGN_CHECKSUMS, 'cosign_checksums.txt');
    expect(lookupChecksum(hashes, 'cosign-linux')).toEqual({ ok: false });
    expect(lookupChecksum(hashes, 'linux-amd64')).toEqual({ ok: false });
    expect(lookupChecksum(hashes, 'cosign-linux-amd64.sigstore.json')).toEqual({ ok: false });
    expect(lookupChecksum(hashes, 'cosign-linux-arm64')).toEqual({
      ok: true,
      sha256: 'bedac92e8c3729864e13d4a17048007cfafa79d5deca993a43a90ffe018ef2b8',
    });
  });

  it('accepts CRLF, upper-case hex and the binary-mode star', () => {
    const text =
      'C956E5DFCAC53D52BCF058360D579472F0C1D2D9B69F55209E256FE7783F4C74 *cosign-linux-amd64\r\n' +
      'bedac92e8c3729864e13d4a17048007cfafa79d5deca993a43a90ffe018ef2b8\tcosign-linux-arm64\r\n';
    const hashes = parseChecksums(text, 'x');
    expect(hashes.get('cosign-linux-amd64')).toBe(
      'c956e5dfcac53d52bcf058360d579472f0c1d2d9b69f55209e256fe7783f4c74',
    );
    expect(hashes.get('cosign-linux-arm64')).toBe(
      'bedac92e8c3729864e13d4a17048007cfafa79d5deca993a43a90ffe018ef2b8',
    );
  });

  it('skips lines that are not a hash and a name', () => {
    const text = 'not a checksum line\nabc123  short-hash\n\n' + COSIGN_CHECKSUMS;
    const hashes = parseChecksums(text, 'x');
    expect(hashes.size).toBe(5);
    expect(hashes.has('short-hash')).toBe(false);
  });

  it('keeps names with spaces whole', () => {
    const hashes = parseChecksums(`${'a'.repeat(64)}  my tool_1.0.0.tar.gz\n`, 'x');
    expect(hashes.get('my tool_1.0.0.tar.gz')).toBe('a'.repeat(64));
  });

  it('refuses a file that lists one name with two hashes', () => {
    const text = `${COSIGN_CHECKSUMS}${'0'.repeat(64)}  cosign-linux-amd64\n`;
    expect(() => parseChecksums(text, 'cosign_checksums.txt')).toThrow(
      'cosign_checksums.txt line 6 lists cosign-linux-amd64 a second time with a different SHA-256',
    );
  });

  it('tolerates a name listed twice with the same hash', () => {
    const text = `${COSIGN_CHECKSUMS}c956e5dfcac53d52bcf058360d579472f0c1d2d9b69f55209e256fe7783f4c74  cosign-linux-amd64\n`;
    expect(parseChecksums(text, 'x').size).toBe(5);
  });
});
