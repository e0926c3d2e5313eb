#include "threads.h"

#include "binding.h"
#include "vec.h"

#include <string.h>

enum { MAX_SITES = 4096, MAX_CALL_ACCESSES = 96 };

static ms_cfg *cfg_of(ms_threads *T, uint32_t f) {
    if (!T->cfgs[f])
        T->cfgs[f] = ms_cfg_build(T->arena, &T->unit->funcs[f]);
    return T->cfgs[f];
}

/* ---- building ------------------------------------------------------------------ */

typedef struct loop_scan {
    const ms_node *start;
    ms_thread *t;
} loop_scan;

static bool find_loops(const ms_node *n, void *arg) {
    loop_scan *s = arg;
    if (!ms_node_contains(n, s->start))
        return false; /* the spawn is not below: skip the subtree */
    if (n->kind == MS_NODE_LOOP && s->t->nloops < MS_THREAD_LOOPS)
        s->t->loops[s->t->nloops++] = n;
    return true;
}

/* Accesses rewritten through a spawn or a call into `t`'s terms. A signal
 * on a channel that cannot be named there might be any channel. */
static void bind_all(ms_threads *T, ms_thread *t, const ms_binding *b, bool keep_params,
                     const ms_access *src, uint32_t n) {
    t->acc = MS_NEW_ARRAY(T->arena, ms_access, n ? n : 1);
    for (uint32_t i = 0; i < n; i++) {
        bool signal = src[i].kind == MS_ACC_SIGNAL;
        ms_access a;
        if ((signal && !ms_path_valid(&src[i].path)) ||
            !ms_access_bind(T->locks, b, keep_params, &src[i], &a)) {
            t->signals_unknown |= signal;
            continue;
        }
        t->acc[t->nacc++] = a;
    }
}

/* A mutex the spawner holds at the spawn and the thread unlocks is handed
 * over (a mutex used as a semaphore): others take it after the thread is
 * done with the map. */
static void handed_locks(ms_threads *T, ms_thread *t, const ms_binding *b) {
    ms_heldset at_spawn;
    ms_locks_at(T->locks, t->spawner, t->spawn, &at_spawn);
    for (uint8_t i = 0; i < at_spawn.n; i++) {
        const ms_held *h = &at_spawn.items[i];
        ms_path inside;
        if (h->lock == MS_LOCK_CALLER || h->mode != MS_LOCK_EXCLUSIVE ||
            !ms_bind_in(b, ms_locks_path(T->locks, h->lock), &inside) ||
            !ms_locks_releases(T->locks, t->entry, ms_locks_intern(T->locks, &inside)))
            continue;
        for (uint32_t k = 0; k < t->nacc; k++)
            ms_heldset_add(&t->acc[k].locks, h);
    }
}

/* The entry's summary in the spawner's terms. */
static void bind_accesses(ms_threads *T, ms_thread *t) {
    uint32_t n = 0;
    const ms_access *sum = ms_accesses_of(T->accesses, t->entry, &n);
    ms_binding b = {T->unit, t->entry, t->spawn->u.spawn.args, t->spawn->u.spawn.nargs};
    bind_all(T, t, &b, t->kind == MS_SPAWN_HANDLER, sum, n);
    handed_locks(T, t, &b);
}

typedef struct spawn_scan {
    ms_threads *T;
    uint32_t func;
    MS_VEC(ms_thread) out;
} spawn_scan;

static bool find_spawns(const ms_node *n, void *arg) {
    spawn_scan *s = arg;
    const ms_unit *u = s->T->unit;
    if (n->kind != MS_NODE_SPAWN)
        return true;
    uint32_t entry = n->u.spawn.entry;
    if (entry == MS_NONE || entry >= u->nfuncs || !u->funcs[entry].body)
        return true;
    ms_thread t = {.spawn = n,
                   .kind = n->u.spawn.spawn_kind,
                   .entry = entry,
                   .start = n,
                   .spawner = s->func,
                   .handle = n->u.spawn.handle};
    loop_scan ls = {n, &t};
    ms_node_walk(u->funcs[s->func].body, find_loops, &ls);
    MS_VEC_PUSH(&s->out, t);
    return true;
}

/* ---- callers' views ---------------------------------------------------------------- */

enum { MAX_VIEWS = 512 };

/* t as seen from `call`, a call of its spawner in function `caller`. */
static bool make_view(ms_threads *T, const ms_thread *t, uint32_t caller, const ms_node *call,
                      ms_thread *v) {
    const ms_unit *u = T->unit;
    ms_binding b = {u, t->spawner, call->u.call.args, call->u.call.nargs};
    *v = (ms_thread){.spawn = t->spawn,
                     .kind = t->kind,
                     .entry = t->entry,
                     .start = call,
                     .spawner = caller,
                     .caller_of = t,
                     .signals_unknown = t->signals_unknown};
    if (ms_path_valid(&t->handle))
        ms_bind_out(&b, &t->handle, &v->handle);
    bind_all(T, v, &b, false, t->acc, t->nacc);
    loop_scan ls = {call, v};
    ms_node_walk(u->funcs[caller].body, find_loops, &ls);
    return v->nacc > 0;
}

typedef struct view_scan {
    ms_threads *T;
    uint32_t func;
    const uint32_t *first; /* by function: index of its first unjoined thread + 1 */
    MS_VEC(ms_thread) out;
} view_scan;

static bool find_spawner_calls(const ms_node *n, void *arg) {
    view_scan *s = arg;
    if (n->kind != MS_NODE_CALL || n->u.call.flags & MS_CALLF_DEFERRED ||
        n->u.call.callee == MS_NONE || n->u.call.callee >= s->T->unit->nfuncs ||
        !s->first[n->u.call.callee])
        return true;
    uint32_t spawner = n->u.call.callee;
    for (uint32_t i = s->first[spawner] - 1; i < s->T->n && s->out.len < MAX_VIEWS; i++) {
        const ms_thread *t = &s->T->items[i];
        if (t->spawner != spawner)
            break;
        ms_thread v;
        if (!t->confined && make_view(s->T, t, s->func, n, &v))
            MS_VEC_PUSH(&s->out, v);
    }
    return true;
}

static void build_views(ms_threads *T) {
    const ms_unit *u = T->unit;
    /* Threads are in spawner order: a spawner's threads are contiguous. */
    uint32_t *first = ms_xcalloc(u->nfuncs ? u->nfuncs : 1, sizeof(uint32_t));
    bool any = false;
    for (uint32_t i = T->n; i-- > 0;) {
        if (!T->items[i].confined) {
            first[T->items[i].spawner] = i + 1;
            any = true;
        }
    }
    /* Point at the first thread of each spawner, confined or not. */
    for (uint32_t i = 0; i < T->n; i++)
        if (first[T->items[i].spawner] &&
            (i == 0 || T->items[i - 1].spawner != T->items[i].spawner))
            first[T->items[i].spawner] = i + 1;
    if (any) {
        view_scan s = {.T = T, .first = first};
        for (uint32_t f = 1; f < u->nfuncs; f++) {
            s.func = f;
            ms_node_walk(u->funcs[f].body, find_spawner_calls, &s);
        }
        T->nviews = (uint32_t)s.out.len;
        T->views = MS_NEW_ARRAY(T->arena, ms_thread, T->nviews ? T->nviews : 1);
        if (T->nviews)
            memcpy(T->views, s.out.items, sizeof(ms_thread) * T->nviews);
        MS_VEC_FREE(&s.out);
        for (uint32_t i = 0; i < T->nviews; i++)
            ms_thread_region_get(T, &T->views[i], 0);
    }
    free(first);
}

ms_threads *ms_threads_build(ms_arena *arena, const ms_unit *u, ms_cfg **cfgs, ms_locks *locks,
                             ms_accesses *accesses) {
    ms_threads *T = MS_NEW(arena, ms_threads);
    T->unit = u;
    T->arena = arena;
    T->cfgs = cfgs;
    T->locks = locks;
    T->accesses = accesses;
    T->sites = MS_NEW_ARRAY(arena, ms_site *, u->nfuncs ? u->nfuncs : 1);
    T->nsites = MS_NEW_ARRAY(arena, uint32_t, u->nfuncs ? u->nfuncs : 1);
    spawn_scan s = {.T = T};
    for (uint32_t f = 1; f < u->nfuncs; f++) {
        s.func = f;
        ms_node_walk(u->funcs[f].body, find_spawns, &s);
    }
    T->n = (uint32_t)s.out.len;
    T->items = MS_NEW_ARRAY(arena, ms_thread, T->n ? T->n : 1);
    if (T->n)
        memcpy(T->items, s.out.items, sizeof(ms_thread) * T->n);
    MS_VEC_FREE(&s.out);
    for (uint32_t i = 0; i < T->n; i++) {
        ms_thread *t = &T->items[i];
        bind_accesses(T, t);
        /* Confinement and inherited locks come with the plain region. */
        ms_thread_region_get(T, t, 0);
    }
    build_views(T);
    return T;
}

/* ---- fresh loops ------------------------------------------------------------------ */

typedef struct assign_scan {
    uint32_t sym;
    bool found;
} assign_scan;

static bool find_assign(const ms_node *n, void *arg) {
    assign_scan *s = arg;
    if (n->kind == MS_NODE_ASSIGN && n->u.assign.sym == s->sym)
        s->found = true;
    return !s->found;
}

/* Whether `sym` holds a new value in each iteration of `loop`. */
static bool varies_in(const ms_unit *u, uint32_t spawner, uint32_t sym, const ms_node *loop) {
    const ms_sym *s = ms_unit_sym(u, sym);
    if (!s || s->kind == MS_SYM_GLOBAL || s->func != spawner)
        return false;
    if (s->decl.file == loop->span.file && s->decl.start >= loop->span.start &&
        s->decl.start < loop->span.end)
        return true;
    assign_scan a = {.sym = sym};
    ms_node_walk(loop, find_assign, &a);
    return a.found;
}

uint64_t ms_thread_fresh_loops(const ms_threads *T, const ms_thread *t, const ms_path *p) {
    uint64_t fresh = 0;
    if (!ms_path_valid(p))
        return 0;
    for (uint8_t i = 0; i < t->nloops; i++) {
        bool varies = varies_in(T->unit, t->spawner, p->root, t->loops[i]);
        for (uint8_t k = 0; k < p->len && !varies; k++)
            if (p->steps[k].kind == MS_STEP_INDEX && p->steps[k].index_sym)
                varies = varies_in(T->unit, t->spawner, p->steps[k].index_sym, t->loops[i]);
        if (varies)
            fresh |= 1ull << i;
    }
    return fresh;
}

/* ---- joins ------------------------------------------------------------------------------ */

/* A receive of `chan` waits for t when t sends on it or closes it. */
static bool channel_waits(const ms_thread *t, const ms_path *chan) {
    if (t->signals_unknown)
        return true;
    for (uint32_t i = 0; i < t->nacc; i++) {
        const ms_access *a = &t->acc[i];
        if (a->kind != MS_ACC_SIGNAL)
            continue;
        if (!ms_path_valid(chan) || ms_path_same(&a->path, chan))
            return true;
    }
    return false;
}

/* The same handle up to its indexes: threads started into th[i] in one
 * loop and joined as th[j] in another (pthread_join, g_thread_join) are the
 * same array of threads. */
static bool same_handle_slots(const ms_path *handle, const ms_path *obj) {
    return handle->len == obj->len && ms_path_overlap(handle, obj);
}

/* A wait of kind `kind` on `obj` (spawner terms) waits for t. */
static bool join_waits(const ms_thread *t, uint8_t kind, const ms_path *obj) {
    const ms_path *handle = &t->handle;
    switch (kind) {
        case MS_JOIN_CHANNEL:
            return channel_waits(t, obj);
        case MS_JOIN_THREAD:
            return !ms_path_valid(handle) || !ms_path_valid(obj) || ms_path_same(handle, obj) ||
                   same_handle_slots(handle, obj);
        default:
            return true;
    }
}

/* A call of a helper that waits for t (it calls wg.Wait(), receives from
 * t's channel), found in the helper's summary. */
static bool call_waits(ms_threads *T, const ms_thread *t, const ms_node *call) {
    uint32_t callee = call->u.call.callee, n = 0;
    if (callee == MS_NONE || call->u.call.flags & MS_CALLF_DEFERRED)
        return false;
    const ms_access *sum = ms_accesses_of(T->accesses, callee, &n);
    ms_binding b = {T->unit, callee, call->u.call.args, call->u.call.nargs};
    for (uint32_t i = 0; i < n; i++) {
        if (sum[i].kind != MS_ACC_JOIN)
            continue;
        ms_path here = {0};
        if (ms_path_valid(&sum[i].path) && !ms_bind_out(&b, &sum[i].path, &here))
            continue;
        if (join_waits(t, sum[i].op, &here))
            return true;
    }
    return false;
}

static bool waits_for(ms_threads *T, const ms_thread *t, const ms_node *n);

typedef struct join_scan {
    ms_threads *T;
    const ms_thread *t;
    bool found;
} join_scan;

static bool find_join(const ms_node *n, void *arg) {
    join_scan *s = arg;
    if ((n->kind == MS_NODE_JOIN || n->kind == MS_NODE_LOOP || n->kind == MS_NODE_CALL) &&
        waits_for(s->T, s->t, n))
        s->found = true;
    return !s->found;
}

/* Whether passing node n means t has finished (or handed over). */
static bool waits_for(ms_threads *T, const ms_thread *t, const ms_node *n) {
    if (n->kind == MS_NODE_JOIN)
        return join_waits(t, n->u.join.join_kind, &n->u.join.obj);
    if (n->kind == MS_NODE_CALL)
        return call_waits(T, t, n);
    if (n->kind != MS_NODE_LOOP)
        return false;
    if (n->u.loop.range_kind == MS_RANGE_CHAN)
        return channel_waits(t, &n->u.loop.channel);
    /* A loop that waits inside (for range n { <-done }) may run zero
     * times on paper; in practice it is the join. */
    join_scan s = {.T = T, .t = t};
    ms_node_walk(n->u.loop.body, find_join, &s);
    return s.found;
}

/* ---- regions -------------------------------------------------------------------------- */

/* A loop with a constant trip count of one does not start anything twice. */
static bool runs_once(const ms_node *n) {
    return n->kind == MS_NODE_LOOP && n->u.loop.trip == MS_TRIP_CONST && n->u.loop.trip_const <= 1;
}

static bool fresh_header(const ms_thread *t, uint64_t fresh, const ms_node *n) {
    if (n->kind != MS_NODE_LOOP || !fresh)
        return false;
    for (uint8_t i = 0; i < t->nloops; i++)
        if ((fresh >> i & 1) && t->loops[i] == n)
            return true;
    return false;
}

typedef MS_VEC(ms_site) site_vec;

static void add_site(site_vec *v, uint32_t vertex, const ms_access *a) {
    if (v->len < MAX_SITES && (a->kind == MS_ACC_MAP || a->kind == MS_ACC_REBIND)) {
        ms_site s = {.vertex = vertex, .access = *a};
        MS_VEC_PUSH(v, s);
    }
}

const ms_site *ms_threads_sites(ms_threads *T, uint32_t func, uint32_t *count) {
    if (T->sites[func]) {
        *count = T->nsites[func];
        return T->sites[func];
    }
    const ms_cfg *g = cfg_of(T, func);
    site_vec v = {0};
    ms_access *buf = ms_xmalloc(sizeof(ms_access) * MAX_CALL_ACCESSES);
    for (uint32_t i = 0; i < g->n; i++) {
        const ms_node *n = g->nodes[i];
        if (!n)
            continue;
        if (n->kind == MS_NODE_CALL) {
            if (n->u.call.flags & MS_CALLF_DEFERRED)
                continue;
            uint32_t k = ms_accesses_of_call(T->accesses, func, n, buf, MAX_CALL_ACCESSES);
            for (uint32_t j = 0; j < k; j++)
                add_site(&v, i, &buf[j]);
            continue;
        }
        ms_access a;
        if (!ms_access_of_node(T->unit, n, func, &a) ||
            ms_access_doomed_read(T->accesses, &a, func, n))
            continue;
        ms_locks_at(T->locks, func, n, &a.locks);
        add_site(&v, i, &a);
    }
    free(buf);
    T->nsites[func] = (uint32_t)v.len;
    T->sites[func] = MS_NEW_ARRAY(T->arena, ms_site, v.len ? v.len : 1);
    if (v.len)
        memcpy(T->sites[func], v.items, sizeof(ms_site) * v.len);
    MS_VEC_FREE(&v);
    *count = T->nsites[func];
    return T->sites[func];
}

/* The spawner's locks held at the spawn and at every join that ends the
 * thread: the thread runs entirely under them. */
static void inherit_locks(ms_threads *T, ms_thread *t, const uint32_t *frontier, uint32_t nf,
                          const ms_cfg *g) {
    ms_heldset at_spawn;
    ms_locks_at(T->locks, t->spawner, t->start, &at_spawn);
    t->inherited.n = 0;
    t->inherited.unknown = at_spawn.unknown; /* it may hold more for the thread's life */
    for (uint8_t i = 0; i < at_spawn.n; i++) {
        bool everywhere = at_spawn.items[i].mode == MS_LOCK_EXCLUSIVE;
        for (uint32_t k = 0; k < nf && everywhere; k++) {
            ms_heldset at_join;
            ms_locks_at(T->locks, t->spawner, g->nodes[frontier[k]], &at_join);
            const ms_held *h = ms_heldset_find(&at_join, at_spawn.items[i].lock);
            everywhere = h && h->mode == MS_LOCK_EXCLUSIVE;
        }
        if (everywhere)
            ms_heldset_add(&t->inherited, &at_spawn.items[i]);
    }
}

const ms_thread_region *ms_thread_region_get(ms_threads *T, ms_thread *t, uint64_t fresh) {
    for (ms_thread_region *r = t->regions; r; r = r->next)
        if (r->fresh == fresh)
            return r;
    ms_cfg *g = cfg_of(T, t->spawner);
    uint32_t nv = g->n + 2;
    ms_thread_region *r = MS_NEW(T->arena, ms_thread_region);
    r->fresh = fresh;
    r->in = MS_NEW_ARRAY(T->arena, uint64_t, (nv + 63) / 64);
    uint8_t *seen = ms_xcalloc(nv, 1);
    uint32_t *stack = ms_xmalloc(sizeof(uint32_t) * nv);
    uint32_t *frontier = ms_xmalloc(sizeof(uint32_t) * nv);
    uint32_t top = 0, nf = 0, start = ms_cfg_vertex(g, t->start);
    stack[top++] = start;
    while (top) {
        uint32_t v = stack[--top];
        const ms_node *vn = v < g->n ? g->nodes[v] : NULL;
        /* A loop that runs once has no next iteration: leave it. */
        const ms_node *once = vn && runs_once(vn) && ms_node_contains(vn, t->start) ? vn : NULL;
        for (uint32_t e = g->succ_start[v]; e < g->succ_start[v + 1]; e++) {
            uint32_t w = g->succ[e];
            if (seen[w] || (once && w < g->n && g->nodes[w] && ms_node_contains(once, g->nodes[w])))
                continue;
            seen[w] = 1;
            const ms_node *n = w < g->n ? g->nodes[w] : NULL;
            if (n && (fresh_header(t, fresh, n) || waits_for(T, t, n))) {
                if (!fresh_header(t, fresh, n))
                    frontier[nf++] = w;
                continue;
            }

            r->in[w / 64] |= 1ull << (w % 64);
            if (w == start)
                r->repeats = true;
            stack[top++] = w;
        }
    }
    if (fresh == 0) {
        t->confined = !ms_region_has(r, g->exit);
        if (t->confined)
            inherit_locks(T, t, frontier, nf, g);
    }
    free(seen);
    free(stack);
    free(frontier);
    r->next = t->regions;
    t->regions = r;
    return r;
}

bool ms_thread_repeats(ms_threads *T, ms_thread *t, const ms_path *p) {
    if (t->kind == MS_SPAWN_HANDLER)
        return true;
    return ms_thread_region_get(T, t, ms_thread_fresh_loops(T, t, p))->repeats;
}

const ms_thread *ms_thread_spawner_repeats(ms_threads *T, const ms_thread *t, const ms_path *p) {
    const ms_unit *u = T->unit;
    const ms_sym *root = ms_unit_sym(u, p->root);
    if (!root || t->caller_of)
        return NULL;
    bool global = root->kind == MS_SYM_GLOBAL;
    bool outside = !global && root->func != t->spawner; /* captured from further out */
    /* A handler's receiver is bound at registration; its other parameters
     * (the request) differ per copy, like the spawner's locals. */
    bool receiver = root->func == t->spawner && root->kind == MS_SYM_RECEIVER;
    if (!global && !outside && !receiver)
        return NULL;
    for (uint32_t i = 0; i < T->n; i++) {
        ms_thread *s = &T->items[i];
        if (s->entry != t->spawner)
            continue;
        /* The copies of a goroutine started in a loop share only what is
         * global or captured. */
        if (s->kind == MS_SPAWN_HANDLER)
            return s;
        if ((global || outside) && ms_thread_region_get(T, s, 0)->repeats)
            return s;
    }
    return NULL;
}

bool ms_thread_overlaps(ms_threads *T, ms_thread *t, const ms_node *spawn, const ms_path *p) {
    const ms_thread_region *r = ms_thread_region_get(T, t, ms_thread_fresh_loops(T, t, p));
    return ms_region_has(r, ms_cfg_vertex(cfg_of(T, t->spawner), spawn));
}
