/* Unit tests of the C/C++ frontend's text helpers (analyzer/c/c_text.c):
 * lambda capture lists read from source text, including the shapes where
 * '<' is a comparison rather than a template bracket, and lists that never
 * close (which must leave nothing allocated: the ASan build checks). */
#include "c/c_internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

typedef struct text_case {
    ms_arena arena;
    ms_interner names;
    c_tu tu;
} text_case;

static int setup(void **state) {
    text_case *c = test_calloc(1, sizeof(*c));
    ms_arena_init(&c->arena);
    ms_intern_init(&c->names, &c->arena);
    c->tu.arena = &c->arena;
    c->tu.names = &c->names;
    *state = c;
    return 0;
}

static int teardown(void **state) {
    text_case *c = *state;
    ms_intern_free(&c->names);
    ms_arena_free(&c->arena);
    test_free(c);
    return 0;
}

static bool parse(text_case *c, const char *text, c_capture_list *out) {
    return c_parse_captures(&c->tu, text, (uint32_t)strlen(text), out);
}

static bool has(const c_capture_list *l, bool by_ref, const char *name) {
    size_t n = by_ref ? l->by_ref.len : l->by_copy.len;
    for (size_t i = 0; i < n; i++)
        if (strcmp(by_ref ? l->by_ref.items[i] : l->by_copy.items[i], name) == 0)
            return true;
    return false;
}

static void plain_lists(void **state) {
    text_case *c = *state;
    c_capture_list l;
    assert_true(parse(c, "[&, x, this](int k) { return k; }", &l));
    assert_int_equal(l.dflt, C_CAPTURE_REF);
    assert_true(l.this_by_ref);
    assert_true(has(&l, false, "x"));
    c_capture_list_free(&l);
    assert_true(parse(c, "[=, &m, *this] {}", &l));
    assert_int_equal(l.dflt, C_CAPTURE_COPY);
    assert_true(l.this_by_copy);
    assert_true(has(&l, true, "m"));
    c_capture_list_free(&l);
}

/* `small = a < b` leaves a '<' open; the names after it are still read. */
static void comparison_in_an_init_capture(void **state) {
    text_case *c = *state;
    c_capture_list l;
    assert_true(parse(c, "[small = a < b, &m, n](int x) { if (small) m[x] = n; }", &l));
    assert_true(has(&l, false, "small"));
    assert_true(has(&l, true, "m"));
    assert_true(has(&l, false, "n"));
    assert_int_equal(l.by_copy.len, 2);
    c_capture_list_free(&l);
}

static void brackets_in_init_captures(void **state) {
    text_case *c = *state;
    c_capture_list l;
    assert_true(parse(c,
                      "[d = std::map<int, int>{{1, 2}}, keep = (a > b), first = v[0], "
                      "p = q->next, &index] {}",
                      &l));
    assert_true(has(&l, false, "d"));
    assert_true(has(&l, false, "keep"));
    assert_true(has(&l, false, "first"));
    assert_true(has(&l, false, "p"));
    assert_true(has(&l, true, "index"));
    assert_int_equal(l.by_copy.len, 4);
    assert_int_equal(l.by_ref.len, 1);
    c_capture_list_free(&l);
}

/* Names read before the text runs out are released: false leaves nothing. */
static void unterminated_lists_leave_nothing(void **state) {
    text_case *c = *state;
    c_capture_list l;
    assert_false(parse(c, "[a, &b, c", &l));
    assert_int_equal(l.by_copy.len, 0);
    assert_int_equal(l.by_ref.len, 0);
    assert_null(l.by_copy.items);
    assert_null(l.by_ref.items);
    assert_false(parse(c, "[a, b = f(x]", &l));
    assert_null(l.by_copy.items);
    assert_false(parse(c, "EACH(x)", &l));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(plain_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(comparison_in_an_init_capture, setup, teardown),
        cmocka_unit_test_setup_teardown(brackets_in_init_captures, setup, teardown),
        cmocka_unit_test_setup_teardown(unterminated_lists_leave_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
