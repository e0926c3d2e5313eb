#!/usr/bin/env bash
# Runs mapsafe over every fixture directory (fixtures/<rule>/<lang>) and
# validates each SARIF log against the official schema and interface.md.
# usage: validate_fixtures.sh MAPSAFE FIXTURES_DIR SCHEMA VALIDATOR_JS
set -euo pipefail
mapsafe=$1 fixtures=$2 schema=$3 validator=$4
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
logs=()
for dir in "$fixtures"/MS*/*/; do
    [ -d "$dir" ] || continue
    name=$(basename "$(dirname "$dir")")_$(basename "$dir")
    status=0
    (cd "$dir" && "$mapsafe" --format sarif -o "$out/$name.sarif" .) || status=$?
    if [ "$status" -gt 1 ]; then
        echo "FAIL: mapsafe exited $status on $dir" >&2
        exit 1
    fi
    logs+=("$out/$name.sarif")
done
[ "${#logs[@]}" -gt 0 ] || { echo "FAIL: no fixture directories under $fixtures" >&2; exit 1; }
node "$validator" "$schema" "${logs[@]}"
