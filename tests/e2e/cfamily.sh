# C and C++ end to end: compile databases (-p, ./, ./build, --extra-arg),
# missing headers, shared headers reported once, headers no translation unit
# includes, bad input, user models, determinism across -j.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

notifications() {
    json_query "$1" "(l.runs[0].invocations[0].toolExecutionNotifications || []).map(n => n.descriptor.id + ':' + n.level + '@' + ((n.locations && n.locations[0].physicalLocation.region) ? n.locations[0].physicalLocation.region.startLine : 0)).join(' ')"
}
results() {
    json_query "$1" "l.runs[0].results.map(r => r.ruleId + '@' + r.locations[0].physicalLocation.artifactLocation.uri + ':' + r.locations[0].physicalLocation.region.startLine).join(' ')"
}
count_results() {
    json_query "$1" "l.runs[0].results.length"
}

# ---- a C++ finding, no database -------------------------------------------
mkdir plain
cat >plain/a.cpp <<'CPP'
#include <map>
void drop(std::map<int, int> &m) {
    for (auto &kv : m)
        if (kv.second == 0)
            m.erase(kv.first);
}
CPP
run_mapsafe --format sarif -o plain.sarif plain
expect_status 1 "C++ finding fails the run"
validate plain.sarif
expect_contains "$(results plain.sarif)" "MS101@plain/a.cpp:5" "C++ finding without a database"
expect_contains "$(json_query plain.sarif "l.runs[0].results[0].level")" "error" "MS101 is an error in C++"
expect_not_contains "$(notifications plain.sarif)" ":" "no notification for a clean parse"

# ---- flags from the database decide what is compiled ------------------------
mkdir -p flags/build
cat >flags/gated.c <<'C'
#include "store.h"
#ifdef WITH_CLEANUP
void cleanup(store *s) {
    store_iter it;
    void *k, *v;
    store_iter_init(&it, s);
    while (store_iter_next(&it, &k, &v))
        store_put(s, v, k);
}
#endif
C
mkdir -p flags/include
cat >flags/include/store.h <<'C'
typedef struct store store;
typedef struct store_iter { void *p[4]; } store_iter;
void store_iter_init(store_iter *it, store *s);
int store_iter_next(store_iter *it, void **k, void **v);
void *store_put(store *s, const void *k, const void *v);
C
cat >store.json <<'JSON'
{
  "model": "acme-store",
  "language": "c",
  "types": [{"name": "store", "class": "map", "iteration": "go"}],
  "apis": [
    {"function": "store_put", "role": "map-insert", "map": 0, "key": 1},
    {"function": "store_iter_init", "role": "iter-init", "iterator": 0, "map": 1},
    {"function": "store_iter_next", "role": "iter-next", "iterator": 0, "key": 1, "value": 2}
  ]
}
JSON
cat >flags/build/compile_commands.json <<JSON
[{"directory": "$WORK/flags", "command": "cc -DWITH_CLEANUP -Iinclude -c gated.c -o gated.o", "file": "gated.c"}]
JSON
cd flags && run_mapsafe --model ../store.json --format sarif -o ../flags-auto.sarif . && cd ..
expect_status 1 "./build/compile_commands.json is found on its own"
expect_contains "$(results flags-auto.sarif)" "MS101@gated.c:8" "the database's -D and relative -I apply"
expect_not_contains "$(notifications flags-auto.sarif)" "missing-header" "the database's include path finds the header"
mv flags/build flags/db
cd flags && run_mapsafe --model ../store.json --format sarif -o ../flags-none.sarif . && cd ..
expect_status 0 "without the database the gated code is not compiled"
expect_not_contains "$(notifications flags-none.sarif)" "missing-header" "without a database, ./include is on the include path"
cd flags && run_mapsafe --model ../store.json -p db --format sarif -o ../flags-p.sarif . && cd ..
expect_contains "$(results flags-p.sarif)" "MS101@gated.c:8" "-p DIR"
cd flags && run_mapsafe --model ../store.json -p db/compile_commands.json --format sarif -o ../flags-pf.sarif . && cd ..
expect_contains "$(results flags-pf.sarif)" "MS101@gated.c:8" "-p naming the file"
cd flags && run_mapsafe --model ../store.json --extra-arg=-DWITH_CLEANUP --extra-arg=-Iinclude --format sarif -o ../flags-extra.sarif . && cd ..
expect_contains "$(results flags-extra.sarif)" "MS101@gated.c:8" "--extra-arg without a database"
cd flags && run_mapsafe -p nowhere . && cd ..
expect_status 2 "-p without a database is an error"
expect_contains "$err" "compile_commands.json" "the error names the missing database"

# ---- a missing header: a note without a database, a warning with one; calls
# are still matched by name ---------------------------------------------------
mkdir missing
cat >missing/m.c <<'C'
#include <stdio.h>
#include "refmap_missing_here.h"
#include "also_missing.h"

void mirror(refmap *m) {
    refmap_iter it;
    void *key, *val;
    refmap_iter_init(&it, m);
    while (refmap_iter_next(&it, &key, &val)) {
        int neg = -*(int *)key;
        refmap_put(m, &neg, val);
    }
    printf("%zu\n", refmap_len(m));
}
C
run_mapsafe --format sarif -o missing.sarif missing
expect_status 1 "missing header: the finding is still made"
validate missing.sarif
expect_contains "$(notifications missing.sarif)" "missing-header:note@2" "missing header noted at its include"
expect_contains "$(json_query missing.sarif "l.runs[0].invocations[0].toolExecutionNotifications[0].message.text")" "and 1 more" "the other missing header is counted"
expect_contains "$(results missing.sarif)" "MS101@missing/m.c:11" "calls matched by name"
cat >missing/compile_commands.json <<JSON
[{"directory": "$WORK/missing", "command": "cc -Iinc -c m.c", "file": "m.c"}]
JSON
cd missing && run_mapsafe --format sarif -o ../missing-db.sarif . && cd ..
expect_contains "$(notifications missing-db.sarif)" "missing-header:warning@2" "with a database, a missing header is a warning"
expect_contains "$(results missing-db.sarif)" "MS101@m.c:11" "and the finding is still made"
run_mapsafe missing/m.c
expect_contains "$err" "header 'refmap_missing_here.h' not found" "text mode: stderr line for the missing header"
rm missing/compile_commands.json

# ---- a C++ file whose headers are all missing --------------------------------
mkdir missing_cxx
cat >missing_cxx/w.cpp <<'CPP'
#include "acme/registry.h"
#include "acme/lock.h"
namespace acme {
void Registry::Expire(Clock *clock) {
    for (auto &kv : items_) {
        if (kv.second.deadline < clock->Now())
            Drop(kv.first);
    }
}
}
CPP
run_mapsafe --format sarif -o missing_cxx.sarif missing_cxx
expect_status 0 "C++ with every header missing: analysed, no crash, no guess"
expect_contains "$(notifications missing_cxx.sarif)" "missing-header:note@1" "noted"

# ---- a header shared by two translation units is reported once; a header no
# unit includes is analysed on its own --------------------------------------
mkdir shared
cat >shared/table.h <<'CPP'
#pragma once
#include <unordered_map>
inline void grow(std::unordered_map<int, int> &t) {
    for (auto &kv : t)
        t[kv.first + 1] = kv.second;
}
CPP
cat >shared/orphan.hpp <<'CPP'
#pragma once
#include <map>
inline void prune(std::map<int, int> &t) {
    for (auto it = t.begin(); it != t.end(); ++it)
        t.erase(it);
}
CPP
printf '#include "table.h"\nvoid one(std::unordered_map<int, int> &t) { grow(t); }\n' >shared/one.cpp
printf '#include "table.h"\nvoid two(std::unordered_map<int, int> &t) { grow(t); }\n' >shared/two.cpp
run_mapsafe --format sarif -o shared.sarif shared
validate shared.sarif
r=$(results shared.sarif)
expect_contains "$r" "MS101@shared/table.h:5" "finding in a shared header"
expect_contains "$r" "MS101@shared/orphan.hpp:5" "a header nobody includes is analysed alone"
expect_contains "$(count_results shared.sarif)" "2" "the shared header's finding is reported once"
expect_contains "$(json_query shared.sarif "l.runs[0].artifacts.map(a => a.location.uri).join(' ')")" "shared/table.h" "the included header is an artifact"

# ---- --fix in C++ and C: reserve() before the loop, refmap's hint ------------
mkdir fix
cat >fix/fill.cpp <<'CPP'
#include <unordered_map>
#include <vector>
std::unordered_map<int, int> index_of(const std::vector<int> &xs) {
    std::unordered_map<int, int> ix;
    for (size_t i = 0; i < xs.size(); i++)
        ix[xs[i]] = static_cast<int>(i);
    return ix;
}
CPP
cat >fix/fill.c <<'C'
#include "refmap.h"
refmap *squares(int n) {
    refmap *m = refmap_new(sizeof(int), sizeof(int), 0);
    for (int i = 0; i < n; i++) {
        int sq = i * i;
        refmap_put(m, &i, &sq);
    }
    return m;
}
C
run_mapsafe --fix fix
expect_status 0 "--fix leaves nothing to report"
expect_contains "$(cat fix/fill.cpp)" "    ix.reserve(xs.size());
    for (size_t i = 0; i < xs.size(); i++)" "C++: reserve inserted before the loop"
expect_contains "$(cat fix/fill.c)" "refmap_new(sizeof(int), sizeof(int), n);" "refmap: the hint replaces the 0"
before=$(cat fix/fill.cpp fix/fill.c | md5sum)
run_mapsafe --fix fix
if [ "$(cat fix/fill.cpp fix/fill.c | md5sum)" = "$before" ]; then pass "a second --fix changes nothing"; else fail "a second --fix changed the files"; fi

# ---- C++20 through --extra-arg: std::jthread joins at the end of its scope ----
mkdir cxx20
cat >cxx20/j.cpp <<'CPP'
#include <map>
#include <thread>
void warm(std::map<int, int> &cache) {
    std::jthread a([&] { cache[1] = 1; });
    std::jthread b([&] { cache[2] = 2; });
}
void sequential(std::map<int, int> &cache) {
    {
        std::jthread a([&] { cache[1] = 1; });
    }
    cache[2] = 2;
}
CPP
run_mapsafe --extra-arg=-std=c++20 --format sarif -o cxx20.sarif cxx20
r=$(results cxx20.sarif)
expect_contains "$r" "MS201@cxx20/j.cpp:4" "two jthreads race"
expect_contains "$r" "MS201@cxx20/j.cpp:5" "both writes reported"
expect_not_contains "$r" "j.cpp:11" "a jthread's scope ends before the write"

# ---- libstdc++'s debug containers re-export methods from a base class ----------
mkdir debugmode
cat >debugmode/d.cpp <<'CPP'
#include <unordered_map>
void mirror(std::unordered_map<int, int> &m) {
    for (auto &kv : m)
        m[kv.second] = kv.first;
}
CPP
run_mapsafe --extra-arg=-D_GLIBCXX_DEBUG --format sarif -o debugmode.sarif debugmode
expect_contains "$(results debugmode.sarif)" "MS101@debugmode/d.cpp:4" "operator[] of a _GLIBCXX_DEBUG unordered_map"

# ---- a project's own RAII lock guard: constructor locks, destructor unlocks ----
mkdir raii
cat >raii/guard.cpp <<'CPP'
#include <map>
#include <mutex>
#include <thread>
class MutexLock {
  public:
    explicit MutexLock(std::mutex *mu) : mu_(mu) { mu_->lock(); }
    ~MutexLock() { mu_->unlock(); }
  private:
    std::mutex *mu_;
};
std::mutex mu;
std::map<int, int> table;
void locked_put(int k) {
    MutexLock l(&mu);
    table[k] = k;
}
void unlocked_put(int k) {
    {
        MutexLock l(&mu);
    }
    table[k] = -k;
}
void run() {
    std::thread a(locked_put, 1), b(locked_put, 2), c(unlocked_put, 3);
    a.join();
    b.join();
    c.join();
}
CPP
run_mapsafe --format sarif -o raii.sarif raii
r=$(results raii.sarif)
expect_not_contains "$r" "guard.cpp:15" "writes under the project's own guard are locked"
expect_contains "$r" "MS201@raii/guard.cpp:21" "the guard's scope ended before the write"

# ---- determinism across -j -----------------------------------------------------
run_mapsafe -j1 --format sarif -o j1.sarif shared plain missing
run_mapsafe -j2 --format sarif -o j2.sarif shared plain missing
if cmp -s j1.sarif j2.sarif; then pass "byte-identical SARIF with -j1 and -j2"; else fail "SARIF differs between -j1 and -j2"; fi

# ---- bad input ---------------------------------------------------------------------
mkdir bad
cat >bad/syntax.c <<'C'
#include <stddef.h>
struct refmap;
void *refmap_put(struct refmap *m, const void *k, const void *v);
void refmap_iter_init(void *it, struct refmap *m);
int refmap_iter_next(void *it, void **k, void **v);

int broken(int x) {
    return x + ;
}

void after(struct refmap *m) {
    char it[64];
    void *k, *v;
    refmap_iter_init(it, m);
    while (refmap_iter_next(it, &k, &v))
        refmap_put(m, v, k);
}
C
run_mapsafe --format sarif -o bad-syntax.sarif bad/syntax.c
expect_status 1 "compile error: findings after it still fail the run"
expect_contains "$(notifications bad-syntax.sarif)" "compile-error:warning@8" "compile error notified at its line"
expect_contains "$(results bad-syntax.sarif)" "MS101@bad/syntax.c:16" "finding after the compile error"
head -c 2048 /dev/urandom >bad/blob.cpp
printf '\0\0' >>bad/blob.cpp
run_mapsafe --format sarif -o bad-binary.sarif bad/blob.cpp
expect_contains "$(notifications bad-binary.sarif)" "binary-file" "binary .cpp file"
printf 'int x = 1; /* \xff\xfe */\n' >bad/utf.c
run_mapsafe --format sarif -o bad-utf.sarif bad/utf.c
expect_status 0 "invalid UTF-8 in C"
expect_contains "$(notifications bad-utf.sarif)" "invalid-utf8" "invalid UTF-8 notified"
{
    echo 'void deep(int x) {'
    for i in $(seq 1 300); do echo '{'; done
    echo 'x++;'
    for i in $(seq 1 300); do echo '}'; done
    echo '}'
} >bad/deep.c
run_mapsafe --format sarif -o bad-deep.sarif bad/deep.c
expect_status 0 "blocks nested deeper than Clang parses"
expect_contains "$(notifications bad-deep.sarif)" "compile-error:warning" "Clang's nesting limit notified"
{
    echo 'int sum(int x) {'
    printf 'return x'
    for i in $(seq 1 3000); do printf ' + x'; done
    echo ';'
    echo '}'
} >bad/long.c
run_mapsafe --format sarif -o bad-long.sarif bad/long.c
expect_status 0 "an expression nested 3000 deep"
expect_contains "$(notifications bad-long.sarif)" "nesting-too-deep" "deep expression notified"
: >bad/empty.cpp
run_mapsafe --format sarif -o bad-empty.sarif bad/empty.cpp
expect_status 0 "empty C++ file"
expect_contains "$(notifications bad-empty.sarif)" "empty-file" "empty file notified"

finish
