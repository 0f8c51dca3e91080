#!/usr/bin/env bash
# demo.sh - joryu's main job on the embedded SQLite default, from nothing:
# installs what is missing (apt), builds build/, copies the sample project
# examples/ into a fresh folder, compiles it for every target dialect
# (`joryuc check`), lists its migrations with their semantic checksums
# (`joryu history`), applies them to a SQLite file (`joryu apply`, which
# compiles in memory and runs the step VM), prints `joryu status`, and shows
# that a second apply has nothing to do.
#
#   scripts/demo.sh [--no-deps] [--keep]
#
# The project folder is printed; it is removed at the end unless --keep.
# JORYU_BUILD_DIR overrides the build folder (default build/).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEPS=1 KEEP=0
for a in "$@"; do
    case $a in
    --no-deps) DEPS=0 ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo.sh: unknown option $a" >&2; exit 2 ;;
    esac
done

B=${JORYU_BUILD_DIR:-$ROOT/build}
if [[ -t 1 && -z ${NO_COLOR:-} ]]; then B1=$'\033[1m' B0=$'\033[0m'; else B1='' B0=''; fi
step() { printf '\n%s==> %s%s\n' "$B1" "$*" "$B0"; }

if (( DEPS )); then
    step "installing what is missing (scripts/deps.sh --build)"
    bash "$ROOT/scripts/deps.sh" --build
fi

step "building joryu in ${B#"$ROOT"/}/"
gen=(-G Ninja)
[[ -f $B/CMakeCache.txt ]] && gen=()
cmake -S "$ROOT" -B "$B" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$B" --parallel "$(nproc 2>/dev/null || echo 2)" --target joryu joryuc joryu-run
export PATH=$B/bin:$PATH

PROJ=$(mktemp -d /tmp/joryu-demo.XXXXXX)
if (( ! KEEP )); then trap 'rm -rf "$PROJ"' EXIT; fi
cp -r "$ROOT/examples/." "$PROJ/"
rm -f "$PROJ"/*.db
cd "$PROJ"

step "the sample project ($PROJ)"
cat joryu.toml
ls -1 migrations

step "joryuc check: compile every migration for postgresql, mysql and sqlite"
joryuc check
echo "ok: $(ls migrations/*.py | wc -l) migrations compile (check prints nothing on success)"

step "joryu history: the migrations in apply order, with their semantic checksums"
joryu history

# implemented CMD: the build has this joryu command (its --help does not say
# "Not implemented yet").
implemented() { ! joryu "$1" --help 2>&1 | grep -q "Not implemented yet"; }

if implemented sql; then
    step "joryu sql: what the orders migration runs on SQLite (no database needed)"
    joryu sql 20260518T090000_create_orders --dialect=sqlite
fi

if implemented schema-snapshot; then
    step "joryu schema-snapshot: the schema after all of them, replayed from the files (SQLite)"
    joryu schema-snapshot --format=sql --dialect=sqlite
fi

step "joryu apply: compile in memory for SQLite and apply to app.db (sqlite:///app.db, from joryu.toml)"
joryu apply --plain

step "joryu status: every migration and where it stands"
joryu status

step "joryu apply again: nothing to do, every migration is recorded"
joryu apply --plain

(( KEEP )) && echo && echo "project kept in $PROJ"
echo
echo "demo: done"
