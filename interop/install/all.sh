#!/usr/bin/env bash
# Installs every external peer the interop tests and golden captures use, idempotently, on a
# fresh Debian machine as root or on a developer's: Apache Kafka (bench/kafka/install.sh), kcat,
# the Python clients, and our franz-go and Java client programs. Prints where each one is.
# Everything goes under ${SLUICE_CACHE:-$HOME/.cache/sluice}; nothing into the repository.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
failed=()
for step in "$here/../../bench/kafka/install.sh" "$here/kcat.sh" "$here/python.sh" "$here/franz-go.sh" "$here/java.sh"; do
  name="$(basename "$(dirname "$step")")/$(basename "$step")"
  echo "== $name" >&2
  if ! bash "$step"; then
    failed+=("$name")
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "interop install failed: ${failed[*]}" >&2
  exit 1
fi
echo "interop install: all peers ready" >&2
