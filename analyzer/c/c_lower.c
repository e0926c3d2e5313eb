/* Lowering C and C++ statements and function bodies to the IR: blocks (the
 * scopes RAII guards live in), branches, switches with fallthrough, labels
 * and gotos, exits, try/catch, and lambdas as closures. Loops are in
 * c_lower_loop.c, expressions and calls in c_lower_expr.c and c_lower_call.c. */
#include "c_internal.h"

#include <string.h>

/* ---- node helpers ----------------------------------------------------------- */

ms_node *c_new_node(c_lower *l, ms_node_kind kind, CXCursor at) {
    ms_node *n = MS_NEW(l->t->arena, ms_node);
    n->kind = (uint8_t)kind;
    ms_span sp;
    if (clang_Cursor_isNull(at) || !c_cursor_span(l->t, at, &sp))
        sp = l->stmt;
    n->span = sp;
    n->stmt = l->stmt.end > l->stmt.start ? l->stmt : n->span;
    return n;
}

void c_emit(c_lower *l, ms_node *n) {
    MS_VEC_PUSH(l->out, n);
}

void c_set_stmt(c_lower *l, CXCursor c) {
    ms_span sp;
    if (c_cursor_span(l->t, c, &sp))
        l->stmt = sp;
}

ms_node *c_make_block(c_lower *l, c_node_vec *v, CXCursor at) {
    ms_node *b = c_new_node(l, MS_NODE_BLOCK, at);
    b->u.block.len = (uint32_t)v->len;
    b->u.block.items = MS_NEW_ARRAY(l->t->arena, ms_node *, v->len ? v->len : 1);
    if (v->len)
        memcpy(b->u.block.items, v->items, sizeof(ms_node *) * v->len);
    MS_VEC_FREE(v);
    return b;
}

bool c_enter(c_lower *l, CXCursor at) {
    if (l->depth >= C_MAX_NESTING) {
        c_tu *t = l->t;
        if (!t->depth_notified) {
            t->depth_notified = true;
            ms_span sp = l->stmt;
            c_cursor_span(t, at, &sp);
            const ms_source *src = c_file_source(t, sp.file);
            ms_region r = ms_source_region(src, sp.start, sp.start);
            ms_report_notify(t->report, MS_LEVEL_WARNING, "nesting-too-deep", src->path,
                             r.start_line, r.start_col,
                             "code is nested more than %d levels deep; the part below that depth "
                             "is not analysed",
                             C_MAX_NESTING);
        }
        return false;
    }
    l->depth++;
    return true;
}

void c_leave(c_lower *l) {
    l->depth--;
}

void c_push_target(c_lower *l, ms_node *node, bool is_loop) {
    c_target tg = {.node = node, .is_loop = is_loop};
    MS_VEC_PUSH(&l->targets, tg);
}

static ms_node *find_target(c_lower *l, bool want_loop) {
    for (size_t i = l->targets.len; i-- > 0;)
        if (!want_loop || l->targets.items[i].is_loop)
            return l->targets.items[i].node;
    return NULL;
}

/* ---- blocks -------------------------------------------------------------------- */

/* A compound statement: its own scope. What its variables do when they go
 * (destructors, std::jthread and std::async joins) happens when it ends. */
static ms_node *lower_compound(c_lower *l, CXCursor compound) {
    c_node_vec v = {0};
    c_node_vec *saved = l->out;
    l->out = &v;
    size_t joins = l->scope_exits.len;
    CXCursor saved_item = l->block_item;
    c_cursors kids = {0};
    c_children(compound, &kids);
    for (size_t i = 0; i < kids.len; i++) {
        l->block_item = kids.items[i];
        c_lower_stmt(l, kids.items[i]);
    }
    MS_VEC_FREE(&kids);
    l->block_item = saved_item;
    for (size_t i = l->scope_exits.len; i-- > joins;)
        c_emit(l, l->scope_exits.items[i]);
    l->scope_exits.len = joins;
    l->out = saved;
    return c_make_block(l, &v, compound);
}

ms_node *c_lower_body(c_lower *l, CXCursor stmt) {
    if (clang_Cursor_isNull(stmt)) {
        c_node_vec none = {0};
        return c_make_block(l, &none, stmt);
    }
    if (clang_getCursorKind(stmt) == CXCursor_CompoundStmt)
        return lower_compound(l, stmt);
    c_node_vec v = {0};
    c_node_vec *saved = l->out;
    l->out = &v;
    size_t joins = l->scope_exits.len;
    c_lower_stmt(l, stmt);
    for (size_t i = l->scope_exits.len; i-- > joins;)
        c_emit(l, l->scope_exits.items[i]);
    l->scope_exits.len = joins;
    l->out = saved;
    return c_make_block(l, &v, stmt);
}

/* ---- if and switch -------------------------------------------------------------------- */

/* Splits the children of an if, switch or while into the header (init,
 * condition variable, condition) and what follows the parenthesis. */
static size_t header_children(c_lower *l, CXCursor s, const c_cursors *kids) {
    ms_span sp;
    uint32_t close, semi[2];
    if (c_cursor_span(l->t, s, &sp)) {
        const ms_source *src = c_file_source(l->t, sp.file);
        if (c_header_layout(src->text, src->size, sp.start, &close, semi)) {
            size_t n = 0;
            for (size_t i = 0; i < kids->len; i++) {
                ms_span cs;
                if (c_cursor_span(l->t, kids->items[i], &cs) && cs.file == sp.file &&
                    cs.start < close)
                    n = i + 1;
            }
            return n;
        }
    }
    /* Inside a macro: the condition is the first expression; declarations
     * before it are the init statement and condition variable. */
    for (size_t i = 0; i < kids->len; i++)
        if (clang_isExpression(clang_getCursorKind(kids->items[i])))
            return i + 1;
    return kids->len ? 1 : 0;
}

static void lower_header_part(c_lower *l, CXCursor c) {
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_VarDecl) {
        c_set_stmt(l, c);
        c_lower_var_decl(l, c);
    } else if (clang_isExpression(k)) {
        c_set_stmt(l, c);
        c_lower_expr(l, c);
    } else {
        c_lower_stmt(l, c);
    }
}

static void lower_if(c_lower *l, CXCursor s) {
    c_cursors kids = {0};
    c_children(s, &kids);
    size_t h = header_children(l, s, &kids);
    for (size_t i = 0; i < h; i++)
        lower_header_part(l, kids.items[i]);
    ms_node *br = c_new_node(l, MS_NODE_BRANCH, s);
    ms_node *arms[2];
    uint32_t n = 0;
    for (size_t i = h; i < kids.len && n < 2; i++)
        arms[n++] = c_lower_body(l, kids.items[i]);
    if (n == 0) {
        c_node_vec none = {0};
        arms[n++] = c_make_block(l, &none, s);
    }
    br->u.branch.arms = MS_NEW_ARRAY(l->t->arena, ms_node *, n);
    memcpy(br->u.branch.arms, arms, sizeof(ms_node *) * n);
    br->u.branch.narms = n;
    br->u.branch.exhaustive = n == 2;
    c_emit(l, br);
    MS_VEC_FREE(&kids);
}

static bool is_label(enum CXCursorKind k) {
    return k == CXCursor_CaseStmt || k == CXCursor_DefaultStmt;
}

/* The statement a chain of case labels labels: case 1: case 2: stmt. */
static CXCursor labelled_stmt(CXCursor c, bool *is_default) {
    c_cursors kids = {0};
    for (int guard = 0; guard < 4096 && is_label(clang_getCursorKind(c)); guard++) {
        if (clang_getCursorKind(c) == CXCursor_DefaultStmt)
            *is_default = true;
        c_children(c, &kids);
        c = kids.len ? kids.items[kids.len - 1] : clang_getNullCursor();
    }
    MS_VEC_FREE(&kids);
    return c;
}

static bool ends_in_exit(const c_node_vec *v) {
    if (v->len == 0)
        return false;
    const ms_node *last = v->items[v->len - 1];
    return last->kind == MS_NODE_EXIT && last->u.exit.exit_kind != MS_EXIT_FALLTHROUGH;
}

/* switch: one arm per group of case labels; an arm that does not end in
 * break, return, continue or goto falls through into the next. */
static void lower_switch(c_lower *l, CXCursor s) {
    c_cursors kids = {0};
    c_children(s, &kids);
    size_t h = header_children(l, s, &kids);
    for (size_t i = 0; i < h; i++)
        lower_header_part(l, kids.items[i]);
    ms_node *br = c_new_node(l, MS_NODE_BRANCH, s);
    br->u.branch.breakable = true;
    c_push_target(l, br, false);
    MS_VEC(c_node_vec) arms = {0};
    CXCursor body = h < kids.len ? kids.items[h] : clang_getNullCursor();
    c_cursors stmts = {0};
    if (!clang_Cursor_isNull(body)) {
        if (clang_getCursorKind(body) == CXCursor_CompoundStmt)
            c_children(body, &stmts);
        else
            MS_VEC_PUSH(&stmts, body);
    }
    c_node_vec *saved = l->out;
    for (size_t i = 0; i < stmts.len; i++) {
        CXCursor st = stmts.items[i];
        if (is_label(clang_getCursorKind(st))) {
            bool is_default = false;
            st = labelled_stmt(st, &is_default);
            if (is_default)
                br->u.branch.exhaustive = true;
            c_node_vec fresh = {0};
            MS_VEC_PUSH(&arms, fresh);
        }
        if (arms.len == 0 || clang_Cursor_isNull(st))
            continue; /* before the first label: never runs */
        l->out = &arms.items[arms.len - 1];
        c_lower_stmt(l, st);
    }
    l->out = saved;
    l->targets.len--;
    br->u.branch.narms = (uint32_t)arms.len;
    br->u.branch.arms = MS_NEW_ARRAY(l->t->arena, ms_node *, arms.len ? arms.len : 1);
    for (size_t i = arms.len; i-- > 0;) {
        if (i + 1 < arms.len && !ends_in_exit(&arms.items[i])) {
            ms_node *ft = c_new_node(l, MS_NODE_EXIT, body);
            ft->u.exit.exit_kind = MS_EXIT_FALLTHROUGH;
            ft->u.exit.target = br->u.branch.arms[i + 1];
            MS_VEC_PUSH(&arms.items[i], ft);
        }
        br->u.branch.arms[i] = c_make_block(l, &arms.items[i], body);
    }
    MS_VEC_FREE(&arms);
    MS_VEC_FREE(&stmts);
    MS_VEC_FREE(&kids);
    c_emit(l, br);
}

/* ---- labels, gotos, exits ---------------------------------------------------------------- */

static void lower_label(c_lower *l, CXCursor s) {
    ms_node *ln = c_new_node(l, MS_NODE_LABEL, s);
    ln->u.label.name = c_spelling(l->t, s);
    c_emit(l, ln);
    c_label entry = {.decl = s, .node = ln};
    MS_VEC_PUSH(&l->labels, entry);
    c_cursors kids = {0};
    c_children(s, &kids);
    for (size_t i = 0; i < kids.len; i++)
        c_lower_stmt(l, kids.items[i]);
    MS_VEC_FREE(&kids);
}

static void emit_exit(c_lower *l, CXCursor s, ms_exit_kind kind) {
    c_set_stmt(l, s);
    ms_node *e = c_new_node(l, MS_NODE_EXIT, s);
    e->u.exit.exit_kind = (uint8_t)kind;
    if (kind == MS_EXIT_BREAK || kind == MS_EXIT_CONTINUE)
        e->u.exit.target = find_target(l, kind == MS_EXIT_CONTINUE);
    if (kind == MS_EXIT_GOTO) {
        c_cursors kids = {0};
        c_children(s, &kids);
        /* the label is found after the whole body is lowered */
        e->u.exit.label = kids.len ? c_spelling(l->t, kids.items[0]) : NULL;
        MS_VEC_FREE(&kids);
        MS_VEC_PUSH(&l->gotos, e);
    }
    c_emit(l, e);
}

static void resolve_gotos(c_lower *l) {
    for (size_t i = 0; i < l->gotos.len; i++) {
        ms_node *e = l->gotos.items[i];
        for (size_t k = 0; k < l->labels.len && e->u.exit.label; k++)
            if (l->labels.items[k].node->u.label.name == e->u.exit.label)
                e->u.exit.target = l->labels.items[k].node;
    }
}

/* try { } catch: the handlers may run after any point of the try block. */
static void lower_try(c_lower *l, CXCursor s) {
    c_cursors kids = {0};
    c_children(s, &kids);
    if (kids.len == 0) {
        MS_VEC_FREE(&kids);
        return;
    }
    c_emit(l, c_lower_body(l, kids.items[0]));
    if (kids.len > 1) {
        ms_node *br = c_new_node(l, MS_NODE_BRANCH, s);
        br->u.branch.narms = (uint32_t)(kids.len - 1);
        br->u.branch.arms = MS_NEW_ARRAY(l->t->arena, ms_node *, kids.len - 1);
        c_cursors parts = {0};
        for (size_t i = 1; i < kids.len; i++) {
            c_children(kids.items[i], &parts);
            c_node_vec v = {0};
            c_node_vec *saved = l->out;
            l->out = &v;
            for (size_t k = 0; k < parts.len; k++) {
                enum CXCursorKind pk = clang_getCursorKind(parts.items[k]);
                if (pk == CXCursor_VarDecl)
                    c_lower_var_decl(l, parts.items[k]);
                else if (pk == CXCursor_CompoundStmt)
                    c_emit(l, c_lower_body(l, parts.items[k]));
            }
            l->out = saved;
            br->u.branch.arms[i - 1] = c_make_block(l, &v, kids.items[i]);
        }
        MS_VEC_FREE(&parts);
        c_emit(l, br);
    }
    MS_VEC_FREE(&kids);
}

static void lower_expr_stmt(c_lower *l, CXCursor s) {
    c_set_stmt(l, s);
    CXCursor e = c_strip(s);
    enum CXCursorKind k = clang_getCursorKind(e);
    bool noreturn = false;
    if (k == CXCursor_CallExpr) {
        /* A std::async future nobody keeps is destroyed at once, which waits
         * for the task. */
        l->result_discarded = true;
        noreturn = c_lower_call(l, e);
        l->result_discarded = false;
    } else {
        c_lower_expr(l, s);
        noreturn = k == CXCursor_CXXThrowExpr;
    }
    if (noreturn) {
        ms_node *x = c_new_node(l, MS_NODE_EXIT, s);
        x->u.exit.exit_kind = MS_EXIT_PANIC;
        c_emit(l, x);
    }
}

void c_lower_stmt(c_lower *l, CXCursor s) {
    if (clang_Cursor_isNull(s) || !c_enter(l, s))
        return;
    enum CXCursorKind k = clang_getCursorKind(s);
    switch (k) {
        case CXCursor_CompoundStmt:
            c_emit(l, lower_compound(l, s));
            break;
        case CXCursor_DeclStmt: {
            c_cursors kids = {0};
            c_children(s, &kids);
            for (size_t i = 0; i < kids.len; i++) {
                c_set_stmt(l, s);
                if (clang_getCursorKind(kids.items[i]) == CXCursor_VarDecl ||
                    clang_getCursorKind(kids.items[i]) == CXCursor_UnexposedDecl)
                    c_lower_var_decl(l, kids.items[i]);
            }
            MS_VEC_FREE(&kids);
            break;
        }
        case CXCursor_IfStmt:
            lower_if(l, s);
            break;
        case CXCursor_SwitchStmt:
            lower_switch(l, s);
            break;
        case CXCursor_ForStmt:
            c_lower_for(l, s);
            break;
        case CXCursor_WhileStmt:
            c_lower_while(l, s);
            break;
        case CXCursor_DoStmt:
            c_lower_do(l, s);
            break;
        case CXCursor_CXXForRangeStmt:
            c_lower_range_for(l, s);
            break;
        case CXCursor_CaseStmt:
        case CXCursor_DefaultStmt: {
            /* a label not directly in a switch body (Duff's device) */
            bool is_default = false;
            c_lower_stmt(l, labelled_stmt(s, &is_default));
            break;
        }
        case CXCursor_LabelStmt:
            lower_label(l, s);
            break;
        case CXCursor_GotoStmt:
            emit_exit(l, s, MS_EXIT_GOTO);
            break;
        case CXCursor_BreakStmt:
            emit_exit(l, s, MS_EXIT_BREAK);
            break;
        case CXCursor_ContinueStmt:
            emit_exit(l, s, MS_EXIT_CONTINUE);
            break;
        case CXCursor_ReturnStmt: {
            c_set_stmt(l, s);
            c_cursors kids = {0};
            c_children(s, &kids);
            for (size_t i = 0; i < kids.len; i++)
                c_lower_expr(l, kids.items[i]);
            MS_VEC_FREE(&kids);
            emit_exit(l, s, MS_EXIT_RETURN);
            break;
        }
        case CXCursor_CXXTryStmt:
            lower_try(l, s);
            break;
        case CXCursor_NullStmt:
        case CXCursor_AsmStmt:
        case CXCursor_MSAsmStmt:
        case CXCursor_IndirectGotoStmt:
            break;
        default:
            if (clang_isExpression(k)) {
                lower_expr_stmt(l, s);
            } else if (clang_isStatement(k)) {
                /* attributed statements and the like: what they wrap */
                c_cursors kids = {0};
                c_children(s, &kids);
                for (size_t i = 0; i < kids.len; i++)
                    c_lower_stmt(l, kids.items[i]);
                MS_VEC_FREE(&kids);
            }
            break;
    }
    c_leave(l);
}

/* ---- functions and lambdas ------------------------------------------------------------------- */

typedef MS_VEC(uint32_t) sym_vec;

static void lower_free(c_lower *l) {
    MS_VEC_FREE(&l->targets);
    MS_VEC_FREE(&l->labels);
    MS_VEC_FREE(&l->gotos);
    MS_VEC_FREE(&l->captures);
    MS_VEC_FREE(&l->scope_exits);
}

/* Parameters, then the body; anything else among the children (member
 * initialisers of a constructor) is evaluated first. */
static void lower_function_body(c_lower *l, CXCursor def) {
    c_tu *t = l->t;
    sym_vec params = {0};
    ms_func *fn = &t->funcs.items[l->func];
    if (fn->flags & MS_FUNCF_METHOD) {
        l->this_sym = c_new_sym(t, ms_intern_cstr(t->names, "this"), MS_SYM_RECEIVER, l->func,
                                clang_getNullCursor());
        t->syms.items[l->this_sym].param_index = 0;
        MS_VEC_PUSH(&params, l->this_sym);
    }
    c_cursors kids = {0};
    c_children(def, &kids);
    CXCursor body = clang_getNullCursor();
    c_node_vec pre = {0};
    l->out = &pre;
    for (size_t i = 0; i < kids.len; i++) {
        CXCursor c = kids.items[i];
        enum CXCursorKind k = clang_getCursorKind(c);
        if (k == CXCursor_ParmDecl) {
            uint32_t sym = c_new_sym(t, c_spelling(t, c), MS_SYM_PARAM, l->func, c);
            t->syms.items[sym].param_index = (int16_t)params.len;
            MS_VEC_PUSH(&params, sym);
        } else if (k == CXCursor_CompoundStmt || k == CXCursor_CXXTryStmt) {
            body = c;
        } else if (clang_isExpression(k)) {
            c_set_stmt(l, c);
            c_lower_expr(l, c);
        }
    }
    fn = &t->funcs.items[l->func];
    fn->nparams = (uint32_t)params.len;
    fn->params = MS_NEW_ARRAY(t->arena, uint32_t, params.len ? params.len : 1);
    if (params.len)
        memcpy(fn->params, params.items, sizeof(uint32_t) * params.len);
    MS_VEC_FREE(&params);
    if (!clang_Cursor_isNull(body)) {
        if (clang_getCursorKind(body) == CXCursor_CompoundStmt) {
            ms_node *b = lower_compound(l, body);
            MS_VEC_PUSH(&pre, b);
        } else {
            c_lower_stmt(l, body);
        }
        ms_node *whole = c_make_block(l, &pre, body);
        t->funcs.items[l->func].body = whole; /* funcs may have moved */
    } else {
        MS_VEC_FREE(&pre);
    }
    resolve_gotos(l);
    MS_VEC_FREE(&kids);
}

void c_lower_function(c_tu *t, uint32_t func) {
    unsigned lambdas = 0;
    c_lower l = {.t = t, .func = func, .lambda_count = &lambdas};
    lower_function_body(&l, t->func_cursor.items[func]);
    lower_free(&l);
}

/* The lambda's own copy of a variable captured by copy, when the variable is
 * a map held by value: writes to the copy do not reach the original. A
 * pointer or reference captured by copy still names the same map. */
static void capture_copies(c_lower *inner, c_lower *outer, CXCursor lambda) {
    c_tu *t = inner->t;
    ms_span sp;
    if (!c_cursor_span(t, lambda, &sp))
        return;
    uint32_t len;
    const char *text = c_span_text(t, sp, &len);
    c_capture_list caps;
    if (!c_parse_captures(t, text, len, &caps))
        return;
    /* [*this] works on a copy of the object. */
    inner->this_sym = caps.this_by_copy ? MS_NONE : outer->this_sym;
    /* Every variable of the enclosing function that the lambda captures by
     * copy gets a copy, unless it is a pointer: a reference captured by
     * copy copies the object it refers to. */
    for (uint32_t s = 1; s < t->syms.len; s++) {
        const ms_sym *sym = &t->syms.items[s];
        if (sym->func != outer->func || sym->kind == MS_SYM_GLOBAL)
            continue;
        c_symx *x = c_sx(t, s);
        if (x->type.pointer ||
            (x->type.type_class != MS_TC_MAP && x->type.type_class != MS_TC_LOCK &&
             x->type.type_class != MS_TC_RWLOCK))
            continue;
        bool copy = caps.dflt == C_CAPTURE_COPY;
        for (size_t i = 0; i < caps.by_copy.len; i++)
            if (caps.by_copy.items[i] == sym->name)
                copy = true;
        for (size_t i = 0; i < caps.by_ref.len; i++)
            if (caps.by_ref.items[i] == sym->name)
                copy = false;
        if (!copy)
            continue;
        uint32_t inner_sym =
            c_new_sym(t, sym->name, MS_SYM_LOCAL, inner->func, clang_getNullCursor());
        t->syms.items[inner_sym].type_class = t->syms.items[s].type_class;
        t->syms.items[inner_sym].semantics = t->syms.items[s].semantics;
        t->syms.items[inner_sym].type_name = t->syms.items[s].type_name;
        c_sx(t, inner_sym)->type = c_sx(t, s)->type;
        c_capture cap = {.outer = s, .inner = inner_sym};
        MS_VEC_PUSH(&inner->captures, cap);
    }
    c_capture_list_free(&caps);
}

uint32_t c_lower_lambda(c_lower *l, CXCursor lambda) {
    c_tu *t = l->t;
    unsigned n = ++*l->lambda_count;
    const ms_func *parent = &t->funcs.items[l->func];
    const char *name = ms_arena_printf(t->arena, "lambda%u", n);
    const char *display = ms_arena_printf(t->arena, "%s.lambda%u", parent->display, n);
    uint32_t id = c_new_func(t, lambda, name, display, NULL, MS_FUNCF_CLOSURE);
    t->funcs.items[id].parent = l->func;
    c_lower inner = {.t = t,
                     .func = id,
                     .outer = l,
                     .lambda_count = l->lambda_count,
                     .depth = l->depth,
                     .stmt = l->stmt};
    capture_copies(&inner, l, lambda);
    /* Copies of the enclosing lambda's own copies carry over. */
    for (size_t i = 0; i < l->captures.len; i++)
        MS_VEC_PUSH(&inner.captures, l->captures.items[i]);
    lower_function_body(&inner, lambda);
    lower_free(&inner);
    return id;
}
