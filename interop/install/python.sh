#!/usr/bin/env bash
# confluent-kafka (librdkafka inside its wheel) and kafka-python, in a venv under the cache.
# Debian bookworm has python3-confluent-kafka 1.7.0 (librdkafka 2.0.2) and python3-kafka 2.0.2,
# years older than the clients people run against Kafka 4 (kafka-python 2.0.2 predates
# Kafka 4's removal of old protocol versions), so we take current releases from PyPI, pinned.
# Use: "$SLUICE_CACHE/interop/python/bin/python" interop/python/client.py ... (the python is printed on success).
set -euo pipefail
# shellcheck source=interop/install/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CONFLUENT_KAFKA_VERSION="${CONFLUENT_KAFKA_VERSION:-2.16.1}"
KAFKA_PYTHON_VERSION="${KAFKA_PYTHON_VERSION:-3.0.12}"
VENV="$INTEROP_CACHE/python"
# kafka-python needs these extras for the snappy, lz4 and zstd codecs (gzip is built in), and
# xxhash to write Kafka's old magic-0 LZ4 framing (api_version 0.9).
XXHASH_VERSION="${XXHASH_VERSION:-3.6.0}"
WANT="confluent-kafka==$CONFLUENT_KAFKA_VERSION kafka-python[lz4,snappy,zstd]==$KAFKA_PYTHON_VERSION xxhash==$XXHASH_VERSION"

if [[ -f "$VENV/.complete" && "$(cat "$VENV/.complete")" == "$WANT" ]]; then
  log "python clients already installed in $VENV ($WANT)"
  echo "$VENV/bin/python"
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1 || ! python3 -m venv --help >/dev/null 2>&1 ||
  ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  log "installing python3 and python3-venv with apt-get"
  apt_install python3 python3-venv
fi
rm -rf "$VENV"
python3 -m venv "$VENV"
# shellcheck disable=SC2086
if ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check $WANT >"$INTEROP_CACHE/pip.log" 2>&1; then
  cat "$INTEROP_CACHE/pip.log" >&2
  log "Cannot install python clients: pip install $WANT failed (log above)"
  exit 1
fi
"$VENV/bin/python" -c 'import confluent_kafka, kafka; print("confluent-kafka", confluent_kafka.__version__, "librdkafka", confluent_kafka.libversion()[0], "kafka-python", kafka.__version__)' >&2
echo "$WANT" >"$VENV/.complete"
echo "$VENV/bin/python"
