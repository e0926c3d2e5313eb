#include "concurrency.h"

#include "binding.h"

#include <string.h>

static bool find_spawn(const ms_node *n, void *arg) {
    bool *found = arg;
    if (n->kind == MS_NODE_SPAWN)
        *found = true;
    return !*found;
}

ms_concurrency *ms_concurrency_build(ms_arena *arena, const ms_unit *u, ms_cfg **cfgs) {
    ms_concurrency *c = MS_NEW(arena, ms_concurrency);
    c->unit = u;
    c->arena = arena;
    c->cfgs = cfgs;
    c->locks = ms_locks_compute(arena, u, cfgs);
    /* Only races need to know which reads are doomed. */
    bool spawns = false;
    for (uint32_t f = 1; f < u->nfuncs && !spawns; f++)
        ms_node_walk(u->funcs[f].body, find_spawn, &spawns);
    c->doom = spawns ? ms_doom_compute(arena, u, cfgs) : NULL;
    c->accesses = ms_accesses_new(arena, u, c->locks, c->doom);
    return c;
}

ms_threads *ms_concurrency_threads(ms_concurrency *c) {
    if (!c->threads)
        c->threads = ms_threads_build(c->arena, c->unit, c->cfgs, c->locks, c->accesses);
    return c->threads;
}

static bool same_type_name(const char *a, const char *b) {
    return a && b && (a == b || strcmp(a, b) == 0);
}

bool ms_typed_field(const ms_unit *u, const ms_path *p) {
    const ms_sym *root = ms_unit_sym(u, p->root);
    return root && root->type_name && p->len > 0 && p->steps[0].kind == MS_STEP_FIELD;
}

bool ms_same_object(const ms_unit *u, const ms_path *a, const ms_path *b, bool by_type) {
    if (ms_path_same(a, b))
        return true;
    if (!by_type || !ms_typed_field(u, a) || !ms_typed_field(u, b) || a->len != b->len)
        return false;
    const ms_sym *ra = ms_unit_sym(u, a->root), *rb = ms_unit_sym(u, b->root);
    /* Two locals of one type may well be two objects; a receiver stands for
     * whichever object its methods run on. */
    if (ra->kind != MS_SYM_RECEIVER && rb->kind != MS_SYM_RECEIVER)
        return false;
    if (!same_type_name(ra->type_name, rb->type_name))
        return false;
    for (uint8_t i = 0; i < a->len; i++)
        if (!ms_step_same(&a->steps[i], &b->steps[i]))
            return false;
    return true;
}
