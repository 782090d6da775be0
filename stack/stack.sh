#!/usr/bin/env bash
# The local stack: Kafka (KRaft), Keycloak, PostgreSQL, Redis and a local CA, all on 127.0.0.1.
#   stack/stack.sh start|stop|status|reset [COMPONENT...]
# Components: postgres redis kafka keycloak (default: all). Every command is idempotent.
set -uo pipefail
# shellcheck source=stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for f in packages certs keys postgres redis kafka keycloak; do
  # shellcheck disable=SC1090
  source "$STACK_DIR/$f.sh"
done

ALL="postgres redis kafka keycloak"
cmd=${1:-status}; shift || true
components=${*:-$ALL}
for c in $components; do
  case " $ALL " in *" $c "*) ;; *) die "unknown component '$c' (known: $ALL)";; esac
done

fn() { case $1 in postgres) echo pg;; *) echo "$1";; esac; }

started=()
cleanup_on_failure() {
  local rc=$?
  if [ $rc -ne 0 ] && [ ${#started[@]} -gt 0 ]; then
    warn "start failed: stopping what this run started (${started[*]}) so no half-started stack is left"
    local c
    for c in "${started[@]}"; do "$(fn "$c")_stop" || true; done
  fi
}

case $cmd in
  start)
    require_java
    require_disk 1024 "$CHAT_RUN_DIR"
    keys_ensure
    trap cleanup_on_failure EXIT
    t0=$(date +%s)
    for c in $components; do
      was_running=
      case $c in
        postgres) pg_start_check() { PG_BIN=$(pg_bin 2>/dev/null) && pg_alive; }; pg_start_check && was_running=1;;
        redis|kafka|keycloak) is_alive "$c" && was_running=1;;
      esac
      "$(fn "$c")_start"
      [ -z "$was_running" ] && started+=("$c")
    done
    trap - EXIT
    ok "stack ready in $(( $(date +%s) - t0 ))s; logs in $CHAT_LOG_DIR"
    ;;
  stop)
    for c in $(echo "$components" | tr ' ' '\n' | tac); do "$(fn "$c")_stop"; done
    ok "stopped: $components"
    ;;
  status)
    certs_status
    keys_status
    for c in $components; do "$(fn "$c")_status"; done
    ;;
  reset)
    say "reset: stopping and deleting the data of: $components (downloads in $CHAT_CACHE_DIR stay)"
    for c in $(echo "$components" | tr ' ' '\n' | tac); do "$(fn "$c")_stop"; "$(fn "$c")_reset"; done
    if [ "$components" = "$ALL" ]; then rm -rf "$CHAT_CERT_DIR" "$CHAT_KEY_DIR"; say "removed the local CA, certificates and key material"; fi
    ok "reset done; 'stack/stack.sh start' builds everything afresh"
    ;;
  *) die "usage: stack/stack.sh start|stop|status|reset [${ALL// /|}...]";;
esac
