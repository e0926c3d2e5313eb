/* Interprocedural summaries: what each function of a unit does to the maps it
 * can reach from outside (its parameters, globals, captured variables).
 *
 * "addTo inserts into the map in its parameter 0 with key parameter 1" is an
 * effect {op: INSERT, path: m, key: k}. Calls are followed inside the unit to
 * a fixpoint, so a helper that calls a helper is summarised too. Pathological
 * code is bounded: at most 32 rounds, 256 effects per function and 64 per call
 * site; past a bound, effects are dropped, which can only make rules quieter.
 * Rules ask for the effects of a call site translated into the caller's own
 * paths. */
#ifndef MAPSAFE_SUMMARY_H
#define MAPSAFE_SUMMARY_H

#include "arena.h"
#include "ir.h"

typedef struct ms_effect {
    uint8_t op;       /* ms_map_op */
    uint8_t key_kind; /* ms_key_kind */
    uint32_t key_sym;
    ms_path path;
    ms_span origin; /* the map operation deepest in the call chain */
} ms_effect;

typedef struct ms_summary {
    ms_effect *effects;
    uint32_t n;
} ms_summary;

typedef struct ms_summaries {
    const ms_unit *unit;
    ms_summary *by_func; /* indexed by function id */
} ms_summaries;

ms_summaries *ms_summaries_compute(ms_arena *arena, const ms_unit *u);

/* Effects of executing `call` (an MS_NODE_CALL), expressed in the caller's
 * paths and symbols. Effects whose path cannot be expressed there (an argument
 * that is not a path) are dropped. Returns how many were written to out. */
uint32_t ms_call_effects(const ms_summaries *s, const ms_node *call, ms_effect *out, uint32_t cap);

#define MS_MAX_CALL_EFFECTS 64

#endif
