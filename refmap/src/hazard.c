#include "hazard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void hazard_fatal(const char *message) {
    fputs(message, stderr);
    fputc('\n', stderr);
    fflush(stderr);
    abort();
}

/* REFMAP_DEBUG is a comma-separated list of switch names. */
static unsigned debug_from_environment(void) {
    const char *spec = getenv("REFMAP_DEBUG");
    unsigned bits = 0;
    while (spec && *spec) {
        size_t word = strcspn(spec, ",");
        if (word == 4 && strncmp(spec, "iter", 4) == 0)
            bits |= REFMAP_DEBUG_ITER;
        spec += word;
        if (*spec == ',')
            spec++;
    }
    return bits;
}

unsigned hazard_debug_defaults(void) {
    unsigned bits = debug_from_environment();
#ifdef REFMAP_DEBUG_ITER_DEFAULT
    bits |= REFMAP_DEBUG_ITER;
#endif
    return bits;
}

static int table_pinned(const struct table *t) {
    return atomic_load_explicit(&t->pins, memory_order_acquire) != 0;
}

int hazard_iteration_unfinished(const struct refmap *m) {
    if (m->table && table_pinned(m->table))
        return 1;
    for (const struct table *t = m->retired; t; t = t->next_retired)
        if (table_pinned(t))
            return 1;
    return 0;
}
