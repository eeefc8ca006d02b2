export const id = 744;
export const ids = [744];
export const modules = {

/***/ 1350:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ec: () => (/* binding */ VerificationIncomplete),
/* harmony export */   Iy: () => (/* binding */ cosignReason),
/* harmony export */   pv: () => (/* binding */ SignatureRejected),
/* harmony export */   r3: () => (/* binding */ verifyImageSignature)
/* harmony export */ });
/* unused harmony exports certificateSigners, verifiedDigest */
/* harmony import */ var _util_exec_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2817);
/* harmony import */ var _util_retry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4266);
/* harmony import */ var _args_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2974);



/** cosign said no: no signature, or not from the expected signer. Never retried. */
class SignatureRejected extends Error {
    reason;
    constructor(reason) {
        super(reason);
        this.reason = reason;
        this.name = 'SignatureRejected';
    }
}
/** cosign could not finish (network, registry, crash, unreadable output). Fails closed, like a no. */
class VerificationIncomplete extends Error {
    reason;
    transient;
    constructor(reason, transient) {
        super(reason);
        this.reason = reason;
        this.transient = transient;
        this.name = 'VerificationIncomplete';
    }
}
// cosign's words for a signature that is absent or not from the expected signer: a verdict, not a hiccup.
const REJECTION = /no signatures found|no matching signatures|none of the expected identities|expected identity not found|invalid signature|signature mismatch|failed to verify signature|certificate identity|error verifying bundle|no matching attestations/i;
/** The reason cosign gives, without its usage banner: the `Error:` line, or the last lines. */
function cosignReason(stderr) {
    const lines = stderr.split('\n').map((l) => l.trim());
    // cosign prints "Error: <why>" and then "main.go:NN: error during command execution: <why>".
    const error = lines.find((l) => l.startsWith('Error:')) ?? lines.find((l) => /^main\.go:\d+: /.test(l));
    const reason = error
        ? error.replace(/^Error:\s*/, '').replace(/^main\.go:\d+: (error during command execution: )?/, '')
        : (0,_util_exec_js__WEBPACK_IMPORTED_MODULE_0__/* .tailLines */ .os)(stderr, 3);
    return reason || 'no reason given';
}
/**
 * Verifies `reference` (name@sha256:…) and returns the digest cosign verified, read from its JSON
 * (`critical.image.docker-manifest-digest`), which must be the digest asked for.
 */
async function verifyImageSignature(reference, signer, options) {
    const asked = reference.slice(reference.lastIndexOf('@') + 1);
    const started = performance.now();
    let stdout = '';
    const digest = await (0,_util_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .retry */ .L5)(async () => {
        const result = await (0,_util_exec_js__WEBPACK_IMPORTED_MODULE_0__/* .execTool */ .wc)({
            command: options.cosign,
            args: (0,_args_js__WEBPACK_IMPORTED_MODULE_2__/* .verifyArgs */ .H$)(reference, signer, options.insecure),
            env: options.env,
            timeoutMs: options.timeoutMs,
            label: 'cosign verify',
        });
        // A hung cosign is not tried again: each try would wait the whole `stage-timeout` once more.
        if (result.timedOut) {
            throw new VerificationIncomplete(`cosign verify did not finish within ${Math.round(options.timeoutMs / 1000)} s (\`stage-timeout\`) and was stopped`, false);
        }
        if (result.exitCode !== 0) {
            const reason = cosignReason(result.stderr);
            if (REJECTION.test(result.stderr))
                throw new SignatureRejected(reason);
            throw new VerificationIncomplete(reason, (0,_util_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .isTransientText */ .KL)(result.stderr));
        }
        stdout = result.stdout;
        return verifiedDigest(result.stdout);
    }, {
        attempts: options.attempts ?? 3,
        baseDelayMs: options.baseDelayMs ?? 1000,
        maxDelayMs: 8000,
        what: `cosign verify ${reference}`,
        isTransient: (e) => e instanceof VerificationIncomplete && e.transient,
    });
    if (digest !== asked) {
        throw new VerificationIncomplete(`cosign verified ${digest}, not the digest asked for (${asked})`, false);
    }
    return { digest, durationMs: Math.round(performance.now() - started), signers: certificateSigners(stdout) };
}
/**
 * The signers cosign printed for the signatures it verified (`optional.Subject` / `optional.Issuer`, which it
 * writes for certificates of the legacy signature layout). Each passed the identity and issuer checks it was
 * given. Signatures in the v3 bundle format carry no such fields in this output: none are returned for them.
 */
function certificateSigners(stdout) {
    let parsed;
    try {
        parsed = JSON.parse(stdout.trim());
    }
    catch {
        return [];
    }
    if (!Array.isArray(parsed))
        return [];
    const seen = new Map();
    for (const entry of parsed) {
        const optional = entry?.optional;
        if (typeof optional !== 'object' || optional === null)
            continue;
        const { Subject: identity, Issuer: issuer } = optional;
        if (typeof identity !== 'string' || identity === '' || typeof issuer !== 'string' || issuer === '')
            continue;
        seen.set(`${identity}\u0000${issuer}`, { identity, issuer });
    }
    return [...seen.values()];
}
/** The digest every signature cosign printed speaks for; all of them must agree. */
function verifiedDigest(stdout) {
    let parsed;
    try {
        parsed = JSON.parse(stdout.trim());
    }
    catch {
        throw new VerificationIncomplete('cosign verify printed no JSON; cannot tell what it verified', false);
    }
    if (!Array.isArray(parsed) || parsed.length === 0) {
        throw new VerificationIncomplete('cosign verify printed no signatures', false);
    }
    const digests = new Set();
    for (const entry of parsed) {
        const digest = entry?.critical
            ?.image?.['docker-manifest-digest'];
        if (typeof digest !== 'string')
            throw new VerificationIncomplete('a signature cosign printed names no image digest', false);
        digests.add(digest);
    }
    if (digests.size !== 1)
        throw new VerificationIncomplete(`cosign's signatures name several digests: ${[...digests].join(', ')}`, false);
    return [...digests][0] ?? '';
}


/***/ }),

/***/ 3744:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  SignStageError: () => (/* binding */ SignStageError),
  runSignStage: () => (/* binding */ runSignStage)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: ./src/registry/client.ts
var client = __webpack_require__(2440);
// EXTERNAL MODULE: ./src/util/errors.ts
var errors = __webpack_require__(17);
// EXTERNAL MODULE: ./src/sign/args.ts
var args = __webpack_require__(7796);
// EXTERNAL MODULE: ./src/cosign/verify.ts
var verify = __webpack_require__(1350);
// EXTERNAL MODULE: ./src/util/exec.ts + 1 modules
var util_exec = __webpack_require__(2817);
// EXTERNAL MODULE: ./src/util/retry.ts
var retry = __webpack_require__(4266);
;// CONCATENATED MODULE: ./src/sign/run.ts



/** cosign failed; `transient` says whether trying again could help. The reason is redacted text. */
class CosignCallFailed extends Error {
    label;
    reason;
    transient;
    stderr;
    constructor(label, reason, transient, stderr) {
        super(`${label} failed: ${reason}`);
        this.label = label;
        this.reason = reason;
        this.transient = transient;
        this.stderr = stderr;
        this.name = 'CosignCallFailed';
    }
}
// Fulcio and Rekor errors as cosign prints them ("[503]", "status code 503"), on top of the shared list.
const SIGSTORE_TRANSIENT = [/\[(408|429|5\d\d)\]/, /\bstatus(?: code)?:? (408|429|5\d\d)\b/i];
function isTransientCosignFailure(stderr) {
    return (0,retry/* isTransientText */.KL)(stderr) || SIGSTORE_TRANSIENT.some((re) => re.test(stderr));
}
async function runCosign(session, step) {
    const exec = session.exec ?? util_exec/* execTool */.wc;
    return (0,retry/* retry */.L5)(async () => {
        const material = await session.material();
        const result = await exec({
            command: session.cosign,
            args: step.args,
            env: { ...session.env, ...material.env },
            secrets: material.secrets,
            timeoutMs: session.timeoutMs,
            label: step.label,
        });
        // A hung cosign is not tried again: each try would wait the whole `stage-timeout` once more.
        if (result.timedOut) {
            throw new CosignCallFailed(step.label, `did not finish within ${Math.round(session.timeoutMs / 1000)} s (\`stage-timeout\`) and was stopped`, false, result.stderr);
        }
        if (result.exitCode !== 0) {
            throw new CosignCallFailed(step.label, (0,verify/* cosignReason */.Iy)(result.stderr), isTransientCosignFailure(result.stderr), result.stderr);
        }
        return result;
    }, {
        attempts: session.attempts,
        baseDelayMs: session.baseDelayMs,
        maxDelayMs: session.maxDelayMs,
        what: step.what,
        isTransient: (e) => e instanceof CosignCallFailed && e.transient,
        ...(session.sleep ? { sleep: session.sleep } : {}),
        onRetry: ({ attempt, delayMs, error }) => session.onRetry?.(`${step.what}: try ${attempt} failed (${error instanceof CosignCallFailed ? error.reason : String(error)}); trying again in ${Math.round(delayMs / 100) / 10} s`),
    });
}

;// CONCATENATED MODULE: ./src/sign/sign.ts




/** `cosign sign --yes` on the digest; the Rekor log index when cosign printed one. */
async function signImage(session, request) {
    const started = performance.now();
    try {
        const result = await runCosign(session, {
            args: (0,args/* signArgs */.Ng)(request),
            label: 'cosign sign',
            what: `cosign sign ${request.reference}`,
        });
        const rekorLogIndex = (0,args/* parseRekorLogIndex */.tk)(result.stderr);
        return {
            ...(rekorLogIndex !== undefined ? { rekorLogIndex } : {}),
            durationMs: Math.round(performance.now() - started),
        };
    }
    catch (error) {
        throw explainCosignFailure(error, `Signing ${request.reference}`);
    }
}
/**
 * What a failed sign or attest means for the user: the reason cosign gave, plus the usual fix when
 * the registry refused the write.
 */
function explainCosignFailure(error, doing) {
    const failure = error instanceof CosignCallFailed
        ? error
        : error instanceof retry/* RetriesExhaustedError */.i5 && error.cause instanceof CosignCallFailed
            ? error.cause
            : undefined;
    if (!failure)
        return new Error(`${doing} failed: ${(0,errors/* errorMessage */.gJ)(error)}`, { cause: error });
    const tries = error instanceof retry/* RetriesExhaustedError */.i5 ? ` (after ${error.attempts} tries)` : '';
    let hint = '';
    if (/\bdenied\b|unauthorized|\b403\b|forbidden|authentication required/i.test(failure.stderr)) {
        hint =
            ' The registry refused to store the signature: log in to it before this step (e.g. docker/login-action), and for ghcr.io give the job `permissions: packages: write`.';
    }
    else if (/token is expired|expired token/i.test(failure.stderr)) {
        hint = ' The OIDC token expired before Fulcio saw it; run the job again.';
    }
    return new Error(`${doing} failed${tries}: ${failure.reason}.${hint}`, { cause: error });
}

;// CONCATENATED MODULE: ./src/sign/attest.ts




/**
 * The largest predicate attached, as actions/attest caps it. The whole DSSE envelope goes to Rekor,
 * whose public instance refuses bodies of a few tens of MB only after the image is signed, and
 * `verify-attestation` prints it back in one line: a scan of a huge image must not end there.
 */
const MAX_PREDICATE_BYTES = 16 * 1024 * 1024;
function megabytes(bytes) {
    return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
}
/**
 * Which of the requested attestations can be made: each needs its predicate file (the SBOM, or the
 * vulnerability predicate made from the scan), of a size an attestation can carry. One without it
 * is skipped with the reason, not failed.
 */
function planAttestations(requested, files, maxPredicateBytes = MAX_PREDICATE_BYTES) {
    const plans = [];
    const skipped = [];
    for (const kind of requested) {
        const file = kind === 'sbom' ? files.sbomFile : files.vulnPredicateFile;
        const what = kind === 'sbom' ? 'CycloneDX SBOM' : 'vulnerability predicate';
        if (file === undefined) {
            skipped.push({ kind, reason: `no ${what} (there was no scan to make it from)` });
        }
        else if (!(0,external_node_fs_.existsSync)(file) || !(0,external_node_fs_.statSync)(file).isFile()) {
            skipped.push({ kind, reason: `the ${what} ${file} does not exist` });
        }
        else if ((0,external_node_fs_.statSync)(file).size > maxPredicateBytes) {
            skipped.push({
                kind,
                reason: `the ${what} ${file} is ${megabytes((0,external_node_fs_.statSync)(file).size)}, more than the ${megabytes(maxPredicateBytes)} an attestation carries (Rekor refuses larger entries); publish it as a file instead`,
            });
        }
        else {
            plans.push({ kind, type: args/* PREDICATE_SHORTHAND */.Q_[kind], predicateFile: file });
        }
    }
    return { plans, skipped };
}
/** `cosign attest --yes --type … --predicate …` on the digest, with the same signer as the signature. */
async function attestImage(session, request) {
    const started = performance.now();
    try {
        const result = await runCosign(session, {
            args: (0,args/* attestArgs */.r7)({
                reference: request.reference,
                ...(request.keyRef !== undefined ? { keyRef: request.keyRef } : {}),
                type: request.plan.type,
                predicateFile: request.plan.predicateFile,
                insecure: request.insecure,
            }),
            label: 'cosign attest',
            what: `cosign attest --type ${request.plan.type} ${request.reference}`,
        });
        const rekorLogIndex = (0,args/* parseRekorLogIndex */.tk)(result.stderr);
        return {
            ...(rekorLogIndex !== undefined ? { rekorLogIndex } : {}),
            durationMs: Math.round(performance.now() - started),
        };
    }
    catch (error) {
        throw explainCosignFailure(error, `Attaching the ${request.plan.type} attestation to ${request.reference}`);
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/sign/key-material.ts



/** The variable an `env://` key reference names; not COSIGN_*, which cosign would read as a flag. */
const KEY_ENV_NAME = 'SECURE_IMAGE_COSIGN_PRIVATE_KEY';
function prepareKeyMaterial(key, password, options) {
    const passwordEnv = { COSIGN_PASSWORD: password ?? '' };
    const passwordSecrets = password ? [password] : [];
    if (key.kind === 'kms') {
        const provider = kmsProviderEnvironment(key.uri, options.env ?? process.env);
        return {
            keyRef: key.uri,
            kind: 'kms',
            env: { ...passwordEnv, ...provider.env },
            secrets: [...passwordSecrets, ...provider.secrets],
            dispose: () => undefined,
        };
    }
    const pem = key.pem.endsWith('\n') ? key.pem : `${key.pem}\n`;
    if ((options.transport ?? 'file') === 'env') {
        return {
            keyRef: `env://${KEY_ENV_NAME}`,
            kind: 'pem',
            env: { ...passwordEnv, [KEY_ENV_NAME]: pem },
            secrets: [...pemSecrets(key.pem), ...passwordSecrets],
            dispose: () => undefined,
        };
    }
    (0,external_node_fs_.mkdirSync)(options.dir, { recursive: true });
    const path = (0,external_node_path_.join)(options.dir, `cosign-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.key`);
    // 'wx': never write through a file or link that is already there; 0600 from the first byte.
    const fd = (0,external_node_fs_.openSync)(path, 'wx', 0o600);
    try {
        (0,external_node_fs_.writeSync)(fd, pem);
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
    return {
        keyRef: path,
        kind: 'pem',
        env: passwordEnv,
        secrets: [...pemSecrets(key.pem), ...passwordSecrets],
        dispose: () => (0,external_node_fs_.rmSync)(path, { force: true }),
    };
}
/** The key and each of its lines: a tool that echoes part of a key must not leak that part either. */
function pemSecrets(pem) {
    const lines = pem
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l.length >= 8 && !l.startsWith('-----'));
    return [pem, ...lines];
}
// The variables each KMS provider's SDK reads for its endpoint and credentials (as the actions that log
// in to a cloud leave them). cosign runs with a clean environment, so these are carried over by name.
const KMS_PROVIDER_VARIABLES = [
    { scheme: 'awskms://', prefixes: ['AWS_'], names: [] },
    { scheme: 'gcpkms://', prefixes: ['GOOGLE_', 'CLOUDSDK_'], names: ['GCE_METADATA_HOST'] },
    { scheme: 'azurekms://', prefixes: ['AZURE_'], names: [] },
    { scheme: 'hashivault://', prefixes: ['VAULT_'], names: ['TRANSIT_SECRET_ENGINE_PATH'] },
    { scheme: 'k8s://', prefixes: [], names: ['KUBECONFIG'] },
];
// Credentials by their names; variables that only point at one (…_FILE, …_PATH) are not secret.
const SECRET_NAME = /(^|_)(SECRET|TOKEN|PASSWORD|PRIVATE)(_|$)/;
const LOCATION_NAME = /_(FILE|PATH|ADDR|URL|URI)$/;
/**
 * The runner's variables a KMS key reference needs in cosign's clean environment: the provider's own
 * (AWS_*, GOOGLE_*, AZURE_*, VAULT_*, KUBECONFIG), or the one variable an `env://NAME` names.
 * Credentials among them are returned as secrets too.
 */
function kmsProviderEnvironment(uri, from) {
    const env = {};
    const secrets = [];
    const take = (name, secret) => {
        const value = from[name];
        if (value === undefined || value === '')
            return;
        env[name] = value;
        if (secret)
            secrets.push(value);
    };
    if (uri.startsWith('env://')) {
        take(uri.slice('env://'.length), true);
        return { env, secrets };
    }
    const provider = KMS_PROVIDER_VARIABLES.find((p) => uri.startsWith(p.scheme));
    if (!provider)
        return { env, secrets };
    for (const name of Object.keys(from).sort()) {
        if (provider.names.includes(name) || provider.prefixes.some((prefix) => name.startsWith(prefix)))
            take(name, SECRET_NAME.test(name) && !LOCATION_NAME.test(name));
    }
    return { env, secrets };
}

;// CONCATENATED MODULE: ./src/sign/oidc.ts


/**
 * The workflow's OIDC identity for keyless signing. The token is fetched from the runner
 * (`core.getIDToken('sigstore')`) and handed to cosign in its environment only. Its claims are read,
 * not trusted: Fulcio checks the signature; this code only needs to know what identity the
 * certificate will carry, so that the verify step and the verify-command can demand exactly it.
 */
const SIGSTORE_AUDIENCE = 'sigstore';
/** Fulcio's subject for a GitHub Actions token: the workflow file that runs the job, at its ref. */
const GITHUB_IDENTITY_PREFIX = 'https://github.com/';
const MISSING_PERMISSION_FIX = "Keyless signing needs the workflow's OIDC token, and this job cannot request one. Add `permissions: id-token: write` to the workflow or to the job (next to `contents: read` and `packages: write`). " +
    "Pull requests from forks never get an OIDC token, whatever the permissions say: build and scan them without pushing (`push: ${{ github.event_name != 'pull_request' }}`), so nothing is signed there. " +
    'To sign without OIDC, set `cosign-key` to a private key or a KMS URI.';
/**
 * Says what the runner's environment lacks for `core.getIDToken`, with the fix, or undefined when
 * both variables are there. The runner sets them only when the job has `id-token: write`.
 */
function missingOidcEnvironment(env) {
    const missing = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'].filter((name) => (env[name] ?? '') === '');
    if (missing.length === 0)
        return undefined;
    return new errors/* UserError */.yo(`${MISSING_PERMISSION_FIX} (${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set.)`);
}
/**
 * The claims of a compact JWT, decoded without verifying its signature: the issuer (Fulcio) does that.
 * Throws when the token is not a JWT or lacks the claims a GitHub Actions identity needs.
 */
function decodeTokenClaims(token) {
    const parts = token.trim().split('.');
    if (parts.length !== 3 || parts[1] === undefined || parts[1] === '') {
        throw new Error(`the OIDC token is not a JWT (${parts.length} parts instead of 3)`);
    }
    let claims;
    try {
        claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    }
    catch (error) {
        throw new Error(`the OIDC token's claims are not JSON: ${(0,errors/* errorMessage */.gJ)(error)}`, { cause: error });
    }
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
        throw new Error("the OIDC token's claims are not a JSON object");
    }
    const record = claims;
    if (typeof record.iss !== 'string' || record.iss === '') {
        throw new Error('the OIDC token has no `iss` claim, so the certificate issuer is unknown');
    }
    if (typeof record.job_workflow_ref !== 'string' || record.job_workflow_ref === '') {
        throw new Error(`the OIDC token from ${record.iss} has no \`job_workflow_ref\` claim; keyless signing here expects a GitHub Actions token`);
    }
    return record;
}
/**
 * The certificate identity Fulcio issues for a GitHub Actions token. `job_workflow_ref` names the
 * workflow file that defines the job, so a job in a reusable workflow is identified by the reusable
 * workflow (`org/shared/.github/workflows/build.yml@refs/tags/v1`), not by its caller.
 */
function identityFromClaims(claims) {
    return { identity: `${GITHUB_IDENTITY_PREFIX}${claims.job_workflow_ref}`, issuer: claims.iss };
}
/** The HTTP status in `core.getIDToken`'s error ("Failed to get ID Token. … Error Code : 500 …"). */
function tokenRequestStatus(error) {
    const match = /Error Code\s*:\s*(\d{3})\b/.exec((0,errors/* errorMessage */.gJ)(error));
    return match ? Number(match[1]) : undefined;
}
/**
 * Whether asking the token endpoint again may help: it answered 408/429/5xx, or the connection failed.
 * @actions/core retries only 502/503/504 itself, so a 500 from GitHub would otherwise end the run.
 */
function isTransientTokenFailure(error) {
    const status = tokenRequestStatus(error);
    if (status !== undefined)
        return (0,retry/* isTransientStatus */.Dm)(status);
    return (0,retry/* isTransientText */.KL)((0,errors/* errorMessage */.gJ)(error));
}
/**
 * Hands out identity tokens for the cosign calls of one stage. A GitHub token is valid for minutes and
 * Fulcio rejects an expired one, so a token close to its end is replaced before the next call.
 */
class IdentityTokens {
    getIdToken;
    env;
    now;
    marginSeconds;
    retries;
    current;
    constructor(getIdToken, env, now = () => Date.now() / 1000, 
    /** Seconds of validity a token must still have to be used for one more cosign call. */
    marginSeconds = 120, retries = { attempts: 4, baseDelayMs: 1000 }) {
        this.getIdToken = getIdToken;
        this.env = env;
        this.now = now;
        this.marginSeconds = marginSeconds;
        this.retries = retries;
    }
    async token() {
        const held = this.current;
        if (held && (held.claims.exp === undefined || held.claims.exp - this.now() > this.marginSeconds))
            return held;
        const missing = missingOidcEnvironment(this.env);
        if (missing)
            throw missing;
        let token;
        try {
            token = await (0,retry/* retry */.L5)(() => this.getIdToken(SIGSTORE_AUDIENCE), {
                attempts: this.retries.attempts,
                baseDelayMs: this.retries.baseDelayMs,
                maxDelayMs: 8000,
                what: "the request for the workflow's OIDC token",
                isTransient: isTransientTokenFailure,
                ...(this.retries.sleep ? { sleep: this.retries.sleep } : {}),
            });
        }
        catch (error) {
            if (error instanceof retry/* RetriesExhaustedError */.i5) {
                // The variables are there, so the permission is granted: the endpoint itself is failing.
                throw new errors/* UserError */.yo(`Could not get an OIDC token for keyless signing: GitHub's token endpoint failed ${error.attempts} times; the last answer: ${(0,errors/* errorMessage */.gJ)(error.cause)}. Re-run the job; if it keeps failing, sign with \`cosign-key\` meanwhile.`, { cause: error });
            }
            throw new errors/* UserError */.yo(`Could not get an OIDC token for keyless signing from the runner: ${(0,errors/* errorMessage */.gJ)(error)}. The job needs \`permissions: id-token: write\`.`, { cause: error });
        }
        const claims = decodeTokenClaims(token);
        this.current = { token, claims };
        return this.current;
    }
}

// EXTERNAL MODULE: ./src/cosign/args.ts
var cosign_args = __webpack_require__(2974);
;// CONCATENATED MODULE: ./src/sign/verify.ts








/**
 * The check after signing: what was just made must verify, with the identity (or key) a consumer
 * would demand. A signature that does not verify is not shipped as "signed".
 */
class SignatureNotVerified extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'SignatureNotVerified';
    }
}
function describeSigner(signer) {
    if (signer.kind === 'key')
        return `the key ${signer.key}`;
    return `identity ${signer.identity ?? signer.identityRegexp ?? '?'} and issuer ${signer.issuer ?? signer.issuerRegexp ?? '?'}`;
}
function innerReason(error) {
    const inner = error instanceof retry/* RetriesExhaustedError */.i5 ? error.cause : error;
    if (inner instanceof verify/* SignatureRejected */.pv || inner instanceof verify/* VerificationIncomplete */.Ec)
        return inner.reason;
    if (inner instanceof CosignCallFailed)
        return inner.reason;
    return (0,errors/* errorMessage */.gJ)(inner);
}
async function verifySignature(session, reference, signer, insecure) {
    try {
        const material = await session.material();
        const { durationMs } = await (0,verify/* verifyImageSignature */.r3)(reference, signer, {
            cosign: session.cosign,
            env: { ...session.env, ...material.env },
            insecure,
            timeoutMs: session.timeoutMs,
            attempts: session.attempts,
            baseDelayMs: session.baseDelayMs,
        });
        return { durationMs };
    }
    catch (error) {
        throw new SignatureNotVerified(`The signature just made on ${reference} does not verify with ${describeSigner(signer)}: ${innerReason(error)}. The image is not reported as signed.`, { cause: error });
    }
}
/**
 * Reads what `cosign verify-attestation` printed (one DSSE envelope per line) and checks that one of
 * them is an in-toto statement of `predicateType` about `digest`. Returns the number that are.
 */
function matchingAttestations(stdout, predicateType, digest) {
    const hex = digest.replace(/^sha256:/, '');
    let count = 0;
    for (const line of stdout.split('\n')) {
        const text = line.trim();
        if (!text.startsWith('{'))
            continue;
        let statement;
        try {
            const envelope = JSON.parse(text);
            if (typeof envelope.payload !== 'string')
                continue;
            statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
        }
        catch {
            continue;
        }
        const s = statement;
        if (s.predicateType !== predicateType || !Array.isArray(s.subject))
            continue;
        const about = s.subject.some((subject) => subject?.digest?.sha256 === hex);
        if (about)
            count += 1;
    }
    return count;
}
async function verifyAttestation(session, reference, signer, type, insecure) {
    const started = performance.now();
    const digest = reference.slice(reference.lastIndexOf('@') + 1);
    let stdout;
    try {
        const result = await runCosign(session, {
            args: (0,cosign_args/* verifyAttestationArgs */.xt)(reference, signer, type, insecure),
            label: 'cosign verify-attestation',
            what: `cosign verify-attestation --type ${type} ${reference}`,
        });
        stdout = result.stdout;
    }
    catch (error) {
        throw new SignatureNotVerified(`The ${type} attestation just attached to ${reference} does not verify with ${describeSigner(signer)}: ${innerReason(error)}.`, { cause: error });
    }
    if (matchingAttestations(stdout, args/* PREDICATE_TYPE_URI */.GB[type], digest) === 0) {
        throw new SignatureNotVerified(`cosign verify-attestation --type ${type} passed but printed no ${args/* PREDICATE_TYPE_URI */.GB[type]} statement about ${digest}; the attestation cannot be confirmed.`);
    }
    return { durationMs: Math.round(performance.now() - started) };
}
/**
 * The public half of a private key file, from `cosign public-key` (which opens the key with
 * COSIGN_PASSWORD), written next to the other files of the run for `verify --key`.
 */
async function derivePublicKey(session, keyRef, dir) {
    let stdout;
    try {
        const result = await runCosign(session, {
            args: (0,args/* publicKeyArgs */.a9)(keyRef),
            label: 'cosign public-key',
            what: 'cosign public-key',
        });
        stdout = result.stdout;
    }
    catch (error) {
        throw new SignatureNotVerified(`Could not read the public key of \`cosign-key\` to verify the signature: ${innerReason(error)}. Check \`cosign-password\`.`, { cause: error });
    }
    const match = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/.exec(stdout);
    if (!match) {
        throw new SignatureNotVerified('cosign public-key printed no PEM public key; the signature cannot be verified.');
    }
    const pem = `${match[0]}\n`;
    const path = (0,external_node_path_.join)(dir, 'cosign.pub');
    (0,external_node_fs_.writeFileSync)(path, pem, { mode: 0o644 });
    return { path, pem };
}

;// CONCATENATED MODULE: ./src/sign/stage.ts











/** The stage failed; `result` holds what was done before (signed is false), for the report. */
class SignStageError extends Error {
    result;
    constructor(message, result, options) {
        super(message, options);
        this.result = result;
        this.name = 'SignStageError';
    }
}
// What a runner may have that would change what cosign does: COSIGN_* set flags, SIGSTORE_* pick
// tokens and trust roots, ACTIONS_ID_TOKEN_* let cosign fetch its own token. The stage sets its own.
const FOREIGN_VARIABLE = /^(COSIGN_|SIGSTORE_|ACTIONS_ID_TOKEN_|TUF_ROOT$)/;
function cleanEnvironment(env) {
    return Object.fromEntries(Object.entries(env).filter(([name]) => !FOREIGN_VARIABLE.test(name)));
}
function registryOf(reference) {
    return reference.slice(0, reference.indexOf('/'));
}
/**
 * Signs the pushed digest, attaches the attestations, and verifies both with the identity a consumer
 * would demand. Keyless with the workflow's OIDC identity unless `cosign-key` is set. Throws
 * SignStageError (or an Error before anything ran) on any failure: nothing unverified is "signed".
 */
async function runSignStage(input, deps = {}) {
    const { config, reference } = input;
    (0,args/* assertDigestReference */.ol)(reference);
    const log = deps.log ?? core;
    const processEnv = deps.processEnv ?? process.env;
    const insecure = (0,client/* isLoopbackRegistry */.jW)(registryOf(reference));
    const env = cleanEnvironment(input.env);
    (0,external_node_fs_.mkdirSync)(input.workDir, { recursive: true });
    const { annotations, dropped } = (0,args/* signatureAnnotations */.eE)(config.github, config.signatureAnnotations);
    if (dropped.length > 0) {
        log.warning(`\`signature-annotations\`: ${dropped.map((k) => `\`${k}\``).join(', ')} ${dropped.length === 1 ? 'is' : 'are'} set by secure-image itself and cannot be replaced; ${dropped.length === 1 ? 'that line was' : 'those lines were'} ignored.`);
    }
    const result = {
        signed: false,
        phase: 'prepare',
        mode: config.cosignKey ? 'key' : 'keyless',
        reference,
        annotations: Object.fromEntries(annotations.map((a) => [a.key, a.value])),
        attestations: [],
        skippedAttestations: [],
        verifyCommand: '',
        durations: { sign: 0, attest: 0, verify: 0 },
    };
    let key;
    let tokens;
    if (config.cosignKey) {
        key = prepareKeyMaterial(config.cosignKey, config.cosignPassword, {
            dir: (0,external_node_path_.join)(input.workDir, 'signing-key'),
            env: processEnv,
            ...(deps.keyTransport ? { transport: deps.keyTransport } : {}),
        });
        if (key.kind === 'kms')
            result.keyRef = key.keyRef;
    }
    else {
        tokens = new IdentityTokens(deps.getIdToken ?? ((audience) => core.getIDToken(audience)), processEnv);
        // Fetched before any cosign call: a job without `id-token: write` fails here, with the fix.
        result.identity = identityFromClaims((await tokens.token()).claims);
    }
    const session = {
        cosign: input.cosign,
        env,
        material: async () => {
            if (key)
                return { env: key.env, secrets: key.secrets };
            const held = await tokens.token();
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
    const verifySession = {
        ...session,
        material: async () => {
            if (key?.kind !== 'kms')
                return { env: {}, secrets: [] };
            const { COSIGN_PASSWORD: _password, ...provider } = key.env;
            return { env: provider, secrets: key.secrets };
        },
    };
    try {
        // The signer a consumer demands: the keyless identity, the KMS key, or the public key of a PEM
        // key, which the signer publishes (shown as cosign.pub; this run derives it into a file below).
        const shown = result.identity
            ? { kind: 'keyless', identity: result.identity.identity, issuer: result.identity.issuer }
            : { kind: 'key', key: key?.kind === 'kms' ? key.keyRef : 'cosign.pub' };
        result.verifyCommand = (0,args/* verifyCommand */.p0)(reference, shown, { insecure });
        result.phase = 'sign';
        const signed = await signImage(session, {
            reference,
            ...(key ? { keyRef: key.keyRef } : {}),
            recursive: input.isIndex,
            annotations,
            insecure,
        });
        result.durations.sign = signed.durationMs;
        if (signed.rekorLogIndex !== undefined) {
            result.rekorLogIndex = signed.rekorLogIndex;
            result.rekorUrl = (0,args/* rekorSearchUrl */.TN)(signed.rekorLogIndex);
        }
        log.info(`Signed ${reference}${input.isIndex ? ' and each platform image in it' : ''}${signed.rekorLogIndex !== undefined ? ` (Rekor log index ${signed.rekorLogIndex}, ${result.rekorUrl})` : ''}.`);
        result.phase = 'attest';
        const { plans, skipped } = planAttestations(config.attest, input);
        result.skippedAttestations = skipped;
        for (const s of skipped)
            log.info(`The ${s.kind} attestation is skipped: ${s.reason}.`);
        // One write at a time: cosign adds a signature or an attestation by reading the image's list of them
        // (the `.sig`/`.att` tag, or the referrers tag of a registry without the referrers API) and writing it
        // back, so two writers at once can each drop the other's entry (sigstore/cosign#2432).
        for (const plan of plans) {
            const made = await attestImage(session, {
                reference,
                ...(key ? { keyRef: key.keyRef } : {}),
                insecure,
                plan,
            });
            result.durations.attest += made.durationMs;
            result.attestations.push({
                type: plan.type,
                verified: false,
                ...(made.rekorLogIndex !== undefined
                    ? { rekorLogIndex: made.rekorLogIndex, rekorUrl: (0,args/* rekorSearchUrl */.TN)(made.rekorLogIndex) }
                    : {}),
                verifyCommand: (0,args/* verifyCommand */.p0)(reference, shown, { insecure, attestationType: plan.type }),
            });
            log.info(`Attached the ${plan.type} attestation to ${reference}.`);
        }
        result.phase = 'verify';
        const verifyStarted = performance.now();
        let verifier = shown;
        if (key?.kind === 'pem') {
            const pub = await derivePublicKey(session, key.keyRef, input.workDir);
            result.publicKey = pub.pem;
            verifier = { kind: 'key', key: pub.path };
        }
        // Checking only reads, so the signature and every attestation are checked at once; each check runs to its
        // end, and the signature's failure is the one reported when there are several.
        const checks = await Promise.allSettled([
            verifySignature(verifySession, reference, verifier, insecure),
            ...result.attestations.map(async (attestation) => {
                await verifyAttestation(verifySession, reference, verifier, attestation.type, insecure);
                attestation.verified = true;
            }),
        ]);
        const failed = checks.find((c) => c.status === 'rejected');
        if (failed)
            throw failed.reason;
        result.durations.verify = Math.round(performance.now() - verifyStarted);
        result.signed = true;
        result.phase = 'done';
        log.info(`Verified the signature${result.attestations.length > 0 ? ` and ${result.attestations.length} attestation${result.attestations.length === 1 ? '' : 's'}` : ''} on ${reference}${result.identity ? ` as ${result.identity.identity} (${result.identity.issuer})` : ''}.`);
        return result;
    }
    catch (error) {
        throw new SignStageError((0,errors/* errorMessage */.gJ)(error), result, { cause: error });
    }
    finally {
        key?.dispose();
    }
}


/***/ })

};
