#include "lockset.h"

#include "binding.h"
#include "intern.h"
#include "vec.h"

#include <string.h>

/* ---- held sets ------------------------------------------------------------ */

bool ms_heldset_add(ms_heldset *s, const ms_held *h) {
    for (uint8_t i = 0; i < s->n; i++) {
        if (s->items[i].lock == h->lock) {
            if (h->mode == MS_LOCK_EXCLUSIVE || s->items[i].mode == MS_LOCK_EXCLUSIVE)
                s->items[i].mode = MS_LOCK_EXCLUSIVE;
            else if (h->mode != s->items[i].mode)
                s->items[i].mode = MS_HELD_MIXED;
            return true;
        }
    }
    if (s->n >= MS_HELD_MAX) {
        s->unknown = true; /* a lock dropped: the set no longer says what is held */
        return false;
    }
    s->items[s->n++] = *h;
    return true;
}

void ms_heldset_merge(ms_heldset *into, const ms_heldset *from) {
    into->unknown |= from->unknown;
    for (uint8_t i = 0; i < from->n; i++)
        ms_heldset_add(into, &from->items[i]);
}

const ms_held *ms_heldset_find(const ms_heldset *s, uint32_t lock) {
    for (uint8_t i = 0; i < s->n; i++)
        if (s->items[i].lock == lock)
            return &s->items[i];
    return NULL;
}

/* ---- lock paths ------------------------------------------------------------- */

typedef struct lock_table {
    ms_arena *arena;
    ms_path *paths; /* by id; 0 is MS_LOCK_CALLER */
    uint32_t len, cap;
    uint32_t *slots; /* open addressing: id, 0 empty */
    size_t nslots;
} lock_table;

/* Hashes what ms_path_identical compares, field by field (the padding of
 * steps is not initialised); interned field names compare by address. */
static uint64_t path_hash(const ms_path *p) {
    uint64_t h = ms_hash_bytes(&p->root, sizeof(p->root), 0);
    for (uint8_t i = 0; i < p->len; i++) {
        const ms_step *s = &p->steps[i];
        uintptr_t field = (uintptr_t)s->field;
        h = ms_hash_bytes(&s->kind, sizeof(s->kind), h);
        h = ms_hash_bytes(&field, sizeof(field), h);
        h = ms_hash_bytes(&s->index_sym, sizeof(s->index_sym), h);
    }
    return h ^ (h >> 29);
}

/* The table lives in the unit's arena (queries outlive the computation);
 * growing abandons the old arrays there, at most doubling the memory. */
static void table_grow(lock_table *t) {
    uint32_t cap = t->cap ? t->cap * 2 : 32;
    ms_path *paths = MS_NEW_ARRAY(t->arena, ms_path, cap);
    if (t->len)
        memcpy(paths, t->paths, sizeof(ms_path) * t->len);
    t->paths = paths;
    t->cap = cap;
    size_t nslots = (size_t)cap * 2;
    uint32_t *slots = MS_NEW_ARRAY(t->arena, uint32_t, nslots);
    for (uint32_t id = 1; id < t->len; id++) {
        size_t i = path_hash(&t->paths[id]) & (nslots - 1);
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = id;
    }
    t->slots = slots;
    t->nslots = nslots;
}

static uint32_t table_intern(lock_table *t, const ms_path *p) {
    if (t->len + 1 >= t->cap)
        table_grow(t);
    size_t i = path_hash(p) & (t->nslots - 1);
    while (t->slots[i]) {
        if (ms_path_identical(&t->paths[t->slots[i]], p))
            return t->slots[i];
        i = (i + 1) & (t->nslots - 1);
    }
    t->paths[t->len] = *p;
    t->slots[i] = t->len;
    return t->len++;
}

/* ---- per-function state ---------------------------------------------------------- */

enum { MAX_SLOTS = 64, MAX_ROUNDS = 8 };

/* A lock as this function tracks it: a lock id, and for scoped (RAII) locks
 * the block it leaves with. */
typedef struct slot {
    uint32_t lock;
    uint32_t scope_first, scope_last; /* node ids; 0: not scoped */
    ms_span at;
} slot;

/* Slots held on every path, held exclusively on every path, and held
 * shared on every path; a slot held exclusively on one path and shared on
 * another is only `held`. `maybe`: slots a called wrapper may or may not
 * have left held (on some path). `unknown`: a lock could not be tracked
 * (no slot left), so the set says nothing. */
typedef struct lockstate {
    uint64_t held, excl, shared, maybe;
    bool unknown;
} lockstate;

/* What a vertex does to the held set: gen or kill a mask of slots, mark
 * them maybe held, or lose track. */
typedef enum { OP_GEN_EXCL = 1, OP_GEN_SHARED, OP_KILL, OP_GEN_MAYBE, OP_UNKNOWN } op_kind;
typedef struct lock_op {
    uint64_t mask;
    uint32_t lock; /* OP_KILL: the lock whose slots it clears */
    uint8_t kind;
} lock_op;

/* What calling a function does to its caller's locks (lock wrappers), in
 * the function's own terms: acquire (the mode), release (0), may or may not
 * return holding the lock (EFFECT_MAYBE), or loses track of what is held
 * (EFFECT_UNKNOWN, no lock). */
enum { EFFECT_RELEASE = 0, EFFECT_MAYBE = 4, EFFECT_UNKNOWN = 5 };
typedef struct lock_effect {
    uint32_t lock;
    uint8_t mode; /* ms_lock_mode, or an EFFECT_ value */
    ms_span at;
} lock_effect;

typedef struct call_site {
    uint32_t caller;
    const ms_node *node; /* CALL, or SPAWN (a caller that holds nothing) */
} call_site;

typedef struct func_locks {
    bool has_lock_nodes, computed;
    MS_VEC(slot) slots;
    uint64_t scoped_mask;
    lockstate *in; /* in-state per CFG vertex */
    uint8_t *reached;
    uint32_t nv;
    ms_heldset entry;
    MS_VEC(lock_effect) effects;
    MS_VEC(call_site) sites;
} func_locks;

struct ms_locks {
    const ms_unit *u;
    ms_arena *arena;
    ms_cfg **cfgs;
    lock_table table;
    func_locks *fl; /* by function id */
    bool none;
};

uint32_t ms_locks_intern(ms_locks *L, const ms_path *p) {
    return table_intern(&L->table, p);
}

const ms_path *ms_locks_path(const ms_locks *L, uint32_t lock) {
    return lock && lock < L->table.len ? &L->table.paths[lock] : NULL;
}

bool ms_locks_none(const ms_locks *L) {
    return L->none;
}

static ms_cfg *cfg_of(ms_locks *L, uint32_t f) {
    if (!L->cfgs[f])
        L->cfgs[f] = ms_cfg_build(L->arena, &L->u->funcs[f]);
    return L->cfgs[f];
}

static int slot_index(func_locks *fs, uint32_t lock, uint32_t scope_first, uint32_t scope_last,
                      ms_span at) {
    for (size_t i = 0; i < fs->slots.len; i++)
        if (fs->slots.items[i].lock == lock && fs->slots.items[i].scope_first == scope_first)
            return (int)i;
    if (fs->slots.len >= MAX_SLOTS)
        return -1;
    slot s = {.lock = lock, .scope_first = scope_first, .scope_last = scope_last, .at = at};
    MS_VEC_PUSH(&fs->slots, s);
    if (scope_first)
        fs->scoped_mask |= 1ull << (fs->slots.len - 1);
    return (int)fs->slots.len - 1;
}

static uint64_t mask_of_lock(const func_locks *fs, uint32_t lock) {
    uint64_t m = 0;
    for (size_t i = 0; i < fs->slots.len; i++)
        if (fs->slots.items[i].lock == lock)
            m |= 1ull << i;
    return m;
}

/* ---- the dataflow of one function -------------------------------------------------- */

typedef struct flow {
    ms_locks *L;
    uint32_t func;
    func_locks *fs;
    ms_cfg *g;
    MS_VEC(lock_op) ops;
    uint32_t *op_start; /* per vertex, CSR into ops */
    MS_VEC(uint32_t) op_vertex;
    uint64_t deferred_release;           /* slots released when the function returns */
    MS_VEC(uint32_t) deferred;           /* lock ids released by defer */
    bool deferred_unknown;               /* a deferred call whose lock effects are unknown */
    MS_VEC(uint32_t) released, acquired; /* lock ids, for effects */
} flow;

static void add_op(flow *fl, uint32_t v, uint64_t mask, uint32_t lock, op_kind kind) {
    lock_op op = {.mask = mask, .lock = lock, .kind = (uint8_t)kind};
    MS_VEC_PUSH(&fl->ops, op);
    MS_VEC_PUSH(&fl->op_vertex, v);
}

/* An acquire of `id` at vertex v in a slot of its own; with no slot left
 * the analysis loses track there, and says so. */
static void gen_op(flow *fl, uint32_t v, uint32_t id, const ms_node *scope, ms_span at,
                   op_kind kind) {
    int s = slot_index(fl->fs, id, scope ? scope->id : 0, scope ? scope->last_id : 0, at);
    if (s < 0)
        add_op(fl, v, 0, id, OP_UNKNOWN);
    else
        add_op(fl, v, 1ull << s, id, kind);
}

static void lock_node_ops(flow *fl, const ms_node *n, const ms_node *block) {
    if (!ms_path_valid(&n->u.lock.lock))
        return;
    uint32_t id = ms_locks_intern(fl->L, &n->u.lock.lock);
    uint32_t v = ms_cfg_vertex(fl->g, n);
    if (n->u.lock.action == MS_LOCK_RELEASE) {
        MS_VEC_PUSH(&fl->released, id);
        if (n->u.lock.deferred)
            MS_VEC_PUSH(&fl->deferred, id);
        else
            add_op(fl, v, 0, id, OP_KILL);
        return;
    }
    if (n->u.lock.deferred)
        return;
    MS_VEC_PUSH(&fl->acquired, id);
    gen_op(fl, v, id, n->u.lock.scoped ? block : NULL, n->span,
           n->u.lock.mode == MS_LOCK_SHARED ? OP_GEN_SHARED : OP_GEN_EXCL);
}

/* A deferred call runs when the function returns: the locks it releases
 * count as deferred releases (defer c.unlock(), defer func() { mu.Unlock()
 * }()). When its effects are unknown (no function of the unit, no body, a
 * lock the caller cannot name, an acquire), what the function returns
 * holding is unknown too. */
static void deferred_call_ops(flow *fl, const ms_node *n) {
    const ms_unit *u = fl->L->u;
    uint32_t callee = n->u.call.callee;
    if (callee == MS_NONE || callee >= u->nfuncs || !u->funcs[callee].body) {
        fl->deferred_unknown = true;
        return;
    }
    const func_locks *cs = &fl->L->fl[callee];
    ms_binding b = {u, callee, n->u.call.args, n->u.call.nargs};
    for (size_t i = 0; i < cs->effects.len; i++) {
        const lock_effect *e = &cs->effects.items[i];
        ms_path here;
        if (e->mode != EFFECT_RELEASE || !ms_bind_out(&b, ms_locks_path(fl->L, e->lock), &here)) {
            fl->deferred_unknown = true;
            continue;
        }
        uint32_t id = ms_locks_intern(fl->L, &here);
        MS_VEC_PUSH(&fl->released, id);
        MS_VEC_PUSH(&fl->deferred, id);
    }
}

static void call_node_ops(flow *fl, const ms_node *n) {
    uint32_t callee = n->u.call.callee;
    if (n->u.call.flags & MS_CALLF_DEFERRED) {
        deferred_call_ops(fl, n);
        return;
    }
    if (callee == MS_NONE || callee >= fl->L->u->nfuncs)
        return;
    func_locks *cs = &fl->L->fl[callee];
    ms_binding b = {fl->L->u, callee, n->u.call.args, n->u.call.nargs};
    uint32_t v = ms_cfg_vertex(fl->g, n);
    for (size_t i = 0; i < cs->effects.len; i++) {
        const lock_effect *e = &cs->effects.items[i];
        ms_path here;
        if (e->mode == EFFECT_UNKNOWN) {
            add_op(fl, v, 0, 0, OP_UNKNOWN);
            continue;
        }
        if (!ms_bind_out(&b, ms_locks_path(fl->L, e->lock), &here))
            continue;
        uint32_t id = ms_locks_intern(fl->L, &here);
        if (e->mode == EFFECT_RELEASE) {
            MS_VEC_PUSH(&fl->released, id);
            add_op(fl, v, 0, id, OP_KILL);
            continue;
        }
        MS_VEC_PUSH(&fl->acquired, id);
        gen_op(fl, v, id, NULL, e->at,
               e->mode == EFFECT_MAYBE     ? OP_GEN_MAYBE
               : e->mode == MS_LOCK_SHARED ? OP_GEN_SHARED
                                           : OP_GEN_EXCL);
    }
}

/* Collects the ops of every vertex, knowing each LOCK node's block. */
static void collect_ops(flow *fl, const ms_node *n, const ms_node *block) {
    if (!n)
        return;
    switch (n->kind) {
        case MS_NODE_BLOCK:
            for (uint32_t i = 0; i < n->u.block.len; i++)
                collect_ops(fl, n->u.block.items[i], n);
            break;
        case MS_NODE_BRANCH:
            for (uint32_t i = 0; i < n->u.branch.narms; i++)
                collect_ops(fl, n->u.branch.arms[i], block);
            break;
        case MS_NODE_LOOP:
            collect_ops(fl, n->u.loop.body, block);
            collect_ops(fl, n->u.loop.post, block);
            break;
        case MS_NODE_LOCK:
            lock_node_ops(fl, n, block);
            break;
        case MS_NODE_CALL:
            call_node_ops(fl, n);
            break;
        default:
            break;
    }
}

/* Held on every path; maybe held or unknown on any. */
static bool meet(lockstate *into, const lockstate *other) {
    lockstate old = *into;
    into->held &= other->held;
    into->excl &= other->excl;
    into->shared &= other->shared;
    into->maybe |= other->maybe;
    into->unknown |= other->unknown;
    return old.held != into->held || old.excl != into->excl || old.shared != into->shared ||
           old.maybe != into->maybe || old.unknown != into->unknown;
}

static void apply(lockstate *st, const lock_op *op) {
    switch ((op_kind)op->kind) {
        case OP_KILL:
            st->held &= ~op->mask;
            st->excl &= ~op->mask;
            st->shared &= ~op->mask;
            st->maybe &= ~op->mask;
            break;
        case OP_GEN_EXCL:
            st->held |= op->mask;
            st->excl |= op->mask;
            st->shared &= ~op->mask;
            st->maybe &= ~op->mask;
            break;
        case OP_GEN_SHARED:
            if (!(st->excl & op->mask)) {
                st->held |= op->mask;
                st->shared |= op->mask;
            }
            st->maybe &= ~op->mask;
            break;
        case OP_GEN_MAYBE:
            st->maybe |= op->mask;
            break;
        case OP_UNKNOWN:
            st->unknown = true;
            break;
    }
}

static void run_flow(flow *fl) {
    func_locks *fs = fl->fs;
    ms_cfg *g = fl->g;
    uint32_t nv = g->n + 2;
    if (fs->nv != nv || !fs->in) {
        fs->nv = nv;
        fs->in = MS_NEW_ARRAY(fl->L->arena, lockstate, nv);
        fs->reached = MS_NEW_ARRAY(fl->L->arena, uint8_t, nv);
    }
    memset(fs->in, 0, sizeof(lockstate) * nv);
    memset(fs->reached, 0, nv);

    /* Kills name locks: every slot of the lock, known now that all are. */
    for (size_t i = 0; i < fl->ops.len; i++)
        if (fl->ops.items[i].kind == OP_KILL)
            fl->ops.items[i].mask = mask_of_lock(fs, fl->ops.items[i].lock);
    for (size_t i = 0; i < fl->deferred.len; i++)
        fl->deferred_release |= mask_of_lock(fs, fl->deferred.items[i]);

    /* ops in CSR by vertex */
    fl->op_start = ms_xcalloc(nv + 1, sizeof(uint32_t));
    for (size_t i = 0; i < fl->op_vertex.len; i++)
        fl->op_start[fl->op_vertex.items[i] + 1]++;
    for (uint32_t v = 0; v < nv; v++)
        fl->op_start[v + 1] += fl->op_start[v];
    lock_op *sorted = ms_xmalloc(sizeof(lock_op) * (fl->ops.len ? fl->ops.len : 1));
    uint32_t *fill = ms_xcalloc(nv, sizeof(uint32_t));
    for (size_t i = 0; i < fl->ops.len; i++) {
        uint32_t v = fl->op_vertex.items[i];
        sorted[fl->op_start[v] + fill[v]++] = fl->ops.items[i];
    }
    free(fill);

    lockstate *start = &fs->in[g->entry];
    start->unknown = fs->entry.unknown;
    for (uint8_t i = 0; i < fs->entry.n; i++) {
        const ms_held *h = &fs->entry.items[i];
        int k = slot_index(fs, h->lock, 0, 0, h->at);
        if (k < 0) {
            start->unknown = true;
            continue;
        }
        start->held |= 1ull << k;
        if (h->mode == MS_LOCK_SHARED)
            start->shared |= 1ull << k;
        else if (h->mode == MS_LOCK_EXCLUSIVE)
            start->excl |= 1ull << k;
    }
    fs->reached[g->entry] = 1;

    uint32_t *stack = ms_xmalloc(sizeof(uint32_t) * nv);
    uint8_t *queued = ms_xcalloc(nv, 1);
    uint32_t top = 0;
    stack[top++] = g->entry;
    queued[g->entry] = 1;
    while (top) {
        uint32_t v = stack[--top];
        queued[v] = 0;
        lockstate out = fs->in[v];
        for (uint32_t k = fl->op_start[v]; k < fl->op_start[v + 1]; k++)
            apply(&out, &sorted[k]);
        for (uint32_t e = g->succ_start[v]; e < g->succ_start[v + 1]; e++) {
            uint32_t w = g->succ[e];
            lockstate st = out;
            if (fs->scoped_mask & st.held) {
                /* A scoped lock is released when control leaves its block. */
                const ms_node *wn = w < g->n ? g->nodes[w] : NULL;
                for (size_t i = 0; i < fs->slots.len; i++) {
                    const slot *sl = &fs->slots.items[i];
                    if (sl->scope_first &&
                        (!wn || wn->id < sl->scope_first || wn->id > sl->scope_last)) {
                        lock_op leave = {.mask = 1ull << i, .kind = OP_KILL};
                        apply(&st, &leave);
                    }
                }
            }
            bool changed;
            if (!fs->reached[w]) {
                fs->reached[w] = 1;
                fs->in[w] = st;
                changed = true;
            } else {
                changed = meet(&fs->in[w], &st);
            }
            if (changed && !queued[w]) {
                queued[w] = 1;
                stack[top++] = w;
            }
        }
    }
    free(stack);
    free(queued);
    free(sorted);
    free(fl->op_start);
    fl->op_start = NULL;
}

static bool contains_id(const uint32_t *ids, size_t n, uint32_t id) {
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

/* Lock-wrapper effects from the finished flow: locks held at the exit that
 * the function acquired itself (only maybe held when a deferred call's
 * effects are unknown), and locks it releases without acquiring. Only those
 * its callers can name (not its own locals) are kept. A function that loses
 * track of its own locks loses its callers' track too. Returns whether they
 * changed. */
static bool derive_effects(flow *fl) {
    func_locks *fs = fl->fs;
    const ms_unit *u = fl->L->u;
    MS_VEC(lock_effect) out = {0};
    uint32_t x = fl->g->exit;
    if (fs->reached[x]) {
        const lockstate *st = &fs->in[x];
        if (st->unknown && !fs->entry.unknown) {
            lock_effect e = {.mode = EFFECT_UNKNOWN};
            MS_VEC_PUSH(&out, e);
        }
        uint64_t kept = ~fl->deferred_release & ~fs->scoped_mask;
        for (size_t i = 0; i < fs->slots.len; i++) {
            const slot *s = &fs->slots.items[i];
            bool held = (st->held & kept) >> i & 1, maybe = (st->maybe & kept) >> i & 1;
            if ((!held && !maybe) || s->lock == MS_LOCK_CALLER ||
                ms_heldset_find(&fs->entry, s->lock))
                continue;
            const ms_path *p = ms_locks_path(fl->L, s->lock);
            const ms_sym *root = ms_unit_sym(u, p->root);
            if (!root || (root->kind == MS_SYM_LOCAL && root->func == fl->func))
                continue;
            uint8_t mode = maybe || fl->deferred_unknown ? EFFECT_MAYBE
                           : st->shared >> i & 1         ? MS_LOCK_SHARED
                                                         : MS_LOCK_EXCLUSIVE;
            lock_effect e = {.lock = s->lock, .mode = mode, .at = s->at};
            MS_VEC_PUSH(&out, e);
        }
    }
    for (size_t i = 0; i < fl->released.len; i++) {
        uint32_t id = fl->released.items[i];
        if (contains_id(fl->acquired.items, fl->acquired.len, id) ||
            contains_id(fl->released.items, i, id))
            continue;
        const ms_path *p = ms_locks_path(fl->L, id);
        const ms_sym *root = ms_unit_sym(u, p->root);
        if (!root || (root->kind == MS_SYM_LOCAL && root->func == fl->func))
            continue;
        lock_effect e = {.lock = id, .mode = EFFECT_RELEASE};
        MS_VEC_PUSH(&out, e);
    }
    bool changed = out.len != fs->effects.len;
    for (size_t i = 0; i < out.len && !changed; i++)
        changed = out.items[i].lock != fs->effects.items[i].lock ||
                  out.items[i].mode != fs->effects.items[i].mode;
    MS_VEC_FREE(&fs->effects);
    fs->effects.items = out.items;
    fs->effects.len = out.len;
    fs->effects.cap = out.cap;
    return changed;
}

static uint8_t mode_of(const lockstate *st, uint64_t bit) {
    return st->excl & bit ? MS_LOCK_EXCLUSIVE : st->shared & bit ? MS_LOCK_SHARED : MS_HELD_MIXED;
}

static void held_from_state(const func_locks *fs, uint32_t v, ms_heldset *out) {
    out->n = 0;
    out->unknown = false;
    if (!fs->computed || v >= fs->nv || !fs->reached[v])
        return;
    const lockstate *st = &fs->in[v];
    out->unknown = st->unknown || st->maybe;
    for (size_t i = 0; i < fs->slots.len; i++) {
        uint64_t bit = 1ull << i;
        if (!(st->held & bit))
            continue;
        ms_held h = {
            .lock = fs->slots.items[i].lock, .mode = mode_of(st, bit), .at = fs->slots.items[i].at};
        ms_heldset_add(out, &h);
    }
}

/* Intersection of the locks held at every call site, in the callee's terms.
 * Returns false when no call site has been analysed yet. */
static bool entry_from_sites(ms_locks *L, uint32_t f, ms_heldset *out) {
    func_locks *fs = &L->fl[f];
    out->n = 0;
    bool first = true;
    for (size_t i = 0; i < fs->sites.len; i++) {
        const call_site *cs = &fs->sites.items[i];
        if (cs->node->kind == MS_NODE_SPAWN) {
            out->n = 0;
            out->unknown = false;
            return true;
        }
        func_locks *caller = &L->fl[cs->caller];
        ms_heldset here = {0}, mine = {0};
        if (caller->computed) {
            ms_cfg *g = cfg_of(L, cs->caller);
            held_from_state(caller, ms_cfg_vertex(g, cs->node), &here);
        } else if (caller->has_lock_nodes) {
            continue; /* not analysed yet: no constraint for now */
        }
        ms_binding b = {L->u, f, cs->node->u.call.args, cs->node->u.call.nargs};
        mine.unknown = here.unknown;
        for (uint8_t k = 0; k < here.n; k++) {
            ms_held h = here.items[k];
            if (h.lock != MS_LOCK_CALLER) {
                ms_path p;
                if (!ms_bind_in(&b, ms_locks_path(L, h.lock), &p))
                    continue;
                h.lock = ms_locks_intern(L, &p);
            }
            ms_heldset_add(&mine, &h);
        }
        if (first) {
            *out = mine;
            first = false;
            continue;
        }
        ms_heldset both = {.unknown = out->unknown || mine.unknown};
        for (uint8_t k = 0; k < out->n; k++) {
            const ms_held *other = ms_heldset_find(&mine, out->items[k].lock);
            if (!other)
                continue;
            ms_held h = out->items[k];
            if (other->mode != h.mode)
                h.mode = MS_HELD_MIXED;
            ms_heldset_add(&both, &h);
        }
        *out = both;
    }
    return !first || fs->sites.len == 0;
}

static bool same_heldset(const ms_heldset *a, const ms_heldset *b) {
    if (a->n != b->n || a->unknown != b->unknown)
        return false;
    for (uint8_t i = 0; i < a->n; i++) {
        const ms_held *h = ms_heldset_find(b, a->items[i].lock);
        if (!h || h->mode != a->items[i].mode)
            return false;
    }
    return true;
}

/* Whether the function needs a flow: it locks, or inherits or calls locks. */
static bool relevant(const ms_locks *L, uint32_t f) {
    const func_locks *fs = &L->fl[f];
    return fs->has_lock_nodes || fs->entry.n > 0 || fs->slots.len > 0;
}

static bool calls_with_effects(const ms_locks *L, const ms_node *n) {
    if (!n)
        return false;
    switch (n->kind) {
        case MS_NODE_BLOCK:
            for (uint32_t i = 0; i < n->u.block.len; i++)
                if (calls_with_effects(L, n->u.block.items[i]))
                    return true;
            return false;
        case MS_NODE_BRANCH:
            for (uint32_t i = 0; i < n->u.branch.narms; i++)
                if (calls_with_effects(L, n->u.branch.arms[i]))
                    return true;
            return false;
        case MS_NODE_LOOP:
            return calls_with_effects(L, n->u.loop.body) || calls_with_effects(L, n->u.loop.post);
        case MS_NODE_CALL:
            return n->u.call.callee != MS_NONE && n->u.call.callee < L->u->nfuncs &&
                   L->fl[n->u.call.callee].effects.len > 0;
        default:
            return false;
    }
}

/* Recomputes function f; returns whether its entry or effects changed. */
static bool analyse_function(ms_locks *L, uint32_t f) {
    func_locks *fs = &L->fl[f];
    const ms_func *fn = &L->u->funcs[f];
    ms_heldset entry = {0};
    if (!entry_from_sites(L, f, &entry))
        entry = fs->entry; /* no caller analysed yet: keep the last answer */
    if (fn->flags & MS_FUNCF_CALLER_LOCKED) {
        ms_held caller = {.lock = MS_LOCK_CALLER, .mode = MS_LOCK_EXCLUSIVE, .at = fn->name_span};
        ms_heldset_add(&entry, &caller);
    }
    bool changed = !same_heldset(&entry, &fs->entry);
    fs->entry = entry;
    if (!relevant(L, f) && !calls_with_effects(L, fn->body))
        return changed;
    flow fl = {.L = L, .func = f, .fs = fs, .g = cfg_of(L, f)};
    /* Entry locks get their slots first; run_flow sets their bits. */
    for (uint8_t i = 0; i < fs->entry.n; i++)
        slot_index(fs, fs->entry.items[i].lock, 0, 0, fs->entry.items[i].at);
    collect_ops(&fl, fn->body, NULL);
    run_flow(&fl);
    fs->computed = true;
    changed |= derive_effects(&fl);
    MS_VEC_FREE(&fl.ops);
    MS_VEC_FREE(&fl.op_vertex);
    MS_VEC_FREE(&fl.released);
    MS_VEC_FREE(&fl.acquired);
    MS_VEC_FREE(&fl.deferred);
    return changed;
}

/* ---- the unit ----------------------------------------------------------------------- */

typedef struct scan {
    ms_locks *L;
    uint32_t func;
    bool any_lock;
} scan;

static bool scan_node(const ms_node *n, void *arg) {
    scan *s = arg;
    ms_locks *L = s->L;
    if (n->kind == MS_NODE_LOCK) {
        L->fl[s->func].has_lock_nodes = true;
        s->any_lock = true;
    } else if (n->kind == MS_NODE_CALL && n->u.call.callee != MS_NONE &&
               n->u.call.callee < L->u->nfuncs) {
        call_site cs = {s->func, n};
        MS_VEC_PUSH(&L->fl[n->u.call.callee].sites, cs);
    } else if (n->kind == MS_NODE_SPAWN && n->u.spawn.entry != MS_NONE &&
               n->u.spawn.entry < L->u->nfuncs) {
        call_site cs = {s->func, n};
        MS_VEC_PUSH(&L->fl[n->u.spawn.entry].sites, cs);
    }
    return true;
}

/* Callers before callees where the call graph allows: reverse postorder. */
static uint32_t *caller_first_order(const ms_locks *L) {
    const ms_unit *u = L->u;
    uint32_t n = u->nfuncs;
    uint32_t *order = ms_xmalloc(sizeof(uint32_t) * (n ? n : 1));
    uint32_t count = 0;
    /* callees per function, from the call sites */
    uint32_t *start = ms_xcalloc(n + 1, sizeof(uint32_t));
    for (uint32_t f = 1; f < n; f++)
        for (size_t i = 0; i < L->fl[f].sites.len; i++)
            start[L->fl[f].sites.items[i].caller + 1]++;
    for (uint32_t f = 0; f < n; f++)
        start[f + 1] += start[f];
    uint32_t *callees = ms_xmalloc(sizeof(uint32_t) * (start[n] ? start[n] : 1));
    uint32_t *fill = ms_xcalloc(n ? n : 1, sizeof(uint32_t));
    for (uint32_t f = 1; f < n; f++)
        for (size_t i = 0; i < L->fl[f].sites.len; i++) {
            uint32_t c = L->fl[f].sites.items[i].caller;
            callees[start[c] + fill[c]++] = f;
        }
    /* iterative DFS postorder */
    uint8_t *seen = ms_xcalloc(n ? n : 1, 1);
    uint32_t *stack = ms_xmalloc(sizeof(uint32_t) * (n ? n : 1));
    uint32_t *next = ms_xcalloc(n ? n : 1, sizeof(uint32_t));
    for (uint32_t root = 1; root < n; root++) {
        if (seen[root])
            continue;
        uint32_t top = 0;
        stack[top++] = root;
        seen[root] = 1;
        while (top) {
            uint32_t f = stack[top - 1];
            if (start[f] + next[f] < start[f + 1]) {
                uint32_t c = callees[start[f] + next[f]++];
                if (!seen[c]) {
                    seen[c] = 1;
                    stack[top++] = c;
                }
                continue;
            }
            order[count++] = f;
            top--;
        }
    }
    for (uint32_t i = 0; i < count / 2; i++) {
        uint32_t t = order[i];
        order[i] = order[count - 1 - i];
        order[count - 1 - i] = t;
    }
    free(start);
    free(callees);
    free(fill);
    free(seen);
    free(stack);
    free(next);
    return order;
}

ms_locks *ms_locks_compute(ms_arena *arena, const ms_unit *u, ms_cfg **cfgs) {
    ms_locks *L = MS_NEW(arena, ms_locks);
    L->u = u;
    L->arena = arena;
    L->cfgs = cfgs;
    L->table.arena = arena;
    table_grow(&L->table);
    L->table.len = 1; /* id 0: MS_LOCK_CALLER */
    L->fl = MS_NEW_ARRAY(arena, func_locks, u->nfuncs ? u->nfuncs : 1);

    bool any = false;
    for (uint32_t f = 1; f < u->nfuncs; f++) {
        scan s = {.L = L, .func = f};
        ms_node_walk(u->funcs[f].body, scan_node, &s);
        any |= s.any_lock || (u->funcs[f].flags & MS_FUNCF_CALLER_LOCKED);
    }
    L->none = !any;
    if (any) {
        uint32_t *order = caller_first_order(L);
        uint32_t count = u->nfuncs ? u->nfuncs - 1 : 0;
        bool changed = true;
        for (int round = 0; changed && round < MAX_ROUNDS; round++) {
            changed = false;
            for (uint32_t i = 0; i < count; i++)
                if (u->funcs[order[i]].body)
                    changed |= analyse_function(L, order[i]);
        }
        free(order);
    }
    /* Arena copies of what queries read; the heap vectors go. */
    for (uint32_t f = 1; f < u->nfuncs; f++) {
        func_locks *fs = &L->fl[f];
        size_t n = fs->slots.len;
        slot *slots = MS_NEW_ARRAY(arena, slot, n ? n : 1);
        if (n)
            memcpy(slots, fs->slots.items, sizeof(slot) * n);
        MS_VEC_FREE(&fs->slots);
        fs->slots.items = slots; /* cap 0: never pushed to again */
        fs->slots.len = n;
        size_t ne = fs->effects.len;
        lock_effect *effects = MS_NEW_ARRAY(arena, lock_effect, ne ? ne : 1);
        if (ne)
            memcpy(effects, fs->effects.items, sizeof(lock_effect) * ne);
        MS_VEC_FREE(&fs->effects);
        fs->effects.items = effects;
        fs->effects.len = ne;
        MS_VEC_FREE(&fs->sites);
    }
    return L;
}

bool ms_locks_releases(const ms_locks *L, uint32_t func, uint32_t lock) {
    if (L->none || func == MS_NONE || func >= L->u->nfuncs)
        return false;
    const func_locks *fs = &L->fl[func];
    for (size_t i = 0; i < fs->effects.len; i++)
        if (fs->effects.items[i].lock == lock && fs->effects.items[i].mode == EFFECT_RELEASE)
            return true;
    return false;
}

void ms_locks_at(const ms_locks *L, uint32_t func, const ms_node *n, ms_heldset *out) {
    out->n = 0;
    out->unknown = false;
    if (L->none || func == MS_NONE || func >= L->u->nfuncs)
        return;
    const func_locks *fs = &L->fl[func];
    if (!fs->computed) {
        *out = fs->entry;
        return;
    }
    const ms_cfg *g = L->cfgs[func];
    held_from_state(fs, ms_cfg_vertex(g, n), out);
}

void ms_locks_entry(const ms_locks *L, uint32_t func, ms_heldset *out) {
    out->n = 0;
    out->unknown = false;
    if (L->none || func == MS_NONE || func >= L->u->nfuncs)
        return;
    *out = L->fl[func].entry;
}
