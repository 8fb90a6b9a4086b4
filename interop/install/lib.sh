# shellcheck shell=bash
# Shared helpers for interop/install/*.sh (sourced, not run).
# Everything built or downloaded goes under $INTEROP_CACHE, outside the repository.
SLUICE_CACHE="${SLUICE_CACHE:-$HOME/.cache/sluice}"
INTEROP_CACHE="$SLUICE_CACHE/interop"
# shellcheck disable=SC2034 # used by the scripts that source this file
INTEROP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APT_UPDATED_STAMP="$INTEROP_CACHE/.apt-updated"

log() { echo "[interop-install] $*" >&2; }

# apt-get install, running `apt-get update` once per machine first (on a fresh machine the
# package lists are empty, so apt-cache and apt-get install find nothing without it).
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  mkdir -p "$INTEROP_CACHE"
  if [[ ! -f "$APT_UPDATED_STAMP" ]]; then
    apt-get update -q >/dev/null
    touch "$APT_UPDATED_STAMP"
  fi
  if apt-get install -y -q --no-install-recommends "$@" >"$INTEROP_CACHE/apt.log" 2>&1; then
    return 0
  fi
  # Package lists from an earlier run may be stale: update once more and retry.
  apt-get update -q >/dev/null
  if ! apt-get install -y -q --no-install-recommends "$@" >"$INTEROP_CACHE/apt.log" 2>&1; then
    cat "$INTEROP_CACHE/apt.log" >&2
    log "Cannot install Debian packages: apt-get install $* failed (log above)"
    return 1
  fi
}

# A stamp of the files that make a build, so a build runs again only when its sources change.
sources_hash() {
  (cd "$1" && find . -type f ! -path './target/*' ! -name '*.test.ts' -print0 | sort -z |
    xargs -0 sha256sum | sha256sum | cut -c1-16)
}
