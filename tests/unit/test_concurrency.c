/* The concurrency analysis under MS201/MS202: path binding, lock sets
 * (including RAII scopes and callers' locks), doomed paths, access
 * summaries and thread regions, on IR lowered from Go snippets or built by
 * hand where Go has no equivalent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "binding.h"
#include "concurrency.h"
#include "go_snippet.h"

#include <stdio.h>
#include <string.h>

static ms_cfg **cfg_cache(const ms_unit *u, ms_arena *arena) {
    return MS_NEW_ARRAY(arena, ms_cfg *, u->nfuncs);
}

static const char *lock_text(const ms_unit *u, const ms_locks *L, const ms_held *h, char *buf) {
    const ms_path *p = ms_locks_path(L, h->lock);
    return p ? ms_path_render(u, p, buf, 64) : "caller";
}

static bool holds(const ms_unit *u, const ms_locks *L, const ms_heldset *s, const char *name,
                  uint8_t mode) {
    char buf[64];
    for (uint8_t i = 0; i < s->n; i++)
        if (strcmp(lock_text(u, L, &s->items[i], buf), name) == 0 && s->items[i].mode == mode)
            return true;
    return false;
}

/* ---- lock sets ----------------------------------------------------------------- */

static void check_locksets(const ms_unit *u, ms_arena *arena, void *ctx) {
    (void)ctx;
    ms_cfg **cfgs = cfg_cache(u, arena);
    ms_locks *L = ms_locks_compute(arena, u, cfgs);
    assert_false(ms_locks_none(L));
    ms_heldset h;

    const ms_func *f = find_func(u, "(*C).Sequence");
    uint32_t fid = (uint32_t)(f - u->funcs);
    ms_locks_at(L, fid, find_node(f, MS_NODE_MAP_OP, 0), &h); /* after Lock */
    assert_true(holds(u, L, &h, "c.mu", MS_LOCK_EXCLUSIVE));
    ms_locks_at(L, fid, find_node(f, MS_NODE_MAP_OP, 1), &h); /* after Unlock */
    assert_int_equal(h.n, 0);
    ms_locks_at(L, fid, find_node(f, MS_NODE_MAP_OP, 2), &h); /* RLock */
    assert_true(holds(u, L, &h, "c.rw", MS_LOCK_SHARED));
    ms_locks_at(L, fid, find_node(f, MS_NODE_MAP_OP, 3), &h); /* defer Unlock: held */
    assert_true(holds(u, L, &h, "c.mu", MS_LOCK_EXCLUSIVE));

    /* Held on one branch only: not held after the join. */
    const ms_func *b = find_func(u, "(*C).Branch");
    ms_locks_at(L, (uint32_t)(b - u->funcs), find_node(b, MS_NODE_MAP_OP, 0), &h);
    assert_int_equal(h.n, 0);

    /* put is called with c.rw held exclusively by one caller, shared by
     * the other: held, in no single mode. */
    const ms_func *put = find_func(u, "(*C).put");
    ms_locks_entry(L, (uint32_t)(put - u->funcs), &h);
    assert_true(holds(u, L, &h, "c.rw", MS_HELD_MIXED));
    /* store's only caller holds c.mu: store holds it through its receiver. */
    const ms_func *store = find_func(u, "(*C).store");
    ms_locks_at(L, (uint32_t)(store - u->funcs), find_node(store, MS_NODE_MAP_OP, 0), &h);
    assert_true(holds(u, L, &h, "c.mu", MS_LOCK_EXCLUSIVE));
    /* The naming convention: the caller's lock. */
    const ms_func *locked = find_func(u, "(*C).flushLocked");
    assert_true(locked->flags & MS_FUNCF_CALLER_LOCKED);
    ms_locks_entry(L, (uint32_t)(locked - u->funcs), &h);
    assert_non_null(ms_heldset_find(&h, MS_LOCK_CALLER));
    /* Lock wrappers: lock() leaves c.mu held for its caller, unlock() releases it. */
    const ms_func *w = find_func(u, "(*C).Wrapped");
    uint32_t wid = (uint32_t)(w - u->funcs);
    ms_locks_at(L, wid, find_node(w, MS_NODE_MAP_OP, 0), &h);
    assert_true(holds(u, L, &h, "c.mu", MS_LOCK_EXCLUSIVE));
    ms_locks_at(L, wid, find_node(w, MS_NODE_MAP_OP, 1), &h);
    assert_int_equal(h.n, 0);
    /* A spawn is a caller holding nothing. */
    const ms_func *bg = find_func(u, "(*C).background");
    ms_locks_entry(L, (uint32_t)(bg - u->funcs), &h);
    assert_int_equal(h.n, 0);
}

static void locksets(void **state) {
    (void)state;
    const char *src =
        "package p\n"
        "import \"sync\"\n"
        "type C struct { mu sync.Mutex; rw sync.RWMutex; m map[string]int }\n"
        "func (c *C) Sequence() {\n"
        "\tc.mu.Lock(); c.m[\"a\"] = 1; c.mu.Unlock(); c.m[\"b\"] = 2\n"
        "\tc.rw.RLock(); _ = c.m[\"c\"]; c.rw.RUnlock()\n"
        "\tc.mu.Lock(); defer c.mu.Unlock(); c.m[\"d\"] = 4\n"
        "}\n"
        "func (c *C) Branch(x bool) {\n"
        "\tif x { c.mu.Lock() }\n"
        "\tc.m[\"e\"] = 5\n"
        "}\n"
        "func (c *C) put(k string) { c.m[k] = 1 }\n"
        "func (c *C) A() { c.rw.Lock(); c.put(\"a\"); c.rw.Unlock() }\n"
        "func (c *C) B() { c.rw.RLock(); c.put(\"b\"); c.rw.RUnlock() }\n"
        "func (c *C) store(k string) { c.m[k] = 2 }\n"
        "func (c *C) D() { c.mu.Lock(); defer c.mu.Unlock(); c.store(\"d\") }\n"
        "func (c *C) flushLocked() { clear(c.m) }\n"
        "func (c *C) lock() { c.mu.Lock() }\n"
        "func (c *C) unlock() { c.mu.Unlock() }\n"
        "func (c *C) Wrapped() { c.lock(); c.m[\"w\"] = 1; c.unlock(); c.m[\"x\"] = 2 }\n"
        "func (c *C) background() { c.m[\"bg\"] = 1 }\n"
        "func (c *C) Start() { c.mu.Lock(); c.background(); c.mu.Unlock(); go "
        "c.background() }\n";
    assert_int_equal(go_snippet(src, check_locksets, NULL, NULL), 1);
}

/* Deferred calls that release a lock end it at the function's end, as
 * defer mu.RUnlock() does: the function is no lock wrapper, and its callers
 * hold nothing after the call. A deferred call whose effects are unknown (a
 * function value) leaves the callers not knowing. */
static void locks_after(const ms_unit *u, const ms_locks *L, const char *func, ms_heldset *h) {
    const ms_func *f = find_func(u, func);
    ms_locks_at(L, (uint32_t)(f - u->funcs), find_node(f, MS_NODE_MAP_OP, 0), h);
}

static void check_deferred(const ms_unit *u, ms_arena *arena, void *ctx) {
    (void)ctx;
    ms_locks *L = ms_locks_compute(arena, u, cfg_cache(u, arena));
    ms_heldset h;
    locks_after(u, L, "(*C).AfterMethod", &h);
    assert_int_equal(h.n, 0);
    assert_false(h.unknown);
    locks_after(u, L, "(*C).AfterLiteral", &h);
    assert_int_equal(h.n, 0);
    assert_false(h.unknown);
    locks_after(u, L, "(*C).AfterOther", &h); /* the defer releases another lock */
    assert_true(holds(u, L, &h, "c.mu", MS_LOCK_SHARED));
    assert_false(h.unknown);
    locks_after(u, L, "(*C).AfterValue", &h);
    assert_true(h.unknown);
    /* Before it returns, the function with the unknown defer is known. */
    locks_after(u, L, "(*C).viaValue", &h);
    assert_true(holds(u, L, &h, "c.mu", MS_LOCK_SHARED));
    assert_false(h.unknown);
}

static void deferred_releases(void **state) {
    (void)state;
    const char *src =
        "package p\n"
        "import \"sync\"\n"
        "type C struct { mu, other sync.RWMutex; m, n map[string]int }\n"
        "func (c *C) runlock() { c.mu.RUnlock() }\n"
        "func (c *C) viaMethod() int { c.mu.RLock(); defer c.runlock(); return c.m[\"a\"] }\n"
        "func (c *C) viaLiteral() int { c.mu.RLock(); defer func() { c.mu.RUnlock() }(); return "
        "c.m[\"a\"] }\n"
        "func (c *C) viaOther() { c.other.Lock(); defer func() { c.other.Unlock() }(); "
        "c.mu.RLock() }\n"
        "func (c *C) viaValue(f func()) int { c.mu.RLock(); defer f(); return c.m[\"a\"] }\n"
        "func (c *C) AfterMethod() { c.viaMethod(); c.n[\"x\"] = 1 }\n"
        "func (c *C) AfterLiteral() { c.viaLiteral(); c.n[\"x\"] = 1 }\n"
        "func (c *C) AfterOther() { c.viaOther(); c.n[\"x\"] = 1; c.mu.RUnlock() }\n"
        "func (c *C) AfterValue(f func()) { c.viaValue(f); c.n[\"x\"] = 1 }\n";
    assert_int_equal(go_snippet(src, check_deferred, NULL, NULL), 1);
}

/* Past the capacity (MS_HELD_MAX locks at one point, the slots of one
 * function), locks are not dropped silently: the set becomes unknown. */
static void heldset_capacity(void **state) {
    (void)state;
    ms_heldset s = {0};
    for (uint32_t i = 1; i <= MS_HELD_MAX; i++) {
        ms_held h = {.lock = i, .mode = MS_LOCK_EXCLUSIVE};
        assert_true(ms_heldset_add(&s, &h));
    }
    assert_false(s.unknown);
    ms_held extra = {.lock = MS_HELD_MAX + 1, .mode = MS_LOCK_EXCLUSIVE};
    assert_false(ms_heldset_add(&s, &extra));
    assert_true(s.unknown);
    ms_heldset copy = {0};
    ms_heldset_merge(&copy, &s);
    assert_true(copy.unknown);
    assert_int_equal(copy.n, MS_HELD_MAX);
}

static void check_overflow(const ms_unit *u, ms_arena *arena, void *ctx) {
    (void)ctx;
    ms_locks *L = ms_locks_compute(arena, u, cfg_cache(u, arena));
    ms_heldset h;
    const ms_func *f = find_func(u, "(*S).Nested");
    uint32_t fid = (uint32_t)(f - u->funcs);
    ms_locks_at(L, fid, find_node(f, MS_NODE_MAP_OP, 0), &h); /* all locks held */
    assert_true(h.unknown);
    ms_locks_at(L, fid, find_node(f, MS_NODE_MAP_OP, 1), &h); /* all released */
    assert_int_equal(h.n, 0);
    assert_false(h.unknown);
    f = find_func(u, "(*S).OneByOne"); /* a lock past the last slot */
    ms_locks_at(L, (uint32_t)(f - u->funcs), find_node(f, MS_NODE_MAP_OP, 0), &h);
    assert_true(h.unknown);
}

/* Appends to buf; the snippet below is generated, one lock per line. */
static void append(char *buf, size_t cap, const char *fmt, ...) {
    size_t len = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, cap - len, fmt, ap);
    va_end(ap);
}

static void lock_capacity(void **state) {
    (void)state;
    enum { LOCKS = 70 }; /* more than the 64 slots of a function */
    static char src[16384];
    src[0] = 0;
    append(src, sizeof(src), "package p\nimport \"sync\"\ntype S struct {\n\tm map[string]int\n");
    for (int i = 0; i < LOCKS; i++)
        append(src, sizeof(src), "\tmu%d sync.Mutex\n", i);
    append(src, sizeof(src), "}\nfunc (s *S) Nested() {\n");
    for (int i = 0; i <= MS_HELD_MAX; i++)
        append(src, sizeof(src), "\ts.mu%d.Lock()\n", i);
    append(src, sizeof(src), "\ts.m[\"a\"] = 1\n");
    for (int i = MS_HELD_MAX; i >= 0; i--)
        append(src, sizeof(src), "\ts.mu%d.Unlock()\n", i);
    append(src, sizeof(src), "\ts.m[\"b\"] = 2\n}\nfunc (s *S) OneByOne() {\n");
    for (int i = 0; i < LOCKS; i++)
        append(src, sizeof(src), "\ts.mu%d.Lock()\n\ts.mu%d.Unlock()\n", i, i);
    append(src, sizeof(src), "\ts.mu0.Lock()\n\ts.m[\"c\"] = 3\n\ts.mu0.Unlock()\n}\n");
    assert_true(strlen(src) + 1 < sizeof(src));
    assert_int_equal(go_snippet(src, check_overflow, NULL, NULL), 1);
}

/* RAII guards (C++ lock_guard): released when control leaves the block that
 * declares them. Go has none, so the IR is built by hand:
 *     { { guard(mu); m[k] = 1; } m[k] = 2; }                              */
static ms_node *node(ms_arena *a, ms_node_kind kind, uint32_t at) {
    ms_node *n = MS_NEW(a, ms_node);
    n->kind = (uint8_t)kind;
    n->span = n->stmt = (ms_span){0, at, at + 1};
    return n;
}

static ms_node *block(ms_arena *a, ms_node **items, uint32_t len) {
    ms_node *b = node(a, MS_NODE_BLOCK, 0);
    b->u.block.items = MS_NEW_ARRAY(a, ms_node *, len);
    memcpy(b->u.block.items, items, sizeof(ms_node *) * len);
    b->u.block.len = len;
    return b;
}

static void scoped_locks(void **state) {
    (void)state;
    ms_arena a;
    ms_arena_init(&a);
    ms_unit u = {0};
    u.nsyms = 3;
    u.syms = MS_NEW_ARRAY(&a, ms_sym, 3);
    u.syms[1] = (ms_sym){.name = "mu", .kind = MS_SYM_GLOBAL, .type_class = MS_TC_LOCK};
    u.syms[2] = (ms_sym){.name = "m", .kind = MS_SYM_GLOBAL, .type_class = MS_TC_MAP};
    ms_node *guard = node(&a, MS_NODE_LOCK, 10);
    guard->u.lock.action = MS_LOCK_ACQUIRE;
    guard->u.lock.mode = MS_LOCK_EXCLUSIVE;
    guard->u.lock.scoped = true;
    guard->u.lock.lock.root = 1;
    ms_node *in = node(&a, MS_NODE_MAP_OP, 20), *out = node(&a, MS_NODE_MAP_OP, 30);
    in->u.map_op.op = out->u.map_op.op = MS_OP_INSERT;
    in->u.map_op.map.root = out->u.map_op.map.root = 2;
    ms_node *inner_items[] = {guard, in};
    ms_node *outer_items[] = {block(&a, inner_items, 2), out};
    u.nfuncs = 2;
    u.funcs = MS_NEW_ARRAY(&a, ms_func, 2);
    u.funcs[1] = (ms_func){.name = "f", .display = "f", .body = block(&a, outer_items, 2)};
    ms_unit_number_nodes(&u);
    ms_cfg **cfgs = cfg_cache(&u, &a);
    ms_locks *L = ms_locks_compute(&a, &u, cfgs);
    ms_heldset h;
    ms_locks_at(L, 1, in, &h);
    assert_int_equal(h.n, 1);
    assert_int_equal(h.items[0].mode, MS_LOCK_EXCLUSIVE);
    ms_locks_at(L, 1, out, &h);
    assert_int_equal(h.n, 0);
    ms_arena_free(&a);
}

/* ---- doomed paths ---------------------------------------------------------------- */

static void check_doom(const ms_unit *u, ms_arena *arena, void *ctx) {
    (void)ctx;
    ms_cfg **cfgs = cfg_cache(u, arena);
    ms_doom *d = ms_doom_compute(arena, u, cfgs);
    const ms_func *fail = find_func(u, "fail");
    const ms_func *failf = find_func(u, "failf");
    assert_true(ms_doom_never_returns(d, (uint32_t)(fail - u->funcs)));
    assert_true(ms_doom_never_returns(d, (uint32_t)(failf - u->funcs)));
    const ms_func *f = find_func(u, "Check");
    uint32_t fid = (uint32_t)(f - u->funcs);
    assert_true(ms_doomed(d, fid, find_node(f, MS_NODE_MAP_OP, 0)));  /* before failf */
    assert_false(ms_doomed(d, fid, find_node(f, MS_NODE_MAP_OP, 1))); /* returns */
    /* A loop without an exit never returns, and is not doomed. */
    const ms_func *loop = find_func(u, "Forever");
    assert_false(ms_doom_never_returns(d, (uint32_t)(loop - u->funcs)));
    assert_false(ms_doomed(d, (uint32_t)(loop - u->funcs), find_node(loop, MS_NODE_MAP_OP, 0)));
}

static void doomed_paths(void **state) {
    (void)state;
    const char *src = "package p\n"
                      "import \"fmt\"\n"
                      "func fail(err error) { panic(err) }\n"
                      "func failf(f string, a ...any) { fail(fmt.Errorf(f, a...)) }\n"
                      "func Check(m map[string]int, k string) int {\n"
                      "\tif k == \"\" { failf(\"bad %d\", m[k]) }\n"
                      "\treturn m[k]\n"
                      "}\n"
                      "func Forever(m map[string]int) { for { m[\"x\"]++ } }\n";
    assert_int_equal(go_snippet(src, check_doom, NULL, NULL), 1);
}

/* ---- binding ---------------------------------------------------------------------- */

static void check_binding(const ms_unit *u, ms_arena *arena, void *ctx) {
    (void)arena;
    (void)ctx;
    const ms_func *g = find_func(u, "g");
    const ms_node *call = find_node(g, MS_NODE_CALL, 0);
    const ms_func *f = find_func(u, "f");
    uint32_t fid = (uint32_t)(f - u->funcs);
    ms_binding b = {u, fid, call->u.call.args, call->u.call.nargs};
    /* f's s.m[i] is g's st.m[j]; f's local is nothing in g */
    const ms_node *op = find_node(f, MS_NODE_MAP_OP, 1);
    ms_path out;
    assert_true(ms_bind_out(&b, &op->u.map_op.map, &out));
    char buf[64];
    assert_string_equal(ms_path_render(u, &out, buf, sizeof(buf)), "st.m");
    const ms_node *local = find_node(f, MS_NODE_MAP_OP, 2);
    assert_false(ms_bind_out(&b, &local->u.map_op.map, &out));
    /* and back in */
    ms_path in;
    assert_true(ms_bind_in(&b, &out, &in));
    assert_true(ms_path_same(&in, &op->u.map_op.map));
    /* constant indices name the same element */
    const ms_node *c1 = find_node(g, MS_NODE_MAP_OP, 1), *c2 = find_node(g, MS_NODE_MAP_OP, 3);
    assert_true(ms_path_same(&c1->u.map_op.map, &c2->u.map_op.map));
    assert_false(ms_path_equal(&c1->u.map_op.map, &c2->u.map_op.map)); /* MS101's equality */
}

static void binding(void **state) {
    (void)state;
    const char *src = "package p\n"
                      "type S struct { m map[string]int }\n"
                      "func f(s *S, k string) {\n"
                      "\t_ = s.m[k]\n"
                      "\ts.m[k] = 1\n"
                      "\tlocal := map[string]int{}\n"
                      "\tlocal[k] = 2\n"
                      "}\n"
                      "func g(st *S, nested map[string]map[string]int) {\n"
                      "\tf(st, \"x\")\n"
                      "\tnested[\"a\"][\"b\"] = 1\n"
                      "\tnested[\"a\"][\"c\"] = 2\n"
                      "}\n";
    assert_int_equal(go_snippet(src, check_binding, NULL, NULL), 1);
}

/* ---- accesses and threads -------------------------------------------------------- */

static const ms_thread *thread_of(const ms_unit *u, const ms_threads *T, const char *entry) {
    for (uint32_t i = 0; i < T->n; i++)
        if (strcmp(u->funcs[T->items[i].entry].display, entry) == 0)
            return &T->items[i];
    return NULL;
}

/* The spawner's map accesses while t may run; the first one in *first. */
static uint32_t region_accesses(ms_threads *T, ms_thread *t, const ms_access **first) {
    uint32_t n = 0, count = 0;
    const ms_site *sites = ms_threads_sites(T, t->spawner, &n);
    const ms_thread_region *r = ms_thread_region_get(T, t, 0);
    for (uint32_t i = 0; i < n; i++) {
        if (!ms_region_has(r, sites[i].vertex))
            continue;
        if (count++ == 0 && first)
            *first = &sites[i].access;
    }
    return count;
}

static void check_threads(const ms_unit *u, ms_arena *arena, void *ctx) {
    (void)ctx;
    ms_concurrency *c = ms_concurrency_build(arena, u, cfg_cache(u, arena));
    ms_threads *T = ms_concurrency_threads(c);
    char buf[64];

    /* A worker bound at the spawn: its param m is the spawner's counts. */
    ms_thread *pool = (ms_thread *)thread_of(u, T, "worker");
    assert_non_null(pool);
    assert_int_equal(pool->nacc, 1);
    assert_string_equal(ms_path_render(u, &pool->acc[0].path, buf, sizeof(buf)), "counts");
    assert_true(ms_thread_repeats(T, pool, &pool->acc[0].path));
    assert_true(pool->confined); /* wg.Wait() before the return */

    /* A map declared in the loop is a new map per iteration. */
    ms_thread *fresh = (ms_thread *)thread_of(u, T, "Fresh.func1");
    assert_non_null(fresh);
    assert_false(ms_thread_repeats(T, fresh, &fresh->acc[0].path));

    /* The goroutine closes done; <-done waits for it; the read after is not
     * in its region, the read before is. */
    ms_thread *owned = (ms_thread *)thread_of(u, T, "Owned.func1");
    const ms_access *before = NULL;
    assert_int_equal(region_accesses(T, owned, &before), 1);
    assert_int_equal(before->node->span.start,
                     find_node(find_func(u, "Owned"), MS_NODE_MAP_OP, 0)->span.start);
    assert_true(owned->confined);

    /* A receive from a channel the goroutine never signals waits for nothing. */
    ms_thread *ticker = (ms_thread *)thread_of(u, T, "Ticker.func1");
    assert_false(ticker->confined);

    /* A helper that waits is a join. */
    ms_thread *helped = (ms_thread *)thread_of(u, T, "Helped.func1");
    assert_int_equal(region_accesses(T, helped, NULL), 0);
}

static void threads(void **state) {
    (void)state;
    const char *src = "package p\n"
                      "import (\"sync\"; \"time\")\n"
                      "func worker(m map[string]int, wg *sync.WaitGroup) { defer wg.Done(); "
                      "m[\"w\"]++ }\n"
                      "func Pool() map[string]int {\n"
                      "\tcounts := map[string]int{}\n"
                      "\tvar wg sync.WaitGroup\n"
                      "\tfor i := 0; i < 4; i++ { wg.Add(1); go worker(counts, &wg) }\n"
                      "\twg.Wait()\n"
                      "\treturn counts\n"
                      "}\n"
                      "func Fresh(n int) {\n"
                      "\tfor i := 0; i < n; i++ { m := map[int]int{}; go func() { m[i] = i }() }\n"
                      "}\n"
                      "func Owned() map[int]int {\n"
                      "\tm := map[int]int{}\n"
                      "\tdone := make(chan struct{})\n"
                      "\tgo func() { m[1] = 1; close(done) }()\n"
                      "\t_ = m[0]\n"
                      "\t<-done\n"
                      "\t_ = m[2]\n"
                      "\treturn m\n"
                      "}\n"
                      "func Ticker(m map[int]int, t *time.Ticker) {\n"
                      "\tgo func() { m[1] = 1 }()\n"
                      "\t<-t.C\n"
                      "}\n"
                      "func wait(wg *sync.WaitGroup) { wg.Wait() }\n"
                      "func Helped(m map[int]int) {\n"
                      "\tvar wg sync.WaitGroup\n"
                      "\twg.Add(1)\n"
                      "\tgo func() { defer wg.Done(); m[1] = 1 }()\n"
                      "\twait(&wg)\n"
                      "\tm[2] = 2\n"
                      "}\n";
    assert_int_equal(go_snippet(src, check_threads, NULL, NULL), 1);
}

/* ---- Go frontend facts the analysis reads ---------------------------------------------- */

static void check_frontend(const ms_unit *u, ms_arena *arena, void *ctx) {
    (void)arena;
    (void)ctx;
    const ms_func *f = find_func(u, "Signals");
    const ms_node *send = find_node(f, MS_NODE_SIGNAL, 0);
    const ms_node *close_ = find_node(f, MS_NODE_SIGNAL, 1);
    assert_int_equal(send->u.signal.signal_kind, MS_SIGNAL_SEND);
    assert_int_equal(close_->u.signal.signal_kind, MS_SIGNAL_CLOSE);
    assert_string_equal(sym_name(u, close_->u.signal.obj.root), "ch");
    const ms_node *loop = find_node(f, MS_NODE_LOOP, 0);
    assert_int_equal(loop->u.loop.range_kind, MS_RANGE_CHAN);
    assert_string_equal(sym_name(u, loop->u.loop.channel.root), "ch");
    /* defer wg.Wait() joins at the return, not at the defer statement */
    assert_int_equal(count_nodes(f, MS_NODE_JOIN), 0);

    /* var walk func(); walk = func() { go walk() }: the inner spawn resolves */
    const ms_func *rec = find_func(u, "Recursive.func1");
    const ms_node *spawn = find_node(rec, MS_NODE_SPAWN, 0);
    assert_ptr_equal(&u->funcs[spawn->u.spawn.entry], rec);

    /* errgroup.WithContext's group and http.NewServeMux's mux are typed */
    const ms_func *g = find_func(u, "Groups");
    const ms_node *task = find_node(g, MS_NODE_SPAWN, 0);
    assert_int_equal(task->u.spawn.spawn_kind, MS_SPAWN_TASK);
    assert_string_equal(sym_name(u, task->u.spawn.handle.root), "grp");
    assert_int_equal(find_node(g, MS_NODE_SPAWN, 1)->u.spawn.spawn_kind, MS_SPAWN_HANDLER);

    /* a comment before the first statement does not hide the body */
    assert_int_equal(count_nodes(find_func(u, "Commented"), MS_NODE_MAP_OP), 1);
}

static void frontend(void **state) {
    (void)state;
    const char *src = "package p\n"
                      "import (\"context\"; \"net/http\"; \"sync\"\n"
                      "\t\"golang.org/x/sync/errgroup\")\n"
                      "func Signals(ch chan int, wg *sync.WaitGroup) {\n"
                      "\tdefer wg.Wait()\n"
                      "\tch <- 1\n"
                      "\tclose(ch)\n"
                      "\tfor range ch {}\n"
                      "}\n"
                      "func Recursive(n int) {\n"
                      "\tvar walk func(int)\n"
                      "\twalk = func(d int) { if d > 0 { go walk(d - 1) } }\n"
                      "\twalk(n)\n"
                      "}\n"
                      "func Groups(ctx context.Context) {\n"
                      "\tgrp, ctx := errgroup.WithContext(ctx)\n"
                      "\tgrp.Go(func() error { return ctx.Err() })\n"
                      "\tmux := http.NewServeMux()\n"
                      "\tmux.HandleFunc(\"/\", func(w http.ResponseWriter, r *http.Request) {})\n"
                      "}\n"
                      "func Commented(m map[int]int) {\n"
                      "\t// a comment first\n"
                      "\tm[1] = 1\n"
                      "}\n";
    assert_int_equal(go_snippet(src, check_frontend, NULL, NULL), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(locksets),          cmocka_unit_test(scoped_locks),
        cmocka_unit_test(doomed_paths),      cmocka_unit_test(binding),
        cmocka_unit_test(threads),           cmocka_unit_test(frontend),
        cmocka_unit_test(deferred_releases), cmocka_unit_test(heldset_capacity),
        cmocka_unit_test(lock_capacity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
