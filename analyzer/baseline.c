#include "baseline.h"

#include "json_file.h"

#include "rule.h"
#include "xalloc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct entry {
    ms_finding *finding; /* the old result, fingerprint included */
    bool matched;
} entry;

struct ms_baseline {
    entry *entries; /* sorted by fingerprint */
    size_t n;
};

static const char *str(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static uint32_t number(const cJSON *o, const char *key, uint32_t fallback) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble < 4e9
               ? (uint32_t)v->valuedouble
               : fallback;
}

static int hex(char c) {
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* The reported path of an artifact URI: relative to %SRCROOT%, or the path
 * of a file:// URI; percent escapes decoded. */
static char *uri_path(const char *uri) {
    if (strncmp(uri, "file://", 7) == 0)
        uri += 7;
    char *out = ms_xmalloc(strlen(uri) + 1);
    size_t k = 0;
    for (const char *p = uri; *p; p++) {
        if (*p == '%' && hex(p[1]) >= 0 && hex(p[2]) >= 0) {
            out[k++] = (char)(hex(p[1]) * 16 + hex(p[2]));
            p += 2;
        } else {
            out[k++] = *p;
        }
    }
    out[k] = '\0';
    return out;
}

/* Fills a location from a SARIF location object; false when it has none. */
static bool location(const cJSON *loc, ms_location *out) {
    const cJSON *phys = cJSON_GetObjectItemCaseSensitive(loc, "physicalLocation");
    const char *uri = str(cJSON_GetObjectItemCaseSensitive(phys, "artifactLocation"), "uri");
    if (!uri)
        return false;
    const cJSON *reg = cJSON_GetObjectItemCaseSensitive(phys, "region");
    ms_region r = {0};
    r.start_line = number(reg, "startLine", 1);
    r.start_col = number(reg, "startColumn", 1);
    r.end_line = number(reg, "endLine", r.start_line);
    r.end_col = number(reg, "endColumn", r.end_line == r.start_line ? r.start_col : 1);
    out->path = uri_path(uri);
    out->region = r;
    const char *msg = str(cJSON_GetObjectItemCaseSensitive(loc, "message"), "text");
    out->message = msg ? ms_xstrdup(msg) : NULL;
    return true;
}

typedef struct loader {
    const char *path;
    char *error;
} loader;

static void failf(loader *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void failf(loader *l, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char buf[512];
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (!l->error)
        l->error = ms_xasprintf("%s: %s", l->path, buf);
}

/* One result as a finding; NULL for results that cannot match anything (an
 * earlier absent copy, a rule this version does not have). */
static ms_finding *result(loader *l, const cJSON *res, int run, int index) {
    const char *state = str(res, "baselineState");
    if (state && strcmp(state, "absent") == 0)
        return NULL;
    const char *id = str(res, "ruleId");
    const cJSON *fps = cJSON_GetObjectItemCaseSensitive(res, "partialFingerprints");
    const char *fp = str(fps, "mapsafe/v1");
    ms_finding tmp = {0};
    if (!id || !fp || strlen(fp) >= sizeof(tmp.fingerprint) ||
        !location(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res, "locations"), 0),
                  &tmp.primary)) {
        failf(l,
              "runs[%d].results[%d] has no ruleId, location or partialFingerprints[\"mapsafe/v1\"]",
              run, index);
        free(tmp.primary.path);
        free(tmp.primary.message);
        return NULL;
    }
    const ms_rule *rule = ms_rule_find(id);
    if (!rule) {
        free(tmp.primary.path);
        free(tmp.primary.message);
        return NULL;
    }
    ms_level level = MS_LEVEL_WARNING;
    const char *lv = str(res, "level");
    if (lv)
        ms_level_parse(lv, &level);
    ms_finding *f = ms_finding_new(rule->id, level);
    f->primary = tmp.primary;
    free(f->primary.message);
    f->primary.message = NULL;
    const char *msg = str(cJSON_GetObjectItemCaseSensitive(res, "message"), "text");
    f->message = ms_xstrdup(msg ? msg : "");
    snprintf(f->fingerprint, sizeof(f->fingerprint), "%s", fp);
    const cJSON *rel;
    cJSON_ArrayForEach(rel, cJSON_GetObjectItemCaseSensitive(res, "relatedLocations")) {
        ms_location loc = {0};
        if (!location(rel, &loc))
            continue;
        f->related = ms_xrealloc(f->related, sizeof(*f->related) * (f->nrelated + 1));
        f->related[f->nrelated++] = loc;
    }
    const cJSON *sup = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res, "suppressions"), 0);
    if (sup) {
        const char *status = str(sup, "status");
        f->suppression.suppressed = !status || strcmp(status, "accepted") == 0;
        const char *why = str(sup, "justification");
        f->suppression.justification = why ? ms_xstrdup(why) : NULL;
    }
    return f;
}

static int cmp_entries(const void *a, const void *b) {
    return strcmp(((const entry *)a)->finding->fingerprint,
                  ((const entry *)b)->finding->fingerprint);
}

ms_baseline *ms_baseline_load(const char *path, char **error) {
    size_t len = 0;
    int err;
    char *text = ms_read_file(path, &len, &err);
    if (!text) {
        char *why = ms_errno_text(err);
        *error = ms_xasprintf("%s: cannot open the --baseline log: %s", path, why);
        free(why);
        return NULL;
    }
    loader l = {.path = path};
    char *syntax = NULL;
    cJSON *log = ms_json_parse(text, len, path, &syntax);
    ms_baseline *b = ms_xcalloc(1, sizeof(*b));
    if (!log) {
        l.error = ms_xasprintf("%s; --baseline needs a mapsafe SARIF log", syntax);
        free(syntax);
    } else {
        const cJSON *runs = cJSON_GetObjectItemCaseSensitive(log, "runs");
        if (!cJSON_IsArray(runs) || cJSON_GetArraySize(runs) == 0)
            failf(&l, "not a SARIF log (it has no runs); --baseline needs a mapsafe SARIF log");
        int ri = 0;
        const cJSON *run;
        cJSON_ArrayForEach(run, runs) {
            const cJSON *driver = cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(run, "tool"), "driver");
            const char *name = str(driver, "name");
            if (!name || strcmp(name, "mapsafe") != 0) {
                failf(&l, "runs[%d] was written by %s; --baseline needs a mapsafe SARIF log", ri,
                      name ? name : "an unknown tool");
                break;
            }
            const cJSON *results = cJSON_GetObjectItemCaseSensitive(run, "results");
            if (!cJSON_IsArray(results)) {
                failf(&l, "runs[%d] has no results array", ri);
                break;
            }
            int k = 0;
            const cJSON *res;
            cJSON_ArrayForEach(res, results) {
                ms_finding *f = result(&l, res, ri, k++);
                if (l.error)
                    break;
                if (!f)
                    continue;
                b->entries = ms_xrealloc(b->entries, sizeof(entry) * (b->n + 1));
                b->entries[b->n++] = (entry){.finding = f};
            }
            if (l.error)
                break;
            ri++;
        }
    }
    cJSON_Delete(log);
    free(text);
    if (l.error) {
        *error = l.error;
        ms_baseline_free(b);
        return NULL;
    }
    if (b->n > 1)
        qsort(b->entries, b->n, sizeof(entry), cmp_entries);
    return b;
}

/* The first unmatched entry with this fingerprint. */
static entry *lookup(ms_baseline *b, const char *fp) {
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(b->entries[mid].finding->fingerprint, fp) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < b->n && strcmp(b->entries[lo].finding->fingerprint, fp) == 0; lo++)
        if (!b->entries[lo].matched)
            return &b->entries[lo];
    return NULL;
}

static int cmp_position(const void *pa, const void *pb) {
    const ms_finding *a = *(ms_finding *const *)pa, *b = *(ms_finding *const *)pb;
    int c = strcmp(a->primary.path, b->primary.path);
    if (c)
        return c;
    if (a->primary.region.start_line != b->primary.region.start_line)
        return a->primary.region.start_line < b->primary.region.start_line ? -1 : 1;
    if (a->primary.region.start_col != b->primary.region.start_col)
        return a->primary.region.start_col < b->primary.region.start_col ? -1 : 1;
    if ((c = strcmp(a->rule_id, b->rule_id)))
        return c;
    return strcmp(a->fingerprint, b->fingerprint);
}

static bool analysed(const ms_report *r, const char *path) {
    size_t lo = 0, hi = r->artifacts.len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(r->artifacts.items[mid], path);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

void ms_baseline_apply(ms_baseline *b, const ms_options *o, ms_report *report, ms_report *absent) {
    for (size_t i = 0; i < report->findings.len; i++) {
        ms_finding *f = report->findings.items[i];
        entry *e = lookup(b, f->fingerprint);
        if (!e) {
            f->baseline = MS_BASELINE_NEW;
            continue;
        }
        e->matched = true;
        bool same = e->finding->level == f->level && strcmp(e->finding->message, f->message) == 0;
        f->baseline = same ? MS_BASELINE_UNCHANGED : MS_BASELINE_UPDATED;
    }
    for (size_t i = 0; i < b->n; i++) {
        entry *e = &b->entries[i];
        ms_finding *f = e->finding;
        const ms_rule *rule = ms_rule_find(f->rule_id);
        bool ran = o->rule_enabled[ms_rule_index(rule)] &&
                   (rule->run || rule == &ms_rule_ms001 || rule == &ms_rule_ms002);
        if (e->matched || !ran)
            continue;
        if (!analysed(report, f->primary.path) && access(f->primary.path, F_OK) == 0)
            continue; /* not looked at in this run */
        if (f->suppression.suppressed && o->hide_suppressed)
            continue;
        f->baseline = MS_BASELINE_ABSENT;
        ms_report_add_finding(absent, f);
        e->finding = NULL;
    }
    if (absent->findings.len > 1)
        qsort(absent->findings.items, absent->findings.len, sizeof(ms_finding *), cmp_position);
}

void ms_baseline_free(ms_baseline *b) {
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        ms_finding_free(b->entries[i].finding);
    free(b->entries);
    free(b);
}
