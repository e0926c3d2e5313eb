/* Shared declarations of the Go frontend's parts:
 *   go_grammar.c  node kinds and field ids of tree-sitter-go
 *   go_decls.c    package-level declarations, imports and methods
 *   go_types.c    types of declarations and expressions, as far as rules need
 *   go_scope.c    lexical scopes while lowering a function
 *   go_lower*.c   function bodies to the IR (statements, expressions, calls)
 *   go_frontend.c parsing a package and driving the above
 */
#ifndef MAPSAFE_GO_INTERNAL_H
#define MAPSAFE_GO_INTERNAL_H

#include "arena.h"
#include "intern.h"
#include "ir.h"
#include "model.h"
#include "report.h"
#include "source.h"
#include "vec.h"

#include <tree_sitter/api.h>

/* ---- grammar ------------------------------------------------------------ */

typedef enum go_kind {
    GK_OTHER = 0,
#define GO_KIND(id, name) id,
#include "go_kinds.def"
#undef GO_KIND
    GK_COUNT
} go_kind;

typedef struct go_grammar {
    const TSLanguage *lang;
    uint8_t *kinds; /* TSSymbol -> go_kind */
    uint32_t nsymbols;
#define GO_FIELD(id) TSFieldId id;
#include "go_fields.def"
#undef GO_FIELD
} go_grammar;

void go_grammar_init(go_grammar *g);
void go_grammar_free(go_grammar *g);

static inline go_kind go_kind_of(const go_grammar *g, TSNode n) {
    if (ts_node_is_null(n))
        return GK_OTHER;
    TSSymbol s = ts_node_symbol(n);
    return s < g->nsymbols ? (go_kind)g->kinds[s] : GK_OTHER;
}

/* Iterates the named, non-comment children of a node with a tree cursor, which
 * is linear where ts_node_named_child(i) would be quadratic. */
typedef struct go_children {
    TSTreeCursor cursor;
    bool started, finished;
    const go_grammar *g;
} go_children;

void go_children_begin(go_children *it, const go_grammar *g, TSNode parent);
bool go_children_next(go_children *it, TSNode *out);
void go_children_end(go_children *it);

/* One step of a preorder walk with a cursor (no recursion: trees nest
 * deeper than the C stack allows): into the first child when `descend`,
 * else on to the next node after this subtree. False when the walk is over. */
bool go_cursor_preorder_next(TSTreeCursor *c, bool descend);

/* Named children without the comments tree-sitter attaches anywhere as
 * extras: the first child of a block may be a comment, not its statements. */
TSNode go_named(TSNode n, uint32_t index);
uint32_t go_named_count(TSNode n);

static inline TSNode go_field(TSNode n, TSFieldId f) {
    return ts_node_is_null(n) ? n : ts_node_child_by_field_id(n, f);
}

/* ---- package ------------------------------------------------------------ */

typedef struct go_import {
    const char *name; /* local name */
    const char *path; /* import path */
} go_import;

typedef struct go_file {
    ms_source *src;
    uint32_t index;
    TSTree *tree;
    TSNode root;
    const char *package; /* package clause name */
    MS_VEC(go_import) imports;
} go_file;

typedef enum go_decl_kind { GD_TYPE = 1, GD_FUNC, GD_VAR, GD_CONST } go_decl_kind;

typedef struct go_type go_type;

typedef struct go_decl {
    uint8_t kind;
    bool alias;        /* type alias */
    uint8_t resolving; /* cycle guard for type resolution */
    const char *name;
    uint32_t file;
    TSNode node;          /* type_spec/type_alias, function/method declaration, var/const spec */
    TSNode type_node;     /* TYPE: declared type; VAR: declared type or null */
    TSNode value;         /* VAR: initializer of this name, or null */
    uint32_t value_index; /* VAR: which result of a multi-value initializer */
    uint32_t func;        /* FUNC: function id */
    uint32_t sym;         /* VAR: global symbol id */
    const go_type *type;  /* resolved lazily */
} go_decl;

typedef struct go_name_slot {
    const void *key_a, *key_b;
    uint32_t value; /* 1-based */
} go_name_slot;

/* Open-addressing table keyed by one or two interned pointers. */
typedef struct go_name_table {
    go_name_slot *slots;
    size_t cap, len;
} go_name_table;

void go_table_init(go_name_table *t);
void go_table_free(go_name_table *t);
uint32_t go_table_get(const go_name_table *t, const void *a, const void *b);
void go_table_put(go_name_table *t, const void *a, const void *b, uint32_t value);

typedef struct go_scope {
    MS_VEC(struct go_binding) bindings;
    MS_VEC(size_t) marks;
    go_name_table top; /* name -> 1-based index of its innermost binding */
} go_scope;

typedef struct go_binding {
    const char *name;
    uint32_t sym;            /* symbol, or MS_NONE for a local type */
    uint32_t prev;           /* previous binding of the name, 1-based, 0 none */
    const go_type *type_def; /* local type declarations and type parameters */
} go_binding;

typedef struct go_pkg {
    ms_arena *arena;
    ms_interner *names;
    const go_grammar *g;
    const ms_catalogue *cat;
    ms_report *report;
    go_file *files;
    uint32_t nfiles;
    const char *name;

    MS_VEC(go_decl) decls; /* 1-based through the tables below */
    go_name_table decl_by_name;
    go_name_table method_by_recv; /* (type name, method name) -> function id */

    MS_VEC(ms_sym) syms;
    MS_VEC(ms_func) funcs;
    MS_VEC(TSNode) func_nodes;         /* per function: its declaration or literal */
    MS_VEC(const go_type *) sym_types; /* per symbol */
    MS_VEC(ms_path) sym_alias;         /* per symbol: the map it aliases, if any */
    MS_VEC(uint32_t) alias_holders;    /* symbols whose sym_alias may be set */
    MS_VEC(uint32_t) sym_closure;      /* per symbol: closure it is bound to, if any */

    go_scope scope;
    const char *universe_make, *universe_delete, *universe_clear, *universe_len, *universe_new,
        *universe_panic, *universe_append, *blank;
    bool depth_notified;
} go_pkg;

/* ---- declarations (go_decls.c) -------------------------------------------- */

void go_collect_decls(go_pkg *p);
go_decl *go_pkg_decl(go_pkg *p, const char *name);
uint32_t go_pkg_method(go_pkg *p, const char *recv_type, const char *method);
const char *go_import_path(const go_file *f, const char *local_name);
const char *go_node_text(go_pkg *p, uint32_t file, TSNode n); /* interned */
uint32_t go_new_sym(go_pkg *p, const char *name, ms_sym_kind kind, uint32_t func, uint32_t file,
                    TSNode decl);
uint32_t go_new_func(go_pkg *p, uint32_t file, TSNode node, const char *name, const char *display,
                     const char *recv_type, uint32_t flags);
/* The receiver's base type name of a method declaration: Cache for
 * (c *Cache[K, V]). */
const char *go_receiver_type_name(go_pkg *p, uint32_t file, TSNode receiver_list);

/* ---- types (go_types.c) ----------------------------------------------------- */

typedef enum go_type_kind {
    GT_UNKNOWN = 0,
    GT_BASIC,
    GT_NAMED,    /* declared in this package */
    GT_EXTERNAL, /* pkg.Name from an import */
    GT_MAP,
    GT_SLICE,
    GT_ARRAY,
    GT_POINTER,
    GT_CHAN,
    GT_FUNC,
    GT_STRUCT,
    GT_INTERFACE,
    GT_TUPLE, /* multiple results */
} go_type_kind;

struct go_type {
    uint8_t kind;
    const char *name;    /* BASIC, NAMED, EXTERNAL */
    const char *pkg;     /* EXTERNAL import path */
    const go_type *elem; /* POINTER/SLICE/ARRAY/CHAN element, MAP value */
    const go_type *key;  /* MAP key */
    go_decl *decl;       /* NAMED */
    TSNode node;         /* STRUCT, FUNC (signature owner), INTERFACE, ARRAY (length) */
    uint32_t file;
    const go_type **items; /* TUPLE */
    uint32_t nitems;
};

const go_type *go_type_unknown(void);
/* The type an AST type node denotes. Type parameters and local types are
 * looked up in the current scope, then the package. */
const go_type *go_type_from_node(go_pkg *p, uint32_t file, TSNode n);
const go_type *go_type_underlying(go_pkg *p, const go_type *t);
const go_type *go_type_deref(go_pkg *p, const go_type *t); /* through one pointer */
const go_type *go_type_pointer_to(go_pkg *p, const go_type *t);
bool go_type_is_map(go_pkg *p, const go_type *t);
ms_type_class go_type_class(go_pkg *p, const go_type *t);
/* Named type name (through one pointer) for method lookup: "Cache". */
const char *go_type_named(go_pkg *p, const go_type *t);
/* A field's type, searching embedded structs; *via is set to the embedded
 * field the name was found through, or NULL when it is a direct field. */
const go_type *go_type_field(go_pkg *p, const go_type *t, const char *field, const char **via);
const go_type *go_type_of_decl(go_pkg *p, go_decl *d);
/* Result types of a function declaration, literal or function type node:
 * one type, a GT_TUPLE, or unknown. */
const go_type *go_signature_results(go_pkg *p, uint32_t file, TSNode fn);
const go_type *go_tuple_item(const go_type *t, uint32_t i);
const go_type *go_expr_type(go_pkg *p, uint32_t file, TSNode e);
/* The package and name of an external type (through pointers), as the model
 * catalogue spells them. */
bool go_type_external(go_pkg *p, const go_type *t, const char **pkg, const char **name);
/* The embedded fields a promoted method or field is reached through,
 * outermost first: s.Lock() on struct { *store } with store struct {
 * sync.Mutex } goes through store, then Mutex. */
enum { GO_VIA_MAX = 4 };
typedef struct go_via {
    const char *steps[GO_VIA_MAX];
    uint8_t n;
} go_via;

/* An embedded field of an external type, at any depth up to GO_VIA_MAX,
 * that has `method` in the model catalogue (struct { sync.Mutex } has
 * Lock), shallowest first as Go promotes; returns the model entry and sets
 * *via to the embedded fields it is reached through. */
const ms_model_api *go_embedded_model_method(go_pkg *p, const go_type *t, const char *method,
                                             go_via *via);
/* The function id of a method of a named type of this package, also found
 * through embedded fields; *via as in go_type_field. */
uint32_t go_method_of(go_pkg *p, const go_type *t, const char *method, const char **via);

/* ---- scopes (go_scope.c) ------------------------------------------------------ */

void go_scope_init(go_scope *s);
void go_scope_free(go_scope *s);
void go_scope_push(go_scope *s);
void go_scope_pop(go_scope *s);
void go_scope_bind(go_scope *s, const char *name, uint32_t sym, const go_type *type_def);
const go_binding *go_scope_lookup(const go_scope *s, const char *name);
/* True when the binding was made in the innermost open scope. */
bool go_scope_is_current(const go_scope *s, const go_binding *b);

/* ---- lowering (go_lower.c) ----------------------------------------------------- */

void go_lower_package(go_pkg *p);

#endif
