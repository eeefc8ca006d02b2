export const id = 980;
export const ids = [980];
export const modules = {

/***/ 980:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   postPrComment: () => (/* binding */ postPrComment)
/* harmony export */ });
/* unused harmony exports COMMENT_LIMIT, commentMarker, markerRepository, commentBody, ACTIONS_BOT, writtenBy */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4846);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9115);
/* harmony import */ var _util_log_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4174);
/* harmony import */ var _util_retry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9092);




/** GitHub's limit for an issue or PR comment body, in characters. */
const COMMENT_LIMIT = 65_536;
/**
 * The hidden first line that finds this image's comment again on the next push. One per repository
 * (tag and digest dropped), so a workflow that builds several images keeps one comment for each.
 */
function commentMarker(image) {
    return `<!-- secure-image:comment image=${markerRepository(image)} -->`;
}
/** `ghcr.io/acme/app:1.2@sha256:…` → `ghcr.io/acme/app`; anything that could end the HTML comment is encoded. */
function markerRepository(image) {
    let name = image.trim();
    const at = name.indexOf('@');
    if (at >= 0)
        name = name.slice(0, at);
    const slash = name.lastIndexOf('/');
    const colon = name.lastIndexOf(':');
    if (colon > slash)
        name = name.slice(0, colon);
    return name.replace(/[^A-Za-z0-9._:/-]/g, (c) => encodeURIComponent(c)).replace(/--/g, '-%2D');
}
/** The body as posted: the marker, the markdown, and never more than GitHub accepts. */
function commentBody(image, markdown) {
    const marker = commentMarker(image);
    const note = '\n\n_The rest of this comment was cut to stay within GitHub’s size limit; the job summary has it all._\n';
    const body = `${marker}\n${markdown}`;
    if (body.length <= COMMENT_LIMIT)
        return body;
    let head = body.slice(0, COMMENT_LIMIT - note.length - 8);
    // Not half a surrogate pair.
    if (/[\uD800-\uDBFF]$/.test(head))
        head = head.slice(0, -1);
    const newline = head.lastIndexOf('\n');
    if (newline > head.length - 2000)
        head = head.slice(0, newline);
    if ((head.match(/^`{3,}/gm) ?? []).length % 2 === 1)
        head += '\n```';
    return `${head}${note}`;
}
/**
 * The user GITHUB_TOKEN writes as. Its id is GitHub's own, which no person or other app can hold, unlike a login
 * or a `type: Bot` anyone's app has.
 */
const ACTIONS_BOT = { login: 'github-actions[bot]', id: 41898282 };
/** Whether `comment` was written by `author`: the one comment this token may take over. */
function writtenBy(comment, author) {
    return comment.user?.id === author.id && comment.user.login === author.login;
}
async function defaultClient(token, baseUrl) {
    // Loaded on demand: most runs are not pull requests, and the bundle starts faster without it.
    const { getOctokit } = await __webpack_require__.e(/* import() */ 925).then(__webpack_require__.bind(__webpack_require__, 2925));
    // Octokit's generated types are far wider than this slice; the methods used are the ones named here.
    return getOctokit(token, { baseUrl });
}
/** Octokit's RequestError carries the HTTP status; after retries it is the cause of the last error. */
function statusOf(error) {
    const e = error;
    const status = e?.status ?? e?.cause?.status;
    return typeof status === 'number' ? status : undefined;
}
/**
 * The user the token writes comments as. `GET /user` answers for a person's token; an installation token (GITHUB_TOKEN)
 * is refused there, and writes as github-actions[bot]. Another app's installation token is refused too: its comments
 * then never match, so each run makes a new comment rather than taking over one it cannot tell is its own.
 */
async function tokenAuthor(client) {
    try {
        const { data } = await client.rest.users.getAuthenticated();
        return { login: data.login, id: data.id };
    }
    catch (error) {
        if (isPermissionError(error))
            return ACTIONS_BOT;
        throw error;
    }
}
/** Whether the token may not write here: forks' read-only tokens, missing `pull-requests: write`. */
function isPermissionError(error) {
    const status = statusOf(error);
    return status === 401 || status === 403 || status === 404;
}
/**
 * Creates this image's comment on the pull request, or updates the one an earlier run left (found by
 * its marker). A comment is a report, never a gate: whatever goes wrong here is a warning and the run
 * goes on, with the reason in the result.
 */
async function postPrComment(input, deps = {}) {
    const log = deps.log ?? { info: _util_log_js__WEBPACK_IMPORTED_MODULE_2__/* .logInfo */ .fH, warning: _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e };
    const skip = (reason, warn) => {
        if (warn)
            log.warning(reason);
        else
            log.info(reason);
        return { action: 'skipped', reason };
    };
    const { github } = input;
    const issue = github.pullRequest;
    if (!github.eventName.startsWith('pull_request') || issue === undefined) {
        return skip('No pull-request comment: this run is not for a pull request.', false);
    }
    if (!input.token) {
        return skip('No pull-request comment: `github-token` is empty. Pass `${{ github.token }}` or set `pr-comment: false`.', true);
    }
    const [owner, repo, ...rest] = github.repository.split('/');
    if (!owner || !repo || rest.length > 0) {
        return skip(`No pull-request comment: GITHUB_REPOSITORY (${github.repository || 'empty'}) is not owner/name.`, true);
    }
    const marker = commentMarker(input.image);
    const body = commentBody(input.image, input.markdown);
    const call = (what, fn) => (0,_util_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .retry */ .L5)(fn, {
        attempts: deps.attempts ?? 3,
        baseDelayMs: deps.baseDelayMs ?? 1000,
        maxDelayMs: 10_000,
        isTransient: (error) => {
            const status = statusOf(error);
            return status === undefined
                ? /ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up/i.test((0,_util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error))
                : (0,_util_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .isTransientStatus */ .Dm)(status);
        },
        what,
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        onRetry: ({ delayMs, error }) => log.info(`${what}: ${(0,_util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error)}; trying again in ${delayMs} ms`),
    });
    try {
        const client = await (deps.client ?? defaultClient)(input.token, github.apiUrl);
        const author = await call('Asking GitHub who the token is', () => tokenAuthor(client));
        const existing = await call('Listing the pull request comments', async () => {
            const mine = [];
            for await (const page of client.paginate.iterator(client.rest.issues.listComments, {
                owner,
                repo,
                issue_number: issue,
                per_page: 100,
            })) {
                // Ours starts with the marker (a reply that quotes it does not) and was written by this token's user: anyone
                // can post the marker, and updating their comment would put our report under their name, or theirs under ours.
                mine.push(...page.data.filter((c) => (c.body ?? '').startsWith(marker) && writtenBy(c, author)));
            }
            return mine[0];
        });
        if (existing) {
            const { data } = await call('Updating the pull request comment', () => client.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body }));
            log.info(`Updated the pull request comment: ${data.html_url}`);
            return { action: 'updated', url: data.html_url };
        }
        const { data } = await call('Creating the pull request comment', () => client.rest.issues.createComment({ owner, repo, issue_number: issue, body }));
        log.info(`Commented on the pull request: ${data.html_url}`);
        return { action: 'created', url: data.html_url };
    }
    catch (error) {
        const status = statusOf(error);
        const cause = `${(0,_util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error).split('\n')[0] ?? ''}${status !== undefined ? ` (HTTP ${status})` : ''}`;
        if (isPermissionError(error)) {
            return skip(`No pull-request comment: the token may not write to ${owner}/${repo}#${issue}: ${cause}. ` +
                'Pull requests from forks get a read-only token; elsewhere give the job `permissions: pull-requests: write`, or set `pr-comment: false`.', true);
        }
        return skip(`No pull-request comment: ${cause}. The run goes on; the job summary has the report.`, true);
    }
}


/***/ })

};
