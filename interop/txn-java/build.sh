#!/usr/bin/env bash
# Builds the exactly-once consume-transform-produce program (interop/txn-java/src) with javac
# against the kafka-clients jars that interop/install/java.sh already fetched.
# Output: $SLUICE_CACHE/interop/txn-java/classes (printed on success).
set -euo pipefail
CACHE="${SLUICE_CACHE:-$HOME/.cache/sluice}/interop"
LIB="$CACHE/java/lib"
OUT="$CACHE/txn-java/classes"
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/src"
if [[ ! -d "$LIB" ]]; then
  echo "Cannot build the txn Java program: $LIB is missing: run bash interop/install/java.sh" >&2
  exit 1
fi
mkdir -p "$OUT"
javac -nowarn -d "$OUT" -cp "$LIB/*" "$SRC"/*.java
echo "$OUT"
