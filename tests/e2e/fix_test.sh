#!/usr/bin/env bash
# `mapsafe --fix` end to end, on copies of fixtures/MS301/go-fix:
#   1. the SARIF fixes, applied as a viewer applies them, give the golden files;
#   2. --fix gives the golden files, keeps file modes, leaves files without
#      fixes untouched, reports nothing left, and the fixed files parse
#      (no syntax notification; gofmt -l -e is clean when gofmt is given);
#   3. a second --fix changes nothing, byte for byte, and rewrites nothing;
#   4. a file edited between analysis and fixing is refused (the
#      MAPSAFE_TEST_FIX_SYNC hook of analyzer/fix.h), the others are fixed.
# usage: fix_test.sh MAPSAFE FIXTURE_DIR SCRIPTS_DIR [GOFMT]
set -euo pipefail
mapsafe=$1 src=$2 scripts=$3 gofmt=${4:-} ext=go
source "$scripts/fix_lib.sh"
fixes_expected=$(wanted "$src"/*.go)

# 1. The fixes in SARIF, as a viewer applies them.
fresh "$work/viewer"
run_in "$work/viewer" --format sarif -o "$work/viewer.sarif" .
node "$scripts/check_fix_log.js" "$work/viewer.sarif" "$fixes_expected"
node "$scripts/apply_sarif_fixes.js" "$work/viewer.sarif" "$work/viewer"
same_as_golden "$work/viewer" "SARIF fixes"

# 2. --fix in place.
fresh "$work/fix"
chmod 640 "$work/fix/catalog.go"
chmod 604 "$work/fix/nested.go"
plain_before=$(stat -c '%i %Y' "$work/fix/plain.go")
run_in "$work/fix" --fix --format sarif -o "$work/fix.sarif" .
same_as_golden "$work/fix" "--fix"
[ "$(stat -c %a "$work/fix/catalog.go")" = 640 ] || fail "catalog.go lost its mode 640"
[ "$(stat -c %a "$work/fix/nested.go")" = 604 ] || fail "nested.go lost its mode 604"
[ "$(stat -c '%i %Y' "$work/fix/plain.go")" = "$plain_before" ] || fail "plain.go was rewritten"
node "$scripts/check_fix_log.js" "$work/fix.sarif" 0
grep -q "applied $fixes_expected fixes to 2 files" "$work/fix.sarif" || fail "no summary of the fixes"
if [ -n "$gofmt" ]; then
    out=$("$gofmt" -l -e "$work/fix") || fail "gofmt rejects the fixed files"
    [ -z "$out" ] || fail "gofmt would reformat: $out"
fi
ls -A "$work/fix" | grep -q mapsafe && fail "a temporary file was left behind"

# 3. A second run changes nothing.
before=$(cd "$work/fix" && stat -c '%n %i %Y' ./*.go && sha256sum ./*.go)
run_in "$work/fix" --fix --format sarif -o "$work/second.sarif" .
after=$(cd "$work/fix" && stat -c '%n %i %Y' ./*.go && sha256sum ./*.go)
[ "$before" = "$after" ] || fail "the second --fix changed files"
node "$scripts/check_fix_log.js" "$work/second.sarif" 0
grep -q "fixes-applied" "$work/second.sarif" && fail "the second run applied fixes"

# 4. A file edited after analysis is refused.
fresh "$work/race"
mkfifo "$work/sync"
(cd "$work/race" && MAPSAFE_TEST_FIX_SYNC="$work/sync" "$mapsafe" --fix --format sarif \
    -o "$work/race.sarif" .) &
pid=$!
read -r line <"$work/sync"
[ "$line" = analysed ] || fail "unexpected handshake '$line'"
echo "// edited while mapsafe was running" >>"$work/race/catalog.go"
cp "$work/race/catalog.go" "$work/edited.go"
echo go >"$work/sync"
status=0
wait "$pid" || status=$?
[ "$status" -le 1 ] || fail "mapsafe --fix exited $status in the race test"
cmp -s "$work/race/catalog.go" "$work/edited.go" || fail "the edited file was changed"
cmp -s "$work/race/nested.go" "$src/nested.go.golden" || fail "nested.go was not fixed"
node "$scripts/check_fix_log.js" "$work/race.sarif" "$(wanted "$src/catalog.go")" \
    "changed since it was analysed"
echo "PASS: --fix (golden files, modes, idempotency, refusal)"
