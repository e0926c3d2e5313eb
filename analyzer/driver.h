/* One mapsafe run: walk the inputs, analyse units in parallel, merge. */
#ifndef MAPSAFE_DRIVER_H
#define MAPSAFE_DRIVER_H

#include "model.h"
#include "options.h"
#include "report.h"

typedef struct ms_run_stats {
    size_t files, lines, bytes;
} ms_run_stats;

/* Fills `report` (finalized). Returns 0, or 2 when the run cannot proceed
 * (unreadable model, nothing to analyse); messages are notifications. */
int ms_run(const ms_options *o, const ms_catalogue *catalogue, ms_report *report,
           ms_run_stats *stats);

/* The exit status interface.md defines for a finished report. */
int ms_exit_status(const ms_options *o, const ms_report *report);

#endif
