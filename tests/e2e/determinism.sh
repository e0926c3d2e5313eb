# Byte-identical SARIF across two runs and across -j 1 and -j 4, on the
# fixtures plus a generated tree of many packages.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
cp -r "$SOURCE_DIR/fixtures" tree
for i in $(seq 1 40); do
    write_buggy_package "tree/gen/p$i"
    write_clean_package "tree/gen/q$i"
done
run_mapsafe --format sarif -o a.sarif -j 4 tree
run_mapsafe --format sarif -o b.sarif -j 4 tree
run_mapsafe --format sarif -o c.sarif -j 1 tree
run_mapsafe --format text -o a.txt -j 3 tree
run_mapsafe --format text -o b.txt -j 1 tree
cmp -s a.sarif b.sarif && pass "two runs are byte-identical" || fail "two runs differ"
cmp -s a.sarif c.sarif && pass "-j 1 and -j 4 are byte-identical" || fail "-j 1 and -j 4 differ"
cmp -s a.txt b.txt && pass "text output is deterministic" || fail "text output differs"
n=$(json_query a.sarif "l.runs[0].results.length")
[ "$n" -ge 90 ] && pass "$n results" || fail "only $n results"
sorted=$(json_query a.sarif "l.runs[0].results.map(r => { const p = r.locations[0].physicalLocation; return [p.artifactLocation.uri, p.region.startLine, p.region.startColumn] }).every((k, i, a) => i == 0 || (a[i-1][0] < k[0]) || (a[i-1][0] == k[0] && (a[i-1][1] < k[1] || (a[i-1][1] == k[1] && a[i-1][2] <= k[2]))))")
[ "$sorted" = "true" ] && pass "results sorted by path, line, column" || fail "results not sorted"
validate a.sarif
finish
