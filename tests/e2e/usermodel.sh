# A user's own APIs, described in a model file and given with --model: an
# in-house C hash map with its mutex, and an in-house C++ map class. The
# same binary finds the bugs with the model and stays silent without it.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

results() {
    json_query "$1" "l.runs[0].results.map(r => r.ruleId + '@' + r.locations[0].physicalLocation.artifactLocation.uri.replace(/^.*\\//, '') + ':' + r.locations[0].physicalLocation.region.startLine).sort().join(' ')"
}

mkdir c
cat >c/hmap.h <<'C'
/* acme's hash map and lock */
typedef struct hmap hmap;
typedef struct hmap_cursor { void *slot; unsigned n; } hmap_cursor;
typedef struct acme_lock { int word; } acme_lock;

hmap *hmap_create(unsigned expected);
int hmap_set(hmap *h, const char *key, void *value);
void *hmap_find(hmap *h, const char *key);
int hmap_unset(hmap *h, const char *key);
void hmap_begin(hmap *h, hmap_cursor *c);
int hmap_advance(hmap_cursor *c, const char **key, void **value);
void acme_lock_take(acme_lock *l);
void acme_lock_give(acme_lock *l);
C
cat >c/cache.c <<'C'
#include "hmap.h"

struct cache {
    acme_lock lock;
    hmap *entries;
};

/* adds a lower-case alias for every key: inserts while iterating */
void add_aliases(struct cache *c) {
    hmap_cursor cur;
    const char *key;
    void *value;
    hmap_begin(c->entries, &cur);
    while (hmap_advance(&cur, &key, &value))
        hmap_set(c->entries, key + 1, value);
}

/* deletes during iteration: allowed by this map's (Go-like) semantics */
void drop_nulls(struct cache *c) {
    hmap_cursor cur;
    const char *key;
    void *value;
    hmap_begin(c->entries, &cur);
    while (hmap_advance(&cur, &key, &value))
        if (!value)
            hmap_unset(c->entries, key);
}

/* a map filled in a counted loop, made without the size it will reach */
hmap *index_names(const char **names, int n) {
    hmap *h = hmap_create(0);
    for (int i = 0; i < n; i++)
        hmap_set(h, names[i], (void *)names[i]);
    return h;
}

void put_locked(struct cache *c, const char *key, void *value) {
    acme_lock_take(&c->lock);
    hmap_set(c->entries, key, value);
    acme_lock_give(&c->lock);
}
C
cat >c/workers.c <<'C'
#include <pthread.h>
#include "hmap.h"

static acme_lock registry_lock;
static hmap *registry;

static void *register_locked(void *name) {
    acme_lock_take(&registry_lock);
    hmap_set(registry, name, name);
    acme_lock_give(&registry_lock);
    return 0;
}

static void *register_unlocked(void *name) {
    hmap_unset(registry, name);
    return 0;
}

void start(char *a, char *b) {
    pthread_t t1, t2, t3;
    pthread_create(&t1, 0, register_locked, a);
    pthread_create(&t2, 0, register_locked, b);
    pthread_join(t1, 0);
    pthread_join(t2, 0);
    pthread_create(&t3, 0, register_unlocked, a);
    pthread_create(&t1, 0, register_unlocked, b);
    pthread_join(t3, 0);
    pthread_join(t1, 0);
}
C
cat >acme.json <<'JSON'
{
  "model": "acme",
  "language": "c",
  "description": "acme's hash map (Go-like iteration) and its lock",
  "types": [
    {"name": "hmap", "class": "map", "iteration": "go", "has_capacity": true, "initial_capacity": 4},
    {"name": "hmap_cursor", "class": "other"},
    {"name": "acme_lock", "class": "lock"}
  ],
  "apis": [
    {"function": "hmap_create", "role": "map-new", "map": "return", "capacity": 0},
    {"function": "hmap_set", "role": "map-insert", "map": 0, "key": 1},
    {"function": "hmap_find", "role": "map-read", "map": 0, "key": 1},
    {"function": "hmap_unset", "role": "map-erase", "map": 0, "key": 1},
    {"function": "hmap_begin", "role": "iter-init", "map": 0, "iterator": 1},
    {"function": "hmap_advance", "role": "iter-next", "iterator": 0, "key": 1, "value": 2},
    {"function": "acme_lock_take", "role": "lock-acquire", "lock": 0, "mode": "exclusive"},
    {"function": "acme_lock_give", "role": "lock-release", "lock": 0}
  ]
}
JSON
run_mapsafe --format sarif -o c-none.sarif c
expect_status 0 "without the model the in-house map is unknown"
expect_contains "$(results c-none.sarif)" "" "no findings without the model"
run_mapsafe --model acme.json --format sarif -o c-model.sarif c
expect_status 1 "with the model"
validate c-model.sarif
r=$(results c-model.sarif)
expect_contains "$r" "MS101@cache.c:15" "insert during the in-house iteration"
expect_not_contains "$r" "MS101@cache.c:26" "delete during iteration is allowed by the model's semantics"
expect_contains "$r" "MS301@cache.c:31" "the in-house map's capacity argument"
expect_not_contains "$r" "MS201@workers.c:9" "writes under the in-house lock"
expect_contains "$r" "MS201@workers.c:15" "writes without it race"

mkdir cxx
cat >cxx/flat.h <<'CPP'
#pragma once
namespace acme {
template <class K, class V> class FlatMap {
  public:
    struct iterator {
        K first;
        V second;
        iterator &operator++();
        bool operator!=(const iterator &o) const;
        iterator *operator->();
    };
    iterator begin();
    iterator end();
    void Put(const K &k, const V &v);
    void Remove(const K &k);
    iterator Remove(iterator it);
};
} // namespace acme
CPP
cat >cxx/users.cpp <<'CPP'
#include "flat.h"
#include <string>

void retire(acme::FlatMap<std::string, int> &users) {
    for (auto it = users.begin(); it != users.end(); ++it)
        if (it->second == 0)
            users.Remove(it->first);
}

void retire_safely(acme::FlatMap<std::string, int> &users) {
    for (auto it = users.begin(); it != users.end();)
        if (it->second == 0)
            it = users.Remove(it);
        else
            ++it;
}

void add_guests(acme::FlatMap<std::string, int> &users) {
    for (auto it = users.begin(); it != users.end(); ++it)
        users.Put("guest-" + it->first, 1);
}
CPP
cat >flat.json <<'JSON'
{
  "model": "acme-flat",
  "language": "c++",
  "types": [{"name": "acme::FlatMap", "class": "map", "iteration": "unordered"}],
  "apis": [
    {"type": "acme::FlatMap", "method": "Put", "role": "map-insert", "map": "receiver", "key": 0},
    {"type": "acme::FlatMap", "method": "Remove", "role": "map-erase", "map": "receiver", "key": 0},
    {"type": "acme::FlatMap", "method": "begin", "role": "iter-init", "map": "receiver", "iterator": "return"},
    {"type": "acme::FlatMap", "method": "end", "role": "iter-end", "map": "receiver", "iterator": "return"}
  ]
}
JSON
run_mapsafe --format sarif -o cxx-none.sarif cxx
expect_status 0 "without the model the C++ class is unknown"
run_mapsafe --model flat.json --format sarif -o cxx-model.sarif cxx
expect_status 1 "with the C++ model"
r=$(results cxx-model.sarif)
expect_contains "$r" "MS101@users.cpp:7" "erase of the current element of the in-house map"
expect_contains "$r" "MS101@users.cpp:20" "insert into the in-house unordered map"
expect_not_contains "$r" "MS101@users.cpp:13" "it = m.Remove(it) refreshes the iterator"

# A broken model is a clear error, exit status 2.
echo '{"model": "x", "language": "c", "apis": [{"function": "f", "role": "map-frobnicate"}]}' >bad.json
run_mapsafe --model bad.json c
expect_status 2 "an unknown role"
expect_contains "$err" "bad.json: apis[0]: unknown role" "the error points at the entry"

finish
