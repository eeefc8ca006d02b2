export const id = 786;
export const ids = [786];
export const modules = {

/***/ 2786:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  gateFailureMessage: () => (/* binding */ gateFailureMessage),
  readGateRules: () => (/* binding */ readGateRules),
  runScanStage: () => (/* binding */ runScanStage),
  scanPlatforms: () => (/* binding */ scanPlatforms)
});

// UNUSED EXPORTS: DEFAULT_SCAN_TIMEOUT_MS, IGNORED_LISTED, TOP_FINDINGS, scanSummary

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/util/errors.ts
var errors = __webpack_require__(17);
// EXTERNAL MODULE: ./src/scan/args.ts
var args = __webpack_require__(4812);
// EXTERNAL MODULE: ./src/scan/finding.ts
var scan_finding = __webpack_require__(1164);
;// CONCATENATED MODULE: ./src/scan/cosign-vuln.ts

/**
 * The cosign vulnerability scan record (`cosign attest --type vuln`, predicate type
 * https://cosign.sigstore.dev/attestation/vuln/v1; field names as cosign's pkg/cosign/attestation
 * CosignVulnPredicate). `scanner.result` is built from the Finding model rather than copied from the scanner,
 * so one policy reads trivy and grype attestations alike.
 */
const COSIGN_VULN_PREDICATE_TYPE = 'https://cosign.sigstore.dev/attestation/vuln/v1';
/** Names the shape of `scanner.result` so policies can check what they read. */
const VULN_RESULT_FORMAT = 'secure-image/vuln-result/v1';
function rfc3339(date, what) {
    if (Number.isNaN(date.getTime()))
        throw new Error(`the scan ${what} time is not a valid date`);
    return date.toISOString();
}
function toCosignVulnPredicate(report, options) {
    const summary = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0, total: 0 };
    const seen = new Set();
    const findings = [];
    for (const f of report.findings) {
        const key = `${(0,scan_finding/* dedupeKey */.r9)(f)}\u0000${f.packagePath ?? ''}`;
        if (seen.has(key))
            continue;
        seen.add(key);
        findings.push({
            id: f.id,
            aliases: f.aliases,
            severity: f.severity,
            package: {
                name: f.packageName,
                version: f.installedVersion,
                ...(f.packageType ? { type: f.packageType } : {}),
                ...(f.packagePath ? { path: f.packagePath } : {}),
                ...(f.purl ? { purl: f.purl } : {}),
            },
            fixedVersions: f.fixedVersions,
            fixState: f.fixState,
            origin: f.origin,
            ...(f.layerDigest || f.diffId
                ? {
                    layer: {
                        ...(f.layerDigest ? { digest: f.layerDigest } : {}),
                        ...(f.diffId ? { diffId: f.diffId } : {}),
                    },
                }
                : {}),
            ...(f.url ? { url: f.url } : {}),
            ...(f.title ? { title: f.title } : {}),
            cvss: f.cvss,
            ...(f.platforms ? { platforms: f.platforms } : {}),
        });
    }
    const counted = new Set();
    for (const f of report.findings) {
        const key = (0,scan_finding/* dedupeKey */.r9)(f);
        if (counted.has(key))
            continue;
        counted.add(key);
        summary[f.severity] += 1;
        summary.total += 1;
    }
    const order = (s) => scan_finding/* SEVERITIES */.oC.indexOf(s);
    findings.sort((a, b) => order(a.severity) - order(b.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const inv = options.invocation ?? {};
    return {
        invocation: {
            parameters: inv.parameters ?? null,
            uri: inv.uri ?? '',
            event_id: inv.eventId ?? '',
            'builder.id': inv.builderId ?? '',
        },
        scanner: {
            uri: options.scannerUri,
            version: options.scannerVersion,
            db: { uri: options.dbUri ?? '', version: options.dbVersion ?? report.dbUpdatedAt ?? '' },
            result: {
                format: VULN_RESULT_FORMAT,
                scanner: report.scanner,
                ...(report.scannerVersion ? { scannerVersion: report.scannerVersion } : {}),
                ...(report.artifactName ? { artifactName: report.artifactName } : {}),
                ...(report.dbUpdatedAt ? { dbUpdatedAt: report.dbUpdatedAt } : {}),
                summary,
                findings,
            },
        },
        metadata: {
            scanStartedOn: rfc3339(options.startedOn, 'start'),
            scanFinishedOn: rfc3339(options.finishedOn, 'finish'),
        },
    };
}

// EXTERNAL MODULE: ./src/scan/database.ts + 1 modules
var scan_database = __webpack_require__(2815);
// EXTERNAL MODULE: ./src/policy/glob.ts
var glob = __webpack_require__(4062);
// EXTERNAL MODULE: ./src/policy/re2.ts
var re2 = __webpack_require__(9448);
;// CONCATENATED MODULE: ./src/scan/purl.ts
function decode(part) {
    try {
        return decodeURIComponent(part);
    }
    catch {
        return part;
    }
}
/** undefined when the text is not a purl. */
function parsePurl(text) {
    let rest = text.trim();
    if (!/^pkg:/i.test(rest))
        return undefined;
    rest = rest.slice(4).replace(/^\/+/, '');
    let subpath = '';
    const hash = rest.indexOf('#');
    if (hash >= 0) {
        subpath = rest
            .slice(hash + 1)
            .split('/')
            .filter((s) => s !== '' && s !== '.' && s !== '..')
            .map(decode)
            .join('/');
        rest = rest.slice(0, hash);
    }
    const qualifiers = {};
    const question = rest.indexOf('?');
    if (question >= 0) {
        for (const pair of rest.slice(question + 1).split('&')) {
            const eq = pair.indexOf('=');
            if (eq <= 0)
                continue;
            const value = decode(pair.slice(eq + 1));
            if (value !== '')
                qualifiers[pair.slice(0, eq).toLowerCase()] = value;
        }
        rest = rest.slice(0, question);
    }
    let version = '';
    const slashBeforeVersion = rest.lastIndexOf('/');
    const at = rest.lastIndexOf('@');
    if (at > slashBeforeVersion) {
        version = decode(rest.slice(at + 1));
        rest = rest.slice(0, at);
    }
    const segments = rest.split('/').filter((s) => s !== '');
    if (segments.length < 2)
        return undefined;
    const type = (segments[0] ?? '').toLowerCase();
    const name = decode(segments[segments.length - 1] ?? '');
    const namespace = segments.slice(1, -1).map(decode).join('/');
    if (type === '' || name === '')
        return undefined;
    return { type, namespace, name, version, qualifiers, subpath };
}
/**
 * Whether `target` is one of the packages the `constraint` purl names, as trivy matches its ignore `purls`:
 * type, namespace and name must be equal; a version, subpath or qualifier in the constraint must be in the target.
 */
function purlMatches(constraint, target) {
    if (constraint.type !== target.type)
        return false;
    if (constraint.namespace !== target.namespace)
        return false;
    if (constraint.name !== target.name)
        return false;
    if (constraint.version !== '' && constraint.version !== target.version)
        return false;
    if (constraint.subpath !== '' && constraint.subpath !== target.subpath)
        return false;
    return Object.entries(constraint.qualifiers).every(([k, v]) => target.qualifiers[k] === v);
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/scan/yaml-source.ts


/** A parsed YAML file whose every complaint names the file and the line. */
class YamlSource {
    file;
    root;
    lines = new dist/* LineCounter */.HN();
    constructor(text, file) {
        this.file = file;
        const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
        const error = doc.errors[0];
        if (error) {
            const line = this.lines.linePos(error.pos[0]).line;
            throw new errors/* UserError */.yo(`${file} line ${line}: not valid YAML (${error.message.split('\n')[0] ?? ''})`);
        }
        this.root = doc.contents;
    }
    lineOf(node) {
        const offset = node?.range?.[0];
        return offset === undefined ? 1 : this.lines.linePos(offset).line;
    }
    fail(node, message) {
        throw new errors/* UserError */.yo(`${this.file} line ${this.lineOf(node)}: ${message}`);
    }
    /** A mapping's entries in order; keys must be plain scalars. */
    entries(node, what) {
        if (!(0,dist/* isMap */.jh)(node))
            this.fail(node, `${what} must be a mapping (key: value)`);
        return node.items.map((pair) => {
            const keyNode = pair.key;
            if (!(0,dist/* isScalar */.jn)(keyNode))
                this.fail(keyNode, `${what} has a key that is not a plain name`);
            return { key: String(keyNode.value), keyNode, value: pair.value ?? null };
        });
    }
    sequence(node, what) {
        if (node === null || ((0,dist/* isScalar */.jn)(node) && node.value === null))
            return [];
        if (!(0,dist/* isSeq */.oP)(node))
            this.fail(node, `${what} must be a list`);
        return node.items;
    }
    /** A scalar written as text; numbers are accepted and turned into text (a version `1.0` is still a version). */
    string(node, what, anchor) {
        if (!(0,dist/* isScalar */.jn)(node) || node.value === null || node.value === '') {
            this.fail(node ?? anchor, `${what} must be a non-empty text value`);
        }
        const value = node.value;
        if (typeof value !== 'string' && typeof value !== 'number') {
            this.fail(node, `${what} must be a text value, not ${typeof value}`);
        }
        return String(value);
    }
    strings(node, what, anchor) {
        if (node === null)
            this.fail(anchor, `${what} must be a list of text values`);
        return this.sequence(node, what).map((item, i) => this.string(item, `${what}[${i}]`));
    }
    boolean(node, what, anchor) {
        if (!(0,dist/* isScalar */.jn)(node) || typeof node.value !== 'boolean')
            this.fail(node ?? anchor, `${what} must be true or false`);
        return node.value;
    }
}

;// CONCATENATED MODULE: ./src/scan/ignore-file.ts





const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;
/** The instant a rule expires: a bare date means its first moment, UTC, as trivy reads `exp:`/`expired_at`. */
function expiryInstant(value) {
    return DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
}
function validExpiry(value) {
    const time = expiryInstant(value);
    if (Number.isNaN(time))
        return false;
    // A day that does not exist (2024-02-30) must not roll over into another one.
    if (DATE.test(value))
        return new Date(time).toISOString().slice(0, 10) === value;
    return TIMESTAMP.test(value);
}
function isRuleExpired(rule, now) {
    return rule.expiresAt !== undefined && expiryInstant(rule.expiresAt) < now.getTime();
}
/** Where a rule came from, for messages: `.trivyignore:3`. */
function ruleLocation(rule) {
    return `${rule.file}:${rule.line}`;
}
// ---------------------------------------------------------------------------------------------------------
// .trivyignore
/**
 * `.trivyignore`: one ID per line, `#` comments, optional `exp:YYYY-MM-DD` after the ID (trivy
 * pkg/result/ignore.go). trivy skips a line whose date does not parse, with a warning; here it is an error,
 * because a silently dropped line changes what the gate lets through.
 */
function parseTrivyIgnore(text, file) {
    const rules = [];
    text.split(/\r?\n/).forEach((raw, index) => {
        const line = index + 1;
        const trimmed = raw.trim();
        if (trimmed === '' || trimmed.startsWith('#'))
            return;
        const hash = trimmed.indexOf('#');
        const body = hash >= 0 ? trimmed.slice(0, hash) : trimmed;
        const comment = hash >= 0 ? trimmed.slice(hash + 1).trim() : '';
        const fields = body.split(/\s+/).filter((f) => f !== '');
        const id = fields[0];
        if (id === undefined)
            return;
        const rule = { id, line, file };
        for (const field of fields.slice(1)) {
            if (!field.startsWith('exp:'))
                continue;
            const date = field.slice('exp:'.length);
            if (!DATE.test(date) || !validExpiry(date)) {
                throw new errors/* UserError */.yo(`${file} line ${line}: "${field}" is not a valid expiry; write exp:YYYY-MM-DD, e.g. "${id} exp:2030-01-31"`);
            }
            rule.expiresAt = date;
            break;
        }
        if (comment !== '')
            rule.statement = comment;
        rules.push(rule);
    });
    return rules;
}
// ---------------------------------------------------------------------------------------------------------
// .trivyignore.yaml
const TRIVY_YAML_SECTIONS = new Set(['vulnerabilities', 'misconfigurations', 'secrets', 'licenses']);
const TRIVY_YAML_KEYS = ['id', 'paths', 'purls', 'expired_at', 'statement'];
/**
 * `.trivyignore.yaml` (trivy docs/guide/configuration/filtering.md): only `vulnerabilities` matters for an
 * image scan; the other sections are accepted and skipped. Unknown keys are errors, where trivy would
 * silently drop them: a misspelt `expired_at` would otherwise ignore a vulnerability forever.
 */
function parseTrivyIgnoreYaml(text, file) {
    const y = new YamlSource(text, file);
    if (y.root === null)
        return [];
    const rules = [];
    for (const { key, keyNode, value } of y.entries(y.root, 'the ignore file')) {
        if (!TRIVY_YAML_SECTIONS.has(key)) {
            y.fail(keyNode, `unknown section "${key}"; expected one of ${[...TRIVY_YAML_SECTIONS].join(', ')}`);
        }
        if (key !== 'vulnerabilities')
            continue;
        y.sequence(value, 'vulnerabilities').forEach((entry, i) => {
            rules.push(trivyYamlRule(y, entry, `vulnerabilities[${i}]`));
        });
    }
    return rules;
}
function trivyYamlRule(y, node, what) {
    const rule = { id: '', line: y.lineOf(node), file: y.file };
    for (const { key, keyNode, value } of y.entries(node, what)) {
        const where = `${what}.${key}`;
        switch (key) {
            case 'id':
                rule.id = y.string(value, where, keyNode);
                break;
            case 'paths':
                rule.paths = y.strings(value, where, keyNode);
                rule.paths.forEach((p, i) => checkGlob(y, value ?? keyNode, `${where}[${i}]`, p));
                break;
            case 'purls':
                rule.purls = y.strings(value, where, keyNode);
                rule.purls.forEach((p, i) => {
                    if (!parsePurl(p))
                        y.fail(value, `${where}[${i}] "${p}" is not a package URL (pkg:type/namespace/name)`);
                });
                break;
            case 'expired_at': {
                const date = y.string(value, where, keyNode);
                if (!validExpiry(date))
                    y.fail(value, `${where} "${date}" is not a date; write YYYY-MM-DD`);
                rule.expiresAt = date;
                break;
            }
            case 'statement':
                rule.statement = y.string(value, where, keyNode);
                break;
            default:
                y.fail(keyNode, `unknown key "${key}" in ${what}; expected one of ${TRIVY_YAML_KEYS.join(', ')}`);
        }
    }
    if (rule.id === '' && !rule.paths && !rule.purls) {
        y.fail(node, `${what} names no vulnerability: set at least one of id, paths, purls`);
    }
    return rule;
}
function checkGlob(y, node, what, pattern) {
    try {
        (0,glob/* compileGlob */.SO)(normalisePath(pattern));
    }
    catch (err) {
        y.fail(node, `${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
}
// ---------------------------------------------------------------------------------------------------------
// grype config `ignore:`
const GRYPE_FIX_STATES = ['fixed', 'not-fixed', 'wont-fix', 'unknown'];
const GRYPE_PACKAGE_KEYS = ['name', 'version', 'type', 'location'];
const GRYPE_UNSUPPORTED = {
    namespace: 'the vulnerability namespace is not kept in the scan result; match on `vulnerability` instead',
    'vex-status': 'give VEX documents through the `vex` input instead',
    'vex-justification': 'give VEX documents through the `vex` input instead',
    'match-type': 'the match type is not kept in the scan result',
};
const GRYPE_PACKAGE_UNSUPPORTED = {
    language: 'use package.type (e.g. gem, python, java-archive) instead',
    'upstream-name': 'the upstream package is not kept in the scan result; match on package.name instead',
};
/**
 * The `ignore:` list of a grype config (grype/match/ignore.go). The rest of the config is grype's business and
 * is not read. Criteria this action cannot evaluate are rejected with the reason rather than silently dropped.
 */
function parseGrypeIgnoreConfig(text, file) {
    const y = new YamlSource(text, file);
    if (y.root === null)
        return [];
    const ignore = y.entries(y.root, 'the grype config').find((e) => e.key === 'ignore');
    if (!ignore)
        return [];
    return y.sequence(ignore.value, 'ignore').map((entry, i) => grypeRule(y, entry, `ignore[${i}]`));
}
function grypeRule(y, node, what) {
    const rule = { id: '', line: y.lineOf(node), file: y.file };
    for (const { key, keyNode, value } of y.entries(node, what)) {
        const where = `${what}.${key}`;
        const unsupported = GRYPE_UNSUPPORTED[key];
        if (unsupported)
            y.fail(keyNode, `${where} is not supported by secure-image: ${unsupported}`);
        switch (key) {
            case 'vulnerability':
                rule.id = y.string(value, where, keyNode);
                break;
            case 'reason':
                rule.statement = y.string(value, where, keyNode);
                break;
            case 'include-aliases':
                rule.matchAliases = y.boolean(value, where, keyNode);
                break;
            case 'fix-state': {
                const state = y.string(value, where, keyNode);
                if (!GRYPE_FIX_STATES.includes(state)) {
                    y.fail(value, `${where} "${state}" is not a fix state; expected one of ${GRYPE_FIX_STATES.join(', ')}`);
                }
                rule.fixState = state;
                break;
            }
            case 'package':
                grypePackage(y, value, keyNode, where, rule);
                break;
            default:
                y.fail(keyNode, `unknown key "${key}" in ${what}; expected vulnerability, include-aliases, reason, fix-state, package`);
        }
    }
    if (rule.id === '' &&
        !rule.fixState &&
        !rule.packageName &&
        !rule.packageVersion &&
        !rule.packageType &&
        !rule.paths) {
        y.fail(node, `${what} has no criteria, so it would ignore nothing; set vulnerability, fix-state or package`);
    }
    return rule;
}
function grypePackage(y, node, anchor, what, rule) {
    for (const { key, keyNode, value } of y.entries(node ?? anchor, what)) {
        const where = `${what}.${key}`;
        const unsupported = GRYPE_PACKAGE_UNSUPPORTED[key];
        if (unsupported)
            y.fail(keyNode, `${where} is not supported by secure-image: ${unsupported}`);
        switch (key) {
            case 'name': {
                const name = y.string(value, where, keyNode);
                try {
                    packageNameMatcher(name);
                }
                catch (err) {
                    y.fail(value, `${where} "${name}" is not a valid regular expression in Go's RE2 syntax, which grype uses: ${err instanceof Error ? err.message : String(err)}`);
                }
                rule.packageName = name;
                break;
            }
            case 'version':
                rule.packageVersion = y.string(value, where, keyNode);
                break;
            case 'type':
                rule.packageType = y.string(value, where, keyNode);
                break;
            case 'location': {
                const location = y.string(value, where, keyNode);
                checkGlob(y, value ?? keyNode, where, location);
                rule.paths = [location];
                break;
            }
            default:
                y.fail(keyNode, `unknown key "${key}" in ${what}; expected one of ${GRYPE_PACKAGE_KEYS.join(', ')}`);
        }
    }
}
/** grype treats a name as a regular expression only when it contains regex syntax other than `.`. */
const LOOKS_LIKE_REGEX = /[\^$*+?[\](){}|\\]/;
/**
 * grype matches the name with Go's regexp (RE2), and so does this: the pattern comes from the build
 * context, which a pull request controls, and the names from the image. A JavaScript RegExp of `(a+)+b`
 * takes minutes on a name of 30 `a`s; RE2 takes at most the pattern's size times the name's length.
 */
function packageNameMatcher(name) {
    if (!LOOKS_LIKE_REGEX.test(name))
        return (candidate) => candidate === name;
    // Compiled alone first: a name that closes a group of its own (`x)|(.*`) would escape the anchors.
    (0,re2/* compileRe2 */.Xm)(name);
    const re = (0,re2/* compileRe2 */.Xm)(`^(?:${name})$`);
    // Findings share package names; each distinct name is matched once.
    const results = new Map();
    return (candidate) => {
        let matched = results.get(candidate);
        if (matched === undefined) {
            matched = re.test(candidate);
            results.set(candidate, matched);
        }
        return matched;
    };
}
/** Report paths come with (grype) or without (trivy) a leading slash; compare them without. */
function normalisePath(path) {
    return path
        .replace(/\\/g, '/')
        .replace(/^(?:\.\/)+/, '')
        .replace(/^\/+/, '');
}
function globMatches(glob, path) {
    return path !== undefined && glob(normalisePath(path));
}
const compiled = new WeakMap();
function compile(rule) {
    const checks = [];
    if (rule.id !== '') {
        const id = rule.id;
        checks.push(rule.matchAliases === false ? (f) => f.id === id : (f) => f.id === id || f.aliases.includes(id));
    }
    if (rule.paths && rule.paths.length > 0) {
        const globs = rule.paths.map((p) => (0,glob/* compileGlob */.SO)(normalisePath(p)));
        checks.push((f) => globs.some((g) => globMatches(g, f.target) || globMatches(g, f.packagePath)));
    }
    if (rule.purls && rule.purls.length > 0) {
        const constraints = rule.purls.map(parsePurl).filter((p) => p !== undefined);
        // A finding without a purl cannot be shown to be the package the rule names, so the rule does not apply
        // (trivy would apply it; ignoring less is the safe side of that choice).
        checks.push((f) => {
            const target = f.purl === undefined ? undefined : parsePurl(f.purl);
            return target !== undefined && constraints.some((c) => purlMatches(c, target));
        });
    }
    if (rule.packageName !== undefined) {
        const matches = packageNameMatcher(rule.packageName);
        checks.push((f) => matches(f.packageName));
    }
    if (rule.packageVersion !== undefined) {
        const version = rule.packageVersion;
        checks.push((f) => f.installedVersion === version);
    }
    if (rule.packageType !== undefined) {
        const type = rule.packageType;
        checks.push((f) => f.packageType === type);
    }
    if (rule.fixState !== undefined) {
        const state = rule.fixState;
        checks.push((f) => f.fixState === state);
    }
    // A rule without criteria ignores nothing (as in grype), never everything.
    if (checks.length === 0)
        return () => false;
    return (f) => checks.every((check) => check(f));
}
/** Whether the rule's criteria all hold for the finding; expiry is the caller's concern. */
function ignoreRuleMatches(rule, finding) {
    let matcher = compiled.get(rule);
    if (!matcher) {
        matcher = compile(rule);
        compiled.set(rule, matcher);
    }
    return matcher(finding);
}
/**
 * The parser for an ignore file, chosen the way the `ignore-file` input describes it: for trivy a `.yaml`/`.yml`
 * file is a `.trivyignore.yaml`, anything else a `.trivyignore`; for grype it is a grype config.
 */
function parseIgnoreFile(scanner, text, file) {
    if (scanner === 'grype')
        return parseGrypeIgnoreConfig(text, file);
    return /\.ya?ml$/i.test(file) ? parseTrivyIgnoreYaml(text, file) : parseTrivyIgnore(text, file);
}

// EXTERNAL MODULE: ./src/scan/json-read.ts
var json_read = __webpack_require__(5388);
;// CONCATENATED MODULE: ./src/scan/vex.ts



const STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'];
const JUSTIFICATIONS = [
    'component_not_present',
    'vulnerable_code_not_present',
    'vulnerable_code_not_in_execute_path',
    'vulnerable_code_cannot_be_controlled_by_adversary',
    'inline_mitigations_already_exist',
];
function vex_text(value) {
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
/** The identifiers a product or subcomponent can be recognised by; v0.0.x documents used bare strings. */
function componentIds(value) {
    if (typeof value === 'string')
        return value.trim() === '' ? [] : [value.trim()];
    if (!(0,json_read/* isObject */.G)(value))
        return [];
    const ids = [vex_text(value['@id'])];
    const identifiers = value['identifiers'];
    if ((0,json_read/* isObject */.G)(identifiers))
        ids.push(...Object.values(identifiers).map(vex_text));
    return [...new Set(ids.filter((id) => id !== undefined))];
}
/** An OpenVEX document (openvex/spec v0.2.0; the string forms of v0.0.x are read too) → its statements. */
function parseOpenVex(source, file) {
    let doc;
    try {
        doc = JSON.parse(source);
    }
    catch (err) {
        throw new errors/* UserError */.yo(`${file}: not an OpenVEX document, the text is not JSON (${String(err)})`);
    }
    const fail = (where, problem) => {
        throw new errors/* UserError */.yo(`${file}: ${where} ${problem} (OpenVEX, https://github.com/openvex/spec)`);
    };
    if (!(0,json_read/* isObject */.G)(doc))
        return fail('the document', 'must be a JSON object');
    const context = vex_text(doc['@context']);
    if (!context || !context.startsWith('https://openvex.dev/ns')) {
        fail('@context', `must be the OpenVEX context (https://openvex.dev/ns/v0.2.0), found ${JSON.stringify(doc['@context'])}`);
    }
    const statements = doc['statements'];
    if (!Array.isArray(statements))
        return fail('statements', 'must be a list');
    const documentTimestamp = vex_text(doc['timestamp']);
    return statements.map((value, index) => {
        const where = `statements[${index}]`;
        if (!(0,json_read/* isObject */.G)(value))
            return fail(where, 'must be an object');
        const vuln = value['vulnerability'];
        const name = typeof vuln === 'string' ? vex_text(vuln) : (0,json_read/* isObject */.G)(vuln) ? vex_text(vuln['name']) : undefined;
        if (!name)
            fail(`${where}.vulnerability.name`, 'is missing');
        const aliases = (0,json_read/* isObject */.G)(vuln) && Array.isArray(vuln['aliases'])
            ? vuln['aliases'].map(vex_text).filter((a) => a !== undefined && a !== name)
            : [];
        const status = value['status'];
        if (typeof status !== 'string' || !STATUSES.includes(status)) {
            fail(`${where}.status`, `must be one of ${STATUSES.join(', ')}, found ${JSON.stringify(status)}`);
        }
        const justification = vex_text(value['justification']);
        if (justification !== undefined && !JUSTIFICATIONS.includes(justification)) {
            fail(`${where}.justification`, `must be one of ${JUSTIFICATIONS.join(', ')}, found "${justification}"`);
        }
        const impactStatement = vex_text(value['impact_statement']);
        if (status === 'not_affected' && !justification && !impactStatement) {
            fail(where, 'says not_affected without a justification or an impact_statement; the spec requires one');
        }
        const productValues = Array.isArray(value['products']) ? value['products'] : [];
        const products = productValues.flatMap(componentIds);
        const subcomponentValues = [
            ...(Array.isArray(value['subcomponents']) ? value['subcomponents'] : []),
            ...productValues.flatMap((p) => (0,json_read/* isObject */.G)(p) && Array.isArray(p['subcomponents']) ? p['subcomponents'] : []),
        ];
        return {
            vulnerability: name,
            aliases,
            products,
            subcomponents: [...new Set(subcomponentValues.flatMap(componentIds))],
            status: status,
            justification,
            impactStatement,
            timestamp: vex_text(value['last_updated']) ?? vex_text(value['timestamp']) ?? documentTimestamp,
            file,
            index,
        };
    });
}
// ---------------------------------------------------------------------------------------------------------
// matching
/** `alpine`, `docker.io/library/alpine:3`, `index.docker.io/library/alpine@sha256:…` → `docker.io/library/alpine`. */
function imageRepository(reference) {
    let ref = reference.trim().toLowerCase();
    const at = ref.indexOf('@');
    if (at >= 0)
        ref = ref.slice(0, at);
    const lastSlash = ref.lastIndexOf('/');
    const colon = ref.lastIndexOf(':');
    if (colon > lastSlash)
        ref = ref.slice(0, colon);
    const parts = ref.split('/');
    const first = parts[0] ?? '';
    const hasRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
    if (!hasRegistry)
        return `docker.io/${parts.length === 1 ? 'library/' : ''}${ref}`;
    if (first === 'index.docker.io')
        return `docker.io/${parts.slice(1).join('/')}`;
    return ref;
}
function digestOf(reference) {
    const at = reference.indexOf('@');
    return at >= 0 ? reference.slice(at + 1).toLowerCase() : undefined;
}
/** Whether a product identifier names the scanned image (an `oci` purl or an image reference). */
function productIsImage(id, purl, imageName) {
    if (imageName === undefined)
        return true;
    const repo = imageRepository(imageName);
    const digest = digestOf(imageName);
    if (purl) {
        const repositoryUrl = purl.qualifiers['repository_url'];
        const sameRepo = repositoryUrl
            ? imageRepository(repositoryUrl) === repo
            : repo.split('/').pop() === purl.name.toLowerCase();
        return sameRepo && (purl.version === '' || digest === undefined || purl.version.toLowerCase() === digest);
    }
    const productDigest = digestOf(id);
    return (imageRepository(id) === repo &&
        (productDigest === undefined || digest === undefined || productDigest === digest));
}
function componentMatches(id, finding, findingPurl) {
    const purl = parsePurl(id);
    if (purl)
        return findingPurl !== undefined && purlMatches(purl, findingPurl);
    return id === finding.packageName;
}
/**
 * Whether a statement speaks about this finding: the vulnerability (by any of its names) and the product.
 * A product that is the image (or no product at all) covers every package in it unless subcomponents narrow
 * it; a product that is a package purl covers that package.
 */
function vexStatementApplies(statement, finding, imageName) {
    const names = [statement.vulnerability, ...statement.aliases];
    if (!names.includes(finding.id) && !finding.aliases.some((a) => names.includes(a)))
        return false;
    const findingPurl = finding.purl === undefined ? undefined : parsePurl(finding.purl);
    const subcomponents = statement.subcomponents ?? [];
    const subcomponentsMatch = subcomponents.length === 0 || subcomponents.some((s) => componentMatches(s, finding, findingPurl));
    if (statement.products.length === 0)
        return subcomponentsMatch;
    return statement.products.some((id) => {
        const purl = parsePurl(id);
        if (id.startsWith('cpe:'))
            return false;
        if (!purl || purl.type === 'oci')
            return productIsImage(id, purl, imageName) && subcomponentsMatch;
        // A package product: the statement is about that package, or about the subcomponents inside it.
        return subcomponents.length > 0
            ? subcomponentsMatch
            : findingPurl !== undefined && purlMatches(purl, findingPurl);
    });
}
function time(statement) {
    const t = statement.timestamp === undefined ? NaN : Date.parse(statement.timestamp);
    return Number.isNaN(t) ? -Infinity : t;
}
/** Statements indexed by every name of their vulnerability, so 20,000 findings do not each scan every statement. */
class VexIndex {
    imageName;
    byName = new Map();
    order = new Map();
    constructor(statements, imageName) {
        this.imageName = imageName;
        statements.forEach((s, i) => this.order.set(s, i));
        for (const s of statements) {
            for (const name of new Set([s.vulnerability, ...s.aliases])) {
                const list = this.byName.get(name) ?? [];
                list.push(s);
                this.byName.set(name, list);
            }
        }
    }
    /** The statement that decides this finding's status: the latest applicable one, the later in the input on a tie. */
    decide(finding) {
        const candidates = new Set();
        for (const name of [finding.id, ...finding.aliases]) {
            for (const s of this.byName.get(name) ?? [])
                candidates.add(s);
        }
        let best;
        for (const s of candidates) {
            if (!vexStatementApplies(s, finding, this.imageName))
                continue;
            if (!best || this.later(s, best))
                best = s;
        }
        return best;
    }
    later(a, b) {
        const ta = time(a);
        const tb = time(b);
        if (ta !== tb)
            return ta > tb;
        return (this.order.get(a) ?? 0) > (this.order.get(b) ?? 0);
    }
}
/** `not_affected` and `fixed` take a finding out of the gate; `affected` and `under_investigation` leave it in. */
function vexSuppresses(statement) {
    return statement.status === 'not_affected' || statement.status === 'fixed';
}
function vexReason(statement) {
    const why = statement.justification ?? statement.impactStatement;
    return `VEX ${statement.status}${why ? `: ${why}` : ''} (${statement.file})`;
}

;// CONCATENATED MODULE: ./src/scan/gate.ts



/** Ignore rules indexed by id, so each finding is checked against the few rules that can name it. */
class RuleIndex {
    byId = new Map();
    anyId = [];
    order = new Map();
    constructor(rules) {
        rules.forEach((rule, i) => {
            this.order.set(rule, i);
            if (rule.id === '') {
                this.anyId.push(rule);
            }
            else {
                const list = this.byId.get(rule.id) ?? [];
                list.push(rule);
                this.byId.set(rule.id, list);
            }
        });
    }
    /** Matching rules in file order. */
    matching(finding) {
        const candidates = new Set(this.anyId);
        for (const name of [finding.id, ...finding.aliases]) {
            for (const rule of this.byId.get(name) ?? [])
                candidates.add(rule);
        }
        return [...candidates]
            .filter((rule) => ignoreRuleMatches(rule, finding))
            .sort((a, b) => (this.order.get(a) ?? 0) - (this.order.get(b) ?? 0));
    }
}
function ruleReason(rule) {
    return `ignored by ${ruleLocation(rule)}${rule.statement ? ` (${rule.statement})` : ''}`;
}
/** Most severe first, then the ones an upgrade fixes, then by id and package, so listings are stable. */
function compareFindings(a, b) {
    return ((0,scan_finding/* severityRank */.qs)(b.severity) - (0,scan_finding/* severityRank */.qs)(a.severity) ||
        Number((0,scan_finding/* isFixable */.G4)(b)) - Number((0,scan_finding/* isFixable */.G4)(a)) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
        (a.packageName < b.packageName ? -1 : a.packageName > b.packageName ? 1 : 0));
}
function evaluateGate(report, options) {
    const rules = new RuleIndex(options.ignores);
    const vex = new VexIndex(options.vex, options.imageName);
    const expiredMatches = new Map();
    // Why one reported finding does not count, or undefined when it does. VEX first: it is a statement about this
    // product; then the ignore file; then the ignore-unfixed policy.
    const reasonFor = (finding, counted) => {
        const statement = vex.decide(finding);
        if (statement && vexSuppresses(statement))
            return vexReason(statement);
        let reason;
        for (const rule of rules.matching(finding)) {
            if (isRuleExpired(rule, options.now)) {
                counted.add(rule);
            }
            else if (reason === undefined) {
                reason = ruleReason(rule);
            }
        }
        if (reason !== undefined)
            return reason;
        if (options.ignoreUnfixed && !(0,scan_finding/* isFixable */.G4)(finding))
            return 'no fixed version (ignore-unfixed)';
        return undefined;
    };
    // A vulnerability a scanner lists at several paths counts once; it is ignored only if every path is.
    const groups = new Map();
    for (const finding of report.findings) {
        const key = (0,scan_finding/* dedupeKey */.r9)(finding);
        const group = groups.get(key);
        if (group)
            group.push(finding);
        else
            groups.set(key, [finding]);
    }
    const counts = {
        critical: 0,
        high: 0,
        medium: 0,
        low: 0,
        unknown: 0,
        total: 0,
        fixable: 0,
        ignored: 0,
    };
    const ignored = [];
    const counting = [];
    for (const members of groups.values()) {
        const expiredHere = new Set();
        let representative;
        let firstReason;
        for (const member of members) {
            const reason = reasonFor(member, expiredHere);
            if (reason === undefined) {
                representative ??= member;
            }
            else {
                firstReason ??= reason;
            }
        }
        for (const rule of expiredHere)
            expiredMatches.set(rule, (expiredMatches.get(rule) ?? 0) + 1);
        const finding = representative ?? members[0];
        counts[finding.severity] += 1;
        counts.total += 1;
        if ((0,scan_finding/* isFixable */.G4)(finding))
            counts.fixable += 1;
        if (representative === undefined) {
            counts.ignored += 1;
            ignored.push({ finding, reason: firstReason ?? 'ignored' });
        }
        else {
            counting.push(representative);
        }
    }
    const threshold = options.failOn === 'never' ? Infinity : (0,scan_finding/* severityRank */.qs)(options.failOn);
    const top = counting.sort(compareFindings);
    const blocking = top.filter((f) => (0,scan_finding/* severityRank */.qs)(f.severity) >= threshold);
    const expiredIgnores = options.ignores
        .filter((rule) => isRuleExpired(rule, options.now))
        .map((rule) => {
        const n = expiredMatches.get(rule) ?? 0;
        const what = rule.id === '' ? 'an ignore rule' : `the ignore of ${rule.id}`;
        const effect = n === 0
            ? 'it matches nothing in this scan'
            : `it matches ${n} finding${n === 1 ? '' : 's'} in this scan, which it no longer ignores`;
        return {
            rule,
            message: `${ruleLocation(rule)}: ${what} expired on ${rule.expiresAt ?? ''} and no longer applies; ${effect}. Renew or remove it.`,
        };
    });
    return {
        passed: blocking.length === 0,
        failOn: options.failOn,
        counts,
        blocking,
        ignored,
        expiredIgnores,
        top,
    };
}
/** The `vulnerabilities` output: fixed key order, so workflows can compare it as text. */
function countsJson(counts) {
    const ordered = {};
    for (const key of [...scan_finding/* SEVERITIES */.oC, 'total', 'fixable', 'ignored'])
        ordered[key] = counts[key];
    return JSON.stringify(ordered);
}

;// CONCATENATED MODULE: ./src/scan/merge.ts



/** The identity of one finding across platforms: the gate's id + package + version, and where in the image. */
function mergeKey(finding) {
    return `${(0,scan_finding/* dedupeKey */.r9)(finding)}\u0000${finding.packagePath ?? ''}`;
}
function mergeFindings(reports) {
    const merged = new Map();
    const order = [];
    for (const { platform, report } of reports) {
        for (const finding of report.findings) {
            const key = mergeKey(finding);
            const seen = merged.get(key);
            if (!seen) {
                const copy = { ...finding, ...(platform ? { platforms: [platform] } : {}) };
                merged.set(key, copy);
                order.push(copy);
            }
            else if (platform && !(seen.platforms ?? []).includes(platform)) {
                seen.platforms = [...(seen.platforms ?? []), platform];
            }
        }
    }
    return order;
}
/** The scan report of an image built for several platforms, for the gate, SARIF and the attestation. */
function mergeReports(reports, imageRef) {
    const first = reports[0]?.report;
    if (!first)
        throw new Error('mergeReports needs at least one report');
    if (reports.length === 1) {
        const only = reports[0];
        return only.platform ? { ...first, findings: mergeFindings(reports) } : first;
    }
    return {
        scanner: first.scanner,
        ...(first.scannerVersion ? { scannerVersion: first.scannerVersion } : {}),
        artifactName: imageRef,
        findings: mergeFindings(reports),
        ...(first.dbUpdatedAt ? { dbUpdatedAt: first.dbUpdatedAt } : {}),
    };
}
function array(value) {
    return Array.isArray(value) ? value : [];
}
function str(value) {
    return typeof value === 'string' ? value : '';
}
function pushUnique(into, seen, items, key) {
    for (const item of items) {
        if (!(0,json_read/* isObject */.G)(item))
            continue;
        const k = key(item);
        if (seen.has(k))
            continue;
        seen.add(k);
        into.push(item);
    }
}
/**
 * The scanners' own JSON, merged so it stays readable by the tools that read it (`trivy convert`, jq scripts):
 * trivy Results joined by target, class and type, their vulnerabilities and packages listed once; grype matches
 * listed once. The first platform's metadata stands for the image.
 */
function mergeRaw(raws, scanner, imageRef) {
    const docs = raws.filter(json_read/* isObject */.G);
    const first = docs[0] ?? {};
    if (scanner === 'grype') {
        const matches = [];
        const ignored = [];
        const seenMatches = new Set();
        const seenIgnored = new Set();
        const key = (m) => {
            const v = (0,json_read/* isObject */.G)(m['vulnerability']) ? m['vulnerability'] : {};
            const a = (0,json_read/* isObject */.G)(m['artifact']) ? m['artifact'] : {};
            const loc = array(a['locations'])[0];
            return [str(v['id']), str(a['name']), str(a['version']), (0,json_read/* isObject */.G)(loc) ? str(loc['path']) : ''].join('\u0000');
        };
        for (const doc of docs) {
            pushUnique(matches, seenMatches, array(doc['matches']), key);
            pushUnique(ignored, seenIgnored, array(doc['ignoredMatches']), key);
        }
        const source = (0,json_read/* isObject */.G)(first['source']) ? first['source'] : {};
        const target = (0,json_read/* isObject */.G)(source['target']) ? source['target'] : {};
        return {
            ...first,
            matches,
            ...(ignored.length > 0 ? { ignoredMatches: ignored } : {}),
            source: { ...source, target: { ...target, userInput: imageRef } },
        };
    }
    const results = [];
    const byTarget = new Map();
    for (const doc of docs) {
        for (const value of array(doc['Results'])) {
            if (!(0,json_read/* isObject */.G)(value))
                continue;
            const k = [str(value['Target']), str(value['Class']), str(value['Type'])].join('\u0000');
            let entry = byTarget.get(k);
            if (!entry) {
                entry = { result: { ...value }, vulns: new Set(), pkgs: new Set() };
                if (value['Vulnerabilities'] !== undefined)
                    entry.result['Vulnerabilities'] = [];
                if (value['Packages'] !== undefined)
                    entry.result['Packages'] = [];
                byTarget.set(k, entry);
                results.push(entry.result);
            }
            if (Array.isArray(value['Vulnerabilities'])) {
                const list = array(entry.result['Vulnerabilities']);
                entry.result['Vulnerabilities'] = list;
                pushUnique(list, entry.vulns, value['Vulnerabilities'], (v) => [str(v['VulnerabilityID']), str(v['PkgName']), str(v['InstalledVersion']), str(v['PkgPath'])].join('\u0000'));
            }
            if (Array.isArray(value['Packages'])) {
                const list = array(entry.result['Packages']);
                entry.result['Packages'] = list;
                pushUnique(list, entry.pkgs, value['Packages'], (p) => {
                    const id = (0,json_read/* isObject */.G)(p['Identifier']) ? str(p['Identifier']['PURL']) : '';
                    return id || [str(p['Name']), str(p['Version']), str(p['FilePath'])].join('\u0000');
                });
            }
        }
    }
    return { ...first, ArtifactName: imageRef, Results: results };
}
/**
 * CycloneDX SBOMs of the platforms of one image as one document: components, dependencies and vulnerabilities
 * listed once (by bom-ref, or purl / name@version), the first platform's metadata for the image.
 */
function mergeCycloneDx(docs, platforms) {
    const boms = docs.filter(json_read/* isObject */.G);
    const first = boms[0] ?? {};
    const components = [];
    const dependencies = [];
    const vulnerabilities = [];
    const seenComponents = new Set();
    const seenDependencies = new Set();
    const vulnIndex = new Map();
    for (const bom of boms) {
        pushUnique(components, seenComponents, array(bom['components']), (c) => {
            const purl = str(c['purl']);
            return purl || str(c['bom-ref']) || `${str(c['type'])}:${str(c['name'])}@${str(c['version'])}`;
        });
        pushUnique(dependencies, seenDependencies, array(bom['dependencies']), (d) => str(d['ref']));
        for (const value of array(bom['vulnerabilities'])) {
            if (!(0,json_read/* isObject */.G)(value))
                continue;
            const id = str(value['id']);
            const existing = vulnIndex.get(id);
            if (!existing) {
                const copy = { ...value, affects: [...array(value['affects'])] };
                vulnIndex.set(id, copy);
                vulnerabilities.push(copy);
                continue;
            }
            const affects = array(existing['affects']);
            const refs = new Set(affects.map((a) => ((0,json_read/* isObject */.G)(a) ? str(a['ref']) : '')));
            for (const a of array(value['affects'])) {
                if ((0,json_read/* isObject */.G)(a) && !refs.has(str(a['ref']))) {
                    refs.add(str(a['ref']));
                    affects.push(a);
                }
            }
            existing['affects'] = affects;
        }
    }
    const metadata = (0,json_read/* isObject */.G)(first['metadata']) ? first['metadata'] : {};
    const properties = [
        ...array(metadata['properties']),
        ...platforms.map((p) => ({ name: 'secure-image:platform', value: p })),
    ];
    return {
        ...first,
        serialNumber: `urn:uuid:${(0,external_node_crypto_.randomUUID)()}`,
        version: 1,
        metadata: { ...metadata, properties },
        components,
        ...(dependencies.length > 0 ? { dependencies } : {}),
        ...(vulnerabilities.length > 0 ? { vulnerabilities } : {}),
    };
}

// EXTERNAL MODULE: ./src/scan/run.ts + 3 modules
var run = __webpack_require__(8925);
;// CONCATENATED MODULE: ./src/util/json-file.ts

/**
 * Writes `value` as JSON to `path`, byte for byte what `JSON.stringify(value) + "\n"` is, without ever holding
 * that text whole: a SARIF log or vulnerability predicate of 20,000 findings is tens of MB of text, and the
 * string plus the buffer it is encoded into would double the memory the stage needs at its peak.
 */
async function writeJsonFile(path, value) {
    const file = await (0,promises_.open)(path, 'w');
    try {
        let pending = '';
        for (const piece of pieces(value)) {
            pending += piece;
            if (pending.length >= CHUNK) {
                await file.write(pending);
                pending = '';
            }
        }
        await file.write(`${pending}\n`);
    }
    finally {
        await file.close();
    }
}
const CHUNK = 1 << 20;
/**
 * An array whose elements are made while it is written: writeJsonFile writes one element at a time, so the
 * elements never exist all at once. Anything else that turns it into JSON gets the whole array.
 */
class LazyJsonArray {
    length;
    element;
    constructor(length, element) {
        this.length = length;
        this.element = element;
    }
    *[Symbol.iterator]() {
        for (let i = 0; i < this.length; i++)
            yield this.element(i);
    }
    toJSON() {
        return [...this];
    }
}
function isPlainContainer(value) {
    if (typeof value !== 'object' || value === null)
        return false;
    // Anything with its own toJSON (a Date) is written as JSON.stringify writes it.
    if (typeof value.toJSON === 'function')
        return false;
    return (Array.isArray(value) ||
        Object.getPrototypeOf(value) === Object.prototype ||
        Object.getPrototypeOf(value) === null);
}
// Elements of an array longer than this are written whole each (a SARIF result, a vulnerability match);
// shorter arrays and objects are opened up, to reach the long arrays inside them.
const LONG = 64;
/** The JSON text of `value` in pieces: an element of a long array at most. */
function* pieces(value, whole = false) {
    if (value instanceof LazyJsonArray) {
        yield '[';
        let first = true;
        for (const element of value) {
            if (!first)
                yield ',';
            first = false;
            yield* pieces(element, true);
        }
        yield ']';
        return;
    }
    if (whole || !isPlainContainer(value)) {
        // undefined, functions and symbols have no JSON; in an array JSON.stringify writes null for them.
        yield JSON.stringify(value) ?? 'null';
        return;
    }
    if (Array.isArray(value)) {
        yield '[';
        const long = value.length > LONG;
        for (let i = 0; i < value.length; i++) {
            if (i > 0)
                yield ',';
            yield* pieces(value[i], long);
        }
        yield ']';
        return;
    }
    yield '{';
    let first = true;
    for (const [key, item] of Object.entries(value)) {
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol')
            continue;
        yield `${first ? '' : ','}${JSON.stringify(key)}:`;
        first = false;
        yield* pieces(item);
    }
    yield '}';
}

;// CONCATENATED MODULE: ./src/scan/sarif.ts



const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** GitHub rejects a run with more results than this (sarif-limits.md) and shows only the 5,000 most severe. */
const MAX_SARIF_RESULTS = 25_000;
const MAX_DESCRIPTION = 1024;
/** One kind of rule: a known vulnerability in a package of the image (trivy names its rules the same way). */
const RULE_NAME = 'ContainerImageVulnerability';
const SCANNERS = {
    trivy: {
        name: 'Trivy',
        fullName: 'Trivy Vulnerability Scanner',
        uri: 'https://github.com/aquasecurity/trivy',
    },
    grype: { name: 'Grype', fullName: 'Grype Vulnerability Scanner', uri: 'https://github.com/anchore/grype' },
};
function sarifLevel(severity) {
    if (severity === 'critical' || severity === 'high')
        return 'error';
    if (severity === 'medium')
        return 'warning';
    return 'note';
}
/**
 * GitHub derives the alert severity from `security-severity` (>9.0 critical, 7.0–8.9 high, 4.0–6.9 medium,
 * 0.1–3.9 low). The scanner's severity is what the gate used, so the score is kept inside that severity's band:
 * the finding's CVSS base score when it falls inside, else the nearest edge; without a score, a fixed point.
 */
const BANDS = {
    critical: { min: 9.1, max: 10, fallback: 9.5 },
    high: { min: 7, max: 8.9, fallback: 8 },
    medium: { min: 4, max: 6.9, fallback: 5.5 },
    low: { min: 0.1, max: 3.9, fallback: 2 },
    unknown: { min: 0, max: 0, fallback: 0 },
};
function securitySeverity(finding) {
    const band = BANDS[finding.severity];
    const modern = finding.cvss.filter((c) => c.score !== undefined && !(c.version ?? '').startsWith('2'));
    const scores = (modern.length > 0 ? modern : finding.cvss)
        .map((c) => c.score)
        .filter((s) => s !== undefined);
    const score = scores.length > 0 ? Math.max(...scores) : band.fallback;
    return Math.min(band.max, Math.max(band.min, score)).toFixed(1);
}
function clip(text, max) {
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
function oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}
function cell(text) {
    return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
function fixedText(finding) {
    return finding.fixedVersions.length > 0 ? finding.fixedVersions.join(', ') : 'none';
}
function sarif_link(finding) {
    return finding.url ? `[${finding.id}](${finding.url})` : finding.id;
}
function rule(finding) {
    const severity = finding.severity.toUpperCase();
    const title = finding.title ?? `${finding.id} in ${finding.packageName}`;
    const description = finding.description ?? finding.title ?? finding.id;
    const text = [
        `Vulnerability ${finding.id}`,
        `Severity: ${severity}`,
        `Package: ${finding.packageName}`,
        `Fixed Version: ${fixedText(finding)}`,
        `Link: ${sarif_link(finding)}`,
        description,
    ].join('\n');
    const markdown = [
        `**Vulnerability ${finding.id}**`,
        '| Severity | Package | Fixed Version | Link |',
        '| --- | --- | --- | --- |',
        `|${severity}|${cell(finding.packageName)}|${cell(fixedText(finding))}|${cell(sarif_link(finding))}|`,
        '',
        description,
    ].join('\n');
    return {
        id: finding.id,
        name: RULE_NAME,
        shortDescription: { text: clip(oneLine(title), MAX_DESCRIPTION) },
        fullDescription: { text: clip(oneLine(description), MAX_DESCRIPTION) },
        defaultConfiguration: { level: sarifLevel(finding.severity) },
        ...(finding.url ? { helpUri: finding.url } : {}),
        help: { text, markdown },
        properties: {
            tags: ['vulnerability', 'security', severity],
            precision: 'very-high',
            'security-severity': securitySeverity(finding),
        },
    };
}
/** Stable across builds and Dockerfile edits: the vulnerability, the package and where in the image it is. */
function fingerprint(finding) {
    const where = finding.packagePath ?? finding.target ?? '';
    const hash = (0,external_node_crypto_.createHash)('sha256')
        .update(`${finding.id}\u0000${finding.packageName}\u0000${where}`)
        .digest('hex');
    return `${hash.slice(0, 32)}:1`;
}
function originText(finding) {
    if (finding.origin === 'base')
        return 'the base image';
    if (finding.origin === 'app')
        return 'a layer this build added';
    return 'unknown';
}
function result(finding, ruleIndex, uri, line, imageRef) {
    const fixed = (0,scan_finding/* isFixable */.G4)(finding) ? `fixed in ${fixedText(finding)}` : 'no fixed version';
    const message = [
        `${finding.id} (${finding.severity.toUpperCase()}) in ${finding.packageName} ${finding.installedVersion}; ${fixed}.`,
        `Package: ${finding.packageName}`,
        `Installed Version: ${finding.installedVersion}`,
        `Vulnerability ${finding.id}`,
        `Severity: ${finding.severity.toUpperCase()}`,
        `Fixed Version: ${fixedText(finding)}`,
        `Layer: ${originText(finding)}`,
        ...(finding.packagePath ? [`Path: ${finding.packagePath}`] : []),
        `Link: ${sarif_link(finding)}`,
    ].join('\n');
    const versioned = finding.installedVersion
        ? `${finding.packageName}@${finding.installedVersion}`
        : finding.packageName;
    return {
        ruleId: finding.id,
        ruleIndex,
        level: sarifLevel(finding.severity),
        message: { text: message },
        locations: [
            {
                physicalLocation: {
                    artifactLocation: { uri },
                    region: { startLine: line, startColumn: 1, endLine: line, endColumn: 1 },
                },
                message: { text: `${imageRef}: ${versioned}` },
            },
        ],
        partialFingerprints: { primaryLocationLineHash: fingerprint(finding) },
        properties: {
            origin: finding.origin,
            fixState: finding.fixState,
            ...(finding.packageType ? { packageType: finding.packageType } : {}),
            ...(finding.purl ? { purl: finding.purl } : {}),
            ...(finding.platforms ? { platforms: finding.platforms } : {}),
        },
    };
}
/** `./docker/Dockerfile` and `docker\Dockerfile` → `docker/Dockerfile`, as GitHub matches paths from the repository root. */
function repoPath(path) {
    const cleaned = path
        .replace(/\\/g, '/')
        .replace(/^(?:\.\/)+/, '')
        .replace(/^\/+/, '');
    return cleaned === '' ? 'Dockerfile' : cleaned;
}
function toSarif(report, gate, options) {
    const log = sarifLog(report, gate, options);
    const run = log.runs[0];
    return { ...log, runs: [{ ...run, results: [...run.results] }] };
}
/**
 * The same log with its results made one at a time as writeJsonFile writes them: for 20,000 findings the
 * result objects would be ~30 MB alive at once, beside the findings they are made from.
 */
function toSarifForWriting(report, gate, options) {
    return sarifLog(report, gate, options);
}
function sarifLog(report, gate, options) {
    const scanner = SCANNERS[report.scanner];
    const uri = repoPath(options.dockerfile);
    const baseLine = options.baseImageLine !== undefined &&
        Number.isInteger(options.baseImageLine) &&
        options.baseImageLine >= 1
        ? options.baseImageLine
        : 1;
    // gate.top is most severe first, so the cut keeps the results GitHub would show anyway.
    const counted = gate.top.slice(0, MAX_SARIF_RESULTS);
    // Rules first, in the order their first result comes: each result names its rule by index.
    const rules = [];
    const ruleIndex = new Map();
    for (const finding of counted) {
        if (ruleIndex.has(finding.id))
            continue;
        ruleIndex.set(finding.id, rules.length);
        rules.push(rule(finding));
    }
    const results = new LazyJsonArray(counted.length, (i) => {
        const finding = counted[i];
        const line = finding.origin === 'base' ? baseLine : 1;
        return result(finding, ruleIndex.get(finding.id), uri, line, options.imageRef);
    });
    const version = options.toolVersion ?? report.scannerVersion;
    return {
        $schema: SARIF_SCHEMA,
        version: '2.1.0',
        runs: [
            {
                tool: {
                    driver: {
                        name: scanner.name,
                        fullName: scanner.fullName,
                        informationUri: scanner.uri,
                        ...(version ? { version } : {}),
                        rules,
                    },
                },
                ...(options.automationId ? { automationDetails: { id: options.automationId } } : {}),
                columnKind: 'utf16CodeUnits',
                results,
                properties: {
                    imageRef: options.imageRef,
                    ...(report.artifactName ? { artifactName: report.artifactName } : {}),
                    gatePassed: gate.passed,
                    failOn: gate.failOn,
                    counts: gate.counts,
                    ...(gate.top.length > counted.length ? { omittedResults: gate.top.length - counted.length } : {}),
                },
            },
        ],
    };
}

;// CONCATENATED MODULE: ./src/scan/scan-target.ts















const DEFAULT_SCAN_TIMEOUT_MS = 15 * 60 * 1000;
const TOP_FINDINGS = 10;
const IGNORED_LISTED = 50;
const SCANNER_URI = {
    trivy: 'https://github.com/aquasecurity/trivy',
    grype: 'https://github.com/anchore/grype',
};
/**
 * Which scans to run. A trivy archive scan reads only the first image of a multi-platform OCI archive (trivy
 * pkg/fanal/image/oci.go: `--platform` applies to registry images), so the other platforms cannot be scanned
 * from it; that is said, not hidden. One platform is scanned without `--platform`, so a single-platform image
 * never fails on a platform mismatch.
 */
function scanPlatforms(scanner, target, platforms) {
    const unique = [...new Set(platforms.map((p) => p.trim()).filter((p) => p !== ''))];
    if (unique.length <= 1)
        return { platforms: [undefined] };
    if (scanner === 'trivy' && target.kind === 'archive') {
        return {
            platforms: [undefined],
            warning: `trivy reads only the first image of a multi-platform OCI archive, so only one of ${unique.join(', ')} was scanned. Push the image (\`push: true\`) or use \`scanner: grype\` to scan every platform.`,
        };
    }
    return { platforms: unique };
}
/** The summary data from a gate result (pure). */
function scanSummary(input) {
    const { gate, database } = input;
    const fixableBySeverity = Object.fromEntries(scan_finding/* SEVERITIES */.oC.map((s) => [s, 0]));
    for (const f of [...gate.top, ...gate.ignored.map((i) => i.finding)]) {
        if ((0,scan_finding/* isFixable */.G4)(f))
            fixableBySeverity[f.severity] += 1;
    }
    return {
        scanner: input.scanner,
        scannerVersion: input.scannerVersion,
        imageRef: input.imageRef,
        platforms: input.platforms,
        passed: gate.passed,
        failOn: gate.failOn,
        ignoreUnfixed: input.ignoreUnfixed,
        counts: gate.counts,
        fixableBySeverity,
        top: gate.top.slice(0, TOP_FINDINGS).map(scan_finding/* summaryFinding */.GK),
        blocking: gate.blocking.length,
        ignored: gate.ignored
            .slice(0, IGNORED_LISTED)
            .map((i) => ({ ...(0,scan_finding/* summaryFinding */.GK)(i.finding), reason: i.reason })),
        expiredIgnores: gate.expiredIgnores.map((e) => e.message),
        database: {
            source: database.source,
            ...(database.updatedAt ? { updatedAt: database.updatedAt.toISOString() } : {}),
            ...(database.ageHours !== undefined ? { ageHours: database.ageHours } : {}),
            ...(database.repository ? { repository: database.repository } : {}),
            stale: database.ageHours !== undefined && database.ageHours > scan_database/* STALE_DB_HOURS */.zD,
            ...(database.java?.ready && database.java.source
                ? {
                    java: {
                        source: database.java.source,
                        ...(database.java.updatedAt ? { updatedAt: database.java.updatedAt.toISOString() } : {}),
                    },
                }
                : {}),
        },
        warnings: input.warnings,
        durationMs: input.durationMs,
    };
}
/** The message a failed gate stops the pipeline with (before signing), or undefined when it passed. */
function gateFailureMessage(result) {
    const { gate } = result;
    if (gate.passed)
        return undefined;
    const n = gate.blocking.length;
    const listed = gate.blocking.slice(0, 5).map((f) => {
        const fix = (0,scan_finding/* isFixable */.G4)(f) ? `fixed in ${f.fixedVersions.join(', ') || 'a newer version'}` : 'no fix yet';
        return `- ${f.id} (${f.severity}) in ${f.packageName} ${f.installedVersion}: ${fix}`;
    });
    const more = n > listed.length ? [`- … and ${n - listed.length} more`] : [];
    return [
        `The scan found ${n} vulnerabilit${n === 1 ? 'y' : 'ies'} at or above \`fail-on-severity: ${gate.failOn}\` that ${n === 1 ? 'is' : 'are'} not ignored, so the image is not signed:`,
        ...listed,
        ...more,
        'Upgrade the packages or the base image, or, when a finding does not apply, record why in the ignore file (`ignore-file`) or a VEX document (`vex`).',
    ].join('\n');
}
/**
 * The ignore rules and VEX statements the gate reads, from the files the inputs name. `display` names a file in
 * what the rules and their messages say (the workspace-relative path, which annotations need).
 */
async function readGateRules(scanner, ignoreFile, vexFiles, display = (path) => path) {
    const read = async (path, input) => {
        try {
            return await (0,promises_.readFile)(path, 'utf8');
        }
        catch (error) {
            throw new errors/* UserError */.yo(`Input \`${input}\`: cannot read ${path}: ${(0,errors/* errorMessage */.gJ)(error)}`, {
                cause: error,
            });
        }
    };
    const ignores = ignoreFile
        ? parseIgnoreFile(scanner, await read(ignoreFile, 'ignore-file'), display(ignoreFile))
        : [];
    const vex = [];
    for (const file of vexFiles)
        vex.push(...parseOpenVex(await read(file, 'vex'), file));
    return { ignores, vex };
}
/** A docker config dir holding only the login, for trivy (see `trivyEnv` for why not TRIVY_USERNAME). */
async function writeLoginDir(dir, login) {
    const path = (0,external_node_path_.join)(dir, `auth-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}`);
    await (0,promises_.mkdir)(path, { recursive: true, mode: 0o700 });
    const file = (0,external_node_path_.join)(path, 'config.json');
    await (0,promises_.writeFile)(file, (0,args/* dockerConfigJson */.TF)(login), { mode: 0o600 });
    await (0,promises_.chmod)(file, 0o600);
    return path;
}
/** Runs every promise to the end (no scanner left running), then throws the first failure. */
async function allOrFirstError(promises) {
    const settled = await Promise.allSettled(promises);
    const failures = settled.filter((s) => s.status === 'rejected');
    const first = failures[0];
    if (first) {
        if (failures.length > 1 && first.reason instanceof Error) {
            first.reason.message += `\n(${failures.length - 1} other platform scan${failures.length === 2 ? '' : 's'} failed too.)`;
        }
        throw first.reason;
    }
    return settled.map((s) => s.value);
}
async function runScanStage(input) {
    const started = performance.now();
    const database = await input.database;
    // The DB is as good after a failed gate or a crashed scan as after a pass: it is kept for the next run.
    const save = (scansCompleted) => (0,scan_database/* saveDatabase */.Lx)(database, { scansCompleted, ...(input.cache ? { cache: input.cache } : {}) });
    let result;
    try {
        result = await scanWithDatabase(input, database, started);
    }
    catch (error) {
        await save(false);
        throw error;
    }
    const saved = await save(true);
    // The summary holds the same array.
    if (saved.warning)
        result.warnings.push(saved.warning);
    return result;
}
async function scanWithDatabase(input, database, started) {
    const budgetMs = input.timeoutMs ?? DEFAULT_SCAN_TIMEOUT_MS;
    const deadline = Date.now() + budgetMs;
    const remaining = () => Math.max(1000, deadline - Date.now());
    const scanStarted = new Date();
    const dir = (0,external_node_path_.join)(input.workDir, 'scan');
    await (0,promises_.mkdir)(dir, { recursive: true });
    const warnings = [...database.warnings];
    const chosen = scanPlatforms(input.scanner, input.target, input.platforms);
    if (chosen.warning)
        warnings.push(chosen.warning);
    const insecure = (0,args/* targetIsInsecure */.m5)(input.target, input.insecure);
    const baseEnv = (0,run/* withoutScannerVariables */.of)(input.env);
    const secrets = input.login ? [input.login.password] : [];
    let loginDir;
    let grypeConfig;
    if (input.scanner === 'trivy' && input.login)
        loginDir = await writeLoginDir(dir, input.login);
    if (input.scanner === 'grype') {
        grypeConfig = (0,external_node_path_.join)(dir, 'grype-config.yaml');
        await (0,promises_.writeFile)(grypeConfig, args/* GRYPE_SCAN_CONFIG */.R$);
    }
    const scanEnv = input.scanner === 'trivy'
        ? { ...baseEnv, ...(0,args/* trivyEnv */.G7)(loginDir ? { dockerConfigDir: loginDir } : {}) }
        : {
            ...baseEnv,
            ...(0,args/* grypeEnv */.PQ)({
                dbDir: database.dir,
                insecureHttp: insecure,
                ...(input.login ? { login: input.login } : {}),
            }),
        };
    try {
        const several = chosen.platforms.length > 1;
        const plans = chosen.platforms.map((platform) => {
            const suffix = several ? `-${(0,args/* platformSlug */.DN)(platform)}` : '';
            const reportFile = (0,external_node_path_.join)(dir, `${input.scanner}-report${suffix}.json`);
            const sbomFile = (0,external_node_path_.join)(dir, `sbom${suffix}.cdx.json`);
            const target = { ...input.target, ...(platform ? { platform } : {}) };
            if (!platform)
                delete target.platform;
            const common = {
                scanner: input.scanner,
                command: input.scannerPath,
                env: scanEnv,
                secrets,
                cwd: dir,
                budgetMs,
                reportFile,
                ...(platform ? { platform } : {}),
            };
            const timeoutMs = remaining();
            const plan = input.scanner === 'trivy'
                ? {
                    ...common,
                    args: (0,args/* trivyScanArgs */.Rv)({
                        target,
                        cacheDir: database.dir,
                        output: reportFile,
                        insecure,
                        timeoutSeconds: timeoutMs / 1000 + 30,
                        skipJavaDbUpdate: database.java?.ready === true,
                    }),
                    timeoutMs,
                    label: 'trivy image',
                }
                : {
                    ...common,
                    args: (0,args/* grypeScanArgs */.u6)({
                        target,
                        output: reportFile,
                        sbomOutput: sbomFile,
                        ...(grypeConfig ? { configFile: grypeConfig } : {}),
                    }),
                    timeoutMs,
                    extraFiles: [sbomFile],
                    label: 'grype',
                };
            return { plan, platform, reportFile, sbomFile };
        });
        const runs = await allOrFirstError(plans.map(({ plan, platform }) => {
            const baseLayers = input.baseLayers?.[platform ?? input.defaultPlatform ?? ''];
            return (0,run/* runScan */.Hk)(plan, {
                ...(baseLayers ? { baseLayers } : {}),
                ...(input.exec ? { exec: input.exec } : {}),
            });
        }));
        // The SBOM from the same report: grype wrote it in the scan run; trivy converts its JSON, in its own process
        // while this one reads the report, applies the gate and writes the SARIF and the vuln predicate.
        const sbomsWritten = (async () => {
            if (input.scanner === 'trivy') {
                await allOrFirstError(plans.map(({ reportFile, sbomFile, platform }) => (0,run/* runToolStep */.m5)({
                    command: input.scannerPath,
                    args: (0,args/* trivyConvertArgs */.td)('cyclonedx', reportFile, sbomFile),
                    env: { ...baseEnv, ...(0,args/* trivyEnv */.G7)() },
                    cwd: dir,
                    timeoutMs: remaining(),
                    budgetMs,
                    label: `trivy convert --format cyclonedx${platform ? ` (${platform})` : ''}`,
                    output: sbomFile,
                }, input.exec)));
            }
            else {
                for (const { sbomFile, platform } of plans) {
                    const text = await (0,promises_.readFile)(sbomFile, 'utf8').catch(() => '');
                    if (text.trim() === '') {
                        throw new errors/* UserError */.yo(`grype${platform ? ` (${platform})` : ''} wrote its JSON report but no CycloneDX SBOM at ${sbomFile}.`);
                    }
                }
            }
        })();
        // Awaited below; a failure here must not go unhandled while the report is read.
        sbomsWritten.catch(() => undefined);
        const platformReports = plans.map((p, i) => ({
            ...(p.platform ? { platform: p.platform } : {}),
            report: runs[i].report,
        }));
        const report = mergeReports(platformReports, input.imageRef);
        let reportFile = plans[0]?.reportFile ?? '';
        let sbomFile = plans[0]?.sbomFile ?? '';
        if (several) {
            reportFile = (0,external_node_path_.join)(dir, `${input.scanner}-report.json`);
            // Each platform's report is read again here rather than kept in memory through the scans: a report
            // of many thousand findings is parsed one finding at a time, and only a multi-platform image needs it whole.
            const raws = await Promise.all(plans.map(async (p) => JSON.parse(await (0,promises_.readFile)(p.reportFile, 'utf8'))));
            await writeJsonFile(reportFile, mergeRaw(raws, input.scanner, input.imageRef));
        }
        const gate = evaluateGate(report, {
            ...input.gate,
            now: input.gate.now ?? new Date(),
            imageName: input.gate.imageName ?? input.imageRef,
        });
        const sarifFile = (0,external_node_path_.join)(dir, 'results.sarif');
        await writeJsonFile(sarifFile, toSarifForWriting(report, gate, {
            dockerfile: input.dockerfile,
            ...(input.baseImageLine !== undefined ? { baseImageLine: input.baseImageLine } : {}),
            toolVersion: input.scannerVersion,
            imageRef: input.imageRef,
            ...(input.automationId ? { automationId: input.automationId } : {}),
        }));
        // One predicate shape for both scanners (built from the Finding model), so one policy reads either.
        const vulnPredicateFile = (0,external_node_path_.join)(dir, 'vuln-predicate.json');
        await writeJsonFile(vulnPredicateFile, toCosignVulnPredicate(report, {
            scannerUri: SCANNER_URI[input.scanner],
            scannerVersion: input.scannerVersion,
            ...(database.repository ? { dbUri: database.repository } : {}),
            ...(database.updatedAt ? { dbVersion: database.updatedAt.toISOString() } : {}),
            startedOn: scanStarted,
            finishedOn: new Date(),
            ...(input.invocation ? { invocation: input.invocation } : {}),
        }));
        await sbomsWritten;
        if (several) {
            sbomFile = (0,external_node_path_.join)(dir, 'sbom.cdx.json');
            const boms = await Promise.all(plans.map(async (p) => JSON.parse(await (0,promises_.readFile)(p.sbomFile, 'utf8')))).catch((error) => {
                throw new errors/* UserError */.yo(`The scanner's CycloneDX SBOM is not JSON: ${(0,errors/* errorMessage */.gJ)(error)}`, {
                    cause: error,
                });
            });
            await writeJsonFile(sbomFile, mergeCycloneDx(boms, chosen.platforms.filter((p) => !!p)));
        }
        const durationMs = Math.round(performance.now() - started);
        const summary = scanSummary({
            scanner: input.scanner,
            scannerVersion: input.scannerVersion,
            imageRef: input.imageRef,
            platforms: chosen.platforms.filter((p) => !!p),
            ignoreUnfixed: input.gate.ignoreUnfixed,
            gate,
            database,
            warnings,
            durationMs,
        });
        return {
            report,
            gate,
            reportFile,
            sarifFile,
            sbomFile,
            vulnPredicateFile,
            platformReports: plans.map((p) => ({
                ...(p.platform ? { platform: p.platform } : {}),
                reportFile: p.reportFile,
                sbomFile: p.sbomFile,
            })),
            database,
            durationMs,
            warnings,
            summary,
            outputs: {
                vulnerabilities: countsJson(gate.counts),
                'scan-passed': gate.passed ? 'true' : 'false',
                'scan-report': reportFile,
                'sarif-file': sarifFile,
                'sbom-file': sbomFile,
            },
        };
    }
    finally {
        if (loginDir)
            await (0,promises_.rm)(loginDir, { recursive: true, force: true });
    }
}


/***/ })

};
