#include "access.h"

#include "vec.h"

#include <string.h>

enum { MAX_PER_FUNC = 96 };

typedef enum { NOT_STARTED = 0, IN_PROGRESS, DONE } state;

typedef struct summary {
    uint8_t state;
    MS_VEC(ms_access) items;
} summary;

struct ms_accesses {
    const ms_unit *u;
    ms_arena *arena;
    ms_locks *locks;
    const ms_doom *doom;
    summary *by_func;
};

bool ms_access_doomed_read(const ms_accesses *A, const ms_access *a, uint32_t func,
                           const ms_node *at) {
    return a->kind == MS_ACC_MAP && a->op == MS_OP_READ && ms_doomed(A->doom, func, at);
}

bool ms_access_writes(const ms_access *a) {
    if (a->kind == MS_ACC_REBIND)
        return true;
    return a->kind == MS_ACC_MAP && a->op != MS_OP_READ;
}

static bool map_typed(const ms_unit *u, uint32_t sym) {
    const ms_sym *s = ms_unit_sym(u, sym);
    return s && s->type_class == MS_TC_MAP;
}

bool ms_access_of_node(const ms_unit *u, const ms_node *n, uint32_t func, ms_access *out) {
    memset(out, 0, sizeof(*out));
    out->node = n;
    out->func = func;
    switch (n->kind) {
        case MS_NODE_MAP_OP:
            out->kind = MS_ACC_MAP;
            out->op = n->u.map_op.op;
            out->path = n->u.map_op.map;
            break;
        case MS_NODE_LOOP:
            if (n->u.loop.range_kind == MS_RANGE_CHAN) {
                out->kind = MS_ACC_JOIN;
                out->op = MS_JOIN_CHANNEL;
                out->path = n->u.loop.channel;
                return true;
            }
            if (n->u.loop.range_kind != MS_RANGE_MAP)
                return false;
            out->kind = MS_ACC_MAP;
            out->op = MS_OP_READ;
            out->iterate = true;
            out->path = n->u.loop.map;
            break;
        case MS_NODE_ASSIGN:
            if (!map_typed(u, n->u.assign.sym))
                return false;
            out->kind = MS_ACC_REBIND;
            out->path.root = n->u.assign.sym;
            break;
        case MS_NODE_MAP_MAKE:
            /* m := make(...) declares; only a field or element is rebound
             * (a variable's rebinding is its ASSIGN node). */
            if (n->u.make.dest.len == 0)
                return false;
            out->kind = MS_ACC_REBIND;
            out->path = n->u.make.dest;
            break;
        case MS_NODE_SIGNAL:
            out->kind = MS_ACC_SIGNAL;
            out->path = n->u.signal.obj;
            return true; /* an unknown channel still signals something */
        case MS_NODE_JOIN:
            out->kind = MS_ACC_JOIN;
            out->op = n->u.join.join_kind;
            out->path = n->u.join.obj;
            return true;
        default:
            return false;
    }
    return ms_path_valid(&out->path);
}

/* Whether an access of `func` concerns an object that outlives the call. */
static bool escapes(const ms_unit *u, uint32_t func, const ms_access *a) {
    if ((a->kind == MS_ACC_SIGNAL || a->kind == MS_ACC_JOIN) && !ms_path_valid(&a->path))
        return true;
    const ms_sym *s = ms_unit_sym(u, a->path.root);
    if (!s)
        return false;
    if (s->kind == MS_SYM_GLOBAL || s->func != func)
        return true;
    if (s->kind != MS_SYM_PARAM && s->kind != MS_SYM_RECEIVER)
        return false;
    /* Rebinding a parameter itself changes nothing the caller sees. */
    return a->kind != MS_ACC_REBIND || a->path.len > 0;
}

static bool same_access(const ms_access *a, const ms_access *b) {
    if (a->kind != b->kind || a->op != b->op || a->iterate != b->iterate || a->node != b->node ||
        !ms_path_identical(&a->path, &b->path) || a->locks.n != b->locks.n ||
        a->locks.unknown != b->locks.unknown)
        return false;
    for (uint8_t i = 0; i < a->locks.n; i++)
        if (!ms_heldset_find(&b->locks, a->locks.items[i].lock))
            return false;
    return true;
}

static void add(summary *s, const ms_access *a) {
    if (s->items.len >= MAX_PER_FUNC)
        return;
    for (size_t i = 0; i < s->items.len; i++)
        if (same_access(&s->items.items[i], a))
            return;
    MS_VEC_PUSH(&s->items, *a);
}

static bool bind_path(const ms_binding *b, bool keep_params, const ms_path *in, ms_path *out) {
    if (ms_bind_out(b, in, out))
        return true;
    const ms_sym *root = ms_unit_sym(b->unit, in->root);
    if (!keep_params || !root || root->func != b->callee ||
        (root->kind != MS_SYM_PARAM && root->kind != MS_SYM_RECEIVER))
        return false;
    *out = *in;
    return true;
}

bool ms_access_bind(ms_locks *L, const ms_binding *b, bool keep_params, const ms_access *in,
                    ms_access *out) {
    *out = *in;
    if (ms_path_valid(&in->path) && !bind_path(b, keep_params, &in->path, &out->path))
        return false;
    out->locks.n = 0; /* an unknown set stays unknown */
    for (uint8_t i = 0; i < in->locks.n; i++) {
        ms_held h = in->locks.items[i];
        if (h.lock != MS_LOCK_CALLER) {
            ms_path p;
            if (!bind_path(b, keep_params, ms_locks_path(L, h.lock), &p))
                continue; /* a lock local to the callee */
            h.lock = ms_locks_intern(L, &p);
        }
        ms_heldset_add(&out->locks, &h);
    }
    return true;
}

/* Rewrites a callee's access for the caller at `call`, which holds `at_call`. */
static bool lift(ms_accesses *A, const ms_node *call, const ms_heldset *at_call,
                 const ms_access *in, ms_access *out) {
    ms_binding b = {A->u, call->u.call.callee, call->u.call.args, call->u.call.nargs};
    ms_access bound;
    if (!ms_access_bind(A->locks, &b, false, in, &bound))
        return false;
    *out = bound;
    out->locks = *at_call;
    ms_heldset_merge(&out->locks, &bound.locks);
    out->via[0] = call;
    out->nvia = (uint8_t)(in->nvia + 1 > MS_ACCESS_VIA ? MS_ACCESS_VIA : in->nvia + 1);
    for (uint8_t i = 1; i < out->nvia; i++)
        out->via[i] = in->via[i - 1];
    return true;
}

typedef struct walk {
    ms_accesses *A;
    uint32_t func;
} walk;

static void summarise(ms_accesses *A, uint32_t func);

static bool visit(const ms_node *n, void *arg) {
    walk *w = arg;
    ms_accesses *A = w->A;
    summary *s = &A->by_func[w->func];
    if (n->kind == MS_NODE_CALL) {
        uint32_t callee = n->u.call.callee;
        if (callee == MS_NONE || callee >= A->u->nfuncs)
            return true;
        summarise(A, callee);
        ms_heldset at_call;
        ms_locks_at(A->locks, w->func, n, &at_call);
        /* Index through by_func each time: summarising may add to ours. */
        for (size_t i = 0; i < A->by_func[callee].items.len; i++) {
            ms_access in = A->by_func[callee].items.items[i], out;
            if (lift(A, n, &at_call, &in, &out) && escapes(A->u, w->func, &out) &&
                !ms_access_doomed_read(A, &out, w->func, n))
                add(s, &out);
        }
        return true;
    }
    ms_access a;
    if (!ms_access_of_node(A->u, n, w->func, &a) || !escapes(A->u, w->func, &a) ||
        ms_access_doomed_read(A, &a, w->func, n))
        return true;
    if (a.kind == MS_ACC_MAP || a.kind == MS_ACC_REBIND)
        ms_locks_at(A->locks, w->func, n, &a.locks);
    add(s, &a);
    return true;
}

static void summarise(ms_accesses *A, uint32_t func) {
    summary *s = &A->by_func[func];
    if (s->state != NOT_STARTED)
        return;
    s->state = IN_PROGRESS;
    walk w = {A, func};
    ms_node_walk(A->u->funcs[func].body, visit, &w);
    /* Done: the list moves into the arena and never grows again. */
    s = &A->by_func[func];
    size_t n = s->items.len;
    ms_access *copy = MS_NEW_ARRAY(A->arena, ms_access, n ? n : 1);
    if (n)
        memcpy(copy, s->items.items, sizeof(ms_access) * n);
    MS_VEC_FREE(&s->items);
    s->items.items = copy;
    s->items.len = n;
    s->state = DONE;
}

ms_accesses *ms_accesses_new(ms_arena *arena, const ms_unit *u, ms_locks *locks,
                             const ms_doom *doom) {
    ms_accesses *A = MS_NEW(arena, ms_accesses);
    A->u = u;
    A->doom = doom;
    A->arena = arena;
    A->locks = locks;
    A->by_func = MS_NEW_ARRAY(arena, summary, u->nfuncs ? u->nfuncs : 1);
    return A;
}

const ms_access *ms_accesses_of(ms_accesses *A, uint32_t func, uint32_t *count) {
    *count = 0;
    if (func == MS_NONE || func >= A->u->nfuncs)
        return NULL;
    summarise(A, func);
    *count = (uint32_t)A->by_func[func].items.len;
    return A->by_func[func].items.items;
}

uint32_t ms_accesses_of_call(ms_accesses *A, uint32_t caller, const ms_node *call, ms_access *out,
                             uint32_t cap) {
    uint32_t callee = call->u.call.callee, n = 0;
    if (callee == MS_NONE || callee >= A->u->nfuncs)
        return 0;
    summarise(A, callee);
    ms_heldset at_call;
    ms_locks_at(A->locks, caller, call, &at_call);
    const summary *s = &A->by_func[callee];
    for (size_t i = 0; i < s->items.len && n < cap; i++)
        if (lift(A, call, &at_call, &s->items.items[i], &out[n]) &&
            !ms_access_doomed_read(A, &out[n], caller, call))
            n++;
    return n;
}
