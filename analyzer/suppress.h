/* Suppression comments (interface.md, "Suppression comments").
 *
 * The forms, parsed by ms_sup_parse:
 *   mapsafe:ignore MS101[,MS202] reason        the statement (trailing or above)
 *   mapsafe:file-ignore MS301 reason           the whole file
 *   nolint, nolint:mapsafe, nolint:all         golangci-lint; like mapsafe:ignore
 *   lint:ignore MS101 reason                   staticcheck; like mapsafe:ignore
 *   lint:file-ignore MS101 reason              staticcheck; the whole file
 *   NOLINT, NOLINT(mapsafe-MS101)              clang-tidy; the comment's own line
 *   NOLINTNEXTLINE(mapsafe-MS101)              clang-tidy; the next line
 *
 * A finding's primary region is its whole statement. A statement-level
 * suppression applies to the findings whose statement contains the line the
 * comment starts or ends on, or, when the comment stands on lines of its own,
 * the next line of code after it (other comment lines may sit in between, a
 * blank line may not).
 *
 * The work is split so that it stays parallel: ms_suppress_apply runs in
 * the worker on one job while its sources are loaded, and marks the job's
 * findings; ms_suppress_finish runs once after the jobs are merged and
 * reports MS001 (unused) and MS002 (malformed) for every comment, combining
 * what all jobs saw (a C header is part of several translation units). */
#ifndef MAPSAFE_SUPPRESS_H
#define MAPSAFE_SUPPRESS_H

#include "report.h"
#include "source.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum ms_sup_place {
    MS_SUP_NONE = 0,  /* not a suppression of mapsafe */
    MS_SUP_STATEMENT, /* trailing a line of the statement, or above it */
    MS_SUP_SAME_LINE, /* NOLINT: findings whose statement holds the comment's line */
    MS_SUP_NEXT_LINE, /* NOLINTNEXTLINE: ... holds the line after the comment */
    MS_SUP_FILE,      /* every finding of the file */
} ms_sup_place;

/* One parsed suppression comment. */
typedef struct ms_sup_directive {
    ms_sup_place place;
    uint32_t rules;      /* bits by registry index: the rules it suppresses */
    bool blanket;        /* bare nolint / NOLINT, nolint:all: meant for every tool, never unused */
    bool all_rules;      /* nolint:mapsafe, NOLINT(mapsafe-*): every analysis rule */
    bool golangci;       /* a nolint form: above the package clause it covers the file */
    const char *form;    /* "mapsafe:ignore", "nolint", "NOLINT", ... for messages */
    char *justification; /* the reason, whitespace collapsed; NULL when there is none */
    char *problem;       /* what MS002 reports; NULL when well formed */
} ms_sup_directive;

/* Parses the text of one comment (between its delimiters). Sets
 * place = MS_SUP_NONE when the comment is not a suppression of mapsafe. */
void ms_sup_parse(const char *body, size_t len, bool block, ms_lang lang, ms_sup_directive *out);
void ms_sup_directive_clear(ms_sup_directive *d);

/* Bits of the analysis rules (every rule but MS001 and MS002). */
uint32_t ms_sup_analysis_rules(void);

/* What one job saw: the suppression comments of its files. */
typedef struct ms_suppress_job ms_suppress_job;

/* In the worker, after the rules ran on a job whose sources are still
 * loaded: finds the suppression comments of `files` (and of any other file a
 * finding points into, such as a header), and marks the findings of
 * `report` they suppress. Returns what ms_suppress_finish needs. */
ms_suppress_job *ms_suppress_apply(ms_source *const *files, uint32_t nfiles, ms_report *report);

/* After the merge: MS002 for malformed comments and MS001 for unused ones
 * in the files the jobs analysed, then the file-level suppressions of MS001
 * and MS002. rule_enabled is by registry index. Frees the jobs. */
void ms_suppress_finish(ms_suppress_job **jobs, size_t njobs, const bool *rule_enabled,
                        ms_report *report);

#endif
