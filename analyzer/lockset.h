/* Which locks are held at each point of each function of a unit.
 *
 * A forward must-analysis over each function's CFG: an acquire adds the lock
 * (exclusive or shared), a release removes it, a deferred release (defer
 * mu.Unlock(), or a deferred call of a function that releases it) keeps it to
 * the end, a scoped (RAII) lock leaves with its block, and a call of a lock
 * wrapper (a function of the unit that returns holding a lock, or releases
 * one) does what the wrapper does. Paths join by intersection.
 *
 * Where the analysis loses track (more locks than it can hold, a wrapper
 * whose deferred calls it cannot follow, so that it may or may not return
 * holding its lock), the set is marked unknown: rules report nothing that
 * depends on it.
 *
 * A function starts holding the locks every caller in the unit holds at its
 * call sites (a spawn is a caller that holds nothing), found by iterating
 * over the call graph; a function named by the caller-locked convention
 * (MS_FUNCF_CALLER_LOCKED) also holds MS_LOCK_CALLER, a lock that cannot be
 * named. */
#ifndef MAPSAFE_LOCKSET_H
#define MAPSAFE_LOCKSET_H

#include "arena.h"
#include "cfg.h"
#include "ir.h"

enum { MS_LOCK_CALLER = 0 }; /* lock id of "the lock the caller holds" */

/* A lock held on every path, exclusively on some and shared on others. */
enum { MS_HELD_MIXED = 3 };

typedef struct ms_held {
    uint32_t lock; /* id: ms_locks_path; MS_LOCK_CALLER */
    uint8_t mode;  /* ms_lock_mode, or MS_HELD_MIXED */
    ms_span at;    /* an acquire of it, for related locations */
} ms_held;

#define MS_HELD_MAX 6

typedef struct ms_heldset {
    uint8_t n;
    bool unknown; /* other locks may be held, or these may not be: stay silent */
    ms_held items[MS_HELD_MAX];
} ms_heldset;

typedef struct ms_locks ms_locks;

/* Computes the locks of every function. `cfgs` caches CFGs by function id
 * (shared with the rules); missing ones are built in `arena`. */
ms_locks *ms_locks_compute(ms_arena *arena, const ms_unit *u, ms_cfg **cfgs);

/* True when the unit acquires no lock at all (and has no caller-locked
 * function): every query answers "nothing held". */
bool ms_locks_none(const ms_locks *L);
/* Locks held just before `n`, a node of function `func`, runs. */
void ms_locks_at(const ms_locks *L, uint32_t func, const ms_node *n, ms_heldset *out);
/* Locks `func` holds on entry, from all of its callers. */
void ms_locks_entry(const ms_locks *L, uint32_t func, ms_heldset *out);
/* Whether calling `func` releases `lock` (in func's terms) that it does not
 * acquire itself: an unlock helper, or a thread handed a locked mutex. */
bool ms_locks_releases(const ms_locks *L, uint32_t func, uint32_t lock);
/* The path of a lock id; NULL for MS_LOCK_CALLER. */
const ms_path *ms_locks_path(const ms_locks *L, uint32_t lock);
/* The id of a lock path, interning it. */
uint32_t ms_locks_intern(ms_locks *L, const ms_path *p);

/* Adds a lock to a set, for a point where both are held: no duplicates,
 * exclusive wins. When full, the set becomes unknown and false is returned. */
bool ms_heldset_add(ms_heldset *s, const ms_held *h);
/* Adds every lock of `from` to `into`; unknown if either is. */
void ms_heldset_merge(ms_heldset *into, const ms_heldset *from);
const ms_held *ms_heldset_find(const ms_heldset *s, uint32_t lock);

#endif
