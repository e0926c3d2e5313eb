#include "summary.h"

#include "vec.h"

#include <string.h>

typedef MS_VEC(ms_effect) effect_vec;

/* Finds the index of sym among func's parameters, or -1. */
static int param_slot(const ms_unit *u, uint32_t func, uint32_t sym) {
    const ms_sym *s = ms_unit_sym(u, sym);
    if (!s || s->func != func || (s->kind != MS_SYM_PARAM && s->kind != MS_SYM_RECEIVER))
        return -1;
    return s->param_index;
}

/* Rewrites an effect of `callee` into the caller's terms through the call's
 * arguments. Returns false when it cannot be expressed. */
static bool translate(const ms_unit *u, const ms_node *call, uint32_t callee, const ms_effect *in,
                      ms_effect *out) {
    *out = *in;
    int slot = param_slot(u, callee, in->path.root);
    if (slot >= 0) {
        if ((uint32_t)slot >= call->u.call.nargs)
            return false;
        if (!ms_path_concat(&call->u.call.args[slot], &in->path, &out->path))
            return false;
    }
    if (in->key_kind == MS_KEY_SYM || in->key_kind == MS_KEY_ITER) {
        int key_slot = param_slot(u, callee, in->key_sym);
        if (key_slot >= 0) {
            const ms_path *arg =
                (uint32_t)key_slot < call->u.call.nargs ? &call->u.call.args[key_slot] : NULL;
            if (arg && ms_path_valid(arg) && arg->len == 0) {
                out->key_sym = arg->root;
            } else {
                out->key_kind = MS_KEY_OTHER;
                out->key_sym = MS_NONE;
            }
        }
    }
    return true;
}

/* An effect belongs in func's summary when its root outlives the call. */
static bool escapes(const ms_unit *u, uint32_t func, const ms_path *p) {
    const ms_sym *s = ms_unit_sym(u, p->root);
    if (!s)
        return false;
    if (s->kind == MS_SYM_GLOBAL)
        return true;
    if (s->func != func)
        return true; /* captured from an enclosing function */
    return s->kind == MS_SYM_PARAM || s->kind == MS_SYM_RECEIVER;
}

static bool effect_same(const ms_effect *a, const ms_effect *b) {
    return a->op == b->op && a->key_kind == b->key_kind && a->key_sym == b->key_sym &&
           ms_path_identical(&a->path, &b->path);
}

static bool add_effect(effect_vec *v, const ms_effect *e) {
    for (size_t i = 0; i < v->len; i++)
        if (effect_same(&v->items[i], e))
            return false;
    MS_VEC_PUSH(v, *e);
    return true;
}

/* The nodes of one function that matter for summaries, flattened once. */
typedef struct func_events {
    MS_VEC(const ms_node *) ops;
    MS_VEC(const ms_node *) calls;
} func_events;

static bool collect(const ms_node *n, void *ctx) {
    func_events *ev = ctx;
    if (n->kind == MS_NODE_MAP_OP)
        MS_VEC_PUSH(&ev->ops, n);
    else if (n->kind == MS_NODE_CALL && n->u.call.callee != MS_NONE)
        MS_VEC_PUSH(&ev->calls, n);
    return true;
}

enum { MAX_EFFECTS_PER_FUNC = 256, MAX_ROUNDS = 32 };

ms_summaries *ms_summaries_compute(ms_arena *arena, const ms_unit *u) {
    ms_summaries *s = MS_NEW(arena, ms_summaries);
    s->unit = u;
    s->by_func = MS_NEW_ARRAY(arena, ms_summary, u->nfuncs ? u->nfuncs : 1);
    func_events *events = ms_xcalloc(u->nfuncs ? u->nfuncs : 1, sizeof(func_events));
    effect_vec *acc = ms_xcalloc(u->nfuncs ? u->nfuncs : 1, sizeof(effect_vec));

    for (uint32_t f = 1; f < u->nfuncs; f++) {
        ms_node_walk(u->funcs[f].body, collect, &events[f]);
        for (size_t i = 0; i < events[f].ops.len; i++) {
            const ms_node *op = events[f].ops.items[i];
            if (!escapes(u, f, &op->u.map_op.map))
                continue;
            ms_effect e = {.op = op->u.map_op.op,
                           .key_kind = op->u.map_op.key_kind,
                           .key_sym = op->u.map_op.key_sym,
                           .path = op->u.map_op.map,
                           .origin = op->span};
            add_effect(&acc[f], &e);
        }
    }
    bool changed = true;
    for (int round = 0; changed && round < MAX_ROUNDS; round++) {
        changed = false;
        for (uint32_t f = 1; f < u->nfuncs; f++) {
            for (size_t i = 0; i < events[f].calls.len; i++) {
                const ms_node *call = events[f].calls.items[i];
                uint32_t callee = call->u.call.callee;
                if (callee >= u->nfuncs)
                    continue;
                /* Read the callee's current effects by index: adding to our
                 * own vector may move it when callee == f. */
                for (uint32_t k = 0; k < (uint32_t)acc[callee].len; k++) {
                    ms_effect in = acc[callee].items[k], out;
                    if (!translate(u, call, callee, &in, &out) || !escapes(u, f, &out.path))
                        continue;
                    if (acc[f].len >= MAX_EFFECTS_PER_FUNC)
                        break;
                    if (add_effect(&acc[f], &out))
                        changed = true;
                }
            }
        }
    }

    /* Move the effects into the arena so the summaries own nothing on the heap. */
    for (uint32_t f = 1; f < u->nfuncs; f++) {
        ms_effect *copy = MS_NEW_ARRAY(arena, ms_effect, acc[f].len ? acc[f].len : 1);
        if (acc[f].len)
            memcpy(copy, acc[f].items, sizeof(ms_effect) * acc[f].len);
        s->by_func[f].effects = copy;
        s->by_func[f].n = (uint32_t)acc[f].len;
        MS_VEC_FREE(&acc[f]);
        MS_VEC_FREE(&events[f].ops);
        MS_VEC_FREE(&events[f].calls);
    }
    free(acc);
    free(events);
    return s;
}

uint32_t ms_call_effects(const ms_summaries *s, const ms_node *call, ms_effect *out, uint32_t cap) {
    uint32_t callee = call->u.call.callee, n = 0;
    if (callee == MS_NONE || callee >= s->unit->nfuncs)
        return 0;
    const ms_summary *sum = &s->by_func[callee];
    for (uint32_t i = 0; i < sum->n && n < cap; i++)
        if (translate(s->unit, call, callee, &sum->effects[i], &out[n]))
            n++;
    return n;
}
