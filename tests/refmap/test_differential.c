/* Randomised differential test against a trivially correct reference: keys
 * come from a fixed pool, and the reference is one presence flag and value
 * per pool entry. Every operation's result is compared, and iterations with
 * random deletes, inserts and updates are checked against Go's rules.
 *
 * The operation sequence comes from a seed: REFMAP_TEST_SEED, or a fixed
 * default. A failure prints the seed, the configuration and the step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "refmap.h"

#define MAX_KEY 32

struct config {
    const char *name;
    size_t key_size;
    int weak_hash; /* user hash with only 8 distinct values */
    size_t pool;
    size_t steps;
    size_t window; /* nonzero: slide a window of this many live keys over the
                      pool instead of random operations, at a load where
                      tombstones pile up and force same-size rebuilds */
};

struct reference {
    unsigned char *present;
    uint64_t *value;
    size_t len;
};

struct run {
    const struct config *cfg;
    uint64_t seed, rng;
    size_t step;
    size_t iterations, produced; /* coverage, printed at the end */
    refmap *map;
    struct reference ref;
};

#define CHECK(run, cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fail_msg("%s:%d: CHECK(%s) failed; seed=%llu config=%s step=%zu", __FILE__, __LINE__,  \
                     #cond, (unsigned long long)(run)->seed, (run)->cfg->name, (run)->step);       \
    } while (0)

static uint64_t next_random(struct run *r) {
    uint64_t z = (r->rng += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static size_t random_below(struct run *r, size_t n) {
    return (size_t)(next_random(r) % n);
}

/* Pool entry i as key bytes: distinct for distinct i, spread over the whole
 * key so every byte matters. */
static void pool_key(const struct config *cfg, size_t i, unsigned char *key) {
    uint64_t x = (uint64_t)i * 0x9e3779b97f4a7c15u + 12345;
    for (size_t b = 0; b < cfg->key_size; b++)
        key[b] = (unsigned char)(x >> (8 * (b % 8))) ^ (unsigned char)(b * 31);
    memcpy(key, &i, cfg->key_size < 4 ? cfg->key_size : 4); /* keeps keys distinct */
}

static size_t pool_index(const struct config *cfg, const void *key) {
    uint32_t i = 0;
    memcpy(&i, key, cfg->key_size < 4 ? cfg->key_size : 4);
    return i;
}

static uint64_t weak_hash(const void *key, uint64_t seed, void *ctx) {
    (void)seed;
    (void)ctx;
    return *(const unsigned char *)key & 7u;
}

static int bytes_equal(const void *a, const void *b, void *ctx) {
    return memcmp(a, b, *(const size_t *)ctx) == 0;
}

static void check_put(struct run *r, size_t i, int with_value) {
    unsigned char key[MAX_KEY];
    pool_key(r->cfg, i, key);
    uint64_t v = next_random(r);
    uint64_t *slot = refmap_put(r->map, key, with_value ? &v : NULL);
    CHECK(r, slot != NULL);
    if (!r->ref.present[i]) {
        r->ref.present[i] = 1;
        r->ref.len++;
        r->ref.value[i] = with_value ? v : 0;
    } else if (with_value) {
        r->ref.value[i] = v;
    }
    CHECK(r, *slot == r->ref.value[i]);
}

static void check_get(struct run *r, size_t i) {
    unsigned char key[MAX_KEY];
    pool_key(r->cfg, i, key);
    uint64_t *slot = refmap_get(r->map, key);
    CHECK(r, (slot != NULL) == r->ref.present[i]);
    if (slot)
        CHECK(r, *slot == r->ref.value[i]);
}

static void check_del(struct run *r, size_t i) {
    unsigned char key[MAX_KEY];
    pool_key(r->cfg, i, key);
    CHECK(r, refmap_del(r->map, key) == r->ref.present[i]);
    if (r->ref.present[i]) {
        r->ref.present[i] = 0;
        r->ref.len--;
    }
}

/* Per pool entry, during one iteration. */
enum { SURVIVOR = 1, PRODUCED = 2, RECREATED = 4 };

/* Iterates while mutating at random (only updating values unless
 * may_change_len). Go's rules: an entry present at the
 * start and never deleted is produced exactly once; a produced entry is
 * present with its current value; an entry is produced at most once unless
 * it was deleted and created again after being produced. */
static void check_iteration(struct run *r, int may_change_len) {
    size_t pool = r->cfg->pool;
    unsigned char *mark = calloc(pool, 1);
    for (size_t i = 0; i < pool; i++)
        if (r->ref.present[i])
            mark[i] = SURVIVOR;
    int mutate = random_below(r, 4) != 0;
    r->iterations++;
    int stop_early = random_below(r, 8) == 0;
    size_t produced = 0;
    refmap_iter it;
    void *key, *val;
    refmap_iter_init(&it, r->map);
    while (refmap_iter_next(&it, &key, &val)) {
        size_t i = pool_index(r->cfg, key);
        CHECK(r, i < pool);
        CHECK(r, r->ref.present[i]);
        CHECK(r, *(uint64_t *)val == r->ref.value[i]);
        CHECK(r, !(mark[i] & PRODUCED) || (mark[i] & RECREATED));
        mark[i] = (unsigned char)((mark[i] & SURVIVOR) | PRODUCED);
        CHECK(r, ++produced <= 4 * pool);
        r->produced++;
        if (stop_early && random_below(r, 16) == 0) {
            refmap_iter_stop(&it);
            break;
        }
        if (!mutate)
            continue;
        size_t j = random_below(r, pool);
        int action = (int)random_below(r, 4);
        if (!may_change_len && (action < 2 || !r->ref.present[j]))
            action = 3;
        switch (action) {
            case 0:
            case 1:
                if (r->ref.present[j])
                    mark[j] &= (unsigned char)~SURVIVOR;
                check_del(r, j);
                break;
            case 2:
                if (!r->ref.present[j] && (mark[j] & PRODUCED))
                    mark[j] |= RECREATED;
                check_put(r, j, 1);
                break;
            default:
                check_get(r, j);
                break;
        }
    }
    if (!stop_early)
        for (size_t i = 0; i < pool; i++)
            CHECK(r, !(mark[i] & SURVIVOR) || (mark[i] & PRODUCED));
    free(mark);
}

static struct refmap_stats finish_run(struct run *r) {
    for (size_t i = 0; i < r->cfg->pool; i++)
        check_get(r, i);
    struct refmap_stats st;
    refmap_stats(r->map, &st);
    printf("  %-26s %zu steps, %zu iterations producing %zu entries, %zu grows, %zu rehashes\n",
           r->cfg->name, r->cfg->steps, r->iterations, r->produced, st.grows, st.rehashes);
    refmap_free(r->map);
    free(r->ref.present);
    free(r->ref.value);
    return st;
}

static void slide_window(struct run *r) {
    const struct config *cfg = r->cfg;
    for (size_t i = 0; i < cfg->window; i++)
        check_put(r, i, 1);
    for (r->step = 0; r->step < cfg->steps; r->step++) {
        check_del(r, r->step % cfg->pool);
        check_put(r, (r->step + cfg->window) % cfg->pool, 1);
        check_get(r, random_below(r, cfg->pool));
        if (random_below(r, cfg->window) == 0)
            check_iteration(r, 0);
        CHECK(r, refmap_len(r->map) == r->ref.len);
    }
    struct refmap_stats st = finish_run(r);
    /* Guards the coverage this configuration exists for. */
    CHECK(r, st.rehashes > 0);
}

static void run_config(const struct config *cfg, uint64_t seed) {
    struct run r = {.cfg = cfg, .seed = seed, .rng = seed};
    size_t key_size = cfg->key_size;
    struct refmap_options opts = {0};
    if (cfg->weak_hash) {
        opts.hash = weak_hash;
        opts.equal = bytes_equal;
        opts.fn_ctx = &key_size;
    }
    size_t hint = cfg->window ? 3584 : random_below(&r, 2) ? 0 : cfg->pool / 2;
    r.map = refmap_new_with(cfg->key_size, sizeof(uint64_t), hint, &opts);
    CHECK(&r, r.map != NULL);
    r.ref.present = calloc(cfg->pool, 1);
    r.ref.value = calloc(cfg->pool, sizeof(uint64_t));
    if (cfg->window) {
        slide_window(&r);
        return;
    }
    /* Phases alternate between mostly inserting and mostly deleting, so
     * the map fills, empties and churns through tombstones. */
    for (r.step = 0; r.step < cfg->steps; r.step++) {
        int filling = (r.step / (cfg->pool * 2)) % 2 == 0;
        size_t i = random_below(&r, cfg->pool);
        size_t op = random_below(&r, 1000);
        if (op < (filling ? 450u : 200u))
            check_put(&r, i, 1);
        else if (op < (filling ? 480u : 230u))
            check_put(&r, i, 0);
        else if (op < 700)
            check_get(&r, i);
        else if (op < 990)
            check_del(&r, i);
        else if (op < 994)
            CHECK(&r, refmap_reserve(r.map, r.ref.len + random_below(&r, cfg->pool)) == 0);
        else if (op < 995 && random_below(&r, cfg->pool) == 0) {
            refmap_clear(r.map);
            memset(r.ref.present, 0, cfg->pool);
            r.ref.len = 0;
        } else if (random_below(&r, cfg->pool / 200 + 1) == 0) {
            check_iteration(&r, 1);
        }
        CHECK(&r, refmap_len(r.map) == r.ref.len);
    }
    finish_run(&r);
}

static uint64_t test_seed(void) {
    const char *env = getenv("REFMAP_TEST_SEED");
    return env ? strtoull(env, NULL, 0) : 0x5eed2024u;
}

static void test_differential(void **state) {
    (void)state;
    static const struct config configs[] = {
        {"u64 keys, pool 12", 8, 0, 12, 100000, 0},
        {"u64 keys, pool 300", 8, 0, 300, 200000, 0},
        {"u64 keys, pool 20000", 8, 0, 20000, 400000, 0},
        {"u32 keys, pool 3000", 4, 0, 3000, 200000, 0},
        {"12-byte keys, pool 3000", 12, 0, 3000, 200000, 0},
        {"32-byte keys, pool 3000", 32, 0, 3000, 200000, 0},
        {"weak user hash, pool 40", 8, 1, 40, 100000, 0},
        {"weak user hash, pool 400", 12, 1, 400, 100000, 0},
        /* 2500 live keys in 4096 slots (limit 3584), each key new. */
        {"sliding window of 2500", 8, 0, 500000, 400000, 2500},
    };
    uint64_t seed = test_seed();
    printf("refmap differential: seed=%llu (set REFMAP_TEST_SEED to change)\n",
           (unsigned long long)seed);
    for (size_t c = 0; c < sizeof configs / sizeof configs[0]; c++)
        run_config(&configs[c], seed + c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_differential),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
