#!/usr/bin/env bash
# Installs the one native package the project needs on Debian/Ubuntu: libgtk-3-0, which OpenCV's
# libOpenCvSharpExtern.so links (highgui). Idempotent: does nothing when it is already present.
# As root it installs without a prompt; otherwise it uses sudo -n if possible, else prints the command.
set -euo pipefail

have_gtk() {
  ldconfig -p 2>/dev/null | grep -q 'libgtk-3\.so\.0' && return 0
  dpkg-query -W -f='${Status}' libgtk-3-0 2>/dev/null | grep -q 'install ok installed' && return 0
  dpkg-query -W -f='${Status}' libgtk-3-0t64 2>/dev/null | grep -q 'install ok installed'
}

if have_gtk; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "nanodet: libgtk-3 is missing and apt-get is not available; install GTK 3 with your package manager." >&2
  exit 1
fi

# Ubuntu 24.04+ renamed the package libgtk-3-0t64. Decided after `apt-get update`: a fresh system or container
# image may have no package lists yet.
gtk_package() {
  if apt-cache show libgtk-3-0t64 >/dev/null 2>&1 && ! apt-cache show libgtk-3-0 >/dev/null 2>&1; then
    echo libgtk-3-0t64
  else
    echo libgtk-3-0
  fi
}

run_apt() {
  "$@" apt-get update -qq >/dev/null
  pkg=$(gtk_package)
  echo "nanodet: installing $pkg (needed by OpenCV)..." >&2
  "$@" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null
  echo "nanodet: $pkg installed." >&2
}

if [ "$(id -u)" -eq 0 ]; then
  run_apt
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  run_apt sudo -n
else
  pkg=$(gtk_package)
  echo "nanodet: $pkg is missing. Run:  sudo apt-get install -y --no-install-recommends $pkg" >&2
  exit 1
fi
