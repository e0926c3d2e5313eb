/* The runtime half of the rule evidence programs kept under fixtures/: each
 * program is run as a child process and must show its hazard. argv[1] names
 * the rule (ms101, ms201, ms202 or ms301); each is its own ctest test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "child_process.h"

/* MS101: with REFMAP_DEBUG=iter the insert during iteration aborts. */
static void test_ms101_debug_switch_aborts(void **state) {
    (void)state;
    const char *argv[] = {EVIDENCE_MS101, NULL};
    struct child_result r;
    child_run(argv, "iter", &r);
    assert_child_aborted_with(&r, "refmap: map modified during iteration");
    child_result_free(&r);
}

/* MS101 without the switch: the loop visits each original entry once and
 * inserts one new key per visit, and whether it also visits the keys it
 * inserted varies between rounds, so the number of visits varies. */
static void test_ms101_visits_vary(void **state) {
    (void)state;
    enum { ROUNDS = 40 };
    const char *argv[] = {EVIDENCE_MS101, "40", NULL};
    struct child_result r;
    child_run(argv, NULL, &r);
    assert_child_succeeded(&r);
    int seen[ROUNDS + 1] = {0}, distinct = 0, rounds = 0;
    const char *line = r.out;
    while (line && *line) {
        int round, accounts, visits;
        size_t after;
        assert_int_equal(sscanf(line, "round %d: %d accounts, loop ran %d times, %zu entries after",
                                &round, &accounts, &visits, &after),
                         4);
        assert_int_equal(accounts, 30);
        /* Every account is visited, and every visit adds one distinct key. */
        assert_true(visits >= accounts);
        assert_int_equal(after, (size_t)(accounts + visits));
        int known = 0;
        for (int i = 0; i < distinct; i++)
            known |= seen[i] == visits;
        if (!known)
            seen[distinct++] = visits;
        rounds++;
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    assert_int_equal(rounds, ROUNDS);
    if (distinct < 2)
        fail_msg("the loop ran %d times in every one of %d rounds", seen[0], ROUNDS);
    child_result_free(&r);
}

static void test_ms201_concurrent_writes_abort(void **state) {
    (void)state;
    const char *argv[] = {EVIDENCE_MS201, NULL};
    struct child_result r;
    child_run(argv, NULL, &r);
    assert_child_aborted_with(&r, "refmap: concurrent map writes");
    child_result_free(&r);
}

static void test_ms202_writes_under_read_lock_abort(void **state) {
    (void)state;
    const char *argv[] = {EVIDENCE_MS202, NULL};
    struct child_result r;
    child_run(argv, NULL, &r);
    assert_child_aborted_with(&r, "refmap: concurrent map writes");
    child_result_free(&r);
}

/* MS301: 1000 keys without a hint grow the map ceil(log2(1000/8)) = 7
 * times, or one more (see test_growth.c); with the hint, never. */
static void test_ms301_grows_without_hint(void **state) {
    (void)state;
    const char *argv[] = {EVIDENCE_MS301, NULL};
    struct child_result r;
    child_run(argv, NULL, &r);
    assert_child_succeeded(&r);
    size_t entries, grows, hinted_entries, hinted_grows;
    assert_int_equal(sscanf(r.out,
                            "without hint: %zu entries, %zu grows\nwith hint: %zu entries, "
                            "%zu grows",
                            &entries, &grows, &hinted_entries, &hinted_grows),
                     4);
    assert_int_equal(entries, 1000);
    assert_true(grows > 0);
    assert_true(grows == 7 || grows == 8);
    assert_int_equal(hinted_entries, 1000);
    assert_int_equal(hinted_grows, 0);
    child_result_free(&r);
}

int main(int argc, char **argv) {
    const char *rule = argc > 1 ? argv[1] : "";
    const struct CMUnitTest ms101[] = {
        cmocka_unit_test(test_ms101_debug_switch_aborts),
        cmocka_unit_test(test_ms101_visits_vary),
    };
    const struct CMUnitTest ms201[] = {cmocka_unit_test(test_ms201_concurrent_writes_abort)};
    const struct CMUnitTest ms202[] = {cmocka_unit_test(test_ms202_writes_under_read_lock_abort)};
    const struct CMUnitTest ms301[] = {cmocka_unit_test(test_ms301_grows_without_hint)};
    if (strcmp(rule, "ms101") == 0)
        return cmocka_run_group_tests_name("ms101", ms101, NULL, NULL);
    if (strcmp(rule, "ms201") == 0)
        return cmocka_run_group_tests_name("ms201", ms201, NULL, NULL);
    if (strcmp(rule, "ms202") == 0)
        return cmocka_run_group_tests_name("ms202", ms202, NULL, NULL);
    if (strcmp(rule, "ms301") == 0)
        return cmocka_run_group_tests_name("ms301", ms301, NULL, NULL);
    fprintf(stderr, "usage: %s ms101|ms201|ms202|ms301\n", argv[0]);
    return 2;
}
