#!/usr/bin/env bash
# `mapsafe --fix` for C++ end to end, on copies of fixtures/MS301/cpp-fix:
#   1. the SARIF fixes, applied as a viewer applies them, give the golden
#      files, and the findings without a safe place for `m.reserve(n);`
#      carry no fix;
#   2. --fix gives the golden files, leaves the files without a golden file
#      untouched (not even rewritten), and the fixed files compile
#      (clang++ -fsyntax-only, when given);
#   3. a second --fix changes nothing;
#   4. a file with a compile error is not fixed, and says so.
# usage: cxx_fix_test.sh MAPSAFE FIXTURE_DIR SCRIPTS_DIR [CLANGXX]
set -euo pipefail
mapsafe=$1 src=$2 scripts=$3 clangxx=${4:-} ext=cpp
source "$scripts/fix_lib.sh"
findings=$(wanted "$src"/*.cpp)
refused=0
for input in "$src"/*.cpp; do
    [ -f "$input.golden" ] || refused=$((refused + $(wanted "$input")))
done
[ "$refused" -gt 0 ] || fail "no fixture without a fix"
fixed=$((findings - refused))

# 1. The fixes in SARIF, as a viewer applies them.
fresh "$work/viewer"
run_in "$work/viewer" --format sarif -o "$work/viewer.sarif" .
node "$scripts/check_fix_log.js" "$work/viewer.sarif" "$findings"
with_fixes=$(node -e '
const run = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).runs[0];
console.log(run.results.filter((r) => r.ruleId === "MS301" && (r.fixes || []).length).length);
' "$work/viewer.sarif")
[ "$with_fixes" = "$fixed" ] || fail "$with_fixes findings carry a fix, expected $fixed"
node "$scripts/apply_sarif_fixes.js" "$work/viewer.sarif" "$work/viewer"
same_as_golden "$work/viewer" "SARIF fixes"

# 2. --fix in place.
fresh "$work/fix"
declare -A before
for f in "$work"/fix/*.cpp; do
    [ -f "$src/$(basename "$f").golden" ] || before[$f]=$(stat -c '%i %Y' "$f")
done
run_in "$work/fix" --fix --format sarif -o "$work/fix.sarif" .
same_as_golden "$work/fix" "--fix"
for f in "${!before[@]}"; do
    [ "$(stat -c '%i %Y' "$f")" = "${before[$f]}" ] || fail "$(basename "$f") was rewritten"
done
node "$scripts/check_fix_log.js" "$work/fix.sarif" "$refused"
grep -q "applied $fixed fixes to" "$work/fix.sarif" || fail "no summary of the fixes"
if [ -n "$clangxx" ]; then
    for f in "$work"/fix/*.cpp; do
        "$clangxx" -std=c++17 -fsyntax-only "$f" || fail "$(basename "$f") does not compile after --fix"
    done
fi

# 3. A second run changes nothing.
sums=$(cd "$work/fix" && stat -c '%n %i %Y' ./*.cpp && sha256sum ./*.cpp)
run_in "$work/fix" --fix --format sarif -o "$work/second.sarif" .
[ "$sums" = "$(cd "$work/fix" && stat -c '%n %i %Y' ./*.cpp && sha256sum ./*.cpp)" ] ||
    fail "the second --fix changed files"
grep -q "fixes-applied" "$work/second.sarif" && fail "the second run applied fixes"

# 4. A compile error stops the fixes of its file.
mkdir -p "$work/broken"
{ cat "$src/braceless.cpp"; echo "int broken = ;"; } >"$work/broken/braceless.cpp"
cp "$work/broken/braceless.cpp" "$work/broken.orig"
run_in "$work/broken" --fix --format sarif -o "$work/broken.sarif" .
cmp -s "$work/broken/braceless.cpp" "$work/broken.orig" || fail "a file with a compile error was fixed"
node "$scripts/check_fix_log.js" "$work/broken.sarif" "$(wanted "$src/braceless.cpp")" \
    "analysed as far as it parses"
grep -q "compile errors; its fixes were not applied" "$work/broken.sarif" ||
    fail "no fix-not-applied notification for the compile error"
echo "PASS: C++ --fix (golden files, refused fixes, compiles, idempotency, compile errors)"
