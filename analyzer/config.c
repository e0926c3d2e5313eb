#include "config.h"

#include "json_file.h"
#include "rule.h"
#include "xalloc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <string.h>

/* ---- globs ---------------------------------------------------------------- */

/* Matches '/'-separated glob segments against path segments, with '**'. */
static bool match_segments(const char *glob, const char *path) {
    if (*glob == '\0')
        return *path == '\0';
    const char *gslash = strchr(glob, '/');
    size_t glen = gslash ? (size_t)(gslash - glob) : strlen(glob);
    const char *grest = gslash ? gslash + 1 : glob + glen;
    if (glen == 2 && glob[0] == '*' && glob[1] == '*') {
        if (*grest == '\0')
            return true;
        for (const char *p = path;;) {
            if (match_segments(grest, p))
                return true;
            const char *slash = strchr(p, '/');
            if (!slash)
                return false;
            p = slash + 1;
        }
    }
    if (*path == '\0')
        return false;
    const char *pslash = strchr(path, '/');
    size_t plen = pslash ? (size_t)(pslash - path) : strlen(path);
    char *g = ms_xstrndup(glob, glen), *s = ms_xstrndup(path, plen);
    bool ok = fnmatch(g, s, FNM_PERIOD) == 0;
    free(g);
    free(s);
    if (!ok)
        return false;
    if (!pslash)
        return *grest == '\0' || strcmp(grest, "**") == 0;
    return match_segments(grest, pslash + 1);
}

bool ms_glob_match(const char *glob, const char *path) {
    if (*glob == '\0')
        return false;
    bool anchored = strchr(glob, '/') != NULL;
    if (glob[0] == '/')
        glob++;
    size_t n = strlen(glob);
    char *g = ms_xstrdup(glob);
    if (n > 0 && g[n - 1] == '/')
        g[n - 1] = '\0'; /* "gen/" names the directory */
    bool hit = false;
    /* Every prefix of the path that ends at a name: a/, a/b/, a/b/c.go. */
    char *copy = ms_xstrdup(path);
    for (char *end = copy;; end++) {
        if (*end == '/' || *end == '\0') {
            char saved = *end;
            *end = '\0';
            if (anchored) {
                hit = match_segments(g, copy);
            } else {
                const char *name = strrchr(copy, '/');
                hit = fnmatch(g, name ? name + 1 : copy, FNM_PERIOD) == 0;
            }
            *end = saved;
            if (hit || saved == '\0')
                break;
        }
    }
    free(copy);
    free(g);
    return hit;
}

bool ms_config_excluded(const ms_options *o, const char *path) {
    for (size_t i = 0; i < o->excludes.len; i++)
        if (ms_glob_match(o->excludes.items[i], path))
            return true;
    return false;
}

/* ---- the file ------------------------------------------------------------- */

typedef struct reader {
    const char *path;
    FILE *err;
} reader;

static int fail(const reader *r, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(const reader *r, const char *where, const char *fmt, ...) {
    fprintf(r->err, "mapsafe: %s: %s: ", r->path, where);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(r->err, fmt, ap);
    va_end(ap);
    fputc('\n', r->err);
    return -1;
}

/* An array of strings; a missing key is fine. */
static int strings(const reader *r, const cJSON *v, const char *key, const cJSON **out) {
    *out = NULL;
    if (!v)
        return 0;
    char where[64];
    snprintf(where, sizeof(where), "$.%s", key);
    if (!cJSON_IsArray(v))
        return fail(r, where, "expected an array of strings");
    int i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, v) {
        if (!cJSON_IsString(item) || !item->valuestring[0]) {
            snprintf(where, sizeof(where), "$.%s[%d]", key, i);
            return fail(r, where, "expected a non-empty string");
        }
        i++;
    }
    *out = v;
    return 0;
}

static int rules(const reader *r, const cJSON *list, const char *key, bool *selected) {
    int i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, list) {
        const ms_rule *rule = ms_rule_find(item->valuestring);
        if (!rule) {
            char where[64];
            snprintf(where, sizeof(where), "$.%s[%d]", key, i);
            return fail(r, where, "unknown rule id '%s' (see mapsafe --list-rules)",
                        item->valuestring);
        }
        selected[ms_rule_index(rule)] = true;
        i++;
    }
    return 0;
}

static const char *const known_keys[] = {"$schema", "enable", "disable",
                                         "exclude", "models", "fail-on"};

static int check_keys(const reader *r, const cJSON *root) {
    const cJSON *item;
    cJSON_ArrayForEach(item, root) {
        char where[160];
        snprintf(where, sizeof(where), "$.%.120s", item->string);
        bool known = false;
        for (size_t k = 0; k < sizeof(known_keys) / sizeof(known_keys[0]); k++)
            known = known || strcmp(item->string, known_keys[k]) == 0;
        if (!known)
            return fail(r, where, "unknown key (known: enable, disable, exclude, models, fail-on)");
        for (const cJSON *prev = root->child; prev != item; prev = prev->next)
            if (strcmp(prev->string, item->string) == 0)
                return fail(r, where, "given twice");
    }
    return 0;
}

/* Applies a validated file to the options. */
static void apply(ms_options *o, const cJSON *enable, const cJSON *disable, const bool *on,
                  const bool *off, const cJSON *exclude, const cJSON *models,
                  const cJSON *fail_on) {
    if (!o->rules_given && (enable || disable)) {
        for (size_t i = 0; i < ms_rules_count; i++)
            o->rule_enabled[i] = (enable ? on[i] : true) && !off[i];
    }
    if (!o->fail_on_given && fail_on)
        ms_level_parse(fail_on->valuestring, &o->fail_on);
    const cJSON *item;
    cJSON_ArrayForEach(item, exclude) {
        MS_VEC_PUSH(&o->excludes, ms_xstrdup(item->valuestring));
    }
    /* The file's models first, so models given on the command line come
     * later and win where they describe the same API. */
    size_t n = (size_t)cJSON_GetArraySize(models);
    if (n > 0) {
        size_t old = o->models.len;
        MS_VEC_RESERVE(&o->models, old + n);
        memmove(o->models.items + n, o->models.items, old * sizeof(char *));
        size_t k = 0;
        cJSON_ArrayForEach(item, models) {
            o->models.items[k++] = ms_xstrdup(item->valuestring);
        }
        o->models.len = old + n;
    }
}

int ms_config_load(ms_options *o, const char *path, FILE *err) {
    size_t len = 0;
    int error = 0;
    char *text = ms_read_file(path, &len, &error);
    if (!text && error == ENOENT)
        return 0; /* the file is optional */
    reader r = {.path = path, .err = err};
    if (!text) {
        fprintf(err, "mapsafe: %s: cannot read: %s\n", path, strerror(error));
        return -1;
    }
    char *syntax = NULL;
    cJSON *root = ms_json_parse(text, len, path, &syntax);
    int rc = 0;
    if (!root) {
        fprintf(err, "mapsafe: %s\n", syntax);
        free(syntax);
        rc = -1;
    } else if (!cJSON_IsObject(root)) {
        rc = fail(&r, "$", "expected an object");
    } else if ((rc = check_keys(&r, root)) == 0) {
        const cJSON *enable, *disable, *exclude, *models;
        bool on[MS_MAX_RULES] = {0}, off[MS_MAX_RULES] = {0};
        const cJSON *fail_on = cJSON_GetObjectItemCaseSensitive(root, "fail-on");
        ms_level level;
        if (strings(&r, cJSON_GetObjectItemCaseSensitive(root, "enable"), "enable", &enable) ||
            strings(&r, cJSON_GetObjectItemCaseSensitive(root, "disable"), "disable", &disable) ||
            strings(&r, cJSON_GetObjectItemCaseSensitive(root, "exclude"), "exclude", &exclude) ||
            strings(&r, cJSON_GetObjectItemCaseSensitive(root, "models"), "models", &models) ||
            (enable && rules(&r, enable, "enable", on)) ||
            (disable && rules(&r, disable, "disable", off))) {
            rc = -1;
        } else if (fail_on &&
                   (!cJSON_IsString(fail_on) || !ms_level_parse(fail_on->valuestring, &level))) {
            rc = fail(&r, "$.fail-on", "expected \"error\", \"warning\", \"note\" or \"none\"");
        } else {
            apply(o, enable, disable, on, off, exclude, models, fail_on);
        }
    }
    cJSON_Delete(root);
    free(text);
    return rc;
}
