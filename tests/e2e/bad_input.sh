#!/usr/bin/env bash
# bad_input.sh - hostile input to `joryuc check` and `joryuc dump` never
# crashes, never hangs, and leaves nothing behind.  Each case must give exit
# status 1, a short error on stderr that names the offending path and says
# what is wrong, nothing on stdout, no sanitizer report or stack trace (the
# suite also runs this under the ASan+UBSan build), no core file and no new
# file in the scratch folder.
#
# Cases: an unreadable file and an unreadable folder (run as `nobody`, since
# root reads through permission bits), a dangling symlink, a FIFO (must not
# block), an empty folder, a binary file, a 100 MB file, 10,000 nested
# brackets, a folder named like a migration, invalid UTF-8, an empty .py file,
# a file holding only a UTF-8 BOM.
#
# Env: JORYU_BIN (bin/ of the build), JORYU_TMP (scratch folder).
set -euo pipefail

: "${JORYU_BIN:?JORYU_BIN must name the bin folder of a build}"
: "${JORYU_TMP:?JORYU_TMP must name a scratch folder}"
JORYUC="$JORYU_BIN/joryuc"
[ -x "$JORYUC" ] || { echo "bad_input: no joryuc at $JORYUC" >&2; exit 1; }
JORYUC="$(cd "$JORYU_BIN" && pwd)/joryuc"  # the cases run in their own folders

T="$JORYU_TMP/bad_input"
# an earlier run may have left 000-mode folders; make them removable first
[ -d "$T" ] && chmod -R u+rwx "$T" 2>/dev/null || true
rm -rf "$T"
mkdir -p "$T"
T=$(cd "$T" && pwd)
# the unprivileged cases run as nobody, who must reach the scratch folder
chmod 755 "$T"

FAILS=0
fail() {
    echo "FAIL [$CASE]: $*" >&2
    FAILS=$((FAILS + 1))
}

ID=20260101T000000   # timestamp part of the ids used below

# A valid migration whose upgrade body is $2 (several lines allowed), written
# to the path $1 (the id is the file stem).
write_migration() {
    local path=$1 body=$2 id
    id=$(basename "$path" .py)
    printf '"""bad input test."""\nimport joryu\nfrom joryu import op, types as t\n\n\n@joryu.migration(id="%s")\ndef upgrade():\n%s\n' \
        "$id" "$body" >"$path"
}

# expect_error NAME PATTERN [--as-nobody] [--] ARG...
#   Runs `joryuc check ARG...` and `joryuc dump ARG... --format=json` (whose
#   output would be a JSON document on stdout: none may appear, not even a
#   partial one), each in the case's own folder $T/NAME.<cmd>.run, and checks
#   for each: exit 1; stderr non-empty, at most 20 lines, naming $MUST_NAME
#   (default: the first ARG) and matching the extended regex PATTERN
#   (case-insensitive); stdout empty; no sanitizer output, stack trace or
#   core; nothing created anywhere in $T.
expect_error() {
    local name=$1 pattern=$2
    shift 2
    local as=()
    if [ "${1:-}" = --as-nobody ]; then
        # root reads through permission bits: drop to nobody (a normal user
        # cannot read a 000 file anyway, and cannot switch users)
        [ "$(id -u)" = 0 ] && as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
        shift
    fi
    [ "${1:-}" = -- ] && shift
    local must=${MUST_NAME:-$1}
    MUST_NAME=
    local sub
    for sub in check dump; do
        CASE="$name/$sub"
        local run="$T/$name.$sub.run"
        mkdir -p "$run"
        chmod 777 "$run"
        local cmd=("$JORYUC" check "$@")
        [ "$sub" = dump ] && cmd=("$JORYUC" dump "$@" --format=json)
        local before after rc=0 fails0=$FAILS
        before=$(find "$T" -path "$run" -prune -o -print 2>/dev/null | sort)
        # timeout: a FIFO or a deep recursion must not hang the suite
        (cd "$run" && timeout 120 "${as[@]}" "${cmd[@]}" >"$run/stdout" 2>"$run/stderr") || rc=$?
        after=$(find "$T" -path "$run" -prune -o -print 2>/dev/null | sort)

        if [ "$rc" -eq 124 ]; then
            fail "joryuc $sub $* did not finish within 120 s (hang)"
        elif [ "$rc" -ne 1 ]; then
            fail "exit status $rc, expected 1"
        fi
        [ -s "$run/stdout" ] && fail "stdout is not empty: $(head -c 300 "$run/stdout")"
        if [ ! -s "$run/stderr" ]; then
            fail "stderr is empty: no error message"
        else
            local lines
            lines=$(wc -l <"$run/stderr")
            [ "$lines" -le 20 ] || fail "stderr has $lines lines, expected a short error (at most 20)"
            grep -qF -- "$must" "$run/stderr" || fail "stderr does not name $must"
            grep -qiE -- "$pattern" "$run/stderr" || fail "stderr does not say /$pattern/"
            if grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error|Segmentation fault|core dumped|^ *#[0-9]+ 0x' "$run/stderr"; then
                fail "sanitizer report or stack trace on stderr"
            fi
        fi
        local extra
        extra=$(find "$run" -mindepth 1 ! -name stdout ! -name stderr 2>/dev/null)
        [ -z "$extra" ] || fail "left files behind (core or output): $extra"
        [ "$before" = "$after" ] || fail "the scratch folder changed: $(diff <(echo "$before") <(echo "$after") | head -n 5)"
        if [ "$FAILS" -gt "$fails0" ]; then
            echo "--- stderr of [$CASE] (exit $rc):" >&2
            head -n 20 "$run/stderr" >&2
        else
            echo "ok   [$CASE] exit $rc: $(head -n 1 "$run/stderr")"
        fi
    done
}

# A reference: a valid one-migration folder must pass, or every case below
# would prove nothing (exit 1 for the wrong reason is caught by the patterns,
# but a joryuc that rejects everything should fail loudly here).
mkdir -p "$T/good"
write_migration "$T/good/${ID}_good.py" '    op.create_table("users", op.column("id", t.BigInt, primary_key=True))'
if ! "$JORYUC" check "$T/good" >"$T/good.out" 2>&1; then
    echo "FAIL [reference]: joryuc check rejects a valid migration:" >&2
    cat "$T/good.out" >&2
    exit 1
fi
rm -f "$T/good.out"
echo "ok   [reference] a valid migration passes"

# 1. unreadable file and folder, as an unprivileged user
mkdir -p "$T/unreadable_file"
write_migration "$T/unreadable_file/${ID}_secret.py" '    op.execute("SELECT 1")'
chmod 000 "$T/unreadable_file/${ID}_secret.py"
expect_error unreadable_file 'permission denied|cannot (read|open)' --as-nobody -- \
    "$T/unreadable_file/${ID}_secret.py"
MUST_NAME="$T/unreadable_file/${ID}_secret.py"
expect_error unreadable_file_in_dir 'permission denied|cannot (read|open)' --as-nobody -- "$T/unreadable_file"
chmod 644 "$T/unreadable_file/${ID}_secret.py"

mkdir -p "$T/unreadable_dir"
write_migration "$T/unreadable_dir/${ID}_hidden.py" '    op.execute("SELECT 1")'
chmod 000 "$T/unreadable_dir"
expect_error unreadable_dir 'permission denied|cannot (read|open|list)' --as-nobody -- "$T/unreadable_dir"
chmod 755 "$T/unreadable_dir"

# 2. dangling symlink, alone and inside a migrations folder
mkdir -p "$T/dangling"
ln -s "$T/dangling/does_not_exist.py" "$T/dangling/${ID}_gone.py"
expect_error dangling_symlink 'no such file|cannot (read|open)|does not exist|missing' -- \
    "$T/dangling/${ID}_gone.py"
write_migration "$T/dangling/20260101T000001_ok.py" '    op.execute("SELECT 1")'
MUST_NAME="${ID}_gone.py"
expect_error dangling_symlink_in_dir 'no such file|cannot (read|open)|does not exist|missing|broken' -- "$T/dangling"

# 3. FIFO: must be refused without opening it (opening would block)
mkdir -p "$T/fifo"
mkfifo "$T/fifo/${ID}_pipe.py"
expect_error fifo 'not a regular file|fifo|pipe' -- "$T/fifo/${ID}_pipe.py"

# 4. empty folder
mkdir -p "$T/empty_dir"
expect_error empty_dir 'no migration files|no .*\.py|empty' -- "$T/empty_dir"

# 5. binary file named like a migration
mkdir -p "$T/binary"
{ printf '\x7fELF\x02\x01\x01\x00\x00\x00'; head -c 4096 /dev/urandom; printf '\x00\x00'; } \
    >"$T/binary/${ID}_binary.py"
expect_error binary 'binary|NUL|UTF-8|not a (text|migration)' -- "$T/binary/${ID}_binary.py"

# 6. a 100 MB file (comments, so only its size is wrong)
mkdir -p "$T/huge"
{ printf '"""huge."""\n'; (yes '# padding padding padding padding padding padding padding' || true) | head -c 104857600; } \
    >"$T/huge/${ID}_huge.py"
expect_error huge 'too large|larger than|at most|bytes' -- "$T/huge/${ID}_huge.py"
rm -f "$T/huge/${ID}_huge.py"   # 100 MB: do not keep it around

# 7. 10,000 nested brackets
mkdir -p "$T/nested"
{
    printf '"""nested."""\nimport joryu\nfrom joryu import op\n\n\n@joryu.migration(id="%s_nested")\ndef upgrade():\n    op.execute(' "$ID"
    head -c 10000 /dev/zero | tr '\0' '['
    printf '"x"'
    head -c 10000 /dev/zero | tr '\0' ']'
    printf ')\n'
} >"$T/nested/${ID}_nested.py"
expect_error nested_brackets 'nest|too deep|too many (brackets|levels)' -- "$T/nested/${ID}_nested.py"
# unclosed: 10,000 opening brackets and end of file
{
    printf '"""nested."""\nimport joryu\nfrom joryu import op\n\n\n@joryu.migration(id="%s_open")\ndef upgrade():\n    op.execute(' "$ID"
    head -c 10000 /dev/zero | tr '\0' '('
    printf '\n'
} >"$T/nested/${ID}_open.py"
expect_error nested_unclosed 'nest|too deep|too many (brackets|levels)|unclosed|never closed|end of file' -- \
    "$T/nested/${ID}_open.py"

# 8. a folder named like a migration: given directly, and as the only entry
mkdir -p "$T/dirpy/${ID}_folder.py"
expect_error dir_named_py 'directory|folder|not a (regular )?file' -- "$T/dirpy/${ID}_folder.py"
expect_error dir_with_only_dir_py 'directory|folder|no migration files|not a (regular )?file' -- "$T/dirpy"

# 9. invalid UTF-8 (a lone continuation byte and an overlong sequence in a string)
mkdir -p "$T/utf8"
write_migration "$T/utf8/${ID}_latin1.py" "$(printf '    op.execute("UPDATE users SET name = \x27Andr\xe9\x27 WHERE id = 1 \xc0\xaf")')"
MUST_NAME="$T/utf8/${ID}_latin1.py:8:"
expect_error invalid_utf8 'utf-8|utf8|encoding|invalid' -- "$T/utf8/${ID}_latin1.py"

# 10. an empty .py file and a file holding only a BOM
mkdir -p "$T/empty_file"
: >"$T/empty_file/${ID}_empty.py"
expect_error empty_file 'empty|no .*migration|missing|expected' -- "$T/empty_file/${ID}_empty.py"
mkdir -p "$T/bom"
printf '\xef\xbb\xbf' >"$T/bom/${ID}_bom.py"
expect_error bom_only 'empty|no .*migration|missing|expected' -- "$T/bom/${ID}_bom.py"

chmod -R u+rwx "$T" 2>/dev/null || true
if [ "$FAILS" -gt 0 ]; then
    echo "bad_input: $FAILS check(s) failed" >&2
    exit 1
fi
rm -rf "$T"
echo "bad_input: all cases passed"
