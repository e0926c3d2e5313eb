#!/usr/bin/env bash
# .mapsafe.json end to end: every key, the precedence of command-line
# options, and malformed files (exit 2, with a message pointing at the
# problem).
# usage: config.sh MAPSAFE SOURCE_DIR
source "$(dirname "$0")/lib.sh"
cd "$WORK"

mkdir -p proj/app proj/gen proj/app/internal/gen && cd proj
for f in app/app.go gen/tables.go app/internal/gen/more.go app/api.pb.go; do
    pkg=$(basename "$(dirname "$f")")
    cat >"$f" <<EOF
package $pkg

func alias$(basename "$f" .go | tr -d .)(m map[string]int) {
	for k, v := range m {
		m["alias:"+k] = v
	}
}
EOF
done
count() { grep -c '\[MS101\]' "$WORK/stdout" || true; }

expect_run 1 "no configuration file" -- "$MAPSAFE" .
[ "$(count)" = 4 ] && pass "four findings without a configuration" || fail "findings: $(cat "$WORK/stdout")"

# ---- exclude ----
cat >.mapsafe.json <<'EOF'
{
  "exclude": ["gen", "*.pb.go"]
}
EOF
expect_run 1 "exclude by name" -- "$MAPSAFE" .
expect_grep '^app/app\.go:' "$WORK/stdout" "app/app.go is analysed"
expect_no_grep 'gen/|\.pb\.go' "$WORK/stdout" "every gen directory and *.pb.go file is excluded"
expect_grep 'in 1 file$' "$WORK/stdout" "the excluded files are not counted as analysed"
# An excluded directory is never entered: nesting there deeper than the
# walk allows would otherwise be reported.
mkdir -p "gen/$(printf 'd/%.0s' $(seq 1 260))"
expect_run 1 "an excluded tree is not walked" -- "$MAPSAFE" .
expect_no_grep 'walk-too-deep|deeper than' "$WORK/stderr" "nothing under an excluded directory is read"
mv .mapsafe.json mapsafe.json.off
expect_run 1 "the same tree without the exclude list" -- "$MAPSAFE" .
expect_grep 'deeper than 256' "$WORK/stderr" "the deep tree is noticed when it is walked"
mv mapsafe.json.off .mapsafe.json
rm -rf gen/d
cat >.mapsafe.json <<'EOF'
{"exclude": ["/gen/**", "app/**/more.go"]}
EOF
expect_run 1 "anchored globs with **" -- "$MAPSAFE" .
expect_no_grep '^gen/' "$WORK/stdout" "/gen/** excludes the top-level gen directory"
expect_no_grep 'more\.go' "$WORK/stdout" "app/**/more.go excludes app/internal/gen/more.go"
expect_grep '^app/api\.pb\.go' "$WORK/stdout" "other files stay"
expect_run 0 "explicitly named, still excluded" -- "$MAPSAFE" gen/tables.go
expect_grep 'every file was excluded' "$WORK/stderr" "a run where everything is excluded says so and passes"

# ---- enable / disable / fail-on, and the command line over them ----
cat >.mapsafe.json <<'EOF'
{"disable": ["MS101"]}
EOF
expect_run 0 "disable in the file" -- "$MAPSAFE" .
expect_run 1 "--enable on the command line replaces the file's selection" -- "$MAPSAFE" --enable MS101 .
expect_run 1 "--disable on the command line replaces it too" -- "$MAPSAFE" --disable MS301 .
cat >.mapsafe.json <<'EOF'
{"enable": ["MS301"]}
EOF
expect_run 0 "enable in the file runs only those rules" -- "$MAPSAFE" .
cat >.mapsafe.json <<'EOF'
{"fail-on": "error"}
EOF
expect_run 0 "fail-on in the file" -- "$MAPSAFE" .
expect_run 1 "--fail-on on the command line wins" -- "$MAPSAFE" --fail-on warning .
cat >.mapsafe.json <<'EOF'
{"fail-on": "none", "enable": ["MS101", "MS001"], "disable": ["MS001"]}
EOF
expect_run 0 "fail-on none" -- "$MAPSAFE" .

# ---- models: relative to the project root, added to --model ones ----
mkdir -p models
cat >models/bad.json <<'EOF'
{"model": "broken", "language": "go", "types": [{"name": "X", "class": "no-such-class"}]}
EOF
cat >.mapsafe.json <<'EOF'
{"models": ["models/bad.json"]}
EOF
expect_run 2 "a model from the file is loaded (and this one is invalid)" -- "$MAPSAFE" .
expect_grep 'bad.json' "$WORK/stderr" "the model error names the file"
cat >.mapsafe.json <<'EOF'
{"models": ["models/missing.json"]}
EOF
expect_run 2 "a missing model from the file" -- "$MAPSAFE" .

# ---- malformed files: exit 2, and where the problem is ----
check_bad() { # check_bad DESCRIPTION EXPECTED-STDERR-REGEX JSON
    printf '%s' "$3" >.mapsafe.json
    expect_run 2 "$1" -- "$MAPSAFE" .
    expect_grep "$2" "$WORK/stderr" "$1: the message points at the problem"
}
check_bad "a JSON syntax error" '^mapsafe: \.mapsafe\.json:3:21: invalid JSON$' \
    $'{\n  "fail-on": "error",\n  "exclude": ["gen",]\n}\n'
check_bad "an unknown key" "\\\$\\.failOn: unknown key" '{"failOn": "error"}'
check_bad "an unknown rule id" "\\\$\\.disable\\[1\\]: unknown rule id 'MS999'" '{"disable": ["MS301", "MS999"]}'
check_bad "a wrong type" "\\\$\\.exclude: expected an array of strings" '{"exclude": "gen"}'
check_bad "a wrong element type" "\\\$\\.models\\[0\\]: expected a non-empty string" '{"models": [3]}'
check_bad "a bad fail-on" "\\\$\\.fail-on: expected" '{"fail-on": "fatal"}'
check_bad "a key given twice" "\\\$\\.exclude: given twice" '{"exclude": [], "exclude": ["gen"]}'
check_bad "not an object" "\\\$: expected an object" '["MS101"]'
check_bad "an empty file" 'invalid JSON' ''
rm .mapsafe.json
mkdir .mapsafe.json
expect_run 2 "a directory in its place" -- "$MAPSAFE" .
expect_grep 'mapsafe.json: cannot read' "$WORK/stderr" "it says it cannot read it"

finish
