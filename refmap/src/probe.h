/* Hashing, comparing and finding keys in the current table.
 *
 * A key's hash picks its home group (bits 7 and up) and its control byte
 * (bits 0-6). Probing visits groups home, home+1, home+3, home+6, ...
 * (triangular steps), which covers every group of a power-of-two table.
 * The functions take the key kind as a constant so each kind gets its own
 * inlined copy of the loop. */
#ifndef REFMAP_PROBE_H
#define REFMAP_PROBE_H

#include <stdint.h>
#include <string.h>

#include "compiler.h"
#include "group.h"
#include "hash.h"
#include "map.h"

#define NOT_FOUND SIZE_MAX

static REFMAP_ALWAYS_INLINE uint64_t key_hash(const struct refmap *m, const void *key,
                                              enum key_kind kind) {
    switch (kind) {
        case KEY_U32:
            return hash_u32(load_u32(key), m->seed);
        case KEY_U64:
            return hash_u64(load_u64(key), m->seed);
        case KEY_CUSTOM:
            return hash_strengthen(m->hash(key, m->seed, m->fn_ctx), m->seed);
        case KEY_BYTES:
            break;
    }
    return refmap_hash_bytes(key, m->key_size, m->seed);
}

static REFMAP_ALWAYS_INLINE int key_equal(const struct refmap *m, const void *stored,
                                          const void *key, enum key_kind kind) {
    switch (kind) {
        case KEY_U32:
            return load_u32(stored) == load_u32(key);
        case KEY_U64:
            return load_u64(stored) == load_u64(key);
        case KEY_CUSTOM:
            return m->equal(stored, key, m->fn_ctx) != 0;
        case KEY_BYTES:
            break;
    }
    return memcmp(stored, key, m->key_size) == 0;
}

static REFMAP_ALWAYS_INLINE size_t home_group(uint64_t hash, size_t group_mask) {
    return (size_t)(hash >> 7) & group_mask;
}

/* Looks for key in one group: its slot index, or NOT_FOUND. */
static REFMAP_ALWAYS_INLINE size_t group_find(const struct refmap *m, group ctrl, size_t g,
                                              unsigned char hash_bits, const void *key,
                                              enum key_kind kind) {
    for (group_bits bits = group_match(ctrl, hash_bits); bits; bits &= bits - 1) {
        size_t index = g * GROUP_WIDTH + lowest_bit_index(bits);
        if (REFMAP_LIKELY(key_equal(m, m->slots + index * m->slot_size, key, kind)))
            return index;
    }
    return NOT_FOUND;
}

/* The probe beyond a full home group, out of line so that the common case
 * (the home group settles it) needs few registers. */
static REFMAP_NOINLINE size_t probe_find_beyond_home(const struct refmap *m, const void *key,
                                                     uint64_t hash, enum key_kind kind) {
    unsigned char hash_bits = ctrl_hash_bits(hash);
    size_t g = home_group(hash, m->group_mask);
    for (size_t step = 1;; step++) {
        g = (g + step) & m->group_mask;
        group ctrl = group_load(m->ctrl + g * GROUP_WIDTH);
        size_t index = group_find(m, ctrl, g, hash_bits, key, kind);
        if (index != NOT_FOUND)
            return index;
        if (group_match_empty(ctrl))
            return NOT_FOUND;
    }
}

/* The slot index holding key, or NOT_FOUND. */
static REFMAP_ALWAYS_INLINE size_t probe_find(const struct refmap *m, const void *key,
                                              uint64_t hash, enum key_kind kind) {
    size_t g = home_group(hash, m->group_mask);
    group ctrl = group_load(m->ctrl + g * GROUP_WIDTH);
    size_t index = group_find(m, ctrl, g, ctrl_hash_bits(hash), key, kind);
    if (REFMAP_LIKELY(index != NOT_FOUND) || REFMAP_LIKELY(group_match_empty(ctrl)))
        return index;
    return probe_find_beyond_home(m, key, hash, kind);
}

/* The first empty or deleted slot on the probe path of hash. The table must
 * have one, which its growth limit guarantees. */
static inline size_t probe_free_slot(const struct table *t, uint64_t hash) {
    size_t g = home_group(hash, t->group_mask);
    for (size_t step = 1;; step++) {
        group_bits bits = group_match_free(group_load(t->ctrl + g * GROUP_WIDTH)) & t->usable;
        if (REFMAP_LIKELY(bits))
            return g * GROUP_WIDTH + lowest_bit_index(bits);
        g = (g + step) & t->group_mask;
    }
}

#endif
