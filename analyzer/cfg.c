#include "cfg.h"

#include "vec.h"

#include <string.h>

/* ---- numbering ---------------------------------------------------------- */

static uint32_t number(ms_node *n, uint32_t next) {
    if (!n)
        return next;
    n->id = next++;
    switch (n->kind) {
        case MS_NODE_BLOCK:
            for (uint32_t i = 0; i < n->u.block.len; i++)
                next = number(n->u.block.items[i], next);
            break;
        case MS_NODE_BRANCH:
            for (uint32_t i = 0; i < n->u.branch.narms; i++)
                next = number(n->u.branch.arms[i], next);
            break;
        case MS_NODE_LOOP:
            next = number(n->u.loop.body, next);
            next = number(n->u.loop.post, next);
            break;
        default:
            break;
    }
    n->last_id = next - 1;
    return next;
}

void ms_unit_number_nodes(ms_unit *u) {
    uint32_t next = 1;
    for (uint32_t f = 1; f < u->nfuncs; f++) {
        ms_func *fn = &u->funcs[f];
        fn->first_node_id = next;
        next = number(fn->body, next);
        fn->last_node_id = next - 1;
    }
    u->nnodes = next;
}

/* ---- construction ------------------------------------------------------- */

typedef struct edge {
    uint32_t from, to;
} edge;

typedef struct builder {
    ms_cfg *g;
    MS_VEC(edge) edges;
    uint32_t *break_dest;    /* per local vertex of a loop or breakable branch */
    uint32_t *continue_dest; /* per local vertex of a loop */
    uint32_t *entry_of;      /* per local vertex: first vertex executed */
} builder;

static uint32_t local(const builder *b, const ms_node *n) {
    return n->id - b->g->base;
}

static void add_edge(builder *b, uint32_t from, uint32_t to) {
    edge e = {from, to};
    MS_VEC_PUSH(&b->edges, e);
}

static uint32_t build(builder *b, const ms_node *n, uint32_t next);

static uint32_t build_block(builder *b, const ms_node *n, uint32_t next) {
    for (uint32_t i = n->u.block.len; i-- > 0;)
        next = build(b, n->u.block.items[i], next);
    return next;
}

static uint32_t build_branch(builder *b, const ms_node *n, uint32_t next) {
    uint32_t v = local(b, n);
    b->break_dest[v] = next;
    /* Arms are built last to first so a fallthrough knows where it lands. */
    for (uint32_t i = n->u.branch.narms; i-- > 0;) {
        uint32_t entry = build(b, n->u.branch.arms[i], next);
        add_edge(b, v, entry);
    }
    if (!n->u.branch.exhaustive || n->u.branch.narms == 0)
        add_edge(b, v, next);
    return v;
}

static uint32_t build_loop(builder *b, const ms_node *n, uint32_t next) {
    uint32_t v = local(b, n);
    b->break_dest[v] = next;
    uint32_t post = n->u.loop.post ? build(b, n->u.loop.post, v) : v;
    b->continue_dest[v] = post;
    uint32_t body = n->u.loop.body ? build(b, n->u.loop.body, post) : post;
    add_edge(b, v, body);
    if (!n->u.loop.infinite)
        add_edge(b, v, next);
    return v;
}

static uint32_t build_exit(builder *b, const ms_node *n, uint32_t next) {
    uint32_t v = local(b, n);
    const ms_node *t = n->u.exit.target;
    switch (n->u.exit.exit_kind) {
        case MS_EXIT_BREAK:
            add_edge(b, v, t ? b->break_dest[local(b, t)] : next);
            break;
        case MS_EXIT_CONTINUE:
            add_edge(b, v, t ? b->continue_dest[local(b, t)] : next);
            break;
        case MS_EXIT_RETURN:
        case MS_EXIT_PANIC:
            add_edge(b, v, b->g->exit);
            break;
        case MS_EXIT_GOTO:
            if (t)
                add_edge(b, v, local(b, t));
            break;
        case MS_EXIT_FALLTHROUGH:
            /* target is the arm block it falls into, built already */
            add_edge(b, v, t ? b->entry_of[local(b, t)] : next);
            break;
    }
    return v;
}

static uint32_t build(builder *b, const ms_node *n, uint32_t next) {
    if (!n)
        return next;
    uint32_t v = local(b, n), entry;
    switch (n->kind) {
        case MS_NODE_BLOCK:
            entry = build_block(b, n, next);
            break;
        case MS_NODE_BRANCH:
            b->g->nodes[v] = n;
            entry = build_branch(b, n, next);
            break;
        case MS_NODE_LOOP:
            b->g->nodes[v] = n;
            entry = build_loop(b, n, next);
            break;
        case MS_NODE_EXIT:
            b->g->nodes[v] = n;
            entry = build_exit(b, n, next);
            break;
        default:
            b->g->nodes[v] = n;
            add_edge(b, v, next);
            entry = v;
            break;
    }
    b->entry_of[v] = entry;
    return entry;
}

static void to_csr(ms_arena *arena, uint32_t nv, const edge *edges, size_t ne, bool reverse,
                   uint32_t **start_out, uint32_t **list_out) {
    uint32_t *start = MS_NEW_ARRAY(arena, uint32_t, nv + 1);
    uint32_t *list = MS_NEW_ARRAY(arena, uint32_t, ne ? ne : 1);
    for (size_t i = 0; i < ne; i++)
        start[(reverse ? edges[i].to : edges[i].from) + 1]++;
    for (uint32_t v = 0; v < nv; v++)
        start[v + 1] += start[v];
    uint32_t *fill = MS_NEW_ARRAY(arena, uint32_t, nv);
    for (size_t i = 0; i < ne; i++) {
        uint32_t from = reverse ? edges[i].to : edges[i].from;
        uint32_t to = reverse ? edges[i].from : edges[i].to;
        list[start[from] + fill[from]++] = to;
    }
    *start_out = start;
    *list_out = list;
}

ms_cfg *ms_cfg_build(ms_arena *arena, const ms_func *func) {
    ms_cfg *g = MS_NEW(arena, ms_cfg);
    g->func = func;
    g->base = func->first_node_id;
    g->n = func->body ? func->last_node_id - func->first_node_id + 1 : 0;
    g->entry = g->n;
    g->exit = g->n + 1;
    uint32_t nv = g->n + 2;
    g->nodes = MS_NEW_ARRAY(arena, const ms_node *, nv);

    builder b = {.g = g};
    b.break_dest = ms_xcalloc(nv, sizeof(uint32_t));
    b.continue_dest = ms_xcalloc(nv, sizeof(uint32_t));
    b.entry_of = ms_xcalloc(nv, sizeof(uint32_t));
    uint32_t first = func->body ? build(&b, func->body, g->exit) : g->exit;
    add_edge(&b, g->entry, first);

    to_csr(arena, nv, b.edges.items, b.edges.len, false, &g->succ_start, &g->succ);
    to_csr(arena, nv, b.edges.items, b.edges.len, true, &g->pred_start, &g->pred);
    MS_VEC_FREE(&b.edges);
    free(b.break_dest);
    free(b.continue_dest);
    free(b.entry_of);
    return g;
}

/* ---- queries ------------------------------------------------------------ */

bool ms_cfg_reaches(const ms_cfg *g, const ms_node *from, const ms_node *to,
                    const ms_node *within) {
    uint32_t nv = g->n + 2;
    uint8_t *seen = ms_xcalloc(nv, 1);
    uint32_t *stack = ms_xmalloc(sizeof(uint32_t) * nv);
    uint32_t top = 0, target = ms_cfg_vertex(g, to);
    bool found = false;
    /* Each vertex is pushed at most once, so the stack never overflows. */
    uint32_t v = ms_cfg_vertex(g, from);
    for (;;) {
        for (uint32_t e = g->succ_start[v]; e < g->succ_start[v + 1]; e++) {
            uint32_t w = g->succ[e];
            if (w == target) {
                found = true;
                break;
            }
            if (seen[w] || w >= g->n)
                continue;
            seen[w] = 1;
            const ms_node *n = g->nodes[w];
            if (within && (!n || !ms_node_contains(within, n)))
                continue;
            stack[top++] = w;
        }
        if (found || top == 0)
            break;
        v = stack[--top];
    }
    free(seen);
    free(stack);
    return found;
}
