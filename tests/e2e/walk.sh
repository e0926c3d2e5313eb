# Directory walking: the skips of interface.md, explicit files, duplicates.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
for d in .hidden vendor testdata node_modules _build src/vendor build/CMakeFiles/3.25.1 src/ok; do
    write_buggy_package "tree/$d"
done
run_mapsafe --format sarif -o walk.sarif tree
uris=$(json_query walk.sarif "l.runs[0].artifacts.map(a => a.location.uri).join(' ')")
[ "$uris" = "tree/src/ok/a.go" ] && pass "skipped directories" || fail "walked: $uris"

run_mapsafe tree/vendor/a.go
expect_status 1 "an explicit file in a skipped directory is analysed"

run_mapsafe tree/src/ok tree/src/ok/a.go ./tree/src/ok
expect_contains "$out" "in 1 file" "a file named several times is analysed once"

echo "int x;" >tree/src/ok/notes.txt
run_mapsafe tree/src/ok/notes.txt
expect_status 2 "an unsupported explicit file only"
expect_contains "$err" "not a Go, C or C++ file" "unsupported file notification"

ln -s ../.. tree/src/ok/loop
run_mapsafe tree/src
expect_contains "$out" "in 1 file" "symlinked directories are not followed"
finish
