# Shared by scripts/container-build.sh and scripts/container-smoke.sh (sourced, not run).
# Reads the image configuration from the Dockerfile's runtime stage, so both build paths use one set of facts,
# and runs podman the way this kind of machine needs it.

NANODET_IMAGE=${NANODET_IMAGE:-nanodet:local}

step() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# The lines of the last stage (after the last FROM), comments and blank lines dropped.
dockerfile_runtime_stage() {
  awk '/^FROM[ \t]/ { stage = "" } { stage = stage $0 "\n" } END { printf "%s", stage }' "$1" \
    | grep -v '^[[:space:]]*#' | grep -v '^[[:space:]]*$'
}

# The runtime stage's image configuration as `podman import --change` lines (ENV, VOLUME, WORKDIR, ENTRYPOINT,
# CMD, USER, STOPSIGNAL, EXPOSE, LABEL), each one Dockerfile line; a continued (backslash) line is refused.
dockerfile_runtime_config() {
  local line
  dockerfile_runtime_stage "$1" | while IFS= read -r line; do
    case "$line" in
      ENV\ *|VOLUME\ *|WORKDIR\ *|ENTRYPOINT\ *|CMD\ *|USER\ *|STOPSIGNAL\ *|EXPOSE\ *|LABEL\ *)
        case "$line" in *\\) echo "Dockerfile: continued line not supported in the runtime stage: $line" >&2; return 1 ;; esac
        printf '%s\n' "$line" ;;
    esac
  done
}

# Items of a JSON-array instruction (VOLUME ["a", "b"] or ENTRYPOINT ["x", ...]) one per line.
dockerfile_json_items() {
  dockerfile_runtime_stage "$1" | sed -n "s/^$2[[:space:]]*\[\(.*\)\][[:space:]]*\$/\1/p" | tail -n 1 \
    | tr ',' '\n' | sed 's/^[[:space:]]*"//; s/"[[:space:]]*$//'
}

dockerfile_volumes() { dockerfile_json_items "$1" VOLUME; }
dockerfile_workdir() { dockerfile_runtime_stage "$1" | sed -n 's/^WORKDIR[[:space:]]\{1,\}//p' | tail -n 1; }
# The folder of the entry point's executable: where the published application lives.
dockerfile_app_dir() { dirname "$(dockerfile_json_items "$1" ENTRYPOINT | head -n 1)"; }

# podman with this machine's needs: the runc runtime when installed (crun fails on hybrid cgroups here;
# NANODET_CONTAINER_RUNTIME overrides), and, unless CONTAINERS_CONF is already set, a containers.conf with
# `default_ulimits = []` (this VM refuses setrlimit for the default nofile limit).
podman_run() {
  local runtime=${NANODET_CONTAINER_RUNTIME-}
  if [ -z "$runtime" ] && command -v runc >/dev/null; then runtime=runc; fi
  if [ -z "${CONTAINERS_CONF-}" ]; then
    local conf=${NANODET_CONTAINER_WORK:-out/container}/containers.conf
    mkdir -p "$(dirname "$conf")"
    [ -s "$conf" ] || printf '[containers]\ndefault_ulimits = []\n' >"$conf"
    CONTAINERS_CONF=$(readlink -f "$conf")
    export CONTAINERS_CONF
  fi
  podman ${runtime:+--runtime "$runtime"} "$@"
}
