# Helpers for the end-to-end tests: each test is a bash script that runs the
# real mapsafe binary in a scratch directory and checks exit statuses,
# output and SARIF. Source it after setting MAPSAFE, SCHEMA and VALIDATOR
# (the test's arguments, see tests/CMakeLists.txt).
set -euo pipefail

MAPSAFE=${MAPSAFE:?} SCHEMA=${SCHEMA:?} VALIDATOR=${VALIDATOR:?}
failures=0
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

pass() {
    echo "ok: $*"
}

# expect_status WANT DESCRIPTION -- COMMAND...: runs COMMAND, compares its
# exit status; its stdout and stderr are kept in $WORK/out and $WORK/err.
expect_status() {
    local want=$1 what=$2
    shift 3
    local got=0
    "$@" >"$WORK/out" 2>"$WORK/err" || got=$?
    if [ "$got" -ne "$want" ]; then
        fail "$what: exit status $got, want $want ($*)"
        sed 's/^/    stderr: /' "$WORK/err" >&2
    else
        pass "$what (status $got)"
    fi
}

# expect_grep PATTERN FILE DESCRIPTION / expect_no_grep ...
expect_grep() {
    if grep -qE -- "$1" "$2"; then pass "$3"; else
        fail "$3: /$1/ not in $2"
        sed 's/^/    | /' "$2" | head -20 >&2
    fi
}

expect_no_grep() {
    if grep -qE -- "$1" "$2"; then
        fail "$3: /$1/ found in $2"
        grep -E -- "$1" "$2" | sed 's/^/    | /' | head -5 >&2
    else pass "$3"; fi
}

# validate LOG...: the logs validate against the schema and interface.md.
validate() {
    if node "$VALIDATOR" "$SCHEMA" "$@" >"$WORK/validate.out" 2>&1; then
        pass "schema-valid: $*"
    else
        fail "schema validation of $*"
        sed 's/^/    | /' "$WORK/validate.out" >&2
    fi
}

# sarif_query LOG JS: prints the value of the JavaScript expression JS, in
# which `log` is the parsed SARIF log, `results` its results, and
# `at(line)` the results whose primary location starts on that line.
sarif_query() {
    node -e '
const fs = require("fs");
const log = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
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

finish() {
    if [ "$failures" -gt 0 ]; then
        echo "$failures failure(s)" >&2
        exit 1
    fi
    echo "all passed"
}
