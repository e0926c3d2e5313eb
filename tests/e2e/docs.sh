#!/usr/bin/env bash
# The README's integration sections, tested as written: the code blocks
# marked <!-- mapsafe-doc-test: NAME --> are extracted and their mapsafe
# commands run on a sample project, and the logs they write must be valid
# SARIF. pre-commit runs the README's .pre-commit-config.yaml against this
# repository's .pre-commit-hooks.yaml when pre-commit is installed.
# usage: docs.sh MAPSAFE SOURCE_DIR
source "$(dirname "$0")/lib.sh"
cd "$WORK"
README=$SOURCE_DIR/README.md

# block NAME: the body of the fenced block after the marker.
block() {
    awk -v name="$1" '
        $0 == "<!-- mapsafe-doc-test: " name " -->" { armed = 1; next }
        armed && /^```/ { if (inside) exit; inside = 1; next }
        inside { print }
    ' "$README"
}

for name in suppress-go baseline config github-actions pre-commit; do
    if [ -z "$(block "$name")" ]; then fail "README has no block marked $name"; fi
done

# mapsafe on PATH, as the docs assume.
mkdir -p bin
ln -s "$MAPSAFE" bin/mapsafe
export PATH="$WORK/bin:$PATH"

# The sample project: inventory.go of the inventory example (one MS101
# finding) in a git repository.
new_project() {
    rm -rf "$WORK/project"
    mkdir -p "$WORK/project/inventory"
    cp "$SOURCE_DIR/examples/go/inventory/inventory.go" "$WORK/project/inventory/"
    git -C "$WORK/project" init -q
    git -C "$WORK/project" -c user.name=t -c user.email=t@t add -A
    git -C "$WORK/project" -c user.name=t -c user.email=t@t commit -qm sample
}

# A second, new MS101 finding in the sample project.
add_bug() {
    cat >"$WORK/project/inventory/more.go" <<'EOF'
package inventory

// AddUpperAliases has the same mistake as AddAliases.
func (ix *Index) AddUpperAliases() {
	for sku, item := range ix.bySKU {
		ix.bySKU["upper:"+sku] = item
	}
}
EOF
}

# run_commands FILE: runs each command line of FILE (comments skipped) in
# the project; "status=N" lines in $WORK/statuses.
run_commands() {
    : >"$WORK/statuses"
    while IFS= read -r cmd; do
        local status=0
        (cd "$WORK/project" && eval "$cmd") >"$WORK/stdout" 2>"$WORK/stderr" || status=$?
        echo "$status $cmd" >>"$WORK/statuses"
    done < <(grep -vE '^\s*(#|$)' "$1")
}

# ---- Suppressing findings: the Go example ----
new_project
mkdir -p project/cache
block suppress-go >project/cache/cache.go
expect_run 0 "the README's suppression example passes" -- mapsafe --format sarif -o "$WORK/suppress.sarif" project/cache
validate "$WORK/suppress.sarif"
expect_query suppress.sarif "results.map(r => r.suppressions[0].justification).join(' | ')" \
    'alias keys are skipped by the caller | the "#" keys are filtered out before use' \
    "both of its findings are suppressed with their reasons"

# ---- Adopting mapsafe: record a baseline, then gate on it ----
new_project
block baseline >baseline.sh
[ "$(grep -c '^mapsafe ' baseline.sh)" = 2 ] && pass "two commands in the baseline section" ||
    fail "baseline section: $(cat baseline.sh)"
run_commands baseline.sh
expect_grep '^0 mapsafe --fail-on none --format sarif -o mapsafe-baseline.sarif \.$' statuses \
    "recording the baseline exits 0 though there are findings"
expect_grep '^0 mapsafe --baseline mapsafe-baseline.sarif \.$' statuses "the gate passes on unchanged code"
validate project/mapsafe-baseline.sarif
expect_query project/mapsafe-baseline.sarif "results.length" "1" "the baseline holds the example's finding"
add_bug
grep -e '--baseline' baseline.sh >gate.sh # the CI command alone: not re-recording
run_commands gate.sh
expect_grep '^1 mapsafe --baseline mapsafe-baseline.sarif \.$' statuses "the gate fails on a new finding"
expect_grep 'inventory/more.go:6:3: warning: .*\[MS101\]' "$WORK/stdout" "and names it"

# ---- Configuration file ----
new_project
block config >project/.mapsafe.json
for m in $(node -e 'for (const m of JSON.parse(require("fs").readFileSync(process.argv[1])).models || []) console.log(m)' project/.mapsafe.json); do
    mkdir -p "project/$(dirname "$m")"
    echo '{"model": "inhouse", "language": "go", "types": [], "apis": []}' >"project/$m"
done
mkdir -p project/third_party/lib project/internal/gen
cp project/inventory/inventory.go project/third_party/lib/
cp project/inventory/inventory.go project/internal/gen/
expect_run 1 "the README's configuration is accepted" -- sh -c "cd '$WORK/project' && mapsafe --format sarif -o config.sarif ."
validate project/config.sarif
expect_query project/config.sarif "results.map(r => r.locations[0].physicalLocation.artifactLocation.uri).join()" \
    "inventory/inventory.go" "its exclude globs leave out third_party and internal/gen"

# ---- GitHub Actions: the workflow's mapsafe commands ----
new_project
block github-actions >workflow.yml
node -e '
// The workflow must be well-formed enough to find its steps: the run lines
// that call mapsafe, and the SARIF file upload-sarif reads.
const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n");
const runs = lines.map((l) => l.match(/^\s*(?:run:\s*)?(mapsafe .*)$/)).filter(Boolean).map((m) => m[1]);
const sarif = lines.map((l) => l.match(/^\s*sarif_file:\s*(\S+)/)).filter(Boolean).map((m) => m[1]);
require("fs").writeFileSync("workflow.sh", runs.join("\n") + "\n");
require("fs").writeFileSync("upload.txt", sarif.join("\n") + "\n");
' workflow.yml
expect_grep 'uses: github/codeql-action/upload-sarif@' workflow.yml "the workflow uploads with upload-sarif"
[ "$(wc -l <workflow.sh)" = 2 ] && pass "two mapsafe steps" || fail "mapsafe steps: $(cat workflow.sh)"
run_commands workflow.sh
expect_grep '^0 mapsafe --format sarif --hide-suppressed --fail-on none -o mapsafe.sarif \.$' statuses \
    "the code scanning step succeeds with findings, so the upload runs"
expect_grep '^1 mapsafe --format github \.$' statuses "the gate step fails on the finding"
expect_grep '^::warning file=inventory/inventory\.go,line=[0-9]+,col=[0-9]+,endLine=[0-9]+,endColumn=[0-9]+,title=MS101::' \
    "$WORK/stdout" "and prints an annotation"
upload=$(cat upload.txt)
if [ -f "project/$upload" ]; then
    pass "upload-sarif's sarif_file ($upload) is what the step wrote"
    validate "project/$upload"
    expect_query "project/$upload" "results.every(r => r.suppressions.length === 0)" "true" \
        "the uploaded log has no suppressed results"
else
    fail "upload-sarif reads $upload, which the workflow did not write"
fi

# ---- pre-commit ----
new_project
block pre-commit >project/.pre-commit-config.yaml
(cd project && mapsafe --fail-on none --format sarif -o mapsafe-baseline.sarif .)
git -C project -c user.name=t -c user.email=t@t add -A
git -C project -c user.name=t -c user.email=t@t commit -qm config
if command -v pre-commit >/dev/null; then
    export PRE_COMMIT_HOME="$WORK/pre-commit-home"
    expect_run 0 "the hooks manifest is valid" -- pre-commit validate-manifest "$SOURCE_DIR/.pre-commit-hooks.yaml"
    expect_run 0 "the README's config is valid" -- pre-commit validate-config project/.pre-commit-config.yaml
    # The README's config, pointed at a local copy of this repository's
    # hooks manifest instead of GitHub.
    mkdir hooks
    cp "$SOURCE_DIR/.pre-commit-hooks.yaml" hooks/
    git -C hooks init -q
    git -C hooks -c user.name=t -c user.email=t@t add -A
    git -C hooks -c user.name=t -c user.email=t@t commit -qm hooks
    rev=$(git -C hooks rev-parse HEAD)
    sed -i "s|repo: https://github.com/mapsafe/mapsafe|repo: $WORK/hooks|; s|rev: .*|rev: $rev|" \
        project/.pre-commit-config.yaml
    expect_run 0 "pre-commit passes on code that matches the baseline" -- \
        sh -c "cd '$WORK/project' && pre-commit run --all-files"
    add_bug
    git -C project add -A
    expect_run 1 "pre-commit fails on a new finding" -- sh -c "cd '$WORK/project' && pre-commit run --all-files"
    expect_grep 'inventory/more.go:6:3: warning: .*\[MS101\]' "$WORK/stdout" "and shows mapsafe's report"
else
    # Without pre-commit, run the hook's entry with the README's args.
    echo "note: pre-commit is not installed; running the hook's entry directly" >&2
    entry=$(sed -n 's/^ *entry: *//p' "$SOURCE_DIR/.pre-commit-hooks.yaml")
    args=$(sed -n 's/^ *args: *\[\(.*\)\].*/\1/p' project/.pre-commit-config.yaml | tr -d ',')
    expect_run 0 "the hook's command passes on code that matches the baseline" -- \
        sh -c "cd '$WORK/project' && $entry $args"
    add_bug
    expect_run 1 "the hook's command fails on a new finding" -- sh -c "cd '$WORK/project' && $entry $args"
fi

finish
