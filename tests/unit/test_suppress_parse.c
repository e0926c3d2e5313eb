/* Parsing suppression comments: every form of interface.md and the
 * compatibility forms, with their reasons and their problems (MS002). */
#include "rule.h"
#include "suppress.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

static uint32_t bit(const ms_rule *r) {
    return 1u << ms_rule_index(r);
}

/* Parses a Go line comment body (the text after the slashes). */
static ms_sup_directive parse(const char *body) {
    ms_sup_directive d;
    ms_sup_parse(body, strlen(body), false, MS_LANG_GO, &d);
    return d;
}

static ms_sup_directive parse_block(const char *body) {
    ms_sup_directive d;
    ms_sup_parse(body, strlen(body), true, MS_LANG_GO, &d);
    return d;
}

static ms_sup_directive parse_c(const char *body, bool block) {
    ms_sup_directive d;
    ms_sup_parse(body, strlen(body), block, MS_LANG_C, &d);
    return d;
}

static void expect(ms_sup_directive d, ms_sup_place place, uint32_t rules, const char *why,
                   const char *problem_part) {
    assert_int_equal(d.place, place);
    assert_int_equal(d.rules, rules);
    if (why)
        assert_string_equal(d.justification, why);
    else
        assert_null(d.justification);
    if (problem_part) {
        assert_non_null(d.problem);
        assert_non_null(strstr(d.problem, problem_part));
    } else {
        assert_null(d.problem);
    }
    ms_sup_directive_clear(&d);
}

static void mapsafe_forms(void **state) {
    (void)state;
    uint32_t ms101 = bit(&ms_rule_ms101), ms202 = bit(&ms_rule_ms202);
    expect(parse("mapsafe:ignore MS101 keys are re-validated"), MS_SUP_STATEMENT, ms101,
           "keys are re-validated", NULL);
    expect(parse(" mapsafe:ignore MS101 reason"), MS_SUP_STATEMENT, ms101, "reason", NULL);
    expect(parse("mapsafe:ignore MS101,MS202 both"), MS_SUP_STATEMENT, ms101 | ms202, "both", NULL);
    expect(parse("mapsafe:ignore MS101, MS202 both"), MS_SUP_STATEMENT, ms101 | ms202, "both",
           NULL);
    expect(parse("mapsafe:ignore MS101 MS202 both"), MS_SUP_STATEMENT, ms101 | ms202, "both", NULL);
    expect(parse("mapsafe:ignore ms101 lower case"), MS_SUP_STATEMENT, ms101, "lower case", NULL);
    expect(parse("mapsafe:ignore map-mutated-during-iteration by name"), MS_SUP_STATEMENT, ms101,
           "by name", NULL);
    expect(parse("mapsafe:ignore MS101: after a colon"), MS_SUP_STATEMENT, ms101, "after a colon",
           NULL);
    expect(parse("mapsafe:ignore MS101 -- after  dashes\t"), MS_SUP_STATEMENT, ms101,
           "after dashes", NULL);
    expect(parse("mapsafe:file-ignore MS301 generated"), MS_SUP_FILE, bit(&ms_rule_ms301),
           "generated", NULL);
    expect(parse("mapsafe:file-ignore MS001,MS002 old comments"), MS_SUP_FILE,
           bit(&ms_rule_ms001) | bit(&ms_rule_ms002), "old comments", NULL);
}

static void mapsafe_problems(void **state) {
    (void)state;
    uint32_t ms101 = bit(&ms_rule_ms101);
    /* No reason: the rule still applies. */
    expect(parse("mapsafe:ignore MS101"), MS_SUP_STATEMENT, ms101, NULL, "no reason");
    expect(parse("mapsafe:ignore MS101 --"), MS_SUP_STATEMENT, ms101, NULL, "no reason");
    /* Unknown ids apply to nothing. */
    expect(parse("mapsafe:ignore MS999 legacy"), MS_SUP_STATEMENT, 0, "legacy", "'MS999'");
    expect(parse("mapsafe:ignore MS101,MS9 legacy"), MS_SUP_STATEMENT, ms101, "legacy", "'MS9'");
    expect(parse("mapsafe:ignore because it is fine"), MS_SUP_STATEMENT, 0, "it is fine",
           "'because'");
    expect(parse("mapsafe:ignore"), MS_SUP_STATEMENT, 0, NULL, "names no rule");
    /* Hygiene rules only file-wide. */
    expect(parse("mapsafe:ignore MS001 stale on purpose"), MS_SUP_STATEMENT, 0, "stale on purpose",
           "whole file");
    expect(parse("mapsafe:ingore MS101 typo"), MS_SUP_STATEMENT, 0, NULL, "unknown directive");
    /* Prose is no directive. */
    expect(parse("mapsafe: this only reads the map"), MS_SUP_NONE, 0, NULL, NULL);
    expect(parse("see mapsafe:ignore in the README"), MS_SUP_NONE, 0, NULL, NULL);
}

static void golangci_forms(void **state) {
    (void)state;
    uint32_t all = ms_sup_analysis_rules();
    ms_sup_directive d = parse("nolint");
    assert_true(d.blanket && d.golangci);
    expect(d, MS_SUP_STATEMENT, all, NULL, NULL);
    d = parse("nolint:mapsafe");
    assert_true(d.all_rules && !d.blanket);
    expect(d, MS_SUP_STATEMENT, all, NULL, NULL);
    d = parse("nolint:errcheck,mapsafe // explained");
    assert_true(d.all_rules);
    expect(d, MS_SUP_STATEMENT, all, "explained", NULL);
    d = parse("nolint:all");
    assert_true(d.blanket);
    expect(d, MS_SUP_STATEMENT, all, NULL, NULL);
    expect(parse("nolint:errcheck // not ours"), MS_SUP_NONE, 0, NULL, NULL);
    expect(parse("nolintlint wants explanations"), MS_SUP_NONE, 0, NULL, NULL);
    /* Go directives only: no space after the slashes, and not in C. */
    expect(parse(" nolint:mapsafe"), MS_SUP_NONE, 0, NULL, NULL);
    expect(parse_c("nolint:mapsafe", false), MS_SUP_NONE, 0, NULL, NULL);
    expect(parse_c(" nolint:mapsafe, NOLINT(mapsafe-*): every analysis rule ", true), MS_SUP_NONE,
           0, NULL, NULL);
    expect(parse_c("lint:ignore MS101 reason", false), MS_SUP_NONE, 0, NULL, NULL);
}

static void staticcheck_forms(void **state) {
    (void)state;
    uint32_t ms101 = bit(&ms_rule_ms101);
    expect(parse("lint:ignore MS101 reason"), MS_SUP_STATEMENT, ms101, "reason", NULL);
    expect(parse("lint:ignore SA4006,MS101 reason"), MS_SUP_STATEMENT, ms101, "reason", NULL);
    expect(parse("lint:file-ignore MS101 reason"), MS_SUP_FILE, ms101, "reason", NULL);
    expect(parse("lint:ignore SA4006 not ours"), MS_SUP_NONE, 0, NULL, NULL);
    expect(parse("lint:ignore MS101"), MS_SUP_STATEMENT, ms101, NULL, "no reason");
    expect(parse("lint:ignore MS777 reason"), MS_SUP_STATEMENT, 0, "reason", "'MS777'");
}

static void clang_tidy_forms(void **state) {
    (void)state;
    uint32_t ms101 = bit(&ms_rule_ms101), all = ms_sup_analysis_rules();
    expect(parse(" NOLINT(mapsafe-MS101)"), MS_SUP_SAME_LINE, ms101, NULL, NULL);
    expect(parse(" NOLINT(mapsafe-ms101): reason"), MS_SUP_SAME_LINE, ms101, "reason", NULL);
    expect(parse(" NOLINTNEXTLINE(bugprone-x, mapsafe-MS101) why"), MS_SUP_NEXT_LINE, ms101, "why",
           NULL);
    ms_sup_directive d = parse(" NOLINT");
    assert_true(d.blanket);
    expect(d, MS_SUP_SAME_LINE, all, NULL, NULL);
    d = parse(" NOLINT(*)");
    assert_true(d.blanket);
    expect(d, MS_SUP_SAME_LINE, all, NULL, NULL);
    d = parse(" NOLINT(mapsafe-*)");
    assert_true(d.all_rules && !d.blanket);
    expect(d, MS_SUP_SAME_LINE, all, NULL, NULL);
    expect(parse(" NOLINT(mapsafe-MS1*)"), MS_SUP_SAME_LINE, ms101, NULL, NULL);
    expect(parse(" NOLINT(bugprone-*)"), MS_SUP_NONE, 0, NULL, NULL);
    expect(parse(" NOLINT(mapsafe-MS999)"), MS_SUP_SAME_LINE, 0, NULL, "mapsafe-ms999");
    expect(parse(" NOLINT(mapsafe-MS001)"), MS_SUP_SAME_LINE, 0, NULL, "whole file");
    expect(parse(" NOLINTBEGIN(mapsafe-MS101)"), MS_SUP_NONE, 0, NULL, NULL);
    expect(parse(" NOLINT(mapsafe-MS101"), MS_SUP_NONE, 0, NULL, NULL);
}

static void block_comments(void **state) {
    (void)state;
    uint32_t ms101 = bit(&ms_rule_ms101);
    expect(parse_block(" mapsafe:ignore MS101 one line "), MS_SUP_STATEMENT, ms101, "one line",
           NULL);
    expect(parse_block("\n * mapsafe:ignore MS101 first,\n * and second\n "), MS_SUP_STATEMENT,
           ms101, "first, and second", NULL);
    expect(parse_block("* mapsafe:ignore MS101 doc comment "), MS_SUP_STATEMENT, ms101,
           "doc comment", NULL);
    /* A C line comment continued by a splice. */
    expect(parse(" mapsafe:ignore MS101 split \\\n   over lines"), MS_SUP_STATEMENT, ms101,
           "split over lines", NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mapsafe_forms),    cmocka_unit_test(mapsafe_problems),
        cmocka_unit_test(golangci_forms),   cmocka_unit_test(staticcheck_forms),
        cmocka_unit_test(clang_tidy_forms), cmocka_unit_test(block_comments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
