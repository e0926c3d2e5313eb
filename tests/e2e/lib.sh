# Shared helpers for the end-to-end tests. Each test script is run by ctest
# as: bash <script> MAPSAFE SOURCE_DIR, with NODE_PATH set for the validator.
set -euo pipefail

MAPSAFE=${1:?usage: $0 MAPSAFE SOURCE_DIR}
SOURCE_DIR=${2:?usage: $0 MAPSAFE SOURCE_DIR}
SCHEMA=${MAPSAFE_SARIF_SCHEMA:-$SOURCE_DIR/../shared/sarif/sarif-schema-2.1.0.json}
VALIDATOR=$SOURCE_DIR/tests/sarif/validate.js
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

pass() {
    echo "ok: $*"
}

# run_mapsafe ARGS...: sets $status, $out (stdout) and $err (stderr).
run_mapsafe() {
    status=0
    "$MAPSAFE" "$@" >"$WORK/stdout" 2>"$WORK/stderr" || status=$?
    out=$(cat "$WORK/stdout")
    err=$(cat "$WORK/stderr")
}

expect_status() {
    local want=$1 what=$2
    if [ "$status" -eq "$want" ]; then pass "$what (exit $status)"; else fail "$what: exit $status, want $want; stderr: ${err:0:400}"; fi
}

expect_contains() {
    local haystack=$1 needle=$2 what=$3
    if grep -qF -- "$needle" <<<"$haystack"; then pass "$what"; else fail "$what: missing '$needle' in: ${haystack:0:600}"; fi
}

expect_not_contains() {
    local haystack=$1 needle=$2 what=$3
    if grep -qF -- "$needle" <<<"$haystack"; then fail "$what: unexpected '$needle' in: ${haystack:0:600}"; else pass "$what"; fi
}

# validate LOG...: SARIF schema and contract.
validate() {
    if node "$VALIDATOR" "$SCHEMA" "$@" >"$WORK/validate.out" 2>&1; then
        pass "schema-valid: $*"
    else
        fail "schema validation: $(cat "$WORK/validate.out")"
    fi
}

# json_query FILE EXPR: evaluates a JavaScript expression over the parsed log `l`.
json_query() {
    node -e "const l = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')); console.log($2)" "$1"
}

finish() {
    if [ "$failures" -gt 0 ]; then
        echo "$failures check(s) failed" >&2
        exit 1
    fi
    echo "all checks passed"
}

# A small Go package with one MS101 finding at line 7.
write_buggy_package() {
    local dir=$1
    mkdir -p "$dir"
    cat >"$dir/a.go" <<'GO'
package a

func Rebuild(m map[string]int) {
	for k, v := range m {
		_ = v
		// the insert below is the finding
		m[k+"x"] = v
	}
}
GO
}

write_clean_package() {
    local dir=$1
    mkdir -p "$dir"
    cat >"$dir/b.go" <<'GO'
package b

func Count(xs []string) map[string]int {
	out := map[string]int{"seed": 1}
	for _, x := range xs {
		out[x]++
	}
	return out
}
GO
}

# ---- for tests that run other commands than mapsafe, and query SARIF ----

# expect_run WANT DESCRIPTION -- COMMAND...: runs COMMAND and checks its exit
# status; sets $status, $out and $err like run_mapsafe.
expect_run() {
    local want=$1 what=$2
    shift 3
    status=0
    "$@" >"$WORK/stdout" 2>"$WORK/stderr" || status=$?
    out=$(cat "$WORK/stdout")
    err=$(cat "$WORK/stderr")
    expect_status "$want" "$what"
}

# expect_grep ERE FILE DESCRIPTION, expect_no_grep ERE FILE DESCRIPTION
expect_grep() {
    if grep -qE -- "$1" "$2"; then pass "$3"; else fail "$3: /$1/ not in: $(head -c 600 "$2")"; fi
}

expect_no_grep() {
    if grep -qE -- "$1" "$2"; then fail "$3: /$1/ in: $(grep -E -- "$1" "$2" | head -c 600)"; else pass "$3"; fi
}

# sarif_query LOG JS: the value of the JavaScript expression JS, in which
# `log` is the parsed log, `results` its results and `at(line)` the results
# whose primary location starts on that line.
sarif_query() {
    node -e '
const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const results = log.runs[0].results;
const at = (line) => results.filter((r) => r.locations[0].physicalLocation.region.startLine === line);
const v = eval(process.argv[2]);
console.log(typeof v === "string" ? v : JSON.stringify(v));
' "$1" "$2"
}

# expect_query LOG JS WANT DESCRIPTION
expect_query() {
    local got
    got=$(sarif_query "$1" "$2") || got="<error>"
    if [ "$got" = "$3" ]; then pass "$4"; else fail "$4: $2 is $got, want $3"; fi
}
