#include "model.h"

#include "intern.h"
#include "json_file.h"
#include "vec.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct index_slot {
    uint64_t hash;
    uint32_t item; /* 1-based; 0 marks an empty slot */
} index_slot;

typedef struct lookup_index {
    index_slot *slots;
    size_t cap;
} lookup_index;

struct ms_catalogue {
    MS_VEC(ms_model_api) apis;
    MS_VEC(ms_model_type) types;
    MS_VEC(char *) strings; /* owned copies the entries point into */
    lookup_index api_index, type_index;
};

ms_catalogue *ms_catalogue_new(void) {
    return ms_xcalloc(1, sizeof(ms_catalogue));
}

void ms_catalogue_free(ms_catalogue *c) {
    if (!c)
        return;
    for (size_t i = 0; i < c->strings.len; i++)
        free(c->strings.items[i]);
    MS_VEC_FREE(&c->strings);
    MS_VEC_FREE(&c->apis);
    MS_VEC_FREE(&c->types);
    free(c->api_index.slots);
    free(c->type_index.slots);
    free(c);
}

static const char *keep(ms_catalogue *c, const char *s) {
    if (!s)
        return NULL;
    char *copy = ms_xstrdup(s);
    MS_VEC_PUSH(&c->strings, copy);
    return copy;
}

/* ---- keys and the index ------------------------------------------------- */

/* What an API or type is looked up by. NULL and "" are the same. */
typedef struct model_key {
    ms_model_lang lang;
    const char *pkg, *type, *name;
    int arity; /* -1: any number of arguments */
} model_key;

static model_key api_key(const ms_model_api *a) {
    model_key k = {a->lang, a->package, a->method ? a->type : NULL,
                   a->method     ? a->method
                   : a->function ? a->function
                                 : a->type,
                   a->arity};
    return k;
}

static model_key type_key(const ms_model_type *t) {
    model_key k = {t->lang, t->package, NULL, t->name, -1};
    return k;
}

static uint64_t key_hash(const model_key *k) {
    uint64_t h = ms_hash_bytes(&k->lang, sizeof(k->lang), 0);
    const char *parts[] = {k->pkg, k->type, k->name};
    for (size_t i = 0; i < 3; i++) {
        const char *p = parts[i] ? parts[i] : "";
        h = ms_hash_bytes(p, strlen(p) + 1, h);
    }
    /* An overload for a given number of arguments is a separate key. */
    return k->arity < 0 ? h : ms_hash_bytes(&k->arity, sizeof(k->arity), h);
}

static bool same_text(const char *a, const char *b) {
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static bool key_equal(const model_key *a, const model_key *b) {
    return a->lang == b->lang && a->arity == b->arity && same_text(a->pkg, b->pkg) &&
           same_text(a->type, b->type) && same_text(a->name, b->name);
}

typedef model_key (*key_of_fn)(const void *items, size_t i);

static model_key api_key_at(const void *items, size_t i) {
    return api_key(&((const ms_model_api *)items)[i]);
}

static model_key type_key_at(const void *items, size_t i) {
    return type_key(&((const ms_model_type *)items)[i]);
}

/* The slot of `key`, or the empty slot where it would go. Hashes only narrow
 * the search; keys are compared in full, so a hash collision cannot map a
 * call to another API's role. */
static index_slot *slot_for(const lookup_index *ix, const model_key *key, key_of_fn key_of,
                            const void *items) {
    uint64_t h = key_hash(key);
    size_t j = h & (ix->cap - 1);
    for (;;) {
        index_slot *s = &ix->slots[j];
        if (!s->item)
            return s;
        if (s->hash == h) {
            model_key other = key_of(items, s->item - 1);
            if (key_equal(&other, key))
                return s;
        }
        j = (j + 1) & (ix->cap - 1);
    }
}

static void index_rebuild(lookup_index *ix, size_t n, key_of_fn key_of, const void *items) {
    free(ix->slots);
    ix->cap = 16;
    while (ix->cap < n * 2 + 2)
        ix->cap *= 2;
    ix->slots = ms_xcalloc(ix->cap, sizeof(index_slot));
    /* Later entries override earlier ones: insert in order, replacing. */
    for (size_t i = 0; i < n; i++) {
        model_key k = key_of(items, i);
        index_slot *s = slot_for(ix, &k, key_of, items);
        s->hash = key_hash(&k);
        s->item = (uint32_t)i + 1;
    }
}

static int index_find(const lookup_index *ix, const model_key *key, key_of_fn key_of,
                      const void *items) {
    if (!ix->slots)
        return -1;
    const index_slot *s = slot_for(ix, key, key_of, items);
    return s->item ? (int)s->item - 1 : -1;
}

/* ---- parsing ------------------------------------------------------------ */

typedef struct parse_ctx {
    ms_catalogue *c;
    const char *origin;
    const char *model;
    ms_model_lang lang;
    char **error;
} parse_ctx;

static int fail(parse_ctx *p, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(parse_ctx *p, const char *where, const char *fmt, ...) {
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    *p->error = ms_xasprintf("%s: %s: %s", p->origin, where, what);
    return -1;
}

static const struct {
    const char *name;
    ms_model_role role;
} role_names[] = {
    {"map-insert", MS_ROLE_MAP_INSERT},
    {"map-erase", MS_ROLE_MAP_ERASE},
    {"map-erase-range", MS_ROLE_MAP_ERASE_RANGE},
    {"map-clear", MS_ROLE_MAP_CLEAR},
    {"map-read", MS_ROLE_MAP_READ},
    {"map-rehash", MS_ROLE_MAP_REHASH},
    {"map-replace", MS_ROLE_MAP_REPLACE},
    {"map-new", MS_ROLE_MAP_NEW},
    {"map-reserve", MS_ROLE_MAP_RESERVE},
    {"map-foreach", MS_ROLE_MAP_FOREACH},
    {"map-view", MS_ROLE_MAP_VIEW},
    {"iter-init", MS_ROLE_ITER_INIT},
    {"iter-next", MS_ROLE_ITER_NEXT},
    {"iter-mutate", MS_ROLE_ITER_MUTATE},
    {"iter-end", MS_ROLE_ITER_END},
    {"lock-acquire", MS_ROLE_LOCK_ACQUIRE},
    {"lock-release", MS_ROLE_LOCK_RELEASE},
    {"lock-guard", MS_ROLE_LOCK_GUARD},
    {"spawn", MS_ROLE_SPAWN},
    {"join", MS_ROLE_JOIN},
    {"noreturn", MS_ROLE_NORETURN},
};

static const struct {
    const char *name;
    ms_type_class cls;
} class_names[] = {
    {"map", MS_TC_MAP},         {"lock", MS_TC_LOCK},
    {"rwlock", MS_TC_RWLOCK},   {"concurrent-map", MS_TC_CONCURRENT_MAP},
    {"atomic", MS_TC_ATOMIC},   {"waitgroup", MS_TC_WAITGROUP},
    {"channel", MS_TC_CHANNEL}, {"other", MS_TC_OTHER},
};

static const struct {
    const char *name;
    ms_iter_semantics sem;
} semantics_names[] = {
    {"go", MS_ITER_GO},
    {"ordered", MS_ITER_ORDERED},
    {"unordered", MS_ITER_UNORDERED},
    {"strict", MS_ITER_STRICT},
};

static const char *const arg_fields[] = {"map",  "key",      "iterator", "lock",  "entry",
                                         "data", "callback", "capacity", "value", "handle"};

static int parse_arg(parse_ctx *p, const char *where, const cJSON *item, int *out) {
    if (cJSON_IsNumber(item)) {
        if (item->valuedouble < 0 || item->valuedouble > 64 ||
            item->valuedouble != (double)item->valueint)
            return fail(p, where, "argument index must be an integer from 0 to 64");
        *out = item->valueint;
        return 0;
    }
    if (cJSON_IsString(item)) {
        if (strcmp(item->valuestring, "receiver") == 0 || strcmp(item->valuestring, "this") == 0) {
            *out = MS_ARG_RECEIVER;
            return 0;
        }
        if (strcmp(item->valuestring, "return") == 0) {
            *out = MS_ARG_RETURN;
            return 0;
        }
        if (strcmp(item->valuestring, "all") == 0) {
            *out = MS_ARG_ALL;
            return 0;
        }
    }
    return fail(p, where, "argument must be an index, \"receiver\", \"return\" or \"all\"");
}

static int parse_api(parse_ctx *p, const cJSON *obj, size_t index) {
    char where[96];
    snprintf(where, sizeof(where), "apis[%zu]", index);
    if (!cJSON_IsObject(obj))
        return fail(p, where, "expected an object");
    ms_model_api a = {.lang = p->lang, .model = p->model, .data_param = 0, .arity = -1};
    int *args[] = {&a.map,  &a.key,      &a.iterator, &a.lock,  &a.entry,
                   &a.data, &a.callback, &a.capacity, &a.value, &a.handle};
    const cJSON *types = NULL; /* "type": [...] names several types at once */
    for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++)
        *args[i] = MS_ARG_NONE;
    const cJSON *f;
    cJSON_ArrayForEach(f, obj) {
        const char *k = f->string;
        bool is_arg = false;
        for (size_t i = 0; i < sizeof(arg_fields) / sizeof(arg_fields[0]); i++) {
            if (strcmp(k, arg_fields[i]) == 0) {
                char w[128];
                snprintf(w, sizeof(w), "%s.%s", where, k);
                if (parse_arg(p, w, f, args[i]) != 0)
                    return -1;
                is_arg = true;
            }
        }
        if (is_arg)
            continue;
        if (strcmp(k, "live") == 0) {
            if (!cJSON_IsBool(f))
                return fail(p, where, "\"live\" must be true or false");
            a.live = cJSON_IsTrue(f);
            continue;
        }
        if (strcmp(k, "note") == 0)
            continue; /* free-form documentation */
        if (strcmp(k, "data_param") == 0 || strcmp(k, "arity") == 0) {
            if (!cJSON_IsNumber(f) || f->valuedouble < 0 || f->valuedouble > 64 ||
                f->valuedouble != (double)f->valueint)
                return fail(p, where, "\"data_param\" and \"arity\" must be integers from 0 to 64");
            *(k[0] == 'd' ? &a.data_param : &a.arity) = f->valueint;
            continue;
        }
        if (strcmp(k, "type") == 0 && cJSON_IsArray(f)) {
            const cJSON *t;
            cJSON_ArrayForEach(t, f) {
                if (!cJSON_IsString(t))
                    return fail(p, where, "\"type\" must be a string or an array of strings");
            }
            if (cJSON_GetArraySize(f) == 0)
                return fail(p, where, "\"type\" must not be empty");
            types = f;
            a.type = keep(p->c, cJSON_GetArrayItem(f, 0)->valuestring);
            continue;
        }
        if (!cJSON_IsString(f)) {
            return fail(p, where, "\"%s\" must be a string", k);
        }
        const char *v = f->valuestring;
        if (strcmp(k, "package") == 0) {
            a.package = keep(p->c, v);
        } else if (strcmp(k, "type") == 0) {
            a.type = keep(p->c, v);
        } else if (strcmp(k, "method") == 0) {
            a.method = keep(p->c, v);
        } else if (strcmp(k, "function") == 0) {
            a.function = keep(p->c, v);
        } else if (strcmp(k, "role") == 0) {
            for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
                if (strcmp(v, role_names[i].name) == 0)
                    a.role = role_names[i].role;
            if (!a.role) {
                return fail(p, where, "unknown role \"%.60s\"", v);
            }
        } else if (strcmp(k, "mode") == 0) {
            if (strcmp(v, "exclusive") == 0)
                a.mode = MS_LOCK_EXCLUSIVE;
            else if (strcmp(v, "shared") == 0)
                a.mode = MS_LOCK_SHARED;
            else
                return fail(p, where, "\"mode\" must be \"exclusive\" or \"shared\"");
        } else if (strcmp(k, "kind") == 0) {
            if (strcmp(v, "thread") == 0)
                a.spawn = MS_SPAWN_THREAD;
            else if (strcmp(v, "task") == 0)
                a.spawn = MS_SPAWN_TASK;
            else if (strcmp(v, "handler") == 0)
                a.spawn = MS_SPAWN_HANDLER;
            else if (strcmp(v, "waitgroup") == 0)
                a.join = MS_JOIN_WAITGROUP;
            else if (strcmp(v, "channel") == 0)
                a.join = MS_JOIN_CHANNEL;
            else if (strcmp(v, "thread-join") == 0)
                a.join = MS_JOIN_THREAD;
            else
                return fail(p, where,
                            "\"kind\" must be thread, task, handler, waitgroup, channel or "
                            "thread-join");
        } else {
            return fail(p, where, "unknown field \"%.60s\"", k);
        }
    }
    if (!a.role)
        return fail(p, where, "missing \"role\"");
    if (!a.function && !a.method && !(a.role == MS_ROLE_LOCK_GUARD && a.type))
        return fail(p, where, "needs \"function\", or \"type\" and \"method\"");
    if (a.method && !a.type)
        return fail(p, where, "\"method\" needs \"type\"");
    if (a.role == MS_ROLE_LOCK_ACQUIRE && !a.mode)
        a.mode = MS_LOCK_EXCLUSIVE;
    if (a.role == MS_ROLE_SPAWN && !a.spawn)
        a.spawn = p->lang == MS_MODEL_GO ? MS_SPAWN_TASK : MS_SPAWN_THREAD;
    if (a.role == MS_ROLE_JOIN && !a.join)
        a.join = MS_JOIN_THREAD;
    if (!types) {
        MS_VEC_PUSH(&p->c->apis, a);
        return 0;
    }
    const cJSON *t;
    cJSON_ArrayForEach(t, types) {
        a.type = keep(p->c, t->valuestring);
        MS_VEC_PUSH(&p->c->apis, a);
    }
    return 0;
}

static int parse_type(parse_ctx *p, const cJSON *obj, size_t index) {
    char where[96];
    snprintf(where, sizeof(where), "types[%zu]", index);
    if (!cJSON_IsObject(obj))
        return fail(p, where, "expected an object");
    ms_model_type t = {.lang = p->lang, .model = p->model};
    const cJSON *f;
    cJSON_ArrayForEach(f, obj) {
        const char *k = f->string;
        if (strcmp(k, "note") == 0)
            continue;
        if (strcmp(k, "has_capacity") == 0) {
            if (!cJSON_IsBool(f))
                return fail(p, where, "\"has_capacity\" must be true or false");
            t.has_capacity = cJSON_IsTrue(f);
            continue;
        }
        if (strcmp(k, "initial_capacity") == 0) {
            /* checked before the conversion: out-of-range doubles are UB */
            if (!cJSON_IsNumber(f) || f->valuedouble < 0 || f->valuedouble > 1e9 ||
                f->valuedouble != (double)(unsigned)f->valuedouble)
                return fail(p, where, "\"initial_capacity\" must be a whole number from 0 to 1e9");
            t.initial_capacity = (unsigned)f->valuedouble;
            continue;
        }
        if (!cJSON_IsString(f)) {
            return fail(p, where, "\"%s\" must be a string", k);
        }
        const char *v = f->valuestring;
        if (strcmp(k, "package") == 0) {
            t.package = keep(p->c, v);
        } else if (strcmp(k, "name") == 0) {
            t.name = keep(p->c, v);
        } else if (strcmp(k, "class") == 0) {
            for (size_t i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++)
                if (strcmp(v, class_names[i].name) == 0)
                    t.type_class = class_names[i].cls;
            if (!t.type_class) {
                return fail(p, where, "unknown class \"%.60s\"", v);
            }
        } else if (strcmp(k, "iteration") == 0) {
            bool found = false;
            for (size_t i = 0; i < sizeof(semantics_names) / sizeof(semantics_names[0]); i++) {
                if (strcmp(v, semantics_names[i].name) == 0) {
                    t.semantics = semantics_names[i].sem;
                    found = true;
                }
            }
            if (!found)
                return fail(p, where, "\"iteration\" must be go, ordered, unordered or strict");
        } else {
            return fail(p, where, "unknown field \"%.60s\"", k);
        }
    }
    if (!t.name)
        return fail(p, where, "missing \"name\"");
    if (!t.type_class)
        return fail(p, where, "missing \"class\"");
    MS_VEC_PUSH(&p->c->types, t);
    return 0;
}

static int parse_model(parse_ctx *p, const cJSON *root) {
    if (!cJSON_IsObject(root))
        return fail(p, "top level", "expected a JSON object");
    const cJSON *lang = cJSON_GetObjectItemCaseSensitive(root, "language");
    if (!cJSON_IsString(lang))
        return fail(p, "language", "missing; use \"go\", \"c\" or \"c++\"");
    if (strcmp(lang->valuestring, "go") == 0)
        p->lang = MS_MODEL_GO;
    else if (strcmp(lang->valuestring, "c") == 0)
        p->lang = MS_MODEL_C;
    else if (strcmp(lang->valuestring, "c++") == 0)
        p->lang = MS_MODEL_CXX;
    else
        return fail(p, "language", "must be \"go\", \"c\" or \"c++\"");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "model");
    if (!cJSON_IsString(name))
        return fail(p, "model", "missing: give the model a name");
    p->model = keep(p->c, name->valuestring);

    const cJSON *f;
    cJSON_ArrayForEach(f, root) {
        const char *k = f->string;
        if (strcmp(k, "language") == 0 || strcmp(k, "model") == 0 || strcmp(k, "description") == 0)
            continue;
        if (strcmp(k, "types") == 0 || strcmp(k, "apis") == 0) {
            if (!cJSON_IsArray(f))
                return fail(p, k, "expected an array");
            size_t i = 0;
            const cJSON *item;
            cJSON_ArrayForEach(item, f) {
                int rc = k[0] == 't' ? parse_type(p, item, i) : parse_api(p, item, i);
                if (rc != 0)
                    return -1;
                i++;
            }
            continue;
        }
        return fail(p, "top level", "unknown field \"%.60s\"", k);
    }
    return 0;
}

int ms_catalogue_add_json(ms_catalogue *c, const char *json, size_t len, const char *origin,
                          char **error) {
    cJSON *root = ms_json_parse(json, len, origin, error);
    if (!root)
        return -1;
    size_t old_apis = c->apis.len, old_types = c->types.len;
    parse_ctx p = {.c = c, .origin = origin, .error = error};
    int rc = parse_model(&p, root);
    cJSON_Delete(root);
    if (rc != 0) {
        c->apis.len = old_apis;
        c->types.len = old_types;
        return -1;
    }
    index_rebuild(&c->api_index, c->apis.len, api_key_at, c->apis.items);
    index_rebuild(&c->type_index, c->types.len, type_key_at, c->types.items);
    return 0;
}

int ms_catalogue_add_file(ms_catalogue *c, const char *path, char **error) {
    size_t len;
    int err;
    char *text = ms_read_file(path, &len, &err);
    if (!text) {
        char *why = ms_errno_text(err);
        *error = ms_xasprintf("%s: cannot read model: %s", path, why);
        free(why);
        return -1;
    }
    int rc = ms_catalogue_add_json(c, text, len, path, error);
    free(text);
    return rc;
}

int ms_catalogue_add_bundled(ms_catalogue *c, char **error) {
    for (size_t i = 0; i < ms_bundled_models_count; i++) {
        const ms_bundled_file *b = &ms_bundled_models[i];
        if (ms_catalogue_add_json(c, (const char *)b->data, b->size, b->name, error) != 0)
            return -1;
    }
    return 0;
}

/* ---- lookups ------------------------------------------------------------ */

static int find_api_index(const ms_catalogue *c, ms_model_lang lang, const char *pkg,
                          const char *type, const char *name, int arity) {
    model_key k = {lang, pkg, type, name, arity};
    return index_find(&c->api_index, &k, api_key_at, c->apis.items);
}

static const ms_model_api *find_api(const ms_catalogue *c, ms_model_lang lang, const char *pkg,
                                    const char *type, const char *name, int arity) {
    int i = find_api_index(c, lang, pkg, type, name, arity);
    if (i < 0 && lang == MS_MODEL_CXX)
        i = find_api_index(c, MS_MODEL_C, pkg, type, name, arity);
    return i < 0 ? NULL : &c->apis.items[i];
}

static const ms_model_api *find_api_n(const ms_catalogue *c, ms_model_lang lang, const char *pkg,
                                      const char *type, const char *name, int nargs) {
    const ms_model_api *a = nargs >= 0 ? find_api(c, lang, pkg, type, name, nargs) : NULL;
    return a ? a : find_api(c, lang, pkg, type, name, -1);
}

const ms_model_api *ms_catalogue_function(const ms_catalogue *c, ms_model_lang lang,
                                          const char *package, const char *function) {
    return find_api(c, lang, package, NULL, function, -1);
}

const ms_model_api *ms_catalogue_method(const ms_catalogue *c, ms_model_lang lang,
                                        const char *package, const char *type, const char *method) {
    const ms_model_api *a = find_api(c, lang, package, type, method, -1);
    return a ? a : find_api(c, lang, package, "*", method, -1);
}

const ms_model_api *ms_catalogue_function_n(const ms_catalogue *c, ms_model_lang lang,
                                            const char *package, const char *function, int nargs) {
    return find_api_n(c, lang, package, NULL, function, nargs);
}

const ms_model_api *ms_catalogue_method_n(const ms_catalogue *c, ms_model_lang lang,
                                          const char *package, const char *type, const char *method,
                                          int nargs) {
    const ms_model_api *a = find_api_n(c, lang, package, type, method, nargs);
    return a ? a : find_api_n(c, lang, package, "*", method, nargs);
}

static int find_type_index(const ms_catalogue *c, ms_model_lang lang, const char *package,
                           const char *name) {
    model_key k = {lang, package, NULL, name, -1};
    return index_find(&c->type_index, &k, type_key_at, c->types.items);
}

const ms_model_type *ms_catalogue_type(const ms_catalogue *c, ms_model_lang lang,
                                       const char *package, const char *name) {
    int i = find_type_index(c, lang, package, name);
    if (i < 0)
        i = find_type_index(c, lang, package, "*");
    if (i < 0 && lang == MS_MODEL_CXX)
        i = find_type_index(c, MS_MODEL_C, package, name);
    return i < 0 ? NULL : &c->types.items[i];
}

size_t ms_catalogue_api_count(const ms_catalogue *c) {
    return c->apis.len;
}

const ms_model_api *ms_catalogue_api_at(const ms_catalogue *c, size_t i) {
    return &c->apis.items[i];
}

size_t ms_catalogue_type_count(const ms_catalogue *c) {
    return c->types.len;
}

const ms_model_type *ms_catalogue_type_at(const ms_catalogue *c, size_t i) {
    return &c->types.items[i];
}
