/**
 * Which external images a build of this Dockerfile uses, following BuildKit's dockerfile2llb:
 *
 * - FROM lines are expanded with the global scope only: the automatic platform ARGs plus the ARGs
 *   declared before the first FROM, whose defaults are expanded in order and overridden by build-args.
 *   A build-arg for a name not declared there does not reach FROM.
 * - `FROM name` refers to a stage only when a stage of exactly that (lower-case) name was defined
 *   earlier; otherwise it is an image. `scratch` is no image.
 * - `COPY --from` and `RUN --mount=…,from=` refer to a stage by name (case-insensitive) or by index,
 *   anything else is an image. BuildKit does not expand variables there (it fails the build);
 *   buildah and podman do, with the stage's ARG/ENV values. Both are reported: the value is resolved
 *   in the stage's scope and a warning says BuildKit refuses it.
 * - Mounts: `from` counts for every mount type but tmpfs (BuildKit ignores it there; a secret mount with
 *   `from` is a parse problem).
 * - ONBUILD: BuildKit runs the ONBUILD triggers of a stage in the stages built FROM it in the same
 *   Dockerfile (dockerfile2llb adds `d.base.commands`' OnbuildCommands to the child), so a trigger's
 *   `COPY --from=image` is an image of this build exactly when a counted stage is built FROM that stage
 *   (`onbuild: true` on the use). Triggers of other stages run only in some other build that uses the
 *   image as its base; they are listed in `onbuild` for annotation, not in `images`.
 * - With a target, only that stage and the stages it depends on (transitively) count.
 * - `# syntax=` (or the BUILDKIT_SYNTAX build-arg, which BuildKit prefers) names the frontend image
 *   BuildKit runs; it is listed first.
 *
 * Deliberately stricter than BuildKit: an ARG used without a value is not silently "" — the use gets
 * `resolved: null` and names it in `unresolvedArgs`.
 */
import { tryParseReference } from '../image/reference.js';
import { parseArgDeclarations, parseEnvDeclarations } from './declarations.js';
import { platformArgs } from './platform.js';
import {
  ExpansionBudget,
  MAX_EXPANSIONS,
  processWord,
  type VarLookup,
  type VarValue,
} from './shell-lexer.js';
import type { Instruction, ParsedDockerfile, Problem, Span, Token } from './types.js';

export interface BaseImageUse {
  /** `context`: a FROM, --from or from= whose name a `build-contexts` docker-image:// value replaces. */
  kind: 'from' | 'copy-from' | 'mount-from' | 'syntax' | 'context';
  /** The stage the reference is in: its name (AS name, lower-cased) or its index as a string; null for syntax. */
  stage: string | null;
  stageIndex: number | null;
  /** 1-based line where the instruction starts (0 for a syntax image given by the BUILDKIT_SYNTAX build-arg). */
  line: number;
  /** As written (e.g. "golang:${GO_VERSION}"). */
  ref: string;
  /** ARGs substituted; null when an ARG stays unresolved (or the expansion failed). */
  resolved: string | null;
  /** Names that had no value. */
  unresolvedArgs: string[];
  /** The resolved --platform value, if any. */
  platform?: string;
  /** Where the ref token is in the original text (1-based line, 0-based columns, end exclusive). */
  location: { line: number; column: number; endColumn: number; endLine: number };
  /** From an ONBUILD trigger of `stage`, run in a stage built FROM it. */
  onbuild?: true;
  /** The syntax image came from the BUILDKIT_SYNTAX build-arg, not from the file (location is line 0). */
  fromBuildArg?: true;
  /** The named build context that replaces the reference; `resolved` is then the context's image. */
  context?: string;
  /**
   * Only some grammars read this reference (see readings.ts): which one does, and which does not (a heredoc body, a
   * continued line or a comment there). The check covers it; the pinned copy leaves it as written.
   */
  reading?: { by: string; notBy: string };
}

/** A named build context that is a directory, a URL or an OCI layout: an input no trust policy can check. */
export interface UnverifiedContext {
  name: string;
  value: string;
  /** The lines whose reference it replaces. */
  lines: number[];
}

export interface StageSummary {
  index: number;
  name?: string;
  line: number;
  /** The base as resolved (as written when it could not be resolved). */
  base: string;
  /** The stage this one is built FROM, when it is one. */
  baseStage?: number;
  platform?: string;
  /** Stages this one needs: its base stage, COPY --from and mount sources (ONBUILD triggers included). */
  dependsOn: number[];
}

export interface BaseImageAnalysis {
  /** External images only, in file order; stage refs and `scratch` removed; the syntax image first. */
  images: BaseImageUse[];
  stages: StageSummary[];
  /** Index of the stage that is built (the target, or the last); -1 when there is no stage. */
  targetStage: number;
  /** The image the built stage starts from (following stage → stage chains); the same object as in `images`. */
  finalBase?: BaseImageUse;
  /** ONBUILD instructions of the counted stages; `runsInThisBuild` when a counted stage is built FROM theirs. */
  onbuild: Array<{ line: number; text: string; stage: string; runsInThisBuild: boolean }>;
  /** What makes the build fail (BuildKit would refuse it); includes the parser's problems. */
  problems: Problem[];
  /** What deserves a note but does not stop a build. */
  warnings: Problem[];
  /** Named build contexts that replace a reference with something other than an image. */
  unverifiedContexts?: UnverifiedContext[];
}

export interface AnalyzeOptions {
  /** From the build-args input; they override ARG defaults. */
  buildArgs: Record<string, string>;
  /** Only the stages the target depends on count. */
  target?: string;
  /** e.g. "linux/amd64", for the automatic platform ARGs. */
  buildPlatform: string;
  targetPlatform: string;
  /**
   * `build-contexts`, name → value: a FROM, COPY --from or RUN --mount from= naming one is replaced by it, as BuildKit
   * does. A `docker-image://` value becomes the use's image (kind `context`); any other value is an unverified input.
   */
  namedContexts?: Record<string, string>;
}

interface Scope {
  env: Map<string, VarValue>;
  /** Declared ARGs; undefined value = declared without one. */
  args: Map<string, VarValue | undefined>;
}

interface StageState {
  summary: StageSummary;
  label: string;
  instructions: Instruction[];
  scope: Scope;
  triggers: Instruction[];
}

interface Owned {
  use: BaseImageUse;
  /** Stages whose counting makes this use count. */
  owners: number[];
}

const INDEX = /^[+-]?[0-9]+$/;

function lookupIn(scope: Scope): VarLookup {
  return (name) => scope.env.get(name) ?? scope.args.get(name);
}

function cloneScope(scope: Scope): Scope {
  return { env: new Map(scope.env), args: new Map(scope.args) };
}

function locationOf(span: Span): BaseImageUse['location'] {
  return { line: span.line, column: span.column, endColumn: span.endColumn, endLine: span.endLine };
}

class Analyzer {
  private readonly problems: Problem[];
  private readonly warnings: Problem[] = [];
  private readonly budget = new ExpansionBudget();
  private readonly escape: string;
  private readonly global = new Map<string, VarValue>();
  private readonly declaredGlobal = new Set<string>();
  private readonly stages: StageState[] = [];
  private readonly finalNames = new Map<string, number>();
  /** Stage names defined so far, while FROM lines are read in order. */
  private readonly namesSoFar = new Map<string, number>();
  private readonly owned: Owned[] = [];
  private readonly triggerUses = new Map<Instruction, Owned[]>();

  constructor(
    private readonly parsed: ParsedDockerfile,
    private readonly options: AnalyzeOptions,
  ) {
    this.problems = [...parsed.problems];
    this.escape = parsed.directives.escape;
  }

  private expand(raw: string, lookup: VarLookup): { value: string; unresolved: string[]; error?: string } {
    const r = processWord(raw, lookup, {
      escapeToken: this.escape,
      budget: this.budget,
      maxExpansions: MAX_EXPANSIONS,
    });
    if (!r.ok) return { value: '', unresolved: r.unresolved, error: r.error };
    return { value: r.value, unresolved: r.unresolved };
  }

  run(): BaseImageAnalysis {
    const { instructions } = this.parsed;
    for (const [k, v] of platformArgs(this.options.buildPlatform, this.options.targetPlatform)) {
      this.global.set(k, { value: v });
    }
    let i = 0;
    for (; i < instructions.length; i++) {
      const ins = instructions[i];
      if (ins === undefined || ins.keyword === 'FROM') break;
      if (ins.keyword === 'ARG') this.globalArg(ins);
      else {
        this.problem(
          ins.line,
          `${ins.keyword} comes before the first FROM; only ARG may (no build stage in current context)`,
        );
      }
    }
    for (; i < instructions.length; i++) {
      const ins = instructions[i];
      if (ins === undefined) continue;
      if (ins.keyword === 'FROM') this.startStage(ins);
      else this.stages[this.stages.length - 1]?.instructions.push(ins);
    }
    for (const stage of this.stages) {
      if (stage.summary.name !== undefined) this.finalNames.set(stage.summary.name, stage.summary.index);
    }
    this.noteLaterStageNames();
    for (const stage of this.stages) this.stageBody(stage);

    if (this.stages.length === 0) this.noStages();
    const target = this.target();
    const counted = this.reachable(target);
    const collected = this.collect(counted);
    const finalBase = this.finalBase(target, counted);
    const { images, unverified } = this.applyNamedContexts(collected);
    const analysis: BaseImageAnalysis = {
      images,
      stages: this.stages.map((s) => s.summary),
      targetStage: target,
      onbuild: this.onbuildList(counted),
      problems: this.problems.sort((a, b) => a.line - b.line),
      warnings: this.warnings.sort((a, b) => a.line - b.line),
    };
    if (finalBase !== undefined && images.includes(finalBase)) analysis.finalBase = finalBase;
    if (unverified.length > 0) analysis.unverifiedContexts = unverified;
    return analysis;
  }

  /**
   * Named build contexts, which BuildKit looks up before any image: by the name as written, or in its short form
   * (`docker.io/library/alpine:latest` is `alpine`). A stage cannot be replaced here: its image would escape the check.
   */
  private applyNamedContexts(images: BaseImageUse[]): {
    images: BaseImageUse[];
    unverified: UnverifiedContext[];
  } {
    const contexts = this.options.namedContexts ?? {};
    const unverified = new Map<string, UnverifiedContext>();
    for (const name of Object.keys(contexts)) {
      const stage = this.finalNames.get(name.toLowerCase());
      if (stage !== undefined)
        this.problem(
          this.stages[stage]?.summary.line ?? 0,
          `build-contexts: "${name}" names a stage of this Dockerfile; replacing a stage with a named context is not supported (its image would not be checked). Rename the stage or the context.`,
        );
    }
    const kept = images.filter((use) => {
      if (use.kind === 'syntax' || use.resolved === null) return true;
      const name = [use.resolved, familiarName(use.resolved)].find((n) => contexts[n] !== undefined);
      if (name === undefined) return true;
      const value = contexts[name] ?? '';
      if (value.startsWith('docker-image://')) {
        use.kind = 'context';
        use.context = name;
        use.resolved = value.slice('docker-image://'.length);
        return true;
      }
      const entry = unverified.get(name) ?? { name, value, lines: [] };
      if (!entry.lines.includes(use.line)) entry.lines.push(use.line);
      unverified.set(name, entry);
      return false;
    });
    return { images: kept, unverified: [...unverified.values()] };
  }

  private problem(line: number, message: string): void {
    this.problems.push({ line, message });
  }
  private warn(line: number, message: string): void {
    this.warnings.push({ line, message });
  }

  private globalArg(ins: Instruction): void {
    const { declarations, error } = parseArgDeclarations(ins.rest, this.escape);
    if (error !== undefined) this.problem(ins.line, error);
    const lookup: VarLookup = (name) => this.global.get(name);
    for (const d of declarations) {
      this.declaredGlobal.add(d.key);
      const given = this.options.buildArgs[d.key];
      if (given !== undefined) {
        this.global.set(d.key, { value: given });
      } else if (d.value !== undefined) {
        const r = this.expand(d.value, lookup);
        if (r.error !== undefined) {
          this.problem(ins.line, `ARG ${d.key}: ${r.error}`);
          this.global.set(d.key, { value: '', unresolved: r.unresolved.length > 0 ? r.unresolved : [d.key] });
        } else this.global.set(d.key, { value: r.value, unresolved: r.unresolved });
      }
    }
  }

  /** Resolves the FROM line (global scope) and registers the stage. */
  private startStage(ins: Instruction): void {
    const index = this.stages.length;
    const from = ins.from ?? {};
    const name = from.stageName;
    const label = name ?? String(index);
    const summary: StageSummary = { index, line: ins.line, base: from.image?.value ?? '', dependsOn: [] };
    if (name !== undefined) summary.name = name;
    const state: StageState = {
      summary,
      label,
      instructions: [],
      scope: { env: new Map(), args: new Map() },
      triggers: [],
    };
    const earlier = this.namesSoFar;
    if (name !== undefined && earlier.has(name)) {
      this.warn(
        ins.line,
        `stage name "${name}" is used more than once; references go to the last stage with that name`,
      );
    }
    this.stages.push(state);
    this.resolveFrom(ins, state);
    if (name !== undefined) this.namesSoFar.set(name, index);
  }

  private resolveFrom(ins: Instruction, state: StageState): void {
    const { summary, label } = state;
    const index = summary.index;
    const from = ins.from ?? {};
    const earlier = this.namesSoFar;
    const globalLookup: VarLookup = (n) => this.global.get(n);
    let platform: string | undefined;
    if (from.platform !== undefined && from.platform.value !== null) {
      const p = this.expand(from.platform.value, globalLookup);
      if (p.error !== undefined) this.problem(ins.line, `FROM --platform: ${p.error}`);
      else if (p.unresolved.length > 0) {
        this.warn(
          ins.line,
          `FROM --platform=${from.platform.value}: ${this.describeUnresolved(p.unresolved)}`,
        );
      } else if (p.value === '')
        this.problem(ins.line, `empty platform value from expression ${from.platform.value}`);
      else platform = p.value;
    }
    if (platform !== undefined) summary.platform = platform;

    const image = from.image;
    if (image === undefined) return;
    const r = this.expand(image.value, globalLookup);
    if (r.error !== undefined) this.problem(ins.line, `FROM ${shorten(image.value)}: ${r.error}`);
    this.noteBuildArgsOutsideGlobalScope(ins.line, r.unresolved);
    const resolved = r.error === undefined && r.unresolved.length === 0 ? r.value : null;

    if (resolved !== null) {
      summary.base = resolved;
      const stageRef = earlier.get(resolved) ?? earlier.get(resolved.toLowerCase());
      if (stageRef !== undefined) {
        if (!earlier.has(resolved)) {
          this.problem(
            ins.line,
            `FROM ${resolved}: stage names are lower case; write FROM ${resolved.toLowerCase()}`,
          );
        }
        summary.baseStage = stageRef;
        summary.dependsOn.push(stageRef);
        const base = this.stages[stageRef];
        if (base !== undefined) state.scope = cloneScope(base.scope);
        return;
      }
      if (resolved === 'scratch') return;
      if (resolved === '') {
        this.problem(ins.line, `base name (${image.value}) should not be blank`);
        return;
      }
      const parsedRef = tryParseReference(resolved);
      if (!parsedRef.ok) this.problem(ins.line, `FROM ${shorten(image.value)}: ${parsedRef.error}`);
    }
    const use: BaseImageUse = {
      kind: 'from',
      stage: label,
      stageIndex: index,
      line: ins.line,
      ref: image.value,
      resolved,
      unresolvedArgs: r.unresolved,
      location: locationOf(image.span),
    };
    if (platform !== undefined) use.platform = platform;
    this.owned.push({ use, owners: [index] });
  }

  /** `FROM build` before `… AS build`: BuildKit pulls an image called "build". */
  private noteLaterStageNames(): void {
    for (const { use } of this.owned) {
      if (use.kind !== 'from' || use.resolved === null) continue;
      const later = this.finalNames.get(use.resolved);
      if (later !== undefined && later > (use.stageIndex ?? 0)) {
        this.warn(
          use.line,
          `FROM ${use.resolved} names the stage defined on line ${this.stages[later]?.summary.line ?? 0}, but stages can only ` +
            `be used after they are defined: BuildKit pulls an image called "${use.resolved}" instead`,
        );
      }
    }
  }

  private noteBuildArgsOutsideGlobalScope(line: number, names: string[]): void {
    for (const n of names) {
      if (this.options.buildArgs[n] !== undefined && !this.declaredGlobal.has(n)) {
        this.warn(
          line,
          `build-arg ${n} is set, but ARG ${n} is not declared before the first FROM, so it does not apply to FROM lines`,
        );
      }
    }
  }

  private describeUnresolved(names: string[]): string {
    return `${names.map((n) => `$${n}`).join(', ')} ${names.length === 1 ? 'has' : 'have'} no value`;
  }

  /** ARG/ENV in the stage, COPY --from, RUN --mount from, ONBUILD. */
  private stageBody(stage: StageState): void {
    const index = stage.summary.index;
    const baseStage = stage.summary.baseStage;
    if (baseStage !== undefined) {
      const parent = this.stages[baseStage];
      if (parent !== undefined)
        for (const trigger of parent.triggers) this.runTrigger(trigger, parent, stage);
    }
    for (const ins of stage.instructions) {
      switch (ins.keyword) {
        case 'ARG':
          this.stageArg(ins, stage.scope);
          break;
        case 'ENV':
          this.stageEnv(ins, stage.scope);
          break;
        case 'COPY':
          if (ins.copyFrom !== undefined)
            this.reference('copy-from', ins, ins.copyFrom, stage, index, stage.scope);
          break;
        case 'RUN':
          for (const m of ins.mounts) {
            if (m.from !== undefined && m.type !== 'tmpfs' && m.type !== 'secret') {
              this.reference('mount-from', ins, m.from, stage, index, stage.scope);
            }
          }
          break;
        case 'ONBUILD':
          if (ins.onbuild !== undefined) stage.triggers.push(ins);
          break;
        default:
      }
    }
  }

  private runTrigger(trigger: Instruction, parent: StageState, child: StageState): void {
    const inner = trigger.onbuild;
    if (inner === undefined) return;
    const seen = this.triggerUses.get(trigger);
    if (seen !== undefined) {
      for (const o of seen) o.owners.push(child.summary.index);
      // the dependency edges still belong to this child
    }
    const before = this.owned.length;
    const scope = cloneScope(parent.scope);
    const record = seen === undefined;
    if (inner.keyword === 'COPY' && inner.copyFrom !== undefined) {
      this.reference('copy-from', trigger, inner.copyFrom, parent, child.summary.index, scope, record, child);
    } else if (inner.keyword === 'RUN') {
      for (const m of inner.mounts) {
        if (m.from !== undefined && m.type !== 'tmpfs' && m.type !== 'secret') {
          this.reference('mount-from', trigger, m.from, parent, child.summary.index, scope, record, child);
        }
      }
    }
    if (record) {
      const created = this.owned.slice(before);
      for (const o of created) o.use.onbuild = true;
      this.triggerUses.set(trigger, created);
    }
  }

  private stageArg(ins: Instruction, scope: Scope): void {
    const { declarations, error } = parseArgDeclarations(ins.rest, this.escape);
    if (error !== undefined) this.problem(ins.line, error);
    for (const d of declarations) {
      const given = this.options.buildArgs[d.key];
      if (given !== undefined) scope.args.set(d.key, { value: given });
      else if (d.value !== undefined) {
        const r = this.expand(d.value, lookupIn(scope));
        scope.args.set(d.key, {
          value: r.value,
          unresolved: r.error !== undefined ? [d.key, ...r.unresolved] : r.unresolved,
        });
      } else scope.args.set(d.key, this.global.get(d.key));
    }
  }

  private stageEnv(ins: Instruction, scope: Scope): void {
    const lookup = lookupIn(scope);
    const values = parseEnvDeclarations(ins.rest, this.escape).map((d) => {
      const r = this.expand(d.value, lookup);
      return {
        key: d.key,
        value: {
          value: r.value,
          unresolved: r.error !== undefined ? [d.key, ...r.unresolved] : r.unresolved,
        },
      };
    });
    for (const { key, value } of values) scope.env.set(key, value);
  }

  /**
   * A `--from` / `from=` reference in `stage` (counted for `owner`): a stage (dependency edge), scratch,
   * or an external image (a use).
   */
  private reference(
    kind: 'copy-from' | 'mount-from',
    ins: Instruction,
    token: Token,
    stage: StageState,
    owner: number,
    scope: Scope,
    record = true,
    ownerState: StageState = stage,
  ): void {
    const raw = token.value;
    if (raw === '') return;
    let resolved: string | null = raw;
    let unresolved: string[] = [];
    const what = kind === 'copy-from' ? `COPY --from=${shorten(raw)}` : `RUN --mount=…,from=${shorten(raw)}`;
    if (raw.includes('$')) {
      const r = this.expand(raw, lookupIn(scope));
      unresolved = r.unresolved;
      resolved = r.error === undefined && r.unresolved.length === 0 ? r.value : null;
      if (r.error !== undefined) this.problem(ins.line, `${what}: ${r.error}`);
      if (record) {
        this.warn(
          ins.line,
          `${what}: BuildKit (docker buildx) does not expand variables in ${kind === 'copy-from' ? '--from' : 'mount from='} ` +
            `and fails the build; buildah and podman expand it${resolved !== null ? ` (here to "${resolved}")` : ''}. ` +
            `For BuildKit, declare the ARG before the first FROM, add "FROM ${raw} AS <name>" and use that stage name`,
        );
      }
    }
    const ownerIndex = ownerState.summary.index;
    if (resolved !== null) {
      if (resolved === '') return;
      let stageTarget: number | undefined;
      if (INDEX.test(resolved)) {
        stageTarget = Number.parseInt(resolved, 10);
        if (!(stageTarget >= 0 && stageTarget < this.stages.length)) {
          this.problem(
            ins.line,
            `${what}: invalid stage index ${resolved} (the Dockerfile has ${this.stages.length} stages)`,
          );
          return;
        }
      } else stageTarget = this.finalNames.get(resolved.toLowerCase());
      if (stageTarget !== undefined) {
        if (stageTarget < ownerIndex) {
          if (!ownerState.summary.dependsOn.includes(stageTarget))
            ownerState.summary.dependsOn.push(stageTarget);
        } else {
          this.problem(
            ins.line,
            stageTarget === ownerIndex
              ? `${what}: a stage cannot use itself (circular dependency on stage "${ownerState.label}")`
              : `${what}: stage "${this.stages[stageTarget]?.label ?? resolved}" must be defined before the stage that uses it ("${ownerState.label}")`,
          );
        }
        return;
      }
      if (resolved === 'scratch') return;
      const parsedRef = tryParseReference(resolved);
      if (!parsedRef.ok && record) this.problem(ins.line, `${what}: ${parsedRef.error}`);
    }
    if (!record) return;
    this.owned.push({
      use: {
        kind,
        stage: stage.label,
        stageIndex: stage.summary.index,
        line: ins.line,
        ref: raw,
        resolved,
        unresolvedArgs: unresolved,
        location: locationOf(token.span),
      },
      owners: [owner],
    });
  }

  private noStages(): void {
    const { instructions, lineCount } = this.parsed;
    if (lineCount === 0 || instructions.length === 0) {
      this.problem(
        1,
        lineCount === 0
          ? 'the Dockerfile is empty'
          : 'the Dockerfile has no instructions (only comments or blank lines); it needs at least a FROM',
      );
    } else {
      this.problem(
        instructions[0]?.line ?? 1,
        'the Dockerfile has no FROM instruction, so there is no stage to build',
      );
    }
  }

  private target(): number {
    const last = this.stages.length - 1;
    const wanted = this.options.target?.trim();
    if (wanted === undefined || wanted === '') return last;
    const found = this.finalNames.get(wanted.toLowerCase());
    if (found !== undefined) return found;
    if (this.stages.length > 0) {
      const names = this.stages.map((s) => s.summary.name ?? `${s.summary.index} (unnamed)`).join(', ');
      this.problem(1, `target stage "${wanted}" could not be found; the stages are: ${names}`);
    }
    return last;
  }

  /** The target and everything it depends on; every stage when the target is unknown. */
  private reachable(target: number): Set<number> {
    const counted = new Set<number>();
    const wanted = this.options.target?.trim();
    if (wanted !== undefined && wanted !== '' && !this.finalNames.has(wanted.toLowerCase())) {
      for (const s of this.stages) counted.add(s.summary.index);
      return counted;
    }
    const stack = target >= 0 ? [target] : [];
    while (stack.length > 0) {
      const s = stack.pop() ?? -1;
      if (counted.has(s)) continue;
      counted.add(s);
      for (const d of this.stages[s]?.summary.dependsOn ?? []) if (!counted.has(d)) stack.push(d);
    }
    return counted;
  }

  private collect(counted: Set<number>): BaseImageUse[] {
    const uses = this.owned
      .filter((o) => o.owners.some((s) => counted.has(s)))
      .map((o) => o.use)
      .sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
    const syntax = this.syntaxUse();
    return syntax === undefined ? uses : [syntax, ...uses];
  }

  private syntaxUse(): BaseImageUse | undefined {
    const fromArg = this.options.buildArgs.BUILDKIT_SYNTAX?.trim();
    const directive = this.parsed.directives.syntax;
    if (fromArg !== undefined && fromArg !== '') {
      const image = fromArg.split(' ')[0] ?? fromArg;
      if (directive !== undefined) {
        this.warn(
          directive.line,
          `the BUILDKIT_SYNTAX build-arg (${image}) replaces this # syntax= directive`,
        );
      }
      const parsedRef = tryParseReference(image);
      if (!parsedRef.ok) this.problem(1, `build-arg BUILDKIT_SYNTAX: ${parsedRef.error}`);
      return {
        kind: 'syntax',
        stage: null,
        stageIndex: null,
        line: 0,
        ref: image,
        resolved: image,
        unresolvedArgs: [],
        location: { line: 0, column: 0, endColumn: 0, endLine: 0 },
        fromBuildArg: true,
      };
    }
    if (directive === undefined) return undefined;
    const parsedRef = tryParseReference(directive.image);
    if (!parsedRef.ok)
      this.problem(directive.line, `# syntax=${shorten(directive.value)}: ${parsedRef.error}`);
    return {
      kind: 'syntax',
      stage: null,
      stageIndex: null,
      line: directive.line,
      ref: directive.image,
      resolved: directive.image,
      unresolvedArgs: [],
      location: locationOf(directive.span),
    };
  }

  private finalBase(target: number, counted: Set<number>): BaseImageUse | undefined {
    let s = target;
    const visited = new Set<number>();
    while (s >= 0 && !visited.has(s)) {
      visited.add(s);
      const base = this.stages[s]?.summary.baseStage;
      if (base === undefined) break;
      s = base;
    }
    if (s < 0) return undefined;
    return this.owned.find(
      (o) => o.use.kind === 'from' && o.use.stageIndex === s && o.owners.some((x) => counted.has(x)),
    )?.use;
  }

  private onbuildList(counted: Set<number>): BaseImageAnalysis['onbuild'] {
    const basesOfCounted = new Set<number>();
    for (const c of this.stages) {
      const base = c.summary.baseStage;
      if (base !== undefined && counted.has(c.summary.index)) basesOfCounted.add(base);
    }
    const out: BaseImageAnalysis['onbuild'] = [];
    for (const stage of this.stages) {
      if (!counted.has(stage.summary.index)) continue;
      const runs = basesOfCounted.has(stage.summary.index);
      for (const t of stage.triggers)
        out.push({ line: t.line, text: t.rest, stage: stage.label, runsInThisBuild: runs });
    }
    return out;
  }
}

export function analyzeBaseImages(parsed: ParsedDockerfile, options: AnalyzeOptions): BaseImageAnalysis {
  return new Analyzer(parsed, options).run();
}

/** BuildKit's short form of a reference: no `docker.io/library/`, no `:latest`. */
function familiarName(reference: string): string {
  const short = reference.replace(/^(?:docker\.io|index\.docker\.io)\/(?:library\/(?=[^/]+$))?/, '');
  return short.includes('@') ? short : short.replace(/:latest$/, '');
}

/** A reference as quoted in a problem: a line can be 64 KiB long, a message should not be. */
function shorten(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
