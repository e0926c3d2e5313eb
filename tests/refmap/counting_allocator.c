#include "counting_allocator.h"

#include <stdlib.h>
#include <string.h>

/* Blocks carry their size in front, so a free with the wrong size is caught. */
#define HEADER 16

static void *counting_alloc(size_t size, void *ctx) {
    struct counting_allocator *a = ctx;
    a->allocations++;
    if (a->fail_at &&
        (a->allocations == a->fail_at || (a->keep_failing && a->allocations > a->fail_at))) {
        a->failures++;
        return NULL;
    }
    unsigned char *block = malloc(HEADER + size);
    if (!block)
        return NULL;
    memcpy(block, &size, sizeof size);
    a->live_blocks++;
    a->live_bytes += size;
    return block + HEADER;
}

static void counting_free(void *ptr, size_t size, void *ctx) {
    struct counting_allocator *a = ctx;
    unsigned char *block = (unsigned char *)ptr - HEADER;
    size_t recorded;
    memcpy(&recorded, block, sizeof recorded);
    if (recorded != size)
        abort();
    a->live_blocks--;
    a->live_bytes -= size;
    free(block);
}

void counting_allocator_init(struct counting_allocator *a) {
    memset(a, 0, sizeof *a);
    a->hooks.alloc = counting_alloc;
    a->hooks.free = counting_free;
    a->hooks.ctx = a;
}
