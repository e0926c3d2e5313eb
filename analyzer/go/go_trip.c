/* Loop trip counts and compile-time constants, for capacity hints (MS301).
 *
 * A trip count is worth a hint only when it can be spelled as an expression
 * that is cheap and safe to evaluate a second time, where the map is made:
 * a variable, a field path, an index by a variable or literal, a slice of
 * those, len() of those, or arithmetic on them. Calls (other than len and
 * cap) never qualify: evaluating them twice may cost or change something. */
#include "go_lower.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_EXPR_DEPTH = 16 };

/* ---- compile-time constants ---------------------------------------------------- */

static bool int_literal(const char *text, int64_t *out) {
    char digits[64];
    size_t n = 0;
    for (const char *c = text; *c; c++) {
        if (*c == '_')
            continue;
        if (n + 1 >= sizeof(digits))
            return false;
        digits[n++] = *c;
    }
    digits[n] = '\0';
    int base = 10;
    const char *start = digits;
    if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        base = 16;
        start += 2;
    } else if (digits[0] == '0' && (digits[1] == 'b' || digits[1] == 'B')) {
        base = 2;
        start += 2;
    } else if (digits[0] == '0' && (digits[1] == 'o' || digits[1] == 'O')) {
        base = 8;
        start += 2;
    } else if (digits[0] == '0' && digits[1]) {
        base = 8;
        start += 1;
    }
    char *end;
    errno = 0;
    long long v = strtoll(start, &end, base);
    if (errno || *end || end == start)
        return false;
    *out = v;
    return true;
}

/* The tree node a symbol was declared at. */
static TSNode decl_node(go_pkg *p, uint32_t sym) {
    const ms_sym *s = &p->syms.items[sym];
    if (s->decl.file >= p->nfiles)
        return (TSNode){0};
    return ts_node_descendant_for_byte_range(p->files[s->decl.file].root, s->decl.start,
                                             s->decl.end);
}

/* The value expression of a local constant, or a null node. */
static TSNode local_const_value(go_pkg *p, uint32_t sym) {
    TSNode name = decl_node(p, sym);
    TSNode spec = ts_node_parent(name);
    if (go_kind_of(p->g, spec) != GK_CONST_SPEC)
        return (TSNode){0};
    uint32_t index = 0, count = ts_node_child_count(spec);
    for (uint32_t i = 0; i < count; i++) {
        const char *f = ts_node_field_name_for_child(spec, i);
        if (!f || strcmp(f, "name") != 0)
            continue;
        if (ts_node_eq(ts_node_child(spec, i), name))
            break;
        index++;
    }
    TSNode values = go_field(spec, p->g->f_value);
    if (ts_node_is_null(values) || index >= ts_node_named_child_count(values))
        return (TSNode){0};
    return ts_node_named_child(values, index);
}

static bool is_local_const(go_pkg *p, uint32_t sym) {
    return go_kind_of(p->g, ts_node_parent(decl_node(p, sym))) == GK_CONST_SPEC;
}

/* Evaluation context: the file the expression is in, and whether local
 * names are visible (false inside a package-level constant's value). */
typedef struct const_ctx {
    go_pkg *p;
    uint32_t file;
    bool locals;
    int depth;
} const_ctx;

static bool eval_int(const_ctx *c, TSNode e, int64_t *out);

static bool eval_ident(const_ctx *c, TSNode e, int64_t *out) {
    go_pkg *p = c->p;
    const char *name = go_node_text(p, c->file, e);
    const go_binding *b = c->locals ? go_scope_lookup(&p->scope, name) : NULL;
    if (b) {
        if (!b->sym || !is_local_const(p, b->sym))
            return false;
        TSNode v = local_const_value(p, b->sym);
        return !ts_node_is_null(v) && eval_int(c, v, out);
    }
    go_decl *d = go_pkg_decl(p, name);
    if (!d || d->kind != GD_CONST || ts_node_is_null(d->value))
        return false;
    const_ctx inner = {.p = p, .file = d->file, .locals = false, .depth = c->depth};
    return eval_int(&inner, d->value, out);
}

/* Keeps arithmetic far from int64 overflow; real counts are small. */
static bool small(int64_t v) {
    return v > -(INT64_C(1) << 40) && v < (INT64_C(1) << 40);
}

static bool eval_binary(const_ctx *c, TSNode e, int64_t *out) {
    const go_grammar *g = c->p->g;
    int64_t a, b;
    if (!eval_int(c, go_field(e, g->f_left), &a) || !eval_int(c, go_field(e, g->f_right), &b) ||
        !small(a) || !small(b))
        return false;
    TSNode op = go_field(e, g->f_operator);
    const char *o = ts_node_is_null(op) ? "" : ts_node_type(op);
    if (strcmp(o, "+") == 0)
        *out = a + b;
    else if (strcmp(o, "-") == 0)
        *out = a - b;
    else if (strcmp(o, "*") == 0)
        *out = a * b;
    else if (strcmp(o, "/") == 0 && b != 0)
        *out = a / b;
    else if (strcmp(o, "%") == 0 && b != 0)
        *out = a % b;
    else if (strcmp(o, "<<") == 0 && b >= 0 && b < 22)
        *out = a * (INT64_C(1) << b);
    else if (strcmp(o, ">>") == 0 && b >= 0 && b < 63)
        *out = a >> b;
    else if (strcmp(o, "&") == 0)
        *out = a & b;
    else if (strcmp(o, "|") == 0)
        *out = a | b;
    else
        return false;
    return true;
}

static bool eval_int(const_ctx *c, TSNode e, int64_t *out) {
    if (ts_node_is_null(e) || ++c->depth > MAX_EXPR_DEPTH)
        return false;
    go_pkg *p = c->p;
    bool ok = false;
    switch (go_kind_of(p->g, e)) {
        case GK_INT_LITERAL:
            ok = int_literal(go_node_text(p, c->file, e), out);
            break;
        case GK_PARENTHESIZED_EXPRESSION:
            ok = eval_int(c, ts_node_named_child(e, 0), out);
            break;
        case GK_IDENTIFIER:
            ok = eval_ident(c, e, out);
            break;
        case GK_BINARY_EXPRESSION:
            ok = eval_binary(c, e, out);
            break;
        case GK_UNARY_EXPRESSION: {
            TSNode op = go_field(e, p->g->f_operator);
            const char *o = ts_node_is_null(op) ? "" : ts_node_type(op);
            int64_t v;
            if ((strcmp(o, "-") == 0 || strcmp(o, "+") == 0) &&
                eval_int(c, go_field(e, p->g->f_operand), &v) && small(v)) {
                *out = o[0] == '-' ? -v : v;
                ok = true;
            }
            break;
        }
        default:
            break;
    }
    c->depth--;
    return ok;
}

bool go_const_int(go_lower *l, TSNode e, int64_t *out) {
    const_ctx c = {.p = l->p, .file = l->file, .locals = true};
    return eval_int(&c, e, out);
}

bool go_is_const_expr(go_lower *l, TSNode e) {
    go_pkg *p = l->p;
    for (int depth = 0; depth < MAX_EXPR_DEPTH && !ts_node_is_null(e); depth++) {
        switch (go_kind_of(p->g, e)) {
            case GK_INT_LITERAL:
            case GK_FLOAT_LITERAL:
            case GK_IMAGINARY_LITERAL:
            case GK_RUNE_LITERAL:
            case GK_INTERPRETED_STRING_LITERAL:
            case GK_RAW_STRING_LITERAL:
            case GK_TRUE:
            case GK_FALSE:
            case GK_NIL:
                return true;
            case GK_PARENTHESIZED_EXPRESSION:
                e = ts_node_named_child(e, 0);
                continue;
            case GK_IDENTIFIER: {
                const go_binding *b = go_lookup_local(l, e);
                if (b)
                    return b->sym && is_local_const(p, b->sym);
                go_decl *d = go_lookup_package(l, e);
                return d && d->kind == GD_CONST;
            }
            case GK_BINARY_EXPRESSION:
                if (!go_is_const_expr(l, go_field(e, p->g->f_left)))
                    return false;
                e = go_field(e, p->g->f_right);
                continue;
            default:
                return false;
        }
    }
    return false;
}

bool go_is_constant_value(go_lower *l, TSNode e) {
    while (go_kind_of(l->g, e) == GK_PARENTHESIZED_EXPRESSION)
        e = ts_node_named_child(e, 0);
    if (ts_node_is_null(e))
        return false;
    if (go_kind_of(l->g, e) == GK_COMPOSITE_LITERAL) {
        TSNode body = go_field(e, l->g->f_body), entry;
        go_children it;
        go_children_begin(&it, l->g, body);
        bool empty = !go_children_next(&it, &entry);
        go_children_end(&it);
        return empty;
    }
    return go_is_const_expr(l, e);
}

static bool folded(go_lower *l, TSNode e, int depth) {
    if (ts_node_is_null(e) || depth > MAX_EXPR_DEPTH)
        return false;
    go_kind k = go_kind_of(l->g, e);
    if (k == GK_FUNC_LITERAL)
        return false;
    if (k == GK_BINARY_EXPRESSION) {
        TSNode op = go_field(e, l->g->f_operator);
        const char *o = ts_node_is_null(op) ? "" : ts_node_type(op);
        if (strcmp(o, "%") == 0 || strcmp(o, "&") == 0 || strcmp(o, "/") == 0 ||
            strcmp(o, ">>") == 0 || strcmp(o, "&^") == 0)
            return true;
    }
    go_children it;
    TSNode c;
    bool found = false;
    go_children_begin(&it, l->g, e);
    while (!found && go_children_next(&it, &c))
        found = folded(l, c, depth + 1);
    go_children_end(&it);
    return found;
}

bool go_is_folded_expr(go_lower *l, TSNode e) {
    return folded(l, e, 0);
}

/* ---- expressions safe to evaluate again ---------------------------------------------- */

typedef struct trip_deps {
    uint32_t syms[MS_TRIP_SYMS_MAX];
    uint32_t n;
} trip_deps;

static bool add_dep(trip_deps *d, uint32_t sym) {
    for (uint32_t i = 0; i < d->n; i++)
        if (d->syms[i] == sym)
            return true;
    if (d->n + 1 >= MS_TRIP_SYMS_MAX) /* keep room for the terminator */
        return false;
    d->syms[d->n++] = sym;
    return true;
}

static bool repeatable(go_lower *l, TSNode e, trip_deps *d, int depth);

static bool repeatable_ident(go_lower *l, TSNode e, trip_deps *d) {
    const go_binding *b = go_lookup_local(l, e);
    if (b)
        return b->sym && !b->type_def && add_dep(d, b->sym);
    go_decl *decl = go_lookup_package(l, e);
    if (!decl)
        return false;
    if (decl->kind == GD_CONST)
        return true;
    return decl->kind == GD_VAR && decl->sym && add_dep(d, decl->sym);
}

static bool is_builtin_call(go_lower *l, TSNode call, const char *name) {
    TSNode fn = go_field(call, l->g->f_function);
    return go_kind_of(l->g, fn) == GK_IDENTIFIER && !go_lookup_local(l, fn) &&
           !go_lookup_package(l, fn) && strcmp(go_node_text(l->p, l->file, fn), name) == 0;
}

static bool repeatable(go_lower *l, TSNode e, trip_deps *d, int depth) {
    const go_grammar *g = l->g;
    if (ts_node_is_null(e) || depth > MAX_EXPR_DEPTH)
        return false;
    switch (go_kind_of(g, e)) {
        case GK_INT_LITERAL:
            return true;
        case GK_IDENTIFIER:
            return repeatable_ident(l, e, d);
        case GK_PARENTHESIZED_EXPRESSION:
            return repeatable(l, ts_node_named_child(e, 0), d, depth + 1);
        case GK_SELECTOR_EXPRESSION: {
            TSNode operand = go_field(e, g->f_operand);
            return go_lookup_import(l, operand) || repeatable(l, operand, d, depth + 1);
        }
        case GK_INDEX_EXPRESSION: {
            TSNode index = go_field(e, g->f_index);
            go_kind ik = go_kind_of(g, index);
            return (ik == GK_IDENTIFIER || ik == GK_INT_LITERAL) &&
                   repeatable(l, go_field(e, g->f_operand), d, depth + 1) &&
                   repeatable(l, index, d, depth + 1);
        }
        case GK_SLICE_EXPRESSION: {
            TSNode bounds[] = {go_field(e, g->f_start), go_field(e, g->f_end),
                               go_field(e, g->f_capacity)};
            for (size_t i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++)
                if (!ts_node_is_null(bounds[i]) && !repeatable(l, bounds[i], d, depth + 1))
                    return false;
            return repeatable(l, go_field(e, g->f_operand), d, depth + 1);
        }
        case GK_UNARY_EXPRESSION: {
            TSNode op = go_field(e, g->f_operator);
            const char *o = ts_node_is_null(op) ? "" : ts_node_type(op);
            return strcmp(o, "*") == 0 && repeatable(l, go_field(e, g->f_operand), d, depth + 1);
        }
        case GK_BINARY_EXPRESSION: {
            TSNode op = go_field(e, g->f_operator);
            const char *o = ts_node_is_null(op) ? "" : ts_node_type(op);
            if (strcmp(o, "+") != 0 && strcmp(o, "-") != 0 && strcmp(o, "*") != 0 &&
                strcmp(o, "/") != 0 && strcmp(o, "<<") != 0 && strcmp(o, ">>") != 0)
                return false;
            return repeatable(l, go_field(e, g->f_left), d, depth + 1) &&
                   repeatable(l, go_field(e, g->f_right), d, depth + 1);
        }
        case GK_CALL_EXPRESSION: {
            TSNode args = go_field(e, g->f_arguments);
            return (is_builtin_call(l, e, "len") || is_builtin_call(l, e, "cap")) &&
                   ts_node_named_child_count(args) == 1 &&
                   go_kind_of(g, ts_node_named_child(args, 0)) != GK_VARIADIC_ARGUMENT &&
                   repeatable(l, ts_node_named_child(args, 0), d, depth + 1);
        }
        default:
            return false;
    }
}

static void set_trip(ms_node *loop, ms_trip_kind kind, const char *text, int64_t value,
                     const trip_deps *d) {
    if (strchr(text, '\n'))
        return; /* a hint spelled over several lines would not fit the edit */
    loop->u.loop.trip = (uint8_t)kind;
    loop->u.loop.trip_text = text;
    loop->u.loop.trip_const = value;
    memset(loop->u.loop.trip_syms, 0, sizeof(loop->u.loop.trip_syms));
    for (uint32_t i = 0; d && i < d->n; i++)
        loop->u.loop.trip_syms[i] = d->syms[i];
}

/* b.N of a *testing.B: a benchmark's measuring loop, never a fill. */
static bool benchmark_count(go_lower *l, TSNode e) {
    if (go_kind_of(l->g, e) != GK_SELECTOR_EXPRESSION)
        return false;
    const char *pkg, *name;
    const go_type *t = go_expr_type(l->p, l->file, go_field(e, l->g->f_operand));
    return go_type_external(l->p, t, &pkg, &name) && strcmp(pkg, "testing") == 0 &&
           strcmp(name, "B") == 0;
}

void go_trip_count(go_lower *l, ms_node *loop, TSNode count) {
    trip_deps d = {0};
    if (ts_node_is_null(count) || !repeatable(l, count, &d, 0) || benchmark_count(l, count))
        return;
    const char *text = go_node_text(l->p, l->file, count);
    int64_t value;
    if (go_const_int(l, count, &value))
        set_trip(loop, MS_TRIP_CONST, text, value, &d);
    else
        set_trip(loop, MS_TRIP_EXPR, text, 0, &d);
}

/* ---- bounds a counted loop's body may change ------------------------------------ */

/* The variable a path expression starts from: s in s.a.b, xs[i] and *p. */
static TSNode path_root(const go_grammar *g, TSNode e) {
    for (int depth = 0; depth < MAX_EXPR_DEPTH; depth++) {
        switch (go_kind_of(g, e)) {
            case GK_IDENTIFIER:
                return e;
            case GK_PARENTHESIZED_EXPRESSION:
                e = ts_node_named_child(e, 0);
                break;
            case GK_SELECTOR_EXPRESSION:
            case GK_INDEX_EXPRESSION:
            case GK_SLICE_EXPRESSION:
            case GK_UNARY_EXPRESSION:
                e = go_field(e, g->f_operand);
                break;
            default:
                return (TSNode){0};
        }
    }
    return (TSNode){0};
}

/* Whether a bound reads through a field, an element or a pointer: such a
 * bound can change without its variable being assigned. */
static bool reads_through_path(const go_grammar *g, TSNode e, int depth) {
    if (ts_node_is_null(e) || depth > MAX_EXPR_DEPTH)
        return false;
    switch (go_kind_of(g, e)) {
        case GK_SELECTOR_EXPRESSION:
        case GK_INDEX_EXPRESSION:
        case GK_SLICE_EXPRESSION:
        case GK_UNARY_EXPRESSION:
            return true;
        default:
            break;
    }
    uint32_t n = ts_node_named_child_count(e);
    for (uint32_t i = 0; i < n; i++)
        if (reads_through_path(g, ts_node_named_child(e, i), depth + 1))
            return true;
    return false;
}

static bool names_trip_sym(go_lower *l, const ms_node *loop, TSNode ident) {
    if (ts_node_is_null(ident))
        return false;
    const char *name = go_node_text(l->p, l->file, ident);
    for (uint32_t i = 0; i < MS_TRIP_SYMS_MAX && loop->u.loop.trip_syms[i]; i++)
        if (strcmp(l->p->syms.items[loop->u.loop.trip_syms[i]].name, name) == 0)
            return true;
    return false;
}

/* Whether one node of the body may change what the bound reads: a store
 * through the bound's variable (s.n--, s.xs = s.xs[1:]), a method called
 * on it (s.shrink()), or the variable handed to a call (trim(s), trim(&s)).
 * Names are compared, not symbols: a shadowing variable only costs a hint. */
static bool changes_bound(go_lower *l, const ms_node *loop, TSNode n) {
    const go_grammar *g = l->g;
    switch (go_kind_of(g, n)) {
        case GK_ASSIGNMENT_STATEMENT:
        case GK_INC_STATEMENT:
        case GK_DEC_STATEMENT: {
            TSNode targets =
                go_kind_of(g, n) == GK_ASSIGNMENT_STATEMENT ? go_field(n, g->f_left) : n;
            uint32_t count = ts_node_named_child_count(targets);
            for (uint32_t i = 0; i < count; i++) {
                TSNode t = ts_node_named_child(targets, i);
                if (go_kind_of(g, t) != GK_IDENTIFIER && names_trip_sym(l, loop, path_root(g, t)))
                    return true;
            }
            return false;
        }
        case GK_CALL_EXPRESSION: {
            TSNode fn = go_field(n, g->f_function);
            if (go_kind_of(g, fn) == GK_SELECTOR_EXPRESSION) {
                TSNode recv = go_field(fn, g->f_operand);
                /* a method of an element (s.items[i].Key()) leaves the slice */
                bool element = false;
                for (TSNode r = recv; !ts_node_is_null(r) && go_kind_of(g, r) != GK_IDENTIFIER;
                     r = go_field(r, g->f_operand))
                    element |= go_kind_of(g, r) == GK_INDEX_EXPRESSION;
                if (!element && names_trip_sym(l, loop, path_root(g, recv)))
                    return true;
            }
            TSNode args = go_field(n, g->f_arguments);
            uint32_t count = ts_node_named_child_count(args);
            for (uint32_t i = 0; i < count; i++) {
                TSNode a = ts_node_named_child(args, i);
                bool whole = go_kind_of(g, a) == GK_IDENTIFIER ||
                             (go_kind_of(g, a) == GK_UNARY_EXPRESSION &&
                              go_kind_of(g, go_field(a, g->f_operand)) == GK_IDENTIFIER);
                if (whole && names_trip_sym(l, loop, path_root(g, a)))
                    return true;
            }
            return false;
        }
        default:
            return false;
    }
}

void go_trip_check_body(go_lower *l, ms_node *loop, TSNode bound, TSNode body) {
    if (loop->u.loop.trip == MS_TRIP_UNKNOWN || loop->u.loop.trip == MS_TRIP_CONST ||
        !reads_through_path(l->g, bound, 0) || ts_node_is_null(body))
        return;
    TSTreeCursor cur = ts_tree_cursor_new(body);
    bool changed = false;
    do
        changed = changes_bound(l, loop, ts_tree_cursor_current_node(&cur));
    while (!changed && go_cursor_preorder_next(&cur, true));
    ts_tree_cursor_delete(&cur);
    if (changed)
        loop->u.loop.trip = MS_TRIP_UNKNOWN;
}

/* Elements of a slice or array literal without keys; -1 when keyed. */
static int64_t literal_length(go_lower *l, TSNode lit) {
    TSNode body = go_field(lit, l->g->f_body);
    int64_t n = 0;
    go_children it;
    TSNode c;
    go_children_begin(&it, l->g, body);
    while (go_children_next(&it, &c)) {
        go_kind k = go_kind_of(l->g, c);
        if (k == GK_KEYED_ELEMENT) {
            n = -1;
            break;
        }
        if (k == GK_LITERAL_ELEMENT)
            n++;
    }
    go_children_end(&it);
    return n;
}

/* The length of an array type, when it is a constant. */
static bool array_length(go_lower *l, const go_type *array, int64_t *out) {
    if (ts_node_is_null(array->node))
        return false;
    TSNode length = go_field(array->node, l->g->f_length);
    const_ctx c = {.p = l->p, .file = array->file, .locals = array->file == l->file};
    return !ts_node_is_null(length) && eval_int(&c, length, out);
}

/* The function already calls len(text) somewhere, so len() applies to the
 * value, whatever its type. */
static bool len_used(go_lower *l, const char *text) {
    go_pkg *p = l->p;
    TSNode fn = p->func_nodes.items[l->func];
    const ms_source *src = p->files[l->file].src;
    uint32_t start = ts_node_start_byte(fn), end = ts_node_end_byte(fn);
    if (ts_node_is_null(fn) || end > src->size || start >= end)
        return false;
    size_t tlen = strlen(text);
    for (const char *at = src->text + start; at + tlen <= src->text + end;) {
        const char *hit = strstr(at, text);
        if (!hit || hit + tlen > src->text + end)
            break;
        uint32_t hs = (uint32_t)(hit - src->text);
        TSNode n = ts_node_descendant_for_byte_range(fn, hs, hs + (uint32_t)tlen);
        if (go_kind_of(l->g, n) == GK_CALL_EXPRESSION && ts_node_start_byte(n) == hs &&
            ts_node_end_byte(n) == hs + tlen && is_builtin_call(l, n, "len"))
            return true;
        at = hit + 1;
    }
    return false;
}

void go_trip_range(go_lower *l, ms_node *loop, TSNode ranged, const go_type *ru, uint32_t nvars) {
    go_pkg *p = l->p;
    while (go_kind_of(l->g, ranged) == GK_PARENTHESIZED_EXPRESSION)
        ranged = ts_node_named_child(ranged, 0);
    if (go_kind_of(l->g, ranged) == GK_COMPOSITE_LITERAL) {
        int64_t n = literal_length(l, ranged);
        if (n >= 0 && ru->kind != GT_MAP)
            set_trip(loop, MS_TRIP_CONST, ms_arena_printf(p->arena, "%lld", (long long)n), n, NULL);
        return;
    }
    trip_deps d = {0};
    if (!repeatable(l, ranged, &d, 0) || go_kind_of(l->g, ranged) == GK_INT_LITERAL)
        return;
    const char *text = ms_arena_printf(p->arena, "len(%s)", go_node_text(p, l->file, ranged));
    if (ru->kind == GT_ARRAY) {
        int64_t n;
        if (array_length(l, ru, &n))
            set_trip(loop, MS_TRIP_CONST, text, n, &d);
        return;
    }
    if (ru->kind == GT_SLICE || ru->kind == GT_MAP || loop->u.loop.range_kind == MS_RANGE_MAP) {
        /* MS_RANGE_MAP: also map types of other packages, from the model */
        set_trip(loop, MS_TRIP_EXPR, text, 0, &d);
    } else if ((ru->kind == GT_UNKNOWN || ru->kind == GT_EXTERNAL) && nvars == 2 &&
               len_used(l, text)) {
        /* A type from another package. Two iteration variables rule out
         * channels and integers; len() used on it rules out functions. */
        set_trip(loop, MS_TRIP_EXPR, text, 0, &d);
    }
}
