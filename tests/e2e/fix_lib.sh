# Helpers of the --fix tests (fix_test.sh, cxx_fix_test.sh), sourced after
# they set $mapsafe, $src (the fixture directory) and $ext (the files'
# extension, without the dot).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
# A fresh copy of the fixture's inputs in directory $1.
fresh() {
    rm -rf "$1"
    mkdir -p "$1"
    cp "$src"/*."$ext" "$1/"
}
# Runs mapsafe in a directory; exit statuses above 1 fail the test.
run_in() {
    local dir=$1
    shift
    local status=0
    (cd "$dir" && "$mapsafe" "$@") || status=$?
    [ "$status" -le 1 ] || fail "mapsafe $* exited $status in $dir"
}
# In directory $1, every input with a .golden twin matches it and every
# other one is unchanged; $2 says what produced the files.
same_as_golden() {
    local dir=$1 what=$2
    for input in "$src"/*."$ext"; do
        local name expected
        name=$(basename "$input")
        expected=$input
        [ -f "$input.golden" ] && expected=$input.golden
        cmp -s "$dir/$name" "$expected" || {
            diff -u "$expected" "$dir/$name" >&2 || true
            fail "$what: $name differs from $(basename "$expected")"
        }
    done
}
# How many MS301 findings the `// want` comments of the files expect.
wanted() { grep -ho '// want .*' "$@" | grep -o MS301 | wc -l; }
