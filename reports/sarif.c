#include "writers.h"

#include "rule.h"
#include "version.h"
#include "xalloc.h"

#include <cjson/cJSON.h>
#include <string.h>

/* SARIF 2.1.0 as interface.md describes it: one run, relative URIs under
 * %SRCROOT%, full regions, linked related locations, mapsafe/v1 fingerprints.
 * Everything is emitted in a fixed order so equal input gives equal bytes. */

static cJSON *text_object(const char *key, const char *text) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, key, text);
    return o;
}

static cJSON *message(const char *text) {
    return text_object("text", text);
}

typedef struct artifacts {
    char **paths; /* sorted, from the report */
    size_t n;
} artifacts;

static int artifact_index(const artifacts *a, const char *path) {
    size_t lo = 0, hi = a->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(a->paths[mid], path);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* An artifactLocation without an index: a relative path under %SRCROOT%, or
 * an absolute file URI for a file outside the working directory. */
static cJSON *uri_location(const char *path) {
    cJSON *loc = cJSON_CreateObject();
    char *escaped = ms_uri_escape(path);
    if (path[0] == '/') {
        char *uri = ms_xasprintf("file://%s", escaped);
        cJSON_AddStringToObject(loc, "uri", uri);
        free(uri);
    } else {
        cJSON_AddStringToObject(loc, "uri", escaped);
        cJSON_AddStringToObject(loc, "uriBaseId", "%SRCROOT%");
    }
    free(escaped);
    return loc;
}

static cJSON *artifact_location(const artifacts *a, const char *path) {
    cJSON *loc = uri_location(path);
    int index = artifact_index(a, path);
    if (index >= 0)
        cJSON_AddNumberToObject(loc, "index", index);
    return loc;
}

static cJSON *region(const ms_region *r) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "startLine", r->start_line);
    cJSON_AddNumberToObject(o, "startColumn", r->start_col);
    cJSON_AddNumberToObject(o, "endLine", r->end_line);
    cJSON_AddNumberToObject(o, "endColumn", r->end_col);
    return o;
}

static cJSON *physical(const artifacts *a, const ms_location *l) {
    cJSON *p = cJSON_CreateObject();
    cJSON_AddItemToObject(p, "artifactLocation", artifact_location(a, l->path));
    cJSON_AddItemToObject(p, "region", region(&l->region));
    return p;
}

static cJSON *location(const artifacts *a, const ms_location *l, int id) {
    cJSON *o = cJSON_CreateObject();
    if (id > 0)
        cJSON_AddNumberToObject(o, "id", id);
    cJSON_AddItemToObject(o, "physicalLocation", physical(a, l));
    if (l->message)
        cJSON_AddItemToObject(o, "message", message(l->message));
    return o;
}

static cJSON *rule_descriptor(const ms_rule *r) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", r->id);
    cJSON_AddStringToObject(o, "name", r->name);
    cJSON_AddItemToObject(o, "shortDescription", message(r->short_description));
    cJSON_AddItemToObject(o, "fullDescription", message(r->full_description));
    cJSON *help = cJSON_CreateObject();
    cJSON_AddStringToObject(help, "text", r->help_markdown);
    cJSON_AddStringToObject(help, "markdown", r->help_markdown);
    cJSON_AddItemToObject(o, "help", help);
    cJSON *config = cJSON_CreateObject();
    /* The Go level; C and C++ results carry their own level. */
    cJSON_AddStringToObject(config, "level", ms_level_name(r->level_go));
    cJSON_AddItemToObject(o, "defaultConfiguration", config);
    cJSON *props = cJSON_CreateObject();
    cJSON *tags = cJSON_CreateArray();
    for (size_t i = 0; i < 4 && r->tags[i]; i++)
        cJSON_AddItemToArray(tags, cJSON_CreateString(r->tags[i]));
    cJSON_AddItemToObject(props, "tags", tags);
    cJSON_AddStringToObject(props, "precision", r->precision);
    cJSON_AddStringToObject(props, "problem.severity", r->problem_severity);
    cJSON_AddItemToObject(o, "properties", props);
    return o;
}

static cJSON *fixes(const artifacts *a, const ms_finding *f) {
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; i < f->nfixes; i++) {
        const ms_fix *fix = &f->fixes[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "description", message(fix->description));
        cJSON *changes = cJSON_CreateArray();
        cJSON *change = cJSON_CreateObject();
        cJSON_AddItemToObject(change, "artifactLocation", artifact_location(a, fix->path));
        cJSON *repls = cJSON_CreateArray();
        for (size_t k = 0; k < fix->nreplacements; k++) {
            const ms_replacement *rp = &fix->replacements[k];
            cJSON *r = cJSON_CreateObject();
            cJSON_AddItemToObject(r, "deletedRegion", region(&rp->deleted));
            cJSON_AddItemToObject(r, "insertedContent", text_object("text", rp->inserted));
            cJSON_AddItemToArray(repls, r);
        }
        cJSON_AddItemToObject(change, "replacements", repls);
        cJSON_AddItemToArray(changes, change);
        cJSON_AddItemToObject(o, "artifactChanges", changes);
        cJSON_AddItemToArray(list, o);
    }
    return list;
}

static cJSON *code_flows(const artifacts *a, const ms_finding *f) {
    cJSON *flows = cJSON_CreateArray();
    cJSON *flow = cJSON_CreateObject();
    cJSON *threads = cJSON_CreateArray();
    cJSON *thread = cJSON_CreateObject();
    cJSON *locs = cJSON_CreateArray();
    for (size_t i = 0; i < f->nflow; i++) {
        cJSON *step = cJSON_CreateObject();
        cJSON_AddItemToObject(step, "location", location(a, &f->flow[i], 0));
        cJSON_AddItemToArray(locs, step);
    }
    cJSON_AddItemToObject(thread, "locations", locs);
    cJSON_AddItemToArray(threads, thread);
    cJSON_AddItemToObject(flow, "threadFlows", threads);
    cJSON_AddItemToArray(flows, flow);
    return flows;
}

static const char *baseline_name(ms_baseline_state s) {
    switch (s) {
        case MS_BASELINE_NEW:
            return "new";
        case MS_BASELINE_UNCHANGED:
            return "unchanged";
        case MS_BASELINE_UPDATED:
            return "updated";
        case MS_BASELINE_ABSENT:
            return "absent";
        default:
            return NULL;
    }
}

static cJSON *result(const artifacts *a, const ms_finding *f, const ms_writer_opts *o) {
    cJSON *r = cJSON_CreateObject();
    const ms_rule *rule = ms_rule_find(f->rule_id);
    cJSON_AddStringToObject(r, "ruleId", f->rule_id);
    if (rule)
        cJSON_AddNumberToObject(r, "ruleIndex", (double)ms_rule_index(rule));
    cJSON_AddStringToObject(r, "level", ms_level_name(f->level));
    cJSON_AddItemToObject(r, "message", message(f->message));
    cJSON *locs = cJSON_CreateArray();
    cJSON_AddItemToArray(locs, location(a, &f->primary, 0));
    cJSON_AddItemToObject(r, "locations", locs);
    if (f->nrelated) {
        cJSON *rel = cJSON_CreateArray();
        for (size_t i = 0; i < f->nrelated; i++)
            cJSON_AddItemToArray(rel, location(a, &f->related[i], (int)i + 1));
        cJSON_AddItemToObject(r, "relatedLocations", rel);
    }
    if (f->nflow)
        cJSON_AddItemToObject(r, "codeFlows", code_flows(a, f));
    cJSON *fp = cJSON_CreateObject();
    cJSON_AddStringToObject(fp, "mapsafe/v1", f->fingerprint);
    cJSON_AddItemToObject(r, "partialFingerprints", fp);
    if (f->nfixes)
        cJSON_AddItemToObject(r, "fixes", fixes(a, f));
    cJSON *sup = cJSON_CreateArray();
    if (f->suppression.suppressed) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "kind", "inSource");
        cJSON_AddStringToObject(s, "status", "accepted");
        if (f->suppression.justification)
            cJSON_AddStringToObject(s, "justification", f->suppression.justification);
        cJSON_AddItemToArray(sup, s);
    }
    cJSON_AddItemToObject(r, "suppressions", sup);
    if (o->baseline && baseline_name(f->baseline))
        cJSON_AddStringToObject(r, "baselineState", baseline_name(f->baseline));
    return r;
}

static cJSON *notification(const artifacts *a, const ms_notification *n) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "level", ms_level_name(n->level));
    cJSON_AddItemToObject(o, "message", message(n->message));
    if (n->path) {
        cJSON *locs = cJSON_CreateArray();
        cJSON *loc = cJSON_CreateObject();
        cJSON *phys = cJSON_CreateObject();
        cJSON_AddItemToObject(phys, "artifactLocation", artifact_location(a, n->path));
        if (n->line) {
            cJSON *reg = cJSON_CreateObject();
            cJSON_AddNumberToObject(reg, "startLine", n->line);
            cJSON_AddNumberToObject(reg, "startColumn", n->col ? n->col : 1);
            cJSON_AddItemToObject(phys, "region", reg);
        }
        cJSON_AddItemToObject(loc, "physicalLocation", phys);
        cJSON_AddItemToArray(locs, loc);
        cJSON_AddItemToObject(o, "locations", locs);
    }
    cJSON_AddItemToObject(o, "descriptor", text_object("id", n->kind));
    return o;
}

static cJSON *artifact_list(const ms_report *r) {
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; i < r->artifacts.len; i++) {
        const char *path = r->artifacts.items[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "location", uri_location(path));
        ms_lang lang;
        if (ms_lang_for_path(path, &lang))
            cJSON_AddStringToObject(o, "sourceLanguage", ms_lang_name(lang));
        cJSON_AddItemToArray(list, o);
    }
    return list;
}

int ms_write_sarif(FILE *out, const ms_report *r, const ms_writer_opts *o) {
    artifacts a = {.paths = r->artifacts.items, .n = r->artifacts.len};
    cJSON *log = cJSON_CreateObject();
    cJSON_AddStringToObject(log, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    cJSON_AddStringToObject(log, "version", "2.1.0");
    cJSON *runs = cJSON_CreateArray();
    cJSON *run = cJSON_CreateObject();

    cJSON *tool = cJSON_CreateObject();
    cJSON *driver = cJSON_CreateObject();
    cJSON_AddStringToObject(driver, "name", "mapsafe");
    cJSON_AddStringToObject(driver, "version", MAPSAFE_VERSION);
    cJSON_AddStringToObject(driver, "semanticVersion", MAPSAFE_VERSION);
    cJSON_AddStringToObject(driver, "informationUri", MAPSAFE_HOMEPAGE);
    cJSON *rules = cJSON_CreateArray();
    for (size_t i = 0; i < ms_rules_count; i++)
        cJSON_AddItemToArray(rules, rule_descriptor(ms_rules[i]));
    cJSON_AddItemToObject(driver, "rules", rules);
    cJSON_AddItemToObject(tool, "driver", driver);
    cJSON_AddItemToObject(run, "tool", tool);

    cJSON *invocations = cJSON_CreateArray();
    cJSON *inv = cJSON_CreateObject();
    cJSON_AddBoolToObject(inv, "executionSuccessful", o->execution_successful);
    if (r->notifications.len) {
        cJSON *notes = cJSON_CreateArray();
        for (size_t i = 0; i < r->notifications.len; i++)
            cJSON_AddItemToArray(notes, notification(&a, &r->notifications.items[i]));
        cJSON_AddItemToObject(inv, "toolExecutionNotifications", notes);
    }
    cJSON_AddItemToArray(invocations, inv);
    cJSON_AddItemToObject(run, "invocations", invocations);

    cJSON *bases = cJSON_CreateObject();
    char *root = ms_uri_escape(o->srcroot);
    char *root_uri = ms_xasprintf("file://%s", root);
    cJSON_AddItemToObject(bases, "%SRCROOT%", text_object("uri", root_uri));
    free(root_uri);
    free(root);
    cJSON_AddItemToObject(run, "originalUriBaseIds", bases);
    cJSON_AddItemToObject(run, "artifacts", artifact_list(r));

    cJSON *results = cJSON_CreateArray();
    for (size_t i = 0; i < r->findings.len; i++) {
        const ms_finding *f = r->findings.items[i];
        if (f->suppression.suppressed && o->hide_suppressed)
            continue;
        cJSON_AddItemToArray(results, result(&a, f, o));
    }
    if (o->absent) {
        for (size_t i = 0; i < o->absent->findings.len; i++)
            cJSON_AddItemToArray(results, result(&a, o->absent->findings.items[i], o));
    }
    cJSON_AddItemToObject(run, "results", results);
    cJSON_AddStringToObject(run, "columnKind", "utf16CodeUnits");
    cJSON_AddItemToArray(runs, run);
    cJSON_AddItemToObject(log, "runs", runs);

    char *text = cJSON_Print(log);
    cJSON_Delete(log);
    if (!text)
        return -1;
    fputs(text, out);
    fputc('\n', out);
    cJSON_free(text);
    return ferror(out) ? -1 : 0;
}
