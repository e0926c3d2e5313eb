/* Hazard detection. Misuse scenarios run in a child process (see
 * hazard_scenarios.c) and must abort with refmap's exact message; correct
 * use, including the same operations with proper synchronisation, must not
 * trip the detection. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "child_process.h"
#include "refmap.h"

static void expect_abort(const char *program, const char *scenario, const char *debug_env,
                         const char *message) {
    const char *argv[] = {program, scenario, NULL};
    struct child_result r;
    child_run(argv, debug_env, &r);
    assert_child_aborted_with(&r, message);
    child_result_free(&r);
}

static void expect_success(const char *program, const char *scenario, const char *debug_env) {
    const char *argv[] = {program, scenario, NULL};
    struct child_result r;
    child_run(argv, debug_env, &r);
    assert_child_succeeded(&r);
    child_result_free(&r);
}

static void test_write_during_other_threads_iteration(void **state) {
    (void)state;
    expect_abort(HAZARD_SCENARIOS, "collide-iterate", NULL,
                 "refmap: concurrent map iteration and map write");
    expect_abort(HAZARD_SCENARIOS, "collide-start-iteration", NULL,
                 "refmap: concurrent map iteration and map write");
}

static void test_read_during_write(void **state) {
    (void)state;
    expect_abort(HAZARD_SCENARIOS, "collide-read", NULL,
                 "refmap: concurrent map read and map write");
}

static void test_concurrent_writes(void **state) {
    (void)state;
    expect_abort(HAZARD_SCENARIOS, "collide-write", NULL, "refmap: concurrent map writes");
}

static void test_debug_switch(void **state) {
    (void)state;
    const char *message = "refmap: map modified during iteration";
    /* Off by default: Go semantics, the insert is allowed. */
    expect_success(HAZARD_SCENARIOS, "insert-during-iteration", NULL);
    expect_success(HAZARD_SCENARIOS, "insert-during-iteration", "iterx");
    /* The environment switch, alone or in a list. */
    expect_abort(HAZARD_SCENARIOS, "insert-during-iteration", "iter", message);
    expect_abort(HAZARD_SCENARIOS, "insert-during-iteration", "other,iter", message);
    /* The option, and the compile-time switch. */
    expect_abort(HAZARD_SCENARIOS, "insert-during-iteration-option", NULL, message);
    expect_abort(HAZARD_SCENARIOS_DEBUG_BUILD, "insert-during-iteration", NULL, message);
}

/* With the debug switch on, what Go allows during iteration still works:
 * deletes, updates of existing keys, and inserts once the iteration is
 * finished, stopped or ended by refmap_clear. */
static void test_debug_switch_allows_the_rest(void **state) {
    (void)state;
    struct refmap_options opts = {.debug = REFMAP_DEBUG_ITER};
    refmap *m = refmap_new_with(sizeof(uint64_t), sizeof(uint64_t), 0, &opts);
    for (uint64_t k = 0; k < 100; k++)
        refmap_put(m, &k, &k);
    refmap_iter it;
    void *key;
    refmap_iter_init(&it, m);
    while (refmap_iter_next(&it, &key, NULL)) {
        uint64_t k = *(uint64_t *)key, v = k + 1;
        refmap_put(m, &k, &v);
        if (k % 2)
            refmap_del(m, &k);
    }
    uint64_t fresh = 1000;
    refmap_put(m, &fresh, &fresh);
    refmap_iter_init(&it, m);
    refmap_iter_next(&it, NULL, NULL);
    refmap_iter_stop(&it);
    fresh++;
    refmap_put(m, &fresh, &fresh);
    refmap_iter_init(&it, m);
    refmap_iter_next(&it, NULL, NULL);
    refmap_clear(m);
    fresh++;
    refmap_put(m, &fresh, &fresh);
    assert_int_equal(refmap_len(m), 1);
    refmap_free(m);
}

struct shared {
    refmap *map;
    pthread_mutex_t *lock;
    uint64_t first;
    size_t result;
};

static void *iterate_and_read(void *arg) {
    struct shared *s = arg;
    size_t sum = 0;
    for (int round = 0; round < 20; round++) {
        refmap_iter it;
        void *key, *val;
        refmap_iter_init(&it, s->map);
        while (refmap_iter_next(&it, &key, &val))
            sum += refmap_get(s->map, key) == val;
    }
    s->result = sum;
    return NULL;
}

/* Readers and iterations may run at once (ThreadSanitizer checks that the
 * iteration bookkeeping is race-free). */
static void test_concurrent_readers(void **state) {
    (void)state;
    refmap *m = refmap_new(sizeof(uint64_t), sizeof(uint64_t), 0);
    for (uint64_t k = 0; k < 2000; k++)
        refmap_put(m, &k, &k);
    struct shared s[4];
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) {
        s[i] = (struct shared){.map = m};
        pthread_create(&threads[i], NULL, iterate_and_read, &s[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(s[i].result, 20 * 2000);
    }
    refmap_free(m);
}

static void *locked_writes(void *arg) {
    struct shared *s = arg;
    for (uint64_t k = s->first; k < s->first + 20000; k++) {
        pthread_mutex_lock(s->lock);
        refmap_put(s->map, &k, &k);
        if (k % 3 == 0)
            refmap_del(s->map, &k);
        pthread_mutex_unlock(s->lock);
    }
    return NULL;
}

/* Writes from several threads under one mutex are not a hazard. */
static void test_locked_writers(void **state) {
    (void)state;
    refmap *m = refmap_new(sizeof(uint64_t), sizeof(uint64_t), 0);
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    struct shared s[2] = {{m, &lock, 0, 0}, {m, &lock, 1000000, 0}};
    pthread_t threads[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&threads[i], NULL, locked_writes, &s[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(threads[i], NULL);
    size_t expected = 0;
    for (int i = 0; i < 2; i++)
        for (uint64_t k = s[i].first; k < s[i].first + 20000; k++)
            expected += k % 3 != 0;
    assert_int_equal(refmap_len(m), expected);
    refmap_free(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_during_other_threads_iteration),
        cmocka_unit_test(test_read_during_write),
        cmocka_unit_test(test_concurrent_writes),
        cmocka_unit_test(test_debug_switch),
        cmocka_unit_test(test_debug_switch_allows_the_rest),
        cmocka_unit_test(test_concurrent_readers),
        cmocka_unit_test(test_locked_writers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
