#!/usr/bin/env bash
# Runs one of Kafka's CLI tools with the classpath installed by install.sh, by the name of its
# bin/ script or by main class:
#   bench/kafka/kafka-tool.sh kafka-topics --bootstrap-server 127.0.0.1:9092 --list
#   bench/kafka/kafka-tool.sh kafka-producer-perf-test --topic t --num-records 1000 \
#     --record-size 100 --throughput -1 --producer-props bootstrap.servers=127.0.0.1:9092
#   bench/kafka/kafka-tool.sh org.apache.kafka.tools.GetOffsetShell --bootstrap-server ...
# KAFKA_VERSION, SLUICE_CACHE and KAFKA_HEAP_MB (default 256) are read from the environment.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $# -lt 1 ]]; then
  echo "usage: $0 <kafka-tool-name | main.Class> [args...]" >&2
  exit 2
fi
tool="${1%.sh}"
shift
libs="$(bash "$here/install.sh" --print-libs)"
home="$(dirname "$libs")"
# The same table as kafka-tools.ts (kafkaToolMainClasses); a name with a dot is a class name.
main_class="$(sed -n "s/^  '$tool': '\([^']*\)',\$/\1/p" "$here/kafka-tools.ts")"
if [[ -z "$main_class" ]]; then
  if [[ "$tool" == *.* ]]; then
    main_class="$tool"
  else
    echo "Cannot run Kafka tool '$tool': not in kafkaToolMainClasses of $here/kafka-tools.ts nor a class name" >&2
    exit 2
  fi
fi
exec java "-Xmx${KAFKA_HEAP_MB:-256}m" -Djava.awt.headless=true \
  "-Dlog4j2.configurationFile=$home/log4j2.properties" -Dsluice.kafka.logLevel=WARN \
  -cp "$libs/*" "$main_class" "$@"
