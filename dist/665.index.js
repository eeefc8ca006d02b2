export const id = 665;
export const ids = [665];
export const modules = {

/***/ 3665:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  buildAndPush: () => (/* binding */ buildAndPush)
});

// UNUSED EXPORTS: buildRequest, planFor

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./src/build/labels.ts
/**
 * The OCI annotations the interface promises, first, so a user's `labels` line with the same key
 * wins (docker/metadata-action users set their own source and revision).
 */
function ociLabels(github, created, base, userLabels) {
    const ours = [];
    if (github.repository)
        ours.push({ key: 'org.opencontainers.image.source', value: `${github.serverUrl}/${github.repository}` });
    if (github.sha)
        ours.push({ key: 'org.opencontainers.image.revision', value: github.sha });
    ours.push({ key: 'org.opencontainers.image.created', value: created.toISOString() });
    if (base) {
        ours.push({ key: 'org.opencontainers.image.base.name', value: base.name });
        if (base.digest)
            ours.push({ key: 'org.opencontainers.image.base.digest', value: base.digest });
    }
    const userKeys = new Set(userLabels.map((l) => l.key));
    return [...ours.filter((l) => !userKeys.has(l.key)), ...userLabels];
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/build/plan.ts

function registryOf(reference) {
    return reference.split('/')[0] ?? '';
}
/**
 * buildah and podman read `--file` as a string slice, which pflag parses as one CSV record: a path
 * holding a comma, a quote or a newline would be cut into several files. CSV quoting keeps it one.
 */
function containersFileFlag(path) {
    return /[",\r\n]/.test(path) ? `"${path.replace(/"/g, '""')}"` : path;
}
function commonBuildFlags(req, file = req.dockerfile) {
    const args = ['--file', file];
    for (const tag of req.tags)
        args.push('--tag', tag);
    for (const { key, value } of req.buildArgs)
        args.push('--build-arg', `${key}=${value}`);
    for (const { key, value } of req.labels)
        args.push('--label', `${key}=${value}`);
    if (req.target)
        args.push('--target', req.target);
    return args;
}
/**
 * buildah and podman share containers/image: the same build flags, a local image (or, for several
 * platforms, a local manifest list) pushed per tag with `--digestfile`, or written to an OCI archive.
 */
function containersPlan(builder, req) {
    const multi = req.platforms.length > 1;
    const local = req.tags[0] ?? 'localhost/secure-image:latest';
    const build = ['build', ...commonBuildFlags(req, containersFileFlag(req.dockerfile))];
    // containers/image has no per-registry switch on the command line: plain HTTP for a loopback
    // registry (base images or tags) means no TLS verification for this build's pulls.
    if (req.insecureRegistries.length > 0)
        build.push('--tls-verify=false');
    // buildah and podman only read the context's .dockerignore unless told; BuildKit finds this one itself.
    if (req.ignoreFile)
        build.push('--ignorefile', req.ignoreFile);
    if (req.platforms.length > 0)
        build.push('--platform', req.platforms.join(','));
    // A manifest list must have its own name; the tag names then point at it when pushed.
    const listName = `${local.split(':').slice(0, -1).join(':') || local}-secure-image-list`;
    if (multi)
        build.push('--manifest', listName);
    build.push(req.context);
    const commands = [{ label: `${builder} build`, args: build, kind: 'build' }];
    const auth = (reference) => {
        const args = [];
        if (req.authFile)
            args.push('--authfile', req.authFile);
        if (req.insecureRegistries.includes(registryOf(reference)))
            args.push('--tls-verify=false');
        return args;
    };
    if (req.push) {
        req.tags.forEach((tag, i) => {
            const digestFile = (0,external_node_path_.join)(req.workDir, `digest-${i}.txt`);
            const args = multi
                ? ['manifest', 'push', '--all', ...auth(tag), '--digestfile', digestFile, listName, `docker://${tag}`]
                : ['push', ...auth(tag), '--digestfile', digestFile, local, `docker://${tag}`];
            commands.push({ label: `${builder} push ${tag}`, args, kind: 'push', digestFile, pushes: tag });
        });
        return { builder, command: builder, commands };
    }
    const archive = (0,external_node_path_.join)(req.workDir, 'image.oci.tar');
    const args = multi
        ? ['manifest', 'push', '--all', listName, `oci-archive:${archive}:${local}`]
        : ['push', local, `oci-archive:${archive}:${local}`];
    commands.push({ label: `${builder} archive`, args, kind: 'archive' });
    return { builder, command: builder, commands, archive };
}
/**
 * docker buildx builds and pushes in one command and reports the pushed digest in its metadata file
 * (`containerimage.digest`); unpushed builds are exported as one OCI archive, every platform included.
 */
function buildxPlan(req) {
    const metadataFile = (0,external_node_path_.join)(req.workDir, 'buildx-metadata.json');
    const args = ['buildx', 'build', ...commonBuildFlags(req), '--metadata-file', metadataFile];
    if (req.platforms.length > 0)
        args.push('--platform', req.platforms.join(','));
    // Provenance attestations would turn a single-platform push into an index whose digest differs from
    // what scanners and `cosign` resolve; the action attaches its own attestations after the gate.
    args.push('--provenance=false');
    let archive;
    if (req.push) {
        args.push('--push');
    }
    else {
        archive = (0,external_node_path_.join)(req.workDir, 'image.oci.tar');
        args.push('--output', `type=oci,dest=${archive}`);
    }
    args.push(req.context);
    return {
        builder: 'docker',
        command: 'docker',
        commands: [{ label: 'docker buildx build', args, kind: 'build' }],
        metadataFile,
        ...(archive ? { archive } : {}),
    };
}

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: ./src/util/exec.ts + 1 modules
var util_exec = __webpack_require__(2817);
// EXTERNAL MODULE: ./src/util/errors.ts
var errors = __webpack_require__(17);
// EXTERNAL MODULE: ./src/util/retry.ts
var retry = __webpack_require__(4266);
;// CONCATENATED MODULE: ./src/build/run.ts





const DIGEST = /^sha256:[0-9a-f]{64}$/;
// What a self-hosted runner's builder configuration travels in; nothing else of the runner's env.
const BUILDER_ENV = [
    'STORAGE_DRIVER',
    'STORAGE_OPTS',
    'BUILDAH_ISOLATION',
    'BUILDAH_FORMAT',
    'CONTAINERS_CONF',
    'CONTAINERS_STORAGE_CONF',
    'CONTAINERS_REGISTRIES_CONF',
    'BUILDX_BUILDER',
    'BUILDKIT_PROGRESS',
    'DOCKER_CONTEXT',
];
function builderEnvironment(from, authDir) {
    const env = {};
    for (const name of BUILDER_ENV) {
        const value = from[name];
        if (value)
            env[name] = value;
    }
    if (authDir)
        env.DOCKER_CONFIG = authDir;
    return env;
}
/** Runs a build plan; the builder's log goes to the job log in a group, the digest comes from the builder. */
async function runBuildPlan(plan, options) {
    const started = performance.now();
    let toolMs = 0;
    const digests = [];
    const exec = async (command) => {
        const result = await (0,util_exec/* execTool */.wc)({
            command: plan.command,
            args: command.args,
            env: options.env,
            cwd: options.cwd,
            label: command.label,
            stream: true,
            ...(command.kind !== 'build' && options.pushTimeoutMs !== undefined
                ? { timeoutMs: options.pushTimeoutMs }
                : {}),
        });
        toolMs += result.durationMs;
        return result;
    };
    let cleared = false;
    for (const command of plan.commands) {
        if (!cleared && (command.kind === 'push' || command.args.includes('--push'))) {
            await options.beforePush?.();
            cleared = true;
        }
        const result = await core.group(command.label, async () => {
            if (command.kind !== 'push')
                return exec(command);
            return (0,retry/* retry */.L5)(async () => {
                const r = await exec(command);
                if (r.timedOut) {
                    // A registry that stops answering is not retried: another try would wait as long again.
                    throw new errors/* UserError */.yo(`Pushing ${command.pushes ?? ''} did not finish within ${Math.round((options.pushTimeoutMs ?? 0) / 1000)} s (\`stage-timeout\`); the registry stopped answering.${(0,util_exec/* tailLines */.os)(r.stderr, 3) ? `\n${(0,util_exec/* tailLines */.os)(r.stderr, 3)}` : ''}`);
                }
                if (r.exitCode !== 0)
                    throw new PushError(command, r);
                return r;
            }, {
                attempts: options.pushAttempts ?? 4,
                baseDelayMs: options.pushDelayMs ?? 1000,
                maxDelayMs: 8000,
                what: `Pushing ${command.pushes ?? ''}`,
                isTransient: (e) => e instanceof PushError && (0,retry/* isTransientText */.KL)(e.result.stderr),
                onRetry: ({ attempt, delayMs }) => core.warning(`Push of ${command.pushes ?? ''} failed (try ${attempt}); trying again in ${delayMs} ms.`),
            }).catch((error) => {
                throw error instanceof PushError ? builderFailure(plan, command, error.result) : error;
            });
        });
        if (result.exitCode !== 0)
            throw builderFailure(plan, command, result);
        if (command.digestFile && command.pushes) {
            digests.push({ tag: command.pushes, digest: readDigestFile(command.digestFile, command.label) });
        }
    }
    let digest;
    if (plan.metadataFile && plan.commands.some((c) => c.args.includes('--push'))) {
        digest = readBuildxDigest(plan.metadataFile);
    }
    else if (digests.length > 0) {
        digest = digests[0]?.digest;
        const other = digests.find((d) => d.digest !== digest);
        if (other) {
            throw new errors/* UserError */.yo(`The tags were pushed with different digests (${digests[0]?.tag} → ${digest}, ${other.tag} → ${other.digest}). Something else pushed to the same tags at the same time; run again.`);
        }
    }
    return {
        builder: plan.builder,
        ...(digest ? { digest } : {}),
        pushedTags: plan.commands.filter((c) => c.kind === 'push' && c.pushes).map((c) => c.pushes ?? ''),
        ...(plan.archive ? { archive: plan.archive } : {}),
        durationMs: Math.round(performance.now() - started),
        toolMs,
    };
}
class PushError extends Error {
    command;
    result;
    constructor(command, result) {
        super((0,util_exec/* tailLines */.os)(result.stderr, 5) || `exit code ${result.exitCode}`);
        this.command = command;
        this.result = result;
    }
}
/** The builder's own words, the last lines of them, and the Dockerfile line when it names one. */
function builderFailure(plan, command, result) {
    const tail = (0,util_exec/* tailLines */.os)(result.stderr || result.stdout, 12);
    const line = /(?:dockerfile parse error (?:on )?line|Dockerfile:|line) (\d+)/i.exec(tail)?.[1];
    const what = command.kind === 'build' ? 'The build failed' : `${command.label} failed`;
    return new errors/* UserError */.yo(`${what} (${plan.builder} exited with ${result.timedOut ? 'a timeout' : `code ${result.exitCode}`})${line ? ` at Dockerfile line ${line}` : ''}:\n${tail}`);
}
function readDigestFile(path, label) {
    let text = '';
    try {
        text = (0,external_node_fs_.readFileSync)(path, 'utf8').trim();
    }
    catch {
        // Reported below as an empty digest.
    }
    if (!DIGEST.test(text)) {
        throw new errors/* UserError */.yo(`${label} reported ${text === '' ? 'no digest' : `"${text}"`} instead of a sha256 registry digest; the push cannot be signed by digest. Check the builder version.`);
    }
    return text;
}
function readBuildxDigest(path) {
    let value;
    try {
        value = JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'))['containerimage.digest'];
    }
    catch {
        value = undefined;
    }
    if (typeof value !== 'string' || !DIGEST.test(value)) {
        throw new errors/* UserError */.yo(`docker buildx reported ${typeof value === 'string' ? `"${value}"` : 'no containerimage.digest'} instead of a sha256 registry digest in its metadata file. Use a buildx builder that pushes (the docker-container driver, docker/setup-buildx-action).`);
    }
    return value;
}

;// CONCATENATED MODULE: ./src/build/select.ts


async function answers(command, args) {
    try {
        const r = await (0,util_exec/* execTool */.wc)({ command, args, timeoutMs: 15_000, label: `${command} probe` });
        return r.exitCode === 0;
    }
    catch {
        return false;
    }
}
/** `auto`: buildx when a Docker engine answers, else buildah, else podman; and say why. */
async function chooseBuilder(wanted) {
    if (wanted !== 'auto')
        return { builder: wanted, why: `\`builder: ${wanted}\`` };
    if (await answers('docker', ['version', '--format', '{{.Server.Version}}'])) {
        if (await answers('docker', ['buildx', 'version']))
            return { builder: 'docker', why: 'a Docker engine with buildx answered' };
    }
    if (await answers('buildah', ['--version']))
        return { builder: 'buildah', why: 'no Docker engine answered; buildah is installed' };
    if (await answers('podman', ['--version']))
        return { builder: 'podman', why: 'no Docker engine answered; podman is installed' };
    throw new errors/* UserError */.yo('No builder found: no Docker engine answered, and neither buildah nor podman is installed. Use a GitHub-hosted runner, or install buildah on the self-hosted runner.');
}

// EXTERNAL MODULE: ./src/registry/client.ts
var client = __webpack_require__(2440);
;// CONCATENATED MODULE: ./src/pipeline/build.ts








function buildRequest(config, deps) {
    const registries = new Set([...config.tags, ...(deps.baseImages ?? [])].map((t) => t.split('/')[0] ?? ''));
    const ignoreFile = `${config.dockerfile}.dockerignore`;
    return {
        context: config.context,
        dockerfile: deps.dockerfile,
        ...((0,external_node_fs_.existsSync)(ignoreFile) ? { ignoreFile } : {}),
        buildArgs: config.buildArgs,
        ...(config.target ? { target: config.target } : {}),
        platforms: config.platforms,
        labels: ociLabels(config.github, deps.now ?? new Date(), deps.finalBase, config.labels),
        tags: config.tags,
        push: config.push,
        workDir: deps.workDir,
        ...(deps.authDir ? { authFile: deps.authDir.configFile } : {}),
        insecureRegistries: [...registries].filter(client/* isLoopbackRegistry */.jW),
    };
}
function planFor(builder, request) {
    return builder === 'docker' ? buildxPlan(request) : containersPlan(builder, request);
}
async function buildAndPush(config, deps) {
    (0,external_node_fs_.mkdirSync)(deps.workDir, { recursive: true });
    const choice = await chooseBuilder(config.builder);
    const request = buildRequest(config, deps);
    const plan = planFor(choice.builder, request);
    const before = (0,util_exec/* execTimings */.Vf)().length;
    const result = await runBuildPlan(plan, {
        cwd: config.context,
        env: builderEnvironment(process.env, deps.authDir?.dir),
        pushTimeoutMs: config.stageTimeoutMs,
        ...(deps.beforePush ? { beforePush: deps.beforePush } : {}),
    });
    const pushMs = (0,util_exec/* execTimings */.Vf)()
        .slice(before)
        .filter((t) => t.label.includes(' push '))
        .reduce((sum, t) => sum + t.durationMs, 0);
    if (!config.push)
        return { ...result, choice, pushMs };
    if (!result.digest)
        throw new errors/* UserError */.yo(`${choice.builder} pushed but reported no digest; nothing can be signed.`);
    const repository = config.image ?? repositoryOf(config.tags[0] ?? '');
    const [registry, ...path] = repository.split('/');
    // The builder's digest must be what the registry now serves, or signing would sign the wrong thing.
    const head = await deps.registry.headManifest(registry ?? '', path.join('/'), result.digest);
    if (!head) {
        throw new errors/* UserError */.yo(`${choice.builder} reported digest ${result.digest}, but ${repository} has no manifest with that digest. The push did not land where \`image\` says; check \`image\` and \`tags\`.`);
    }
    return {
        ...result,
        choice,
        pushMs,
        imageRef: `${repository}@${result.digest}`,
        manifestMediaType: head.mediaType,
    };
}
function repositoryOf(reference) {
    const at = reference.indexOf('@');
    const noDigest = at >= 0 ? reference.slice(0, at) : reference;
    const colon = noDigest.lastIndexOf(':');
    return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}


/***/ })

};
