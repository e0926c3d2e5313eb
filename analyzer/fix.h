/* --fix: apply the fixes of a finished run to the files on disk, then
 * analyse again so the report shows what remains (interface.md).
 *
 * Language-neutral: a fix is a set of byte replacements in one file (the
 * SARIF artifactChanges of the finding). For each file, the fixes of every
 * unsuppressed finding are applied together, skipping a fix that overlaps
 * one already taken; the file is written to a temporary file in the same
 * directory and renamed over the original, keeping its mode. A file whose
 * content changed since it was analysed is refused with a notification. A
 * second run changes nothing: fixed code no longer has the finding. */
#ifndef MAPSAFE_FIX_H
#define MAPSAFE_FIX_H

#include "driver.h"

typedef struct ms_fix_stats {
    size_t applied; /* fixes applied */
    size_t files;   /* files rewritten */
    size_t skipped; /* fixes left out: overlapping, or their file refused */
} ms_fix_stats;

/* Applies the fixes of `analysed` to disk; notifications (refused files,
 * write errors, the summary) are added to `notes`. */
void ms_fix_apply(const ms_report *analysed, ms_report *notes, ms_fix_stats *stats);

/* ms_run, then ms_fix_apply and, when files changed, ms_run again. Same
 * return values as ms_run.
 *
 * Test hook: when the environment variable MAPSAFE_TEST_FIX_SYNC names a
 * FIFO, mapsafe writes "analysed\n" to it after the first analysis, then
 * waits until a line can be read from it before fixing. A test edits a file
 * in between to check that a changed file is refused. */
int ms_run_fix(const ms_options *o, const ms_catalogue *catalogue, ms_report *report,
               ms_run_stats *stats);

#endif
