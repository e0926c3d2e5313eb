/* Growth statistics: what MS301 is about. A map made with hint 0 starts with
 * room for 8 entries and doubles, so filling N keys grows it about
 * log2(N/8) times; a map made with hint N never grows while filling N keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "refmap.h"

static size_t grows_after_filling(uint64_t n, size_t hint) {
    refmap *m = refmap_new(sizeof(uint64_t), sizeof(uint64_t), hint);
    assert_non_null(m);
    for (uint64_t k = 0; k < n; k++)
        assert_non_null(refmap_put(m, &k, &k));
    struct refmap_stats st;
    refmap_stats(m, &st);
    assert_int_equal(st.entries, n);
    assert_true(st.capacity >= n);
    refmap_free(m);
    return st.grows;
}

/* ceil(log2(n / 8)), 0 for n <= 8. */
static size_t doublings_past_8(uint64_t n) {
    size_t d = 0;
    for (uint64_t room = 8; room < n; room *= 2)
        d++;
    return d;
}

static void test_first_table_holds_8(void **state) {
    (void)state;
    refmap *m = refmap_new(sizeof(uint64_t), sizeof(uint64_t), 0);
    struct refmap_stats st;
    for (uint64_t k = 0; k < 8; k++)
        refmap_put(m, &k, &k);
    refmap_stats(m, &st);
    assert_int_equal(st.capacity, 8);
    assert_int_equal(st.grows, 0);
    uint64_t ninth = 8;
    refmap_put(m, &ninth, &ninth);
    refmap_stats(m, &st);
    assert_int_equal(st.grows, 1);
    assert_int_equal(st.capacity, 16);
    refmap_free(m);
}

/* Tolerance: ceil(log2(N/8)) grows, or one more. The first table holds all
 * of its 8 slots but larger ones hold 7/8 of theirs, so N just above
 * 7 * 2^k costs the extra grow. Fewer grows than ceil(log2(N/8)) would mean
 * the table held more entries than slots. */
static void test_grows_about_log2_n_over_8(void **state) {
    (void)state;
    static const uint64_t sizes[] = {1,   8,    9,    15,   16,   17,     57,     64,     100,
                                     897, 1000, 1024, 4096, 7169, 100000, 229377, 262144, 1000000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint64_t n = sizes[i];
        size_t grows = grows_after_filling(n, 0);
        size_t expected = doublings_past_8(n);
        if (grows < expected || grows > expected + 1)
            fail_msg("N=%llu: %zu grows, expected %zu or %zu", (unsigned long long)n, grows,
                     expected, expected + 1);
    }
    /* A large N where the formula is exact in real numbers too:
     * log2(1048576 / 8) = 17. */
    size_t grows = grows_after_filling(1048576, 0);
    assert_true(grows == 17 || grows == 18);
}

static void test_hint_prevents_growth(void **state) {
    (void)state;
    static const uint64_t sizes[] = {1, 8, 9, 100, 897, 1000, 4096, 7169, 100000, 1000000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        assert_int_equal(grows_after_filling(sizes[i], sizes[i]), 0);
}

static void test_reserve_prevents_growth(void **state) {
    (void)state;
    refmap *m = refmap_new(sizeof(uint64_t), sizeof(uint64_t), 0);
    assert_int_equal(refmap_reserve(m, 50000), 0);
    for (uint64_t k = 0; k < 50000; k++)
        refmap_put(m, &k, &k);
    struct refmap_stats st;
    refmap_stats(m, &st);
    assert_int_equal(st.grows, 0);
    refmap_free(m);
}

static void test_updates_never_grow(void **state) {
    (void)state;
    refmap *m = refmap_new(sizeof(uint64_t), sizeof(uint64_t), 0);
    for (uint64_t v = 0; v < 10000; v++)
        for (uint64_t k = 0; k < 8; k++)
            refmap_put(m, &k, &v);
    struct refmap_stats st;
    refmap_stats(m, &st);
    assert_int_equal(st.grows, 0);
    assert_int_equal(st.capacity, 8);
    refmap_free(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_table_holds_8),
        cmocka_unit_test(test_grows_about_log2_n_over_8),
        cmocka_unit_test(test_hint_prevents_growth),
        cmocka_unit_test(test_reserve_prevents_growth),
        cmocka_unit_test(test_updates_never_grow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
