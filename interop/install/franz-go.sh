#!/usr/bin/env bash
# Builds our franz-go client program (interop/franz-go) with modules from the Go module proxy.
# Output: $SLUICE_CACHE/interop/bin/franz-go-client (printed on success); rebuilt only when the
# program's sources change.
set -euo pipefail
# shellcheck source=interop/install/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SRC="$INTEROP_DIR/franz-go"
BIN="$INTEROP_CACHE/bin/franz-go-client"
STAMP="$BIN.sources"
hash="$(sources_hash "$SRC")"
if [[ -x "$BIN" && -f "$STAMP" && "$(cat "$STAMP")" == "$hash" ]]; then
  log "franz-go client already built: $BIN"
  echo "$BIN"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  [[ -x /usr/local/go/bin/go ]] && export PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null 2>&1; then
  log "installing Go with apt-get"
  apt_install golang-go ca-certificates
fi
need="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$SRC/go.mod")"
have="$(go env GOVERSION | sed 's/^go//')"
if [[ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -n 1)" != "$need" ]]; then
  log "Cannot build the franz-go client: go.mod needs Go $need, $(command -v go) is $have"
  exit 1
fi
mkdir -p "$(dirname "$BIN")"
# GOTOOLCHAIN=local: never download another Go toolchain; -mod=readonly: go.sum is the truth.
(cd "$SRC" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go build -trimpath -o "$BIN.partial" .)
mv "$BIN.partial" "$BIN"
echo "$hash" >"$STAMP"
log "built franz-go client with Go $have: $BIN"
echo "$BIN"
