/* State shared by the statement (go_lower.c) and expression
 * (go_lower_expr.c) halves of lowering one Go function to the IR. */
#ifndef MAPSAFE_GO_LOWER_H
#define MAPSAFE_GO_LOWER_H

#include "go_internal.h"

typedef MS_VEC(ms_node *) node_vec;

typedef struct go_target {
    ms_node *node; /* loop or breakable branch */
    bool is_loop;
    const char *label;
} go_target;

typedef struct go_label {
    const char *name;
    ms_node *node;
} go_label;

typedef struct go_lower go_lower;

struct go_lower {
    go_pkg *p;
    const go_grammar *g;
    uint32_t file;
    uint32_t func;
    go_lower *outer;         /* the enclosing function of a closure */
    unsigned *closure_count; /* shared with the outermost function, for names */
    node_vec *out;           /* the block being filled */
    ms_span stmt;            /* the statement events belong to */
    int depth;
    const char *pending_label; /* label for the next loop/switch/select */
    ms_node *pending_fallthrough;
    MS_VEC(go_target) targets;
    MS_VEC(go_label) labels;
    MS_VEC(ms_node *) gotos;
};

/* Deeper statement or expression nesting is not analysed (with a note). */
enum { GO_MAX_NESTING = 1000 };

/* go_lower.c */
ms_node *go_new_node(go_lower *l, ms_node_kind kind, TSNode at);
void go_emit(go_lower *l, ms_node *n);
ms_span go_span(go_lower *l, TSNode n);
bool go_enter(go_lower *l, TSNode at); /* false: too deep, skip */
void go_leave(go_lower *l);
uint32_t go_lower_closure(go_lower *l, TSNode func_literal);
/* The same, with `self` (a variable, or MS_NONE) naming the closure while its
 * body is lowered, for recursive literals. */
uint32_t go_lower_closure_bound(go_lower *l, TSNode func_literal, uint32_t self);
ms_node *go_lower_block(go_lower *l, TSNode block);

/* go_lower_expr.c */
typedef struct go_callee {
    uint32_t func;    /* resolved function of this package, or MS_NONE */
    ms_path receiver; /* bound receiver of a method value */
    bool has_receiver;
} go_callee;

void go_lower_expr(go_lower *l, TSNode e);
/* Lowers a call; returns true when it never returns (panic, os.Exit). */
bool go_lower_call(go_lower *l, TSNode call, uint32_t call_flags);
void go_lower_go_statement(go_lower *l, TSNode call);
ms_path go_path_of(go_lower *l, TSNode e);
const go_binding *go_lookup_local(go_lower *l, TSNode ident);
/* A package-level name not hidden by a local; NULL otherwise. */
go_decl *go_lookup_package(go_lower *l, TSNode ident);
/* The import path when `ident` names an imported package here. */
const char *go_lookup_import(go_lower *l, TSNode ident);
bool go_is_map_expr(go_lower *l, TSNode e);
/* Key classification for a map operation's key expression. */
void go_classify_key(go_lower *l, TSNode key, uint8_t *kind, uint32_t *sym);
/* What function a function-valued expression denotes (f, s.m, func(){}). */
go_callee go_resolve_callee(go_lower *l, TSNode e, uint32_t closure);
/* A map created by `e` (make(map..), map literal): fills the MAP_MAKE fields. */
bool go_map_make(go_lower *l, TSNode e, ms_node *make);

/* go_trip.c: trip counts and constants for capacity hints (MS301) */
bool go_const_int(go_lower *l, TSNode e, int64_t *out);
/* A literal or a named constant: the same value on every evaluation. */
bool go_is_const_expr(go_lower *l, TSNode e);
/* A constant or an empty composite literal (true, struct{}{}, T{}). */
bool go_is_constant_value(go_lower *l, TSNode e);
/* Folded by %, &, / or >> somewhere: takes few values (m[i%n]). */
bool go_is_folded_expr(go_lower *l, TSNode e);
/* Sets the loop's trip from a count: range over an int, a counted bound. */
void go_trip_count(go_lower *l, ms_node *loop, TSNode count);
/* Forgets a counted loop's trip when its body may change what the bound
 * reads through a field, an element or a pointer (s.n--, s.shrink()). */
void go_trip_check_body(go_lower *l, ms_node *loop, TSNode bound, TSNode body);
/* Sets the loop's trip from the ranged expression, its underlying type and
 * the number of iteration variables. */
void go_trip_range(go_lower *l, ms_node *loop, TSNode ranged, const go_type *ru, uint32_t nvars);

#endif
