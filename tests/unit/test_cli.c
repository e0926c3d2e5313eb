/* Command-line parsing and display paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "options.h"
#include "rule.h"
#include "walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ms_parse_result parse(ms_options *o, char **argv, int argc) {
    FILE *sink = fopen("/dev/null", "w");
    ms_parse_result r = ms_options_parse(o, argc, argv, sink, sink);
    fclose(sink);
    return r;
}

static void option_spellings(void **state) {
    (void)state;
    ms_options o;
    char *argv[] = {"mapsafe",   "--format=sarif", "-o",        "out.sarif",   "-j4",
                    "--fail-on", "error",          "--disable", "MS301,MS001", "--model",
                    "a.json",    "--model=b.json", "src",       "--",          "-weird-dir"};
    assert_int_equal(parse(&o, argv, 15), MS_PARSE_RUN);
    assert_int_equal(o.format, MS_FORMAT_SARIF);
    assert_string_equal(o.output, "out.sarif");
    assert_int_equal(o.jobs, 4);
    assert_int_equal(o.fail_on, MS_LEVEL_ERROR);
    assert_false(o.rule_enabled[ms_rule_index(ms_rule_find("MS301"))]);
    assert_false(o.rule_enabled[ms_rule_index(ms_rule_find("MS001"))]);
    assert_true(o.rule_enabled[ms_rule_index(ms_rule_find("MS101"))]);
    assert_int_equal(o.models.len, 2);
    assert_int_equal(o.paths.len, 2);
    assert_string_equal(o.paths.items[1], "-weird-dir");
    ms_options_free(&o);

    char *enable[] = {"mapsafe", "--enable", "MS101"};
    assert_int_equal(parse(&o, enable, 3), MS_PARSE_RUN);
    for (size_t i = 0; i < ms_rules_count; i++)
        assert_int_equal(o.rule_enabled[i], strcmp(ms_rules[i]->id, "MS101") == 0);
    assert_string_equal(o.paths.items[0], ".");
    ms_options_free(&o);
}

static void enable_and_disable_in_any_order(void **state) {
    (void)state;
    ms_options o;
    char *a[] = {"mapsafe", "--disable", "MS101", "--enable", "MS101,MS301"};
    assert_int_equal(parse(&o, a, 5), MS_PARSE_RUN);
    assert_false(o.rule_enabled[ms_rule_index(ms_rule_find("MS101"))]);
    assert_true(o.rule_enabled[ms_rule_index(ms_rule_find("MS301"))]);
    assert_false(o.rule_enabled[ms_rule_index(ms_rule_find("MS201"))]);
    ms_options_free(&o);
    char *b[] = {"mapsafe", "--enable", "MS301", "--enable", "MS101"};
    assert_int_equal(parse(&o, b, 5), MS_PARSE_RUN);
    assert_true(o.rule_enabled[ms_rule_index(ms_rule_find("MS101"))]);
    assert_true(o.rule_enabled[ms_rule_index(ms_rule_find("MS301"))]);
    assert_false(o.rule_enabled[ms_rule_index(ms_rule_find("MS201"))]);
    ms_options_free(&o);
}

static void usage_errors(void **state) {
    (void)state;
    ms_options o;
    char *missing[] = {"mapsafe", "-o"};
    assert_int_equal(parse(&o, missing, 2), MS_PARSE_USAGE);
    ms_options_free(&o);
    char *bad_level[] = {"mapsafe", "--fail-on", "fatal"};
    assert_int_equal(parse(&o, bad_level, 3), MS_PARSE_USAGE);
    ms_options_free(&o);
    char *bad_jobs[] = {"mapsafe", "-j", "x"};
    assert_int_equal(parse(&o, bad_jobs, 3), MS_PARSE_USAGE);
    ms_options_free(&o);
    char *help[] = {"mapsafe", "src", "--help"};
    assert_int_equal(parse(&o, help, 3), MS_PARSE_DONE);
    ms_options_free(&o);
}

static void display_paths(void **state) {
    (void)state;
    char *p = ms_display_path("./a//b/./c.go", "/home/u/proj");
    assert_string_equal(p, "a/b/c.go");
    free(p);
    p = ms_display_path("/home/u/proj/src/x.go", "/home/u/proj");
    assert_string_equal(p, "src/x.go");
    free(p);
    p = ms_display_path("/home/u/project2/x.go", "/home/u/proj");
    assert_string_equal(p, "/home/u/project2/x.go");
    free(p);
    p = ms_display_path("./", "/x");
    assert_string_equal(p, ".");
    free(p);
    assert_true(ms_walk_skips_dir("vendor"));
    assert_true(ms_walk_skips_dir(".git"));
    assert_true(ms_walk_skips_dir("_tmp"));
    assert_true(ms_walk_skips_dir("CMakeFiles"));
    assert_false(ms_walk_skips_dir("vendored"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(option_spellings),
        cmocka_unit_test(enable_and_disable_in_any_order),
        cmocka_unit_test(usage_errors),
        cmocka_unit_test(display_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
