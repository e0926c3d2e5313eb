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

/* Runs an evidence program and asserts it aborted with message. */
static void assert_evidence_aborts(const char *program, const char *debug_env,
                                   const char *message) {
    const char *argv[] = {program, NULL};
    struct child_result r;
    child_run(argv, debug_env, &r);
    assert_child_aborted_with(&r, message);
    child_result_free(&r);
}

static void test_ms201_concurrent_writes_abort(void **state) {
    (void)state;
    assert_evidence_aborts(EVIDENCE_MS201, NULL, "refmap: concurrent map writes");
}

static void test_ms202_writes_under_read_lock_abort(void **state) {
    (void)state;
    assert_evidence_aborts(EVIDENCE_MS202, NULL, "refmap: concurrent map writes");
}

/* MS101: with REFMAP_DEBUG=iter the insert during iteration aborts. */
static void test_ms101_debug_switch_aborts(void **state) {
    (void)state;
    assert_evidence_aborts(EVIDENCE_MS101, "iter", "refmap: map modified during iteration");
}

/* Adds value to the set seen[0..*count) unless it is there already. */
static void note_distinct(int *seen, int *count, int value) {
    for (int i = 0; i < *count; i++)
        if (seen[i] == value)
            return;
    seen[(*count)++] = value;
}

/* Parses the MS101 program's output, one line per round, checking each
 * round's invariants; stores each round's loop count in visits. Returns the
 * number of rounds. */
static int ms101_rounds(const char *out, int *visits, int max_rounds) {
    int rounds = 0;
    for (const char *line = out; *line && rounds < max_rounds; rounds++) {
        int round, accounts;
        size_t after;
        assert_int_equal(sscanf(line, "round %d: %d accounts, loop ran %d times, %zu entries after",
                                &round, &accounts, &visits[rounds], &after),
                         4);
        assert_int_equal(accounts, 30);
        /* Every account is visited, and every visit adds one distinct key. */
        assert_true(visits[rounds] >= accounts);
        assert_int_equal(after, (size_t)(accounts + visits[rounds]));
        const char *end = strchr(line, '\n');
        line = end ? end + 1 : line + strlen(line);
    }
    return rounds;
}

/* MS101 without the switch: the loop visits each original entry once and
 * inserts one new key per visit; whether it also visits the keys it
 * inserted changes from one run to the next, so the visit count varies. */
static void test_ms101_visits_vary_between_rounds(void **state) {
    (void)state;
    enum { ROUNDS = 40 };
    const char *argv[] = {EVIDENCE_MS101, "40", NULL};
    struct child_result r;
    child_run(argv, NULL, &r);
    assert_child_succeeded(&r);
    int visits[ROUNDS], seen[ROUNDS], distinct = 0;
    assert_int_equal(ms101_rounds(r.out, visits, ROUNDS), ROUNDS);
    for (int i = 0; i < ROUNDS; i++)
        note_distinct(seen, &distinct, visits[i]);
    if (distinct < 2)
        fail_msg("the loop ran %d times in every one of %d rounds", seen[0], ROUNDS);
    child_result_free(&r);
}

/* The same across separate runs of the program, one round each. */
static void test_ms101_visits_vary_between_runs(void **state) {
    (void)state;
    enum { RUNS = 12 };
    int seen[RUNS], distinct = 0;
    for (int run = 0; run < RUNS; run++) {
        const char *argv[] = {EVIDENCE_MS101, NULL};
        struct child_result r;
        child_run(argv, NULL, &r);
        assert_child_succeeded(&r);
        int visits;
        assert_int_equal(ms101_rounds(r.out, &visits, 1), 1);
        note_distinct(seen, &distinct, visits);
        child_result_free(&r);
    }
    if (distinct < 2)
        fail_msg("the loop ran %d times in every one of %d runs", seen[0], RUNS);
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
        cmocka_unit_test(test_ms101_visits_vary_between_rounds),
        cmocka_unit_test(test_ms101_visits_vary_between_runs),
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
