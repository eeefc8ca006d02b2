/**
 * Checks on a vulnerability DB restored from the Actions cache, before a scan trusts it. The cache is written by other
 * runs (in scopes this run can read), so what it holds is checked as input: the scanner's own metadata must be there,
 * be of the scanner's schema, and not claim a build or a refresh date that would keep a planted DB in use (a build in
 * the future, or a next update far beyond the scanner's own interval, which stops the scanner from replacing it).
 * A DB that fails is removed and downloaded again.
 */

/** Clocks differ a little between the runner that built a DB's metadata and this one. */
const CLOCK_SKEW_MS = 5 * 60_000;
const HOUR_MS = 3_600_000;

/** trivy's schemas and how long upstream says a DB stays current (trivy-db: 24 h; the Java DB: 3 days), with room. */
const TRIVY = {
  vulnerability: { schema: 2, maxCurrentHours: 48 },
  java: { schema: 1, maxCurrentHours: 7 * 24 },
} as const;

function date(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function inFuture(d: Date, now: Date): boolean {
  return d.getTime() > now.getTime() + CLOCK_SKEW_MS;
}

/** Why trivy's `metadata.json` of a restored DB is not to be trusted; undefined when it passes. */
export function trivyMetadataProblem(
  meta: unknown,
  now: Date,
  db: 'vulnerability' | 'java',
): string | undefined {
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta))
    return 'its metadata.json is not an object';
  const m = meta as Record<string, unknown>;
  const { schema, maxCurrentHours } = TRIVY[db];
  if (m['Version'] !== schema) return `its schema version is ${JSON.stringify(m['Version'])}, not ${schema}`;
  const updatedAt = date(m['UpdatedAt']);
  const nextUpdate = date(m['NextUpdate']);
  if (!updatedAt) return 'its metadata.json has no UpdatedAt';
  if (!nextUpdate) return 'its metadata.json has no NextUpdate';
  if (inFuture(updatedAt, now)) return `it says it was built in the future (${updatedAt.toISOString()})`;
  const downloadedAt = date(m['DownloadedAt']);
  if (downloadedAt && inFuture(downloadedAt, now))
    return `it says it was downloaded in the future (${downloadedAt.toISOString()})`;
  if (nextUpdate.getTime() - updatedAt.getTime() > maxCurrentHours * HOUR_MS)
    return `its NextUpdate (${nextUpdate.toISOString()}) is more than ${maxCurrentHours} h after its build, which would keep trivy from replacing it`;
  return undefined;
}

/** Why grype's `db status` of a restored DB is not to be trusted (grype checks the DB file against its checksum). */
export function grypeStatusProblem(status: { valid: boolean; built?: Date }, now: Date): string | undefined {
  if (!status.valid)
    return '`grype db status` does not call it valid (its checksum or schema does not match)';
  if (!status.built) return '`grype db status` gives no build date';
  if (inFuture(status.built, now))
    return `it says it was built in the future (${status.built.toISOString()})`;
  return undefined;
}
