export const id = 449;
export const ids = [449];
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

/***/ 7449:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  BaseImageFailure: () => (/* binding */ BaseImageFailure),
  checkBaseImages: () => (/* binding */ checkBaseImages),
  loadPolicyFile: () => (/* binding */ loadPolicyFile),
  runnerPlatform: () => (/* binding */ runnerPlatform)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/cosign/verify.ts
var verify = __webpack_require__(1350);
;// CONCATENATED MODULE: ./src/dockerfile/chars.ts
/** Character classes as Go's `unicode` package defines them, which is what BuildKit tests against. */
/** unicode.IsSpace: Latin-1 spaces plus the Unicode White_Space property (not U+FEFF). */
function isGoSpace(ch) {
    switch (ch) {
        case ' ':
        case '\t':
        case '\n':
        case '\v':
        case '\f':
        case '\r':
        case '\u0085':
        case '\u00a0':
        case '\u1680':
        case '\u2028':
        case '\u2029':
        case '\u202f':
        case '\u205f':
        case '\u3000':
            return true;
        default:
            return ch >= '\u2000' && ch <= '\u200a';
    }
}
/** The `[\t\v\f\r ]` class BuildKit splits instruction words on. */
function isAsciiBlank(ch) {
    return ch === ' ' || ch === '\t' || ch === '\v' || ch === '\f' || ch === '\r';
}
function countLeadingGoSpace(s, from = 0) {
    let i = from;
    while (i < s.length && isGoSpace(s[i] ?? ''))
        i++;
    return i - from;
}
/** Index just past the last non-space character of s[from, to). */
function trimEndGoSpace(s, from, to) {
    let j = to;
    while (j > from && isGoSpace(s[j - 1] ?? ''))
        j--;
    return j;
}
const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;
function isGoLetter(ch) {
    if (ch.length === 1) {
        const c = ch.charCodeAt(0);
        if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a))
            return true;
        if (c < 0x80)
            return false;
    }
    return LETTER.test(ch);
}
function isGoDigit(ch) {
    if (ch.length === 1) {
        const c = ch.charCodeAt(0);
        if (c >= 0x30 && c <= 0x39)
            return true;
        if (c < 0x80)
            return false;
    }
    return DIGIT.test(ch);
}
/** The code point at i as a string (one or two UTF-16 units). */
function charAt(s, i) {
    const cp = s.codePointAt(i);
    return cp === undefined ? '' : String.fromCodePoint(cp);
}

;// CONCATENATED MODULE: ./src/dockerfile/flags.ts
/**
 * Instruction flags (`--from=…`, `--mount=…`, `--platform=…`) as BuildKit's splitCommand /
 * extractBuilderFlags read them, keeping for every character of a flag's processed value the offset it
 * came from in the logical line, so a value can be rewritten in place.
 *
 * BuildKit facts followed here: flags are only the leading words that start with "--"; a bare "--" ends
 * them; inside a flag word quotes are removed and "\" (always backslash, whatever the escape directive
 * says) escapes the next character; a value needs "=" (`--from stage` is not a flag value).
 */

/** extractBuilderFlags over line[from, to). */
function extractFlags(line, from, to) {
    // Fast path: plain flag words (no quotes, no backslashes) map one to one onto the line.
    const flags = [];
    let pos = from;
    for (;;) {
        while (pos < to && isGoSpace(line[pos] ?? ''))
            pos++;
        if (pos >= to)
            return { flags, restStart: to };
        if (line[pos] !== '-' || pos + 1 >= to || line[pos + 1] !== '-')
            return { flags, restStart: pos };
        let end = pos;
        let plain = true;
        while (end < to) {
            const c = line[end] ?? '';
            if (isGoSpace(c))
                break;
            if (c === '"' || c === "'" || c === '\\') {
                plain = false;
                break;
            }
            end++;
        }
        if (!plain)
            return slowExtractFlags(line, pos, to, flags);
        if (end - pos === 2) {
            // a bare "--" ends the flags
            while (end < to && isGoSpace(line[end] ?? ''))
                end++;
            return { flags, restStart: end };
        }
        flags.push(plainFlag(line, pos, end));
        pos = end;
    }
}
function plainFlag(line, start, end) {
    const body = line.slice(start + 2, end);
    const eq = body.indexOf('=');
    if (eq < 0)
        return { name: body, value: null, start, end, valueOffset: (k) => start + 2 + k };
    const valueStart = start + 2 + eq + 1;
    return {
        name: body.slice(0, eq),
        value: body.slice(eq + 1),
        start,
        end,
        valueOffset: (k) => valueStart + k,
    };
}
/** The general case, character by character, keeping each character's offset. */
function slowExtractFlags(line, from, to, flags) {
    let Phase;
    (function (Phase) {
        Phase[Phase["Spaces"] = 0] = "Spaces";
        Phase[Phase["Word"] = 1] = "Word";
        Phase[Phase["Quote"] = 2] = "Quote";
    })(Phase || (Phase = {}));
    let phase = Phase.Spaces;
    let word = '';
    let offsets = [];
    let wordStart = from;
    let quote = '';
    let blankOk = false;
    const finish = (end) => {
        if (word !== '--' && (blankOk || word.length > 0))
            flags.push(toFlag(word, offsets, wordStart, end));
    };
    for (let pos = from; pos <= to; pos++) {
        const ch = pos < to ? (line[pos] ?? '') : '';
        if (phase === Phase.Spaces) {
            if (pos === to)
                break;
            if (isGoSpace(ch))
                continue;
            if (ch !== '-' || pos + 1 === to || line[pos + 1] !== '-')
                return { flags, restStart: pos };
            phase = Phase.Word;
            wordStart = pos;
        }
        if (pos === to) {
            finish(pos);
            break;
        }
        if (phase === Phase.Word) {
            if (isGoSpace(ch)) {
                phase = Phase.Spaces;
                if (word === '--')
                    return { flags, restStart: pos };
                finish(pos);
                word = '';
                offsets = [];
                blankOk = false;
                continue;
            }
            if (ch === "'" || ch === '"') {
                quote = ch;
                blankOk = true;
                phase = Phase.Quote;
                continue;
            }
            let at = pos;
            let c = ch;
            if (ch === '\\') {
                if (pos + 1 === to)
                    continue;
                pos++;
                at = pos;
                c = line[pos] ?? '';
            }
            word += c;
            offsets.push(at);
            continue;
        }
        // Phase.Quote
        if (ch === quote) {
            phase = Phase.Word;
            continue;
        }
        let at = pos;
        let c = ch;
        if (ch === '\\') {
            if (pos + 1 === to) {
                phase = Phase.Word;
                continue;
            }
            pos++;
            at = pos;
            c = line[pos] ?? '';
        }
        word += c;
        offsets.push(at);
    }
    return { flags, restStart: to };
}
function toFlag(word, offsets, start, end) {
    const body = word.startsWith('--') ? word.slice(2) : word;
    const bodyOffsets = word.startsWith('--') ? offsets.slice(2) : offsets;
    const eq = body.indexOf('=');
    if (eq < 0)
        return { name: body, value: null, start, end, valueOffset: () => end };
    const valueOffsets = bodyOffsets.slice(eq + 1);
    return {
        name: body.slice(0, eq),
        value: body.slice(eq + 1),
        start,
        end,
        valueOffset: (k) => valueOffsets[k] ?? end,
    };
}
/**
 * One `--mount` value as Go's encoding/csv reads a record (BuildKit's parseMount): fields split on
 * ",", a field that starts with '"' is quoted ('""' is a literal quote), a bare '"' elsewhere is an
 * error. Keys are lower-cased as BuildKit does.
 */
function parseMountFields(value, offsetAt) {
    if (!value.includes('"')) {
        const fields = [];
        let start = 0;
        for (;;) {
            const comma = value.indexOf(',', start);
            const end = comma < 0 ? value.length : comma;
            fields.push(plainField(value, start, end, offsetAt));
            if (comma < 0)
                return { fields };
            start = comma + 1;
        }
    }
    return quotedFields(value, offsetAt);
}
function plainField(value, start, end, offsetAt) {
    const eq = value.indexOf('=', start);
    if (eq < 0 || eq >= end)
        return { key: value.slice(start, end).toLowerCase(), value: null, valueStart: 0, valueEnd: 0 };
    const valueStart = offsetAt(eq + 1 < end ? eq + 1 : eq) + (eq + 1 < end ? 0 : 1);
    return {
        key: value.slice(start, eq).toLowerCase(),
        value: value.slice(eq + 1, end),
        valueStart,
        valueEnd: eq + 1 < end ? offsetAt(end - 1) + 1 : valueStart,
    };
}
function quotedFields(value, offsetAt) {
    const fields = [];
    let i = 0;
    const n = value.length;
    for (;;) {
        let text = '';
        const textOffsets = [];
        if (value[i] === '"') {
            i++;
            for (;;) {
                if (i >= n)
                    return { error: `failed to parse csv mounts: extraneous or missing " in quoted-field` };
                const c = value[i] ?? '';
                if (c === '"') {
                    if (value[i + 1] === '"') {
                        text += '"';
                        textOffsets.push(offsetAt(i));
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                text += c;
                textOffsets.push(offsetAt(i));
                i++;
            }
            if (i < n && value[i] !== ',')
                return { error: `failed to parse csv mounts: extraneous or missing " in quoted-field` };
        }
        else {
            while (i < n && value[i] !== ',') {
                const c = value[i] ?? '';
                if (c === '"')
                    return { error: `failed to parse csv mounts: bare " in non-quoted-field` };
                text += c;
                textOffsets.push(offsetAt(i));
                i++;
            }
        }
        const eq = text.indexOf('=');
        if (eq < 0) {
            fields.push({ key: text.toLowerCase(), value: null, valueStart: 0, valueEnd: 0 });
        }
        else {
            const start = eq + 1 < textOffsets.length ? (textOffsets[eq + 1] ?? 0) : (textOffsets[eq] ?? 0) + 1;
            const last = textOffsets[textOffsets.length - 1] ?? 0;
            fields.push({
                key: text.slice(0, eq).toLowerCase(),
                value: text.slice(eq + 1),
                valueStart: start,
                valueEnd: eq + 1 < textOffsets.length ? last + 1 : start,
            });
        }
        if (i >= n)
            break;
        i++; // the comma
    }
    return { fields };
}

;// CONCATENATED MODULE: ./src/dockerfile/glob.ts
/**
 * The shell patterns of `${var#pat}`, `${var%pat}` and `${var/pat/repl}` as BuildKit evaluates them
 * (`?` one character, `*` any run, `\*` `\?` `\\` literal, `\}` `\/` the bare character; `?` and `*`
 * do not match a newline, as Go's `.` does not).
 *
 * BuildKit turns the pattern into a Go regexp (linear time). Here matching is a position-set walk,
 * O(value × pattern) per search, charged to the caller's work budget so hostile input cannot stall it.
 * Where several stars make "shortest"/"longest" ambiguous, the shortest/longest overall match is taken;
 * for the usual one-star patterns this is exactly the shell's answer.
 */
class PatternError extends Error {
}
function parsePattern(pattern) {
    const tokens = [];
    for (let i = 0; i < pattern.length; i++) {
        const ch = pattern[i] ?? '';
        if (ch === '*')
            tokens.push({ kind: 'star' });
        else if (ch === '?')
            tokens.push({ kind: 'any' });
        else if (ch === '\\') {
            const next = pattern[i + 1];
            if (next === '}' || next === '/')
                continue;
            if (next !== '*' && next !== '?' && next !== '\\') {
                throw new PatternError(`invalid escape '\\${next ?? ''}'`);
            }
            tokens.push({ kind: 'lit', ch: next });
            i++;
        }
        else
            tokens.push({ kind: 'lit', ch });
    }
    return tokens;
}
/**
 * For every end position e of `value`, the smallest start s ≥ `from` such that the tokens match
 * value[s, e) (or -1). With `anchored`, only s = `from` is tried.
 */
function matchStarts(tokens, value, from, anchored, budget) {
    const n = value.length;
    budget.spend((n - from + 1) * (tokens.length + 1));
    let reach = new Int32Array(n + 1).fill(-1);
    if (anchored)
        reach[from] = from;
    else
        for (let i = from; i <= n; i++)
            reach[i] = i;
    for (const token of tokens) {
        const next = new Int32Array(n + 1).fill(-1);
        if (token.kind === 'star') {
            let best = -1;
            for (let i = from; i <= n; i++) {
                const r = reach[i] ?? -1;
                if (r >= 0 && (best < 0 || r < best))
                    best = r;
                next[i] = best;
                // a star does not cross a newline: what reached before it cannot extend past it
                if (value[i] === '\n')
                    best = -1;
            }
        }
        else {
            for (let i = from; i < n; i++) {
                const r = reach[i] ?? -1;
                if (r < 0)
                    continue;
                const c = value[i];
                if (token.kind === 'any' ? c !== '\n' : c === token.ch)
                    next[i + 1] = r;
            }
        }
        reach = next;
    }
    return reach;
}
function prefixEnd(tokens, value, longest, budget) {
    const reach = matchStarts(tokens, value, 0, true, budget);
    let found = -1;
    for (let e = 0; e <= value.length; e++) {
        if ((reach[e] ?? -1) === 0) {
            found = e;
            if (!longest)
                break;
        }
    }
    return found;
}
/** Reversed by UTF-16 unit, like the pattern tokens, so the two stay comparable. */
function reverse(s) {
    return s.split('').reverse().join('');
}
/** `${value#pattern}` / `${value##pattern}` */
function trimPrefix(pattern, value, longest, budget) {
    const end = prefixEnd(parsePattern(pattern), value, longest, budget);
    return end < 0 ? value : value.slice(end);
}
/** `${value%pattern}` / `${value%%pattern}` */
function trimSuffix(pattern, value, longest, budget) {
    const reversedTokens = parsePattern(pattern).reverse();
    const reversedValue = reverse(value);
    const end = prefixEnd(reversedTokens, reversedValue, longest, budget);
    return end < 0 ? value : reverse(reversedValue.slice(end));
}
/** Leftmost match at or after `from`, longest at that start; null when none. */
function findMatch(tokens, value, from, budget) {
    const reach = matchStarts(tokens, value, from, false, budget);
    let start = -1;
    for (let e = from; e <= value.length; e++) {
        const s = reach[e] ?? -1;
        if (s >= 0 && (start < 0 || s < start))
            start = s;
    }
    if (start < 0)
        return null;
    let end = start;
    for (let e = start; e <= value.length; e++)
        if ((reach[e] ?? -1) === start)
            end = e;
    return [start, end];
}
/** `${value/pattern/replacement}` and, with `all`, `${value//pattern/replacement}`. */
function replacePattern(pattern, replacement, value, all, budget) {
    const tokens = parsePattern(pattern);
    let out = '';
    let copied = 0;
    let searchFrom = 0;
    let previousEnd = -1;
    while (searchFrom <= value.length) {
        const match = findMatch(tokens, value, searchFrom, budget);
        if (match === null)
            break;
        const [start, end] = match;
        if (start === end && start === previousEnd) {
            // Go skips an empty match right after the previous match
            searchFrom = start + 1;
            continue;
        }
        out += value.slice(copied, start) + replacement;
        copied = end;
        previousEnd = end;
        if (!all)
            break;
        searchFrom = end > start ? end : start + 1;
    }
    return out + value.slice(copied);
}

;// CONCATENATED MODULE: ./src/dockerfile/shell-lexer.ts
/**
 * Word processing as BuildKit's frontend/dockerfile/shell lexer does it: quotes, the escape token,
 * `$NAME`, `${NAME}`, `${NAME:-w}` `${NAME-w}` `${NAME:+w}` `${NAME+w}` `${NAME:?w}` `${NAME?w}`,
 * `${NAME#p}` `${NAME##p}` `${NAME%p}` `${NAME%%p}` `${NAME/p/r}` `${NAME//p/r}`, and the word splitting
 * the heredoc detection relies on (with BuildKit's RawQuotes / RawEscapes / SkipUnsetEnv switches).
 *
 * One deliberate difference: BuildKit substitutes "" for a variable without a value. Here such a
 * variable is recorded in `unresolved` (the value still gets ""), so callers can say the reference is
 * not known instead of silently building from something else. A default (`${X:-d}`, `${X-d}`) or an
 * alternative (`${X+a}`) makes an unset variable well defined and is not unresolved.
 *
 * Hostile input: work is linear in the input plus what the expansions produce, and what they produce is
 * charged to a budget; nesting depth and result length are capped.
 */


const MAX_EXPANDED_LENGTH = 65_536;
const MAX_NESTING = 64;
/**
 * Variable substitutions in one word, when the caller asks for a bound (the analyzer does): a reference needs
 * a handful. BuildKit has no such bound, but a FROM of 10,000 `${…}` is made to exhaust a checker, not to build.
 */
const MAX_EXPANSIONS = 1_000;
/** Characters produced by expansions plus pattern-matching steps, per analysis. */
const DEFAULT_EXPANSION_BUDGET = 32_000_000;
class LexError extends Error {
}
class ExpansionBudget {
    remaining;
    constructor(units = DEFAULT_EXPANSION_BUDGET) {
        this.remaining = units;
    }
    spend(units) {
        this.remaining -= units;
        if (this.remaining < 0) {
            throw new LexError('variable expansion does too much work (the Dockerfile expands ARGs into huge values)');
        }
    }
}
const NO_LOOKUP = () => undefined;
const UNLIMITED = { spend: () => undefined };
class Words {
    enabled;
    word = '';
    inWord = false;
    list = [];
    constructor(enabled) {
        this.enabled = enabled;
    }
    addChar(ch) {
        if (!this.enabled)
            return;
        if (isGoSpace(ch)) {
            if (this.inWord && this.word.length !== 0) {
                this.list.push(this.word);
                this.word = '';
                this.inWord = false;
            }
        }
        else
            this.addRawChar(ch);
    }
    addRawChar(ch) {
        if (!this.enabled)
            return;
        this.word += ch;
        this.inWord = true;
    }
    addString(s) {
        if (!this.enabled)
            return;
        for (const ch of s)
            this.addChar(ch);
    }
    addRawString(s) {
        if (!this.enabled)
            return;
        this.word += s;
        this.inWord = true;
    }
    done() {
        if (this.word.length > 0) {
            this.list.push(this.word);
            this.word = '';
            this.inWord = false;
        }
        return this.list;
    }
}
function isSpecialParam(ch) {
    return '@*#?-$!0'.includes(ch) && ch.length === 1;
}
class ShellWord {
    src;
    lookup;
    opts;
    pos = 0;
    depth = 0;
    rawEscapes;
    unresolved = new Set();
    budget;
    expansions = 0;
    /** Literal text always fits; expansions may add at most MAX_EXPANDED_LENGTH. */
    maxLength;
    constructor(src, lookup, opts) {
        this.src = src;
        this.lookup = lookup;
        this.opts = opts;
        this.rawEscapes = opts.rawEscapes ?? false;
        this.budget = opts.budget ?? UNLIMITED;
        this.maxLength = src.length + MAX_EXPANDED_LENGTH;
    }
    run() {
        return this.processStopOn(undefined, this.rawEscapes, this.opts.words ?? false);
    }
    processStopOn(stop, rawEscapes, collectWords) {
        if (++this.depth > MAX_NESTING)
            throw new LexError(`variable substitutions nested deeper than ${MAX_NESTING}`);
        const savedRaw = this.rawEscapes;
        this.rawEscapes = rawEscapes;
        try {
            const { src } = this;
            const esc = this.opts.escapeToken;
            const processQuotes = !(this.opts.skipProcessQuotes ?? false);
            const words = new Words(collectWords);
            let result = '';
            while (this.pos < src.length) {
                let ch = src[this.pos] ?? '';
                if (stop !== undefined && ch === stop) {
                    this.pos++;
                    return { value: result, words: words.done() };
                }
                if (ch === '$') {
                    const tmp = this.processDollar();
                    result += tmp;
                    words.addString(tmp);
                }
                else if (processQuotes && ch === "'") {
                    const tmp = this.processSingleQuote();
                    result += tmp;
                    words.addRawString(tmp);
                }
                else if (processQuotes && ch === '"') {
                    const tmp = this.processDoubleQuote();
                    result += tmp;
                    words.addRawString(tmp);
                }
                else {
                    this.pos++;
                    if (ch === esc) {
                        if (this.rawEscapes) {
                            words.addRawChar(ch);
                            result += ch;
                        }
                        if (this.pos >= src.length)
                            break;
                        ch = src[this.pos++] ?? '';
                        words.addRawChar(ch);
                    }
                    else
                        words.addChar(ch);
                    result += ch;
                }
                if (result.length > this.maxLength) {
                    throw new LexError(`expansions add more than ${MAX_EXPANDED_LENGTH} characters`);
                }
            }
            if (stop !== undefined)
                throw new LexError(`unexpected end of statement while looking for matching ${stop}`);
            return { value: result, words: words.done() };
        }
        finally {
            this.rawEscapes = savedRaw;
            this.depth--;
        }
    }
    processSingleQuote() {
        const start = this.pos + 1;
        const close = this.src.indexOf("'", start);
        if (close < 0)
            throw new LexError('unexpected end of statement while looking for matching single-quote');
        this.pos = close + 1;
        const inner = this.src.slice(start, close);
        return this.opts.rawQuotes ? `'${inner}'` : inner;
    }
    processDoubleQuote() {
        const { src } = this;
        const esc = this.opts.escapeToken;
        const raw = this.opts.rawQuotes ?? false;
        this.pos++;
        let result = raw ? '"' : '';
        for (;;) {
            if (this.pos >= src.length) {
                throw new LexError('unexpected end of statement while looking for matching double-quote');
            }
            let ch = src[this.pos] ?? '';
            if (ch === '"') {
                this.pos++;
                if (raw)
                    result += ch;
                return result;
            }
            if (ch === '$') {
                result += this.processDollar();
                continue;
            }
            this.pos++;
            if (ch === esc) {
                if (this.rawEscapes)
                    result += ch;
                const next = src[this.pos];
                if (next === undefined)
                    continue;
                if (next === '"' || next === '$' || next === esc) {
                    ch = next;
                    this.pos++;
                }
            }
            result += ch;
            if (result.length > this.maxLength) {
                throw new LexError(`expansions add more than ${MAX_EXPANDED_LENGTH} characters`);
            }
        }
    }
    processName() {
        const { src } = this;
        let name = '';
        while (this.pos < src.length) {
            const ch = charAt(src, this.pos);
            if (name.length === 0 && isGoDigit(ch)) {
                while (this.pos < src.length) {
                    const d = charAt(src, this.pos);
                    if (!isGoDigit(d))
                        break;
                    name += d;
                    this.pos += d.length;
                }
                return name;
            }
            if (name.length === 0 && isSpecialParam(ch)) {
                this.pos += ch.length;
                return ch;
            }
            if (!isGoLetter(ch) && !isGoDigit(ch) && ch !== '_')
                break;
            name += ch;
            this.pos += ch.length;
        }
        return name;
    }
    value(name) {
        const max = this.opts.maxExpansions;
        if (max !== undefined && ++this.expansions > max) {
            throw new LexError(`it has more than ${max} variable expansions; write the value into one ARG (or a build-arg) and use that`);
        }
        const v = this.lookup(name);
        if (v !== undefined)
            this.budget.spend(v.value.length + 1);
        return v;
    }
    taint(name, v, into = this.unresolved) {
        if (v === undefined)
            into.add(name);
        else
            for (const n of v.unresolved ?? [])
                into.add(n);
    }
    /** Processes a nested word with its own unresolved set, so an unused default does not taint. */
    nested(stop, rawEscapes) {
        const outer = this.unresolved;
        this.unresolved = new Set();
        try {
            const { value } = this.processStopOn(stop, rawEscapes, false);
            return { value, unresolved: this.unresolved };
        }
        finally {
            this.unresolved = outer;
        }
    }
    merge(from) {
        for (const n of from)
            this.unresolved.add(n);
    }
    processDollar() {
        const { src } = this;
        const skipUnset = this.opts.skipUnsetEnv ?? false;
        this.pos++;
        if (src[this.pos] !== '{') {
            const name = this.processName();
            if (name === '')
                return '$';
            const v = this.value(name);
            if (v === undefined && skipUnset)
                return `$${name}`;
            this.taint(name, v);
            return v?.value ?? '';
        }
        this.pos++;
        const first = src[this.pos];
        if (first === undefined)
            throw new LexError("syntax error: missing '}'");
        if (first === '{' || first === '}' || first === ':')
            throw new LexError('syntax error: bad substitution');
        const name = this.processName();
        let ch = src[this.pos];
        this.pos++;
        if (ch === undefined)
            throw new LexError("syntax error: missing '}'");
        let chs = ch;
        if (ch === '}') {
            const v = this.value(name);
            if (v === undefined && skipUnset)
                return `\${${name}}`;
            this.taint(name, v);
            return v?.value ?? '';
        }
        if (ch === '/')
            return this.processReplace(name);
        let nullIsUnset = false;
        if (ch === ':') {
            nullIsUnset = true;
            ch = src[this.pos];
            this.pos++;
            if (ch === undefined)
                throw new LexError("syntax error: missing '}'");
            chs += ch;
        }
        else if (!'+-?#%'.includes(ch)) {
            throw new LexError(`unsupported modifier (${chs}) in substitution`);
        }
        let word;
        try {
            word = this.nested('}', ch === '#' || ch === '%');
        }
        catch (err) {
            if (this.pos >= src.length)
                throw new LexError("syntax error: missing '}'");
            throw err;
        }
        const v = this.value(name);
        if (v === undefined && skipUnset)
            return `\${${name}${chs}${word.value}}`;
        const set = v !== undefined;
        const value = v?.value ?? '';
        const valueKnown = (v?.unresolved ?? []).length === 0;
        switch (ch) {
            case '-':
                if (!set || (nullIsUnset && value === '')) {
                    if (!valueKnown)
                        this.taint(name, v);
                    this.merge(word.unresolved);
                    return word.value;
                }
                this.taint(name, v);
                return value;
            case '+':
                if (!set || (nullIsUnset && value === '')) {
                    if (!valueKnown)
                        this.taint(name, v);
                    return '';
                }
                this.taint(name, v);
                this.merge(word.unresolved);
                return word.value;
            case '?':
                if (!set) {
                    this.unresolved.add(name);
                    throw new LexError(`${name}: ${word.value !== '' ? word.value : 'is not allowed to be unset'}`);
                }
                if (nullIsUnset && value === '') {
                    this.taint(name, v);
                    throw new LexError(`${name}: ${word.value !== '' ? word.value : 'is not allowed to be empty'}`);
                }
                this.taint(name, v);
                return value;
            case '#':
            case '%': {
                this.taint(name, v);
                this.merge(word.unresolved);
                let pattern = word.value;
                const longest = pattern.startsWith(ch);
                if (longest)
                    pattern = pattern.slice(1);
                try {
                    return ch === '%'
                        ? trimSuffix(pattern, value, longest, this.budget)
                        : trimPrefix(pattern, value, longest, this.budget);
                }
                catch (err) {
                    if (err instanceof PatternError) {
                        throw new LexError(`invalid pattern (${pattern}) in substitution: ${err.message}`);
                    }
                    throw err;
                }
            }
            default:
                throw new LexError(`unsupported modifier (${chs}) in substitution`);
        }
    }
    processReplace(name) {
        const { src } = this;
        const all = src[this.pos] === '/';
        if (all)
            this.pos++;
        let pattern;
        try {
            pattern = this.nested('/', true);
        }
        catch (err) {
            if (this.pos >= src.length)
                throw new LexError("syntax error: missing '/' in ${}");
            throw err;
        }
        let replacement;
        try {
            replacement = this.nested('}', true);
        }
        catch (err) {
            if (this.pos >= src.length)
                throw new LexError("syntax error: missing '}'");
            throw err;
        }
        const v = this.value(name);
        if (v === undefined && (this.opts.skipUnsetEnv ?? false)) {
            return `\${${name}/${pattern.value}/${replacement.value}}`;
        }
        this.taint(name, v);
        this.merge(pattern.unresolved);
        this.merge(replacement.unresolved);
        try {
            return replacePattern(pattern.value, replacement.value, v?.value ?? '', all, this.budget);
        }
        catch (err) {
            if (err instanceof PatternError) {
                throw new LexError(`invalid pattern (${pattern.value}) in substitution: ${err.message}`);
            }
            throw err;
        }
    }
}
/**
 * Processes `src` as BuildKit's `ProcessWord`/`ProcessWords` would. Never throws: a syntax error, an
 * error substitution (`${X?msg}`) or an exhausted budget comes back as `{ ok: false, error }`.
 */
function processWord(src, lookup, opts) {
    const sw = new ShellWord(src, lookup ?? NO_LOOKUP, opts);
    try {
        const { value, words } = sw.run();
        return { ok: true, value, words, unresolved: [...sw.unresolved].sort() };
    }
    catch (err) {
        if (err instanceof LexError) {
            return {
                ok: false,
                error: `failed to process "${clip(src)}": ${err.message}`,
                unresolved: [...sw.unresolved].sort(),
            };
        }
        throw err;
    }
}
function clip(s) {
    return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

;// CONCATENATED MODULE: ./src/dockerfile/parser.ts
/**
 * Dockerfile text → instructions, following BuildKit's frontend/dockerfile/parser (Parse,
 * splitCommand, the line parsers, heredocs) and the checks of frontend/dockerfile/instructions that
 * concern what an instruction refers to. It never throws; what BuildKit would refuse is collected in
 * `problems` with the line it is on, and parsing goes on where that is meaningful.
 *
 * Upstream behaviour kept on purpose:
 * - Parser directives (`# syntax=`, `# escape=`, `# check=`, names case-insensitive) are read only
 *   until the first line that is not one (a blank line, an ordinary comment or an instruction ends
 *   them). A duplicate or an invalid escape token is a problem.
 * - The first line of an instruction is trimmed on the left; continuation lines are not. Comment lines
 *   and blank lines inside a continuation are skipped. The escape character continues a line when it
 *   is the last non-blank character and not itself escaped.
 * - Heredocs are looked for only in RUN, COPY and ADD (also as ONBUILD triggers), not in their JSON
 *   form, and their bodies are consumed without being read as instructions. The delimiter words are
 *   found with BuildKit's lexer rules, so a quoted `"<<EOF"` is not a heredoc.
 * - A line longer than 64 KiB is a problem (BuildKit's line scanner refuses it).
 */



const MAX_LINE_BYTES = 65_535;
const KNOWN_INSTRUCTIONS = new Set([
    'add',
    'arg',
    'cmd',
    'copy',
    'entrypoint',
    'env',
    'expose',
    'from',
    'healthcheck',
    'label',
    'maintainer',
    'onbuild',
    'run',
    'shell',
    'stopsignal',
    'user',
    'volume',
    'workdir',
]);
const HEREDOC_INSTRUCTIONS = new Set(['run', 'copy', 'add']);
const MOUNT_TYPES = new Set(['bind', 'cache', 'tmpfs', 'secret', 'ssh']);
const STAGE_NAME = /^[a-z][a-z0-9\-_.]*$/;
class LineReader {
    text;
    pos = 0;
    lineNo = 0;
    tooLong;
    constructor(text) {
        this.text = text;
    }
    next() {
        const { text } = this;
        if (this.pos >= text.length)
            return undefined;
        const nl = text.indexOf('\n', this.pos);
        const end = nl < 0 ? text.length : nl;
        const raw = text.slice(this.pos, end);
        this.pos = nl < 0 ? text.length : nl + 1;
        this.lineNo++;
        if (this.tooLong === undefined &&
            raw.length * 3 > MAX_LINE_BYTES &&
            Buffer.byteLength(raw) > MAX_LINE_BYTES) {
            this.tooLong = this.lineNo;
        }
        return { lineNo: this.lineNo, raw, hadNewline: nl >= 0 };
    }
}
/** bytes.TrimRight(line, "\r\n") */
function trimNewline(s) {
    let j = s.length;
    while (j > 0 && (s[j - 1] === '\r' || s[j - 1] === '\n'))
        j--;
    return j === s.length ? s : s.slice(0, j);
}
function isCommentLine(s) {
    return s[countLeadingGoSpace(s)] === '#';
}
/** The line-continuation rule: `([^E])E[ \t]*$|^E[ \t]*$` with E the escape token. */
function continuation(s, escape) {
    let j = s.length - 1;
    while (j >= 0 && (s[j] === ' ' || s[j] === '\t'))
        j--;
    if (j < 0 || s[j] !== escape)
        return { kept: s, continued: false };
    if (j === 0)
        return { kept: '', continued: true };
    if (s[j - 1] === escape)
        return { kept: s, continued: false };
    return { kept: s.slice(0, j), continued: true };
}
const DIRECTIVE_SPACE = new Set(['\t', '\n', '\f', '\r', ' ']);
/** `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` without a backtracking regexp. */
function matchDirective(line) {
    if (line[0] !== '#')
        return null;
    let i = 1;
    while (DIRECTIVE_SPACE.has(line[i] ?? ''))
        i++;
    const keyStart = i;
    if (!/[a-zA-Z]/.test(line[i] ?? ''))
        return null;
    while (/[a-zA-Z0-9]/.test(line[i] ?? ''))
        i++;
    const key = line.slice(keyStart, i);
    while (DIRECTIVE_SPACE.has(line[i] ?? ''))
        i++;
    if (line[i] !== '=')
        return null;
    i++;
    const afterEq = i;
    while (DIRECTIVE_SPACE.has(line[i] ?? ''))
        i++;
    let end = line.length;
    while (end > i && DIRECTIVE_SPACE.has(line[end - 1] ?? ''))
        end--;
    if (end === i) {
        // only blanks after "=": the lazy value still takes one character (the last blank)
        if (line.length === afterEq)
            return null;
        return { key, value: line.slice(line.length - 1), valueStart: line.length - 1 };
    }
    return { key, value: line.slice(i, end), valueStart: i };
}
const VALID_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
/** Mapping of a logical line's offsets back to the physical text. */
class LogicalLine {
    text = '';
    starts = [];
    lines = [];
    columns = [];
    add(s, line, column) {
        if (s.length === 0)
            return;
        this.starts.push(this.text.length);
        this.lines.push(line);
        this.columns.push(column);
        this.text += s;
    }
    segment(offset) {
        let lo = 0;
        let hi = this.starts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if ((this.starts[mid] ?? 0) <= offset)
                lo = mid;
            else
                hi = mid - 1;
        }
        return lo;
    }
    at(offset) {
        const k = this.segment(offset);
        return { line: this.lines[k] ?? 0, column: (this.columns[k] ?? 0) + offset - (this.starts[k] ?? 0) };
    }
    span(start, end) {
        if (this.starts.length === 0)
            return { line: 0, column: 0, endLine: 0, endColumn: 0 };
        if (end <= start) {
            const p = start < this.text.length ? this.at(start) : this.after(start);
            return { line: p.line, column: p.column, endLine: p.line, endColumn: p.column };
        }
        const s = this.at(start);
        const e = this.after(end);
        return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
    }
    /** Position just after the character at offset-1. */
    after(offset) {
        const p = this.at(offset - 1);
        return { line: p.line, column: p.column + 1 };
    }
}
function problem(problems, line, message) {
    problems.push({ line, message });
}
/** Splits text[from, to) on runs of [\t\v\f\r ] (BuildKit's parseStringsWhitespaceDelimited). */
function blankWords(text, from, to) {
    const out = [];
    let i = from;
    while (i < to) {
        while (i < to && isAsciiBlank(text[i]))
            i++;
        if (i >= to)
            break;
        const s = i;
        while (i < to && !isAsciiBlank(text[i]))
            i++;
        out.push([s, i]);
    }
    return out;
}
/** parseJSON: a JSON array of strings, or not JSON at all (then the shell form applies). */
function parseJsonForm(rest) {
    const trimmed = rest.slice(countLeadingGoSpace(rest));
    if (!trimmed.startsWith('['))
        return { kind: 'not-json' };
    let parsed;
    try {
        parsed = JSON.parse(trimmed);
    }
    catch {
        return { kind: 'not-json' };
    }
    if (!Array.isArray(parsed))
        return { kind: 'not-json' };
    const values = [];
    for (const item of parsed) {
        if (typeof item !== 'string') {
            return {
                kind: 'error',
                message: 'when using JSON array syntax, arrays must be comprised of strings only',
            };
        }
        values.push(item);
    }
    return { kind: 'json', values };
}
/** `^(\d*)<<(-?)([^<]*)$` */
function matchHeredocWord(word) {
    let i = 0;
    while (i < word.length && word.charCodeAt(i) >= 0x30 && word.charCodeAt(i) <= 0x39)
        i++;
    if (word[i] !== '<' || word[i + 1] !== '<')
        return null;
    const fd = word.slice(0, i);
    i += 2;
    const chomp = word[i] === '-';
    if (chomp)
        i++;
    const rest = word.slice(i);
    if (rest.includes('<'))
        return null;
    return { fd, chomp, rest };
}
function heredocFromWord(word) {
    const m = matchHeredocWord(word);
    if (m === null || m.rest.length === 0)
        return { head: null };
    const plain = processWord(m.rest, undefined, { escapeToken: '\\', skipUnsetEnv: true, words: true });
    if (!plain.ok)
        return { error: plain.error };
    if (plain.words.length !== 1)
        return { head: null };
    const raw = processWord(m.rest, undefined, {
        escapeToken: '\\',
        skipUnsetEnv: true,
        rawQuotes: true,
        words: true,
    });
    if (!raw.ok)
        return { error: raw.error };
    if (raw.words.length !== plain.words.length) {
        return { error: `internal lexing of heredoc produced inconsistent results: ${m.rest}` };
    }
    const name = plain.words[0] ?? '';
    const quotes = (s) => s.split('').filter((c) => c === '"' || c === "'").length;
    const fd = Number.parseInt(m.fd, 10);
    return {
        head: {
            name,
            fileDescriptor: Number.isSafeInteger(fd) ? fd : 0,
            chomp: m.chomp,
            expand: quotes(name) === quotes(raw.words[0] ?? ''),
        },
    };
}
class Parser {
    text;
    reader;
    problems = [];
    instructions = [];
    escape = '\\';
    directivesDone = false;
    seenDirectives = new Set();
    checkDirective;
    constructor(text) {
        this.text = text;
        this.reader = new LineReader(text);
    }
    parse() {
        this.run();
        if (this.reader.tooLong !== undefined) {
            problem(this.problems, this.reader.tooLong, `line ${this.reader.tooLong} is longer than ${MAX_LINE_BYTES} bytes; BuildKit refuses Dockerfile lines that long`);
        }
        const directives = { escape: this.escape };
        const syntax = detectSyntax(this.text);
        if (syntax !== undefined)
            directives.syntax = syntax;
        if (this.checkDirective !== undefined)
            directives.check = this.checkDirective;
        this.problems.sort((a, b) => a.line - b.line);
        return {
            directives,
            instructions: this.instructions,
            problems: this.problems,
            lineCount: countLines(this.text),
        };
    }
    /** BuildKit's DirectiveParser.ParseLine, fed every line the main parser processes. */
    directive(token, lineNo) {
        if (this.directivesDone)
            return;
        const m = matchDirective(token);
        if (m === null) {
            this.directivesDone = true;
            return;
        }
        const key = m.key.toLowerCase();
        if (!VALID_DIRECTIVES.has(key)) {
            this.directivesDone = true;
            return;
        }
        if (this.seenDirectives.has(key)) {
            problem(this.problems, lineNo, `only one ${key} parser directive can be used`);
            return;
        }
        this.seenDirectives.add(key);
        if (key === 'escape') {
            if (m.value === '\\' || m.value === '`')
                this.escape = m.value;
            else
                problem(this.problems, lineNo, `invalid escape token '${m.value}' does not match \` or \\`);
        }
        else if (key === 'check') {
            this.checkDirective = { value: m.value, line: lineNo };
        }
    }
    run() {
        for (;;) {
            const first = this.reader.next();
            if (first === undefined)
                return;
            const content = trimNewline(first.raw);
            const bom = first.lineNo === 1 && content.startsWith('\uFEFF') ? 1 : 0;
            const tokenStart = bom + countLeadingGoSpace(content, bom);
            const token = content.slice(tokenStart);
            this.directive(token, first.lineNo);
            if (token.length === 0 || token.startsWith('#'))
                continue;
            const logical = new LogicalLine();
            let cont = continuation(token, this.escape);
            logical.add(cont.kept, first.lineNo, tokenStart);
            let endLine = first.lineNo;
            while (cont.continued) {
                const next = this.reader.next();
                if (next === undefined)
                    break;
                const text = trimNewline(next.raw);
                this.directive(text, next.lineNo);
                endLine = next.lineNo;
                if (isCommentLine(text))
                    continue;
                if (countLeadingGoSpace(text) === text.length)
                    continue;
                cont = continuation(text, this.escape);
                logical.add(cont.kept, next.lineNo, 0);
            }
            const instruction = this.node(logical, 0, logical.text.length, first.lineNo, endLine, 0);
            if (instruction === undefined)
                continue;
            this.instructions.push(instruction);
            if (!this.readHeredocs(instruction, logical.text))
                return;
        }
    }
    /** Reads the bodies of the instruction's heredocs; false when the file ended inside one. */
    readHeredocs(instruction, line) {
        if (!line.includes('<<'))
            return true;
        const target = instruction.keyword === 'ONBUILD' ? instruction.onbuild : instruction;
        if (target === undefined ||
            !HEREDOC_INSTRUCTIONS.has(target.keyword.toLowerCase()) ||
            target.json !== null) {
            return true;
        }
        const lexed = processWord(line, undefined, {
            escapeToken: '\\',
            rawQuotes: true,
            rawEscapes: true,
            skipUnsetEnv: true,
            words: true,
        });
        const heads = [];
        for (const word of lexed.ok ? lexed.words : []) {
            const h = heredocFromWord(word);
            if ('error' in h) {
                problem(this.problems, instruction.line, h.error);
                return true;
            }
            if (h.head !== null)
                heads.push(h.head);
        }
        for (const head of heads) {
            let content = '';
            let bodyStart = 0;
            let terminated = false;
            for (;;) {
                const next = this.reader.next();
                if (next === undefined)
                    break;
                if (bodyStart === 0)
                    bodyStart = next.lineNo;
                instruction.endLine = next.lineNo;
                let candidate = trimNewline(next.raw);
                if (head.chomp)
                    candidate = candidate.replace(/^\t+/, '');
                if (candidate === head.name) {
                    terminated = true;
                    break;
                }
                content += next.hadNewline ? `${next.raw}\n` : next.raw;
            }
            if (!terminated) {
                problem(this.problems, instruction.line, `unterminated heredoc <<${head.name} (the file ends before a line that is exactly "${head.name}")`);
                return false;
            }
            const doc = { ...head, content, line: bodyStart, endLine: instruction.endLine };
            target.heredocs.push(doc);
            if (target !== instruction)
                instruction.heredocs.push(doc);
        }
        return true;
    }
    /** newNodeFromLine over logical[from, to). */
    node(logical, from, to, line, endLine, depth) {
        const L = logical.text;
        const s = Math.min(to, from + countLeadingGoSpace(L, from));
        const e = trimEndGoSpace(L, s, to);
        if (s >= e) {
            problem(this.problems, line, 'a line continuation is followed by no instruction');
            return undefined;
        }
        let k = s;
        while (k < e && !isAsciiBlank(L[k]))
            k++;
        const cmd = L.slice(s, k).toLowerCase();
        let rawFlags = [];
        let restStart = e;
        if (k < e) {
            let j = k;
            while (j < e && isAsciiBlank(L[j]))
                j++;
            const extracted = extractFlags(L, j, e);
            rawFlags = extracted.flags;
            restStart = Math.min(e, extracted.restStart + countLeadingGoSpace(L, extracted.restStart));
        }
        const rest = L.slice(restStart, e);
        const flags = rawFlags.map((f) => ({
            name: f.name,
            value: f.value,
            span: logical.span(f.start, f.end),
            valueSpan: f.value === null
                ? null
                : f.value.length === 0
                    ? logical.span(f.end, f.end)
                    : logical.span(f.valueOffset(0), f.valueOffset(f.value.length - 1) + 1),
        }));
        const instruction = {
            keyword: L.slice(s, k).toUpperCase(),
            line,
            endLine,
            original: L,
            flags,
            rest,
            args: [],
            json: null,
            heredocs: [],
            mounts: [],
        };
        const words = () => blankWords(L, restStart, e).map(([a, b]) => ({ value: L.slice(a, b), span: logical.span(a, b) }));
        switch (cmd) {
            case 'add':
            case 'copy':
            case 'volume': {
                const form = parseJsonForm(rest);
                if (form.kind === 'json')
                    instruction.json = form.values;
                else if (form.kind === 'error')
                    problem(this.problems, line, `${instruction.keyword}: ${form.message}`);
                else
                    instruction.args = words();
                break;
            }
            case 'run':
            case 'cmd':
            case 'entrypoint':
            case 'shell': {
                // the shell form stays one string (BuildKit does not split it)
                if (rest === '')
                    break;
                const form = parseJsonForm(rest);
                if (form.kind === 'json')
                    instruction.json = form.values;
                else if (form.kind === 'error')
                    problem(this.problems, line, `${instruction.keyword}: ${form.message}`);
                break;
            }
            case 'onbuild':
                if (rest !== '' && depth === 0) {
                    const child = this.node(logical, restStart, e, line, endLine, depth + 1);
                    if (child !== undefined)
                        instruction.onbuild = child;
                }
                break;
            case 'from':
            case 'expose':
                instruction.args = words();
                break;
            default:
        }
        if (!KNOWN_INSTRUCTIONS.has(cmd)) {
            problem(this.problems, line, `unknown instruction: ${instruction.keyword}`);
        }
        this.validate(cmd, instruction, rawFlags, logical, depth);
        return instruction;
    }
    /** The checks of BuildKit's instructions package that matter for what an instruction refers to. */
    validate(cmd, ins, rawFlags, logical, depth) {
        const at = ins.line;
        switch (cmd) {
            case 'from': {
                const from = {};
                ins.from = from;
                for (const f of ins.flags) {
                    if (f.name !== 'platform') {
                        problem(this.problems, at, `FROM: unknown flag --${f.name} (FROM only takes --platform)`);
                    }
                    else if (f.value === null) {
                        problem(this.problems, at, 'FROM: --platform needs a value (--platform=<os/arch>)');
                    }
                    else if (from.platform !== undefined) {
                        problem(this.problems, at, 'FROM: --platform is given twice');
                    }
                    else
                        from.platform = f;
                }
                const args = ins.args;
                if (args.length === 0) {
                    problem(this.problems, at, 'FROM needs an image: FROM [--platform=<platform>] <image> [AS <name>]');
                    return;
                }
                from.image = args[0];
                if (args.length === 3 && (args[1]?.value ?? '').toLowerCase() === 'as') {
                    const written = args[2]?.value ?? '';
                    const name = written.toLowerCase();
                    if (!STAGE_NAME.test(name)) {
                        problem(this.problems, at, `invalid name for build stage: "${written}", name can't start with a number or contain symbols`);
                    }
                    else
                        from.stageName = name;
                }
                else if (args.length !== 1) {
                    problem(this.problems, at, `FROM requires either one or three arguments (FROM <image> [AS <name>]), got ${args.length}`);
                }
                return;
            }
            case 'copy':
            case 'add': {
                for (const f of ins.flags) {
                    if (f.name !== 'from')
                        continue;
                    if (cmd === 'add') {
                        problem(this.problems, at, 'ADD does not support --from (BuildKit rejects it): use COPY --from');
                    }
                    else if (f.value === null) {
                        problem(this.problems, at, 'COPY: --from needs a value (--from=<stage, index or image>)');
                    }
                    else if (ins.copyFrom !== undefined) {
                        problem(this.problems, at, 'COPY: --from is given twice');
                    }
                    else {
                        ins.copyFrom = { value: f.value, span: f.valueSpan ?? f.span };
                    }
                }
                const count = ins.json?.length ?? ins.args.length;
                if (count < 2) {
                    problem(this.problems, at, `${ins.keyword} requires at least two arguments: a source and a destination`);
                }
                return;
            }
            case 'run': {
                for (const f of rawFlags) {
                    if (f.name !== 'mount')
                        continue;
                    const mount = this.mount(f, logical, at);
                    if (mount !== undefined)
                        ins.mounts.push(mount);
                }
                return;
            }
            case 'onbuild': {
                if (depth > 0)
                    return;
                const child = ins.onbuild;
                if (child === undefined) {
                    problem(this.problems, at, 'ONBUILD needs an instruction to run in the child build');
                    return;
                }
                const trigger = child.keyword.toUpperCase();
                if (trigger === 'ONBUILD') {
                    problem(this.problems, at, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                }
                else if (trigger === 'FROM' || trigger === 'MAINTAINER') {
                    problem(this.problems, at, `${trigger} isn't allowed as an ONBUILD trigger`);
                }
                return;
            }
            default:
        }
    }
    mount(f, logical, at) {
        if (f.value === null) {
            problem(this.problems, at, 'RUN: --mount needs a value (--mount=type=<type>,…)');
            return undefined;
        }
        if (f.value === '') {
            problem(this.problems, at, 'RUN: --mount= is empty');
            return undefined;
        }
        const parsed = parseMountFields(f.value, f.valueOffset);
        if ('error' in parsed) {
            problem(this.problems, at, `RUN --mount=${f.value}: ${parsed.error}`);
            return undefined;
        }
        const mount = { type: 'bind', fields: [] };
        for (const field of parsed.fields) {
            mount.fields.push({ key: field.key, value: field.value });
            if (field.value === null)
                continue;
            if (field.key === 'type')
                mount.type = field.value.toLowerCase();
            else if (field.key === 'from') {
                mount.from = { value: field.value, span: logical.span(field.valueStart, field.valueEnd) };
            }
        }
        if (!MOUNT_TYPES.has(mount.type)) {
            problem(this.problems, at, `RUN --mount: unsupported mount type "${mount.type}" (bind, cache, tmpfs, secret, ssh)`);
        }
        else if (mount.type === 'secret' && mount.from !== undefined) {
            problem(this.problems, at, 'RUN --mount: a secret mount should not have a from');
        }
        return mount;
    }
}
/** Lines in the text; a final newline does not start another line. */
function countLines(text) {
    if (text.length === 0)
        return 0;
    let n = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1))
        n++;
    return text.endsWith('\n') ? n : n + 1;
}
/**
 * The frontend image, found as BuildKit's DetectSyntax does: after a byte-order mark and a `#!` line,
 * directives at the very top, lines taken as they are (not trimmed); the first word of the value.
 */
function detectSyntax(text) {
    let pos = 0;
    let lineNo = 0;
    const seen = new Set();
    while (pos < text.length) {
        const nl = text.indexOf('\n', pos);
        const end = nl < 0 ? text.length : nl;
        let line = text.slice(pos, end);
        pos = nl < 0 ? text.length : nl + 1;
        lineNo++;
        let column = 0;
        if (lineNo === 1 && line.startsWith('\uFEFF')) {
            line = line.slice(1);
            column = 1;
        }
        if (line.endsWith('\r'))
            line = line.slice(0, -1);
        if (lineNo === 1 && line.startsWith('#!'))
            continue;
        const m = matchDirective(line);
        if (m === null)
            break;
        const key = m.key.toLowerCase();
        if (!VALID_DIRECTIVES.has(key) || seen.has(key))
            break;
        seen.add(key);
        if (key !== 'syntax')
            continue;
        const space = m.value.indexOf(' ');
        const image = space < 0 ? m.value : m.value.slice(0, space);
        const start = column + m.valueStart;
        return {
            value: m.value,
            image,
            line: lineNo,
            span: { line: lineNo, column: start, endLine: lineNo, endColumn: start + image.length },
        };
    }
    return undefined;
}
function parseDockerfile(text) {
    return new Parser(text).parse();
}

// EXTERNAL MODULE: ./src/image/reference.ts
var reference = __webpack_require__(3564);
;// CONCATENATED MODULE: ./src/dockerfile/declarations.ts
/**
 * ARG and ENV declarations, split as BuildKit's line parsers do (parseWords keeps quotes and escapes in
 * the words; values are processed by the lexer only when they are used).
 */

/** BuildKit's parseWords: blank-separated words, quotes kept, the escape token protects a character. */
function parseWords(rest, escape) {
    const words = [];
    let phase = 'spaces';
    let quote = '';
    let blankOk = false;
    let word = '';
    for (let pos = 0; pos <= rest.length; pos++) {
        let ch = pos < rest.length ? (rest[pos] ?? '') : '';
        if (phase === 'spaces') {
            if (pos === rest.length)
                break;
            if (isGoSpace(ch))
                continue;
            phase = 'word';
        }
        if (pos === rest.length) {
            if (blankOk || word.length > 0)
                words.push(word);
            break;
        }
        if (phase === 'word') {
            if (isGoSpace(ch)) {
                phase = 'spaces';
                if (blankOk || word.length > 0)
                    words.push(word);
                word = '';
                blankOk = false;
                continue;
            }
            if (ch === "'" || ch === '"') {
                quote = ch;
                blankOk = true;
                phase = 'quote';
            }
            if (ch === escape) {
                if (pos + 1 === rest.length)
                    continue;
                word += ch;
                pos++;
                ch = rest[pos] ?? '';
            }
            word += ch;
            continue;
        }
        // quote
        if (ch === quote)
            phase = 'word';
        if (ch === escape && quote !== "'") {
            if (pos + 1 === rest.length) {
                phase = 'word';
                continue;
            }
            pos++;
            word += ch;
            ch = rest[pos] ?? '';
        }
        word += ch;
    }
    return words;
}
/** `ARG a b=1 c="x y"` */
function parseArgDeclarations(rest, escape) {
    const declarations = [];
    for (const word of parseWords(rest, escape)) {
        const eq = word.indexOf('=');
        if (eq === 0)
            return { declarations, error: 'ARG names can not be blank' };
        declarations.push(eq < 0 ? { key: word } : { key: word.slice(0, eq), value: word.slice(eq + 1) });
    }
    if (declarations.length === 0)
        return { declarations, error: 'ARG requires at least one argument' };
    return { declarations };
}
/** `ENV a=1 b=2` or the old `ENV a 1 2`. */
function parseEnvDeclarations(rest, escape) {
    const words = parseWords(rest, escape);
    const first = words[0];
    if (first === undefined)
        return [];
    if (!first.includes('=')) {
        let i = 0;
        while (i < rest.length && !isAsciiBlank(rest[i]))
            i++;
        const key = rest.slice(0, i);
        while (i < rest.length && isAsciiBlank(rest[i]))
            i++;
        return i < rest.length ? [{ key, value: rest.slice(i) }] : [];
    }
    const out = [];
    for (const word of words) {
        const eq = word.indexOf('=');
        if (eq < 0)
            return out;
        out.push({ key: word.slice(0, eq), value: word.slice(eq + 1) });
    }
    return out;
}

// EXTERNAL MODULE: ./src/dockerfile/platform.ts
var platform = __webpack_require__(8003);
;// CONCATENATED MODULE: ./src/dockerfile/analyze.ts
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




const INDEX = /^[+-]?[0-9]+$/;
function lookupIn(scope) {
    return (name) => scope.env.get(name) ?? scope.args.get(name);
}
function cloneScope(scope) {
    return { env: new Map(scope.env), args: new Map(scope.args) };
}
function locationOf(span) {
    return { line: span.line, column: span.column, endColumn: span.endColumn, endLine: span.endLine };
}
class Analyzer {
    parsed;
    options;
    problems;
    warnings = [];
    budget = new ExpansionBudget();
    escape;
    global = new Map();
    declaredGlobal = new Set();
    stages = [];
    finalNames = new Map();
    /** Stage names defined so far, while FROM lines are read in order. */
    namesSoFar = new Map();
    owned = [];
    triggerUses = new Map();
    constructor(parsed, options) {
        this.parsed = parsed;
        this.options = options;
        this.problems = [...parsed.problems];
        this.escape = parsed.directives.escape;
    }
    expand(raw, lookup) {
        const r = processWord(raw, lookup, {
            escapeToken: this.escape,
            budget: this.budget,
            maxExpansions: MAX_EXPANSIONS,
        });
        if (!r.ok)
            return { value: '', unresolved: r.unresolved, error: r.error };
        return { value: r.value, unresolved: r.unresolved };
    }
    run() {
        const { instructions } = this.parsed;
        for (const [k, v] of (0,platform/* platformArgs */.xZ)(this.options.buildPlatform, this.options.targetPlatform)) {
            this.global.set(k, { value: v });
        }
        let i = 0;
        for (; i < instructions.length; i++) {
            const ins = instructions[i];
            if (ins === undefined || ins.keyword === 'FROM')
                break;
            if (ins.keyword === 'ARG')
                this.globalArg(ins);
            else {
                this.problem(ins.line, `${ins.keyword} comes before the first FROM; only ARG may (no build stage in current context)`);
            }
        }
        for (; i < instructions.length; i++) {
            const ins = instructions[i];
            if (ins === undefined)
                continue;
            if (ins.keyword === 'FROM')
                this.startStage(ins);
            else
                this.stages[this.stages.length - 1]?.instructions.push(ins);
        }
        for (const stage of this.stages) {
            if (stage.summary.name !== undefined)
                this.finalNames.set(stage.summary.name, stage.summary.index);
        }
        this.noteLaterStageNames();
        for (const stage of this.stages)
            this.stageBody(stage);
        if (this.stages.length === 0)
            this.noStages();
        const target = this.target();
        const counted = this.reachable(target);
        const images = this.collect(counted);
        const finalBase = this.finalBase(target, counted);
        const analysis = {
            images,
            stages: this.stages.map((s) => s.summary),
            targetStage: target,
            onbuild: this.onbuildList(counted),
            problems: this.problems.sort((a, b) => a.line - b.line),
            warnings: this.warnings.sort((a, b) => a.line - b.line),
        };
        if (finalBase !== undefined)
            analysis.finalBase = finalBase;
        return analysis;
    }
    problem(line, message) {
        this.problems.push({ line, message });
    }
    warn(line, message) {
        this.warnings.push({ line, message });
    }
    globalArg(ins) {
        const { declarations, error } = parseArgDeclarations(ins.rest, this.escape);
        if (error !== undefined)
            this.problem(ins.line, error);
        const lookup = (name) => this.global.get(name);
        for (const d of declarations) {
            this.declaredGlobal.add(d.key);
            const given = this.options.buildArgs[d.key];
            if (given !== undefined) {
                this.global.set(d.key, { value: given });
            }
            else if (d.value !== undefined) {
                const r = this.expand(d.value, lookup);
                if (r.error !== undefined) {
                    this.problem(ins.line, `ARG ${d.key}: ${r.error}`);
                    this.global.set(d.key, { value: '', unresolved: r.unresolved.length > 0 ? r.unresolved : [d.key] });
                }
                else
                    this.global.set(d.key, { value: r.value, unresolved: r.unresolved });
            }
        }
    }
    /** Resolves the FROM line (global scope) and registers the stage. */
    startStage(ins) {
        const index = this.stages.length;
        const from = ins.from ?? {};
        const name = from.stageName;
        const label = name ?? String(index);
        const summary = { index, line: ins.line, base: from.image?.value ?? '', dependsOn: [] };
        if (name !== undefined)
            summary.name = name;
        const state = {
            summary,
            label,
            instructions: [],
            scope: { env: new Map(), args: new Map() },
            triggers: [],
        };
        const earlier = this.namesSoFar;
        if (name !== undefined && earlier.has(name)) {
            this.warn(ins.line, `stage name "${name}" is used more than once; references go to the last stage with that name`);
        }
        this.stages.push(state);
        this.resolveFrom(ins, state);
        if (name !== undefined)
            this.namesSoFar.set(name, index);
    }
    resolveFrom(ins, state) {
        const { summary, label } = state;
        const index = summary.index;
        const from = ins.from ?? {};
        const earlier = this.namesSoFar;
        const globalLookup = (n) => this.global.get(n);
        let platform;
        if (from.platform !== undefined && from.platform.value !== null) {
            const p = this.expand(from.platform.value, globalLookup);
            if (p.error !== undefined)
                this.problem(ins.line, `FROM --platform: ${p.error}`);
            else if (p.unresolved.length > 0) {
                this.warn(ins.line, `FROM --platform=${from.platform.value}: ${this.describeUnresolved(p.unresolved)}`);
            }
            else if (p.value === '')
                this.problem(ins.line, `empty platform value from expression ${from.platform.value}`);
            else
                platform = p.value;
        }
        if (platform !== undefined)
            summary.platform = platform;
        const image = from.image;
        if (image === undefined)
            return;
        const r = this.expand(image.value, globalLookup);
        if (r.error !== undefined)
            this.problem(ins.line, `FROM ${shorten(image.value)}: ${r.error}`);
        this.noteBuildArgsOutsideGlobalScope(ins.line, r.unresolved);
        const resolved = r.error === undefined && r.unresolved.length === 0 ? r.value : null;
        if (resolved !== null) {
            summary.base = resolved;
            const stageRef = earlier.get(resolved) ?? earlier.get(resolved.toLowerCase());
            if (stageRef !== undefined) {
                if (!earlier.has(resolved)) {
                    this.problem(ins.line, `FROM ${resolved}: stage names are lower case; write FROM ${resolved.toLowerCase()}`);
                }
                summary.baseStage = stageRef;
                summary.dependsOn.push(stageRef);
                const base = this.stages[stageRef];
                if (base !== undefined)
                    state.scope = cloneScope(base.scope);
                return;
            }
            if (resolved === 'scratch')
                return;
            if (resolved === '') {
                this.problem(ins.line, `base name (${image.value}) should not be blank`);
                return;
            }
            const parsedRef = (0,reference/* tryParseReference */.WF)(resolved);
            if (!parsedRef.ok)
                this.problem(ins.line, `FROM ${shorten(image.value)}: ${parsedRef.error}`);
        }
        const use = {
            kind: 'from',
            stage: label,
            stageIndex: index,
            line: ins.line,
            ref: image.value,
            resolved,
            unresolvedArgs: r.unresolved,
            location: locationOf(image.span),
        };
        if (platform !== undefined)
            use.platform = platform;
        this.owned.push({ use, owners: [index] });
    }
    /** `FROM build` before `… AS build`: BuildKit pulls an image called "build". */
    noteLaterStageNames() {
        for (const { use } of this.owned) {
            if (use.kind !== 'from' || use.resolved === null)
                continue;
            const later = this.finalNames.get(use.resolved);
            if (later !== undefined && later > (use.stageIndex ?? 0)) {
                this.warn(use.line, `FROM ${use.resolved} names the stage defined on line ${this.stages[later]?.summary.line ?? 0}, but stages can only ` +
                    `be used after they are defined: BuildKit pulls an image called "${use.resolved}" instead`);
            }
        }
    }
    noteBuildArgsOutsideGlobalScope(line, names) {
        for (const n of names) {
            if (this.options.buildArgs[n] !== undefined && !this.declaredGlobal.has(n)) {
                this.warn(line, `build-arg ${n} is set, but ARG ${n} is not declared before the first FROM, so it does not apply to FROM lines`);
            }
        }
    }
    describeUnresolved(names) {
        return `${names.map((n) => `$${n}`).join(', ')} ${names.length === 1 ? 'has' : 'have'} no value`;
    }
    /** ARG/ENV in the stage, COPY --from, RUN --mount from, ONBUILD. */
    stageBody(stage) {
        const index = stage.summary.index;
        const baseStage = stage.summary.baseStage;
        if (baseStage !== undefined) {
            const parent = this.stages[baseStage];
            if (parent !== undefined)
                for (const trigger of parent.triggers)
                    this.runTrigger(trigger, parent, stage);
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
                    if (ins.onbuild !== undefined)
                        stage.triggers.push(ins);
                    break;
                default:
            }
        }
    }
    runTrigger(trigger, parent, child) {
        const inner = trigger.onbuild;
        if (inner === undefined)
            return;
        const seen = this.triggerUses.get(trigger);
        if (seen !== undefined) {
            for (const o of seen)
                o.owners.push(child.summary.index);
            // the dependency edges still belong to this child
        }
        const before = this.owned.length;
        const scope = cloneScope(parent.scope);
        const record = seen === undefined;
        if (inner.keyword === 'COPY' && inner.copyFrom !== undefined) {
            this.reference('copy-from', trigger, inner.copyFrom, parent, child.summary.index, scope, record, child);
        }
        else if (inner.keyword === 'RUN') {
            for (const m of inner.mounts) {
                if (m.from !== undefined && m.type !== 'tmpfs' && m.type !== 'secret') {
                    this.reference('mount-from', trigger, m.from, parent, child.summary.index, scope, record, child);
                }
            }
        }
        if (record) {
            const created = this.owned.slice(before);
            for (const o of created)
                o.use.onbuild = true;
            this.triggerUses.set(trigger, created);
        }
    }
    stageArg(ins, scope) {
        const { declarations, error } = parseArgDeclarations(ins.rest, this.escape);
        if (error !== undefined)
            this.problem(ins.line, error);
        for (const d of declarations) {
            const given = this.options.buildArgs[d.key];
            if (given !== undefined)
                scope.args.set(d.key, { value: given });
            else if (d.value !== undefined) {
                const r = this.expand(d.value, lookupIn(scope));
                scope.args.set(d.key, {
                    value: r.value,
                    unresolved: r.error !== undefined ? [d.key, ...r.unresolved] : r.unresolved,
                });
            }
            else
                scope.args.set(d.key, this.global.get(d.key));
        }
    }
    stageEnv(ins, scope) {
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
        for (const { key, value } of values)
            scope.env.set(key, value);
    }
    /**
     * A `--from` / `from=` reference in `stage` (counted for `owner`): a stage (dependency edge), scratch,
     * or an external image (a use).
     */
    reference(kind, ins, token, stage, owner, scope, record = true, ownerState = stage) {
        const raw = token.value;
        if (raw === '')
            return;
        let resolved = raw;
        let unresolved = [];
        const what = kind === 'copy-from' ? `COPY --from=${shorten(raw)}` : `RUN --mount=…,from=${shorten(raw)}`;
        if (raw.includes('$')) {
            const r = this.expand(raw, lookupIn(scope));
            unresolved = r.unresolved;
            resolved = r.error === undefined && r.unresolved.length === 0 ? r.value : null;
            if (r.error !== undefined)
                this.problem(ins.line, `${what}: ${r.error}`);
            if (record) {
                this.warn(ins.line, `${what}: BuildKit (docker buildx) does not expand variables in ${kind === 'copy-from' ? '--from' : 'mount from='} ` +
                    `and fails the build; buildah and podman expand it${resolved !== null ? ` (here to "${resolved}")` : ''}. ` +
                    `For BuildKit, declare the ARG before the first FROM, add "FROM ${raw} AS <name>" and use that stage name`);
            }
        }
        const ownerIndex = ownerState.summary.index;
        if (resolved !== null) {
            if (resolved === '')
                return;
            let stageTarget;
            if (INDEX.test(resolved)) {
                stageTarget = Number.parseInt(resolved, 10);
                if (!(stageTarget >= 0 && stageTarget < this.stages.length)) {
                    this.problem(ins.line, `${what}: invalid stage index ${resolved} (the Dockerfile has ${this.stages.length} stages)`);
                    return;
                }
            }
            else
                stageTarget = this.finalNames.get(resolved.toLowerCase());
            if (stageTarget !== undefined) {
                if (stageTarget < ownerIndex) {
                    if (!ownerState.summary.dependsOn.includes(stageTarget))
                        ownerState.summary.dependsOn.push(stageTarget);
                }
                else {
                    this.problem(ins.line, stageTarget === ownerIndex
                        ? `${what}: a stage cannot use itself (circular dependency on stage "${ownerState.label}")`
                        : `${what}: stage "${this.stages[stageTarget]?.label ?? resolved}" must be defined before the stage that uses it ("${ownerState.label}")`);
                }
                return;
            }
            if (resolved === 'scratch')
                return;
            const parsedRef = (0,reference/* tryParseReference */.WF)(resolved);
            if (!parsedRef.ok && record)
                this.problem(ins.line, `${what}: ${parsedRef.error}`);
        }
        if (!record)
            return;
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
    noStages() {
        const { instructions, lineCount } = this.parsed;
        if (lineCount === 0 || instructions.length === 0) {
            this.problem(1, lineCount === 0
                ? 'the Dockerfile is empty'
                : 'the Dockerfile has no instructions (only comments or blank lines); it needs at least a FROM');
        }
        else {
            this.problem(instructions[0]?.line ?? 1, 'the Dockerfile has no FROM instruction, so there is no stage to build');
        }
    }
    target() {
        const last = this.stages.length - 1;
        const wanted = this.options.target?.trim();
        if (wanted === undefined || wanted === '')
            return last;
        const found = this.finalNames.get(wanted.toLowerCase());
        if (found !== undefined)
            return found;
        if (this.stages.length > 0) {
            const names = this.stages.map((s) => s.summary.name ?? `${s.summary.index} (unnamed)`).join(', ');
            this.problem(1, `target stage "${wanted}" could not be found; the stages are: ${names}`);
        }
        return last;
    }
    /** The target and everything it depends on; every stage when the target is unknown. */
    reachable(target) {
        const counted = new Set();
        const wanted = this.options.target?.trim();
        if (wanted !== undefined && wanted !== '' && !this.finalNames.has(wanted.toLowerCase())) {
            for (const s of this.stages)
                counted.add(s.summary.index);
            return counted;
        }
        const stack = target >= 0 ? [target] : [];
        while (stack.length > 0) {
            const s = stack.pop() ?? -1;
            if (counted.has(s))
                continue;
            counted.add(s);
            for (const d of this.stages[s]?.summary.dependsOn ?? [])
                if (!counted.has(d))
                    stack.push(d);
        }
        return counted;
    }
    collect(counted) {
        const uses = this.owned
            .filter((o) => o.owners.some((s) => counted.has(s)))
            .map((o) => o.use)
            .sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
        const syntax = this.syntaxUse();
        return syntax === undefined ? uses : [syntax, ...uses];
    }
    syntaxUse() {
        const fromArg = this.options.buildArgs.BUILDKIT_SYNTAX?.trim();
        const directive = this.parsed.directives.syntax;
        if (fromArg !== undefined && fromArg !== '') {
            const image = fromArg.split(' ')[0] ?? fromArg;
            if (directive !== undefined) {
                this.warn(directive.line, `the BUILDKIT_SYNTAX build-arg (${image}) replaces this # syntax= directive`);
            }
            const parsedRef = (0,reference/* tryParseReference */.WF)(image);
            if (!parsedRef.ok)
                this.problem(1, `build-arg BUILDKIT_SYNTAX: ${parsedRef.error}`);
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
        if (directive === undefined)
            return undefined;
        const parsedRef = (0,reference/* tryParseReference */.WF)(directive.image);
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
    finalBase(target, counted) {
        let s = target;
        const visited = new Set();
        while (s >= 0 && !visited.has(s)) {
            visited.add(s);
            const base = this.stages[s]?.summary.baseStage;
            if (base === undefined)
                break;
            s = base;
        }
        if (s < 0)
            return undefined;
        return this.owned.find((o) => o.use.kind === 'from' && o.use.stageIndex === s && o.owners.some((x) => counted.has(x)))?.use;
    }
    onbuildList(counted) {
        const basesOfCounted = new Set();
        for (const c of this.stages) {
            const base = c.summary.baseStage;
            if (base !== undefined && counted.has(c.summary.index))
                basesOfCounted.add(base);
        }
        const out = [];
        for (const stage of this.stages) {
            if (!counted.has(stage.summary.index))
                continue;
            const runs = basesOfCounted.has(stage.summary.index);
            for (const t of stage.triggers)
                out.push({ line: t.line, text: t.rest, stage: stage.label, runsInThisBuild: runs });
        }
        return out;
    }
}
function analyzeBaseImages(parsed, options) {
    return new Analyzer(parsed, options).run();
}
/** A reference as quoted in a problem: a line can be 64 KiB long, a message should not be. */
function shorten(text, max = 120) {
    return text.length > max ? `${text.slice(0, max)}…` : text;
}

;// CONCATENATED MODULE: ./src/dockerfile/rewrite.ts
/** Offsets where each line starts, and where its content ends (before "\n"). */
function lineTable(text) {
    const starts = [0];
    const ends = [];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
        ends.push(i);
        starts.push(i + 1);
    }
    ends.push(text.length);
    return { starts, ends };
}
/**
 * Applies the edits; throws on an edit outside the text or edits that overlap (a caller bug, never
 * user input). Edits may come in any order.
 */
function rewriteReferences(text, edits) {
    if (edits.length === 0)
        return text;
    const { starts, ends } = lineTable(text);
    const offset = (line, column, what) => {
        const start = starts[line - 1];
        const end = ends[line - 1];
        if (start === undefined ||
            end === undefined ||
            !Number.isInteger(column) ||
            column < 0 ||
            start + column > end) {
            throw new RangeError(`rewriteReferences: ${what} ${line}:${column} is outside the text`);
        }
        return start + column;
    };
    const resolved = edits
        .map((e) => {
        const from = offset(e.location.line, e.location.column, 'start');
        const to = offset(e.location.endLine ?? e.location.line, e.location.endColumn, 'end');
        if (to < from)
            throw new RangeError(`rewriteReferences: edit at ${e.location.line}:${e.location.column} ends before it starts`);
        return { from, to, replacement: e.replacement };
    })
        .sort((a, b) => a.from - b.from || a.to - b.to);
    let out = '';
    let copied = 0;
    for (const e of resolved) {
        if (e.from < copied)
            throw new RangeError('rewriteReferences: edits overlap');
        out += text.slice(copied, e.from) + e.replacement;
        copied = e.to;
    }
    return out + text.slice(copied);
}

;// CONCATENATED MODULE: ./src/dockerfile/index.ts





;// CONCATENATED MODULE: ./src/policy/builtin.ts
/**
 * Signers of widely used minimal base images, trusted without a policy file. The file's rules come
 * first, so a repository can override either one.
 */
const BUILT_IN_RULES = Object.freeze([
    {
        name: 'distroless',
        images: ['gcr.io/distroless/**'],
        source: 'built-in',
        keyless: {
            identity: 'keyless@distroless.iam.gserviceaccount.com',
            issuer: 'https://accounts.google.com',
        },
    },
    {
        name: 'chainguard',
        images: ['cgr.dev/chainguard/**'],
        source: 'built-in',
        keyless: {
            identity: 'https://github.com/chainguard-images/images/.github/workflows/release.yaml@refs/heads/main',
            issuer: 'https://token.actions.githubusercontent.com',
        },
    },
].map((rule) => Object.freeze({ ...rule, images: Object.freeze(rule.images), keyless: Object.freeze(rule.keyless) })));

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/policy/key.ts
/**
 * The `key` of a policy rule: what `cosign verify --key` is given. cosign loads a verification key
 * (sigstore/cosign pkg/signature PublicKeyFromKeyRef) from a Kubernetes secret (`k8s://`), a PKCS#11
 * token (`pkcs11:`), a GitLab variable (`gitlab://`), a KMS provider registered with sigstore
 * (`awskms://`, `gcpkms://`, `azurekms://`, `hashivault://`), or else a file, URL or `env://`
 * variable holding a PEM public key of type `PUBLIC KEY` (PKIX) or `RSA PUBLIC KEY` (PKCS#1).
 */

/** Schemes a rule may name; cosign resolves these itself. */
const KEY_URI_SCHEMES = [
    'awskms',
    'gcpkms',
    'azurekms',
    'hashivault',
    'k8s',
    'gitlab',
    'https',
];
/** Schemes cosign knows that make no sense in a committed policy, with the reason. */
const REFUSED_SCHEMES = {
    env: 'the action runs cosign with a clean environment, and a policy should say which key it trusts: paste the PEM public key here',
    http: 'a key fetched over plain HTTP can be swapped on the way: use https:// or paste the PEM public key here',
    file: 'paste the PEM public key here instead of a path',
    pkcs11: 'PKCS#11 tokens need a cosign built with PKCS#11 support and a token on the runner; paste the PEM public key here',
};
/** PEM labels cosign reads as verification keys. */
const PUBLIC_KEY_LABELS = new Set(['PUBLIC KEY', 'RSA PUBLIC KEY']);
/** Key algorithms cosign verifies with. */
const KEY_TYPES = new Set(['ec', 'rsa', 'ed25519']);
/** OpenSSL names of the NIST curves sigstore's ECDSA verifier supports. */
const EC_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);
/**
 * How cosign should be given a valid key: PEM text (write it to a file for `--key`) or a reference
 * URI (pass as is). Call only on keys that {@link keyProblem} accepted.
 */
function classifyKey(key) {
    const trimmed = key.trim();
    if (trimmed.startsWith('-----BEGIN'))
        return { kind: 'pem', pem: `${trimmed}\n` };
    const scheme = trimmed.slice(0, trimmed.indexOf(':')).toLowerCase();
    return { kind: 'uri', uri: trimmed, scheme };
}
/** What is wrong with a rule's `key`, or undefined when cosign can use it. */
function keyProblem(key) {
    const trimmed = key.trim();
    if (trimmed === '')
        return 'is empty; give a PEM public key or a KMS URI';
    if (trimmed.startsWith('-----BEGIN'))
        return pemProblem(trimmed);
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
    const accepted = `a PEM public key ("-----BEGIN PUBLIC KEY-----" …) or a URI cosign resolves: ${KEY_URI_SCHEMES.map((s) => `${s}://`).join(', ')}`;
    if (scheme === undefined) {
        if (/^[A-Za-z0-9+/=\s]+$/.test(trimmed) && trimmed.length > 40) {
            return 'looks like base64 without the PEM armour; include the "-----BEGIN PUBLIC KEY-----" and "-----END PUBLIC KEY-----" lines (and write it as a block: `key: |`)';
        }
        return `"${abbreviate(trimmed)}" is neither ${accepted}; a file path is not accepted (paste the PEM public key)`;
    }
    const refused = REFUSED_SCHEMES[scheme];
    if (refused !== undefined)
        return `${scheme}: keys are not accepted in a trust policy: ${refused}`;
    if (!KEY_URI_SCHEMES.includes(scheme)) {
        return `the scheme "${scheme}:" is not one cosign resolves; give ${accepted}`;
    }
    if (!trimmed.slice(scheme.length).startsWith('://') || trimmed.length <= scheme.length + 3) {
        return `"${abbreviate(trimmed)}" is not a complete ${scheme}:// URI (${scheme}://<key>)`;
    }
    if (/\s/.test(trimmed))
        return `"${abbreviate(trimmed)}" contains white space`;
    return undefined;
}
function pemProblem(text) {
    const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)];
    const label = blocks[0]?.[1] ?? '';
    if (/PRIVATE KEY/.test(label)) {
        return `is a private key ("${label}"); never put a private key in a policy. Give its public key (\`cosign public-key --key <private key>\`) and rotate this one if it was committed`;
    }
    if (label === 'CERTIFICATE') {
        return 'is a certificate; cosign verify --key takes a public key ("-----BEGIN PUBLIC KEY-----"), e.g. `openssl x509 -pubkey -noout -in cert.pem`';
    }
    if (!PUBLIC_KEY_LABELS.has(label)) {
        return `is a PEM block of type "${label}"; cosign takes "PUBLIC KEY" or "RSA PUBLIC KEY"`;
    }
    if (blocks.length > 1)
        return 'holds more than one PEM block; give exactly one public key per rule';
    const end = `-----END ${label}-----`;
    if (!text.endsWith(end)) {
        return `does not end with "${end}"; write the whole key as a block scalar (\`key: |\`) with its BEGIN and END lines`;
    }
    let type;
    let curve;
    try {
        const key = (0,external_node_crypto_.createPublicKey)({ key: text, format: 'pem' });
        type = key.asymmetricKeyType;
        curve = key.asymmetricKeyDetails?.namedCurve;
    }
    catch {
        return 'is not a readable PEM public key (its base64 body is damaged or cut); write it as a block scalar (`key: |`) exactly as `cosign generate-key-pair` wrote cosign.pub';
    }
    if (type === undefined || !KEY_TYPES.has(type)) {
        return `is a ${type ?? 'unknown'} key; cosign verifies ECDSA, RSA and Ed25519 keys`;
    }
    if (type === 'ec' && !EC_CURVES.has(curve ?? '')) {
        return `is an ECDSA key on the curve ${curve ?? '(unknown)'}; cosign verifies ECDSA keys on P-256, P-384 and P-521`;
    }
    return undefined;
}
function abbreviate(text) {
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

// EXTERNAL MODULE: ./src/policy/re2.ts
var re2 = __webpack_require__(9448);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./src/util/errors.ts
var errors = __webpack_require__(17);
;// CONCATENATED MODULE: ./src/policy/glob.ts
/**
 * Image-name patterns of the trust policy: `*` matches within one path segment, `**` across
 * segments, everything else is literal. Patterns match the fully qualified name without tag or
 * digest (`docker.io/library/golang`, `localhost:5000/app`).
 */
function tokenize(pattern) {
    const tokens = [];
    let literal = '';
    for (let i = 0; i < pattern.length;) {
        if (pattern[i] === '*') {
            if (literal)
                tokens.push({ kind: 'literal', text: literal });
            literal = '';
            if (pattern[i + 1] === '*') {
                tokens.push({ kind: 'globstar' });
                i += 2;
            }
            else {
                tokens.push({ kind: 'star' });
                i += 1;
            }
        }
        else {
            literal += pattern[i];
            i += 1;
        }
    }
    if (literal)
        tokens.push({ kind: 'literal', text: literal });
    return tokens;
}
/**
 * The pattern as an anchored RegExp (`*` → `[^/]*`, `**` → any characters). For display and for
 * callers that need a RegExp; matchRule uses {@link globMatch}, which cannot backtrack.
 */
function globToRegExp(pattern) {
    const body = tokenize(pattern)
        .map((t) => t.kind === 'literal'
        ? t.text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
        : t.kind === 'star'
            ? '[^/]*'
            : '[\\s\\S]*')
        .join('');
    return new RegExp(`^${body}$`);
}
/**
 * Whether `name` matches `pattern`, in O(pattern × name) time. A RegExp built from a pattern with
 * many `*` can backtrack exponentially on a long name that almost matches; the image names come
 * from a Dockerfile that a pull request may change, so matching must not depend on its contents.
 */
function globMatch(pattern, name) {
    const n = name.length;
    // reach[j]: the tokens read so far can match exactly name[0, j).
    let reach = new Uint8Array(n + 1);
    reach[0] = 1;
    for (const token of tokenize(pattern)) {
        const next = new Uint8Array(n + 1);
        if (token.kind === 'literal') {
            const len = token.text.length;
            for (let j = 0; j + len <= n; j++) {
                if (reach[j] && name.startsWith(token.text, j))
                    next[j + len] = 1;
            }
        }
        else {
            const crossesSlash = token.kind === 'globstar';
            for (let j = 0; j <= n; j++) {
                if (reach[j] || (j > 0 && next[j - 1] && (crossesSlash || name[j - 1] !== '/')))
                    next[j] = 1;
            }
        }
        reach = next;
    }
    return reach[n] === 1;
}
/**
 * Docker Hub short forms, as Docker normalises references: `golang` → `docker.io/library/golang`,
 * `acme/app` → `docker.io/acme/app`, `index.docker.io/x/y` → `docker.io/x/y`. A pattern whose
 * first segment holds a wildcard is taken as already qualified (`**`, `*.gcr.io/**`).
 */
function normaliseImagePattern(pattern) {
    const slash = pattern.indexOf('/');
    const first = slash < 0 ? pattern : pattern.slice(0, slash);
    const isRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
    if (first.includes('*'))
        return pattern;
    let registry;
    let path;
    if (slash >= 0 && isRegistry) {
        // As distribution/reference does; registry-1.docker.io stays as written there, so here too.
        registry = first === 'index.docker.io' ? 'docker.io' : first;
        path = pattern.slice(slash + 1);
    }
    else {
        registry = 'docker.io';
        path = pattern;
    }
    if (registry === 'docker.io' && !path.includes('/'))
        path = `library/${path}`;
    return `${registry}/${path}`;
}
/** What is wrong with an image pattern as written, or undefined when it is usable. */
function imagePatternProblem(pattern) {
    if (pattern.trim() === '')
        return 'an image pattern is empty; write a name such as "ghcr.io/acme/*"';
    if (/\s/.test(pattern))
        return `"${pattern}" contains white space; image names have none`;
    if (/[A-Z]/.test(pattern)) {
        return `"${pattern}" has upper-case letters; image names are lower case (write "${pattern.toLowerCase()}")`;
    }
    const at = pattern.indexOf('@');
    if (at >= 0) {
        return `"${pattern}" has a digest; patterns match the name without tag or digest (write "${pattern.slice(0, at)}")`;
    }
    const segments = pattern.split('/');
    const ipv6Host = /^\[[0-9a-f:.]+\](?::(?:[0-9]+|\*))?$/;
    for (const [index, segment] of segments.entries()) {
        if (index === 0 && segments.length > 1 && ipv6Host.test(segment))
            continue;
        const colon = segment.indexOf(':');
        if (colon < 0)
            continue;
        const isRegistryPort = index === 0 && segments.length > 1 && /^[0-9]+$|^\*$/.test(segment.slice(colon + 1));
        if (!isRegistryPort) {
            const name = [...segments.slice(0, index), segment.slice(0, colon)].join('/');
            return `"${pattern}" has a tag ("${segment.slice(colon)}"); patterns match the name without tag or digest (write "${name}")`;
        }
    }
    const host = segments.length > 1 && ipv6Host.test(segments[0] ?? '') ? (segments[0] ?? '') : '';
    const bad = pattern.slice(host.length).match(/[^a-z0-9._\-/:*]/);
    if (bad) {
        return `"${pattern}" contains "${bad[0]}"; a pattern holds the characters of image names (a-z 0-9 . _ - / :) and the wildcards * (within a segment) and ** (across segments)`;
    }
    if (segments.some((s) => s === '')) {
        return `"${pattern}" has an empty path segment (a leading, trailing or doubled "/")`;
    }
    const badGlobstar = segments.find((s) => s.includes('**') && s !== '**');
    if (badGlobstar !== undefined) {
        return `"${pattern}" uses ** inside the segment "${badGlobstar}"; ** must be a whole segment ("ghcr.io/acme/**"), use * within a segment`;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/policy/parse.ts
/**
 * The trust policy file (YAML or JSON) → TrustPolicy. Every problem names the file, the 1-based line
 * and the key, and all problems of a file are reported together.
 */





/** A policy lists a few rules; anything this large is a mistake or an attack on the parser. */
const MAX_POLICY_BYTES = 256 * 1024;
/**
 * Aliases a policy may use (e.g. one `keyless` signer shared by several rules). Low, because each
 * alias can expand to a whole subtree ("billion laughs"); also handed to yaml as `maxAliasCount`.
 */
const MAX_ALIASES = 64;
const TOP_LEVEL_KEYS = ['unmatched', 'rules'];
const RULE_KEYS = ['name', 'images', 'keyless', 'key', 'allow-unsigned'];
const KEYLESS_KEYS = ['issuer', 'issuer-regexp', 'identity', 'identity-regexp'];
const UNMATCHED_ACTIONS = ['deny', 'warn', 'allow'];
/** Names people carry over from cosign flags or other tools, and what this format calls them. */
const KNOWN_MISTAKES = {
    'certificate-identity': 'identity',
    'certificate-identity-regexp': 'identity-regexp',
    'certificate-oidc-issuer': 'issuer',
    'certificate-oidc-issuer-regexp': 'issuer-regexp',
    subject: 'identity',
    'subject-regexp': 'identity-regexp',
    image: 'images',
    glob: 'images',
    pattern: 'images',
    patterns: 'images',
    'public-key': 'key',
    publickey: 'key',
    unsigned: 'allow-unsigned',
    default: 'unmatched',
    policy: 'rules',
};
/** A policy file that cannot be used. `problems` lets callers annotate each line of the file. */
class PolicyError extends errors/* UserError */.yo {
    file;
    problems;
    constructor(file, problems, options) {
        const sorted = [...problems].sort((a, b) => a.line - b.line);
        const lines = sorted.map((p) => formatPolicyProblem(file, p));
        super(lines.length === 1
            ? (lines[0] ?? '')
            : `${file}: ${lines.length} problems in the trust policy:\n${lines.join('\n')}`, options);
        this.name = 'PolicyError';
        this.file = file;
        this.problems = sorted;
    }
}
/** `<file>:<line>: <key>: <message>`, the form of every policy error and warning. */
function formatPolicyProblem(file, p) {
    return `${file}:${p.line}: ${p.key}: ${p.message}`;
}
function formatPolicyWarning(w) {
    return formatPolicyProblem(w.file, w);
}
class Context {
    file;
    doc;
    lines;
    problems = [];
    warnings = [];
    constructor(file, doc, lines) {
        this.file = file;
        this.doc = doc;
        this.lines = lines;
    }
    line(node, fallback = 1) {
        const offset = node?.range?.[0];
        return offset === undefined ? fallback : this.lines.linePos(offset).line;
    }
    error(line, key, message) {
        this.problems.push({ line, key, message });
    }
    warn(line, key, message) {
        this.warnings.push({ file: this.file, line, key, message });
    }
    /** Follow an alias to the node it names (checked to exist before the walk). */
    deref(node) {
        if ((0,dist/* isAlias */.Vj)(node))
            return node.resolve(this.doc) ?? null;
        return node ?? null;
    }
}
/** The pairs of a mapping as plain-named entries; keys that are not plain names are reported. */
function entries(ctx, map, path, mapLine) {
    const out = [];
    for (const pair of map.items) {
        const keyNode = ctx.deref(pair.key);
        const keyLine = ctx.line(keyNode, mapLine);
        const raw = (0,dist/* isScalar */.jn)(keyNode) ? keyNode.value : undefined;
        if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
            ctx.error(keyLine, path || '(top level)', 'keys must be plain names');
            continue;
        }
        const valueNode = pair.value;
        out.push({
            key: String(raw),
            keyLine,
            value: ctx.deref(valueNode),
            valueLine: ctx.line(valueNode ?? null, keyLine),
        });
    }
    return out;
}
function join(path, key) {
    return path ? `${path}.${key}` : key;
}
function describe(node) {
    if (node === null)
        return 'nothing';
    if ((0,dist/* isMap */.jh)(node))
        return 'a mapping';
    if ((0,dist/* isSeq */.oP)(node))
        return 'a list';
    if ((0,dist/* isScalar */.jn)(node)) {
        const v = node.value;
        if (v === null)
            return 'nothing';
        if (typeof v === 'string')
            return `the text "${v.length > 40 ? `${v.slice(0, 37)}…` : v}"`;
        return `${typeof v} ${String(v)}`;
    }
    return 'something else';
}
function editDistance(a, b) {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = row[j];
            row[j] = Math.min(above + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return row[b.length];
}
function unknownKey(ctx, e, path, accepted) {
    const normal = e.key.toLowerCase().replace(/[_\s]/g, '-');
    const camel = e.key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    let hint = KNOWN_MISTAKES[normal] ?? KNOWN_MISTAKES[camel];
    if (hint === undefined || !accepted.includes(hint)) {
        hint = accepted.find((a) => a === normal || a === camel || editDistance(a, normal) <= 2);
    }
    const where = path || 'the top level';
    const suggestion = hint !== undefined && hint !== e.key ? ` (did you mean "${hint}"?)` : '';
    const merge = e.key === '<<' ? ' (YAML merge keys are not supported; alias the whole value instead)' : '';
    ctx.error(e.keyLine, join(path, e.key), `unknown key${suggestion}${merge}; ${where} accepts ${accepted.map((a) => `"${a}"`).join(', ')}`);
}
/** A non-empty text value, or undefined after reporting why not. */
function parse_text(ctx, e, path, what) {
    const v = (0,dist/* isScalar */.jn)(e.value) ? e.value.value : undefined;
    if (typeof v !== 'string') {
        ctx.error(e.valueLine, path, `must be ${what}; found ${describe(e.value)}`);
        return undefined;
    }
    if (v.trim() === '') {
        ctx.error(e.valueLine, path, `must be ${what}; found an empty text`);
        return undefined;
    }
    return v;
}
function parseUnmatched(ctx, e) {
    const v = (0,dist/* isScalar */.jn)(e.value) ? e.value.value : undefined;
    if (typeof v === 'string' && UNMATCHED_ACTIONS.includes(v))
        return v;
    ctx.error(e.valueLine, 'unmatched', `must be one of deny, warn, allow (what to do with an image no rule matches); found ${describe(e.value)}`);
    return undefined;
}
function parseKeyless(ctx, e, path) {
    if (!(0,dist/* isMap */.jh)(e.value)) {
        ctx.error(e.valueLine, path, `must be a mapping with "issuer" or "issuer-regexp" and "identity" or "identity-regexp"; found ${describe(e.value)}`);
        return undefined;
    }
    const signer = {};
    const present = {};
    let ok = true;
    for (const f of entries(ctx, e.value, path, e.valueLine)) {
        const fieldPath = join(path, f.key);
        if (!KEYLESS_KEYS.includes(f.key)) {
            unknownKey(ctx, f, path, KEYLESS_KEYS);
            ok = false;
            continue;
        }
        const key = f.key;
        present[key] = f.keyLine;
        const isRegexp = key.endsWith('-regexp');
        const value = parse_text(ctx, f, fieldPath, isRegexp ? 'a regular expression (Go RE2 syntax)' : 'a text');
        if (value === undefined) {
            ok = false;
            continue;
        }
        const subject = key.startsWith('issuer') ? 'issuer' : 'identity';
        if (isRegexp) {
            const check = (0,re2/* checkRe2 */._8)(value);
            if (check.error !== undefined) {
                ctx.error(f.valueLine, fieldPath, `is not a valid RE2 regular expression (cosign uses Go's regexp): ${check.error}`);
                ok = false;
                continue;
            }
            if (!check.anchoredAtStart) {
                ctx.warn(f.valueLine, fieldPath, `does not start with "^": cosign accepts any ${subject} that merely contains a match, so "${value}" also matches "https://evil.example/${value}". Anchor it: "^${value}"`);
            }
        }
        else if (/^\^|\.\*|\\\.|\$$/.test(value)) {
            ctx.warn(f.valueLine, fieldPath, `looks like a regular expression but "${key}" is compared exactly; use "${key}-regexp" for a pattern`);
        }
        else if (key === 'issuer' && !/^https:\/\/[^/\s]/.test(value)) {
            ctx.warn(f.valueLine, fieldPath, `is compared exactly with the certificate's OIDC issuer, which is an https:// URL (e.g. https://token.actions.githubusercontent.com); "${value}" will not match it`);
        }
        else if (key === 'issuer' && value.endsWith('/')) {
            ctx.warn(f.valueLine, fieldPath, `ends with "/": issuers are compared exactly and the usual ones (https://token.actions.githubusercontent.com, https://accounts.google.com) have no trailing slash`);
        }
        if (key === 'issuer')
            signer.issuer = value;
        else if (key === 'issuer-regexp')
            signer.issuerRegexp = value;
        else if (key === 'identity')
            signer.identity = value;
        else
            signer.identityRegexp = value;
    }
    for (const [exact, regexp, what] of [
        [
            'issuer',
            'issuer-regexp',
            'the OIDC issuer of the signing certificate, e.g. https://token.actions.githubusercontent.com',
        ],
        ['identity', 'identity-regexp', 'the identity (certificate subject) that signed'],
    ]) {
        const a = present[exact];
        const b = present[regexp];
        if (a !== undefined && b !== undefined) {
            ctx.error(Math.max(a, b), path, `has both "${exact}" and "${regexp}"; give one of them`);
            ok = false;
        }
        else if (a === undefined && b === undefined) {
            ctx.error(e.keyLine, path, `needs "${exact}" or "${regexp}": ${what}`);
            ok = false;
        }
    }
    return ok ? signer : undefined;
}
function parseImages(ctx, e, path) {
    if (!(0,dist/* isSeq */.oP)(e.value) || e.value.items.length === 0) {
        const example = (0,dist/* isScalar */.jn)(e.value) && typeof e.value.value === 'string' ? `["${e.value.value}"]` : '["ghcr.io/acme/*"]';
        ctx.error(e.valueLine, path, `must be a non-empty list of image name patterns, e.g. images: ${example}; found ${describe(e.value)}${(0,dist/* isSeq */.oP)(e.value) ? ' (an empty list)' : ''}`);
        return undefined;
    }
    const patterns = [];
    let ok = true;
    for (const [i, item] of e.value.items.entries()) {
        const node = ctx.deref(item);
        const line = ctx.line(item, e.valueLine);
        const v = (0,dist/* isScalar */.jn)(node) ? node.value : undefined;
        if (typeof v !== 'string') {
            ctx.error(line, `${path}[${i}]`, `must be an image name pattern (text); found ${describe(node)}`);
            ok = false;
            continue;
        }
        const problem = imagePatternProblem(v);
        if (problem !== undefined) {
            ctx.error(line, `${path}[${i}]`, problem);
            ok = false;
            continue;
        }
        patterns.push(normaliseImagePattern(v));
    }
    return ok ? patterns : undefined;
}
function parseRule(ctx, item, index) {
    const path = `rules[${index}]`;
    const node = ctx.deref(item);
    const ruleLine = ctx.line(node, ctx.line(item));
    if (!(0,dist/* isMap */.jh)(node)) {
        ctx.error(ruleLine, path, `each rule must be a mapping with "name", "images" and one of "keyless", "key", "allow-unsigned: true"; found ${describe(node)}`);
        return undefined;
    }
    let ok = true;
    let name;
    let nameLine = ruleLine;
    let images;
    let patternLines = [];
    let keyless;
    let key;
    let allowUnsigned;
    const methods = [];
    const seen = new Set();
    for (const e of entries(ctx, node, path, ruleLine)) {
        const fieldPath = join(path, e.key);
        seen.add(e.key);
        switch (e.key) {
            case 'name':
                name = parse_text(ctx, e, fieldPath, 'a text that names the rule in reports');
                nameLine = e.valueLine;
                if (name === undefined)
                    ok = false;
                break;
            case 'images':
                images = parseImages(ctx, e, fieldPath);
                if (images === undefined)
                    ok = false;
                else if ((0,dist/* isSeq */.oP)(e.value))
                    patternLines = e.value.items.map((it) => ctx.line(it, e.valueLine));
                break;
            case 'keyless':
                methods.push({ name: 'keyless', line: e.keyLine });
                keyless = parseKeyless(ctx, e, fieldPath);
                if (keyless === undefined)
                    ok = false;
                break;
            case 'key': {
                methods.push({ name: 'key', line: e.keyLine });
                const v = (0,dist/* isScalar */.jn)(e.value) ? e.value.value : undefined;
                if (typeof v !== 'string') {
                    ctx.error(e.valueLine, fieldPath, `must be a PEM public key (as a block: key: |) or a KMS URI; found ${describe(e.value)}`);
                    ok = false;
                    break;
                }
                const problem = keyProblem(v);
                if (problem !== undefined) {
                    ctx.error(e.valueLine, fieldPath, problem);
                    ok = false;
                }
                else
                    key = v;
                break;
            }
            case 'allow-unsigned': {
                const v = (0,dist/* isScalar */.jn)(e.value) ? e.value.value : undefined;
                if (typeof v !== 'boolean') {
                    ctx.error(e.valueLine, fieldPath, `must be true or false; found ${describe(e.value)}`);
                    ok = false;
                    break;
                }
                allowUnsigned = v;
                if (v)
                    methods.push({ name: 'allow-unsigned: true', line: e.keyLine });
                break;
            }
            default:
                unknownKey(ctx, e, path, RULE_KEYS);
                ok = false;
        }
    }
    if (!seen.has('name')) {
        ctx.error(ruleLine, join(path, 'name'), 'is missing; every rule needs a name, which reports show');
        ok = false;
    }
    if (!seen.has('images')) {
        ctx.error(ruleLine, join(path, 'images'), 'is missing; list the image name patterns the rule covers, e.g. images: ["ghcr.io/acme/*"]');
        ok = false;
    }
    if (methods.length === 0) {
        ctx.error(ruleLine, path, 'says nothing about how to trust the images: give one of "keyless" (who signed), "key" (the public key) or "allow-unsigned: true"');
        ok = false;
    }
    else if (methods.length > 1) {
        const second = methods[1];
        ctx.error(second.line, path, `has ${methods.map((m) => `"${m.name}"`).join(' and ')}; a rule takes exactly one of "keyless", "key" or "allow-unsigned: true" (write two rules if you mean either)`);
        ok = false;
    }
    if (!ok || name === undefined || images === undefined)
        return undefined;
    const rule = { name, images, source: 'file', line: ruleLine };
    if (keyless)
        rule.keyless = keyless;
    if (key !== undefined)
        rule.key = key;
    if (allowUnsigned !== undefined)
        rule.allowUnsigned = allowUnsigned;
    return { index, rule, patternLines, nameLine };
}
function parseRules(ctx, e) {
    if (e.value === null || ((0,dist/* isScalar */.jn)(e.value) && e.value.value === null))
        return [];
    if (!(0,dist/* isSeq */.oP)(e.value)) {
        ctx.error(e.valueLine, 'rules', `must be a list of rules (each item starts with "- name: …"); found ${describe(e.value)}`);
        return [];
    }
    const parsed = [];
    for (const [i, item] of e.value.items.entries()) {
        const p = parseRule(ctx, item, i);
        if (p)
            parsed.push(p);
    }
    const names = new Map();
    for (const p of parsed) {
        const first = names.get(p.rule.name);
        if (first) {
            ctx.error(p.nameLine, `rules[${p.index}].name`, `"${p.rule.name}" is already the name of the rule at line ${first.rule.line}; rule names must be unique because reports name the rule that matched`);
        }
        else
            names.set(p.rule.name, p);
    }
    // A pattern an earlier rule already has can never decide anything: first match wins.
    const earlier = new Map();
    for (const p of parsed) {
        for (const [j, pattern] of p.rule.images.entries()) {
            const owner = earlier.get(pattern) ?? earlier.get('**');
            if (owner && owner !== p) {
                ctx.warn(p.patternLines[j] ?? p.rule.line ?? 1, `rules[${p.index}].images[${j}]`, `"${pattern}" never selects this rule: the rule "${owner.rule.name}" (line ${owner.rule.line}) comes first and matches it`);
            }
        }
        for (const pattern of p.rule.images)
            if (!earlier.has(pattern))
                earlier.set(pattern, p);
    }
    return parsed.map((p) => p.rule);
}
/** Count aliases with the lexer alone, so a file of a million aliases fails before it is composed. */
function aliasOverflowLine(source) {
    let line = 1;
    let aliases = 0;
    for (const token of new dist/* Lexer */.JG().lex(source)) {
        if (dist/* CST */.DB.tokenType(token) === 'alias' && ++aliases > MAX_ALIASES)
            return line;
        for (let i = token.indexOf('\n'); i >= 0; i = token.indexOf('\n', i + 1))
            line++;
    }
    return undefined;
}
function firstLineOf(message) {
    return message.split('\n')[0] ?? message;
}
function failWith(file, line, key, message, cause) {
    throw new PolicyError(file, [{ line, key, message }], cause === undefined ? undefined : { cause });
}
/** Parse and validate a trust policy. Throws PolicyError (a UserError) listing every problem. */
function parsePolicy(source, fileName) {
    const fail = (line, key, message, cause) => failWith(fileName, line, key, message, cause);
    const bytes = Buffer.byteLength(source, 'utf8');
    if (bytes > MAX_POLICY_BYTES) {
        fail(1, '(file)', `is ${bytes} bytes; a trust policy may be at most ${MAX_POLICY_BYTES / 1024} KiB. It holds a few rules: check that the trust-policy input names the right file`);
    }
    const tooManyAt = aliasOverflowLine(source);
    if (tooManyAt !== undefined) {
        fail(tooManyAt, '(file)', `uses more than ${MAX_ALIASES} YAML aliases (*name); a policy needs few, and many can expand exponentially. Write the values out`);
    }
    const lines = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
        throw new PolicyError(fileName, doc.errors.map((err) => {
            const offset = err.pos[0];
            // yaml points at the key's first character only; read the key up to its colon.
            const duplicate = /^(?:"[^"\n]*"|'[^'\n]*'|[^:\n]*)/.exec(source.slice(offset, offset + 200))?.[0];
            const key = err.code === 'DUPLICATE_KEY'
                ? `duplicate key ${JSON.stringify(duplicate?.trim() ?? '')}`
                : 'YAML syntax';
            const hint = err.code === 'DUPLICATE_KEY' ? '; each key may appear once in a mapping' : '';
            return { line: lines.linePos(offset).line, key, message: `${firstLineOf(err.message)}${hint}` };
        }));
    }
    const dangling = [];
    (0,dist/* visit */.YR)(doc, {
        Alias(_key, node) {
            if (node.resolve(doc) === undefined) {
                dangling.push({ line: lines.linePos(node.range?.[0] ?? 0).line, name: node.source });
            }
        },
    });
    if (dangling.length > 0) {
        throw new PolicyError(fileName, dangling.map((d) => ({
            line: d.line,
            key: `*${d.name}`,
            message: `the alias names no anchor; define "&${d.name}" earlier in the file`,
        })));
    }
    try {
        // Only for yaml's expansion check: the walk below reads the document, not this value.
        doc.toJS({ maxAliasCount: MAX_ALIASES, mapAsMap: true });
    }
    catch (err) {
        fail(1, '(file)', `its YAML aliases expand too far (${err instanceof Error ? err.message : String(err)}); write the values out instead of nesting aliases`, err);
    }
    const ctx = new Context(fileName, doc, lines);
    for (const w of doc.warnings) {
        ctx.warn(lines.linePos(w.pos[0]).line, '(yaml)', firstLineOf(w.message));
    }
    const root = ctx.deref(doc.contents);
    const policy = { unmatched: 'warn', rules: [], file: fileName };
    if (root === null || ((0,dist/* isScalar */.jn)(root) && root.value === null)) {
        return fail(1, '(top level)', 'the file is empty; a trust policy is a mapping with "unmatched" (deny, warn or allow) and "rules" (a list)');
    }
    if (!(0,dist/* isMap */.jh)(root)) {
        return fail(ctx.line(root), '(top level)', `must be a mapping with the keys "unmatched" and "rules"; found ${describe(root)}`);
    }
    for (const e of entries(ctx, root, '', 1)) {
        if (e.key === 'unmatched') {
            const action = parseUnmatched(ctx, e);
            if (action)
                policy.unmatched = action;
        }
        else if (e.key === 'rules') {
            policy.rules = parseRules(ctx, e);
        }
        else {
            unknownKey(ctx, e, '', TOP_LEVEL_KEYS);
        }
    }
    if (ctx.problems.length > 0)
        throw new PolicyError(fileName, ctx.problems);
    policy.warnings = ctx.warnings;
    return policy;
}

;// CONCATENATED MODULE: ./src/policy/match.ts
/** Which rule covers an image, and what it requires. */


/** The file's rules first, then the built-in ones; `unmatched` from the file, else `warn`. */
function combinePolicy(file) {
    const combined = {
        unmatched: file?.unmatched ?? 'warn',
        rules: [...(file?.rules ?? []), ...BUILT_IN_RULES],
    };
    if (file?.file !== undefined)
        combined.file = file.file;
    if (file?.warnings !== undefined)
        combined.warnings = file.warnings;
    return combined;
}
/**
 * The repository part of a reference: a digest (`@sha256:…`) and a tag (a `:` after the last `/`)
 * are dropped, so a caller that passes `golang:1.22` by mistake still matches `golang` rules.
 */
function repositoryOf(imageName) {
    const at = imageName.indexOf('@');
    const name = at >= 0 ? imageName.slice(0, at) : imageName;
    const colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}
/** The first rule with a pattern that matches `imageName` (fully qualified, e.g. "gcr.io/distroless/static"). */
function matchRule(policy, imageName) {
    const name = repositoryOf(imageName);
    return policy.rules.find((rule) => rule.images.some((pattern) => globMatch(pattern, name)));
}
function requirementFor(policy, imageName) {
    const rule = matchRule(policy, imageName);
    if (rule === undefined)
        return { kind: 'unmatched', action: policy.unmatched };
    if (rule.keyless !== undefined)
        return { kind: 'keyless', rule, signer: rule.keyless };
    if (rule.key !== undefined)
        return { kind: 'key', rule, key: rule.key };
    if (rule.allowUnsigned === true)
        return { kind: 'allow-unsigned', rule };
    // parsePolicy never yields such a rule; a hand-built one must not be read as "trusted".
    throw new Error(`policy rule "${rule.name}" has neither keyless, key nor allow-unsigned`);
}
/** The rule's name as reports show it: "distroless (built-in)", or the file rule's own name. */
function ruleLabel(rule) {
    return rule.source === 'built-in' ? `${rule.name} (built-in)` : rule.name;
}

;// CONCATENATED MODULE: ./src/policy/index.ts







// EXTERNAL MODULE: ./src/registry/client.ts
var client = __webpack_require__(2440);
;// CONCATENATED MODULE: ./src/pipeline/base-images.ts








/** Reads and validates `trust-policy`; a malformed file is an error naming file, line and key. */
function loadPolicyFile(config) {
    return config.trustPolicy
        ? parsePolicy((0,external_node_fs_.readFileSync)(config.trustPolicy, 'utf8'), config.trustPolicy)
        : undefined;
}
function runnerPlatform(runnerArch) {
    const arch = { X64: 'amd64', ARM64: 'arm64', ARM: 'arm', X86: '386' }[runnerArch] ?? 'amd64';
    return `linux/${arch}`;
}
async function checkBaseImages(config, deps) {
    const text = (0,external_node_fs_.readFileSync)(config.dockerfile, 'utf8');
    const buildPlatform = runnerPlatform(config.github.runnerArch);
    const analysis = analyzeBaseImages(parseDockerfile(text), {
        buildArgs: Object.fromEntries(config.buildArgs.map((a) => [a.key, a.value])),
        ...(config.target ? { target: config.target } : {}),
        buildPlatform,
        targetPlatform: config.platforms[0] ?? buildPlatform,
    });
    const file = config.dockerfileRelative;
    if (analysis.problems.length > 0) {
        throw new errors/* UserError */.yo(analysis.problems.map((p) => `${file}:${p.line}: ${p.message}`).join('\n'));
    }
    const policy = combinePolicy(deps.policyFile ?? loadPolicyFile(config));
    const warnings = (policy.warnings ?? []).map(formatPolicyWarning);
    // One check per distinct image, however many lines name it.
    const distinct = new Map();
    const keyOf = new Map();
    const parseErrors = new Map();
    for (const use of analysis.images) {
        if (use.resolved === null)
            continue;
        const parsed = (0,reference/* tryParseReference */.WF)(use.resolved);
        if (!parsed.ok) {
            parseErrors.set(use, parsed.error);
            continue;
        }
        const key = (0,reference/* formatReference */.FH)(parsed.ref);
        keyOf.set(use, key);
        if (!distinct.has(key)) {
            distinct.set(key, {
                reference: parsed.ref,
                requirement: requirementFor(policy, (0,reference/* repositoryName */.aR)(parsed.ref)),
            });
        }
    }
    const mode = config.verifyBaseImages;
    if (mode !== 'off') {
        await Promise.all([...distinct.values()].map((d) => checkOne(d, deps)));
    }
    const entries = analysis.images.map((use) => {
        const key = keyOf.get(use);
        const d = key ? distinct.get(key) : undefined;
        return entryFor(use, d, parseErrors.get(use), mode);
    });
    // Pin what was checked, in a copy; the original file is never touched.
    let dockerfile = config.dockerfile;
    let pinnedCopy = false;
    if (config.pinBaseImages && mode !== 'off') {
        const edits = analysis.images.flatMap((use, i) => {
            const entry = entries[i];
            const d = keyOf.get(use) ? distinct.get(keyOf.get(use) ?? '') : undefined;
            if (!entry || entry.pinned || !d?.digest || entry.status === 'failed' || entry.status === 'unresolved')
                return [];
            return [{ location: use.location, replacement: (0,reference/* formatReference */.FH)((0,reference/* withDigest */.hQ)(d.reference, d.digest)) }];
        });
        if (edits.length > 0) {
            (0,external_node_fs_.mkdirSync)(deps.workDir, { recursive: true });
            dockerfile = (0,external_node_path_.join)(deps.workDir, `${(0,external_node_path_.basename)(config.dockerfile)}.pinned`);
            (0,external_node_fs_.writeFileSync)(dockerfile, rewriteReferences(text, edits));
            // BuildKit reads `<Dockerfile>.dockerignore` beside the Dockerfile before the context's own.
            const ignore = `${config.dockerfile}.dockerignore`;
            if ((0,external_node_fs_.existsSync)(ignore))
                (0,external_node_fs_.copyFileSync)(ignore, `${dockerfile}.dockerignore`);
            pinnedCopy = true;
        }
    }
    const annotations = annotationsFor(entries, analysis.images, distinct, keyOf, config, text);
    const failures = entries.filter((e) => isFailure(e, mode, policy.unmatched));
    const pinningFailures = config.digestPinning === 'enforce' ? entries.filter((e) => !e.pinned && e.status !== 'unresolved') : [];
    const finalBaseKey = analysis.finalBase ? keyOf.get(analysis.finalBase) : undefined;
    const finalDistinct = finalBaseKey ? distinct.get(finalBaseKey) : undefined;
    const result = {
        entries,
        dockerfile,
        pinnedCopy,
        annotations,
        warnings,
        verifiedCount: entries.filter((e) => e.status === 'verified').length,
        ...(finalDistinct
            ? {
                finalBase: {
                    name: (0,reference/* formatReference */.FH)({ ...finalDistinct.reference, digest: undefined }),
                    ...(finalDistinct.digest ? { digest: finalDistinct.digest } : {}),
                    ...(analysis.finalBase ? { line: analysis.finalBase.line } : {}),
                },
            }
            : {}),
    };
    if (mode === 'enforce' && failures.length > 0) {
        throw new BaseImageFailure(`${failures.length} base ${failures.length === 1 ? 'image does' : 'images do'} not meet the trust policy:\n` +
            failures
                .map((e) => `- ${file}:${e.line}: ${e.image ?? e.ref} (${e.rule ?? 'no rule'}): ${e.reason ?? e.status}`)
                .join('\n'), result);
    }
    if (pinningFailures.length > 0) {
        throw new BaseImageFailure(`\`digest-pinning: enforce\`: ${pinningFailures.length} base image reference${pinningFailures.length === 1 ? ' is' : 's are'} not pinned to a digest:\n` +
            pinningFailures
                .map((e) => `- ${file}:${e.line}: ${e.ref}${e.digest ? ` → pin it as ${suggestPinned(e)}` : ''}`)
                .join('\n'), result);
    }
    return result;
}
/** A failed stage that still has its entries to report. */
class BaseImageFailure extends errors/* UserError */.yo {
    result;
    constructor(message, result) {
        super(message);
        this.result = result;
    }
}
async function checkOne(d, deps) {
    const ref = d.reference;
    try {
        if (ref.digest)
            d.digest = ref.digest;
        else {
            const head = await deps.registry.headManifest(ref.registry, ref.repository, ref.tag ?? 'latest');
            if (!head)
                throw new errors/* UserError */.yo(`${(0,reference/* formatReference */.FH)(ref)} does not exist in the registry`);
            if (!/^sha256:[0-9a-f]{64}$/.test(head.digest))
                throw new errors/* UserError */.yo(`the registry gave no digest for ${(0,reference/* formatReference */.FH)(ref)}`);
            d.digest = head.digest;
        }
    }
    catch (error) {
        d.failure = `could not resolve the digest: ${(0,errors/* errorMessage */.gJ)(error)}`;
        return;
    }
    const req = d.requirement;
    if (req.kind !== 'keyless' && req.kind !== 'key')
        return;
    const signer = req.kind === 'key'
        ? { kind: 'key', key: keyArgument(req.key, deps.workDir) }
        : {
            kind: 'keyless',
            ...(req.signer.identity !== undefined ? { identity: req.signer.identity } : {}),
            ...(req.signer.identityRegexp !== undefined ? { identityRegexp: req.signer.identityRegexp } : {}),
            ...(req.signer.issuer !== undefined ? { issuer: req.signer.issuer } : {}),
            ...(req.signer.issuerRegexp !== undefined ? { issuerRegexp: req.signer.issuerRegexp } : {}),
        };
    const options = {
        cosign: await deps.cosign(),
        env: deps.cosignEnv,
        insecure: (0,client/* isLoopbackRegistry */.jW)(ref.registry),
        timeoutMs: deps.verifyTimeoutMs ?? 300_000,
        ...(deps.verifyAttempts !== undefined ? { attempts: deps.verifyAttempts } : {}),
    };
    try {
        const verified = await (0,verify/* verifyImageSignature */.r3)(`${ref.registry}/${ref.repository}@${d.digest}`, signer, options);
        d.verified = true;
        d.signers = verified.signers;
    }
    catch (error) {
        d.failure =
            error instanceof verify/* SignatureRejected */.pv
                ? `signature check failed: ${error.reason}`
                : `signature check could not complete: ${(0,errors/* errorMessage */.gJ)(error)}`;
    }
}
/** A PEM public key from the policy goes to cosign as a file; URIs (KMS, env://) as they are. */
function keyArgument(key, workDir) {
    if (!key.includes('-----BEGIN'))
        return key;
    (0,external_node_fs_.mkdirSync)(workDir, { recursive: true });
    const hash = Buffer.from(key).toString('base64url').slice(-16);
    const path = (0,external_node_path_.join)(workDir, `policy-key-${hash}.pub`);
    (0,external_node_fs_.writeFileSync)(path, key.endsWith('\n') ? key : `${key}\n`);
    return path;
}
function entryFor(use, d, parseError, mode) {
    // Keys in the order the interface document lists them, so the JSON reads the same.
    const entry = (fields) => ({
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
    const signer = req.kind === 'keyless' && d.verified
        ? (d.signers?.[0] ?? {
            identity: req.signer.identity ?? req.signer.identityRegexp ?? '',
            issuer: req.signer.issuer ?? req.signer.issuerRegexp ?? '',
        })
        : null;
    const common = { image: (0,reference/* formatReference */.FH)(d.reference), digest: d.digest ?? null, rule, signer };
    if (mode === 'off')
        return entry({ ...common, status: 'skipped', reason: '`verify-base-images: off`' });
    if (d.failure)
        return entry({ ...common, status: 'failed', reason: d.failure });
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
                reason: `no policy rule matches ${(0,reference/* repositoryName */.aR)(d.reference)} (unmatched: ${req.action})`,
            });
    }
}
function isFailure(e, mode, unmatched) {
    if (mode === 'off')
        return false;
    if (e.status === 'failed' || e.status === 'unresolved')
        return true;
    return e.status === 'unmatched' && unmatched === 'deny';
}
function suggestPinned(e) {
    if (!e.image || !e.digest)
        return e.ref;
    const parsed = (0,reference/* tryParseReference */.WF)(e.image);
    return parsed.ok ? (0,reference/* formatReference */.FH)((0,reference/* withDigest */.hQ)(parsed.ref, e.digest)) : e.ref;
}
function annotationsFor(entries, uses, distinct, keyOf, config, text) {
    const out = [];
    const lines = text.split(/\r?\n/);
    const file = config.dockerfileRelative;
    const policyUnmatched = (d) => d?.requirement.kind === 'unmatched' ? d.requirement.action : undefined;
    entries.forEach((e, i) => {
        const use = uses[i];
        if (!use)
            return;
        const d = distinct.get(keyOf.get(use) ?? '');
        const failing = isFailure(e, config.verifyBaseImages, policyUnmatched(d) ?? 'warn');
        if (failing) {
            out.push({
                level: config.verifyBaseImages === 'enforce' ? 'error' : 'warning',
                file,
                line: e.line,
                title: `Base image ${e.status === 'unresolved' ? 'unresolved' : 'not trusted'}`,
                message: `${e.image ?? e.ref}: ${e.reason ?? e.status}${e.rule ? ` (rule: ${e.rule})` : ''}`,
            });
        }
        else if (e.status === 'unmatched' && policyUnmatched(d) === 'warn') {
            out.push({
                level: 'warning',
                file,
                line: e.line,
                title: 'Base image matches no policy rule',
                message: `${e.image ?? e.ref}: ${e.reason ?? ''}`,
            });
        }
        if (!e.pinned && e.status !== 'unresolved' && config.digestPinning !== 'off') {
            const source = lines[use.location.line - 1] ?? '';
            const pinnedRef = suggestPinned(e);
            const suggestion = e.digest && use.location.line === e.line
                ? `${source.slice(0, use.location.column)}${pinnedRef}${source.slice(use.location.endColumn)}`.trim()
                : undefined;
            out.push({
                level: config.digestPinning === 'enforce' ? 'error' : 'warning',
                file,
                line: e.line,
                title: 'Base image not pinned to a digest',
                message: suggestion
                    ? `${e.ref} can change under you. Pin it:\n${suggestion}`
                    : `${e.ref} is not pinned to a digest${e.digest ? `; it resolved to ${e.digest}` : ''}.`,
            });
        }
    });
    return out;
}


/***/ })

};
