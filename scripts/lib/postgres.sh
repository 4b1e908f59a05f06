# A throwaway PostgreSQL server for tests and benchmarks (sourced, not run): Debian's package,
# a temporary data directory, loopback only, trust authentication, no fsync (nothing in it
# needs to survive). PostgreSQL refuses to run as root, so as root it runs as the `postgres`
# user (created by the Debian package) with the directory handed over to it.
#   start_test_postgres [durable]   sets PG_TEST_DIR, PG_TEST_PORT and PG_TEST_URL (a superuser
#                                   URL); `durable` keeps fsync on (benchmarks compare it with
#                                   SQLite's synchronous=FULL)
#   stop_test_postgres    stops it and removes its directory (safe to call twice)

postgres_bin_dir() { # the newest installed server's binaries
  local dirs=(/usr/lib/postgresql/*/bin)
  [ -x "${dirs[-1]}/initdb" ] || { echo "error: PostgreSQL is not installed (Debian package postgresql)" >&2; return 1; }
  printf '%s\n' "${dirs[@]}" | sort -V | tail -n 1
}

free_tcp_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_test_postgres() {
  local bin; bin="$(postgres_bin_dir)"
  local speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${1:-}" = durable ] && speed=""
  PG_TEST_DIR="$(mktemp -d /tmp/planning-postgres.XXXXXX)"
  PG_TEST_PORT="$(free_tcp_port)"
  local as_owner=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$PG_TEST_DIR"
    as_owner=(runuser -u postgres --)
  fi
  "${as_owner[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$PG_TEST_DIR/initdb.log" 2>&1 || { cat "$PG_TEST_DIR/initdb.log" >&2; return 1; }
  "${as_owner[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_TEST_PORT -k $PG_TEST_DIR -c max_connections=300 -c shared_buffers=128MB $speed" \
    start >/dev/null || { cat "$PG_TEST_DIR/server.log" >&2; return 1; }
  PG_TEST_URL="postgres://postgres@127.0.0.1:$PG_TEST_PORT/postgres"
  PG_TEST_AS_OWNER=("${as_owner[@]}")
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_TEST_PORT (data in $PG_TEST_DIR)"
}

stop_test_postgres() {
  [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR" ] || return 0
  "${PG_TEST_AS_OWNER[@]}" "$(postgres_bin_dir)/pg_ctl" -D "$PG_TEST_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_TEST_DIR"
  PG_TEST_DIR=""
}
