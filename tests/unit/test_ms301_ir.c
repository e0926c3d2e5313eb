/* MS301 on hand-built IR: the rule is language-neutral, so the C and C++
 * frontends get it by emitting MAP_MAKE with the right fix shape. These
 * tests build the IR a C++ frontend would build for a default-constructed
 * std::unordered_map filled in a range-for (a reserve statement after the
 * declaration), and the IR a C frontend would build for refmap_new(..., 0) (the
 * hint argument replaced), without any frontend. */
#include "rule.h"
#include "source.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

typedef struct ir_case {
    ms_arena arena;
    ms_source src;
    ms_source *files[1];
    ms_sym syms[4];
    ms_func funcs[2];
    ms_unit unit;
    ms_report report;
} ir_case;

static ms_span span_of(const ir_case *c, const char *needle) {
    const char *at = strstr(c->src.text, needle);
    assert_non_null(at);
    uint32_t start = (uint32_t)(at - c->src.text);
    return (ms_span){0, start, start + (uint32_t)strlen(needle)};
}

static ms_node *node(ir_case *c, ms_node_kind kind, ms_span span) {
    ms_node *n = MS_NEW(&c->arena, ms_node);
    n->kind = (uint8_t)kind;
    n->span = n->stmt = span;
    return n;
}

static ms_node *block(ir_case *c, ms_node **items, uint32_t len) {
    ms_node *b = node(c, MS_NODE_BLOCK, (ms_span){0});
    b->u.block.items = MS_NEW_ARRAY(&c->arena, ms_node *, len);
    memcpy(b->u.block.items, items, sizeof(ms_node *) * len);
    b->u.block.len = len;
    return b;
}

enum { SYM_M = 1, SYM_XS, SYM_X };

/* f(xs) { <make m>; for (x : xs) { m[x] = 1; } } over `text`; the make's
 * fix fields are left to the caller. */
static ms_node *build(ir_case *c, const char *text, ms_lang lang, const char *make_stmt,
                      const char *loop_text, const char *header, const char *insert) {
    memset(c, 0, sizeof(*c));
    ms_arena_init(&c->arena);
    ms_source_from_buffer(&c->src, lang == MS_LANG_C ? "a.c" : "a.cc", lang, text, strlen(text));
    c->files[0] = &c->src;
    c->syms[SYM_M] = (ms_sym){.name = "m",
                              .kind = MS_SYM_LOCAL,
                              .func = 1,
                              .type_class = MS_TC_MAP,
                              .decl = span_of(c, make_stmt)};
    c->syms[SYM_XS] =
        (ms_sym){.name = "xs", .kind = MS_SYM_PARAM, .func = 1, .decl = span_of(c, "xs")};
    c->syms[SYM_X] =
        (ms_sym){.name = "x", .kind = MS_SYM_LOCAL, .func = 1, .decl = span_of(c, header)};

    ms_node *make = node(c, MS_NODE_MAP_MAKE, span_of(c, make_stmt));
    make->u.make.dest.root = SYM_M;

    ms_node *insert_op = node(c, MS_NODE_MAP_OP, span_of(c, insert));
    insert_op->u.map_op.op = MS_OP_INSERT;
    insert_op->u.map_op.map.root = SYM_M;
    insert_op->u.map_op.key_kind = MS_KEY_SYM;
    insert_op->u.map_op.key_sym = SYM_X;

    ms_node *loop = node(c, MS_NODE_LOOP, span_of(c, loop_text));
    loop->u.loop.loop_kind = MS_LOOP_RANGE;
    loop->u.loop.range_kind = MS_RANGE_SLICE;
    loop->u.loop.val_sym = SYM_X;
    loop->u.loop.header = span_of(c, header);
    loop->u.loop.body = block(c, &insert_op, 1);
    loop->u.loop.trip = MS_TRIP_EXPR;
    loop->u.loop.trip_syms[0] = SYM_XS;

    ms_node *items[] = {make, loop};
    c->funcs[1] = (ms_func){.name = "f", .display = "f", .body = block(c, items, 2)};
    c->unit = (ms_unit){.files = c->files,
                        .nfiles = 1,
                        .syms = c->syms,
                        .nsyms = 4,
                        .funcs = c->funcs,
                        .nfuncs = 2,
                        .name = c->src.path};
    ms_report_init(&c->report);
    return make;
}

static void run_ms301(ir_case *c) {
    ms_unit_number_nodes(&c->unit);
    ms_rule_ctx ctx = {
        .unit = &c->unit,
        .summaries = ms_summaries_compute(&c->arena, &c->unit),
        .arena = &c->arena,
        .report = &c->report,
        .cfgs = MS_NEW_ARRAY(&c->arena, ms_cfg *, c->unit.nfuncs),
    };
    ms_rule_ms301.run(&ctx);
}

static ms_node *loop_of(ir_case *c) {
    return c->funcs[1].body->u.block.items[1];
}

static void finish(ir_case *c) {
    ms_report_free(&c->report);
    ms_source_free(&c->src);
    ms_arena_free(&c->arena);
}

static const char cxx[] = "void f(const std::vector<std::string>& xs) {\n"
                          "    std::unordered_map<std::string, int> m;\n"
                          "    for (const auto& x : xs) {\n"
                          "        m[x] = 1;\n"
                          "    }\n"
                          "}\n";

/* The C++ case over `text`, a variant of `cxx` with the same statements. */
static ms_node *build_cxx_text(ir_case *c, const char *text) {
    ms_node *make = build(c, text, MS_LANG_CXX, "std::unordered_map<std::string, int> m;",
                          "for (const auto& x : xs) {\n        m[x] = 1;\n    }",
                          "for (const auto& x : xs)", "m[x] = 1;");
    make->u.make.fix_kind = MS_MAKE_FIX_RESERVE;
    make->u.make.reserve_prefix = "m.reserve(";
    make->u.make.reserve_suffix = ");";
    make->u.make.initial_capacity = 1;
    loop_of(c)->u.loop.trip_text = "xs.size()";
    return make;
}

static ms_node *build_cxx(ir_case *c) {
    return build_cxx_text(c, cxx);
}

/* MS301 reports the one creation, without a fix. */
static void assert_reported_without_fix(ir_case *c) {
    run_ms301(c);
    assert_int_equal(c->report.findings.len, 1);
    assert_int_equal(c->report.findings.items[0]->nfixes, 0);
}

static void cxx_reserve_is_inserted_after_the_creation(void **state) {
    (void)state;
    ir_case c;
    build_cxx(&c);
    run_ms301(&c);
    assert_int_equal(c.report.findings.len, 1);
    const ms_finding *f = c.report.findings.items[0];
    assert_string_equal(f->rule_id, "MS301");
    assert_int_equal(f->level, MS_LEVEL_NOTE);
    assert_int_equal(f->primary.region.start_line, 2);
    assert_int_equal(f->nrelated, 1);
    assert_int_equal(f->related[0].region.start_line, 3);
    assert_int_equal(f->nfixes, 1);
    assert_int_equal(f->fixes[0].nreplacements, 1);
    const ms_replacement *r = &f->fixes[0].replacements[0];
    assert_int_equal(r->deleted.start_line, 3);
    assert_int_equal(r->deleted.start_col, 1);
    assert_int_equal(r->deleted.byte_start, r->deleted.byte_end);
    assert_string_equal(r->inserted, "    m.reserve(xs.size());\n");
    finish(&c);
}

static const char cxx_one_line[] = "void f(const std::vector<std::string>& xs) {\n"
                                   "    std::unordered_map<std::string, int> m; g();\n"
                                   "    for (const auto& x : xs) {\n"
                                   "        m[x] = 1;\n"
                                   "    }\n"
                                   "}\n";

static void cxx_reserve_follows_code_on_the_same_line(void **state) {
    (void)state;
    ir_case c;
    ms_node *make = build_cxx_text(&c, cxx_one_line);
    run_ms301(&c);
    assert_int_equal(c.report.findings.len, 1);
    const ms_replacement *r = &c.report.findings.items[0]->fixes[0].replacements[0];
    assert_int_equal(r->deleted.start_line, 2);
    assert_int_equal(r->deleted.byte_start, make->stmt.end);
    assert_string_equal(r->inserted, " m.reserve(xs.size());");
    finish(&c);
}

/* The frontend found no statement position after the creation (a for or if
 * init): the finding stays, without a fix. */
static void cxx_no_place_for_a_reserve_keeps_the_finding(void **state) {
    (void)state;
    ir_case c;
    ms_node *make = build_cxx(&c);
    make->u.make.reserve_prefix = NULL;
    assert_reported_without_fix(&c);
    finish(&c);
}

/* A count declared between the creation and the loop: known before the
 * loop, so reported, but a reserve after the creation cannot use it. */
static void cxx_count_known_only_after_the_creation_is_not_fixed(void **state) {
    (void)state;
    ir_case c;
    build_cxx(&c);
    c.syms[SYM_XS].kind = MS_SYM_LOCAL;
    c.syms[SYM_XS].decl = span_of(&c, "m;\n    for");
    c.syms[SYM_XS].decl.end = c.syms[SYM_XS].decl.start + 2;
    assert_reported_without_fix(&c);
    finish(&c);
}

static void cxx_reserve_needs_a_count_declared_before_the_loop(void **state) {
    (void)state;
    ir_case c;
    build_cxx(&c);
    c.syms[SYM_XS].kind = MS_SYM_LOCAL; /* declared in the loop header */
    c.syms[SYM_XS].decl = span_of(&c, "xs) {\n        m");
    run_ms301(&c);
    assert_int_equal(c.report.findings.len, 0);
    finish(&c);
}

static void cxx_reserve_before_the_loop_is_a_hint(void **state) {
    (void)state;
    ir_case c;
    build_cxx(&c);
    /* m.reserve(n) between the creation and the loop: a REHASH operation. */
    ms_node *reserve = node(&c, MS_NODE_MAP_OP, span_of(&c, "m;"));
    reserve->u.map_op.op = MS_OP_REHASH;
    reserve->u.map_op.map.root = SYM_M;
    ms_node *body = c.funcs[1].body;
    ms_node *items[] = {body->u.block.items[0], reserve, body->u.block.items[1]};
    c.funcs[1].body = block(&c, items, 3);
    run_ms301(&c);
    assert_int_equal(c.report.findings.len, 0);
    finish(&c);
}

static void no_capacity_api_no_finding(void **state) {
    (void)state;
    ir_case c;
    ms_node *make = build_cxx(&c);
    make->u.make.fix_kind = MS_MAKE_FIX_NONE; /* GLib, uthash: nothing to suggest */
    run_ms301(&c);
    assert_int_equal(c.report.findings.len, 0);
    finish(&c);
}

static const char refmap_c[] = "void f(const char **xs, size_t n) {\n"
                               "    refmap *m = refmap_new(&str_keys, 0);\n"
                               "    for (size_t x = 0; x < n; x++) {\n"
                               "        refmap_put(m, xs[x], NULL);\n"
                               "    }\n"
                               "}\n";

static void c_hint_argument_is_replaced(void **state) {
    (void)state;
    ir_case c;
    ms_node *make = build(&c, refmap_c, MS_LANG_C, "refmap *m = refmap_new(&str_keys, 0);",
                          "for (size_t x = 0; x < n; x++) {\n        refmap_put(m, xs[x], "
                          "NULL);\n    }",
                          "for (size_t x = 0; x < n; x++)", "refmap_put(m, xs[x], NULL);");
    make->u.make.fix_kind = MS_MAKE_FIX_HINT;
    make->u.make.fix_span = span_of(&c, "0);");
    make->u.make.fix_span.end = make->u.make.fix_span.start + 1;
    make->u.make.fix_prefix = "";
    make->u.make.fix_suffix = "";
    make->u.make.initial_capacity = 8;
    ms_node *loop = loop_of(&c);
    loop->u.loop.loop_kind = MS_LOOP_COUNTED;
    loop->u.loop.iter_sym = SYM_X;
    loop->u.loop.trip_text = "n";
    loop->u.loop.trip_syms[0] = SYM_XS; /* stands for n: a parameter */
    run_ms301(&c);
    assert_int_equal(c.report.findings.len, 1);
    const ms_replacement *r = &c.report.findings.items[0]->fixes[0].replacements[0];
    assert_int_equal(r->deleted.start_line, 2);
    assert_int_equal(r->deleted.end_col - r->deleted.start_col, 1);
    assert_string_equal(r->inserted, "n");
    finish(&c);
}

static void small_constant_count_is_silent(void **state) {
    (void)state;
    ir_case c;
    build_cxx(&c);
    ms_node *loop = loop_of(&c);
    loop->u.loop.trip = MS_TRIP_CONST;
    loop->u.loop.trip_const = 1; /* not above initial_capacity 1 */
    run_ms301(&c);
    assert_int_equal(c.report.findings.len, 0);
    finish(&c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cxx_reserve_is_inserted_after_the_creation),
        cmocka_unit_test(cxx_reserve_follows_code_on_the_same_line),
        cmocka_unit_test(cxx_no_place_for_a_reserve_keeps_the_finding),
        cmocka_unit_test(cxx_count_known_only_after_the_creation_is_not_fixed),
        cmocka_unit_test(cxx_reserve_needs_a_count_declared_before_the_loop),
        cmocka_unit_test(cxx_reserve_before_the_loop_is_a_hint),
        cmocka_unit_test(no_capacity_api_no_finding),
        cmocka_unit_test(c_hint_argument_is_replaced),
        cmocka_unit_test(small_constant_count_is_silent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
