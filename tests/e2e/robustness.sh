# Bad input: each is analysed, or reported with a clear notification, and
# never crashes. Partial results survive: every file below also holds a real
# finding that must still be reported.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
GEN=$SOURCE_DIR/tests/e2e/gen_go.sh

notifications() {
    json_query "$1" "(l.runs[0].invocations[0].toolExecutionNotifications || []).map(n => n.descriptor.id + '@' + ((n.locations && n.locations[0].physicalLocation.region) ? n.locations[0].physicalLocation.region.startLine : 0)).join(' ')"
}
results() {
    json_query "$1" "l.runs[0].results.map(r => r.ruleId + '@' + r.locations[0].physicalLocation.region.startLine).join(' ')"
}

# Syntax error: notification with its line, findings before and after it kept.
mkdir syntax
cat >syntax/s.go <<'GO'
package s

func Before(m map[string]int) {
	for k := range m {
		m[k+"1"] = 1
	}
}

func Broken( {
	x := := 3
}

func After(m map[string]int) {
	for k := range m {
		m[k+"2"] = 2
	}
}
GO
run_mapsafe --format sarif -o syntax.sarif syntax
expect_status 1 "syntax error: findings still fail the run, not status 2"
validate syntax.sarif
expect_contains "$(notifications syntax.sarif)" "syntax-error@9" "syntax error notified at its line"
r=$(results syntax.sarif)
expect_contains "$r" "MS101@5" "finding before the syntax error"
expect_contains "$r" "MS101@15" "finding after the syntax error"
run_mapsafe syntax
expect_contains "$err" "syntax error" "text mode: stderr line for the syntax error"

# Empty file next to a real one.
mkdir empty
: >empty/empty.go
write_buggy_package empty
run_mapsafe --format sarif -o empty.sarif empty
expect_status 1 "empty file"
expect_contains "$(notifications empty.sarif)" "empty-file" "empty file notified"
expect_contains "$(results empty.sarif)" "MS101@7" "the other file is analysed"

# A binary file named .go.
mkdir binary
head -c 4096 /dev/urandom >binary/blob.go
printf '\0\0\0' >>binary/blob.go
write_buggy_package binary
run_mapsafe --format sarif -o binary.sarif binary
expect_status 1 "binary .go file"
expect_contains "$(notifications binary.sarif)" "binary-file" "binary file notified"
expect_contains "$(results binary.sarif)" "MS101@7" "the other file is analysed"
validate binary.sarif

# Invalid UTF-8 in a string and a comment; the finding after it is reported
# with a column counted in UTF-16 units.
mkdir utf8
printf 'package u\n\n// caf\xe9 \xff\xfe\nvar s = "\xc3\x28"\n\nfunc F(m map[string]int) {\n\tfor k := range m {\n\t\t_ = "\xf0\x9f\x98\x80"; m[k+"x"] = 1\n\t}\n}\n' >utf8/u.go
run_mapsafe --format sarif -o utf8.sarif utf8
expect_status 1 "invalid UTF-8"
expect_contains "$(notifications utf8.sarif)" "invalid-utf8@3" "invalid UTF-8 notified at its line"
col=$(json_query utf8.sarif "l.runs[0].results[0].locations[0].physicalLocation.region.startColumn")
# two tabs (2) + `_ = "` (5) + the emoji (2 UTF-16 units, 4 bytes) + `"; ` (3)
# = 12 units before the insert: column 13 (bytes would give 15, code points 12)
[ "$col" = "13" ] && pass "UTF-16 column after an emoji" || fail "column $col, want 13"
validate utf8.sarif

# A 20 MB generated file with a finding at its end.
mkdir huge
bash "$GEN" huge 20 >huge/huge.go
size=$(stat -c %s huge/huge.go)
[ "$size" -ge 20000000 ] && pass "generated $size bytes" || fail "generated only $size bytes"
run_mapsafe --format sarif -o huge.sarif huge
expect_status 1 "20 MB file"
expect_contains "$(results huge.sarif)" "MS101@" "finding at the end of the huge file"
validate huge.sarif

# 2,000-deep nesting: analysed down to the nesting limit, with a notification.
mkdir deep
bash "$GEN" deep 2000 >deep/deep.go
run_mapsafe --format sarif -o deep.sarif deep
expect_status 1 "2,000-deep nesting"
expect_contains "$(notifications deep.sarif)" "nesting-too-deep" "deep nesting notified"
expect_contains "$(results deep.sarif)" "MS101@5" "the finding above the deep part is kept"
validate deep.sarif

# A directory with only unparseable input still exits 0/1, never 2.
mkdir garbage
printf '}}}} ((( package ;;; \n' >garbage/g.go
run_mapsafe garbage
expect_status 0 "a file that is all syntax errors"
expect_contains "$err" "syntax error" "garbage notified"
finish
