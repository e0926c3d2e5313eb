/* A finding as reports see it: language-neutral, fully resolved to paths and
 * regions, owning all of its memory. Rules create findings through
 * emit.h; writers in reports/ read them. */
#ifndef MAPSAFE_FINDING_H
#define MAPSAFE_FINDING_H

#include "source.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ms_level { MS_LEVEL_NONE, MS_LEVEL_NOTE, MS_LEVEL_WARNING, MS_LEVEL_ERROR } ms_level;

const char *ms_level_name(ms_level level);
/* Parses "error", "warning", "note", "none"; returns false on anything else. */
bool ms_level_parse(const char *text, ms_level *level);

typedef struct ms_location {
    char *path;
    ms_region region;
    char *message; /* related locations and flow steps; NULL for the primary */
} ms_location;

typedef struct ms_replacement {
    ms_region deleted; /* empty region (start == end) for a pure insertion */
    char *inserted;
} ms_replacement;

typedef struct ms_fix {
    char *description;
    char *path;
    ms_replacement *replacements;
    size_t nreplacements;
    /* The file as analysed, so --fix can refuse one that changed since:
     * where it was read, and a hash of its bytes (set with the first
     * replacement). */
    char *fs_path;
    uint64_t source_hash;
    uint32_t source_size;
} ms_fix;

typedef enum ms_baseline_state {
    MS_BASELINE_NONE,
    MS_BASELINE_NEW,
    MS_BASELINE_UNCHANGED,
    MS_BASELINE_UPDATED,
    MS_BASELINE_ABSENT,
} ms_baseline_state;

typedef struct ms_suppression {
    bool suppressed;
    char *justification;
} ms_suppression;

typedef struct ms_finding {
    const char *rule_id; /* static string from the rule registry */
    ms_level level;
    char *message; /* may link related locations as [text](id), ids 1-based */
    ms_location primary;
    ms_location *related;
    size_t nrelated;
    ms_location *flow; /* one thread flow, spawn to write */
    size_t nflow;
    ms_fix *fixes;
    size_t nfixes;
    char *context;        /* enclosing function, part of the fingerprint */
    char *snippet;        /* primary statement with whitespace removed */
    char fingerprint[40]; /* "mapsafe/v1" value, set by ms_report_finalize */
    ms_suppression suppression;
    ms_baseline_state baseline;
} ms_finding;

ms_finding *ms_finding_new(const char *rule_id, ms_level level);
void ms_finding_free(ms_finding *f);
void ms_location_set(ms_location *loc, const ms_source *src, uint32_t start, uint32_t end,
                     const char *message);
ms_location *ms_finding_add_related(ms_finding *f, const ms_source *src, uint32_t start,
                                    uint32_t end, const char *message);
ms_location *ms_finding_add_flow(ms_finding *f, const ms_source *src, uint32_t start, uint32_t end,
                                 const char *message);
ms_fix *ms_finding_add_fix(ms_finding *f, const char *path, const char *description);
/* Adds a replacement of src's bytes [start, end); the first one records
 * src's identity (fs_path, source_hash, source_size). */
void ms_fix_add_replacement(ms_fix *fix, const ms_source *src, uint32_t start, uint32_t end,
                            const char *inserted);
/* Copies a text with all whitespace removed: the fingerprint must not change
 * when the statement is only reformatted. */
char *ms_normalize_snippet(const char *text, size_t len);

#endif
