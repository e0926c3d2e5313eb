/* MS201 unsynchronized-concurrent-map-write.
 *
 * For every thread of the unit (threads.h), compare what it accesses with
 * what may run at the same time, and report each map write that races with
 * another access with no common lock (see rules.md, "MS201"). In order:
 *   1. the spawner's accesses after the spawn, before a join that waits for
 *      the thread (both directions: either side may be the write), and
 *      those of the spawner's callers after it returns, when it does not
 *      join the thread;
 *   2. other copies of the same thread: a handler, a spawn in a loop whose
 *      map is the same in every iteration, or a goroutine started by a
 *      handler (one per request) on a map all requests share;
 *   3. other threads: of the same spawner when their lifetimes overlap; of
 *      another spawner for globals and fields of a receiver type, when at
 *      least one of the two is not joined by its spawner;
 *   4. accesses elsewhere that hold the lock guarding the map (a field of a
 *      receiver type, a global), which the thread's write does not hold.
 * Each write is reported once, for the first race found. */
#include "race.h"

#include "binding.h"
#include "intern.h"
#include "vec.h"

#include <stdlib.h>
#include <string.h>

typedef struct finder {
    ms_rule_ctx *ctx;
    const ms_rule *rule;
    ms_concurrency *c;
    ms_threads *T;
    uint8_t *reported; /* by node id */
    uint8_t **reach;   /* by function: functions it runs, built on first use */
} finder;

static bool already(finder *f, const ms_access *w) {
    return f->reported[w->node->id] != 0;
}

static void report(finder *f, const ms_race *race) {
    if (already(f, race->write))
        return;
    f->reported[race->write->node->id] = 1;
    ms201_report_race(f->ctx, f->rule, race);
}

static bool same_lock(finder *f, uint32_t a, uint32_t b, bool by_type) {
    if (a == b)
        return true;
    const ms_path *pa = ms_locks_path(f->c->locks, a), *pb = ms_locks_path(f->c->locks, b);
    return by_type && pa && pb && ms_same_object(f->c->unit, pa, pb, true);
}

/* Whether the write's locks exclude the other access. A lock the caller
 * holds by naming convention protects the write; on the other side it is
 * taken to be whatever lock the write holds. Two shared holds also count:
 * a write under a read lock is MS202's finding. Locks the analysis lost
 * track of count the same way: it cannot tell, so it stays silent. */
static bool excluded(finder *f, const ms_heldset *w, const ms_heldset *x, bool by_type) {
    if (w->unknown || ms_heldset_find(w, MS_LOCK_CALLER))
        return true;
    if ((x->unknown || ms_heldset_find(x, MS_LOCK_CALLER)) && w->n > 0)
        return true;
    for (uint8_t i = 0; i < w->n; i++)
        for (uint8_t k = 0; k < x->n; k++)
            if (same_lock(f, w->items[i].lock, x->items[k].lock, by_type))
                return true;
    return false;
}

/* A locked write racing with an unlocked write: the unlocked one is the
 * finding (it is the line to fix), not this one. */
static bool other_is_the_bug(const ms_heldset *w, const ms_access *x, const ms_heldset *x_locks) {
    return w->n > 0 && x_locks->n == 0 && !x_locks->unknown && ms_access_writes(x);
}

static void with_inherited(const ms_heldset *locks, const ms_thread *t, ms_heldset *out) {
    *out = *locks;
    ms_heldset_merge(out, &t->inherited);
}

static bool is_access(const ms_access *a) {
    return a->kind == MS_ACC_MAP || a->kind == MS_ACC_REBIND;
}

/* ---- 1. the spawner -------------------------------------------------------------- */

static void against_spawner(finder *f, ms_thread *t) {
    uint32_t nsites = 0;
    const ms_site *sites = ms_threads_sites(f->T, t->spawner, &nsites);
    for (uint32_t i = 0; i < t->nacc; i++) {
        const ms_access *a = &t->acc[i];
        if (!is_access(a))
            continue;
        uint64_t fresh = ms_thread_fresh_loops(f->T, t, &a->path);
        const ms_thread_region *r = ms_thread_region_get(f->T, t, fresh);
        for (uint32_t k = 0; k < nsites; k++) {
            const ms_access *x = &sites[k].access;
            if (!ms_region_has(r, sites[k].vertex))
                continue;
            bool aw = ms_access_writes(a), xw = ms_access_writes(x);
            if ((!aw && !xw) || !ms_path_same(&a->path, &x->path) ||
                excluded(f, &a->locks, &x->locks, false))
                continue;
            if (aw && !other_is_the_bug(&a->locks, x, &x->locks)) {
                ms_race race = {MS_RACE_SPAWNER, t, NULL, a, x, a->locks, x->locks};
                report(f, &race);
            }
            if (xw && !other_is_the_bug(&x->locks, a, &a->locks)) {
                ms_race race = {MS_RACE_SPAWNER_WRITE, t, NULL, x, a, x->locks, a->locks};
                report(f, &race);
            }
        }
    }
}

/* ---- 2. copies of one thread --------------------------------------------------------- */

/* Every copy names the same map: no index that differs per copy or is unknown. */
static bool same_in_every_copy(const ms_path *p) {
    for (uint8_t i = 0; i < p->len; i++)
        if (p->steps[i].kind == MS_STEP_INDEX && !p->steps[i].index_sym && !p->steps[i].field)
            return false;
    return true;
}

static void against_copies(finder *f, ms_thread *t) {
    for (uint32_t i = 0; i < t->nacc; i++) {
        const ms_access *a = &t->acc[i];
        if (!is_access(a) || !ms_access_writes(a) || already(f, a) || !same_in_every_copy(&a->path))
            continue;
        /* Copies of t itself, or of its spawner (a handler starting a
         * goroutine per request). */
        const ms_thread *outer = NULL;
        if (!ms_thread_repeats(f->T, t, &a->path) &&
            !(outer = ms_thread_spawner_repeats(f->T, t, &a->path)))
            continue;
        /* Prefer another access of the copy to the write racing with itself. */
        const ms_access *racing = NULL;
        for (uint32_t k = 0; k < t->nacc && !racing; k++) {
            const ms_access *x = &t->acc[k];
            if (k != i && is_access(x) && ms_path_same(&a->path, &x->path) &&
                !excluded(f, &a->locks, &x->locks, false) &&
                !other_is_the_bug(&a->locks, x, &x->locks))
                racing = x;
        }
        if (!racing && !excluded(f, &a->locks, &a->locks, false))
            racing = a;
        if (racing) {
            ms_race race = {MS_RACE_SELF, t, outer, a, racing, a->locks, racing->locks};
            report(f, &race);
        }
    }
}

/* Functions a thread runs itself: its entry, what that calls, and the
 * function literals written inside those (they run on its behalf when
 * called through values). */
typedef struct reach_scan {
    const ms_unit *u;
    uint8_t *in;
    MS_VEC(uint32_t) stack;
} reach_scan;

static bool reach_calls(const ms_node *n, void *arg) {
    reach_scan *s = arg;
    if (n->kind == MS_NODE_CALL && n->u.call.callee != MS_NONE && n->u.call.callee < s->u->nfuncs &&
        !s->in[n->u.call.callee]) {
        s->in[n->u.call.callee] = 1;
        MS_VEC_PUSH(&s->stack, n->u.call.callee);
    }
    return true;
}

static const uint8_t *reach_from(finder *f, uint32_t func) {
    if (f->reach[func])
        return f->reach[func];
    const ms_unit *u = f->c->unit;
    uint8_t *in = MS_NEW_ARRAY(f->ctx->arena, uint8_t, u->nfuncs ? u->nfuncs : 1);
    reach_scan s = {.u = u, .in = in};
    in[func] = 1;
    MS_VEC_PUSH(&s.stack, func);
    while (s.stack.len) {
        uint32_t fn = s.stack.items[--s.stack.len];
        ms_node_walk(u->funcs[fn].body, reach_calls, &s);
    }
    MS_VEC_FREE(&s.stack);
    /* Closures nest in their parents: functions are numbered parent first. */
    for (uint32_t fn = 1; fn < u->nfuncs; fn++)
        if (!in[fn] && u->funcs[fn].parent && u->funcs[fn].parent < fn && in[u->funcs[fn].parent])
            in[fn] = 1;
    f->reach[func] = in;
    return in;
}

static const uint8_t *reach_of(finder *f, uint32_t t) {
    return reach_from(f, f->T->items[t].entry);
}

/* ---- 3. other threads ------------------------------------------------------------------ */

/* Index of thread accesses by what may make them meet: the root symbol, and
 * for receiver fields the receiver's type name too. */
typedef struct keyed {
    uint64_t key;
    uint32_t thread, access;
} keyed;

/* Apart from symbol ids (below 2^32) by the top bit. */
static uint64_t type_key(const char *name) {
    return ms_hash_bytes(name, strlen(name), 0) | 1ull << 63;
}

static int by_key(const void *a, const void *b) {
    const keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->thread != y->thread)
        return x->thread < y->thread ? -1 : 1;
    return x->access < y->access ? -1 : x->access > y->access;
}

static bool is_handler(const ms_thread *t) {
    return t->kind == MS_SPAWN_HANDLER;
}

/* Same object for two threads: the same variables need a shared scope;
 * spawners apart, only receiver fields by type and globals meet. */
static bool meet(finder *f, const ms_thread *t1, const ms_access *a, const ms_thread *t2,
                 const ms_access *x) {
    const ms_unit *u = f->c->unit;
    if (t1->spawner == t2->spawner)
        return ms_path_same(&a->path, &x->path);
    if (ms_path_same(&a->path, &x->path))
        return ms_sym_visible(u, a->path.root, t1->spawner) &&
               ms_sym_visible(u, a->path.root, t2->spawner);
    return ms_same_object(u, &a->path, &x->path, true);
}

/* One thread waits for the other to close a channel: a hand-over ("done"),
 * after which it goes on alone. */
static bool hands_over(const ms_thread *from, const ms_thread *to) {
    for (uint32_t i = 0; i < from->nacc; i++) {
        const ms_access *s = &from->acc[i];
        if (s->kind != MS_ACC_SIGNAL || s->node->kind != MS_NODE_SIGNAL ||
            s->node->u.signal.signal_kind != MS_SIGNAL_CLOSE)
            continue;
        for (uint32_t k = 0; k < to->nacc; k++)
            if (to->acc[k].kind == MS_ACC_JOIN && ms_path_same(&to->acc[k].path, &s->path))
                return true;
    }
    return false;
}

static bool overlap(finder *f, uint32_t i1, const ms_access *a, uint32_t i2, const ms_access *x) {
    ms_thread *t1 = &f->T->items[i1], *t2 = &f->T->items[i2];
    if (is_handler(t1) && is_handler(t2))
        return true;
    if (hands_over(t1, t2) || hands_over(t2, t1))
        return false;
    if (t1->spawner == t2->spawner)
        return ms_thread_overlaps(f->T, t1, t2->spawn, &a->path) ||
               ms_thread_overlaps(f->T, t2, t1->spawn, &x->path);
    /* A thread started by the other one is ordered by that one's joins,
     * which this comparison does not see. */
    if (reach_of(f, i2)[t1->spawner] || reach_of(f, i1)[t2->spawner])
        return false;
    /* Different spawners: a thread its spawner never joins runs on while
     * anything else does. */
    return !t1->confined || !t2->confined;
}

/* Every access of the run holds one same lock: no pair in it can race. */
static bool common_lock(const keyed *run, size_t n, const ms_threads *T) {
    const ms_access *first = &T->items[run[0].thread].acc[run[0].access];
    for (uint8_t l = 0; l < first->locks.n; l++) {
        uint32_t lock = first->locks.items[l].lock;
        bool everywhere = lock != MS_LOCK_CALLER;
        for (size_t i = 1; i < n && everywhere; i++)
            everywhere = ms_heldset_find(&T->items[run[i].thread].acc[run[i].access].locks, lock);
        if (everywhere)
            return true;
    }
    return false;
}

/* The write `w` of one thread against the accesses of the other threads in
 * its run of the index. */
static void against_others(finder *f, const keyed *run, size_t n, const keyed *w) {
    ms_thread *t1 = &f->T->items[w->thread];
    const ms_access *a = &t1->acc[w->access];
    if (!ms_access_writes(a) || already(f, a))
        return;
    for (size_t k = 0; k < n && !already(f, a); k++) {
        if (run[k].thread == w->thread)
            continue;
        ms_thread *t2 = &f->T->items[run[k].thread];
        const ms_access *x = &t2->acc[run[k].access];
        if (!meet(f, t1, a, t2, x))
            continue;
        bool apart = t1->spawner != t2->spawner;
        ms_heldset wl = a->locks, xl = x->locks;
        if (apart) {
            with_inherited(&a->locks, t1, &wl);
            with_inherited(&x->locks, t2, &xl);
        }
        if (excluded(f, &wl, &xl, apart) || other_is_the_bug(&wl, x, &xl) ||
            !overlap(f, w->thread, a, run[k].thread, x))
            continue;
        ms_race race = {MS_RACE_PAIR, t1, t2, a, x, wl, xl};
        report(f, &race);
    }
}

static void between_threads(finder *f) {
    ms_threads *T = f->T;
    const ms_unit *u = f->c->unit;
    MS_VEC(keyed) index = {0};
    for (uint32_t t = 0; t < T->n; t++) {
        for (uint32_t i = 0; i < T->items[t].nacc; i++) {
            const ms_access *a = &T->items[t].acc[i];
            if (!is_access(a))
                continue;
            keyed k = {a->path.root, t, i};
            MS_VEC_PUSH(&index, k);
            const ms_sym *root = ms_unit_sym(u, a->path.root);
            if (ms_typed_field(u, &a->path)) {
                k.key = type_key(root->type_name);
                MS_VEC_PUSH(&index, k);
            }
        }
    }
    if (index.len)
        qsort(index.items, index.len, sizeof(keyed), by_key);
    for (size_t start = 0; start < index.len;) {
        size_t end = start + 1;
        while (end < index.len && index.items[end].key == index.items[start].key)
            end++;
        if (!common_lock(index.items + start, end - start, T)) {
            for (size_t i = start; i < end; i++)
                against_others(f, index.items + start, end - start, &index.items[i]);
        }
        start = end;
    }
    MS_VEC_FREE(&index);
}

/* ---- 4. the lock that guards the map elsewhere ------------------------------------------- */

typedef struct guarded {
    uint64_t key;
    ms_access access; /* in its function's terms, with its locks */
} guarded;

static int guarded_by_key(const void *a, const void *b) {
    const guarded *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->access.node->id < y->access.node->id ? -1 : x->access.node->id > y->access.node->id;
}

/* Where a map lives for this comparison: a global, or a receiver type's field. */
static bool long_lived(const ms_unit *u, const ms_path *p, uint64_t *key) {
    const ms_sym *root = ms_unit_sym(u, p->root);
    if (!root)
        return false;
    if (root->kind == MS_SYM_GLOBAL) {
        *key = p->root;
        return true;
    }
    if (ms_typed_field(u, p)) {
        *key = type_key(root->type_name);
        return true;
    }
    return false;
}

/* The lock is about this map: a sibling field (s.mu for s.m), a global lock
 * for a global map, or the caller's lock of a ...Locked function. */
static bool guards(finder *f, const ms_path *map, const ms_held *h) {
    if (h->lock == MS_LOCK_CALLER)
        return true;
    const ms_path *lp = ms_locks_path(f->c->locks, h->lock);
    if (!lp)
        return false;
    if (lp->root == map->root)
        return true;
    const ms_sym *lr = ms_unit_sym(f->c->unit, lp->root), *mr = ms_unit_sym(f->c->unit, map->root);
    return lr && mr && lr->kind == MS_SYM_GLOBAL && mr->kind == MS_SYM_GLOBAL;
}

typedef struct guard_scan {
    finder *f;
    uint32_t func;
    MS_VEC(guarded) out;
} guard_scan;

static bool collect_guarded(const ms_node *n, void *arg) {
    guard_scan *s = arg;
    const ms_unit *u = s->f->c->unit;
    guarded g = {0};
    if (!ms_access_of_node(u, n, s->func, &g.access) || !is_access(&g.access))
        return true;
    const ms_sym *root = ms_unit_sym(u, g.access.path.root);
    if (!root || (root->kind != MS_SYM_GLOBAL && root->kind != MS_SYM_RECEIVER) ||
        !long_lived(u, &g.access.path, &g.key))
        return true;
    ms_heldset held;
    ms_locks_at(s->f->c->locks, s->func, n, &held);
    g.access.locks.unknown = held.unknown;
    for (uint8_t i = 0; i < held.n; i++)
        if (guards(s->f, &g.access.path, &held.items[i]))
            ms_heldset_add(&g.access.locks, &held.items[i]);
    if (g.access.locks.n)
        MS_VEC_PUSH(&s->out, g);
    return true;
}

static bool package_init(const ms_func *fn) {
    return !(fn->flags & (MS_FUNCF_METHOD | MS_FUNCF_CLOSURE)) && fn->name &&
           strcmp(fn->name, "init") == 0;
}

static void against_guards(finder *f) {
    const ms_unit *u = f->c->unit;
    if (ms_locks_none(f->c->locks))
        return;
    guard_scan s = {.f = f};
    for (uint32_t fn = 1; fn < u->nfuncs; fn++) {
        if (!u->funcs[fn].body || package_init(&u->funcs[fn]))
            continue;
        s.func = fn;
        ms_node_walk(u->funcs[fn].body, collect_guarded, &s);
    }
    if (!s.out.len) {
        MS_VEC_FREE(&s.out);
        return;
    }
    qsort(s.out.items, s.out.len, sizeof(guarded), guarded_by_key);
    ms_threads *T = f->T;
    for (uint32_t t = 0; t < T->n; t++) {
        ms_thread *th = &T->items[t];
        for (uint32_t i = 0; i < th->nacc; i++) {
            const ms_access *a = &th->acc[i];
            uint64_t key;
            if (!is_access(a) || !ms_access_writes(a) || already(f, a) ||
                !long_lived(u, &a->path, &key))
                continue;
            ms_heldset wl;
            with_inherited(&a->locks, th, &wl);
            guarded probe = {.key = key};
            size_t lo = 0, hi = s.out.len;
            while (lo < hi) { /* first entry with this key */
                size_t mid = (lo + hi) / 2;
                if (s.out.items[mid].key < probe.key)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (size_t k = lo; k < s.out.len && s.out.items[k].key == key && !already(f, a); k++) {
                const guarded *g = &s.out.items[k];
                if (g->access.func == th->spawner ||
                    !ms_same_object(u, &a->path, &g->access.path, true) ||
                    excluded(f, &wl, &g->access.locks, true))
                    continue;
                if (reach_of(f, t)[g->access.func])
                    continue; /* the thread itself, one step after the other */
                /* A thread joined by its spawner meets the spawner's own
                 * calls only in its region, which step 1 checked. */
                if (th->confined && reach_from(f, th->spawner)[g->access.func])
                    continue;
                ms_race race = {MS_RACE_GUARDED, th, NULL, a, &g->access, wl, g->access.locks};
                report(f, &race);
            }
        }
    }
    MS_VEC_FREE(&s.out);
}

static void run(ms_rule_ctx *ctx) {
    ms_concurrency *c = ms_rule_concurrency(ctx);
    ms_threads *T = ms_concurrency_threads(c);
    if (T->n == 0)
        return;
    finder f = {.ctx = ctx, .rule = &ms_rule_ms201, .c = c, .T = T};

    f.reported = MS_NEW_ARRAY(ctx->arena, uint8_t, ctx->unit->nnodes ? ctx->unit->nnodes : 1);
    f.reach = MS_NEW_ARRAY(ctx->arena, uint8_t *, ctx->unit->nfuncs ? ctx->unit->nfuncs : 1);
    for (uint32_t t = 0; t < T->n; t++)
        against_spawner(&f, &T->items[t]);
    for (uint32_t v = 0; v < T->nviews; v++)
        against_spawner(&f, &T->views[v]);
    for (uint32_t t = 0; t < T->n; t++)
        against_copies(&f, &T->items[t]);
    between_threads(&f);
    against_guards(&f);
}

const ms_rule ms_rule_ms201 = {
    .id = "MS201",
    .name = "unsynchronized-concurrent-map-write",
    .short_description = "Map written from a goroutine or thread without a lock",
    .full_description =
        "A map is written by one goroutine or thread while another may read, iterate or write "
        "it, and no lock is held on both sides. In Go this ends the program with \"fatal "
        "error: concurrent map writes\"; in C and C++ it is a data race.",
    .help_markdown = ms_help_MS201,
    .level_go = MS_LEVEL_ERROR,
    .level_c = MS_LEVEL_ERROR,
    .tags = {"correctness", "concurrency", "maps", NULL},
    .precision = "high",
    .problem_severity = "error",
    .run = run,
};
