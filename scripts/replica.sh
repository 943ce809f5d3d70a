#!/usr/bin/env bash
# A PostgreSQL hot standby of a local server, for CI and for trying the read
# replicas on one machine (docs/scaling.md, "Read replicas").
#
#   scripts/replica.sh start    pg_basebackup -R of the primary into REPLICA_DIR, started on REPLICA_PORT
#   scripts/replica.sh status   is it up, in recovery, and how far behind
#   scripts/replica.sh stop     stop it and delete REPLICA_DIR
#
# Run as root (the server binaries then run as the postgres OS user through
# runuser) or as the postgres user. The standby is a physical copy of the
# whole cluster: every database of the primary, the test databases too.
#
# The primary must accept replication connections. wal_level must be replica
# or logical and max_wal_senders > 0 (changing them needs a restart: the script
# only checks them). If pg_hba.conf has no `replication` line for 127.0.0.1,
# `start` appends one (host replication all 127.0.0.1/32 trust) and reloads the
# primary's configuration: idempotent, and only when the hba file is writable.
# No replication slot is made: a slot left behind by a killed run would keep
# WAL on the primary forever; a standby that falls too far behind is simply
# rebuilt by the next `start`.
set -Eeuo pipefail

PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICA_PORT=${REPLICA_PORT:-5433}
REPLICA_DIR=${REPLICA_DIR:-/tmp/claims-replica-${REPLICA_PORT}}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_OS_USER=${PG_OS_USER:-postgres}

say() { printf 'replica: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

as_pg() {  # run a server binary as the postgres OS user
  if [ "$(id -un)" = "$PG_OS_USER" ]; then
    "$@"
  elif [ "$(id -u)" -eq 0 ]; then
    runuser -u "$PG_OS_USER" -- "$@"
  else
    die "run as root or as the ${PG_OS_USER} user"
  fi
}

primary() { psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
standby() { psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -XAtq -v ON_ERROR_STOP=1 -c "$1"; }

check_primary() {
  pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres \
    || die "the primary at ${PRIMARY_HOST}:${PRIMARY_PORT} is not reachable"
  local wal_level senders
  wal_level=$(primary "SHOW wal_level")
  senders=$(primary "SHOW max_wal_senders")
  case "$wal_level" in replica | logical) ;; *) die "the primary has wal_level=${wal_level}: set it to replica and restart it" ;; esac
  [ "$senders" -gt 0 ] || die "the primary has max_wal_senders=0: raise it and restart it"

  # A replication connection matches only `replication` lines of pg_hba.conf, never `all`.
  local allowed hba
  allowed=$(primary "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database)
                     AND (type = 'local' OR address IS NULL OR address = '${PRIMARY_HOST}' OR address = 'all')")
  if [ "$allowed" -eq 0 ]; then
    hba=$(primary "SHOW hba_file")
    [ -w "$hba" ] || die "${hba} has no replication line for ${PRIMARY_HOST} and is not writable here"
    say "allowing replication connections from ${PRIMARY_HOST}: appending to ${hba} and reloading"
    printf '%s\n' "# Added by expert-claims scripts/replica.sh: streaming replication for the local hot standby." \
      "host    replication     all             ${PRIMARY_HOST}/32            trust" >>"$hba"
    primary "SELECT pg_reload_conf()" >/dev/null
    sleep 0.5
  fi
}

start() {
  if [ -f "${REPLICA_DIR}/postmaster.pid" ] && standby "SELECT 1" >/dev/null 2>&1; then
    say "already running on port ${REPLICA_PORT} (${REPLICA_DIR})"
    return
  fi
  check_primary
  rm -rf "$REPLICA_DIR"
  mkdir -p "$REPLICA_DIR"
  chmod 700 "$REPLICA_DIR"
  [ "$(id -u)" -eq 0 ] && chown "$PG_OS_USER": "$REPLICA_DIR"

  say "base backup of ${PRIMARY_HOST}:${PRIMARY_PORT} into ${REPLICA_DIR}"
  # -R writes standby.signal and primary_conninfo; -X stream copies the WAL made during the backup.
  as_pg "$PG_BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres \
    -D "$REPLICA_DIR" -R -X stream -c fast --no-sync

  # A hot standby needs these at least as large as on the primary, or it refuses to start.
  local setting value
  {
    echo "# Written by scripts/replica.sh: a hot standby of ${PRIMARY_HOST}:${PRIMARY_PORT}."
    echo "port = ${REPLICA_PORT}"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '${REPLICA_DIR}'"
    echo "hot_standby = on"
    echo "shared_buffers = 16MB"
    echo "fsync = off"
    for setting in max_connections max_worker_processes max_wal_senders max_prepared_transactions \
      max_locks_per_transaction; do
      value=$(primary "SHOW ${setting}")
      echo "${setting} = ${value}"
    done
  } | as_pg tee "${REPLICA_DIR}/postgresql.conf" >/dev/null
  printf '%s\n' "local all all trust" "host all all 127.0.0.1/32 trust" | as_pg tee "${REPLICA_DIR}/pg_hba.conf" >/dev/null
  as_pg touch "${REPLICA_DIR}/pg_ident.conf"

  as_pg "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -l "${REPLICA_DIR}/server.log" -w -t 60 -s start \
    || { tail -20 "${REPLICA_DIR}/server.log" >&2; die "the standby did not start"; }
  [ "$(standby "SELECT pg_is_in_recovery()")" = "t" ] || die "the server on port ${REPLICA_PORT} is not in recovery"
  say "hot standby up on 127.0.0.1:${REPLICA_PORT}"
}

status() {
  pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres || die "no standby on port ${REPLICA_PORT}"
  echo "in recovery: $(standby "SELECT pg_is_in_recovery()")"
  echo "replay lag (bytes): $(standby "SELECT pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())")"
  primary "SELECT client_addr, state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) AS lag_bytes
           FROM pg_stat_replication"
}

stop() {
  if [ -f "${REPLICA_DIR}/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w -s stop || true
  fi
  rm -rf "$REPLICA_DIR"
  say "stopped; ${REPLICA_DIR} removed"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start|stop|status" ;;
esac
