# mapsafe/v1 fingerprints: stable when lines are inserted above a finding or
# the code is reformatted, distinct for two identical bugs in one function.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
write_buggy_package v1
fingerprints() {
    json_query "$1" "l.runs[0].results.map(r => r.partialFingerprints['mapsafe/v1']).join(' ')"
}
run_mapsafe --format sarif -o v1.sarif v1
before=$(fingerprints v1.sarif)
[ -n "$before" ] && pass "a fingerprint: $before" || fail "no fingerprint"

# Lines inserted above the finding, in the same file.
{ printf '// Copyright notice\n// inserted above\n\n'; cat v1/a.go; } >a.go.new
sed -i 's/^func Rebuild/\/\/ Rebuild doubles keys.\n\nfunc Rebuild/' a.go.new
mv a.go.new v1/a.go
run_mapsafe --format sarif -o moved.sarif v1
after=$(fingerprints moved.sarif)
line=$(json_query moved.sarif "l.runs[0].results[0].locations[0].physicalLocation.region.startLine")
[ "$line" -gt 7 ] && pass "the finding moved to line $line" || fail "finding did not move: $line"
[ "$before" = "$after" ] && pass "fingerprint unchanged after inserting lines above" || fail "fingerprint changed: $before -> $after"

sed -i 's/m\[k+"x"\] = v/m[k +   "x"]   =   v/' v1/a.go
run_mapsafe --format sarif -o reformatted.sarif v1
[ "$(fingerprints reformatted.sarif)" = "$before" ] && pass "fingerprint unchanged after reformatting" || fail "reformatting changed the fingerprint"

sed -i 's/m\[k +   "x"\]   =   v/m[k+"x"] = v\n\t\tm[k+"x"] = v/' v1/a.go
run_mapsafe --format sarif -o twice.sarif v1
read -r -a fps <<<"$(fingerprints twice.sarif)"
[ "${#fps[@]}" -eq 2 ] && [ "${fps[0]}" != "${fps[1]}" ] && [ "${fps[0]}" = "$before" ] &&
    pass "a second identical bug gets its own fingerprint" || fail "identical bugs: ${fps[*]}"
finish
