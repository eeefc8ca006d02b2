/**
 * A private Sigstore deployment (its own Fulcio, timestamp authority, transparency log): the trusted root and the
 * signing config cosign v3 takes as `--trusted-root` and `--signing-config`, and what they mean for checking a
 * signature. Pure: the config reads the files, this reads what is in them.
 */

/** sigstore-go's root.TrustedRootMediaType01: the only trusted root cosign 3 reads. */
export const TRUSTED_ROOT_MEDIA_TYPE = 'application/vnd.dev.sigstore.trustedroot+json;version=0.1';
/** sigstore-go's root.SigningConfigMediaType02: the only signing config cosign 3 reads. */
export const SIGNING_CONFIG_MEDIA_TYPE = 'application/vnd.dev.sigstore.signingconfig.v0.2+json';

/**
 * What the action passes to cosign for a private instance, and what checking its signatures takes. cosign's checks
 * default to the public instance's shape (a CT log's SCT in every certificate, a transparency log entry for every
 * signature); a private instance without those services says so in its files, and the check follows them.
 */
export interface PrivateSigstore {
  /** Absolute paths, for the action's own cosign calls. */
  trustedRoot: string;
  signingConfig: string;
  /** The trusted root as the repository has it (`sigstore/trusted_root.json`), for the command a consumer runs. */
  trustedRootShown: string;
  /** The trusted root lists no CT log: Fulcio's certificates carry no SCT that could be checked. */
  ignoreSct: boolean;
  /** The signing config lists no transparency log: a signature has no log entry to demand. */
  ignoreTlog: boolean;
  /** The signing config lists a timestamp authority: its signed timestamp dates each signature. */
  signedTimestamps: boolean;
}

export type PrivateSigstoreChecks = Pick<PrivateSigstore, 'ignoreSct' | 'ignoreTlog' | 'signedTimestamps'>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list field of the protobuf JSON: present and non-empty. */
function listed(record: Record<string, unknown>, field: string): boolean {
  const value = record[field];
  return Array.isArray(value) && value.length > 0;
}

/**
 * What a trusted root and a signing config (as parsed JSON) make of checking, or every problem with them, each
 * naming the input and the fix. `keyless`: signing gets its certificate from the instance's Fulcio.
 */
export function readPrivateSigstore(
  trustedRoot: unknown,
  signingConfig: unknown,
  shown: { trustedRoot: string; signingConfig: string },
  keyless: boolean,
): { checks?: PrivateSigstoreChecks; problems: string[] } {
  const problems: string[] = [];
  const root = isRecord(trustedRoot) ? trustedRoot : {};
  const config = isRecord(signingConfig) ? signingConfig : {};
  const rootType = root.mediaType;
  const configType = config.mediaType;
  if (rootType !== TRUSTED_ROOT_MEDIA_TYPE)
    problems.push(
      `Input \`sigstore-trusted-root\`: ${shown.trustedRoot} is not a Sigstore trusted root (its mediaType is ${JSON.stringify(rootType ?? null)}, cosign reads ${JSON.stringify(TRUSTED_ROOT_MEDIA_TYPE)}). Make it with \`cosign trusted-root create\`.`,
    );
  if (configType !== SIGNING_CONFIG_MEDIA_TYPE)
    problems.push(
      `Input \`sigstore-signing-config\`: ${shown.signingConfig} is not a Sigstore signing config (its mediaType is ${JSON.stringify(configType ?? null)}, cosign reads ${JSON.stringify(SIGNING_CONFIG_MEDIA_TYPE)}). Make it with \`cosign signing-config create\`.`,
    );
  if (problems.length > 0) return { problems };

  const tlog = listed(config, 'rekorTlogUrls');
  const tsa = listed(config, 'tsaUrls');
  if (keyless && !listed(config, 'caUrls'))
    problems.push(
      `Input \`sigstore-signing-config\`: ${shown.signingConfig} names no Fulcio (\`caUrls\`), which keyless signing gets its certificate from. Add it (\`--fulcio\` of \`cosign signing-config create\`), or set \`cosign-key\`.`,
    );
  if (keyless && !listed(root, 'certificateAuthorities'))
    problems.push(
      `Input \`sigstore-trusted-root\`: ${shown.trustedRoot} has no certificate authority (\`certificateAuthorities\`), so no Fulcio certificate could be checked. Add the Fulcio's chain (\`--fulcio\` of \`cosign trusted-root create\`).`,
    );
  if (keyless && !tlog && !tsa)
    problems.push(
      `Input \`sigstore-signing-config\`: ${shown.signingConfig} has neither a transparency log (\`rekorTlogUrls\`) nor a timestamp authority (\`tsaUrls\`): nothing would prove when a keyless signature was made, and its certificate expires minutes after. Add either.`,
    );
  if (tlog && !listed(root, 'tlogs'))
    problems.push(
      `Input \`sigstore-trusted-root\`: ${shown.trustedRoot} has no transparency log key (\`tlogs\`), so the log entries the signing config's \`rekorTlogUrls\` make could not be checked. Add it (\`--rekor\` of \`cosign trusted-root create\`).`,
    );
  if (tsa && !listed(root, 'timestampAuthorities'))
    problems.push(
      `Input \`sigstore-trusted-root\`: ${shown.trustedRoot} has no timestamp authority (\`timestampAuthorities\`), so the timestamps the signing config's \`tsaUrls\` make could not be checked. Add its chain (\`--tsa\` of \`cosign trusted-root create\`).`,
    );
  if (problems.length > 0) return { problems };
  return {
    checks: { ignoreSct: !listed(root, 'ctlogs'), ignoreTlog: !tlog, signedTimestamps: tsa },
    problems,
  };
}
