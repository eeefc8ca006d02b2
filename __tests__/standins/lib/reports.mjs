// Report formats derived from a scan result, shaped as trivy and grype write them: SARIF 2.1.0
// (trivy's layout, cf. the alpine-310.sarif.golden fixture), CycloneDX 1.6 JSON, the cosign-vuln
// predicate (cosign's vuln attestation spec), and the plain-text tables.
import { randomUUID } from 'node:crypto';

const SEVERITY_ORDER = ['UNKNOWN', 'NEGLIGIBLE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

export function severityRank(severity) {
  return SEVERITY_ORDER.indexOf(String(severity).toUpperCase());
}

/** One finding per (vulnerability, package) of a trivy JSON report. */
export function trivyFindings(report) {
  const findings = [];
  for (const result of report.Results ?? []) {
    for (const v of result.Vulnerabilities ?? []) {
      const cvss = v.CVSS?.[v.SeveritySource]?.V3Score ?? 0;
      findings.push({
        id: v.VulnerabilityID,
        pkgName: v.PkgName,
        installed: v.InstalledVersion,
        fixed: v.FixedVersion ?? '',
        severity: v.Severity ?? 'UNKNOWN',
        title: v.Title ?? '',
        description: v.Description ?? '',
        url: v.PrimaryURL ?? '',
        purl: v.PkgIdentifier?.PURL ?? '',
        cvss: v.CVSS?.[v.SeveritySource],
        score: cvss,
        target: result.Target,
        class: result.Class,
        type: result.Type,
        dataSource: v.DataSource,
        cwes: v.CweIDs ?? [],
        published: v.PublishedDate,
        updated: v.LastModifiedDate,
        references: v.References ?? [],
      });
    }
  }
  return findings;
}

/** One finding per match of a grype JSON report. */
export function grypeFindings(report) {
  return (report.matches ?? []).map((m) => {
    const related = m.relatedVulnerabilities?.[0];
    const score =
      [...(m.vulnerability.cvss ?? []), ...(related?.cvss ?? [])].map((c) => c.metrics?.baseScore ?? 0)[0] ??
      0;
    return {
      id: m.vulnerability.id,
      pkgName: m.artifact.name,
      installed: m.artifact.version,
      fixed: (m.vulnerability.fix?.versions ?? []).join(', '),
      fixState: m.vulnerability.fix?.state ?? 'unknown',
      severity: m.vulnerability.severity ?? 'Unknown',
      title: m.vulnerability.id,
      description: m.vulnerability.description ?? related?.description ?? '',
      url: m.vulnerability.dataSource ?? '',
      purl: m.artifact.purl ?? '',
      score,
      target: report.source?.target?.userInput ?? '',
      class: 'os-pkgs',
      type: m.artifact.type,
      cwes: [],
      references: m.vulnerability.urls ?? [],
    };
  });
}

function sarifLevel(severity) {
  switch (String(severity).toUpperCase()) {
    case 'CRITICAL':
    case 'HIGH':
      return 'error';
    case 'MEDIUM':
      return 'warning';
    case 'LOW':
    case 'NEGLIGIBLE':
    case 'UNKNOWN':
      return 'note';
    default:
      return 'none';
  }
}

function securitySeverity(finding) {
  if (finding.score > 0) return String(finding.score);
  return (
    { CRITICAL: '9.5', HIGH: '8.0', MEDIUM: '5.5', LOW: '2.0' }[String(finding.severity).toUpperCase()] ??
    '0.0'
  );
}

function cvssProperties(cvss) {
  if (!cvss) return {};
  const out = {};
  if (cvss.V2Score !== undefined) out.cvssv2_score = cvss.V2Score;
  if (cvss.V2Vector !== undefined) out.cvssv2_vector = cvss.V2Vector;
  if (cvss.V3Score !== undefined) out.cvssv3_baseScore = cvss.V3Score;
  if (cvss.V3Vector !== undefined) out.cvssv3_vector = cvss.V3Vector;
  return out;
}

/**
 * SARIF 2.1.0 with trivy's layout: one rule per vulnerability id, one result per affected package,
 * located at the scanned artifact.
 */
export function toSarif({
  tool,
  version,
  informationUri,
  fullName,
  artifactName,
  findings,
  properties = {},
}) {
  // One rule per id, in order of first appearance; like trivy, its text describes the last package.
  const ruleIndex = new Map();
  const lastFinding = new Map();
  for (const f of findings) {
    if (!ruleIndex.has(f.id)) ruleIndex.set(f.id, ruleIndex.size);
    lastFinding.set(f.id, f);
  }
  const rules = [...ruleIndex.keys()].map((id) => {
    const f = lastFinding.get(id);
    const link = f.url ? `[${f.id}](${f.url})` : f.id;
    return {
      id: f.id,
      name: f.class === 'os-pkgs' ? 'OsPackageVulnerability' : 'LanguageSpecificPackageVulnerability',
      shortDescription: { text: f.title || f.id },
      fullDescription: { text: f.description || f.title || f.id },
      defaultConfiguration: { level: sarifLevel(f.severity) },
      helpUri: f.url,
      help: {
        text: `Vulnerability ${f.id}\nSeverity: ${f.severity}\nPackage: ${f.pkgName}\nFixed Version: ${f.fixed}\nLink: ${link}\n${f.description}`,
        markdown: `**Vulnerability ${f.id}**\n| Severity | Package | Fixed Version | Link |\n| --- | --- | --- | --- |\n|${f.severity}|${f.pkgName}|${f.fixed}|${link}|\n\n${f.description}`,
      },
      properties: {
        ...cvssProperties(f.cvss),
        precision: 'very-high',
        'security-severity': securitySeverity(f),
        tags: ['vulnerability', 'security', String(f.severity).toUpperCase()],
      },
    };
  });
  const results = findings.map((f) => ({
    ruleId: f.id,
    ruleIndex: ruleIndex.get(f.id),
    level: sarifLevel(f.severity),
    message: {
      text: `Package: ${f.pkgName}\nInstalled Version: ${f.installed}\nVulnerability ${f.id}\nSeverity: ${f.severity}\nFixed Version: ${f.fixed}\nLink: ${f.url ? `[${f.id}](${f.url})` : f.id}`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactName, uriBaseId: 'ROOTPATH' },
          region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
        },
        message: { text: `${artifactName}: ${f.pkgName}@${f.installed}` },
      },
    ],
  }));
  return {
    version: '2.1.0',
    $schema:
      'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json',
    runs: [
      {
        tool: { driver: { fullName, informationUri, name: tool, rules, version } },
        results,
        columnKind: 'utf16CodeUnits',
        properties,
      },
    ],
  };
}

function purlType(purl) {
  return /^pkg:([^/]+)\//.exec(purl)?.[1];
}

/** CycloneDX 1.6 JSON: the scanned artifact, its packages, and the vulnerabilities affecting them. */
export function toCycloneDx({
  toolGroup,
  tool,
  version,
  artifactName,
  artifactPurl,
  os,
  packages,
  findings,
}) {
  const components = [];
  const seen = new Set();
  for (const p of packages) {
    const ref = p.purl || `${p.name}@${p.version}`;
    if (seen.has(ref)) continue;
    seen.add(ref);
    components.push({
      'bom-ref': ref,
      type: 'library',
      name: p.name,
      version: p.version,
      ...(p.purl ? { purl: p.purl } : {}),
      properties: [{ name: `${toolGroup}:${tool}:PkgType`, value: purlType(p.purl) ?? p.type ?? 'unknown' }],
    });
  }
  if (os)
    components.push({ 'bom-ref': randomUUID(), type: 'operating-system', name: os.Family, version: os.Name });
  const vulnerabilities = [];
  const byId = new Map();
  for (const f of findings) {
    const ref = f.purl || `${f.pkgName}@${f.installed}`;
    let v = byId.get(f.id);
    if (!v) {
      v = {
        id: f.id,
        ...(f.dataSource ? { source: { name: f.dataSource.ID, url: f.dataSource.URL } } : {}),
        ratings: [
          {
            severity: String(f.severity).toLowerCase(),
            ...(f.score ? { score: f.score, method: 'CVSSv31' } : {}),
          },
        ],
        ...(f.cwes.length ? { cwes: f.cwes.map((c) => Number(String(c).replace(/^CWE-/, ''))) } : {}),
        description: f.description,
        ...(f.fixed ? { recommendation: `Upgrade ${f.pkgName} to version ${f.fixed}` } : {}),
        advisories: f.references.map((url) => ({ url })),
        affects: [],
      };
      byId.set(f.id, v);
      vulnerabilities.push(v);
    }
    v.affects.push({ ref, versions: [{ version: f.installed, status: 'affected' }] });
  }
  const root = `${artifactPurl || artifactName}`;
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00'),
      tools: { components: [{ type: 'application', group: toolGroup, name: tool, version }] },
      component: {
        'bom-ref': root,
        type: 'container',
        name: artifactName,
        ...(artifactPurl ? { purl: artifactPurl } : {}),
      },
    },
    components,
    dependencies: [{ ref: root, dependsOn: components.map((c) => c['bom-ref']) }],
    vulnerabilities,
  };
}

/** The packages a trivy report names: its Packages lists, else the vulnerable packages. */
export function trivyPackages(report) {
  const out = [];
  for (const result of report.Results ?? []) {
    for (const p of result.Packages ?? [])
      out.push({ name: p.Name, version: p.Version, purl: p.Identifier?.PURL ?? '' });
    for (const v of result.Vulnerabilities ?? []) {
      out.push({ name: v.PkgName, version: v.InstalledVersion, purl: v.PkgIdentifier?.PURL ?? '' });
    }
  }
  return out;
}

/** The cosign-vuln predicate (github.com/sigstore/cosign/specs/COSIGN_VULN_ATTESTATION_SPEC.md). */
export function toCosignVuln({ version, report }) {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    invocation: { parameters: null, uri: '', event_id: '', 'builder.id': '' },
    scanner: {
      uri: `pkg:github/aquasecurity/trivy@${version}`,
      version,
      db: { uri: '', version: '' },
      result: report,
    },
    metadata: { scanStartedOn: now, scanFinishedOn: now },
  };
}

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => String(c).padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** trivy's table format, per target: a summary line and one row per finding. */
export function trivyTable(report) {
  let out = '';
  for (const result of report.Results ?? []) {
    const vulns = result.Vulnerabilities ?? [];
    const counts = Object.fromEntries(['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map((s) => [s, 0]));
    for (const v of vulns) counts[v.Severity] = (counts[v.Severity] ?? 0) + 1;
    out += `\n${result.Target}\n${'='.repeat(result.Target.length)}\n`;
    out += `Total: ${vulns.length} (UNKNOWN: ${counts.UNKNOWN}, LOW: ${counts.LOW}, MEDIUM: ${counts.MEDIUM}, HIGH: ${counts.HIGH}, CRITICAL: ${counts.CRITICAL})\n\n`;
    if (vulns.length) {
      out += table(
        ['Library', 'Vulnerability', 'Severity', 'Status', 'Installed Version', 'Fixed Version', 'Title'],
        vulns.map((v) => [
          v.PkgName,
          v.VulnerabilityID,
          v.Severity,
          v.Status ?? '',
          v.InstalledVersion,
          v.FixedVersion ?? '',
          v.Title ?? '',
        ]),
      );
    }
  }
  return out;
}

/** grype's table format. */
export function grypeTable(report) {
  const rows = (report.matches ?? []).map((m) => [
    m.artifact.name,
    m.artifact.version,
    (m.vulnerability.fix?.versions ?? []).join(', ') ||
      (m.vulnerability.fix?.state === 'wont-fix' ? "(won't fix)" : ''),
    m.artifact.type,
    m.vulnerability.id,
    m.vulnerability.severity,
  ]);
  if (!rows.length) return 'No vulnerabilities found\n';
  return table(['NAME', 'INSTALLED', 'FIXED-IN', 'TYPE', 'VULNERABILITY', 'SEVERITY'], rows);
}
