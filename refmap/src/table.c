#include "table.h"

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

/* Everything in a table is aligned for any object type. */
#define TABLE_ALIGN alignof(max_align_t)

static size_t round_up(size_t n, size_t align) {
    return (n + align - 1) & ~(align - 1);
}

/* The strictest alignment an object of this size can need: the largest power
 * of two dividing it, capped at TABLE_ALIGN. */
static size_t alignment_for_size(size_t size) {
    if (size == 0)
        return 1;
    size_t align = size & (~size + 1);
    return align < TABLE_ALIGN ? align : TABLE_ALIGN;
}

void slot_layout(size_t key_size, size_t val_size, size_t *val_offset, size_t *slot_size) {
    size_t key_align = alignment_for_size(key_size);
    size_t val_align = alignment_for_size(val_size);
    size_t slot_align = key_align > val_align ? key_align : val_align;
    *val_offset = round_up(key_size, val_align);
    *slot_size = round_up(*val_offset + val_size, slot_align);
    if (*slot_size == 0)
        *slot_size = 1;
}

size_t table_growth_limit(size_t capacity) {
    if (capacity <= SMALL_TABLE_CAPACITY)
        return capacity;
    return capacity - capacity / 8;
}

size_t table_capacity_for(size_t n) {
    size_t capacity = SMALL_TABLE_CAPACITY;
    while (table_growth_limit(capacity) < n) {
        if (capacity > SIZE_MAX / 2)
            return 0;
        capacity *= 2;
    }
    return capacity;
}

struct table *table_alloc(const struct refmap_allocator *allocator, size_t capacity,
                          size_t slot_size) {
    size_t header_bytes = round_up(sizeof(struct table), TABLE_ALIGN);
    size_t ctrl_bytes = capacity < GROUP_WIDTH ? GROUP_WIDTH : capacity;
    size_t fixed = header_bytes + ctrl_bytes;
    if (capacity > (SIZE_MAX - fixed) / slot_size)
        return NULL;
    size_t bytes = fixed + capacity * slot_size;
    unsigned char *block = allocator->alloc(bytes, allocator->ctx);
    if (!block)
        return NULL;
    struct table *t = (struct table *)(void *)block;
    t->ctrl = block + header_bytes;
    t->slots = t->ctrl + ctrl_bytes;
    t->capacity = capacity;
    t->group_mask = (ctrl_bytes / GROUP_WIDTH) - 1;
    t->usable = capacity < GROUP_WIDTH ? ((group_bits)1 << capacity) - 1 : 0xffffu;
    t->bytes = bytes;
    atomic_init(&t->pins, 0);
    t->next_retired = NULL;
    memset(t->ctrl, CTRL_EMPTY, ctrl_bytes);
    return t;
}

void table_free(const struct refmap_allocator *allocator, struct table *t) {
    allocator->free(t, t->bytes, allocator->ctx);
}
