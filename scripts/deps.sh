#!/usr/bin/env bash
# deps.sh - install with apt every Debian package joryu's build, tests, demo
# and benchmarks need, skipping what is already installed.
#
#   scripts/deps.sh            install what is missing (root, or sudo)
#   scripts/deps.sh --build    only what building joryu needs (scripts/demo.sh)
#   scripts/deps.sh --check    list what is missing; exit 1 if anything is
#
# The list is explicit on purpose: a machine that happens to have a package
# must not hide a missing install step from a fresh one (CI runs on a fresh
# Debian 12).
set -euo pipefail

PACKAGES=(
    # toolchain and generators
    build-essential cmake ninja-build clang pkg-config re2c lemon git
    # libFuzzer and the clang sanitizer runtimes (only a Recommends of clang)
    libclang-rt-dev
    # libraries: unit tests, JSON, SHA-256, the three database drivers
    libcmocka-dev libjansson-dev libssl-dev libsqlite3-dev libpq-dev libmariadb-dev
    # the client libraries joryu loads with dlopen when a PostgreSQL or MySQL
    # URL is used (no DT_NEEDED names them; the -dev packages pull them in
    # today, but the programs need only these)
    libpq5 libmariadb3
    # the databases the tests start, and their clients
    sqlite3 postgresql postgresql-client mariadb-server mariadb-client
    # benchmarks: /usr/bin/time -v, Alembic for side-by-side numbers (its
    # drivers: psycopg2 for PostgreSQL, PyMySQL for MariaDB)
    time python3-alembic python3-psycopg2 python3-pymysql
    # pgrep (scripts/test.sh stops a stage's process tree); not in minimal images
    procps
)

# Enough to build joryu (and configure its tests) and use SQLite.
BUILD_PACKAGES=(
    build-essential cmake ninja-build pkg-config re2c lemon
    libcmocka-dev libjansson-dev libssl-dev libsqlite3-dev libpq-dev libmariadb-dev sqlite3
)

CHECK=0
for a in "$@"; do
    case $a in
    --check) CHECK=1 ;;
    --build) PACKAGES=("${BUILD_PACKAGES[@]}") ;;
    *) echo "usage: $0 [--build] [--check]" >&2; exit 2 ;;
    esac
done

missing=()
for p in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [[ $status == installed ]] || missing+=("$p")
done

if (( CHECK )); then
    if (( ${#missing[@]} )); then
        echo "missing: ${missing[*]}"
        exit 1
    fi
    echo "all ${#PACKAGES[@]} packages installed"
    exit 0
fi

if (( ${#missing[@]} == 0 )); then
    echo "deps: all ${#PACKAGES[@]} packages already installed"
    exit 0
fi

echo "deps: installing ${missing[*]}"
SUDO=()
if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 ||
        { echo "deps: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2; exit 1; }
    SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" </dev/null

# Verify: a package apt could not install must fail here, not later.
still=()
for p in "${missing[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [[ $status == installed ]] || still+=("$p")
done
if (( ${#still[@]} )); then
    echo "deps: still missing after apt-get install: ${still[*]}" >&2
    exit 1
fi
echo "deps: done"
