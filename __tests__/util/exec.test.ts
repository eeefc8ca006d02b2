import { describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { execTool } from '../../src/util/exec.js';
import { readAsRunner } from '../harness/workflow-commands.js';

/** Writes `chunks` into a stream, `gapMs` apart, then ends it (or destroys it, when told). */
function dripping(chunks: Buffer[], gapMs: number, destroyAfter?: number): PassThrough {
  const stream = new PassThrough();
  void (async () => {
    for (const [index, chunk] of chunks.entries()) {
      if (destroyAfter === index) {
        stream.destroy(new Error('the download broke off'));
        return;
      }
      stream.write(chunk);
      await sleep(gapMs);
    }
    stream.end();
  })();
  return stream;
}

describe('execTool with a stream on stdin', () => {
  it('hands the tool every byte, in order, as it arrives', async () => {
    const chunks = Array.from({ length: 8 }, () => randomBytes(100_000));
    const result = await execTool({ command: 'sha256sum', args: ['-'], stdin: dripping(chunks, 5) });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split(' ')[0]).toBe(
      createHash('sha256').update(Buffer.concat(chunks)).digest('hex'),
    );
  });

  it('counts the timeout from the end of the input, not from the start', async () => {
    const chunks = Array.from({ length: 6 }, () => Buffer.from('x'));
    const result = await execTool({
      command: 'wc',
      args: ['-c'],
      stdin: dripping(chunks, 100),
      timeoutMs: 300,
    });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe('6');
  });

  it('still times out a tool that hangs once its input is complete', async () => {
    const result = await execTool({
      command: 'sh',
      args: ['-c', 'cat >/dev/null; sleep 30'],
      stdin: dripping([Buffer.from('x')], 10),
      timeoutMs: 200,
    });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).not.toBe(0);
  });

  it('ends the tool when its input breaks off, before it can answer on part of it', async () => {
    const chunks = Array.from({ length: 5 }, () => Buffer.from('part\n'));
    const result = await execTool({
      command: 'sh',
      args: ['-c', 'cat >/dev/null; echo answered'],
      stdin: dripping(chunks, 20, 2),
    });
    expect(result.signal).toBe('SIGKILL');
    expect(result.stdout).not.toContain('answered');
  });
});

describe('execTool with stream: true', () => {
  it('copies stdout and stderr to the log, secrets redacted, inside fences the runner reads no command in', async () => {
    const forged =
      "printf '::set-output name=digest::x\\r::add-mask::FORGED\\n'; printf '  ::error::FORGED %s\\n' s3cr3t-value >&2; printf '::stop-commands::guess\\n::guess::\\n##[error]FORGED'";
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    // Raw, before jest's guard against commands in this repository's own CI log.
    process.stdout.write = ((chunk: string | Uint8Array): boolean => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let result;
    try {
      result = await execTool({
        command: 'sh',
        args: ['-c', forged],
        stream: true,
        secrets: ['s3cr3t-value'],
      });
    } finally {
      process.stdout.write = write;
    }
    expect(result.exitCode).toBe(0);
    const log = written.join('');
    expect(log).toContain('::error::FORGED ***');
    // The secret only in the action's own request to mask it.
    expect(log.split('s3cr3t-value')).toHaveLength(2);
    expect(log).toContain('##[error]FORGED');
    const { commands, fences } = readAsRunner(log);
    // Only the action's own: the mask of the secret, and the timing line.
    expect(commands.map((c) => [c.command, c.data.replace(/\d+ ms$/, 'N ms')])).toEqual([
      ['add-mask', 's3cr3t-value'],
      ['debug', 'sh: exit 0 in N ms'],
    ]);
    expect(fences.length).toBeGreaterThanOrEqual(2);
    for (const token of fences) expect(token).toMatch(/^[0-9a-f]{32}$/);
  });
});
