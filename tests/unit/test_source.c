/* Source files: line table, SARIF regions in UTF-16 columns, encoding checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "source.h"

#include <string.h>

static void regions_are_one_based_and_end_exclusive(void **state) {
    (void)state;
    ms_source s;
    const char *text = "ab\ncdef\n\nx";
    ms_source_from_buffer(&s, "t.go", MS_LANG_GO, text, strlen(text));
    assert_int_equal(s.nlines, 4);
    ms_region r = ms_source_region(&s, 4, 7); /* "def" */
    assert_int_equal(r.start_line, 2);
    assert_int_equal(r.start_col, 2);
    assert_int_equal(r.end_line, 2);
    assert_int_equal(r.end_col, 5);
    r = ms_source_region(&s, 0, (uint32_t)strlen(text)); /* everything */
    assert_int_equal(r.start_line, 1);
    assert_int_equal(r.start_col, 1);
    assert_int_equal(r.end_line, 4);
    assert_int_equal(r.end_col, 2);
    r = ms_source_region(&s, 1000, 2000); /* clamped to the end */
    assert_int_equal(r.start_line, 4);
    ms_source_free(&s);
}

static void columns_count_utf16_units(void **state) {
    (void)state;
    ms_source s;
    /* é is 2 bytes / 1 unit; 😀 is 4 bytes / 2 units; \xff is invalid: 1 unit */
    const char *text = "\xc3\xa9\xf0\x9f\x98\x80\xffX";
    ms_source_from_buffer(&s, "t.go", MS_LANG_GO, text, strlen(text));
    ms_region r = ms_source_region(&s, 7, 8); /* X */
    assert_int_equal(r.start_col, 5);
    assert_int_equal(r.end_col, 6);
    assert_int_equal(s.first_invalid_utf8, 6);
    ms_source_free(&s);
}

static void detects_binary_and_invalid_utf8(void **state) {
    (void)state;
    ms_source s;
    ms_source_from_buffer(&s, "b.go", MS_LANG_GO, "ab\0cd", 5);
    assert_true(s.binary);
    ms_source_free(&s);
    const char *overlong = "ok \xc0\xaf"; /* overlong encoding of '/' */
    ms_source_from_buffer(&s, "o.go", MS_LANG_GO, overlong, strlen(overlong));
    assert_false(s.binary);
    assert_int_equal(s.first_invalid_utf8, 3);
    ms_source_free(&s);
    const char *surrogate = "\xed\xa0\x80";
    ms_source_from_buffer(&s, "s.go", MS_LANG_GO, surrogate, strlen(surrogate));
    assert_int_equal(s.first_invalid_utf8, 0);
    ms_source_free(&s);
    const char *fine = "plain \xe2\x82\xac";
    ms_source_from_buffer(&s, "f.go", MS_LANG_GO, fine, strlen(fine));
    assert_int_equal(s.first_invalid_utf8, -1);
    ms_source_free(&s);
}

static void line_text_without_newline(void **state) {
    (void)state;
    ms_source s;
    const char *text = "one\r\ntwo\n";
    ms_source_from_buffer(&s, "t.c", MS_LANG_C, text, strlen(text));
    uint32_t len;
    const char *line = ms_source_line_text(&s, 1, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(line, "one", 3);
    line = ms_source_line_text(&s, 2, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(line, "two", 3);
    ms_source_line_text(&s, 99, &len);
    assert_int_equal(len, 0);
    ms_source_free(&s);
}

static void languages_by_extension(void **state) {
    (void)state;
    ms_lang lang;
    assert_true(ms_lang_for_path("a/b.go", &lang));
    assert_int_equal(lang, MS_LANG_GO);
    assert_true(ms_lang_for_path("x.hpp", &lang));
    assert_int_equal(lang, MS_LANG_CXX);
    assert_true(ms_lang_for_path("x.h", &lang));
    assert_int_equal(lang, MS_LANG_C);
    assert_false(ms_lang_for_path("x.txt", &lang));
    assert_false(ms_lang_for_path("dir.go/README", &lang));
    assert_false(ms_lang_for_path("Makefile", &lang));
}

static void headers_by_extension(void **state) {
    (void)state;
    assert_true(ms_path_is_header("include/x.h"));
    assert_true(ms_path_is_header("x.hh"));
    assert_true(ms_path_is_header("x.hpp"));
    assert_true(ms_path_is_header("x.hxx"));
    assert_false(ms_path_is_header("x.c"));
    assert_false(ms_path_is_header("x.cpp"));
    assert_false(ms_path_is_header("x.go"));
    assert_false(ms_path_is_header("x.hpp.orig"));
    assert_false(ms_path_is_header("dir.h/file"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(regions_are_one_based_and_end_exclusive),
        cmocka_unit_test(columns_count_utf16_units),
        cmocka_unit_test(detects_binary_and_invalid_utf8),
        cmocka_unit_test(line_text_without_newline),
        cmocka_unit_test(languages_by_extension),
        cmocka_unit_test(headers_by_extension),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
