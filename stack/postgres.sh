# PostgreSQL from Debian's package: own data folder, port and socket, SSL on. Sourced by stack.sh.
# shellcheck shell=bash

PG_DIR=$CHAT_RUN_DIR/postgres
PG_DATA=$PG_DIR/data
PG_SOCK=$PG_DIR/socket
# One database and one least-privilege role per service that stores something.
PG_SERVICE_DBS="chat_session chat_moderation chat_transcript chat_audit"

pg_bin() {
  local b
  b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [ -n "$b" ] && [ -x "$b/pg_ctl" ] || return 1
  echo "$b"
}

# Runs a command as the OS user that owns the cluster (postgres when we are root).
pg_as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_psql() { pg_as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PG_PORT" -U postgres "$@"; }

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

pg_pid() { [ -f "$PG_DATA/postmaster.pid" ] && head -n1 "$PG_DATA/postmaster.pid"; }
pg_alive() { local p; p=$(pg_pid) && kill -0 "$p" 2>/dev/null; }

pg_init() {
  [ -f "$PG_DATA/PG_VERSION" ] && return 0
  require_disk 200 "$CHAT_RUN_DIR"
  say "initialising a PostgreSQL cluster in $PG_DATA"
  mkdir -p "$PG_DIR" "$PG_SOCK"
  rm -rf "$PG_DATA"
  mkdir -p "$PG_DATA"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DATA" "$PG_SOCK"; fi
  chmod 700 "$PG_DATA" "$PG_SOCK"
  pg_as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=reject \
    --encoding=UTF8 --locale=C.UTF-8 >"$CHAT_LOG_DIR/postgres-initdb.log" 2>&1 \
    || { rm -rf "$PG_DATA"; die "initdb failed; see $CHAT_LOG_DIR/postgres-initdb.log"; }
  # TLS: the server certificate of the local CA; the key must belong to the cluster owner.
  cp "$CHAT_CERT_DIR/server.crt" "$CHAT_CERT_DIR/server.key" "$CHAT_CERT_DIR/ca.crt" "$PG_DATA/"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DATA"/server.* "$PG_DATA/ca.crt"; fi
  chmod 600 "$PG_DATA/server.key"
  cat >>"$PG_DATA/postgresql.conf" <<CONF

# --- SecureChat local stack (stack/postgres.sh) ---
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCK'
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
ssl_ca_file = 'ca.crt'
ssl_min_protocol_version = 'TLSv1.2'
password_encryption = 'scram-sha-256'
max_connections = 200
shared_buffers = 128MB
log_min_messages = warning
log_connections = off
CONF
  # The socket folder is private to the cluster owner (0700), so trust there is safe; TCP
  # needs TLS and a password, plain TCP is refused.
  cat >"$PG_DATA/pg_hba.conf" <<HBA
# TYPE    DATABASE  USER  ADDRESS        METHOD
local     all       all                  trust
hostssl   all       all   127.0.0.1/32   scram-sha-256
hostnossl all       all   127.0.0.1/32   reject
HBA
}

pg_provision() {
  local db
  for db in $PG_SERVICE_DBS; do
    pg_psql -d postgres >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$db') THEN
    CREATE ROLE $db LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
  END IF;
END \$\$;
ALTER ROLE $db PASSWORD '$db-local-only';
SELECT 'CREATE DATABASE $db OWNER $db' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$db')
\gexec
REVOKE ALL ON DATABASE $db FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE $db TO $db;
SQL
    [ $? -eq 0 ] || die "provisioning database $db failed"
  done
  # audit-service: the owner role (chat_audit) only migrates; the service appends as
  # chat_audit_writer, which the migration grants INSERT and SELECT and nothing else. Its own
  # tests use chat_audit_test, so tampering tests never touch the running platform's trail, and the
  # benchmark chat_audit_bench.
  # chat_dba is a local-only superuser for those tampering tests (never in production).
  pg_psql -d postgres >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'chat_audit_writer') THEN
    CREATE ROLE chat_audit_writer LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'chat_dba') THEN
    CREATE ROLE chat_dba LOGIN SUPERUSER;
  END IF;
END \$\$;
ALTER ROLE chat_audit_writer PASSWORD 'chat_audit_writer-local-only';
ALTER ROLE chat_dba PASSWORD 'chat_dba-local-only';
SELECT 'CREATE DATABASE chat_audit_test OWNER chat_audit' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'chat_audit_test')
\gexec
SELECT 'CREATE DATABASE chat_audit_bench OWNER chat_audit' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'chat_audit_bench')
\gexec
REVOKE ALL ON DATABASE chat_audit_test FROM PUBLIC;
REVOKE ALL ON DATABASE chat_audit_bench FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE chat_audit_test TO chat_audit;
GRANT CONNECT, TEMPORARY ON DATABASE chat_audit_bench TO chat_audit;
GRANT CONNECT ON DATABASE chat_audit TO chat_audit_writer;
GRANT CONNECT ON DATABASE chat_audit_test TO chat_audit_writer;
GRANT CONNECT ON DATABASE chat_audit_bench TO chat_audit_writer;
SQL
  [ $? -eq 0 ] || die "provisioning the audit roles failed"
}

pg_start() {
  PG_BIN=$(pg_bin) || { apt_install postgresql; PG_BIN=$(pg_bin) || die "PostgreSQL binaries not found under /usr/lib/postgresql after installing the package"; }
  certs_ensure
  if pg_alive && pg_ready; then ok "postgres already running (pid $(pg_pid))"; pg_provision; return 0; fi
  require_free_port "$PG_PORT" postgres
  pg_init
  say "starting postgres on 127.0.0.1:$PG_PORT (SSL on)"
  touch "$CHAT_LOG_DIR/postgres.log"
  [ "$(id -u)" -eq 0 ] && chown postgres "$CHAT_LOG_DIR/postgres.log"
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$CHAT_LOG_DIR/postgres.log" -w -t 60 start >/dev/null \
    || { tail -n 20 "$CHAT_LOG_DIR/postgres.log" >&2; die "postgres did not start; see $CHAT_LOG_DIR/postgres.log"; }
  wait_until 30 postgres "" pg_ready || die "postgres is not accepting connections"
  pg_provision
  ok "postgres ready (pid $(pg_pid)); databases: $PG_SERVICE_DBS"
}

pg_stop() {
  PG_BIN=$(pg_bin) || return 0
  if pg_alive; then
    say "stopping postgres (pid $(pg_pid))"
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null || warn "pg_ctl stop failed"
  fi
}

pg_status() {
  PG_BIN=$(pg_bin) || { say "postgres   not installed (installed on start)"; return; }
  if pg_alive && pg_ready; then say "postgres   running  pid $(pg_pid)  127.0.0.1:$PG_PORT (SSL)"
  elif pg_alive; then say "postgres   starting pid $(pg_pid)"
  else say "postgres   stopped"; fi
}

pg_reset() { rm -rf "$PG_DIR"; }
