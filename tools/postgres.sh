#!/usr/bin/env bash
# A throwaway PostgreSQL/PostGIS server for the tests (CI and local), from Debian's packages
# (postgresql, postgresql-postgis):
#
#   bash tools/postgres.sh start DIR PORT   # new cluster in DIR, on 127.0.0.1:PORT, with PostGIS
#   eval "$(bash tools/postgres.sh env DIR PORT)"   # GEO_TRYGG_POSTGRES_URL and PGPASSWORD
#   bash tools/postgres.sh stop DIR         # stop the server and remove DIR
#   bash tools/postgres.sh free-port [FROM] # the first port from FROM (54329) nobody listens on
#
# The cluster's superuser is the role geo_trygg; its password is random and kept only in
# DIR/password (mode 600); TCP logins need it (scram-sha-256). The server listens on 127.0.0.1
# only, its socket is in DIR, and it runs without fsync (test data only). Run as root, the
# server runs as the user postgres (initdb refuses root), so DIR must be reachable by postgres
# (mktemp -d under /tmp is).
set -euo pipefail
umask 077

ROLE=geo_trygg
DATABASE=geo_trygg
MARKER=.geo_trygg_postgres
TIMEOUT="${GEO_TRYGG_POSTGRES_TIMEOUT:-60}"

die() {
  echo "postgres.sh: $*" >&2
  exit 1
}

usage() {
  echo "usage: bash tools/postgres.sh start DIR PORT | stop DIR | env DIR PORT | free-port [FROM]" >&2
  exit 2
}

# The server binaries (initdb, pg_ctl, postgres): the highest Debian major that has initdb;
# pg_config --bindir may name the client only, so it comes second; then the PATH.
bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return
    fi
  done
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir)"
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return
    fi
  fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return
  fi
  die "no PostgreSQL server binaries (initdb) found; on Debian: apt-get install postgresql postgresql-postgis"
}

# Run a command as the cluster's owner: postgres when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

check_port() {
  case "$1" in
    '' | *[!0-9]*) die "PORT must be a number, not '$1'" ;;
  esac
  if [ "$1" -lt 1024 ] || [ "$1" -gt 65535 ]; then
    die "PORT must be between 1024 and 65535, not $1"
  fi
}

# True when something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

server_log_tail() {
  if [ -f "$1/server.log" ]; then
    echo "--- the last lines of $1/server.log ---" >&2
    tail -n 40 "$1/server.log" >&2
    echo "---" >&2
  fi
}

cmd_start() {
  [ $# = 2 ] || usage
  local dir="$1" port="$2" bin password
  check_port "$port"
  port_in_use "$port" && die "port $port on 127.0.0.1 is in use; choose another (bash tools/postgres.sh free-port)"
  bin="$(bindir)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd -P)"
  [ -e "$dir/data" ] && die "$dir/data already exists; stop it first: bash tools/postgres.sh stop $dir"
  [ -n "$(ls -A "$dir")" ] && die "$dir is not empty; give an empty or new folder"
  # the socket's path must fit in sockaddr_un (107 bytes)
  [ ${#dir} -le 80 ] || die "$dir is too long a path for the server's socket; use e.g. mktemp -d"

  touch "$dir/$MARKER"
  password="$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
  [ ${#password} = 32 ] || die "could not generate a password"
  printf '%s\n' "$password" >"$dir/password"
  chmod 600 "$dir/password"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "the user postgres does not exist (apt-get install postgresql)"
    chown -R postgres: "$dir"
    runuser -u postgres -- test -w "$dir" ||
      die "the user postgres cannot write to $dir (is a parent folder private?); use mktemp -d"
  fi

  as_owner "$bin/initdb" --pgdata="$dir/data" --username="$ROLE" --pwfile="$dir/password" \
    --auth-host=scram-sha-256 --auth-local=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 \
    --no-instructions >"$dir/initdb.log" 2>&1 ||
    {
      tail -n 40 "$dir/initdb.log" >&2
      die "initdb failed in $dir/data"
    }
  cat >>"$dir/data/postgresql.conf" <<EOF

# tools/postgres.sh: a throwaway server for the tests
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
password_encryption = 'scram-sha-256'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

  as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --no-wait start >/dev/null ||
    {
      server_log_tail "$dir"
      die "pg_ctl start failed"
    }
  local waited=0
  until "$bin/pg_isready" --quiet --host=127.0.0.1 --port="$port" --timeout=2; do
    if [ "$waited" -ge "$TIMEOUT" ]; then
      server_log_tail "$dir"
      as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=immediate stop >/dev/null 2>&1 || true
      die "the server in $dir did not accept connections on 127.0.0.1:$port within ${TIMEOUT} s"
    fi
    sleep 1
    waited=$((waited + 1))
  done

  # the database of the URL, with PostGIS (over TCP, with the password, as the tests connect)
  local version
  if ! version="$(PGPASSWORD="$password" PGCONNECT_TIMEOUT=10 "$bin/psql" --no-psqlrc --quiet \
    --tuples-only --no-align --set=ON_ERROR_STOP=1 --host=127.0.0.1 --port="$port" \
    --username="$ROLE" --dbname=postgres 2>&1 <<EOF
CREATE DATABASE $DATABASE;
\\connect $DATABASE
CREATE EXTENSION postgis;
SELECT postgis_lib_version();
EOF
  )"; then
    echo "$version" >&2
    server_log_tail "$dir"
    as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast stop >/dev/null 2>&1 || true
    die "CREATE EXTENSION postgis failed (is postgresql-postgis installed for this server's major version, $(basename "$(dirname "$bin")")?)"
  fi
  echo "PostgreSQL $(basename "$(dirname "$bin")") with PostGIS $version on 127.0.0.1:$port (cluster $dir)"
}

cmd_stop() {
  [ $# = 1 ] || usage
  local dir="$1" bin
  [ -d "$dir" ] || return 0
  # remove only what start made (or an empty folder), never an arbitrary one
  if [ ! -e "$dir/$MARKER" ] && [ -n "$(ls -A "$dir")" ]; then
    die "$dir was not made by tools/postgres.sh start; not removing it"
  fi
  if [ -f "$dir/data/postmaster.pid" ]; then
    bin="$(bindir)"
    if as_owner "$bin/pg_ctl" --pgdata="$dir/data" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --silent stop >/dev/null ||
        die "could not stop the server in $dir"
    fi
  fi
  rm -rf "$dir"
}

cmd_env() {
  [ $# = 2 ] || usage
  local dir="$1" port="$2"
  check_port "$port"
  [ -r "$dir/password" ] || die "no $dir/password; start the server first: bash tools/postgres.sh start $dir $port"
  local password
  password="$(head -n 1 "$dir/password")"
  echo "export GEO_TRYGG_POSTGRES_URL=postgresql://$ROLE@127.0.0.1:$port/$DATABASE"
  echo "export PGPASSWORD='$password'"
}

cmd_free_port() {
  [ $# -le 1 ] || usage
  local port="${1:-54329}"
  check_port "$port"
  while port_in_use "$port"; do
    port=$((port + 1))
    [ "$port" -le 65535 ] || die "no free port found"
  done
  echo "$port"
}

[ $# -ge 1 ] || usage
command="$1"
shift
case "$command" in
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  env) cmd_env "$@" ;;
  free-port) cmd_free_port "$@" ;;
  *) usage ;;
esac
