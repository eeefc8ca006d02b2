export const id = 67;
export const ids = [67];
export const modules = {

/***/ 9448:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fr: () => (/* binding */ Re2CompileError),
/* harmony export */   Xm: () => (/* binding */ compileRe2),
/* harmony export */   _8: () => (/* binding */ checkRe2)
/* harmony export */ });
/* unused harmony export RE2_MAX_INSTRUCTIONS */
/**
 * Compile-only validation of regular expressions the way Go's regexp/syntax (RE2) parses them with
 * the flags `regexp.Compile` uses (Perl syntax, Unicode groups). cosign matches `identity-regexp`
 * and `issuer-regexp` with Go, so a pattern JavaScript accepts may still fail there (lookaround,
 * backreferences), and one JavaScript rejects may be fine there (`(?P<name>…)`, `(?i)`, `\z`).
 *
 * The checker never builds a JavaScript RegExp from the user's text and never matches anything: it
 * is a single left-to-right scan with an explicit stack, so its time is linear in the pattern's
 * length whatever the pattern is. Catastrophic-backtracking shapes such as `^(a+)+$` are accepted,
 * because RE2 matches them in linear time; they are a JavaScript problem, not a Go one.
 *
 * {@link compileRe2} reuses the parser to match as Go does, for the places where this action has to
 * evaluate a pattern itself (grype ignore rules, trivy path globs): a Thompson NFA run over the text
 * once, so the time is at most the program's size times the text's length, whatever the pattern.
 */
// Limits from Go's regexp/syntax parser.
const MAX_REPEAT = 1000;
const MAX_HEIGHT = 1000;
const MAX_SIZE = Math.floor((128 << 20) / 40); // maxSize = 128 MiB / instSize
const RE2_EXPLAINED = "cosign matches it with Go's RE2 engine, which guarantees linear-time matching and therefore has no";
class Re2SyntaxError extends Error {
}
function fail(message) {
    throw new Re2SyntaxError(message);
}
const PERL_CLASSES = new Set(['d', 'D', 's', 'S', 'w', 'W']);
const C_ESCAPES = new Set(['a', 'f', 'n', 'r', 't', 'v']);
const POSIX_CLASSES = new Set([
    'alnum',
    'alpha',
    'ascii',
    'blank',
    'cntrl',
    'digit',
    'graph',
    'lower',
    'print',
    'punct',
    'space',
    'upper',
    'word',
    'xdigit',
]);
// Go's unicode.Categories plus the names its parser adds (Any; Go 1.25 also ASCII, Assigned, LC, Cn).
const GO_CATEGORIES = new Set(('C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So ' +
    'Z Zl Zp Zs Any ASCII Assigned LC Cn').split(' '));
/** Escapes PCRE/JavaScript users reach for that Go rejects, with what to write instead. */
const ESCAPE_HINTS = {
    Z: 'use `\\z` for the end of the text',
    G: '`\\G` (end of the previous match) does not exist in RE2',
    K: '`\\K` (reset match start) does not exist in RE2',
    R: 'use `(?:\\r\\n|\\n|\\r)` instead of `\\R`',
    X: '`\\X` (grapheme cluster) does not exist in RE2',
    h: 'use `[\\t ]` instead of `\\h`',
    u: 'write a code point as `\\x{263A}`, not `\\u263A`',
    e: 'write the escape character as `\\x1B`',
    k: `\`\\k<name>\` is a named backreference; ${RE2_EXPLAINED} backreferences`,
    g: `\`\\g\` is a backreference; ${RE2_EXPLAINED} backreferences`,
    C: '`\\C` (any byte) is not supported',
};
function isHex(c) {
    return c !== undefined && /^[0-9A-Fa-f]$/.test(c);
}
function isDigit(c) {
    return c !== undefined && c >= '0' && c <= '9';
}
function isOctal(c) {
    return c !== undefined && c >= '0' && c <= '7';
}
function isAsciiAlnum(c) {
    return /^[A-Za-z0-9]$/.test(c);
}
/** Does the JavaScript engine know this Unicode category or script? A fixed, tiny pattern; no user text is evaluated. */
function knownUnicodeName(name) {
    if (GO_CATEGORIES.has(name))
        return true;
    if (!/^[A-Za-z][A-Za-z_]*$/.test(name))
        return false;
    try {
        new RegExp(`\\p{Script=${name}}`, 'u');
        return true;
    }
    catch {
        return false;
    }
}
class Parser {
    s;
    i = 0;
    frames = [];
    /** The text of the previous token when it was a repetition operator (Go's `lastRepeat`). */
    lastRepeat;
    flags = { i: false, m: false, s: false };
    constructor(s) {
        this.s = s;
    }
    parse() {
        const s = this.s;
        this.frames.push({ alts: [], cur: [], start: 0, flags: this.flags });
        while (this.i < s.length) {
            const c = s[this.i];
            let repeat;
            switch (c) {
                case '(':
                    this.openGroup();
                    break;
                case '|':
                    this.top().alts.push(this.top().cur);
                    this.top().cur = [];
                    this.i++;
                    break;
                case ')':
                    this.closeGroup();
                    break;
                case '^':
                    this.push({ kind: 'leaf', size: 1, anchor: true, op: assert(this.flags.m ? 'bol' : 'bot') });
                    this.i++;
                    break;
                case '$':
                    this.push({ kind: 'leaf', size: 1, op: assert(this.flags.m ? 'eol' : 'eot') });
                    this.i++;
                    break;
                case '.': {
                    const test = this.flags.s ? () => true : (cp) => cp !== 0x0a;
                    this.push({ kind: 'leaf', size: 1, op: { kind: 'char', test } });
                    this.i++;
                    break;
                }
                case '[':
                    // parseClass folds and negates itself: folding again after `[^k]` would let K back in.
                    this.push({ kind: 'leaf', size: 1, op: { kind: 'char', test: this.parseClass() } });
                    break;
                case '*':
                case '+':
                case '?':
                    repeat = this.parseRepeatOp(c, c === '+' ? 1 : 0, c === '?' ? 1 : -1, 1);
                    break;
                case '{': {
                    const r = this.readRepeatCount();
                    if (!r) {
                        // Go: when a repeat cannot be parsed, `{` is a literal.
                        this.pushLiteral(0x7b);
                        this.i++;
                        break;
                    }
                    if (r.min < 0 || r.min > MAX_REPEAT || r.max > MAX_REPEAT || (r.max >= 0 && r.min > r.max)) {
                        fail(`invalid repeat count \`${s.slice(this.i, this.i + r.len)}\`: RE2 allows counts from 0 to ${MAX_REPEAT}, with the minimum not above the maximum`);
                    }
                    repeat = this.parseRepeatOp('{}', r.min, r.max, r.len);
                    break;
                }
                case '\\':
                    this.parseTopEscape();
                    break;
                default: {
                    const cp = s.codePointAt(this.i) ?? 0;
                    this.pushLiteral(cp);
                    this.i += cp > 0xffff ? 2 : 1;
                }
            }
            this.lastRepeat = repeat;
        }
        if (this.frames.length !== 1) {
            const open = this.top().start;
            fail(`missing closing \`)\` for the group opened at character ${open + 1}`);
        }
        return this.finishFrame(this.frames[0]);
    }
    top() {
        return this.frames[this.frames.length - 1];
    }
    push(node) {
        this.top().cur.push(node);
    }
    pushLiteral(cp) {
        this.push({ kind: 'leaf', size: 1, op: this.charOp((c) => c === cp) });
    }
    /** A one-character leaf's op under the current flags: with `i`, the simple case folds match too. */
    charOp(test) {
        return { kind: 'char', test: this.flags.i ? (cp) => foldVariants(cp).some(test) : test };
    }
    openGroup() {
        const s = this.s;
        const start = this.i;
        if (s[start + 1] !== '?') {
            this.frames.push({ alts: [], cur: [], start, flags: { ...this.flags } });
            this.i++;
            this.checkDepth();
            return;
        }
        const rest = s.slice(start + 2, start + 5);
        const unsupported = [
            ['<=', 'lookbehind `(?<=…)`'],
            ['<!', 'negative lookbehind `(?<!…)`'],
            ['=', 'lookahead `(?=…)`'],
            ['!', 'negative lookahead `(?!…)`'],
            ['>', 'atomic group `(?>…)`'],
            ['#', 'comment group `(?#…)`'],
            ['|', 'branch reset group `(?|…)`'],
            ['P=', 'named backreference `(?P=name)`'],
            ['P>', 'subroutine call `(?P>name)`'],
            ['&', 'subroutine call `(?&name)`'],
            ['R)', 'recursion `(?R)`'],
        ];
        for (const [prefix, what] of unsupported) {
            if (rest.startsWith(prefix)) {
                const kind = what.startsWith('comment')
                    ? 'comment groups'
                    : what.includes('look')
                        ? 'lookaround'
                        : what.includes('backreference')
                            ? 'backreferences'
                            : what.includes('atomic')
                                ? 'atomic groups or possessive quantifiers'
                                : 'recursion or subroutine calls';
                fail(`${what} is not supported: ${RE2_EXPLAINED} ${kind}; rewrite the pattern without it`);
            }
        }
        if (/^[+-]?[0-9]/.test(rest)) {
            fail(`subroutine call \`${s.slice(start, s.indexOf(')', start) + 1 || s.length)}\` is not supported by RE2`);
        }
        // Named capture: (?P<name>…) or (?<name>…).
        const named = rest.startsWith('P<') ? start + 4 : rest.startsWith('<') ? start + 3 : -1;
        if (named >= 0) {
            const end = s.indexOf('>', named);
            const name = end < 0 ? '' : s.slice(named, end);
            if (end < 0 || !/^[A-Za-z0-9_]+$/.test(name)) {
                fail(`invalid named capture \`${s.slice(start, end < 0 ? s.length : end + 1)}\`: a group name is letters, digits and \`_\``);
            }
            this.frames.push({ alts: [], cur: [], start, flags: { ...this.flags } });
            this.i = end + 1;
            this.checkDepth();
            return;
        }
        // Flags, optionally opening a non-capturing group: (?i) (?i-s:…) (?:…).
        let j = start + 2;
        let negated = false;
        let sawFlag = false;
        const flags = { ...this.flags };
        for (;;) {
            const c = s[j];
            if (c === undefined)
                break;
            if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
                if (c !== 'U')
                    flags[c] = !negated;
                sawFlag = true;
                j++;
                continue;
            }
            if (c === '-') {
                if (negated)
                    break;
                negated = true;
                sawFlag = false;
                j++;
                continue;
            }
            if (c === ':' || c === ')') {
                if (negated && !sawFlag)
                    break;
                this.i = j + 1;
                if (c === ':') {
                    this.frames.push({ alts: [], cur: [], start, flags: this.flags });
                    this.checkDepth();
                }
                // `(?i)` holds until the enclosing group closes; `(?i:…)` until its own does.
                this.flags = flags;
                return;
            }
            const hint = /[a-zA-Z]/.test(c) ? `; RE2 knows only the flags i, m, s and U, not \`${c}\`` : '';
            fail(`invalid or unsupported group syntax \`${s.slice(start, j + 1)}\`${hint}`);
        }
        fail(`invalid or unsupported group syntax \`${s.slice(start, j + 1)}\``);
    }
    checkDepth() {
        if (this.frames.length > MAX_HEIGHT)
            fail('expression nests too deeply for RE2 (more than 1000 levels)');
    }
    closeGroup() {
        if (this.frames.length < 2) {
            fail(`unexpected \`)\` at character ${this.i + 1}: no group is open there`);
        }
        const frame = this.frames.pop();
        this.flags = frame.flags;
        const node = this.finishFrame(frame);
        this.push(node);
        this.i++;
    }
    finishFrame(frame) {
        const alts = [...frame.alts, frame.cur].map((items) => {
            const size = Math.max(1, items.reduce((n, x) => n + x.size, 0));
            const height = 1 + items.reduce((h, x) => Math.max(h, heightOf(x)), 0);
            const seq = { kind: 'seq', subs: items, size, height };
            checkLimits(seq);
            return seq;
        });
        if (alts.length === 1)
            return alts[0];
        const size = alts.reduce((n, x) => n + x.size, 0) + alts.length - 1;
        const height = 1 + alts.reduce((h, x) => Math.max(h, heightOf(x)), 0);
        const node = { kind: 'alt', subs: alts, size, height };
        checkLimits(node);
        return node;
    }
    /**
     * A repetition operator at this.i (`len` characters, then an optional `?` for non-greedy).
     * Returns the operator's text for the nested-repetition check.
     */
    parseRepeatOp(op, min, max, len) {
        const s = this.s;
        const start = this.i;
        let end = start + len;
        if (s[end] === '?')
            end++;
        const text = s.slice(start, end);
        if (this.lastRepeat !== undefined) {
            const stacked = this.lastRepeat + s.slice(start, start + len);
            if (s[start] === '+') {
                fail(`possessive quantifier \`${stacked}\` is not supported: ${RE2_EXPLAINED} possessive quantifiers or atomic groups; drop the trailing \`+\``);
            }
            fail(`invalid nested repetition operator \`${stacked}\`: RE2 does not allow one repetition right after another`);
        }
        const cur = this.top().cur;
        const sub = cur.pop();
        if (sub === undefined) {
            fail(`missing argument to repetition operator \`${text}\` at character ${start + 1}: there is nothing before it to repeat (escape it as \`\\${s[start]}\` to mean the character)`);
        }
        const subSize = sub.size;
        let size;
        if (op === '*')
            size = 2 + subSize;
        else if (op === '+' || op === '?')
            size = 1 + subSize;
        else if (max === -1)
            size = min === 0 ? 2 + subSize : 1 + min * subSize;
        else
            size = max * subSize + (max - min);
        const node = { kind: 'rep', op, min, max, sub, size: Math.max(1, size), height: 1 + heightOf(sub) };
        if (op === '{}' && (min >= 2 || max >= 2) && !repeatIsValid(node, MAX_REPEAT)) {
            fail(`invalid repeat count \`${text}\`: nested repetitions multiply, and RE2 allows at most ${MAX_REPEAT} copies in total`);
        }
        checkLimits(node);
        cur.push(node);
        this.i = end;
        return text;
    }
    /** `{n}`, `{n,}`, `{n,m}` at this.i, as Go's parseRepeat reads it; undefined means `{` is a literal. */
    readRepeatCount() {
        const s = this.s;
        let j = this.i + 1;
        const readInt = () => {
            if (!isDigit(s[j]))
                return undefined;
            if (s[j] === '0' && isDigit(s[j + 1]))
                return undefined; // Go disallows leading zeros
            let n = 0;
            while (isDigit(s[j])) {
                n = n >= 1e8 ? -1 : n * 10 + Number(s[j]);
                j++;
            }
            return n;
        };
        let min = readInt();
        if (min === undefined)
            return undefined;
        let max = min;
        if (s[j] === ',') {
            j++;
            if (s[j] === '}')
                max = -1;
            else {
                const m = readInt();
                if (m === undefined)
                    return undefined;
                max = m;
                if (max < 0)
                    min = -1;
            }
        }
        if (s[j] !== '}')
            return undefined;
        return { min, max, len: j + 1 - this.i };
    }
    parseTopEscape() {
        const s = this.s;
        const c = s[this.i + 1];
        if (c === 'A') {
            this.push({ kind: 'leaf', size: 1, anchor: true, op: assert('bot') });
            this.i += 2;
            return;
        }
        if (c === 'b' || c === 'B' || c === 'z') {
            this.push({ kind: 'leaf', size: 1, op: assert(c === 'b' ? 'word' : c === 'B' ? 'nonword' : 'eot') });
            this.i += 2;
            return;
        }
        if (c === 'Q') {
            const end = s.indexOf('\\E', this.i + 2);
            const lit = end < 0 ? s.slice(this.i + 2) : s.slice(this.i + 2, end);
            for (const ch of lit)
                this.pushLiteral(ch.codePointAt(0) ?? 0);
            this.i = end < 0 ? s.length : end + 2;
            return;
        }
        const escape = this.parseClassEscapeOrChar(this.i);
        this.i = escape.end;
        this.push({ kind: 'leaf', size: 1, op: this.charOp(escape.test) });
    }
    /** An escape outside a class at i: `\pN`, `\p{…}`, `\d`…, or a single character. Returns the end. */
    parseClassEscapeOrChar(i) {
        const s = this.s;
        const c = s[i + 1];
        if (c === 'p' || c === 'P')
            return this.parseUnicodeClass(i);
        if (c !== undefined && PERL_CLASSES.has(c))
            return { end: i + 2, test: perlClass(c) };
        const { cp, end } = this.parseEscape(i);
        return { end, test: (x) => x === cp };
    }
    parseUnicodeClass(i) {
        const s = this.s;
        let name;
        let end;
        if (s[i + 2] === '{') {
            const close = s.indexOf('}', i + 2);
            if (close < 0)
                fail(`invalid character class range \`${s.slice(i)}\`: missing \`}\``);
            name = s.slice(i + 3, close);
            end = close + 1;
        }
        else {
            const cp = s.codePointAt(i + 2);
            if (cp === undefined)
                fail('invalid escape sequence: `\\p` needs a class name, e.g. `\\pL` or `\\p{Greek}`');
            name = String.fromCodePoint(cp);
            end = i + 2 + name.length;
        }
        let negated = s[i + 1] === 'P';
        if (name.startsWith('^')) {
            name = name.slice(1);
            negated = !negated;
        }
        if (!knownUnicodeName(name)) {
            fail(`invalid character class range \`${s.slice(i, end)}\`: \`${name}\` is not a Unicode category or script`);
        }
        const test = unicodeClass(name);
        return { end, test: negated ? (cp) => !test(cp) : test };
    }
    /** A single-character escape at i (Go's parseEscape). Returns the code point (for ranges) and the end. */
    parseEscape(i) {
        const s = this.s;
        const c = s[i + 1];
        if (c === undefined)
            fail('trailing backslash at the end of the expression');
        const cp = s.codePointAt(i + 1);
        if (cp < 0x80 && !isAsciiAlnum(c))
            return { cp, end: i + 2 };
        if (c >= '1' && c <= '7' && !isOctal(s[i + 2])) {
            fail(`\`\\${c}\` is a backreference, which is not supported: ${RE2_EXPLAINED} backreferences`);
        }
        if (c === '8' || c === '9') {
            fail(`\`\\${c}\` is a backreference, which is not supported: ${RE2_EXPLAINED} backreferences`);
        }
        if (isOctal(c)) {
            let v = Number(c);
            let j = i + 2;
            for (let k = 1; k < 3 && isOctal(s[j]); k++, j++)
                v = v * 8 + Number(s[j]);
            return { cp: v, end: j };
        }
        if (c === 'x') {
            if (s[i + 2] === '{') {
                let j = i + 3;
                let v = 0;
                let n = 0;
                while (isHex(s[j])) {
                    v = v * 16 + parseInt(s[j], 16);
                    if (v > 0x10ffff)
                        break;
                    j++;
                    n++;
                }
                if (n > 0 && s[j] === '}' && v <= 0x10ffff)
                    return { cp: v, end: j + 1 };
                fail(`invalid escape sequence \`${s.slice(i, Math.min(j + 1, s.length))}\`: write \`\\x{…}\` with hex digits`);
            }
            if (isHex(s[i + 2]) && isHex(s[i + 3]))
                return { cp: parseInt(s.slice(i + 2, i + 4), 16), end: i + 4 };
            fail(`invalid escape sequence \`${s.slice(i, i + 4)}\`: write \`\\x\` with two hex digits`);
        }
        if (C_ESCAPES.has(c))
            return { cp: '\x07\f\n\r\t\v'.charCodeAt('afnrtv'.indexOf(c)), end: i + 2 };
        const hint = ESCAPE_HINTS[c];
        fail(`invalid escape sequence \`\\${c}\`${hint ? `: ${hint}` : ': RE2 does not know it'}`);
    }
    /** A bracket class starting at this.i (Go's parseClass); what it matches. */
    parseClass() {
        const s = this.s;
        const start = this.i;
        let i = start + 1;
        const negated = s[i] === '^';
        if (negated)
            i++;
        const ranges = [];
        const classes = [];
        let first = true;
        for (;;) {
            if (i >= s.length)
                fail(`missing closing \`]\` for the class opened at character ${start + 1}`);
            if (s[i] === ']' && !first)
                break;
            first = false;
            if (s[i] === '[' && s[i + 1] === ':' && i + 2 < s.length) {
                const close = s.indexOf(':]', i + 2);
                if (close >= 0) {
                    const raw = s.slice(i + 2, close);
                    const name = raw.startsWith('^') ? raw.slice(1) : raw;
                    if (!POSIX_CLASSES.has(name)) {
                        fail(`invalid character class range \`${s.slice(i, close + 2)}\`: not a POSIX class name`);
                    }
                    const test = inRanges(POSIX_RANGES[name] ?? []);
                    classes.push(raw.startsWith('^') ? (cp) => !test(cp) : test);
                    i = close + 2;
                    continue;
                }
            }
            if (s[i] === '\\' && (s[i + 1] === 'p' || s[i + 1] === 'P')) {
                const unicode = this.parseUnicodeClass(i);
                classes.push(unicode.test);
                i = unicode.end;
                continue;
            }
            if (s[i] === '\\' && PERL_CLASSES.has(s[i + 1] ?? '')) {
                classes.push(perlClass(s[i + 1] ?? ''));
                i += 2;
                continue;
            }
            const lo = this.classChar(i, start);
            i = lo.end;
            let hiCp = lo.cp;
            if (s[i] === '-' && i + 1 < s.length && s[i + 1] !== ']') {
                const hi = this.classChar(i + 1, start);
                if (hi.cp < lo.cp) {
                    fail(`invalid character class range \`${s.slice(lo.start, hi.end)}\`: the range ends below where it starts`);
                }
                hiCp = hi.cp;
                i = hi.end;
            }
            ranges.push(lo.cp, hiCp);
        }
        this.i = i + 1;
        const inClass = inRanges(ranges);
        const matches = (cp) => inClass(cp) || classes.some((test) => test(cp));
        // Go folds the class before negating it, so `(?i)[^k]` excludes K and the Kelvin sign too.
        const folded = this.flags.i ? (cp) => foldVariants(cp).some(matches) : matches;
        return negated ? (cp) => !folded(cp) : folded;
    }
    classChar(i, classStart) {
        const s = this.s;
        if (i >= s.length)
            fail(`missing closing \`]\` for the class opened at character ${classStart + 1}`);
        if (s[i] === '\\') {
            const e = this.parseEscape(i);
            return { cp: e.cp, start: i, end: e.end };
        }
        const cp = s.codePointAt(i);
        return { cp, start: i, end: i + (cp > 0xffff ? 2 : 1) };
    }
}
function heightOf(n) {
    return n.kind === 'leaf' ? 1 : n.height;
}
function checkLimits(n) {
    if (heightOf(n) > MAX_HEIGHT)
        fail('expression nests too deeply for RE2 (more than 1000 levels)');
    if (n.size > MAX_SIZE)
        fail('expression too large for RE2: its repetitions expand to too many instructions');
}
/** Go's repeatIsValid: the product of nested `{n,m}` counts stays within n copies. */
function repeatIsValid(n, limit) {
    if (n.kind === 'rep' && n.op === '{}') {
        let m = n.max;
        if (m === 0)
            return true;
        if (m < 0)
            m = n.min;
        if (m > limit)
            return false;
        if (m > 0)
            limit = Math.floor(limit / m);
    }
    if (n.kind === 'rep')
        return repeatIsValid(n.sub, limit);
    if (n.kind === 'seq' || n.kind === 'alt')
        return n.subs.every((x) => repeatIsValid(x, limit));
    return true;
}
function anchoredAtStart(n) {
    switch (n.kind) {
        case 'leaf':
            return n.anchor === true;
        case 'rep':
            // `(^a)+` still needs one copy at the start; `(^a)*` and `(^a)?` may match nothing.
            return n.min >= 1 && anchoredAtStart(n.sub);
        case 'alt':
            return n.subs.every(anchoredAtStart);
        case 'seq': {
            const first = n.subs[0];
            return first !== undefined && anchoredAtStart(first);
        }
    }
}
/** Parse `pattern` as Go's `regexp.Compile` would, without running it. */
function checkRe2(pattern) {
    try {
        const tree = new Parser(pattern).parse();
        return { anchoredAtStart: anchoredAtStart(tree) };
    }
    catch (err) {
        if (err instanceof Re2SyntaxError)
            return { error: err.message, anchoredAtStart: false };
        throw err;
    }
}
// ---------------------------------------------------------------------------------------------------------
// Matching (compileRe2)
function assert(what) {
    return { kind: 'assert', what };
}
/** Sorted or not, pairs of inclusive code point bounds: [lo0, hi0, lo1, hi1, …]. */
function inRanges(ranges) {
    return (cp) => {
        for (let k = 0; k < ranges.length; k += 2) {
            if (cp >= ranges[k] && cp <= ranges[k + 1])
                return true;
        }
        return false;
    };
}
const code = (ch) => ch.charCodeAt(0);
// Go's POSIX classes are ASCII-only (regexp/syntax perl_groups.go).
const POSIX_RANGES = {
    alnum: [code('0'), code('9'), code('A'), code('Z'), code('a'), code('z')],
    alpha: [code('A'), code('Z'), code('a'), code('z')],
    ascii: [0, 0x7f],
    blank: [9, 9, 32, 32],
    cntrl: [0, 0x1f, 0x7f, 0x7f],
    digit: [code('0'), code('9')],
    graph: [code('!'), code('~')],
    lower: [code('a'), code('z')],
    print: [code(' '), code('~')],
    punct: [code('!'), code('/'), code(':'), code('@'), code('['), code('`'), code('{'), code('~')],
    space: [9, 13, 32, 32],
    upper: [code('A'), code('Z')],
    word: [code('0'), code('9'), code('A'), code('Z'), code('a'), code('z'), code('_'), code('_')],
    xdigit: [code('0'), code('9'), code('A'), code('F'), code('a'), code('f')],
};
// Perl classes, ASCII-only in Go too; \s is [\t\n\f\r ] (no \v).
const PERL_RANGES = {
    d: POSIX_RANGES.digit ?? [],
    s: [9, 10, 12, 13, 32, 32],
    w: POSIX_RANGES.word ?? [],
};
function perlClass(letter) {
    const test = inRanges(PERL_RANGES[letter.toLowerCase()] ?? []);
    return letter === letter.toUpperCase() ? (cp) => !test(cp) : test;
}
/**
 * A Unicode category or script, tested one code point at a time with a fixed JavaScript property
 * escape; the name was checked by knownUnicodeName, so no user text becomes a pattern.
 */
function unicodeClass(name) {
    if (name === 'Any')
        return () => true;
    let re;
    try {
        re = new RegExp(`^\\p{${name}}$`, 'u');
    }
    catch {
        re = new RegExp(`^\\p{Script=${name}}$`, 'u');
    }
    return (cp) => re.test(String.fromCodePoint(cp));
}
function simpleCase(cp, upper) {
    if (cp < 0x80) {
        if (upper && cp >= 0x61 && cp <= 0x7a)
            return cp - 32;
        if (!upper && cp >= 0x41 && cp <= 0x5a)
            return cp + 32;
        return cp;
    }
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return cp;
    const s = String.fromCodePoint(cp);
    const mapped = upper ? s.toUpperCase() : s.toLowerCase();
    const first = mapped.codePointAt(0) ?? cp;
    // Only one-to-one mappings are simple folds (ß → SS is not).
    return mapped.length === String.fromCodePoint(first).length ? first : cp;
}
/** The code points `(?i)` treats as `cp` (Go's simple case folding orbit, near enough: k K and the Kelvin sign). */
function foldVariants(cp) {
    const lower = simpleCase(cp, false);
    const upper = simpleCase(cp, true);
    return [cp, lower, upper, simpleCase(lower, true), simpleCase(upper, false)];
}
const ASCII_WORD = inRanges(PERL_RANGES.w ?? []);
/** The most instructions compileRe2 builds unless told otherwise: matching costs up to this much per character. */
const RE2_MAX_INSTRUCTIONS = 10_000;
class Re2CompileError extends Error {
}
/** The program for `node`, built back to front: each piece is emitted with the pc that follows it. */
function compileNode(root, maxInstructions) {
    const prog = [{ op: 'match' }];
    const add = (inst) => {
        prog.push(inst);
        if (prog.length > maxInstructions) {
            throw new Re2CompileError(`it needs more than ${maxInstructions} instructions to match, and matching costs that much for every character of the text; write a shorter pattern (fewer or smaller counted repetitions)`);
        }
        return prog.length - 1;
    };
    const emit = (node, next) => {
        switch (node.kind) {
            case 'leaf': {
                const op = node.op;
                if (op === undefined)
                    return next;
                return op.kind === 'char'
                    ? add({ op: 'char', test: op.test, next })
                    : add({ op: 'assert', what: op.what, next });
            }
            case 'seq': {
                let pc = next;
                for (let k = node.subs.length - 1; k >= 0; k--)
                    pc = emit(node.subs[k], pc);
                return pc;
            }
            case 'alt': {
                const starts = node.subs.map((sub) => emit(sub, next));
                let pc = starts[starts.length - 1];
                for (let k = starts.length - 2; k >= 0; k--)
                    pc = add({ op: 'split', x: starts[k], y: pc });
                return pc;
            }
            case 'rep': {
                let pc = next;
                if (node.max === -1) {
                    const loop = add({ op: 'split', x: -1, y: next });
                    prog[loop].x = emit(node.sub, loop);
                    pc = loop;
                }
                else {
                    for (let k = node.min; k < node.max; k++)
                        pc = add({ op: 'split', x: emit(node.sub, pc), y: next });
                }
                for (let k = 0; k < node.min; k++)
                    pc = emit(node.sub, pc);
                return pc;
            }
        }
    };
    const start = emit(root, 0);
    // The start is kept at the end so that `run` knows where to begin without another field.
    add({ op: 'split', x: start, y: start });
    return prog;
}
/**
 * Whether the program matches somewhere in `text`, as Go's MatchString: every thread advances one code
 * point at a time and each pc is taken once per position, so the work is at most prog × text.
 */
function runProgram(prog, text) {
    const cps = Array.from(text, (ch) => ch.codePointAt(0) ?? 0);
    const n = cps.length;
    const start = prog.length - 1;
    const seen = new Int32Array(prog.length).fill(-1);
    let generation = 0;
    let list = [];
    let matched = false;
    const stack = [];
    const addThread = (into, pc0, pos) => {
        const prev = pos > 0 ? cps[pos - 1] : -1;
        const next = pos < n ? cps[pos] : -1;
        stack.push(pc0);
        while (stack.length > 0) {
            const pc = stack.pop();
            if (seen[pc] === generation)
                continue;
            seen[pc] = generation;
            const inst = prog[pc];
            switch (inst.op) {
                case 'match':
                    matched = true;
                    break;
                case 'char':
                    into.push(pc);
                    break;
                case 'split':
                    stack.push(inst.y, inst.x);
                    break;
                case 'assert':
                    if (holds(inst.what, prev, next))
                        stack.push(inst.next);
                    break;
            }
        }
    };
    addThread(list, start, 0);
    for (let pos = 0; pos < n && !matched; pos++) {
        const cp = cps[pos];
        generation++;
        const nextList = [];
        for (const pc of list) {
            const inst = prog[pc];
            if (inst.test(cp))
                addThread(nextList, inst.next, pos + 1);
        }
        // Unanchored, as MatchString: a match may also begin here.
        addThread(nextList, start, pos + 1);
        list = nextList;
    }
    return matched;
}
function holds(what, prev, next) {
    switch (what) {
        case 'bot':
            return prev === -1;
        case 'eot':
            return next === -1;
        case 'bol':
            return prev === -1 || prev === 0x0a;
        case 'eol':
            return next === -1 || next === 0x0a;
        case 'word':
        case 'nonword': {
            const boundary = (prev !== -1 && ASCII_WORD(prev)) !== (next !== -1 && ASCII_WORD(next));
            return what === 'word' ? boundary : !boundary;
        }
    }
}
/**
 * Compiles `pattern` with Go's RE2 syntax and semantics (the Perl flags of `regexp.Compile`). Throws
 * Re2CompileError, with Go's reason, for a pattern Go rejects, and for one whose program would exceed
 * `maxInstructions`. Matching never backtracks: `^(a+)+$` against 10,000 `a`s and a `!` takes
 * microseconds, where a JavaScript RegExp would not finish.
 */
function compileRe2(pattern, maxInstructions = RE2_MAX_INSTRUCTIONS) {
    let tree;
    try {
        tree = new Parser(pattern).parse();
    }
    catch (err) {
        if (err instanceof Re2SyntaxError)
            throw new Re2CompileError(err.message);
        throw err;
    }
    const prog = compileNode(tree, maxInstructions);
    return { test: (text) => runProgram(prog, text) };
}


/***/ })

};
