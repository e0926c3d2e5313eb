/* Map accesses with the locks held around them, through calls.
 *
 * An access is a map operation (read, iteration or write), a rebinding of a
 * variable or field that holds a map (the whole map is replaced), or a signal
 * on a channel (what a waiting spawner synchronises on). A function's
 * summary lists the accesses it and the unit's functions it calls perform on
 * objects that outlive the call (rooted at parameters, globals or captured
 * variables), in its own terms, each with the locks held at that point,
 * counting the locks held at the calls on the way. The concurrency rules
 * compare such accesses between threads. Signals and joins (waits: wg.Wait,
 * a receive, a loop over a channel) are listed the same way, so that a call
 * of a helper that waits counts as a join. */
#ifndef MAPSAFE_ACCESS_H
#define MAPSAFE_ACCESS_H

#include "arena.h"
#include "binding.h"
#include "doom.h"
#include "ir.h"
#include "lockset.h"

typedef enum ms_access_kind {
    MS_ACC_MAP = 1, /* op: an ms_map_op; MS_OP_READ also for iteration */
    MS_ACC_REBIND,  /* the variable or field holding the map gets another map */
    MS_ACC_SIGNAL,  /* path is a channel sent on or closed */
    MS_ACC_JOIN,    /* op: an ms_join_kind; path: what it waits on */
} ms_access_kind;

#define MS_ACCESS_VIA 4

typedef struct ms_access {
    uint8_t kind;
    uint8_t op;
    bool iterate;
    uint8_t nvia;
    ms_path path;
    const ms_node *node; /* the operation itself, deepest in the call chain */
    uint32_t func;       /* the function `node` belongs to */
    ms_heldset locks;
    const ms_node *via[MS_ACCESS_VIA]; /* calls leading to node, outermost first */
} ms_access;

bool ms_access_writes(const ms_access *a);
/* The access node `n` of function `func` performs by itself, without locks.
 * False when it performs none. */
bool ms_access_of_node(const ms_unit *u, const ms_node *n, uint32_t func, ms_access *out);

/* `in` rewritten through binding `b` into the caller's terms, with the
 * locks the caller can name. When `keep_params`, a path through a parameter
 * whose argument is no path stays in the callee's terms (a handler's
 * arguments are evaluated once: http.Handle("/", &counter{}) is one object
 * for all requests). An invalid path (an unknown channel) stays invalid.
 * False when the path cannot be rewritten. */
bool ms_access_bind(ms_locks *L, const ms_binding *b, bool keep_params, const ms_access *in,
                    ms_access *out);

typedef struct ms_accesses ms_accesses;

/* Reads on paths that can only end in a panic (doom.h) are left out. */
ms_accesses *ms_accesses_new(ms_arena *arena, const ms_unit *u, ms_locks *locks,
                             const ms_doom *doom);
/* A read whose every path ends in a panic. */
bool ms_access_doomed_read(const ms_accesses *A, const ms_access *a, uint32_t func,
                           const ms_node *at);
/* The summary of `func`, computed on first use. Recursion is cut: a call
 * back into a function being summarised contributes what is known so far. */
const ms_access *ms_accesses_of(ms_accesses *A, uint32_t func, uint32_t *count);
/* What executing `call` (a CALL node of `caller`) performs, in the caller's
 * terms, with the caller's locks at the call added. Returns how many were
 * written to out. */
uint32_t ms_accesses_of_call(ms_accesses *A, uint32_t caller, const ms_node *call, ms_access *out,
                             uint32_t cap);

#endif
