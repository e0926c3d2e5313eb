#include "writers.h"

#include "xalloc.h"

#include <stdlib.h>

static const char *level_word(ms_level level) {
    return level == MS_LEVEL_ERROR ? "error" : level == MS_LEVEL_NOTE ? "note" : "warning";
}

int ms_write_text(FILE *out, const ms_report *r, const ms_writer_opts *o) {
    size_t counts[4] = {0}, shown = 0, suppressed = 0, known = 0;
    for (size_t i = 0; i < r->findings.len; i++) {
        const ms_finding *f = r->findings.items[i];
        if (o->baseline && f->baseline != MS_BASELINE_NEW) {
            known++; /* in the baseline: only new findings are listed */
            continue;
        }
        if (f->suppression.suppressed) {
            suppressed++;
            if (o->hide_suppressed)
                continue;
        }
        shown++;
        counts[f->level]++;
        char *msg = ms_plain_message(f->message);
        fprintf(out, "%s:%u:%u: %s: %s [%s]%s\n", f->primary.path, f->primary.region.start_line,
                f->primary.region.start_col, level_word(f->level), msg, f->rule_id,
                f->suppression.suppressed ? " (suppressed)" : "");
        free(msg);
        for (size_t k = 0; k < f->nrelated; k++) {
            const ms_location *rl = &f->related[k];
            fprintf(out, "    %s:%u:%u: note: %s\n", rl->path, rl->region.start_line,
                    rl->region.start_col, rl->message ? rl->message : "related location");
        }
    }
    fprintf(out, "mapsafe: %zu finding%s (%zu error%s, %zu warning%s, %zu note%s) in %zu file%s",
            shown, shown == 1 ? "" : "s", counts[MS_LEVEL_ERROR],
            counts[MS_LEVEL_ERROR] == 1 ? "" : "s", counts[MS_LEVEL_WARNING],
            counts[MS_LEVEL_WARNING] == 1 ? "" : "s", counts[MS_LEVEL_NOTE],
            counts[MS_LEVEL_NOTE] == 1 ? "" : "s", r->files_analysed,
            r->files_analysed == 1 ? "" : "s");
    if (suppressed)
        fprintf(out, "; %zu suppressed", suppressed);
    if (o->baseline)
        fprintf(out, "; %zu in the baseline", known);
    fputc('\n', out);
    return ferror(out) ? -1 : 0;
}

void ms_write_notifications(FILE *err, const ms_report *r) {
    for (size_t i = 0; i < r->notifications.len; i++) {
        const ms_notification *n = &r->notifications.items[i];
        if (n->path && n->line)
            fprintf(err, "mapsafe: %s:%u:%u: %s: %s\n", n->path, n->line, n->col ? n->col : 1,
                    level_word(n->level), n->message);
        else if (n->path)
            fprintf(err, "mapsafe: %s: %s: %s\n", n->path, level_word(n->level), n->message);
        else
            fprintf(err, "mapsafe: %s: %s\n", level_word(n->level), n->message);
    }
}
