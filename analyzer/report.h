/* Everything one mapsafe run produces: findings, tool notifications and the
 * list of analysed files. Units fill their own ms_report in parallel; the
 * driver merges them and ms_report_finalize makes the order deterministic. */
#ifndef MAPSAFE_REPORT_H
#define MAPSAFE_REPORT_H

#include "finding.h"
#include "vec.h"

typedef struct ms_notification {
    ms_level level;
    const char *kind; /* static id, for example "syntax-error" */
    char *message;
    char *path;         /* NULL for run-wide notifications */
    uint32_t line, col; /* 0 when the notification has no position */
} ms_notification;

typedef struct ms_report {
    MS_VEC(ms_finding *) findings;
    MS_VEC(ms_notification) notifications;
    MS_VEC(char *) artifacts; /* paths of analysed files, as reported */
    size_t files_analysed;
} ms_report;

void ms_report_init(ms_report *r);
void ms_report_free(ms_report *r);
void ms_report_add_finding(ms_report *r, ms_finding *f);
void ms_report_notify(ms_report *r, ms_level level, const char *kind, const char *path,
                      uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Moves everything from src into dst. */
void ms_report_merge(ms_report *dst, ms_report *src);
/* Sorts findings by path, line, column, rule and message; drops exact
 * duplicates (a header seen through several translation units); sorts
 * notifications; computes fingerprints. */
void ms_report_finalize(ms_report *r);

/* Fingerprint of a finding given its occurrence ordinal among findings with
 * the same rule, file, function and statement text. */
void ms_fingerprint(const ms_finding *f, unsigned ordinal, char out[40]);

#endif
