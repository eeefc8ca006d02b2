import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import type { CosignKey } from './key-material.js';
import type { GithubContext } from '../github-context.js';
import type { KeyValue } from '../util/key-value.js';
import type { Signer, SignerTrust } from '../cosign/args.js';
import { isLoopbackRegistry } from '../registry/client.js';
import { errorMessage, UserError } from '../util/errors.js';
import {
  assertDigestReference,
  rekorSearchUrl,
  signatureAnnotations,
  verifyCommand,
  type PredicateShorthand,
} from './args.js';
import { attestImage, planAttestations, type SkippedAttestation } from './attest.js';
import { prepareKeyMaterial, type KeyMaterial, type KeyTransport } from './key-material.js';
import type { PrivateSigstore } from './private-sigstore.js';
import { IdentityTokens, identityFromClaims, type GetIdToken, type KeylessIdentity } from './oidc.js';
import type { CosignSession } from './run.js';
import { signImage } from './sign.js';
import { derivePublicKey, verifyAttestation, verifySignature } from './verify.js';
import { logInfo } from '../util/log.js';

export interface SignInput {
  config: {
    cosignKey?: CosignKey;
    cosignPassword?: string;
    signatureAnnotations: KeyValue[];
    attest: Array<'sbom' | 'vuln'>;
    github: GithubContext;
    /** Default `bundle`. */
    signatureFormat?: 'bundle' | 'legacy';
    /** `tlog-upload: false`: no transparency log entry (key mode only). */
    tlogUpload?: boolean;
    /** A private Sigstore instance: its signing config and trusted root for every cosign call. */
    sigstore?: PrivateSigstore;
  };
  /** repository@sha256:…, as pushed. Anything else is refused. */
  reference: string;
  /** The digest is a multi-platform index: `--recursive` signs each platform's image too. */
  isIndex: boolean;
  /** Path of the cosign binary. */
  cosign: string;
  /** The clean base environment for tools (baseEnvironment() plus DOCKER_CONFIG, typically). */
  env: Record<string, string>;
  /** Where this run's temporary files go (under RUNNER_TEMP). */
  workDir: string;
  /** CycloneDX JSON SBOM, for the `sbom` attestation. */
  sbomFile?: string;
  /** The cosign vuln predicate JSON (trivy's cosign-vuln format, or toCosignVulnPredicate), for `vuln`. */
  vulnPredicateFile?: string;
  /** The SLSA v1 provenance predicate (`provenance`), attested as slsaprovenance1 when present. */
  provenanceFile?: string;
}

export interface AttestationResult {
  type: PredicateShorthand;
  verified: boolean;
  rekorLogIndex?: number;
  rekorUrl?: string;
  verifyCommand: string;
}

export interface SignResult {
  /** Signed and verified: what the `signed` output says. */
  signed: boolean;
  /** How far the stage got; on a failure, the step that failed. */
  phase: 'prepare' | 'sign' | 'attest' | 'verify' | 'done';
  mode: 'keyless' | 'key';
  reference: string;
  identity?: KeylessIdentity;
  /** The KMS URI that signed, in key mode with KMS. */
  keyRef?: string;
  /** The public key that verifies the signature, in key mode with a PEM key. */
  publicKey?: string;
  rekorLogIndex?: number;
  rekorUrl?: string;
  annotations: Record<string, string>;
  attestations: AttestationResult[];
  skippedAttestations: SkippedAttestation[];
  /** The exact `cosign verify` a consumer runs, with the identity flags (or the key). */
  verifyCommand: string;
  durations: { sign: number; attest: number; verify: number };
}

/** The stage failed; `result` holds what was done before (signed is false), for the report. */
export class SignStageError extends Error {
  constructor(
    message: string,
    readonly result: SignResult,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SignStageError';
  }
}

export interface SignDeps {
  /** `core.getIDToken` in production. */
  getIdToken?: GetIdToken;
  /** Where the OIDC request variables and KMS credentials are read from (process.env). */
  processEnv?: NodeJS.ProcessEnv;
  /** How a PEM key reaches cosign: a 0600 file (default) or `env://`. */
  keyTransport?: KeyTransport;
  timeoutMs?: number;
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  log?: { info(message: string): void; warning(message: string): void };
}

// What a runner may have that would change what cosign does: COSIGN_* set flags, SIGSTORE_* pick
// tokens and trust roots, ACTIONS_ID_TOKEN_* let cosign fetch its own token. The stage sets its own.
const FOREIGN_VARIABLE = /^(COSIGN_|SIGSTORE_|ACTIONS_ID_TOKEN_|TUF_ROOT$)/;

function cleanEnvironment(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !FOREIGN_VARIABLE.test(name)));
}

function registryOf(reference: string): string {
  return reference.slice(0, reference.indexOf('/'));
}

/**
 * Everything signing needs, made ready before anything is built: the keyless identity (the OIDC token is fetched
 * here, so a job without `id-token: write` fails before the build) or the key material, and the cosign sessions.
 * `dispose` removes the key file.
 */
export interface Signing {
  input: SignInput;
  result: SignResult;
  session: CosignSession;
  verifySession: CosignSession;
  key?: KeyMaterial;
  /** The signer a consumer demands: the keyless identity, the KMS key, or `cosign.pub` for a PEM key. */
  shown: Signer;
  /** `shown` as this run checks it: a private instance's trusted root by its path here, not the repository's. */
  verifier: Signer;
  insecure: boolean;
  log: { info(message: string): void; warning(message: string): void };
  /** The public key of a PEM `cosign-key`, read before the build (checkSigningKey). */
  publicKey?: { path: string; pem: string };
  /**
   * The checks started so far, by what they check (`signature`, or an attestation's type): each starts as soon as what
   * it checks is written, beside the next write, and verifySigned waits for all of them.
   */
  checks: Map<string, Promise<void>>;
  dispose(): void;
}

/**
 * Proves before the build that the key can sign: cosign reads the private key with `cosign-password` (or the KMS
 * key's public key) with `cosign public-key`. A wrong or missing password is an error that names the input.
 */
export async function checkSigningKey(signing: Signing): Promise<void> {
  const key = signing.key;
  if (!key) return;
  try {
    const pub = await derivePublicKey(signing.session, key.keyRef, signing.input.workDir);
    if (key.kind === 'pem') {
      signing.publicKey = pub;
      signing.result.publicKey = pub.pem;
    }
  } catch (error) {
    const said = errorMessage(error);
    signing.log.info(`cosign public-key: ${said}`);
    throw new UserError(
      key.kind === 'kms'
        ? `Input \`cosign-key\`: cosign could not read the public key of ${key.keyRef}. Check the URI and that this job has the KMS provider's credentials (and permission to read the key). Nothing was built.`
        : /decrypt|password|encrypted/i.test(said)
          ? 'Input `cosign-password` does not open `cosign-key`: cosign could not decrypt the key. Set `cosign-password` to the password the key was made with (`cosign generate-key-pair`), from the same secret store as the key. Nothing was built.'
          : `Input \`cosign-key\`: cosign could not read the key (${said}). Give the private key that \`cosign generate-key-pair\` wrote (cosign.key), whole. Nothing was built.`,
      { cause: error },
    );
  }
}

/** Prepares signing for `input` (its `reference` may be filled in later, once pushed). */
export async function prepareSigning(input: SignInput, deps: SignDeps = {}): Promise<Signing> {
  const { config } = input;
  const log = deps.log ?? { info: logInfo, warning: core.warning };
  const processEnv = deps.processEnv ?? process.env;
  const env = cleanEnvironment(input.env);
  mkdirSync(input.workDir, { recursive: true });

  const { annotations, dropped } = signatureAnnotations(config.github, config.signatureAnnotations);
  if (dropped.length > 0) {
    log.warning(
      `\`signature-annotations\`: ${dropped.map((k) => `\`${k}\``).join(', ')} ${dropped.length === 1 ? 'is' : 'are'} set by secure-image itself and cannot be replaced; ${dropped.length === 1 ? 'that line was' : 'those lines were'} ignored.`,
    );
  }
  const result: SignResult = {
    signed: false,
    phase: 'prepare',
    mode: config.cosignKey ? 'key' : 'keyless',
    reference: input.reference,
    annotations: Object.fromEntries(annotations.map((a) => [a.key, a.value])),
    attestations: [],
    skippedAttestations: [],
    verifyCommand: '',
    durations: { sign: 0, attest: 0, verify: 0 },
  };

  let key: KeyMaterial | undefined;
  let tokens: IdentityTokens | undefined;
  if (config.cosignKey) {
    key = prepareKeyMaterial(config.cosignKey, config.cosignPassword, {
      dir: join(input.workDir, 'signing-key'),
      env: processEnv,
      ...(deps.keyTransport ? { transport: deps.keyTransport } : {}),
    });
    if (key.kind === 'kms') result.keyRef = key.keyRef;
  } else {
    tokens = new IdentityTokens(deps.getIdToken ?? ((audience) => core.getIDToken(audience)), processEnv);
    // Fetched before any cosign call: a job without `id-token: write` fails here, with the fix.
    result.identity = identityFromClaims((await tokens.token()).claims);
  }

  const session: CosignSession = {
    cosign: input.cosign,
    env,
    material: async () => {
      if (key) return { env: key.env, secrets: key.secrets };
      const held = await (tokens as IdentityTokens).token();
      return { env: { SIGSTORE_ID_TOKEN: held.token }, secrets: [held.token] };
    },
    timeoutMs: deps.timeoutMs ?? 4 * 60_000,
    attempts: deps.attempts ?? 4,
    baseDelayMs: deps.baseDelayMs ?? 2000,
    maxDelayMs: deps.maxDelayMs ?? 20_000,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    onRetry: (message) => log.info(message),
  };
  // Checking needs no signing material: no token, no private key, no password. Only a KMS key's
  // provider variables, for cosign to fetch the public key.
  const verifySession: CosignSession = {
    ...session,
    material: async () => {
      if (key?.kind !== 'kms') return { env: {}, secrets: [] };
      const { COSIGN_PASSWORD: _password, ...provider } = key.env;
      return { env: provider, secrets: key.secrets };
    },
  };
  // Without a log entry (`tlog-upload: false`, key mode only) the check must not demand one.
  const ignoreTlog = key !== undefined && config.tlogUpload === false;
  const signer = (trust: SignerTrust | undefined): Signer => {
    const withTrust = trust ? { trust } : {};
    return result.identity
      ? { kind: 'keyless', identity: result.identity.identity, issuer: result.identity.issuer, ...withTrust }
      : {
          kind: 'key',
          key: key?.kind === 'kms' ? key.keyRef : 'cosign.pub',
          ...(ignoreTlog ? { ignoreTlog } : {}),
          ...withTrust,
        };
  };
  return {
    input,
    result,
    session,
    verifySession,
    ...(key ? { key } : {}),
    shown: signer(signerTrust(config.sigstore, 'shown')),
    verifier: signer(signerTrust(config.sigstore, 'here')),
    insecure: false,
    log,
    checks: new Map(),
    dispose: () => key?.dispose(),
  };
}

/**
 * A private instance's trust, with its trusted root as the repository has it (`shown`, for verify-command) or by its
 * path on this runner (`here`, for the run's own checks).
 */
function signerTrust(
  sigstore: PrivateSigstore | undefined,
  where: 'shown' | 'here',
): SignerTrust | undefined {
  if (!sigstore) return undefined;
  return {
    trustedRoot: where === 'shown' ? sigstore.trustedRootShown : sigstore.trustedRoot,
    ignoreSct: sigstore.ignoreSct,
    ignoreTlog: sigstore.ignoreTlog,
    signedTimestamps: sigstore.signedTimestamps,
  };
}

/** The private instance's files, as `cosign sign` and `attest` take them. */
function sigstoreFiles(signing: Signing): { sigstore?: { signingConfig: string; trustedRoot: string } } {
  const sigstore = signing.input.config.sigstore;
  return sigstore
    ? { sigstore: { signingConfig: sigstore.signingConfig, trustedRoot: sigstore.trustedRoot } }
    : {};
}

/** A log index's link to search.sigstore.dev: only the public instance's log is searched there. */
function rekorLink(signing: Signing, logIndex: number): { rekorLogIndex: number; rekorUrl?: string } {
  return signing.input.config.sigstore
    ? { rekorLogIndex: logIndex }
    : { rekorLogIndex: logIndex, rekorUrl: rekorSearchUrl(logIndex) };
}

/** `tlog-upload: false` with a key: signed without a log entry, so verified without demanding one. */
function ignoresTlog(signing: Signing): boolean {
  return signing.key !== undefined && signing.input.config.tlogUpload === false;
}

/** Points a prepared signing at the pushed digest; anything but `repository@sha256:…` is refused. */
export function signingFor(signing: Signing, reference: string, isIndex: boolean): Signing {
  assertDigestReference(reference);
  const insecure = isLoopbackRegistry(registryOf(reference));
  signing.input = { ...signing.input, reference, isIndex };
  signing.result.reference = reference;
  signing.insecure = insecure;
  signing.result.verifyCommand = verifyCommand(reference, signing.shown, { insecure });
  return signing;
}

/** Signs the digest. Throws SignStageError: nothing unverified is "signed". */
export async function signDigest(signing: Signing): Promise<void> {
  const { input, result, key, log, insecure } = signing;
  const reference = input.reference;
  try {
    result.phase = 'sign';
    const signed = await signImage(signing.session, {
      reference,
      ...(key ? { keyRef: key.keyRef } : {}),
      recursive: input.isIndex,
      annotations: Object.entries(result.annotations).map(([k, value]) => ({ key: k, value })),
      insecure,
      ...(input.config.signatureFormat ? { format: input.config.signatureFormat } : {}),
      ...(ignoresTlog(signing) ? { tlogUpload: false } : {}),
      ...sigstoreFiles(signing),
    });
    result.durations.sign = signed.durationMs;
    if (signed.rekorLogIndex !== undefined) Object.assign(result, rekorLink(signing, signed.rekorLogIndex));
    log.info(
      `Signed ${reference}${input.isIndex ? ' and each platform image in it' : ''}${signed.rekorLogIndex !== undefined ? ` (Rekor log index ${signed.rekorLogIndex}${result.rekorUrl ? `, ${result.rekorUrl}` : ''})` : ''}.`,
    );
    startCheck(signing, 'signature');
    result.phase = 'attest';
  } catch (error) {
    throw new SignStageError(errorMessage(error), result, { cause: error });
  }
}

/** Attaches the attestations the `attest` input asks for and has inputs for. */
export async function attachAttestations(signing: Signing): Promise<void> {
  const { input, result, key, log, insecure, shown } = signing;
  const reference = input.reference;
  try {
    result.phase = 'attest';
    const { plans, skipped } = planAttestations(
      [...input.config.attest, ...(input.provenanceFile ? (['provenance'] as const) : [])],
      input,
    );
    result.skippedAttestations = skipped;
    for (const s of skipped) log.info(`The ${s.kind} attestation is skipped: ${s.reason}.`);
    // One write at a time: cosign adds a signature or an attestation by reading the image's list of them
    // (the `.sig`/`.att` tag, or the referrers tag of a registry without the referrers API) and writing it
    // back, so two writers at once can each drop the other's entry (sigstore/cosign#2432).
    for (const plan of plans) {
      const made = await attestImage(signing.session, {
        reference,
        ...(key ? { keyRef: key.keyRef } : {}),
        insecure,
        plan,
        ...(input.config.signatureFormat ? { format: input.config.signatureFormat } : {}),
        ...(ignoresTlog(signing) ? { tlogUpload: false } : {}),
        ...sigstoreFiles(signing),
      });
      result.durations.attest += made.durationMs;
      result.attestations.push({
        type: plan.type,
        verified: false,
        ...(made.rekorLogIndex !== undefined ? rekorLink(signing, made.rekorLogIndex) : {}),
        verifyCommand: verifyCommand(reference, shown, { insecure, attestationType: plan.type }),
      });
      log.info(`Attached the ${plan.type} attestation to ${reference}.`);
      startCheck(signing, plan.type);
    }
    result.phase = 'verify';
  } catch (error) {
    throw new SignStageError(errorMessage(error), result, { cause: error });
  }
}

/**
 * Verifies the signature and every attestation with the identity (or key) a consumer would demand; only then is
 * the image "signed".
 */
export async function verifySigned(signing: Signing): Promise<void> {
  const { input, result, log } = signing;
  const reference = input.reference;
  try {
    result.phase = 'verify';
    const verifyStarted = performance.now();
    // Each check started when what it checks was written; any not started yet starts now. Each runs to its end, and
    // the signature's failure is the one reported when there are several.
    const checks = await Promise.allSettled([
      startCheck(signing, 'signature'),
      ...result.attestations.map((attestation) => startCheck(signing, attestation.type)),
    ]);
    const failed = checks.find((c): c is PromiseRejectedResult => c.status === 'rejected');
    if (failed) throw failed.reason;
    result.durations.verify = Math.round(performance.now() - verifyStarted);
    result.signed = true;
    result.phase = 'done';
    log.info(
      `Verified the signature${result.attestations.length > 0 ? ` and ${result.attestations.length} attestation${result.attestations.length === 1 ? '' : 's'}` : ''} on ${reference}${result.identity ? ` as ${result.identity.identity} (${result.identity.issuer})` : ''}.`,
    );
  } catch (error) {
    throw new SignStageError(errorMessage(error), result, { cause: error });
  }
}

/**
 * Starts (once) the check of the signature or of one attestation, with the identity (or key) a consumer would
 * demand. Checking only reads, so it runs beside the next write: cosign swaps the list of signatures and
 * attestations whole (sigstore/cosign#2432), so a read sees it before or after a write, and in both what was written
 * before the check started. Its failure is reported by verifySigned, which waits for every check.
 */
function startCheck(signing: Signing, what: 'signature' | PredicateShorthand): Promise<void> {
  const started = signing.checks.get(what);
  if (started) return started;
  const { input, result, insecure } = signing;
  const check = (async () => {
    const verifier = await verifierOf(signing);
    if (what === 'signature') {
      await verifySignature(signing.verifySession, input.reference, verifier, insecure);
      return;
    }
    await verifyAttestation(signing.verifySession, input.reference, verifier, what, insecure);
    const attestation = result.attestations.find((a) => a.type === what);
    if (attestation) attestation.verified = true;
  })();
  // Awaited by verifySigned; a run that fails before it must not leave a rejection unhandled.
  check.catch(() => undefined);
  signing.checks.set(what, check);
  return check;
}

const publicKeys = new WeakMap<Signing, Promise<{ path: string; pem: string }>>();

/** The signer the run's own checks demand; for a PEM key, its public key as a file (read once, for every check). */
async function verifierOf(signing: Signing): Promise<Signer> {
  const { key, verifier, input, result } = signing;
  if (key?.kind !== 'pem' || verifier.kind !== 'key') return verifier;
  let pub = publicKeys.get(signing);
  if (!pub) {
    pub = signing.publicKey
      ? Promise.resolve(signing.publicKey)
      : derivePublicKey(signing.session, key.keyRef, input.workDir);
    publicKeys.set(signing, pub);
  }
  const { path, pem } = await pub;
  result.publicKey = pem;
  return { ...verifier, key: path };
}

/**
 * Signs the pushed digest, attaches the attestations, and verifies both with the identity a consumer
 * would demand. Keyless with the workflow's OIDC identity unless `cosign-key` is set. Throws
 * SignStageError (or an Error before anything ran) on any failure: nothing unverified is "signed".
 */
export async function runSignStage(input: SignInput, deps: SignDeps = {}): Promise<SignResult> {
  assertDigestReference(input.reference);
  const signing = signingFor(await prepareSigning(input, deps), input.reference, input.isIndex);
  try {
    await signDigest(signing);
    await attachAttestations(signing);
    await verifySigned(signing);
    return signing.result;
  } finally {
    signing.dispose();
  }
}
