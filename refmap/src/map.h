/* The map object. The fields a lookup needs come first and describe the
 * current table directly, so a lookup reads one cache line of the map. */
#ifndef REFMAP_MAP_H
#define REFMAP_MAP_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "group.h"
#include "key_ops.h"
#include "refmap.h"
#include "table.h"

struct refmap {
    /* Mirror of table->ctrl, table->slots, table->group_mask. Without a table,
     * ctrl points at no_table_ctrl, one group of empty bytes. */
    unsigned char *ctrl;
    unsigned char *slots;
    size_t group_mask;
    size_t slot_size;
    size_t key_size;
    size_t val_offset;
    uint64_t seed;
    const struct key_ops *ops;
    /* Set while a write runs; see hazard.h. */
    atomic_uchar writing;

    size_t val_size;
    size_t len;
    size_t growth_left; /* empty slots that may still be filled */
    size_t tombstones;
    struct table *table;   /* NULL until the first insert or reserve */
    struct table *retired; /* replaced tables that iterations still walk */

    refmap_hash_fn hash;
    refmap_equal_fn equal;
    void *fn_ctx;
    struct refmap_allocator allocator;
    unsigned debug;

    uint64_t clears;                 /* refmap_clear calls, to end iterations */
    atomic_uint_fast64_t iterations; /* iterations started, to vary their order */
    size_t grows;
    size_t rehashes;
    unsigned char no_table_ctrl[GROUP_WIDTH];
};

#endif
