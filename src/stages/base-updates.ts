import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { formatReference, withDigest } from '../image/reference.js';
import type { ImageCheck } from '../policy/entries.js';
import { ruleLabel } from '../policy/index.js';
import { indexEntryFor, type IndexEntry } from '../registry/client.js';
import type { AnnotationRequest } from '../report/annotations.js';
import type { BaseUpdate } from '../report/base-updates-section.js';
import { errorMessage } from '../util/errors.js';
import { logInfo } from '../util/log.js';
import { checkOne, type BaseImageDeps, type PinnedTag } from './base-images.js';
import type { Run } from './run.js';

export type { BaseUpdate } from '../report/base-updates-section.js';

/**
 * Freshness of the base images pinned as `name:tag@sha256:…`: the tag is looked up again (one manifest HEAD) and,
 * when it points at another digest, that digest is checked against the same rule (one `cosign verify`). Started
 * when the base images are checked and awaited only by the report, so it runs beside the build. A lookup that
 * fails is left out with a line in the log: freshness never fails a run. A tag-only reference needs no look-up:
 * the action resolved it in this run, so its tag points at the digest the build uses.
 */
export function startBaseUpdates(run: Run, pinned: readonly PinnedTag[], deps: BaseImageDeps): void {
  if (pinned.length === 0 || run.config.verifyBaseImages === 'off') return;
  const platform = run.config.platforms[0];
  run.baseUpdates = Promise.all(pinned.map((p) => updateOf(p, deps, platform))).then((all) =>
    all.filter((u): u is BaseUpdate => u !== undefined),
  );
}

async function updateOf(
  pinned: PinnedTag,
  deps: BaseImageDeps,
  platform: string | undefined,
): Promise<BaseUpdate | undefined> {
  const ref = pinned.check.reference;
  const tag = ref.tag ?? 'latest';
  const written = ref.digest ?? '';
  const image = formatReference({ ...ref, digest: undefined });
  try {
    const head = await deps.registry.headManifest(ref.registry, ref.repository, tag);
    if (!head || !/^sha256:[0-9a-f]{64}$/.test(head.digest) || head.digest === written) return undefined;
    const newer: ImageCheck = {
      reference: withDigest(ref, head.digest),
      requirement: pinned.check.requirement,
    };
    const [created] = await Promise.all([createdAt(deps, newer, platform), checkOne(newer, deps)]);
    const req = newer.requirement;
    const status: BaseUpdate['status'] =
      req.kind === 'unmatched' ? 'newer-unchecked' : newer.failure ? 'newer-not-trusted' : 'newer-trusted';
    return {
      image,
      pinned: written,
      current: head.digest,
      status,
      rule: req.kind === 'unmatched' ? null : ruleLabel(req.rule),
      reason: newer.failure ?? null,
      created,
      lines: pinned.lines,
      pinnedLine: null,
    };
  } catch (error) {
    logInfo(`Could not look up a newer ${image}: ${errorMessage(error)}`);
    return undefined;
  }
}

/** The `created` time of the image (of `platform`, for an index), from its config; null when it has none. */
async function createdAt(
  deps: BaseImageDeps,
  d: ImageCheck,
  platform: string | undefined,
): Promise<string | null> {
  const { registry, repository, digest } = d.reference;
  if (!digest) return null;
  try {
    type Doc = { manifests?: IndexEntry[]; config?: { digest: string } };
    let doc = (await deps.registry.getJson(registry, repository, 'manifests', digest)) as Doc;
    if (doc.manifests) {
      const entry = indexEntryFor(doc.manifests, platform ?? 'linux/amd64') ?? doc.manifests[0];
      if (!entry) return null;
      doc = (await deps.registry.getJson(registry, repository, 'manifests', entry.digest)) as Doc;
    }
    if (!doc.config) return null;
    const config = (await deps.registry.getJson(registry, repository, 'blobs', doc.config.digest)) as {
      created?: unknown;
    };
    return typeof config.created === 'string' ? config.created : null;
  } catch {
    return null;
  }
}

/**
 * Awaits the freshness check, then: the `base-updates` output, the line to paste for each newer digest (the
 * Dockerfile's line that holds the pinned digest, with the new one), and an annotation on that line.
 */
export async function finishBaseUpdates(run: Run): Promise<void> {
  if (!run.baseUpdates) return;
  const updates = await run.baseUpdates;
  const file = run.config.dockerfileRelative;
  let lines: string[];
  try {
    lines = readFileSync(run.config.dockerfile, 'utf8').split(/\r?\n/);
  } catch {
    lines = [];
  }
  for (const u of updates) {
    const at = lines.findIndex((l) => l.includes(`@${u.pinned}`));
    if (at >= 0)
      u.pinnedLine = { line: at + 1, text: (lines[at] ?? '').split(u.pinned).join(u.current).trim() };
  }
  core.setOutput('base-updates', JSON.stringify(updates));
  run.baseUpdateList = updates;
  run.annotations.push(...updates.flatMap((u) => annotationsOf(u, file)));
}

function annotationsOf(u: BaseUpdate, file: string): AnnotationRequest[] {
  const lines = u.pinnedLine ? [u.pinnedLine.line] : u.lines;
  const built = u.created ? `, built ${u.created.slice(0, 10)}` : '';
  const pin = u.pinnedLine ? u.pinnedLine.text : `${u.image}@${u.current}`;
  return lines.map((line) =>
    u.status === 'newer-not-trusted'
      ? {
          level: 'warning',
          file,
          line,
          title: 'Base image tag moved to an untrusted digest',
          message: `${u.image} now points at ${u.current}${built}, which does NOT pass the rule "${u.rule ?? ''}": ${u.reason ?? ''}. The tag may have been hijacked; keep the pinned digest.`,
        }
      : {
          level: 'notice',
          file,
          line,
          title: 'Newer base image',
          message: `A newer ${u.status === 'newer-trusted' ? 'signed ' : ''}${u.image} exists${built}${u.status === 'newer-unchecked' ? ' (no policy rule matches it; not checked)' : ''}. Pin it:\n${pin}`,
        },
  );
}
