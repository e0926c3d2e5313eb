#include "intern.h"

#include "xalloc.h"

#include <string.h>

uint64_t ms_hash_bytes(const void *data, size_t n, uint64_t seed) {
    /* FNV-1a, 64-bit: short identifiers dominate, and it is stable across
     * platforms, which the SARIF fingerprints rely on. */
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ULL ^ seed;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void ms_intern_init(ms_interner *t, ms_arena *arena) {
    t->arena = arena;
    t->cap = 256;
    t->len = 0;
    t->slots = ms_xcalloc(t->cap, sizeof(*t->slots));
    t->hashes = ms_xcalloc(t->cap, sizeof(*t->hashes));
}

void ms_intern_free(ms_interner *t) {
    free(t->slots);
    free(t->hashes);
    t->slots = NULL;
    t->hashes = NULL;
    t->cap = t->len = 0;
}

static void grow(ms_interner *t) {
    size_t old_cap = t->cap;
    const char **old_slots = t->slots;
    uint32_t *old_hashes = t->hashes;
    t->cap *= 2;
    t->slots = ms_xcalloc(t->cap, sizeof(*t->slots));
    t->hashes = ms_xcalloc(t->cap, sizeof(*t->hashes));
    for (size_t i = 0; i < old_cap; i++) {
        if (!old_slots[i])
            continue;
        size_t j = old_hashes[i] & (t->cap - 1);
        while (t->slots[j])
            j = (j + 1) & (t->cap - 1);
        t->slots[j] = old_slots[i];
        t->hashes[j] = old_hashes[i];
    }
    free(old_slots);
    free(old_hashes);
}

const char *ms_intern(ms_interner *t, const char *s, size_t n) {
    uint32_t h = (uint32_t)ms_hash_bytes(s, n, 0);
    size_t j = h & (t->cap - 1);
    while (t->slots[j]) {
        if (t->hashes[j] == h && strncmp(t->slots[j], s, n) == 0 && t->slots[j][n] == '\0')
            return t->slots[j];
        j = (j + 1) & (t->cap - 1);
    }
    const char *copy = ms_arena_strndup(t->arena, s, n);
    t->slots[j] = copy;
    t->hashes[j] = h;
    if (++t->len * 2 > t->cap)
        grow(t);
    return copy;
}

const char *ms_intern_cstr(ms_interner *t, const char *s) {
    return ms_intern(t, s, strlen(s));
}
