# Shared helpers for the local stack scripts. Sourced, never run.
# shellcheck shell=bash

STACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$STACK_DIR/.." && pwd)
# Runtime state (data, logs, pids, certificates): one folder, removed by `reset`.
CHAT_RUN_DIR=${CHAT_RUN_DIR:-$REPO_DIR/.run}
# Downloads (Kafka jars, Keycloak zip): kept across resets so a reset is fast.
CHAT_CACHE_DIR=${CHAT_CACHE_DIR:-$HOME/.cache/securechat}
CHAT_LOG_DIR=$CHAT_RUN_DIR/logs
CHAT_PID_DIR=$CHAT_RUN_DIR/pids
CHAT_CERT_DIR=$CHAT_RUN_DIR/certs

# Versions of what the stack fetches.
KAFKA_VERSION=${KAFKA_VERSION:-4.4.0}
KEYCLOAK_VERSION=${KEYCLOAK_VERSION:-26.5.6}

# Ports (ARCHITECTURE section 9); every one can be overridden from the environment.
KAFKA_PORT=${KAFKA_PORT:-19092}
KAFKA_SSL_PORT=${KAFKA_SSL_PORT:-19094}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-19093}
KEYCLOAK_PORT=${KEYCLOAK_PORT:-18080}
KEYCLOAK_MGMT_PORT=${KEYCLOAK_MGMT_PORT:-19000}
PG_PORT=${PG_PORT:-15432}
REDIS_PORT=${REDIS_PORT:-16379}

# Passwords of the local stack only; they protect nothing but a loopback demo, and the
# Helm chart takes real ones from Secrets.
CHAT_STORE_PASSWORD=${CHAT_STORE_PASSWORD:-changeit-local}
CHAT_REDIS_PASSWORD=${CHAT_REDIS_PASSWORD:-redis-local-only}

mkdir -p "$CHAT_LOG_DIR" "$CHAT_PID_DIR" "$CHAT_CACHE_DIR"

if [ -t 1 ]; then _b=$'\e[1m'; _r=$'\e[31m'; _g=$'\e[32m'; _y=$'\e[33m'; _n=$'\e[0m'; else _b=; _r=; _g=; _y=; _n=; fi
say()  { printf '%s[%s]%s %s\n' "$_b" "${LOG_TAG:-stack}" "$_n" "$*"; }
ok()   { printf '%s[%s]%s %s%s%s\n' "$_b" "${LOG_TAG:-stack}" "$_n" "$_g" "$*" "$_n"; }
warn() { printf '%s[%s]%s %s%s%s\n' "$_b" "${LOG_TAG:-stack}" "$_n" "$_y" "$*" "$_n" >&2; }
die()  { printf '%s[%s] error:%s %s\n' "$_r" "${LOG_TAG:-stack}" "$_n" "$*" >&2; exit 1; }

# A JDK >= 21 for Kafka, Keycloak and the services; Temurin 25 on these machines.
find_java_home() {
  local c v
  # CHAT_JDK_SEARCH: the folders holding JDKs (default /usr/lib/jvm).
  local search=${CHAT_JDK_SEARCH:-/usr/lib/jvm}
  for c in "${CHAT_JAVA_HOME:-}" "${JAVA_HOME:-}" "$search"/temurin-25-jdk-amd64 "$search"/temurin-21-jdk-amd64 "$search"/*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    v=$("$c/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
    if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}
require_java() {
  if [ -z "${CHAT_JAVA:-}" ]; then
    local h
    h=$(find_java_home) || die "no JDK 21 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm): install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 25, or set CHAT_JAVA_HOME"
    export CHAT_JAVA_HOME=$h CHAT_JAVA=$h/bin/java
  fi
}

require_disk() { # MiB needed in the folder given (CHAT_DISK_RESERVE_MB: extra MiB to keep free)
  local need=$(( $1 + ${CHAT_DISK_RESERVE_MB:-0} )) dir=$2 free
  mkdir -p "$dir"
  free=$(df -Pm "$dir" | awk 'NR==2 {print $4}')
  [ "${free:-0}" -ge "$need" ] || die "not enough disk in $dir: ${free} MiB free, ${need} MiB needed; free some space and run again"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Who holds a TCP port on loopback, for the error message when it is taken.
port_holder() {
  local p=$1 out
  if command -v ss >/dev/null; then
    out=$(ss -Hltnp "sport = :$p" 2>/dev/null | grep -o 'users:(([^)]*))' | head -n1)
    [ -n "$out" ] && { echo "$out"; return; }
  fi
  if command -v fuser >/dev/null; then out=$(fuser -n tcp "$p" 2>/dev/null); [ -n "$out" ] && { echo "pid$out"; return; }; fi
  echo "an unknown process"
}

# Fails with the port and its holder if another process already listens there.
require_free_port() {
  local p=$1 what=$2
  if port_open "$p"; then
    die "port $p (needed by $what) is already taken by $(port_holder "$p"); stop that process or set the port variable (see docs/local-stack.md)"
  fi
}

pid_of()   { [ -f "$CHAT_PID_DIR/$1.pid" ] && cat "$CHAT_PID_DIR/$1.pid"; }
is_alive() { local p; p=$(pid_of "$1") && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

# wait_until SECONDS DESCRIPTION NAME CMD... : polls CMD every second; fails early if the
# process NAME (pid file) died, and prints the tail of its log.
wait_until() {
  local secs=$1 what=$2 name=$3; shift 3
  local i=0
  while ! "$@" >/dev/null 2>&1; do
    if [ -n "$name" ] && [ -f "$CHAT_PID_DIR/$name.pid" ] && ! is_alive "$name"; then
      warn "$what: the process exited; last lines of $CHAT_LOG_DIR/$name.log:"
      tail -n 30 "$CHAT_LOG_DIR/$name.log" >&2 || true
      return 1
    fi
    i=$((i + 1))
    if [ "$i" -ge "$secs" ]; then warn "$what: not ready after ${secs}s (log: $CHAT_LOG_DIR/$name.log)"; return 1; fi
    if [ $((i % 10)) -eq 0 ]; then say "  still waiting for $what (${i}s)"; fi
    sleep 1
  done
}

# Starts a long-running process detached, with its log and pid file.
spawn() { # NAME CMD...
  local name=$1; shift
  # The previous run's log is kept once (NAME.log.prev): a restart mid-test must not erase what led to it.
  [ -s "$CHAT_LOG_DIR/$name.log" ] && mv -f "$CHAT_LOG_DIR/$name.log" "$CHAT_LOG_DIR/$name.log.prev"
  : >"$CHAT_LOG_DIR/$name.log"
  setsid "$@" >>"$CHAT_LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$CHAT_PID_DIR/$name.pid"
}

# Stops a process started by spawn: SIGTERM, then SIGKILL after the grace period.
stop_pid() { # NAME [GRACE_SECONDS]
  local name=$1 grace=${2:-20} pid i
  pid=$(pid_of "$name") || { return 0; }
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    say "stopping $name (pid $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 2; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then warn "$name did not stop in ${grace}s; killing it"; kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$CHAT_PID_DIR/$name.pid"
}

# Runs the project's Maven wrapper quietly with a JDK >= 21 (used to fetch artifacts).
mvnw_fetch() {
  require_java
  JAVA_HOME=$CHAT_JAVA_HOME "$REPO_DIR/mvnw" -B -q "$@"
}
