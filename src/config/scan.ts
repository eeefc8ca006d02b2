import { lines, type InputReader } from './reader.js';

export type ScannerName = 'trivy' | 'grype' | 'none';
export type FailOn = 'critical' | 'high' | 'medium' | 'low' | 'never';

export interface ScanInputs {
  scanner: ScannerName;
  failOnSeverity: FailOn;
  ignoreUnfixed: boolean;
  ignoreFile?: string;
  vex: string[];
}

/** The scan group: `scanner`, `fail-on-severity`, `ignore-unfixed`, `ignore-file`, `vex`. */
export function readScanInputs(r: InputReader): ScanInputs {
  const ignoreFile = r.existingPath('ignore-file', 'file', r.read('ignore-file'));
  return {
    scanner: r.oneOf('scanner', ['trivy', 'grype', 'none'] as const),
    failOnSeverity: r.oneOf('fail-on-severity', ['high', 'critical', 'medium', 'low', 'never'] as const),
    ignoreUnfixed: r.bool('ignore-unfixed'),
    ...(ignoreFile !== undefined ? { ignoreFile } : {}),
    vex: lines(r.read('vex'))
      .map(({ text }) => r.existingPath('vex', 'file', text))
      .filter((p): p is string => p !== undefined),
  };
}
