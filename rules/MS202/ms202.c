/* MS202 map-write-under-read-lock.
 *
 * A write to a map that outlives the function (a field, a global, a captured
 * variable) while the locks held are all shared: readers hold a shared lock
 * together, so their writes race (rules.md, "MS202"). The locks come from
 * lockset.h, including those every caller holds. A call of a function of the
 * unit that writes such a map with no exclusive lock of its own is reported
 * at the call, unless every caller holds the read lock: then the write
 * inside is reported instead. */
#include "rule.h"

#include "binding.h"
#include "concurrency.h"

#include <stdio.h>

/* The read lock a write happens under on every path, or NULL when an
 * exclusive lock (or the caller's, by naming convention) is held too, or a
 * lock is exclusive on some paths, or no lock is held at all, or the
 * analysis lost track of the locks held. */
static const ms_held *read_locked_only(const ms_heldset *held) {
    if (held->unknown)
        return NULL;
    const ms_held *shared = NULL;
    for (uint8_t i = 0; i < held->n; i++) {
        if (held->items[i].mode == MS_LOCK_EXCLUSIVE || held->items[i].lock == MS_LOCK_CALLER)
            return NULL;
        if (held->items[i].mode == MS_LOCK_SHARED && !shared)
            shared = &held->items[i];
    }
    return shared;
}

/* Held exclusively by the callee itself, or maybe (unknown); the caller's
 * lock of a ...Locked function is what the caller holds, here a read lock. */
static bool exclusively_locked(const ms_heldset *held) {
    if (held->unknown)
        return true;
    for (uint8_t i = 0; i < held->n; i++)
        if (held->items[i].mode == MS_LOCK_EXCLUSIVE && held->items[i].lock != MS_LOCK_CALLER)
            return true;
    return false;
}

/* A map other goroutines or threads may reach: not one of the function's
 * own locals, nor a map the caller passed in to be filled. */
static bool reachable_by_others(const ms_unit *u, uint32_t func, const ms_path *p) {
    const ms_sym *root = ms_unit_sym(u, p->root);
    if (!root)
        return false;
    if (root->kind == MS_SYM_LOCAL && root->func == func)
        return false;
    if ((root->kind == MS_SYM_PARAM || root->kind == MS_SYM_RECEIVER) && p->len == 0)
        return false;
    return true;
}

static const char *lock_text(ms_rule_ctx *ctx, const ms_locks *L, const ms_held *h, char *buf,
                             size_t cap) {
    const ms_path *p = ms_locks_path(L, h->lock);
    return p ? ms_path_render(ctx->unit, p, buf, cap) : "?";
}

typedef struct scan {
    ms_rule_ctx *ctx;
    ms_concurrency *c;
    uint32_t func;
} scan;

static void check_write(scan *s, const ms_node *n, const ms_access *a) {
    ms_heldset held;
    ms_locks_at(s->c->locks, s->func, n, &held);
    const ms_held *rl = read_locked_only(&held);
    if (!rl || !reachable_by_others(s->ctx->unit, s->func, &a->path))
        return;
    char map[128], lock[128];
    ms_finding *f = ms_rule_report(
        s->ctx, &ms_rule_ms202, n->stmt, s->func,
        "map '%s' is written while only the read lock [%s](1) is held; several readers hold it "
        "at once, so their writes race",
        ms_path_render(s->ctx->unit, &a->path, map, sizeof(map)),
        lock_text(s->ctx, s->c->locks, rl, lock, sizeof(lock)));
    ms_rule_related(s->ctx, f, rl->at, "the read lock");
}

/* Whether every caller of `callee` holds the read lock `rl` (caller terms). */
static bool all_callers_hold(scan *s, const ms_node *call, const ms_held *rl) {
    ms_heldset entry;
    ms_locks_entry(s->c->locks, call->u.call.callee, &entry);
    const ms_path *p = ms_locks_path(s->c->locks, rl->lock);
    ms_binding b = {s->ctx->unit, call->u.call.callee, call->u.call.args, call->u.call.nargs};
    ms_path inside;
    if (!p || !ms_bind_in(&b, p, &inside))
        return false;
    const ms_held *h = ms_heldset_find(&entry, ms_locks_intern(s->c->locks, &inside));
    return h && h->mode == MS_LOCK_SHARED;
}

static void check_call(scan *s, const ms_node *call) {
    uint32_t callee = call->u.call.callee;
    if (callee == MS_NONE || callee >= s->ctx->unit->nfuncs ||
        call->u.call.flags & MS_CALLF_DEFERRED)
        return;
    ms_heldset held;
    ms_locks_at(s->c->locks, s->func, call, &held);
    const ms_held *rl = read_locked_only(&held);
    if (!rl || all_callers_hold(s, call, rl))
        return;
    uint32_t n = 0;
    const ms_access *inner = ms_accesses_of(s->c->accesses, callee, &n);
    ms_binding b = {s->ctx->unit, callee, call->u.call.args, call->u.call.nargs};
    for (uint32_t i = 0; i < n; i++) {
        const ms_access *a = &inner[i];
        ms_path here;
        /* Writes the callee does not lock for itself. */
        if (!ms_access_writes(a) || exclusively_locked(&a->locks) ||
            !ms_bind_out(&b, &a->path, &here) || !reachable_by_others(s->ctx->unit, s->func, &here))
            continue;
        char map[128], lock[128];
        const ms_func *fn = &s->ctx->unit->funcs[callee];
        ms_finding *f = ms_rule_report(
            s->ctx, &ms_rule_ms202, call->stmt, s->func,
            "call to '%s' [writes map '%s'](2) while only the read lock [%s](1) is held; several "
            "readers hold it at once, so their writes race",
            fn->display ? fn->display : fn->name,
            ms_path_render(s->ctx->unit, &here, map, sizeof(map)),
            lock_text(s->ctx, s->c->locks, rl, lock, sizeof(lock)));
        ms_rule_related(s->ctx, f, rl->at, "the read lock");
        ms_rule_related(s->ctx, f, a->node->stmt, "the write inside the called function");
        return;
    }
}

static bool visit(const ms_node *n, void *arg) {
    scan *s = arg;
    if (n->kind == MS_NODE_CALL) {
        check_call(s, n);
        return true;
    }
    ms_access a;
    if (ms_access_of_node(s->ctx->unit, n, s->func, &a) && ms_access_writes(&a))
        check_write(s, n, &a);
    return true;
}

static void run(ms_rule_ctx *ctx) {
    ms_concurrency *c = ms_rule_concurrency(ctx);
    if (ms_locks_none(c->locks))
        return;
    for (uint32_t f = 1; f < ctx->unit->nfuncs; f++) {
        scan s = {.ctx = ctx, .c = c, .func = f};
        ms_node_walk(ctx->unit->funcs[f].body, visit, &s);
    }
}

const ms_rule ms_rule_ms202 = {
    .id = "MS202",
    .name = "map-write-under-read-lock",
    .short_description = "Map written while only a shared (read) lock is held",
    .full_description =
        "A map is written while the only lock held is a shared one (RWMutex.RLock, "
        "std::shared_lock, pthread_rwlock_rdlock). Several readers hold a shared lock at "
        "once, so their writes race with each other.",
    .help_markdown = ms_help_MS202,
    .level_go = MS_LEVEL_ERROR,
    .level_c = MS_LEVEL_ERROR,
    .tags = {"correctness", "concurrency", "maps", NULL},
    .precision = "very-high",
    .problem_severity = "error",
    .run = run,
};
