#include "go_internal.h"

#include <string.h>

/* Type resolution is deliberately partial: when a type cannot be known from
 * the package's own source (a call into another package, say), it is
 * unknown, and rules stay silent about values of unknown type. */

enum { MAX_TYPE_DEPTH = 64 };

static const go_type unknown_type = {.kind = GT_UNKNOWN};

const go_type *go_type_unknown(void) {
    return &unknown_type;
}

static go_type *new_type(go_pkg *p, go_type_kind kind, uint32_t file) {
    go_type *t = MS_NEW(p->arena, go_type);
    t->kind = (uint8_t)kind;
    t->file = file;
    return t;
}

static const go_type *basic(go_pkg *p, const char *name) {
    go_type *t = new_type(p, GT_BASIC, 0);
    t->name = ms_intern_cstr(p->names, name);
    return t;
}

static bool is_builtin_type_name(const char *n) {
    static const char *const names[] = {
        "bool",   "byte",   "complex64", "complex128", "error", "float32",    "float64", "int",
        "int8",   "int16",  "int32",     "int64",      "rune",  "string",     "uint",    "uint8",
        "uint16", "uint32", "uint64",    "uintptr",    "any",   "comparable",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(n, names[i]) == 0)
            return true;
    return false;
}

static const go_type *named_type(go_pkg *p, go_decl *d) {
    if (d->type && d->type->kind == GT_NAMED)
        return d->type;
    go_type *t = new_type(p, GT_NAMED, d->file);
    t->name = d->name;
    t->decl = d;
    /* Cache the handle on the declaration; the underlying type is resolved
     * separately by go_type_underlying. */
    d->type = t;
    return t;
}

static const go_type *from_node(go_pkg *p, uint32_t file, TSNode n, int depth);

static const go_type *first_named(go_pkg *p, uint32_t file, TSNode n, int depth) {
    if (go_named_count(n) != 1)
        return &unknown_type;
    return from_node(p, file, go_named(n, 0), depth + 1);
}

static const go_type *from_node(go_pkg *p, uint32_t file, TSNode n, int depth) {
    if (ts_node_is_null(n) || depth > MAX_TYPE_DEPTH)
        return &unknown_type;
    const go_grammar *g = p->g;
    go_type *t;
    switch (go_kind_of(g, n)) {
        case GK_TYPE_IDENTIFIER:
        case GK_IDENTIFIER: {
            const char *name = go_node_text(p, file, n);
            const go_binding *b = go_scope_lookup(&p->scope, name);
            if (b && b->type_def)
                return b->type_def;
            if (b)
                return &unknown_type; /* a variable, not a type */
            go_decl *d = go_pkg_decl(p, name);
            if (d && d->kind == GD_TYPE)
                return d->alias ? go_type_of_decl(p, d) : named_type(p, d);
            if (is_builtin_type_name(name))
                return basic(p, name);
            return &unknown_type;
        }
        case GK_QUALIFIED_TYPE: {
            TSNode pkg = go_field(n, g->f_package), name = go_field(n, g->f_name);
            if (ts_node_is_null(pkg) || ts_node_is_null(name))
                return &unknown_type;
            const char *path = go_import_path(&p->files[file], go_node_text(p, file, pkg));
            if (!path)
                return &unknown_type;
            t = new_type(p, GT_EXTERNAL, file);
            t->pkg = path;
            t->name = go_node_text(p, file, name);
            return t;
        }
        case GK_GENERIC_TYPE:
            return from_node(p, file, go_field(n, g->f_type), depth + 1);
        case GK_POINTER_TYPE:
            t = new_type(p, GT_POINTER, file);
            t->elem = first_named(p, file, n, depth);
            return t;
        case GK_MAP_TYPE:
            t = new_type(p, GT_MAP, file);
            t->key = from_node(p, file, go_field(n, g->f_key), depth + 1);
            t->elem = from_node(p, file, go_field(n, g->f_value), depth + 1);
            t->node = n;
            return t;
        case GK_SLICE_TYPE:
            t = new_type(p, GT_SLICE, file);
            t->elem = from_node(p, file, go_field(n, g->f_element), depth + 1);
            return t;
        case GK_ARRAY_TYPE:
        case GK_IMPLICIT_LENGTH_ARRAY_TYPE:
            t = new_type(p, GT_ARRAY, file);
            t->elem = from_node(p, file, go_field(n, g->f_element), depth + 1);
            t->node = n; /* its length, for trip counts */
            return t;
        case GK_CHANNEL_TYPE:
            t = new_type(p, GT_CHAN, file);
            t->elem = from_node(p, file, go_field(n, g->f_value), depth + 1);
            return t;
        case GK_FUNCTION_TYPE:
            t = new_type(p, GT_FUNC, file);
            t->node = n;
            return t;
        case GK_STRUCT_TYPE:
            t = new_type(p, GT_STRUCT, file);
            t->node = n;
            return t;
        case GK_INTERFACE_TYPE:
            t = new_type(p, GT_INTERFACE, file);
            t->node = n;
            return t;
        case GK_PARENTHESIZED_TYPE:
        case GK_NEGATED_TYPE:
        case GK_TYPE_CONSTRAINT:
        case GK_TYPE_ELEM:
            return first_named(p, file, n, depth);
        default:
            return &unknown_type;
    }
}

const go_type *go_type_from_node(go_pkg *p, uint32_t file, TSNode n) {
    return from_node(p, file, n, 0);
}

static const go_type *underlying(go_pkg *p, const go_type *t, int depth);

/* A constraint interface whose type set is one map type (~map[K]V) has that
 * map as its core type, which is what indexing and ranging see. */
static const go_type *interface_core(go_pkg *p, const go_type *t, int depth) {
    if (ts_node_is_null(t->node))
        return t;
    const go_type *core = NULL;
    go_children it;
    TSNode child;
    go_children_begin(&it, p->g, t->node);
    while (go_children_next(&it, &child)) {
        if (go_kind_of(p->g, child) != GK_TYPE_ELEM)
            continue;
        /* Invalid code can make an interface embed itself: depth bounds it. */
        const go_type *elem = underlying(p, first_named(p, t->file, child, depth), depth + 1);
        if (core || elem->kind != GT_MAP) {
            core = NULL;
            break;
        }
        core = elem;
    }
    go_children_end(&it);
    return core ? core : t;
}

static const go_type *underlying(go_pkg *p, const go_type *t, int depth) {
    for (; t && depth < MAX_TYPE_DEPTH; depth++) {
        if (t->kind == GT_INTERFACE)
            return interface_core(p, t, depth + 1);
        if (t->kind != GT_NAMED)
            return t;
        go_decl *d = t->decl;
        if (!d || d->resolving)
            return &unknown_type;
        d->resolving = 1;
        const go_type *u = from_node(p, d->file, d->type_node, depth);
        d->resolving = 0;
        t = u;
    }
    return t && depth < MAX_TYPE_DEPTH ? t : &unknown_type;
}

const go_type *go_type_underlying(go_pkg *p, const go_type *t) {
    return underlying(p, t, 0);
}

const go_type *go_type_deref(go_pkg *p, const go_type *t) {
    const go_type *u = go_type_underlying(p, t);
    return u->kind == GT_POINTER && u->elem ? u->elem : t;
}

const go_type *go_type_pointer_to(go_pkg *p, const go_type *t) {
    go_type *ptr = new_type(p, GT_POINTER, t->file);
    ptr->elem = t;
    return ptr;
}

bool go_type_is_map(go_pkg *p, const go_type *t) {
    if (!t)
        return false;
    if (t->kind == GT_EXTERNAL) {
        /* Map types of other packages (url.Values, http.Header) are known
         * from the model catalogue. */
        const ms_model_type *m = ms_catalogue_type(p->cat, MS_MODEL_GO, t->pkg, t->name);
        return m && m->type_class == MS_TC_MAP;
    }
    return go_type_underlying(p, t)->kind == GT_MAP;
}

bool go_type_external(go_pkg *p, const go_type *t, const char **pkg, const char **name) {
    for (int depth = 0; t && depth < 4; depth++) {
        if (t->kind == GT_EXTERNAL) {
            *pkg = t->pkg;
            *name = t->name;
            return true;
        }
        if (t->kind == GT_POINTER) {
            t = t->elem;
            continue;
        }
        if (t->kind == GT_NAMED) {
            /* type myMutex sync.Mutex keeps the behaviour of sync.Mutex only
             * for its methods through embedding; a defined type drops them. */
            return false;
        }
        return false;
    }
    return false;
}

ms_type_class go_type_class(go_pkg *p, const go_type *t) {
    /* Through pointers (*sync.Mutex is still a lock), a few levels at most:
     * `type P *P` is legal Go. */
    for (int depth = 0; depth < 4; depth++) {
        if (!t || t->kind == GT_UNKNOWN)
            return MS_TC_UNKNOWN;
        const char *pkg, *name;
        if (go_type_external(p, t, &pkg, &name)) {
            const ms_model_type *m = ms_catalogue_type(p->cat, MS_MODEL_GO, pkg, name);
            return m ? m->type_class : MS_TC_OTHER;
        }
        const go_type *u = go_type_underlying(p, t);
        switch (u->kind) {
            case GT_MAP:
                /* a pointer to a map is not itself indexable */
                return depth == 0 ? MS_TC_MAP : MS_TC_OTHER;
            case GT_CHAN:
                return MS_TC_CHANNEL;
            case GT_UNKNOWN:
                return MS_TC_UNKNOWN;
            case GT_POINTER:
                t = u->elem;
                continue;
            default:
                return MS_TC_OTHER;
        }
    }
    return MS_TC_UNKNOWN;
}

const char *go_type_named(go_pkg *p, const go_type *t) {
    if (!t)
        return NULL;
    if (t->kind == GT_POINTER)
        t = t->elem;
    return t && t->kind == GT_NAMED ? t->name : NULL;
}

/* The name an embedded field is known by: its type name. */
static const char *embedded_name(go_pkg *p, uint32_t file, TSNode type) {
    for (int i = 0; i < 4 && !ts_node_is_null(type); i++) {
        switch (go_kind_of(p->g, type)) {
            case GK_POINTER_TYPE:
                type = go_named(type, 0);
                break;
            case GK_GENERIC_TYPE:
                type = go_field(type, p->g->f_type);
                break;
            case GK_QUALIFIED_TYPE:
                type = go_field(type, p->g->f_name);
                break;
            case GK_TYPE_IDENTIFIER:
                return go_node_text(p, file, type);
            default:
                return NULL;
        }
    }
    return NULL;
}

static const go_type *field_in(go_pkg *p, const go_type *t, const char *field, const char **via,
                               int depth) {
    if (depth > 3)
        return NULL;
    const go_type *st = go_type_underlying(p, go_type_deref(p, t));
    if (st->kind != GT_STRUCT || ts_node_is_null(st->node))
        return NULL;
    TSNode list = go_named(st->node, 0);
    const go_type *found = NULL;
    MS_VEC(TSNode) embedded = {0};
    go_children it;
    TSNode fd;
    go_children_begin(&it, p->g, list);
    while (!found && go_children_next(&it, &fd)) {
        if (go_kind_of(p->g, fd) != GK_FIELD_DECLARATION)
            continue;
        TSNode type = go_field(fd, p->g->f_type);
        bool named = false;
        uint32_t count = ts_node_child_count(fd);
        for (uint32_t i = 0; i < count; i++) {
            const char *fname = ts_node_field_name_for_child(fd, i);
            if (!fname || strcmp(fname, "name") != 0)
                continue;
            named = true;
            if (go_node_text(p, st->file, ts_node_child(fd, i)) == field) {
                found = from_node(p, st->file, type, 0);
                break;
            }
        }
        if (!named && !found) {
            if (embedded_name(p, st->file, type) == field)
                found = from_node(p, st->file, type, 0);
            else
                MS_VEC_PUSH(&embedded, fd);
        }
    }
    go_children_end(&it);
    if (found) {
        MS_VEC_FREE(&embedded);
        return found;
    }
    /* Promoted fields of embedded structs, shallowest first. */
    for (size_t i = 0; i < embedded.len && !found; i++) {
        TSNode type = go_field(embedded.items[i], p->g->f_type);
        const go_type *et = from_node(p, st->file, type, 0);
        const char *inner_via = NULL;
        found = field_in(p, et, field, &inner_via, depth + 1);
        if (found)
            *via = embedded_name(p, st->file, type);
    }
    MS_VEC_FREE(&embedded);
    return found;
}

const go_type *go_type_field(go_pkg *p, const go_type *t, const char *field, const char **via) {
    *via = NULL;
    return field_in(p, t, field, via, 0);
}

uint32_t go_method_of(go_pkg *p, const go_type *t, const char *method, const char **via) {
    *via = NULL;
    const char *name = go_type_named(p, t);
    if (!name)
        return MS_NONE;
    uint32_t f = go_pkg_method(p, name, method);
    if (f)
        return f;
    /* Methods promoted from an embedded field of this package's types. */
    const go_type *st = go_type_underlying(p, go_type_deref(p, t));
    if (st->kind != GT_STRUCT || ts_node_is_null(st->node))
        return MS_NONE;
    TSNode list = go_named(st->node, 0);
    go_children it;
    TSNode fd;
    go_children_begin(&it, p->g, list);
    while (!f && go_children_next(&it, &fd)) {
        if (go_kind_of(p->g, fd) != GK_FIELD_DECLARATION ||
            !ts_node_is_null(go_field(fd, p->g->f_name)))
            continue;
        TSNode type = go_field(fd, p->g->f_type);
        const char *ename = embedded_name(p, st->file, type);
        const go_type *et = from_node(p, st->file, type, 0);
        const char *etname = go_type_named(p, et);
        if (etname && (f = go_pkg_method(p, etname, method)))
            *via = ename;
    }
    go_children_end(&it);
    return f;
}

const go_type *go_type_of_decl(go_pkg *p, go_decl *d) {
    if (d->kind == GD_TYPE) {
        if (!d->alias)
            return named_type(p, d);
        if (d->type)
            return d->type;
        if (d->resolving)
            return &unknown_type;
        d->resolving = 1;
        d->type = from_node(p, d->file, d->type_node, 0);
        d->resolving = 0;
        return d->type;
    }
    if (d->kind == GD_FUNC) {
        if (!d->type) {
            go_type *t = new_type(p, GT_FUNC, d->file);
            t->node = d->node;
            d->type = t;
        }
        return d->type;
    }
    if (d->type)
        return d->type;
    if (d->resolving)
        return &unknown_type;
    d->resolving = 1;
    const go_type *t = &unknown_type;
    if (!ts_node_is_null(d->type_node)) {
        t = from_node(p, d->file, d->type_node, 0);
    } else if (!ts_node_is_null(d->value)) {
        t = go_expr_type(p, d->file, d->value);
        if (t->kind == GT_TUPLE)
            t = go_tuple_item(t, d->value_index);
    }
    d->resolving = 0;
    d->type = t;
    if (d->sym && d->sym < p->sym_types.len)
        p->sym_types.items[d->sym] = t;
    return t;
}

const go_type *go_tuple_item(const go_type *t, uint32_t i) {
    if (!t)
        return &unknown_type;
    if (t->kind != GT_TUPLE)
        return i == 0 ? t : &unknown_type;
    return i < t->nitems ? t->items[i] : &unknown_type;
}

const go_type *go_signature_results(go_pkg *p, uint32_t file, TSNode fn) {
    TSNode result = go_field(fn, p->g->f_result);
    if (ts_node_is_null(result))
        return &unknown_type;
    if (go_kind_of(p->g, result) != GK_PARAMETER_LIST)
        return from_node(p, file, result, 0);
    MS_VEC(const go_type *) items = {0};
    go_children it;
    TSNode decl;
    go_children_begin(&it, p->g, result);
    while (go_children_next(&it, &decl)) {
        const go_type *t = from_node(p, file, go_field(decl, p->g->f_type), 0);
        uint32_t names = 0, count = ts_node_child_count(decl);
        for (uint32_t i = 0; i < count; i++) {
            const char *fname = ts_node_field_name_for_child(decl, i);
            if (fname && strcmp(fname, "name") == 0)
                names++;
        }
        for (uint32_t k = 0; k < (names ? names : 1); k++)
            MS_VEC_PUSH(&items, t);
    }
    go_children_end(&it);
    const go_type *out = &unknown_type;
    if (items.len == 1) {
        out = items.items[0];
    } else if (items.len > 1) {
        go_type *tuple = new_type(p, GT_TUPLE, file);
        tuple->items = MS_NEW_ARRAY(p->arena, const go_type *, items.len);
        memcpy(tuple->items, items.items, sizeof(*items.items) * items.len);
        tuple->nitems = (uint32_t)items.len;
        out = tuple;
    }
    MS_VEC_FREE(&items);
    return out;
}

/* ---- expressions ------------------------------------------------------------ */

static const go_type *expr_type(go_pkg *p, uint32_t file, TSNode e, int depth);

static const go_type *ident_type(go_pkg *p, uint32_t file, TSNode e) {
    const char *name = go_node_text(p, file, e);
    const go_binding *b = go_scope_lookup(&p->scope, name);
    if (b) {
        if (b->type_def)
            return &unknown_type; /* a type name used as a value */
        const go_type *t = b->sym < p->sym_types.len ? p->sym_types.items[b->sym] : NULL;
        return t ? t : &unknown_type;
    }
    go_decl *d = go_pkg_decl(p, name);
    if (d && (d->kind == GD_VAR || d->kind == GD_FUNC))
        return go_type_of_decl(p, d);
    if (d && d->kind == GD_CONST) {
        if (!ts_node_is_null(d->type_node))
            return from_node(p, d->file, d->type_node, 0);
        return basic(p, "int");
    }
    return &unknown_type;
}

/* The type a callee expression names when the call is a conversion T(x). */
static const go_type *conversion_type(go_pkg *p, uint32_t file, TSNode fn) {
    go_kind k = go_kind_of(p->g, fn);
    if (k == GK_IDENTIFIER) {
        const char *name = go_node_text(p, file, fn);
        const go_binding *b = go_scope_lookup(&p->scope, name);
        if (b)
            return b->type_def;
        go_decl *d = go_pkg_decl(p, name);
        if (d && d->kind == GD_TYPE)
            return go_type_of_decl(p, d);
        return NULL;
    }
    if (k == GK_PARENTHESIZED_EXPRESSION)
        return NULL;
    if (k == GK_MAP_TYPE || k == GK_SLICE_TYPE || k == GK_POINTER_TYPE || k == GK_ARRAY_TYPE ||
        k == GK_GENERIC_TYPE || k == GK_QUALIFIED_TYPE || k == GK_PARENTHESIZED_TYPE)
        return from_node(p, file, fn, 0);
    return NULL;
}

/* Constructors of other packages whose results the concurrency rules need
 * to recognise: the group of errgroup.WithContext, and the routers whose
 * handler registrations rules/models/go.json lists. */
static const go_type *library_result(go_pkg *p, uint32_t file, const char *path,
                                     const char *fname) {
    static const struct {
        const char *path, *function, *pkg, *type;
        bool tuple; /* (T, something else) */
    } results[] = {
        {"golang.org/x/sync/errgroup", "WithContext", "golang.org/x/sync/errgroup", "Group", true},
        {"net/http", "NewServeMux", "net/http", "ServeMux", false},
        {"github.com/gorilla/mux", "NewRouter", "github.com/gorilla/mux", "Router", false},
        {"github.com/go-chi/chi/v5", "NewRouter", "github.com/go-chi/chi/v5", "Mux", false},
        {"github.com/go-chi/chi/v5", "NewMux", "github.com/go-chi/chi/v5", "Mux", false},
        {"github.com/gin-gonic/gin", "Default", "github.com/gin-gonic/gin", "Engine", false},
        {"github.com/gin-gonic/gin", "New", "github.com/gin-gonic/gin", "Engine", false},
        {"github.com/labstack/echo/v4", "New", "github.com/labstack/echo/v4", "Echo", false},
    };
    for (size_t i = 0; i < sizeof(results) / sizeof(results[0]); i++) {
        if (strcmp(path, results[i].path) != 0 || strcmp(fname, results[i].function) != 0)
            continue;
        go_type *named = new_type(p, GT_EXTERNAL, file);
        named->pkg = ms_intern_cstr(p->names, results[i].pkg);
        named->name = ms_intern_cstr(p->names, results[i].type);
        const go_type *ptr = go_type_pointer_to(p, named);
        if (!results[i].tuple)
            return ptr;
        go_type *tuple = new_type(p, GT_TUPLE, file);
        tuple->items = MS_NEW_ARRAY(p->arena, const go_type *, 2);
        tuple->items[0] = ptr;
        tuple->items[1] = &unknown_type;
        tuple->nitems = 2;
        return tuple;
    }
    return NULL;
}

static const go_type *call_type(go_pkg *p, uint32_t file, TSNode e, int depth) {
    const go_grammar *g = p->g;
    TSNode fn = go_field(e, g->f_function);
    TSNode args = go_field(e, g->f_arguments);
    go_kind fk = go_kind_of(g, fn);
    /* Strip explicit instantiation: F[int](x). */
    if (fk == GK_INDEX_EXPRESSION || fk == GK_TYPE_INSTANTIATION_EXPRESSION) {
        TSNode base =
            fk == GK_INDEX_EXPRESSION ? go_field(fn, g->f_operand) : go_field(fn, g->f_type);
        if (!ts_node_is_null(base)) {
            fn = base;
            fk = go_kind_of(g, fn);
        }
    }
    if (fk == GK_IDENTIFIER) {
        const char *name = go_node_text(p, file, fn);
        bool local = go_scope_lookup(&p->scope, name) != NULL;
        go_decl *d = local ? NULL : go_pkg_decl(p, name);
        if (!local && !d) {
            TSNode a0 = go_named(args, 0);
            if (name == p->universe_make && !ts_node_is_null(a0))
                return from_node(p, file, a0, 0);
            if (name == p->universe_new && !ts_node_is_null(a0))
                return go_type_pointer_to(p, from_node(p, file, a0, 0));
            if (name == p->universe_append || strcmp(name, "min") == 0 || strcmp(name, "max") == 0)
                return ts_node_is_null(a0) ? &unknown_type : expr_type(p, file, a0, depth + 1);
            if (name == p->universe_len || strcmp(name, "cap") == 0 || strcmp(name, "copy") == 0)
                return basic(p, "int");
        }
        if (d && d->kind == GD_FUNC)
            return go_signature_results(p, d->file, d->node);
        const go_type *conv = conversion_type(p, file, fn);
        if (conv)
            return conv;
        const go_type *ft = go_type_underlying(p, ident_type(p, file, fn));
        if (ft->kind == GT_FUNC && !ts_node_is_null(ft->node))
            return go_signature_results(p, ft->file, ft->node);
        return &unknown_type;
    }
    if (fk == GK_SELECTOR_EXPRESSION) {
        TSNode operand = go_field(fn, g->f_operand), field = go_field(fn, g->f_field);
        if (go_kind_of(g, operand) == GK_IDENTIFIER) {
            const char *oname = go_node_text(p, file, operand);
            const char *path = go_scope_lookup(&p->scope, oname) || go_pkg_decl(p, oname)
                                   ? NULL
                                   : go_import_path(&p->files[file], oname);
            if (path) {
                /* Calls into other packages: only results the rules need. */
                const char *fname = go_node_text(p, file, field);
                TSNode a0 = go_named(args, 0);
                if ((strcmp(path, "maps") == 0 || strcmp(path, "slices") == 0) &&
                    strcmp(fname, "Clone") == 0 && !ts_node_is_null(a0))
                    return expr_type(p, file, a0, depth + 1);
                const go_type *known = library_result(p, file, path, fname);
                return known ? known : &unknown_type;
            }
        }
        const go_type *recv = expr_type(p, file, operand, depth + 1);
        const char *mname = go_node_text(p, file, field);
        const char *via;
        uint32_t m = go_method_of(p, recv, mname, &via);
        if (m) {
            return go_signature_results(p, p->funcs.items[m].span.file, p->func_nodes.items[m]);
        }
        const go_type *ft = go_type_underlying(p, go_type_field(p, recv, mname, &via));
        if (ft && ft->kind == GT_FUNC && !ts_node_is_null(ft->node))
            return go_signature_results(p, ft->file, ft->node);
        return &unknown_type;
    }
    if (fk == GK_FUNC_LITERAL)
        return go_signature_results(p, file, fn);
    const go_type *conv = conversion_type(p, file, fn);
    return conv ? conv : &unknown_type;
}

static const go_type *expr_type(go_pkg *p, uint32_t file, TSNode e, int depth) {
    if (ts_node_is_null(e) || depth > MAX_TYPE_DEPTH)
        return &unknown_type;
    const go_grammar *g = p->g;
    switch (go_kind_of(g, e)) {
        case GK_IDENTIFIER:
            return ident_type(p, file, e);
        case GK_PARENTHESIZED_EXPRESSION:
            return expr_type(p, file, go_named(e, 0), depth + 1);
        case GK_CALL_EXPRESSION:
            return call_type(p, file, e, depth);
        case GK_COMPOSITE_LITERAL:
            return from_node(p, file, go_field(e, g->f_type), 0);
        case GK_FUNC_LITERAL: {
            go_type *t = new_type(p, GT_FUNC, file);
            t->node = e;
            return t;
        }
        case GK_SELECTOR_EXPRESSION: {
            TSNode operand = go_field(e, g->f_operand);
            if (go_kind_of(g, operand) == GK_IDENTIFIER) {
                const char *oname = go_node_text(p, file, operand);
                if (!go_scope_lookup(&p->scope, oname) && !go_pkg_decl(p, oname) &&
                    go_import_path(&p->files[file], oname))
                    return &unknown_type; /* a variable of another package */
            }
            const go_type *base = expr_type(p, file, operand, depth + 1);
            const char *fname = go_node_text(p, file, go_field(e, g->f_field));
            const char *via;
            const go_type *ft = go_type_field(p, base, fname, &via);
            if (ft)
                return ft;
            uint32_t m = go_method_of(p, base, fname, &via);
            if (m) {
                go_type *t = new_type(p, GT_FUNC, p->funcs.items[m].span.file);
                return t;
            }
            return &unknown_type;
        }
        case GK_INDEX_EXPRESSION: {
            const go_type *base =
                go_type_underlying(p, expr_type(p, file, go_field(e, g->f_operand), depth + 1));
            if (base->kind == GT_POINTER && base->elem)
                base = go_type_underlying(p, base->elem);
            if ((base->kind == GT_MAP || base->kind == GT_SLICE || base->kind == GT_ARRAY) &&
                base->elem)
                return base->elem;
            if (base->kind == GT_BASIC && base->name && strcmp(base->name, "string") == 0)
                return basic(p, "byte");
            return &unknown_type;
        }
        case GK_SLICE_EXPRESSION:
            return expr_type(p, file, go_field(e, g->f_operand), depth + 1);
        case GK_UNARY_EXPRESSION: {
            TSNode op = go_field(e, g->f_operator);
            const char *ops = ts_node_is_null(op) ? "" : ts_node_type(op);
            const go_type *t = expr_type(p, file, go_field(e, g->f_operand), depth + 1);
            if (strcmp(ops, "&") == 0)
                return go_type_pointer_to(p, t);
            if (strcmp(ops, "*") == 0) {
                const go_type *u = go_type_underlying(p, t);
                return u->kind == GT_POINTER && u->elem ? u->elem : &unknown_type;
            }
            if (strcmp(ops, "<-") == 0) {
                const go_type *u = go_type_underlying(p, t);
                return u->kind == GT_CHAN && u->elem ? u->elem : &unknown_type;
            }
            if (strcmp(ops, "!") == 0)
                return basic(p, "bool");
            return t;
        }
        case GK_BINARY_EXPRESSION: {
            TSNode op = go_field(e, g->f_operator);
            const char *ops = ts_node_is_null(op) ? "" : ts_node_type(op);
            if (strcmp(ops, "==") == 0 || strcmp(ops, "!=") == 0 || strcmp(ops, "<") == 0 ||
                strcmp(ops, ">") == 0 || strcmp(ops, "<=") == 0 || strcmp(ops, ">=") == 0 ||
                strcmp(ops, "&&") == 0 || strcmp(ops, "||") == 0)
                return basic(p, "bool");
            return expr_type(p, file, go_field(e, g->f_left), depth + 1);
        }
        case GK_TYPE_ASSERTION_EXPRESSION:
        case GK_TYPE_CONVERSION_EXPRESSION:
            return from_node(p, file, go_field(e, g->f_type), 0);
        case GK_INT_LITERAL:
            return basic(p, "int");
        case GK_INTERPRETED_STRING_LITERAL:
        case GK_RAW_STRING_LITERAL:
            return basic(p, "string");
        default:
            return &unknown_type;
    }
}

const go_type *go_expr_type(go_pkg *p, uint32_t file, TSNode e) {
    return expr_type(p, file, e, 0);
}

/* Searches the embedded fields of t exactly `depth` levels down. */
static const ms_model_api *model_method_at(go_pkg *p, const go_type *t, const char *method,
                                           go_via *via, uint8_t depth) {
    const go_type *st = go_type_underlying(p, go_type_deref(p, t));
    if (st->kind != GT_STRUCT || ts_node_is_null(st->node))
        return NULL;
    const ms_model_api *found = NULL;
    TSNode list = go_named(st->node, 0);
    go_children it;
    TSNode fd;
    go_children_begin(&it, p->g, list);
    while (!found && go_children_next(&it, &fd)) {
        if (go_kind_of(p->g, fd) != GK_FIELD_DECLARATION ||
            !ts_node_is_null(go_field(fd, p->g->f_name)))
            continue;
        TSNode type = go_field(fd, p->g->f_type);
        const go_type *ft = from_node(p, st->file, type, 0);
        const char *pkg, *name;
        bool external = go_type_external(p, ft, &pkg, &name);
        if (depth == 0) {
            found = external ? ms_catalogue_method(p->cat, MS_MODEL_GO, pkg, name, method) : NULL;
            if (found)
                via->steps[via->n++] = name;
        } else if (!external && (name = embedded_name(p, st->file, type)) != NULL) {
            via->steps[via->n++] = name;
            found = model_method_at(p, ft, method, via, (uint8_t)(depth - 1));
            if (!found)
                via->n--;
        }
    }
    go_children_end(&it);
    return found;
}

const ms_model_api *go_embedded_model_method(go_pkg *p, const go_type *t, const char *method,
                                             go_via *via) {
    via->n = 0;
    for (uint8_t depth = 0; depth < GO_VIA_MAX; depth++) {
        const ms_model_api *found = model_method_at(p, t, method, via, depth);
        if (found)
            return found;
    }
    return NULL;
}
