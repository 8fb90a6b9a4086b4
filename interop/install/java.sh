#!/usr/bin/env bash
# Builds our Java client program (interop/java) on org.apache.kafka:kafka-clients with Maven.
# Output: $SLUICE_CACHE/interop/java/{classes,lib} and the launcher
# $SLUICE_CACHE/interop/bin/java-client (printed on success); rebuilt only when sources change.
set -euo pipefail
# shellcheck source=interop/install/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SRC="$INTEROP_DIR/java"
OUT="$INTEROP_CACHE/java"
BIN="$INTEROP_CACHE/bin/java-client"
STAMP="$OUT/.sources"
hash="$(sources_hash "$SRC")"
if [[ -x "$BIN" && -f "$STAMP" && "$(cat "$STAMP")" == "$hash" ]]; then
  log "Java client already built: $BIN"
  echo "$BIN"
  exit 0
fi
if ! command -v java >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
  log "installing OpenJDK 17 and Maven with apt-get"
  apt_install openjdk-17-jdk-headless maven
fi
rm -rf "$OUT"
mkdir -p "$OUT" "$(dirname "$BIN")"
if ! mvn -q -B -f "$SRC/pom.xml" "-Dsluice.build.dir=$OUT" compile dependency:copy-dependencies \
  -DincludeScope=runtime "-DoutputDirectory=$OUT/lib" >"$OUT/mvn.log" 2>&1; then
  cat "$OUT/mvn.log" >&2
  log "Cannot build the Java client: mvn compile failed in $SRC (log above)"
  exit 1
fi
cat >"$BIN" <<LAUNCHER
#!/usr/bin/env bash
exec java -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$OUT/classes:$OUT/lib/*" dev.sluice.interop.JavaClient "\$@"
LAUNCHER
chmod +x "$BIN"
echo "$hash" >"$STAMP"
log "built Java client: $BIN"
echo "$BIN"
