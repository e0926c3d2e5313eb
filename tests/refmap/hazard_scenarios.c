/* Child program for test_hazards: runs one misuse scenario, named by
 * argv[1], which refmap is expected to catch with an abort. Exits 0 when
 * the scenario ran to the end without one. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../fixtures/refmap_evidence_parking.h"
#include "refmap.h"

struct writer {
    refmap *map;
    uint64_t key;
};

static void *put_one(void *arg) {
    struct writer *w = arg;
    refmap_put(w->map, &w->key, &w->key);
    return NULL;
}

/* A map whose smallest table is full, so the next new key rebuilds it. */
static refmap *full_small_map(const struct refmap_options *opts) {
    refmap *m = refmap_new_with(sizeof(uint64_t), sizeof(uint64_t), 0, opts);
    for (uint64_t k = 0; k < 8; k++)
        refmap_put(m, &k, &k);
    return m;
}

/* Another thread starts a write that rebuilds the table and parks inside
 * it; then this thread touches the map as `action` says. */
static int collide_with_writer(const char *action) {
    struct parking parking;
    parking_init(&parking);
    struct refmap_options opts = {.allocator = &parking.allocator};
    refmap *m = full_small_map(&opts);
    refmap_iter it;
    refmap_iter_init(&it, m);
    refmap_iter_next(&it, NULL, NULL);

    parking.armed = 1;
    struct writer w = {m, 100};
    pthread_t writer;
    pthread_create(&writer, NULL, put_one, &w);
    parking_wait(&parking);

    uint64_t k = 3;
    if (strcmp(action, "iterate") == 0)
        refmap_iter_next(&it, NULL, NULL);
    else if (strcmp(action, "start-iteration") == 0)
        refmap_iter_init(&it, m);
    else if (strcmp(action, "read") == 0)
        refmap_get(m, &k);
    else if (strcmp(action, "write") == 0)
        refmap_del(m, &k);
    pthread_join(writer, NULL);
    refmap_iter_stop(&it);
    refmap_free(m);
    return 0;
}

/* One thread inserts a new key while its own iteration is unfinished. */
static int insert_during_iteration(unsigned debug) {
    struct refmap_options opts = {.debug = debug};
    refmap *m = full_small_map(&opts);
    refmap_iter it;
    void *key;
    refmap_iter_init(&it, m);
    while (refmap_iter_next(&it, &key, NULL)) {
        uint64_t alias = *(uint64_t *)key + 1000;
        refmap_put(m, &alias, &alias);
    }
    printf("%zu entries\n", refmap_len(m));
    refmap_free(m);
    return 0;
}

int main(int argc, char **argv) {
    const char *scenario = argc > 1 ? argv[1] : "";
    if (strncmp(scenario, "collide-", 8) == 0)
        return collide_with_writer(scenario + 8);
    if (strcmp(scenario, "insert-during-iteration") == 0)
        return insert_during_iteration(0);
    if (strcmp(scenario, "insert-during-iteration-option") == 0)
        return insert_during_iteration(REFMAP_DEBUG_ITER);
    fprintf(stderr, "unknown scenario %s\n", scenario);
    return 2;
}
