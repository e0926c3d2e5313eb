#include "finding.h"

#include "intern.h"
#include "xalloc.h"

#include <ctype.h>
#include <string.h>

const char *ms_level_name(ms_level level) {
    switch (level) {
        case MS_LEVEL_ERROR:
            return "error";
        case MS_LEVEL_WARNING:
            return "warning";
        case MS_LEVEL_NOTE:
            return "note";
        case MS_LEVEL_NONE:
            return "none";
    }
    return "none";
}

bool ms_level_parse(const char *text, ms_level *level) {
    static const ms_level all[] = {MS_LEVEL_ERROR, MS_LEVEL_WARNING, MS_LEVEL_NOTE, MS_LEVEL_NONE};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        if (strcmp(text, ms_level_name(all[i])) == 0) {
            *level = all[i];
            return true;
        }
    }
    return false;
}

ms_finding *ms_finding_new(const char *rule_id, ms_level level) {
    ms_finding *f = ms_xcalloc(1, sizeof(*f));
    f->rule_id = rule_id;
    f->level = level;
    return f;
}

static void location_free(ms_location *loc) {
    free(loc->path);
    free(loc->message);
}

void ms_finding_free(ms_finding *f) {
    if (!f)
        return;
    free(f->message);
    location_free(&f->primary);
    for (size_t i = 0; i < f->nrelated; i++)
        location_free(&f->related[i]);
    free(f->related);
    for (size_t i = 0; i < f->nflow; i++)
        location_free(&f->flow[i]);
    free(f->flow);
    for (size_t i = 0; i < f->nfixes; i++) {
        ms_fix *fix = &f->fixes[i];
        free(fix->description);
        free(fix->path);
        free(fix->fs_path);
        for (size_t k = 0; k < fix->nreplacements; k++)
            free(fix->replacements[k].inserted);
        free(fix->replacements);
    }
    free(f->fixes);
    free(f->context);
    free(f->snippet);
    free(f->suppression.justification);
    free(f);
}

void ms_location_set(ms_location *loc, const ms_source *src, uint32_t start, uint32_t end,
                     const char *message) {
    loc->path = ms_xstrdup(src->path);
    loc->region = ms_source_region(src, start, end);
    loc->message = message ? ms_xstrdup(message) : NULL;
}

ms_location *ms_finding_add_related(ms_finding *f, const ms_source *src, uint32_t start,
                                    uint32_t end, const char *message) {
    f->related = ms_xrealloc(f->related, sizeof(*f->related) * (f->nrelated + 1));
    ms_location *loc = &f->related[f->nrelated++];
    ms_location_set(loc, src, start, end, message);
    return loc;
}

ms_location *ms_finding_add_flow(ms_finding *f, const ms_source *src, uint32_t start, uint32_t end,
                                 const char *message) {
    f->flow = ms_xrealloc(f->flow, sizeof(*f->flow) * (f->nflow + 1));
    ms_location *loc = &f->flow[f->nflow++];
    ms_location_set(loc, src, start, end, message);
    return loc;
}

ms_fix *ms_finding_add_fix(ms_finding *f, const char *path, const char *description) {
    f->fixes = ms_xrealloc(f->fixes, sizeof(*f->fixes) * (f->nfixes + 1));
    ms_fix *fix = &f->fixes[f->nfixes++];
    memset(fix, 0, sizeof(*fix));
    fix->path = ms_xstrdup(path);
    fix->description = ms_xstrdup(description);
    return fix;
}

void ms_fix_add_replacement(ms_fix *fix, const ms_source *src, uint32_t start, uint32_t end,
                            const char *inserted) {
    fix->replacements =
        ms_xrealloc(fix->replacements, sizeof(*fix->replacements) * (fix->nreplacements + 1));
    ms_replacement *r = &fix->replacements[fix->nreplacements++];
    r->deleted = ms_source_region(src, start, end);
    r->inserted = ms_xstrdup(inserted);
    if (!fix->fs_path) {
        fix->fs_path = ms_xstrdup(src->fs_path ? src->fs_path : src->path);
        fix->source_hash = src->content_hash; /* hashed once per file, not per fix */
        fix->source_size = src->size;
    }
}

char *ms_normalize_snippet(const char *text, size_t len) {
    char *out = ms_xmalloc(len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (!isspace((unsigned char)text[i]))
            out[n++] = text[i];
    out[n] = '\0';
    return out;
}
