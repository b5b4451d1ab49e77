#!/usr/bin/env bash
# Builds the nanodet container image without a container registry: the registry-free twin of the Dockerfile.
#
#   scripts/container-build.sh [--tag NAME] [--fresh-rootfs]
#
# 1. a slim Debian 12 root filesystem from debootstrap (minbase), updated, with the native packages that
#    scripts/install-native-deps.sh installs (the same script the Dockerfile's runtime stage runs);
# 2. a self-contained `dotnet publish -r linux-x64` of src/Host (the built-in plugins are project references, so
#    they land beside the host exactly as in the Dockerfile's framework-dependent publish);
# 3. `podman import` of both, with the entry point, command, working directory, volumes and environment read from
#    the Dockerfile's runtime stage (the Dockerfile owns them; this script never lists them itself).
#
# Needs root, debootstrap, podman and the .NET SDK; reaches only Debian's mirror and NuGet. Work files go to
# out/container/ (the root filesystem tarball is cached there and reused while its recipe is unchanged).
# Environment: NANODET_IMAGE (tag, default nanodet:local), NANODET_DEBIAN_MIRROR (default deb.debian.org).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
source scripts/container-lib.sh

tag=$NANODET_IMAGE
fresh=0
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag=${2:?--tag needs a name}; shift 2 ;;
    --fresh-rootfs) fresh=1; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "container-build: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

[ "$(id -u)" -eq 0 ] || { echo "container-build: needs root (debootstrap, chroot)" >&2; exit 2; }
for tool in debootstrap podman dotnet tar sha256sum; do
  command -v "$tool" >/dev/null || { echo "container-build: '$tool' not found (apt-get install -y debootstrap podman runc)" >&2; exit 2; }
done

mirror=${NANODET_DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
work=$repo/out/container
mkdir -p "$work"

# --- the Dockerfile's runtime stage: the one owner of entry point, command, working directory, volumes, env ----
mapfile -t changes < <(dockerfile_runtime_config Dockerfile)
[ "${#changes[@]}" -gt 0 ] || { echo "container-build: Dockerfile: no runtime-stage configuration found" >&2; exit 2; }
grep -q '^ENTRYPOINT ' <(printf '%s\n' "${changes[@]}") || { echo "container-build: Dockerfile: runtime stage has no ENTRYPOINT" >&2; exit 2; }
dockerfile_runtime_stage Dockerfile | grep -q 'install-native-deps\.sh' \
  || { echo "container-build: Dockerfile: runtime stage does not run scripts/install-native-deps.sh" >&2; exit 2; }
app_dir=$(dockerfile_app_dir Dockerfile)
volumes=$(dockerfile_volumes Dockerfile)
workdir=$(dockerfile_workdir Dockerfile)

# --- 1. root filesystem (cached by recipe) ----------------------------------------------------------------------
# The recipe version changes whenever the steps below change; the native-package script is hashed as it is.
recipe_version=1
key=$( { echo "$recipe_version $suite $mirror"; cat scripts/install-native-deps.sh; } | sha256sum | cut -c1-12)
rootfs_tar=$work/rootfs-$suite-$key.tar
if [ "$fresh" -eq 1 ] || [ ! -s "$rootfs_tar" ]; then
  rootfs=$work/rootfs
  cleanup_rootfs() { mountpoint -q "$rootfs/proc" && umount "$rootfs/proc" || true; }
  trap cleanup_rootfs EXIT
  cleanup_rootfs
  rm -rf "$rootfs"
  step "debootstrap $suite (minbase) from $mirror"
  nice -n 15 debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; echo "container-build: debootstrap failed (log: $work/debootstrap.log)" >&2; exit 1; }
  cat >"$rootfs/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb ${mirror%/debian}/debian-security $suite-security main
EOF
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  mount -t proc proc "$rootfs/proc"
  cp scripts/install-native-deps.sh "$rootfs/tmp/install-native-deps.sh"
  step "native packages (scripts/install-native-deps.sh) and security updates in the root filesystem"
  nice -n 15 chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    /bin/bash -c 'apt-get update -qq && apt-get -y -qq upgrade >/dev/null && /tmp/install-native-deps.sh' \
    >"$work/native-deps.log" 2>&1 \
    || { tail -n 20 "$work/native-deps.log" >&2; echo "container-build: installing native packages failed (log: $work/native-deps.log)" >&2; exit 1; }
  umount "$rootfs/proc"
  trap - EXIT
  # Slim, as Debian's -slim images are: no package lists, caches, manuals or translations (copyrights stay).
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/tmp/* "$rootfs"/var/log/*.log "$rootfs"/var/cache/debconf/*-old \
         "$rootfs"/usr/share/man "$rootfs"/usr/share/info "$rootfs"/usr/share/locale "$rootfs"/usr/share/doc-base
  find "$rootfs/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  : >"$rootfs/etc/resolv.conf"
  for v in $volumes $workdir; do mkdir -p "$rootfs$v"; done
  step "packing the root filesystem"
  tar --numeric-owner -C "$rootfs" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf "$rootfs_tar.partial" .
  rm -f "$work"/rootfs-*.tar   # earlier recipes' tarballs
  mv "$rootfs_tar.partial" "$rootfs_tar"
  rm -rf "$rootfs"
else
  step "root filesystem: reusing $(basename "$rootfs_tar")"
fi

# --- 2. self-contained publish --------------------------------------------------------------------------------------
publish=$work/publish
step "dotnet publish -r linux-x64 --self-contained"
rm -rf "$publish"
nice -n 15 dotnet publish src/Host/NanoDet.Host.csproj -c Release -r linux-x64 --self-contained -o "$publish$app_dir" \
  -nologo -v quiet >"$work/publish.log" 2>&1 \
  || { tail -n 30 "$work/publish.log" >&2; echo "container-build: dotnet publish failed (log: $work/publish.log)" >&2; exit 1; }

# --- 3. image ------------------------------------------------------------------------------------------------------
step "podman import -> $tag"
image_tar=$work/image.tar
cp "$rootfs_tar" "$image_tar"
tar --numeric-owner --owner=0 --group=0 -C "$publish" -rf "$image_tar" "${app_dir#/}"
args=()
for c in "${changes[@]}"; do args+=(--change "$c"); done
# The official .NET images set PATH in their base layers; an imported file system has no environment of its own.
args+=(--change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
podman_run import --quiet "${args[@]}" --message "nanodet (registry-free build, $(git rev-parse --short HEAD 2>/dev/null || echo unknown))" \
  "$image_tar" "$tag" >/dev/null
rm -f "$image_tar"
step "built $tag: $(podman_run image inspect --format '{{.Size}}' "$tag" | numfmt --to=iec) ($(printf '%s; ' "${changes[@]}"))"
