#!/usr/bin/env bash
# kcat (librdkafka's CLI) from Debian. It must support the four compression codecs.
set -euo pipefail
# shellcheck source=interop/install/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if ! command -v kcat >/dev/null 2>&1; then
  log "installing kcat with apt-get"
  apt_install kcat
fi
features="$(kcat -V | sed -n 's/.*builtin.features=\([^)]*\).*/\1/p')"
for codec in gzip snappy lz4 zstd; do
  if [[ ",$features," != *",$codec,"* ]]; then
    log "kcat at $(command -v kcat) lacks codec $codec: builtin.features=$features"
    exit 1
  fi
done
log "kcat ready: $(kcat -V | sed -n 's/^Version //p')"
