#!/usr/bin/env bash
# Installs the native packages the project needs on Debian/Ubuntu, and owns their list (the Dockerfile and
# scripts/container-build.sh run this script too). They are the libraries our NuGet-shipped native code links
# that a minimal system lacks (found with `ldd` in a bare Debian 12 root filesystem):
#   libgtk-3.so.0   libgtk-3-0   OpenCV's highgui inside libOpenCvSharpExtern.so
#   libdrm.so.2     libdrm2      libOpenCvSharpExtern.so
#   libatomic.so.1  libatomic1   libOpenCvSharpExtern.so
# Idempotent: does nothing when every library is present. As root it installs without a prompt; otherwise it uses
# sudo -n if possible, else prints the command.
set -euo pipefail

# "soname package" pairs; Ubuntu 24.04+ renamed some packages with a t64 suffix (resolved below).
needs=(
  "libgtk-3.so.0 libgtk-3-0"
  "libdrm.so.2 libdrm2"
  "libatomic.so.1 libatomic1"
)

have_lib() {
  ldconfig -p 2>/dev/null | grep -q "[[:space:]]$1 " && return 0
  dpkg-query -W -f='${Status}' "$2" 2>/dev/null | grep -q 'install ok installed' && return 0
  dpkg-query -W -f='${Status}' "${2}t64" 2>/dev/null | grep -q 'install ok installed'
}

missing=()
for pair in "${needs[@]}"; do
  read -r soname package <<<"$pair"
  have_lib "$soname" "$package" || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "nanodet: missing native libraries from ${missing[*]}, and apt-get is not available; install them with your package manager." >&2
  exit 1
fi

# The name this system's archive uses: NAME, or NAMEt64 when only that exists. Decided after `apt-get update`
# when possible: a fresh system or container image may have no package lists yet.
package_names() {
  local p
  for p in "${missing[@]}"; do
    if apt-cache show "${p}t64" >/dev/null 2>&1 && ! apt-cache show "$p" >/dev/null 2>&1; then
      echo "${p}t64"
    else
      echo "$p"
    fi
  done
}

run_apt() {
  "$@" apt-get update -qq >/dev/null
  mapfile -t pkgs < <(package_names)
  echo "nanodet: installing ${pkgs[*]} (native libraries OpenCV needs)..." >&2
  "$@" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
  echo "nanodet: ${pkgs[*]} installed." >&2
}

if [ "$(id -u)" -eq 0 ]; then
  run_apt
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  run_apt sudo -n
else
  mapfile -t pkgs < <(package_names)
  echo "nanodet: ${pkgs[*]} missing. Run:  sudo apt-get install -y --no-install-recommends ${pkgs[*]}" >&2
  exit 1
fi
