# Keycloak for the local stack: fetch, start, stop, status, reset. Sourced after lib.sh,
# never run. Realm `chat` comes from stack/keycloak/realm-chat.json (see keycloak/README.md).
# shellcheck shell=bash

# Where the unzipped distribution lives (kept across resets, like every download).
keycloak_home() { echo "$CHAT_CACHE_DIR/keycloak-$KEYCLOAK_VERSION"; }
keycloak_url()  { echo "http://127.0.0.1:$KEYCLOAK_PORT"; }
# The issuer every token carries, whatever Host header the request used (--hostname).
keycloak_issuer() { echo "$(keycloak_url)/realms/chat"; }

# Heap of the Keycloak JVM (kc.sh's own default, except in a container where it takes 70% of RAM).
KEYCLOAK_HEAP=${KEYCLOAK_HEAP:--Xms64m -Xmx512m}
# Kept small: warnings and errors (failed logins show up here), startup and realm import.
KEYCLOAK_LOG_LEVEL=${KEYCLOAK_LOG_LEVEL:-WARN,io.quarkus:INFO,org.keycloak.exportimport:INFO,org.keycloak.services:INFO}
KEYCLOAK_START_TIMEOUT=${KEYCLOAK_START_TIMEOUT:-240}
# Admin of the master realm (admin console and admin API, e.g. to clear a brute-force lockout).
# Local stack only: Keycloak listens on loopback and keeps nothing (--db=dev-mem).
KEYCLOAK_ADMIN_USER=${KEYCLOAK_ADMIN_USER:-admin}
KEYCLOAK_ADMIN_PASSWORD=${KEYCLOAK_ADMIN_PASSWORD:-admin-local-only}

keycloak_http_code() { # URL -> prints the HTTP status (000 when nothing answers)
  curl -s -o /dev/null --max-time 3 -w '%{http_code}' "$1" 2>/dev/null || true
}

# Ready means the management health check says UP and the realm `chat` is served.
keycloak_ready() {
  [ "$(keycloak_http_code "http://127.0.0.1:$KEYCLOAK_MGMT_PORT/health/ready")" = 200 ] &&
    [ "$(keycloak_http_code "$(keycloak_issuer)/.well-known/openid-configuration")" = 200 ]
}

keycloak_fetch() {
  local home zip tmp url
  home=$(keycloak_home)
  if [ -x "$home/bin/kc.sh" ]; then
    ok "Keycloak $KEYCLOAK_VERSION already in $home"
    return 0
  fi
  command -v unzip >/dev/null || die "unzip is missing: apt-get install unzip"
  require_disk 700 "$CHAT_CACHE_DIR"
  # Everything happens in a temporary folder next to the target, then one mv: an interrupted
  # download leaves no half-unzipped Keycloak behind.
  # Leftovers of interrupted fetches (an hour old: not one running now).
  find "$CHAT_CACHE_DIR" -maxdepth 1 -name '.keycloak-fetch.*' -mmin +60 -exec rm -rf {} + 2>/dev/null || true
  tmp=$(mktemp -d "$CHAT_CACHE_DIR/.keycloak-fetch.XXXXXX") || die "cannot create a temporary folder in $CHAT_CACHE_DIR"
  zip=$tmp/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip
  say "fetching org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip from Maven Central (~150 MB)"
  # Run from the empty temporary folder so Maven sees no project (the wrapper finds its own
  # settings next to the script); copy needs no project. Output goes to a log, not the screen.
  local log=$CHAT_LOG_DIR/keycloak-fetch.log sha
  if ! (cd "$tmp" && mvnw_fetch org.apache.maven.plugins:maven-dependency-plugin:3.9.0:copy \
          "-Dartifact=org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" \
          "-DoutputDirectory=$tmp") >"$log" 2>&1 || [ ! -s "$zip" ]; then
    rm -f "$zip"
    url=https://repo.maven.apache.org/maven2/org/keycloak/keycloak-quarkus-dist/$KEYCLOAK_VERSION/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip
    warn "Maven could not fetch the Keycloak zip (see $log); trying $url"
    if ! curl -fsSL --retry 3 -o "$zip" "$url" 2>>"$log" || ! sha=$(curl -fsSL --retry 3 "$url.sha1" 2>>"$log") ||
       [ "$(sha1sum "$zip" | cut -d' ' -f1)" != "${sha:0:40}" ]; then
      rm -rf "$tmp"
      die "could not download org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip from Maven Central (neither Maven nor $url worked; details in $log); check the network and KEYCLOAK_VERSION, then run again"
    fi
  fi
  say "unzipping Keycloak into $home"
  if ! unzip -q "$zip" -d "$tmp/unzipped" || [ ! -x "$tmp/unzipped/keycloak-$KEYCLOAK_VERSION/bin/kc.sh" ]; then
    rm -rf "$tmp"
    die "the Keycloak zip is damaged or has an unexpected layout (no keycloak-$KEYCLOAK_VERSION/bin/kc.sh inside); run again"
  fi
  if [ -x "$home/bin/kc.sh" ]; then # another run finished first
    rm -rf "$tmp"
  else
    [ -e "$home" ] && rm -rf "$home" # leftovers without kc.sh are not a usable Keycloak
    mv "$tmp/unzipped/keycloak-$KEYCLOAK_VERSION" "$home" || { rm -rf "$tmp"; die "cannot move Keycloak into $home"; }
    rm -rf "$tmp"
  fi
  ok "Keycloak $KEYCLOAK_VERSION is in $home"
}

keycloak_start() {
  local home pid t0
  home=$(keycloak_home)
  command -v curl >/dev/null || die "curl is missing (used to check that Keycloak is ready): apt-get install curl"
  if is_alive keycloak; then
    pid=$(pid_of keycloak)
    if keycloak_ready; then
      ok "Keycloak is already running (pid $pid) at $(keycloak_issuer)"
      return 0
    fi
    say "Keycloak (pid $pid) is still starting; waiting until it is ready"
    wait_until "$KEYCLOAK_START_TIMEOUT" "Keycloak" keycloak keycloak_ready ||
      die "Keycloak (pid $pid) did not become ready; see $CHAT_LOG_DIR/keycloak.log"
    ok "Keycloak is ready (pid $pid) at $(keycloak_issuer)"
    return 0
  fi
  rm -f "$CHAT_PID_DIR/keycloak.pid" # stale: the process is gone
  [ -x "$home/bin/kc.sh" ] || keycloak_fetch
  require_java
  require_free_port "$KEYCLOAK_PORT" "Keycloak HTTP"
  require_free_port "$KEYCLOAK_MGMT_PORT" "Keycloak management"
  # The realm is re-imported at every start: --db=dev-mem keeps nothing between runs.
  rm -rf "$home/data/import"
  mkdir -p "$home/data/import"
  cp "$STACK_DIR/keycloak/realm-chat.json" "$home/data/import/realm-chat.json" ||
    die "cannot copy stack/keycloak/realm-chat.json into $home/data/import"
  say "starting Keycloak $KEYCLOAK_VERSION on $(keycloak_url) (management $KEYCLOAK_MGMT_PORT, realm chat, log $CHAT_LOG_DIR/keycloak.log)"
  t0=$SECONDS
  spawn keycloak env JAVA_HOME="$CHAT_JAVA_HOME" JAVA_OPTS_KC_HEAP="$KEYCLOAK_HEAP" \
    KC_BOOTSTRAP_ADMIN_USERNAME="$KEYCLOAK_ADMIN_USER" KC_BOOTSTRAP_ADMIN_PASSWORD="$KEYCLOAK_ADMIN_PASSWORD" \
    "$home/bin/kc.sh" start-dev \
      --db=dev-mem \
      --http-host=127.0.0.1 --http-port="$KEYCLOAK_PORT" \
      --http-management-port="$KEYCLOAK_MGMT_PORT" \
      --health-enabled=true \
      --hostname="$(keycloak_url)" \
      --import-realm \
      --log-level="$KEYCLOAK_LOG_LEVEL"
  pid=$(pid_of keycloak)
  if ! wait_until "$KEYCLOAK_START_TIMEOUT" "Keycloak" keycloak keycloak_ready; then
    stop_pid keycloak 10
    die "Keycloak did not become ready (health on port $KEYCLOAK_MGMT_PORT and realm chat); see $CHAT_LOG_DIR/keycloak.log"
  fi
  ok "Keycloak ready in $((SECONDS - t0))s (pid $pid): issuer $(keycloak_issuer)"
}

keycloak_stop() {
  if is_alive keycloak; then
    stop_pid keycloak 30
    ok "Keycloak stopped"
  else
    rm -f "$CHAT_PID_DIR/keycloak.pid"
    say "Keycloak is not running"
  fi
}

# One line; always returns 0 (use keycloak_ready to test readiness).
keycloak_status() {
  local pid
  if is_alive keycloak; then
    pid=$(pid_of keycloak)
    if keycloak_ready; then
      ok "keycloak: running, ready (pid $pid) $(keycloak_issuer)"
    else
      say "keycloak: running, not ready (pid $pid) $(keycloak_url)"
    fi
  else
    say "keycloak: stopped"
  fi
}

# Removes Keycloak's runtime state (pid, log, the import copy and temporary files in the
# distribution); the unzipped distribution itself stays in the cache.
keycloak_reset() {
  local home
  home=$(keycloak_home)
  is_alive keycloak && keycloak_stop
  rm -f "$CHAT_PID_DIR/keycloak.pid" "$CHAT_LOG_DIR/keycloak.log"
  rm -rf "$home/data"
  ok "Keycloak state removed (the distribution stays in $home)"
}

# Prints the current TOTP code for a secret stored as raw UTF-8 (as in realm-chat.json).
keycloak_totp() { # SECRET [OFFSET_SECONDS]
  python3 - "$1" "${2:-0}" <<'EOF'
import hmac, hashlib, struct, sys, time
key = sys.argv[1].encode("utf-8")
counter = int((time.time() + int(sys.argv[2])) // 30)
mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
o = mac[-1] & 0x0F
print("%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000))
EOF
}
