#!/usr/bin/env bash
# Runs one of the load benchmarks against the running platform (./chat up first).
# Usage: bench/run.sh CLASS [ARGS...]   e.g. bench/run.sh TranscriptLoad 20000 200 2000
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -B -q package -DskipTests -pl test-support,bench
./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec "$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" "io.securechat.bench.$1" "${@:2}"
