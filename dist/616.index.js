export const id = 616;
export const ids = [616];
export const modules = {

/***/ 2974:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H$: () => (/* binding */ verifyArgs),
/* harmony export */   hE: () => (/* binding */ registryFlags),
/* harmony export */   w0: () => (/* binding */ signerFlags),
/* harmony export */   xt: () => (/* binding */ verifyAttestationArgs)
/* harmony export */ });
/** cosign argv, built from typed requests. Pure: tests read these tables against cosign's reference pages. */
/** `--trusted-root` and the checks a private instance cannot give, each flag once. */
function trustFlags(trust, keyless, ignoreTlog) {
    return [
        ...(trust ? ['--trusted-root', trust.trustedRoot] : []),
        ...(keyless && trust?.ignoreSct ? ['--insecure-ignore-sct=true'] : []),
        ...(ignoreTlog || trust?.ignoreTlog ? ['--insecure-ignore-tlog=true'] : []),
        ...(trust?.signedTimestamps ? ['--use-signed-timestamps=true'] : []),
    ];
}
function signerFlags(signer) {
    if (signer.kind === 'key')
        return ['--key', signer.key, ...trustFlags(signer.trust, false, signer.ignoreTlog === true)];
    const flags = [];
    if (signer.identity !== undefined)
        flags.push('--certificate-identity', signer.identity);
    if (signer.identityRegexp !== undefined)
        flags.push('--certificate-identity-regexp', signer.identityRegexp);
    if (signer.issuer !== undefined)
        flags.push('--certificate-oidc-issuer', signer.issuer);
    if (signer.issuerRegexp !== undefined)
        flags.push('--certificate-oidc-issuer-regexp', signer.issuerRegexp);
    return [...flags, ...trustFlags(signer.trust, true, false)];
}
/** Registries on loopback speak plain HTTP; cosign must be told, as for any registry without TLS. */
function registryFlags(insecure) {
    return insecure ? ['--allow-http-registry', '--allow-insecure-registry'] : [];
}
function verifyArgs(reference, signer, insecure) {
    if (!reference.includes('@sha256:'))
        throw new Error(`cosign verify needs a digest reference, got ${reference}`);
    return ['verify', ...signerFlags(signer), ...registryFlags(insecure), '--output', 'json', reference];
}
/** `cosign verify-attestation --type <type>`: an attestation of that predicate type, from `signer`, on the digest. */
function verifyAttestationArgs(reference, signer, type, insecure) {
    if (!reference.includes('@sha256:'))
        throw new Error(`cosign verify-attestation needs a digest reference, got ${reference}`);
    return [
        'verify-attestation',
        '--type',
        type,
        ...signerFlags(signer),
        ...registryFlags(insecure),
        '--output',
        'json',
        reference,
    ];
}


/***/ }),

/***/ 7192:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ac: () => (/* binding */ countLeadingGoSpace),
/* harmony export */   DG: () => (/* binding */ isGoLetter),
/* harmony export */   EU: () => (/* binding */ isAsciiBlank),
/* harmony export */   F5: () => (/* binding */ isGoSpace),
/* harmony export */   Yx: () => (/* binding */ isGoDigit),
/* harmony export */   o0: () => (/* binding */ trimEndGoSpace),
/* harmony export */   oJ: () => (/* binding */ charAt)
/* harmony export */ });
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


/***/ }),

/***/ 649:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   M0: () => (/* binding */ parseEnvDeclarations),
/* harmony export */   xO: () => (/* binding */ parseArgDeclarations)
/* harmony export */ });
/* unused harmony export parseWords */
/* harmony import */ var _chars_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7192);
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
            if ((0,_chars_js__WEBPACK_IMPORTED_MODULE_0__/* .isGoSpace */ .F5)(ch))
                continue;
            phase = 'word';
        }
        if (pos === rest.length) {
            if (blankOk || word.length > 0)
                words.push(word);
            break;
        }
        if (phase === 'word') {
            if ((0,_chars_js__WEBPACK_IMPORTED_MODULE_0__/* .isGoSpace */ .F5)(ch)) {
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
        while (i < rest.length && !(0,_chars_js__WEBPACK_IMPORTED_MODULE_0__/* .isAsciiBlank */ .EU)(rest[i]))
            i++;
        const key = rest.slice(0, i);
        while (i < rest.length && (0,_chars_js__WEBPACK_IMPORTED_MODULE_0__/* .isAsciiBlank */ .EU)(rest[i]))
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


/***/ }),

/***/ 5204:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SD: () => (/* binding */ containersDialects),
/* harmony export */   d: () => (/* binding */ HEREDOCS_SINCE),
/* harmony export */   i3: () => (/* binding */ frontendGrammar),
/* harmony export */   iz: () => (/* binding */ frontendDialects),
/* harmony export */   jd: () => (/* binding */ containersDialect),
/* harmony export */   w3: () => (/* binding */ BUILDKIT_DIALECT)
/* harmony export */ });
/** docker/dockerfile 1.8 and later, and the parser's default. */
const BUILDKIT_DIALECT = {
    name: 'BuildKit (docker/dockerfile 1.8 or later)',
    heredocs: true,
    directives: ['syntax', 'escape', 'check'],
    continuation: 'strict',
};
/** The grammars of the docker/dockerfile frontend, by the first version that reads the file that way. */
const FRONTEND_GRAMMARS = [
    { since: [1, 8], heredocs: true, directives: ['syntax', 'escape', 'check'], continuation: 'strict' },
    { since: [1, 4], heredocs: true, directives: ['syntax', 'escape'], continuation: 'strict' },
    { since: [1, 3], labs: true, heredocs: true, directives: ['syntax', 'escape'], continuation: 'strict' },
    { since: [1, 2], heredocs: false, directives: ['syntax', 'escape'], continuation: 'strict' },
    { since: [0, 0], heredocs: false, directives: 'legacy', continuation: 'legacy' },
];
/** buildah and podman read with imagebuilder; heredocs from buildah 1.33.0 and podman 4.8.0. */
const HEREDOCS_SINCE = {
    buildah: [1, 33],
    podman: [4, 8],
};
function atLeast(version, since) {
    const [major = 0, minor = 0] = version;
    return major > since[0] || (major === since[0] && minor >= since[1]);
}
/** The grammar of a buildah or podman of this version. */
function containersDialect(builder, version) {
    const heredocs = atLeast(version, HEREDOCS_SINCE[builder]);
    return {
        name: `${builder} ${version.join('.')}${heredocs ? '' : ' (no heredocs)'}`,
        heredocs,
        directives: 'legacy',
        continuation: 'legacy',
    };
}
/** Every grammar a buildah or podman of some version reads with: the union when its version is not known. */
function containersDialects(builder) {
    const [major, minor] = HEREDOCS_SINCE[builder];
    return [
        { ...containersDialect(builder, [major, minor]), name: `${builder} ${major}.${minor} or later` },
        {
            ...containersDialect(builder, [major, minor - 1]),
            name: `${builder} before ${major}.${minor} (no heredocs)`,
        },
    ];
}
/** Every grammar of the docker/dockerfile frontend, newest first. */
function frontendDialects() {
    return FRONTEND_GRAMMARS.map((g, i) => ({
        name: i === 0
            ? BUILDKIT_DIALECT.name
            : `docker/dockerfile ${g.since[0] === 0 ? '1.0–1.1' : `${g.since.join('.')}${g.labs ? '-labs' : ''}`}`,
        heredocs: g.heredocs,
        directives: g.directives,
        continuation: g.continuation,
    }));
}
/** The frontend images whose grammar is known: Docker's own, on Docker Hub. */
const KNOWN_FRONTENDS = new Set(['docker/dockerfile', 'docker/dockerfile-upstream']);
/**
 * The grammar of a frontend image as `# syntax=` or BUILDKIT_SYNTAX names it: `docker/dockerfile:1.3` (no heredocs),
 * `docker/dockerfile:1`, `:1.4`, `:latest`, `:labs`, `:1.3-labs` (heredocs); written with a digest (`…@sha256:…`), any of
 * its grammars: the digest, not the tag beside it, decides which frontend runs. The gate pins a tag to the digest it
 * checked, so a tag alone names the version that runs.
 */
function frontendGrammar(image) {
    const m = /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/)?([^:@]+)(?::([^@]+))?(?:@(.+))?$/.exec(image);
    const repository = m?.[1];
    if (m === null || repository === undefined || !KNOWN_FRONTENDS.has(repository))
        return { kind: 'unknown' };
    const tag = m[2];
    // With a digest, the digest decides what runs and a tag beside it is only a word the file chose: any version.
    if (m[3] !== undefined)
        return { kind: 'any-version', dialects: frontendDialects() };
    if (tag === undefined)
        return known(image, 0);
    const version = /^(\d+)(?:\.(\d+))?(?:\.\d+)?(?:-rc\d+)?(-labs|-experimental)?$/.exec(tag);
    if (version === null) {
        // latest, labs, master, master-labs, nightly…: the newest grammar; any other word is no version we know.
        return /^(latest|labs|master|master-labs|nightly|mainline|mainline-labs)$/.test(tag)
            ? known(image, 0)
            : { kind: 'any-version', dialects: frontendDialects() };
    }
    const major = Number(version[1]);
    // `1` alone is the newest 1.x; a minor version below what we list reads as the oldest grammar.
    const minor = version[2] === undefined ? Number.POSITIVE_INFINITY : Number(version[2]);
    const labs = version[3] === '-labs';
    const index = FRONTEND_GRAMMARS.findIndex((g) => (!g.labs || labs) && (major > g.since[0] || (major === g.since[0] && minor >= g.since[1])));
    return known(image, index < 0 ? FRONTEND_GRAMMARS.length - 1 : index);
}
function known(image, index) {
    const dialect = frontendDialects()[index] ?? BUILDKIT_DIALECT;
    return {
        kind: 'known',
        dialect: { ...dialect, name: `${image} (${dialect.heredocs ? 'heredocs' : 'no heredocs'})` },
    };
}


/***/ }),

/***/ 845:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ix: () => (/* reexport */ analyzeReadings),
  Dh: () => (/* reexport */ detectSyntax),
  Ai: () => (/* reexport */ parseDockerfile),
  lk: () => (/* reexport */ rewriteReferences)
});

// UNUSED EXPORTS: BUILDKIT_DIALECT, analyzeBaseImages, containersDialect, containersDialects, formatPlatform, frontendDialects, frontendGrammar, parsePlatform, platformArgs

// EXTERNAL MODULE: ./src/dockerfile/chars.ts
var chars = __webpack_require__(7192);
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
        while (pos < to && (0,chars/* isGoSpace */.F5)(line[pos] ?? ''))
            pos++;
        if (pos >= to)
            return { flags, restStart: to };
        if (line[pos] !== '-' || pos + 1 >= to || line[pos + 1] !== '-')
            return { flags, restStart: pos };
        let end = pos;
        let plain = true;
        while (end < to) {
            const c = line[end] ?? '';
            if ((0,chars/* isGoSpace */.F5)(c))
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
            while (end < to && (0,chars/* isGoSpace */.F5)(line[end] ?? ''))
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
            if ((0,chars/* isGoSpace */.F5)(ch))
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
            if ((0,chars/* isGoSpace */.F5)(ch)) {
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

// EXTERNAL MODULE: ./src/dockerfile/dialect.ts
var dockerfile_dialect = __webpack_require__(5204);
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
 *
 * Why not the RE2 globs of src/policy/glob.ts (image patterns, path globs): those answer yes or no for a
 * whole text, each under its own instruction cap. Here the answer is where matches start and end (the
 * shortest or longest prefix or suffix, every replacement position), for a value that earlier expansions
 * may have made large, and all of it is charged to one budget for the whole Dockerfile, which is what
 * keeps 10,000 expansions of a doubling ARG bounded (__tests__/dockerfile/hostile.test.ts).
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
        if ((0,chars/* isGoSpace */.F5)(ch)) {
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
            const ch = (0,chars/* charAt */.oJ)(src, this.pos);
            if (name.length === 0 && (0,chars/* isGoDigit */.Yx)(ch)) {
                while (this.pos < src.length) {
                    const d = (0,chars/* charAt */.oJ)(src, this.pos);
                    if (!(0,chars/* isGoDigit */.Yx)(d))
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
            if (!(0,chars/* isGoLetter */.DG)(ch) && !(0,chars/* isGoDigit */.Yx)(ch) && ch !== '_')
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
 *
 * Another builder's grammar (a `Dialect`: buildah or podman, an older `# syntax` frontend) changes three things:
 * whether heredocs exist, which parser directives are read, and whether an escaped escape continues a line.
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
    return s[(0,chars/* countLeadingGoSpace */.Ac)(s)] === '#';
}
/**
 * The line-continuation rule: `([^E])E[ \t]*$|^E[ \t]*$` with E the escape token; in the legacy grammar `E[ \t]*$`,
 * so an escaped escape character continues the line too.
 */
function continuation(s, escape, rule) {
    let j = s.length - 1;
    while (j >= 0 && (s[j] === ' ' || s[j] === '\t'))
        j--;
    if (j < 0 || s[j] !== escape)
        return { kept: s, continued: false };
    if (j === 0)
        return { kept: '', continued: true };
    if (rule === 'strict' && s[j - 1] === escape)
        return { kept: s, continued: false };
    return { kept: s.slice(0, j), continued: true };
}
/** imagebuilder's (and docker/dockerfile 1.0–1.1's) only directive: `^#[ \t]*escape[ \t]*=[ \t]*(.).*$`, lower-cased. */
const LEGACY_ESCAPE = /^#[ \t]*escape[ \t]*=[ \t]*(.)/;
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
        while (i < to && (0,chars/* isAsciiBlank */.EU)(text[i]))
            i++;
        if (i >= to)
            break;
        const s = i;
        while (i < to && !(0,chars/* isAsciiBlank */.EU)(text[i]))
            i++;
        out.push([s, i]);
    }
    return out;
}
/** parseJSON: a JSON array of strings, or not JSON at all (then the shell form applies). */
function parseJsonForm(rest) {
    const trimmed = rest.slice((0,chars/* countLeadingGoSpace */.Ac)(rest));
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
    dialect;
    reader;
    problems = [];
    instructions = [];
    escape = '\\';
    directivesDone = false;
    seenDirectives = new Set();
    checkDirective;
    directiveNames;
    constructor(text, dialect) {
        this.text = text;
        this.dialect = dialect;
        this.reader = new LineReader(text);
        this.directiveNames = dialect.directives === 'legacy' ? 'legacy' : new Set(dialect.directives);
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
        if (this.directiveNames === 'legacy') {
            this.legacyDirective(token, lineNo);
            return;
        }
        const m = matchDirective(token);
        if (m === null) {
            this.directivesDone = true;
            return;
        }
        const key = m.key.toLowerCase();
        if (!this.directiveNames.has(key)) {
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
    /** imagebuilder's possibleParserDirective: `# escape=` only, its first character; anything else ends the directives. */
    legacyDirective(token, lineNo) {
        const m = LEGACY_ESCAPE.exec(token.toLowerCase());
        if (m === null) {
            this.directivesDone = true;
            return;
        }
        if (this.seenDirectives.has('escape')) {
            problem(this.problems, lineNo, 'only one escape parser directive can be used');
            return;
        }
        this.seenDirectives.add('escape');
        const value = m[1] ?? '';
        if (value === '\\' || value === '`')
            this.escape = value;
        else
            problem(this.problems, lineNo, `invalid escape token '${value}' does not match \` or \\`);
    }
    run() {
        for (;;) {
            const first = this.reader.next();
            if (first === undefined)
                return;
            const content = trimNewline(first.raw);
            const bom = first.lineNo === 1 && content.startsWith('\uFEFF') ? 1 : 0;
            const tokenStart = bom + (0,chars/* countLeadingGoSpace */.Ac)(content, bom);
            const token = content.slice(tokenStart);
            this.directive(token, first.lineNo);
            if (token.length === 0 || token.startsWith('#'))
                continue;
            const logical = new LogicalLine();
            let cont = continuation(token, this.escape, this.dialect.continuation);
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
                if ((0,chars/* countLeadingGoSpace */.Ac)(text) === text.length)
                    continue;
                cont = continuation(text, this.escape, this.dialect.continuation);
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
        if (!this.dialect.heredocs || !line.includes('<<'))
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
        const s = Math.min(to, from + (0,chars/* countLeadingGoSpace */.Ac)(L, from));
        const e = (0,chars/* trimEndGoSpace */.o0)(L, s, to);
        if (s >= e) {
            problem(this.problems, line, 'a line continuation is followed by no instruction');
            return undefined;
        }
        let k = s;
        while (k < e && !(0,chars/* isAsciiBlank */.EU)(L[k]))
            k++;
        const cmd = L.slice(s, k).toLowerCase();
        let rawFlags = [];
        let restStart = e;
        if (k < e) {
            let j = k;
            while (j < e && (0,chars/* isAsciiBlank */.EU)(L[j]))
                j++;
            const extracted = extractFlags(L, j, e);
            rawFlags = extracted.flags;
            restStart = Math.min(e, extracted.restStart + (0,chars/* countLeadingGoSpace */.Ac)(L, extracted.restStart));
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
/** Parses `text` as a builder of `dialect` reads it (BuildKit's current grammar unless said otherwise). */
function parseDockerfile(text, dialect = dockerfile_dialect/* BUILDKIT_DIALECT */.w3) {
    return new Parser(text, dialect).parse();
}

// EXTERNAL MODULE: ./src/image/reference.ts
var reference = __webpack_require__(3564);
// EXTERNAL MODULE: ./src/dockerfile/declarations.ts
var dockerfile_declarations = __webpack_require__(649);
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
        const collected = this.collect(counted);
        const finalBase = this.finalBase(target, counted);
        const { images, unverified } = this.applyNamedContexts(collected);
        const analysis = {
            images,
            stages: this.stages.map((s) => s.summary),
            targetStage: target,
            onbuild: this.onbuildList(counted),
            problems: this.problems.sort((a, b) => a.line - b.line),
            warnings: this.warnings.sort((a, b) => a.line - b.line),
        };
        if (finalBase !== undefined && images.includes(finalBase))
            analysis.finalBase = finalBase;
        if (unverified.length > 0)
            analysis.unverifiedContexts = unverified;
        return analysis;
    }
    /**
     * Named build contexts, which BuildKit looks up before any image: by the name as written, or in its short form
     * (`docker.io/library/alpine:latest` is `alpine`). A stage cannot be replaced here: its image would escape the check.
     */
    applyNamedContexts(images) {
        const contexts = this.options.namedContexts ?? {};
        const unverified = new Map();
        for (const name of Object.keys(contexts)) {
            const stage = this.finalNames.get(name.toLowerCase());
            if (stage !== undefined)
                this.problem(this.stages[stage]?.summary.line ?? 0, `build-contexts: "${name}" names a stage of this Dockerfile; replacing a stage with a named context is not supported (its image would not be checked). Rename the stage or the context.`);
        }
        const kept = images.filter((use) => {
            if (use.kind === 'syntax' || use.resolved === null)
                return true;
            const name = [use.resolved, familiarName(use.resolved)].find((n) => contexts[n] !== undefined);
            if (name === undefined)
                return true;
            const value = contexts[name] ?? '';
            if (value.startsWith('docker-image://')) {
                use.kind = 'context';
                use.context = name;
                use.resolved = value.slice('docker-image://'.length);
                return true;
            }
            const entry = unverified.get(name) ?? { name, value, lines: [] };
            if (!entry.lines.includes(use.line))
                entry.lines.push(use.line);
            unverified.set(name, entry);
            return false;
        });
        return { images: kept, unverified: [...unverified.values()] };
    }
    problem(line, message) {
        this.problems.push({ line, message });
    }
    warn(line, message) {
        this.warnings.push({ line, message });
    }
    globalArg(ins) {
        const { declarations, error } = (0,dockerfile_declarations/* parseArgDeclarations */.xO)(ins.rest, this.escape);
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
        const { declarations, error } = (0,dockerfile_declarations/* parseArgDeclarations */.xO)(ins.rest, this.escape);
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
        const values = (0,dockerfile_declarations/* parseEnvDeclarations */.M0)(ins.rest, this.escape).map((d) => {
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
/** BuildKit's short form of a reference: no `docker.io/library/`, no `:latest`. */
function familiarName(reference) {
    const short = reference.replace(/^(?:docker\.io|index\.docker\.io)\/(?:library\/(?=[^/]+$))?/, '');
    return short.includes('@') ? short : short.replace(/:latest$/, '');
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

;// CONCATENATED MODULE: ./src/dockerfile/readings.ts



/**
 * The base images of `text` as builders of each of `dialects` read it, gated as one: a FROM (or --from, from=) that
 * any of the readings finds is in `images`, so a line one grammar reads as a heredoc body and another as an
 * instruction is checked either way (fail closed when the builder's grammar is not known).
 *
 * The first reading is the build's: its problems stop the run, its stages and final base are reported, and the pinned
 * copy edits its references. A use only another reading finds is added with `reading` saying who reads it, and is not
 * pinned: rewriting it would change a heredoc's text in the first reading. Another reading's problems are not the
 * run's (that builder would refuse the file, which builds nothing); a FROM it reads without one or three arguments
 * (`FROM <image> [AS <name>]`) is left out for the same reason: every grammar refuses that stage before pulling its image
 * (a Python `from x import y` in a heredoc is such a line).
 *
 * When the build's grammar is not BuildKit's, a use that BuildKit's grammar does not read gets `reading` too, so the
 * user sees why a line inside a heredoc is taken for a FROM.
 */
function analyzeReadings(text, dialects, options) {
    const [first = dockerfile_dialect/* BUILDKIT_DIALECT */.w3, ...others] = dialects;
    const analysis = analyzeBaseImages(parseDockerfile(text, first), options);
    const seen = new Set(analysis.images.map(useKey));
    if (!others.some((d) => sameGrammar(d, dockerfile_dialect/* BUILDKIT_DIALECT */.w3)) && !sameGrammar(first, dockerfile_dialect/* BUILDKIT_DIALECT */.w3)) {
        const buildkit = new Set(readUses(text, dockerfile_dialect/* BUILDKIT_DIALECT */.w3, options).map(useKey));
        for (const use of analysis.images)
            if (use.kind !== 'syntax' && !buildkit.has(useKey(use)))
                use.reading = { by: first.name, notBy: dockerfile_dialect/* BUILDKIT_DIALECT */.w3.name };
    }
    const extra = [];
    // Dialects of one grammar read the file alike: each grammar is read once.
    const read = [first];
    for (const dialect of others) {
        if (read.some((d) => sameGrammar(d, dialect)))
            continue;
        read.push(dialect);
        for (const use of readUses(text, dialect, options)) {
            const key = useKey(use);
            if (use.kind === 'syntax' || seen.has(key))
                continue;
            seen.add(key);
            use.reading = { by: dialect.name, notBy: first.name };
            extra.push(use);
        }
    }
    if (extra.length === 0)
        return analysis;
    const [syntax, rest] = [
        analysis.images.filter((u) => u.kind === 'syntax'),
        analysis.images.filter((u) => u.kind !== 'syntax'),
    ];
    const images = [
        ...syntax,
        ...[...rest, ...extra].sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column),
    ];
    return { ...analysis, images };
}
/** The uses another reading finds, without those of FROM lines every builder refuses. */
function readUses(text, dialect, options) {
    const parsed = parseDockerfile(text, dialect);
    const refused = new Set(parsed.instructions.filter(malformedFrom).map((i) => i.line));
    return analyzeBaseImages(parsed, options).images.filter((u) => !(u.kind === 'from' && refused.has(u.line)));
}
/** `FROM` with other than one argument, or three with `AS` in the middle. */
function malformedFrom(ins) {
    if (ins.keyword !== 'FROM')
        return false;
    const n = ins.args.length;
    return !(n === 1 || (n === 3 && (ins.args[1]?.value ?? '').toLowerCase() === 'as'));
}
function sameGrammar(a, b) {
    return (a.heredocs === b.heredocs &&
        a.continuation === b.continuation &&
        JSON.stringify(a.directives) === JSON.stringify(b.directives));
}
/** A use is the same in two readings when the same text at the same place names the same image. */
function useKey(use) {
    const { line, column } = use.location;
    return `${use.kind} ${line}:${column} ${use.resolved ?? `?${use.ref}`} ${use.context ?? ''}`;
}

;// CONCATENATED MODULE: ./src/dockerfile/index.ts








/***/ }),

/***/ 5157:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   J: () => (/* binding */ BUILT_IN_RULES)
/* harmony export */ });
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


/***/ }),

/***/ 6622:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   N6: () => (/* binding */ isFailure),
/* harmony export */   cy: () => (/* binding */ entryFor),
/* harmony export */   "do": () => (/* binding */ whereUsed),
/* harmony export */   pn: () => (/* binding */ suggestPinned)
/* harmony export */ });
/* harmony import */ var _image_reference_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3564);
/* harmony import */ var _index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1057);


/** The `base-images` output entry of one use of an image, from what its check found. */
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
    const rule = req.kind === 'unmatched' ? null : (0,_index_js__WEBPACK_IMPORTED_MODULE_1__/* .ruleLabel */ .Do)(req.rule);
    // The identity on the certificate when cosign printed it; else what the rule demanded, which cosign enforced.
    const signer = req.kind === 'keyless' && d.verified
        ? (d.signers?.[0] ?? {
            identity: req.signer.identity ?? req.signer.identityRegexp ?? '',
            issuer: req.signer.issuer ?? req.signer.issuerRegexp ?? '',
        })
        : null;
    const common = { image: (0,_image_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .formatReference */ .FH)(d.reference), digest: d.digest ?? null, rule, signer };
    if (mode === 'off')
        return entry({ ...common, status: 'skipped', reason: '`verify-base-images: off`' });
    if (d.failure)
        return entry({ ...common, status: 'failed', reason: d.failure });
    switch (req.kind) {
        case 'keyless':
            return entry({ ...common, status: 'verified', reason: null });
        case 'key':
            return entry({
                ...common,
                status: 'verified',
                reason: req.rule.tlog === false
                    ? `verified by the rule's key without a transparency-log entry (rule "${rule ?? ''}" has tlog: false)`
                    : null,
            });
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
                reason: `no policy rule matches ${(0,_image_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .repositoryName */ .aR)(d.reference)} (unmatched: ${req.action})`,
            });
    }
}
/** Whether an entry fails the stage under `mode` (`unmatched` is the policy's `unmatched` action). */
function isFailure(e, mode, unmatched) {
    if (mode === 'off')
        return false;
    if (e.status === 'failed' || e.status === 'unresolved')
        return true;
    return e.status === 'unmatched' && unmatched === 'deny';
}
/** The entry's reference with the digest it resolved to: the line to paste. */
function suggestPinned(e) {
    if (!e.image || !e.digest)
        return e.ref;
    const parsed = (0,_image_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .tryParseReference */ .WF)(e.image);
    return parsed.ok ? (0,_image_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .formatReference */ .FH)((0,_image_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .withDigest */ .hQ)(parsed.ref, e.digest)) : e.ref;
}
/** `Dockerfile:line`, or the build-arg for the frontend image BUILDKIT_SYNTAX names (line 0: not in the file). */
function whereUsed(e, file) {
    return e.kind === 'syntax' && e.line === 0 ? 'build-arg BUILDKIT_SYNTAX' : `${file}:${e.line}`;
}


/***/ }),

/***/ 4062:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Kq: () => (/* binding */ normaliseImagePattern),
/* harmony export */   SO: () => (/* binding */ compileGlob),
/* harmony export */   eu: () => (/* binding */ globMatch),
/* harmony export */   lx: () => (/* binding */ imagePatternProblem)
/* harmony export */ });
/* unused harmony export globToRegExp */
/* harmony import */ var _re2_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9448);
/**
 * The two glob dialects this action matches untrusted names and paths with, both translated to RE2 and run
 * by src/policy/re2.ts (linear in the text for any pattern; a backtracking RegExp of `*a*a*a…*c` runs for
 * minutes on a 40-character name):
 * - image patterns of the trust policy ({@link globMatch}): `*` within one path segment, `**` across
 *   segments, everything else literal, matched against the fully qualified name without tag or digest
 *   (`docker.io/library/golang`, `localhost:5000/app`);
 * - path globs of trivy's `paths` and grype's `package.location` ({@link compileGlob}), as bmatcuk/doublestar
 *   reads them: `*` and `?` within one segment, `**` as a whole segment for any number of segments,
 *   `[…]` classes, `{a,b}` alternatives, `\` escapes.
 * The Dockerfile's `${VAR#pattern}` shell patterns (src/dockerfile/glob.ts) are a third dialect matched
 * apart: they need where a match ends (shortest and longest prefix or suffix, each replacement) within a
 * work budget shared by a whole expansion, not a yes or no.
 *
 * Image patterns went from a position-set walk (O(pattern × name) per call) to RE2 compiled once per
 * pattern. Measured against the walk (medians, Node 24, 2-core machine under load): 47 names × 5 patterns
 * 41 → 17 µs a round; `*a`×25`b` against 100 `a` 128 → 2 µs, against 5,000 `a` 4.7 → 0.05 ms; the one
 * case slower is a trailing `**` against a 5,000-character name, 0.04 → 0.4 ms (the walk's `startsWith`
 * beats stepping an automaton a character at a time), which no real name reaches.
 */

/** The characters that are syntax in both RE2 and JavaScript RegExp, escaped to stand for themselves. */
const escapeRegExp = (text) => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
/** RE2 source `body` of `pattern`, compiled to match whole texts; `(?s)`: `**` spans a line break too. */
function compileAnchored(pattern, body, maxInstructions) {
    try {
        const re = (0,_re2_js__WEBPACK_IMPORTED_MODULE_0__/* .compileRe2 */ .Xm)(`(?s)^${body}$`, maxInstructions);
        return (text) => re.test(text);
    }
    catch (err) {
        if (err instanceof _re2_js__WEBPACK_IMPORTED_MODULE_0__/* .Re2CompileError */ .Fr)
            throw new Error(`the pattern ${JSON.stringify(pattern)}: ${err.message}`, { cause: err });
        throw err;
    }
}
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
/** An image pattern's body in `star`/`globstar`'s syntax: RE2's and JavaScript's share it. */
function imagePatternBody(pattern, globstar) {
    return tokenize(pattern)
        .map((t) => (t.kind === 'literal' ? escapeRegExp(t.text) : t.kind === 'star' ? '[^/]*' : globstar))
        .join('');
}
/**
 * The pattern as an anchored JavaScript RegExp (`*` → `[^/]*`, `**` → any characters), for display and
 * for callers that need a RegExp; it may backtrack, so matching uses {@link globMatch}.
 */
function globToRegExp(pattern) {
    return new RegExp(`^${imagePatternBody(pattern, '[\\s\\S]*')}$`);
}
/** Compiled image patterns: a policy has a few, matched against every base image. */
const imageGlobs = new Map();
const IMAGE_GLOBS_KEPT = 1000;
/**
 * Whether `name` matches the image pattern, in time linear in the name: the image names come from a
 * Dockerfile that a pull request may change, so matching must not depend on its contents. A pattern's
 * program grows with its length (one instruction a character), so a long pattern is allowed as many.
 */
function globMatch(pattern, name) {
    let glob = imageGlobs.get(pattern);
    if (glob === undefined) {
        if (imageGlobs.size >= IMAGE_GLOBS_KEPT)
            imageGlobs.clear();
        const maxInstructions = Math.max(_re2_js__WEBPACK_IMPORTED_MODULE_0__/* .RE2_MAX_INSTRUCTIONS */ .bb, 4 * pattern.length);
        glob = compileAnchored(pattern, imagePatternBody(pattern, '.*'), maxInstructions);
        imageGlobs.set(pattern, glob);
    }
    return glob(name);
}
/** A path glob (doublestar's syntax, above). Throws on a malformed pattern so the caller can name the file and line. */
function compileGlob(pattern) {
    let out = '';
    let i = 0;
    let braceDepth = 0;
    const n = pattern.length;
    while (i < n) {
        const c = pattern[i] ?? '';
        if (c === '*') {
            const doubled = pattern[i + 1] === '*';
            const atSegmentStart = i === 0 || pattern[i - 1] === '/';
            const atSegmentEnd = i + 2 >= n || pattern[i + 2] === '/';
            if (doubled && atSegmentStart && atSegmentEnd) {
                if (i + 2 >= n) {
                    out += '.*';
                    i += 2;
                }
                else {
                    // `**/` also matches no directory at all.
                    out += '(?:[^/]*(?:/[^/]*)*/)?';
                    i += 3;
                }
                continue;
            }
            out += '[^/]*';
            i += doubled ? 2 : 1;
            continue;
        }
        if (c === '?') {
            out += '[^/]';
            i += 1;
            continue;
        }
        if (c === '[') {
            const end = pattern.indexOf(']', i + 2);
            if (end < 0)
                throw new Error(`unclosed "[" in the pattern ${JSON.stringify(pattern)}`);
            let body = pattern.slice(i + 1, end);
            let negate = false;
            if (body.startsWith('!') || body.startsWith('^')) {
                negate = true;
                body = body.slice(1);
            }
            const escaped = body.replace(/[\\\]]/g, '\\$&');
            out += negate ? `[^/${escaped}]` : `[${escaped}]`;
            i = end + 1;
            continue;
        }
        if (c === '{') {
            braceDepth += 1;
            out += '(?:';
            i += 1;
            continue;
        }
        if (c === '}' && braceDepth > 0) {
            braceDepth -= 1;
            out += ')';
            i += 1;
            continue;
        }
        if (c === ',' && braceDepth > 0) {
            out += '|';
            i += 1;
            continue;
        }
        if (c === '\\') {
            const next = pattern[i + 1];
            if (next === undefined)
                throw new Error(`the pattern ${JSON.stringify(pattern)} ends with "\\"`);
            out += escapeRegExp(next);
            i += 2;
            continue;
        }
        out += escapeRegExp(c);
        i += 1;
    }
    if (braceDepth > 0)
        throw new Error(`unclosed "{" in the pattern ${JSON.stringify(pattern)}`);
    return compileAnchored(pattern, out, _re2_js__WEBPACK_IMPORTED_MODULE_0__/* .RE2_MAX_INSTRUCTIONS */ .bb);
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


/***/ }),

/***/ 1057:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Wg: () => (/* reexport */ match/* combinePolicy */.Wg),
  oN: () => (/* reexport */ formatPolicyWarning),
  ON: () => (/* reexport */ parsePolicy),
  P6: () => (/* reexport */ match/* requirementFor */.P6),
  Do: () => (/* reexport */ match/* ruleLabel */.Do)
});

// UNUSED EXPORTS: BUILT_IN_RULES, KEY_URI_SCHEMES, MAX_ALIASES, MAX_POLICY_BYTES, PolicyError, checkRe2, classifyKey, formatPolicyProblem, globMatch, globToRegExp, imagePatternProblem, keyFingerprint, keyName, keyProblem, matchRule, normaliseImagePattern, parseRevokedKey, ruleDemands

// EXTERNAL MODULE: ./src/policy/builtin.ts
var builtin = __webpack_require__(5157);
// EXTERNAL MODULE: ./src/policy/glob.ts
var glob = __webpack_require__(4062);
// EXTERNAL MODULE: ./src/policy/key.ts
var policy_key = __webpack_require__(6345);
// EXTERNAL MODULE: ./src/policy/re2.ts
var re2 = __webpack_require__(9448);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./src/util/errors.ts
var errors = __webpack_require__(17);
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
const TOP_LEVEL_KEYS = ['unmatched', 'rules', 'revoked-keys'];
const RULE_KEYS = ['name', 'images', 'keyless', 'key', 'keys', 'allow-unsigned', 'tlog'];
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
    'public-keys': 'keys',
    'revoked-key': 'revoked-keys',
    revoked: 'revoked-keys',
    revocations: 'revoked-keys',
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
        const problem = (0,glob/* imagePatternProblem */.lx)(v);
        if (problem !== undefined) {
            ctx.error(line, `${path}[${i}]`, problem);
            ok = false;
            continue;
        }
        patterns.push((0,glob/* normaliseImagePattern */.Kq)(v));
    }
    return ok ? patterns : undefined;
}
/** The text items of a list, each reported on its own line when it is not text; undefined when the value is no list. */
function textItems(ctx, e, path, what) {
    if (!(0,dist/* isSeq */.oP)(e.value))
        return undefined;
    return e.value.items.map((item, i) => {
        const node = ctx.deref(item);
        const line = ctx.line(item, e.valueLine);
        const v = (0,dist/* isScalar */.jn)(node) ? node.value : undefined;
        if (typeof v !== 'string') {
            ctx.error(line, `${path}[${i}]`, `must be ${what}; found ${describe(node)}`);
            return { value: undefined, line, path: `${path}[${i}]` };
        }
        return { value: v, line, path: `${path}[${i}]` };
    });
}
/** `keys:` a non-empty list of public keys (PEM blocks or KMS URIs), any one of which verifies. */
function parseKeys(ctx, e, path) {
    const what = 'a PEM public key (as a block: `- |`) or a KMS URI';
    const items = textItems(ctx, e, path, what);
    if (items === undefined || items.length === 0) {
        ctx.error(e.valueLine, path, `must be a non-empty list of public keys, each ${what}; found ${describe(e.value)}${(0,dist/* isSeq */.oP)(e.value) ? ' (an empty list)' : ''}${(0,dist/* isScalar */.jn)(e.value) && typeof e.value.value === 'string' ? ' (for one key write "key:")' : ''}`);
        return undefined;
    }
    const keys = [];
    const seen = new Map();
    let ok = true;
    for (const item of items) {
        if (item.value === undefined) {
            ok = false;
            continue;
        }
        const problem = (0,policy_key/* keyProblem */.dD)(item.value);
        if (problem !== undefined) {
            ctx.error(item.line, item.path, problem);
            ok = false;
            continue;
        }
        const normal = item.value.trim();
        const first = seen.get(normal);
        if (first !== undefined)
            ctx.warn(item.line, item.path, `is the same key as line ${first}`);
        else
            seen.set(normal, item.line);
        keys.push(item.value);
    }
    return ok ? keys : undefined;
}
/** `revoked-keys:` PEM public keys, KMS URIs or SHA-256 fingerprints of keys no signature may rely on. */
function parseRevokedKeys(ctx, e) {
    if (e.value === null || ((0,dist/* isScalar */.jn)(e.value) && e.value.value === null))
        return [];
    const what = 'a SHA-256 fingerprint (64 hex digits), a PEM public key (as a block: `- |`) or a KMS URI';
    const items = textItems(ctx, e, 'revoked-keys', what);
    if (items === undefined) {
        ctx.error(e.valueLine, 'revoked-keys', `must be a list, each item ${what}; found ${describe(e.value)}`);
        return [];
    }
    const revoked = [];
    for (const item of items) {
        if (item.value === undefined)
            continue;
        const parsed = (0,policy_key/* parseRevokedKey */.$X)(item.value);
        if ('problem' in parsed)
            ctx.error(item.line, item.path, parsed.problem);
        else
            revoked.push({ ...parsed, line: item.line });
    }
    return revoked;
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
    let keys;
    let allowUnsigned;
    let tlog;
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
                    ctx.error(e.valueLine, fieldPath, `must be a PEM public key (as a block: key: |) or a KMS URI; found ${describe(e.value)}${(0,dist/* isSeq */.oP)(e.value) ? ' (for several keys write "keys:")' : ''}`);
                    ok = false;
                    break;
                }
                const problem = (0,policy_key/* keyProblem */.dD)(v);
                if (problem !== undefined) {
                    ctx.error(e.valueLine, fieldPath, problem);
                    ok = false;
                }
                else
                    key = v;
                break;
            }
            case 'keys': {
                methods.push({ name: 'keys', line: e.keyLine });
                keys = parseKeys(ctx, e, fieldPath);
                if (keys === undefined)
                    ok = false;
                break;
            }
            case 'allow-unsigned': {
                const v = booleanField(ctx, e, fieldPath);
                if (v === undefined) {
                    ok = false;
                    break;
                }
                allowUnsigned = v;
                if (v)
                    methods.push({ name: 'allow-unsigned: true', line: e.keyLine });
                break;
            }
            case 'tlog': {
                const v = booleanField(ctx, e, fieldPath);
                if (v === undefined)
                    ok = false;
                else
                    tlog = { value: v, line: e.keyLine };
                break;
            }
            default:
                unknownKey(ctx, e, path, RULE_KEYS);
                ok = false;
        }
    }
    // Without a transparency-log entry only the key vouches for a signature: that is a key rule's choice alone
    // (a keyless certificate is short-lived, and the log entry is what proves it was used while valid).
    if (tlog?.value === false && key === undefined && keys === undefined) {
        ctx.error(tlog.line, join(path, 'tlog'), '"tlog: false" is for "key" or "keys" rules, whose images were signed without a transparency-log entry (cosign --tlog-upload=false); a keyless signature is checked against the log. Remove it, or give the rule its public key');
        ok = false;
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
        ctx.error(ruleLine, path, 'says nothing about how to trust the images: give one of "keyless" (who signed), "key" (the public key), "keys" (several public keys, any one verifies) or "allow-unsigned: true"');
        ok = false;
    }
    else if (methods.length > 1) {
        const second = methods[1];
        ctx.error(second.line, path, `has ${methods.map((m) => `"${m.name}"`).join(' and ')}; a rule takes exactly one of "keyless", "key", "keys" or "allow-unsigned: true"${methods.some((m) => m.name === 'keys') && methods.some((m) => m.name === 'key') ? ' (move the key into the "keys" list)' : ' (write two rules if you mean either)'}`);
        ok = false;
    }
    if (!ok || name === undefined || images === undefined)
        return undefined;
    const rule = { name, images, source: 'file', line: ruleLine };
    if (keyless)
        rule.keyless = keyless;
    if (key !== undefined)
        rule.key = key;
    if (keys !== undefined)
        rule.keys = keys;
    if (allowUnsigned !== undefined)
        rule.allowUnsigned = allowUnsigned;
    if (tlog?.value === false)
        rule.tlog = false;
    return { index, rule, patternLines, nameLine };
}
/** A `true`/`false` field, or undefined after saying what it found instead. */
function booleanField(ctx, e, fieldPath) {
    const v = (0,dist/* isScalar */.jn)(e.value) ? e.value.value : undefined;
    if (typeof v === 'boolean')
        return v;
    ctx.error(e.valueLine, fieldPath, `must be true or false; found ${describe(e.value)}`);
    return undefined;
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
        else if (e.key === 'revoked-keys') {
            policy.revokedKeys = parseRevokedKeys(ctx, e);
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

// EXTERNAL MODULE: ./src/policy/match.ts
var match = __webpack_require__(6563);
;// CONCATENATED MODULE: ./src/policy/index.ts








/***/ }),

/***/ 6345:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $X: () => (/* binding */ parseRevokedKey),
/* harmony export */   dD: () => (/* binding */ keyProblem),
/* harmony export */   eL: () => (/* binding */ classifyKey),
/* harmony export */   xT: () => (/* binding */ keyName),
/* harmony export */   yy: () => (/* binding */ keyFingerprint)
/* harmony export */ });
/* unused harmony export KEY_URI_SCHEMES */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
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
        const key = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPublicKey)({ key: text, format: 'pem' });
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
/** SHA-256 (lower-case hex) of the DER SubjectPublicKeyInfo of a PEM public key {@link keyProblem} accepted. */
function keyFingerprint(pem) {
    const der = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPublicKey)({ key: pem.trim(), format: 'pem' }).export({ type: 'spki', format: 'der' });
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(der).digest('hex');
}
/** How reports name a key: `sha256:<SPKI fingerprint>` for a PEM key, the URI for a KMS key. */
function keyName(key) {
    const ref = classifyKey(key);
    return ref.kind === 'pem' ? `sha256:${keyFingerprint(ref.pem)}` : ref.uri;
}
/**
 * An entry of `revoked-keys`: a PEM public key, a key URI, or the SHA-256 fingerprint of a key's SPKI (64 hex
 * digits, `sha256:` in front allowed). The revoked key as a fingerprint or URI, or the problem with it.
 */
function parseRevokedKey(entry) {
    const trimmed = entry.trim();
    if (trimmed.startsWith('-----BEGIN')) {
        const problem = pemProblem(trimmed);
        return problem !== undefined ? { problem } : { fingerprint: keyFingerprint(trimmed) };
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
        const problem = keyProblem(trimmed);
        return problem !== undefined ? { problem } : { uri: trimmed };
    }
    const hex = trimmed.replace(/^sha256:/i, '');
    if (/^[0-9a-f]{64}$/i.test(hex))
        return { fingerprint: hex.toLowerCase() };
    return {
        problem: `"${abbreviate(trimmed)}" is not a SHA-256 fingerprint (64 hex digits, e.g. the output of \`openssl pkey -pubin -in cosign.pub -outform DER | sha256sum\`), a PEM public key (as a block: \`- |\`) or a KMS URI`,
    };
}
function abbreviate(text) {
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}


/***/ }),

/***/ 6563:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Do: () => (/* binding */ ruleLabel),
/* harmony export */   P6: () => (/* binding */ requirementFor),
/* harmony export */   Wg: () => (/* binding */ combinePolicy),
/* harmony export */   zB: () => (/* binding */ ruleDemands)
/* harmony export */ });
/* unused harmony exports matchRule, ruleDemand */
/* harmony import */ var _builtin_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5157);
/* harmony import */ var _glob_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4062);
/* harmony import */ var _key_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6345);
/** Which rule covers an image, and what it requires. */



/** The file's rules first, then the built-in ones; `unmatched` from the file, else `warn`. */
function combinePolicy(file) {
    const combined = {
        unmatched: file?.unmatched ?? 'warn',
        rules: [...(file?.rules ?? []), ..._builtin_js__WEBPACK_IMPORTED_MODULE_0__/* .BUILT_IN_RULES */ .J],
    };
    if (file?.file !== undefined)
        combined.file = file.file;
    if (file?.warnings !== undefined)
        combined.warnings = file.warnings;
    if (file?.revokedKeys !== undefined)
        combined.revokedKeys = file.revokedKeys;
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
    return policy.rules.find((rule) => rule.images.some((pattern) => (0,_glob_js__WEBPACK_IMPORTED_MODULE_1__/* .globMatch */ .eu)(pattern, name)));
}
function requirementFor(policy, imageName) {
    const rule = matchRule(policy, imageName);
    if (rule === undefined)
        return { kind: 'unmatched', action: policy.unmatched };
    if (rule.keyless !== undefined)
        return { kind: 'keyless', rule, signer: rule.keyless };
    const keys = rule.keys ?? (rule.key !== undefined ? [rule.key] : undefined);
    if (keys !== undefined) {
        const revoked = policy.revokedKeys ?? [];
        const isRevoked = (key) => revoked.some((r) => revokes(r, key));
        return {
            kind: 'key',
            rule,
            keys: keys.filter((k) => !isRevoked(k)),
            revoked: keys.filter(isRevoked).map((key) => ({ key, name: (0,_key_js__WEBPACK_IMPORTED_MODULE_2__/* .keyName */ .xT)(key) })),
        };
    }
    if (rule.allowUnsigned === true)
        return { kind: 'allow-unsigned', rule };
    // parsePolicy never yields such a rule; a hand-built one must not be read as "trusted".
    throw new Error(`policy rule "${rule.name}" has neither keyless, key nor allow-unsigned`);
}
/** The rule's name as reports show it: "distroless (built-in)", or the file rule's own name. */
function ruleLabel(rule) {
    return rule.source === 'built-in' ? `${rule.name} (built-in)` : rule.name;
}
function ruleDemand(rule) {
    if (rule.keyless !== undefined)
        return { kind: 'keyless', signer: rule.keyless };
    const keys = rule.keys ?? (rule.key !== undefined ? [rule.key] : []);
    if (keys.length > 0)
        return { kind: 'key', keys: keys.map(_key_js__WEBPACK_IMPORTED_MODULE_2__/* .keyName */ .xT), ...(rule.tlog === false ? { tlog: false } : {}) };
    return { kind: 'allow-unsigned' };
}
/** Every rule's demand by its report label (`ruleLabel`), the file's rules and the built-in ones. */
function ruleDemands(policy) {
    const demands = {};
    for (const rule of policy.rules)
        demands[ruleLabel(rule)] ??= ruleDemand(rule);
    return demands;
}
/** Whether a `revoked-keys` entry names `key`: the same SPKI fingerprint, or the same URI. */
function revokes(revoked, key) {
    const ref = (0,_key_js__WEBPACK_IMPORTED_MODULE_2__/* .classifyKey */ .eL)(key);
    if (ref.kind === 'uri')
        return revoked.uri === ref.uri;
    return revoked.fingerprint !== undefined && revoked.fingerprint === (0,_key_js__WEBPACK_IMPORTED_MODULE_2__/* .keyFingerprint */ .yy)(ref.pem);
}


/***/ }),

/***/ 9448:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fr: () => (/* binding */ Re2CompileError),
/* harmony export */   Xm: () => (/* binding */ compileRe2),
/* harmony export */   _8: () => (/* binding */ checkRe2),
/* harmony export */   bb: () => (/* binding */ RE2_MAX_INSTRUCTIONS)
/* harmony export */ });
/* harmony import */ var re2js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2856);
/**
 * Go's RE2 regular expressions through re2js, a port of Go's regexp (same parser, error codes, limits and
 * linear-time matching): cosign matches `identity-regexp`/`issuer-regexp` with Go, grype its ignore rules'
 * package names. Ours is only what re2js does not say: why RE2 refuses lookaround or backreferences (Go
 * names the syntax, not the reason), the anchoring warning, and a cap on what an untrusted pattern may
 * cost. re2js and Go differ only at the edges: re2js refuses programs over 1,398,101 instructions (Go:
 * 3,355,443) and `\p{ASCII}` (Go 1.25 takes it), and knows Unicode 17's scripts (Go 1.25: 15's).
 *
 * Compile and match per call, the Thompson NFA this replaced → re2js (Node 24, 2-core dev machine):
 *   ^(a+)+$ on 10,000 `a` and `!`   8.8 → 1.5 ms      ^(.*a){12}c$ on 2,000 `a`       10.4 → 0.7 ms
 *   ^(a|aa)+b$ on 10,000 `a`        5.9 → 0.5 ms      (x+x+)+y on 5,000 `x`            3.8 → 0.2 ms
 *   glob `*a`×12`*c` on 10,000 `a`   26 → 0.3 ms      ([a-z]{1000})×9 on 10,000 `a`    2.7 → 2.3 s
 *   checking ^([a-z]\.)×20000$ (140,000 characters, linear): 78 → 310 ms
 * re2js is slow to compile (~1 µs an instruction, whole program before it can say its size: `a{1000}`×142,
 * 994 characters, takes 0.8 s), so {@link sizeBound} estimates the size from the text and a pattern far over
 * the limit (compileRe2 10,000 instructions, checkRe2 50,000) never reaches re2js.
 */

/** The most instructions compileRe2 builds unless told otherwise: matching costs up to this much per character. */
const RE2_MAX_INSTRUCTIONS = 10_000;
const CHECK_MAX_INSTRUCTIONS = 50_000; // checkRe2 only parses, but re2js compiles too: ~0.1 s for 50,000
class Re2CompileError extends Error {
}
const RE2_EXPLAINED = "cosign matches it with Go's RE2 engine, which guarantees linear-time matching and therefore has no";
/** Group syntax of PCRE and JavaScript that Go rejects (with the text from `(?` on), and what it is. */
const UNSUPPORTED_GROUPS = [
    [/^\(\?<=/, 'lookbehind `(?<=…)`', 'lookaround'],
    [/^\(\?<!/, 'negative lookbehind `(?<!…)`', 'lookaround'],
    [/^\(\?=/, 'lookahead `(?=…)`', 'lookaround'],
    [/^\(\?!/, 'negative lookahead `(?!…)`', 'lookaround'],
    [/^\(\?>/, 'atomic group `(?>…)`', 'atomic groups or possessive quantifiers'],
    [/^\(\?#/, 'comment group `(?#…)`', 'comment groups'],
    [/^\(\?P=/, 'named backreference `(?P=name)`', 'backreferences'],
    [/^\(\?(?:P>|&|R\)|[+-]?\d)/, 'recursion or subroutine call (`(?R)`, `(?1)`, `(?&name)`)', 'recursion'],
];
/** Escapes PCRE/JavaScript users reach for that Go rejects, with what to write instead. */
const ESCAPE_HINTS = {
    Z: 'use `\\z` for the end of the text',
    R: 'use `(?:\\r\\n|\\n|\\r)` instead of `\\R`',
    h: 'use `[\\t ]` instead of `\\h`',
    u: 'write a code point as `\\x{263A}`, not `\\u263A`',
    e: 'write the escape character as `\\x1B`',
    k: `\`\\k<name>\` is a named backreference; ${RE2_EXPLAINED} backreferences`,
    g: `\`\\g\` is a backreference; ${RE2_EXPLAINED} backreferences`,
};
/** Go's error for `pattern` (re2js's code and the text it points at), said so that a user can fix it. */
function explain(pattern, code, at) {
    if (code === 'invalid or unsupported Perl syntax' || code === 'invalid named capture') {
        for (let i = pattern.indexOf(at); i >= 0; i = pattern.indexOf(at, i + 1)) {
            const found = UNSUPPORTED_GROUPS.find(([re]) => re.test(pattern.slice(i, i + 5)));
            if (found)
                return `${found[1]} is not supported: ${RE2_EXPLAINED} ${found[2]}; rewrite the pattern without it`;
        }
        const flag = /^\(\?[imsU-]*([A-Za-z])/.exec(at)?.[1];
        if (code === 'invalid named capture')
            return `${code} \`${at}\`: a group name is letters, digits and \`_\``;
        return `invalid or unsupported group syntax \`${at}\`${flag ? `; RE2 knows only the flags i, m, s and U, not \`${flag}\`` : ''}`;
    }
    if (code === 'invalid nested repetition operator' && at.endsWith('+'))
        return `possessive quantifier \`${at}\` is not supported: ${RE2_EXPLAINED} possessive quantifiers or atomic groups; drop the trailing \`+\``;
    const [min = 0, max = min] = code === 'invalid repeat count' ? (at.match(/\d+/g) ?? []).map(Number) : [];
    if (code === 'invalid repeat count' && max <= 1000 && min <= max)
        return `${code} \`${at}\`: nested repetitions multiply, and RE2 allows at most 1000 copies in total`;
    if (code === 'invalid repeat count')
        return `${code} \`${at}\`: RE2 allows counts from 0 to 1000, with the minimum not above the maximum`;
    if (code === 'invalid escape sequence' && /^\\[1-9]$/.test(at))
        return `\`${at}\` is a backreference; ${RE2_EXPLAINED} backreferences`;
    if (code === 'invalid escape sequence')
        return `${code} \`${at}\`: ${ESCAPE_HINTS[at.slice(1)] ?? 'RE2 does not know it'}`;
    if (code === 'invalid character class range' && /^\\[pP]/.test(at))
        return `\`${at}\` is not a Unicode category or script${at.includes('ASCII') ? ' here: write `[\\x00-\\x7F]`' : ''}`;
    if (code === 'invalid character class range' && at.startsWith('[:'))
        return `\`${at}\` is not a POSIX class name`;
    if (code === 'expression nests too deeply')
        return `${code} for RE2 (more than 1000 levels)`;
    return at ? `${code.replace(/ ([\])])$/, ' `$1` in')} \`${at}\`` : code; // `missing closing ]`, `unexpected )`
}
/**
 * The instructions `pattern` compiles to, estimated in one pass without parsing, as the NFA this replaced
 * counted them: an atom (character, escape, class), operator or capture counts 1, `{n,m}` makes what it
 * follows (the atom or group) count max(n, m) times. re2js's programs stay under twice it; it is most
 * over for alternatives of single characters (`(a|b|c|d|e){50}`: 550 for 152), which RE2 makes one class.
 */
function sizeBound(p) {
    const open = [0]; // what each open group counts so far
    let last = 0; // what the last atom or group counts
    for (let i = 0, next; i < p.length; i = next) {
        const c = p[i];
        const counts = c === '{' ? /^\{(\d+)(?:,(\d*))?\}/.exec(p.slice(i, i + 12)) : null;
        let add = 1;
        next = i + 1;
        if (c === '(') {
            const flags = /^\(\?[imsU-]*([:)])/.exec(p.slice(i, i + 12)); // `(?i)` opens no group, `(?:` no capture
            if (flags?.[1] !== ')')
                open.push(flags ? 0 : 1);
            next = i + (flags?.[0].length ?? 1);
            continue;
        }
        if (counts) {
            add = last * (Math.max(Number(counts[1]), Number(counts[2] ?? 0), 1) - 1);
            next = i + counts[0].length;
        }
        else if (c === ')' && open.length > 1)
            add = open.pop() + 1;
        else if (c === '\\' && p[i + 2] === '{' && 'xpP'.includes(p[i + 1] ?? '-'))
            next = p.indexOf('}', i) + 1 || p.length;
        else if (c === '\\')
            next = i + 2;
        else if (c === '[') {
            next = i + (p[i + 1] === '^' ? 3 : 2); // a `]` first in the class is a literal
            while (next < p.length && p[next] !== ']')
                next += p[next] === '\\' ? 2 : 1;
            next++;
        }
        last = counts ? last + add : add;
        open.push(open.pop() + add);
    }
    return open.reduce((a, b) => a + b, 0);
}
/** Compiles as Go's `regexp.Compile` does (Perl syntax, Unicode groups); throws Go's reason, explained. */
function compile(pattern, limit) {
    const tooLarge = new Re2CompileError(`it needs more than ${limit} instructions to match, and matching costs that much for every character of the text; write a shorter pattern (fewer or smaller counted repetitions)`);
    if (sizeBound(pattern) > 2 * limit)
        throw tooLarge;
    let re;
    try {
        re = re2js__WEBPACK_IMPORTED_MODULE_0__/* .RE2JS */ .L3.compile(pattern);
    }
    catch (err) {
        if (!(err instanceof re2js__WEBPACK_IMPORTED_MODULE_0__/* .RE2JSSyntaxException */ .pB))
            throw err;
        throw new Re2CompileError(explain(pattern, err.error, err.input ?? ''));
    }
    if (re.programSize() > limit)
        throw tooLarge;
    return re;
}
// re2js's Inst ops ALT 1, ALT_MATCH 2, CAPTURE 3, EMPTY_WIDTH 4 (arg 4: `^`, `\A`), FAIL 5, NOP 7 read nothing.
const PASS_THROUGH = new Set([1, 2, 3, 4, 5, 7]);
/** Whether every path from the program's start passes `^`/`\A` before it reads a character or matches. */
function anchoredAtStart(prog) {
    const seen = new Set();
    const todo = [prog.start];
    for (let pc = todo.pop(); pc !== undefined; pc = todo.pop()) {
        const inst = prog.inst[pc];
        if (seen.has(pc) || inst === undefined)
            continue;
        seen.add(pc);
        if (!PASS_THROUGH.has(inst.op))
            return false;
        if (inst.op <= 2)
            todo.push(inst.arg);
        if (inst.op !== 5 && !(inst.op === 4 && (inst.arg & 4) !== 0))
            todo.push(inst.out);
    }
    return true;
}
/** Parse `pattern` as Go's `regexp.Compile` would, without running it. */
function checkRe2(pattern) {
    try {
        return { anchoredAtStart: anchoredAtStart(compile(pattern, CHECK_MAX_INSTRUCTIONS).re2().prog) };
    }
    catch (err) {
        if (err instanceof Re2CompileError)
            return { error: err.message, anchoredAtStart: false };
        throw err;
    }
}
/**
 * Compiles `pattern` as Go does; `test` is Go's MatchString (unanchored), linear in the text. Throws
 * Re2CompileError with Go's reason, or when the program would exceed `maxInstructions`.
 */
function compileRe2(pattern, maxInstructions = RE2_MAX_INSTRUCTIONS) {
    return compile(pattern, maxInstructions);
}


/***/ }),

/***/ 4018:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H: () => (/* binding */ wholeArgName),
/* harmony export */   T: () => (/* binding */ baseImageAnnotations)
/* harmony export */ });
/* harmony import */ var _dockerfile_declarations_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(649);
/* harmony import */ var _dockerfile_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(845);
/* harmony import */ var _policy_entries_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6622);



/** Annotations on the Dockerfile lines whose images failed their rule, matched none, or are not pinned. */
function baseImageAnnotations(entries, uses, distinct, keyOf, config, text) {
    const out = [];
    const lines = text.split(/\r?\n/);
    const file = config.file;
    const globalArgs = globalArgDefaults(text);
    // One suggestion per ARG whose default a FROM line uses whole: on the ARG line, naming the lines that use it.
    const argPins = new Map();
    const policyUnmatched = (d) => d?.requirement.kind === 'unmatched' ? d.requirement.action : undefined;
    entries.forEach((e, i) => {
        const use = uses[i];
        if (!use)
            return;
        const d = distinct.get(keyOf.get(use) ?? '');
        const failing = (0,_policy_entries_js__WEBPACK_IMPORTED_MODULE_1__/* .isFailure */ .N6)(e, config.verifyBaseImages, policyUnmatched(d) ?? 'warn');
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
        }
        else if (e.status === 'unmatched' && policyUnmatched(d) === 'warn') {
            out.push({
                level: 'warning',
                ...place,
                title: 'Base image matches no policy rule',
                message: `${at.prefix}${e.image ?? e.ref}: ${e.reason ?? ''}`,
            });
        }
        if (!e.pinned && e.status !== 'unresolved' && config.digestPinning !== 'off') {
            const arg = use.fromBuildArg ? undefined : wholeArg(use.ref, globalArgs);
            if (arg && e.digest) {
                const pin = argPins.get(arg.name) ?? { arg, entry: e, lines: [] };
                pin.lines.push(e.line);
                argPins.set(arg.name, pin);
                return;
            }
            const source = lines[use.location.line - 1] ?? '';
            const pinnedRef = (0,_policy_entries_js__WEBPACK_IMPORTED_MODULE_1__/* .suggestPinned */ .pn)(e);
            const suggestion = e.digest && !use.fromBuildArg && use.location.line === e.line
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
    for (const { arg, entry, lines: usedOn } of argPins.values()) {
        const source = lines[arg.line - 1] ?? '';
        const suggestion = `${source.slice(0, arg.valueEnd)}@${entry.digest ?? ''}${source.slice(arg.valueEnd)}`.trim();
        const where = usedOn.length === 1 ? `line ${usedOn[0]}` : `lines ${usedOn.join(', ')}`;
        out.push({
            level: config.digestPinning === 'enforce' ? 'error' : 'warning',
            file,
            line: arg.line,
            title: 'Base image not pinned to a digest',
            message: `The default of ARG ${arg.name} (${entry.image ?? entry.ref}, used by FROM on ${where}) can change under you. ` +
                `Pin it on this line:\n${suggestion}\n(A value passed in \`build-args\` replaces this default: pin that value too.)`,
        });
    }
    return out;
}
/** The ARGs before the first FROM that have a default written on one line: the ones FROM lines can use. */
function globalArgDefaults(text) {
    const args = new Map();
    const parsed = (0,_dockerfile_index_js__WEBPACK_IMPORTED_MODULE_0__/* .parseDockerfile */ .Ai)(text);
    const lines = text.split(/\r?\n/);
    for (const ins of parsed.instructions) {
        if (ins.keyword === 'FROM')
            break;
        if (ins.keyword !== 'ARG' || ins.endLine !== ins.line)
            continue;
        const source = lines[ins.line - 1] ?? '';
        for (const d of (0,_dockerfile_declarations_js__WEBPACK_IMPORTED_MODULE_2__/* .parseArgDeclarations */ .xO)(ins.rest, parsed.directives.escape).declarations) {
            if (d.value === undefined || d.value === '') {
                args.delete(d.key);
                continue;
            }
            // Where `KEY=value` sits in the line: the value ends before its closing quote, if it has one.
            const at = source.indexOf(`${d.key}=`);
            if (at < 0)
                continue;
            const raw = /^("[^"]*"|'[^']*'|\S+)/.exec(source.slice(at + d.key.length + 1))?.[1] ?? '';
            const quoted = /^["'].*["']$/.test(raw);
            args.set(d.key, {
                name: d.key,
                line: ins.line,
                valueEnd: at + d.key.length + 1 + raw.length - (quoted ? 1 : 0),
            });
        }
    }
    return args;
}
/** The name of the ARG a reference is made of, whole: `${BASE}` or `$BASE`. */
function wholeArgName(ref) {
    const name = /^\$(?:\{(\w+)\}|(\w+))$/.exec(ref.trim());
    return name?.[1] ?? name?.[2];
}
/** That ARG, when it is a global ARG with a default. */
function wholeArg(ref, args) {
    const key = wholeArgName(ref);
    return key ? args.get(key) : undefined;
}


/***/ }),

/***/ 2585:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A: () => (/* binding */ renderWithin)
/* harmony export */ });
/* unused harmony export cutBytes */
/* harmony import */ var _markdown_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4285);

/** Room left for the "N more rows" line when a table is cut, so the cut itself cannot overflow. */
const NOTE_SLACK = 256;
function renderTable(block, shown) {
    const omitted = block.rows.length - shown + (block.hidden ?? 0);
    const parts = [];
    if (block.before)
        parts.push(block.before);
    if (shown > 0)
        parts.push((0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .table */ .tp)(block.header, block.rows.slice(0, shown)));
    if (omitted > 0)
        parts.push(`_${block.more(omitted)}_`);
    if (block.after)
        parts.push(block.after);
    return parts.join('\n\n');
}
function render(blocks, shown) {
    const parts = blocks.map((b, i) => (typeof b === 'string' ? b : renderTable(b, shown[i] ?? 0)));
    return `${parts.filter((p) => p !== '').join('\n\n')}\n`;
}
/** How many of `sizes` (row bytes, in order) fit in `cap` bytes. */
function rowsWithin(sizes, cap) {
    let used = 0;
    for (let n = 0; n < sizes.length; n++) {
        used += sizes[n] ?? 0;
        if (used > cap)
            return n;
    }
    return sizes.length;
}
/**
 * Renders the blocks within `maxBytes` (UTF-8). When they do not fit, the longest tables are cut
 * first: every table is held to one common size, the largest that fits (the short tables stay whole,
 * the long ones lose rows from the end down to that size). Text that still does not fit (it is capped
 * where it is made, so this is a last resort) is cut at a character boundary with a line that says so.
 */
function renderWithin(blocks, maxBytes) {
    const shown = blocks.map((b) => (typeof b === 'string' ? 0 : b.rows.length));
    const rowBytes = blocks.map((b) => typeof b === 'string' ? [] : b.rows.map((r) => (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .utf8Bytes */ .dy)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .tableRow */ .jD)(r)) + 1));
    const tableBytes = rowBytes.map((sizes) => sizes.reduce((a, n) => a + n, 0));
    let out = render(blocks, shown);
    let size = (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .utf8Bytes */ .dy)(out);
    let budget = tableBytes.reduce((a, n) => a + n, 0) - (size - maxBytes);
    for (let tries = 0; size > maxBytes && tries < 8; tries++) {
        const tables = blocks.filter((b) => typeof b !== 'string').length;
        const room = Math.max(0, budget - tables * NOTE_SLACK);
        // The largest common cap whose sum fits the room: binary search over bytes.
        let low = 0;
        let high = Math.max(0, ...tableBytes);
        while (low < high) {
            const mid = Math.ceil((low + high) / 2);
            const sum = tableBytes.reduce((a, n) => a + Math.min(n, mid), 0);
            if (sum <= room)
                low = mid;
            else
                high = mid - 1;
        }
        blocks.forEach((b, i) => {
            if (typeof b !== 'string')
                shown[i] = rowsWithin(rowBytes[i] ?? [], low);
        });
        out = render(blocks, shown);
        const next = (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .utf8Bytes */ .dy)(out);
        budget -= Math.max(next - maxBytes, 0) + NOTE_SLACK;
        size = next;
    }
    return size <= maxBytes ? out : cutBytes(out, maxBytes);
}
const CUT_NOTE = '\n\n_The rest of this report was cut to stay within GitHub’s size limit._\n';
/** The longest prefix within `maxBytes` with the note, cut on a line boundary where one is near. */
function cutBytes(text, maxBytes) {
    // 16 bytes more for a closing fence.
    const room = Math.max(0, maxBytes - (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .utf8Bytes */ .dy)(CUT_NOTE) - 16);
    const buffer = Buffer.from(text, 'utf8');
    let end = Math.min(room, buffer.length);
    // Not inside a multi-byte character: continuation bytes are 10xxxxxx.
    while (end > 0 && ((buffer[end] ?? 0) & 0xc0) === 0x80)
        end -= 1;
    let head = buffer.subarray(0, end).toString('utf8');
    const newline = head.lastIndexOf('\n');
    if (newline > head.length - 2000)
        head = head.slice(0, newline);
    // An open code fence would swallow the note; close it.
    const fences = head.match(/^`{3,}/gm) ?? [];
    if (fences.length % 2 === 1)
        head += `\n${fences[fences.length - 1] ?? '```'}`;
    const out = `${head}${CUT_NOTE}`;
    const over = (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .utf8Bytes */ .dy)(out) - maxBytes;
    return over > 0 && maxBytes > over ? cutBytes(text, maxBytes - over) : out;
}


/***/ }),

/***/ 3844:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AN: () => (/* binding */ isProblem),
/* harmony export */   Af: () => (/* binding */ limitsOf),
/* harmony export */   G1: () => (/* binding */ signatureBlock),
/* harmony export */   J6: () => (/* binding */ toolsBlock),
/* harmony export */   JB: () => (/* binding */ stageTable),
/* harmony export */   Pl: () => (/* binding */ headline),
/* harmony export */   Zw: () => (/* binding */ verifyBlock),
/* harmony export */   bV: () => (/* binding */ vulnerabilitiesIntro),
/* harmony export */   dR: () => (/* binding */ DEFAULT_LIMITS),
/* harmony export */   k5: () => (/* binding */ findingsBlock),
/* harmony export */   nC: () => (/* binding */ baseImagesBlock),
/* harmony export */   oE: () => (/* binding */ compact),
/* harmony export */   ql: () => (/* binding */ severityTable),
/* harmony export */   qr: () => (/* binding */ footer),
/* harmony export */   sM: () => (/* binding */ ignoredBlock),
/* harmony export */   xB: () => (/* binding */ noticesBlock)
/* harmony export */ });
/* unused harmony exports STATUS_LABEL, prose, shortenDigests, lineLink, signerLabel, nextStep, compareRows */
/* harmony import */ var _github_context_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8886);
/* harmony import */ var _scan_finding_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1164);
/* harmony import */ var _sign_args_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7796);
/* harmony import */ var _base_image_annotations_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4018);
/* harmony import */ var _markdown_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4285);
/* harmony import */ var _verdict_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(687);






/** The pieces the job summary and the PR comment are assembled from; each returns markdown blocks. */
const STATUS_LABEL = {
    passed: '✅ passed',
    failed: '❌ failed',
    warning: '⚠️ passed with warnings',
    skipped: '⏭️ skipped',
    'not-run': '⏹️ not run',
};
const BASE_STATUS = {
    verified: '✅ verified',
    'allowed-unsigned': '☑️ allowed unsigned',
    unmatched: '⚠️ no rule',
    skipped: '⏭️ not checked',
    failed: '❌ failed',
    unresolved: '❌ unresolved',
};
const SEVERITY_LABEL = {
    critical: 'Critical',
    high: 'High',
    medium: 'Medium',
    low: 'Low',
    unknown: 'Unknown',
};
const ORIGIN_LABEL = { base: 'base image', app: 'app', unknown: '' };
/** A line that would open a list, a heading underline or a rule does not, when it starts a paragraph. */
function lineStart(text) {
    return text.replace(/^(\s*)([-=])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
}
/**
 * A message of ours, several lines, some of them `- ` items, as markdown that wraps: a code block
 * would keep long lines on one line that the reader has to scroll.
 */
function prose(message) {
    const blocks = [];
    let bullets = false;
    for (const line of message.split(/\r?\n/)) {
        if (line.trim() === '')
            continue;
        const item = /^\s*[-*] (.*)$/.exec(line);
        const text = item ? `- ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeProse */ .fd)(item[1] ?? '', false)}` : lineStart((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeProse */ .fd)(line, false));
        const last = blocks[blocks.length - 1];
        // Items run together into one list; every other line is its own paragraph.
        if (item && bullets && last)
            last.push(text);
        else
            blocks.push([text]);
        bullets = item !== null;
    }
    return blocks.map((b) => b.join('\n')).join('\n\n');
}
function headline(input, verdict, level, maxFailureLines) {
    const parts = [`${level} ${verdict.icon} secure-image: ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(input.subject)}`, '', verdict.line];
    const failure = input.report.failure?.message;
    const failing = (0,_verdict_js__WEBPACK_IMPORTED_MODULE_4__/* .failingBaseImages */ ._k)({
        report: input.report,
        ...(input.baseImages ? { baseImages: input.baseImages } : {}),
    });
    if (failing.length > 0) {
        // Each base image that failed once, with what to do about it; the table below has no second copy.
        const groups = new Map();
        for (const e of failing) {
            const k = [e.image ?? e.ref, e.rule ?? '', e.reason ?? '', e.status].join('\u0000');
            groups.set(k, [...(groups.get(k) ?? []), e]);
        }
        parts.push('', [...groups.values()].map((g) => failingItem(input, g)).join('\n'));
    }
    else if (failure && failure.includes('\n')) {
        const capped = (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncateLines */ .SV)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(failure, 8000), maxFailureLines, (n) => `… ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .plural */ .LS)(n, 'more line')} in the step log`);
        parts.push('', prose(capped));
    }
    const platforms = input.platforms ?? [];
    if (platforms.length > 0)
        parts.push('', `Built for ${platforms
            .slice(0, 20)
            .map((p) => (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(p))
            .join(', ')}${platforms.length > 20 ? ` and ${platforms.length - 20} more` : ''}.`);
    const tags = input.tags ?? [];
    if (tags.length > 0) {
        const shown = tags.slice(0, 10).map((t) => (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(t));
        parts.push('', `Tagged ${shown.join(', ')}${tags.length > 10 ? ` and ${tags.length - 10} more` : ''}.`);
    }
    return parts.join('\n');
}
/** Full digests are in the heading and the signature section; in a one-line detail 12 digits say which. */
function shortenDigests(text) {
    return text.replace(/\bsha256:([0-9a-f]{12})[0-9a-f]{52}\b/g, 'sha256:$1…');
}
/**
 * A long detail goes on several lines at its `; ` joins, so the Details column does not squeeze the
 * Result and Time columns into two lines each.
 */
function detailCell(detail) {
    const text = (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(shortenDigests(detail), 400);
    if (text.length <= 70)
        return (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeProse */ .fd)(text);
    return splitTopLevel(text)
        .map((part) => (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeProse */ .fd)(part))
        .join(';<br>');
}
/** `a; b (c; d)` → `a`, `b (c; d)`: only the joins outside parentheses and code spans. */
function splitTopLevel(text) {
    const parts = [];
    let depth = 0;
    let inCode = false;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '`')
            inCode = !inCode;
        else if (!inCode && c === '(')
            depth += 1;
        else if (!inCode && c === ')')
            depth = Math.max(0, depth - 1);
        else if (!inCode && depth === 0 && c === ';' && text[i + 1] === ' ') {
            parts.push(text.slice(start, i));
            start = i + 2;
        }
    }
    parts.push(text.slice(start));
    return parts;
}
function stageTable(report) {
    return (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .table */ .tp)(['Stage', 'Result', 'Time', 'Details'], report
        .list()
        .map((s) => [s.title, STATUS_LABEL[s.status], (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .formatDuration */ .a3)(s.durationMs), detailCell(s.detail)]));
}
/** A link to a line of the Dockerfile at the commit that was built. */
function lineLink(input, line) {
    const { github, dockerfile } = input;
    if (!github.repository || !github.sha || dockerfile.startsWith('/') || dockerfile.split('/').includes('..'))
        return String(line);
    const path = dockerfile.split('/').map(encodeURIComponent).join('/');
    return (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .link */ .nf)(String(line), `${github.serverUrl}/${github.repository}/blob/${github.sha}/${path}#L${line}`);
}
function shortDigest(digest) {
    return digest.length > 19 ? `${digest.slice(0, 19)}…` : digest;
}
// No-break spaces: the label stays on one line in a narrow column.
const KIND_LABEL = {
    from: '',
    'copy-from': 'COPY\u00a0--from',
    'mount-from': 'RUN\u00a0--mount\u00a0from',
    syntax: '#\u00a0syntax',
    context: 'build\u00a0context',
};
/**
 * A signer identity short enough for a table cell: a GitHub workflow identity (or the pattern of one)
 * as `owner/repo` · `workflow.yml`; anything else cut. The exact values are listed under the table.
 */
function signerLabel(identity) {
    const plain = identity.replace(/^\^/, '').replace(/\$$/, '').replace(/\\(.)/g, '$1');
    const m = /^https:\/\/github\.com\/([^/]+\/[^/]+)\/\.github\/workflows\/([^@/]+)@/.exec(plain);
    if (m)
        return `${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .cellCode */ .GA)(m[1] ?? '')} · ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .cellCode */ .GA)(m[2] ?? '')}`;
    return (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .cellCode */ .GA)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(identity, 40));
}
function baseImageRow(input, e) {
    const kind = KIND_LABEL[e.kind];
    // An unnamed stage is known by its index.
    const stage = e.stage === null ? '' : /^\d+$/.test(e.stage) ? `#${e.stage}` : (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeMarkdown */ .FV)(e.stage);
    // A key rule with `tlog: false` verified without a log entry: the cell says so (the entry's reason tells why).
    const demand = e.rule ? input.ruleDemands?.[e.rule] : undefined;
    const keyed = demand?.kind === 'key' && demand.tlog === false ? 'key, no log entry' : 'key';
    const signer = e.signer ? signerLabel(e.signer.identity) : e.status === 'verified' ? keyed : '—';
    // The digest has its own column; the image without it keeps the table narrow enough to read.
    const image = (e.image ?? e.ref).replace(/@sha256:[0-9a-f]{64}$/, '');
    return [
        [stage, kind ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .cellCode */ .GA)(kind) : ''].filter((s) => s !== '').join(' · '),
        lineLink(input, e.line),
        (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .cellCode */ .GA)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(image, 100)),
        e.digest ? `${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .cellCode */ .GA)(shortDigest(e.digest))}${e.pinned ? '' : '<br>not pinned'}` : '—',
        e.rule ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeMarkdown */ .FV)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(e.rule, 100)) : '—',
        signer,
        BASE_STATUS[e.status],
    ];
}
/**
 * Why each image that needs a look does, under the table: reasons quote cosign and registries, with
 * long unbreakable words that would make the table wider than the page.
 */
function problemList(input, entries, limit) {
    const stated = new Set((0,_verdict_js__WEBPACK_IMPORTED_MODULE_4__/* .failingBaseImages */ ._k)({ report: input.report, baseImages: entries }));
    const problems = entries.filter((e) => isProblem(e) && e.reason && !stated.has(e));
    if (problems.length === 0)
        return undefined;
    const items = problems
        .slice(0, limit)
        .map((e) => `- Line ${lineLink(input, e.line)}, ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)((e.image ?? e.ref).replace(/@sha256:[0-9a-f]{64}$/, ''), 100))}: ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeProse */ .fd)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(e.reason ?? '', 400), false)}`);
    if (problems.length > limit)
        items.push(`- … ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .plural */ .LS)(problems.length - limit, 'more')} in the ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)('base-images')} output`);
    return items.join('\n');
}
/**
 * The references to pin, with the digest that was checked: what the unpinned-line annotations say,
 * in one place to copy from. Only those that resolved and passed; a failed one needs another image.
 */
function pinList(input, entries, limit) {
    if (input.digestPinning === 'off')
        return undefined;
    const unpinned = entries.filter((e) => !e.pinned && e.digest && e.image && !isProblem(e));
    if (unpinned.length === 0)
        return undefined;
    const items = unpinned
        .slice(0, limit)
        .map((e) => `- Line ${lineLink(input, e.line)}: ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(e.ref, 200))}${argNote(e.ref)} → ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(`${(e.image ?? '').replace(/@sha256:[0-9a-f]{64}$/, '')}@${e.digest ?? ''}`)}`);
    if (unpinned.length > limit)
        items.push(`- … ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .plural */ .LS)(unpinned.length - limit, 'more')}`);
    const n = unpinned.length;
    return [
        `${n === 1 ? 'One reference is' : `${n.toLocaleString('en-US')} references are`} not pinned to a digest, so what ${n === 1 ? 'it names' : 'they name'} can change after this run. Pin ${n === 1 ? 'it' : 'them'} to the digest checked here:`,
        '',
        ...items,
    ].join('\n');
}
/** A reference that is one ARG whole is pinned in that ARG's default, not on the FROM line. */
function argNote(ref) {
    const name = (0,_base_image_annotations_js__WEBPACK_IMPORTED_MODULE_3__/* .wholeArgName */ .H)(ref);
    return name ? ` (pin the default of ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(`ARG ${name}`)})` : '';
}
/** The exact identities behind the short signer labels, once per rule. */
function signerList(entries) {
    const seen = new Map();
    for (const e of entries) {
        if (!e.signer)
            continue;
        const key = `${e.rule ?? ''}\u0000${e.signer.identity}\u0000${e.signer.issuer}`;
        if (seen.has(key) || seen.size >= 20)
            continue;
        seen.set(key, `- ${e.rule ? `${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeMarkdown */ .FV)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(e.rule, 100))}: ` : ''}identity ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(e.signer.identity, 300))}, issuer ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(e.signer.issuer, 200))}`);
    }
    return seen.size === 0
        ? undefined
        : ['Who signed the verified images (keyless), by rule:', '', ...seen.values()].join('\n');
}
/** A base image that failed the stage, on one line or several: where, what, why (cosign's words, cut), the next step. */
function failingItem(input, group) {
    const e = group[0];
    const image = (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)((e.image ?? e.ref).replace(/@sha256:[0-9a-f]{64}$/, ''), 100));
    const why = (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeProse */ .fd)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(e.reason ?? e.status, 400), false);
    const next = nextStep(input, e);
    const where = `${group.length === 1 ? 'Line' : 'Lines'} ${group.map((g) => lineLink(input, g.line)).join(', ')}`;
    return `- ${where}, ${image}: ${why}${next ? `<br>\n  **Next step:** ${next}` : ''}`;
}
/** What a maintainer changes for a base image that failed: the rule and its file, the line, or the input. */
function nextStep(input, e) {
    const policy = input.trustPolicy ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(input.trustPolicy) : 'your `trust-policy` file';
    if (e.status === 'unresolved')
        return `give the ARG a default in ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(input.dockerfile)} or a value in \`build-args\`.`;
    if (e.status === 'unmatched')
        return `add a rule for ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(e.image ?? e.ref)} to ${policy}, or set \`unmatched: warn\` there.`;
    if (!e.rule)
        return `correct the reference on line ${e.line} of ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(input.dockerfile)}.`;
    const rule = (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeMarkdown */ .FV)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(e.rule, 100));
    if (!e.digest)
        return `check that the image exists and that this job can read it (\`registry-username\`, \`registry-password\` for a private registry).`;
    if (/no signatures found|no matching signatures(?!.*got subjects)/i.test(e.reason ?? ''))
        return `cosign found no signature on it: ask its publisher to sign it, use a signed image, or trust it unsigned with a rule with \`allow-unsigned: true\` in ${policy} (rule ${rule} asks for a signature).`;
    const signedBy = /got subjects \[([^\]]*)\]/.exec(e.reason ?? '')?.[1];
    const who = signedBy
        ? `it is signed by ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(signedBy, 200))}`
        : 'its signature does not satisfy that rule';
    const demand = input.ruleDemands?.[e.rule];
    const asks = demand ? `, and the rule asks for ${demandText(demand)}` : '';
    if (/\(built-in\)$/.test(e.rule))
        return `${who}${asks || `, and the rule ${rule} trusts another signer`}: use an image that rule trusts, or add a rule of your own for it to ${policy}.`;
    return `${who}${asks}; if that signer is the one to trust, edit rule ${rule} in ${policy} to name it; else use an image that rule trusts.`;
}
/** What a rule asks of a signature, in words: the identity and issuer (exact or a pattern), or the keys. */
function demandText(demand) {
    if (demand.kind === 'key')
        return demand.keys.length === 1
            ? `a signature by the key ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(demand.keys[0] ?? '', 200))}`
            : `a signature by one of its keys ${demand.keys
                .slice(0, 5)
                .map((k) => (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(k, 200)))
                .join(', ')}${demand.keys.length > 5 ? ` (and ${demand.keys.length - 5} more)` : ''}`;
    if (demand.kind === 'allow-unsigned')
        return 'no signature';
    const { signer } = demand;
    const identity = signer.identity !== undefined
        ? `the identity ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(signer.identity, 300))}`
        : `an identity matching ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(signer.identityRegexp ?? '', 300))}`;
    const issuer = signer.issuer !== undefined
        ? `issuer ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(signer.issuer, 200))}`
        : `an issuer matching ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(signer.issuerRegexp ?? '', 200))}`;
    return `${identity} from ${issuer}`;
}
/** Needs a look: not trusted, not resolved, or matched by no rule. */
function isProblem(e) {
    return e.status === 'failed' || e.status === 'unresolved' || e.status === 'unmatched';
}
function baseImagesBlock(input, options) {
    const all = input.baseImages ?? [];
    const entries = options.onlyProblems ? all.filter(isProblem) : all;
    if (entries.length === 0)
        return undefined;
    const shown = entries.slice(0, options.limit);
    const notes = [problemList(input, shown, 50), pinList(input, shown, 20), signerList(shown)].filter((n) => n !== undefined);
    return {
        kind: 'table',
        before: `${options.heading} · ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(input.dockerfile)}`,
        header: ['Stage', 'Line', 'Image', 'Digest', 'Rule', 'Signer', 'Status'],
        rows: shown.map((e) => baseImageRow(input, e)),
        hidden: entries.length - shown.length,
        more: (n) => `${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .plural */ .LS)(n, 'more row')} not shown; the full list is in the ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)('base-images')} output.`,
        ...(notes.length > 0 ? { after: notes.join('\n\n') } : {}),
    };
}
function rowOf(f, reason) {
    return { ...(0,_scan_finding_js__WEBPACK_IMPORTED_MODULE_1__/* .summaryFinding */ .GK)(f), ...(reason !== undefined ? { reason } : {}) };
}
/** Most severe first, then the ones an upgrade fixes, then by id and package: the order of every listing. */
function compareRows(a, b) {
    return ((0,_scan_finding_js__WEBPACK_IMPORTED_MODULE_1__/* .severityRank */ .qs)(b.severity) - (0,_scan_finding_js__WEBPACK_IMPORTED_MODULE_1__/* .severityRank */ .qs)(a.severity) ||
        Number(b.fixable) - Number(a.fixable) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
        (a.packageName < b.packageName ? -1 : a.packageName > b.packageName ? 1 : 0));
}
/** The first `limit` rows in listing order, whatever order the scanner reported them in. */
function firstRows(rows, limit) {
    return [...rows].sort(compareRows).slice(0, limit);
}
function advisoryUrl(id) {
    if (/^CVE-\d{4}-\d+$/i.test(id))
        return `https://www.cve.org/CVERecord?id=${id.toUpperCase()}`;
    if (/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/i.test(id))
        return `https://github.com/advisories/${id}`;
    return undefined;
}
function findingId(f) {
    return (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .link */ .nf)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeMarkdown */ .FV)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(f.id, 80)), f.url ?? advisoryUrl(f.id));
}
function versions(f) {
    const installed = (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .cellCode */ .GA)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(f.installedVersion || '?', 60));
    if (!f.fixable)
        return `${installed} → no fix yet`;
    const fixed = f.fixedVersions.length > 0 ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .cellCode */ .GA)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(f.fixedVersions.join(', '), 80)) : 'a newer version';
    return `${installed} → ${fixed}`;
}
/** Whether findings of this severity fail the gate (when they count). */
function failsGate(severity, failOn) {
    return failOn !== 'never' && (0,_scan_finding_js__WEBPACK_IMPORTED_MODULE_1__/* .severityRank */ .qs)(severity) >= (0,_scan_finding_js__WEBPACK_IMPORTED_MODULE_1__/* .severityRank */ .qs)(failOn);
}
function reportNote(scan) {
    return (n) => `${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .plural */ .LS)(n, 'more row')} not shown; the full report is ${scan.reportFile ? `${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(scan.reportFile)} (the ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)('scan-report')} output)` : `in the ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)('scan-report')} output`}.`;
}
function findingsBlock(scan, options) {
    const { summary } = scan;
    const all = scan.gate ? scan.gate.top.map((f) => rowOf(f)) : summary.top;
    const total = scan.gate ? all.length : Math.max(all.length, summary.counts.total - summary.counts.ignored);
    if (total === 0)
        return undefined;
    const rows = firstRows(all, options.limit);
    const platforms = summary.platforms.length > 1;
    return {
        kind: 'table',
        before: options.heading,
        header: [
            'Severity',
            'ID',
            'Package',
            'Installed → fixed',
            'Origin',
            ...(platforms ? ['Platforms'] : []),
            'Title',
        ],
        rows: rows.map((f) => [
            `${failsGate(f.severity, summary.failOn) ? '⛔ ' : ''}${SEVERITY_LABEL[f.severity]}`,
            findingId(f),
            (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .cellCode */ .GA)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(f.packageName, 100)),
            versions(f),
            ORIGIN_LABEL[f.origin],
            ...(platforms ? [(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeMarkdown */ .FV)((f.platforms ?? []).join(', '))] : []),
            (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeMarkdown */ .FV)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(f.title ?? '', 80)),
        ]),
        hidden: total - rows.length,
        more: reportNote(scan),
    };
}
function ignoredBlock(scan, limit) {
    const { summary } = scan;
    const all = scan.gate ? scan.gate.ignored.map((i) => rowOf(i.finding, i.reason)) : summary.ignored;
    const total = scan.gate ? all.length : Math.max(all.length, summary.counts.ignored);
    if (total === 0)
        return undefined;
    const rows = firstRows(all, limit);
    return {
        kind: 'table',
        before: `<details><summary>Ignored findings (${total.toLocaleString('en-US')}): they do not count for the gate</summary>`,
        header: ['Severity', 'ID', 'Package', 'Installed → fixed', 'Why ignored'],
        rows: rows.map((f) => [
            SEVERITY_LABEL[f.severity],
            findingId(f),
            (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .cellCode */ .GA)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(f.packageName, 100)),
            versions(f),
            (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeProse */ .fd)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(f.reason ?? '', 300)),
        ]),
        hidden: total - rows.length,
        more: reportNote(scan),
        after: '</details>',
    };
}
function gateSentence(scan) {
    const s = scan.summary;
    const unfixed = s.ignoreUnfixed ? ' Findings without a fixed version do not count (`ignore-unfixed`).' : '';
    if (s.failOn === 'never')
        return `**No gate** (${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)('fail-on-severity: never')}): findings are reported only.`;
    if (s.passed)
        return `✅ **Gate passed**: nothing that counts at or above ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(`fail-on-severity: ${s.failOn}`)}.${unfixed}`;
    return `❌ **Gate failed**: ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .plural */ .LS)(s.blocking, 'finding')} at or above ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(`fail-on-severity: ${s.failOn}`)} that ${s.blocking === 1 ? 'is' : 'are'} not ignored, so the image is not signed.${unfixed}`;
}
function databaseSentence(scan) {
    const db = scan.summary.database;
    const when = db.updatedAt ? `built ${db.updatedAt.replace(/\.\d+Z$/, 'Z')}` : 'age unknown';
    const age = db.ageHours !== undefined ? ` (${Math.round(db.ageHours)} h old)` : '';
    const java = db.java
        ? ` Java index database: ${db.java.updatedAt ? `built ${db.java.updatedAt.replace(/\.\d+Z$/, 'Z')}, ` : ''}${databaseOrigin(db.java.source)}.`
        : '';
    return `Vulnerability database: ${when}${age}, ${databaseOrigin(db.source)}${db.stale ? ' — ⚠️ stale' : ''}.${java}`;
}
function databaseOrigin(source) {
    return source === 'download'
        ? 'downloaded'
        : source === 'restored'
            ? 'restored from the Actions cache'
            : 'from the tool cache';
}
function severityTable(scan) {
    const s = scan.summary;
    const rows = _scan_finding_js__WEBPACK_IMPORTED_MODULE_1__/* .SEVERITIES */ .oC.map((sev) => [
        failsGate(sev, s.failOn) ? `⛔ ${SEVERITY_LABEL[sev]}` : SEVERITY_LABEL[sev],
        String(s.counts[sev]),
        String(s.fixableBySeverity[sev] ?? 0),
    ]);
    rows.push(['**Total**', `**${s.counts.total}**`, `**${s.counts.fixable}**`]);
    return (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .table */ .tp)(['Severity', 'Found', 'Fixable'], rows);
}
function vulnerabilitiesIntro(scan, heading) {
    const s = scan.summary;
    const platforms = s.platforms.length > 1 ? ` (${s.platforms.map((p) => (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(p)).join(', ')})` : '';
    const marks = s.failOn === 'never' ? '' : ' ⛔ marks the severities that fail the gate.';
    const counts = `${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .plural */ .LS)(s.counts.total, 'vulnerability', 'vulnerabilities')} found, ${s.counts.fixable.toLocaleString('en-US')} fixable, ${s.counts.ignored.toLocaleString('en-US')} ignored.${marks}`;
    return [
        `${heading} · ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeMarkdown */ .FV)(s.scanner)} ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeMarkdown */ .FV)(s.scannerVersion)}${platforms}`,
        '',
        gateSentence(scan),
        '',
        `${counts} ${databaseSentence(scan)}`,
    ].join('\n');
}
function predicateLabel(type) {
    return type in _sign_args_js__WEBPACK_IMPORTED_MODULE_2__/* .PREDICATE_TYPE_URI */ .GB ? _sign_args_js__WEBPACK_IMPORTED_MODULE_2__/* .PREDICATE_TYPE_URI */ .GB[type] : type;
}
function signedState(sign) {
    if (sign.signed)
        return '✅ yes, and verified';
    // A signature exists once the stage got past signing; the `signed` output still says false.
    if (sign.phase === 'attest' || sign.phase === 'verify')
        return `❌ signature made, but the ${sign.phase === 'attest' ? 'attestations failed' : 'check after signing failed'}`;
    return '❌ no';
}
function signatureBlock(sign) {
    const lines = ['### Signature', ''];
    const rekor = (index, url) => index === undefined ? 'no Rekor entry' : (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .link */ .nf)(`Rekor log index ${index}`, url);
    lines.push(`- **Image:** ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(sign.reference)}`, `- **Signed:** ${signedState(sign)} (${sign.mode === 'keyless' ? 'keyless' : 'key'})`);
    if (sign.identity) {
        lines.push(`- **Signer:** ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(sign.identity.identity)}, issuer ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(sign.identity.issuer)}`);
    }
    else if (sign.keyRef) {
        lines.push(`- **Key:** ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(sign.keyRef)}`);
    }
    else {
        lines.push(`- **Key:** the key in ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)('cosign-key')}${sign.publicKey && sign.signed ? ' (public key below)' : ''}`);
    }
    lines.push(`- **Transparency log:** ${rekor(sign.rekorLogIndex, sign.rekorUrl)}`);
    const annotations = Object.entries(sign.annotations);
    if (annotations.length > 0) {
        lines.push(`- **Annotations:** ${annotations
            .slice(0, 20)
            .map(([k, v]) => (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(`${k}=${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(v, 200)}`))
            .join(', ')}`);
    }
    const rows = [
        ...sign.attestations.map((a) => [
            (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(a.type),
            (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(predicateLabel(a.type)),
            a.verified ? '✅ attached and verified' : '❌ not verified',
            rekor(a.rekorLogIndex, a.rekorUrl),
        ]),
        ...sign.skippedAttestations.map((s) => [
            (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(s.kind),
            '',
            `⏭️ skipped: ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeProse */ .fd)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(s.reason, 200))}`,
            '',
        ]),
    ];
    if (rows.length > 0)
        lines.push('', (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .table */ .tp)(['Attestation', 'Predicate type', 'Result', 'Transparency log'], rows));
    return lines.join('\n');
}
function verifyBlock(sign, heading, withAttestations) {
    if (!sign.signed || !sign.verifyCommand)
        return undefined;
    const parts = [
        heading,
        '',
        `Anyone can check that this digest was signed ${sign.mode === 'keyless' ? 'by this workflow' : 'with this key'} (the ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)('verify-command')} output):`,
        '',
        (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .fenced */ .OF)(sign.verifyCommand, 'sh'),
    ];
    if (sign.publicKey) {
        parts.push('', '<details><summary>The public key (save it as <code>cosign.pub</code>)</summary>', '', (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .fenced */ .OF)(sign.publicKey, 'text'), '', '</details>');
    }
    const attested = sign.attestations.filter((a) => a.verifyCommand);
    if (withAttestations && attested.length > 0) {
        parts.push('', '<details><summary>Verify the attestations</summary>', '', (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .fenced */ .OF)(attested.map((a) => a.verifyCommand).join('\n\n'), 'sh'), '', '</details>');
    }
    return parts.join('\n');
}
function toolSource(t) {
    if (t.source === 'provided')
        return '⚠️ provided, not verified';
    if (t.source === 'cache')
        return 'tool cache, re-verified';
    return t.url ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .link */ .nf)('downloaded', t.url) : 'downloaded';
}
function toolsBlock(input) {
    const tools = input.tools;
    if (!tools)
        return undefined;
    const rows = [tools.cosign, tools.verifier, tools.scanner]
        .filter((t) => t !== undefined)
        .map((t) => [
        (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeMarkdown */ .FV)(t.name),
        (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeMarkdown */ .FV)(t.version),
        toolSource(t),
        (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeProse */ .fd)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(t.verification.join('; ') || t.note || '', 400)),
        (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .formatDuration */ .a3)(t.durationMs),
    ]);
    return ['### Tools', '', (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .table */ .tp)(['Tool', 'Version', 'Source', 'Verification', 'Time'], rows)].join('\n');
}
function noticesBlock(input, limit) {
    const scan = input.scan?.summary;
    const all = [...input.report.notices, ...(scan?.expiredIgnores ?? []), ...(scan?.warnings ?? [])];
    if (all.length === 0)
        return undefined;
    const items = [...new Set(all)];
    const shown = items.slice(0, limit).map((n) => `- ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeProse */ .fd)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .truncate */ .xv)(n, 600), false)}`);
    if (items.length > limit)
        shown.push(`- … ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .plural */ .LS)(items.length - limit, 'more notice')} in the step log`);
    return ['### Notices', '', ...shown].join('\n');
}
function footer(input, extra) {
    const { github } = input;
    if (!github.repository || !github.runId)
        return extra ? `<sub>${extra}</sub>` : undefined;
    const run = (0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .link */ .nf)(`run ${github.runId}`, (0,_github_context_js__WEBPACK_IMPORTED_MODULE_0__/* .runUrl */ .Vp)(github));
    const commit = github.sha
        ? ` at ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .link */ .nf)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .code */ .aY)(github.sha.slice(0, 7)), `${github.serverUrl}/${github.repository}/commit/${github.sha}`)}`
        : '';
    return `<sub>secure-image · ${run}${commit}${extra ? ` · ${extra}` : ''}</sub>`;
}
const DEFAULT_LIMITS = { findings: 50, ignored: 50, baseImages: 200, notices: 30 };
function limitsOf(input, defaults) {
    return { ...defaults, ...input.limits };
}
function compact(blocks) {
    return blocks.filter((b) => b !== undefined);
}


/***/ }),

/***/ 687:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Vj: () => (/* binding */ verdictOf),
/* harmony export */   _k: () => (/* binding */ failingBaseImages)
/* harmony export */ });
/* unused harmony exports warningReasons, overallVerdict */
/* harmony import */ var _markdown_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4285);

/** The verdict of what the summary and the comment show. */
function verdictOf(input) {
    return overallVerdict({
        report: input.report,
        ...(input.scan ? { scan: input.scan.summary } : {}),
        ...(input.sign ? { sign: input.sign } : {}),
        ...(input.baseImages ? { baseImages: input.baseImages } : {}),
        ...(input.tools ? { tools: input.tools } : {}),
        ...(input.digestPinning ? { digestPinning: input.digestPinning } : {}),
    });
}
const KIND_NAME = {
    from: ['FROM line', 'FROM lines'],
    'copy-from': ['COPY --from image', 'COPY --from images'],
    'mount-from': ['RUN --mount image', 'RUN --mount images'],
    syntax: ['# syntax image', '# syntax images'],
    context: ['build-contexts image', 'build-contexts images'],
};
/** Why a run that passed has warnings, one short phrase each, in the order a reader fixes them. */
function warningReasons(input) {
    const reasons = [];
    const entries = input.baseImages ?? [];
    const failedHere = entries.filter((e) => e.status === 'failed' || e.status === 'unresolved');
    if (failedHere.length > 0 && !input.report.failure)
        reasons.push(`${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(failedHere.length, 'base image')} not trusted (\`verify-base-images: warn\`)`);
    const unmatched = entries.filter((e) => e.status === 'unmatched');
    if (unmatched.length > 0)
        reasons.push(`${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(unmatched.length, 'base image matches', 'base images match')} no policy rule`);
    if (input.digestPinning !== 'off') {
        const unpinned = entries.filter((e) => !e.pinned && e.status !== 'unresolved');
        for (const kind of Object.keys(KIND_NAME)) {
            const n = unpinned.filter((e) => e.kind === kind).length;
            const [one, many] = KIND_NAME[kind];
            if (n > 0)
                reasons.push(`${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(n, one, many)} not pinned`);
        }
    }
    const fromBaseImages = reasons.length;
    for (const t of [input.tools?.cosign, input.tools?.scanner]) {
        if (t?.source === 'provided')
            reasons.push(`${t.name} provided, not verified`);
    }
    const fromTools = reasons.length - fromBaseImages;
    // A stage that warned for a reason the lists above do not know says it in its own words.
    for (const s of input.report.list()) {
        if (s.status !== 'warning')
            continue;
        if (s.id === 'base-images' && fromBaseImages > 0)
            continue;
        if (s.id === 'tools' && fromTools > 0)
            continue;
        reasons.push(`${s.title}: ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .truncate */ .xv)(s.detail.split('; ')[0] ?? s.detail, 120)}`);
    }
    return reasons.map((r) => (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeProse */ .fd)(r, false));
}
/** The one-line answer a maintainer reads first: did it pass, where did it stop, what is true of the image. */
function overallVerdict(input) {
    const { report, scan, sign } = input;
    const stage = (id) => report.stages.get(id);
    const facts = [];
    const base = stage('base-images');
    if (base?.status === 'passed')
        facts.push('base images verified');
    else if (base?.status === 'warning')
        facts.push('base images checked');
    else if (base?.status === 'skipped')
        facts.push('base images not checked');
    if (scan) {
        if (scan.failOn === 'never')
            facts.push(`${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(scan.counts.total, 'vulnerability', 'vulnerabilities')} (no gate)`);
        else if (scan.passed)
            facts.push(`no vulnerability at or above ${scan.failOn} that counts`);
        else
            facts.push(`${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(scan.blocking, 'vulnerability', 'vulnerabilities')} at or above ${scan.failOn}`);
    }
    else if (stage('scan')?.status === 'skipped') {
        facts.push('not scanned');
    }
    if (stage('push')?.status === 'skipped' && !sign?.signed)
        facts.push('not pushed');
    if (sign?.signed) {
        const n = sign.attestations.length;
        facts.push(`signed${n > 0 ? ` with ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(n, 'attestation')}` : ''}, and verified`);
    }
    else if (stage('sign')?.status === 'skipped' && stage('push')?.status !== 'skipped') {
        facts.push('not signed');
    }
    if (report.failure) {
        const where = report.failure.stage ? report.stages.get(report.failure.stage)?.title : undefined;
        const lines = report.failure.message.split('\n');
        // A message of several lines is shown whole under the headline; one line fits in it. The base images that
        // failed are listed from their entries (each with its next step), so the line keeps only the count.
        const first = (lines[0] ?? '').replace(/:$/, '');
        const said = lines.length > 1 && !(report.failure.stage === 'base-images' && failingBaseImages(input).length > 0)
            ? ''
            : ` ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeProse */ .fd)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .truncate */ .xv)(first, 300), false)}${lines.length > 1 ? '.' : ''}`;
        return {
            level: 'failed',
            icon: '❌',
            word: 'Failed',
            facts,
            line: `**Failed**${where ? ` at ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .FV)(where)}` : ''}:${said}`,
        };
    }
    const warned = report.list().some((s) => s.status === 'warning' || s.status === 'failed');
    const level = warned ? 'warning' : 'passed';
    const icon = warned ? '⚠️' : '✅';
    const word = warned ? 'Passed with warnings' : 'Passed';
    const reasons = warned ? warningReasons(input) : [];
    const established = facts.length > 0 ? `${facts.join('; ')}.` : '';
    const line = reasons.length > 0
        ? `**${word}**: ${reasons.join('; ')}.${established ? ` Otherwise: ${established}` : ''}`
        : `**${word}**${established ? `: ${established}` : ''}`;
    return { level, icon, word, facts, line };
}
/** The base images that made the base-image stage fail: not trusted, not resolved, or matched by no rule under `deny`. */
function failingBaseImages(input) {
    if (input.report.failure?.stage !== 'base-images')
        return [];
    return (input.baseImages ?? []).filter((e) => e.status === 'failed' ||
        e.status === 'unresolved' ||
        (e.status === 'unmatched' && (e.reason ?? '').includes('unmatched: deny')));
}


/***/ }),

/***/ 1164:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G4: () => (/* binding */ isFixable),
/* harmony export */   GK: () => (/* binding */ summaryFinding),
/* harmony export */   MH: () => (/* binding */ cvssVersionOfVector),
/* harmony export */   Qs: () => (/* binding */ ReportFormatError),
/* harmony export */   Th: () => (/* binding */ originFromLayers),
/* harmony export */   oC: () => (/* binding */ SEVERITIES),
/* harmony export */   qs: () => (/* binding */ severityRank),
/* harmony export */   r9: () => (/* binding */ dedupeKey),
/* harmony export */   s4: () => (/* binding */ normaliseSeverity)
/* harmony export */ });
/* unused harmony export normaliseDigest */
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(17);

/** The scanner's output is not the report this action asked for: names the scanner and what is wrong with it. */
class ReportFormatError extends _util_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo {
    constructor(message, options) {
        super(message, options);
        this.name = 'ReportFormatError';
    }
}
/** Most severe first: the order of the gate thresholds and of every listing. */
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'];
/** Higher is more severe; `unknown` ranks below `low`, so `fail-on-severity: low` does not fail on unknown findings. */
function severityRank(severity) {
    return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity);
}
/** Both scanners' words (trivy CRITICAL…, grype Critical…Negligible) onto the five levels. */
function normaliseSeverity(value) {
    if (typeof value !== 'string')
        return 'unknown';
    switch (value.trim().toLowerCase()) {
        case 'critical':
            return 'critical';
        case 'high':
            return 'high';
        case 'medium':
        case 'moderate':
            return 'medium';
        case 'low':
        case 'negligible':
            return 'low';
        default:
            return 'unknown';
    }
}
/** A finding can be fixed by upgrading: the scanner names a fixed version, or says it is fixed. */
function isFixable(finding) {
    return finding.fixedVersions.length > 0 || finding.fixState === 'fixed';
}
/** The identity used to count a vulnerability once even when a scanner reports it at several paths. */
function dedupeKey(finding) {
    return `${finding.id}\u0000${finding.packageName}\u0000${finding.installedVersion}`;
}
/** `sha256:ABC…` and `abc…` name the same layer. */
function normaliseDigest(digest) {
    const lower = digest.trim().toLowerCase();
    return lower.startsWith('sha256:') ? lower.slice('sha256:'.length) : lower;
}
/**
 * Which part of the image a finding comes from. Without the base image's layers, or without a layer on the
 * finding, nobody can tell, so `unknown` rather than a guess.
 */
function originFromLayers(layers, baseLayers) {
    if (!baseLayers || baseLayers.length === 0)
        return 'unknown';
    const known = layers.filter((l) => typeof l === 'string' && l.trim() !== '');
    if (known.length === 0)
        return 'unknown';
    const base = new Set(baseLayers.map(normaliseDigest));
    return known.some((l) => base.has(normaliseDigest(l))) ? 'base' : 'app';
}
/** The CVSS version a vector states (`CVSS:3.1/…` → `3.1`), for vectors that carry one. */
function cvssVersionOfVector(vector) {
    const m = vector === undefined ? null : /^CVSS:(\d+(?:\.\d+)?)\//.exec(vector);
    return m?.[1];
}
function summaryFinding(f) {
    return {
        id: f.id,
        severity: f.severity,
        packageName: f.packageName,
        installedVersion: f.installedVersion,
        fixedVersions: f.fixedVersions,
        fixable: isFixable(f),
        origin: f.origin,
        ...(f.title ? { title: f.title } : {}),
        ...(f.url ? { url: f.url } : {}),
        ...(f.platforms ? { platforms: f.platforms } : {}),
    };
}


/***/ }),

/***/ 7796:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GB: () => (/* binding */ PREDICATE_TYPE_URI),
/* harmony export */   Ng: () => (/* binding */ signArgs),
/* harmony export */   Q_: () => (/* binding */ PREDICATE_SHORTHAND),
/* harmony export */   TN: () => (/* binding */ rekorSearchUrl),
/* harmony export */   a9: () => (/* binding */ publicKeyArgs),
/* harmony export */   eE: () => (/* binding */ signatureAnnotations),
/* harmony export */   ol: () => (/* binding */ assertDigestReference),
/* harmony export */   p0: () => (/* binding */ verifyCommand),
/* harmony export */   r7: () => (/* binding */ attestArgs),
/* harmony export */   tk: () => (/* binding */ parseRekorLogIndex)
/* harmony export */ });
/* unused harmony exports ANNOTATION_SOURCE, ANNOTATION_REVISION, ANNOTATION_RUN, annotationFlagValue, publishFlags, shellQuote */
/* harmony import */ var _github_context_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8886);
/* harmony import */ var _cosign_args_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2974);


const PREDICATE_SHORTHAND = {
    sbom: 'cyclonedx',
    vuln: 'vuln',
    provenance: 'slsaprovenance1',
};
/** What cosign writes as the in-toto predicateType for each `--type` shorthand (cosign's options/predicate.go). */
const PREDICATE_TYPE_URI = {
    cyclonedx: 'https://cyclonedx.org/bom',
    vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
    slsaprovenance1: 'https://slsa.dev/provenance/v1',
};
/** Annotation keys the action always sets; `signature-annotations` cannot replace them. */
const ANNOTATION_SOURCE = 'org.opencontainers.image.source';
const ANNOTATION_REVISION = 'org.opencontainers.image.revision';
const ANNOTATION_RUN = 'dev.secure-image.run-url';
const DIGEST_REFERENCE = /^[^\s@]+@sha256:[0-9a-f]{64}$/;
/** Signing is by digest only: a tag can move between the push and the signature. */
function assertDigestReference(reference) {
    const name = reference.slice(0, Math.max(0, reference.lastIndexOf('@')));
    // A tag next to the digest (repo:tag@sha256:…) is ignored by cosign; asked for, it would mislead.
    const tagged = (name.split('/').pop() ?? '').includes(':');
    if (!DIGEST_REFERENCE.test(reference) || tagged) {
        throw new Error(`refusing to sign ${JSON.stringify(reference)}: only a digest reference (repository@sha256:<64 hex>) says exactly what is signed`);
    }
}
/**
 * The signature's annotations: the repository, the commit and the run that made it, then the user's
 * `signature-annotations`. A user key that would replace one of the action's is dropped and named.
 */
function signatureAnnotations(github, extra) {
    const own = [];
    if (github.repository !== '')
        own.push({ key: ANNOTATION_SOURCE, value: `${github.serverUrl}/${github.repository}` });
    if (github.sha !== '')
        own.push({ key: ANNOTATION_REVISION, value: github.sha });
    if (github.repository !== '' && github.runId !== '')
        own.push({ key: ANNOTATION_RUN, value: (0,_github_context_js__WEBPACK_IMPORTED_MODULE_0__/* .runUrl */ .Vp)(github) });
    const reserved = new Set([ANNOTATION_SOURCE, ANNOTATION_REVISION, ANNOTATION_RUN]);
    const dropped = [];
    const byKey = new Map();
    for (const { key, value } of extra) {
        if (reserved.has(key))
            dropped.push(key);
        else
            byKey.set(key, value);
    }
    return { annotations: [...own, ...[...byKey].map(([key, value]) => ({ key, value }))], dropped };
}
/**
 * One `--annotations` value. pflag reads a `strings` flag as a CSV record, so a value holding a comma
 * or a quote would be split or mangled; CSV quoting keeps it one `key=value`.
 */
function annotationFlagValue({ key, value }) {
    const pair = `${key}=${value}`;
    return /[",\r\n]/.test(pair) ? `"${pair.replace(/"/g, '""')}"` : pair;
}
/**
 * cosign v3 writes a Sigstore bundle as an OCI 1.1 referrer, through the TUF signing config, by default. The older
 * tag scheme needs the deprecated `--new-bundle-format=false`; no transparency log entry needs `--tlog-upload=false`
 * (both hidden from the reference pages, both taken by the binary). cosign refuses either next to the signing config
 * it uses by default ("--tlog-upload=false is not supported with … --use-signing-config", "must provide
 * --new-bundle-format … with --use-signing-config"), and that config would name the public instance's services, which
 * `tlog-upload: false` is for not reaching. So `--use-signing-config=false` with either, once.
 */
function publishFlags(format, tlogUpload, sigstore) {
    // A private instance's own signing config replaces the TUF one; cosign refuses both flags at once. Its trusted
    // root is what cosign checks the new signature against (else it fetches the public one from TUF). The config
    // refuses `legacy` and `tlog-upload: false` next to it, as cosign does.
    if (sigstore)
        return ['--signing-config', sigstore.signingConfig, '--trusted-root', sigstore.trustedRoot];
    const flags = [
        ...(format === 'legacy' ? ['--new-bundle-format=false'] : []),
        ...(tlogUpload === false ? ['--tlog-upload=false'] : []),
    ];
    return flags.length > 0 ? [...flags, '--use-signing-config=false'] : [];
}
function signArgs(request) {
    assertDigestReference(request.reference);
    return [
        'sign',
        '--yes',
        ...(request.keyRef !== undefined ? ['--key', request.keyRef] : []),
        ...publishFlags(request.format, request.tlogUpload, request.sigstore),
        ...(request.recursive ? ['--recursive'] : []),
        ...request.annotations.flatMap((a) => ['--annotations', annotationFlagValue(a)]),
        ...(0,_cosign_args_js__WEBPACK_IMPORTED_MODULE_1__/* .registryFlags */ .hE)(request.insecure),
        request.reference,
    ];
}
function attestArgs(request) {
    assertDigestReference(request.reference);
    return [
        'attest',
        '--yes',
        ...(request.keyRef !== undefined ? ['--key', request.keyRef] : []),
        ...publishFlags(request.format, request.tlogUpload, request.sigstore),
        '--type',
        request.type,
        '--predicate',
        request.predicateFile,
        ...(0,_cosign_args_js__WEBPACK_IMPORTED_MODULE_1__/* .registryFlags */ .hE)(request.insecure),
        request.reference,
    ];
}
/** `cosign public-key`: the public half of a key file, as PEM on stdout. */
function publicKeyArgs(keyRef) {
    return ['public-key', '--key', keyRef];
}
/** The number in cosign's "tlog entry created with index: N", when it printed one. */
function parseRekorLogIndex(stderr) {
    const match = /tlog entry created with index:?\s*(\d+)/.exec(stderr);
    if (!match?.[1])
        return undefined;
    const index = Number(match[1]);
    return Number.isSafeInteger(index) ? index : undefined;
}
/** The public-good Rekor entry, in Sigstore's search UI. */
function rekorSearchUrl(logIndex) {
    return `https://search.sigstore.dev/?logIndex=${logIndex}`;
}
/** POSIX shell quoting, only where needed, so the command reads as a person would type it. */
function shellQuote(word) {
    if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word))
        return word;
    return `'${word.replace(/'/g, `'\\''`)}'`;
}
/**
 * The command a consumer runs to check the signature, laid out as in the README: the reference
 * first, then one flag per line. With a key file, `--key cosign.pub` stands for the public key the
 * signer publishes (the run only ever had the private key in a temporary file).
 */
function verifyCommand(reference, signer, options) {
    assertDigestReference(reference);
    const flags = [];
    if (options.attestationType)
        flags.push(['--type', options.attestationType]);
    // One flag a line: `--flag value`, or `--flag=value` alone.
    const signerArgs = (0,_cosign_args_js__WEBPACK_IMPORTED_MODULE_1__/* .signerFlags */ .w0)(signer);
    for (let i = 0; i < signerArgs.length; i++) {
        const flag = signerArgs[i] ?? '';
        const value = signerArgs[i + 1];
        if (flag.includes('=') || value === undefined)
            flags.push([flag]);
        else {
            flags.push([flag, value]);
            i++;
        }
    }
    for (const flag of (0,_cosign_args_js__WEBPACK_IMPORTED_MODULE_1__/* .registryFlags */ .hE)(options.insecure))
        flags.push([flag]);
    const head = `cosign ${options.attestationType ? 'verify-attestation' : 'verify'} ${shellQuote(reference)}`;
    return [head, ...flags.map((f) => `  ${f.map(shellQuote).join(' ')}`)].join(' \\\n');
}


/***/ }),

/***/ 2616:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  attestStage: () => (/* reexport */ attestStage),
  baseImagesStage: () => (/* reexport */ baseImagesStage),
  buildStage: () => (/* reexport */ buildStage),
  disposeSigning: () => (/* reexport */ disposeSigning),
  finishBaseUpdates: () => (/* reexport */ finishBaseUpdates),
  measureSize: () => (/* reexport */ measureSize),
  mergeStage: () => (/* reexport */ mergeStage),
  prepareSignStage: () => (/* reexport */ prepareSignStage),
  publishStage: () => (/* reexport */ publishStage),
  reportStage: () => (/* reexport */ reportStage),
  runStage: () => (/* reexport */ runStage),
  scanStage: () => (/* reexport */ scanStage),
  setUp: () => (/* reexport */ setUp),
  signStage: () => (/* reexport */ signStage),
  startDatabaseWarmup: () => (/* reexport */ startDatabaseWarmup),
  startTools: () => (/* reexport */ startTools),
  useGivenDigest: () => (/* reexport */ useGivenDigest),
  verifyStage: () => (/* reexport */ verifyStage)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/registry/client.ts
var client = __webpack_require__(2440);
// EXTERNAL MODULE: ./src/util/errors.ts
var errors = __webpack_require__(17);
// EXTERNAL MODULE: ./src/sign/args.ts
var args = __webpack_require__(7796);
// EXTERNAL MODULE: ./src/util/exec.ts + 1 modules
var util_exec = __webpack_require__(2817);
// EXTERNAL MODULE: ./src/util/retry.ts
var retry = __webpack_require__(4266);
// EXTERNAL MODULE: ./src/cosign/args.ts
var cosign_args = __webpack_require__(2974);
;// CONCATENATED MODULE: ./src/cosign/verify.ts



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
        : (0,util_exec/* tailLines */.os)(stderr, 3);
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
    const digest = await (0,retry/* retry */.L5)(async () => {
        const result = await (0,util_exec/* execTool */.wc)({
            command: options.cosign,
            args: (0,cosign_args/* verifyArgs */.H$)(reference, signer, options.insecure),
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
            throw new VerificationIncomplete(reason, (0,retry/* isTransientText */.KL)(result.stderr));
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
            throw new CosignCallFailed(step.label, cosignReason(result.stderr), isTransientCosignFailure(result.stderr), result.stderr);
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
        const file = { sbom: files.sbomFile, vuln: files.vulnPredicateFile, provenance: files.provenanceFile }[kind];
        const what = {
            sbom: 'CycloneDX SBOM',
            vuln: 'vulnerability predicate',
            provenance: 'SLSA provenance predicate',
        }[kind];
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
                ...(request.format ? { format: request.format } : {}),
                ...(request.tlogUpload === false ? { tlogUpload: false } : {}),
                ...(request.sigstore ? { sigstore: request.sigstore } : {}),
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
    if (inner instanceof SignatureRejected || inner instanceof VerificationIncomplete)
        return inner.reason;
    if (inner instanceof CosignCallFailed)
        return inner.reason;
    return (0,errors/* errorMessage */.gJ)(inner);
}
async function verifySignature(session, reference, signer, insecure) {
    try {
        const material = await session.material();
        const { durationMs } = await verifyImageSignature(reference, signer, {
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

// EXTERNAL MODULE: ./src/util/log.ts + 1 modules
var util_log = __webpack_require__(917);
;// CONCATENATED MODULE: ./src/sign/signing.ts












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
 * Proves before the build that the key can sign: cosign reads the private key with `cosign-password` (or the KMS
 * key's public key) with `cosign public-key`. A wrong or missing password is an error that names the input.
 */
async function checkSigningKey(signing) {
    const key = signing.key;
    if (!key)
        return;
    try {
        const pub = await derivePublicKey(signing.session, key.keyRef, signing.input.workDir);
        if (key.kind === 'pem') {
            signing.publicKey = pub;
            signing.result.publicKey = pub.pem;
        }
    }
    catch (error) {
        const said = (0,errors/* errorMessage */.gJ)(error);
        signing.log.info(`cosign public-key: ${said}`);
        throw new errors/* UserError */.yo(key.kind === 'kms'
            ? `Input \`cosign-key\`: cosign could not read the public key of ${key.keyRef}. Check the URI and that this job has the KMS provider's credentials (and permission to read the key). Nothing was built.`
            : /decrypt|password|encrypted/i.test(said)
                ? 'Input `cosign-password` does not open `cosign-key`: cosign could not decrypt the key. Set `cosign-password` to the password the key was made with (`cosign generate-key-pair`), from the same secret store as the key. Nothing was built.'
                : `Input \`cosign-key\`: cosign could not read the key (${said}). Give the private key that \`cosign generate-key-pair\` wrote (cosign.key), whole. Nothing was built.`, { cause: error });
    }
}
/** Prepares signing for `input` (its `reference` may be filled in later, once pushed). */
async function prepareSigning(input, deps = {}) {
    const { config } = input;
    const log = deps.log ?? { info: util_log/* logInfo */.fH, warning: core/* warning */.$e };
    const processEnv = deps.processEnv ?? process.env;
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
        reference: input.reference,
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
        tokens = new IdentityTokens(deps.getIdToken ?? ((audience) => core/* getIDToken */.V9(audience)), processEnv);
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
    // Without a log entry (`tlog-upload: false`, key mode only) the check must not demand one.
    const ignoreTlog = key !== undefined && config.tlogUpload === false;
    const signer = (trust) => {
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
function signerTrust(sigstore, where) {
    if (!sigstore)
        return undefined;
    return {
        trustedRoot: where === 'shown' ? sigstore.trustedRootShown : sigstore.trustedRoot,
        ignoreSct: sigstore.ignoreSct,
        ignoreTlog: sigstore.ignoreTlog,
        signedTimestamps: sigstore.signedTimestamps,
    };
}
/** The private instance's files, as `cosign sign` and `attest` take them. */
function sigstoreFiles(signing) {
    const sigstore = signing.input.config.sigstore;
    return sigstore
        ? { sigstore: { signingConfig: sigstore.signingConfig, trustedRoot: sigstore.trustedRoot } }
        : {};
}
/** A log index's link to search.sigstore.dev: only the public instance's log is searched there. */
function rekorLink(signing, logIndex) {
    return signing.input.config.sigstore
        ? { rekorLogIndex: logIndex }
        : { rekorLogIndex: logIndex, rekorUrl: (0,args/* rekorSearchUrl */.TN)(logIndex) };
}
/** `tlog-upload: false` with a key: signed without a log entry, so verified without demanding one. */
function ignoresTlog(signing) {
    return signing.key !== undefined && signing.input.config.tlogUpload === false;
}
/** Points a prepared signing at the pushed digest; anything but `repository@sha256:…` is refused. */
function signingFor(signing, reference, isIndex) {
    (0,args/* assertDigestReference */.ol)(reference);
    const insecure = (0,client/* isLoopbackRegistry */.jW)(registryOf(reference));
    signing.input = { ...signing.input, reference, isIndex };
    signing.result.reference = reference;
    signing.insecure = insecure;
    signing.result.verifyCommand = (0,args/* verifyCommand */.p0)(reference, signing.shown, { insecure });
    return signing;
}
/** Signs the digest. Throws SignStageError: nothing unverified is "signed". */
async function signDigest(signing) {
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
        if (signed.rekorLogIndex !== undefined)
            Object.assign(result, rekorLink(signing, signed.rekorLogIndex));
        log.info(`Signed ${reference}${input.isIndex ? ' and each platform image in it' : ''}${signed.rekorLogIndex !== undefined ? ` (Rekor log index ${signed.rekorLogIndex}${result.rekorUrl ? `, ${result.rekorUrl}` : ''})` : ''}.`);
        startCheck(signing, 'signature');
        result.phase = 'attest';
    }
    catch (error) {
        throw new SignStageError((0,errors/* errorMessage */.gJ)(error), result, { cause: error });
    }
}
/** Attaches the attestations the `attest` input asks for and has inputs for. */
async function attachAttestations(signing) {
    const { input, result, key, log, insecure, shown } = signing;
    const reference = input.reference;
    try {
        result.phase = 'attest';
        const { plans, skipped } = planAttestations([...input.config.attest, ...(input.provenanceFile ? ['provenance'] : [])], input);
        result.skippedAttestations = skipped;
        for (const s of skipped)
            log.info(`The ${s.kind} attestation is skipped: ${s.reason}.`);
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
                verifyCommand: (0,args/* verifyCommand */.p0)(reference, shown, { insecure, attestationType: plan.type }),
            });
            log.info(`Attached the ${plan.type} attestation to ${reference}.`);
            startCheck(signing, plan.type);
        }
        result.phase = 'verify';
    }
    catch (error) {
        throw new SignStageError((0,errors/* errorMessage */.gJ)(error), result, { cause: error });
    }
}
/**
 * Verifies the signature and every attestation with the identity (or key) a consumer would demand; only then is
 * the image "signed".
 */
async function verifySigned(signing) {
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
        const failed = checks.find((c) => c.status === 'rejected');
        if (failed)
            throw failed.reason;
        result.durations.verify = Math.round(performance.now() - verifyStarted);
        result.signed = true;
        result.phase = 'done';
        log.info(`Verified the signature${result.attestations.length > 0 ? ` and ${result.attestations.length} attestation${result.attestations.length === 1 ? '' : 's'}` : ''} on ${reference}${result.identity ? ` as ${result.identity.identity} (${result.identity.issuer})` : ''}.`);
    }
    catch (error) {
        throw new SignStageError((0,errors/* errorMessage */.gJ)(error), result, { cause: error });
    }
}
/**
 * Starts (once) the check of the signature or of one attestation, with the identity (or key) a consumer would
 * demand. Checking only reads, so it runs beside the next write: cosign swaps the list of signatures and
 * attestations whole (sigstore/cosign#2432), so a read sees it before or after a write, and in both what was written
 * before the check started. Its failure is reported by verifySigned, which waits for every check.
 */
function startCheck(signing, what) {
    const started = signing.checks.get(what);
    if (started)
        return started;
    const { input, result, insecure } = signing;
    const check = (async () => {
        const verifier = await verifierOf(signing);
        if (what === 'signature') {
            await verifySignature(signing.verifySession, input.reference, verifier, insecure);
            return;
        }
        await verifyAttestation(signing.verifySession, input.reference, verifier, what, insecure);
        const attestation = result.attestations.find((a) => a.type === what);
        if (attestation)
            attestation.verified = true;
    })();
    // Awaited by verifySigned; a run that fails before it must not leave a rejection unhandled.
    check.catch(() => undefined);
    signing.checks.set(what, check);
    return check;
}
const publicKeys = new WeakMap();
/** The signer the run's own checks demand; for a PEM key, its public key as a file (read once, for every check). */
async function verifierOf(signing) {
    const { key, verifier, input, result } = signing;
    if (key?.kind !== 'pem' || verifier.kind !== 'key')
        return verifier;
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
async function runSignStage(input, deps = {}) {
    assertDigestReference(input.reference);
    const signing = signingFor(await prepareSigning(input, deps), input.reference, input.isIndex);
    try {
        await signDigest(signing);
        await attachAttestations(signing);
        await verifySigned(signing);
        return signing.result;
    }
    finally {
        signing.dispose();
    }
}

;// CONCATENATED MODULE: ./src/sign/provenance.ts
/** The build type this action's provenance describes, as SLSA v1 asks a builder to name it. */
const BUILD_TYPE = 'https://github.com/secure-image/secure-image/build/v1';
/**
 * A SLSA v1 provenance predicate (https://slsa.dev/spec/v1.0/provenance) for the pushed digest: what was built from
 * (the repository at its commit, and each base image by the digest that was verified), by which builder, in which
 * run. The subject is the digest `cosign attest` attaches it to.
 */
function provenancePredicate(input) {
    const { github } = input;
    const repositoryUrl = `${github.serverUrl}/${github.repository}`;
    const dependencies = [
        {
            uri: `git+${repositoryUrl}@${github.ref}`,
            digest: { gitCommit: github.sha },
            name: 'source',
        },
    ];
    const seen = new Set();
    for (const base of input.baseImages) {
        if (!base.image || !base.digest || !['verified', 'allowed-unsigned'].includes(base.status))
            continue;
        const uri = `oci://${base.image}`;
        if (seen.has(`${uri}@${base.digest}`))
            continue;
        seen.add(`${uri}@${base.digest}`);
        dependencies.push({
            uri,
            digest: { sha256: base.digest.replace(/^sha256:/, '') },
            annotations: { kind: base.kind, trust: base.status },
        });
    }
    dependencies.push({ uri: `pkg:generic/${input.builder}`, name: 'builder' });
    const externalParameters = {
        workflow: {
            ref: github.ref,
            repository: repositoryUrl,
            ...(input.workflowRef ? { path: workflowPath(input.workflowRef) } : {}),
        },
        dockerfile: input.dockerfile,
        ...(input.target ? { target: input.target } : {}),
        platforms: [...input.platforms],
    };
    if (input.mode === 'max') {
        externalParameters.buildArgs = Object.fromEntries(input.buildArgs.map((a) => [a.key, a.value]));
        externalParameters.buildContexts = Object.fromEntries(input.buildContexts.map((c) => [c.key, c.value]));
    }
    const runUrl = `${repositoryUrl}/actions/runs/${github.runId}/attempts/${github.runAttempt || '1'}`;
    return {
        buildDefinition: {
            buildType: BUILD_TYPE,
            externalParameters,
            internalParameters: { github: { event_name: github.eventName, runner_os: github.runnerOs } },
            resolvedDependencies: dependencies,
        },
        runDetails: {
            builder: {
                id: input.workflowRef ? `${github.serverUrl}/${input.workflowRef}` : `${repositoryUrl}/actions`,
            },
            metadata: {
                invocationId: runUrl,
                startedOn: input.startedOn.toISOString(),
                finishedOn: input.finishedOn.toISOString(),
            },
        },
    };
}
/** `.github/workflows/x.yml` from `owner/repo/.github/workflows/x.yml@ref`. */
function workflowPath(workflowRef) {
    const at = workflowRef.lastIndexOf('@');
    const path = at >= 0 ? workflowRef.slice(0, at) : workflowRef;
    return path.split('/').slice(2).join('/');
}

;// CONCATENATED MODULE: ./src/stages/run.ts

/** Runs a stage unless the plan or the run so far rules it out; the report keeps the plan's reason. */
async function runStage(run, stage) {
    if (!run.plan[stage.id].run)
        return;
    const why = stage.skipped?.(run);
    if (why !== undefined) {
        run.report.set(stage.id, 'skipped', why);
        return;
    }
    await stage.run(run);
}
/** The cosign binary of this run, once installed and verified. */
async function cosignPath(run) {
    const installed = await run.cosign;
    if (!installed)
        throw new errors/* UserError */.yo('cosign is not installed in this run');
    return installed.path;
}
/** The registry host of the image this run pushes or signs. */
function run_registryOf(config) {
    const repository = config.image ?? config.digest?.repository ?? config.tags[0] ?? '';
    return repository.split('/')[0] ?? '';
}
/** What the run is about: the pushed reference, or the local name. */
function subjectOf(run) {
    const { config, build } = run;
    if (build?.imageRef)
        return build.imageRef;
    if (config.digest)
        return `${config.digest.repository}@${config.digest.digest}`;
    return config.tags[0] ?? config.image ?? 'image';
}

;// CONCATENATED MODULE: ./src/stages/sign.ts







/** The prepared signing of this run, between the preflight and the verify stage. */
const signings = new WeakMap();
/**
 * Before the build: whatever signing will need is checked, so a run that cannot sign fails before anything is
 * pushed. Keyless: the OIDC token (a job without `id-token: write` fails here, with the fix). Key: cosign reads
 * the key with `cosign-password`, or the KMS key's public key.
 */
async function prepareSignStage(run) {
    const { config, plan } = run;
    if (!plan.sign.run)
        return;
    const signing = await failAt(run, 'sign', async () => prepareSigning({
        config,
        reference: '',
        isIndex: false,
        cosign: await cosignPath(run),
        env: run.toolEnv,
        workDir: run.workDir,
    }, { timeoutMs: config.stageTimeoutMs }));
    signings.set(run, signing);
    await failAt(run, 'sign', () => checkSigningKey(signing));
}
/**
 * The SLSA v1 provenance predicate of this run's build, as a file for `cosign attest`: the verified base images by
 * digest, the source at its commit, and the builder. Only a run that built has one (a given digest was built elsewhere).
 */
function writeProvenance(run, mode, build) {
    const { config } = run;
    const finishedOn = new Date();
    const predicate = provenancePredicate({
        mode,
        github: config.github,
        ...(process.env.GITHUB_WORKFLOW_REF ? { workflowRef: process.env.GITHUB_WORKFLOW_REF } : {}),
        builder: build.choice.builder,
        baseImages: run.baseImages?.entries ?? [],
        dockerfile: config.dockerfileRelative,
        ...(config.target ? { target: config.target } : {}),
        platforms: config.platforms,
        buildArgs: run.baseImages?.buildArgs ?? config.buildArgs,
        buildContexts: run.baseImages?.buildContexts ?? config.buildContexts,
        // The run, from reading its inputs to this attestation: the build's whole invocation.
        startedOn: new Date(run.report.startedAt),
        finishedOn,
    });
    const file = (0,external_node_path_.join)(run.workDir, 'provenance.slsa1.json');
    (0,external_node_fs_.writeFileSync)(file, JSON.stringify(predicate, null, 2));
    return file;
}
/** The prepared signing, pointed at the pushed digest and the scan's outputs. */
function signingOf(run) {
    return signings.get(run);
}
/**
 * Sign: the pushed digest (never a tag), keyless with the workflow's identity or with `cosign-key`, with the
 * action's annotations. Runs only when the gate passed. Adds `run.sign` and the `verify-command` output.
 */
const signStage = {
    id: 'sign',
    skipped: (run) => (run.build?.imageRef ? undefined : 'nothing was pushed, so there is no digest to sign'),
    async run(run) {
        const { build, scan } = run;
        const signing = signings.get(run);
        if (!build?.imageRef || !signing)
            return;
        signingFor(signing, build.imageRef, /index|manifest\.list/.test(build.manifestMediaType ?? ''));
        signing.input = {
            ...signing.input,
            ...(scan?.sbomFile ? { sbomFile: scan.sbomFile } : {}),
            ...(scan?.vulnPredicateFile ? { vulnPredicateFile: scan.vulnPredicateFile } : {}),
            ...(run.config.provenance !== 'off' && run.plan.build.run
                ? { provenanceFile: writeProvenance(run, run.config.provenance, build) }
                : {}),
        };
        record(run, signing.result);
        await phase(run, 'sign', signing, () => signDigest(signing));
        const who = signing.result.identity
            ? signing.result.identity.identity
            : (signing.result.keyRef ?? 'the key in `cosign-key`');
        const rekor = signing.result.rekorLogIndex !== undefined ? `; Rekor log index ${signing.result.rekorLogIndex}` : '';
        run.report.set('sign', 'passed', `${signing.result.reference} by ${who}${rekor}`, signing.result.durations.sign);
    },
};
/** Keeps the sign result on the run and its verify command in the outputs, whatever happens next. */
function record(run, result) {
    run.sign = result;
    core/* setOutput */.uH('verify-command', result.verifyCommand);
}
/** Runs one phase of signing; a failure marks that stage failed and is the run's failure. */
async function phase(run, id, signing, fn) {
    const started = performance.now();
    try {
        await fn();
    }
    catch (error) {
        record(run, signing.result);
        const message = (0,errors/* errorMessage */.gJ)(error);
        run.report.set(id, 'failed', message.split('\n')[0] ?? '', Math.round(performance.now() - started));
        run.report.failure ??= { stage: id, message };
        throw error instanceof SignStageError
            ? error
            : new SignStageError(message, signing.result, { cause: error });
    }
}
async function failAt(run, id, fn) {
    try {
        return await fn();
    }
    catch (error) {
        const message = (0,errors/* errorMessage */.gJ)(error);
        run.report.set(id, 'failed', message.split('\n')[0] ?? '');
        run.report.failure ??= { stage: id, message };
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/stages/attest.ts



/**
 * Attest: the SBOM (CycloneDX) and the scan result (cosign vuln) as signed attestations on the same digest, by
 * the same identity as the signature. An attestation without its input (no scan) is skipped with a notice.
 */
const attestStage = {
    id: 'attest',
    skipped: (run) => (run.sign ? undefined : 'nothing is signed'),
    async run(run) {
        const signing = signingOf(run);
        if (!signing)
            return;
        await phase(run, 'attest', signing, () => attachAttestations(signing));
        const result = signing.result;
        if (result.attestations.length > 0) {
            run.report.set('attest', 'passed', result.attestations.map((a) => a.type).join(', '), result.durations.attest);
        }
        else if (result.skippedAttestations.length > 0) {
            run.report.set('attest', 'skipped', result.skippedAttestations.map((s) => `${s.kind}: ${s.reason}`).join('; '));
        }
        for (const s of result.skippedAttestations)
            core/* notice */.lm(`Attestation ${s.kind} skipped: ${s.reason}`);
    },
};

;// CONCATENATED MODULE: ./src/build/build-args.ts
/**
 * The build-args with BUILDKIT_SYNTAX naming `pinned` (the frontend image at its verified digest) in place of the image
 * it named, anything after the image kept. BuildKit runs the frontend that build-arg names, whatever `# syntax=` says,
 * so the check of that image holds only if the builder gets the digest that was checked.
 */
function withPinnedSyntax(buildArgs, pinned) {
    return buildArgs.map((arg) => {
        if (arg.key !== 'BUILDKIT_SYNTAX')
            return arg;
        const value = arg.value.trim();
        const space = value.indexOf(' ');
        return { key: arg.key, value: space < 0 ? pinned : `${pinned}${value.slice(space)}` };
    });
}

;// CONCATENATED MODULE: ./src/cosign/key-file.ts



/**
 * A policy key as cosign's `--key`: a PEM public key goes to cosign as a file, URIs (KMS, env://) as they are.
 * The file is named by the SHA-256 of the whole key, so two rules' keys never share a file: any shorter name (the
 * PEM's tail is the same `END PUBLIC KEY` footer for every key) lets one rule's verification read another's key.
 */
function policyKeyArgument(key, workDir) {
    if (!key.includes('-----BEGIN'))
        return key;
    (0,external_node_fs_.mkdirSync)(workDir, { recursive: true });
    const hash = (0,external_node_crypto_.createHash)('sha256').update(key).digest('hex');
    const path = (0,external_node_path_.join)(workDir, `policy-key-${hash}.pub`);
    (0,external_node_fs_.writeFileSync)(path, key.endsWith('\n') ? key : `${key}\n`);
    return path;
}

// EXTERNAL MODULE: ./src/dockerfile/dialect.ts
var dockerfile_dialect = __webpack_require__(5204);
;// CONCATENATED MODULE: ./src/build/dialect.ts


/**
 * The grammar the builder reads the Dockerfile with. buildah and podman: by their version (`buildah version --json`,
 * `podman version --format json`, the server's for a remote podman). BuildKit: by the frontend image, or every grammar
 * of Docker's frontend when the daemon's built-in one reads it (its version is the daemon's, which this run does not
 * ask). No builder (nothing is built here, or none was found): every grammar known.
 */
async function builderDialects(builder, frontend) {
    if (builder === undefined) {
        return {
            dialects: [...(0,dockerfile_dialect/* frontendDialects */.iz)(), ...(0,dockerfile_dialect/* containersDialects */.SD)('buildah')],
            why: 'every grammar a builder may read it with (no builder in this run)',
        };
    }
    if (builder !== 'docker') {
        const version = await containersVersion(builder);
        if (version === undefined) {
            return {
                dialects: (0,dockerfile_dialect/* containersDialects */.SD)(builder),
                why: `with and without heredocs (the ${builder} version could not be read)`,
                fix: `Make \`${builder} version\` work on the runner, so the check reads the grammar of that version alone.`,
            };
        }
        const dialect = (0,dockerfile_dialect/* containersDialect */.jd)(builder, version);
        const since = dockerfile_dialect/* HEREDOCS_SINCE */.d[builder].join('.');
        return {
            dialects: [dialect],
            why: dialect.name,
            ...(dialect.heredocs
                ? {}
                : {
                    fix: `To ${builder} ${since} and later, as to BuildKit, a heredoc's body is text, not instructions.`,
                }),
        };
    }
    if (frontend === undefined) {
        return {
            dialects: (0,dockerfile_dialect/* frontendDialects */.iz)(),
            why: "every version of BuildKit's built-in Dockerfile frontend (no `# syntax=` names one)",
            fix: 'Name the frontend in the first line, e.g. `# syntax=docker/dockerfile:1`, so the check reads its grammar alone.',
        };
    }
    const grammar = (0,dockerfile_dialect/* frontendGrammar */.i3)(frontend.image);
    switch (grammar.kind) {
        case 'known':
            return { dialects: [grammar.dialect], why: grammar.dialect.name };
        case 'any-version':
            return {
                dialects: grammar.dialects,
                why: `every version of ${frontend.image.replace(/@.*/, '')} (a digest names no version)`,
                fix: 'Name the frontend by its tag alone (e.g. `docker/dockerfile:1.7`): the check pins the digest it reads, and reads that version alone.',
            };
        case 'unknown':
            return {
                dialects: (0,dockerfile_dialect/* frontendDialects */.iz)(),
                why: `every grammar of docker/dockerfile; ${frontend.image} is a frontend of unknown grammar`,
                unknownFrontend: frontend,
            };
    }
}
/** `major.minor.patch` of buildah or podman; undefined when it does not say. */
async function containersVersion(builder) {
    const args = builder === 'buildah' ? ['version', '--json'] : ['version', '--format', 'json'];
    try {
        const r = await (0,util_exec/* execTool */.wc)({
            command: builder,
            args,
            timeoutMs: 15_000,
            label: `${builder} ${args.join(' ')}`,
        });
        if (r.exitCode !== 0)
            return undefined;
        return parseContainersVersion(r.stdout);
    }
    catch {
        return undefined;
    }
}
/** The version in `buildah version --json` (`version`) or `podman version --format json` (`Server`, else `Client`). */
function parseContainersVersion(json) {
    let value;
    try {
        value = JSON.parse(json);
    }
    catch {
        return undefined;
    }
    if (value === null || typeof value !== 'object')
        return undefined;
    const o = value;
    const text = o.version ?? o.Server?.Version ?? o.Client?.Version;
    const m = typeof text === 'string' ? /^v?(\d+)\.(\d+)\.(\d+)/.exec(text) : null;
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
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
/** The first versions whose `build` takes `--build-context` (buildah's own help lists it from 1.28). */
const BUILD_CONTEXT_SINCE = {
    buildah: [1, 28],
    podman: [4, 3],
};
/** The builder's version as `<name> version X.Y.Z` prints it; undefined when it says something else. */
function builderVersion(text) {
    const m = /version (\d+)\.(\d+)\.(\d+)/.exec(text);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}
/** `build-contexts` needs a buildah or podman that has `--build-context`; an older one is refused by version. */
async function requireBuildContexts(builder) {
    if (builder === 'docker')
        return;
    const r = await (0,util_exec/* execTool */.wc)({
        command: builder,
        args: ['--version'],
        timeoutMs: 15_000,
        label: `${builder} --version`,
    });
    const version = builderVersion(r.stdout);
    const [major, minor] = BUILD_CONTEXT_SINCE[builder];
    if (!version || version[0] < major || (version[0] === major && version[1] < minor)) {
        throw new errors/* UserError */.yo(`Input \`build-contexts\` needs ${builder} ${major}.${minor} or later (\`--build-context\`); this runner has ${version ? version.join('.') : `a ${builder} whose version could not be read (${r.stdout.trim() || r.stderr.trim()})`}. Install a newer ${builder}, or use \`builder: docker\`.`);
    }
}

// EXTERNAL MODULE: ./src/dockerfile/index.ts + 7 modules
var src_dockerfile = __webpack_require__(845);
// EXTERNAL MODULE: ./src/image/reference.ts
var image_reference = __webpack_require__(3564);
// EXTERNAL MODULE: ./src/policy/entries.ts
var policy_entries = __webpack_require__(6622);
// EXTERNAL MODULE: ./src/policy/index.ts + 1 modules
var src_policy = __webpack_require__(1057);
// EXTERNAL MODULE: ./src/report/base-image-annotations.ts
var base_image_annotations = __webpack_require__(4018);
;// CONCATENATED MODULE: ./src/stages/base-updates.ts








/**
 * Freshness of the base images pinned as `name:tag@sha256:…`: the tag is looked up again (one manifest HEAD) and,
 * when it points at another digest, that digest is checked against the same rule (one `cosign verify`). Started
 * when the base images are checked and awaited only by the report, so it runs beside the build. A lookup that
 * fails is left out with a line in the log: freshness never fails a run. A tag-only reference needs no look-up:
 * the action resolved it in this run, so its tag points at the digest the build uses.
 */
function startBaseUpdates(run, pinned, deps) {
    if (pinned.length === 0 || run.config.verifyBaseImages === 'off')
        return;
    const platform = run.config.platforms[0];
    run.baseUpdates = Promise.all(pinned.map((p) => updateOf(p, deps, platform))).then((all) => all.filter((u) => u !== undefined));
}
async function updateOf(pinned, deps, platform) {
    const ref = pinned.check.reference;
    const tag = ref.tag ?? 'latest';
    const written = ref.digest ?? '';
    const image = (0,image_reference/* formatReference */.FH)({ ...ref, digest: undefined });
    try {
        const head = await deps.registry.headManifest(ref.registry, ref.repository, tag);
        if (!head || !/^sha256:[0-9a-f]{64}$/.test(head.digest) || head.digest === written)
            return undefined;
        const newer = {
            reference: (0,image_reference/* withDigest */.hQ)(ref, head.digest),
            requirement: pinned.check.requirement,
        };
        const [created] = await Promise.all([createdAt(deps, newer, platform), checkOne(newer, deps)]);
        const req = newer.requirement;
        const status = req.kind === 'unmatched' ? 'newer-unchecked' : newer.failure ? 'newer-not-trusted' : 'newer-trusted';
        return {
            image,
            pinned: written,
            current: head.digest,
            status,
            rule: req.kind === 'unmatched' ? null : (0,src_policy/* ruleLabel */.Do)(req.rule),
            reason: newer.failure ?? null,
            created,
            lines: pinned.lines,
            pinnedLine: null,
        };
    }
    catch (error) {
        (0,util_log/* logInfo */.fH)(`Could not look up a newer ${image}: ${(0,errors/* errorMessage */.gJ)(error)}`);
        return undefined;
    }
}
/** The `created` time of the image (of `platform`, for an index), from its config; null when it has none. */
async function createdAt(deps, d, platform) {
    const { registry, repository, digest } = d.reference;
    if (!digest)
        return null;
    try {
        let doc = (await deps.registry.getJson(registry, repository, 'manifests', digest));
        if (doc.manifests) {
            const entry = (0,client/* indexEntryFor */.If)(doc.manifests, platform ?? 'linux/amd64') ?? doc.manifests[0];
            if (!entry)
                return null;
            doc = (await deps.registry.getJson(registry, repository, 'manifests', entry.digest));
        }
        if (!doc.config)
            return null;
        const config = (await deps.registry.getJson(registry, repository, 'blobs', doc.config.digest));
        return typeof config.created === 'string' ? config.created : null;
    }
    catch {
        return null;
    }
}
/**
 * Awaits the freshness check, then: the `base-updates` output, the line to paste for each newer digest (the
 * Dockerfile's line that holds the pinned digest, with the new one), and an annotation on that line.
 */
async function finishBaseUpdates(run) {
    if (!run.baseUpdates)
        return;
    const updates = await run.baseUpdates;
    const file = run.config.dockerfileRelative;
    let lines;
    try {
        lines = (0,external_node_fs_.readFileSync)(run.config.dockerfile, 'utf8').split(/\r?\n/);
    }
    catch {
        lines = [];
    }
    for (const u of updates) {
        const at = lines.findIndex((l) => l.includes(`@${u.pinned}`));
        if (at >= 0)
            u.pinnedLine = { line: at + 1, text: (lines[at] ?? '').split(u.pinned).join(u.current).trim() };
    }
    core/* setOutput */.uH('base-updates', JSON.stringify(updates));
    run.baseUpdateList = updates;
    run.annotations.push(...updates.flatMap((u) => annotationsOf(u, file)));
}
function annotationsOf(u, file) {
    const lines = u.pinnedLine ? [u.pinnedLine.line] : u.lines;
    const built = u.created ? `, built ${u.created.slice(0, 10)}` : '';
    const pin = u.pinnedLine ? u.pinnedLine.text : `${u.image}@${u.current}`;
    return lines.map((line) => u.status === 'newer-not-trusted'
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
        });
}

;// CONCATENATED MODULE: ./src/stages/base-images.ts

















/**
 * Base images: every image the Dockerfile builds from (FROM, COPY --from, RUN --mount from=, # syntax) is
 * resolved to a digest and checked with `cosign verify` against the trust policy, as soon as cosign is in;
 * the build gets a copy of the Dockerfile pinned to those digests. Adds `run.baseImages` and the `base-images`
 * output; under `enforce` a failure stops the run before anything is built.
 */
const baseImagesStage = {
    id: 'base-images',
    async run(run) {
        const { config, report } = run;
        // The builder reads the Dockerfile in its own grammar, so the check must know which builder runs. One that cannot
        // be chosen here is left to the build stage to report; the check then reads the file in every grammar.
        if (run.plan.build.run)
            run.builder = await chooseBuilder(config.builder).catch(() => undefined);
        const builder = run.builder?.builder;
        try {
            const deps = {
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
        }
        catch (error) {
            if (error instanceof BaseImageFailure)
                run.baseImages = error.result;
            throw error;
        }
        finally {
            if (run.baseImages) {
                run.annotations.push(...run.baseImages.annotations);
                core/* setOutput */.uH('base-images', JSON.stringify(run.baseImages.entries));
            }
        }
        for (const w of run.baseImages.warnings)
            core/* warning */.$e(w);
        for (const c of run.baseImages.unverifiedContexts)
            report.notices.push(`Unverified build input: the named context \`${c.name}\` (${c.value}) replaces the reference on line ${c.lines.join(', ')}; no trust policy checks a directory or URL.`);
    },
};
function stageStatus(result, config) {
    if (config.verifyBaseImages === 'off')
        return 'skipped';
    const unverified = result.entries.some((e) => e.status !== 'verified' && e.status !== 'allowed-unsigned');
    return unverified || result.annotations.some((a) => a.level !== 'notice') ? 'warning' : 'passed';
}
function stageDetail(result, config) {
    const n = result.entries.length;
    if (n === 0)
        return 'the Dockerfile uses no external images';
    if (config.verifyBaseImages === 'off')
        return `${n} found; not checked (\`verify-base-images: off\`)`;
    const counts = new Map();
    for (const e of result.entries)
        counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
    const parts = [...counts].map(([status, count]) => `${count} ${status}`);
    return `${parts.join(', ')}${result.pinnedCopy ? '; build pinned to the checked digests' : ''}; Dockerfile read as ${result.grammar}`;
}
/** `name=docker-image://ref` → `name=docker-image://ref@digest` for each checked context image. */
function pinnedContexts(contexts, pins) {
    return contexts.map((c) => {
        const pin = pins.find((p) => p.use.kind === 'context' && p.use.context === c.key);
        return pin ? { key: c.key, value: `docker-image://${pin.replacement}` } : c;
    });
}
/** Reads and validates `trust-policy`; a malformed file is an error naming file, line and key. */
function loadPolicyFile(config) {
    return config.trustPolicy
        ? (0,src_policy/* parsePolicy */.ON)((0,external_node_fs_.readFileSync)(config.trustPolicy, 'utf8'), config.trustPolicy)
        : undefined;
}
function runnerPlatform(runnerArch) {
    const arch = { X64: 'amd64', ARM64: 'arm64', ARM: 'arm', X86: '386' }[runnerArch] ?? 'amd64';
    return `linux/${arch}`;
}
async function checkBaseImages(config, deps) {
    const text = (0,external_node_fs_.readFileSync)(config.dockerfile, 'utf8');
    const file = config.dockerfileRelative;
    const grammar = await (deps.dialects ?? ((f) => builderDialects(undefined, f)))(frontendOf(text, config.buildArgs));
    if (grammar.unknownFrontend)
        unknownFrontend(grammar.unknownFrontend, config, file);
    const buildPlatform = runnerPlatform(config.github.runnerArch);
    const analysis = (0,src_dockerfile/* analyzeReadings */.ix)(text, grammar.dialects, {
        buildArgs: Object.fromEntries(config.buildArgs.map((a) => [a.key, a.value])),
        ...(config.target ? { target: config.target } : {}),
        buildPlatform,
        targetPlatform: config.platforms[0] ?? buildPlatform,
        namedContexts: Object.fromEntries(config.buildContexts.map((c) => [c.key, c.value])),
    });
    if (analysis.problems.length > 0) {
        throw new errors/* UserError */.yo(`${analysis.problems.map((p) => `${file}:${p.line}: ${p.message}`).join('\n')}${grammar.dialects.length === 1 ? `\n(The Dockerfile read as ${grammar.why}.)` : ''}`);
    }
    const policy = (0,src_policy/* combinePolicy */.Wg)(deps.policyFile ?? loadPolicyFile(config));
    const warnings = (policy.warnings ?? []).map(src_policy/* formatPolicyWarning */.oN);
    // One check per distinct image, however many lines name it.
    const distinct = new Map();
    const keyOf = new Map();
    const parseErrors = new Map();
    for (const use of analysis.images) {
        if (use.resolved === null)
            continue;
        const parsed = (0,image_reference/* tryParseReference */.WF)(use.resolved);
        if (!parsed.ok) {
            parseErrors.set(use, parsed.error);
            continue;
        }
        const key = (0,image_reference/* formatReference */.FH)(parsed.ref);
        keyOf.set(use, key);
        if (!distinct.has(key)) {
            distinct.set(key, {
                reference: parsed.ref,
                requirement: (0,src_policy/* requirementFor */.P6)(policy, (0,image_reference/* repositoryName */.aR)(parsed.ref)),
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
        const entry = (0,policy_entries/* entryFor */.cy)(use, d, parseErrors.get(use), mode);
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
            if (use.reading && use.reading.by !== grammar.dialects[0]?.name)
                return [];
            return [{ use, replacement: (0,image_reference/* formatReference */.FH)((0,image_reference/* withDigest */.hQ)(d.reference, d.digest)) }];
        });
        // The BUILDKIT_SYNTAX build-arg's image is pinned in the build-arg, not in the file.
        const syntaxPin = pins.find((p) => p.use.fromBuildArg);
        if (syntaxPin)
            buildArgs = withPinnedSyntax(buildArgs, syntaxPin.replacement);
        // A named context's image is pinned in its `build-contexts` value: the FROM keeps the name the builder looks up.
        buildContexts = pinnedContexts(buildContexts, pins);
        const edits = pins
            .filter((p) => !p.use.fromBuildArg && p.use.kind !== 'context')
            .map((p) => ({ location: p.use.location, replacement: p.replacement }));
        if (edits.length > 0) {
            (0,external_node_fs_.mkdirSync)(deps.workDir, { recursive: true });
            dockerfile = (0,external_node_path_.join)(deps.workDir, `${(0,external_node_path_.basename)(config.dockerfile)}.pinned`);
            (0,external_node_fs_.writeFileSync)(dockerfile, (0,src_dockerfile/* rewriteReferences */.lk)(text, edits));
            // BuildKit reads `<Dockerfile>.dockerignore` beside the Dockerfile before the context's own.
            const ignore = `${config.dockerfile}.dockerignore`;
            if ((0,external_node_fs_.existsSync)(ignore))
                (0,external_node_fs_.copyFileSync)(ignore, `${dockerfile}.dockerignore`);
            pinnedCopy = true;
        }
    }
    const annotations = (0,base_image_annotations/* baseImageAnnotations */.T)(entries, analysis.images, distinct, keyOf, {
        file: config.dockerfileRelative,
        verifyBaseImages: config.verifyBaseImages,
        digestPinning: config.digestPinning,
    }, text);
    const failures = entries.filter((e) => (0,policy_entries/* isFailure */.N6)(e, mode, policy.unmatched));
    const pinningFailures = config.digestPinning === 'enforce' ? entries.filter((e) => !e.pinned && e.status !== 'unresolved') : [];
    const finalBaseKey = analysis.finalBase ? keyOf.get(analysis.finalBase) : undefined;
    const finalImageCheck = finalBaseKey ? distinct.get(finalBaseKey) : undefined;
    const result = {
        entries,
        dockerfile,
        pinnedCopy,
        annotations,
        warnings,
        verifiedCount: entries.filter((e) => e.status === 'verified').length,
        buildArgs,
        pinnedTags: [...distinct.entries()].flatMap(([key, check]) => check.reference.tag !== undefined && check.reference.digest !== undefined && check.failure === undefined
            ? [
                {
                    check,
                    lines: analysis.images
                        .filter((u) => keyOf.get(u) === key && !u.fromBuildArg)
                        .map((u) => u.line),
                },
            ]
            : []),
        buildContexts,
        unverifiedContexts: analysis.unverifiedContexts ?? [],
        grammar: grammar.why,
        ...(finalImageCheck
            ? {
                finalBase: {
                    name: (0,image_reference/* formatReference */.FH)({ ...finalImageCheck.reference, digest: undefined }),
                    ...(finalImageCheck.digest ? { digest: finalImageCheck.digest } : {}),
                    ...(analysis.finalBase ? { line: analysis.finalBase.line } : {}),
                },
            }
            : {}),
    };
    if (mode === 'enforce' && failures.length > 0) {
        throw new BaseImageFailure(`${failures.length} base ${failures.length === 1 ? 'image does' : 'images do'} not meet the trust policy, reading the Dockerfile as ${grammar.why}:\n` +
            failures
                .map((e) => `- ${(0,policy_entries/* whereUsed */["do"])(e, file)}: ${e.image ?? e.ref} (${e.rule ?? 'no rule'}): ${e.reason ?? e.status}`)
                .join('\n'), result);
    }
    if (pinningFailures.length > 0) {
        throw new BaseImageFailure(`\`digest-pinning: enforce\`: ${pinningFailures.length} base image reference${pinningFailures.length === 1 ? ' is' : 's are'} not pinned to a digest:\n` +
            pinningFailures
                .map((e) => `- ${(0,policy_entries/* whereUsed */["do"])(e, file)}: ${e.ref}${e.digest ? ` → pin it as ${(0,policy_entries/* suggestPinned */.pn)(e)}` : ''}`)
                .join('\n'), result);
    }
    return result;
}
/** The frontend BuildKit runs: the BUILDKIT_SYNTAX build-arg, which it prefers, else the `# syntax=` directive. */
function frontendOf(text, buildArgs) {
    const fromArg = buildArgs.find((a) => a.key === 'BUILDKIT_SYNTAX')?.value.trim();
    if (fromArg)
        return { image: fromArg.split(' ')[0] ?? fromArg, line: 0 };
    const directive = (0,src_dockerfile/* detectSyntax */.Dh)(text);
    return directive ? { image: directive.image, line: directive.line } : undefined;
}
/**
 * A frontend that is not Docker's reads the Dockerfile in a grammar of its own, so no reading here is sure to find every
 * image it builds from. Under `enforce` that stops the run; otherwise the check reads it in every grammar of Docker's
 * frontend and says what it cannot see.
 */
function unknownFrontend(frontend, config, file) {
    const where = frontend.line === 0 ? 'Input `build-args`: BUILDKIT_SYNTAX=' : `${file}:${frontend.line}: # syntax=`;
    const message = `${where}${frontend.image} names a Dockerfile frontend whose grammar this action does not know, so it cannot be sure to see every image the build uses (a frontend reads the file as it likes). Use Docker's frontend (\`# syntax=docker/dockerfile:1\`, pinned by the check), or remove the directive to use BuildKit's built-in one.`;
    if (config.verifyBaseImages === 'enforce')
        throw new errors/* UserError */.yo(message);
    core/* warning */.$e(`${message} The check read the file as every version of docker/dockerfile would.`);
}
/** A failed stage that still has its entries to report. */
class BaseImageFailure extends errors/* UserError */.yo {
    result;
    constructor(message, result) {
        super(message);
        this.result = result;
    }
}
/**
 * Resolves `d` to a digest (unless it names one) and checks it against its requirement: sets `digest`, then
 * `verified` or `failure`.
 */
async function checkOne(d, deps) {
    const ref = d.reference;
    try {
        if (ref.digest)
            d.digest = ref.digest;
        else {
            const head = await deps.registry.headManifest(ref.registry, ref.repository, ref.tag ?? 'latest');
            if (!head)
                throw new errors/* UserError */.yo(`${(0,image_reference/* formatReference */.FH)(ref)} does not exist in the registry`);
            if (!/^sha256:[0-9a-f]{64}$/.test(head.digest))
                throw new errors/* UserError */.yo(`the registry gave no digest for ${(0,image_reference/* formatReference */.FH)(ref)}`);
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
    const options = {
        cosign: await deps.cosign(),
        env: deps.cosignEnv,
        insecure: (0,client/* isLoopbackRegistry */.jW)(ref.registry),
        timeoutMs: deps.verifyTimeoutMs ?? 300_000,
        ...(deps.verifyAttempts !== undefined ? { attempts: deps.verifyAttempts } : {}),
    };
    const reference = `${ref.registry}/${ref.repository}@${d.digest}`;
    try {
        const verified = req.kind === 'key'
            ? await verifyWithKeys(reference, req, deps.workDir, options)
            : await verifyImageSignature(reference, {
                kind: 'keyless',
                ...(req.signer.identity !== undefined ? { identity: req.signer.identity } : {}),
                ...(req.signer.identityRegexp !== undefined
                    ? { identityRegexp: req.signer.identityRegexp }
                    : {}),
                ...(req.signer.issuer !== undefined ? { issuer: req.signer.issuer } : {}),
                ...(req.signer.issuerRegexp !== undefined ? { issuerRegexp: req.signer.issuerRegexp } : {}),
            }, options);
        d.verified = true;
        d.signers = verified.signers;
    }
    catch (error) {
        d.failure =
            error instanceof SignatureRejected
                ? `signature check failed: ${error.reason}`
                : `signature check could not complete: ${(0,errors/* errorMessage */.gJ)(error)}`;
    }
}
/**
 * A key rule's check: the rule's keys that are not revoked are tried in order and the first that verifies
 * passes. When none does, the revoked ones are tried too, only to say so: an image that verifies with a revoked
 * key alone fails, naming the key's fingerprint. A check that could not complete with some key fails closed.
 */
async function verifyWithKeys(reference, req, workDir, options) {
    const withKey = (key) => verifyImageSignature(reference, {
        kind: 'key',
        key: policyKeyArgument(key, workDir),
        ...(req.rule.tlog === false ? { ignoreTlog: true } : {}),
    }, options);
    let rejected;
    let incomplete;
    for (const key of req.keys) {
        try {
            return await withKey(key);
        }
        catch (error) {
            if (error instanceof SignatureRejected)
                rejected ??= error;
            else
                incomplete ??= error;
        }
    }
    if (incomplete !== undefined)
        throw incomplete;
    for (const revoked of req.revoked) {
        const verifies = await withKey(revoked.key).then(() => true, () => false);
        if (verifies) {
            throw new SignatureRejected(`signed only with the revoked key ${revoked.name} (listed in revoked-keys of the trust policy); ${req.keys.length > 0 ? `sign the image with a key the rule "${(0,src_policy/* ruleLabel */.Do)(req.rule)}" still trusts` : `the rule "${(0,src_policy/* ruleLabel */.Do)(req.rule)}" has no key left that is not revoked: add the new key to its keys`}`);
        }
    }
    throw (rejected ??
        new SignatureRejected(`every key of the rule "${(0,src_policy/* ruleLabel */.Do)(req.rule)}" is revoked (${req.revoked.map((r) => r.name).join(', ')}); add the new key to its keys`));
}

;// CONCATENATED MODULE: ./src/build/materials.ts


const DIGEST = /^sha256:[0-9a-f]{64}$/;
/**
 * BuildKit's record of the images a buildx build resolved: the SLSA provenance buildx writes into its metadata file
 * (`buildx.build.provenance`, or `buildx.build.provenance/<platform>` per platform; `BUILDX_METADATA_PROVENANCE`
 * decides how much, `min` by default). It is there whether or not a provenance attestation is pushed: buildx reads it
 * from the build's history record. `undefined` when the metadata holds none (a builder without the history API).
 */
function buildxMaterials(metadata) {
    const records = Object.entries(metadata).filter(([key]) => key === 'buildx.build.provenance' || key.startsWith('buildx.build.provenance/'));
    if (records.length === 0)
        return undefined;
    const out = [];
    for (const [key, raw] of records) {
        const predicate = decode(raw);
        const materials = [
            ...arrayOf(predicate?.materials),
            ...arrayOf(predicate?.buildDefinition?.resolvedDependencies),
        ];
        for (const m of materials) {
            const uri = typeof m.uri === 'string' ? m.uri : '';
            // Images only: BuildKit names them `pkg:docker/…`; other materials are the context, git or HTTP sources.
            if (!uri.startsWith('pkg:docker/'))
                continue;
            const sha = m.digest?.sha256;
            out.push({ name: uri, digest: typeof sha === 'string' ? `sha256:${sha}` : '', source: key });
        }
    }
    return out;
}
/**
 * The base image buildah or podman recorded in each manifest of an OCI layout (`org.opencontainers.image.base.digest`
 * and `.base.name`, set by the builder from the image it built on), per manifest; an image built from scratch has
 * none.
 */
function layoutBaseImages(layout) {
    return layoutImageDigests(layout).map((digest) => {
        const annotations = (readLayoutBlob(layout, digest).annotations ?? {});
        const base = annotations['org.opencontainers.image.base.digest'] ?? '';
        const name = annotations['org.opencontainers.image.base.name'] ?? base;
        const nameDigest = /@(sha256:[0-9a-f]{64})$/.exec(name)?.[1];
        return base
            ? { name, digest: base, source: `manifest ${digest}`, ...(nameDigest ? { nameDigest } : {}) }
            : { name: '', digest: '', source: `manifest ${digest}` };
    });
}
/** The image manifests' digests of an OCI layout the builder wrote: its one image, or those of its index. */
function layoutImageDigests(layout) {
    const index = JSON.parse((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(layout, 'index.json'), 'utf8'));
    const top = index.manifests?.at(-1)?.digest;
    if (!top || !DIGEST.test(top))
        return [];
    const document = readLayoutBlob(layout, top);
    return Array.isArray(document.manifests)
        ? document.manifests
            .filter((m) => DIGEST.test(m.digest))
            .map((m) => m.digest)
        : [top];
}
/** A JSON blob of an OCI layout (a manifest, an index, a config), by its digest. */
function readLayoutBlob(layout, digest) {
    if (!DIGEST.test(digest))
        throw new Error(`${layout}: ${JSON.stringify(digest)} is not a sha256 digest`);
    return JSON.parse((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)), 'utf8'));
}
/** The materials whose digest is not one the gate allowed. */
function unverifiedMaterials(materials, allowed) {
    return materials.filter((m) => !allowed.has(m.digest) && !(m.nameDigest !== undefined && allowed.has(m.nameDigest)));
}
function decode(raw) {
    if (raw !== null && typeof raw === 'object')
        return raw;
    if (typeof raw !== 'string')
        return undefined;
    // buildx writes the predicate as JSON; older versions left it base64-encoded.
    for (const text of [raw, Buffer.from(raw, 'base64').toString('utf8')]) {
        try {
            const value = JSON.parse(text);
            if (value !== null && typeof value === 'object')
                return value;
        }
        catch {
            // Try the next form.
        }
    }
    return undefined;
}
function arrayOf(value) {
    return Array.isArray(value)
        ? value.filter((v) => v !== null && typeof v === 'object')
        : [];
}

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
/**
 * The same OCI keys as annotations at `levels` (the image manifest; with buildx and several platforms, the index
 * too), first, so a user's `annotations` line with the same key wins.
 */
function ociAnnotations(github, created, base, levels, userAnnotations) {
    const userKeys = new Set(userAnnotations.map((a) => a.key));
    const ours = ociLabels(github, created, base, [])
        .filter((l) => !userKeys.has(l.key))
        .map(({ key, value }) => ({ levels, key, value }));
    return [...ours, ...userAnnotations];
}

// EXTERNAL MODULE: ./src/build/options.ts
var options = __webpack_require__(9186);
;// CONCATENATED MODULE: ./src/build/plan.ts



/** What buildx's gha cache reads from its environment: the runner's cache service and the job's token for it. */
const GHA_CACHE_ENV = [
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_CACHE_URL',
    'ACTIONS_RESULTS_URL',
    'ACTIONS_CACHE_SERVICE_V2',
];
/** `host/repo:tag` → `host/repo`. */
function repositoryOf(reference) {
    const at = reference.indexOf('@');
    const noDigest = at >= 0 ? reference.slice(0, at) : reference;
    const colon = noDigest.lastIndexOf(':');
    return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
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
    // Secrets reach the builder as files only; the command line names the file, never the value.
    for (const { id, src } of req.secrets ?? [])
        args.push('--secret', `id=${id},src=${src}`);
    for (const ssh of req.ssh ?? [])
        args.push('--ssh', ssh);
    for (const { key, value } of req.buildContexts ?? [])
        args.push('--build-context', `${key}=${value}`);
    return args;
}
/** SSH_AUTH_SOCK when an `ssh` entry names the agent rather than a file. */
function sshEnv(req) {
    return (req.ssh ?? []).some((s) => !s.includes('=')) ? ['SSH_AUTH_SOCK'] : [];
}
/**
 * buildah and podman share containers/image: the same build flags, a local image (or, for several
 * platforms, a local manifest list) written to an OCI layout for the action to push by digest, or to an OCI
 * archive when nothing is pushed.
 */
function containersPlan(builder, req) {
    const multi = req.platforms.length > 1;
    const local = req.tags[0] ?? 'localhost/secure-image:latest';
    const cacheFrom = req.cacheFrom ?? [];
    const cacheTo = req.cacheTo ?? [];
    const unsupported = [
        ...(0,options/* containersCacheProblems */.Lr)(builder, cacheFrom, cacheTo),
        ...(0,options/* containersAnnotationProblems */.k9)(builder, req.annotations ?? []),
    ];
    if (unsupported.length > 0)
        throw new errors/* UserError */.yo(unsupported.join('\n'));
    const build = ['build', ...commonBuildFlags(req, containersFileFlag(req.dockerfile))];
    for (const a of req.annotations ?? [])
        build.push('--annotation', `${a.key}=${a.value}`);
    if (cacheFrom.length > 0 || cacheTo.length > 0)
        build.push('--layers');
    for (const c of cacheFrom)
        build.push('--cache-from', c.attrs.ref ?? '');
    for (const c of cacheTo)
        build.push('--cache-to', c.attrs.ref ?? '');
    // buildah and podman only read the context's .dockerignore unless told; BuildKit finds this one itself.
    if (req.ignoreFile)
        build.push('--ignorefile', req.ignoreFile);
    if (req.platforms.length > 0)
        build.push('--platform', req.platforms.join(','));
    // A manifest list must have its own name; the tag names then point at it when pushed.
    const listName = `${local.split(':').slice(0, -1).join(':') || local}-secure-image-list`;
    if (multi)
        build.push('--manifest', listName);
    const commands = [];
    if (req.pulls) {
        // Exactly the verified digests, one pull per platform built, then a build that may fetch nothing else.
        const platforms = req.platforms.length > 0 ? req.platforms : [undefined];
        for (const { ref, tag } of req.pulls) {
            for (const platform of platforms) {
                commands.push({
                    label: `${builder} pull ${ref}${platform ? ` (${platform})` : ''}`,
                    args: ['pull', '--quiet', ...(platform ? ['--platform', platform] : []), ref],
                    kind: 'pull',
                });
            }
            if (tag)
                commands.push({ label: `${builder} tag ${tag}`, args: ['tag', ref, tag], kind: 'pull' });
        }
        build.push('--pull=never');
    }
    build.push(req.context);
    commands.push({ label: `${builder} build`, args: build, kind: 'build' });
    const passEnv = sshEnv(req);
    const registriesConf = registriesConfOf(req);
    const extra = {
        ...(registriesConf ? { registriesConf } : {}),
        ...(passEnv.length > 0 ? { passEnv } : {}),
    };
    if (req.push) {
        // Nothing is pushed by the builder: the image goes to an OCI layout, whose blobs and manifests the action
        // uploads by digest itself, so no tag exists before every check has passed (containers/image would push a
        // reference without a tag as `:latest`).
        const layout = (0,external_node_path_.join)(req.workDir, 'image.oci');
        const args = multi
            ? ['manifest', 'push', '--all', listName, `oci:${layout}`]
            : ['push', local, `oci:${layout}`];
        commands.push({ label: `${builder} push to an OCI layout`, args, kind: 'archive' });
        return { builder, command: builder, commands, layout, ...extra };
    }
    const archive = (0,external_node_path_.join)(req.workDir, 'image.oci.tar');
    const args = multi
        ? ['manifest', 'push', '--all', listName, `oci-archive:${archive}:${local}`]
        : ['push', local, `oci-archive:${archive}:${local}`];
    commands.push({ label: `${builder} archive`, args, kind: 'archive' });
    return { builder, command: builder, commands, archive, ...extra };
}
/** Plain HTTP for the loopback registries only, through registries.conf (see registries-conf.ts). */
function registriesConfOf(req) {
    return req.insecureRegistries.length > 0
        ? { path: (0,external_node_path_.join)(req.workDir, 'registries.conf'), insecure: [...req.insecureRegistries] }
        : undefined;
}
/**
 * docker buildx builds and pushes by digest in one command and reports the pushed digest in its metadata file
 * (`containerimage.digest`); unpushed builds are exported as one OCI archive, every platform included.
 */
function buildxPlan(req) {
    const metadataFile = (0,external_node_path_.join)(req.workDir, 'buildx-metadata.json');
    // A push goes by digest, without a tag: the action tags the digest itself once every check passed.
    const args = [
        'buildx',
        'build',
        ...commonBuildFlags({ ...req, tags: req.push ? [] : req.tags }),
        '--metadata-file',
        metadataFile,
    ];
    if (req.platforms.length > 0)
        args.push('--platform', req.platforms.join(','));
    for (const a of req.annotations ?? [])
        args.push('--annotation', (0,options/* buildxAnnotation */.uy)(a));
    for (const c of req.cacheFrom ?? [])
        args.push('--cache-from', c.spec);
    for (const c of req.cacheTo ?? [])
        args.push('--cache-to', c.spec);
    const gha = [...(req.cacheFrom ?? []), ...(req.cacheTo ?? [])].some((c) => c.type === 'gha');
    const passEnv = [...sshEnv(req), ...(gha ? GHA_CACHE_ENV : [])];
    // Provenance attestations would turn a single-platform push into an index whose digest differs from
    // what scanners and `cosign` resolve; the action attaches its own attestations after the gate.
    args.push('--provenance=false');
    let archive;
    if (req.push) {
        args.push('--output', `type=image,name=${req.repository ?? repositoryOf(req.tags[0] ?? '')},push-by-digest=true,name-canonical=true,push=true`);
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
        ...(passEnv.length > 0 ? { passEnv } : {}),
    };
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./src/github-context.ts
var github_context = __webpack_require__(8886);
;// CONCATENATED MODULE: ./src/registry/credentials.ts





// Docker Hub's credentials are stored under its v1 index URL; everything else under the host.
const DOCKER_HUB_KEYS = [
    'docker.io',
    'index.docker.io',
    'registry-1.docker.io',
    'https://index.docker.io/v1/',
];
function keysFor(registry) {
    return registry === 'docker.io' ? DOCKER_HUB_KEYS : [registry, `https://${registry}`, `http://${registry}`];
}
/** Where earlier login steps leave credentials: docker's config.json, then containers' auth.json. */
function authFilePaths(env) {
    const home = env.HOME ?? (0,external_node_os_.homedir)();
    const paths = [(0,external_node_path_.join)(userDockerConfigDir(env), 'config.json')];
    if (env.REGISTRY_AUTH_FILE)
        paths.push(env.REGISTRY_AUTH_FILE);
    if (env.XDG_RUNTIME_DIR)
        paths.push((0,external_node_path_.join)(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
    paths.push((0,external_node_path_.join)(home, '.config', 'containers', 'auth.json'));
    return paths;
}
/** Inline `auth` entries of an auth file; credential helpers are left to the tools that call them. */
function credentialsFromAuthFile(text, registry) {
    let doc;
    try {
        doc = JSON.parse(text);
    }
    catch {
        return undefined;
    }
    const auths = (0,github_context/* isRecord */.u4)(doc) && (0,github_context/* isRecord */.u4)(doc.auths) ? doc.auths : undefined;
    if (!auths)
        return undefined;
    for (const key of keysFor(registry)) {
        const entry = auths[key];
        if (!(0,github_context/* isRecord */.u4)(entry) || typeof entry.auth !== 'string')
            continue;
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon > 0)
            return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    return undefined;
}
function lookupCredentials(env, explicit) {
    return (registry) => {
        if (explicit && explicit.registry === registry)
            return explicit.credentials;
        for (const path of authFilePaths(env)) {
            let text;
            try {
                text = (0,external_node_fs_.readFileSync)(path, 'utf8');
            }
            catch {
                continue;
            }
            const found = credentialsFromAuthFile(text, registry);
            if (found)
                return found;
        }
        return undefined;
    };
}
/** The docker config dir of the runner's user: DOCKER_CONFIG, else ~/.docker. */
function userDockerConfigDir(env) {
    return env.DOCKER_CONFIG ?? (0,external_node_path_.join)(env.HOME ?? (0,external_node_os_.homedir)(), '.docker');
}
function writeAuthDir(runnerTemp, registry, credentials) {
    // Every tool that reads this file may quote the login back (a registry error with its `Basic`
    // header): its output is redacted of the password, and of its base64, from here on.
    (0,util_exec/* registerSecret */.cl)(credentials.password);
    const dir = (0,external_node_path_.join)(runnerTemp, `secure-image-auth-${process.pid}-${Date.now()}`);
    (0,external_node_fs_.mkdirSync)(dir, { recursive: true, mode: 0o700 });
    const configFile = (0,external_node_path_.join)(dir, 'config.json');
    const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    const key = registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry;
    (0,external_node_fs_.writeFileSync)(configFile, JSON.stringify({ auths: { [key]: { auth } } }), { mode: 0o600 });
    (0,external_node_fs_.chmodSync)(configFile, 0o600);
    // The docker CLI looks for its plugins (buildx, as setup-buildx-action installs it) in the config dir first:
    // the runner's stay visible through this one.
    const plugins = (0,external_node_path_.join)(userDockerConfigDir(process.env), 'cli-plugins');
    if ((0,external_node_fs_.existsSync)(plugins))
        (0,external_node_fs_.symlinkSync)(plugins, (0,external_node_path_.join)(dir, 'cli-plugins'));
    return { dir, configFile, dispose: () => (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true }) };
}

;// CONCATENATED MODULE: ./src/build/registries-conf.ts



/** The file the builder would read without us: CONTAINERS_REGISTRIES_CONF, the user's, or the system's. */
function activeRegistriesConf(env) {
    const candidates = [
        env.CONTAINERS_REGISTRIES_CONF,
        (0,external_node_path_.join)(env.HOME ?? (0,external_node_os_.homedir)(), '.config', 'containers', 'registries.conf'),
        '/etc/containers/registries.conf',
    ];
    return candidates.find((path) => path !== undefined && path !== '' && (0,external_node_fs_.existsSync)(path));
}
/**
 * The builder's own settings (search registries, mirrors, short names) with one `[[registry]]` table per loopback
 * registry appended. A v1 file (`[registries.insecure]`) cannot be mixed with v2 tables; then only ours are written,
 * and short names, which the pinned Dockerfile never has, fall back to the builder's defaults.
 */
function registriesConfText(insecure, current) {
    const usable = current !== undefined && !/^\s*\[registries\./m.test(current) ? current : '';
    // Its settings without its comment lines: the system file is mostly examples, and RUNNER_TEMP may be tight.
    const base = usable
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
        .join('\n');
    const ours = insecure.map((location) => `[[registry]]\nlocation = ${JSON.stringify(location)}\ninsecure = true\n`);
    return [base.trimEnd(), '# secure-image: plain HTTP for these loopback registries only', ...ours]
        .filter((part) => part !== '')
        .join('\n\n');
}
/** Writes the file and returns the environment that points the builder at it. */
function writeRegistriesConf(conf, env) {
    const current = activeRegistriesConf(env);
    (0,external_node_fs_.writeFileSync)(conf.path, `${registriesConfText(conf.insecure, current ? (0,external_node_fs_.readFileSync)(current, 'utf8') : undefined)}\n`);
    return { CONTAINERS_REGISTRIES_CONF: conf.path };
}

;// CONCATENATED MODULE: ./src/build/run.ts







const run_DIGEST = /^sha256:[0-9a-f]{64}$/;
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
    'BUILDX_CONFIG',
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
    if (authDir) {
        env.DOCKER_CONFIG = authDir;
        // buildx keeps its builders (setup-buildx-action's, `docker buildx use`) in the docker config dir: this run's
        // login must not hide them, or the build would go to another builder than the one the job set up.
        env.BUILDX_CONFIG ??= (0,external_node_path_.join)(userDockerConfigDir(from), 'buildx');
    }
    return env;
}
/** Runs a build plan; the builder's log goes to the job log in a group, the digest comes from the builder. */
async function runBuildPlan(plan, options) {
    const started = performance.now();
    let toolMs = 0;
    const passed = passedEnvironment(plan, process.env);
    const base = { ...options.env, ...passed };
    const env = plan.registriesConf
        ? { ...base, ...writeRegistriesConf(plan.registriesConf, { ...process.env, ...base }) }
        : base;
    const token = passed.ACTIONS_RUNTIME_TOKEN;
    const exec = async (command) => {
        const result = await (0,util_exec/* execTool */.wc)({
            command: plan.command,
            args: command.args,
            env,
            cwd: options.cwd,
            label: command.label,
            stream: true,
            ...(token ? { secrets: [token] } : {}),
            ...(command.kind !== 'build' && options.pushTimeoutMs !== undefined
                ? { timeoutMs: options.pushTimeoutMs }
                : {}),
        });
        toolMs += result.durationMs;
        return result;
    };
    let cleared = false;
    for (const command of plan.commands) {
        if (!cleared && pushesItself(command)) {
            await options.beforePush?.();
            cleared = true;
        }
        const result = await core/* group */.Os(command.label, () => exec(command));
        if (result.exitCode !== 0)
            throw builderFailure(plan, command, result);
    }
    const digest = plan.metadataFile && plan.commands.some(pushesItself) ? readBuildxDigest(plan.metadataFile) : undefined;
    return {
        builder: plan.builder,
        ...(digest ? { digest } : {}),
        ...(plan.archive ? { archive: plan.archive } : {}),
        ...(plan.layout ? { layout: plan.layout } : {}),
        ...(plan.metadataFile ? { metadataFile: plan.metadataFile } : {}),
        durationMs: Math.round(performance.now() - started),
        toolMs,
    };
}
/**
 * The runner's variables the plan asks for (an SSH agent, the gha cache service): in the builder's environment, never
 * on its command line. A gha cache without the runner's token and cache service cannot work, and says so.
 */
function passedEnvironment(plan, from) {
    const env = {};
    for (const name of plan.passEnv ?? []) {
        const value = from[name];
        if (value)
            env[name] = value;
    }
    if (plan.passEnv?.includes('ACTIONS_RUNTIME_TOKEN') &&
        (!env.ACTIONS_RUNTIME_TOKEN || (!env.ACTIONS_CACHE_URL && !env.ACTIONS_RESULTS_URL))) {
        throw new errors/* UserError */.yo('A type=gha cache (`cache-from`/`cache-to`) needs ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL, which the runner gives every action step; this step has not got them. Run it as a step of a GitHub Actions job, or use type=registry.');
    }
    if (plan.passEnv?.includes('SSH_AUTH_SOCK') && !env.SSH_AUTH_SOCK)
        throw new errors/* UserError */.yo('Input `ssh` names the SSH agent, but SSH_AUTH_SOCK is not set.');
    return env;
}
/** A buildx build whose output pushes (by digest). */
function pushesItself(command) {
    return (command.args.includes('--push') ||
        command.args.some((a) => a.startsWith('type=image,') && a.includes('push=true')));
}
/** The builder's own words, the last lines of them, and the Dockerfile line when it names one. */
function builderFailure(plan, command, result) {
    const tail = (0,util_exec/* tailLines */.os)(result.stderr || result.stdout, 12);
    const line = /(?:dockerfile parse error (?:on )?line|Dockerfile:|line) (\d+)/i.exec(tail)?.[1];
    const what = command.kind === 'build' ? 'The build failed' : `${command.label} failed`;
    // With --pull=never the builder may use only the images the gate verified and pulled by digest.
    const unseen = command.args.includes('--pull=never')
        ? /creating build container: (\S+): image not known/.exec(tail)?.[1]
        : undefined;
    const dockerDriver = /push-by-digest is currently not implemented for docker driver/.test(tail);
    const why = dockerDriver
        ? "\nThe job's buildx builder uses the `docker` driver, which cannot push by digest, and this action pushes by digest so that no tag exists before every check passed. Add docker/setup-buildx-action before this step (its `docker-container` builder can), or turn on the Docker engine's containerd image store. Nothing was pushed."
        : unseen
            ? `\nThe builder read ${unseen} from the Dockerfile, an image the base-image check never saw (the builder reads the Dockerfile differently from BuildKit's grammar, e.g. a heredoc it does not know, or an older frontend). Nothing unverified is pulled: make the Dockerfile unambiguous, or build with a builder that reads it as BuildKit does.`
            : '';
    return new errors/* UserError */.yo(`${what} (${plan.builder} exited with ${result.timedOut ? 'a timeout' : `code ${result.exitCode}`})${line ? ` at Dockerfile line ${line}` : ''}:\n${tail}${why}`);
}
function readBuildxDigest(path) {
    let value;
    try {
        value = JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'))['containerimage.digest'];
    }
    catch {
        value = undefined;
    }
    if (typeof value !== 'string' || !run_DIGEST.test(value)) {
        throw new errors/* UserError */.yo(`docker buildx reported ${typeof value === 'string' ? `"${value}"` : 'no containerimage.digest'} instead of a sha256 registry digest in its metadata file. Use a buildx builder that pushes (the docker-container driver, docker/setup-buildx-action).`);
    }
    return value;
}

;// CONCATENATED MODULE: ./src/build/secret-files.ts


/**
 * The build's secrets as files the builder mounts: a value (`secrets`, `secret-envs`) is written to a 0600 file in a
 * 0700 folder of its own under `workDir` (RUNNER_TEMP), so that only its path reaches the builder's command line.
 */
function writeSecretFiles(workDir, secrets) {
    if (secrets.every((s) => 'file' in s))
        return {
            mounts: secrets.map((s) => ({ id: s.id, src: 'file' in s ? s.file : '' })),
            dispose: () => undefined,
        };
    const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(workDir, 'build-secrets-'));
    const dispose = () => (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
    try {
        const mounts = secrets.map((secret, i) => {
            if ('file' in secret)
                return { id: secret.id, src: secret.file };
            const src = (0,external_node_path_.join)(dir, String(i));
            (0,external_node_fs_.writeFileSync)(src, secret.value, { mode: 0o600, flag: 'wx' });
            return { id: secret.id, src };
        });
        return { mounts, dispose };
    }
    catch (error) {
        // A full RUNNER_TEMP: what was written goes before the error is reported.
        dispose();
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/registry/layout.ts



const INDEX_TYPES = new Set([
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
]);
const layout_DIGEST = /^sha256:[0-9a-f]{64}$/;
/**
 * Publishes the image of an OCI layout (what `buildah push … oci:<dir>` writes) by digest only: every blob, then
 * each platform's manifest, then the index, all addressed by digest, so no tag exists until the action makes one.
 * Returns the digest and media type of the top manifest; the registry must name the same digest for each
 * manifest it stored (checked in putManifest).
 */
async function pushLayout(client, registry, repository, layout) {
    const index = readJson((0,external_node_path_.join)(layout, 'index.json'));
    const top = index.manifests?.at(-1);
    if (!top || !layout_DIGEST.test(top.digest))
        throw new errors/* UserError */.yo(`The builder's OCI layout ${layout} names no image in index.json; nothing can be pushed.`);
    const mediaType = await pushManifest(client, registry, repository, layout, top);
    return { digest: top.digest, mediaType };
}
async function pushManifest(client, registry, repository, layout, descriptor) {
    const bytes = (0,external_node_fs_.readFileSync)(blobPath(layout, descriptor.digest));
    const document = JSON.parse(bytes.toString('utf8'));
    const mediaType = descriptor.mediaType ?? document.mediaType ?? '';
    if (INDEX_TYPES.has(mediaType) || document.manifests) {
        for (const child of document.manifests ?? [])
            await pushManifest(client, registry, repository, layout, child);
    }
    else {
        const blobs = [document.config, ...(document.layers ?? [])].filter((d) => d !== undefined);
        await Promise.all(blobs.map((b) => client.pushBlob(registry, repository, b.digest, blobPath(layout, b.digest))));
    }
    await client.putManifest(registry, repository, descriptor.digest, { bytes, mediaType });
    return mediaType;
}
function blobPath(layout, digest) {
    if (!layout_DIGEST.test(digest))
        throw new errors/* UserError */.yo(`The builder's OCI layout names a blob "${digest}" that is not a sha256 digest.`);
    return (0,external_node_path_.join)(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));
}
function readJson(path) {
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
    }
    catch (error) {
        throw new errors/* UserError */.yo(`The builder wrote no readable ${path}: ${String(error)}`);
    }
}

;// CONCATENATED MODULE: ./src/build/layer-chain.ts




/**
 * What the image is made of, against what the gate verified: each image manifest buildah or podman wrote into the OCI
 * layout must begin with the layers (`rootfs.diff_ids`, the uncompressed layer digests, which a pull that converts
 * the manifest's format leaves as they are) of the verified final base image for its platform. Unlike the base
 * record a builder writes, this holds with a build cache (`--layers`, whose record carries the digest of buildah's own
 * copy, not the registry's) and whatever the builder calls its base: an image built on anything else, a local image the runner's storage already
 * held under the verified name included, has other layers. Returns the phrase for the Build row.
 */
async function checkLayerChain(layout, base, registry) {
    const parsed = (0,image_reference/* tryParseReference */.WF)(base.name);
    if (!parsed.ok)
        return '';
    const { registry: host, repository } = parsed.ref;
    const built = layoutImages(layout);
    const platforms = [...new Set(built.map((b) => b.platform))];
    const chains = new Map(await Promise.all(platforms.map(async (platform) => [platform, await registry.imageDiffIds(host, repository, base.digest, platform)])));
    for (const image of built) {
        const chain = chains.get(image.platform);
        const begins = chain !== undefined &&
            chain.length <= image.diffIds.length &&
            chain.every((id, i) => image.diffIds[i] === id);
        if (!begins)
            throw new errors/* UserError */.yo(`The built image ${image.digest} (${image.platform}) does not begin with the layers of the verified base image ${base.name}@${base.digest}${chain ? '' : ` (it has no ${image.platform} image)`}, so nothing is tagged or signed. The builder built the final stage on another image than the one the check verified: an image already in the runner's container storage under that name, or a stage the check did not see. Remove the local image (\`buildah rmi\`), or make the Dockerfile unambiguous.`);
    }
    return built.length > 0 ? `; layers begin with the verified base's (${built.length} checked)` : '';
}
/** The images of the builder's OCI layout, each with its platform and layer chain. */
function layoutImages(layout) {
    return layoutImageDigests(layout).map((digest) => {
        const manifest = readLayoutBlob(layout, digest);
        const config = readLayoutBlob(layout, manifest.config?.digest ?? '');
        const platform = [config.os, config.architecture, config.variant]
            .filter((p) => typeof p === 'string' && p)
            .join('/');
        return { digest, platform, diffIds: (0,client/* configDiffIds */.eL)(config) };
    });
}

;// CONCATENATED MODULE: ./src/stages/build.ts














/**
 * Build and push: builds from the pinned Dockerfile and, with `push`, publishes the result by digest only; no tag
 * exists until every later check passed (the publish stage). Adds `run.build` and the `digest` and `image-ref`
 * outputs, which a failed later stage leaves set so the untagged image can be inspected.
 */
const buildStage = {
    id: 'build',
    async run(run) {
        const { config, report } = run;
        // The build may start before the scanner is installed (it needs only the verified base images), but nothing
        // is pushed until the tools the later stages need are in: an image that cannot be scanned and signed in this
        // run is not published.
        const tools = run.tools;
        const beforePush = tools
            ? async () => {
                await tools.catch((error) => {
                    throw new errors/* UserError */.yo('Nothing was pushed: the tools stage failed (its error is above), so this run could not scan and sign the image.', { cause: error });
                });
            }
            : undefined;
        const deps = {
            registry: run.registry,
            workDir: run.workDir,
            dockerfile: run.baseImages?.dockerfile ?? config.dockerfile,
            ...(run.baseImages?.finalBase ? { finalBase: run.baseImages.finalBase } : {}),
            baseImages: (run.baseImages?.entries ?? []).flatMap((e) => (e.image ? [e.image] : [])),
            ...(run.authDir ? { authDir: run.authDir } : {}),
            ...(beforePush ? { beforePush } : {}),
            ...(run.builder ? { choice: run.builder } : {}),
            ...(run.baseImages
                ? { buildArgs: run.baseImages.buildArgs, buildContexts: run.baseImages.buildContexts }
                : {}),
            ...(config.verifyBaseImages === 'enforce' && run.baseImages
                ? { verified: await verifiedImages(run.registry, run.baseImages) }
                : {}),
        };
        const built = await report.run('build', async () => {
            const value = await buildImage(config, deps);
            const layers = config.cacheFrom.length > 0 || config.cacheTo.length > 0;
            const used = deps.verified ? checkMaterials(value, deps.verified, layers) : '';
            // What the image is made of, beside what the builder says: its layers begin with the verified base's.
            const final = deps.finalBase;
            const chain = deps.verified && value.layout && final?.digest
                ? await checkLayerChain(value.layout, { name: final.name, digest: final.digest }, run.registry)
                : '';
            const pinned = run.baseImages?.pinnedCopy ? ' from the verified digests' : '';
            const cache = (0,options/* cacheSummary */.$2)(config.cacheFrom, (0,options/* writableCache */.JW)(config.github.eventName, config.cacheTo));
            return {
                value,
                // The cache before the materials: the row's cell is cut at 400 characters, and which cache was read matters.
                detail: `${value.choice.builder}${pinned}${config.push ? '' : ', into an OCI archive on this machine'} (${value.choice.why})${cache ? `; ${cache}` : ''}${used}${chain}`,
            };
        });
        run.build = built;
        if (!config.push) {
            report.notices.push('Nothing was pushed (`push: false`): the image is in an OCI archive on this machine only.');
            return;
        }
        run.build = await report.run('push', async () => {
            const value = await pushByDigest(config, deps, built);
            return { value, detail: `by digest, not tagged yet: ${value.imageRef ?? ''}` };
        });
        core/* setOutput */.uH('digest', run.build.digest);
        core/* setOutput */.uH('image-ref', run.build.imageRef);
    },
};
/**
 * `digest`: an image another step pushed stands in for the build, once the registry confirms it exists.
 * Adds `run.build` and the `digest` and `image-ref` outputs.
 */
async function useGivenDigest(run) {
    const { config, report } = run;
    const given = config.digest;
    if (!given)
        return;
    const [host, ...path] = given.repository.split('/');
    const head = await run.registry.headManifest(host ?? '', path.join('/'), given.digest);
    if (!head) {
        throw new errors/* UserError */.yo(`Input \`digest\`: ${given.repository}@${given.digest} does not exist in the registry. Check the digest the earlier step output, and \`image\`.`);
    }
    const imageRef = `${given.repository}@${given.digest}`;
    report.set('build', 'skipped', `\`digest\` names an image already pushed: ${imageRef} (found in the registry)`);
    run.build = givenOutcome(given.digest, imageRef, head.mediaType, 'not built');
    core/* setOutput */.uH('digest', given.digest);
    core/* setOutput */.uH('image-ref', imageRef);
}
/** The outcome of a run that did not build: a given digest, or an index merged from matrix legs. */
function givenOutcome(digest, imageRef, mediaType, why) {
    return {
        builder: 'buildah',
        choice: { builder: 'buildah', why },
        digest,
        imageRef,
        manifestMediaType: mediaType,
        pushMs: 0,
        durationMs: 0,
        toolMs: 0,
    };
}
function buildRequest(config, deps, secrets = [], builder = 'buildah') {
    const registries = new Set([...config.tags, ...(deps.baseImages ?? [])].map((t) => t.split('/')[0] ?? ''));
    const ignoreFile = `${config.dockerfile}.dockerignore`;
    const created = deps.now ?? new Date();
    // buildx annotates the index of a multi-platform image too; buildah and podman annotate each image manifest.
    const levels = builder === 'docker' && config.platforms.length > 1 ? ['manifest', 'index'] : ['manifest'];
    return {
        context: config.context,
        dockerfile: deps.dockerfile,
        ...((0,external_node_fs_.existsSync)(ignoreFile) ? { ignoreFile } : {}),
        buildArgs: deps.buildArgs ?? config.buildArgs,
        ...(config.target ? { target: config.target } : {}),
        platforms: config.platforms,
        labels: ociLabels(config.github, created, deps.finalBase, config.labels),
        // buildah and podman record the base image they built on in each manifest themselves, which is what the
        // materials check reads: the action adds the base annotations for buildx only.
        annotations: ociAnnotations(config.github, created, builder === 'docker' ? deps.finalBase : undefined, levels, config.annotations),
        secrets,
        ssh: config.ssh,
        cacheFrom: config.cacheFrom,
        cacheTo: (0,options/* writableCache */.JW)(config.github.eventName, config.cacheTo).write,
        buildContexts: deps.buildContexts ?? config.buildContexts,
        tags: config.tags,
        push: config.push,
        ...(config.image ? { repository: config.image } : {}),
        workDir: deps.workDir,
        ...(deps.authDir ? { authFile: deps.authDir.configFile } : {}),
        insecureRegistries: [...registries].filter(client/* isLoopbackRegistry */.jW),
        ...(deps.verified ? { pulls: deps.verified.pulls } : {}),
    };
}
function planFor(builder, request) {
    return builder === 'docker' ? buildxPlan(request) : containersPlan(builder, request);
}
/** Builds, and with `push` publishes by digest: the build and push stages in one call (the benchmarks use it). */
async function buildAndPush(config, deps) {
    const built = await buildImage(config, deps);
    return config.push ? pushByDigest(config, deps, built) : built;
}
/** Runs the builder; buildx pushes by digest as it builds, buildah and podman write an OCI layout or archive. */
async function buildImage(config, deps) {
    (0,external_node_fs_.mkdirSync)(deps.workDir, { recursive: true });
    const choice = deps.choice ?? (await chooseBuilder(config.builder));
    if (config.buildContexts.length > 0)
        await requireBuildContexts(choice.builder);
    // Secret values live in files only while the builder runs.
    const secrets = writeSecretFiles(deps.workDir, config.buildSecrets);
    try {
        const request = buildRequest(config, deps, secrets.mounts, choice.builder);
        const plan = planFor(choice.builder, request);
        const result = await runBuildPlan(plan, {
            cwd: config.context,
            env: builderEnvironment(process.env, deps.authDir?.dir),
            pushTimeoutMs: config.stageTimeoutMs,
            ...(deps.beforePush ? { beforePush: deps.beforePush } : {}),
        });
        return { ...result, choice, pushMs: 0 };
    }
    finally {
        secrets.dispose();
    }
}
/**
 * Publishes the built image by digest (buildah and podman: the OCI layout's blobs and manifests; buildx has pushed
 * already), and checks that the registry serves that digest: signing would otherwise sign the wrong thing.
 */
async function pushByDigest(config, deps, built) {
    const repository = config.image ?? repositoryOf(config.tags[0] ?? '');
    const [registry = '', ...path] = repository.split('/');
    let digest = built.digest;
    const started = performance.now();
    if (built.layout) {
        await deps.beforePush?.();
        digest = (await pushLayout(deps.registry, registry, path.join('/'), built.layout)).digest;
    }
    if (!digest)
        throw new errors/* UserError */.yo(`${built.choice.builder} pushed but reported no digest; nothing can be signed.`);
    const head = await deps.registry.headManifest(registry, path.join('/'), digest);
    if (!head) {
        throw new errors/* UserError */.yo(`${built.choice.builder} reported digest ${digest}, but ${repository} has no manifest with that digest. The push did not land where \`image\` says; check \`image\`.`);
    }
    return {
        ...built,
        digest,
        pushMs: Math.round(performance.now() - started),
        imageRef: `${repository}@${digest}`,
        manifestMediaType: head.mediaType,
    };
}
/**
 * The images the gate let through, and every digest a builder may name for them: the digest checked and, for an
 * index, its platform manifests (read from the registry, which is what the builder reads too).
 */
async function verifiedImages(registry, result) {
    const passed = result.entries.filter((e) => e.image !== null && e.digest !== null && e.status !== 'failed' && e.status !== 'unresolved');
    const pulls = new Map();
    const allowed = new Set();
    const uses = new Map();
    const use = (digest, e) => {
        const known = uses.get(digest) ?? { image: e.image ?? '', lines: [] };
        if (!known.lines.includes(e.line))
            known.lines.push(e.line);
        uses.set(digest, known);
    };
    await Promise.all(passed.map(async (e) => {
        const parsed = (0,image_reference/* tryParseReference */.WF)(e.image ?? '');
        if (!parsed.ok || !e.digest)
            return;
        const repository = `${parsed.ref.registry}/${parsed.ref.repository}`;
        const ref = `${repository}@${e.digest}`;
        // Unpinned builds name the tag: it is made locally, pointing at the verified digest.
        const tag = !result.pinnedCopy && !e.pinned && parsed.ref.tag ? `${repository}:${parsed.ref.tag}` : undefined;
        pulls.set(`${ref} ${tag ?? ''}`, { ref, ...(tag ? { tag } : {}) });
        allowed.add(e.digest);
        use(e.digest, e);
        const document = (await registry.getJson(parsed.ref.registry, parsed.ref.repository, 'manifests', e.digest));
        for (const m of document.manifests ?? []) {
            if (!m.digest)
                continue;
            allowed.add(m.digest);
            use(m.digest, e);
        }
    }));
    return { pulls: [...pulls.values()], allowed, uses };
}
/**
 * The builder's own record of what it built from, against what the gate verified: BuildKit's provenance (buildx's
 * metadata file), or the base image buildah and podman wrote into each manifest. Anything else fails the run before
 * anything is tagged or signed. Returns the phrase for the stage row.
 */
function checkMaterials(built, verified, layers = false) {
    let materials;
    if (built.builder === 'docker') {
        const metadata = built.metadataFile ? readJsonObject(built.metadataFile) : undefined;
        const found = metadata ? buildxMaterials(metadata) : undefined;
        if (!found)
            throw new errors/* UserError */.yo('docker buildx wrote no provenance into its metadata file, so this run cannot confirm which images the build used, and `verify-base-images: enforce` asks for that. Use a BuildKit builder with the build history API (BuildKit 0.11 or later, as docker/setup-buildx-action sets up), and do not set BUILDX_METADATA_PROVENANCE=disabled.');
        materials = found;
    }
    else if (built.layout) {
        materials = layoutBaseImages(built.layout).filter((m) => m.digest !== '');
    }
    else {
        // Nothing leaves this machine; --pull=never already kept the build to the verified images.
        return '; only the verified images were in reach (--pull=never)';
    }
    // With --layers (a build cache) buildah records as the base digest that of its own copy of the image, not the
    // registry's: the name it records must then be one this run pulled or tagged from a verified digest (a local tag
    // re-pointed at it before the build), and checkLayerChain checks the layers.
    const names = new Set(verified.pulls.flatMap((p) => [p.ref, ...(p.tag ? [p.tag] : [])]));
    const unverified = unverifiedMaterials(materials, verified.allowed).filter((m) => !(layers && built.layout && names.has(m.name)));
    if (unverified.length > 0)
        throw new errors/* UserError */.yo(`The build used ${unverified.length === 1 ? 'an image' : 'images'} the base-image check never verified, so nothing is tagged or signed:\n${unverified
            .map((m) => `- ${m.name} (${m.digest || 'no digest'}), from ${m.source}`)
            .join('\n')}\nThe builder reads the Dockerfile differently from the check (a heredoc, an older \`# syntax\` frontend, a build-arg): make it unambiguous.`);
    return `; the builder used only verified digests (${built.builder === 'docker' ? "BuildKit's provenance" : 'the base image it recorded'}: ${materials.length} checked): ${usedImages(materials, verified).join(', ')}`;
}
/** Each image the builder used, as `image@digest (line N)`: the digest it named, the lines whose FROM names that image. */
function usedImages(materials, verified) {
    const out = new Set();
    for (const m of materials) {
        const digest = verified.allowed.has(m.digest) ? m.digest : (m.nameDigest ?? m.digest);
        const known = verified.uses?.get(digest);
        if (!known) {
            out.add(`${m.name.replace(/@sha256:[0-9a-f]{64}$/, '')}@${digest}`);
            continue;
        }
        const lines = [...known.lines].sort((a, b) => a - b);
        const inFile = lines.filter((l) => l > 0);
        const where = [
            ...(lines.includes(0) ? ['build-arg BUILDKIT_SYNTAX'] : []),
            ...(inFile.length > 0 ? [`line${inFile.length > 1 ? 's' : ''} ${inFile.join(', ')}`] : []),
        ].join('; ');
        out.add(`${known.image.replace(/@sha256:[0-9a-f]{64}$/, '')}@${digest} (${where})`);
    }
    return [...out];
}
function readJsonObject(path) {
    try {
        const value = JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
        return value !== null && typeof value === 'object' ? value : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/stages/merge.ts




const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const merge_INDEX_TYPES = new Set([OCI_INDEX, 'application/vnd.docker.distribution.manifest.list.v2+json']);
/**
 * Merge (the job after a matrix of `push-by-digest` legs): the legs' single-platform images become one index in
 * `image`, pushed by digest. Each leg is read once (its manifest and its config, for the platform); a leg that does
 * not exist, is itself an index, or repeats a platform is an error naming its line of `merge`, before anything is
 * written. Adds `run.build` (the index) and `run.platforms`, and the `digest` and `image-ref` outputs.
 */
const mergeStage = {
    id: 'push',
    async run(run) {
        const { config, report, registry } = run;
        const image = config.image ?? '';
        const [host = '', ...path] = image.split('/');
        const name = path.join('/');
        const { digest, legs } = await report.run('push', async () => {
            const legs = await Promise.all(config.merge.map((entry) => readLeg(registry, host, name, entry)));
            const seen = new Map();
            for (const leg of legs) {
                const key = platformText(leg.platform);
                const earlier = seen.get(key);
                if (earlier)
                    throw new errors/* UserError */.yo(`Input \`merge\`, line ${leg.entry.line}: ${leg.entry.digest} is a ${key} image, and so is line ${earlier.entry.line} (${earlier.entry.digest}). Each leg must build other platforms.`);
                seen.set(key, leg);
            }
            const index = {
                schemaVersion: 2,
                mediaType: OCI_INDEX,
                manifests: legs.map((leg) => ({
                    mediaType: leg.mediaType,
                    digest: leg.entry.digest,
                    size: leg.size,
                    platform: leg.platform,
                })),
            };
            const bytes = Buffer.from(JSON.stringify(index));
            const digest = `sha256:${(0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex')}`;
            await registry.putManifest(host, name, digest, { bytes, mediaType: OCI_INDEX });
            return {
                value: { digest, legs },
                detail: `by digest, not tagged yet: an index of ${legs.map((l) => platformText(l.platform)).join(', ')}`,
            };
        });
        const imageRef = `${image}@${digest}`;
        report.set('build', 'skipped', `\`merge\`: ${legs.length} images built by the matrix legs`);
        run.build = givenOutcome(digest, imageRef, OCI_INDEX, `merged from ${legs.length} legs`);
        run.platforms = legs.map((l) => platformText(l.platform));
        core/* setOutput */.uH('digest', digest);
        core/* setOutput */.uH('image-ref', imageRef);
    },
};
async function readLeg(registry, host, name, entry) {
    const where = `Input \`merge\`, line ${entry.line}: ${entry.repository}@${entry.digest}`;
    // One read of the manifest (absent, an index, or an image) and one of its config: two reads per leg.
    const manifest = await registry.getManifest(host, name, entry.digest);
    if (!manifest)
        throw new errors/* UserError */.yo(`${where} does not exist in the registry. Check the leg's \`image-ref\` output.`);
    if (merge_INDEX_TYPES.has(manifest.mediaType))
        throw new errors/* UserError */.yo(`${where} is an index of several platforms, not one platform's image. Give each leg one platform (\`platforms\`) and \`push-by-digest: true\`.`);
    const document = JSON.parse(manifest.bytes.toString('utf8'));
    const configDigest = document.config?.digest;
    if (!configDigest)
        throw new errors/* UserError */.yo(`${where} is not an image manifest (it names no config).`);
    const imageConfig = (await registry.getJson(host, name, 'blobs', configDigest));
    if (!imageConfig.os || !imageConfig.architecture)
        throw new errors/* UserError */.yo(`${where}: its image config names no os and architecture, so its platform is unknown.`);
    return {
        entry,
        mediaType: manifest.mediaType,
        size: manifest.bytes.length,
        platform: {
            os: imageConfig.os,
            architecture: imageConfig.architecture,
            ...(imageConfig.variant ? { variant: imageConfig.variant } : {}),
        },
    };
}
function platformText(p) {
    return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

;// CONCATENATED MODULE: ./src/stages/publish.ts



/**
 * Tags, last: once the gate, the signature, the attestations and their verification passed, each tag is made to
 * point at the exact manifest bytes that were checked (a manifest PUT per tag), and the registry must then serve
 * that digest for it. Sets `run.tags` and the `tags` output to the tags that exist.
 */
const publishStage = {
    id: 'publish',
    skipped: (run) => (run.build?.imageRef ? undefined : 'nothing was pushed'),
    async run(run) {
        const { config, report, registry } = run;
        const build = run.build;
        if (!build?.imageRef || !build.digest)
            return;
        const digest = build.digest;
        const made = [];
        try {
            await report.run('publish', async () => {
                const repository = repositoryOf(build.imageRef ?? '');
                const [host = '', ...path] = repository.split('/');
                const name = path.join('/');
                const manifest = await registry.getManifest(host, name, digest);
                if (!manifest)
                    throw new errors/* UserError */.yo(`The registry no longer has ${build.imageRef ?? digest}, which passed every check; nothing was tagged.`);
                for (const tag of config.tags) {
                    const tagName = tag.slice(tag.lastIndexOf(':') + 1);
                    await registry.putManifest(host, name, tagName, manifest);
                    const served = await registry.headManifest(host, name, tagName);
                    if (served?.digest !== digest)
                        throw new errors/* UserError */.yo(`The registry serves ${served ? served.digest : 'nothing'} for ${tag} right after it was set to ${digest}; something else writes this tag. Nothing more was tagged.`);
                    made.push(tag);
                }
                return { value: undefined, detail: `${made.length} tag${made.length === 1 ? '' : 's'} → ${digest}` };
            });
        }
        finally {
            run.tags = made;
            core/* setOutput */.uH('tags', made.join('\n'));
        }
    },
};

// EXTERNAL MODULE: ./src/policy/match.ts
var match = __webpack_require__(6563);
;// CONCATENATED MODULE: ./src/report/annotations.ts


/** GitHub shows at most this many annotations of each level per step. */
const ANNOTATION_LIMIT = 10;
const LEVELS = ['error', 'warning', 'notice'];
const PLURAL = { error: 'errors', warning: 'warnings', notice: 'notices' };
function key(r) {
    return [r.level, r.file ?? '', r.line ?? '', r.title, r.message].join('\u0000');
}
function where(r) {
    return r.file ? `${r.file}${r.line !== undefined ? `:${r.line}` : ''}: ` : '';
}
/**
 * Errors first, then warnings, then notices, each in the order they were raised, the same one once.
 * When a level has more than GitHub shows, the last slot of that level says how many more there are
 * and lists them briefly, so nothing is dropped silently.
 */
function limitAnnotations(requests, limit = ANNOTATION_LIMIT) {
    return planAnnotations(requests, limit).shown;
}
/** `shown`: what goes out as annotations; `overflow`: the ones only the summary annotation mentions. */
function planAnnotations(requests, limit = ANNOTATION_LIMIT) {
    const seen = new Set();
    const unique = requests.filter((r) => {
        const k = key(r);
        if (seen.has(k))
            return false;
        seen.add(k);
        return true;
    });
    const out = [];
    const overflow = [];
    for (const level of LEVELS) {
        const of = unique.filter((r) => r.level === level);
        if (of.length <= limit) {
            out.push(...of);
            continue;
        }
        out.push(...of.slice(0, limit - 1));
        const rest = of.slice(limit - 1);
        overflow.push(...rest);
        const listed = rest.slice(0, 20).map((r) => `- ${where(r)}${r.title}`);
        if (rest.length > listed.length)
            listed.push(`- … and ${rest.length - listed.length} more`);
        out.push({
            level,
            title: `${rest.length} more ${PLURAL[level]}`,
            message: [
                `${rest.length} more ${PLURAL[level]} are not shown as annotations (GitHub shows ${limit} per step); the step log has them all:`,
                ...listed,
            ].join('\n'),
        });
    }
    return { shown: out, overflow };
}
/** `@actions/core`, with the log lines of the overflow on one line each and never read as a command. */
const runnerSink = {
    error: core/* error */.z3,
    warning: core/* warning */.$e,
    notice: core/* notice */.lm,
    info: util_log/* logInfo */.fH,
};
function emitAnnotations(requests, sink = runnerSink) {
    const { shown, overflow } = planAnnotations(requests);
    for (const r of shown) {
        const props = { title: r.title };
        if (r.file)
            props.file = r.file;
        if (r.line !== undefined)
            props.startLine = r.line;
        sink[r.level](r.message, props);
    }
    // What did not fit as an annotation is still in the log, where the overflow annotation points.
    for (const r of overflow)
        sink.info((0,util_log/* escapeLineBreaks */.yO)(`${r.level}: ${where(r)}${r.title}: ${r.message.replace(/\r?\n/g, ' / ')}`));
}

// EXTERNAL MODULE: ./src/report/budget.ts
var budget = __webpack_require__(2585);
// EXTERNAL MODULE: ./src/report/sections.ts
var sections = __webpack_require__(3844);
// EXTERNAL MODULE: ./src/report/markdown.ts
var markdown = __webpack_require__(4285);
;// CONCATENATED MODULE: ./src/report/base-updates-section.ts

/** `### Base image updates`: newer digests behind pinned tags, trusted or not, with the line to paste. */
function baseUpdatesBlock(updates, heading = '### Base image updates') {
    if (updates.length === 0)
        return undefined;
    const items = updates.map((u) => {
        const built = u.created ? `, built ${u.created.slice(0, 10)}` : '';
        const paste = u.pinnedLine ? u.pinnedLine.text : `${u.image}@${u.current}`;
        if (u.status === 'newer-not-trusted') {
            return `- ⚠️ ${(0,markdown/* code */.aY)(u.image)} now points at ${(0,markdown/* code */.aY)(u.current)}${built}, which does **not** pass the rule ${(0,markdown/* code */.aY)(u.rule ?? '')}: ${(0,markdown/* escapeProse */.fd)(u.reason ?? '', false)}. The tag may have been hijacked; keep the pinned digest.`;
        }
        const signed = u.status === 'newer-trusted' ? 'signed ' : '';
        const unchecked = u.status === 'newer-unchecked' ? ' (no policy rule matches it; not checked)' : '';
        return `- A newer ${signed}${(0,markdown/* code */.aY)(u.image)} exists${built}${unchecked}. ${u.pinnedLine ? `Line ${u.pinnedLine.line}, pinned` : 'Pinned'}: ${(0,markdown/* code */.aY)(paste)}`;
    });
    return [heading, '', ...items].join('\n');
}

// EXTERNAL MODULE: ./src/registry/image-size.ts
var image_size = __webpack_require__(8470);
;// CONCATENATED MODULE: ./src/report/size-section.ts


/**
 * `### Image size`: per platform the compressed image, its final base image and what the build added; then the
 * largest added layers of each platform with the instruction that made them.
 */
function sizeBlock(size, heading = '### Image size') {
    if (size.platforms.length === 0)
        return undefined;
    const rows = size.platforms.map((p) => [
        (0,markdown/* cellCode */.GA)(p.platform || 'unknown'),
        (0,image_size/* formatBytes */.z3)(p.size),
        p.base ? `${(0,markdown/* cellCode */.GA)((0,markdown/* truncate */.xv)(p.base.image, 80))} ${(0,image_size/* formatBytes */.z3)(p.base.size)}` : 'unknown',
        p.base ? `+${(0,image_size/* formatBytes */.z3)(p.added)}` : (0,image_size/* formatBytes */.z3)(p.added),
    ]);
    const parts = [
        heading,
        '',
        'Compressed, as the registry holds it.',
        '',
        (0,markdown/* table */.tp)(['platform', 'image', 'base image', 'added by the build'], rows),
    ];
    if (size.over.length > 0) {
        parts.push('', ...size.over.map((o) => `- ⚠️ ${(0,markdown/* escapeProse */.fd)(o, false)}`));
    }
    else if (size.budget !== undefined) {
        parts.push('', `Within the size budget of ${(0,markdown/* code */.aY)(size.budget)}.`);
    }
    for (const p of size.platforms) {
        if (p.largestAdded.length === 0)
            continue;
        parts.push('', `Largest layers the build added${size.platforms.length > 1 ? ` (${(0,markdown/* code */.aY)(p.platform)})` : ''}:`, '', (0,markdown/* table */.tp)(['size', 'instruction'], p.largestAdded.map((l) => [
            (0,image_size/* formatBytes */.z3)(l.size),
            l.instruction ? (0,markdown/* cellCode */.GA)((0,markdown/* truncate */.xv)(l.instruction, 120)) : 'unknown (no history)',
        ])));
    }
    return parts.join('\n');
}

// EXTERNAL MODULE: ./src/report/verdict.ts
var report_verdict = __webpack_require__(687);
;// CONCATENATED MODULE: ./src/report/summary.ts





/** GitHub refuses a step summary over 1 MiB; 64 KiB stay free for anything else the step appends. */
const SUMMARY_MAX_BYTES = 1024 * 1024 - 64 * 1024;
/**
 * The job summary as markdown. Pure: the writer decides where it goes. Every value a user or a tool
 * controls is escaped or in a code span; the result is at most `maxBytes` whatever the report holds.
 */
function renderSummary(input) {
    const limits = (0,sections/* limitsOf */.Af)(input, sections/* DEFAULT_LIMITS */.dR);
    const verdict = (0,report_verdict/* verdictOf */.Vj)(input);
    const scan = input.scan;
    const blocks = (0,sections/* compact */.oE)([
        (0,sections/* headline */.Pl)(input, verdict, '##', 40),
        (0,sections/* stageTable */.JB)(input.report),
        (0,sections/* baseImagesBlock */.nC)(input, { heading: '### Base images', onlyProblems: false, limit: limits.baseImages }),
        input.baseUpdates ? baseUpdatesBlock(input.baseUpdates) : undefined,
        input.size ? sizeBlock(input.size) : undefined,
        scan ? (0,sections/* vulnerabilitiesIntro */.bV)(scan, '### Vulnerabilities') : undefined,
        scan ? (0,sections/* severityTable */.ql)(scan) : undefined,
        scan ? (0,sections/* findingsBlock */.k5)(scan, { heading: '#### Top findings', limit: limits.findings }) : undefined,
        scan ? (0,sections/* ignoredBlock */.sM)(scan, limits.ignored) : undefined,
        input.sign ? (0,sections/* signatureBlock */.G1)(input.sign) : undefined,
        input.sign ? (0,sections/* verifyBlock */.Zw)(input.sign, '### Verify it yourself', true) : undefined,
        (0,sections/* toolsBlock */.J6)(input),
        (0,sections/* noticesBlock */.xB)(input, limits.notices),
        (0,sections/* footer */.qr)(input),
    ]);
    return (0,budget/* renderWithin */.A)(blocks, input.maxBytes ?? SUMMARY_MAX_BYTES);
}

// EXTERNAL MODULE: ./src/stages/input-errors.ts + 1 modules
var input_errors = __webpack_require__(6136);
;// CONCATENATED MODULE: ./src/stages/report.ts







/**
 * Report: the `signed` output, the annotations, the job summary and the pull-request comment, from what the run
 * recorded; then the run's one failure, if any, goes to `core.setFailed`.
 */
async function reportStage(run) {
    const { config, report } = run;
    core/* setOutput */.uH('signed', run.sign?.signed ? 'true' : 'false');
    if (run.build?.imageRef && report.failure && !(run.tags?.length ?? 0) && run.plan.publish.run) {
        const where = report.failure.stage ? report.stages.get(report.failure.stage)?.title : undefined;
        report.notices.push(`Pushed by digest, not tagged${where ? `: failed at ${where}` : ''}. The untagged image is ${run.build.imageRef}.`);
        if (report.stages.get('publish')?.status === 'not-run')
            report.set('publish', 'not-run', `not tagged: the run failed${where ? ` at ${where}` : ''}`);
    }
    if (config.annotate)
        emitAnnotations(run.annotations);
    const input = {
        report,
        subject: subjectOf(run),
        baseImages: run.baseImages?.entries,
        tools: run.installed,
        dockerfile: config.dockerfileRelative,
        github: config.github,
        digestPinning: config.digestPinning,
        ...(config.trustPolicy ? { trustPolicy: (0,input_errors/* policyPath */.k1)(config, config.trustPolicy) } : {}),
        // What each rule asks: the next step of a failed base image, and the signer cell of a verified one.
        ...(run.baseImages?.entries.length ? { ruleDemands: (0,match/* ruleDemands */.zB)((0,match/* combinePolicy */.Wg)(run.policyFile)) } : {}),
        ...(run.tags?.length ? { tags: run.tags } : {}),
        ...(builtFor(run).length > 0 ? { platforms: builtFor(run) } : {}),
        ...(run.scan ? { scan: run.scan } : {}),
        ...(run.sign ? { sign: run.sign } : {}),
        ...(run.size ? { size: run.size } : {}),
        ...(run.baseUpdateList?.length ? { baseUpdates: run.baseUpdateList } : {}),
    };
    if (config.summary) {
        try {
            await core/* summary */.z.addRaw(renderSummary(input)).write();
        }
        catch (error) {
            core/* warning */.$e(`Could not write the job summary: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
    }
    if (config.prComment && config.github.eventName.startsWith('pull_request')) {
        // Posting never fails the run: a fork's read-only token is a warning, not an error.
        try {
            const { renderPrComment } = await __webpack_require__.e(/* import() */ 231).then(__webpack_require__.bind(__webpack_require__, 4231));
            const { postPrComment } = await __webpack_require__.e(/* import() */ 914).then(__webpack_require__.bind(__webpack_require__, 1914));
            await postPrComment({
                ...(config.githubToken ? { token: config.githubToken } : {}),
                github: config.github,
                markdown: renderPrComment(input),
                image: config.image ?? subjectOf(run),
            });
        }
        catch (error) {
            core/* warning */.$e(`Could not write the pull request comment: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
    }
    if (report.failure)
        core/* setFailed */.C1(report.failure.message);
}
/**
 * Input errors: each as an error annotation (on its line, for the policy file), the same list in the job
 * summary (when the runner gave a summary file and the `summary` input, if it was read, did not turn it off),
 * and the run fails.
 */
/** The platforms of the image this run built or merged; none when it built nothing. */
function builtFor(run) {
    if (run.platforms?.length)
        return run.platforms;
    if (!run.build || !run.plan.build.run)
        return [];
    if (run.config.platforms.length > 0)
        return run.config.platforms;
    const arch = { X64: 'amd64', ARM64: 'arm64', ARM: 'arm/v7' }[run.config.github.runnerArch];
    return arch ? [`linux/${arch}`] : [];
}

// EXTERNAL MODULE: ./src/config/index.ts + 11 modules
var src_config = __webpack_require__(896);
;// CONCATENATED MODULE: ./src/stages/scan.ts










/**
 * Scan: every platform of the pushed digest (or the local archive) against the warmed DB, one JSON report each,
 * every other format from it, and the gate from the parsed report, never the scanner's exit code. Adds `run.scan`
 * and the scan outputs; a failed gate fails the run here, before anything is signed or tagged.
 */
const scanStage = {
    id: 'scan',
    skipped: (run) => (run.build ? undefined : 'there is no image to scan'),
    async run(run) {
        const { config, report, build } = run;
        const tools = run.tools;
        const database = run.database;
        if (config.scanner === 'none' || !build || !tools || !database)
            return;
        const scanner = config.scanner;
        const { readGateRules, runScanStage, gateFailureMessage, scanPlatforms } = await Promise.all(/* import() */[__webpack_require__.e(88), __webpack_require__.e(691), __webpack_require__.e(815), __webpack_require__.e(786)]).then(__webpack_require__.bind(__webpack_require__, 2786));
        run.scan = await report.run('scan', async () => {
            const installed = await tools;
            if (!installed.scanner)
                throw new errors/* UserError */.yo(`${scanner} is not installed in this run`);
            const target = build.imageRef
                ? { kind: 'registry', ref: build.imageRef }
                : build.archive
                    ? { kind: 'archive', path: build.archive }
                    : undefined;
            if (!target)
                throw new errors/* UserError */.yo('The build produced neither a pushed digest nor an archive to scan.');
            const imageRef = build.imageRef ?? config.tags[0] ?? '';
            // The built stage's FROM line; another stage may start from the same image on an earlier line.
            const finalBase = run.baseImages?.finalBase;
            const baseImageLine = finalBase?.line ?? run.baseImages?.entries.find((e) => e.image === finalBase?.name)?.line;
            const rules = await readGateRules(scanner, config.ignoreFile ?? defaultIgnoreFile(config), config.vex, (p) => (0,src_config/* workspaceRelative */.U)(config.github.workspace || process.cwd(), p));
            // A scan without `--platform` reads the one platform built: the input's, or the runner's, as the build does.
            const platforms = run.platforms ?? config.platforms;
            const defaultPlatform = platforms[0] ?? runnerPlatform(config.github.runnerArch);
            const scanned = scanPlatforms(scanner, target, platforms).platforms.map((p) => p ?? defaultPlatform);
            const baseLayers = await finalBaseLayers(run, scanned);
            // From here a scan runs. One that ends without a verdict (crash, timeout, unreadable report) did not pass:
            // `scan-passed` says false, so a later step that checks for anything but false is not misled by an empty value.
            const value = await runScanStage({
                scanner,
                scannerPath: installed.scanner.path,
                scannerVersion: installed.scanner.version,
                target,
                platforms,
                workDir: run.workDir,
                toolCacheDir: config.github.toolCache || (0,external_node_path_.join)(run.workDir, 'tool-cache'),
                env: run.toolEnv,
                insecure: target.kind === 'registry' && (0,client/* isLoopbackRegistry */.jW)(target.ref.split('/')[0] ?? ''),
                gate: { failOn: config.failOnSeverity, ignoreUnfixed: config.ignoreUnfixed, ...rules },
                dockerfile: config.dockerfileRelative,
                ...(baseImageLine !== undefined ? { baseImageLine } : {}),
                ...(baseLayers ? { baseLayers, defaultPlatform } : {}),
                imageRef,
                database,
                ...(config.registryAuth ? { login: { registry: run_registryOf(config), ...config.registryAuth } } : {}),
                invocation: { uri: (0,github_context/* runUrl */.Vp)(config.github), eventId: config.github.runId },
                timeoutMs: config.stageTimeoutMs,
            }).catch((error) => {
                core/* setOutput */.uH('scan-passed', 'false');
                throw error;
            });
            for (const [name, output] of Object.entries(value.outputs))
                core/* setOutput */.uH(name, output);
            for (const warning of value.warnings)
                core/* warning */.$e(warning);
            // An expired entry no longer ignores: said on its line of the ignore file, whether or not there is a summary.
            for (const { rule, message } of value.gate.expiredIgnores) {
                (0,util_log/* logInfo */.fH)(message);
                run.annotations.push({
                    level: 'warning',
                    title: 'Ignore entry expired',
                    message,
                    ...((0,external_node_path_.isAbsolute)(rule.file) ? {} : { file: rule.file, line: rule.line }),
                });
            }
            const c = value.gate.counts;
            const detail = `${c.total} vulnerabilities (${c.critical} critical, ${c.high} high, ${c.fixable} fixable, ${c.ignored} ignored); gate: ${config.failOnSeverity}`;
            run.annotations.push({
                level: value.gate.passed ? 'notice' : 'error',
                title: value.gate.passed ? 'Vulnerability gate passed' : 'Vulnerability gate failed',
                message: value.gate.passed ? detail : (gateFailureMessage(value) ?? detail),
            });
            run.scan = value;
            if (!value.gate.passed) {
                throw new errors/* UserError */.yo(gateFailureMessage(value) ?? `The vulnerability gate failed: ${detail}`);
            }
            return { value, detail };
        });
    },
};
/**
 * The final base image's layers for each platform scanned, to tell findings of the base from the build's own:
 * a base image built for several platforms has other layers on each.
 */
async function finalBaseLayers(run, platforms) {
    const base = run.baseImages?.finalBase;
    const digest = base?.digest;
    if (!base || !digest)
        return undefined;
    const [host, ...rest] = base.name.split('/');
    const repository = rest.join('/').replace(/:[^:/]+$/, '');
    const found = await Promise.all([...new Set(platforms)].map(async (platform) => {
        try {
            return [platform, await run.registry.imageLayers(host ?? '', repository, digest, platform)];
        }
        catch (error) {
            // A registry that fails, or a base image without this platform: either way no layers to compare with.
            (0,util_log/* logInfo */.fH)(`No ${platform} layers of ${base.name} to tell its findings from the build's (${(0,errors/* errorMessage */.gJ)(error)}); the ${platform} findings will not say base or app.`);
            return [platform, []];
        }
    }));
    const layers = Object.fromEntries(found.filter(([, l]) => l.length > 0));
    return Object.keys(layers).length > 0 ? layers : undefined;
}
/** `ignore-file` empty: the scanner's usual file in the context root, when there is one. */
function defaultIgnoreFile(config) {
    const names = config.scanner === 'grype' ? ['.grype.yaml', '.grype.yml'] : ['.trivyignore.yaml', '.trivyignore'];
    return names.map((n) => (0,external_node_path_.join)(config.context, n)).find((p) => (0,external_node_fs_.existsSync)(p));
}

;// CONCATENATED MODULE: ./src/report/run-report.ts

const STAGE_TITLES = {
    tools: 'Tools',
    'base-images': 'Base images',
    build: 'Build',
    push: 'Push',
    scan: 'Scan',
    sign: 'Sign',
    attest: 'Attest',
    verify: 'Verify signature',
    publish: 'Tags',
};
/** The order of the stage table: the order the stages run in. */
const STAGE_ORDER = [
    'tools',
    'base-images',
    'build',
    'push',
    'scan',
    'sign',
    'attest',
    'verify',
    'publish',
];
/** Everything the run did, as it happened: the single source for the summary, annotations and outputs. */
class RunReport {
    stages = new Map();
    notices = [];
    startedAt = Date.now();
    failure;
    constructor(plan) {
        for (const id of STAGE_ORDER) {
            const p = plan[id];
            this.stages.set(id, {
                id,
                title: STAGE_TITLES[id],
                status: p.run ? 'not-run' : 'skipped',
                detail: p.run ? '' : p.reason,
            });
        }
    }
    set(id, status, detail, durationMs) {
        const record = this.stages.get(id);
        if (!record)
            return;
        record.status = status;
        record.detail = detail;
        if (durationMs !== undefined)
            record.durationMs = durationMs;
    }
    /** Runs a stage, timing it; a throw marks the stage failed (with the message) and goes on up. */
    async run(id, fn) {
        const started = performance.now();
        try {
            const result = await fn();
            this.set(id, result.status ?? 'passed', result.detail, Math.round(performance.now() - started));
            return result.value;
        }
        catch (error) {
            this.set(id, 'failed', firstLine((0,errors/* errorMessage */.gJ)(error)), Math.round(performance.now() - started));
            this.failure ??= { stage: id, message: (0,errors/* errorMessage */.gJ)(error) };
            throw error;
        }
    }
    /** Stages still waiting when the run stopped early did not run: say so rather than leave them blank. */
    closeUnfinished() {
        for (const record of this.stages.values()) {
            if (record.status === 'not-run' && record.detail === '') {
                record.detail = this.failure ? 'not reached: an earlier stage failed' : 'not reached';
            }
        }
    }
    list() {
        return STAGE_ORDER.map((id) => this.stages.get(id)).filter((r) => r !== undefined);
    }
}
/** The table cell gets the first line; a line that introduces a list says where the list is. */
function firstLine(text) {
    const line = text.split('\n')[0] ?? text;
    return line.endsWith(':') && text.includes('\n') ? `${line.slice(0, -1)} (listed above the table).` : line;
}

;// CONCATENATED MODULE: ./src/stages/plan.ts
/**
 * Which stages the inputs make possible. A stage another input rules out is skipped with its reason,
 * never an error, so `push: ${{ github.event_name != 'pull_request' }}` works with every other default.
 */
function planStages(config) {
    const merging = config.merge.length > 0;
    const building = config.build && config.digest === undefined && !merging;
    const pushing = building && config.push;
    // A matrix leg (`push-by-digest`) only builds and pushes its platforms; the merge job does the rest.
    const leg = pushing && config.pushByDigest;
    const hasImage = (pushing && !leg) || config.digest !== undefined || merging;
    const scanning = config.scanner !== 'none' && !leg && (building || hasImage);
    const baseImages = config.dockerfileExists
        ? { run: true }
        : {
            run: false,
            reason: merging
                ? `no Dockerfile at ${config.dockerfileRelative}; the legs checked their base images`
                : `no Dockerfile at ${config.dockerfileRelative}, and \`digest\` was given`,
        };
    const build = building
        ? { run: true }
        : {
            run: false,
            reason: merging
                ? '`merge` assembles images the legs built'
                : config.digest !== undefined
                    ? '`digest` names an image that is already pushed'
                    : '`build: false`',
        };
    const push = pushing || merging
        ? { run: true }
        : {
            run: false,
            reason: !building ? 'nothing is built' : '`push: false`: the image stays on this machine',
        };
    const scan = scanning
        ? { run: true }
        : {
            run: false,
            reason: leg
                ? '`push-by-digest`: the merge job scans every platform'
                : config.scanner === 'none'
                    ? '`scanner: none`'
                    : 'there is no image to scan',
        };
    let sign;
    if (!config.sign)
        sign = { run: false, reason: '`sign: false`' };
    else if (leg)
        sign = { run: false, reason: '`push-by-digest`: the merge job signs the index' };
    else if (!hasImage)
        sign = { run: false, reason: 'nothing was pushed, so there is no digest to sign' };
    else
        sign = { run: true };
    let attest;
    if (config.attest.length === 0)
        attest = { run: false, reason: '`attest: none`' };
    else if (!sign.run)
        attest = { run: false, reason: 'nothing is signed' };
    else if (!scanning)
        attest = { run: false, reason: 'there is no scan to attest' };
    else
        attest = { run: true };
    const verify = sign.run ? { run: true } : { run: false, reason: 'nothing is signed' };
    // Tags are made last, by the action itself, once every check before them passed.
    const tagged = (pushing && !leg) || merging;
    const publish = tagged
        ? { run: true }
        : {
            run: false,
            reason: leg
                ? '`push-by-digest`: the merge job tags the index'
                : config.digest !== undefined
                    ? '`digest` names an image that is already pushed; it is not tagged again'
                    : 'nothing is pushed',
        };
    const tools = (baseImages.run && config.verifyBaseImages !== 'off') || scanning || sign.run
        ? { run: true }
        : { run: false, reason: 'no stage needs cosign or a scanner' };
    return { tools, 'base-images': baseImages, build, push, scan, sign, attest, verify, publish };
}

;// CONCATENATED MODULE: ./src/stages/setup.ts










/**
 * The run's shared state from good inputs: the trust policy (a malformed one is an input error too, reported before
 * anything runs, on its own lines), the plan, the report, the work folder, the registry login and client.
 */
async function setUp(config, seams) {
    const policyFile = loadPolicyFile(config);
    const plan = planStages(config);
    const report = new RunReport(plan);
    for (const record of report.list()) {
        if (record.status === 'skipped')
            core/* notice */.lm(`${record.title} skipped: ${record.detail}.`);
    }
    const workDir = (0,external_node_path_.join)(config.github.runnerTemp || process.cwd(), `secure-image-${process.pid}`);
    (0,external_node_fs_.mkdirSync)(workDir, { recursive: true });
    const authDir = config.registryAuth
        ? writeAuthDir(workDir, run_registryOf(config), config.registryAuth)
        : undefined;
    const registry = new client/* RegistryClient */.bP({
        onWriteRetry: (message) => core/* warning */.$e(message),
        writeTimeoutMs: config.stageTimeoutMs,
        credentials: lookupCredentials(authDir ? { ...process.env, DOCKER_CONFIG: authDir.dir } : process.env, config.registryAuth ? { registry: run_registryOf(config), credentials: config.registryAuth } : undefined),
    });
    return {
        config,
        plan,
        report,
        annotations: [],
        registry,
        toolEnv: { ...(0,util_exec/* baseEnvironment */.PZ)(), ...(authDir ? { DOCKER_CONFIG: authDir.dir } : {}) },
        workDir,
        ...(authDir ? { authDir } : {}),
        ...(policyFile ? { policyFile } : {}),
        seams,
    };
}

// EXTERNAL MODULE: ./src/registry/size-budget.ts
var size_budget = __webpack_require__(1658);
;// CONCATENATED MODULE: ./src/stages/size.ts





/**
 * Image size: once the image is in the registry (built and pushed, merged, or given by `digest`), its size per
 * platform is read from the registry against the final base image, for the `image-size` output and the summary.
 * Over `size-budget` it is a warning on the final stage's FROM line, or under `size-budget-mode: fail` the run
 * fails before anything is tagged. A registry that cannot be read is a warning: sizes never fail a run themselves.
 */
async function measureSize(run) {
    const { config } = run;
    const subject = run.build?.imageRef ??
        (config.digest ? `${config.digest.repository}@${config.digest.digest}` : undefined);
    const parsed = subject ? (0,image_reference/* tryParseReference */.WF)(subject) : undefined;
    if (!parsed?.ok || !parsed.ref.digest)
        return;
    const image = {
        registry: parsed.ref.registry,
        repository: parsed.ref.repository,
        digest: parsed.ref.digest,
    };
    let base;
    const finalBase = run.baseImages?.finalBase;
    const baseRef = finalBase?.digest ? (0,image_reference/* tryParseReference */.WF)(finalBase.name) : undefined;
    if (finalBase?.digest && baseRef?.ok) {
        base = {
            name: finalBase.name,
            registry: baseRef.ref.registry,
            repository: baseRef.ref.repository,
            digest: finalBase.digest,
        };
    }
    let platforms;
    try {
        platforms = await (0,image_size/* measureImageSize */.zD)(run.registry, image, base);
    }
    catch (error) {
        core/* warning */.$e(`Could not read the image's size from the registry: ${(0,errors/* errorMessage */.gJ)(error)}`);
        return;
    }
    core/* setOutput */.uH('image-size', JSON.stringify(platforms));
    const budget = config.sizeBudget;
    const over = budget ? platforms.flatMap((p) => (0,size_budget/* overBudget */.q)(p, budget) ?? []) : [];
    run.size = { platforms, over, ...(budget ? { budget: budget.text } : {}) };
    if (budget && platforms.every((p) => p.base === null)) {
        run.report.notices.push(`\`size-budget\` was not checked: the final base image's size is unknown (no verified base image digest, and no OCI base labels on the image).`);
    }
    if (over.length === 0)
        return;
    const line = finalBase?.line;
    const place = line !== undefined && run.baseImages ? { file: config.dockerfileRelative, line } : {};
    const fail = config.sizeBudgetMode === 'fail';
    for (const message of over) {
        run.annotations.push({
            level: fail ? 'error' : 'warning',
            ...place,
            title: 'Image over its size budget',
            message,
        });
    }
    if (fail) {
        throw new errors/* UserError */.yo(`${over.join('\n')}\n(\`size-budget-mode: fail\`: the image is pushed by digest but not tagged; make the build add less, or raise \`size-budget\`.)`);
    }
}

;// CONCATENATED MODULE: ./src/stages/tools.ts


/** Starts a promise now and keeps an unawaited rejection from ending the process; it is awaited later. */
function early(promise) {
    promise.catch(() => undefined);
    return promise;
}
/**
 * Tools: cosign and the scanner, installed and verified into the tool cache. Starts at once and runs beside the
 * Dockerfile read; `run.cosign` resolves as soon as cosign is verified, so the base-image checks need not wait
 * for the scanner. Sets `run.tools`, `run.cosign` and `run.installed`.
 */
function startTools(run) {
    const { config, plan, report } = run;
    const needCosign = (plan['base-images'].run && config.verifyBaseImages !== 'off') || plan.sign.run;
    const needScanner = plan.scan.run && config.scanner !== 'none';
    if (!needCosign && !needScanner) {
        if (plan.tools.run)
            report.set('tools', 'skipped', 'no stage in this run needs cosign or a scanner');
        return;
    }
    let announce = () => undefined;
    const announced = new Promise((resolve) => (announce = resolve));
    run.tools = early(report.run('tools', () => install(run, needCosign, needScanner, announce)));
    // A failed install of cosign rejects `tools` first, and with it this.
    run.cosign = early(Promise.race([announced, run.tools.then((t) => t.cosign)]));
}
async function install(run, needCosign, needScanner, onCosign) {
    const { config } = run;
    const { installTools } = await Promise.all(/* import() */[__webpack_require__.e(88), __webpack_require__.e(684), __webpack_require__.e(317)]).then(__webpack_require__.bind(__webpack_require__, 9317));
    const value = await installTools({
        needCosign,
        scanner: needScanner && config.scanner !== 'none' ? config.scanner : 'none',
        runnerOs: config.github.runnerOs,
        runnerArch: config.github.runnerArch,
        ...(config.cosignVersion ? { cosignVersion: config.cosignVersion } : {}),
        ...(config.scannerVersion ? { scannerVersion: config.scannerVersion } : {}),
        ...(config.cosignPath ? { cosignPath: config.cosignPath } : {}),
        ...(config.scannerPath ? { scannerPath: config.scannerPath } : {}),
        ...(config.toolMirror ? { toolMirror: config.toolMirror } : {}),
    }, { ...run.seams.install, onCosign });
    run.installed = value;
    const describe = (t) => `${t.name} ${t.version} (${t.source === 'provided' ? 'provided, not verified' : t.source === 'cache' ? 'tool cache, re-verified' : 'downloaded, verified'})`;
    const detail = [value.cosign, value.scanner]
        .filter((t) => t !== undefined)
        .map(describe)
        .join('; ');
    // A provided binary runs unverified: the row says so, as the Tools table under it does.
    const provided = [value.cosign, value.scanner].some((t) => t?.source === 'provided');
    return { value, detail, ...(provided ? { status: 'warning' } : {}) };
}
/**
 * The vulnerability DB warms beside the build, for the scan. A run that fails before its scan stops it (the
 * returned `stop`), so it ends at once rather than waiting for a download nobody will read. By the time a scan has
 * run, the warm-up has finished and the scan stage has saved the DB, so stopping it then changes nothing.
 */
function startDatabaseWarmup(run) {
    const { config, plan } = run;
    const tools = run.tools;
    if (!plan.scan.run || config.scanner === 'none' || !tools)
        return { stop: () => undefined };
    const scanner = config.scanner;
    const warmup = new AbortController();
    let warmed = false;
    const database = early(tools.then(async (t) => {
        const { warmDatabase } = await Promise.all(/* import() */[__webpack_require__.e(88), __webpack_require__.e(691), __webpack_require__.e(815)]).then(__webpack_require__.bind(__webpack_require__, 2815));
        return warmDatabase({
            scanner,
            scannerPath: t.scanner?.path ?? '',
            toolCacheDir: config.github.toolCache || (0,external_node_path_.join)(run.workDir, 'tool-cache'),
            env: run.toolEnv,
            log: (m) => (0,util_log/* logInfo */.fH)(m),
            signal: warmup.signal,
        });
    }));
    void database.then(() => (warmed = true), () => (warmed = true));
    run.database = database;
    return {
        stop: () => {
            if (!warmed)
                (0,util_log/* logInfo */.fH)('Stopping the vulnerability DB warm-up: the run ended before its scan.');
            warmup.abort();
        },
    };
}

;// CONCATENATED MODULE: ./src/stages/verify.ts


/**
 * Verify: the signature and every attestation are checked with the identity (or key) a consumer would demand,
 * as `verify-command` says; only then does the `signed` output say true and may the tags be made.
 */
const verifyStage = {
    id: 'verify',
    skipped: (run) => (run.sign ? undefined : 'nothing is signed'),
    async run(run) {
        const signing = signingOf(run);
        if (!signing)
            return;
        await phase(run, 'verify', signing, () => verifySigned(signing));
        const result = signing.result;
        run.report.set('verify', 'passed', `signature${result.attestations.length > 0 ? ' and attestations' : ''} verified with the expected ${result.mode === 'keyless' ? 'identity' : 'key'}`, result.durations.verify);
    },
};
/** Removes the signing key file of this run, whatever happened. */
function disposeSigning(run) {
    signingOf(run)?.dispose();
}

;// CONCATENATED MODULE: ./src/stages/index.ts
// Every stage, for src/main.ts to load in one go once the inputs are read (a dynamic import keeps them out of the
// startup of a run that stops at its inputs).
















/***/ })

};
