/* Best-effort detection of concurrent misuse, after Go's hashWriting flag.
 *
 * A write raises m->writing for its duration. A write that finds the flag
 * already raised, or finds it lowered when it ends, has raced with another
 * write; a read or an iteration step that finds it raised has raced with a
 * write. A write costs two atomic loads and two atomic stores, all relaxed
 * but the last (release): plain moves on x86-64 and AArch64, with no
 * read-modify-write and no fence on the write path. */
#ifndef REFMAP_HAZARD_H
#define REFMAP_HAZARD_H

#include <stdatomic.h>

#include "compiler.h"
#include "map.h"

#define MSG_CONCURRENT_WRITES "refmap: concurrent map writes"
#define MSG_ITERATION_AND_WRITE "refmap: concurrent map iteration and map write"
#define MSG_READ_AND_WRITE "refmap: concurrent map read and map write"
#define MSG_MODIFIED_DURING_ITERATION "refmap: map modified during iteration"

/* Prints message and a newline to stderr, then aborts. */
_Noreturn void hazard_fatal(const char *message);

/* The REFMAP_DEBUG_* bits asked for by the build and by the environment. */
unsigned hazard_debug_defaults(void);

/* Whether any iteration of m is unfinished (REFMAP_DEBUG_ITER). */
int hazard_iteration_unfinished(const struct refmap *m);

static REFMAP_ALWAYS_INLINE void writer_begin(struct refmap *m) {
    if (REFMAP_UNLIKELY(atomic_load_explicit(&m->writing, memory_order_relaxed)))
        hazard_fatal(MSG_CONCURRENT_WRITES);
    atomic_store_explicit(&m->writing, 1, memory_order_relaxed);
}

static REFMAP_ALWAYS_INLINE void writer_end(struct refmap *m) {
    if (REFMAP_UNLIKELY(!atomic_load_explicit(&m->writing, memory_order_relaxed)))
        hazard_fatal(MSG_CONCURRENT_WRITES);
    atomic_store_explicit(&m->writing, 0, memory_order_release);
}

static REFMAP_ALWAYS_INLINE void reader_check(const struct refmap *m, const char *message) {
    if (REFMAP_UNLIKELY(atomic_load_explicit(&m->writing, memory_order_relaxed)))
        hazard_fatal(message);
}

#endif
