#!/usr/bin/env bash
# --baseline end to end: the four scenarios of the issue (lines inserted
# above, an unrelated function renamed, the bug fixed, a second identical
# bug), updated results, the exit status, and bad baselines.
# usage: baseline.sh MAPSAFE SOURCE_DIR
source "$(dirname "$0")/lib.sh"
cd "$WORK"

mkdir -p proj/cache proj/other
cat >proj/cache/cache.go <<'EOF'
package cache

type Cache struct {
	items map[string]string
}

func helper() int { return 1 }

// Alias adds an alias for every key: the new keys may or may not be
// visited by the loop.
func (c *Cache) Alias() {
	for k, v := range c.items {
		c.items["alias:"+k] = v
	}
}
EOF
cat >proj/other/other.go <<'EOF'
package other

func Rename(m map[string]int) {
	for k, v := range m {
		m[k+"_old"] = v
	}
}
EOF
cd proj
expect_run 1 "recording the baseline" -- "$MAPSAFE" --format sarif -o ../baseline.sarif .
validate ../baseline.sarif
expect_query ../baseline.sarif "results.length" "2" "the baseline holds both findings"

state_of() { # state_of LOG FILE: the baselineState of that file's MS101 result(s)
    sarif_query "$1" "results.filter(r => r.locations[0].physicalLocation.artifactLocation.uri === '$2').map(r => r.baselineState).join()"
}

expect_run 0 "same code: nothing new, exit 0" -- "$MAPSAFE" --baseline ../baseline.sarif --format sarif -o ../same.sarif .
validate ../same.sarif
expect_query ../same.sarif "results.map(r => r.baselineState).join()" "unchanged,unchanged" \
    "every result has baselineState"

# 1. Lines inserted above the finding.
sed -i 's|^type Cache struct {|// Cache maps keys to values.\n// It is not safe for concurrent use.\n\ntype Cache struct {|' cache/cache.go
expect_run 0 "lines inserted above" -- "$MAPSAFE" --baseline ../baseline.sarif --format sarif -o ../moved.sarif .
expect_query ../moved.sarif "results.filter(r => r.ruleId === 'MS101').map(r => r.locations[0].physicalLocation.region.startLine).join()" \
    "16,5" "the finding moved three lines down"
[ "$(state_of ../moved.sarif cache/cache.go)" = unchanged ] && pass "a finding that moved is unchanged" ||
    fail "moved finding: $(state_of ../moved.sarif cache/cache.go)"

# 2. An unrelated function renamed.
sed -i 's/helper()/unrelatedHelper()/' cache/cache.go
expect_run 0 "unrelated function renamed" -- "$MAPSAFE" --baseline ../baseline.sarif --format sarif -o ../renamed.sarif .
[ "$(state_of ../renamed.sarif cache/cache.go)" = unchanged ] && pass "renaming an unrelated function keeps it unchanged" ||
    fail "after the rename: $(state_of ../renamed.sarif cache/cache.go)"

# 4. A second identical bug in the same function is new, and fails the run.
sed -i 's|^\t\tc.items\["alias:"+k\] = v$|\t\tc.items["alias:"+k] = v\n\t\tc.items["alias:"+k] = v|' cache/cache.go
expect_run 1 "a second identical bug" -- "$MAPSAFE" --baseline ../baseline.sarif --format sarif -o ../second.sarif .
validate ../second.sarif
expect_query ../second.sarif "results.filter(r => r.locations[0].physicalLocation.artifactLocation.uri === 'cache/cache.go').map(r => r.baselineState).sort().join()" \
    "new,unchanged" "one of the two identical findings is new"
expect_query ../second.sarif "results.filter(r => r.baselineState === 'new').map(r => r.locations[0].physicalLocation.region.startLine).join()" \
    "17" "the new one is the added line"
expect_run 1 "text with a baseline lists the new finding only" -- "$MAPSAFE" --baseline ../baseline.sarif .
expect_grep '^cache/cache.go:17:3: warning: .*\[MS101\]$' "$WORK/stdout" "the new finding is listed"
expect_no_grep '^cache/cache.go:16:' "$WORK/stdout" "the known one is not"
expect_grep '1 finding .*; 2 in the baseline$' "$WORK/stdout" "the summary counts the baseline"
expect_run 1 "github with a baseline annotates the new finding only" -- "$MAPSAFE" --baseline ../baseline.sarif --format github .
[ "$(grep -c "^::" "$WORK/stdout")" = 1 ] && pass "one annotation" || fail "annotations: $(cat "$WORK/stdout")"

# 3. Fixing the bug makes it absent.
sed -i '/c.items\["alias:"+k\] = v/d' cache/cache.go
expect_run 0 "the bug fixed" -- "$MAPSAFE" --baseline ../baseline.sarif --format sarif -o ../fixed.sarif .
validate ../fixed.sarif
expect_query ../fixed.sarif "results.filter(r => r.baselineState === 'absent').map(r => r.ruleId + '@' + r.locations[0].physicalLocation.artifactLocation.uri + ':' + r.locations[0].physicalLocation.region.startLine).join()" \
    "MS101@cache/cache.go:13" "the fixed finding is reported absent, as it was in the baseline"
expect_query ../fixed.sarif "results.filter(r => r.baselineState === 'absent')[0].relatedLocations.length" "1" \
    "the absent result keeps its related locations"
expect_query ../fixed.sarif "results.filter(r => r.baselineState !== 'absent').map(r => r.baselineState).join()" \
    "unchanged" "the other finding is unchanged"

# A part of the tree not analysed in this run is not absent.
expect_run 0 "analysing one directory" -- "$MAPSAFE" --baseline ../baseline.sarif --format sarif -o ../part.sarif other
expect_query ../part.sarif "results.map(r => r.baselineState).join()" "unchanged" \
    "results of files outside the analysed paths are not reported absent"
# A disabled rule's results are not absent either.
expect_run 0 "MS101 disabled" -- "$MAPSAFE" --disable MS101 --baseline ../baseline.sarif --format sarif -o ../off.sarif .
expect_query ../off.sarif "results.length" "0" "results of a rule that did not run are not absent"

# An updated result: same fingerprint, different message.
sed 's/a key added during iteration/a key added while iterating/' ../baseline.sarif >../reworded.sarif
expect_run 0 "a reworded baseline" -- "$MAPSAFE" --baseline ../reworded.sarif --format sarif -o ../updated.sarif .
validate ../updated.sarif
expect_query ../updated.sarif "results.filter(r => r.baselineState !== 'absent').map(r => r.baselineState).join()" \
    "updated" "a changed message is updated"

# A baseline recorded with --baseline (it holds absent copies) still works.
expect_run 0 "a baseline that holds absent results" -- "$MAPSAFE" --baseline ../fixed.sarif --format sarif -o ../again.sarif .
expect_query ../again.sarif "results.map(r => r.baselineState).join()" "unchanged" \
    "absent results of the old log are not carried on"

# Bad baselines: exit 2 with a clear message.
expect_run 2 "missing baseline" -- "$MAPSAFE" --baseline ../nope.sarif .
expect_grep 'nope.sarif: cannot open the --baseline log' "$WORK/stderr" "says it cannot open it"
printf '{"runs": [\n  {"tool": ' >../broken.sarif
expect_run 2 "truncated baseline" -- "$MAPSAFE" --baseline ../broken.sarif .
expect_grep 'broken.sarif:2:[0-9]+: invalid JSON' "$WORK/stderr" "points at the line and column"
echo '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "eslint"}}, "results": []}]}' >../eslint.sarif
expect_run 2 "another tool's log" -- "$MAPSAFE" --baseline ../eslint.sarif .
expect_grep 'written by eslint; --baseline needs a mapsafe SARIF log' "$WORK/stderr" "names the tool"
node -e '
const fs = require("fs");
const log = JSON.parse(fs.readFileSync("../baseline.sarif", "utf8"));
delete log.runs[0].results[1].partialFingerprints;
fs.writeFileSync("../nofp.sarif", JSON.stringify(log));'
expect_run 2 "a result without a fingerprint" -- "$MAPSAFE" --baseline ../nofp.sarif .
expect_grep 'runs\[0\].results\[1\] has no ruleId, location or partialFingerprints' "$WORK/stderr" "names the result"

finish
