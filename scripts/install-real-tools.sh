#!/usr/bin/env bash
# Builds the real tools the end-to-end tests run, from source with `go install` (nothing downloads a
# prebuilt binary): cosign, trivy and grype at the versions the action's tool catalog defaults to,
# buildx (also installed as the docker CLI plugin) and BuildKit's buildkitd + buildctl at the versions
# in scripts/real-tools.versions; and Debian's docker.io, runc, buildah, podman and skopeo.
#
# Idempotent and cached per version in one directory outside the work tree:
#   ${SECURE_IMAGE_REAL_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/secure-image/real-tools}
#     <tool>-<version>/<binary>   what `go install` built
#     bin/<binary>                links to the versions this checkout wants
# The last line of stdout is that bin directory; tests and benchmarks read it from there.
#
# --no-build: install nothing; print the bin directory when everything is already there at the wanted
# versions, else say what is missing and exit 3 (the tests' set-up outside CI, which then skips).
set -euo pipefail
build=1
[[ ${1:-} == --no-build ]] && build=0
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

# go_install <name> <version> <package path@version> <binary>
go_install() {
  local name=$1 version=$2 package=$3 binary=$4
  local target="$dir/$name-$version"
  if [[ ! -x "$target/$binary" ]]; then
    ((build)) || { log "not built: $binary $version"; exit 3; }
    log "go install $package"
    local started=$SECONDS
    # go install writes the binary under a temporary name and renames it: no half-written binary is ever cached.
    GOBIN="$target" go install "$package" >&2
    log "  built in $((SECONDS - started)) s"
  fi
  ln -sfn "$target/$binary" "$bin/$binary"
}

cosign=$(catalog_version cosign)
trivy=$(catalog_version trivy)
grype=$(catalog_version grype)
buildx=$(pinned_version buildx)
buildkit=$(pinned_version buildkit)
for v in cosign trivy grype buildx buildkit; do
  [[ -n ${!v} ]] || { log "no version for $v (src/tools/catalog.ts, scripts/real-tools.versions)"; exit 1; }
done

go_install cosign "$cosign" "github.com/sigstore/cosign/v3/cmd/cosign@v$cosign" cosign
go_install buildx "$buildx" "github.com/docker/buildx/cmd/buildx@v$buildx" buildx
go_install buildkit "$buildkit" "github.com/moby/buildkit/cmd/buildkitd@v$buildkit" buildkitd
go_install buildkit "$buildkit" "github.com/moby/buildkit/cmd/buildctl@v$buildkit" buildctl
go_install trivy "$trivy" "github.com/aquasecurity/trivy/cmd/trivy@v$trivy" trivy
go_install grype "$grype" "github.com/anchore/grype/cmd/grype@v$grype" grype

# buildx as a docker CLI plugin: in the bin directory (DOCKER_CONFIG=<dir> finds <dir>/cli-plugins), and
# system-wide where GitHub's runners have it, so a job's own DOCKER_CONFIG (a registry login) still finds it.
mkdir -p "$dir/cli-plugins"
ln -sfn "$dir/buildx-$buildx/buildx" "$dir/cli-plugins/docker-buildx"
ln -sfn "$dir/buildx-$buildx/buildx" "$bin/docker-buildx"
if ((build)); then
  "${sudo[@]}" mkdir -p /usr/local/lib/docker/cli-plugins
  "${sudo[@]}" ln -sfn "$dir/buildx-$buildx/buildx" /usr/local/lib/docker/cli-plugins/docker-buildx
fi

printf 'cosign %s, trivy %s, grype %s, buildx %s, buildkit %s\n' "$cosign" "$trivy" "$grype" "$buildx" "$buildkit" >&2
echo "$bin"
