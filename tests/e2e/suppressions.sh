#!/usr/bin/env bash
# Suppression comments end to end: what SARIF, text and GitHub output say
# about suppressed findings, --hide-suppressed, the exit status, and MS001
# for rules that did not run.
# usage: suppressions.sh MAPSAFE SOURCE_DIR
source "$(dirname "$0")/lib.sh"
cd "$WORK"

# ---- SARIF of the Go suppression fixtures ----
fx=$SOURCE_DIR/fixtures/MS001/go
(cd "$fx" && "$MAPSAFE" --format sarif -o "$WORK/all.sarif" .) || true
(cd "$fx" && "$MAPSAFE" --format sarif --hide-suppressed -o "$WORK/hidden.sarif" .) || true
validate "$WORK/all.sarif" "$WORK/hidden.sarif"

line=$(grep -n 'slash routes are skipped by the prefix check' "$fx/placement.go" | cut -d: -f1)
expect_query all.sarif "JSON.stringify(at($line).filter(r => r.locations[0].physicalLocation.artifactLocation.uri === 'placement.go').map(r => r.suppressions))" \
    '[[{"kind":"inSource","status":"accepted","justification":"slash routes are skipped by the prefix check"}]]' \
    "a suppressed finding stays in SARIF with kind inSource, status accepted and the reason"
line=$(grep -n 'explanation after a second' "$fx/placement.go" | cut -d: -f1)
line=$((line + 3))
expect_query all.sarif "JSON.stringify(at($line).filter(r => r.locations[0].physicalLocation.artifactLocation.uri === 'placement.go').map(r => r.suppressions[0].justification))" \
    '["the \"#\" keys are dropped after the loop"]' "nolint's explanation after // is the justification"
expect_query all.sarif "results.filter(r => r.suppressions.length > 0).length > 10" "true" \
    "the fixture's suppressed findings are all in the log"
expect_query all.sarif "results.every(r => Array.isArray(r.suppressions))" "true" \
    "every result has a suppressions array"
expect_query hidden.sarif "results.filter(r => r.suppressions.length > 0).length" "0" \
    "--hide-suppressed drops them"
expect_query hidden.sarif "results.length === $(sarif_query all.sarif 'results.filter(r => r.suppressions.length === 0).length')" \
    "true" "--hide-suppressed keeps every other result"

# ---- text and github ----
expect_run 1 "text report of the fixtures" -- sh -c "cd '$fx' && '$MAPSAFE' ."
cp "$WORK/stdout" text.out
expect_grep '\[MS101\] \(suppressed\)$' text.out "text marks suppressed findings"
expect_grep '; [0-9]+ suppressed$' text.out "text counts them in the summary"
expect_run 1 "text with --hide-suppressed" -- sh -c "cd '$fx' && '$MAPSAFE' --hide-suppressed ."
expect_no_grep '\(suppressed\)$' "$WORK/stdout" "--hide-suppressed leaves them out of the text"
expect_run 1 "github report of the fixtures" -- sh -c "cd '$fx' && '$MAPSAFE' --format github ."
cp "$WORK/stdout" github.out
expect_query all.sarif "results.filter(r => r.suppressions.length === 0).length" \
    "$(grep -c '^::' github.out)" "github annotates exactly the unsuppressed findings"

# ---- exit status: suppressed findings never fail the run ----
mkdir -p quiet stale
cat >quiet/quiet.go <<'EOF'
package quiet

func rename(m map[string]int) {
	for k, v := range m {
		m[k+".bak"] = v //mapsafe:ignore MS101 backups are skipped by the caller's filter
	}
}
EOF
expect_run 0 "only suppressed findings: exit 0" -- "$MAPSAFE" quiet
expect_grep '1 suppressed' "$WORK/stdout" "the suppressed finding is counted"
cat >stale/stale.go <<'EOF'
package stale

func copyAll(dst, src map[string]int) {
	for k, v := range src {
		dst[k] = v //mapsafe:ignore MS101 copies into another map
	}
}
EOF
expect_run 1 "an unused suppression fails the run (MS001 is a warning)" -- "$MAPSAFE" stale
expect_grep 'stale.go:5:14: warning: unused suppression: mapsafe:ignore MS101 matched no finding' "$WORK/stdout" \
    "MS001 is reported on the comment"
expect_run 0 "--fail-on error lets MS001 pass" -- "$MAPSAFE" --fail-on error stale
expect_run 0 "--disable MS001 silences it" -- "$MAPSAFE" --disable MS001 stale
expect_run 0 "a suppression of a disabled rule is not unused" -- "$MAPSAFE" --disable MS101 stale
expect_no_grep 'MS001' "$WORK/stdout" "no MS001 when MS101 did not run"

# A syntax error in another file of the package may hide the finding a
# suppression is for: no MS001 then, but malformed comments are still MS002.
mkdir -p partial
cp stale/stale.go partial/stale.go
sed -i 's/^package stale/package partial/' partial/stale.go
printf 'package partial\n\nfunc broken( {\n\tx := 1 //mapsafe:ignore MS101\n}\n' >partial/broken.go
expect_run 1 "a package with a syntax error" -- "$MAPSAFE" partial
expect_no_grep 'MS001' "$WORK/stdout" "no MS001 in a package that did not parse"
expect_grep 'broken.go:4:9: warning: malformed suppression: no reason given' "$WORK/stdout" \
    "MS002 is still reported"
expect_grep 'syntax' "$WORK/stderr" "the syntax error is a notification"

# ---- several rules in one comment; a comment naming the wrong rule ----
mkdir -p multi
cat >multi/multi.go <<'EOF'
package multi

func both(m map[string]int) {
	for k, v := range m {
		m[k+"+"] = v //mapsafe:ignore MS101,MS201 neither rule matters for this cache
	}
}

func wrongRule(m map[string]int) {
	for k, v := range m {
		m[k+"-"] = v //mapsafe:ignore MS301 names the capacity rule, not this one
	}
}

func nothing(m map[string]int) int {
	return len(m) //mapsafe:ignore MS101,MS201 stale
}
EOF
expect_run 1 "several rules in one comment" -- "$MAPSAFE" --disable MS201 --format sarif -o multi.sarif multi
expect_query multi.sarif "at(5).map(r => r.ruleId + ':' + r.suppressions.length).join()" "MS101:1" \
    "MS101,MS201 silences the MS101 finding"
expect_query multi.sarif "at(11).filter(r => r.ruleId === 'MS101').map(r => r.suppressions.length).join()" "0" \
    "a comment naming another rule does not silence MS101"
expect_query multi.sarif "at(16).map(r => r.ruleId + ': ' + r.message.text).join()" \
    "MS001: unused suppression: mapsafe:ignore MS101 matched no finding; remove it, or move it to the statement it is meant for" \
    "MS001 names only the rules that ran and matched nothing"

# ---- a C++ header included by two translation units ----
mkdir -p hdr
cat >hdr/cache.hpp <<'EOF'
#pragma once
#include <string>
#include <unordered_map>

inline void addTotals(std::unordered_map<std::string, int> &counts) {
    for (const auto &kv : counts) {
        counts[kv.first + "_total"] += kv.second; // mapsafe:ignore MS101 totals are rebuilt after the loop
    }
}

inline int size(const std::unordered_map<std::string, int> &counts) {
    return static_cast<int>(counts.size()); // mapsafe:ignore MS101 stale
}
EOF
printf '#include "cache.hpp"\nvoid a(std::unordered_map<std::string, int> &c) { addTotals(c); }\n' >hdr/a.cpp
printf '#include "cache.hpp"\nvoid b(std::unordered_map<std::string, int> &c) { addTotals(c); }\n' >hdr/b.cpp
expect_run 1 "a header shared by two translation units" -- "$MAPSAFE" --format sarif -o hdr.sarif hdr
expect_query hdr.sarif "results.map(r => r.ruleId + ':' + r.locations[0].physicalLocation.region.startLine + ':' + r.suppressions.length).join()" \
    "MS101:7:1,MS001:12:0" "the header's finding is suppressed once, its stale comment is MS001 once"
expect_run 0 "only one translation unit named" -- "$MAPSAFE" hdr/a.cpp
expect_no_grep 'MS001' "$WORK/stdout" "a header that is not analysed on its own gets no MS001"
expect_grep '1 suppressed' "$WORK/stdout" "but its comments still suppress"

# ---- determinism with suppressions, any -j ----
for dir in "$SOURCE_DIR/fixtures"/MS00[12]/*/; do
    (cd "$dir" && "$MAPSAFE" -j1 --format sarif -o "$WORK/j1.sarif" . || true)
    (cd "$dir" && "$MAPSAFE" -j2 --format sarif -o "$WORK/j2.sarif" . || true)
    if cmp -s j1.sarif j2.sarif; then pass "byte-identical logs with -j1 and -j2 in $dir"; else
        fail "-j1 and -j2 logs differ in $dir"
    fi
done

finish
