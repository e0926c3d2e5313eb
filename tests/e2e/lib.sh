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
