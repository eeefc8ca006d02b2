#!/usr/bin/env bash
# Builds the real tools the end-to-end tests run, from source with `go install` (nothing downloads a
# prebuilt binary): cosign, trivy and grype at the versions the action's tool catalog defaults to,
# buildx (also installed as the docker CLI plugin) and BuildKit's buildkitd + buildctl at the versions
# in scripts/real-tools.versions; a private Sigstore's servers (Fulcio, and the timestamp authority's
# timestamp-server) at the versions there too; secure-image-vulndb (scripts/vulndb), which writes the trivy and grype
# vulnerability DBs the tests scan against; and Debian's docker.io, runc, buildah, podman and skopeo.
#
# Idempotent and cached per version in one directory outside the work tree:
#   ${SECURE_IMAGE_REAL_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/secure-image/real-tools}
#     <tool>-<version>/<binary>   what `go install` built (vulndb-<hash of its sources>/ for scripts/vulndb)
#     bin/<binary>                links to the versions this checkout wants
# The last line of stdout is that bin directory; tests and benchmarks read it from there.
#
# --no-build: install nothing; print the bin directory when everything is already there at the wanted
# versions, else say what is missing and exit 3 (the tests' set-up outside CI, which then skips).
# Tool names after it (cosign trivy grype buildx buildkit sigstore vulndb) limit the run to those.
set -euo pipefail
build=1
if [[ ${1:-} == --no-build ]]; then
  build=0
  shift
fi
wanted=" ${*:-cosign trivy grype buildx buildkit sigstore vulndb} "
want() { [[ $wanted == *" $1 "* ]]; }
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${SECURE_IMAGE_REAL_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/secure-image/real-tools}
bin="$dir/bin"
mkdir -p "$bin"
log() { printf '%s\n' "$*" >&2; }

sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)

# Debian packages: the docker engine (dockerd) and CLI, the OCI runtime, the daemonless builders.
packages=(docker.io runc buildah podman skopeo)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
if ((${#missing[@]})) && ((!build)); then
  log "not installed: ${missing[*]}"
  exit 3
fi
if ((${#missing[@]})); then
  log "apt: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
# The package's own daemons are not what the tests use: they start dockerd and buildkitd on private sockets.
if ((build)) && command -v systemctl >/dev/null 2>&1; then
  for unit in docker.service docker.socket containerd.service; do
    systemctl is-active --quiet "$unit" 2>/dev/null && { "${sudo[@]}" systemctl stop "$unit" || true; }
  done
fi

# One source of truth for the scanners' and cosign's versions: the catalog's defaultVersion of each tool.
catalog_version() {
  awk -v tool="$1" '
    $0 ~ "name: \x27" tool "\x27," { found = 1 }
    found && /defaultVersion:/ { gsub(/.*defaultVersion: *\x27|\x27.*/, ""); print; exit }
  ' "$root/src/tools/catalog.ts"
}
pinned_version() { awk -v tool="$1" '$1 == tool { print $2; exit }' "$root/scripts/real-tools.versions"; }

if ((build)) && ! command -v go >/dev/null 2>&1; then
  [[ -x /usr/local/go/bin/go ]] && PATH="/usr/local/go/bin:$PATH" || {
    log "go is not installed: the real tools are built with 'go install' (Go from go.dev or Debian's golang-go)"
    exit 1
  }
fi
# A module whose go.mod asks for a newer Go than this machine's gets that toolchain from the module proxy.
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
export GOFLAGS=${GOFLAGS:--mod=mod}

# go_install <name> <version> <package path@version> <binary> [GOEXPERIMENT]
go_install() {
  local name=$1 version=$2 package=$3 binary=$4 experiment=${5:-}
  local target="$dir/$name-$version"
  if [[ ! -x "$target/$binary" ]]; then
    ((build)) || { log "not built: $binary $version"; exit 3; }
    log "go install $package"
    local started=$SECONDS
    # go install writes the binary under a temporary name and renames it: no half-written binary is ever cached.
    GOBIN="$target" GOEXPERIMENT="$experiment" go install "$package" >&2
    log "  built in $((SECONDS - started)) s"
  fi
  ln -sfn "$target/$binary" "$bin/$binary"
}

cosign=$(catalog_version cosign)
trivy=$(catalog_version trivy)
grype=$(catalog_version grype)
buildx=$(pinned_version buildx)
buildkit=$(pinned_version buildkit)
fulcio=$(pinned_version fulcio)
tsa=$(pinned_version timestamp-authority)
for v in cosign trivy grype buildx buildkit fulcio tsa; do
  [[ -n ${!v} ]] || { log "no version for $v (src/tools/catalog.ts, scripts/real-tools.versions)"; exit 1; }
done

# go_install_in_module <name> <version> <module> <package dir> <binary>: `go install pkg@version` refuses a module
# whose go.mod has exclude directives (BuildKit's has); building inside a copy of that module's source, as fetched
# from the module proxy, uses its go.mod as the main module's, which is what its authors build with.
go_install_in_module() {
  local name=$1 version=$2 module=$3 package=$4 binary=$5
  local target="$dir/$name-$version"
  if [[ ! -x "$target/$binary" ]]; then
    ((build)) || { log "not built: $binary $version"; exit 3; }
    log "go install ./$package in $module@v$version"
    local started=$SECONDS src tmp
    src=$(go mod download -json "$module@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    tmp=$(mktemp -d)
    cp -r "$src/." "$tmp" && chmod -R u+w "$tmp"
    (cd "$tmp" && GOBIN="$target" go install -mod=mod "./$package" >&2)
    rm -rf "$tmp"
    log "  built in $((SECONDS - started)) s"
  fi
  ln -sfn "$target/$binary" "$bin/$binary"
}

want cosign && go_install cosign "$cosign" "github.com/sigstore/cosign/v3/cmd/cosign@v$cosign" cosign
want buildx && go_install buildx "$buildx" "github.com/docker/buildx/cmd/buildx@v$buildx" buildx
if want buildkit; then
  go_install_in_module buildkit "$buildkit" github.com/moby/buildkit cmd/buildkitd buildkitd
  go_install_in_module buildkit "$buildkit" github.com/moby/buildkit cmd/buildctl buildctl
fi
# trivy imports encoding/json/v2, which Go still has behind an experiment; its releases are built with it on.
want trivy && go_install trivy "$trivy" "github.com/aquasecurity/trivy/cmd/trivy@v$trivy" trivy jsonv2
want grype && go_install grype "$grype" "github.com/anchore/grype/cmd/grype@v$grype" grype
# The private Sigstore the keyless end-to-end tests sign against: Fulcio (its main package is the module's root)
# and the timestamp authority's server.
if want sigstore; then
  go_install fulcio "$fulcio" "github.com/sigstore/fulcio@v$fulcio" fulcio
  go_install timestamp-authority "$tsa" \
    "github.com/sigstore/timestamp-authority/v2/cmd/timestamp-server@v$tsa" timestamp-server
fi

# go_build_vulndb: scripts/vulndb, a module of this repository whose go.mod and go.sum pin trivy-db and grype (and
# everything they need) at the versions trivy's and grype's own go.mod require, so it builds from the module cache
# the two scanners' builds filled. Cached per content of its sources: a change to them builds a new one.
go_build_vulndb() {
  local src="$root/scripts/vulndb" version target
  version=$(cat "$src/go.mod" "$src/go.sum" "$src"/*.go | sha256sum | cut -c1-16)
  target="$dir/vulndb-$version"
  if [[ ! -x "$target/secure-image-vulndb" ]]; then
    ((build)) || { log "not built: secure-image-vulndb $version (scripts/vulndb)"; exit 3; }
    log "go build ./scripts/vulndb"
    local started=$SECONDS
    mkdir -p "$target"
    # Written under another name and renamed, as go install does: no half-written binary is ever cached.
    (cd "$src" && GOFLAGS="-mod=readonly -buildvcs=false" go build -o "$target/secure-image-vulndb.part" . >&2)
    mv -f "$target/secure-image-vulndb.part" "$target/secure-image-vulndb"
    log "  built in $((SECONDS - started)) s"
  fi
  ln -sfn "$target/secure-image-vulndb" "$bin/secure-image-vulndb"
}
want vulndb && go_build_vulndb

# buildx as a docker CLI plugin: in the bin directory (DOCKER_CONFIG=<dir> finds <dir>/cli-plugins), and
# system-wide where GitHub's runners have it, so a job's own DOCKER_CONFIG (a registry login) still finds it.
want buildx || { echo "$bin"; exit 0; }
mkdir -p "$dir/cli-plugins"
ln -sfn "$dir/buildx-$buildx/buildx" "$dir/cli-plugins/docker-buildx"
ln -sfn "$dir/buildx-$buildx/buildx" "$bin/docker-buildx"
if ((build)); then
  "${sudo[@]}" mkdir -p /usr/local/lib/docker/cli-plugins
  "${sudo[@]}" ln -sfn "$dir/buildx-$buildx/buildx" /usr/local/lib/docker/cli-plugins/docker-buildx
fi

printf 'cosign %s, trivy %s, grype %s, buildx %s, buildkit %s, fulcio %s, timestamp-authority %s, secure-image-vulndb\n' \
  "$cosign" "$trivy" "$grype" "$buildx" "$buildkit" "$fulcio" "$tsa" >&2
echo "$bin"
