// Text from the repository or a tool in the job log, read back the way the runner reads stdout: no line of it may act
// as a workflow command, however it splits lines (CR, LF), indents, or forges a fence of its own.
import { describe, expect, it } from '@jest/globals';
import { escapeLineBreaks, fenceCommands, fencedLineWriter } from '../../src/util/log.js';
import { readAsRunner } from '../harness/workflow-commands.js';

const FORGED = [
  '::set-output name=digest::sha256:' + 'e'.repeat(64),
  'progress 50%\r::add-mask::FORGED',
  '   ::error file=Dockerfile,line=1::FORGED',
  'text ##[set-output name=signed;]FORGED',
  '::stop-commands::guess\n::error::FORGED\n::guess::\n::error::FORGED after the forged fence',
].join('\n');

describe('fenceCommands', () => {
  it('hides every command the text holds, and the runner acts again after the fence', () => {
    const out = `${fenceCommands(FORGED)}::warning::ours\n`;
    const { commands, fences } = readAsRunner(out);
    expect(commands.map((c) => [c.command, c.data])).toEqual([['warning', 'ours']]);
    expect(fences).toHaveLength(1);
    expect(fences[0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('makes a new token for each fence', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => readAsRunner(fenceCommands('x')).fences[0]));
    expect(tokens.size).toBe(50);
  });
});

describe('escapeLineBreaks', () => {
  it('keeps repository text on its line', () => {
    expect(escapeLineBreaks('CVE-1\r::error::x\n::add-mask::y')).toBe('CVE-1\\r::error::x\\n::add-mask::y');
    expect(readAsRunner(`note: ${escapeLineBreaks('a\r::error::FORGED')}\n`).commands).toEqual([]);
  });
});

describe('fencedLineWriter', () => {
  it('fences whole lines, whatever the chunks, and two streams interleaved cannot end each other’s fence', () => {
    let out = '';
    const write = (text: string): void => {
      out += text;
    };
    const a = fencedLineWriter((t) => t, write);
    const b = fencedLineWriter((t) => t, write);
    const bytes = Buffer.from(`${FORGED}\nlast line without an end ::error::FORGED`);
    // Chunks that cut lines, and a multi-byte character, anywhere.
    const text = Buffer.concat([bytes, Buffer.from('\n€::error::FORGED\n')]);
    for (let i = 0; i < text.length; i += 7) {
      a.write(text.subarray(i, i + 7));
      b.write(text.subarray(i, i + 7));
    }
    a.end();
    b.end();
    const { commands } = readAsRunner(`${out}::notice::ours\n`);
    expect(commands.map((c) => c.command)).toEqual(['notice']);
    const visible = out.replace(
      /^::(stop-commands::)?[0-9a-f]{32}::\n|^::stop-commands::[0-9a-f]{32}\n/gm,
      '',
    );
    expect(visible.split('€').length - 1).toBe(2);
    expect(visible).toContain('last line without an end ::error::FORGED');
  });

  it('applies the transform (redaction) to each fenced block', () => {
    let out = '';
    const w = fencedLineWriter(
      (t) => t.replace(/secret/g, '***'),
      (t) => void (out += t),
    );
    w.write(Buffer.from('a secret\n'));
    w.end();
    expect(out).toContain('a ***\n');
    expect(out).not.toContain('secret');
  });
});
