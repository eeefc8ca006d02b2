import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Config, KeyValue } from '../config.js';
import { withPinnedSyntax } from '../build/build-args.js';
import {
  verifyImageSignature,
  SignatureRejected,
  type CertificateSigner,
  type CosignRunOptions,
} from '../cosign/verify.js';
import type { Signer } from '../cosign/args.js';
import { policyKeyArgument } from '../cosign/key-file.js';
import {
  analyzeBaseImages,
  parseDockerfile,
  rewriteReferences,
  type BaseImageUse,
} from '../dockerfile/index.js';
import {
  formatReference,
  repositoryName,
  tryParseReference,
  withDigest,
  type ImageReference,
} from '../image/reference.js';
import {
  combinePolicy,
  formatPolicyWarning,
  parsePolicy,
  requirementFor,
  ruleLabel,
  type Requirement,
  type TrustPolicy,
} from '../policy/index.js';
import type { RegistryClient } from '../registry/client.js';
import { isLoopbackRegistry } from '../registry/client.js';
import { errorMessage, UserError } from '../util/errors.js';
import type { AnnotationRequest } from '../report/annotations.js';

export type BaseImageStatus =
  'verified' | 'failed' | 'unmatched' | 'allowed-unsigned' | 'skipped' | 'unresolved';

/** One entry of the `base-images` output, exactly as the interface document gives it. */
export interface BaseImageEntry {
  kind: BaseImageUse['kind'];
  stage: string | null;
  line: number;
  ref: string;
  image: string | null;
  digest: string | null;
  pinned: boolean;
  status: BaseImageStatus;
  rule: string | null;
  signer: { identity: string; issuer: string } | null;
  reason: string | null;
}

export interface BaseImageResult {
  entries: BaseImageEntry[];
  /** The Dockerfile the builder gets: the pinned copy, or the original. */
  dockerfile: string;
  pinnedCopy: boolean;
  /**
   * The built stage's base image, for the OCI base.name / base.digest labels; `line` is its FROM line (findings of
   * the base image are located there), which another stage's FROM of the same image does not have.
   */
  finalBase?: { name: string; digest?: string; line?: number };
  annotations: AnnotationRequest[];
  warnings: string[];
  verifiedCount: number;
  /** The build-args the builder gets: BUILDKIT_SYNTAX pinned to the frontend image's checked digest. */
  buildArgs: KeyValue[];
}

export interface BaseImageDeps {
  registry: RegistryClient;
  /** Resolves when cosign is installed; only awaited when a rule needs a signature checked. */
  cosign: () => Promise<string>;
  cosignEnv: Record<string, string>;
  workDir: string;
  verifyTimeoutMs?: number;
  verifyAttempts?: number;
  /** The trust policy file, already read and validated before anything ran. */
  policyFile?: TrustPolicy;
}

/** Reads and validates `trust-policy`; a malformed file is an error naming file, line and key. */
export function loadPolicyFile(config: Config): TrustPolicy | undefined {
  return config.trustPolicy
    ? parsePolicy(readFileSync(config.trustPolicy, 'utf8'), config.trustPolicy)
    : undefined;
}

export function runnerPlatform(runnerArch: string): string {
  const arch = { X64: 'amd64', ARM64: 'arm64', ARM: 'arm', X86: '386' }[runnerArch] ?? 'amd64';
  return `linux/${arch}`;
}

interface Distinct {
  reference: ImageReference;
  requirement: Requirement;
  digest?: string;
  verified?: boolean;
  /** The signers named by the certificates cosign verified, when its output names them. */
  signers?: CertificateSigner[];
  failure?: string;
  warning?: string;
}

export async function checkBaseImages(config: Config, deps: BaseImageDeps): Promise<BaseImageResult> {
  const text = readFileSync(config.dockerfile, 'utf8');
  const buildPlatform = runnerPlatform(config.github.runnerArch);
  const analysis = analyzeBaseImages(parseDockerfile(text), {
    buildArgs: Object.fromEntries(config.buildArgs.map((a) => [a.key, a.value])),
    ...(config.target ? { target: config.target } : {}),
    buildPlatform,
    targetPlatform: config.platforms[0] ?? buildPlatform,
  });
  const file = config.dockerfileRelative;
  if (analysis.problems.length > 0) {
    throw new UserError(analysis.problems.map((p) => `${file}:${p.line}: ${p.message}`).join('\n'));
  }

  const policy = combinePolicy(deps.policyFile ?? loadPolicyFile(config));
  const warnings = (policy.warnings ?? []).map(formatPolicyWarning);

  // One check per distinct image, however many lines name it.
  const distinct = new Map<string, Distinct>();
  const keyOf = new Map<BaseImageUse, string>();
  const parseErrors = new Map<BaseImageUse, string>();
  for (const use of analysis.images) {
    if (use.resolved === null) continue;
    const parsed = tryParseReference(use.resolved);
    if (!parsed.ok) {
      parseErrors.set(use, parsed.error);
      continue;
    }
    const key = formatReference(parsed.ref);
    keyOf.set(use, key);
    if (!distinct.has(key)) {
      distinct.set(key, {
        reference: parsed.ref,
        requirement: requirementFor(policy, repositoryName(parsed.ref)),
      });
    }
  }

  const mode = config.verifyBaseImages;
  if (mode !== 'off') {
    await Promise.all([...distinct.values()].map((d) => checkOne(d, deps)));
  }

  const entries: BaseImageEntry[] = analysis.images.map((use) => {
    const key = keyOf.get(use);
    const d = key ? distinct.get(key) : undefined;
    return entryFor(use, d, parseErrors.get(use), mode);
  });

  // Pin what was checked, in a copy; the original file is never touched.
  let dockerfile = config.dockerfile;
  let pinnedCopy = false;
  let buildArgs = config.buildArgs;
  if (config.pinBaseImages && mode !== 'off') {
    const pins = analysis.images.flatMap((use, i) => {
      const entry = entries[i];
      const d = keyOf.get(use) ? distinct.get(keyOf.get(use) ?? '') : undefined;
      if (!entry || entry.pinned || !d?.digest || entry.status === 'failed' || entry.status === 'unresolved')
        return [];
      return [{ use, replacement: formatReference(withDigest(d.reference, d.digest)) }];
    });
    // The BUILDKIT_SYNTAX build-arg's image is pinned in the build-arg, not in the file.
    const syntaxPin = pins.find((p) => p.use.fromBuildArg);
    if (syntaxPin) buildArgs = withPinnedSyntax(buildArgs, syntaxPin.replacement);
    const edits = pins
      .filter((p) => !p.use.fromBuildArg)
      .map((p) => ({ location: p.use.location, replacement: p.replacement }));
    if (edits.length > 0) {
      mkdirSync(deps.workDir, { recursive: true });
      dockerfile = join(deps.workDir, `${basename(config.dockerfile)}.pinned`);
      writeFileSync(dockerfile, rewriteReferences(text, edits));
      // BuildKit reads `<Dockerfile>.dockerignore` beside the Dockerfile before the context's own.
      const ignore = `${config.dockerfile}.dockerignore`;
      if (existsSync(ignore)) copyFileSync(ignore, `${dockerfile}.dockerignore`);
      pinnedCopy = true;
    }
  }

  const annotations = annotationsFor(entries, analysis.images, distinct, keyOf, config, text);
  const failures = entries.filter((e) => isFailure(e, mode, policy.unmatched));
  const pinningFailures =
    config.digestPinning === 'enforce' ? entries.filter((e) => !e.pinned && e.status !== 'unresolved') : [];

  const finalBaseKey = analysis.finalBase ? keyOf.get(analysis.finalBase) : undefined;
  const finalDistinct = finalBaseKey ? distinct.get(finalBaseKey) : undefined;
  const result: BaseImageResult = {
    entries,
    dockerfile,
    pinnedCopy,
    annotations,
    warnings,
    verifiedCount: entries.filter((e) => e.status === 'verified').length,
    buildArgs,
    ...(finalDistinct
      ? {
          finalBase: {
            name: formatReference({ ...finalDistinct.reference, digest: undefined }),
            ...(finalDistinct.digest ? { digest: finalDistinct.digest } : {}),
            ...(analysis.finalBase ? { line: analysis.finalBase.line } : {}),
          },
        }
      : {}),
  };

  if (mode === 'enforce' && failures.length > 0) {
    throw new BaseImageFailure(
      `${failures.length} base ${failures.length === 1 ? 'image does' : 'images do'} not meet the trust policy:\n` +
        failures
          .map(
            (e) =>
              `- ${whereUsed(e, file)}: ${e.image ?? e.ref} (${e.rule ?? 'no rule'}): ${e.reason ?? e.status}`,
          )
          .join('\n'),
      result,
    );
  }
  if (pinningFailures.length > 0) {
    throw new BaseImageFailure(
      `\`digest-pinning: enforce\`: ${pinningFailures.length} base image reference${pinningFailures.length === 1 ? ' is' : 's are'} not pinned to a digest:\n` +
        pinningFailures
          .map(
            (e) => `- ${whereUsed(e, file)}: ${e.ref}${e.digest ? ` → pin it as ${suggestPinned(e)}` : ''}`,
          )
          .join('\n'),
      result,
    );
  }
  return result;
}

/** A failed stage that still has its entries to report. */
export class BaseImageFailure extends UserError {
  constructor(
    message: string,
    readonly result: BaseImageResult,
  ) {
    super(message);
  }
}

async function checkOne(d: Distinct, deps: BaseImageDeps): Promise<void> {
  const ref = d.reference;
  try {
    if (ref.digest) d.digest = ref.digest;
    else {
      const head = await deps.registry.headManifest(ref.registry, ref.repository, ref.tag ?? 'latest');
      if (!head) throw new UserError(`${formatReference(ref)} does not exist in the registry`);
      if (!/^sha256:[0-9a-f]{64}$/.test(head.digest))
        throw new UserError(`the registry gave no digest for ${formatReference(ref)}`);
      d.digest = head.digest;
    }
  } catch (error) {
    d.failure = `could not resolve the digest: ${errorMessage(error)}`;
    return;
  }
  const req = d.requirement;
  if (req.kind !== 'keyless' && req.kind !== 'key') return;
  const signer: Signer =
    req.kind === 'key'
      ? { kind: 'key', key: policyKeyArgument(req.key, deps.workDir) }
      : {
          kind: 'keyless',
          ...(req.signer.identity !== undefined ? { identity: req.signer.identity } : {}),
          ...(req.signer.identityRegexp !== undefined ? { identityRegexp: req.signer.identityRegexp } : {}),
          ...(req.signer.issuer !== undefined ? { issuer: req.signer.issuer } : {}),
          ...(req.signer.issuerRegexp !== undefined ? { issuerRegexp: req.signer.issuerRegexp } : {}),
        };
  const options: CosignRunOptions = {
    cosign: await deps.cosign(),
    env: deps.cosignEnv,
    insecure: isLoopbackRegistry(ref.registry),
    timeoutMs: deps.verifyTimeoutMs ?? 300_000,
    ...(deps.verifyAttempts !== undefined ? { attempts: deps.verifyAttempts } : {}),
  };
  try {
    const verified = await verifyImageSignature(
      `${ref.registry}/${ref.repository}@${d.digest}`,
      signer,
      options,
    );
    d.verified = true;
    d.signers = verified.signers;
  } catch (error) {
    d.failure =
      error instanceof SignatureRejected
        ? `signature check failed: ${error.reason}`
        : `signature check could not complete: ${errorMessage(error)}`;
  }
}

function entryFor(
  use: BaseImageUse,
  d: Distinct | undefined,
  parseError: string | undefined,
  mode: Config['verifyBaseImages'],
): BaseImageEntry {
  // Keys in the order the interface document lists them, so the JSON reads the same.
  const entry = (
    fields: Omit<BaseImageEntry, 'kind' | 'stage' | 'line' | 'ref' | 'pinned'>,
  ): BaseImageEntry => ({
    kind: use.kind,
    stage: use.stage,
    line: use.line,
    ref: use.ref,
    image: fields.image,
    digest: fields.digest,
    pinned: /@sha256:[0-9a-f]{64}/.test(use.resolved ?? use.ref),
    status: fields.status,
    rule: fields.rule,
    signer: fields.signer,
    reason: fields.reason,
  });
  if (use.resolved === null) {
    return entry({
      image: null,
      digest: null,
      status: 'unresolved',
      rule: null,
      signer: null,
      reason: `ARG ${use.unresolvedArgs.map((a) => `\`${a}\``).join(', ')} has no value on line ${use.line}: give it a default or pass it in \`build-args\``,
    });
  }
  if (!d) {
    return entry({
      image: use.resolved,
      digest: null,
      status: 'failed',
      rule: null,
      signer: null,
      reason: `not a valid image reference: ${parseError ?? ''}`,
    });
  }
  const req = d.requirement;
  const rule = req.kind === 'unmatched' ? null : ruleLabel(req.rule);
  // The identity on the certificate when cosign printed it; else what the rule demanded, which cosign enforced.
  const signer =
    req.kind === 'keyless' && d.verified
      ? (d.signers?.[0] ?? {
          identity: req.signer.identity ?? req.signer.identityRegexp ?? '',
          issuer: req.signer.issuer ?? req.signer.issuerRegexp ?? '',
        })
      : null;
  const common = { image: formatReference(d.reference), digest: d.digest ?? null, rule, signer };
  if (mode === 'off') return entry({ ...common, status: 'skipped', reason: '`verify-base-images: off`' });
  if (d.failure) return entry({ ...common, status: 'failed', reason: d.failure });
  switch (req.kind) {
    case 'keyless':
    case 'key':
      return entry({ ...common, status: 'verified', reason: null });
    case 'allow-unsigned':
      return entry({
        ...common,
        status: 'allowed-unsigned',
        reason: `rule "${rule ?? ''}" trusts it without a signature`,
      });
    case 'unmatched':
      return entry({
        ...common,
        status: 'unmatched',
        reason: `no policy rule matches ${repositoryName(d.reference)} (unmatched: ${req.action})`,
      });
  }
}

function isFailure(e: BaseImageEntry, mode: Config['verifyBaseImages'], unmatched: string): boolean {
  if (mode === 'off') return false;
  if (e.status === 'failed' || e.status === 'unresolved') return true;
  return e.status === 'unmatched' && unmatched === 'deny';
}

/** `Dockerfile:line`, or the build-arg for the frontend image BUILDKIT_SYNTAX names (line 0: not in the file). */
function whereUsed(e: BaseImageEntry, file: string): string {
  return e.kind === 'syntax' && e.line === 0 ? 'build-arg BUILDKIT_SYNTAX' : `${file}:${e.line}`;
}

function suggestPinned(e: BaseImageEntry): string {
  if (!e.image || !e.digest) return e.ref;
  const parsed = tryParseReference(e.image);
  return parsed.ok ? formatReference(withDigest(parsed.ref, e.digest)) : e.ref;
}

function annotationsFor(
  entries: BaseImageEntry[],
  uses: BaseImageUse[],
  distinct: Map<string, Distinct>,
  keyOf: Map<BaseImageUse, string>,
  config: Config,
  text: string,
): AnnotationRequest[] {
  const out: AnnotationRequest[] = [];
  const lines = text.split(/\r?\n/);
  const file = config.dockerfileRelative;
  const policyUnmatched = (d: Distinct | undefined): string | undefined =>
    d?.requirement.kind === 'unmatched' ? d.requirement.action : undefined;
  entries.forEach((e, i) => {
    const use = uses[i];
    if (!use) return;
    const d = distinct.get(keyOf.get(use) ?? '');
    const failing = isFailure(e, config.verifyBaseImages, policyUnmatched(d) ?? 'warn');
    // The frontend image of the BUILDKIT_SYNTAX build-arg has no line in the file; the message names the build-arg.
    const at = use.fromBuildArg
      ? { prefix: 'build-arg BUILDKIT_SYNTAX: ' }
      : { file, line: e.line, prefix: '' };
    const place = at.file !== undefined ? { file: at.file, line: at.line } : {};
    if (failing) {
      out.push({
        level: config.verifyBaseImages === 'enforce' ? 'error' : 'warning',
        ...place,
        title: `Base image ${e.status === 'unresolved' ? 'unresolved' : 'not trusted'}`,
        message: `${at.prefix}${e.image ?? e.ref}: ${e.reason ?? e.status}${e.rule ? ` (rule: ${e.rule})` : ''}`,
      });
    } else if (e.status === 'unmatched' && policyUnmatched(d) === 'warn') {
      out.push({
        level: 'warning',
        ...place,
        title: 'Base image matches no policy rule',
        message: `${at.prefix}${e.image ?? e.ref}: ${e.reason ?? ''}`,
      });
    }
    if (!e.pinned && e.status !== 'unresolved' && config.digestPinning !== 'off') {
      const source = lines[use.location.line - 1] ?? '';
      const pinnedRef = suggestPinned(e);
      const suggestion =
        e.digest && !use.fromBuildArg && use.location.line === e.line
          ? `${source.slice(0, use.location.column)}${pinnedRef}${source.slice(use.location.endColumn)}`.trim()
          : undefined;
      out.push({
        level: config.digestPinning === 'enforce' ? 'error' : 'warning',
        ...place,
        title: 'Base image not pinned to a digest',
        message: suggestion
          ? `${e.ref} can change under you. Pin it:\n${suggestion}`
          : `${at.prefix}${e.ref} is not pinned to a digest${e.digest ? `; it resolved to ${e.digest}` : ''}.`,
      });
    }
  });
  return out;
}
