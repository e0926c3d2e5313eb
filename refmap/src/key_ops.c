/* The per-key-kind operations (see key_ops.h): lookups, inserts, deletes and
 * moving entries during a rebuild, each written once with the key kind as a
 * constant and instantiated for every kind. */
#include "key_ops.h"

#include <string.h>

#include "hazard.h"
#include "probe.h"
#include "resize.h"

/* memcpy with the common sizes spelled out, so they compile to moves. */
static REFMAP_ALWAYS_INLINE void copy_bytes(void *dst, const void *src, size_t n) {
    switch (n) {
        case 4:
            memcpy(dst, src, 4);
            break;
        case 8:
            memcpy(dst, src, 8);
            break;
        case 16:
            memcpy(dst, src, 16);
            break;
        default:
            memcpy(dst, src, n);
            break;
    }
}

static REFMAP_ALWAYS_INLINE size_t key_size_of(const struct refmap *m, enum key_kind kind) {
    return kind == KEY_U32 ? 4 : kind == KEY_U64 ? 8 : m->key_size;
}

static REFMAP_ALWAYS_INLINE unsigned char *find_slot_kind(const struct refmap *m, const void *key,
                                                          enum key_kind kind) {
    size_t index = probe_find(m, key, key_hash(m, key, kind), kind);
    return index == NOT_FOUND ? NULL : m->slots + index * m->slot_size;
}

static REFMAP_ALWAYS_INLINE void *get_kind(const struct refmap *m, const void *key,
                                           enum key_kind kind) {
    size_t index = probe_find(m, key, key_hash(m, key, kind), kind);
    return index == NOT_FOUND ? NULL : m->slots + index * m->slot_size + m->val_offset;
}

static REFMAP_ALWAYS_INLINE void *insert_kind(struct refmap *m, const void *key, const void *val,
                                              uint64_t hash, enum key_kind kind) {
    if (REFMAP_UNLIKELY(m->debug & REFMAP_DEBUG_ITER) && hazard_iteration_unfinished(m))
        hazard_fatal(MSG_MODIFIED_DURING_ITERATION);
    struct table *replaced = NULL;
    size_t index = 0;
    /* With no empty slot left to fill, only a tombstone on the probe path can
     * take the key without a rebuild. (A full smallest table has neither.) */
    int room = m->growth_left > 0 || m->tombstones > 0;
    if (REFMAP_LIKELY(room)) {
        index = probe_free_slot(m->table, hash);
        room = m->growth_left > 0 || m->ctrl[index] == CTRL_DELETED;
    }
    if (REFMAP_UNLIKELY(!room)) {
        if (table_make_room(m, &replaced) != 0)
            return NULL;
        index = probe_free_slot(m->table, hash);
    }
    if (m->ctrl[index] == CTRL_DELETED)
        m->tombstones--;
    else
        m->growth_left--;
    m->ctrl[index] = ctrl_hash_bits(hash);
    m->len++;
    unsigned char *slot = m->slots + index * m->slot_size;
    /* key and val may point into the replaced table, so it is released only
     * after the copies. */
    copy_bytes(slot, key, key_size_of(m, kind));
    if (val)
        copy_bytes(slot + m->val_offset, val, m->val_size);
    else
        memset(slot + m->val_offset, 0, m->val_size);
    if (replaced)
        table_release(m, replaced);
    return slot + m->val_offset;
}

static REFMAP_ALWAYS_INLINE void *put_kind(struct refmap *m, const void *key, const void *val,
                                           enum key_kind kind) {
    uint64_t hash = key_hash(m, key, kind);
    size_t index = probe_find(m, key, hash, kind);
    if (index != NOT_FOUND) {
        void *value = m->slots + index * m->slot_size + m->val_offset;
        if (val && val != value)
            copy_bytes(value, val, m->val_size);
        return value;
    }
    return insert_kind(m, key, val, hash, kind);
}

static REFMAP_ALWAYS_INLINE int del_kind(struct refmap *m, const void *key, enum key_kind kind) {
    size_t index = probe_find(m, key, key_hash(m, key, kind), kind);
    if (index == NOT_FOUND)
        return 0;
    /* A group that still has an empty slot never made a probe move past it,
     * so the slot can become empty again; otherwise it must stay a
     * tombstone to keep later keys reachable. */
    if (group_match_empty(group_load(m->ctrl + (index & ~(size_t)(GROUP_WIDTH - 1))))) {
        m->ctrl[index] = CTRL_EMPTY;
        m->growth_left++;
    } else {
        m->ctrl[index] = CTRL_DELETED;
        m->tombstones++;
    }
    m->len--;
    return 1;
}

static REFMAP_ALWAYS_INLINE void move_entries_kind(const struct refmap *m, const struct table *from,
                                                   struct table *to, enum key_kind kind) {
    size_t groups = from->group_mask + 1;
    for (size_t g = 0; g < groups; g++) {
        group_bits bits = group_match_full(group_load(from->ctrl + g * GROUP_WIDTH)) & from->usable;
        for (; bits; bits &= bits - 1) {
            const unsigned char *slot =
                from->slots + (g * GROUP_WIDTH + lowest_bit_index(bits)) * m->slot_size;
            uint64_t hash = key_hash(m, slot, kind);
            size_t index = probe_free_slot(to, hash);
            to->ctrl[index] = ctrl_hash_bits(hash);
            copy_bytes(to->slots + index * m->slot_size, slot, m->slot_size);
        }
    }
}

#define DEFINE_KEY_OPS(suffix, kind)                                                               \
    static void *get_##suffix(const struct refmap *m, const void *key) {                           \
        return get_kind(m, key, kind);                                                             \
    }                                                                                              \
    static void *put_##suffix(struct refmap *m, const void *key, const void *val) {                \
        return put_kind(m, key, val, kind);                                                        \
    }                                                                                              \
    static int del_##suffix(struct refmap *m, const void *key) {                                   \
        return del_kind(m, key, kind);                                                             \
    }                                                                                              \
    static unsigned char *find_slot_##suffix(const struct refmap *m, const void *key) {            \
        return find_slot_kind(m, key, kind);                                                       \
    }                                                                                              \
    static void move_entries_##suffix(const struct refmap *m, const struct table *from,            \
                                      struct table *to) {                                          \
        move_entries_kind(m, from, to, kind);                                                      \
    }                                                                                              \
    static const struct key_ops key_ops_##suffix = {get_##suffix, put_##suffix, del_##suffix,      \
                                                    find_slot_##suffix, move_entries_##suffix}

DEFINE_KEY_OPS(bytes, KEY_BYTES);
DEFINE_KEY_OPS(u32, KEY_U32);
DEFINE_KEY_OPS(u64, KEY_U64);
DEFINE_KEY_OPS(custom, KEY_CUSTOM);

const struct key_ops *key_ops_for(enum key_kind kind) {
    switch (kind) {
        case KEY_U32:
            return &key_ops_u32;
        case KEY_U64:
            return &key_ops_u64;
        case KEY_CUSTOM:
            return &key_ops_custom;
        case KEY_BYTES:
            break;
    }
    return &key_ops_bytes;
}
