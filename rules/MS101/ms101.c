/* MS101 map-mutated-during-iteration.
 *
 * For every loop that iterates a map, find the operations in its body, direct
 * or through calls of the unit's own functions, that invalidate or perturb
 * that iteration under the map's semantics, and report those from which the
 * next iteration can still be reached. See help.md and rules.md. */
#include "rule.h"

#include <stdio.h>

/* Whether an operation on the iterated map is a hazard, given the map's
 * iteration semantics and what the operation knows about its key. */
static bool is_hazard(const ms_node *loop, uint8_t op, uint8_t key_kind, uint32_t key_sym,
                      uint8_t flags) {
    bool current = (key_kind == MS_KEY_SYM || key_kind == MS_KEY_ITER) && key_sym != MS_NONE &&
                   (key_sym == loop->u.loop.key_sym || key_sym == loop->u.loop.iter_sym);
    switch ((ms_iter_semantics)loop->u.loop.semantics) {
        case MS_ITER_GO:
            /* Deleting is allowed; updating the current key creates nothing. */
            return op == MS_OP_INSERT && !current;
        case MS_ITER_ORDERED:
        case MS_ITER_UNORDERED: {
            bool unordered = loop->u.loop.semantics == MS_ITER_UNORDERED;
            if (op == MS_OP_ERASE)
                return current && !(flags & (MS_MAPOPF_RESULT_TO_ITER | MS_MAPOPF_ITER_POSTINC));
            if (op == MS_OP_ERASE_RANGE || op == MS_OP_CLEAR || op == MS_OP_REPLACE)
                return true;
            if (unordered && op == MS_OP_REHASH)
                return true;
            return unordered && op == MS_OP_INSERT && !current;
        }
        case MS_ITER_STRICT:
            return op == MS_OP_INSERT || op == MS_OP_ERASE || op == MS_OP_ERASE_RANGE ||
                   op == MS_OP_CLEAR || op == MS_OP_REPLACE;
    }
    return false;
}

static const char *op_verb(uint8_t op) {
    switch (op) {
        case MS_OP_INSERT:
            return "inserts into";
        case MS_OP_ERASE:
        case MS_OP_ERASE_RANGE:
            return "erases from";
        case MS_OP_CLEAR:
            return "clears";
        case MS_OP_REHASH:
            return "rehashes";
        case MS_OP_REPLACE:
            return "replaces";
        default:
            return "modifies";
    }
}

static const char *consequence(const ms_node *loop) {
    return loop->u.loop.semantics == MS_ITER_GO
               ? "a key added during iteration may or may not be visited"
               : "this invalidates the iterator the loop still uses";
}

typedef struct loop_scan {
    ms_rule_ctx *ctx;
    const ms_rule *rule;
    uint32_t func;
    const ms_node *loop;
    bool map_rebound;
} loop_scan;

static bool find_rebinding(const ms_node *n, void *arg) {
    loop_scan *s = arg;
    if (n->kind == MS_NODE_ASSIGN && n->u.assign.sym == s->loop->u.loop.map.root)
        s->map_rebound = true;
    return !s->map_rebound;
}

/* The next iteration is still reachable after `n`: the mutation matters. */
static bool loop_continues(loop_scan *s, const ms_node *n) {
    return ms_cfg_reaches(ms_rule_cfg(s->ctx, s->func), n, s->loop, s->loop);
}

/* The loop's own iterator is assigned a fresh value on every path from `n`
 * back to the loop (auto next = std::next(it); m.erase(it); it = next;):
 * the erase did not leave it dangling. */
static bool iterator_refreshed(loop_scan *s, const ms_node *n) {
    uint32_t it = s->loop->u.loop.iter_sym;
    if (!it)
        return false;
    const ms_cfg *g = ms_rule_cfg(s->ctx, s->func);
    uint32_t nv = g->n + 2, target = ms_cfg_vertex(g, s->loop), top = 0;
    uint8_t *seen = ms_xcalloc(nv, 1);
    uint32_t *stack = ms_xmalloc(sizeof(uint32_t) * nv);
    bool reached = false;
    stack[top++] = ms_cfg_vertex(g, n);
    while (top > 0 && !reached) {
        uint32_t v = stack[--top];
        for (uint32_t e = g->succ_start[v]; e < g->succ_start[v + 1]; e++) {
            uint32_t w = g->succ[e];
            if (w == target) {
                reached = true;
                break;
            }
            if (w >= g->n || seen[w])
                continue;
            seen[w] = 1;
            const ms_node *wn = g->nodes[w];
            if (wn && !ms_node_contains(s->loop, wn))
                continue;
            if (wn && wn->kind == MS_NODE_ASSIGN && wn->u.assign.sym == it)
                continue;
            stack[top++] = w;
        }
    }
    free(seen);
    free(stack);
    return !reached;
}

static void report(loop_scan *s, const ms_node *at, uint8_t op, const char *callee,
                   const ms_span *inner) {
    char map[128];
    ms_path_render(s->ctx->unit, &s->loop->u.loop.map, map, sizeof(map));
    ms_finding *f;
    if (callee) {
        f = ms_rule_report(s->ctx, s->rule, at->stmt, s->func,
                           "call to %s [%s](2) map '%s' while the loop [ranges over it](1); %s",
                           callee, op_verb(op), map, consequence(s->loop));
    } else {
        f = ms_rule_report(s->ctx, s->rule, at->stmt, s->func,
                           "this %s map '%s' while the loop [ranges over it](1); %s", op_verb(op),
                           map, consequence(s->loop));
    }
    ms_rule_related(s->ctx, f, s->loop->u.loop.header, "the loop over the map");
    if (inner)
        ms_rule_related(s->ctx, f, *inner, "the mutation inside the called function");
}

/* The innermost function whose body holds a span: where a mutation found
 * through a call sits. */
static uint32_t function_at(const ms_unit *u, ms_span at) {
    uint32_t best = MS_NONE;
    for (uint32_t f = 1; f < u->nfuncs; f++) {
        const ms_span *sp = &u->funcs[f].span;
        if (sp->file != at.file || sp->start > at.start || sp->end < at.end)
            continue;
        if (!best || sp->end - sp->start < u->funcs[best].span.end - u->funcs[best].span.start)
            best = f;
    }
    return best;
}

/* A loop an API runs over callbacks (g_hash_table_foreach): the user must
 * change the mutation inside the callback, so that is where it is reported. */
static void report_in_callback(loop_scan *s, const ms_effect *e) {
    char map[128];
    ms_path_render(s->ctx->unit, &s->loop->u.loop.map, map, sizeof(map));
    ms_finding *f = ms_rule_report(
        s->ctx, s->rule, e->origin, function_at(s->ctx->unit, e->origin),
        "this %s map '%s' from a callback of a [loop over that map](1); %s", op_verb(e->op), map,
        consequence(s->loop));
    ms_rule_related(s->ctx, f, s->loop->u.loop.header, "the loop that runs the callback");
}

static bool scan_node(const ms_node *n, void *arg) {
    loop_scan *s = arg;
    const ms_path *map = &s->loop->u.loop.map;
    if (n->kind == MS_NODE_MAP_OP) {
        if (ms_path_equal(&n->u.map_op.map, map) &&
            is_hazard(s->loop, n->u.map_op.op, n->u.map_op.key_kind, n->u.map_op.key_sym,
                      n->u.map_op.flags) &&
            loop_continues(s, n) && !(n->u.map_op.op == MS_OP_ERASE && iterator_refreshed(s, n)))
            report(s, n, n->u.map_op.op, NULL, NULL);
    } else if (n->kind == MS_NODE_CALL && !(n->u.call.flags & MS_CALLF_DEFERRED)) {
        ms_effect effects[MS_MAX_CALL_EFFECTS];
        uint32_t k = ms_call_effects(s->ctx->summaries, n, effects, MS_MAX_CALL_EFFECTS);
        for (uint32_t i = 0; i < k; i++) {
            const ms_effect *e = &effects[i];
            if (!ms_path_equal(&e->path, map) ||
                !is_hazard(s->loop, e->op, e->key_kind, e->key_sym, 0) || !loop_continues(s, n))
                continue;
            if (s->loop->u.loop.callback) {
                report_in_callback(s, e);
                continue;
            }
            const ms_func *callee = &s->ctx->unit->funcs[n->u.call.callee];
            report(s, n, e->op, callee->display, &e->origin);
            break;
        }
    }
    return true;
}

static bool visit_loop(const ms_node *n, void *arg) {
    loop_scan *outer = arg;
    if (n->kind != MS_NODE_LOOP || n->u.loop.range_kind != MS_RANGE_MAP ||
        !ms_path_valid(&n->u.loop.map))
        return true;
    loop_scan s = {.ctx = outer->ctx, .rule = outer->rule, .func = outer->func, .loop = n};
    /* `m = other` inside the loop: later writes go to another map; the
     * analysis cannot tell which, so it stays silent. */
    ms_node_walk(n->u.loop.body, find_rebinding, &s);
    if (!s.map_rebound) {
        ms_node_walk(n->u.loop.body, scan_node, &s);
        ms_node_walk(n->u.loop.post, scan_node, &s);
    }
    return true;
}

static void run(ms_rule_ctx *ctx) {
    const ms_unit *u = ctx->unit;
    for (uint32_t f = 1; f < u->nfuncs; f++) {
        if (!u->funcs[f].body)
            continue;
        loop_scan s = {.ctx = ctx, .rule = &ms_rule_ms101, .func = f};
        ms_node_walk(u->funcs[f].body, visit_loop, &s);
    }
}

const ms_rule ms_rule_ms101 = {
    .id = "MS101",
    .name = "map-mutated-during-iteration",
    .short_description = "Map mutated while it is being iterated",
    .full_description =
        "A loop iterates a map while its body, directly or through a called function, changes "
        "that map in a way the iteration does not tolerate. In Go, inserting a new key during "
        "range makes the iteration nondeterministic: the new key may or may not be visited. In "
        "C++, erasing the element a loop still uses, or inserting into an unordered container "
        "(which may rehash), invalidates the loop's iterator: undefined behaviour.",
    .help_markdown = ms_help_MS101,
    .level_go = MS_LEVEL_WARNING,
    .level_c = MS_LEVEL_ERROR,
    .tags = {"correctness", "iteration", "maps", NULL},
    .precision = "high",
    .problem_severity = "warning",
    .run = run,
};
