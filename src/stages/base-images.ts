import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as core from '@actions/core';
import type { Config, KeyValue } from '../config/index.js';
import { withPinnedSyntax } from '../build/build-args.js';
import { policyKeyArgument } from '../cosign/key-file.js';
import { verifyImageSignature, SignatureRejected, type CosignRunOptions } from '../cosign/verify.js';
import { builderDialects, type BuilderDialects, type Frontend } from '../build/dialect.js';
import { chooseBuilder } from '../build/select.js';
import {
  analyzeReadings,
  detectSyntax,
  rewriteReferences,
  type BaseImageUse,
  type UnverifiedContext,
} from '../dockerfile/index.js';
import { formatReference, repositoryName, tryParseReference, withDigest } from '../image/reference.js';
import {
  entryFor,
  isFailure,
  suggestPinned,
  whereUsed,
  type BaseImageEntry,
  type ImageCheck,
} from '../policy/entries.js';
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
import type { AnnotationRequest } from '../report/annotations.js';
import { baseImageAnnotations } from '../report/base-image-annotations.js';
import { errorMessage, UserError } from '../util/errors.js';
import { startBaseUpdates } from './base-updates.js';
import { cosignPath, type Stage } from './run.js';

export type { BaseImageEntry, BaseImageStatus } from '../policy/entries.js';

/**
 * Base images: every image the Dockerfile builds from (FROM, COPY --from, RUN --mount from=, # syntax) is
 * resolved to a digest and checked with `cosign verify` against the trust policy, as soon as cosign is in;
 * the build gets a copy of the Dockerfile pinned to those digests. Adds `run.baseImages` and the `base-images`
 * output; under `enforce` a failure stops the run before anything is built.
 */
export const baseImagesStage: Stage = {
  id: 'base-images',
  async run(run) {
    const { config, report } = run;
    // The builder reads the Dockerfile in its own grammar, so the check must know which builder runs. One that cannot
    // be chosen here is left to the build stage to report; the check then reads the file in every grammar.
    if (run.plan.build.run) run.builder = await chooseBuilder(config.builder).catch(() => undefined);
    const builder = run.builder?.builder;
    try {
      const deps: BaseImageDeps = {
        dialects: (frontend) => builderDialects(builder, frontend),
        registry: run.registry,
        cosign: () => cosignPath(run),
        cosignEnv: run.toolEnv,
        workDir: run.workDir,
        verifyTimeoutMs: config.stageTimeoutMs,
        ...(run.policyFile ? { policyFile: run.policyFile } : {}),
      };
      run.baseImages = await report.run('base-images', async () => {
        const value = await checkBaseImages(config, deps);
        return { value, status: stageStatus(value, config), detail: stageDetail(value, config) };
      });
      startBaseUpdates(run, run.baseImages.pinnedTags, deps);
    } catch (error) {
      if (error instanceof BaseImageFailure) run.baseImages = error.result;
      throw error;
    } finally {
      if (run.baseImages) {
        run.annotations.push(...run.baseImages.annotations);
        core.setOutput('base-images', JSON.stringify(run.baseImages.entries));
      }
    }
    for (const w of run.baseImages.warnings) core.warning(w);
    for (const c of run.baseImages.unverifiedContexts)
      report.notices.push(
        `Unverified build input: the named context \`${c.name}\` (${c.value}) replaces the reference on line ${c.lines.join(', ')}; no trust policy checks a directory or URL.`,
      );
  },
};

function stageStatus(result: BaseImageResult, config: Config): 'passed' | 'warning' | 'skipped' {
  if (config.verifyBaseImages === 'off') return 'skipped';
  const unverified = result.entries.some((e) => e.status !== 'verified' && e.status !== 'allowed-unsigned');
  return unverified || result.annotations.some((a) => a.level !== 'notice') ? 'warning' : 'passed';
}

function stageDetail(result: BaseImageResult, config: Config): string {
  const n = result.entries.length;
  if (n === 0) return 'the Dockerfile uses no external images';
  if (config.verifyBaseImages === 'off') return `${n} found; not checked (\`verify-base-images: off\`)`;
  const counts = new Map<string, number>();
  for (const e of result.entries) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
  const parts = [...counts].map(([status, count]) => `${count} ${status}`);
  return `${parts.join(', ')}${result.pinnedCopy ? '; build pinned to the checked digests' : ''}; Dockerfile read as ${result.grammar}`;
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
  /** Images written with a tag and a digest, each checked once: what the freshness check looks up. */
  pinnedTags: PinnedTag[];
  /** The `build-contexts` the builder gets: docker-image:// values pinned to their checked digests. */
  buildContexts: KeyValue[];
  /** Named contexts that are directories or URLs, which replace a reference and which nothing checks. */
  unverifiedContexts: UnverifiedContext[];
  /** The grammar the Dockerfile was read in: the builder's (`buildah 1.28.2 (no heredocs)`), or why several. */
  grammar: string;
}

/** A distinct base image written as `name:tag@sha256:…`, and the Dockerfile lines that use it. */
export interface PinnedTag {
  check: ImageCheck;
  lines: number[];
}

/** `name=docker-image://ref` → `name=docker-image://ref@digest` for each checked context image. */
function pinnedContexts(
  contexts: KeyValue[],
  pins: ReadonlyArray<{ use: BaseImageUse; replacement: string }>,
): KeyValue[] {
  return contexts.map((c) => {
    const pin = pins.find((p) => p.use.kind === 'context' && p.use.context === c.key);
    return pin ? { key: c.key, value: `docker-image://${pin.replacement}` } : c;
  });
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
  /** The grammar the builder reads the Dockerfile with; every grammar known when not given. */
  dialects?: (frontend: Frontend | undefined) => Promise<BuilderDialects>;
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

export async function checkBaseImages(config: Config, deps: BaseImageDeps): Promise<BaseImageResult> {
  const text = readFileSync(config.dockerfile, 'utf8');
  const file = config.dockerfileRelative;
  const grammar = await (deps.dialects ?? ((f) => builderDialects(undefined, f)))(
    frontendOf(text, config.buildArgs),
  );
  if (grammar.unknownFrontend) unknownFrontend(grammar.unknownFrontend, config, file);
  const buildPlatform = runnerPlatform(config.github.runnerArch);
  const analysis = analyzeReadings(text, grammar.dialects, {
    buildArgs: Object.fromEntries(config.buildArgs.map((a) => [a.key, a.value])),
    ...(config.target ? { target: config.target } : {}),
    buildPlatform,
    targetPlatform: config.platforms[0] ?? buildPlatform,
    namedContexts: Object.fromEntries(config.buildContexts.map((c) => [c.key, c.value])),
  });
  if (analysis.problems.length > 0) {
    throw new UserError(
      `${analysis.problems.map((p) => `${file}:${p.line}: ${p.message}`).join('\n')}${
        grammar.dialects.length === 1 ? `\n(The Dockerfile read as ${grammar.why}.)` : ''
      }`,
    );
  }

  const policy = combinePolicy(deps.policyFile ?? loadPolicyFile(config));
  const warnings = (policy.warnings ?? []).map(formatPolicyWarning);

  // One check per distinct image, however many lines name it.
  const distinct = new Map<string, ImageCheck>();
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
    const entry = entryFor(use, d, parseErrors.get(use), mode);
    // A line only some grammar reads as an instruction says so, or the user would look for a FROM that is not there.
    if (use.reading && entry.reason !== null) {
      entry.reason = `${entry.reason}; line ${use.line} is an instruction to ${use.reading.by}, not to ${use.reading.notBy} (to which it is inside a heredoc, a continued line or a comment).${grammar.fix ? ` ${grammar.fix}` : ''}`;
    }
    return entry;
  });

  // Pin what was checked, in a copy; the original file is never touched.
  let dockerfile = config.dockerfile;
  let pinnedCopy = false;
  let buildArgs = config.buildArgs;
  let buildContexts = config.buildContexts;
  if (config.pinBaseImages && mode !== 'off') {
    const pins = analysis.images.flatMap((use, i) => {
      const entry = entries[i];
      const d = keyOf.get(use) ? distinct.get(keyOf.get(use) ?? '') : undefined;
      if (!entry || entry.pinned || !d?.digest || entry.status === 'failed' || entry.status === 'unresolved')
        return [];
      // Only another grammar reads it: rewriting it would change the text the build's own grammar reads there.
      if (use.reading && use.reading.by !== grammar.dialects[0]?.name) return [];
      return [{ use, replacement: formatReference(withDigest(d.reference, d.digest)) }];
    });
    // The BUILDKIT_SYNTAX build-arg's image is pinned in the build-arg, not in the file.
    const syntaxPin = pins.find((p) => p.use.fromBuildArg);
    if (syntaxPin) buildArgs = withPinnedSyntax(buildArgs, syntaxPin.replacement);
    // A named context's image is pinned in its `build-contexts` value: the FROM keeps the name the builder looks up.
    buildContexts = pinnedContexts(buildContexts, pins);
    const edits = pins
      .filter((p) => !p.use.fromBuildArg && p.use.kind !== 'context')
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

  const annotations = baseImageAnnotations(
    entries,
    analysis.images,
    distinct,
    keyOf,
    {
      file: config.dockerfileRelative,
      verifyBaseImages: config.verifyBaseImages,
      digestPinning: config.digestPinning,
    },
    text,
  );
  const failures = entries.filter((e) => isFailure(e, mode, policy.unmatched));
  const pinningFailures =
    config.digestPinning === 'enforce' ? entries.filter((e) => !e.pinned && e.status !== 'unresolved') : [];

  const finalBaseKey = analysis.finalBase ? keyOf.get(analysis.finalBase) : undefined;
  const finalImageCheck = finalBaseKey ? distinct.get(finalBaseKey) : undefined;
  const result: BaseImageResult = {
    entries,
    dockerfile,
    pinnedCopy,
    annotations,
    warnings,
    verifiedCount: entries.filter((e) => e.status === 'verified').length,
    buildArgs,
    pinnedTags: [...distinct.entries()].flatMap(([key, check]) =>
      check.reference.tag !== undefined && check.reference.digest !== undefined && check.failure === undefined
        ? [
            {
              check,
              lines: analysis.images
                .filter((u) => keyOf.get(u) === key && !u.fromBuildArg)
                .map((u) => u.line),
            },
          ]
        : [],
    ),
    buildContexts,
    unverifiedContexts: analysis.unverifiedContexts ?? [],
    grammar: grammar.why,
    ...(finalImageCheck
      ? {
          finalBase: {
            name: formatReference({ ...finalImageCheck.reference, digest: undefined }),
            ...(finalImageCheck.digest ? { digest: finalImageCheck.digest } : {}),
            ...(analysis.finalBase ? { line: analysis.finalBase.line } : {}),
          },
        }
      : {}),
  };

  if (mode === 'enforce' && failures.length > 0) {
    throw new BaseImageFailure(
      `${failures.length} base ${failures.length === 1 ? 'image does' : 'images do'} not meet the trust policy, reading the Dockerfile as ${grammar.why}:\n` +
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

/** The frontend BuildKit runs: the BUILDKIT_SYNTAX build-arg, which it prefers, else the `# syntax=` directive. */
function frontendOf(text: string, buildArgs: readonly KeyValue[]): Frontend | undefined {
  const fromArg = buildArgs.find((a) => a.key === 'BUILDKIT_SYNTAX')?.value.trim();
  if (fromArg) return { image: fromArg.split(' ')[0] ?? fromArg, line: 0 };
  const directive = detectSyntax(text);
  return directive ? { image: directive.image, line: directive.line } : undefined;
}

/**
 * A frontend that is not Docker's reads the Dockerfile in a grammar of its own, so no reading here is sure to find every
 * image it builds from. Under `enforce` that stops the run; otherwise the check reads it in every grammar of Docker's
 * frontend and says what it cannot see.
 */
function unknownFrontend(frontend: Frontend, config: Config, file: string): void {
  const where =
    frontend.line === 0 ? 'Input `build-args`: BUILDKIT_SYNTAX=' : `${file}:${frontend.line}: # syntax=`;
  const message = `${where}${frontend.image} names a Dockerfile frontend whose grammar this action does not know, so it cannot be sure to see every image the build uses (a frontend reads the file as it likes). Use Docker's frontend (\`# syntax=docker/dockerfile:1\`, pinned by the check), or remove the directive to use BuildKit's built-in one.`;
  if (config.verifyBaseImages === 'enforce') throw new UserError(message);
  core.warning(`${message} The check read the file as every version of docker/dockerfile would.`);
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

/**
 * Resolves `d` to a digest (unless it names one) and checks it against its requirement: sets `digest`, then
 * `verified` or `failure`.
 */
export async function checkOne(d: ImageCheck, deps: BaseImageDeps): Promise<void> {
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
  const options: CosignRunOptions = {
    cosign: await deps.cosign(),
    env: deps.cosignEnv,
    insecure: isLoopbackRegistry(ref.registry),
    timeoutMs: deps.verifyTimeoutMs ?? 300_000,
    ...(deps.verifyAttempts !== undefined ? { attempts: deps.verifyAttempts } : {}),
  };
  const reference = `${ref.registry}/${ref.repository}@${d.digest}`;
  try {
    const verified =
      req.kind === 'key'
        ? await verifyWithKeys(reference, req, deps.workDir, options)
        : await verifyImageSignature(
            reference,
            {
              kind: 'keyless',
              ...(req.signer.identity !== undefined ? { identity: req.signer.identity } : {}),
              ...(req.signer.identityRegexp !== undefined
                ? { identityRegexp: req.signer.identityRegexp }
                : {}),
              ...(req.signer.issuer !== undefined ? { issuer: req.signer.issuer } : {}),
              ...(req.signer.issuerRegexp !== undefined ? { issuerRegexp: req.signer.issuerRegexp } : {}),
            },
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

/**
 * A key rule's check: the rule's keys that are not revoked are tried in order and the first that verifies
 * passes. When none does, the revoked ones are tried too, only to say so: an image that verifies with a revoked
 * key alone fails, naming the key's fingerprint. A check that could not complete with some key fails closed.
 */
async function verifyWithKeys(
  reference: string,
  req: Extract<Requirement, { kind: 'key' }>,
  workDir: string,
  options: CosignRunOptions,
): Promise<Awaited<ReturnType<typeof verifyImageSignature>>> {
  const withKey = (key: string): Promise<Awaited<ReturnType<typeof verifyImageSignature>>> =>
    verifyImageSignature(
      reference,
      {
        kind: 'key',
        key: policyKeyArgument(key, workDir),
        ...(req.rule.tlog === false ? { ignoreTlog: true } : {}),
      },
      options,
    );
  let rejected: SignatureRejected | undefined;
  let incomplete: unknown;
  for (const key of req.keys) {
    try {
      return await withKey(key);
    } catch (error) {
      if (error instanceof SignatureRejected) rejected ??= error;
      else incomplete ??= error;
    }
  }
  if (incomplete !== undefined) throw incomplete;
  for (const revoked of req.revoked) {
    const verifies = await withKey(revoked.key).then(
      () => true,
      () => false,
    );
    if (verifies) {
      throw new SignatureRejected(
        `signed only with the revoked key ${revoked.name} (listed in revoked-keys of the trust policy); ${req.keys.length > 0 ? `sign the image with a key the rule "${ruleLabel(req.rule)}" still trusts` : `the rule "${ruleLabel(req.rule)}" has no key left that is not revoked: add the new key to its keys`}`,
      );
    }
  }
  throw (
    rejected ??
    new SignatureRejected(
      `every key of the rule "${ruleLabel(req.rule)}" is revoked (${req.revoked.map((r) => r.name).join(', ')}); add the new key to its keys`,
    )
  );
}
