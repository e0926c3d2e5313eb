#include "go_lower.h"

#include <stdlib.h>
#include <string.h>

/* ---- node helpers ---------------------------------------------------------- */

ms_span go_span(go_lower *l, TSNode n) {
    ms_span s = {l->file, 0, 0};
    if (!ts_node_is_null(n)) {
        s.start = ts_node_start_byte(n);
        s.end = ts_node_end_byte(n);
    }
    return s;
}

ms_node *go_new_node(go_lower *l, ms_node_kind kind, TSNode at) {
    ms_node *n = MS_NEW(l->p->arena, ms_node);
    n->kind = (uint8_t)kind;
    n->span = go_span(l, at);
    n->stmt = l->stmt.end > l->stmt.start ? l->stmt : n->span;
    return n;
}

void go_emit(go_lower *l, ms_node *n) {
    MS_VEC_PUSH(l->out, n);
}

static ms_node *make_block(go_lower *l, node_vec *v, TSNode at) {
    ms_node *b = go_new_node(l, MS_NODE_BLOCK, at);
    b->u.block.len = (uint32_t)v->len;
    b->u.block.items = MS_NEW_ARRAY(l->p->arena, ms_node *, v->len ? v->len : 1);
    if (v->len)
        memcpy(b->u.block.items, v->items, sizeof(ms_node *) * v->len);
    MS_VEC_FREE(v);
    return b;
}

bool go_enter(go_lower *l, TSNode at) {
    if (l->depth >= GO_MAX_NESTING) {
        go_pkg *p = l->p;
        if (!p->depth_notified) {
            p->depth_notified = true;
            ms_source *src = p->files[l->file].src;
            ms_region r = ms_source_region(src, ts_node_start_byte(at), ts_node_start_byte(at));
            ms_report_notify(p->report, MS_LEVEL_WARNING, "nesting-too-deep", src->path,
                             r.start_line, r.start_col,
                             "code is nested more than %d levels deep; the part below that depth "
                             "is not analysed",
                             GO_MAX_NESTING);
        }
        return false;
    }
    l->depth++;
    return true;
}

void go_leave(go_lower *l) {
    l->depth--;
}

static const char *label_text(go_lower *l, TSNode stmt) {
    go_children it;
    TSNode child;
    const char *label = NULL;
    go_children_begin(&it, l->g, stmt);
    while (go_children_next(&it, &child))
        if (go_kind_of(l->g, child) == GK_LABEL_NAME)
            label = go_node_text(l->p, l->file, child);
    go_children_end(&it);
    return label;
}

/* ---- statements -------------------------------------------------------------- */

static void lower_stmt(go_lower *l, TSNode s);

/* Lowers the statements of a statement_list (or the one inside a block). */
static void lower_stmts(go_lower *l, TSNode list) {
    if (go_kind_of(l->g, list) == GK_BLOCK) {
        TSNode inner = go_named(list, 0);
        if (ts_node_is_null(inner) || go_kind_of(l->g, inner) != GK_STATEMENT_LIST)
            return;
        list = inner;
    }
    go_children it;
    TSNode s;
    go_children_begin(&it, l->g, list);
    while (go_children_next(&it, &s))
        lower_stmt(l, s);
    go_children_end(&it);
}

/* A block in its own scope, as a BLOCK node (not emitted). */
ms_node *go_lower_block(go_lower *l, TSNode block) {
    node_vec v = {0};
    node_vec *saved = l->out;
    l->out = &v;
    go_scope_push(&l->p->scope);
    if (!ts_node_is_null(block))
        lower_stmts(l, block);
    go_scope_pop(&l->p->scope);
    l->out = saved;
    return make_block(l, &v, block);
}

/* Lowers one statement into a fresh block (if-else chains). */
static ms_node *block_of_stmt(go_lower *l, TSNode s) {
    node_vec v = {0};
    node_vec *saved = l->out;
    l->out = &v;
    lower_stmt(l, s);
    l->out = saved;
    return make_block(l, &v, s);
}

static void set_stmt(go_lower *l, TSNode n) {
    l->stmt = go_span(l, n);
}

/* Declares a local symbol with a type, in the current scope. */
static uint32_t declare_local(go_lower *l, TSNode ident, const go_type *type) {
    go_pkg *p = l->p;
    const char *name = go_node_text(p, l->file, ident);
    if (name == p->blank)
        return MS_NONE;
    uint32_t sym = go_new_sym(p, name, MS_SYM_LOCAL, l->func, l->file, ident);
    p->sym_types.items[sym] = type;
    p->syms.items[sym].type_class = (uint8_t)go_type_class(p, type);
    p->syms.items[sym].type_name = go_type_named(p, type);
    go_scope_bind(&p->scope, name, sym, NULL);
    return sym;
}

static void mark_reassigned(go_lower *l, uint32_t sym) {
    go_pkg *p = l->p;
    p->syms.items[sym].flags |= MS_SYMF_REASSIGNED;
}

/* The variable or field a right-hand side names, whose maps a variable
 * bound to it shares. Resolved before the statement binds anything: in
 * `k := k` the right k is the outer one, and `a, b = b, a` swaps. */
static ms_path value_alias(go_lower *l, TSNode rhs) {
    ms_path none = {0};
    if (ts_node_is_null(rhs))
        return none;
    go_kind k = go_kind_of(l->g, rhs);
    if (k == GK_UNARY_EXPRESSION) {
        /* mu := &t.mu, p := &s: the pointer names what it points at */
        TSNode op = go_field(rhs, l->g->f_operator);
        TSNode operand = go_field(rhs, l->g->f_operand);
        go_kind ok = go_kind_of(l->g, operand);
        if (ts_node_is_null(op) || strcmp(ts_node_type(op), "&") != 0 ||
            (ok != GK_IDENTIFIER && ok != GK_SELECTOR_EXPRESSION))
            return none;
        return go_path_of(l, operand);
    }
    /* Copies of variables and fields share the maps they hold; an element
     * read (`v := xs[i]`) is only tracked when it is itself a map. */
    bool plain = k == GK_IDENTIFIER || k == GK_SELECTOR_EXPRESSION;
    return plain || go_is_map_expr(l, rhs) ? go_path_of(l, rhs) : none;
}

/* Binding facts of a variable that now holds a right-hand side's value: the
 * object it aliases (a map, or a variable or field path: `a := s.items`,
 * `k := key`, from value_alias), the closure it names. Cleared when the
 * value is neither. */
static void bind_value(go_lower *l, uint32_t sym, ms_path alias, uint32_t closure) {
    go_pkg *p = l->p;
    ms_path none = {0};
    p->sym_alias.items[sym] = none;
    p->sym_closure.items[sym] = 0;
    if (closure) {
        p->sym_closure.items[sym] = closure;
        return;
    }
    if (ms_path_valid(&alias) && alias.root != sym) {
        p->sym_alias.items[sym] = alias;
        MS_VEC_PUSH(&p->alias_holders, sym);
    }
}

static void emit_make(go_lower *l, TSNode rhs, ms_path dest) {
    if (ts_node_is_null(rhs) || !ms_path_valid(&dest))
        return;
    ms_node *mk = go_new_node(l, MS_NODE_MAP_MAKE, rhs);
    if (!go_map_make(l, rhs, mk))
        return;
    mk->u.make.dest = dest;
    go_emit(l, mk);
}

typedef MS_VEC(TSNode) tsnode_vec;

static void list_children(go_lower *l, TSNode list, tsnode_vec *out) {
    if (ts_node_is_null(list))
        return;
    if (go_kind_of(l->g, list) != GK_EXPRESSION_LIST) {
        MS_VEC_PUSH(out, list);
        return;
    }
    go_children it;
    TSNode c;
    go_children_begin(&it, l->g, list);
    while (go_children_next(&it, &c))
        MS_VEC_PUSH(out, c);
    go_children_end(&it);
}

/* `changed` now holds another value: a variable that aliased it, or
 * something inside it, still holds the old one (old := m; m = make(...)). */
static void forget_aliases_of(go_lower *l, const ms_path *changed) {
    go_pkg *p = l->p;
    if (!ms_path_valid(changed))
        return;
    for (size_t i = 0; i < p->alias_holders.len;) {
        uint32_t holder = p->alias_holders.items[i];
        ms_path *alias = &p->sym_alias.items[holder];
        bool stale = !ms_path_valid(alias);
        if (!stale && alias->len >= changed->len && ms_path_overlap(alias, changed)) {
            ms_path none = {0};
            *alias = none;
            stale = true;
        }
        if (stale)
            p->alias_holders.items[i] = p->alias_holders.items[--p->alias_holders.len];
        else
            i++;
    }
}

/* A write to one left-hand side: a map insert, a rebinding, a new map. */
static void lower_store(go_lower *l, TSNode lhs, TSNode rhs, ms_path alias, uint32_t closure,
                        bool compound) {
    const go_grammar *g = l->g;
    switch (go_kind_of(g, lhs)) {
        case GK_IDENTIFIER: {
            const go_binding *b = go_lookup_local(l, lhs);
            uint32_t sym = b ? b->sym : MS_NONE;
            if (!b) {
                go_decl *d = go_lookup_package(l, lhs);
                sym = d && d->kind == GD_VAR ? d->sym : MS_NONE;
            }
            if (!sym)
                return;
            mark_reassigned(l, sym);
            ms_node *a = go_new_node(l, MS_NODE_ASSIGN, lhs);
            a->u.assign.sym = sym;
            go_emit(l, a);
            if (compound)
                return; /* n += k, n++: a new value of the same kind */
            ms_path self = {.root = sym};
            forget_aliases_of(l, &self);
            bind_value(l, sym, alias, closure);
            emit_make(l, rhs, self);
            return;
        }
        case GK_INDEX_EXPRESSION: {
            TSNode operand = go_field(lhs, g->f_operand), index = go_field(lhs, g->f_index);
            go_lower_expr(l, operand);
            go_lower_expr(l, index);
            if (!go_is_map_expr(l, operand))
                return;
            ms_node *op = go_new_node(l, MS_NODE_MAP_OP, lhs);
            op->u.map_op.op = MS_OP_INSERT;
            op->u.map_op.map = go_path_of(l, operand);
            op->u.map_op.semantics = MS_ITER_GO;
            go_classify_key(l, index, &op->u.map_op.key_kind, &op->u.map_op.key_sym);
            if (compound)
                op->u.map_op.flags |= MS_MAPOPF_UPDATE;
            if (go_is_const_expr(l, index) || go_is_folded_expr(l, index))
                op->u.map_op.flags |= MS_MAPOPF_FEW_KEYS;
            if (!compound && go_is_constant_value(l, rhs))
                op->u.map_op.flags |= MS_MAPOPF_CONST_VALUE;
            go_emit(l, op);
            return;
        }
        case GK_SELECTOR_EXPRESSION: {
            go_lower_expr(l, go_field(lhs, g->f_operand));
            if (compound)
                return;
            ms_path field = go_path_of(l, lhs);
            forget_aliases_of(l, &field);
            emit_make(l, rhs, field);
            return;
        }
        case GK_PARENTHESIZED_EXPRESSION:
            lower_store(l, go_named(lhs, 0), rhs, alias, closure, compound);
            return;
        case GK_UNARY_EXPRESSION:
            go_lower_expr(l, go_field(lhs, g->f_operand));
            return;
        default:
            return;
    }
}

/* The closure a right-hand side evaluates to, lowering it if it is a literal.
 * `self` is the existing variable it is assigned to, which the literal may
 * call or start recursively (var walk func(); walk = func() { go walk() }). */
static uint32_t lower_rhs(go_lower *l, TSNode rhs, uint32_t self) {
    if (go_kind_of(l->g, rhs) == GK_FUNC_LITERAL)
        return go_lower_closure_bound(l, rhs, self);
    go_lower_expr(l, rhs);
    return 0;
}

/* The variable a plain assignment (=) to `lhs` rebinds. */
static uint32_t assigned_variable(go_lower *l, TSNode lhs) {
    if (go_kind_of(l->g, lhs) != GK_IDENTIFIER)
        return MS_NONE;
    const go_binding *b = go_lookup_local(l, lhs);
    if (b)
        return b->sym;
    go_decl *d = go_lookup_package(l, lhs);
    return d && d->kind == GD_VAR ? d->sym : MS_NONE;
}

/* x, y := a, b / x, y = a, b / x op= a / var x, y = a, b */
static void lower_assignment(go_lower *l, TSNode left, TSNode right, bool define, bool compound,
                             TSNode declared_type) {
    go_pkg *p = l->p;
    tsnode_vec lhs = {0}, rhs = {0};
    if (go_kind_of(l->g, left) == GK_EXPRESSION_LIST) {
        list_children(l, left, &lhs);
    } else {
        /* var_spec: the names are the spec's "name" children */
        uint32_t count = ts_node_child_count(left);
        for (uint32_t i = 0; i < count; i++) {
            const char *f = ts_node_field_name_for_child(left, i);
            if (f && strcmp(f, "name") == 0)
                MS_VEC_PUSH(&lhs, ts_node_child(left, i));
        }
    }
    list_children(l, right, &rhs);

    uint32_t *closures = ms_xcalloc(rhs.len ? rhs.len : 1, sizeof(uint32_t));
    ms_path *aliases = ms_xcalloc(rhs.len ? rhs.len : 1, sizeof(ms_path));
    for (size_t i = 0; i < rhs.len; i++) {
        uint32_t self = rhs.len == lhs.len && !define && !compound
                            ? assigned_variable(l, lhs.items[i])
                            : MS_NONE;
        closures[i] = lower_rhs(l, rhs.items[i], self);
        aliases[i] = value_alias(l, rhs.items[i]);
    }

    const go_type *tuple = NULL;
    if (rhs.len == 1 && lhs.len > 1)
        tuple = go_expr_type(p, l->file, rhs.items[0]);
    const go_type *declared =
        ts_node_is_null(declared_type) ? NULL : go_type_from_node(p, l->file, declared_type);

    for (size_t i = 0; i < lhs.len; i++) {
        TSNode lv = lhs.items[i];
        TSNode rv = rhs.len == lhs.len ? rhs.items[i] : (TSNode){0};
        uint32_t closure = rhs.len == lhs.len ? closures[i] : 0;
        ms_path alias = rhs.len == lhs.len ? aliases[i] : (ms_path){0};
        bool is_ident = go_kind_of(l->g, lv) == GK_IDENTIFIER;
        const go_binding *existing = is_ident && define ? go_lookup_local(l, lv) : NULL;
        bool declares =
            define && is_ident && !(existing && go_scope_is_current(&p->scope, existing));
        if (!declares) {
            lower_store(l, lv, rv, alias, closure, compound);
            continue;
        }
        const go_type *t = declared;
        if (!t) {
            if (tuple) {
                t = go_tuple_item(tuple, (uint32_t)i);
                /* v, ok := m[k] and friends: the second value is a bool */
                if (i == 1 && tuple->kind != GT_TUPLE)
                    t = go_type_unknown();
            } else if (!ts_node_is_null(rv)) {
                t = go_expr_type(p, l->file, rv);
            } else {
                t = go_type_unknown();
            }
        }
        uint32_t sym = declare_local(l, lv, t);
        if (!sym)
            continue;
        bind_value(l, sym, alias, closure);
        ms_path dest = {.root = sym};
        emit_make(l, rv, dest);
    }
    free(closures);
    free(aliases);
    MS_VEC_FREE(&lhs);
    MS_VEC_FREE(&rhs);
}

static void lower_var_spec(go_lower *l, TSNode spec) {
    set_stmt(l, spec);
    lower_assignment(l, spec, go_field(spec, l->g->f_value), true, false,
                     go_field(spec, l->g->f_type));
}

static void lower_spec_list(go_lower *l, TSNode decl) {
    go_children it;
    TSNode c;
    go_children_begin(&it, l->g, decl);
    while (go_children_next(&it, &c)) {
        go_kind k = go_kind_of(l->g, c);
        if (k == GK_VAR_SPEC || k == GK_CONST_SPEC)
            lower_var_spec(l, c);
        else if (k == GK_VAR_SPEC_LIST)
            lower_spec_list(l, c);
    }
    go_children_end(&it);
}

static void lower_local_types(go_lower *l, TSNode decl) {
    go_children it;
    TSNode c;
    go_children_begin(&it, l->g, decl);
    while (go_children_next(&it, &c)) {
        TSNode name = go_field(c, l->g->f_name);
        if (ts_node_is_null(name))
            continue;
        const go_type *t = go_type_from_node(l->p, l->file, go_field(c, l->g->f_type));
        go_scope_bind(&l->p->scope, go_node_text(l->p, l->file, name), MS_NONE, t);
    }
    go_children_end(&it);
}

static void lower_inc_dec(go_lower *l, TSNode s) {
    TSNode operand = go_named(s, 0);
    lower_store(l, operand, (TSNode){0}, (ms_path){0}, 0, true);
}

/* ---- control flow -------------------------------------------------------------- */

static ms_node *find_target(go_lower *l, const char *label, bool want_loop) {
    for (size_t i = l->targets.len; i-- > 0;) {
        go_target *t = &l->targets.items[i];
        if (label ? t->label == label : (!want_loop || t->is_loop))
            return t->node;
    }
    return NULL;
}

static void push_target(go_lower *l, ms_node *node, bool is_loop, const char *label) {
    go_target t = {.node = node, .is_loop = is_loop, .label = label};
    MS_VEC_PUSH(&l->targets, t);
}

static void lower_branch_exit(go_lower *l, TSNode s, ms_exit_kind kind) {
    set_stmt(l, s);
    ms_node *e = go_new_node(l, MS_NODE_EXIT, s);
    e->u.exit.exit_kind = (uint8_t)kind;
    e->u.exit.label = label_text(l, s);
    if (kind == MS_EXIT_GOTO) {
        MS_VEC_PUSH(&l->gotos, e);
    } else if (kind == MS_EXIT_FALLTHROUGH) {
        l->pending_fallthrough = e;
    } else {
        e->u.exit.target = find_target(l, e->u.exit.label, kind == MS_EXIT_CONTINUE);
    }
    go_emit(l, e);
}

static void lower_if(go_lower *l, TSNode s) {
    const go_grammar *g = l->g;
    go_scope_push(&l->p->scope);
    TSNode init = go_field(s, g->f_initializer);
    if (!ts_node_is_null(init))
        lower_stmt(l, init);
    TSNode cond = go_field(s, g->f_condition);
    set_stmt(l, cond);
    go_lower_expr(l, cond);
    ms_node *br = go_new_node(l, MS_NODE_BRANCH, s);
    ms_node *arms[2];
    uint32_t n = 0;
    arms[n++] = go_lower_block(l, go_field(s, g->f_consequence));
    TSNode alt = go_field(s, g->f_alternative);
    if (!ts_node_is_null(alt)) {
        arms[n++] =
            go_kind_of(g, alt) == GK_IF_STATEMENT ? block_of_stmt(l, alt) : go_lower_block(l, alt);
    }
    br->u.branch.arms = MS_NEW_ARRAY(l->p->arena, ms_node *, n);
    memcpy(br->u.branch.arms, arms, sizeof(ms_node *) * n);
    br->u.branch.narms = n;
    br->u.branch.exhaustive = n == 2;
    go_emit(l, br);
    go_scope_pop(&l->p->scope);
}

/* switch and select: one arm per case, break leaves the statement. */
static void lower_cases(go_lower *l, TSNode s, bool is_select) {
    const go_grammar *g = l->g;
    ms_node *br = go_new_node(l, MS_NODE_BRANCH, s);
    br->u.branch.breakable = true;
    br->u.branch.label = l->pending_label;
    l->pending_label = NULL;
    br->u.branch.exhaustive = is_select; /* a select always runs one case */
    push_target(l, br, false, br->u.branch.label);
    node_vec arms = {0};
    go_children it;
    TSNode c;
    go_children_begin(&it, g, s);
    while (go_children_next(&it, &c)) {
        go_kind k = go_kind_of(g, c);
        if (k != GK_EXPRESSION_CASE && k != GK_TYPE_CASE && k != GK_DEFAULT_CASE &&
            k != GK_COMMUNICATION_CASE)
            continue;
        if (k == GK_DEFAULT_CASE)
            br->u.branch.exhaustive = true;
        node_vec body = {0};
        node_vec *saved = l->out;
        l->out = &body;
        go_scope_push(&l->p->scope);
        if (k == GK_EXPRESSION_CASE) {
            TSNode values = go_field(c, g->f_value);
            set_stmt(l, values);
            go_lower_expr(l, values);
        } else if (k == GK_COMMUNICATION_CASE) {
            TSNode comm = go_field(c, g->f_communication);
            if (go_kind_of(g, comm) == GK_RECEIVE_STATEMENT) {
                set_stmt(l, comm);
                TSNode left = go_field(comm, g->f_left), right = go_field(comm, g->f_right);
                bool define = false;
                uint32_t count = ts_node_child_count(comm);
                for (uint32_t i = 0; i < count; i++)
                    if (strcmp(ts_node_type(ts_node_child(comm, i)), ":=") == 0)
                        define = true;
                if (!ts_node_is_null(left))
                    lower_assignment(l, left, right, define, false, (TSNode){0});
                else
                    go_lower_expr(l, right);
            } else if (!ts_node_is_null(comm)) {
                lower_stmt(l, comm);
            }
        }
        TSNode list = {0};
        go_children inner;
        TSNode ic;
        go_children_begin(&inner, g, c);
        while (go_children_next(&inner, &ic))
            if (go_kind_of(g, ic) == GK_STATEMENT_LIST)
                list = ic;
        go_children_end(&inner);
        if (!ts_node_is_null(list))
            lower_stmts(l, list);
        go_scope_pop(&l->p->scope);
        l->out = saved;
        ms_node *arm = make_block(l, &body, c);
        /* A fallthrough in the previous arm lands here. */
        if (l->pending_fallthrough) {
            l->pending_fallthrough->u.exit.target = arm;
            l->pending_fallthrough = NULL;
        }
        MS_VEC_PUSH(&arms, arm);
    }
    go_children_end(&it);
    l->pending_fallthrough = NULL;
    l->targets.len--;
    br->u.branch.narms = (uint32_t)arms.len;
    br->u.branch.arms = MS_NEW_ARRAY(l->p->arena, ms_node *, arms.len ? arms.len : 1);
    if (arms.len)
        memcpy(br->u.branch.arms, arms.items, sizeof(ms_node *) * arms.len);
    MS_VEC_FREE(&arms);
    go_emit(l, br);
}

static void lower_switch(go_lower *l, TSNode s, bool type_switch) {
    const go_grammar *g = l->g;
    go_scope_push(&l->p->scope);
    const char *label = l->pending_label;
    l->pending_label = NULL;
    TSNode init = go_field(s, g->f_initializer);
    if (!ts_node_is_null(init))
        lower_stmt(l, init);
    TSNode value = go_field(s, g->f_value);
    set_stmt(l, value);
    go_lower_expr(l, value);
    if (type_switch) {
        TSNode alias = go_field(s, g->f_alias);
        if (!ts_node_is_null(alias)) {
            TSNode id = go_named(alias, 0);
            if (!ts_node_is_null(id))
                declare_local(l, id, go_type_unknown());
        }
    }
    l->pending_label = label;
    lower_cases(l, s, false);
    go_scope_pop(&l->p->scope);
}

/* ---- loops ------------------------------------------------------------------------ */

static bool has_token(TSNode n, const char *token) {
    uint32_t count = ts_node_child_count(n);
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_child(n, i);
        if (!ts_node_is_named(c) && strcmp(ts_node_type(c), token) == 0)
            return true;
    }
    return false;
}

/* A range over maps.Keys(m) and friends: which map, and whether live. */
static bool map_view(go_lower *l, TSNode e, TSNode *map_arg, bool *live, bool *values_only) {
    const go_grammar *g = l->g;
    if (go_kind_of(g, e) != GK_CALL_EXPRESSION)
        return false;
    TSNode fn = go_field(e, g->f_function);
    if (go_kind_of(g, fn) != GK_SELECTOR_EXPRESSION)
        return false;
    const char *path = go_lookup_import(l, go_field(fn, g->f_operand));
    if (!path)
        return false;
    const char *name = go_node_text(l->p, l->file, go_field(fn, g->f_field));
    const ms_model_api *api = ms_catalogue_function(l->p->cat, MS_MODEL_GO, path, name);
    if (!api || api->role != MS_ROLE_MAP_VIEW || api->map < 0)
        return false;
    TSNode args = go_field(e, g->f_arguments);
    if ((uint32_t)api->map >= go_named_count(args))
        return false;
    *map_arg = go_named(args, (uint32_t)api->map);
    *live = api->live;
    *values_only = strcmp(name, "Values") == 0;
    return true;
}

static void lower_range(go_lower *l, ms_node *loop, TSNode clause) {
    go_pkg *p = l->p;
    const go_grammar *g = l->g;
    TSNode left = go_field(clause, g->f_left), right = go_field(clause, g->f_right);
    set_stmt(l, clause);
    go_lower_expr(l, right);

    TSNode map_arg = {0};
    bool is_view = false, live = false, values_only = false;
    const go_type *rt = go_expr_type(p, l->file, right);
    const go_type *ru = go_type_underlying(p, rt);
    if (ru->kind == GT_POINTER && ru->elem)
        ru = go_type_underlying(p, ru->elem); /* range over *[N]T */
    const go_type *key_t = go_type_unknown(), *val_t = go_type_unknown();
    loop->u.loop.loop_kind = MS_LOOP_RANGE;
    is_view = map_view(l, right, &map_arg, &live, &values_only);
    if (is_view) {
        const go_type *mt = go_type_underlying(p, go_expr_type(p, l->file, map_arg));
        if (mt->kind == GT_MAP) {
            key_t = values_only ? mt->elem : mt->key;
            val_t = mt->elem;
        }
        if (live) {
            loop->u.loop.range_kind = MS_RANGE_MAP;
            loop->u.loop.map = go_path_of(l, map_arg);
        } else {
            loop->u.loop.range_kind = MS_RANGE_SLICE;
        }
    } else if (go_type_is_map(p, rt) && ru->kind != GT_MAP) {
        /* a map type of another package, known from the model */
        loop->u.loop.range_kind = MS_RANGE_MAP;
        loop->u.loop.map = go_path_of(l, right);
    } else {
        switch (ru->kind) {
            case GT_MAP:
                loop->u.loop.range_kind = MS_RANGE_MAP;
                loop->u.loop.map = go_path_of(l, right);
                key_t = ru->key;
                val_t = ru->elem;
                break;
            case GT_SLICE:
            case GT_ARRAY:
                loop->u.loop.range_kind = MS_RANGE_SLICE;
                val_t = ru->elem;
                break;
            case GT_CHAN:
                loop->u.loop.range_kind = MS_RANGE_CHAN;
                loop->u.loop.channel = go_path_of(l, right);
                key_t = ru->elem;
                break;
            case GT_FUNC:
                loop->u.loop.range_kind = MS_RANGE_FUNC;
                break;
            case GT_BASIC:
                loop->u.loop.range_kind =
                    ru->name && strcmp(ru->name, "string") == 0 ? MS_RANGE_SLICE : MS_RANGE_INT;
                break;
            default:
                loop->u.loop.range_kind = MS_RANGE_UNKNOWN;
                break;
        }
        if (go_kind_of(g, right) == GK_INT_LITERAL)
            loop->u.loop.range_kind = MS_RANGE_INT;
    }
    loop->u.loop.semantics = MS_ITER_GO;
    /* Trip counts for capacity hints. */
    uint32_t nvars = ts_node_is_null(left)                       ? 0
                     : go_kind_of(g, left) == GK_EXPRESSION_LIST ? ts_node_named_child_count(left)
                                                                 : 1;
    if (loop->u.loop.range_kind == MS_RANGE_INT)
        go_trip_count(l, loop, right);
    else if (is_view)
        go_trip_range(l, loop, map_arg, go_type_underlying(p, go_expr_type(p, l->file, map_arg)),
                      nvars);
    else
        go_trip_range(l, loop, right, ru, nvars);

    /* The iteration variables: declared (:=) or assigned (=). */
    if (ts_node_is_null(left))
        return;
    bool define = has_token(clause, ":=");
    tsnode_vec vars = {0};
    list_children(l, left, &vars);
    for (size_t i = 0; i < vars.len && i < 2; i++) {
        uint32_t sym = MS_NONE;
        const go_type *t = i == 0 ? key_t : val_t;
        if (loop->u.loop.range_kind == MS_RANGE_SLICE || loop->u.loop.range_kind == MS_RANGE_INT)
            t = i == 0 ? go_type_unknown() : val_t;
        if (define) {
            sym = declare_local(l, vars.items[i], t);
        } else if (go_kind_of(g, vars.items[i]) == GK_IDENTIFIER) {
            const go_binding *b = go_lookup_local(l, vars.items[i]);
            if (b && b->sym) {
                sym = b->sym;
                /* Whatever it held before, it now holds the current key. */
                p->syms.items[sym].flags &= ~(uint32_t)MS_SYMF_REASSIGNED;
            }
        }
        if (i == 0 && !values_only)
            loop->u.loop.key_sym = sym;
        else
            loop->u.loop.val_sym = sym;
    }
    MS_VEC_FREE(&vars);
}

/* for i := 0; i < n; i++ with n a simple operand: a counted loop. */
static uint32_t counted_counter(go_lower *l, TSNode clause, TSNode *bound) {
    const go_grammar *g = l->g;
    TSNode init = go_field(clause, g->f_initializer);
    TSNode cond = go_field(clause, g->f_condition);
    TSNode update = go_field(clause, g->f_update);
    if (go_kind_of(g, init) != GK_SHORT_VAR_DECLARATION ||
        go_kind_of(g, cond) != GK_BINARY_EXPRESSION || ts_node_is_null(update))
        return MS_NONE;
    TSNode ivar = go_named(go_field(init, g->f_left), 0);
    TSNode ival = go_named(go_field(init, g->f_right), 0);
    if (go_kind_of(g, ivar) != GK_IDENTIFIER || go_kind_of(g, ival) != GK_INT_LITERAL ||
        strcmp(go_node_text(l->p, l->file, ival), "0") != 0)
        return MS_NONE;
    const char *name = go_node_text(l->p, l->file, ivar);
    TSNode op = go_field(cond, g->f_operator);
    TSNode cl = go_field(cond, g->f_left), cr = go_field(cond, g->f_right);
    if (ts_node_is_null(op) || strcmp(ts_node_type(op), "<") != 0 ||
        go_kind_of(g, cl) != GK_IDENTIFIER || go_node_text(l->p, l->file, cl) != name)
        return MS_NONE;
    bool step = false;
    if (go_kind_of(g, update) == GK_INC_STATEMENT) {
        TSNode v = go_named(update, 0);
        step = go_kind_of(g, v) == GK_IDENTIFIER && go_node_text(l->p, l->file, v) == name;
    }
    if (!step)
        return MS_NONE;
    const go_binding *b = go_scope_lookup(&l->p->scope, name);
    *bound = cr;
    return b ? b->sym : MS_NONE;
}

static void lower_for(go_lower *l, TSNode s) {
    const go_grammar *g = l->g;
    go_pkg *p = l->p;
    go_scope_push(&p->scope);
    ms_node *loop = go_new_node(l, MS_NODE_LOOP, s);
    loop->u.loop.label = l->pending_label;
    l->pending_label = NULL;
    loop->u.loop.loop_kind = MS_LOOP_WHILE;
    TSNode body = go_field(s, g->f_body);
    TSNode header = {0}, clause = {0}, update = {0};
    go_children it;
    TSNode c;
    go_children_begin(&it, g, s);
    while (go_children_next(&it, &c))
        if (!ts_node_eq(c, body))
            header = c;
    go_children_end(&it);

    uint32_t counter = MS_NONE;
    TSNode bound = {0};
    bool infinite = ts_node_is_null(header);
    switch (go_kind_of(g, header)) {
        case GK_RANGE_CLAUSE:
            lower_range(l, loop, header);
            break;
        case GK_FOR_CLAUSE: {
            clause = header;
            TSNode init = go_field(clause, g->f_initializer);
            if (!ts_node_is_null(init))
                lower_stmt(l, init);
            TSNode cond = go_field(clause, g->f_condition);
            infinite = ts_node_is_null(cond);
            set_stmt(l, cond);
            go_lower_expr(l, cond);
            update = go_field(clause, g->f_update);
            counter = counted_counter(l, clause, &bound);
            break;
        }
        default:
            if (!infinite) {
                set_stmt(l, header);
                go_lower_expr(l, header);
            }
            break;
    }
    loop->u.loop.infinite = infinite;
    ms_span header_span = go_span(l, s);
    if (!ts_node_is_null(body) && ts_node_start_byte(body) > header_span.start)
        header_span.end = ts_node_start_byte(body);
    /* Drop trailing spaces before the body's brace. */
    const char *text = p->files[l->file].src->text;
    while (header_span.end > header_span.start &&
           (text[header_span.end - 1] == ' ' || text[header_span.end - 1] == '\t'))
        header_span.end--;
    loop->u.loop.header = header_span;

    bool counter_clean = counter && !(p->syms.items[counter].flags & MS_SYMF_REASSIGNED);
    push_target(l, loop, true, loop->u.loop.label);
    loop->u.loop.body = go_lower_block(l, body);
    l->targets.len--;
    if (counter_clean && !(p->syms.items[counter].flags & MS_SYMF_REASSIGNED)) {
        loop->u.loop.loop_kind = MS_LOOP_COUNTED;
        loop->u.loop.iter_sym = counter;
        go_trip_count(l, loop, bound);
        go_trip_check_body(l, loop, bound, body);
    }
    if (!ts_node_is_null(update)) {
        node_vec post = {0};
        node_vec *saved = l->out;
        l->out = &post;
        lower_stmt(l, update);
        l->out = saved;
        loop->u.loop.post = make_block(l, &post, update);
    }
    go_emit(l, loop);
    go_scope_pop(&p->scope);
}

static void lower_labeled(go_lower *l, TSNode s) {
    TSNode name = go_field(s, l->g->f_label);
    const char *label = ts_node_is_null(name) ? NULL : go_node_text(l->p, l->file, name);
    ms_node *ln = go_new_node(l, MS_NODE_LABEL, s);
    ln->u.label.name = label;
    go_emit(l, ln);
    go_label entry = {.name = label, .node = ln};
    MS_VEC_PUSH(&l->labels, entry);
    go_children it;
    TSNode c;
    go_children_begin(&it, l->g, s);
    while (go_children_next(&it, &c)) {
        if (go_kind_of(l->g, c) == GK_LABEL_NAME)
            continue;
        l->pending_label = label;
        lower_stmt(l, c);
        l->pending_label = NULL;
    }
    go_children_end(&it);
}

/* Whether lowering the deferred call at `span` emitted a node for the call
 * itself (past the nodes of its arguments): a call of the package, a lock,
 * a modelled signal. */
static bool stands_for_call(const go_lower *l, size_t from, ms_span span) {
    for (size_t i = from; i < l->out->len; i++) {
        const ms_node *n = l->out->items[i];
        if ((n->kind == MS_NODE_CALL && n->u.call.flags & MS_CALLF_DEFERRED) ||
            (n->kind == MS_NODE_LOCK && n->u.lock.deferred) ||
            (n->span.file == span.file && n->span.start == span.start && n->span.end == span.end))
            return true;
    }
    return false;
}

/* A deferred call that left no node (defer unlock(), defer f.Close()) is
 * still recorded, as an unresolved deferred call: what it does to locks at
 * the function's end is unknown. */
static void lower_defer(go_lower *l, TSNode s) {
    TSNode call = go_named(s, 0);
    if (go_kind_of(l->g, call) != GK_CALL_EXPRESSION) {
        go_lower_expr(l, call);
        return;
    }
    size_t from = l->out->len;
    go_lower_call(l, call, MS_CALLF_DEFERRED);
    if (stands_for_call(l, from, go_span(l, call)))
        return;
    ms_node *n = go_new_node(l, MS_NODE_CALL, call);
    n->u.call.callee = MS_NONE;
    n->u.call.name = go_node_text(l->p, l->file, go_field(call, l->g->f_function));
    n->u.call.flags = MS_CALLF_DEFERRED;
    go_emit(l, n);
}

static void lower_stmt(go_lower *l, TSNode s) {
    if (ts_node_is_null(s) || !go_enter(l, s))
        return;
    const go_grammar *g = l->g;
    go_kind k = go_kind_of(g, s);
    switch (k) {
        case GK_EXPRESSION_STATEMENT: {
            set_stmt(l, s);
            TSNode e = go_named(s, 0);
            if (go_kind_of(g, e) == GK_CALL_EXPRESSION) {
                if (go_lower_call(l, e, 0)) {
                    ms_node *x = go_new_node(l, MS_NODE_EXIT, s);
                    x->u.exit.exit_kind = MS_EXIT_PANIC;
                    go_emit(l, x);
                }
            } else {
                go_lower_expr(l, e);
            }
            break;
        }
        case GK_SHORT_VAR_DECLARATION:
            set_stmt(l, s);
            lower_assignment(l, go_field(s, g->f_left), go_field(s, g->f_right), true, false,
                             (TSNode){0});
            break;
        case GK_ASSIGNMENT_STATEMENT: {
            set_stmt(l, s);
            TSNode op = go_field(s, g->f_operator);
            bool compound = !ts_node_is_null(op) && strcmp(ts_node_type(op), "=") != 0;
            lower_assignment(l, go_field(s, g->f_left), go_field(s, g->f_right), false, compound,
                             (TSNode){0});
            break;
        }
        case GK_INC_STATEMENT:
        case GK_DEC_STATEMENT:
            set_stmt(l, s);
            lower_inc_dec(l, s);
            break;
        case GK_SEND_STATEMENT: {
            set_stmt(l, s);
            TSNode channel = go_field(s, g->f_channel);
            go_lower_expr(l, channel);
            go_lower_expr(l, go_field(s, g->f_value));
            ms_node *sig = go_new_node(l, MS_NODE_SIGNAL, s);
            sig->u.signal.signal_kind = MS_SIGNAL_SEND;
            sig->u.signal.obj = go_path_of(l, channel);
            go_emit(l, sig);
            break;
        }
        case GK_VAR_DECLARATION:
        case GK_CONST_DECLARATION:
            lower_spec_list(l, s);
            break;
        case GK_TYPE_DECLARATION:
            lower_local_types(l, s);
            break;
        case GK_BLOCK:
            go_emit(l, go_lower_block(l, s));
            break;
        case GK_IF_STATEMENT:
            lower_if(l, s);
            break;
        case GK_FOR_STATEMENT:
            lower_for(l, s);
            break;
        case GK_EXPRESSION_SWITCH_STATEMENT:
            lower_switch(l, s, false);
            break;
        case GK_TYPE_SWITCH_STATEMENT:
            lower_switch(l, s, true);
            break;
        case GK_SELECT_STATEMENT:
            lower_cases(l, s, true);
            break;
        case GK_LABELED_STATEMENT:
            lower_labeled(l, s);
            break;
        case GK_GO_STATEMENT: {
            set_stmt(l, s);
            TSNode call = go_named(s, 0);
            if (go_kind_of(g, call) == GK_CALL_EXPRESSION)
                go_lower_go_statement(l, call);
            break;
        }
        case GK_DEFER_STATEMENT:
            set_stmt(l, s);
            lower_defer(l, s);
            break;
        case GK_RETURN_STATEMENT: {
            set_stmt(l, s);
            TSNode values = go_named(s, 0);
            if (!ts_node_is_null(values))
                go_lower_expr(l, values);
            ms_node *x = go_new_node(l, MS_NODE_EXIT, s);
            x->u.exit.exit_kind = MS_EXIT_RETURN;
            go_emit(l, x);
            break;
        }
        case GK_BREAK_STATEMENT:
            lower_branch_exit(l, s, MS_EXIT_BREAK);
            break;
        case GK_CONTINUE_STATEMENT:
            lower_branch_exit(l, s, MS_EXIT_CONTINUE);
            break;
        case GK_GOTO_STATEMENT:
            lower_branch_exit(l, s, MS_EXIT_GOTO);
            break;
        case GK_FALLTHROUGH_STATEMENT:
            lower_branch_exit(l, s, MS_EXIT_FALLTHROUGH);
            break;
        default:
            /* empty statements, and ERROR nodes: a syntax error was already
             * reported for the file; what parsed around it is analysed */
            break;
    }
    go_leave(l);
}

/* ---- functions ------------------------------------------------------------------------ */

static void resolve_gotos(go_lower *l) {
    for (size_t i = 0; i < l->gotos.len; i++) {
        ms_node *e = l->gotos.items[i];
        for (size_t k = 0; k < l->labels.len; k++)
            if (l->labels.items[k].name == e->u.exit.label)
                e->u.exit.target = l->labels.items[k].node;
    }
}

static void declare_type_params(go_lower *l, TSNode list) {
    if (ts_node_is_null(list))
        return;
    go_children it;
    TSNode decl;
    go_children_begin(&it, l->g, list);
    while (go_children_next(&it, &decl)) {
        const go_type *constraint = go_type_from_node(l->p, l->file, go_field(decl, l->g->f_type));
        uint32_t count = ts_node_child_count(decl);
        for (uint32_t i = 0; i < count; i++) {
            const char *f = ts_node_field_name_for_child(decl, i);
            if (f && strcmp(f, "name") == 0)
                go_scope_bind(&l->p->scope, go_node_text(l->p, l->file, ts_node_child(decl, i)),
                              MS_NONE, constraint);
        }
    }
    go_children_end(&it);
}

/* Receiver type arguments, (c *Cache[K, V]), are type names in the body. */
static void declare_receiver_type_args(go_lower *l, TSNode receiver) {
    TSNode param = go_named(receiver, 0);
    TSNode t = go_field(param, l->g->f_type);
    if (go_kind_of(l->g, t) == GK_POINTER_TYPE)
        t = go_named(t, 0);
    if (go_kind_of(l->g, t) != GK_GENERIC_TYPE)
        return;
    TSNode args = go_field(t, l->g->f_type_arguments);
    go_children it;
    TSNode a;
    go_children_begin(&it, l->g, args);
    while (go_children_next(&it, &a)) {
        TSNode id = go_named(a, 0);
        if (go_kind_of(l->g, id) == GK_TYPE_IDENTIFIER)
            go_scope_bind(&l->p->scope, go_node_text(l->p, l->file, id), MS_NONE,
                          go_type_unknown());
    }
    go_children_end(&it);
}

typedef MS_VEC(uint32_t) sym_vec;

static void declare_params(go_lower *l, TSNode list, ms_sym_kind kind, sym_vec *params) {
    if (ts_node_is_null(list))
        return;
    go_pkg *p = l->p;
    go_children it;
    TSNode decl;
    go_children_begin(&it, l->g, list);
    while (go_children_next(&it, &decl)) {
        go_kind dk = go_kind_of(l->g, decl);
        if (dk != GK_PARAMETER_DECLARATION && dk != GK_VARIADIC_PARAMETER_DECLARATION)
            continue;
        const go_type *t = go_type_from_node(p, l->file, go_field(decl, l->g->f_type));
        if (dk == GK_VARIADIC_PARAMETER_DECLARATION) {
            go_type *slice = MS_NEW(p->arena, go_type);
            slice->kind = GT_SLICE;
            slice->elem = t;
            t = slice;
        }
        bool named = false;
        uint32_t count = ts_node_child_count(decl);
        for (uint32_t i = 0; i < count; i++) {
            const char *f = ts_node_field_name_for_child(decl, i);
            if (!f || strcmp(f, "name") != 0)
                continue;
            named = true;
            TSNode id = ts_node_child(decl, i);
            const char *name = go_node_text(p, l->file, id);
            uint32_t sym = MS_NONE;
            if (params) {
                sym = go_new_sym(p, name, kind, l->func, l->file, id);
                p->syms.items[sym].param_index = (int16_t)params->len;
                MS_VEC_PUSH(params, sym);
            } else {
                sym = go_new_sym(p, name, MS_SYM_LOCAL, l->func, l->file, id);
            }
            p->sym_types.items[sym] = t;
            p->syms.items[sym].type_class = (uint8_t)go_type_class(p, t);
            p->syms.items[sym].type_name = go_type_named(p, t);
            if (name != p->blank)
                go_scope_bind(&p->scope, name, sym, NULL);
        }
        if (!named && params) {
            /* An unnamed parameter still takes an argument position. */
            uint32_t sym = go_new_sym(p, p->blank, kind, l->func, l->file, decl);
            p->syms.items[sym].param_index = (int16_t)params->len;
            MS_VEC_PUSH(params, sym);
        }
    }
    go_children_end(&it);
}

/* Lowers the body of a function, method or literal into function `func`. */
static void lower_function_body(go_lower *l, TSNode decl) {
    go_pkg *p = l->p;
    const go_grammar *g = l->g;
    sym_vec params = {0};
    go_scope_push(&p->scope);
    declare_type_params(l, go_field(decl, g->f_type_parameters));
    TSNode receiver = go_field(decl, g->f_receiver);
    if (!ts_node_is_null(receiver)) {
        declare_receiver_type_args(l, receiver);
        declare_params(l, receiver, MS_SYM_RECEIVER, &params);
    }
    declare_params(l, go_field(decl, g->f_parameters), MS_SYM_PARAM, &params);
    TSNode result = go_field(decl, g->f_result);
    if (go_kind_of(g, result) == GK_PARAMETER_LIST)
        declare_params(l, result, MS_SYM_LOCAL, NULL);

    ms_func *fn = &p->funcs.items[l->func];
    fn->nparams = (uint32_t)params.len;
    fn->params = MS_NEW_ARRAY(p->arena, uint32_t, params.len ? params.len : 1);
    if (params.len)
        memcpy(fn->params, params.items, sizeof(uint32_t) * params.len);
    MS_VEC_FREE(&params);

    TSNode body = go_field(decl, g->f_body);
    if (!ts_node_is_null(body)) {
        ms_node *b = go_lower_block(l, body);
        p->funcs.items[l->func].body = b; /* funcs may have moved */
    }
    resolve_gotos(l);
    go_scope_pop(&p->scope);
}

static void lower_free(go_lower *l) {
    MS_VEC_FREE(&l->targets);
    MS_VEC_FREE(&l->labels);
    MS_VEC_FREE(&l->gotos);
}

uint32_t go_lower_closure(go_lower *l, TSNode lit) {
    return go_lower_closure_bound(l, lit, MS_NONE);
}

uint32_t go_lower_closure_bound(go_lower *l, TSNode lit, uint32_t self) {
    go_pkg *p = l->p;
    unsigned n = ++*l->closure_count;
    const ms_func *parent = &p->funcs.items[l->func];
    const char *name = ms_arena_printf(p->arena, "func%u", n);
    const char *display = ms_arena_printf(p->arena, "%s.func%u", parent->display, n);
    uint32_t id = go_new_func(p, l->file, lit, name, display, NULL, MS_FUNCF_CLOSURE);
    p->funcs.items[id].parent = l->func;
    p->funcs.items[id].name_span = go_span(l, lit);
    if (self)
        p->sym_closure.items[self] = id;

    go_lower inner = {.p = p,
                      .g = l->g,
                      .file = l->file,
                      .func = id,
                      .outer = l,
                      .closure_count = l->closure_count,
                      .depth = l->depth};
    node_vec scratch = {0};
    inner.out = &scratch;
    lower_function_body(&inner, lit);
    MS_VEC_FREE(&scratch);
    lower_free(&inner);
    return id;
}

static void lower_declared(go_pkg *p, uint32_t func) {
    TSNode decl = p->func_nodes.items[func];
    unsigned closures = 0;
    go_lower l = {.p = p,
                  .g = p->g,
                  .file = p->funcs.items[func].span.file,
                  .func = func,
                  .closure_count = &closures};
    node_vec scratch = {0};
    l.out = &scratch;
    lower_function_body(&l, decl);
    MS_VEC_FREE(&scratch);
    lower_free(&l);
}

/* Package-level variable initializers run once, before main; their function
 * literals are analysed as closures of a synthetic function per file. */
static void lower_package_vars(go_pkg *p) {
    for (uint32_t f = 0; f < p->nfiles; f++) {
        uint32_t func = MS_NONE;
        unsigned closures = 0;
        go_lower l = {.p = p, .g = p->g, .file = f, .closure_count = &closures};
        node_vec body = {0};
        l.out = &body;
        for (size_t i = 0; i < p->decls.len; i++) {
            go_decl *d = &p->decls.items[i];
            if (d->kind != GD_VAR || d->file != f || ts_node_is_null(d->value))
                continue;
            if (!func) {
                func = go_new_func(p, f, p->files[f].root, "init", "init#vars", NULL, 0);
                l.func = func;
            }
            l.stmt = go_span(&l, d->node);
            if (go_kind_of(p->g, d->value) == GK_FUNC_LITERAL) {
                /* Lowering adds symbols: take the result before indexing. */
                uint32_t closure = go_lower_closure(&l, d->value);
                p->sym_closure.items[d->sym] = closure;
            } else if (d->value_index == 0) {
                go_lower_expr(&l, d->value);
                ms_path dest = {.root = d->sym};
                emit_make(&l, d->value, dest);
            }
        }
        if (func)
            p->funcs.items[func].body = make_block(&l, &body, p->files[f].root);
        else
            MS_VEC_FREE(&body);
        lower_free(&l);
    }
}

void go_lower_package(go_pkg *p) {
    uint32_t declared = (uint32_t)p->funcs.len;
    /* Global types first, so functions see them whatever the file order. */
    for (size_t i = 0; i < p->decls.len; i++) {
        go_decl *d = &p->decls.items[i];
        if (d->kind == GD_VAR) {
            const go_type *t = go_type_of_decl(p, d);
            p->syms.items[d->sym].type_class = (uint8_t)go_type_class(p, t);
            p->syms.items[d->sym].type_name = go_type_named(p, t);
        }
    }
    lower_package_vars(p);
    for (uint32_t f = 1; f < declared; f++)
        lower_declared(p, f);
}
