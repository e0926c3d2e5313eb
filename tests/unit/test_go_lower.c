/* The Go frontend's lowering: types, aliases, selector paths, scopes,
 * closures, map views, locks and spawns, checked on the IR it produces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "go_snippet.h"

#include <string.h>

static void check_aliases_and_selectors(const ms_unit *u, ms_arena *arena, void *ctx) {
    (void)arena;
    (void)ctx;
    const ms_func *f = find_func(u, "(*Store).Fill");
    assert_non_null(f);
    const ms_node *loop = find_node(f, MS_NODE_LOOP, 0);
    assert_non_null(loop);
    assert_int_equal(loop->u.loop.range_kind, MS_RANGE_MAP);
    assert_int_equal(loop->u.loop.map.len, 1);
    assert_string_equal(loop->u.loop.map.steps[0].field, "items");
    assert_string_equal(sym_name(u, loop->u.loop.map.root), "s");
    /* a := s.items; a[k+"x"] = 1 writes s.items */
    const ms_node *ins = find_node(f, MS_NODE_MAP_OP, 0);
    assert_int_equal(ins->u.map_op.op, MS_OP_INSERT);
    assert_true(ms_path_equal(&ins->u.map_op.map, &loop->u.loop.map));
    assert_int_equal(ins->u.map_op.key_kind, MS_KEY_OTHER);
    /* s.items[k] = 2 keys by the range key */
    const ms_node *upd = find_node(f, MS_NODE_MAP_OP, 1);
    assert_int_equal(upd->u.map_op.key_kind, MS_KEY_SYM);
    assert_int_equal(upd->u.map_op.key_sym, loop->u.loop.key_sym);
    /* the shadowing `a` inside the block is another map */
    const ms_node *shadow = find_node(f, MS_NODE_MAP_OP, 2);
    assert_false(ms_path_equal(&shadow->u.map_op.map, &loop->u.loop.map));
    /* not a map: a slice index write produces no map operation */
    assert_int_equal(count_nodes(f, MS_NODE_MAP_OP), 3);
}

static void aliases_and_selectors(void **state) {
    (void)state;
    const char *src = "package p\n"
                      "type Store struct{ items map[string]int; list []int }\n"
                      "func (s *Store) Fill() {\n"
                      "\ta := s.items\n"
                      "\tfor k := range s.items {\n"
                      "\t\ta[k+\"x\"] = 1\n"
                      "\t\ts.items[k] = 2\n"
                      "\t\t{ a := map[string]int{}; a[k] = 3 }\n"
                      "\t\ts.list[0] = 4\n"
                      "\t}\n"
                      "}\n";
    assert_int_equal(go_snippet(src, check_aliases_and_selectors, NULL, NULL), 1);
}

static void check_views(const ms_unit *u, ms_arena *arena, void *ctx) {
    (void)arena;
    (void)ctx;
    const ms_func *f = find_func(u, "Views");
    const ms_node *live = find_node(f, MS_NODE_LOOP, 0);
    assert_int_equal(live->u.loop.range_kind, MS_RANGE_MAP);
    assert_string_equal(sym_name(u, live->u.loop.map.root), "m");
    assert_string_equal(sym_name(u, live->u.loop.key_sym), "k");
    const ms_node *values = find_node(f, MS_NODE_LOOP, 1);
    assert_int_equal(values->u.loop.range_kind, MS_RANGE_MAP);
    assert_int_equal(values->u.loop.key_sym, MS_NONE); /* maps.Values yields values */
    const ms_node *sorted = find_node(f, MS_NODE_LOOP, 2);
    assert_int_not_equal(sorted->u.loop.range_kind, MS_RANGE_MAP); /* a sorted copy */
    const ms_node *exp = find_node(f, MS_NODE_LOOP, 3);
    assert_int_equal(exp->u.loop.range_kind, MS_RANGE_SLICE); /* x/exp/maps copies */
    const ms_node *ints = find_node(f, MS_NODE_LOOP, 4);
    assert_int_equal(ints->u.loop.range_kind, MS_RANGE_INT);
    assert_int_equal(ints->u.loop.trip, MS_TRIP_CONST);
    assert_int_equal(ints->u.loop.trip_const, 10);
}

static void map_views_and_copies(void **state) {
    (void)state;
    const char *src = "package p\n"
                      "import (\n\t\"maps\"\n\t\"slices\"\n\txmaps \"golang.org/x/exp/maps\"\n)\n"
                      "func Views(m map[string]int) {\n"
                      "\tfor k := range maps.Keys(m) { _ = k }\n"
                      "\tfor v := range maps.Values(m) { _ = v }\n"
                      "\tfor _, k := range slices.Sorted(maps.Keys(m)) { _ = k }\n"
                      "\tfor _, k := range xmaps.Keys(m) { _ = k }\n"
                      "\tfor i := range 10 { _ = i }\n"
                      "}\n";
    assert_int_equal(go_snippet(src, check_views, NULL, NULL), 1);
}

static void check_generics(const ms_unit *u, ms_arena *arena, void *ctx) {
    (void)arena;
    (void)ctx;
    const ms_func *f = find_func(u, "Merge");
    assert_non_null(f);
    const ms_node *loop = find_node(f, MS_NODE_LOOP, 0);
    assert_int_equal(loop->u.loop.range_kind, MS_RANGE_MAP); /* M ~map[K]V */
    const ms_func *g = find_func(u, "Grow");
    const ms_node *gl = find_node(g, MS_NODE_LOOP, 0);
    assert_int_equal(gl->u.loop.range_kind, MS_RANGE_MAP); /* Set[K] alias of a map */
    assert_int_equal(count_nodes(g, MS_NODE_MAP_OP), 1);
}

static void generics_and_aliases(void **state) {
    (void)state;
    const char *src = "package p\n"
                      "type Set[K comparable] = map[K]struct{}\n"
                      "func Merge[M ~map[K]V, K comparable, V any](dst M) {\n"
                      "\tfor k, v := range dst { dst[k] = v }\n"
                      "}\n"
                      "func Grow(s Set[string]) {\n"
                      "\tfor k := range s { s[k+\"!\"] = struct{}{} }\n"
                      "}\n";
    assert_int_equal(go_snippet(src, check_generics, NULL, NULL), 1);
}

static void check_concurrency(const ms_unit *u, ms_arena *arena, void *ctx) {
    (void)arena;
    (void)ctx;
    const ms_func *f = find_func(u, "(*Server).Start");
    assert_non_null(f);
    const ms_node *lock = find_node(f, MS_NODE_LOCK, 0);
    assert_non_null(lock);
    assert_int_equal(lock->u.lock.action, MS_LOCK_ACQUIRE);
    assert_int_equal(lock->u.lock.mode, MS_LOCK_EXCLUSIVE);
    assert_string_equal(lock->u.lock.lock.steps[0].field, "mu");
    const ms_node *unlock = find_node(f, MS_NODE_LOCK, 1);
    assert_true(unlock->u.lock.deferred);
    const ms_node *spawn = find_node(f, MS_NODE_SPAWN, 0);
    assert_int_equal(spawn->u.spawn.spawn_kind, MS_SPAWN_GO);
    assert_string_equal(u->funcs[spawn->u.spawn.entry].display, "(*Server).loop");
    assert_int_equal(spawn->u.spawn.nargs, 1); /* the receiver */
    const ms_node *handler = find_node(f, MS_NODE_SPAWN, 1);
    assert_int_equal(handler->u.spawn.spawn_kind, MS_SPAWN_HANDLER);
    assert_string_equal(u->funcs[handler->u.spawn.entry].display, "count");
    const ms_node *closure = find_node(f, MS_NODE_SPAWN, 2);
    assert_int_equal(closure->u.spawn.spawn_kind, MS_SPAWN_TASK);
    assert_true(u->funcs[closure->u.spawn.entry].flags & MS_FUNCF_CLOSURE);
    assert_non_null(find_node(f, MS_NODE_JOIN, 0));
    /* the embedded RWMutex: s.RLock() locks s.RWMutex, shared */
    const ms_func *g = find_func(u, "(*Cache).Get");
    const ms_node *rl = find_node(g, MS_NODE_LOCK, 0);
    assert_int_equal(rl->u.lock.mode, MS_LOCK_SHARED);
    assert_string_equal(rl->u.lock.lock.steps[0].field, "RWMutex");
}

static void locks_and_spawns(void **state) {
    (void)state;
    const char *src =
        "package p\n"
        "import (\n\t\"net/http\"\n\t\"sync\"\n)\n"
        "type Server struct{ mu sync.Mutex; hits map[string]int }\n"
        "type Cache struct{ sync.RWMutex; m map[string]int }\n"
        "func count(w http.ResponseWriter, r *http.Request) {}\n"
        "func (s *Server) loop() {}\n"
        "func (s *Server) Start() {\n"
        "\ts.mu.Lock()\n"
        "\tdefer s.mu.Unlock()\n"
        "\tgo s.loop()\n"
        "\thttp.HandleFunc(\"/\", count)\n"
        "\tvar wg sync.WaitGroup\n"
        "\twg.Go(func() { s.hits[\"x\"]++ })\n"
        "\twg.Wait()\n"
        "}\n"
        "func (c *Cache) Get(k string) int { c.RLock(); defer c.RUnlock(); return c.m[k] }\n";
    assert_int_equal(go_snippet(src, check_concurrency, NULL, NULL), 1);
}

static void check_noreturn(const ms_unit *u, ms_arena *arena, void *ctx) {
    (void)arena;
    (void)ctx;
    const ms_func *f = find_func(u, "Exits");
    int panics = 0;
    for (int i = 0; find_node(f, MS_NODE_EXIT, i); i++)
        if (find_node(f, MS_NODE_EXIT, i)->u.exit.exit_kind == MS_EXIT_PANIC)
            panics++;
    assert_int_equal(panics, 3); /* panic, os.Exit, log.Fatalf; not the deferred one */
}

static void noreturn_calls(void **state) {
    (void)state;
    const char *src = "package p\n"
                      "import (\n\t\"log\"\n\t\"os\"\n)\n"
                      "func Exits(x int) {\n"
                      "\tdefer panic(\"late\")\n"
                      "\tif x == 1 { panic(\"one\") }\n"
                      "\tif x == 2 { os.Exit(2) }\n"
                      "\tif x == 3 { log.Fatalf(\"%d\", x) }\n"
                      "}\n";
    assert_int_equal(go_snippet(src, check_noreturn, NULL, NULL), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(aliases_and_selectors), cmocka_unit_test(map_views_and_copies),
        cmocka_unit_test(generics_and_aliases),  cmocka_unit_test(locks_and_spawns),
        cmocka_unit_test(noreturn_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
