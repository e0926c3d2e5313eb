/* Iteration: exactly-once production, Go's rules for deletes and inserts
 * during iteration (including inserts that rebuild the table), refmap_clear
 * and refmap_iter_stop during iteration, and randomised order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "refmap.h"

/* Keys below ORIGINALS are there when iteration starts; inserted keys are
 * INSERTED_BASE and up. */
#define INSERTED_BASE 1000000u

static refmap *map_of(uint64_t n, size_t hint) {
    refmap *m = refmap_new(sizeof(uint64_t), sizeof(uint64_t), hint);
    for (uint64_t k = 0; k < n; k++) {
        uint64_t v = k * 10;
        assert_non_null(refmap_put(m, &k, &v));
    }
    return m;
}

/* Counts how often each key is produced; fails on a key produced twice. */
struct tally {
    unsigned char *originals; /* per original key */
    unsigned char *inserted;  /* per inserted key */
    size_t n_originals, n_inserted;
};

static void tally_init(struct tally *t, size_t originals, size_t inserted) {
    t->originals = calloc(originals + 1, 1);
    t->inserted = calloc(inserted + 1, 1);
    t->n_originals = originals;
    t->n_inserted = inserted;
}

static void tally_free(struct tally *t) {
    free(t->originals);
    free(t->inserted);
}

static void tally_count(struct tally *t, uint64_t key) {
    unsigned char *seen;
    if (key >= INSERTED_BASE) {
        assert_true(key - INSERTED_BASE < t->n_inserted);
        seen = &t->inserted[key - INSERTED_BASE];
    } else {
        assert_true(key < t->n_originals);
        seen = &t->originals[key];
    }
    assert_int_equal(*seen, 0); /* never twice */
    *seen = 1;
}

static void test_every_entry_once(void **state) {
    (void)state;
    static const uint64_t sizes[] = {0, 1, 7, 8, 9, 15, 16, 17, 100, 5000};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        uint64_t n = sizes[s];
        refmap *m = map_of(n, 0);
        struct tally t;
        tally_init(&t, n, 0);
        refmap_iter it;
        void *key, *val;
        size_t produced = 0;
        refmap_iter_init(&it, m);
        while (refmap_iter_next(&it, &key, &val)) {
            uint64_t k = *(uint64_t *)key;
            tally_count(&t, k);
            assert_ptr_equal(val, refmap_get(m, &k));
            assert_int_equal(*(uint64_t *)val, k * 10);
            produced++;
        }
        assert_int_equal(produced, n);
        /* A finished iteration stays finished. */
        assert_int_equal(refmap_iter_next(&it, &key, &val), 0);
        tally_free(&t);
        refmap_free(m);
    }
}

static void test_null_outputs(void **state) {
    (void)state;
    refmap *m = map_of(50, 0);
    refmap_iter it;
    size_t n = 0;
    refmap_iter_init(&it, m);
    while (refmap_iter_next(&it, NULL, NULL))
        n++;
    assert_int_equal(n, 50);
    refmap_free(m);
}

static void test_delete_current_entry(void **state) {
    (void)state;
    refmap *m = map_of(1000, 0);
    struct tally t;
    tally_init(&t, 1000, 0);
    refmap_iter it;
    void *key;
    refmap_iter_init(&it, m);
    while (refmap_iter_next(&it, &key, NULL)) {
        uint64_t k = *(uint64_t *)key;
        tally_count(&t, k);
        assert_int_equal(refmap_del(m, &k), 1);
    }
    for (uint64_t k = 0; k < 1000; k++)
        assert_int_equal(t.originals[k], 1);
    assert_int_equal(refmap_len(m), 0);
    tally_free(&t);
    refmap_free(m);
}

/* Deletes every third key as soon as iteration starts: a deleted key that
 * was not produced yet must never be produced, and every other key exactly
 * once. */
static void check_deletes_during_iteration(uint64_t n) {
    refmap *m = map_of(n, 0);
    struct tally t;
    tally_init(&t, n, 0);
    unsigned char *deleted_unreached = calloc(n, 1);
    refmap_iter it;
    void *key;
    int first = 1;
    refmap_iter_init(&it, m);
    while (refmap_iter_next(&it, &key, NULL)) {
        uint64_t k = *(uint64_t *)key;
        assert_int_equal(deleted_unreached[k], 0);
        tally_count(&t, k);
        if (first) {
            first = 0;
            for (uint64_t d = 0; d < n; d += 3)
                if (!t.originals[d]) {
                    assert_int_equal(refmap_del(m, &d), 1);
                    deleted_unreached[d] = 1;
                }
        }
    }
    for (uint64_t k = 0; k < n; k++)
        assert_int_equal(t.originals[k], !deleted_unreached[k]);
    free(deleted_unreached);
    tally_free(&t);
    refmap_free(m);
}

static void test_delete_unreached_entries(void **state) {
    (void)state;
    check_deletes_during_iteration(8);
    check_deletes_during_iteration(100);
    check_deletes_during_iteration(10000);
}

/* Inserts `per_step` new keys for each entry produced (until `max_inserts`),
 * and deletes every fifth original key that is still unreached after the
 * first step. Survivors must come exactly once, deleted keys never, and
 * inserted keys at most once; produced values are the live ones. */
static void check_inserts_during_iteration(uint64_t n, size_t hint, unsigned per_step,
                                           size_t max_inserts, size_t *retired_seen) {
    refmap *m = map_of(n, hint);
    struct tally t;
    tally_init(&t, n, max_inserts);
    unsigned char *deleted = calloc(n, 1);
    size_t inserted = 0, steps = 0, n_deleted = 0;
    *retired_seen = 0;
    refmap_iter it;
    void *key, *val;
    refmap_iter_init(&it, m);
    while (refmap_iter_next(&it, &key, &val)) {
        uint64_t k = *(uint64_t *)key;
        assert_ptr_equal(val, refmap_get(m, &k));
        if (k < INSERTED_BASE) {
            assert_int_equal(deleted[k], 0);
            /* Originals still hold k * 10 unless updated below to k * 10 + 1. */
            assert_true(*(uint64_t *)val == k * 10 || *(uint64_t *)val == k * 10 + 1);
        }
        tally_count(&t, k);
        for (unsigned i = 0; i < per_step && inserted < max_inserts; i++) {
            uint64_t fresh = INSERTED_BASE + inserted++;
            assert_non_null(refmap_put(m, &fresh, &fresh));
        }
        if (++steps == 2) {
            for (uint64_t d = 0; d < n; d++) {
                if (t.originals[d])
                    continue;
                if (d % 5 == 0) {
                    assert_int_equal(refmap_del(m, &d), 1);
                    deleted[d] = 1;
                    n_deleted++;
                } else if (d % 5 == 1) {
                    uint64_t v = d * 10 + 1;
                    refmap_put(m, &d, &v);
                }
            }
        }
        struct refmap_stats st;
        refmap_stats(m, &st);
        if (st.retired_tables > *retired_seen)
            *retired_seen = st.retired_tables;
    }
    for (uint64_t k = 0; k < n; k++)
        assert_int_equal(t.originals[k], !deleted[k]);
    assert_int_equal(refmap_len(m), n - n_deleted + inserted);
    assert_true(n_deleted > 0);
    free(deleted);
    tally_free(&t);
    refmap_free(m);
}

/* Room for every insert: the table is never rebuilt during the iteration. */
static void test_inserts_without_rebuild(void **state) {
    (void)state;
    size_t retired;
    check_inserts_during_iteration(1000, 10000, 1, 5000, &retired);
    assert_int_equal(retired, 0);
}

/* The first insert rebuilds the table, and later ones rebuild it again: the
 * iteration keeps walking the first table and consults the live map. */
static void test_inserts_that_rebuild(void **state) {
    (void)state;
    size_t retired;
    check_inserts_during_iteration(8, 0, 3, 3000, &retired);
    assert_true(retired >= 1);
    check_inserts_during_iteration(1792, 1792, 4, 20000, &retired);
    assert_true(retired >= 1);
    check_inserts_during_iteration(5000, 0, 50, 200000, &retired);
    assert_true(retired >= 1);
}

/* Inserted keys may be produced: with room in the table and inserts landing
 * everywhere, some are produced in practice, and none twice (tally). */
static void test_inserted_keys_may_be_produced(void **state) {
    (void)state;
    refmap *m = map_of(100, 100000);
    refmap_iter it;
    void *key;
    uint64_t next = INSERTED_BASE;
    size_t inserted_produced = 0;
    refmap_iter_init(&it, m);
    while (refmap_iter_next(&it, &key, NULL)) {
        if (*(uint64_t *)key >= INSERTED_BASE)
            inserted_produced++;
        else
            for (int i = 0; i < 100; i++, next++)
                refmap_put(m, &next, &next);
    }
    assert_true(inserted_produced > 0);
    assert_true(inserted_produced < next - INSERTED_BASE);
    refmap_free(m);
}

/* A map of 8 entries (a full smallest table) with an iteration that has
 * produced one entry; with rebuild, a 9th entry has then replaced the
 * iteration's table. */
static refmap *map_with_iteration_begun(refmap_iter *it, int rebuild) {
    refmap *m = map_of(8, 0);
    refmap_iter_init(it, m);
    assert_int_equal(refmap_iter_next(it, NULL, NULL), 1);
    if (rebuild) {
        uint64_t k = INSERTED_BASE;
        refmap_put(m, &k, &k);
        struct refmap_stats st;
        refmap_stats(m, &st);
        assert_int_equal(st.retired_tables, 1);
    }
    return m;
}

/* After refmap_clear nothing is produced, even when the iteration's table
 * had been replaced and was freed by the clear. */
static void test_clear_during_iteration(void **state) {
    (void)state;
    for (int rebuild_first = 0; rebuild_first < 2; rebuild_first++) {
        refmap_iter it;
        void *key;
        refmap *m = map_with_iteration_begun(&it, rebuild_first);
        refmap_clear(m);
        struct refmap_stats st;
        refmap_stats(m, &st);
        assert_int_equal(st.retired_tables, 0);
        uint64_t k = 3;
        refmap_put(m, &k, &k);
        assert_int_equal(refmap_iter_next(&it, &key, NULL), 0);
        refmap_iter_stop(&it); /* harmless after the end */
        /* A new iteration sees the entry added after the clear. */
        size_t n = 0;
        refmap_iter_init(&it, m);
        while (refmap_iter_next(&it, &key, NULL))
            n++;
        assert_int_equal(n, 1);
        refmap_free(m);
    }
}

/* A replaced table lives while an iteration pins it, and is freed at the
 * next rebuild once the iteration is finished or stopped. */
static void test_replaced_table_lifetime(void **state) {
    (void)state;
    for (int stop_early = 0; stop_early < 2; stop_early++) {
        refmap_iter it;
        void *key;
        refmap *m = map_with_iteration_begun(&it, 1);
        struct refmap_stats st;
        if (stop_early) {
            refmap_iter_stop(&it);
            refmap_iter_stop(&it);
            assert_int_equal(refmap_iter_next(&it, &key, NULL), 0);
        } else {
            size_t rest = 0;
            while (refmap_iter_next(&it, &key, NULL))
                rest++;
            assert_int_equal(rest, 7);
        }
        assert_int_equal(refmap_reserve(m, 1000), 0); /* a rebuild sweeps */
        refmap_stats(m, &st);
        assert_int_equal(st.retired_tables, 0);
        refmap_free(m);
    }
}

/* An iteration abandoned over a replaced table is cleaned up by
 * refmap_free (LeakSanitizer checks). */
static void test_abandoned_iteration(void **state) {
    (void)state;
    refmap *m = map_of(8, 0);
    refmap_iter it;
    refmap_iter_init(&it, m);
    assert_int_equal(refmap_iter_next(&it, NULL, NULL), 1);
    for (uint64_t k = INSERTED_BASE; k < INSERTED_BASE + 100; k++)
        refmap_put(m, &k, &k);
    refmap_free(m);
}

static void test_nested_iterations(void **state) {
    (void)state;
    refmap *m = map_of(60, 0);
    refmap_iter outer, inner;
    void *a, *b;
    size_t pairs = 0, equal = 0;
    refmap_iter_init(&outer, m);
    while (refmap_iter_next(&outer, &a, NULL)) {
        refmap_iter_init(&inner, m);
        while (refmap_iter_next(&inner, &b, NULL)) {
            pairs++;
            equal += *(uint64_t *)a == *(uint64_t *)b;
        }
    }
    assert_int_equal(pairs, 60 * 60);
    assert_int_equal(equal, 60);
    refmap_free(m);
}

/* The order changes between iterations of one unchanged map, both where it
 * starts and how it proceeds, in the smallest table and in larger ones. */
static void check_order_varies(uint64_t n) {
    enum { ROUNDS = 64 };
    refmap *m = map_of(n, 0);
    uint64_t firsts[ROUNDS], seconds[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        refmap_iter it;
        void *key;
        refmap_iter_init(&it, m);
        assert_int_equal(refmap_iter_next(&it, &key, NULL), 1);
        firsts[r] = *(uint64_t *)key;
        assert_int_equal(refmap_iter_next(&it, &key, NULL), 1);
        seconds[r] = *(uint64_t *)key;
        refmap_iter_stop(&it);
    }
    size_t distinct_firsts = 0, distinct_pairs = 0;
    for (int r = 0; r < ROUNDS; r++) {
        int first_new = 1, pair_new = 1;
        for (int q = 0; q < r; q++) {
            first_new &= firsts[q] != firsts[r];
            pair_new &= firsts[q] != firsts[r] || seconds[q] != seconds[r];
        }
        distinct_firsts += first_new;
        distinct_pairs += pair_new;
    }
    /* 64 uniform draws among n >= 8 starting points give many distinct ones;
     * a fixed order gives 1. */
    assert_true(distinct_firsts >= 4);
    assert_true(distinct_pairs >= distinct_firsts);
    refmap_free(m);
}

static void test_order_is_randomised(void **state) {
    (void)state;
    check_order_varies(8);
    check_order_varies(100);
    check_order_varies(10000);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_entry_once),
        cmocka_unit_test(test_null_outputs),
        cmocka_unit_test(test_delete_current_entry),
        cmocka_unit_test(test_delete_unreached_entries),
        cmocka_unit_test(test_inserts_without_rebuild),
        cmocka_unit_test(test_inserts_that_rebuild),
        cmocka_unit_test(test_inserted_keys_may_be_produced),
        cmocka_unit_test(test_clear_during_iteration),
        cmocka_unit_test(test_replaced_table_lifetime),
        cmocka_unit_test(test_abandoned_iteration),
        cmocka_unit_test(test_nested_iterations),
        cmocka_unit_test(test_order_is_randomised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
