#include "doom.h"

#include "xalloc.h"

#include <string.h>

enum { MAX_ROUNDS = 4 };

typedef struct func_doom {
    bool panics; /* has a panic exit of its own */
    bool never_returns;
    uint8_t *doomed; /* per CFG vertex; NULL: nothing is doomed */
} func_doom;

struct ms_doom {
    const ms_unit *u;
    ms_arena *arena;
    ms_cfg **cfgs;
    func_doom *fd;
};

static bool find_panic(const ms_node *n, void *arg) {
    bool *found = arg;
    if (n->kind == MS_NODE_EXIT && n->u.exit.exit_kind == MS_EXIT_PANIC)
        *found = true;
    return !*found;
}

typedef struct call_scan {
    const ms_doom *d;
    bool found;
} call_scan;

static bool find_noreturn_call(const ms_node *n, void *arg) {
    call_scan *s = arg;
    if (n->kind == MS_NODE_CALL && n->u.call.callee != MS_NONE &&
        n->u.call.callee < s->d->u->nfuncs && s->d->fd[n->u.call.callee].never_returns)
        s->found = true;
    return !s->found;
}

/* Whether anything in f can panic: its own exits, or calls that never return. */
static bool may_panic(const ms_doom *d, uint32_t f) {
    if (d->fd[f].panics)
        return true;
    call_scan s = {d, false};
    ms_node_walk(d->u->funcs[f].body, find_noreturn_call, &s);
    return s.found;
}

static bool panic_vertex(const ms_doom *d, const ms_node *n) {
    if (!n)
        return false;
    if (n->kind == MS_NODE_EXIT)
        return n->u.exit.exit_kind == MS_EXIT_PANIC;
    return n->kind == MS_NODE_CALL && !(n->u.call.flags & MS_CALLF_DEFERRED) &&
           n->u.call.callee != MS_NONE && n->u.call.callee < d->u->nfuncs &&
           d->fd[n->u.call.callee].never_returns;
}

/* Least fixpoint: a vertex is doomed when it panics, or when it has
 * successors and all of them are doomed. */
static void compute(ms_doom *d, uint32_t f) {
    func_doom *fd = &d->fd[f];
    if (!d->cfgs[f])
        d->cfgs[f] = ms_cfg_build(d->arena, &d->u->funcs[f]);
    const ms_cfg *g = d->cfgs[f];
    uint32_t nv = g->n + 2;
    if (!fd->doomed)
        fd->doomed = MS_NEW_ARRAY(d->arena, uint8_t, nv);
    memset(fd->doomed, 0, nv);
    uint32_t *remaining = ms_xmalloc(sizeof(uint32_t) * nv);
    uint32_t *queue = ms_xmalloc(sizeof(uint32_t) * nv);
    uint32_t head = 0, tail = 0;
    for (uint32_t v = 0; v < nv; v++) {
        remaining[v] = g->succ_start[v + 1] - g->succ_start[v];
        if (v < g->n && panic_vertex(d, g->nodes[v])) {
            fd->doomed[v] = 1;
            queue[tail++] = v;
        }
    }
    while (head < tail) {
        uint32_t v = queue[head++];
        for (uint32_t e = g->pred_start[v]; e < g->pred_start[v + 1]; e++) {
            uint32_t p = g->pred[e];
            if (fd->doomed[p] || p == g->exit || --remaining[p] > 0)
                continue;
            fd->doomed[p] = 1;
            queue[tail++] = p;
        }
    }
    free(remaining);
    free(queue);
}

ms_doom *ms_doom_compute(ms_arena *arena, const ms_unit *u, ms_cfg **cfgs) {
    ms_doom *d = MS_NEW(arena, ms_doom);
    d->u = u;
    d->arena = arena;
    d->cfgs = cfgs;
    d->fd = MS_NEW_ARRAY(arena, func_doom, u->nfuncs ? u->nfuncs : 1);
    bool any = false;
    for (uint32_t f = 1; f < u->nfuncs; f++) {
        ms_node_walk(u->funcs[f].body, find_panic, &d->fd[f].panics);
        any |= d->fd[f].panics;
    }
    if (!any)
        return d;
    /* Which functions never return, to a fixpoint (helpers of helpers). */
    bool changed = true;
    for (int round = 0; changed && round < MAX_ROUNDS; round++) {
        changed = false;
        for (uint32_t f = 1; f < u->nfuncs; f++) {
            func_doom *fd = &d->fd[f];
            if (fd->never_returns || !u->funcs[f].body || !may_panic(d, f))
                continue;
            compute(d, f);
            if (fd->doomed[d->cfgs[f]->entry]) {
                fd->never_returns = true;
                changed = true;
            }
        }
    }
    /* Final answers, with the final set of functions that never return. */
    for (uint32_t f = 1; f < u->nfuncs; f++) {
        if (u->funcs[f].body && may_panic(d, f))
            compute(d, f);
        else
            d->fd[f].doomed = NULL;
    }
    return d;
}

bool ms_doom_never_returns(const ms_doom *d, uint32_t func) {
    return d && func && func < d->u->nfuncs && d->fd[func].never_returns;
}

bool ms_doomed(const ms_doom *d, uint32_t func, const ms_node *n) {
    if (!d || !func || func >= d->u->nfuncs || !d->fd[func].doomed)
        return false;
    return d->fd[func].doomed[ms_cfg_vertex(d->cfgs[func], n)] != 0;
}
