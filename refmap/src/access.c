/* refmap_get, refmap_put and refmap_del. Each dispatches once on the key kind
 * to a copy of the probe loop specialised for it. */
#include <string.h>

#include "hazard.h"
#include "probe.h"
#include "resize.h"

#define DISPATCH_ON_KEY_KIND(m, impl, ...)                                                         \
    switch ((m)->key_kind) {                                                                       \
        case KEY_U32:                                                                              \
            return impl(__VA_ARGS__, KEY_U32);                                                     \
        case KEY_U64:                                                                              \
            return impl(__VA_ARGS__, KEY_U64);                                                     \
        case KEY_CUSTOM:                                                                           \
            return impl(__VA_ARGS__, KEY_CUSTOM);                                                  \
        case KEY_BYTES:                                                                            \
            break;                                                                                 \
    }                                                                                              \
    return impl(__VA_ARGS__, KEY_BYTES)

/* memcpy with the common sizes spelled out, so they compile to moves. */
static REFMAP_ALWAYS_INLINE void copy_bytes(void *dst, const void *src, size_t n) {
    switch (n) {
        case 4:
            memcpy(dst, src, 4);
            break;
        case 8:
            memcpy(dst, src, 8);
            break;
        default:
            memcpy(dst, src, n);
            break;
    }
}

static REFMAP_ALWAYS_INLINE void *slot_value(const struct refmap *m, size_t index) {
    return m->slots + index * m->slot_size + m->val_offset;
}

static REFMAP_ALWAYS_INLINE void *get_kind(const struct refmap *m, const void *key,
                                           enum key_kind kind) {
    size_t index = probe_find(m, key, key_hash(m, key, kind), kind);
    return index == NOT_FOUND ? NULL : slot_value(m, index);
}

void *refmap_get(const refmap *m, const void *key) {
    reader_check(m, MSG_READ_AND_WRITE);
    DISPATCH_ON_KEY_KIND(m, get_kind, m, key);
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
    copy_bytes(slot, key, kind == KEY_U32 ? 4 : kind == KEY_U64 ? 8 : m->key_size);
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
        void *value = slot_value(m, index);
        if (val && val != value)
            copy_bytes(value, val, m->val_size);
        return value;
    }
    return insert_kind(m, key, val, hash, kind);
}

static void *put_dispatch(struct refmap *m, const void *key, const void *val) {
    DISPATCH_ON_KEY_KIND(m, put_kind, m, key, val);
}

void *refmap_put(refmap *m, const void *key, const void *val) {
    writer_begin(m);
    void *value = put_dispatch(m, key, val);
    writer_end(m);
    return value;
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

static int del_dispatch(struct refmap *m, const void *key) {
    DISPATCH_ON_KEY_KIND(m, del_kind, m, key);
}

int refmap_del(refmap *m, const void *key) {
    writer_begin(m);
    int removed = del_dispatch(m, key);
    writer_end(m);
    return removed;
}

uint64_t map_key_hash(const struct refmap *m, const void *key) {
    DISPATCH_ON_KEY_KIND(m, key_hash, m, key);
}

static REFMAP_ALWAYS_INLINE unsigned char *find_slot_kind(const struct refmap *m, const void *key,
                                                          enum key_kind kind) {
    size_t index = probe_find(m, key, key_hash(m, key, kind), kind);
    return index == NOT_FOUND ? NULL : m->slots + index * m->slot_size;
}

unsigned char *map_find_slot(const struct refmap *m, const void *key) {
    DISPATCH_ON_KEY_KIND(m, find_slot_kind, m, key);
}
