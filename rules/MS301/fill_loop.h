/* The control-flow questions behind MS301, on the CFG of one function:
 * which loop first fills a map that was just created, whether anything else
 * touches the map on the way, and whether that loop inserts exactly one key
 * on every iteration and runs to completion. Language-neutral. */
#ifndef MAPSAFE_MS301_FILL_LOOP_H
#define MAPSAFE_MS301_FILL_LOOP_H

#include "rule.h"

typedef struct ms_fill_ctx {
    ms_rule_ctx *rule;
    const ms_cfg *cfg;
    const ms_node *make; /* the MAP_MAKE */
    const ms_path *map;  /* its destination */
} ms_fill_ctx;

typedef struct ms_fill {
    const ms_node *loop; /* the loop that fills the map first */
    uint8_t *between;    /* per local vertex: on a path from the creation to the loop
                          * (heap; ms_fill_free) */
} ms_fill;

/* Finds the one loop that fills the map first: every path from the creation
 * that reaches it passes no write, rebinding or hand-off of the map, and no
 * other loop fills the map first on another path. False when there is no
 * such loop, or when it can run again without the map being created anew. */
bool ms_fill_find(const ms_fill_ctx *c, ms_fill *out);
void ms_fill_free(ms_fill *fill);

/* True when every iteration of the loop that goes on to the next one inserts
 * exactly one key into the map, with a key that changes between iterations,
 * and no iteration leaves the loop early (break, return, goto) except by a
 * panic. Nothing else in the loop may read, delete from or hand away the
 * map, and a counted loop's body must not assign its bound. */
bool ms_fill_one_per_iteration(const ms_fill_ctx *c, const ms_fill *fill);

/* True when a vertex between the creation and the loop assigns `sym`. */
bool ms_fill_assigned_between(const ms_fill_ctx *c, const ms_fill *fill, uint32_t sym);

#endif
