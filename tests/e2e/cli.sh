# The command line of interface.md: informational options, formats, output
# file, rule selection, --fail-on and the exit statuses 0, 1 and 2.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
write_buggy_package buggy
write_clean_package clean

run_mapsafe --version
expect_status 0 "--version"
expect_contains "$out" "mapsafe 0." "--version prints the version"

run_mapsafe --help
expect_status 0 "--help"
expect_contains "$out" "usage: mapsafe" "--help prints usage"

run_mapsafe --list-rules
expect_status 0 "--list-rules"
for id in MS001 MS002 MS101 MS201 MS202 MS301; do
    expect_contains "$out" "$id" "--list-rules lists $id"
done

run_mapsafe --no-such-option
expect_status 2 "unknown option"
expect_contains "$err" "unknown option" "unknown option message"

run_mapsafe --format xml buggy
expect_status 2 "unknown format"

run_mapsafe --enable MS999 buggy
expect_status 2 "unknown rule id"

run_mapsafe -j 0 buggy
expect_status 2 "-j 0"

run_mapsafe does-not-exist
expect_status 2 "unreadable path"
expect_contains "$err" "does-not-exist" "unreadable path is named"

mkdir empty
run_mapsafe empty
expect_status 2 "nothing to analyse"
expect_contains "$err" "no Go, C or C++ file" "nothing-analysed message"

run_mapsafe clean
expect_status 0 "no findings"
expect_contains "$out" "mapsafe: 0 findings" "summary line"

run_mapsafe buggy
expect_status 1 "a warning finding with the default --fail-on warning"
expect_contains "$out" "buggy/a.go:7:3: warning:" "compiler-style location"
expect_contains "$out" "[MS101]" "rule id in text output"
expect_contains "$out" "    buggy/a.go:4:2: note:" "related location indented"

run_mapsafe --fail-on error buggy
expect_status 0 "--fail-on error ignores warnings"
run_mapsafe --fail-on note buggy
expect_status 1 "--fail-on note"
run_mapsafe --fail-on none buggy
expect_status 0 "--fail-on none"
run_mapsafe --fail-on=warning buggy
expect_status 1 "--fail-on=warning spelling"

run_mapsafe --disable MS101 buggy
expect_status 0 "--disable MS101"
expect_not_contains "$out" "[MS101]" "--disable MS101 silences it"
run_mapsafe --enable MS301 buggy
expect_not_contains "$out" "[MS101]" "--enable limits the rules"

run_mapsafe --format sarif -o report.sarif buggy
expect_status 1 "sarif to a file"
[ -z "$out" ] && pass "-o leaves stdout empty" || fail "-o wrote to stdout"
validate report.sarif
results=$(json_query report.sarif "l.runs[0].results.map(r => r.ruleId + '@' + r.locations[0].physicalLocation.region.startLine).join(',')")
[ "$results" = "MS101@7" ] && pass "sarif results" || fail "sarif results: $results"

run_mapsafe --format github buggy
expect_status 1 "github format"
expect_contains "$out" "::warning file=buggy/a.go,line=7,col=3," "github annotation"
expect_contains "$out" "title=MS101::" "github annotation title"

run_mapsafe -o /nonexistent-dir/x.txt buggy
expect_status 2 "unwritable output"

run_mapsafe ./buggy/...
expect_status 1 "./... spelling"
finish
