# Redis from Debian's package, own port and folder. Sourced by stack.sh.
# shellcheck shell=bash

REDIS_DIR=$CHAT_RUN_DIR/redis

redis_ready() { [ "$(REDISCLI_AUTH=$CHAT_REDIS_PASSWORD redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

redis_start() {
  command -v redis-server >/dev/null || apt_install redis-server
  command -v redis-server >/dev/null || die "redis-server not found after installing the package"
  if is_alive redis && redis_ready; then ok "redis already running (pid $(pid_of redis))"; return 0; fi
  require_free_port "$REDIS_PORT" redis
  mkdir -p "$REDIS_DIR"
  # Redis holds only caches, counters and short-lived tickets: losing it loses nothing durable,
  # so no persistence. The password is local-only (see lib.sh).
  cat >"$REDIS_DIR/redis.conf" <<CONF
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
requirepass $CHAT_REDIS_PASSWORD
dir $REDIS_DIR
save ""
appendonly no
maxmemory 256mb
maxmemory-policy noeviction
loglevel warning
CONF
  chmod 600 "$REDIS_DIR/redis.conf"
  say "starting redis on 127.0.0.1:$REDIS_PORT"
  spawn redis redis-server "$REDIS_DIR/redis.conf"
  wait_until 20 redis redis redis_ready || { stop_pid redis 5; die "redis did not start"; }
  ok "redis ready (pid $(pid_of redis))"
}

redis_stop() { stop_pid redis 10; }

redis_status() {
  if is_alive redis && redis_ready; then say "redis      running  pid $(pid_of redis)  127.0.0.1:$REDIS_PORT"
  else say "redis      stopped"; fi
}

redis_reset() { rm -rf "$REDIS_DIR"; }
