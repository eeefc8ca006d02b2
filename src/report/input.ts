import type { GithubContext } from '../github-context.js';
import type { BaseImageEntry } from '../policy/entries.js';
import type { RuleDemand } from '../policy/match.js';
import type { RunReport } from '../report/run-report.js';
import type { Finding } from '../scan/finding.js';
import type { ScanSummary } from '../scan/scan-target.js';
import type { SignResult } from '../sign/signing.js';
import type { InstallResult } from '../tools/install.js';
import type { BaseUpdate } from './base-updates-section.js';
import type { SizeReport } from './size-section.js';

/** What the scan stage hands the report; a `ScanStageResult` is one. */
export interface ScanInput {
  summary: ScanSummary;
  /** The `scan-report` file: where the rows a cut table leaves out can be read. */
  reportFile?: string;
  /** Every finding, when known: the tables then list more than the summary's few. */
  gate?: {
    top: readonly Finding[];
    ignored: ReadonlyArray<{ finding: Finding; reason: string }>;
  };
}

/** Everything the job summary and the PR comment are made from; all but the first six are optional. */
export interface SummaryInput {
  report: RunReport;
  /** What the run is about: the pushed reference, or the local name. */
  subject: string;
  baseImages?: readonly BaseImageEntry[];
  tools?: InstallResult;
  /** Repository-relative Dockerfile path, for the line links. */
  dockerfile: string;
  github: GithubContext;
  /** The full references pushed (`tags` output). */
  tags?: readonly string[];
  scan?: ScanInput;
  sign?: SignResult;
  /** Newer digests behind the tags of pinned base images (`base-updates`). */
  baseUpdates?: readonly BaseUpdate[];
  /** The image's size per platform against its base image (read from the registry). */
  size?: SizeReport;
  /** The platforms built (or merged): said under the verdict. */
  platforms?: readonly string[];
  /** The trust policy file as the repository names it, when one was given: where a rule is edited. */
  trustPolicy?: string;
  /** What each rule (by its report label) asks of a signature: a failed base image's next step, a verified one's signer cell. */
  ruleDemands?: Readonly<Record<string, RuleDemand>>;
  /** `digest-pinning`: with `off`, unpinned references are not listed to pin. */
  digestPinning?: 'off' | 'warn' | 'enforce';
  /** Size limit in UTF-8 bytes; the default leaves margin under GitHub's limit. */
  maxBytes?: number;
  /** Display caps: rows shown before "N more rows not shown". */
  limits?: Partial<ReportLimits>;
}

export interface ReportLimits {
  findings: number;
  ignored: number;
  baseImages: number;
  notices: number;
}
