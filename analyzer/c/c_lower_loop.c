/* Loops: for, while, do and range-for, and what they iterate. A loop
 * iterates a map live when it is
 *   - a range-for over a map (the hidden iterator is the loop's);
 *   - a for or while whose condition compares an iterator of the map with
 *     its end(): for (auto it = m.begin(); it != m.end(); ...);
 *   - a loop whose condition is the model's iter-next call on an iterator
 *     initialised over the map: while (g_hash_table_iter_next(&iter, &k, &v)).
 * Counted loops (for (i = 0; i < n; i++) with i untouched by the body) and
 * range-fors over containers carry their trip count for capacity hints. */
#include "c_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct for_parts {
    CXCursor init[4];
    size_t ninit;
    CXCursor cond, inc, body;
} for_parts;

/* ---- iteration over a map ------------------------------------------------------ */

/* while (g_hash_table_iter_next(&iter, &k, &v)), refmap_iter_next(...) */
static bool iter_next_loop(c_lower *l, CXCursor call, ms_node *loop) {
    c_call ci;
    c_call_analyse(l, call, &ci);
    const ms_model_api *api = ci.api;
    if (!api || api->role != MS_ROLE_ITER_NEXT)
        return false;
    uint32_t it = c_var_or_address_of(
        l, api->iterator == MS_ARG_RECEIVER ? ci.object : c_call_arg(&ci, api->iterator));
    if (!it || !ms_path_valid(&c_sx(l->t, it)->iter_map))
        return false;
    loop->u.loop.range_kind = MS_RANGE_MAP;
    loop->u.loop.map = c_sx(l->t, it)->iter_map;
    loop->u.loop.semantics = c_sx(l->t, it)->iter_sem;
    loop->u.loop.iter_sym = it;
    uint8_t kind, flags;
    uint32_t sym;
    if (api->key >= 0) {
        c_classify_key(l, c_call_arg(&ci, api->key), &kind, &sym, &flags);
        loop->u.loop.key_sym = kind == MS_KEY_SYM ? sym : MS_NONE;
        if (loop->u.loop.key_sym)
            l->t->syms.items[sym].flags &= ~(uint32_t)MS_SYMF_REASSIGNED;
    }
    if (api->value >= 0)
        loop->u.loop.val_sym = c_var_or_address_of(l, c_call_arg(&ci, api->value));
    return true;
}

/* it != m.end(), it != end, with end = m.end() */
static bool end_compare(c_lower *l, CXCursor a, CXCursor b, ms_node *loop) {
    ms_path map;
    uint8_t sem;
    bool is_end = false;
    uint32_t end_var = c_var_of(l, b);
    if (end_var && c_sx(l->t, end_var)->iter_end) {
        map = c_sx(l->t, end_var)->iter_map;
        sem = c_sx(l->t, end_var)->iter_sem;
        is_end = true;
    } else if (!c_iter_source(l, b, &map, &sem, &is_end)) {
        return false;
    }
    uint32_t it = c_var_of(l, a);
    if (!is_end || !it || !ms_path_valid(&map))
        return false;
    loop->u.loop.range_kind = MS_RANGE_MAP;
    loop->u.loop.map = map;
    loop->u.loop.semantics = sem;
    loop->u.loop.iter_sym = it;
    return true;
}

static bool iterates_map(c_lower *l, CXCursor cond, ms_node *loop) {
    CXCursor e = c_strip(cond);
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_CallExpr) {
        if (iter_next_loop(l, e, loop))
            return true;
        const char *name = c_spelling(l->t, clang_getCursorReferenced(e));
        if (strcmp(name, "operator!=") == 0 && clang_Cursor_getNumArguments(e) == 2) {
            CXCursor a = clang_Cursor_getArgument(e, 0), b = clang_Cursor_getArgument(e, 1);
            return end_compare(l, a, b, loop) || end_compare(l, b, a, loop);
        }
        return false;
    }
    if (k == CXCursor_BinaryOperator) {
        /* it != end with built-in iterators, or `!done && next(&it, ...)` */
        c_cursors kids = {0};
        c_children(e, &kids);
        bool found = false;
        if (kids.len == 2)
            found = end_compare(l, kids.items[0], kids.items[1], loop) ||
                    end_compare(l, kids.items[1], kids.items[0], loop) ||
                    iterates_map(l, kids.items[1], loop) || iterates_map(l, kids.items[0], loop);
        MS_VEC_FREE(&kids);
        return found;
    }
    return false;
}

/* ---- counted loops ------------------------------------------------------------------ */

static bool is_zero(CXCursor e) {
    e = c_strip(e);
    if (clang_getCursorKind(e) != CXCursor_IntegerLiteral)
        return false;
    CXEvalResult r = clang_Cursor_Evaluate(e);
    bool zero =
        r && clang_EvalResult_getKind(r) == CXEval_Int && clang_EvalResult_getAsLongLong(r) == 0;
    if (r)
        clang_EvalResult_dispose(r);
    return zero;
}

/* The counter of `int i = 0` or `i = 0`. */
static uint32_t counter_of_init(c_lower *l, const for_parts *p) {
    if (p->ninit != 1)
        return MS_NONE;
    CXCursor init = p->init[0];
    c_cursors kids = {0};
    c_children(init, &kids);
    uint32_t sym = MS_NONE;
    if (clang_getCursorKind(init) == CXCursor_DeclStmt && kids.len == 1 &&
        clang_getCursorKind(kids.items[0]) == CXCursor_VarDecl) {
        CXCursor v = kids.items[0];
        if (is_zero(clang_Cursor_getVarDeclInitializer(v)))
            sym = c_cursor_map_get(&l->t->sym_of, clang_getCanonicalCursor(v));
    } else if (clang_getCursorKind(c_strip(init)) == CXCursor_BinaryOperator) {
        c_children(c_strip(init), &kids);
        if (kids.len == 2 && is_zero(kids.items[1]))
            sym = c_var_of(l, kids.items[0]);
    }
    MS_VEC_FREE(&kids);
    return sym;
}

/* i < n, i != n, n > i: the bound. */
static bool bound_of(c_lower *l, CXCursor cond, uint32_t counter, CXCursor *bound) {
    CXCursor e = c_strip(cond);
    if (clang_getCursorKind(e) != CXCursor_BinaryOperator)
        return false;
    c_cursors kids = {0};
    c_children(e, &kids);
    bool ok = false;
    if (kids.len == 2) {
        const char *op = c_binary_op(l, kids.items[0], kids.items[1]);
        if ((strcmp(op, "<") == 0 || strcmp(op, "!=") == 0) &&
            c_var_of(l, kids.items[0]) == counter) {
            *bound = kids.items[1];
            ok = true;
        } else if (strcmp(op, ">") == 0 && c_var_of(l, kids.items[1]) == counter) {
            *bound = kids.items[0];
            ok = true;
        }
    }
    MS_VEC_FREE(&kids);
    return ok;
}

/* i++, ++i, i += 1 */
static bool steps_by_one(c_lower *l, CXCursor inc, uint32_t counter) {
    CXCursor e = c_strip(inc);
    enum CXCursorKind k = clang_getCursorKind(e);
    ms_span sp;
    if (!c_cursor_span(l->t, e, &sp))
        return false;
    uint32_t len;
    const char *text = c_span_text(l->t, sp, &len);
    c_cursors kids = {0};
    c_children(e, &kids);
    bool ok = false;
    if (k == CXCursor_UnaryOperator && kids.len == 1 && c_var_of(l, kids.items[0]) == counter)
        ok = (len >= 2 && strncmp(text, "++", 2) == 0) ||
             (len >= 2 && strncmp(text + len - 2, "++", 2) == 0);
    else if (k == CXCursor_CompoundAssignOperator && kids.len == 2 &&
             c_var_of(l, kids.items[0]) == counter) {
        CXEvalResult r = clang_Cursor_Evaluate(kids.items[1]);
        ok = r && clang_EvalResult_getKind(r) == CXEval_Int &&
             clang_EvalResult_getAsLongLong(r) == 1 &&
             strcmp(c_binary_op(l, kids.items[0], kids.items[1]), "+=") == 0;
        if (r)
            clang_EvalResult_dispose(r);
    }
    MS_VEC_FREE(&kids);
    return ok;
}

/* The variables the trip count reads (ir.h): MS301 checks that they exist,
 * unchanged, where its fix puts the count. `this` is always there. */
static void set_trip_syms(c_lower *l, ms_node *loop, const c_bound_vars *vars) {
    uint32_t n = 0;
    for (uint32_t i = 0; i < vars->n && n + 1 < MS_TRIP_SYMS_MAX; i++)
        if (vars->syms[i] != l->this_sym)
            loop->u.loop.trip_syms[n++] = vars->syms[i];
}

static void set_trip(c_lower *l, ms_node *loop, CXCursor count, const c_bound_vars *vars) {
    const char *text = c_simple_text(l, count);
    if (!text)
        return;
    CXCursor e = c_strip(count);
    if (clang_getCursorKind(e) == CXCursor_IntegerLiteral) {
        CXEvalResult r = clang_Cursor_Evaluate(e);
        if (r && clang_EvalResult_getKind(r) == CXEval_Int) {
            loop->u.loop.trip = MS_TRIP_CONST;
            loop->u.loop.trip_const = clang_EvalResult_getAsLongLong(r);
            loop->u.loop.trip_text = text;
        }
        if (r)
            clang_EvalResult_dispose(r);
        return;
    }
    loop->u.loop.trip = MS_TRIP_EXPR;
    loop->u.loop.trip_text = text;
    set_trip_syms(l, loop, vars);
}

/* ---- shared ---------------------------------------------------------------------------- */

static void set_header(c_lower *l, ms_node *loop, CXCursor s, CXCursor body) {
    ms_span sp, bs;
    if (!c_cursor_span(l->t, s, &sp))
        return;
    if (!clang_Cursor_isNull(body) && c_cursor_span(l->t, body, &bs) && bs.file == sp.file &&
        bs.start > sp.start && bs.start <= sp.end)
        sp.end = bs.start;
    const char *text = c_file_source(l->t, sp.file)->text;
    while (sp.end > sp.start && (text[sp.end - 1] == ' ' || text[sp.end - 1] == '\t' ||
                                 text[sp.end - 1] == '\n' || text[sp.end - 1] == '\r'))
        sp.end--;
    loop->u.loop.header = sp;
}

static ms_node *lower_loop_body(c_lower *l, ms_node *loop, CXCursor body) {
    c_push_target(l, loop, true);
    ms_node *b = c_lower_body(l, body);
    l->targets.len--;
    return b;
}

static void lower_cond(c_lower *l, CXCursor cond) {
    if (clang_Cursor_isNull(cond))
        return;
    c_set_stmt(l, cond);
    if (clang_getCursorKind(cond) == CXCursor_VarDecl)
        c_lower_var_decl(l, cond);
    else
        c_lower_expr(l, cond);
}

/* ---- for ---------------------------------------------------------------------------------- */

static void split_for(c_lower *l, CXCursor s, const c_cursors *kids, for_parts *p) {
    memset(p, 0, sizeof(*p));
    p->cond = p->inc = p->body = clang_getNullCursor();
    if (kids->len == 0)
        return;
    ms_span sp;
    uint32_t close, semi[2];
    if (c_cursor_span(l->t, s, &sp)) {
        const ms_source *src = c_file_source(l->t, sp.file);
        if (c_header_layout(src->text, src->size, sp.start, &close, semi) && semi[1]) {
            for (size_t i = 0; i < kids->len; i++) {
                CXCursor c = kids->items[i];
                ms_span cs;
                if (!c_cursor_span(l->t, c, &cs) || cs.file != sp.file)
                    continue;
                if (cs.start >= close)
                    p->body = c;
                else if (cs.start > semi[1])
                    p->inc = c;
                else if (cs.start > semi[0])
                    p->cond = c;
                else if (p->ninit < 4)
                    p->init[p->ninit++] = c;
            }
            return;
        }
    }
    /* Inside a macro the text does not tell: the body is last, and only the
     * full form init; cond; inc is taken apart. */
    p->body = kids->items[kids->len - 1];
    if (kids->len == 4) {
        p->init[p->ninit++] = kids->items[0];
        p->cond = kids->items[1];
        p->inc = kids->items[2];
    } else {
        for (size_t i = 0; i + 1 < kids->len && p->ninit < 4; i++)
            p->init[p->ninit++] = kids->items[i];
    }
}

void c_lower_for(c_lower *l, CXCursor s) {
    c_cursors kids = {0};
    c_children(s, &kids);
    for_parts p;
    split_for(l, s, &kids, &p);
    MS_VEC_FREE(&kids);
    for (size_t i = 0; i < p.ninit; i++) {
        c_set_stmt(l, p.init[i]);
        c_lower_stmt(l, p.init[i]);
    }
    ms_node *loop = c_new_node(l, MS_NODE_LOOP, s);
    loop->u.loop.loop_kind = MS_LOOP_WHILE;
    loop->u.loop.infinite = clang_Cursor_isNull(p.cond);
    lower_cond(l, p.cond);
    set_header(l, loop, s, p.body);
    if (!clang_Cursor_isNull(p.cond) && iterates_map(l, p.cond, loop))
        loop->u.loop.loop_kind = MS_LOOP_RANGE;

    uint32_t counter = MS_NONE;
    CXCursor bound = clang_getNullCursor();
    if (loop->u.loop.loop_kind == MS_LOOP_WHILE && !clang_Cursor_isNull(p.cond) &&
        !clang_Cursor_isNull(p.inc)) {
        counter = counter_of_init(l, &p);
        if (counter && !(bound_of(l, p.cond, counter, &bound) && steps_by_one(l, p.inc, counter)))
            counter = MS_NONE;
    }
    uint32_t assigns = counter ? c_sx(l->t, counter)->assigns : 0;
    /* the bound is read on every iteration: the body must leave it alone */
    c_bound_vars bound_vars = {0};
    if (counter)
        c_bound_vars_of(l, bound, &bound_vars);
    uint64_t bound_changes = c_bound_changes(l, &bound_vars);
    loop->u.loop.body = lower_loop_body(l, loop, p.body);
    if (counter && c_sx(l->t, counter)->assigns == assigns) {
        loop->u.loop.loop_kind = MS_LOOP_COUNTED;
        loop->u.loop.iter_sym = counter;
        if (!bound_vars.overflow && c_bound_changes(l, &bound_vars) == bound_changes)
            set_trip(l, loop, bound, &bound_vars);
    }
    if (!clang_Cursor_isNull(p.inc)) {
        c_node_vec post = {0};
        c_node_vec *saved = l->out;
        l->out = &post;
        c_set_stmt(l, p.inc);
        c_lower_stmt(l, p.inc);
        l->out = saved;
        loop->u.loop.post = c_make_block(l, &post, p.inc);
    }
    c_emit(l, loop);
}

/* ---- while and do ---------------------------------------------------------------------------- */

void c_lower_while(c_lower *l, CXCursor s) {
    c_cursors kids = {0};
    c_children(s, &kids);
    CXCursor body = kids.len ? kids.items[kids.len - 1] : clang_getNullCursor();
    CXCursor cond = kids.len >= 2 ? kids.items[kids.len - 2] : clang_getNullCursor();
    for (size_t i = 0; i + 2 < kids.len; i++)
        lower_cond(l, kids.items[i]); /* the condition variable */
    MS_VEC_FREE(&kids);
    ms_node *loop = c_new_node(l, MS_NODE_LOOP, s);
    loop->u.loop.loop_kind = MS_LOOP_WHILE;
    lower_cond(l, cond);
    set_header(l, loop, s, body);
    CXEvalResult r = clang_Cursor_isNull(cond) ? NULL : clang_Cursor_Evaluate(cond);
    loop->u.loop.infinite =
        r && clang_EvalResult_getKind(r) == CXEval_Int && clang_EvalResult_getAsLongLong(r) != 0;
    if (r)
        clang_EvalResult_dispose(r);
    if (!clang_Cursor_isNull(cond) && iterates_map(l, cond, loop))
        loop->u.loop.loop_kind = MS_LOOP_RANGE;
    loop->u.loop.body = lower_loop_body(l, loop, body);
    c_emit(l, loop);
}

void c_lower_do(c_lower *l, CXCursor s) {
    c_cursors kids = {0};
    c_children(s, &kids);
    CXCursor body = kids.len ? kids.items[0] : clang_getNullCursor();
    CXCursor cond = kids.len >= 2 ? kids.items[1] : clang_getNullCursor();
    MS_VEC_FREE(&kids);
    ms_node *loop = c_new_node(l, MS_NODE_LOOP, s);
    loop->u.loop.loop_kind = MS_LOOP_WHILE;
    set_header(l, loop, s, body);
    CXEvalResult r = clang_Cursor_isNull(cond) ? NULL : clang_Cursor_Evaluate(cond);
    loop->u.loop.infinite =
        r && clang_EvalResult_getKind(r) == CXEval_Int && clang_EvalResult_getAsLongLong(r) != 0;
    if (r)
        clang_EvalResult_dispose(r);
    loop->u.loop.body = lower_loop_body(l, loop, body);
    /* The condition runs after each pass: the loop's post block. */
    c_node_vec post = {0};
    c_node_vec *saved = l->out;
    l->out = &post;
    lower_cond(l, cond);
    l->out = saved;
    loop->u.loop.post = c_make_block(l, &post, cond);
    c_emit(l, loop);
}

/* ---- range-for ------------------------------------------------------------------------------ */

static void declare_loop_vars(c_lower *l, CXCursor var, ms_node *loop, ms_path container) {
    c_tu *t = l->t;
    if (clang_getCursorKind(var) == CXCursor_UnexposedDecl) {
        /* for (auto &[k, v] : m) */
        c_cursors kids = {0};
        c_children(var, &kids);
        uint32_t n = 0;
        for (size_t i = 0; i < kids.len; i++) {
            if (clang_getCursorKind(kids.items[i]) != CXCursor_UnexposedDecl)
                continue;
            uint32_t sym =
                c_new_sym(t, c_spelling(t, kids.items[i]), MS_SYM_LOCAL, l->func, kids.items[i]);
            if (n == 0)
                loop->u.loop.key_sym = sym;
            else if (n == 1)
                loop->u.loop.val_sym = sym;
            n++;
        }
        MS_VEC_FREE(&kids);
        return;
    }
    if (clang_getCursorKind(var) == CXCursor_VarDecl) {
        loop->u.loop.key_sym = c_new_sym(t, c_spelling(t, var), MS_SYM_LOCAL, l->func, var);
        if (loop->u.loop.range_kind != MS_RANGE_MAP)
            c_sx(t, loop->u.loop.key_sym)->elem_of = container;
    }
}

/* for (auto &kv : std::map<K, V>(m)): a copy, made before the loop. */
static bool constructs_copy(CXCursor e) {
    for (int guard = 0; guard < 16 && !clang_Cursor_isNull(e); guard++) {
        enum CXCursorKind k = clang_getCursorKind(e);
        if (k == CXCursor_CallExpr)
            return clang_getCursorKind(clang_getCursorReferenced(e)) == CXCursor_Constructor;
        if (k == CXCursor_CXXFunctionalCastExpr)
            return true;
        if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr)
            return false;
        c_cursors kids = {0};
        c_children(e, &kids);
        e = kids.len == 1 ? kids.items[0] : clang_getNullCursor();
        MS_VEC_FREE(&kids);
    }
    return false;
}

void c_lower_range_for(c_lower *l, CXCursor s) {
    c_cursors kids = {0};
    c_children(s, &kids);
    if (kids.len < 2) {
        MS_VEC_FREE(&kids);
        return;
    }
    CXCursor body = kids.items[kids.len - 1];
    CXCursor range = clang_getNullCursor(), var = clang_getNullCursor();
    for (size_t i = 0; i + 1 < kids.len; i++) {
        enum CXCursorKind k = clang_getCursorKind(kids.items[i]);
        if (clang_isExpression(k))
            range = kids.items[i];
        else if ((k == CXCursor_VarDecl || k == CXCursor_UnexposedDecl) &&
                 clang_Cursor_isNull(range))
            var = kids.items[i];
        else if (clang_Cursor_isNull(range))
            c_lower_stmt(l, kids.items[i]); /* C++20 init-statement */
    }
    MS_VEC_FREE(&kids);
    ms_node *loop = c_new_node(l, MS_NODE_LOOP, s);
    loop->u.loop.loop_kind = MS_LOOP_RANGE;
    loop->u.loop.range_kind = MS_RANGE_UNKNOWN;
    set_header(l, loop, s, body);
    if (!clang_Cursor_isNull(range)) {
        c_set_stmt(l, range);
        c_lower_expr(l, range);
        c_type ty;
        const char *text = c_simple_text(l, range);
        CXType rt = clang_getCursorType(c_strip(range));
        if (!constructs_copy(range) && c_is_map_expr(l, range, &ty)) {
            loop->u.loop.range_kind = MS_RANGE_MAP;
            loop->u.loop.map = c_path_of(l, range);
            loop->u.loop.semantics = ty.semantics;
        } else if (rt.kind == CXType_ConstantArray) {
            loop->u.loop.range_kind = MS_RANGE_SLICE;
            loop->u.loop.trip = MS_TRIP_CONST;
            loop->u.loop.trip_const = clang_getArraySize(rt);
            if (text)
                loop->u.loop.trip_text = ms_arena_printf(l->t->arena, "std::size(%s)", text);
        } else {
            loop->u.loop.range_kind = MS_RANGE_SLICE;
        }
        if (text && loop->u.loop.trip == MS_TRIP_UNKNOWN &&
            clang_getCursorKind(c_strip(range)) != CXCursor_CallExpr) {
            loop->u.loop.trip = MS_TRIP_EXPR;
            loop->u.loop.trip_text = ms_arena_printf(l->t->arena, "%s.size()", text);
        }
        if (loop->u.loop.trip != MS_TRIP_UNKNOWN) {
            c_bound_vars vars;
            c_bound_vars_of(l, range, &vars);
            set_trip_syms(l, loop, &vars);
        }
    }
    if (!clang_Cursor_isNull(var))
        declare_loop_vars(l, var, loop,
                          clang_Cursor_isNull(range) ? (ms_path){0} : c_path_of(l, range));
    loop->u.loop.body = lower_loop_body(l, loop, body);
    c_emit(l, loop);
}
