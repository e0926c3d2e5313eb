/* Bump allocator owned by one analysis unit. Everything the frontend and the
 * rules build for a unit lives here and is freed at once when the unit is
 * done, so the analysis core never frees individual objects. */
#ifndef MAPSAFE_ARENA_H
#define MAPSAFE_ARENA_H

#include <stddef.h>

typedef struct ms_arena_block ms_arena_block;

typedef struct ms_arena {
    ms_arena_block *head;
    size_t used_total;
} ms_arena;

void ms_arena_init(ms_arena *a);
void ms_arena_free(ms_arena *a);
/* Zeroed, 16-byte aligned memory. Aborts only when the system is out of memory. */
void *ms_arena_alloc(ms_arena *a, size_t size);
char *ms_arena_strndup(ms_arena *a, const char *s, size_t n);
char *ms_arena_printf(ms_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define MS_NEW(arena, type) ((type *)ms_arena_alloc((arena), sizeof(type)))
#define MS_NEW_ARRAY(arena, type, n) ((type *)ms_arena_alloc((arena), sizeof(type) * (n)))

#endif
