import { quote, type InputReader } from './reader.js';

export interface ToolInputs {
  cosignVersion?: string;
  scannerVersion?: string;
  cosignPath?: string;
  scannerPath?: string;
  toolMirror?: string;
  /** Limit for each run of cosign or the scanner, in milliseconds. */
  stageTimeoutMs: number;
}

const VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** The tools group: `cosign-version`, `scanner-version`, `cosign-path`, `scanner-path`, `tool-mirror`, `stage-timeout`. */
export function readToolInputs(r: InputReader): ToolInputs {
  const version = (name: string): string | undefined => {
    const raw = r.read(name);
    if (raw === '') return undefined;
    if (!VERSION.test(raw)) {
      r.problem(`Input \`${name}\`: ${quote(raw)} is not a release version like \`v1.2.3\`.`);
      return undefined;
    }
    return raw.startsWith('v') ? raw : `v${raw}`;
  };

  const mirrorRaw = r.read('tool-mirror');
  let toolMirror: string | undefined;
  if (mirrorRaw !== '') {
    try {
      // new URL() drops tabs and newlines silently; a mirror with them is two values glued together.
      if ([...mirrorRaw].some((c) => c.trim() === '' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
        throw new Error('whitespace');
      }
      const url = new URL(mirrorRaw);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
      toolMirror = mirrorRaw.replace(/\/+$/, '');
    } catch {
      r.problem(`Input \`tool-mirror\`: ${quote(mirrorRaw)} is not an http(s) URL.`);
    }
  }

  const timeoutRaw = r.read('stage-timeout') || '15m';
  const timeout = /^(\d+)(s|m|h)?$/.exec(timeoutRaw);
  const stageTimeoutMs = timeout
    ? Number(timeout[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[(timeout[2] ?? 's') as 's' | 'm' | 'h']
    : 0;
  if (!timeout || stageTimeoutMs <= 0 || stageTimeoutMs > 6 * 3_600_000) {
    r.problem(
      `Input \`stage-timeout\`: ${quote(timeoutRaw)} is not a duration like \`90s\`, \`15m\` or \`1h\` (at most 6h, GitHub's job limit).`,
    );
  }

  const optional = {
    cosignVersion: version('cosign-version'),
    scannerVersion: version('scanner-version'),
    cosignPath: r.executable('cosign-path'),
    scannerPath: r.executable('scanner-path'),
    toolMirror,
  };
  return {
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    stageTimeoutMs,
  };
}
