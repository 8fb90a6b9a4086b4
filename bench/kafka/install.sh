#!/usr/bin/env bash
# Installs Apache Kafka (broker + CLI/perf tools + a log4j2 binding) from Maven Central into a
# cache folder outside the repository. Idempotent: a complete install is skipped.
#
#   bench/kafka/install.sh            # installs KAFKA_VERSION (default below)
#   KAFKA_VERSION=4.3.1 bench/kafka/install.sh
#   bench/kafka/install.sh --print-libs   # prints the libs folder (installing first if needed)
#
# Result: ${SLUICE_CACHE:-$HOME/.cache/sluice}/kafka-<version>/libs/*.jar, plus a `.complete`
# marker. Everything runs from that classpath: see kafka-process.ts and kafka-tool.sh.
set -euo pipefail

KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
# log4j2 is what Kafka's own distribution ships since 4.0; Kafka still uses SLF4J 1.7, so the
# binding is log4j-slf4j-impl (not the slf4j2 one).
LOG4J_VERSION="${LOG4J_VERSION:-2.24.3}"
CACHE_DIR="${SLUICE_CACHE:-$HOME/.cache/sluice}"
KAFKA_HOME="$CACHE_DIR/kafka-$KAFKA_VERSION"
LIBS_DIR="$KAFKA_HOME/libs"

log() { echo "[kafka-install] $*" >&2; }
WORK_DIR=""
cleanup() { if [[ -n "$WORK_DIR" ]]; then rm -rf "$WORK_DIR"; fi; }
trap cleanup EXIT

ensure_java_and_maven() {
  if command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then
    return
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    log "Cannot install Kafka: java and mvn are required and apt-get is not available"
    exit 1
  fi
  log "installing OpenJDK 17 and Maven with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q openjdk-17-jdk-headless maven >/dev/null
}

java_major_version() {
  java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}

write_pom() {
  local dir="$1"
  cat >"$dir/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sluice.bench</groupId>
  <artifactId>kafka-install</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-api</artifactId><version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
EOF
}

write_log4j_config() {
  # Broker logs go to stdout (captured by the launcher into the data dir); chatty loggers are
  # kept at WARN so a log stays small enough to read after a failed test.
  cat >"$KAFKA_HOME/log4j2.properties" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = ${sys:sluice.kafka.logLevel:-INFO}
rootLogger.appenderRef.out.ref = STDOUT
logger.kafkaRequest.name = kafka.request.logger
logger.kafkaRequest.level = WARN
logger.controller.name = org.apache.kafka.controller
logger.controller.level = INFO
logger.stateChange.name = state.change.logger
logger.stateChange.level = WARN
logger.zk.name = org.apache.zookeeper
logger.zk.level = WARN
EOF
}

main() {
  if [[ -f "$LIBS_DIR/.complete" ]]; then
    [[ "${1:-}" == "--print-libs" ]] || log "Kafka $KAFKA_VERSION already installed in $LIBS_DIR"
  else
    ensure_java_and_maven
    local major
    major="$(java_major_version)"
    if [[ -z "$major" || "$major" -lt 17 ]]; then
      log "Cannot run Kafka $KAFKA_VERSION: it needs Java 17 or newer, found '$major'"
      exit 1
    fi
    WORK_DIR="$(mktemp -d)"
    local work="$WORK_DIR"
    write_pom "$work"
    log "resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION and kafka-tools with Maven"
    mkdir -p "$KAFKA_HOME"
    rm -rf "$LIBS_DIR.partial"
    if ! mvn -q -B -f "$work/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$LIBS_DIR.partial" >"$work/mvn.log" 2>&1; then
      cat "$work/mvn.log" >&2
      log "Cannot install Kafka $KAFKA_VERSION: mvn dependency:copy-dependencies failed (log above)"
      exit 1
    fi
    local count
    count="$(find "$LIBS_DIR.partial" -name '*.jar' | wc -l)"
    if [[ ! -f "$LIBS_DIR.partial/kafka_2.13-$KAFKA_VERSION.jar" ]]; then
      log "Cannot install Kafka $KAFKA_VERSION: kafka_2.13-$KAFKA_VERSION.jar missing among $count jars"
      exit 1
    fi
    rm -rf "$LIBS_DIR"
    mv "$LIBS_DIR.partial" "$LIBS_DIR"
    write_log4j_config
    echo "$KAFKA_VERSION" >"$LIBS_DIR/.complete"
    log "installed Kafka $KAFKA_VERSION ($count jars) into $LIBS_DIR"
  fi
  [[ -f "$KAFKA_HOME/log4j2.properties" ]] || write_log4j_config
  if [[ "${1:-}" == "--print-libs" ]]; then
    echo "$LIBS_DIR"
  fi
}

main "$@"
