/* MS201 findings: the message says which goroutine or thread races with
 * what; related locations are the spawn site, the racing access and the
 * nearest relevant lock; the code flow runs from the spawn to the write. */
#include "race.h"

#include "source.h"
#include "vec.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct text {
    char buf[1024];
    size_t len;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *fmt, ...) {
    if (t->len >= sizeof(t->buf))
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len += (size_t)n;
}

/* Related locations in the order their ids are handed out (from 1). The
 * list grows: every id a message names has its location. */
typedef struct related_location {
    ms_span span;
    const char *what;
} related_location;

typedef MS_VEC(related_location) related;

static int link(related *r, ms_span span, const char *what) {
    related_location l = {span, what};
    MS_VEC_PUSH(r, l);
    return (int)r->len;
}

static bool is_go(ms_rule_ctx *ctx, ms_span span) {
    return ms_rule_source(ctx, span)->lang == MS_LANG_GO;
}

static const char *func_name(ms_rule_ctx *ctx, uint32_t f) {
    const ms_func *fn = &ctx->unit->funcs[f];
    return fn->display ? fn->display : fn->name ? fn->name : "?";
}

/* "the goroutine running 'worker'", "the handler 'count'", "the thread" */
static void describe(ms_rule_ctx *ctx, text *t, const ms_thread *th) {
    const ms_func *entry = &ctx->unit->funcs[th->entry];
    bool literal = entry->flags & MS_FUNCF_CLOSURE;
    const char *noun = is_go(ctx, th->spawn->span) ? "goroutine" : "thread";
    if (th->kind == MS_SPAWN_HANDLER) {
        if (literal)
            put(t, "the handler function");
        else
            put(t, "the handler '%s'", func_name(ctx, th->entry));
    } else if (literal) {
        put(t, "the %s", noun);
    } else {
        put(t, "the %s running '%s'", noun, func_name(ctx, th->entry));
    }
}

/* The access's own path and where it is, in its function's terms. */
static ms_path own_path(const ms_unit *u, const ms_access *a) {
    ms_access own;
    if (ms_access_of_node(u, a->node, a->func, &own))
        return own.path;
    return a->path;
}

static ms_span access_span(const ms_access *a) {
    return a->node->kind == MS_NODE_LOOP ? a->node->u.loop.header : a->node->span;
}

/* Present tense ("reads") and base form ("read") of what an access does. */
static const char *verb(const ms_access *a, bool base) {
    if (a->kind == MS_ACC_REBIND || (a->kind == MS_ACC_MAP && a->op == MS_OP_REPLACE))
        return base ? "replace" : "replaces";
    switch (a->op) {
        case MS_OP_READ:
            return a->iterate ? (base ? "iterate over" : "iterates over")
                              : (base ? "read" : "reads");
        case MS_OP_ERASE:
        case MS_OP_ERASE_RANGE:
            return base ? "delete from" : "deletes from";
        case MS_OP_CLEAR:
            return base ? "clear" : "clears";
        default:
            return base ? "write" : "writes";
    }
}

static const char *lock_name(ms_rule_ctx *ctx, const ms_locks *L, uint32_t lock, char *buf,
                             size_t cap) {
    const ms_path *p = ms_locks_path(L, lock);
    if (!p)
        return "the caller's lock";
    return ms_path_render(ctx->unit, p, buf, cap);
}

/* The last unlock before the write on some path to it. */
typedef struct release_scan {
    ms_rule_ctx *ctx;
    uint32_t func;
    const ms_node *write;
    const ms_node *found;
} release_scan;

/* Straight on from the unlock to the write: not around a loop, not past
 * another acquire. */
static bool leads_to(const ms_cfg *g, const ms_node *from, const ms_node *to) {
    uint32_t nv = g->n + 2, target = ms_cfg_vertex(g, to), top = 0;
    uint8_t *seen = ms_xcalloc(nv, 1);
    uint32_t *stack = ms_xmalloc(sizeof(uint32_t) * nv);
    bool found = false;
    stack[top++] = ms_cfg_vertex(g, from);
    while (top && !found) {
        uint32_t v = stack[--top];
        for (uint32_t e = g->succ_start[v]; e < g->succ_start[v + 1] && !found; e++) {
            uint32_t w = g->succ[e];
            const ms_node *n = w < g->n ? g->nodes[w] : NULL;
            if (w == target)
                found = true;
            else if (n && !seen[w] && n->kind != MS_NODE_LOOP &&
                     !(n->kind == MS_NODE_LOCK && n->u.lock.action == MS_LOCK_ACQUIRE)) {
                seen[w] = 1;
                stack[top++] = w;
            }
        }
    }
    free(seen);
    free(stack);
    return found;
}

static bool find_release(const ms_node *n, void *arg) {
    release_scan *s = arg;
    if (n->id >= s->write->id)
        return false;
    if (n->kind == MS_NODE_LOCK && n->u.lock.action == MS_LOCK_RELEASE && !n->u.lock.deferred &&
        leads_to(ms_rule_cfg(s->ctx, s->func), n, s->write))
        s->found = n;
    return true;
}

/* How the locks on the two sides fail to exclude each other. */
static void lock_clause(ms_rule_ctx *ctx, const ms_race *race, text *t, related *r) {
    ms_concurrency *c = ms_rule_concurrency(ctx);
    char a[128], b[128];
    const ms_heldset *w = &race->write_locks, *x = &race->racing_locks;
    if (w->n == 0) {
        release_scan s = {.ctx = ctx, .func = race->write->func, .write = race->write->node};
        ms_node_walk(ctx->unit->funcs[race->write->func].body, find_release, &s);
        if (s.found) {
            int id = link(r, s.found->span, "the lock is released here");
            put(t, "; the lock is [released](%d) before the write", id);
        } else if (x->n > 0) {
            int id = link(r, x->items[0].at, "the lock held on the other side");
            put(t, "; the other side holds [%s](%d), this write holds no lock",
                lock_name(ctx, c->locks, x->items[0].lock, a, sizeof(a)), id);
        } else {
            put(t, "; no lock is held on either side");
        }
        return;
    }
    int id = link(r, w->items[0].at, "the lock this write holds");
    if (x->n > 0) {
        int id2 = link(r, x->items[0].at, "the lock held on the other side");
        put(t, "; this write holds [%s](%d), a different mutex from [%s](%d) on the other side",
            lock_name(ctx, c->locks, w->items[0].lock, a, sizeof(a)), id,
            lock_name(ctx, c->locks, x->items[0].lock, b, sizeof(b)), id2);
    } else {
        put(t, "; this write holds [%s](%d) but the other side holds no lock",
            lock_name(ctx, c->locks, w->items[0].lock, a, sizeof(a)), id);
    }
}

static bool is_handler(const ms_thread *th) {
    return th->kind == MS_SPAWN_HANDLER;
}

static const char *spawned_here(const ms_thread *th) {
    return is_handler(th) ? "registered here" : "started here";
}

/* "another goroutine" when naming the other thread says nothing more. */
static void describe_other(ms_rule_ctx *ctx, text *t, const ms_thread *th, const ms_thread *o) {
    bool literal = ctx->unit->funcs[o->entry].flags & MS_FUNCF_CLOSURE;
    if (o->entry == th->entry || (literal && !is_handler(o) && !is_handler(th)))
        put(t, "another %s",
            is_handler(o)                ? "handler"
            : is_go(ctx, o->spawn->span) ? "goroutine"
                                         : "thread");
    else
        describe(ctx, t, o);
}

static void message(ms_rule_ctx *ctx, const ms_race *race, text *t, related *r) {
    const ms_thread *th = race->thread;
    ms_span spawn = th->spawn->stmt;
    const char *verb3 = verb(race->racing, false), *verb0 = verb(race->racing, true);
    /* A caller's view: the spawner returned without waiting. */
    char after[160] = "";
    if (th->caller_of)
        snprintf(after, sizeof(after), " after '%s' returns",
                 func_name(ctx, th->caller_of->spawner));
    char map[128];
    ms_path wp = own_path(ctx->unit, race->write);
    put(t, "map '%s' is written by ", ms_path_render(ctx->unit, &wp, map, sizeof(map)));
    switch (race->kind) {
        case MS_RACE_SPAWNER: {
            describe(ctx, t, th);
            int s = link(r, spawn, spawned_here(th));
            int x = link(r, access_span(race->racing), "the racing access");
            put(t, " [%s](%d) while '%s' [%s it](%d)%s %s waiting for it", spawned_here(th), s,
                func_name(ctx, th->spawner), verb3, x, after, th->confined ? "before" : "without");
            break;
        }
        case MS_RACE_SPAWNER_WRITE: {
            put(t, "'%s'%s while ", func_name(ctx, th->spawner), after);
            describe(ctx, t, th);
            int s = link(r, spawn, spawned_here(th));
            int x = link(r, access_span(race->racing), "the racing access");
            const char *how = is_handler(th) ? "registered" : "started";
            if (th->caller_of)
                put(t, " that '%s' [%s](%d) may still [%s it](%d); nothing waits for it first",
                    func_name(ctx, th->caller_of->spawner), how, s, verb0, x);
            else
                put(t, " it [%s](%d) may still [%s it](%d); it does not wait for it first", how, s,
                    verb0, x);
            break;
        }
        case MS_RACE_SELF: {
            describe(ctx, t, th);
            if (race->other) {
                int s = link(r, spawn, "started here");
                put(t, " [started here](%d) by ", s);
                describe(ctx, t, race->other);
                int o = link(r, race->other->spawn->stmt, spawned_here(race->other));
                int x = link(r, access_span(race->racing), "the access in another copy");
                put(t,
                    " [%s](%d), which runs concurrently with itself, so several copies run at "
                    "once: another copy may [%s it](%d) at the same time",
                    spawned_here(race->other), o, verb0, x);
                break;
            }
            int s = link(r, spawn, is_handler(th) ? "registered here" : "started in a loop here");
            int x = link(r, access_span(race->racing), "the access in another copy");
            if (is_handler(th))
                put(t,
                    " [registered here](%d), which the HTTP server runs concurrently with itself: "
                    "another request may [%s it](%d) at the same time",
                    s, verb0, x);
            else
                put(t,
                    " [started in a loop](%d), so several copies run at once: another copy "
                    "may [%s it](%d) at the same time",
                    s, verb0, x);
            break;
        }
        case MS_RACE_PAIR: {
            describe(ctx, t, th);
            int s = link(r, spawn, spawned_here(th));
            put(t, " [%s](%d) while ", spawned_here(th), s);
            const ms_thread *o = race->other;
            describe_other(ctx, t, th, o);
            int os = link(r, o->spawn->stmt, spawned_here(o));
            int x = link(r, access_span(race->racing), "the racing access");
            put(t, " [%s](%d) [%s it](%d) at the same time", spawned_here(o), os, verb3, x);
            break;
        }
        case MS_RACE_GUARDED: {
            describe(ctx, t, th);
            int s = link(r, spawn, spawned_here(th));
            ms_concurrency *c = ms_rule_concurrency(ctx);
            char lock[128];
            const ms_held *guard = &race->racing_locks.items[0];
            int l = link(r, guard->at, "the lock that guards the map elsewhere");
            int x = link(r, access_span(race->racing), "an access under that lock");
            put(t, " [%s](%d) without [%s](%d), which '%s' holds when it [%s it](%d)",
                spawned_here(th), s, lock_name(ctx, c->locks, guard->lock, lock, sizeof(lock)), l,
                func_name(ctx, race->racing->func), verb3, x);
            if (race->write_locks.n > 0) {
                int h = link(r, race->write_locks.items[0].at, "the lock this write holds");
                put(t, "; it holds [%s](%d) instead",
                    lock_name(ctx, c->locks, race->write_locks.items[0].lock, lock, sizeof(lock)),
                    h);
            }
            return;
        }
    }
    lock_clause(ctx, race, t, r);
}

static void flow(ms_rule_ctx *ctx, ms_finding *f, const ms_race *race) {
    const ms_thread *th = race->thread;
    const ms_thread *origin = th->caller_of ? th->caller_of : th;
    bool in_spawner = race->kind == MS_RACE_SPAWNER_WRITE;
    bool literal = ctx->unit->funcs[th->entry].flags & MS_FUNCF_CLOSURE;
    const char *noun = is_go(ctx, th->spawn->span) ? "goroutine" : "thread";
    char what[160];
    if (is_handler(th))
        snprintf(what, sizeof(what),
                 "the handler is registered; the HTTP server runs it concurrently");
    else if (in_spawner || literal)
        snprintf(what, sizeof(what), "'%s' starts a %s", func_name(ctx, origin->spawner), noun);
    else
        snprintf(what, sizeof(what), "a %s starts running '%s'", noun, func_name(ctx, th->entry));
    ms_rule_flow(ctx, f, th->spawn->stmt, what);
    if (in_spawner && th->caller_of) {
        snprintf(what, sizeof(what), "'%s' returns; the %s keeps running",
                 func_name(ctx, origin->spawner), noun);
        ms_rule_flow(ctx, f, th->start->stmt, what);
    }
    const ms_access *w = race->write;
    for (uint8_t i = 0; i < w->nvia; i++) {
        const ms_node *call = w->via[i];
        const char *callee = call->u.call.callee ? func_name(ctx, call->u.call.callee) : "?";
        snprintf(what, sizeof(what), "calls '%s'", callee);
        ms_rule_flow(ctx, f, call->stmt, what);
    }
    ms_rule_flow(ctx, f, w->node->stmt, "writes the map");
}

void ms201_report_race(ms_rule_ctx *ctx, const ms_rule *rule, const ms_race *race) {
    text t = {0};
    related r = {0};
    message(ctx, race, &t, &r);
    ms_finding *f =
        ms_rule_report(ctx, rule, race->write->node->stmt, race->write->func, "%s", t.buf);
    for (size_t i = 0; i < r.len; i++)
        ms_rule_related(ctx, f, r.items[i].span, r.items[i].what);
    MS_VEC_FREE(&r);
    flow(ctx, f, race);
}
