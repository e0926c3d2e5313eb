/* A table: one allocation holding a header, the control bytes and the slots.
 *
 * Capacities are powers of two. The smallest table has 8 slots in a single
 * group whose other 8 control bytes stay empty, so it holds 8 entries, like a
 * Go map's first bucket. Larger tables are whole groups of GROUP_WIDTH slots
 * and hold 7/8 of their capacity; the free eighth keeps probe chains short and
 * guarantees every lookup ends at an empty slot. */
#ifndef REFMAP_TABLE_H
#define REFMAP_TABLE_H

#include <stdatomic.h>
#include <stddef.h>

#include "group.h"
#include "refmap.h"

#define SMALL_TABLE_CAPACITY 8u

struct table {
    unsigned char *ctrl;
    unsigned char *slots;
    size_t capacity;
    size_t group_mask;  /* number of groups - 1 */
    group_bits usable;  /* slots that exist in each group */
    size_t bytes;       /* size of the allocation */
    atomic_size_t pins; /* unfinished iterations walking this table */
    struct table *next_retired;
};

/* How many entries (live plus tombstones) a table of this capacity holds. */
size_t table_growth_limit(size_t capacity);
/* The smallest capacity that holds n entries; 0 when that cannot exist. */
size_t table_capacity_for(size_t n);
/* A table with every slot empty, or NULL when memory runs out. */
struct table *table_alloc(const struct refmap_allocator *allocator, size_t capacity,
                          size_t slot_size);
void table_free(const struct refmap_allocator *allocator, struct table *t);

/* Where a value sits in a slot, and how far apart slots are, so that keys and
 * values of any type are aligned. */
void slot_layout(size_t key_size, size_t val_size, size_t *val_offset, size_t *slot_size);

#endif
