import type { Finding } from './finding.js';

/**
 * One copy of each string that repeats across the findings of a report. A report parsed one finding at a time
 * gets a new copy of every string for every finding: the same CVE's title and description once per package it
 * is found in, the same layer digest once per finding in that layer. Held for the parse only.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  share<T extends string | undefined>(value: T): T {
    if (value === undefined) return value;
    const held = this.strings.get(value);
    if (held !== undefined) return held as T;
    this.strings.set(value, value);
    return value;
  }

  /**
   * `finding` with its repeating strings (texts of the vulnerability, layer, target, CVSS) shared. Strings that
   * are unique to one finding (package path, purl) are left alone: pooling them would only cost map entries.
   */
  shareFinding(finding: Finding): Finding {
    finding.id = this.share(finding.id);
    finding.aliases = finding.aliases.map((a) => this.share(a));
    finding.fixedVersions = finding.fixedVersions.map((v) => this.share(v));
    finding.packageName = this.share(finding.packageName);
    finding.installedVersion = this.share(finding.installedVersion);
    finding.packageType = this.share(finding.packageType);
    finding.title = this.share(finding.title);
    finding.description = this.share(finding.description);
    finding.url = this.share(finding.url);
    finding.target = this.share(finding.target);
    finding.layerDigest = this.share(finding.layerDigest);
    finding.diffId = this.share(finding.diffId);
    for (const c of finding.cvss) {
      c.source = this.share(c.source);
      c.version = this.share(c.version);
      c.vector = this.share(c.vector);
    }
    return finding;
  }
}
