// secure-image-vulndb writes the vulnerability DBs of trivy and grype from a short JSON list of advisories, with
// the scanners' own Go packages, so that the end-to-end tests scan images with the real scanners against advisories
// they chose (no network, no multi-GB upstream DB):
//
//   - trivy: `<trivy-dir>/db/trivy.db` (BoltDB, buckets written with trivy-db's pkg/db, in the layout trivy's own
//     integration fixtures hold: `<os> <release>` → package → id → advisory, `vulnerability`, `data-source`) and
//     `<trivy-dir>/db/metadata.json` (trivy-db's pkg/metadata), which trivy reads as a DB it downloaded: `trivy
//     --cache-dir <trivy-dir>` uses it, with or without `--skip-db-update`, until its NextUpdate.
//   - grype: a schema v6 DB in `<grype-dir>/6/` (vulnerability.db, import.json), built by grype's own build pipeline
//     (grype/db.Build, as `grype db build` does) from vunnel-format results written with grype's provider
//     workspace writer; `GRYPE_DB_CACHE_DIR=<grype-dir>` uses it offline. `last_update_check` says grype checked for
//     an update when the DB was written, as grype itself records after `grype db update`.
//
// Usage: secure-image-vulndb -in advisories.json [-trivy DIR] [-grype DIR]
//
// advisories.json:
//
//	{"built": "2026-03-14T06:00:00Z",          // when the DB says it was built (default: now)
//	 "advisories": [{"os": "debian", "release": "12", "package": "libfoo", "fixed": "1.2-3",
//	                 "id": "CVE-2099-0001", "severity": "CRITICAL", "title": "…", "description": "…"}]}
//
// `package` is the source package name (trivy and grype both match Debian advisories on it); versions below `fixed`
// are vulnerable, and an empty `fixed` means no fix exists (every version is vulnerable). Severities are trivy's
// names: CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN.
package main

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/OneOfOne/xxhash"
	"github.com/anchore/grype/grype/db"
	"github.com/anchore/grype/grype/db/provider"
	grypev6 "github.com/anchore/grype/grype/db/v6"
	trivydb "github.com/aquasecurity/trivy-db/pkg/db"
	"github.com/aquasecurity/trivy-db/pkg/metadata"
	trivytypes "github.com/aquasecurity/trivy-db/pkg/types"
	"github.com/spf13/afero"
	bolt "go.etcd.io/bbolt"
)

type advisory struct {
	OS          string `json:"os"`
	Release     string `json:"release"`
	Package     string `json:"package"`
	Fixed       string `json:"fixed"`
	ID          string `json:"id"`
	Severity    string `json:"severity"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

type input struct {
	Built      *time.Time `json:"built"`
	Advisories []advisory `json:"advisories"`
}

// Each OS: trivy's data source, grype's (vunnel's) provider and version format.
type osFamily struct {
	trivySource   trivytypes.DataSource
	versionFormat string
}

var families = map[string]osFamily{
	"debian": {
		trivySource: trivytypes.DataSource{
			ID:   "debian",
			Name: "Debian Security Tracker",
			URL:  "https://salsa.debian.org/security-tracker-team/security-tracker",
		},
		versionFormat: "dpkg",
	},
	"alpine": {
		trivySource: trivytypes.DataSource{
			ID:   "alpine",
			Name: "Alpine Secdb",
			URL:  "https://secdb.alpinelinux.org/",
		},
		versionFormat: "apk",
	},
}

func main() {
	in := flag.String("in", "", "the advisories (JSON)")
	trivyDir := flag.String("trivy", "", "trivy's cache dir to write (the DB goes in <dir>/db)")
	grypeDir := flag.String("grype", "", "grype's DB cache dir to write (the DB goes in <dir>/6)")
	flag.Parse()
	if *in == "" || (*trivyDir == "" && *grypeDir == "") {
		fmt.Fprintln(os.Stderr, "usage: secure-image-vulndb -in advisories.json [-trivy DIR] [-grype DIR]")
		os.Exit(2)
	}
	if err := run(*in, *trivyDir, *grypeDir); err != nil {
		fmt.Fprintln(os.Stderr, "secure-image-vulndb:", err)
		os.Exit(1)
	}
}

func run(in, trivyDir, grypeDir string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var data input
	if err := json.Unmarshal(raw, &data); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if len(data.Advisories) == 0 {
		return fmt.Errorf("%s: no advisories", in)
	}
	for i, a := range data.Advisories {
		if _, ok := families[a.OS]; !ok {
			return fmt.Errorf("advisory %d (%s): os %q is not one of debian, alpine", i, a.ID, a.OS)
		}
		if a.ID == "" || a.Package == "" || a.Release == "" {
			return fmt.Errorf("advisory %d: id, package and release are required", i)
		}
		if _, err := trivytypes.NewSeverity(strings.ToUpper(a.Severity)); err != nil {
			return fmt.Errorf("advisory %s: %w", a.ID, err)
		}
	}
	built := time.Now().UTC().Truncate(time.Second)
	if data.Built != nil {
		built = data.Built.UTC().Truncate(time.Second)
	}
	if trivyDir != "" {
		if err := writeTrivy(trivyDir, data.Advisories, built); err != nil {
			return fmt.Errorf("trivy DB: %w", err)
		}
	}
	if grypeDir != "" {
		if err := writeGrype(grypeDir, data.Advisories, built); err != nil {
			return fmt.Errorf("grype DB: %w", err)
		}
	}
	return nil
}

// writeTrivy writes the buckets trivy's OS detectors read: `<os> <release>` / <source package> / <id> → Advisory
// (FixedVersion; none for an unfixed one), `data-source` / `<os> <release>` → DataSource, and `vulnerability` / <id>
// → Vulnerability (title, description, the severity and the vendor's).
func writeTrivy(cacheDir string, advisories []advisory, built time.Time) error {
	dbDir := filepath.Join(cacheDir, "db")
	if err := os.RemoveAll(dbDir); err != nil {
		return err
	}
	if err := trivydb.Init(dbDir); err != nil {
		return err
	}
	dbc := trivydb.Config{}
	err := dbc.BatchUpdate(func(tx *bolt.Tx) error {
		for _, a := range advisories {
			family := families[a.OS]
			platform := fmt.Sprintf("%s %s", a.OS, a.Release)
			if err := dbc.PutDataSource(tx, platform, family.trivySource); err != nil {
				return err
			}
			adv := trivytypes.Advisory{FixedVersion: a.Fixed}
			if err := dbc.PutAdvisory(tx, []string{platform, a.Package}, a.ID, &adv); err != nil {
				return err
			}
			severity, _ := trivytypes.NewSeverity(strings.ToUpper(a.Severity))
			vuln := trivytypes.Vulnerability{
				Title:          a.Title,
				Description:    a.Description,
				Severity:       severity.String(),
				VendorSeverity: trivytypes.VendorSeverity{family.trivySource.ID: severity},
			}
			if err := dbc.PutVulnerability(tx, a.ID, vuln); err != nil {
				return err
			}
		}
		return nil
	})
	if closeErr := trivydb.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return err
	}
	// As trivy leaves it after a download: current until a day after the build, downloaded an hour after it.
	return metadata.NewClient(dbDir).Update(metadata.Metadata{
		Version:      trivydb.SchemaVersion,
		UpdatedAt:    built,
		NextUpdate:   built.Add(24 * time.Hour),
		DownloadedAt: built.Add(time.Hour),
	})
}

// vunnel's OS vulnerability record (schema vulnerability/os), what grype's os transformer reads.
type vunnelFixedIn struct {
	Name          string `json:"Name"`
	NamespaceName string `json:"NamespaceName"`
	VersionFormat string `json:"VersionFormat"`
	Version       string `json:"Version"`
}

type vunnelVulnerability struct {
	Name          string          `json:"Name"`
	NamespaceName string          `json:"NamespaceName"`
	Description   string          `json:"Description"`
	Severity      string          `json:"Severity"`
	Link          string          `json:"Link"`
	CVSS          []any           `json:"CVSS"`
	FixedIn       []vunnelFixedIn `json:"FixedIn"`
	Metadata      map[string]any  `json:"Metadata"`
}

const vunnelOSSchema = "https://raw.githubusercontent.com/anchore/vunnel/main/schema/vulnerability/os/schema-1.1.0.json"

// writeGrype writes a vunnel workspace per OS provider (one result per advisory id and namespace), builds a v6 DB
// from it with grype's build pipeline, and stamps the build time.
func writeGrype(cacheDir string, advisories []advisory, built time.Time) error {
	work, err := os.MkdirTemp("", "secure-image-vulndb-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	// namespace ("debian:12") → id → record
	records := map[string]map[string]*vunnelVulnerability{}
	providers := map[string][]string{}
	for _, a := range advisories {
		ns := a.OS + ":" + a.Release
		if records[ns] == nil {
			records[ns] = map[string]*vunnelVulnerability{}
			providers[a.OS] = append(providers[a.OS], ns)
		}
		rec := records[ns][a.ID]
		if rec == nil {
			rec = &vunnelVulnerability{
				Name:          a.ID,
				NamespaceName: ns,
				Description:   strings.TrimSpace(a.Title + "\n" + a.Description),
				Severity:      vunnelSeverity(a.Severity),
				Link:          "https://security-tracker.example/" + a.ID,
				CVSS:          []any{},
				Metadata:      map[string]any{},
			}
			records[ns][a.ID] = rec
		}
		fixed := a.Fixed
		if fixed == "" {
			fixed = "None"
		}
		rec.FixedIn = append(rec.FixedIn, vunnelFixedIn{
			Name:          a.Package,
			NamespaceName: ns,
			VersionFormat: families[a.OS].versionFormat,
			Version:       fixed,
		})
	}

	var states provider.States
	names := make([]string, 0, len(providers))
	for name := range providers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		ws := provider.NewWorkspaceWriter(work, name)
		var files []provider.File
		for _, ns := range providers[name] {
			release := strings.TrimPrefix(ns, name+":")
			for id, rec := range records[ns] {
				body, err := json.Marshal(map[string]any{
					"schema":     vunnelOSSchema,
					"identifier": release + "/" + strings.ToLower(id),
					"item":       map[string]any{"Vulnerability": rec},
				})
				if err != nil {
					return err
				}
				f, err := ws.WriteResult(release+"/"+strings.ToLower(id)+".json", body)
				if err != nil {
					return err
				}
				files = append(files, *f)
			}
		}
		if err := ws.WriteListing(files); err != nil {
			return err
		}
		listing, err := fileDigest(ws.ListingPath())
		if err != nil {
			return err
		}
		if err := ws.WriteState(provider.State{
			Provider:  name,
			Version:   1,
			Processor: "secure-image-vulndb",
			Schema: provider.Schema{
				Version: "1.0.3",
				URL:     "https://raw.githubusercontent.com/anchore/vunnel/main/schema/provider-workspace-state/schema-1.0.3.json",
			},
			URLs:      []string{"https://security-tracker.example/" + name},
			Timestamp: built,
			Listing:   &provider.File{Path: "results/listing.xxh64", Digest: listing, Algorithm: "xxh64"},
			Store:     "flat-file",
		}); err != nil {
			return err
		}
		state, err := provider.ReadState(filepath.Join(work, name, "metadata.json"))
		if err != nil {
			return err
		}
		states = append(states, *state)
	}

	dbDir := filepath.Join(cacheDir, fmt.Sprint(grypev6.ModelVersion))
	if err := os.RemoveAll(dbDir); err != nil {
		return err
	}
	if err := os.MkdirAll(dbDir, 0o755); err != nil {
		return err
	}
	if err := db.Build(db.BuildConfig{
		SchemaVersion: grypev6.ModelVersion,
		Directory:     dbDir,
		States:        states,
		Timestamp:     built,
		Hydrate:       true,
	}); err != nil {
		return err
	}

	// The v6 writer stamps the build with the clock; the DB says when it was built as the input asks.
	if err := setBuildTimestamp(filepath.Join(dbDir, grypev6.VulnerabilityDBFileName), built); err != nil {
		return err
	}
	if _, err := grypev6.WriteImportMetadata(afero.NewOsFs(), dbDir, "secure-image-vulndb"); err != nil {
		return err
	}
	// grype's record of its last update check (RFC 3339, UTC): checked now, so `grype db update` within its
	// check interval uses this DB without asking the network.
	return os.WriteFile(filepath.Join(dbDir, "last_update_check"), []byte(time.Now().UTC().Format(time.RFC3339)), 0o644)
}

func setBuildTimestamp(dbFile string, built time.Time) error {
	gdb, err := grypev6.NewLowLevelDB(dbFile, false, true, false)
	if err != nil {
		return err
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	return gdb.Model(&grypev6.DBMetadata{}).Where("true").Update("build_timestamp", built).Error
}

// vunnel's severities: Critical, High, Medium, Low, Negligible, Unknown.
func vunnelSeverity(s string) string {
	s = strings.ToLower(s)
	if s == "" {
		return "Unknown"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// fileDigest is the xxh64 of a file in hex, as vunnel's listing entries state it.
func fileDigest(path string) (string, error) {
	body, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	h := xxhash.New64()
	_, _ = h.Write(body)
	return hex.EncodeToString(h.Sum(nil)), nil
}
