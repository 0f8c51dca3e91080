# shellcheck shell=bash
# lib.sh - helpers shared by tests/e2e/crash_matrix.sh, concurrency.sh and
# sigint_resume.sh (sourced, not run).  They all apply the 20-migration
# history of tests/crash/migrations/ to throwaway databases:
#
#   crash_init NAME        check the environment, make a work folder
#                          $WORK (under JORYU_TMP) holding a copy of the
#                          project, and fail (never skip) when a server URL
#                          is missing or unreachable
#   fresh_db DIALECT TAG   create an empty database (PostgreSQL, MariaDB:
#                          CREATE DATABASE through psql / mariadb with the
#                          base URL's credentials; SQLite: a new file name),
#                          set DB_URL to its URL and remember it for
#                          crash_cleanup (call it directly, not in $(...))
#   drop_db DIALECT URL    drop it again (a file is removed)
#   dbq DIALECT URL SQL    run SQL with the server's own client, print rows
#                          tab-separated, one per line
#   jy ARGS...             run $JORYU_BIN/joryu in the project copy
#   check_final D URL REF  every assertion of a finished apply (see below)
#
# Dialects are named pg, my, sqlite.

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
note() { echo "$*" >&2; }

# parse_url URL: sets U_SCHEME U_USER U_PASS U_HOST U_PORT U_DB
parse_url() {
    local re='^([a-z]+)://([^:@/]+):([^@/]*)@([^:/]+):([0-9]+)/([^/?]+)$'
    [[ $1 =~ $re ]] || fail "malformed URL (expected scheme://user:pass@host:port/db): ${1%%@*}@..."
    U_SCHEME=${BASH_REMATCH[1]} U_USER=${BASH_REMATCH[2]} U_PASS=${BASH_REMATCH[3]}
    U_HOST=${BASH_REMATCH[4]} U_PORT=${BASH_REMATCH[5]} U_DB=${BASH_REMATCH[6]}
}

crash_init() {
    local name=$1
    : "${JORYU_BIN:?JORYU_BIN is not set (the folder holding joryu)}"
    : "${JORYU_SRC:?JORYU_SRC is not set (the source tree)}"
    : "${JORYU_TMP:?JORYU_TMP is not set (a scratch folder)}"
    [[ -x $JORYU_BIN/joryu ]] || fail "$JORYU_BIN/joryu is missing: build first"
    [[ -n ${JORYU_TEST_PG_URL:-} ]] ||
        fail "JORYU_TEST_PG_URL is not set: run scripts/test.sh, or eval \"\$(scripts/dbservers.sh start DIR)\""
    [[ -n ${JORYU_TEST_MYSQL_URL:-} ]] ||
        fail "JORYU_TEST_MYSQL_URL is not set: run scripts/test.sh, or eval \"\$(scripts/dbservers.sh start DIR)\""
    command -v psql >/dev/null || fail "psql missing (scripts/deps.sh installs it)"
    command -v mariadb >/dev/null || fail "mariadb client missing (scripts/deps.sh installs it)"
    command -v sqlite3 >/dev/null || fail "sqlite3 missing (scripts/deps.sh installs it)"

    mkdir -p "$JORYU_TMP"
    WORK=$(mktemp -d "$JORYU_TMP/$name.XXXXXX")
    mkdir -p "$WORK/project" "$WORK/log"
    # SQLite files live in memory when /dev/shm is there (the servers run
    # with fsync off too; a SIGKILL never loses what the kernel holds)
    if [[ -d /dev/shm && -w /dev/shm ]]; then
        SQLDIR=$(mktemp -d /dev/shm/joryu-crash.XXXXXX)
    else
        SQLDIR="$WORK/db"
        mkdir -p "$SQLDIR"
    fi
    cp "$JORYU_SRC/tests/crash/joryu.toml" "$WORK/project/"
    cp -r "$JORYU_SRC/tests/crash/migrations" "$WORK/project/"
    NMIGS=$(ls "$WORK/project/migrations"/*.py | wc -l)
    RUN_TAG="$(date +%s)_$$"
    CREATED_DBS=()

    # reachability: fail, never skip
    dbq pg "$JORYU_TEST_PG_URL" "SELECT 1" >/dev/null ||
        fail "PostgreSQL at JORYU_TEST_PG_URL is unreachable"
    dbq my "$JORYU_TEST_MYSQL_URL" "SELECT 1" >/dev/null ||
        fail "MariaDB at JORYU_TEST_MYSQL_URL is unreachable"
}

# Drop every database this run created and still has (trap EXIT).
crash_cleanup() {
    local x
    for x in "${CREATED_DBS[@]}"; do
        drop_db "${x%% *}" "${x#* }" >/dev/null 2>&1 || true
    done
    CREATED_DBS=()
    [[ ${SQLDIR:-} == /dev/shm/joryu-crash.* ]] && rm -rf "$SQLDIR"
    return 0
}

base_url() {
    case $1 in
    pg) echo "$JORYU_TEST_PG_URL" ;;
    my) echo "$JORYU_TEST_MYSQL_URL" ;;
    *) fail "base_url: no server for $1" ;;
    esac
}

dialect_name() {
    case $1 in
    pg) echo PostgreSQL ;;
    my) echo MariaDB ;;
    sqlite) echo SQLite ;;
    esac
}

# dbq D URL SQL: rows tab-separated (NULL printed as NULL).
dbq() {
    local d=$1 url=$2 sql=$3
    case $d in
    pg)
        parse_url "$url"
        PGPASSWORD=$U_PASS PGCONNECT_TIMEOUT=10 psql -X -q -t -A -F $'\t' -v ON_ERROR_STOP=1 \
            -P null=NULL -h "$U_HOST" -p "$U_PORT" -U "$U_USER" -d "$U_DB" -c "$sql"
        ;;
    my)
        parse_url "$url"
        # -N -B: no header, tab-separated; NULL prints as NULL
        MYSQL_PWD=$U_PASS mariadb --no-defaults --protocol=TCP --connect-timeout=10 -N -B \
            -h "$U_HOST" -P "$U_PORT" -u "$U_USER" "$U_DB" -e "$sql"
        ;;
    sqlite)
        sqlite3 -batch -separator $'\t' -nullvalue NULL "${url#sqlite:///}" "$sql"
        ;;
    esac
}

fresh_db() {
    local d=$1 tag=$2 name url
    name="joryu_cr_${RUN_TAG}_${tag}"
    case $d in
    pg | my)
        url=$(base_url "$d")
        parse_url "$url"
        if [[ $d == pg ]]; then
            dbq pg "$url" "CREATE DATABASE \"$name\"" >/dev/null || fail "CREATE DATABASE $name on PostgreSQL"
        else
            dbq my "$url" "CREATE DATABASE \`$name\`" >/dev/null || fail "CREATE DATABASE $name on MariaDB"
        fi
        url="$U_SCHEME://$U_USER:$U_PASS@$U_HOST:$U_PORT/$name"
        ;;
    sqlite)
        rm -f "$SQLDIR/$name.db" "$SQLDIR/$name.db-journal" "$SQLDIR/$name.db-wal" "$SQLDIR/$name.db-shm"
        url="sqlite:///$SQLDIR/$name.db"
        ;;
    esac
    CREATED_DBS+=("$d $url")
    # shellcheck disable=SC2034 # DB_URL is read by the sourcing test
    DB_URL=$url
}

drop_db() {
    local d=$1 url=$2 name
    case $d in
    pg)
        parse_url "$url"
        name=$U_DB
        # a plain DROP waits for autovacuum workers (FORCE may not end
        # them: they are not ours); FORCE ends a backend that outlived its
        # killed client
        for _ in 1 2 3 4 5 6; do
            dbq pg "$(base_url pg)" "DROP DATABASE IF EXISTS \"$name\"" >/dev/null 2>&1 && return 0
            dbq pg "$(base_url pg)" "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null 2>&1 && return 0
            sleep 0.5
        done
        dbq pg "$(base_url pg)" "DROP DATABASE IF EXISTS \"$name\"" >/dev/null
        ;;
    my)
        parse_url "$url"
        name=$U_DB
        dbq my "$(base_url my)" "DROP DATABASE IF EXISTS \`$name\`" >/dev/null
        ;;
    sqlite)
        local f=${url#sqlite:///}
        rm -f "$f" "$f-journal" "$f-wal" "$f-shm"
        ;;
    esac
}

# jy ARGS...: joryu in the project copy (stdout and stderr as they are).
jy() {
    (cd "$WORK/project" && "$JORYU_BIN/joryu" "$@")
}

# ------------------------------------------------------------------ checks

# The data check: one line the reference and every recovered run must print.
#   accounts: rows, min id, max id, rows whose score is right, rows with
#   hits = 1, min and max hits, sums of balance and region_id;
#   crash_log: rows and distinct migrations; areas; crash_done; audit rows.
DATA_SQL="SELECT
 (SELECT COUNT(*) FROM accounts),
 (SELECT MIN(id) FROM accounts),
 (SELECT MAX(id) FROM accounts),
 (SELECT SUM(CASE WHEN score = (id * 7) % 1000 + grp THEN 1 ELSE 0 END) FROM accounts),
 (SELECT SUM(CASE WHEN hits = 1 THEN 1 ELSE 0 END) FROM accounts),
 (SELECT MIN(hits) FROM accounts),
 (SELECT MAX(hits) FROM accounts),
 (SELECT SUM(balance) FROM accounts),
 (SELECT SUM(region_id) FROM accounts),
 (SELECT COUNT(*) FROM crash_log),
 (SELECT COUNT(DISTINCT migration) FROM crash_log),
 (SELECT COUNT(*) FROM areas),
 (SELECT COUNT(*) FROM crash_done),
 (SELECT COUNT(*) FROM audit)"
DATA_EXPECT=$'200000\t1\t200000\t200000\t200000\t1\t1\t60000300000\t1100000\t20\t20\t10\t1\t0'

# Migrations whose log row is missing or there more than once.
LOG_DUPS_SQL="SELECT migration, COUNT(*) FROM crash_log GROUP BY migration HAVING COUNT(*) <> 1"

STATE_MIGS_SQL="SELECT id, status FROM joryu_migrations ORDER BY id"
STATE_STEPS_SQL="SELECT migration_id, step_index, op_kind, op_fingerprint FROM joryu_migration_steps ORDER BY migration_id, step_index"
STATE_BAD_STEPS_SQL="SELECT migration_id, step_index, status FROM joryu_migration_steps WHERE status NOT IN ('done', 'skipped') ORDER BY migration_id, step_index"

# check_final D URL REFDIR LABEL: a finished apply agrees with the
# reference run saved in REFDIR (snapshot.json, steps.txt); prints what
# differs and returns 1, or returns 0.
check_final() {
    local d=$1 url=$2 ref=$3 label=$4 out bad=0
    local tmp="$WORK/log/check.$d"
    # 1. schema snapshot equals the reference
    if ! jy schema-snapshot --db "$url" --format=json >"$tmp.snap" 2>"$tmp.snaperr"; then
        note "$label: schema-snapshot failed: $(head -c 600 "$tmp.snaperr")"
        bad=1
    elif ! cmp -s "$tmp.snap" "$ref/snapshot.json"; then
        note "$label: schema differs from the uninterrupted run:"
        diff "$ref/snapshot.json" "$tmp.snap" | head -20 >&2 || true
        bad=1
    fi
    # 2. data: every backfilled value right, hits = 1 everywhere, seed once
    out=$(dbq "$d" "$url" "$DATA_SQL" 2>&1) || true
    if [[ $out != "$DATA_EXPECT" ]]; then
        note "$label: data check: got '$out', want '$DATA_EXPECT'"
        note "  (rows, min id, max id, right scores, hits=1 rows, min hits, max hits, sum balance, sum region, log rows, log migrations, areas, crash_done, audit)"
        bad=1
    fi
    out=$(dbq "$d" "$url" "$LOG_DUPS_SQL" 2>&1) || true
    if [[ -n $out ]]; then
        note "$label: a migration's op.execute ran other than once (migration, count): $out"
        bad=1
    fi
    # 3. state tables: all applied, steps done/skipped, same steps as the reference
    out=$(dbq "$d" "$url" "$STATE_MIGS_SQL" 2>&1) || true
    if [[ $(grep -c $'\tapplied$' <<<"$out") -ne $NMIGS || $(wc -l <<<"$out") -ne $NMIGS ]]; then
        note "$label: joryu_migrations is not $NMIGS x applied:"
        echo "$out" | grep -v $'\tapplied$' | head -5 >&2
        bad=1
    fi
    out=$(dbq "$d" "$url" "$STATE_BAD_STEPS_SQL" 2>&1) || true
    if [[ -n $out ]]; then
        note "$label: steps not done/skipped: $(echo "$out" | head -5 | tr '\n' ';')"
        bad=1
    fi
    dbq "$d" "$url" "$STATE_STEPS_SQL" >"$tmp.steps" 2>&1 || true
    if ! cmp -s "$tmp.steps" "$ref/steps.txt"; then
        note "$label: joryu_migration_steps differs from the uninterrupted run:"
        diff "$ref/steps.txt" "$tmp.steps" | head -10 >&2 || true
        bad=1
    fi
    # 4. status exits 0 and lists nothing pending, failed or paused
    if ! jy status --db "$url" --json >"$tmp.status" 2>"$tmp.statuserr"; then
        note "$label: joryu status exited non-zero: $(head -c 400 "$tmp.statuserr")"
        bad=1
    fi
    return $bad
}

# save_reference D URL REFDIR: record what an uninterrupted apply left.
save_reference() {
    local d=$1 url=$2 ref=$3 out
    mkdir -p "$ref"
    jy schema-snapshot --db "$url" --format=json >"$ref/snapshot.json" ||
        fail "$(dialect_name "$d"): schema-snapshot of the reference database failed"
    dbq "$d" "$url" "$STATE_STEPS_SQL" >"$ref/steps.txt" || fail "reading joryu_migration_steps"
    out=$(dbq "$d" "$url" "$DATA_SQL")
    [[ $out == "$DATA_EXPECT" ]] ||
        fail "$(dialect_name "$d"): the uninterrupted apply left wrong data: '$out', want '$DATA_EXPECT'"
    [[ $(wc -l <"$ref/steps.txt") -gt $NMIGS ]] || fail "$(dialect_name "$d"): too few step rows in the reference"
}
