/* Shared declarations of the C and C++ frontend's parts:
 *   c_frontend.c  the frontend object, one unit from parse to IR
 *   c_command.c   compile commands: the database, defaults, extra arguments
 *   c_parse.c     libclang parsing, diagnostics, and recovery from missing headers
 *   c_recover.c   stub declarations for names that missing headers would declare
 *   c_files.c     the unit's files: which are the project's, their text and spans
 *   c_cursor.c    cursor helpers: children, maps keyed by cursor, names
 *   c_types.c     types as the model catalogue sees them
 *   c_symbols.c   symbols and functions of the unit
 *   c_decls.c     the declarations whose bodies are lowered
 *   c_lower*.c    bodies to the IR: statements, loops, expressions, calls
 *   c_text.c      source text: matching parentheses, lambda captures
 */
#ifndef MAPSAFE_C_INTERNAL_H
#define MAPSAFE_C_INTERNAL_H

#include "c_frontend.h"
#include "intern.h"

#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>
#include <pthread.h>
#include <stdint.h>

/* ---- the frontend ------------------------------------------------------- */

typedef struct c_display {
    char *real;    /* real path of a walked file */
    char *display; /* how the walk reports it */
} c_display;

struct ms_c_frontend {
    const ms_catalogue *cat;
    CXCompilationDatabase db; /* NULL: no compile database */
    char *db_dir;
    pthread_mutex_t *db_lock; /* libclang's database is not documented as thread-safe */
    char *resource_dir;
    char *const *extra_args;
    size_t nextra;
    char *cwd;    /* real path of the working directory */
    char **roots; /* real paths under which files are the project's */
    size_t nroots;
    c_display *displays; /* sorted by real path */
    size_t ndisplays;
};

struct ms_c_worker {
    const ms_c_frontend *fe;
    CXIndex index;
};

/* ---- compile commands (c_command.c) --------------------------------------- */

typedef struct c_command {
    MS_VEC(char *) args; /* for libclang: no compiler, no input file */
    bool cxx;            /* the file is compiled as C++ */
    bool from_db;
} c_command;

void c_command_build(const ms_c_frontend *fe, const char *abs_path, const ms_source *main,
                     c_command *cmd);
/* Keeps only the flags that shape parsing (includes, macros, language); for
 * a second attempt when libclang rejects a command line. */
void c_command_reduce(c_command *cmd);
void c_command_free(c_command *cmd);

/* ---- parsing (c_parse.c, c_recover.c) ----------------------------------------- */

typedef struct c_parsed {
    CXTranslationUnit tu;
    bool cxx; /* parsed as C++ */
} c_parsed;

/* Parses; notifications for what went wrong. tu is NULL when nothing could
 * be parsed at all. */
void c_parse_unit(ms_c_worker *w, const ms_source *main, const char *abs_path, ms_report *report,
                  c_parsed *out);
void c_parsed_free(c_parsed *p);

/* The declarations that stand in for names missing headers would have
 * declared, gathered from the diagnostics of successive parses. */
typedef struct c_stub c_stub;
c_stub *c_stub_new(void);
void c_stub_free(c_stub *st);
/* Adds the unknown names a parse complained about; true when any is new. */
bool c_stub_collect(c_stub *st, CXTranslationUnit tu, bool cxx);
char *c_stub_text(const c_stub *st, bool cxx); /* malloc'd */

/* ---- a unit being lowered ---------------------------------------------------------- */

typedef struct c_cursor_slot {
    CXCursor key;
    uint32_t value;
    unsigned hash;
} c_cursor_slot;

/* Open-addressing map from declaration cursors to ids. */
typedef struct c_cursor_map {
    c_cursor_slot *slots;
    size_t cap, len;
} c_cursor_map;

void c_cursor_map_init(c_cursor_map *m);
void c_cursor_map_free(c_cursor_map *m);
uint32_t c_cursor_map_get(const c_cursor_map *m, CXCursor key);
void c_cursor_map_put(c_cursor_map *m, CXCursor key, uint32_t value);

typedef struct c_file_slot {
    unsigned long long id[3];
    int32_t index; /* unit file index, or -1: not the project's */
    bool used;
} c_file_slot;

/* A type as the rules need it. */
typedef struct c_type {
    uint8_t type_class; /* ms_type_class */
    uint8_t semantics;  /* ms_iter_semantics, for maps */
    bool indirect;      /* a pointer or reference to the object */
    bool pointer;       /* through a pointer: a copy of the variable still names the object */
    const char *name;   /* the model's type name, interned; NULL if not modelled */
    const ms_model_type *model;
} c_type;

/* What the frontend knows about a symbol beyond ms_sym. */
typedef struct c_symx {
    c_type type;
    ms_path alias;    /* a pointer or reference to this map or lock */
    uint32_t closure; /* the lambda or function this variable holds */
    ms_path iter_map; /* an iterator over this map */
    uint8_t iter_sem;
    bool iter_end;    /* the map's past-the-end iterator (m.end()) */
    bool is_iterator; /* declared with an iterator type */
    uint32_t assigns; /* how often it was assigned: a counter the body leaves alone */
    uint32_t changes; /* stores through it, non-const methods on it (c_writes.c) */
    ms_path elem_of;  /* a range-for element: the container it comes from */
    bool few_keys;    /* set from a constant or a folded value (x % 16) */
    uint32_t key_of;  /* holds the key of the element this iterator sym points at */
    ms_path *guarded; /* a lock guard: the locks it holds */
    uint8_t nguarded;
    uint8_t guard_mode; /* ms_lock_mode */
    uint8_t spawn_join; /* a std::thread, jthread or future: joined by join(), get(), wait() */
} c_symx;

typedef struct c_tu {
    const ms_c_frontend *fe;
    const ms_catalogue *cat;
    CXTranslationUnit tu;
    ms_arena *arena;
    ms_interner *names;
    ms_report *report;
    bool cxx;
    ms_model_lang model_lang;

    MS_VEC(ms_source *) files; /* [0] is the main file, owned by the driver */
    c_file_slot *file_slots;   /* hash table by CXFileUniqueID */
    size_t file_cap, file_len;

    MS_VEC(ms_sym) syms;
    MS_VEC(c_symx) symx;
    c_cursor_map sym_of; /* canonical declaration -> symbol */

    MS_VEC(ms_field_alias) aliases; /* struct fields initialised with a map or lock */
    MS_VEC(bool) alias_dead;        /* per alias: assigned again since */

    MS_VEC(ms_func) funcs;
    MS_VEC(CXCursor) func_cursor; /* per function: its definition (or lambda) */
    c_cursor_map func_of;         /* canonical declaration -> function */

    bool depth_notified;
} c_tu;

/* c_files.c */
/* The unit file index of a file, registering project files on first use;
 * -1 for files that are not the project's (system headers and the like). */
int c_file_index(c_tu *t, CXFile file);
/* Expansion location of a source location: file index and byte offset. */
bool c_location(c_tu *t, CXSourceLocation loc, uint32_t *file, uint32_t *offset);
/* The span of a cursor's extent, at its expansion location; false when it is
 * not in a project file. */
bool c_cursor_span(c_tu *t, CXCursor c, ms_span *out);
bool c_cursor_in_project(c_tu *t, CXCursor c);
const ms_source *c_file_source(const c_tu *t, uint32_t file);
/* Project files the unit includes, as real paths, for the driver's header jobs. */
void c_collect_includes(c_tu *t, ms_c_paths *covered);
/* Whether a real path is one of the project's files (under a root). */
bool c_path_in_project(const ms_c_frontend *fe, const char *real);

/* ---- cursors (c_cursor.c) ---------------------------------------------------- */

typedef MS_VEC(CXCursor) c_cursors;

/* The direct children of a cursor, in order. */
void c_children(CXCursor c, c_cursors *out);
/* Skips implicit nodes: casts (UnexposedExpr with one child), parentheses,
 * copies of the same value (constructors of one argument), materialised
 * temporaries. */
CXCursor c_strip(CXCursor c);
/* Cursor spelling, interned; "" for none. */
const char *c_spelling(c_tu *t, CXCursor c);
/* Qualified name of a declaration without inline namespaces and template
 * arguments: "std::unordered_map", "leveldb::DBImpl::Get", "pthread_create". */
const char *c_qualified_name(c_tu *t, CXCursor decl);
/* The name of the member a MemberRefExpr or a callee names, also when it is
 * dependent and libclang gives no spelling. */
const char *c_member_name(c_tu *t, CXCursor member);
bool c_is_function_kind(enum CXCursorKind k);

/* ---- types (c_types.c) ----------------------------------------------------------- */

c_type c_classify_type(c_tu *t, CXType type);
c_type c_classify_cursor(c_tu *t, CXCursor c); /* the type of a declaration or expression */
/* The model name of a record type, through pointers and references: what
 * methods are looked up on. NULL when unknown. */
const char *c_record_name(c_tu *t, CXType type);
/* The map type an API of the catalogue implies: its model's only map type. */
const ms_model_type *c_api_map_type(c_tu *t, const ms_model_api *api);

/* ---- symbols and functions (c_symbols.c) ------------------------------------------- */

uint32_t c_new_sym(c_tu *t, const char *name, ms_sym_kind kind, uint32_t func, CXCursor decl);
/* The symbol a declaration cursor denotes; globals are created on first use.
 * MS_NONE for things that are not variables. */
uint32_t c_sym_of_decl(c_tu *t, CXCursor decl);
uint32_t c_new_func(c_tu *t, CXCursor def, const char *name, const char *display,
                    const char *recv_type, uint32_t flags);
/* The function of this unit a declaration or reference names, or MS_NONE. */
uint32_t c_func_of_decl(c_tu *t, CXCursor decl);
static inline c_symx *c_sx(c_tu *t, uint32_t sym) {
    return &t->symx.items[sym];
}

/* ---- declarations (c_decls.c) -------------------------------------------------------- */

/* Registers every function defined in a project file, then lowers each. */
void c_lower_unit(c_tu *t);

/* ---- lowering (c_lower*.c) ------------------------------------------------------------- */

typedef MS_VEC(ms_node *) c_node_vec;

typedef struct c_target {
    ms_node *node; /* loop or switch */
    bool is_loop;
} c_target;

typedef struct c_label {
    CXCursor decl;
    ms_node *node;
} c_label;

typedef struct c_capture {
    uint32_t outer; /* symbol of the enclosing function */
    uint32_t inner; /* the lambda's own copy */
} c_capture;

typedef struct c_lower c_lower;

struct c_lower {
    c_tu *t;
    uint32_t func;
    c_lower *outer;
    unsigned *lambda_count;
    c_node_vec *out;
    ms_span stmt;
    int depth;
    uint32_t this_sym;      /* the receiver in methods and the lambdas that capture it */
    uint32_t assign_target; /* x in x = call(...): erase results refreshing x */
    bool result_discarded;  /* the call being lowered is a whole statement */
    bool updating;          /* lowering the target of +=, ++: m[k] += v reads what it writes */
    bool async_future;      /* the call just lowered returned a std::async future */
    MS_VEC(c_target) targets;
    MS_VEC(c_label) labels;
    MS_VEC(ms_node *) gotos;
    MS_VEC(c_capture) captures;
    /* What runs when the block being lowered ends: destructors of its
     * variables, the join of a std::jthread or of a std::async future. */
    MS_VEC(ms_node *) scope_exits;
    /* The statement of a compound block being lowered: a declaration there
     * can be followed by another statement (MS301's m.reserve(n);). */
    CXCursor block_item;
    uint32_t constructing;   /* the variable the construction being lowered initialises */
    ms_path spawn_container; /* threads.push_back(std::thread(...)): the container */
};

enum { C_MAX_NESTING = 1000 };

/* c_lower.c: statements */
ms_node *c_new_node(c_lower *l, ms_node_kind kind, CXCursor at);
void c_emit(c_lower *l, ms_node *n);
bool c_enter(c_lower *l, CXCursor at);
void c_leave(c_lower *l);
void c_set_stmt(c_lower *l, CXCursor c);
ms_node *c_make_block(c_lower *l, c_node_vec *v, CXCursor at);
/* Lowers a statement into a new block (not emitted). */
ms_node *c_lower_body(c_lower *l, CXCursor stmt);
void c_lower_stmt(c_lower *l, CXCursor s);
void c_push_target(c_lower *l, ms_node *node, bool is_loop);
void c_lower_function(c_tu *t, uint32_t func);
uint32_t c_lower_lambda(c_lower *l, CXCursor lambda);

/* c_lower_loop.c: for, while, do, range-for */
void c_lower_for(c_lower *l, CXCursor s);
void c_lower_while(c_lower *l, CXCursor s);
void c_lower_do(c_lower *l, CXCursor s);
void c_lower_range_for(c_lower *l, CXCursor s);

/* c_lower_expr.c: expressions, paths and keys */
void c_lower_expr(c_lower *l, CXCursor e);
ms_path c_path_of(c_lower *l, CXCursor e);
/* The path a call argument passes: as c_path_of, except that the key of the
 * current element (kv.first, it->first) passes the element itself, so a
 * callee's key is recognised as the loop's. */
ms_path c_arg_path(c_lower *l, CXCursor e);
/* The operator token of a binary expression, read between its operands:
 * "<", "+=", "=". "" when a macro hides it. */
const char *c_binary_op(c_lower *l, CXCursor lhs, CXCursor rhs);
/* The symbol a plain variable reference names (after stripping), else MS_NONE. */
uint32_t c_var_of(c_lower *l, CXCursor e);
/* The same, also through &: iterators are passed by address in C. */
uint32_t c_var_or_address_of(c_lower *l, CXCursor e);
void c_classify_key(c_lower *l, CXCursor key, uint8_t *kind, uint32_t *sym, uint8_t *flags);
bool c_is_map_expr(c_lower *l, CXCursor e, c_type *type);
/* Declares a local variable, with its initializer's aliases and makes. */
void c_lower_var_decl(c_lower *l, CXCursor decl);
/* root.field holds what `value` names (ms_field_alias), from now on. */
void c_add_field_alias(c_lower *l, uint32_t root, CXCursor field, CXCursor value);
/* A write to a variable: marks it reassigned and emits an ASSIGN. */
void c_note_assign(c_lower *l, CXCursor lhs, CXCursor rhs);
/* c_writes.c: changes to a variable that do not assign it */
enum { C_BOUND_VARS_MAX = 8 };
typedef struct c_bound_vars {
    uint32_t syms[C_BOUND_VARS_MAX];
    uint32_t n;
    bool overflow; /* more variables than fit: trust no count */
} c_bound_vars;
/* A store to something that is not a plain variable: q->n = 0, *p += 1. */
void c_note_store(c_lower *l, CXCursor lhs);
/* What a call may change: the object of a non-const method, the arguments
 * it takes by pointer or non-const reference. */
void c_note_call_writes(c_lower *l, CXCursor callee, CXCursor object, bool member,
                        const CXCursor *args, int nargs);
/* The variables an expression reads, this included. */
void c_bound_vars_of(c_lower *l, CXCursor bound, c_bound_vars *out);
/* The sum of their change counts: unchanged around a loop body means the
 * body changed none of them. */
uint64_t c_bound_changes(c_lower *l, const c_bound_vars *b);
/* Text of an expression usable again as a count: a variable, a field path, a
 * literal, xs.size(); NULL otherwise. */
const char *c_simple_text(c_lower *l, CXCursor e);
/* The function a callable expression denotes: a lambda, a function, a method
 * pointer, a variable holding one. */
uint32_t c_callable(c_lower *l, CXCursor e, ms_path *bound_this);

/* c_lower_call.c: calls, constructions, model APIs */
/* Who a call calls, on what, with which arguments, and the model API it
 * matches (by class and arity for methods, by name for functions). */
typedef struct c_call {
    CXCursor call, ref;
    CXCursor object;  /* the object of a method call; null with implicit this */
    bool member;      /* a method call, or a member operator */
    bool construct;   /* a constructor */
    const char *name; /* method or constructor name; function's qualified name */
    const char *cls;  /* the class a method belongs to, as the catalogue names it */
    CXCursor *args;   /* explicit arguments, without the object */
    int nargs;
    uint32_t *closures; /* per argument: the lambda it is, lowered once */
    const ms_model_api *api;
} c_call;
void c_call_analyse(c_lower *l, CXCursor call, c_call *ci);
/* The explicit argument at `index` (the model's numbering), or null. */
CXCursor c_call_arg(const c_call *ci, int index);
/* A local of a class type whose destructor this unit defines: a call of it
 * when the variable's block ends (a project's own RAII lock guard). */
void c_schedule_destructor(c_lower *l, CXCursor var, uint32_t sym);
/* Lowers a call; returns true when it never returns. */
bool c_lower_call(c_lower *l, CXCursor call);
/* A variable constructed by a model constructor (lock guards, threads,
 * maps); returns true when it was one. */
bool c_lower_construct(c_lower *l, CXCursor var, CXCursor construct, uint32_t sym);
/* A map created by `init` (refmap_new(...), g_hash_table_new(...), or the
 * construction of `var` as a std::unordered_map): fills the MAP_MAKE fields. */
bool c_map_make(c_lower *l, CXCursor init, CXCursor var, ms_node *make);
/* An iterator obtained from a map: m.begin(), m.find(k), m.end(). */
bool c_iter_source(c_lower *l, CXCursor e, ms_path *map, uint8_t *semantics, bool *is_end);

/* c_text.c */
/* The text of a span (not NUL-terminated) and its length. */
const char *c_span_text(const c_tu *t, ms_span s, uint32_t *len);
/* The offset just after the parenthesised header of `for (...)`, `if (...)`,
 * `while (...)`, `switch (...)`, starting at the keyword; the offsets of the
 * two top-level semicolons of a for header in semi[0..1] (or 0). Returns
 * false when the text does not have that shape (a macro expansion). */
bool c_header_layout(const char *text, uint32_t size, uint32_t start, uint32_t *close_paren,
                     uint32_t semi[2]);
/* Lambda captures, from the text of its introducer. */
typedef enum c_capture_default { C_CAPTURE_NONE, C_CAPTURE_REF, C_CAPTURE_COPY } c_capture_default;
typedef struct c_capture_list {
    c_capture_default dflt;
    bool this_by_ref, this_by_copy;
    MS_VEC(const char *) by_ref;  /* interned names */
    MS_VEC(const char *) by_copy; /* interned names */
} c_capture_list;
/* True when `text` starts with a capture list; `out` then needs
 * c_capture_list_free. On false it holds nothing. */
bool c_parse_captures(c_tu *t, const char *text, uint32_t len, c_capture_list *out);
void c_capture_list_free(c_capture_list *c);
/* True when the text starting at offset is the identifier `word`. */
bool c_text_has_word(const char *text, uint32_t size, uint32_t at, const char *word);

#endif
