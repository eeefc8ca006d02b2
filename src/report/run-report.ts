import { errorMessage } from '../util/errors.js';

export type StageId =
  'tools' | 'base-images' | 'build' | 'push' | 'scan' | 'sign' | 'attest' | 'verify' | 'publish';

export const STAGE_TITLES: Record<StageId, string> = {
  tools: 'Tools',
  'base-images': 'Base images',
  build: 'Build',
  push: 'Push',
  scan: 'Scan',
  sign: 'Sign',
  attest: 'Attest',
  verify: 'Verify signature',
  publish: 'Tags',
};

/** The order of the stage table: the order the stages run in. */
export const STAGE_ORDER: readonly StageId[] = [
  'tools',
  'base-images',
  'build',
  'push',
  'scan',
  'sign',
  'attest',
  'verify',
  'publish',
];

/** Why a stage will not run, decided from the inputs alone before anything runs. */
export type StagePlan = Record<StageId, { run: true } | { run: false; reason: string }>;

export type StageStatus = 'passed' | 'failed' | 'warning' | 'skipped' | 'not-run';

export interface StageRecord {
  id: StageId;
  title: string;
  status: StageStatus;
  /** One line a maintainer reads in the stage table. */
  detail: string;
  durationMs?: number;
}

/** Everything the run did, as it happened: the single source for the summary, annotations and outputs. */
export class RunReport {
  readonly stages = new Map<StageId, StageRecord>();
  readonly notices: string[] = [];
  readonly startedAt = Date.now();
  failure?: { stage?: StageId; message: string };

  constructor(plan: StagePlan) {
    for (const id of STAGE_ORDER) {
      const p = plan[id];
      this.stages.set(id, {
        id,
        title: STAGE_TITLES[id],
        status: p.run ? 'not-run' : 'skipped',
        detail: p.run ? '' : p.reason,
      });
    }
  }

  set(id: StageId, status: StageStatus, detail: string, durationMs?: number): void {
    const record = this.stages.get(id);
    if (!record) return;
    record.status = status;
    record.detail = detail;
    if (durationMs !== undefined) record.durationMs = durationMs;
  }

  /** Runs a stage, timing it; a throw marks the stage failed (with the message) and goes on up. */
  async run<T>(
    id: StageId,
    fn: () => Promise<{ value: T; status?: StageStatus; detail: string }>,
  ): Promise<T> {
    const started = performance.now();
    try {
      const result = await fn();
      this.set(id, result.status ?? 'passed', result.detail, Math.round(performance.now() - started));
      return result.value;
    } catch (error) {
      this.set(id, 'failed', firstLine(errorMessage(error)), Math.round(performance.now() - started));
      this.failure ??= { stage: id, message: errorMessage(error) };
      throw error;
    }
  }

  /** Stages still waiting when the run stopped early did not run: say so rather than leave them blank. */
  closeUnfinished(): void {
    for (const record of this.stages.values()) {
      if (record.status === 'not-run' && record.detail === '') {
        record.detail = this.failure ? 'not reached: an earlier stage failed' : 'not reached';
      }
    }
  }

  list(): StageRecord[] {
    return STAGE_ORDER.map((id) => this.stages.get(id)).filter((r): r is StageRecord => r !== undefined);
  }
}

/** The table cell gets the first line; a line that introduces a list says where the list is. */
function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? text;
  return line.endsWith(':') && text.includes('\n') ? `${line.slice(0, -1)} (listed above the table).` : line;
}
