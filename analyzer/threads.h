/* The threads of a unit: one per SPAWN node whose entry is a function of the
 * unit, with what it accesses in its spawner's terms, and where in the
 * spawner it may still be running.
 *
 * A thread's accesses are its entry's summary (access.h) bound at the spawn:
 * parameters become the spawn's arguments, captured variables and globals
 * stay. Its region is the part of the spawner's CFG reachable from the spawn
 * without passing a join that waits for it (ir.h, "JOIN/SIGNAL"). A path
 * that depends on a variable declared or assigned inside a loop around the
 * spawn names another object in the next iteration, so regions are asked for
 * with such loops' headers closed ("fresh" loops).
 *
 * A thread its spawner does not join runs on after the spawner returns: each
 * caller of the spawner gets a view of it, its accesses bound through that
 * call, with a region starting after the call. */
#ifndef MAPSAFE_THREADS_H
#define MAPSAFE_THREADS_H

#include "access.h"
#include "arena.h"
#include "cfg.h"
#include "ir.h"
#include "lockset.h"

#define MS_THREAD_LOOPS 16

typedef struct ms_thread_region ms_thread_region;

typedef struct ms_thread ms_thread;

struct ms_thread {
    const ms_node *spawn; /* the SPAWN node */
    uint8_t kind;         /* its ms_spawn_kind */
    uint32_t entry;
    /* Where the thread is seen from: the spawn in its spawner, or, for a
     * caller's view (`caller_of` set), the call of the spawner in one of
     * its callers, which goes on while a thread it did not join runs. */
    const ms_node *start;
    uint32_t spawner; /* the function containing `start` */
    const ms_thread *caller_of;
    ms_path handle; /* the spawn's handle, in the spawner's terms */
    ms_access *acc; /* bound to the spawner's terms; its signals and joins too */
    uint32_t nacc;
    bool signals_unknown; /* signals a channel that cannot be named */
    bool confined;        /* joined on every path before the spawner returns */
    ms_heldset inherited; /* spawner locks held for the whole life of a confined thread */
    const ms_node *loops[MS_THREAD_LOOPS]; /* loops around `start`, outermost first */
    uint8_t nloops;
    ms_thread_region *regions; /* cache */
};

/* The spawner's vertices a thread may run alongside. */
struct ms_thread_region {
    uint64_t fresh;
    uint64_t *in; /* bit set over the vertices of the spawner's CFG */
    bool repeats; /* the spawn itself is reached again */
    ms_thread_region *next;
};

static inline bool ms_region_has(const ms_thread_region *r, uint32_t vertex) {
    return r->in[vertex / 64] >> (vertex % 64) & 1;
}

/* A map access a function performs at one of its CFG vertices, directly or
 * through a call, in its terms and with its locks. */
typedef struct ms_site {
    uint32_t vertex;
    ms_access access;
} ms_site;

typedef struct ms_threads {
    const ms_unit *unit;
    ms_arena *arena;
    ms_cfg **cfgs;
    ms_locks *locks;
    ms_accesses *accesses;
    ms_thread *items;
    uint32_t n;
    ms_thread *views; /* callers' views of threads their callee does not join */
    uint32_t nviews;
    ms_site **sites; /* by function, built on first use */
    uint32_t *nsites;
} ms_threads;

ms_threads *ms_threads_build(ms_arena *arena, const ms_unit *u, ms_cfg **cfgs, ms_locks *locks,
                             ms_accesses *accesses);

/* Loops around t's spawn (bit i: t->loops[i]) in which path `p` (spawner
 * terms) names a new object each iteration. */
uint64_t ms_thread_fresh_loops(const ms_threads *T, const ms_thread *t, const ms_path *p);
const ms_thread_region *ms_thread_region_get(ms_threads *T, ms_thread *t, uint64_t fresh);
/* Several copies of t run at once for an object named by `p`: a handler,
 * or a spawn that repeats without waiting and without `p` changing. */
bool ms_thread_repeats(ms_threads *T, ms_thread *t, const ms_path *p);
/* The thread that runs t's spawner several times at once (a handler that
 * starts a goroutine per request), when `p` is the same map for all of
 * them; NULL otherwise. */
const ms_thread *ms_thread_spawner_repeats(ms_threads *T, const ms_thread *t, const ms_path *p);
/* The map accesses of function `func`, at its vertices: what a region
 * (ms_region_has) selects. */
const ms_site *ms_threads_sites(ms_threads *T, uint32_t func, uint32_t *count);
/* Whether `spawn` (a node of t's spawner) is reached while t may run, for
 * an object named by `p`. */
bool ms_thread_overlaps(ms_threads *T, ms_thread *t, const ms_node *spawn, const ms_path *p);

#endif
