/* An allocator for refmap_options that counts allocations, can be told to
 * fail some of them, and checks that every block is freed with its size. */
#ifndef REFMAP_TEST_COUNTING_ALLOCATOR_H
#define REFMAP_TEST_COUNTING_ALLOCATOR_H

#include <stddef.h>

#include "refmap.h"

struct counting_allocator {
    struct refmap_allocator hooks; /* pass &hooks in refmap_options */
    size_t allocations;            /* attempts so far, failed ones included */
    size_t failures;               /* attempts that returned NULL */
    size_t fail_at;                /* attempt number to fail (1-based); 0: none */
    int keep_failing;              /* also fail every attempt after fail_at */
    size_t live_blocks;
    size_t live_bytes;
};

void counting_allocator_init(struct counting_allocator *a);

#endif
