/* --baseline FILE.sarif: an earlier mapsafe log. Each finding of this run is
 * matched to a baseline result by its "mapsafe/v1" fingerprint, which does
 * not depend on line numbers, and gets a baselineState:
 *   new        no baseline result has its fingerprint;
 *   unchanged  one has, with the same level and message;
 *   updated    one has, but the level or message changed (for example the
 *              loop it races with moved to another function);
 *   absent     (baseline results only) no finding of this run matched it:
 *              the result is reported again as a copy of the old one.
 * Only new findings count towards the exit status. */
#ifndef MAPSAFE_BASELINE_H
#define MAPSAFE_BASELINE_H

#include "options.h"
#include "report.h"

typedef struct ms_baseline ms_baseline;

/* Reads the log. NULL, with *error set to a malloc'd message, when the file
 * cannot be read or is not a mapsafe SARIF log. */
ms_baseline *ms_baseline_load(const char *path, char **error);

/* Sets the baselineState of every finding of a finalized report, and moves
 * into `absent` the baseline results that matched nothing. A result counts
 * as absent only when this run could have found it again: its rule ran, and
 * its file was analysed or no longer exists. */
void ms_baseline_apply(ms_baseline *b, const ms_options *o, ms_report *report, ms_report *absent);

void ms_baseline_free(ms_baseline *b);

#endif
