#include "report.h"

#include "intern.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ms_report_init(ms_report *r) {
    memset(r, 0, sizeof(*r));
}

void ms_report_free(ms_report *r) {
    for (size_t i = 0; i < r->findings.len; i++)
        ms_finding_free(r->findings.items[i]);
    MS_VEC_FREE(&r->findings);
    for (size_t i = 0; i < r->notifications.len; i++) {
        free(r->notifications.items[i].message);
        free(r->notifications.items[i].path);
    }
    MS_VEC_FREE(&r->notifications);
    for (size_t i = 0; i < r->artifacts.len; i++)
        free(r->artifacts.items[i]);
    MS_VEC_FREE(&r->artifacts);
}

void ms_report_add_finding(ms_report *r, ms_finding *f) {
    MS_VEC_PUSH(&r->findings, f);
}

void ms_report_notify(ms_report *r, ms_level level, const char *kind, const char *path,
                      uint32_t line, uint32_t col, const char *fmt, ...) {
    ms_notification n = {.level = level, .kind = kind, .line = line, .col = col};
    va_list ap;
    va_start(ap, fmt);
    n.message = ms_xvasprintf(fmt, ap);
    va_end(ap);
    n.path = path ? ms_xstrdup(path) : NULL;
    MS_VEC_PUSH(&r->notifications, n);
}

void ms_report_merge(ms_report *dst, ms_report *src) {
    for (size_t i = 0; i < src->findings.len; i++)
        MS_VEC_PUSH(&dst->findings, src->findings.items[i]);
    for (size_t i = 0; i < src->notifications.len; i++)
        MS_VEC_PUSH(&dst->notifications, src->notifications.items[i]);
    for (size_t i = 0; i < src->artifacts.len; i++)
        MS_VEC_PUSH(&dst->artifacts, src->artifacts.items[i]);
    dst->files_analysed += src->files_analysed;
    MS_VEC_FREE(&src->findings);
    MS_VEC_FREE(&src->notifications);
    MS_VEC_FREE(&src->artifacts);
    src->files_analysed = 0;
}

static int cmp_u32(uint32_t a, uint32_t b) {
    return a < b ? -1 : a > b;
}

static int cmp_str(const char *a, const char *b) {
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_findings(const void *pa, const void *pb) {
    const ms_finding *a = *(ms_finding *const *)pa, *b = *(ms_finding *const *)pb;
    int c;
    if ((c = cmp_str(a->primary.path, b->primary.path)))
        return c;
    if ((c = cmp_u32(a->primary.region.start_line, b->primary.region.start_line)))
        return c;
    if ((c = cmp_u32(a->primary.region.start_col, b->primary.region.start_col)))
        return c;
    if ((c = cmp_str(a->rule_id, b->rule_id)))
        return c;
    if ((c = cmp_u32(a->primary.region.end_line, b->primary.region.end_line)))
        return c;
    if ((c = cmp_u32(a->primary.region.end_col, b->primary.region.end_col)))
        return c;
    return cmp_str(a->message, b->message);
}

static int cmp_notifications(const void *pa, const void *pb) {
    const ms_notification *a = pa, *b = pb;
    int c;
    if ((c = cmp_str(a->path, b->path)))
        return c;
    if ((c = cmp_u32(a->line, b->line)))
        return c;
    if ((c = cmp_u32(a->col, b->col)))
        return c;
    if ((c = cmp_str(a->kind, b->kind)))
        return c;
    return cmp_str(a->message, b->message);
}

static int cmp_paths(const void *pa, const void *pb) {
    return strcmp(*(char *const *)pa, *(char *const *)pb);
}

static uint64_t identity_hash(const ms_finding *f) {
    uint64_t h = 0;
    const char *parts[] = {f->rule_id, f->primary.path, f->context, f->snippet};
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        const char *p = parts[i] ? parts[i] : "";
        h = ms_hash_bytes(p, strlen(p) + 1, h);
    }
    return h;
}

static void format_fingerprint(uint64_t identity, unsigned ordinal, char out[40]) {
    snprintf(out, 40, "%016" PRIx64 ":%u", identity, ordinal);
}

void ms_fingerprint(const ms_finding *f, unsigned ordinal, char out[40]) {
    format_fingerprint(identity_hash(f), ordinal, out);
}

typedef struct identity_at {
    uint64_t hash;
    size_t index;
} identity_at;

static int cmp_identity_at(const void *pa, const void *pb) {
    const identity_at *a = pa, *b = pb;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Ordinals count earlier findings with the same identity in the same file,
 * in sorted order, so two identical bugs in one function stay
 * distinguishable. Sorting by identity keeps this n log n on files with
 * thousands of findings. Findings arrive sorted by path first. */
static void assign_fingerprints(ms_finding **items, size_t n) {
    identity_at *ids = ms_xmalloc(sizeof(*ids) * (n ? n : 1));
    for (size_t start = 0; start < n;) {
        size_t end = start + 1;
        while (end < n && strcmp(items[end]->primary.path, items[start]->primary.path) == 0)
            end++;
        size_t len = end - start;
        for (size_t i = 0; i < len; i++)
            ids[i] = (identity_at){identity_hash(items[start + i]), start + i};
        qsort(ids, len, sizeof(*ids), cmp_identity_at);
        unsigned ordinal = 0;
        for (size_t i = 0; i < len; i++) {
            ordinal = i > 0 && ids[i].hash == ids[i - 1].hash ? ordinal + 1 : 0;
            format_fingerprint(ids[i].hash, ordinal, items[ids[i].index]->fingerprint);
        }
        start = end;
    }
    free(ids);
}

void ms_report_finalize(ms_report *r) {
    ms_finding **items = r->findings.items;
    size_t n = r->findings.len;
    if (n > 1)
        qsort(items, n, sizeof(*items), cmp_findings);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (kept > 0 && cmp_findings(&items[kept - 1], &items[i]) == 0) {
            ms_finding_free(items[i]);
            continue;
        }
        items[kept++] = items[i];
    }
    r->findings.len = kept;

    assign_fingerprints(items, kept);

    if (r->notifications.len > 1)
        qsort(r->notifications.items, r->notifications.len, sizeof(ms_notification),
              cmp_notifications);
    if (r->artifacts.len > 1)
        qsort(r->artifacts.items, r->artifacts.len, sizeof(char *), cmp_paths);
}
