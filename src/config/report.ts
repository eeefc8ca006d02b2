import { oneWord } from './image.js';
import type { InputReader } from './reader.js';

export interface ReportInputs {
  summary: boolean;
  annotate: boolean;
  prComment: boolean;
  githubToken?: string;
}

/** The report group: `summary`, `annotate`, `pr-comment`, `github-token`. */
export function readReportInputs(r: InputReader, githubToken: string): ReportInputs {
  oneWord(r, 'github-token', githubToken, 'a token');
  return {
    summary: r.bool('summary'),
    annotate: r.bool('annotate'),
    prComment: r.bool('pr-comment'),
    ...(githubToken !== '' ? { githubToken } : {}),
  };
}
