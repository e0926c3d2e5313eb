#include "fill_loop.h"

#include "xalloc.h"

#include <string.h>

/* ---- what touches the map -------------------------------------------------------- */

/* Two paths may name overlapping storage: one extends the other. */
static bool overlaps(const ms_path *a, const ms_path *b) {
    return ms_path_overlap(a, b);
}

static bool args_overlap(const ms_path *args, uint32_t nargs, const ms_path *map) {
    for (uint32_t i = 0; i < nargs; i++)
        if (overlaps(&args[i], map))
            return true;
    return false;
}

/* A call that does something to the map: a function of the unit whose
 * summary says so (reads included when `reads`), or an unresolved call that
 * is handed the map. Deferred calls run at return, not here. */
static bool call_touches(const ms_fill_ctx *c, const ms_node *n, bool reads) {
    if (n->u.call.flags & MS_CALLF_DEFERRED)
        return false;
    if (n->u.call.callee == MS_NONE)
        return args_overlap(n->u.call.args, n->u.call.nargs, c->map);
    ms_effect effects[MS_MAX_CALL_EFFECTS];
    uint32_t k = ms_call_effects(c->rule->summaries, n, effects, MS_MAX_CALL_EFFECTS);
    for (uint32_t i = 0; i < k; i++)
        if (overlaps(&effects[i].path, c->map) && (reads || effects[i].op != MS_OP_READ))
            return true;
    return false;
}

/* A goroutine or thread that is given the map or captures it. */
static bool spawn_touches(const ms_fill_ctx *c, const ms_node *n) {
    if (args_overlap(n->u.spawn.args, n->u.spawn.nargs, c->map))
        return true;
    const ms_summaries *s = c->rule->summaries;
    uint32_t entry = n->u.spawn.entry;
    if (entry == MS_NONE || entry >= s->unit->nfuncs)
        return false;
    for (uint32_t i = 0; i < s->by_func[entry].n; i++)
        if (s->by_func[entry].effects[i].path.root == c->map->root)
            return true;
    return false;
}

/* Before the filling loop: anything but a read of the fresh map. */
static bool touches_before(const ms_fill_ctx *c, const ms_node *n) {
    switch (n->kind) {
        case MS_NODE_MAP_OP:
            return n->u.map_op.op != MS_OP_READ && overlaps(&n->u.map_op.map, c->map);
        case MS_NODE_MAP_MAKE:
            return overlaps(&n->u.make.dest, c->map);
        case MS_NODE_ASSIGN:
            return n->u.assign.sym == c->map->root;
        case MS_NODE_CALL:
            return call_touches(c, n, false);
        case MS_NODE_SPAWN:
            return spawn_touches(c, n);
        default:
            return false;
    }
}

typedef struct insert_scan {
    const ms_path *map;
    bool found;
} insert_scan;

static bool find_insert(const ms_node *n, void *arg) {
    insert_scan *s = arg;
    if (n->kind == MS_NODE_MAP_OP && n->u.map_op.op == MS_OP_INSERT &&
        ms_path_equal(&n->u.map_op.map, s->map))
        s->found = true;
    return !s->found;
}

/* A loop that inserts into the map directly somewhere inside. */
static bool loop_inserts(const ms_fill_ctx *c, const ms_node *loop) {
    insert_scan s = {.map = c->map};
    ms_node_walk(loop, find_insert, &s);
    return s.found;
}

/* ---- graph walks ------------------------------------------------------------------------ */

typedef MS_VEC(uint32_t) vertex_vec;

static bool in_subtree(const ms_cfg *g, uint32_t v, const ms_node *root) {
    return v < g->n && g->nodes[v] && ms_node_contains(root, g->nodes[v]);
}

/* Marks what reaches `to` backwards without passing `avoid`. */
static void mark_reaching(const ms_cfg *g, uint32_t to, uint32_t avoid, uint8_t *mark) {
    vertex_vec stack = {0};
    MS_VEC_PUSH(&stack, to);
    while (stack.len) {
        uint32_t v = stack.items[--stack.len];
        for (uint32_t e = g->pred_start[v]; e < g->pred_start[v + 1]; e++) {
            uint32_t w = g->pred[e];
            if (w == avoid || mark[w])
                continue;
            mark[w] = 1;
            MS_VEC_PUSH(&stack, w);
        }
    }
    MS_VEC_FREE(&stack);
}

/* After the loop has run, can control come back to its header without the
 * map being created again? Then a second run fills a map that is not empty. */
static bool loop_reentered(const ms_cfg *g, const ms_node *loop, uint32_t make_v) {
    uint32_t nv = g->n + 2, loop_v = ms_cfg_vertex(g, loop);
    uint8_t *seen = ms_xcalloc(nv, 1);
    vertex_vec stack = {0};
    for (uint32_t u = loop_v; u <= loop->last_id - g->base; u++) {
        for (uint32_t e = g->succ_start[u]; e < g->succ_start[u + 1]; e++) {
            uint32_t w = g->succ[e];
            if (!in_subtree(g, w, loop) && w != make_v && !seen[w]) {
                seen[w] = 1;
                MS_VEC_PUSH(&stack, w);
            }
        }
    }
    bool found = false;
    while (stack.len && !found) {
        uint32_t v = stack.items[--stack.len];
        for (uint32_t e = g->succ_start[v]; e < g->succ_start[v + 1]; e++) {
            uint32_t w = g->succ[e];
            if (w == loop_v) {
                found = true;
                break;
            }
            if (w == make_v || seen[w])
                continue;
            seen[w] = 1;
            MS_VEC_PUSH(&stack, w);
        }
    }
    MS_VEC_FREE(&stack);
    free(seen);
    return found;
}

bool ms_fill_find(const ms_fill_ctx *c, ms_fill *out) {
    const ms_cfg *g = c->cfg;
    uint32_t nv = g->n + 2, make_v = ms_cfg_vertex(g, c->make);
    uint8_t *reached = ms_xcalloc(nv, 1);
    vertex_vec stack = {0}, touched = {0};
    const ms_node *loop = NULL;
    bool ambiguous = false;
    MS_VEC_PUSH(&stack, make_v);
    /* Forward from the creation, stopping at the first thing that touches
     * the map on each path: a filling loop or anything else. */
    while (stack.len) {
        uint32_t v = stack.items[--stack.len];
        for (uint32_t e = g->succ_start[v]; e < g->succ_start[v + 1]; e++) {
            uint32_t w = g->succ[e];
            if (w == make_v || w >= g->n || reached[w])
                continue;
            reached[w] = 1;
            const ms_node *n = g->nodes[w];
            if (!n)
                continue;
            if (n->kind == MS_NODE_LOOP && loop_inserts(c, n)) {
                ambiguous |= loop && loop != n;
                loop = n;
                continue;
            }
            if (touches_before(c, n)) {
                MS_VEC_PUSH(&touched, w);
                continue;
            }
            MS_VEC_PUSH(&stack, w);
        }
    }
    MS_VEC_FREE(&stack);
    bool ok = loop && !ambiguous;
    if (ok) {
        /* A touch matters when it can lead on to the loop. */
        uint8_t *reaching = ms_xcalloc(nv, 1);
        mark_reaching(g, ms_cfg_vertex(g, loop), make_v, reaching);
        for (size_t i = 0; i < touched.len && ok; i++)
            ok = !reaching[touched.items[i]];
        for (uint32_t v = 0; v < nv; v++)
            reached[v] = reached[v] && reaching[v];
        free(reaching);
        ok = ok && !loop_reentered(g, loop, make_v);
    }
    MS_VEC_FREE(&touched);
    out->loop = ok ? loop : NULL;
    out->between = reached;
    return ok;
}

void ms_fill_free(ms_fill *fill) {
    free(fill->between);
    fill->between = NULL;
}

bool ms_fill_assigned_between(const ms_fill_ctx *c, const ms_fill *fill, uint32_t sym) {
    const ms_cfg *g = c->cfg;
    for (uint32_t v = 0; v < g->n; v++) {
        const ms_node *n = g->nodes[v];
        if (fill->between[v] && n && n->kind == MS_NODE_ASSIGN && n->u.assign.sym == sym)
            return true;
    }
    return false;
}

/* ---- one insert per iteration -------------------------------------------------------------- */

typedef enum step_effect { STEP_NONE, STEP_INSERT, STEP_FAIL } step_effect;

static bool is_trip_sym(const ms_node *loop, uint32_t sym) {
    for (uint32_t i = 0; i < MS_TRIP_SYMS_MAX && loop->u.loop.trip_syms[i]; i++)
        if (loop->u.loop.trip_syms[i] == sym)
            return true;
    return false;
}

/* The key takes a new value on every iteration: the loop's own variables,
 * a variable declared in the loop, or an expression. A variable from outside
 * the loop, or a constant, is the same key every time; a key folded with %
 * takes few values; a set keyed by values computed from the elements may
 * hold few of them. */
static bool key_varies(const ms_fill_ctx *c, const ms_node *loop, const ms_node *op) {
    if (op->u.map_op.flags & MS_MAPOPF_FEW_KEYS)
        return false;
    /* A set of values computed from the elements (seen[x.Kind] = true)
     * collects the distinct ones: maybe far fewer than the elements. */
    bool set = (op->u.map_op.flags & MS_MAPOPF_CONST_VALUE) != 0;
    switch (op->u.map_op.key_kind) {
        case MS_KEY_OTHER:
            return !set;
        case MS_KEY_SYM:
        case MS_KEY_ITER: {
            uint32_t s = op->u.map_op.key_sym;
            if (s == MS_NONE)
                return false;
            if (s == loop->u.loop.key_sym || s == loop->u.loop.val_sym ||
                s == loop->u.loop.iter_sym)
                return true;
            if (set)
                return false;
            const ms_sym *sym = ms_unit_sym(c->rule->unit, s);
            return sym && sym->decl.file == loop->span.file &&
                   sym->decl.start >= loop->span.start && sym->decl.end <= loop->span.end;
        }
        default:
            return false;
    }
}

static step_effect step_in_loop(const ms_fill_ctx *c, const ms_node *loop, const ms_node *n) {
    switch (n->kind) {
        case MS_NODE_MAP_OP: {
            if (!overlaps(&n->u.map_op.map, c->map))
                return STEP_NONE;
            /* Reads of the map inside the loop are lookups before inserts:
             * the code expects keys to repeat. So do updates like m[k]++. */
            bool plain = ms_path_equal(&n->u.map_op.map, c->map) &&
                         n->u.map_op.op == MS_OP_INSERT &&
                         !(n->u.map_op.flags & (MS_MAPOPF_UPDATE | MS_MAPOPF_BULK)) &&
                         key_varies(c, loop, n);
            return plain ? STEP_INSERT : STEP_FAIL;
        }
        case MS_NODE_MAP_MAKE:
            return overlaps(&n->u.make.dest, c->map) ? STEP_FAIL : STEP_NONE;
        case MS_NODE_ASSIGN:
            if (n->u.assign.sym == c->map->root)
                return STEP_FAIL;
            /* a counted loop evaluates its bound on every iteration */
            return loop->u.loop.loop_kind == MS_LOOP_COUNTED && is_trip_sym(loop, n->u.assign.sym)
                       ? STEP_FAIL
                       : STEP_NONE;
        case MS_NODE_CALL:
            return call_touches(c, n, true) ? STEP_FAIL : STEP_NONE;
        case MS_NODE_SPAWN:
            return spawn_touches(c, n) ? STEP_FAIL : STEP_NONE;
        default:
            return STEP_NONE;
    }
}

/* Counts of inserts seen on the way, as a set: bit 0 none, bit 1 one,
 * bit 2 two or more. */
enum { SEEN_0 = 1, SEEN_1 = 2, SEEN_MORE = 4 };

static uint8_t after_insert(uint8_t counts) {
    uint8_t out = 0;
    if (counts & SEEN_0)
        out |= SEEN_1;
    if (counts & (SEEN_1 | SEEN_MORE))
        out |= SEEN_MORE;
    return out;
}

static bool leaves_by_panic(const ms_node *n) {
    return n->kind == MS_NODE_EXIT && n->u.exit.exit_kind == MS_EXIT_PANIC;
}

bool ms_fill_one_per_iteration(const ms_fill_ctx *c, const ms_fill *fill) {
    const ms_cfg *g = c->cfg;
    const ms_node *loop = fill->loop;
    uint32_t loop_v = ms_cfg_vertex(g, loop);
    uint32_t first = loop_v, last = loop->last_id - g->base;
    uint32_t span = last - first + 1;
    uint8_t *counts = ms_xcalloc(span, 1);
    uint8_t *effect = ms_xcalloc(span, 1);
    for (uint32_t v = first + 1; v <= last; v++)
        effect[v - first] = g->nodes[v] ? (uint8_t)step_in_loop(c, loop, g->nodes[v]) : STEP_NONE;

    bool ok = true;
    uint8_t at_back_edge = 0;
    vertex_vec work = {0};
    for (uint32_t e = g->succ_start[loop_v]; e < g->succ_start[loop_v + 1]; e++) {
        uint32_t w = g->succ[e];
        if (in_subtree(g, w, loop) && w != loop_v && !counts[w - first]) {
            counts[w - first] = SEEN_0;
            MS_VEC_PUSH(&work, w);
        }
    }
    while (work.len && ok) {
        uint32_t u = work.items[--work.len];
        if (effect[u - first] == STEP_FAIL) {
            ok = false;
            break;
        }
        uint8_t out =
            effect[u - first] == STEP_INSERT ? after_insert(counts[u - first]) : counts[u - first];
        for (uint32_t e = g->succ_start[u]; e < g->succ_start[u + 1]; e++) {
            uint32_t w = g->succ[e];
            if (w == loop_v) {
                at_back_edge |= out;
            } else if (in_subtree(g, w, loop)) {
                if ((counts[w - first] | out) != counts[w - first]) {
                    counts[w - first] |= out;
                    MS_VEC_PUSH(&work, w);
                }
            } else if (!leaves_by_panic(g->nodes[u])) {
                ok = false; /* break, return or goto out: the loop may end early */
                break;
            }
        }
    }
    MS_VEC_FREE(&work);
    free(counts);
    free(effect);
    return ok && at_back_edge == SEEN_1;
}
