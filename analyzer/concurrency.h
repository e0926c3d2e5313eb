/* What the concurrency rules (MS201, MS202) share about one unit: the locks
 * held everywhere (lockset.h), map accesses through calls (access.h) and the
 * threads (threads.h). Built once per unit, on first use. */
#ifndef MAPSAFE_CONCURRENCY_H
#define MAPSAFE_CONCURRENCY_H

#include "access.h"
#include "arena.h"
#include "cfg.h"
#include "doom.h"
#include "ir.h"
#include "lockset.h"
#include "threads.h"

typedef struct ms_concurrency {
    const ms_unit *unit;
    ms_arena *arena;
    ms_cfg **cfgs;
    ms_locks *locks;
    ms_doom *doom;
    ms_accesses *accesses;
    ms_threads *threads; /* built by ms_concurrency_threads */
} ms_concurrency;

ms_concurrency *ms_concurrency_build(ms_arena *arena, const ms_unit *u, ms_cfg **cfgs);
ms_threads *ms_concurrency_threads(ms_concurrency *c);

/* Whether the two paths name the same object: the same path, or, when
 * `by_type`, the same fields of two receivers of one named type (methods of
 * a type share its fields between the threads that run them). */
bool ms_same_object(const ms_unit *u, const ms_path *a, const ms_path *b, bool by_type);
/* A path by_type comparison can match: a field of a receiver of a named type. */
bool ms_typed_field(const ms_unit *u, const ms_path *p);

#endif
