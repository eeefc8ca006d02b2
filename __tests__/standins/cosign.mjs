#!/usr/bin/env node
// Stand-in for cosign v3: the flags of __tests__/fixtures/upstream/cli/cosign/*.md, cosign's output
// formats and error messages, and a signature store shared by every call of one test, so that
// `cosign sign` followed by `cosign verify` behaves as against a registry and Rekor.
//
// Exit codes of `verify`: signatures in the legacy layout (`.sig` tags; what most publishers of
// base images have) fail with cosign's codes 10 (no signatures), 11 (tag not found) and 12 (no
// matching signature); signatures in the v3 bundle format (what `cosign sign` v3 makes, OCI
// referrers verified through sigstore-go) fail with 1. Which layout an image has is part of the
// scenario (`signedImages[].format`, default legacy); the stand-in's own `sign` writes bundles.
import { Buffer } from 'node:buffer';
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  scryptSync,
  sign as cryptoSign,
  verify as cryptoVerify,
  X509Certificate,
} from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch } from 'node:os';
import { pathToFileURL } from 'node:url';
import { CliError, loadPage, parseArgs, parseSubcommands, splitSubcommand } from './lib/flags.mjs';
import { attachArtifact, credentialsFor, headManifest, isLocalRegistry, parseReference } from './lib/oci.mjs';
import { runTool, sha256Hex } from './lib/runtime.mjs';
// An ESM import of node:http builds its facade, which compiles Node's internal undici (≈ 45 ms on each start of
// a stand-in that mostly never makes a request); require does not.
const { request: httpRequest } = createRequire(import.meta.url)('node:http');

const CERT_OIDS = {
  issuer: '1.3.6.1.4.1.57264.1.1',
  trigger: '1.3.6.1.4.1.57264.1.2',
  sha: '1.3.6.1.4.1.57264.1.3',
  name: '1.3.6.1.4.1.57264.1.4',
  repository: '1.3.6.1.4.1.57264.1.5',
  ref: '1.3.6.1.4.1.57264.1.6',
};

// cosign attest --type shorthands and the predicate types they stand for.
const PREDICATE_TYPES = {
  slsaprovenance: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance02: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance1: 'https://slsa.dev/provenance/v1',
  link: 'https://in-toto.io/Link/v1',
  spdx: 'https://spdx.dev/Document',
  spdxjson: 'https://spdx.dev/Document',
  cyclonedx: 'https://cyclonedx.org/bom',
  vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  openvex: 'https://openvex.dev/ns',
  custom: 'https://cosign.sigstore.dev/attestation/v1',
};

function predicateType(type) {
  if (PREDICATE_TYPES[type]) return PREDICATE_TYPES[type];
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(type)) return type;
  throw new CliError(`invalid predicate type: ${type}`);
}

// ---------------------------------------------------------------------------------------------
// Command line

// Flags the binary parses that its generated reference pages leave out: cobra hides deprecated flags from the
// docs, but still accepts them (with a deprecation note on stderr). verify-blob's --signature and --certificate are
// deprecated in v3 (cmd/cosign/cli/options/verify.go; the messages are what cosign v3.1.3 prints), and so is
// --new-bundle-format of sign, attest, verify and verify-attestation (options/sign.go, attest.go, verify.go).
const NEW_BUNDLE_FORMAT = {
  long: 'new-bundle-format',
  kind: 'bool',
  deprecation: 'this will be the only supported format in future versions',
};
const UNLISTED_FLAGS = {
  sign: [NEW_BUNDLE_FORMAT],
  attest: [NEW_BUNDLE_FORMAT],
  verify: [NEW_BUNDLE_FORMAT],
  'verify-attestation': [NEW_BUNDLE_FORMAT],
  'verify-blob': [
    { long: 'signature', deprecation: 'please use --bundle to provide a signature' },
    {
      long: 'certificate',
      deprecation: 'please use --bundle with --trusted-root to provide the public certificate',
    },
  ],
};

function withUnlisted(command, table) {
  const extra = UNLISTED_FLAGS[command];
  if (!extra) return table;
  const merged = new Map(table);
  for (const { long, kind } of extra) {
    merged.set(long, {
      long,
      short: undefined,
      type: kind === 'bool' ? 'bool' : 'string',
      kind: kind ?? 'value',
      inherited: false,
    });
  }
  return merged;
}

function parse(argv, rt) {
  const root = loadPage(rt.cliDir, 'cosign', []);
  if (!root) throw new Error(`stand-in cosign: ${rt.cliDir}/cosign/cosign.md is missing`);
  const split = splitSubcommand(
    argv,
    root.flags,
    (words) => loadPage(rt.cliDir, 'cosign', words) !== undefined,
  );
  if (split.words.length === 0) {
    const flags = parseArgs(split.rest, root.flags);
    if (split.first === undefined || flags.bool('help')) {
      return { command: 'help', flags, args: argv, help: true, usage: usage(root.text) };
    }
    if (parseSubcommands(root.text, 'cosign').has(split.first)) {
      throw new CliError(
        `stand-in: no upstream reference page for "cosign ${split.first}" in __tests__/fixtures/upstream/cli/cosign; add it to use this subcommand`,
      );
    }
    throw new CliError(`unknown command "${split.first}" for "cosign"\nRun 'cosign --help' for usage.`);
  }
  const page = loadPage(rt.cliDir, 'cosign', split.words);
  const command = split.words.join(' ');
  const flags = parseArgs(split.rest, withUnlisted(command, page.flags), { envPrefix: 'COSIGN' });
  const positionals = flags.positionals;
  if (
    (command === 'sign' || command === 'attest') &&
    flags.has('new-bundle-format') &&
    !flags.bool('new-bundle-format') &&
    !(flags.has('use-signing-config') && !flags.bool('use-signing-config')) &&
    !flags.has('bundle')
  ) {
    // What cosign v3.1.3 says (signcommon.LoadTrustedMaterialAndSigningConfig): the old format has no signing config.
    throw new CliError(
      'must provide --new-bundle-format or --bundle where applicable with --signing-config or --use-signing-config',
    );
  }
  if (command !== 'verify-blob') {
    for (const { long, deprecation } of UNLISTED_FLAGS[command] ?? []) {
      if (flags.has(long)) rt.err(`Flag --${long} has been deprecated, ${deprecation}\n`);
    }
  }
  const passwordFromStdin =
    process.env.COSIGN_PASSWORD === undefined &&
    (command === 'generate-key-pair' ||
      ((command === 'sign' || command === 'attest' || command === 'public-key') && flags.has('key')));
  return {
    command,
    flags,
    args: split.rest,
    help: flags.bool('help'),
    usage: usage(page.text),
    readsStdin:
      (command === 'attest' && flags.get('predicate') === '-') ||
      (command === 'verify-blob' && positionals[0] === '-') ||
      passwordFromStdin,
    stdinIsSecret: passwordFromStdin,
    // A blob is bytes (an archive as it downloads): read as bytes, logged by its hash and size.
    stdinIsBlob: command === 'verify-blob' && positionals[0] === '-',
  };
}

function usage(pageText) {
  const synopsis = /```\n(cosign[^\n]*)\n```/.exec(pageText)?.[1] ?? 'cosign [flags]';
  return `Usage:\n  ${synopsis}\n`;
}

// cobra prints the error, then cosign's main logs it again through log.Printf (short file prefix).
function fail(rt, message) {
  rt.err(`Error: ${message}\nmain.go:74: error during command execution: ${message}\n`);
}

function requireArgs(inv, min) {
  if (inv.flags.positionals.length < min) {
    throw new CliError(`requires at least ${min} arg(s), only received ${inv.flags.positionals.length}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Keys

const SIGSTORE_ARMOR = 'ENCRYPTED SIGSTORE PRIVATE KEY';
const SCRYPT = { N: 32768, r: 8, p: 1 };

function pem(label, der) {
  const body = der
    .toString('base64')
    .match(/.{1,64}/g)
    .join('\n');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

function pemBody(text, label) {
  const match = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(text);
  return match ? Buffer.from(match[1].replace(/\s+/g, ''), 'base64') : undefined;
}

// cosign's private key file: scrypt-derived key, JSON envelope, "ENCRYPTED SIGSTORE PRIVATE KEY"
// armor. node:crypto has no nacl secretbox, so the ciphertext here is AES-256-GCM under the same
// envelope; only this stand-in ever decrypts it.
function encryptPrivateKey(privateKey, password) {
  const salt = randomBytes(32);
  const nonce = randomBytes(24);
  const key = scryptSync(password, salt, 32, { ...SCRYPT, maxmem: 64 * 1024 * 1024 });
  const cipher = createCipheriv('aes-256-gcm', key, nonce.subarray(0, 12));
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const ciphertext = Buffer.concat([cipher.update(der), cipher.final(), cipher.getAuthTag()]);
  const envelope = {
    kdf: { name: 'scrypt', params: SCRYPT, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: ciphertext.toString('base64'),
  };
  return pem(SIGSTORE_ARMOR, Buffer.from(JSON.stringify(envelope)));
}

function decryptPrivateKey(text, password) {
  const envelope = JSON.parse(pemBody(text, SIGSTORE_ARMOR).toString('utf8'));
  const params = envelope.kdf.params;
  const key = scryptSync(password, Buffer.from(envelope.kdf.salt, 'base64'), 32, {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 64 * 1024 * 1024,
  });
  const data = Buffer.from(envelope.ciphertext, 'base64');
  const decipher = createDecipheriv(
    'aes-256-gcm',
    key,
    Buffer.from(envelope.cipher.nonce, 'base64').subarray(0, 12),
  );
  decipher.setAuthTag(data.subarray(data.length - 16));
  try {
    const der = Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    throw new CliError('reading key: decrypt: encrypted: decryption failed');
  }
}

function readKeyRef(ref) {
  if (ref.startsWith('env://')) {
    const name = ref.slice('env://'.length);
    const value = process.env[name];
    if (value === undefined)
      throw new CliError(`loading public key: reading key: environment variable ${name} not set`);
    return { text: value };
  }
  if (/^(awskms|gcpkms|azurekms|hashivault|k8s|gitlab|pkcs11):\/\//.test(ref)) return { uri: ref };
  if (!existsSync(ref)) throw new CliError(`loading public key: open ${ref}: no such file or directory`);
  return { text: readFileSync(ref, 'utf8') };
}

function spkiOf(publicKey) {
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** What a --key of `verify` names: { spki } for a PEM public key (or certificate), { uri } for KMS. */
function verificationKey(ref) {
  const material = readKeyRef(ref);
  if (material.uri) return { uri: material.uri };
  try {
    if (material.text.includes('CERTIFICATE'))
      return { spki: spkiOf(new X509Certificate(material.text).publicKey) };
    return { spki: spkiOf(createPublicKey(material.text)) };
  } catch {
    throw new CliError(`loading public key: PEM decoding failed`);
  }
}

/** What a --key of `sign`/`attest` names: { privateKey, spki } or { uri } for KMS. */
function signingKey(ref, inv) {
  const material = readKeyRef(ref);
  if (material.uri) return { uri: material.uri };
  let privateKey;
  if (material.text.includes(SIGSTORE_ARMOR)) {
    const password = process.env.COSIGN_PASSWORD ?? inv.stdin ?? '';
    privateKey = decryptPrivateKey(material.text, password.replace(/\r?\n$/, ''));
  } else {
    try {
      privateKey = createPrivateKey(material.text);
    } catch {
      throw new CliError('reading key: invalid pem block');
    }
  }
  return { privateKey, spki: spkiOf(createPublicKey(privateKey)) };
}

// ---------------------------------------------------------------------------------------------
// Identity tokens (keyless)

function decodeJwt(token) {
  const parts = token.trim().split('.');
  if (parts.length !== 3)
    throw new CliError('getting signer: getting key from Fulcio: oidc: malformed jwt, expected 3 parts');
  return {
    header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
    claims: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
    parts,
  };
}

function fetchAmbientToken() {
  const url = new URL(`${process.env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=sigstore`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { headers: { Authorization: `bearer ${process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` }, agent: false },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200)
            reject(
              new CliError(
                `getting signer: getting key from Fulcio: fetching ambient OIDC credentials: ${res.statusCode} ${text}`,
              ),
            );
          else resolve(JSON.parse(text).value);
        });
      },
    );
    req.on('error', (e) =>
      reject(new CliError(`getting signer: fetching ambient OIDC credentials: ${e.message}`)),
    );
    req.end();
  });
}

/** The signer of a keyless signature, as Fulcio would certify it from the identity token. */
async function keylessSigner(inv, rt) {
  let token = inv.flags.get('identity-token') || undefined;
  if (token !== undefined && existsSync(token)) token = readFileSync(token, 'utf8').trim();
  // An empty variable counts as unset, as cosign's env lookup treats it.
  token ??= process.env.SIGSTORE_ID_TOKEN || undefined;
  const ambient =
    !inv.flags.bool('oidc-disable-ambient-providers') &&
    [undefined, 'github-actions'].includes(inv.flags.get('oidc-provider')) &&
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL &&
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (token === undefined && ambient) token = await fetchAmbientToken();
  if (token === undefined || token === '') {
    throw new CliError(
      'getting signer: getting key from Fulcio: no identity token: not in a terminal, and no SIGSTORE_ID_TOKEN, --identity-token or ambient GitHub Actions credentials',
    );
  }
  const { header, claims, parts } = decodeJwt(token);
  const fulcio =
    'getting signer: getting key from Fulcio: retrieving cert: POST https://fulcio.sigstore.dev/api/v2/signingCert';
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes('sigstore')) {
    throw new CliError(
      `${fulcio}: [401] oidc: expected audience "sigstore" got ${JSON.stringify(audiences)}`,
    );
  }
  if (typeof claims.exp === 'number' && claims.exp < Date.now() / 1000) {
    throw new CliError(
      `${fulcio}: [401] oidc: token is expired (Token Expiry: ${new Date(claims.exp * 1000).toISOString()})`,
    );
  }
  // Fulcio checks the token against the issuer's keys; the scenario can hand over those keys.
  const issuerKey = rt.scenario.oidcPublicKeyPem;
  if (issuerKey) {
    const ok =
      header.alg === 'RS256' &&
      cryptoVerify(
        'sha256',
        Buffer.from(`${parts[0]}.${parts[1]}`),
        createPublicKey(issuerKey),
        Buffer.from(parts[2], 'base64url'),
      );
    if (!ok)
      throw new CliError(
        `${fulcio}: [401] oidc: failed to verify signature: failed to verify id token signature`,
      );
  }
  const identity = claims.job_workflow_ref
    ? `https://github.com/${claims.job_workflow_ref}`
    : (claims.email ?? claims.sub);
  const github = claims.job_workflow_ref
    ? {
        trigger: claims.event_name,
        sha: claims.sha,
        name: claims.workflow,
        repository: claims.repository,
        ref: claims.ref,
      }
    : undefined;
  return { identity, issuer: claims.iss, github };
}

// ---------------------------------------------------------------------------------------------
// The signature store: what the scenario declares plus what `sign`/`attest` recorded.

function records(rt) {
  const declared = [];
  for (const image of rt.scenario.signedImages ?? []) {
    const parsed = parseReference(image.image);
    const common = {
      name: parsed.name,
      digest: image.digest ?? parsed.digest,
      identity: image.identity,
      issuer: image.issuer,
      spki: image.publicKey ? publicKeySpki(image.publicKey) : undefined,
      uri: image.publicKey && !image.publicKey.includes('-----') ? image.publicKey : undefined,
      format: image.format ?? 'legacy',
      annotations: image.annotations ?? {},
      github: image.github,
      logIndex: 100000000 + declared.length,
      integratedTime: 1700000000,
    };
    declared.push({ ...common, kind: 'signature' });
    for (const att of image.attestations ?? []) {
      declared.push({
        ...common,
        kind: 'attestation',
        predicateType: att.predicateType,
        predicate: att.predicate ?? {},
      });
    }
  }
  return [...declared, ...rt.readJson('signatures.json', [])];
}

function publicKeySpki(text) {
  if (!text.includes('-----')) return undefined;
  return text.includes('CERTIFICATE')
    ? spkiOf(new X509Certificate(text).publicKey)
    : spkiOf(createPublicKey(text));
}

function tagDigests(rt) {
  const map = new Map();
  for (const image of rt.scenario.signedImages ?? []) {
    const parsed = parseReference(image.image);
    // `image: 'repo:tag'` with `digest` says what the tag resolves to.
    if (image.digest && !parsed.digest && /:[^/]+$/.test(image.image))
      map.set(`${parsed.name}:${parsed.tag}`, image.digest);
    for (const [tag, digest] of Object.entries(image.tags ?? {})) map.set(`${parsed.name}:${tag}`, digest);
  }
  for (const [ref, digest] of Object.entries(rt.scenario.tags ?? {})) {
    const parsed = parseReference(ref);
    map.set(`${parsed.name}:${parsed.tag}`, digest);
  }
  return map;
}

function registryCredentials(inv, registry) {
  const username = inv.flags.get('registry-username');
  const password = inv.flags.get('registry-password');
  return credentialsFor(
    registry,
    username !== undefined ? { username, password: password ?? '' } : undefined,
  );
}

/** The digest `ref` names: its own, the scenario's for its tag, or the local registry's answer. */
async function resolveDigest(rt, inv, ref) {
  if (ref.digest) return ref.digest;
  const known = tagDigests(rt).get(`${ref.name}:${ref.tag}`);
  if (known) return known;
  if (isLocalRegistry(ref.registry)) {
    const head = await headManifest(ref, registryCredentials(inv, ref.registry));
    if (head.missing) throw new CliError(`image tag not found: ${head.missing}`, 11);
    return head.digest;
  }
  throw new CliError(
    `GET https://${ref.registry}/v2/${ref.repository}/manifests/${ref.tag}: dial tcp: lookup ${ref.registry}: no such host (stand-in: no registry here; give the tag's digest in the scenario)`,
  );
}

// ---------------------------------------------------------------------------------------------
// verify / verify-attestation

function goRegexp(pattern, what) {
  let source = pattern;
  let flags = '';
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    flags = 'i';
  }
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new CliError(`malformed ${what} in identity: ${pattern} : error parsing regexp: ${error.message}`);
  }
}

/** cosign's keyless flag rules: an identity and an issuer, each exact or as a regexp. */
function expectedIdentity(inv) {
  const f = inv.flags;
  if (f.has('key') || f.bool('sk')) return undefined;
  if (!f.has('certificate-identity') && !f.has('certificate-identity-regexp')) {
    throw new CliError(
      '--certificate-identity or --certificate-identity-regexp is required for verification in keyless mode',
    );
  }
  if (!f.has('certificate-oidc-issuer') && !f.has('certificate-oidc-issuer-regexp')) {
    throw new CliError(
      '--certificate-oidc-issuer or --certificate-oidc-issuer-regexp is required for verification in keyless mode',
    );
  }
  return {
    subject: f.get('certificate-identity'),
    subjectRegexp: f.has('certificate-identity-regexp')
      ? goRegexp(f.get('certificate-identity-regexp'), 'subject')
      : undefined,
    issuer: f.get('certificate-oidc-issuer'),
    issuerRegexp: f.has('certificate-oidc-issuer-regexp')
      ? goRegexp(f.get('certificate-oidc-issuer-regexp'), 'issuer')
      : undefined,
    github: {
      trigger: f.get('certificate-github-workflow-trigger'),
      sha: f.get('certificate-github-workflow-sha'),
      name: f.get('certificate-github-workflow-name'),
      repository: f.get('certificate-github-workflow-repository'),
      ref: f.get('certificate-github-workflow-ref'),
    },
  };
}

function annotationsWanted(inv) {
  const wanted = {};
  for (const pair of inv.flags.all('annotations')) {
    const eq = pair.indexOf('=');
    if (eq === -1) throw new CliError(`unable to parse annotation: ${pair}`);
    wanted[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return wanted;
}

const WORKFLOW_CHECKS = [
  ['trigger', 'expected GitHub Workflow Trigger not found in certificate'],
  ['sha', 'expected GitHub Workflow SHA not found in certificate'],
  ['name', 'expected GitHub Workflow Name not found in certificate'],
  ['repository', 'expected GitHub Workflow Repository not found in certificate'],
  ['ref', 'expected GitHub Workflow Ref not found in certificate'],
];

/** Why `record` does not satisfy the verify flags, in cosign's words for its format; or null. */
function mismatch(record, inv, key, expected) {
  const bundle = record.format === 'bundle';
  if (key) {
    const same = key.uri ? record.uri === key.uri : record.spki !== undefined && record.spki === key.spki;
    if (same) return null;
    return bundle
      ? 'failed to verify signature: could not verify message: ecdsa: signature verification failed'
      : 'invalid signature when validating ASN.1 encoded signature';
  }
  if (!record.identity)
    return bundle
      ? 'failed to verify signature: bundle has no certificate'
      : 'no certificate found on signature';
  for (const [field, message] of WORKFLOW_CHECKS) {
    const want = expected.github[field];
    if (want !== undefined && record.github?.[field] !== want) return message;
  }
  const subjectOk = expected.subjectRegexp
    ? expected.subjectRegexp.test(record.identity)
    : record.identity === expected.subject;
  const issuerOk = expected.issuerRegexp
    ? expected.issuerRegexp.test(record.issuer ?? '')
    : record.issuer === expected.issuer;
  if (subjectOk && issuerOk) return null;
  if (!bundle) {
    return `none of the expected identities matched what was in the certificate, got subjects [${record.identity}] with issuer ${record.issuer}`;
  }
  const last = !subjectOk
    ? expected.subjectRegexp
      ? `expected SAN value to match regex ${JSON.stringify(inv.flags.get('certificate-identity-regexp'))}, got ${JSON.stringify(record.identity)}`
      : `expected SAN value ${JSON.stringify(expected.subject)}, got ${JSON.stringify(record.identity)}`
    : expected.issuerRegexp
      ? `expected issuer value to match regex ${JSON.stringify(inv.flags.get('certificate-oidc-issuer-regexp'))}, got ${JSON.stringify(record.issuer)}`
      : `expected issuer value ${JSON.stringify(expected.issuer)}, got ${JSON.stringify(record.issuer)}`;
  return `failed to verify certificate identity: no matching CertificateIdentity found, last error: ${last}`;
}

function annotationMismatch(record, wanted) {
  for (const [k, v] of Object.entries(wanted)) {
    if (String(record.annotations?.[k]) !== v) return 'missing or incorrect annotation';
  }
  return null;
}

function fakeBundle(record) {
  const body = Buffer.from(
    JSON.stringify({
      apiVersion: '0.0.1',
      kind: 'hashedrekord',
      spec: { data: { hash: { algorithm: 'sha256', value: sha256Hex(record.digest ?? '') } } },
    }),
  ).toString('base64');
  return {
    SignedEntryTimestamp: Buffer.from(sha256Hex(`${record.logIndex}`), 'hex').toString('base64'),
    Payload: {
      body,
      integratedTime: record.integratedTime,
      logIndex: record.logIndex,
      logID: 'c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d',
    },
  };
}

/** The element of `cosign verify`'s JSON array for one verified signature. */
function verifyOutput(record, ref, digest) {
  let optional;
  if (record.format === 'bundle') {
    optional = Object.keys(record.annotations ?? {}).length ? { ...record.annotations } : null;
  } else {
    optional = { ...(record.annotations ?? {}) };
    if (record.identity) {
      optional[CERT_OIDS.issuer] = record.issuer;
      if (record.github) {
        for (const field of ['trigger', 'sha', 'name', 'repository', 'ref']) {
          if (record.github[field] !== undefined) optional[CERT_OIDS[field]] = record.github[field];
        }
        optional.githubWorkflowTrigger = record.github.trigger;
        optional.githubWorkflowSha = record.github.sha;
        optional.githubWorkflowName = record.github.name;
        optional.githubWorkflowRepository = record.github.repository;
        optional.githubWorkflowRef = record.github.ref;
      }
      optional.Issuer = record.issuer;
      optional.Subject = record.identity;
    }
    optional.Bundle = fakeBundle(record);
  }
  return {
    critical: {
      identity: { 'docker-reference': record.name ?? ref.name },
      image: { 'docker-manifest-digest': digest },
      type: 'cosign container image signature',
    },
    optional,
  };
}

function verificationHeader(rt, inv, ref, keyed) {
  const lines = [`\nVerification for ${ref.ref} --`];
  lines.push('The following checks were performed on each of these signatures:');
  if (inv.flags.bool('check-claims', true)) {
    if (Object.keys(annotationsWanted(inv)).length)
      lines.push('  - The specified annotations were verified.');
    lines.push('  - The cosign claims were validated');
  }
  if (!inv.flags.bool('insecure-ignore-tlog'))
    lines.push('  - Existence of the claims in the transparency log was verified offline');
  if (keyed) lines.push('  - The signatures were verified against the specified public key');
  else
    lines.push(
      '  - The code-signing certificate was verified using trusted certificate authority certificates',
    );
  rt.err(lines.join('\n') + '\n');
}

async function verifyEach(inv, rt, kind) {
  requireArgs(inv, 1);
  const expected = expectedIdentity(inv);
  const key = inv.flags.has('key') ? verificationKey(inv.flags.get('key')) : undefined;
  const wanted = annotationsWanted(inv);
  const wantType = kind === 'attestation' ? predicateType(inv.flags.get('type', 'custom')) : undefined;
  if (inv.flags.bool('insecure-ignore-tlog')) {
    rt.err(
      'WARNING: Skipping tlog verification is an insecure practice that lacks transparency and auditability verification for the signature.\n',
    );
  }
  const all = records(rt);
  for (const image of inv.flags.positionals) {
    const ref = parseReference(image);
    const digest = await resolveDigest(rt, inv, ref);
    const candidates = all.filter(
      (r) => r.kind === kind && r.name === ref.name && (r.digest === undefined || r.digest === digest),
    );
    if (candidates.length === 0) {
      if (kind === 'attestation') throw new CliError('no matching attestations: no attestations found');
      throw new CliError('no signatures found', 10);
    }
    const typed = wantType ? candidates.filter((r) => r.predicateType === wantType) : candidates;
    if (typed.length === 0) {
      const found = [...new Set(candidates.map((r) => r.predicateType))].join(', ');
      throw new CliError(
        `none of the attestations matched the predicate type: ${inv.flags.get('type', 'custom')}, found: ${found}`,
      );
    }
    const errors = [];
    const verified = [];
    for (const record of typed) {
      const why = mismatch(record, inv, key, expected) ?? annotationMismatch(record, wanted);
      if (why) errors.push({ why, record });
      else verified.push(record);
    }
    if (verified.length === 0) {
      const allBundle = errors.every((e) => e.record.format === 'bundle');
      const prefix = kind === 'attestation' ? 'no matching attestations' : 'no matching signatures';
      throw new CliError(
        `${prefix}: ${errors.map((e) => e.why).join('\n ')}`,
        kind === 'signature' && !allBundle ? 12 : 1,
      );
    }
    verificationHeader(rt, inv, ref, key !== undefined);
    if (kind === 'signature') {
      const outputs = verified.map((r) => verifyOutput(r, ref, digest));
      if (inv.flags.get('output', 'json') === 'text') {
        for (const r of verified) {
          if (r.identity) rt.err(`Certificate subject: ${r.identity}\nCertificate issuer URL: ${r.issuer}\n`);
        }
        rt.out(outputs.map((o) => JSON.stringify(o)).join('\n') + '\n');
      } else {
        rt.out(`\n${JSON.stringify(outputs)}\n`);
      }
    } else {
      for (const r of verified) rt.out(JSON.stringify(envelope(r, ref, digest)) + '\n');
    }
  }
  return 0;
}

function statement(record, name, digest) {
  return {
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: record.predicateType,
    subject: [{ name, digest: { sha256: digest.replace(/^sha256:/, '') } }],
    predicate: record.predicate ?? {},
  };
}

function envelope(record, ref, digest) {
  const payload = Buffer.from(JSON.stringify(statement(record, record.name ?? ref.name, digest)));
  return {
    payloadType: 'application/vnd.in-toto+json',
    payload: payload.toString('base64'),
    signatures: [{ keyid: '', sig: record.signature ?? randomBytes(70).toString('base64') }],
  };
}

// ---------------------------------------------------------------------------------------------
// sign / attest

const TAG_WARNING = (ref) =>
  `WARNING: Image reference ${ref} uses a tag, not a digest, to identify the image to sign.\n` +
  '    This can lead you to sign a different image than the intended one. Please use a\n' +
  '    digest (example.com/ubuntu@sha256:abc123...) rather than tag\n' +
  '    (example.com/ubuntu:latest) for the input to cosign. The ability to refer to\n' +
  '    images by tag will be removed in a future release.\n';

function simpleSigning(name, digest, annotations) {
  return {
    critical: {
      identity: { 'docker-reference': name },
      image: { 'docker-manifest-digest': digest },
      type: 'cosign container image signature',
    },
    optional: Object.keys(annotations).length ? annotations : null,
  };
}

async function signer(inv, rt) {
  if (inv.flags.has('key')) {
    const key = signingKey(inv.flags.get('key'), inv);
    return { key };
  }
  return { keyless: await keylessSigner(inv, rt) };
}

async function signOrAttest(inv, rt, kind) {
  requireArgs(inv, 1);
  const verb = kind === 'signature' ? 'signing' : 'signing attestation for';
  let predicate;
  let type;
  if (kind === 'attestation') {
    const path = inv.flags.get('predicate');
    if (path === undefined && !inv.flags.has('statement'))
      throw new CliError('required flag(s) "predicate" not set');
    type = predicateType(inv.flags.get('type', 'custom'));
    const text =
      path === '-'
        ? inv.stdin
        : path !== undefined
          ? readIfExists(path)
          : readIfExists(inv.flags.get('statement'));
    try {
      predicate = JSON.parse(text);
    } catch (error) {
      throw new CliError(`${verb} ${inv.flags.positionals[0]}: invalid predicate: ${error.message}`);
    }
  }
  if (!inv.flags.bool('yes')) {
    rt.err(
      '\n\tThe sigstore service, hosted by sigstore a Series of LF Projects, LLC, is provided pursuant to the Hosted Project Tools Terms of Use, available at https://lfprojects.org/policies/hosted-project-tools-immutable-records/.\n' +
        '\tNote that if your submission includes personal data associated with this signed artifact, it will be part of an immutable record.\n' +
        '\tThis may include the email address associated with the account with which you authenticate your contractual Agreement.\n' +
        '\tThis information will be used for signing this artifact and will be stored in public transparency logs and cannot be removed later, and is subject to the Immutable Record notice at https://lfprojects.org/policies/hosted-project-tools-immutable-records/.\n\n' +
        "By typing 'y', you attest that (1) you are not submitting the personal data of any other person; and (2) you understand and agree to the statement and the Agreement terms at the URLs listed above.\n" +
        'Are you sure you would like to continue? [y/N] ',
    );
    throw new CliError(
      `${verb} ${inv.flags.positionals.join(' ')}: no confirmation: not in a terminal and --yes not set`,
    );
  }
  const refs = inv.flags.positionals.map((image) => parseReference(image));
  for (const ref of refs) {
    if (!ref.digest) {
      rt.err(TAG_WARNING(ref.input));
      throw new CliError(
        `${verb} [${ref.input}]: stand-in cosign refuses to sign a tag; sign the digest the push reported`,
      );
    }
  }
  const who = await signer(inv, rt);
  if (who.keyless)
    rt.err('Generating ephemeral keys...\nRetrieving signed certificate...\nSuccessfully verified SCT...\n');
  const wanted = annotationsWanted(inv);
  const upload = kind === 'signature' ? inv.flags.bool('upload', true) : !inv.flags.bool('no-upload');
  // --recursive: an index's platform images are signed too (cosign walks the index's manifests).
  if (kind === 'signature' && inv.flags.bool('recursive')) refs.push(...(await indexChildren(inv, refs)));
  for (const ref of refs) {
    const credentials = registryCredentials(inv, ref.registry);
    if (isLocalRegistry(ref.registry)) {
      const head = await headManifest(ref, credentials);
      if (head.missing) throw new CliError(`${verb} [${ref.input}]: accessing entity: ${head.missing}`);
    }
    const ephemeral =
      who.key?.privateKey ??
      (who.key ? undefined : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    const record = {
      kind,
      name: ref.name,
      digest: ref.digest,
      identity: who.keyless?.identity,
      issuer: who.keyless?.issuer,
      github: who.keyless?.github,
      spki: who.key?.spki,
      uri: who.key?.uri,
      format: rt.scenario.signFormat ?? 'bundle',
      annotations: wanted,
      predicateType: type,
      predicate,
      integratedTime: Math.floor(Date.now() / 1000),
      time: new Date().toISOString(),
    };
    const payload = Buffer.from(
      JSON.stringify(
        kind === 'signature'
          ? simpleSigning(ref.name, ref.digest, wanted)
          : statement(record, ref.name, ref.digest),
      ),
    );
    record.signature = ephemeral
      ? cryptoSign('sha256', payload, ephemeral).toString('base64')
      : randomBytes(70).toString('base64');
    if (!upload) {
      if (kind === 'attestation') rt.out(JSON.stringify(envelope(record, ref, ref.digest)) + '\n');
      continue;
    }
    record.logIndex = 160000000 + rt.bump('tlog');
    rt.err(`tlog entry created with index: ${record.logIndex}\n`);
    if (isLocalRegistry(ref.registry)) {
      const layer =
        kind === 'signature'
          ? {
              mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
              content: payload,
              annotations: sigAnnotations(record),
            }
          : {
              mediaType: 'application/vnd.dsse.envelope.v1+json',
              content: Buffer.from(JSON.stringify(envelope(record, ref, ref.digest))),
              annotations: { predicateType: type, ...sigAnnotations(record) },
            };
      const pushed = await attachArtifact(
        ref,
        ref.digest,
        kind === 'signature' ? 'sig' : 'att',
        layer,
        credentials,
      );
      rt.err(
        `Pushing ${kind === 'signature' ? 'signature' : 'attestation'} to: ${pushed.replace(/:[^:/]+$/, '')}\n`,
      );
    }
    rt.withLock(() => {
      const stored = rt.readJson('signatures.json', []);
      stored.push(record);
      rt.writeJson('signatures.json', stored);
    });
    const bundlePath = inv.flags.get('bundle');
    if (bundlePath) writeFileSync(bundlePath, JSON.stringify(sigstoreBundle(record, payload), null, 2));
  }
  return 0;
}

/** The platform manifests of each index among `refs` on a local registry, as digest references. */
async function indexChildren(inv, refs) {
  const children = [];
  for (const ref of refs) {
    if (!isLocalRegistry(ref.registry)) continue;
    const head = await headManifest(ref, registryCredentials(inv, ref.registry));
    if (head.missing || !/image\.index|manifest\.list/.test(head.mediaType ?? '')) continue;
    for (const entry of JSON.parse(head.body.toString('utf8')).manifests ?? []) {
      children.push(parseReference(`${ref.name}@${entry.digest}`));
    }
  }
  return children;
}

function readIfExists(path) {
  return readBytesIfExists(path).toString('utf8');
}

function readBytesIfExists(path) {
  if (!existsSync(path)) throw new CliError(`open ${path}: no such file or directory`);
  return readFileSync(path);
}

function sigAnnotations(record) {
  return {
    'dev.cosignproject.cosign/signature': record.signature,
    'dev.sigstore.cosign/bundle': JSON.stringify(fakeBundle(record)),
    // A real signature carries a Fulcio certificate here; the stand-in names the signer instead.
    ...(record.identity
      ? {
          'dev.secure-image.standin/identity': record.identity,
          'dev.secure-image.standin/issuer': record.issuer,
        }
      : {}),
  };
}

function sigstoreBundle(record, payload) {
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: {
      ...(record.spki ? { publicKey: { hint: sha256Hex(record.spki) } } : {}),
      tlogEntries: [
        {
          logIndex: String(record.logIndex),
          logId: { keyId: 'wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=' },
          kindVersion: { kind: 'hashedrekord', version: '0.0.1' },
          integratedTime: String(record.integratedTime),
        },
      ],
    },
    messageSignature: {
      messageDigest: {
        algorithm: 'SHA2_256',
        digest: Buffer.from(sha256Hex(payload), 'hex').toString('base64'),
      },
      signature: record.signature,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// verify-blob, generate-key-pair, version

function verifyBlob(inv, rt) {
  const f = inv.flags;
  if (f.positionals.length !== 1) throw new CliError(`accepts 1 arg(s), received ${f.positionals.length}`);
  const blobPath = f.positionals[0];
  const expected = expectedIdentity(inv);
  const bundlePath = f.get('bundle');
  if (bundlePath === undefined && f.has('signature')) return verifyBlobSignature(inv, rt, blobPath, expected);
  if (bundlePath === undefined)
    throw new CliError(`verifying blob [${blobPath}]: --bundle is required (v3 verifies bundles)`);
  // Blobs are bytes (a .tar.gz, a binary): hash them as read, never through a text decoding.
  // A blob on stdin was read through a hash as it came (see digestStdin); a file is read here.
  const blob = blobPath === '-' ? undefined : readBytesIfExists(blobPath);
  if (!existsSync(bundlePath)) throw new CliError(`open ${bundlePath}: no such file or directory`);
  let bundle;
  try {
    bundle = JSON.parse(readFileSync(bundlePath, 'utf8'));
  } catch (error) {
    throw new CliError(`verifying blob [${blobPath}]: unable to parse bundle: ${error.message}`);
  }
  const digest = bundle?.messageSignature?.messageDigest?.digest;
  const blobSha256 = blob === undefined ? inv.stdinSha256 : sha256Hex(blob);
  if (digest && digest !== Buffer.from(blobSha256, 'hex').toString('base64')) {
    throw new CliError(
      'failed to verify signature: could not verify message: provided artifact digest does not match digest in bundle',
    );
  }
  const declared = (rt.scenario.blobs ?? []).find(
    (b) => b.match === undefined || blobPath.includes(b.match) || bundlePath.includes(b.match),
  );
  if (declared?.fail) {
    rt.err(declared.fail.stderr ?? '');
    return declared.fail.exitCode ?? 1;
  }
  const signer = declared ?? certificateSigner(bundle);
  if (signer && expected) {
    const record = { ...signer, format: 'bundle' };
    const why = mismatch(record, inv, undefined, expected);
    if (why) throw new CliError(why);
  }
  if (signer && f.has('key')) {
    const key = verificationKey(f.get('key'));
    if (signer.spki === undefined || signer.spki !== key.spki) {
      throw new CliError(
        'failed to verify signature: could not verify message: ecdsa: signature verification failed',
      );
    }
  }
  rt.err('Verified OK\n');
  return 0;
}

/**
 * `verify-blob --signature <file> --certificate <file>`, goreleaser's pair (grype before v0.120.0): the signature
 * (base64) is checked against the blob with the certificate's public key, for real; the signer is the
 * certificate's, unless the scenario declares one. A blob on stdin cannot be checked this way here.
 */
function verifyBlobSignature(inv, rt, blobPath, expected) {
  const f = inv.flags;
  for (const { long, deprecation } of UNLISTED_FLAGS['verify-blob']) {
    if (f.has(long)) rt.err(`Flag --${long} has been deprecated, ${deprecation}\n`);
  }
  if (!f.has('certificate')) {
    throw new CliError(`verifying blob [${blobPath}]: a certificate is required for keyless verification`);
  }
  if (blobPath === '-') throw new CliError('stand-in cosign: --signature needs the blob in a file');
  const readArg = (value) => (existsSync(value) ? readFileSync(value, 'utf8') : value).trim();
  const certText = readArg(f.get('certificate'));
  const pem = certText.startsWith('-----BEGIN') ? certText : Buffer.from(certText, 'base64').toString('utf8');
  let cert;
  try {
    cert = new X509Certificate(pem);
  } catch (error) {
    throw new CliError(`loading certificate from ${f.get('certificate')}: ${error.message}`);
  }
  const signature = Buffer.from(readArg(f.get('signature')), 'base64');
  const blob = readBytesIfExists(blobPath);
  if (!blob) throw new CliError(`open ${blobPath}: no such file or directory`);
  if (!cryptoVerify('sha256', blob, cert.publicKey, signature)) {
    throw new CliError('invalid signature when validating ASN.1 encoded signature');
  }
  const declared = (rt.scenario.blobs ?? []).find((b) => b.match === undefined || blobPath.includes(b.match));
  if (declared?.fail) {
    rt.err(declared.fail.stderr ?? '');
    return declared.fail.exitCode ?? 1;
  }
  const signer =
    declared ??
    certificateSigner({ verificationMaterial: { certificate: { rawBytes: cert.raw.toString('base64') } } });
  if (signer && expected) {
    const why = mismatch({ ...signer, format: 'bundle' }, inv, undefined, expected);
    if (why) throw new CliError(why);
  }
  rt.err('Verified OK\n');
  return 0;
}

/** The SAN of a real bundle's certificate, when the bundle carries one. */
function certificateSigner(bundle) {
  const raw =
    bundle?.verificationMaterial?.certificate?.rawBytes ??
    bundle?.verificationMaterial?.x509CertificateChain?.certificates?.[0]?.rawBytes;
  if (!raw) return undefined;
  try {
    const cert = new X509Certificate(Buffer.from(raw, 'base64'));
    const uri = /URI:([^,]+)/.exec(cert.subjectAltName ?? '')?.[1];
    const email = /email:([^,]+)/.exec(cert.subjectAltName ?? '')?.[1];
    const der = cert.raw;
    // Fulcio's issuer extension (1.3.6.1.4.1.57264.1.8 or .1.1): the UTF-8 string after its OID.
    const issuer = /https:\/\/[\x21-\x7e]+/.exec(
      der.toString(
        'latin1',
        der.indexOf(Buffer.from([0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01])),
      ),
    )?.[0];
    return { identity: uri ?? email, issuer };
  } catch {
    return undefined;
  }
}

function kmsKey(uri) {
  const pkcs8Ed25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
  const seed = Buffer.from(sha256Hex(Buffer.from(`stand-in kms ${uri}`)), 'hex');
  return createPrivateKey({ key: Buffer.concat([pkcs8Ed25519, seed]), format: 'der', type: 'pkcs8' });
}

/** `public-key --key <file|env://…|KMS URI>`: the public half as PEM, on stdout or into --outfile. */
function publicKey(inv, rt) {
  if (inv.flags.bool('sk')) throw new CliError('stand-in cosign: hardware security keys are not supported');
  if (!inv.flags.has('key')) {
    throw new CliError('exactly one of: key reference (--key), or hardware token (--sk) must be provided');
  }
  const key = signingKey(inv.flags.get('key'), inv);
  // The stand-in's KMS: one Ed25519 key per URI, from the URI's hash, so the same URI always has the same key
  // (signing with a KMS URI is recorded by the URI itself; `public-key` is how a user reads the key out).
  const text = createPublicKey(key.uri ? kmsKey(key.uri) : key.privateKey).export({
    type: 'spki',
    format: 'pem',
  });
  const outfile = inv.flags.get('outfile');
  if (outfile) {
    writeFileSync(outfile, text);
    rt.err(`Public key written to ${outfile}\n`);
  } else {
    rt.out(text);
  }
  return 0;
}

function generateKeyPair(inv, rt) {
  if (inv.flags.has('kms') || inv.flags.positionals.length) {
    throw new CliError('stand-in cosign: generating keys in a KMS or a secret store is not supported');
  }
  const prefix = inv.flags.get('output-key-prefix', 'cosign');
  for (const file of [`${prefix}.key`, `${prefix}.pub`]) {
    if (existsSync(file))
      throw new CliError(`File ${file} already exists. Overwrite (y/n)? not in a terminal`);
  }
  const password = (process.env.COSIGN_PASSWORD ?? inv.stdin ?? '').replace(/\r?\n$/, '');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(`${prefix}.key`, encryptPrivateKey(privateKey, password), { mode: 0o600 });
  writeFileSync(`${prefix}.pub`, publicKey.export({ type: 'spki', format: 'pem' }));
  rt.err(`Private key written to ${prefix}.key\nPublic key written to ${prefix}.pub\n`);
  return 0;
}

function version(inv, rt) {
  const platform = `linux/${arch() === 'x64' ? 'amd64' : arch()}`;
  const info = {
    gitVersion: rt.version,
    gitCommit: sha256Hex(rt.version).slice(0, 40),
    gitTreeState: 'clean',
    buildDate: '2025-10-28T17:41:35Z',
    goVersion: 'go1.25.3',
    compiler: 'gc',
    platform,
  };
  if (inv.flags.bool('json')) {
    rt.out(JSON.stringify(info, null, 2) + '\n');
    return 0;
  }
  rt.out(
    [
      '  ______   ______        _______. __    _______ .__   __.',
      ' /      | /  __  \\      /       ||  |  /  _____||  \\ |  |',
      "|  ,----'|  |  |  |    |   (----`|  | |  |  __  |   \\|  |",
      '|  |     |  |  |  |     \\   \\    |  | |  | |_ | |  . `  |',
      "|  `----.|  `--'  | .----)   |   |  | |  |__| | |  |\\   |",
      ' \\______| \\______/  |_______/    |__|  \\______| |__| \\__|',
      'cosign: A tool for Container Signing, Verification and Storage in an OCI registry.',
      '',
      `GitVersion:    ${info.gitVersion}`,
      `GitCommit:     ${info.gitCommit}`,
      `GitTreeState:  ${info.gitTreeState}`,
      `BuildDate:     ${info.buildDate}`,
      `GoVersion:     ${info.goVersion}`,
      `Compiler:      ${info.compiler}`,
      `Platform:      ${info.platform}`,
      '',
    ].join('\n'),
  );
  return 0;
}

export const spec = {
  tool: 'cosign',
  parse,
  fail,
  stdoutFile: (inv) => inv.flags?.get('output-file'),
  handlers: {
    help: (inv, rt) => {
      rt.out(inv.usage);
      return 0;
    },
    version,
    verify: (inv, rt) => verifyEach(inv, rt, 'signature'),
    'verify-attestation': (inv, rt) => verifyEach(inv, rt, 'attestation'),
    sign: (inv, rt) => signOrAttest(inv, rt, 'signature'),
    attest: (inv, rt) => signOrAttest(inv, rt, 'attestation'),
    'verify-blob': verifyBlob,
    'generate-key-pair': generateKeyPair,
    'public-key': publicKey,
  },
};

export function main(config) {
  return runTool(spec, config);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main({});
