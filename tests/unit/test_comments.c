/* The comment scanner: comments are found, literals are not mistaken for
 * comments, and comments are not mistaken for literals. */
#include "comments.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

typedef struct collected {
    const char *src;
    char out[1024];
} collected;

static void keep(const ms_comment *c, void *ctx) {
    collected *acc = ctx;
    size_t n = strlen(acc->out);
    snprintf(acc->out + n, sizeof(acc->out) - n, "%s[%.*s]", n ? "|" : "",
             (int)(c->body_end - c->body_start), acc->src + c->body_start);
}

/* The bodies of the comments of `src`, as "[body]|[body]". */
static const char *bodies(const char *src, ms_lang lang) {
    static collected acc;
    acc.src = src;
    acc.out[0] = '\0';
    ms_comments_scan(src, (uint32_t)strlen(src), lang, keep, &acc);
    return acc.out;
}

static void go_line_and_block(void **state) {
    (void)state;
    assert_string_equal(bodies("x := 1 // one\n/* two */ y := 2\n", MS_LANG_GO), "[ one]|[ two ]");
    assert_string_equal(bodies("/* multi\nline */\n", MS_LANG_GO), "[ multi\nline ]");
    assert_string_equal(bodies("/* unterminated\n", MS_LANG_GO), "[ unterminated\n]");
}

static void go_literals(void **state) {
    (void)state;
    assert_string_equal(bodies("s := \"// not\" // yes\n", MS_LANG_GO), "[ yes]");
    assert_string_equal(bodies("s := \"a\\\"// not\" // yes\n", MS_LANG_GO), "[ yes]");
    assert_string_equal(bodies("s := `raw\n// not\n` // yes\n", MS_LANG_GO), "[ yes]");
    assert_string_equal(bodies("r := '\"' // yes\n", MS_LANG_GO), "[ yes]");
    assert_string_equal(bodies("r := '\\'' // yes\n", MS_LANG_GO), "[ yes]");
    assert_string_equal(bodies("p := \"/*\" + \"*/\" // yes\n", MS_LANG_GO), "[ yes]");
    /* An unclosed string spoils its own line only. */
    assert_string_equal(bodies("s := \"open // not\n// next\n", MS_LANG_GO), "[ next]");
}

static void c_literals(void **state) {
    (void)state;
    assert_string_equal(bodies("f(\"// not\"); // yes\n", MS_LANG_C), "[ yes]");
    assert_string_equal(bodies("c = '\"'; // yes\n", MS_LANG_C), "[ yes]");
    assert_string_equal(bodies("c = '\\''; /* yes */\n", MS_LANG_C), "[ yes ]");
    assert_string_equal(bodies("c = L'/'; // yes\n", MS_LANG_CXX), "[ yes]");
    assert_string_equal(bodies("s = u8\"/*\"; // yes\n", MS_LANG_CXX), "[ yes]");
    /* #error text with an apostrophe spoils its line only. */
    assert_string_equal(bodies("#error don't\n// yes\n", MS_LANG_C), "[ yes]");
}

static void cxx_raw_strings(void **state) {
    (void)state;
    assert_string_equal(bodies("s = R\"(// not)\"; // yes\n", MS_LANG_CXX), "[ yes]");
    assert_string_equal(bodies("s = R\"x(a )\" // not\n)x\"; // yes\n", MS_LANG_CXX), "[ yes]");
    assert_string_equal(bodies("s = LR\"(/* not */)\"; // yes\n", MS_LANG_CXX), "[ yes]");
    assert_string_equal(bodies("s = u8R\"--(a)\" // not)--\"; // yes\n", MS_LANG_CXX), "[ yes]");
    /* An identifier ending in R is no raw string prefix. */
    assert_string_equal(bodies("s = BAR\"(\" // yes\n", MS_LANG_CXX), "[ yes]");
}

static void cxx_digit_separators(void **state) {
    (void)state;
    assert_string_equal(bodies("n = 1'000'000; // yes\n", MS_LANG_CXX), "[ yes]");
    assert_string_equal(bodies("n = 0x1'ff; // yes\n", MS_LANG_CXX), "[ yes]");
    assert_string_equal(bodies("d = 1.5'0; // yes\n", MS_LANG_CXX), "[ yes]");
    /* After an identifier, a quote starts a character literal. */
    assert_string_equal(bodies("c = x + 'a'; // yes\n", MS_LANG_CXX), "[ yes]");
}

static void c_line_splices(void **state) {
    (void)state;
    /* A line comment ending in a backslash continues on the next line. */
    assert_string_equal(bodies("// one \\\ntwo\nx; // three\n", MS_LANG_C),
                        "[ one \\\ntwo]|[ three]");
    /* A splice may even split the comment opener. */
    assert_string_equal(bodies("x; /\\\n/ yes\n", MS_LANG_C), "[ yes]");
    assert_string_equal(bodies("x; /\\\n* yes *\\\n/ y; // z\n", MS_LANG_C), "[ yes ]|[ z]");
    /* A string continued by a splice. */
    assert_string_equal(bodies("s = \"a\\\n// not\"; // yes\n", MS_LANG_C), "[ yes]");
    assert_string_equal(bodies("// crlf \\\r\nnext\r\nx;\n", MS_LANG_C), "[ crlf \\\r\nnext\r]");
}

static void keep_all(const ms_comment *c, void *ctx) {
    collected *acc = ctx;
    size_t n = strlen(acc->out);
    snprintf(acc->out + n, sizeof(acc->out) - n, "%s%c[%.*s]", n ? "|" : "", c->literal ? 'L' : 'C',
             (int)(c->end - c->start), acc->src + c->start);
}

/* ms_code_scan: comments (C) and literals (L), whole, in source order. */
static const char *spans(const char *src, ms_lang lang) {
    static collected acc;
    acc.src = src;
    acc.out[0] = '\0';
    ms_code_scan(src, (uint32_t)strlen(src), lang, keep_all, &acc);
    return acc.out;
}

static void literals_reported(void **state) {
    (void)state;
    assert_string_equal(spans("f(\"}\", '{', `x`) // c\n", MS_LANG_GO),
                        "L[\"}\"]|L['{']|L[`x`]|C[// c]");
    assert_string_equal(spans("s = R\"(})\"; c = '\\''; /* c */\n", MS_LANG_CXX),
                        "L[\"(})\"]|L['\\'']|C[/* c */]");
    /* The comment scan alone reports no literals. */
    assert_string_equal(bodies("f(\"}\") // c\n", MS_LANG_GO), "[ c]");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(go_line_and_block),    cmocka_unit_test(go_literals),
        cmocka_unit_test(c_literals),           cmocka_unit_test(cxx_raw_strings),
        cmocka_unit_test(cxx_digit_separators), cmocka_unit_test(c_line_splices),
        cmocka_unit_test(literals_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
