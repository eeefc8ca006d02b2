import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyBlobSink } from '../../src/tools/verify-blob.js';
import { releaseSigner } from '../harness/release-signing.js';
import { installStandins, type Standins } from '../harness/standins.js';

const SIGNER = {
  identity: 'https://github.com/acme/tool/.github/workflows/release.yaml@refs/tags/v1.0.0',
  issuer: 'https://token.actions.githubusercontent.com',
};
let dir: string;
let standins: Standins;
let bundle: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-blob-sink-'));
  standins = await installStandins(join(dir, 'standins'), {
    cosign: {
      blobs: [{ match: 'tool.tar.gz', identity: SIGNER.identity, issuer: SIGNER.issuer }],
      // As cosign v3 fetching its trust root from a server that does not answer: stdin is not read meanwhile.
      rules: [{ command: 'verify-blob', delayMs: 30_000 }],
    },
  });
  bundle = join(dir, 'tool.tar.gz.sigstore.json');
  await writeFile(bundle, releaseSigner(SIGNER.identity, SIGNER.issuer).bundle('tool'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('verifyBlobSink', () => {
  it('a cosign that never gets to its input is stopped a time limit after the download ended, with no verdict', async () => {
    const sink = verifyBlobSink(
      Promise.resolve({
        cosign: standins.cosign,
        request: { blob: 'tool.tar.gz', material: { kind: 'bundle', bundle }, signer: SIGNER },
      }),
      { maxQueuedBytes: 64 * 1024 * 1024, timeoutMs: 500 },
    );
    await sink.write(Buffer.alloc(256 * 1024, 1));
    const result = await sink.close();
    expect(result).toEqual({
      ok: true,
      value: { kind: 'not-streamed', why: 'cosign did not answer within 0.5 s of the end of the download' },
    });
    // Stopped while it waited, before it read (or logged) anything.
    expect(standins.calls('cosign')).toEqual([]);
  });
});
