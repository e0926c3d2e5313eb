// refmap benchmark: refmap against std::unordered_map, GLib's GHashTable and
// absl::flat_hash_map, on insert (with and without a capacity hint), hit
// lookup, miss lookup, iteration and delete, with uint64 and string keys.
//
// Usage: refmap_bench [--min N] [--max N] [--keys u64|string|both] [--trials T]
// Prints ns per operation (iteration: per entry visited) and the ratios
// refmap / unordered_map and refmap / absl (below 1 means refmap is faster).
// Each number is the best of T trials (default: 5 up to 1e5 keys, 3 up to
// 1e6, then 1).
#include <absl/container/flat_hash_map.h>
#include <glib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

extern "C" {
#include "refmap.h"
}

namespace {

uint64_t splitmix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15u;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

// Keys present in the maps (hits), keys absent from them (misses), and the
// orders the benchmark visits them in.
template <class Key> struct Workload {
    std::vector<Key> hits, misses;
    std::vector<size_t> lookup_order, delete_order;
};

std::vector<size_t> shuffled(size_t n, uint64_t seed) {
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = n; i > 1; i--)
        std::swap(order[i - 1], order[splitmix64(seed + i) % i]);
    return order;
}

// String keys live in one arena, NUL-terminated (for GLib), and are used as
// string views by everyone else, so no structure pays for copying strings.
struct StringArena {
    std::vector<char> bytes;
    std::vector<size_t> offsets;
};

Workload<uint64_t> u64_workload(size_t n) {
    Workload<uint64_t> w;
    for (size_t i = 0; i < n; i++) {
        w.hits.push_back(splitmix64(i));
        w.misses.push_back(splitmix64(i + (uint64_t(1) << 40)));
    }
    w.lookup_order = shuffled(n, 1);
    w.delete_order = shuffled(n, 2);
    return w;
}

Workload<std::string_view> string_workload(size_t n, StringArena &arena) {
    arena.bytes.clear();
    arena.offsets.clear();
    char buf[64];
    for (size_t i = 0; i < 2 * n; i++) {
        uint64_t x = splitmix64(i < n ? i : i - n + (uint64_t(1) << 40));
        int len = std::snprintf(buf, sizeof buf, "user:%016llx", (unsigned long long)x);
        arena.offsets.push_back(arena.bytes.size());
        arena.bytes.insert(arena.bytes.end(), buf, buf + len + 1);
    }
    Workload<std::string_view> w;
    for (size_t i = 0; i < 2 * n; i++) {
        const char *s = arena.bytes.data() + arena.offsets[i];
        (i < n ? w.hits : w.misses).emplace_back(s, std::strlen(s));
    }
    w.lookup_order = shuffled(n, 1);
    w.delete_order = shuffled(n, 2);
    return w;
}

// Adapters: each gives make(hint), insert, find (returns value or 0; values
// are never 0), erase and sum_values (iteration).

struct StrKey {
    const char *ptr;
    size_t len;
};

uint64_t strkey_hash(const void *key, uint64_t seed, void *) {
    const StrKey *k = static_cast<const StrKey *>(key);
    return refmap_hash_bytes(k->ptr, k->len, seed);
}

int strkey_equal(const void *a, const void *b, void *) {
    const StrKey *x = static_cast<const StrKey *>(a), *y = static_cast<const StrKey *>(b);
    return x->len == y->len && std::memcmp(x->ptr, y->ptr, x->len) == 0;
}

// refmap stores uint64 keys as themselves and string keys as StrKey.
inline uint64_t refmap_key(uint64_t k) {
    return k;
}
inline StrKey refmap_key(std::string_view k) {
    return StrKey{k.data(), k.size()};
}

refmap *new_refmap(uint64_t, size_t hint) {
    return refmap_new(sizeof(uint64_t), sizeof(uint64_t), hint);
}
refmap *new_refmap(std::string_view, size_t hint) {
    refmap_options opts{};
    opts.hash = strkey_hash;
    opts.equal = strkey_equal;
    return refmap_new_with(sizeof(StrKey), sizeof(uint64_t), hint, &opts);
}

template <class Key> struct RefmapAdapter {
    refmap *m;
    explicit RefmapAdapter(size_t hint) : m(new_refmap(Key{}, hint)) {}
    ~RefmapAdapter() {
        refmap_free(m);
    }
    void insert(Key k, uint64_t v) {
        auto key = refmap_key(k);
        refmap_put(m, &key, &v);
    }
    uint64_t find(Key k) const {
        auto key = refmap_key(k);
        auto *v = static_cast<uint64_t *>(refmap_get(m, &key));
        return v ? *v : 0;
    }
    void erase(Key k) {
        auto key = refmap_key(k);
        refmap_del(m, &key);
    }
    uint64_t sum_values() const {
        refmap_iter it;
        void *val;
        uint64_t sum = 0;
        refmap_iter_init(&it, m);
        while (refmap_iter_next(&it, nullptr, &val))
            sum += *static_cast<uint64_t *>(val);
        return sum;
    }
};

// std::unordered_map and absl::flat_hash_map share one adapter.
template <class Map> struct StdLikeAdapter {
    Map m;
    explicit StdLikeAdapter(size_t hint) {
        if (hint)
            m.reserve(hint);
    }
    template <class Key> void insert(const Key &k, uint64_t v) {
        m.insert_or_assign(k, v);
    }
    template <class Key> uint64_t find(const Key &k) const {
        auto it = m.find(k);
        return it == m.end() ? 0 : it->second;
    }
    template <class Key> void erase(const Key &k) {
        m.erase(k);
    }
    uint64_t sum_values() const {
        uint64_t sum = 0;
        for (const auto &kv : m)
            sum += kv.second;
        return sum;
    }
};

template <class Key> using UnorderedAdapter = StdLikeAdapter<std::unordered_map<Key, uint64_t>>;
template <class Key> using AbslAdapter = StdLikeAdapter<absl::flat_hash_map<Key, uint64_t>>;

// GHashTable stores uint64 keys in the pointer itself (direct hashing) and
// string keys as pointers to the NUL-terminated arena strings. It has no
// capacity hint; the hint is ignored.
inline gpointer glib_key(uint64_t k) {
    return GSIZE_TO_POINTER(k);
}
inline gpointer glib_key(std::string_view k) {
    return const_cast<char *>(k.data());
}

GHashTable *new_glib_table(uint64_t) {
    return g_hash_table_new(g_direct_hash, g_direct_equal);
}
GHashTable *new_glib_table(std::string_view) {
    return g_hash_table_new(g_str_hash, g_str_equal);
}

template <class Key> struct GlibAdapter {
    GHashTable *t;
    explicit GlibAdapter(size_t) : t(new_glib_table(Key{})) {}
    ~GlibAdapter() {
        g_hash_table_destroy(t);
    }
    void insert(Key k, uint64_t v) {
        g_hash_table_insert(t, glib_key(k), GSIZE_TO_POINTER(v));
    }
    uint64_t find(Key k) const {
        return GPOINTER_TO_SIZE(g_hash_table_lookup(t, glib_key(k)));
    }
    void erase(Key k) {
        g_hash_table_remove(t, glib_key(k));
    }
    uint64_t sum_values() const {
        GHashTableIter it;
        gpointer key, val;
        uint64_t sum = 0;
        g_hash_table_iter_init(&it, t);
        while (g_hash_table_iter_next(&it, &key, &val))
            sum += GPOINTER_TO_SIZE(val);
        return sum;
    }
};

enum Op { INSERT, INSERT_HINT, HIT, MISS, ITERATE, DELETE, OP_COUNT };
const char *const op_names[OP_COUNT] = {"insert",      "insert+hint", "hit lookup",
                                        "miss lookup", "iterate",     "delete"};
enum Structure { REFMAP, UNORDERED, GLIB, ABSL, STRUCTURE_COUNT };
const char *const structure_names[STRUCTURE_COUNT] = {"refmap", "unordered_map", "GHashTable",
                                                      "absl::flat_hash"};

using Clock = std::chrono::steady_clock;

double elapsed_ns(Clock::time_point start) {
    return std::chrono::duration<double, std::nano>(Clock::now() - start).count();
}

// Checks the results so the work cannot be optimised away, and so a broken
// adapter cannot post a good time.
void expect(bool ok, const char *what) {
    if (!ok) {
        std::fprintf(stderr, "refmap_bench: wrong result in %s\n", what);
        std::exit(1);
    }
}

// Runs every operation `reps` times on fresh maps; returns ns per operation.
template <class Adapter, class Key>
void measure(const Workload<Key> &w, size_t reps, double ns[OP_COUNT]) {
    size_t n = w.hits.size();
    std::fill(ns, ns + OP_COUNT, 0.0);
    uint64_t expected_sum = 0;
    for (size_t i = 0; i < n; i++)
        expected_sum += i + 1;
    for (size_t r = 0; r < reps; r++) {
        {
            auto start = Clock::now();
            Adapter hinted(n);
            for (size_t i = 0; i < n; i++)
                hinted.insert(w.hits[i], i + 1);
            ns[INSERT_HINT] += elapsed_ns(start);
        }
        auto start = Clock::now();
        Adapter a(0);
        for (size_t i = 0; i < n; i++)
            a.insert(w.hits[i], i + 1);
        ns[INSERT] += elapsed_ns(start);

        uint64_t sum = 0;
        start = Clock::now();
        for (size_t i : w.lookup_order)
            sum += a.find(w.hits[i]);
        ns[HIT] += elapsed_ns(start);
        expect(sum == expected_sum, "hit lookup");

        sum = 0;
        start = Clock::now();
        for (size_t i : w.lookup_order)
            sum += a.find(w.misses[i]);
        ns[MISS] += elapsed_ns(start);
        expect(sum == 0, "miss lookup");

        start = Clock::now();
        sum = a.sum_values();
        ns[ITERATE] += elapsed_ns(start);
        expect(sum == expected_sum, "iterate");

        start = Clock::now();
        for (size_t i : w.delete_order)
            a.erase(w.hits[i]);
        ns[DELETE] += elapsed_ns(start);
        expect(a.sum_values() == 0, "delete");
    }
    for (int op = 0; op < OP_COUNT; op++)
        ns[op] /= double(reps) * double(n);
}

// Each trial measures every structure once, in turn; the table keeps the
// fastest trial, which filters out time lost to other processes.
template <class Key> void run(const char *key_name, const Workload<Key> &w, size_t trials) {
    size_t n = w.hits.size();
    // Enough repetitions for about 2 million operations per measurement.
    size_t reps = std::max<size_t>(1, 2000000 / n);
    double best[STRUCTURE_COUNT][OP_COUNT], ns[STRUCTURE_COUNT][OP_COUNT];
    for (size_t t = 0; t < trials; t++) {
        measure<RefmapAdapter<Key>>(w, reps, ns[REFMAP]);
        measure<UnorderedAdapter<Key>>(w, reps, ns[UNORDERED]);
        measure<GlibAdapter<Key>>(w, reps, ns[GLIB]);
        measure<AbslAdapter<Key>>(w, reps, ns[ABSL]);
        for (int s = 0; s < STRUCTURE_COUNT; s++)
            for (int op = 0; op < OP_COUNT; op++)
                best[s][op] = t == 0 ? ns[s][op] : std::min(best[s][op], ns[s][op]);
    }
    for (int op = 0; op < OP_COUNT; op++) {
        std::printf("| %-6s | %8zu | %-11s |", key_name, n, op_names[op]);
        for (int s = 0; s < STRUCTURE_COUNT; s++) {
            if (s == GLIB && op == INSERT_HINT)
                std::printf(" %13s |", "n/a");
            else
                std::printf(" %13.1f |", best[s][op]);
        }
        std::printf(" %9.2f | %9.2f |\n", best[REFMAP][op] / best[UNORDERED][op],
                    best[REFMAP][op] / best[ABSL][op]);
        std::fflush(stdout);
    }
}

size_t parse_size(const char *s) {
    return size_t(std::strtod(s, nullptr));
}

} // namespace

int main(int argc, char **argv) {
    size_t min_n = 1000, max_n = 10000000, trials = 0;
    std::string keys = "both";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--max") == 0)
            max_n = parse_size(argv[i + 1]);
        else if (std::strcmp(argv[i], "--min") == 0)
            min_n = parse_size(argv[i + 1]);
        else if (std::strcmp(argv[i], "--keys") == 0)
            keys = argv[i + 1];
        else if (std::strcmp(argv[i], "--trials") == 0)
            trials = parse_size(argv[i + 1]);
        else {
            std::fprintf(stderr,
                         "usage: %s [--min N] [--max N] [--keys u64|string|both] [--trials T]\n",
                         argv[0]);
            return 2;
        }
    }
    std::printf("ns per operation (iterate: per entry); ratios below 1 mean refmap is faster\n\n");
    std::printf("| keys   |        N | operation   |");
    for (const char *name : structure_names)
        std::printf(" %13s |", name);
    std::printf(" refmap/um | refmap/absl |\n");
    std::printf("|--------|---------:|-------------|");
    for (int s = 0; s < STRUCTURE_COUNT; s++)
        std::printf("--------------:|");
    std::printf("----------:|----------:|\n");
    for (size_t n = min_n; n <= max_n; n *= 10) {
        size_t t = trials ? trials : n <= 100000 ? 5 : n <= 1000000 ? 3 : 1;
        if (keys != "string")
            run("u64", u64_workload(n), t);
        if (keys != "u64") {
            StringArena arena;
            run("string", string_workload(n, arena), t);
        }
    }
    return 0;
}
