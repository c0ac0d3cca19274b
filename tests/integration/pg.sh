# Starts a throwaway PostgreSQL for one test run: its own data directory in a
# scratch folder, its own port, stopped and removed on exit. Sourced by the
# integration test scripts, which then use $PGHOST $PGPORT (superuser
# "postgres", trust authentication on a Unix socket in the scratch folder).
#
# The server refuses to run as root; when we are root it runs as the
# "postgres" OS user (the Debian package creates it).

pg_bindir=$(pg_config --bindir 2>/dev/null)
# Debian's pg_config may point at /usr/bin; the server binaries live in the versioned dir.
if [[ ! -x $pg_bindir/initdb ]]; then
  pg_bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
fi
[[ -x $pg_bindir/initdb ]] || { echo "pg.sh: PostgreSQL server binaries not found" >&2; exit 1; }

pg_dir=$(mktemp -d /tmp/sqlwarden-pg.XXXXXX)
chmod 755 "$pg_dir"
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [[ $(id -u) -eq 0 ]]; then chown postgres "$pg_dir"; fi

# A free port: ask the kernel.
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PGPORT
export PGHOST=$pg_dir
export PGUSER=postgres
export PGDATABASE=postgres

pg_stop() {
  as_pg "$pg_bindir/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap pg_stop EXIT

as_pg "$pg_bindir/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 ||
  { cat "$pg_dir/initdb.log" >&2; exit 1; }
as_pg "$pg_bindir/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-p $PGPORT -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off ${PG_EXTRA_OPTIONS:-}" start >/dev/null ||
  { cat "$pg_dir/server.log" >&2; exit 1; }
