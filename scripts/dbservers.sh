#!/usr/bin/env bash
# dbservers.sh - throwaway PostgreSQL and MariaDB servers for joryu's tests.
#
#   scripts/dbservers.sh start DIR   start both servers with their data in DIR,
#                                    print `export JORYU_TEST_PG_URL=...` and
#                                    `export JORYU_TEST_MYSQL_URL=...` (also
#                                    written to DIR/env.sh)
#   scripts/dbservers.sh stop DIR    stop both (idempotent; DIR is kept)
#   scripts/dbservers.sh env DIR     print the export lines again
#
# Both listen on 127.0.0.1 only, on free ports picked at start, so several
# DIRs can run side by side.  Each has a user `joryu` (password `joryu`) and a
# database `joryu_test`; the user may also create databases (PostgreSQL:
# CREATEDB; MariaDB: every database named `joryu_%`).  Password
# authentication is real: a wrong password is refused over TCP.
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the
# `postgres` user (runuser); when that user cannot enter DIR (a private parent
# such as mktemp's), the cluster lives in /tmp/jypg.* instead and `stop`
# removes it.  MariaDB runs as the calling user.  A restarted DIR keeps its
# ports when they are still free.  Settings trade
# durability for speed (fsync off): these servers are for tests only.
set -euo pipefail

die() { echo "dbservers.sh: $*" >&2; exit 1; }

usage() { echo "usage: $0 start|stop|env DIR" >&2; exit 2; }

[[ $# -eq 2 ]] || usage
cmd=$1
if [[ $cmd != start && ! -d $2 ]]; then
    [[ $cmd == stop ]] && exit 0
    die "no such folder: $2"
fi
mkdir -p "$2"
DIR=$(cd "$2" && pwd)

# --------------------------------------------------------------- helpers

# The PostgreSQL server's bin folder: the newest /usr/lib/postgresql/*/bin
# that has initdb, else initdb on PATH.
pg_bindir() {
    local d best=""
    for d in /usr/lib/postgresql/*/bin; do
        [[ -x $d/initdb ]] && best=$d
    done
    if [[ -z $best ]] && command -v initdb >/dev/null 2>&1; then
        best=$(dirname "$(command -v initdb)")
    fi
    [[ -n $best ]] || die "PostgreSQL server not found (apt-get install postgresql)"
    # versions sort numerically: pick the highest
    for d in /usr/lib/postgresql/*/bin; do
        [[ -x $d/initdb ]] || continue
        local v=${d#/usr/lib/postgresql/}; v=${v%/bin}
        local bv=${best#/usr/lib/postgresql/}; bv=${bv%/bin}
        if [[ $v =~ ^[0-9]+$ && $bv =~ ^[0-9]+$ ]] && (( v > bv )); then best=$d; fi
    done
    echo "$best"
}

# True when something listens on 127.0.0.1:$1.
port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A port nobody listens on (the preferred one when free: a restarted DIR
# keeps its URLs), from a range chosen at random so that parallel
# starts rarely collide (a collision is caught anyway: start retries).
free_port() { # [preferred]
    local p i
    if [[ -n ${1:-} ]] && ! port_busy "$1"; then echo "$1"; return 0; fi
    for i in $(seq 1 200); do
        # below the kernel's ephemeral range (32768-60999): no clash with
        # the local ports of outgoing connections
        p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 12000 ))
        if ! port_busy "$p"; then echo "$p"; return 0; fi
    done
    die "no free TCP port found"
}

# Run a command as the PostgreSQL owner: `postgres` when we are root (from
# /, since the caller's folder may be closed to postgres, e.g. /root).
as_pg() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# Where the PostgreSQL cluster lives: DIR, or (as root, when the postgres
# user cannot reach DIR because a parent folder is private) a folder in /tmp
# remembered in DIR/pgroot and removed by stop.
pg_root() {
    if [[ -f $DIR/pgroot ]]; then cat "$DIR/pgroot"; return; fi
    local r=$DIR
    if [[ $EUID -eq 0 ]]; then
        chmod a+rx "$DIR" 2>/dev/null || true
        if ! runuser -u postgres -- test -x "$DIR" 2>/dev/null; then
            r=$(mktemp -d /tmp/jypg.XXXXXX)
            chmod 755 "$r"
        fi
    fi
    echo "$r" >"$DIR/pgroot"
    echo "$r"
}

# A folder for Unix sockets: DIR when its path is short enough for
# sun_path (107 bytes with the socket name), else a private folder in /tmp
# remembered in DIR/sockdir.
sock_dir() {
    if [[ -f $DIR/sockdir ]]; then cat "$DIR/sockdir"; return; fi
    local s
    s=$(pg_root)/sock
    if (( ${#s} > 80 )); then
        s=$(mktemp -d /tmp/jysock.XXXXXX)
    else
        mkdir -p "$s"
    fi
    chmod 1777 "$s"
    echo "$s" >"$DIR/sockdir"
    echo "$s"
}

wait_pid_gone() { # pid seconds
    local i
    for (( i = 0; i < $2 * 10; i++ )); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.1
    done
    return 1
}

# ------------------------------------------------------------ PostgreSQL

pg_start() {
    local bin sock port tries
    bin=$(pg_bindir)
    sock=$(sock_dir)
    if [[ $EUID -eq 0 ]]; then
        getent passwd postgres >/dev/null || die "user postgres missing (apt-get install postgresql)"
    fi
    local root; root=$(pg_root)
    local data=$root/pg log=$root/pg.log
    if [[ -f $data/postmaster.pid ]] && as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        die "PostgreSQL already running in $data (stop it first)"
    fi
    if [[ ! -f $data/PG_VERSION ]]; then
        rm -rf "$data"
        mkdir -p "$data"
        [[ $EUID -eq 0 ]] && chown postgres: "$data"
        chmod 700 "$data"
        as_pg "$bin/initdb" -D "$data" -U postgres -E UTF8 --no-locale --no-sync \
            --auth-local=trust --auth-host=scram-sha-256 >"$DIR/pg-initdb.log" 2>&1 ||
            { cat "$DIR/pg-initdb.log" >&2; die "initdb failed"; }
        # Password authentication on every TCP connection, trust on the
        # private socket (our own admin commands).
        as_pg tee "$data/pg_hba.conf" >/dev/null <<'HBA'
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  scram-sha-256
host    all       all   ::1/128       scram-sha-256
HBA
        local fresh=1
    fi
    : >"$log"; [[ $EUID -eq 0 ]] && chown postgres: "$log"
    local want; want=$(cat "$DIR/pg.port" 2>/dev/null || true)
    for tries in 1 2 3 4 5; do
        port=$(free_port "$want"); want=""
        if as_pg "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start \
            -o "-p $port -k $sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c password_encryption=scram-sha-256" \
            >/dev/null 2>&1; then
            echo "$port" >"$DIR/pg.port"
            break
        fi
        port=""
    done
    [[ -n $port ]] || { tail -n 20 "$log" >&2; die "PostgreSQL did not start (log: $log)"; }
    if [[ -n ${fresh:-} ]]; then
        as_pg "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres -d postgres >/dev/null <<'SQL' ||
CREATE ROLE joryu LOGIN CREATEDB PASSWORD 'joryu';
CREATE DATABASE joryu_test OWNER joryu;
SQL
            die "PostgreSQL: creating role joryu / database joryu_test failed"
    fi
}

pg_stop() {
    [[ -f $DIR/pgroot ]] || return 0
    local data bin
    data=$(pg_root)/pg
    [[ -f $data/postmaster.pid ]] || return 0
    bin=$(pg_bindir)
    as_pg "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    if [[ -f $data/postmaster.pid ]]; then
        # pg_ctl could not stop it (or the pid file is stale): by pid.
        local pid
        pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
        if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
            kill -INT "$pid" 2>/dev/null || true
            wait_pid_gone "$pid" 30 || kill -KILL "$pid" 2>/dev/null || true
        fi
        rm -f "$data/postmaster.pid"
    fi
}

# --------------------------------------------------------------- MariaDB

my_client_opts() { # the admin connection over the private socket
    echo "--no-defaults -uroot --socket=$(sock_dir)/my.sock"
}

my_start() {
    local sock port tries pid
    sock=$(sock_dir)
    local data=$DIR/my
    command -v mariadbd >/dev/null 2>&1 || [[ -x /usr/sbin/mariadbd ]] ||
        die "MariaDB server not found (apt-get install mariadb-server)"
    local mariadbd; mariadbd=$(command -v mariadbd || echo /usr/sbin/mariadbd)
    if [[ -f $DIR/my.pid ]] && kill -0 "$(cat "$DIR/my.pid")" 2>/dev/null; then
        die "MariaDB already running in $data (stop it first)"
    fi
    if [[ ! -d $data/mysql ]]; then
        rm -rf "$data"
        mkdir -p "$data" "$DIR/mytmp"
        # A private tmpdir: parallel bootstraps sharing /tmp collide.
        mariadb-install-db --no-defaults --datadir="$data" --user="$(id -un)" \
            --tmpdir="$DIR/mytmp" \
            --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
            >"$DIR/my-install.log" 2>&1 ||
            { cat "$DIR/my-install.log" >&2; die "mariadb-install-db failed"; }
        local fresh=1
    fi
    mkdir -p "$DIR/mytmp"
    local want; want=$(cat "$DIR/my.port" 2>/dev/null || true)
    for tries in 1 2 3 4 5; do
        port=$(free_port "$want"); want=""
        rm -f "$DIR/my.pid"
        # setsid + redirections: the server must not hold the caller's
        # terminal or pipes (a `$(dbservers.sh start)` would never return).
        setsid "$mariadbd" --no-defaults --user="$(id -un)" --datadir="$data" \
            --socket="$sock/my.sock" --port="$port" --bind-address=127.0.0.1 \
            --pid-file="$DIR/my.pid" --log-error="$DIR/my.log" --tmpdir="$DIR/mytmp" \
            --skip-name-resolve --character-set-server=utf8mb4 \
            --collation-server=utf8mb4_unicode_ci --innodb-flush-log-at-trx-commit=0 \
            --innodb-doublewrite=0 --innodb-buffer-pool-size=128M \
            --max-connections=200 </dev/null >/dev/null 2>&1 &
        pid=$!
        local i ok=""
        for (( i = 0; i < 600; i++ )); do
            if mariadb-admin $(my_client_opts) --connect-timeout=2 ping >/dev/null 2>&1; then
                ok=1; break
            fi
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if [[ -n $ok ]]; then
            echo "$pid" >"$DIR/my.pid"
            echo "$port" >"$DIR/my.port"
            break
        fi
        kill -TERM "$pid" 2>/dev/null || true
        wait_pid_gone "$pid" 20 || kill -KILL "$pid" 2>/dev/null || true
        port=""
    done
    [[ -n $port ]] || { tail -n 20 "$DIR/my.log" >&2; die "MariaDB did not start (log: $DIR/my.log)"; }
    if [[ -n ${fresh:-} ]]; then
        mariadb $(my_client_opts) >/dev/null <<'SQL' || die "MariaDB: creating user joryu / database joryu_test failed"
CREATE DATABASE joryu_test CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'joryu'@'127.0.0.1' IDENTIFIED BY 'joryu';
CREATE USER 'joryu'@'localhost' IDENTIFIED BY 'joryu';
GRANT ALL PRIVILEGES ON `joryu\_%`.* TO 'joryu'@'127.0.0.1';
GRANT ALL PRIVILEGES ON `joryu\_%`.* TO 'joryu'@'localhost';
GRANT ALL PRIVILEGES ON `joryu_test`.* TO 'joryu'@'127.0.0.1';
GRANT ALL PRIVILEGES ON `joryu_test`.* TO 'joryu'@'localhost';
FLUSH PRIVILEGES;
SQL
    fi
}

my_stop() {
    [[ -f $DIR/my.pid ]] || return 0
    local pid
    pid=$(cat "$DIR/my.pid" 2>/dev/null || true)
    if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        mariadb-admin $(my_client_opts) --connect-timeout=5 shutdown >/dev/null 2>&1 ||
            kill -TERM "$pid" 2>/dev/null || true
        wait_pid_gone "$pid" 60 || { kill -KILL "$pid" 2>/dev/null || true; wait_pid_gone "$pid" 5 || true; }
    fi
    rm -f "$DIR/my.pid"
}

# ------------------------------------------------------------------ main

write_env() {
    local pgp myp
    pgp=$(cat "$DIR/pg.port"); myp=$(cat "$DIR/my.port")
    cat >"$DIR/env.sh" <<ENV
export JORYU_TEST_PG_URL=postgresql://joryu:joryu@127.0.0.1:$pgp/joryu_test
export JORYU_TEST_MYSQL_URL=mysql://joryu:joryu@127.0.0.1:$myp/joryu_test
ENV
    cat "$DIR/env.sh"
}

# Remove the /tmp folders used when DIR could not hold sockets or the
# cluster (a cluster there is a throwaway like DIR itself).
cleanup_sockdir() {
    if [[ -f $DIR/sockdir ]]; then
        local s; s=$(cat "$DIR/sockdir")
        case $s in /tmp/jysock.*) rm -rf "$s" ;; esac
        rm -f "$DIR/sockdir"
    fi
    if [[ -f $DIR/pgroot ]]; then
        local r; r=$(cat "$DIR/pgroot")
        case $r in /tmp/jypg.*) rm -rf "$r"; rm -f "$DIR/pgroot" ;; esac
    fi
}

case $cmd in
start)
    # A half-started pair is stopped again: start succeeds with both or
    # leaves nothing running.
    # Servers found already running are refused, not touched.
    if [[ -f $DIR/my.pid ]] && kill -0 "$(cat "$DIR/my.pid")" 2>/dev/null; then
        die "MariaDB already running in $DIR (stop it first)"
    fi
    if [[ -f $DIR/pgroot ]] && [[ -f $(pg_root)/pg/postmaster.pid ]] &&
        as_pg "$(pg_bindir)/pg_ctl" -D "$(pg_root)/pg" status >/dev/null 2>&1; then
        die "PostgreSQL already running in $DIR (stop it first)"
    fi
    trap 'rc=$?; if [[ $rc -ne 0 ]]; then my_stop; pg_stop; cleanup_sockdir; fi' EXIT
    pg_start
    my_start
    write_env
    ;;
stop)
    my_stop
    pg_stop
    cleanup_sockdir
    ;;
env)
    [[ -f $DIR/env.sh ]] || die "no servers started in $DIR"
    cat "$DIR/env.sh"
    ;;
*) usage ;;
esac
