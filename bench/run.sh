#!/usr/bin/env bash
# Runs one of the load benchmarks against the running platform (./chat up first).
# Usage: bench/run.sh CLASS [ARGS...]   e.g. bench/run.sh TranscriptLoad 20000 200 2000
# (AuditLoad starts an audit-service instance of its own from its jar: build it first.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# One reactor build: the sibling modules bench uses are resolved from it (they are not installed).
./mvnw -B -q -DskipTests -pl test-support,audit-proof,bench package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt
exec "$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" "io.securechat.bench.$1" "${@:2}"
