/* Report writers. Each renders a finalized ms_report; none of them changes it.
 * They depend on analyzer/ (findings, reports) and rules/ (rule metadata). */
#ifndef MAPSAFE_WRITERS_H
#define MAPSAFE_WRITERS_H

#include "report.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct ms_writer_opts {
    const char *srcroot;  /* absolute directory %SRCROOT% stands for, with trailing '/' */
    bool hide_suppressed; /* leave suppressed results out */
    bool baseline;        /* emit baselineState on every result */
    bool execution_successful;
    const ms_report *absent; /* baseline results that are gone, or NULL */
} ms_writer_opts;

/* Returns 0, or -1 on an output error. */
int ms_write_sarif(FILE *out, const ms_report *r, const ms_writer_opts *o);
int ms_write_text(FILE *out, const ms_report *r, const ms_writer_opts *o);
int ms_write_github(FILE *out, const ms_report *r, const ms_writer_opts *o);
/* Notifications on stderr, compiler style, for the text and github formats. */
void ms_write_notifications(FILE *err, const ms_report *r);

/* Message text with [text](id) links rendered as plain text. */
char *ms_plain_message(const char *message);
/* Percent-encodes a relative path for a URI reference, keeping '/'. */
char *ms_uri_escape(const char *path);

#endif
