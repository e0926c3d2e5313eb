/* An allocator that parks the thread making the first allocation after it
 * is armed, to hold a refmap write open (its writing flag raised) while
 * another thread runs into it. This makes the hazard tests deterministic,
 * and keeps them free of real races on table memory. */
#ifndef REFMAP_TEST_PARKING_ALLOCATOR_H
#define REFMAP_TEST_PARKING_ALLOCATOR_H

#include <semaphore.h>

#include "refmap.h"

struct parking_allocator {
    struct refmap_allocator hooks; /* pass &hooks in refmap_options */
    sem_t parked;                  /* posted when a thread has parked */
    int armed;                     /* set before starting the thread to park */
};

void parking_allocator_init(struct parking_allocator *p);
/* Waits until a thread has parked inside the allocator. */
void parking_allocator_wait(struct parking_allocator *p);

#endif
