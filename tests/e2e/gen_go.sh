# Generates Go source for the robustness tests.
#   gen_go.sh huge MB    a file of about MB megabytes of table-driven code
#                        (the shape of generated Go), then one MS101 finding
#   gen_go.sh deep N     a function with N nested blocks, after a function
#                        whose line 5 holds an MS101 finding
set -euo pipefail
kind=$1 n=$2
case $kind in
huge)
    awk -v mb="$n" 'BEGIN {
        print "package huge\n\nvar table = []struct {\n\tName  string\n\tValue int\n\tTags  map[string]string\n}{"
        line = "\t{Name: \"entry-%08d\", Value: %d, Tags: map[string]string{\"k\": \"v%d\", \"id\": \"%d\"}},\n"
        limit = mb * 1000 * 1000
        for (i = 0; total < limit; i++) {
            s = sprintf(line, i, i * 7, i, i)
            printf "%s", s
            total += length(s)
        }
        print "}\n"
        print "func Index(m map[string]int) {\n\tfor k := range m {\n\t\tm[k+\"/copy\"] = 1\n\t}\n}"
    }'
    ;;
deep)
    printf 'package deep\n\nfunc Shallow(m map[string]int) {\n\tfor k := range m {\n\t\tm[k+"x"] = 1\n\t}\n}\n\nfunc Deep(x int) int {\n'
    awk -v n="$n" 'BEGIN {
        for (i = 0; i < n; i++) printf "if x > %d {\n", i
        print "x++"
        for (i = 0; i < n; i++) print "}"
        print "return x\n}"
    }'
    ;;
*)
    echo "usage: gen_go.sh huge MB | deep N" >&2
    exit 2
    ;;
esac
