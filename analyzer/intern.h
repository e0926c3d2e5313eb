/* String interning for one analysis unit: equal names become equal pointers,
 * so the analysis compares identifiers and field names with ==. */
#ifndef MAPSAFE_INTERN_H
#define MAPSAFE_INTERN_H

#include "arena.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ms_interner {
    ms_arena *arena;
    const char **slots;
    uint32_t *hashes;
    size_t cap, len;
} ms_interner;

void ms_intern_init(ms_interner *t, ms_arena *arena);
void ms_intern_free(ms_interner *t);
const char *ms_intern(ms_interner *t, const char *s, size_t n);
const char *ms_intern_cstr(ms_interner *t, const char *s);

uint64_t ms_hash_bytes(const void *data, size_t n, uint64_t seed);

#endif
