/* The model catalogue: map, lock and thread APIs described as data.
 *
 * Bundled models (the JSON files in rules/models) are compiled into the binary; users add
 * their own with --model FILE.json. The format is documented in
 * rules/models/README.md. Frontends ask the catalogue what a call or a type
 * means; the catalogue is read-only once loaded and shared by all workers. */
#ifndef MAPSAFE_MODEL_H
#define MAPSAFE_MODEL_H

#include "ir.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum ms_model_lang {
    MS_MODEL_GO = 1,
    MS_MODEL_C,   /* C APIs, usable from C and C++ */
    MS_MODEL_CXX, /* C++ only */
} ms_model_lang;

typedef enum ms_model_role {
    MS_ROLE_NONE = 0,
    MS_ROLE_MAP_INSERT,
    MS_ROLE_MAP_ERASE,
    MS_ROLE_MAP_ERASE_RANGE,
    MS_ROLE_MAP_CLEAR,
    MS_ROLE_MAP_READ,
    MS_ROLE_MAP_REHASH,
    MS_ROLE_MAP_REPLACE,
    MS_ROLE_MAP_NEW,     /* constructor; capacity names the hint argument */
    MS_ROLE_MAP_RESERVE, /* capacity call on an existing map */
    MS_ROLE_MAP_FOREACH, /* calls callback for each entry, passing data */
    MS_ROLE_MAP_VIEW,    /* returns a view of map: live or a copy */
    MS_ROLE_ITER_INIT,
    MS_ROLE_ITER_NEXT,
    MS_ROLE_ITER_MUTATE, /* mutation through the iterator that keeps it valid */
    MS_ROLE_ITER_END,    /* the past-the-end iterator: a loop comparing with it iterates */
    MS_ROLE_LOCK_ACQUIRE,
    MS_ROLE_LOCK_RELEASE,
    MS_ROLE_LOCK_GUARD, /* RAII type: constructing locks, destruction unlocks */
    MS_ROLE_SPAWN,
    MS_ROLE_JOIN,
    MS_ROLE_NORETURN,
} ms_model_role;

/* Argument references: 0-based explicit argument index, or one of these.
 * MS_ARG_ALL: every argument (std::scoped_lock locks all it is given). */
enum { MS_ARG_NONE = -100, MS_ARG_RECEIVER = -1, MS_ARG_RETURN = -2, MS_ARG_ALL = -3 };

typedef struct ms_model_api {
    ms_model_lang lang;
    const char *package; /* Go import path, or NULL */
    const char *type;    /* receiver type for methods (or "*"), guard type for lock-guard */
    const char *method;
    const char *function;
    ms_model_role role;
    int map, key, iterator, lock, entry, data, callback, capacity;
    int value;         /* iter-next: where the current value is stored */
    int handle;        /* spawn: the thread handle it fills (pthread_t *), or "return" */
    int data_param;    /* spawn, map-foreach: the entry's parameter that receives data */
    int arity;         /* the overload with this many explicit arguments; -1: any */
    uint8_t mode;      /* ms_lock_mode */
    uint8_t spawn;     /* ms_spawn_kind */
    uint8_t join;      /* ms_join_kind */
    bool live;         /* map-view: iterates the live map */
    const char *model; /* name of the model file it came from */
} ms_model_api;

typedef struct ms_model_type {
    ms_model_lang lang;
    const char *package;
    const char *name; /* or "*" for every type of the package */
    ms_type_class type_class;
    ms_iter_semantics semantics;
    bool has_capacity;         /* constructor hint or reserve exists */
    unsigned initial_capacity; /* entries held before the first growth */
    const char *model;
} ms_model_type;

typedef struct ms_catalogue ms_catalogue;

ms_catalogue *ms_catalogue_new(void);
void ms_catalogue_free(ms_catalogue *c);
/* Adds every model compiled into mapsafe. */
int ms_catalogue_add_bundled(ms_catalogue *c, char **error);
/* Adds a model from JSON text; `origin` names it in messages. Later models
 * override earlier ones for the same API. Returns 0, or -1 with *error set to
 * a malloc'd message that points at the problem. */
int ms_catalogue_add_json(ms_catalogue *c, const char *json, size_t len, const char *origin,
                          char **error);
int ms_catalogue_add_file(ms_catalogue *c, const char *path, char **error);

/* Lookups; package may be NULL for C and C++. C lookups also serve C++.
 * The _n forms prefer the entry for that many arguments (the model's
 * "arity"), then one for any number. */
const ms_model_api *ms_catalogue_function(const ms_catalogue *c, ms_model_lang lang,
                                          const char *package, const char *function);
const ms_model_api *ms_catalogue_method(const ms_catalogue *c, ms_model_lang lang,
                                        const char *package, const char *type, const char *method);
const ms_model_api *ms_catalogue_function_n(const ms_catalogue *c, ms_model_lang lang,
                                            const char *package, const char *function, int nargs);
const ms_model_api *ms_catalogue_method_n(const ms_catalogue *c, ms_model_lang lang,
                                          const char *package, const char *type, const char *method,
                                          int nargs);
const ms_model_type *ms_catalogue_type(const ms_catalogue *c, ms_model_lang lang,
                                       const char *package, const char *name);
/* Iteration over everything loaded, for frontends that index by their own keys. */
size_t ms_catalogue_api_count(const ms_catalogue *c);
const ms_model_api *ms_catalogue_api_at(const ms_catalogue *c, size_t i);
size_t ms_catalogue_type_count(const ms_catalogue *c);
const ms_model_type *ms_catalogue_type_at(const ms_catalogue *c, size_t i);

/* The bundled model texts, generated from rules/models at build time. */
typedef struct ms_bundled_file {
    const char *name;
    const unsigned char *data;
    size_t size;
} ms_bundled_file;
extern const ms_bundled_file ms_bundled_models[];
extern const size_t ms_bundled_models_count;

#endif
