/* Control-flow graph of one function, derived from its node tree.
 *
 * Every node except blocks is a CFG vertex; a loop node is its own header, a
 * branch node is its decision point. Two virtual vertices mark the function's
 * entry and exit. Rules ask path questions ("can the next iteration of this
 * loop be reached after this insert?") and run dataflow (locks held) here.
 */
#ifndef MAPSAFE_CFG_H
#define MAPSAFE_CFG_H

#include "arena.h"
#include "ir.h"

typedef struct ms_cfg {
    const ms_func *func;
    uint32_t base; /* node id of local vertex 0 */
    uint32_t n;    /* vertices for nodes; entry is n, exit is n + 1 */
    uint32_t entry, exit;
    uint32_t *succ_start; /* CSR: successors of v are succ[succ_start[v] .. succ_start[v+1]) */
    uint32_t *succ;
    uint32_t *pred_start;
    uint32_t *pred;
    const ms_node **nodes; /* local vertex -> node; NULL for blocks, entry and exit */
} ms_cfg;

/* Numbers every node of every function in preorder (ms_node.id, last_id,
 * ms_func.first_node_id/last_node_id). Frontends call it once per unit. */
void ms_unit_number_nodes(ms_unit *u);

ms_cfg *ms_cfg_build(ms_arena *arena, const ms_func *func);

static inline uint32_t ms_cfg_vertex(const ms_cfg *g, const ms_node *n) {
    return n->id - g->base;
}

/* True when some path leaves `from` and reaches `to` while staying on vertices
 * whose node lies inside `within` (a loop or other subtree; NULL: anywhere).
 * `from` itself does not count as reached unless a path returns to it. */
bool ms_cfg_reaches(const ms_cfg *g, const ms_node *from, const ms_node *to, const ms_node *within);

#endif
