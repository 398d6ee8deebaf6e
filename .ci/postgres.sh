#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `start DIR PORT` prints the URL, `stop DIR` removes it.
# pg_ctl refuses to run as root, so the cluster runs as the postgres user (installed by Debian's package).
set -euo pipefail
action=${1:?start or stop}; dir=${2:?cluster folder}; port=${3:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$action" in
  start)
    mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" -l "$dir/log" -w start >/dev/null
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres kb_test
    echo "postgresql://postgres@127.0.0.1:$port/kb_test" ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir" ;;
esac
