#!/usr/bin/env bash
# Debian/Ubuntu packages the end-to-end tests use: a real OCI registry, buildah to build and push real
# images, skopeo to read them back, and a static busybox to make base images with no network.
set -euo pipefail
packages=(docker-registry buildah skopeo busybox-static uidmap)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "installing: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The Debian package starts a registry service on :5000; the tests start their own on free ports.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
  [[ $(id -u) -eq 0 ]] && systemctl stop docker-registry || sudo systemctl stop docker-registry || true
fi
