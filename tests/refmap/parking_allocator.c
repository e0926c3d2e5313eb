#include "parking_allocator.h"

#include <stdlib.h>
#include <unistd.h>

static void *parking_alloc(size_t size, void *ctx) {
    struct parking_allocator *p = ctx;
    if (p->armed) {
        p->armed = 0;
        sem_post(&p->parked);
        /* The test expects an abort long before this ends; if refmap missed
         * the hazard, the write goes on and the test fails. */
        sleep(10);
    }
    return malloc(size);
}

static void plain_free(void *ptr, size_t size, void *ctx) {
    (void)size;
    (void)ctx;
    free(ptr);
}

void parking_allocator_init(struct parking_allocator *p) {
    p->hooks.alloc = parking_alloc;
    p->hooks.free = plain_free;
    p->hooks.ctx = p;
    p->armed = 0;
    sem_init(&p->parked, 0, 0);
}

void parking_allocator_wait(struct parking_allocator *p) {
    while (sem_wait(&p->parked) != 0) {
    }
}
