#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the sync server's tests, from Debian's
# packages, on loopback only, in a temporary folder.
#
#   scripts/pg.sh start   initdb + pg_ctl start; writes DIR/env (the
#                         SHEQU_TEST_PG* variables the tests read)
#   scripts/pg.sh stop    stops it and removes the folder
#
# DIR is $SHEQU_PG_DIR or /tmp/shequ-pg-$UID. As root, the server runs as
# the postgres user (initdb refuses root). Never reads stdin.
set -euo pipefail

DIR=${SHEQU_PG_DIR:-/tmp/shequ-pg-$(id -u)}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$BIN" ] || [ ! -x "$BIN/pg_ctl" ]; then
	echo "pg: PostgreSQL is not installed (Debian package postgresql)" >&2
	exit 1
fi

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

stop() {
	if [ -f "$DIR/data/postmaster.pid" ]; then
		as_pg "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$DIR"
}

case ${1:-} in
start)
	stop
	mkdir -p "$DIR"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres: "$DIR"
	fi
	# A free port: one nothing answers on.
	PORT=
	for p in $(shuf -i 20000-60000 -n 50); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			PORT=$p
			break
		fi
	done
	if [ -z "$PORT" ]; then
		echo "pg: no free port" >&2
		exit 1
	fi
	as_pg "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log"
	# fsync off: the tests crash the server process (stop -m immediate),
	# never the machine, so what was written survives in the page cache.
	as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
		-o "-h 127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=300" start >/dev/null
	cat >"$DIR/env" <<-ENV
		SHEQU_TEST_PG=postgres://postgres@127.0.0.1:$PORT/postgres?sslmode=disable
		SHEQU_TEST_PGCTL=$BIN/pg_ctl
		SHEQU_TEST_PGDATA=$DIR/data
		SHEQU_TEST_PGPORT=$PORT
		SHEQU_TEST_PGSOCK=$DIR
	ENV
	echo "pg: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT ($DIR)"
	;;
stop)
	stop
	echo "pg: stopped"
	;;
*)
	echo "usage: $0 start|stop" >&2
	exit 2
	;;
esac
