/* Where control can only end in a panic: every path from there reaches a
 * panic exit (panic, os.Exit, log.Fatal, abort) or a call of a function of
 * the unit that never returns, which is inferred here (errorf-style helpers
 * that always panic). Loops without an exit are not doomed.
 *
 * The concurrency rules leave out reads on such paths: they only build the
 * message of a program that is already failing. */
#ifndef MAPSAFE_DOOM_H
#define MAPSAFE_DOOM_H

#include "arena.h"
#include "cfg.h"
#include "ir.h"

typedef struct ms_doom ms_doom;

ms_doom *ms_doom_compute(ms_arena *arena, const ms_unit *u, ms_cfg **cfgs);
/* Queries accept a NULL ms_doom: nothing is doomed. */
bool ms_doom_never_returns(const ms_doom *d, uint32_t func);
/* Every path from `n` (a node of `func`) ends in a panic. */
bool ms_doomed(const ms_doom *d, uint32_t func, const ms_node *n);

#endif
