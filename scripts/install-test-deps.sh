#!/usr/bin/env bash
# Debian/Ubuntu packages the end-to-end tests use: a real OCI registry, buildah to build and push real
# images, skopeo to read them back, a static busybox to make base images with no network, and Chromium
# (with an emoji font) to look at the rendered job summary as a maintainer would.
set -euo pipefail
required=(docker-registry buildah skopeo busybox-static uidmap)
# The screenshot test skips (and says so) without a browser; Ubuntu runners already have Chrome.
optional=(fonts-noto-color-emoji)
command -v chromium >/dev/null || command -v google-chrome >/dev/null || optional+=(chromium)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
missing=()
for p in "${required[@]}" "${optional[@]}"; do installed "$p" || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${required[@]}" >/dev/null
  for p in "${optional[@]}"; do
    installed "$p" || DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$p" >/dev/null ||
      echo "optional package $p could not be installed; the screenshot test will say it skipped"
  done
fi
# The Debian package starts a registry service on :5000; the tests start their own on free ports.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
  [[ $(id -u) -eq 0 ]] && systemctl stop docker-registry || sudo systemctl stop docker-registry || true
fi
