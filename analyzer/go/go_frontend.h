/* The Go frontend: parses the .go files of one directory with tree-sitter,
 * groups them by package clause, and lowers each package to an ms_unit. */
#ifndef MAPSAFE_GO_FRONTEND_H
#define MAPSAFE_GO_FRONTEND_H

#include "arena.h"
#include "ir.h"
#include "model.h"
#include "report.h"
#include "source.h"

typedef struct ms_go_frontend ms_go_frontend;

/* Shared, read-only after creation: one per run. */
ms_go_frontend *ms_go_frontend_new(const ms_catalogue *catalogue);
void ms_go_frontend_free(ms_go_frontend *fe);

/* Called once per package with its IR; the unit and arena die after the call. */
typedef void (*ms_unit_fn)(ms_unit *unit, ms_arena *arena, void *ctx);

/* Analyses the files of one directory. Syntax errors become notifications in
 * `report`; what parsed is still lowered. */
void ms_go_analyse(const ms_go_frontend *fe, ms_source **files, uint32_t nfiles, ms_report *report,
                   ms_unit_fn fn, void *ctx);

#endif
