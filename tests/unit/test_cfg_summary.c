/* Control-flow reachability and interprocedural summaries, on IR lowered
 * from Go snippets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cfg.h"
#include "go_snippet.h"
#include "summary.h"

static void check_exits(const ms_unit *u, ms_arena *arena, void *ctx) {
    (void)ctx;
    const ms_func *f = find_func(u, "Exits");
    ms_cfg *g = ms_cfg_build(arena, f);
    const ms_node *loop = find_node(f, MS_NODE_LOOP, 0);
    const ms_node *inner = find_node(f, MS_NODE_LOOP, 1);
    const ms_node *a = find_node(f, MS_NODE_MAP_OP, 0); /* then break */
    const ms_node *b = find_node(f, MS_NODE_MAP_OP, 1); /* then switch-break: continues */
    const ms_node *c = find_node(f, MS_NODE_MAP_OP, 2); /* in the inner loop, then return */
    const ms_node *d = find_node(f, MS_NODE_MAP_OP, 3); /* then panic or goto out */
    const ms_node *e = find_node(f, MS_NODE_MAP_OP, 4); /* falls through to next iteration */
    assert_false(ms_cfg_reaches(g, a, loop, loop));
    assert_true(ms_cfg_reaches(g, b, loop, loop));
    assert_false(ms_cfg_reaches(g, c, loop, loop));
    assert_true(ms_cfg_reaches(g, c, inner, NULL) == false);
    assert_false(ms_cfg_reaches(g, d, loop, loop));
    assert_true(ms_cfg_reaches(g, e, loop, loop));
    /* Leaving the loop and coming back through an outer loop is a new range. */
    const ms_func *o = find_func(u, "Outer");
    ms_cfg *og = ms_cfg_build(arena, o);
    const ms_node *ranged = find_node(o, MS_NODE_LOOP, 1);
    const ms_node *ins = find_node(o, MS_NODE_MAP_OP, 0);
    assert_false(ms_cfg_reaches(og, ins, ranged, ranged));
    assert_true(ms_cfg_reaches(og, ins, ranged, NULL));
}

static void reachability_after_exits(void **state) {
    (void)state;
    const char *src = "package p\n"
                      "func Exits(m map[string]int, x int) {\n"
                      "\tfor k := range m {\n"
                      "\t\tif x == 1 { m[k+\"a\"] = 1; break }\n"
                      "\t\tswitch x { case 2: m[k+\"b\"] = 1; break }\n"
                      "\t\tfor i := 0; i < 3; i++ { if x == 3 { m[k+\"c\"] = 1; return } }\n"
                      "\t\tif x == 4 { m[k+\"d\"] = 1; if x > 9 { panic(x) } else { goto out } }\n"
                      "\t\tm[k+\"e\"] = 1\n"
                      "\t}\n"
                      "out:\n"
                      "}\n"
                      "func Outer(m map[string]int) {\n"
                      "\tfor {\n"
                      "\t\tfor k := range m { m[k+\"x\"] = 1; break }\n"
                      "\t}\n"
                      "}\n";
    assert_int_equal(go_snippet(src, check_exits, NULL, NULL), 1);
}

static void check_summaries(const ms_unit *u, ms_arena *arena, void *ctx) {
    (void)ctx;
    ms_summaries *s = ms_summaries_compute(arena, u);
    const ms_func *add2 = find_func(u, "add2");
    uint32_t id = (uint32_t)(add2 - u->funcs);
    assert_int_equal(s->by_func[id].n, 1);
    const ms_effect *e = &s->by_func[id].effects[0];
    assert_int_equal(e->op, MS_OP_INSERT);
    assert_int_equal(e->path.root, add2->params[0]);
    assert_int_equal(e->key_kind, MS_KEY_SYM);
    assert_int_equal(e->key_sym, add2->params[1]);
    /* At the call in Use, the effect lands on the local map, keyed by k. */
    const ms_func *use = find_func(u, "Use");
    const ms_node *call = find_node(use, MS_NODE_CALL, 0);
    ms_effect out[MS_MAX_CALL_EFFECTS];
    uint32_t n = ms_call_effects(s, call, out, MS_MAX_CALL_EFFECTS);
    assert_int_equal(n, 1);
    assert_string_equal(sym_name(u, out[0].path.root), "local");
    assert_string_equal(sym_name(u, out[0].key_sym), "k");
    /* A method inserting into a receiver field: the path follows the receiver. */
    const ms_node *mcall = find_node(use, MS_NODE_CALL, 1);
    n = ms_call_effects(s, mcall, out, MS_MAX_CALL_EFFECTS);
    assert_int_equal(n, 1);
    assert_string_equal(sym_name(u, out[0].path.root), "st");
    assert_int_equal(out[0].path.len, 1);
    assert_string_equal(out[0].path.steps[0].field, "items");
    /* Mutual recursion terminates and keeps the insert. */
    const ms_func *ping = find_func(u, "ping");
    assert_true(s->by_func[ping - u->funcs].n >= 1);
    /* A helper that rewrites its key parameter no longer names the key. */
    const ms_func *lower = find_func(u, "setLower");
    assert_int_equal(s->by_func[lower - u->funcs].effects[0].key_kind, MS_KEY_OTHER);
}

static void summaries_to_a_fixpoint(void **state) {
    (void)state;
    const char *src =
        "package p\n"
        "import \"strings\"\n"
        "type store struct{ items map[string]int }\n"
        "func (s *store) put(k string) { s.items[k] = 1 }\n"
        "func add(m map[string]int, k string) { m[k] = 1 }\n"
        "func add2(m map[string]int, k string) { add(m, k) }\n"
        "func ping(m map[string]int, n int) { if n > 0 { pong(m, n-1) }; m[\"p\"] = n }\n"
        "func pong(m map[string]int, n int) { ping(m, n) }\n"
        "func setLower(m map[string]int, k string) { k = strings.ToLower(k); m[k] = 1 }\n"
        "func Use(k string) {\n"
        "\tlocal := map[string]int{}\n"
        "\tadd2(local, k)\n"
        "\tst := &store{}\n"
        "\tst.put(k)\n"
        "}\n";
    assert_int_equal(go_snippet(src, check_summaries, NULL, NULL), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reachability_after_exits),
        cmocka_unit_test(summaries_to_a_fixpoint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
