#include "writers.h"

#include "xalloc.h"

#include <string.h>

/* Workflow command values escape %, CR and LF; properties also , and :. */
static void put_escaped(FILE *out, const char *s, bool property) {
    for (; *s; s++) {
        switch (*s) {
            case '%':
                fputs("%25", out);
                break;
            case '\r':
                fputs("%0D", out);
                break;
            case '\n':
                fputs("%0A", out);
                break;
            case ':':
                fputs(property ? "%3A" : ":", out);
                break;
            case ',':
                fputs(property ? "%2C" : ",", out);
                break;
            default:
                fputc(*s, out);
        }
    }
}

int ms_write_github(FILE *out, const ms_report *r, const ms_writer_opts *o) {
    for (size_t i = 0; i < r->findings.len; i++) {
        const ms_finding *f = r->findings.items[i];
        if (f->suppression.suppressed)
            continue; /* an annotation cannot be marked as accepted */
        if (o->baseline && f->baseline != MS_BASELINE_NEW)
            continue;
        const char *cmd = f->level == MS_LEVEL_ERROR     ? "error"
                          : f->level == MS_LEVEL_WARNING ? "warning"
                                                         : "notice";
        const ms_region *reg = &f->primary.region;
        fprintf(out, "::%s file=", cmd);
        put_escaped(out, f->primary.path, true);
        /* Columns only for one-line regions: GitHub rejects them otherwise. */
        if (reg->end_line == reg->start_line)
            fprintf(out, ",line=%u,col=%u,endLine=%u,endColumn=%u,title=", reg->start_line,
                    reg->start_col, reg->end_line, reg->end_col);
        else
            fprintf(out, ",line=%u,endLine=%u,title=", reg->start_line, reg->end_line);
        put_escaped(out, f->rule_id, true);
        fputs("::", out);
        char *msg = ms_plain_message(f->message);
        put_escaped(out, msg, false);
        free(msg);
        fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}
