/** One `KEY=VALUE` line of a list input (`build-args`, `labels`, `signature-annotations`). */
export interface KeyValue {
  key: string;
  value: string;
}
