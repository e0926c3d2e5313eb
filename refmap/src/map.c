/* Making, clearing, measuring and freeing maps. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hash.h"
#include "hazard.h"
#include "map.h"
#include "resize.h"

static void *malloc_alloc(size_t size, void *ctx) {
    (void)ctx;
    return malloc(size);
}

static void malloc_free(void *ptr, size_t size, void *ctx) {
    (void)size;
    (void)ctx;
    free(ptr);
}

/* Go seeds each map's hash at random; lacking a global generator, refmap
 * mixes the clock with heap and stack addresses. */
static uint64_t new_seed(const struct refmap *m) {
    struct timespec now = {0, 0};
    timespec_get(&now, TIME_UTC);
    uint64_t clock_bits = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
    return hash_u64(clock_bits ^ (uint64_t)(uintptr_t)m, (uint64_t)(uintptr_t)&now);
}

static enum key_kind key_kind_for(size_t key_size, const struct refmap_options *opts) {
    if (opts->hash)
        return KEY_CUSTOM;
    if (key_size == 4)
        return KEY_U32;
    if (key_size == 8)
        return KEY_U64;
    return KEY_BYTES;
}

refmap *refmap_new_with(size_t key_size, size_t val_size, size_t hint,
                        const struct refmap_options *opts) {
    static const struct refmap_options no_options = {0};
    if (!opts)
        opts = &no_options;
    if ((opts->hash == NULL) != (opts->equal == NULL))
        return NULL;
    if (key_size > SIZE_MAX / 4 || val_size > SIZE_MAX / 4)
        return NULL;
    struct refmap_allocator allocator = {malloc_alloc, malloc_free, NULL};
    if (opts->allocator)
        allocator = *opts->allocator;
    struct refmap *m = allocator.alloc(sizeof *m, allocator.ctx);
    if (!m)
        return NULL;
    memset(m, 0, sizeof *m);
    memset(m->no_table_ctrl, CTRL_EMPTY, sizeof m->no_table_ctrl);
    m->ctrl = m->no_table_ctrl;
    m->key_size = key_size;
    m->val_size = val_size;
    slot_layout(key_size, val_size, &m->val_offset, &m->slot_size);
    m->ops = key_ops_for(key_kind_for(key_size, opts));
    m->seed = new_seed(m);
    atomic_init(&m->writing, 0);
    atomic_init(&m->iterations, 0);
    m->hash = opts->hash;
    m->equal = opts->equal;
    m->fn_ctx = opts->fn_ctx;
    m->allocator = allocator;
    m->debug = opts->debug | hazard_debug_defaults();
    if (hint > 0) {
        size_t capacity = table_capacity_for(hint);
        struct table *none;
        if (capacity == 0 || table_rebuild(m, capacity, &none) != 0) {
            allocator.free(m, sizeof *m, allocator.ctx);
            return NULL;
        }
    }
    return m;
}

refmap *refmap_new(size_t key_size, size_t val_size, size_t hint) {
    return refmap_new_with(key_size, val_size, hint, NULL);
}

void refmap_free(refmap *m) {
    if (!m)
        return;
    retired_free_all(m);
    if (m->table)
        table_free(&m->allocator, m->table);
    struct refmap_allocator allocator = m->allocator;
    allocator.free(m, sizeof *m, allocator.ctx);
}

void refmap_clear(refmap *m) {
    writer_begin(m);
    if (m->table) {
        memset(m->ctrl, CTRL_EMPTY, (m->group_mask + 1) * GROUP_WIDTH);
        m->len = 0;
        m->tombstones = 0;
        m->growth_left = table_growth_limit(m->table->capacity);
        /* Every unfinished iteration sees the new clear count and stops
         * without touching its table again, so their pins can go. */
        atomic_store_explicit(&m->table->pins, 0, memory_order_relaxed);
    }
    retired_free_all(m);
    m->clears++;
    writer_end(m);
}

size_t refmap_len(const refmap *m) {
    return m->len;
}

void refmap_stats(const refmap *m, struct refmap_stats *out) {
    memset(out, 0, sizeof *out);
    out->entries = m->len;
    out->grows = m->grows;
    out->rehashes = m->rehashes;
    out->tombstones = m->tombstones;
    out->bytes = sizeof *m;
    if (m->table) {
        out->capacity = m->table->capacity;
        out->bytes += m->table->bytes;
    }
    for (const struct table *t = m->retired; t; t = t->next_retired) {
        out->retired_tables++;
        out->bytes += t->bytes;
    }
}
