/* Every public function, with the edge cases: empty maps, zero-size values,
 * odd and large key sizes, user hash functions, tombstone churn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "refmap.h"

static void test_empty_map(void **state) {
    (void)state;
    refmap *m = refmap_new(sizeof(uint64_t), sizeof(uint64_t), 0);
    assert_non_null(m);
    uint64_t key = 7;
    assert_int_equal(refmap_len(m), 0);
    assert_null(refmap_get(m, &key));
    assert_int_equal(refmap_del(m, &key), 0);
    struct refmap_stats st;
    refmap_stats(m, &st);
    assert_int_equal(st.capacity, 0); /* hint 0 allocates no table */
    assert_int_equal(st.entries, 0);
    assert_int_equal(st.grows, 0);
    refmap_clear(m);
    assert_int_equal(refmap_len(m), 0);
    refmap_free(m);
    refmap_free(NULL);
}

static void test_put_get_update(void **state) {
    (void)state;
    refmap *m = refmap_new(sizeof(uint64_t), sizeof(uint64_t), 0);
    for (uint64_t k = 0; k < 1000; k++) {
        uint64_t v = k * 7 + 1;
        uint64_t *slot = refmap_put(m, &k, &v);
        assert_non_null(slot);
        assert_int_equal(*slot, v);
        assert_int_equal(refmap_len(m), k + 1);
    }
    for (uint64_t k = 0; k < 1000; k++) {
        uint64_t *slot = refmap_get(m, &k);
        assert_non_null(slot);
        assert_int_equal(*slot, k * 7 + 1);
    }
    for (uint64_t k = 1000; k < 2000; k++)
        assert_null(refmap_get(m, &k));
    /* An update keeps the entry count and the slot, and replaces the value. */
    uint64_t k = 500, v = 12345;
    uint64_t *before = refmap_get(m, &k);
    uint64_t *after = refmap_put(m, &k, &v);
    assert_ptr_equal(before, after);
    assert_int_equal(*after, 12345);
    assert_int_equal(refmap_len(m), 1000);
    /* The returned slot is the value: writing it updates the map. */
    *after = 999;
    assert_int_equal(*(uint64_t *)refmap_get(m, &k), 999);
    refmap_free(m);
}

static void test_put_without_value(void **state) {
    (void)state;
    refmap *m = refmap_new(sizeof(uint32_t), 3 * sizeof(uint64_t), 0);
    uint32_t k = 1;
    uint64_t v[3] = {1, 2, 3};
    uint64_t *slot = refmap_put(m, &k, NULL);
    assert_non_null(slot);
    assert_int_equal(slot[0] | slot[1] | slot[2], 0); /* new entry: zeroed */
    refmap_put(m, &k, v);
    slot = refmap_put(m, &k, NULL); /* existing entry: unchanged */
    assert_memory_equal(slot, v, sizeof v);
    refmap_free(m);
}

/* For keys 0..n-1 that were stored with value k: asserts that the keys
 * with k % every == 0 are present (keep_multiples) or absent (otherwise),
 * and all the others the opposite. */
static void assert_every_nth_kept(refmap *m, uint64_t n, uint64_t every, int keep_multiples) {
    for (uint64_t k = 0; k < n; k++) {
        uint64_t *v = refmap_get(m, &k);
        if ((k % every == 0) != keep_multiples) {
            assert_null(v);
        } else {
            assert_non_null(v);
            assert_int_equal(*v, k);
        }
    }
}

static void test_delete(void **state) {
    (void)state;
    refmap *m = refmap_new(sizeof(uint64_t), sizeof(uint64_t), 0);
    for (uint64_t k = 0; k < 300; k++)
        assert_non_null(refmap_put(m, &k, &k));
    for (uint64_t k = 0; k < 300; k += 3) {
        assert_int_equal(refmap_del(m, &k), 1);
        assert_int_equal(refmap_del(m, &k), 0);
    }
    assert_int_equal(refmap_len(m), 200);
    assert_every_nth_kept(m, 300, 3, 0);
    refmap_free(m);
}

static void test_clear_keeps_capacity(void **state) {
    (void)state;
    refmap *m = refmap_new(sizeof(uint64_t), sizeof(uint64_t), 0);
    for (uint64_t k = 0; k < 500; k++)
        refmap_put(m, &k, &k);
    struct refmap_stats before, after;
    refmap_stats(m, &before);
    refmap_clear(m);
    refmap_stats(m, &after);
    assert_int_equal(refmap_len(m), 0);
    assert_int_equal(after.capacity, before.capacity);
    for (uint64_t k = 0; k < 500; k++)
        assert_null(refmap_get(m, &k));
    for (uint64_t k = 0; k < 500; k++)
        refmap_put(m, &k, &k);
    refmap_stats(m, &after);
    assert_int_equal(after.grows, before.grows); /* refilling reuses the table */
    assert_int_equal(refmap_len(m), 500);
    refmap_free(m);
}

static void test_reserve(void **state) {
    (void)state;
    refmap *m = refmap_new(sizeof(uint64_t), sizeof(uint64_t), 0);
    assert_int_equal(refmap_reserve(m, 1000), 0);
    struct refmap_stats st;
    refmap_stats(m, &st);
    assert_true(st.capacity >= 1000);
    for (uint64_t k = 0; k < 1000; k++)
        refmap_put(m, &k, &k);
    refmap_stats(m, &st);
    assert_int_equal(st.grows, 0);
    /* Reserving less than is there changes nothing. */
    size_t capacity = st.capacity;
    assert_int_equal(refmap_reserve(m, 10), 0);
    refmap_stats(m, &st);
    assert_int_equal(st.capacity, capacity);
    /* Growing an existing table keeps every entry. */
    assert_int_equal(refmap_reserve(m, 5000), 0);
    refmap_stats(m, &st);
    assert_int_equal(st.grows, 1);
    for (uint64_t k = 0; k < 1000; k++)
        assert_int_equal(*(uint64_t *)refmap_get(m, &k), k);
    /* An impossible size fails and leaves the map alone. */
    assert_int_not_equal(refmap_reserve(m, SIZE_MAX), 0);
    assert_int_equal(refmap_len(m), 1000);
    assert_int_equal(*(uint64_t *)refmap_get(m, &(uint64_t){999}), 999);
    refmap_free(m);
}

/* Fills key with a pattern of i. Keys of 3 bytes or more differ in the
 * first, middle and last byte, so the hash and comparison must read all of
 * the key; shorter keys hold the low bytes of i. */
static void make_key(unsigned char *key, size_t size, uint32_t i) {
    memset(key, 0xa5, size);
    if (size < 3) {
        for (size_t b = 0; b < size; b++)
            key[b] = (unsigned char)(i >> (8 * b));
        return;
    }
    key[0] = (unsigned char)i;
    key[size - 1] = (unsigned char)(i >> 8);
    key[size / 2] = (unsigned char)(i >> 16);
}

static void exercise_sizes(size_t key_size, size_t val_size) {
    enum { N = 300 };
    size_t distinct = key_size == 0 ? 1 : key_size == 1 ? 256 : N;
    refmap *m = refmap_new(key_size, val_size, 0);
    assert_non_null(m);
    unsigned char key[1100], val[64];
    for (uint32_t i = 0; i < distinct; i++) {
        make_key(key, key_size, i);
        memset(val, (int)i, sizeof val);
        unsigned char *slot = refmap_put(m, key, val);
        assert_non_null(slot); /* NULL would mean failure, even for empty values */
        size_t align = val_size >= 16 ? 16 : val_size >= 8 ? 8 : val_size >= 4 ? 4 : 1;
        if ((val_size & (align - 1)) == 0)
            assert_int_equal((uintptr_t)slot % align, 0);
    }
    assert_int_equal(refmap_len(m), distinct);
    for (uint32_t i = 0; i < distinct; i++) {
        make_key(key, key_size, i);
        unsigned char *slot = refmap_get(m, key);
        assert_non_null(slot);
        memset(val, (int)i, sizeof val);
        assert_memory_equal(slot, val, val_size);
        if (i % 2)
            assert_int_equal(refmap_del(m, key), 1);
    }
    for (uint32_t i = 0; i < distinct; i++) {
        make_key(key, key_size, i);
        if (i % 2)
            assert_null(refmap_get(m, key));
        else
            assert_non_null(refmap_get(m, key));
    }
    refmap_free(m);
}

static void test_key_and_value_sizes(void **state) {
    (void)state;
    static const size_t key_sizes[] = {0,  1,  2,  3,  4,  5,  7,  8,   9,
                                       12, 15, 16, 17, 31, 32, 33, 100, 1024};
    static const size_t val_sizes[] = {0, 1, 4, 8, 24, 64};
    for (size_t k = 0; k < sizeof key_sizes / sizeof key_sizes[0]; k++)
        for (size_t v = 0; v < sizeof val_sizes / sizeof val_sizes[0]; v++)
            exercise_sizes(key_sizes[k], val_sizes[v]);
}

static void test_large_keys_differing_in_one_byte(void **state) {
    (void)state;
    enum { KEY = 1024 };
    refmap *m = refmap_new(KEY, sizeof(int), 0);
    unsigned char key[KEY];
    /* Keys equal except for one byte, at every position of the key. */
    for (int pos = 0; pos < KEY; pos++) {
        memset(key, 0, KEY);
        key[pos] = 1;
        assert_non_null(refmap_put(m, key, &pos));
    }
    memset(key, 0, KEY);
    int zero = -1;
    refmap_put(m, key, &zero);
    assert_int_equal(refmap_len(m), KEY + 1);
    for (int pos = 0; pos < KEY; pos++) {
        memset(key, 0, KEY);
        key[pos] = 1;
        int *v = refmap_get(m, key);
        assert_non_null(v);
        assert_int_equal(*v, pos);
    }
    refmap_free(m);
}

struct string_ctx {
    int hash_calls;
};

static uint64_t string_hash(const void *key, uint64_t seed, void *ctx) {
    const char *s;
    memcpy(&s, key, sizeof s);
    ((struct string_ctx *)ctx)->hash_calls++;
    return refmap_hash_bytes(s, strlen(s), seed);
}

static int string_equal(const void *a, const void *b, void *ctx) {
    (void)ctx;
    const char *x, *y;
    memcpy(&x, a, sizeof x);
    memcpy(&y, b, sizeof y);
    return strcmp(x, y) == 0;
}

static void test_string_keys(void **state) {
    (void)state;
    struct string_ctx ctx = {0};
    struct refmap_options opts = {.hash = string_hash, .equal = string_equal, .fn_ctx = &ctx};
    refmap *m = refmap_new_with(sizeof(char *), sizeof(int), 0, &opts);
    enum { N = 500 };
    char stored[N][16], probe[16];
    for (int i = 0; i < N; i++) {
        snprintf(stored[i], sizeof stored[i], "key-%d", i);
        const char *k = stored[i];
        assert_non_null(refmap_put(m, &k, &i));
    }
    assert_true(ctx.hash_calls >= N);
    for (int i = 0; i < N; i++) {
        /* A different pointer to equal text finds the entry. */
        snprintf(probe, sizeof probe, "key-%d", i);
        const char *k = probe;
        int *v = refmap_get(m, &k);
        assert_non_null(v);
        assert_int_equal(*v, i);
    }
    const char *absent = "key-x";
    assert_null(refmap_get(m, &absent));
    refmap_free(m);
}

static uint64_t constant_hash(const void *key, uint64_t seed, void *ctx) {
    (void)key;
    (void)seed;
    (void)ctx;
    return 42;
}

static void test_bad_arguments(void **state) {
    (void)state;
    assert_null(refmap_new(8, 8, SIZE_MAX));
    assert_null(refmap_new(SIZE_MAX, 8, 0));
    struct refmap_options hash_only = {.hash = constant_hash};
    assert_null(refmap_new_with(8, 8, 0, &hash_only));
}

static int u32_equal(const void *a, const void *b, void *ctx) {
    (void)ctx;
    return memcmp(a, b, sizeof(uint32_t)) == 0;
}

/* Every key collides: probing must still find, insert and delete them all. */
static void test_colliding_user_hash(void **state) {
    (void)state;
    struct refmap_options opts = {.hash = constant_hash, .equal = u32_equal};
    refmap *m = refmap_new_with(sizeof(uint32_t), sizeof(uint32_t), 0, &opts);
    for (uint32_t k = 0; k < 400; k++)
        refmap_put(m, &k, &k);
    for (uint32_t k = 0; k < 400; k += 2)
        assert_int_equal(refmap_del(m, &k), 1);
    for (uint32_t k = 400; k < 600; k++)
        refmap_put(m, &k, &k);
    for (uint32_t k = 0; k < 600; k++) {
        uint32_t *v = refmap_get(m, &k);
        if (k < 400 && k % 2 == 0) {
            assert_null(v);
        } else {
            assert_non_null(v);
            assert_int_equal(*v, k);
        }
    }
    assert_int_equal(refmap_len(m), 400);
    refmap_free(m);
}

/* Slides a window of keys: each step deletes the oldest and inserts a new
 * one. Returns after checking the window's contents. */
static void slide_window(refmap *m, uint64_t first, uint64_t window, uint64_t steps) {
    for (uint64_t step = first; step < first + steps; step++) {
        uint64_t old = step, fresh = step + window;
        assert_int_equal(refmap_del(m, &old), 1);
        assert_non_null(refmap_put(m, &fresh, &fresh));
    }
    assert_int_equal(refmap_len(m), window);
    for (uint64_t k = first + steps; k < first + steps + window; k++)
        assert_int_equal(*(uint64_t *)refmap_get(m, &k), k);
    for (uint64_t k = first; k < first + steps; k += 97)
        assert_null(refmap_get(m, &k));
}

static refmap *filled_map(uint64_t n, size_t hint) {
    refmap *m = refmap_new(sizeof(uint64_t), sizeof(uint64_t), hint);
    for (uint64_t k = 0; k < n; k++)
        assert_non_null(refmap_put(m, &k, &k));
    return m;
}

/* Churn at half load neither grows the table nor slows down. */
static void test_churn_keeps_capacity(void **state) {
    (void)state;
    refmap *m = filled_map(1000, 0);
    struct refmap_stats filled, st;
    refmap_stats(m, &filled);
    slide_window(m, 0, 1000, 300000);
    refmap_stats(m, &st);
    assert_int_equal(st.capacity, filled.capacity);
    assert_int_equal(st.grows, filled.grows);
    /* Deleting and reinserting the same keys reuses their slots. */
    for (int round = 0; round < 1000; round++)
        for (uint64_t k = 300000; k < 300050; k++) {
            assert_int_equal(refmap_del(m, &k), 1);
            assert_non_null(refmap_put(m, &k, &k));
        }
    refmap_stats(m, &st);
    assert_int_equal(st.capacity, filled.capacity);
    refmap_free(m);
}

/* Churn in a table filled to its limit, where deletes leave tombstones: the
 * table may grow once to make room, and then must stay put. */
static void test_churn_at_full_load(void **state) {
    (void)state;
    enum { WINDOW = 1792 }; /* the limit of a 2048-slot table */
    refmap *m = filled_map(WINDOW, WINDOW);
    struct refmap_stats st, half;
    refmap_stats(m, &st);
    assert_int_equal(st.capacity, 2048);
    slide_window(m, 0, WINDOW, 100000);
    refmap_stats(m, &half);
    assert_true(half.grows <= 1);
    slide_window(m, 100000, WINDOW, 200000);
    refmap_stats(m, &st);
    assert_int_equal(st.grows, half.grows);
    assert_int_equal(st.capacity, half.capacity);
    refmap_free(m);
}

/* Deleting most of a full table leaves tombstones; a rebuild at the same
 * size drops them and keeps every live entry. */
static void test_tombstones_reclaimed(void **state) {
    (void)state;
    enum { LIMIT = 1792 };
    refmap *m = filled_map(LIMIT, LIMIT);
    for (uint64_t k = 0; k < LIMIT; k++)
        if (k % 8)
            refmap_del(m, &k);
    struct refmap_stats st;
    refmap_stats(m, &st);
    assert_true(st.tombstones > 0);
    size_t tombstones = st.tombstones;
    /* Room for everything the tombstones took forces a same-size rebuild. */
    assert_int_equal(refmap_reserve(m, LIMIT - tombstones + 1), 0);
    refmap_stats(m, &st);
    assert_int_equal(st.capacity, 2048);
    assert_int_equal(st.grows, 0);
    assert_int_equal(st.rehashes, 1);
    assert_int_equal(st.tombstones, 0);
    assert_every_nth_kept(m, LIMIT, 8, 1);
    refmap_free(m);
}

/* put's key and value may point into the map itself, even when the insert
 * rebuilds the table (ASan reports a use after free otherwise). */
static void test_put_from_own_storage(void **state) {
    (void)state;
    refmap *m = refmap_new(sizeof(uint64_t), sizeof(uint64_t), 0);
    for (uint64_t k = 0; k < 8; k++) {
        uint64_t v = 100 + k;
        refmap_put(m, &k, &v);
    }
    struct refmap_stats st;
    refmap_stats(m, &st);
    assert_int_equal(st.grows, 0);
    uint64_t fresh = 8, three = 3;
    uint64_t *value_of_three = refmap_get(m, &three);
    assert_non_null(refmap_put(m, &fresh, value_of_three)); /* the 9th entry grows */
    refmap_stats(m, &st);
    assert_int_equal(st.grows, 1);
    assert_int_equal(*(uint64_t *)refmap_get(m, &fresh), 103);
    /* Updating a value from its own slot is a no-op, not an overlapping copy. */
    uint64_t *self = refmap_get(m, &three);
    refmap_put(m, &three, self);
    assert_int_equal(*(uint64_t *)refmap_get(m, &three), 103);
    refmap_free(m);
}

static void test_stats(void **state) {
    (void)state;
    refmap *m = refmap_new(sizeof(uint64_t), sizeof(uint64_t), 100);
    struct refmap_stats st;
    refmap_stats(m, &st);
    assert_true(st.capacity >= 100);
    assert_true(st.bytes >= st.capacity * 16);
    for (uint64_t k = 0; k < 100; k++)
        refmap_put(m, &k, &k);
    for (uint64_t k = 0; k < 100; k += 2)
        refmap_del(m, &k);
    refmap_stats(m, &st);
    assert_int_equal(st.entries, 50);
    assert_int_equal(st.entries, refmap_len(m));
    assert_int_equal(st.grows, 0);
    assert_int_equal(st.retired_tables, 0);
    refmap_free(m);
}

static void test_hash_bytes(void **state) {
    (void)state;
    unsigned char buf[64] = {0};
    for (size_t n = 0; n <= sizeof buf; n++) {
        uint64_t h = refmap_hash_bytes(buf, n, 1);
        assert_int_equal(h, refmap_hash_bytes(buf, n, 1));
        assert_int_not_equal(h, refmap_hash_bytes(buf, n, 2));
        if (n < sizeof buf) /* length matters even when the bytes are zero */
            assert_int_not_equal(h, refmap_hash_bytes(buf, n + 1, 1));
        /* Every byte of the input matters. */
        for (size_t i = 0; i < n; i++) {
            buf[i] = 1;
            assert_int_not_equal(h, refmap_hash_bytes(buf, n, 1));
            buf[i] = 0;
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_map),
        cmocka_unit_test(test_put_get_update),
        cmocka_unit_test(test_put_without_value),
        cmocka_unit_test(test_delete),
        cmocka_unit_test(test_clear_keeps_capacity),
        cmocka_unit_test(test_reserve),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_key_and_value_sizes),
        cmocka_unit_test(test_large_keys_differing_in_one_byte),
        cmocka_unit_test(test_string_keys),
        cmocka_unit_test(test_colliding_user_hash),
        cmocka_unit_test(test_churn_keeps_capacity),
        cmocka_unit_test(test_churn_at_full_load),
        cmocka_unit_test(test_tombstones_reclaimed),
        cmocka_unit_test(test_put_from_own_storage),
        cmocka_unit_test(test_stats),
        cmocka_unit_test(test_hash_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
