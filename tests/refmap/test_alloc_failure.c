/* Allocation failure at every allocation point: a scenario runs once per k
 * with the k-th allocation failing (then, separately, with every allocation
 * from the k-th on failing), until a run completes without reaching k. Each
 * failed operation must report the error and leave the map exactly as it
 * was; every block must be freed in the end (also checked by LeakSanitizer
 * in the sanitizer build). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "counting_allocator.h"
#include "refmap.h"

#define KEYS 3000

struct model {
    unsigned char present[KEYS];
    uint64_t value[KEYS];
    size_t len;
};

static void assert_map_matches(refmap *m, const struct model *ref) {
    assert_int_equal(refmap_len(m), ref->len);
    for (uint64_t k = 0; k < KEYS; k++) {
        uint64_t *v = refmap_get(m, &k);
        if (!ref->present[k]) {
            assert_null(v);
        } else {
            assert_non_null(v);
            assert_int_equal(*v, ref->value[k]);
        }
    }
    size_t n = 0;
    refmap_iter it;
    refmap_iter_init(&it, m);
    while (refmap_iter_next(&it, NULL, NULL))
        n++;
    assert_int_equal(n, ref->len);
}

/* Puts key, retrying after failures while the allocator still lets some
 * allocation through. Returns 0 when it gave up (persistent failure). */
static int put_checked(refmap *m, struct model *ref, struct counting_allocator *a, uint64_t k) {
    uint64_t v = k * 3 + 1;
    for (;;) {
        size_t failures = a->failures;
        uint64_t *slot = refmap_put(m, &k, &v);
        if (slot) {
            assert_int_equal(*slot, v);
            if (!ref->present[k])
                ref->len++;
            ref->present[k] = 1;
            ref->value[k] = v;
            return 1;
        }
        assert_int_equal(a->failures, failures + 1); /* NULL only when memory ran out */
        assert_map_matches(m, ref);
        if (a->keep_failing)
            return 0;
    }
}

static int reserve_checked(refmap *m, const struct model *ref, struct counting_allocator *a,
                           size_t n) {
    for (;;) {
        struct refmap_stats before, after;
        refmap_stats(m, &before);
        size_t failures = a->failures;
        if (refmap_reserve(m, n) == 0)
            return 1;
        assert_int_equal(a->failures, failures + 1);
        refmap_stats(m, &after);
        assert_int_equal(after.capacity, before.capacity);
        assert_map_matches(m, ref);
        if (a->keep_failing)
            return 0;
    }
}

/* The scenario: every kind of allocation refmap makes, in the states where
 * it makes them. Returns when done or when persistent failure stops it. */
static void scenario(struct counting_allocator *a, struct model *ref) {
    struct refmap_options opts = {.allocator = &a->hooks};
    refmap *m = NULL;
    while (!(m = refmap_new_with(sizeof(uint64_t), sizeof(uint64_t), 0, &opts))) {
        assert_int_equal(a->live_blocks, 0);
        if (a->keep_failing)
            return;
    }
    /* First table, then grows from 8 up. */
    for (uint64_t k = 0; k < 200; k++)
        if (!put_checked(m, ref, a, k))
            goto done;
    /* Grows while an iteration pins the table being replaced. */
    refmap_iter it;
    void *key;
    uint64_t next = 200;
    refmap_iter_init(&it, m);
    while (refmap_iter_next(&it, &key, NULL) && next < 1200)
        for (int i = 0; i < 5; i++)
            if (!put_checked(m, ref, a, next++)) {
                refmap_iter_stop(&it);
                goto done;
            }
    refmap_iter_stop(&it);
    if (!reserve_checked(m, ref, a, KEYS))
        goto done;
    for (uint64_t k = 0; k < 1200; k += 2) {
        assert_int_equal(refmap_del(m, &k), 1);
        ref->present[k] = 0;
        ref->len--;
    }
    refmap_clear(m);
    memset(ref->present, 0, sizeof ref->present);
    ref->len = 0;
    for (uint64_t k = 0; k < 100; k++)
        if (!put_checked(m, ref, a, k))
            goto done;
    /* A map made with a hint allocates its table up front. */
    size_t live = a->live_blocks;
    refmap *sized;
    while (!(sized = refmap_new_with(sizeof(uint64_t), sizeof(uint64_t), 1000, &opts))) {
        assert_int_equal(a->live_blocks, live);
        if (a->keep_failing)
            goto done;
    }
    refmap_free(sized);
done:
    assert_map_matches(m, ref);
    refmap_free(m);
}

static void fail_each_allocation(int keep_failing) {
    size_t runs = 0;
    for (size_t k = 1;; k++) {
        struct counting_allocator a;
        counting_allocator_init(&a);
        a.fail_at = k;
        a.keep_failing = keep_failing;
        static struct model ref;
        memset(&ref, 0, sizeof ref);
        scenario(&a, &ref);
        assert_int_equal(a.live_blocks, 0);
        assert_int_equal(a.live_bytes, 0);
        runs++;
        if (a.allocations < k) {
            assert_int_equal(a.failures, 0);
            break; /* the whole scenario ran without reaching allocation k */
        }
        assert_true(a.failures >= 1);
    }
    /* Map, first table, 8 grows (8 -> 2048 slots), the reserve, and the
     * map and table made with a hint. */
    assert_int_equal(runs - 1, 13);
    printf("%s: %zu allocation points\n", keep_failing ? "persistent failure" : "single failure",
           runs - 1);
}

static void test_single_failure(void **state) {
    (void)state;
    fail_each_allocation(0);
}

static void test_persistent_failure(void **state) {
    (void)state;
    fail_each_allocation(1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_failure),
        cmocka_unit_test(test_persistent_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
