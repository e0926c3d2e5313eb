#!/usr/bin/env bash
# CI-facing behaviour: the exit statuses 0, 1 and 2, --fail-on, and
# --format github (GitHub Actions workflow commands).
# usage: ci.sh MAPSAFE SOURCE_DIR
source "$(dirname "$0")/lib.sh"
cd "$WORK"

mkdir -p clean buggy empty
cat >clean/clean.go <<'EOF'
package clean

func copyInto(dst, src map[string]int) {
	for k, v := range src {
		dst[k] = v
	}
}
EOF
cat >buggy/buggy.go <<'EOF'
package buggy

func alias(m map[string]int) {
	for k, v := range m {
		m["alias:"+k] = v
	}
}
EOF

# ---- exit statuses ----
expect_run 0 "no finding: exit 0" -- "$MAPSAFE" clean
expect_run 1 "a warning: exit 1" -- "$MAPSAFE" buggy
expect_run 2 "unknown option: exit 2" -- "$MAPSAFE" --no-such-option buggy
expect_grep "unknown option '--no-such-option'" "$WORK/stderr" "the usage error is explained"
expect_run 2 "missing path: exit 2" -- "$MAPSAFE" does-not-exist
expect_run 2 "nothing to analyse: exit 2" -- "$MAPSAFE" empty
expect_run 2 "bad --fail-on value: exit 2" -- "$MAPSAFE" --fail-on sometimes buggy
expect_run 2 "unreadable model: exit 2" -- "$MAPSAFE" --model missing.json buggy
# Exit 2 wins over findings: a usage error with a buggy tree is still 2.
expect_run 2 "findings and a missing path: exit 2" -- "$MAPSAFE" buggy does-not-exist

# ---- --fail-on (MS101 in Go is a warning) ----
expect_run 0 "--fail-on error ignores warnings" -- "$MAPSAFE" --fail-on error buggy
expect_run 1 "--fail-on warning (the default) fails on a warning" -- "$MAPSAFE" --fail-on warning buggy
expect_run 1 "--fail-on note fails on a warning" -- "$MAPSAFE" --fail-on note buggy
expect_run 0 "--fail-on none never fails" -- "$MAPSAFE" --fail-on none buggy
expect_grep '\[MS101\]' "$WORK/stdout" "--fail-on none still reports"
expect_run 0 "--fail-on=error form" -- "$MAPSAFE" --fail-on=error buggy

# ---- --format github ----
expect_run 1 "github format" -- "$MAPSAFE" --format github buggy
cp "$WORK/stdout" gh.out
expect_grep '^::warning file=buggy/buggy\.go,line=5,col=3,endLine=5,endColumn=20,title=MS101::this inserts into map .m. while the loop ranges over it; a key added during iteration may or may not be visited$' \
    gh.out "a warning annotation with file, line, columns and the rule as title; links are plain text"
[ "$(wc -l <gh.out)" = 1 ] && pass "one line per finding, nothing else on stdout" || fail "github output: $(cat gh.out)"

# Property values escape % , : and message values % CR LF.
mkdir -p 'odd,na:me%'
cat >'odd,na:me%/x.go' <<'EOF'
package odd

func f(m map[string]int) {
	for k, v := range m {
		m[k+"%"] = v //mapsafe:ignore 100%,MS1:01 percent, comma and colon
	}
}
EOF
expect_run 1 "github format with odd characters" -- "$MAPSAFE" --format github 'odd,na:me%'
cp "$WORK/stdout" odd.out
expect_grep '^::warning file=odd%2Cna%3Ame%25/x\.go,line=5,' odd.out "the file property escapes , : and %"
expect_grep "title=MS002::malformed suppression: '100%25' is not a mapsafe rule id" odd.out \
    "the message escapes % and keeps , and :"

# A region over several lines has no columns (GitHub rejects them there).
mkdir -p multi
cat >multi/m.go <<'EOF'
package multi

func key(a string, n int) string { return a }

func f(m map[string]string) {
	for k, v := range m {
		m[key(k,
			len(v))] = v
	}
}
EOF
expect_run 1 "a finding over two lines" -- "$MAPSAFE" --format github multi
expect_grep '^::warning file=multi/m\.go,line=7,endLine=8,title=MS101::' "$WORK/stdout" \
    "line and endLine only"

# Notifications go to stderr, never into the annotations on stdout.
printf 'package broken\nfunc f( {\n' >multi/broken.go
expect_run 1 "github format with a syntax error" -- "$MAPSAFE" --format github multi
expect_no_grep 'syntax' "$WORK/stdout" "no notification among the annotations"
expect_grep 'broken.go' "$WORK/stderr" "the notification is on stderr"

finish
