#include "go_lower.h"

#include <string.h>

/* ---- names ------------------------------------------------------------------ */

const go_binding *go_lookup_local(go_lower *l, TSNode ident) {
    if (go_kind_of(l->g, ident) != GK_IDENTIFIER)
        return NULL;
    return go_scope_lookup(&l->p->scope, go_node_text(l->p, l->file, ident));
}

go_decl *go_lookup_package(go_lower *l, TSNode ident) {
    if (go_kind_of(l->g, ident) != GK_IDENTIFIER || go_lookup_local(l, ident))
        return NULL;
    return go_pkg_decl(l->p, go_node_text(l->p, l->file, ident));
}

const char *go_lookup_import(go_lower *l, TSNode ident) {
    if (go_kind_of(l->g, ident) != GK_IDENTIFIER || go_lookup_local(l, ident))
        return NULL;
    const char *name = go_node_text(l->p, l->file, ident);
    if (go_pkg_decl(l->p, name))
        return NULL;
    return go_import_path(&l->p->files[l->file], name);
}

static uint32_t variable_sym(go_lower *l, TSNode ident) {
    const go_binding *b = go_lookup_local(l, ident);
    if (b)
        return b->sym;
    go_decl *d = go_lookup_package(l, ident);
    return d && d->kind == GD_VAR ? d->sym : MS_NONE;
}

/* The text of an index that is a constant (a literal or a named constant),
 * so that m["a"] and m["a"] are known to name one element. */
static const char *constant_index(go_lower *l, TSNode index) {
    while (go_kind_of(l->g, index) == GK_PARENTHESIZED_EXPRESSION)
        index = ts_node_named_child(index, 0);
    switch (go_kind_of(l->g, index)) {
        case GK_INT_LITERAL:
        case GK_INTERPRETED_STRING_LITERAL:
        case GK_RAW_STRING_LITERAL:
        case GK_RUNE_LITERAL:
            return go_node_text(l->p, l->file, index);
        case GK_IDENTIFIER: {
            go_decl *d = go_lookup_package(l, index);
            return d && d->kind == GD_CONST ? d->name : NULL;
        }
        default:
            return NULL;
    }
}

bool go_is_map_expr(go_lower *l, TSNode e) {
    return go_type_is_map(l->p, go_expr_type(l->p, l->file, e));
}

/* ---- access paths --------------------------------------------------------------- */

static bool push_step(ms_path *p, ms_step step) {
    if (p->len >= MS_PATH_MAX) {
        p->root = MS_NONE; /* too deep to track */
        return false;
    }
    p->steps[p->len++] = step;
    return true;
}

ms_path go_path_of(go_lower *l, TSNode e) {
    const go_grammar *g = l->g;
    go_pkg *p = l->p;
    ms_path none = {0};
    for (int guard = 0; guard < 16 && !ts_node_is_null(e); guard++) {
        switch (go_kind_of(g, e)) {
            case GK_PARENTHESIZED_EXPRESSION:
                e = go_named(e, 0);
                continue;
            case GK_UNARY_EXPRESSION: {
                /* &x and *p name the same object for our purposes: Go
                 * dereferences pointers implicitly on selection and index. */
                TSNode op = go_field(e, g->f_operator);
                const char *ops = ts_node_is_null(op) ? "" : ts_node_type(op);
                if (strcmp(ops, "&") != 0 && strcmp(ops, "*") != 0)
                    return none;
                e = go_field(e, g->f_operand);
                continue;
            }
            case GK_IDENTIFIER: {
                uint32_t sym = variable_sym(l, e);
                if (!sym)
                    return none;
                ms_path alias = p->sym_alias.items[sym];
                if (ms_path_valid(&alias))
                    return alias;
                ms_path out = {.root = sym};
                return out;
            }
            case GK_SELECTOR_EXPRESSION: {
                TSNode operand = go_field(e, g->f_operand);
                if (go_lookup_import(l, operand))
                    return none;
                ms_path base = go_path_of(l, operand);
                if (!ms_path_valid(&base))
                    return none;
                const char *field = go_node_text(p, l->file, go_field(e, g->f_field));
                const char *via = NULL;
                go_type_field(p, go_expr_type(p, l->file, operand), field, &via);
                if (via)
                    push_step(&base, (ms_step){.kind = MS_STEP_FIELD, .field = via});
                push_step(&base, (ms_step){.kind = MS_STEP_FIELD, .field = field});
                return base;
            }
            case GK_INDEX_EXPRESSION: {
                ms_path base = go_path_of(l, go_field(e, g->f_operand));
                if (!ms_path_valid(&base))
                    return none;
                TSNode index = go_field(e, g->f_index);
                uint32_t sym = go_kind_of(g, index) == GK_IDENTIFIER ? variable_sym(l, index) : 0;
                push_step(&base, (ms_step){.kind = MS_STEP_INDEX,
                                           .index_sym = sym,
                                           .field = sym ? NULL : constant_index(l, index)});
                return base;
            }
            default:
                return none;
        }
    }
    return none;
}

void go_classify_key(go_lower *l, TSNode key, uint8_t *kind, uint32_t *sym) {
    *kind = MS_KEY_OTHER;
    *sym = MS_NONE;
    while (go_kind_of(l->g, key) == GK_PARENTHESIZED_EXPRESSION)
        key = go_named(key, 0);
    if (go_kind_of(l->g, key) != GK_IDENTIFIER)
        return;
    const go_binding *b = go_lookup_local(l, key);
    if (!b || !b->sym)
        return;
    /* A plain copy (k := key) stands for the variable it copies. */
    uint32_t s = b->sym;
    const ms_path *copy = &l->p->sym_alias.items[s];
    if (ms_path_valid(copy) && copy->len == 0)
        s = copy->root;
    /* A variable assigned since its declaration may hold any key. */
    if (l->p->syms.items[s].flags & MS_SYMF_REASSIGNED)
        return;
    *kind = MS_KEY_SYM;
    *sym = s;
}

/* ---- map creation ------------------------------------------------------------------- */

/* How a hint is given to a builtin map, from the model of the map type. */
static void hint_shape(go_pkg *p, ms_node *mk) {
    const ms_model_type *m = ms_catalogue_type(p->cat, MS_MODEL_GO, "", "map");
    if (!m || !m->has_capacity)
        return;
    mk->u.make.fix_kind = MS_MAKE_FIX_HINT;
    mk->u.make.initial_capacity = m->initial_capacity;
}

bool go_map_make(go_lower *l, TSNode e, ms_node *mk) {
    const go_grammar *g = l->g;
    go_pkg *p = l->p;
    while (go_kind_of(g, e) == GK_PARENTHESIZED_EXPRESSION)
        e = go_named(e, 0);
    mk->u.make.semantics = MS_ITER_GO;
    hint_shape(p, mk);
    go_kind k = go_kind_of(g, e);
    if (k == GK_CALL_EXPRESSION) {
        TSNode fn = go_field(e, g->f_function);
        if (go_kind_of(g, fn) != GK_IDENTIFIER || go_lookup_local(l, fn) ||
            go_lookup_package(l, fn) || go_node_text(p, l->file, fn) != p->universe_make)
            return false;
        TSNode args = go_field(e, g->f_arguments);
        TSNode type = go_named(args, 0);
        if (ts_node_is_null(type) || !go_type_is_map(p, go_type_from_node(p, l->file, type)))
            return false;
        mk->u.make.has_hint = go_named_count(args) >= 2;
        uint32_t at = ts_node_end_byte(type);
        mk->u.make.fix_span = (ms_span){l->file, at, at};
        mk->u.make.fix_prefix = ", ";
        mk->u.make.fix_suffix = "";
        return true;
    }
    if (k == GK_COMPOSITE_LITERAL) {
        TSNode type = go_field(e, g->f_type);
        if (!go_type_is_map(p, go_type_from_node(p, l->file, type)))
            return false;
        TSNode body = go_field(e, g->f_body);
        /* A literal with entries is sized for them already. */
        mk->u.make.has_hint = !ts_node_is_null(go_named(body, 0));
        mk->u.make.fix_span = go_span(l, e);
        mk->u.make.fix_prefix =
            ms_arena_printf(p->arena, "make(%s, ", go_node_text(p, l->file, type));
        mk->u.make.fix_suffix = ")";
        return true;
    }
    return false;
}

/* ---- expressions ----------------------------------------------------------------------- */

static void mark_address_taken(go_lower *l, TSNode e) {
    ms_path path = go_path_of(l, e);
    if (ms_path_valid(&path) && path.len == 0)
        l->p->syms.items[path.root].flags |= MS_SYMF_ADDRESS_TAKEN;
}

static ms_node *emit_map_op(go_lower *l, TSNode at, ms_map_op op, TSNode map, TSNode key) {
    ms_node *n = go_new_node(l, MS_NODE_MAP_OP, at);
    n->u.map_op.op = (uint8_t)op;
    n->u.map_op.map = go_path_of(l, map);
    n->u.map_op.semantics = MS_ITER_GO;
    if (ts_node_is_null(key))
        n->u.map_op.key_kind = MS_KEY_NONE;
    else
        go_classify_key(l, key, &n->u.map_op.key_kind, &n->u.map_op.key_sym);
    go_emit(l, n);
    return n;
}

static void lower_children(go_lower *l, TSNode e) {
    go_children it;
    TSNode c;
    go_children_begin(&it, l->g, e);
    while (go_children_next(&it, &c))
        go_lower_expr(l, c);
    go_children_end(&it);
}

/* a + b + c + ... nests to the left; walk the spine without recursing, so
 * long generated expressions do not hit the nesting limit. */
static void lower_binary(go_lower *l, TSNode e) {
    MS_VEC(TSNode) rights = {0};
    while (go_kind_of(l->g, e) == GK_BINARY_EXPRESSION) {
        MS_VEC_PUSH(&rights, go_field(e, l->g->f_right));
        e = go_field(e, l->g->f_left);
    }
    go_lower_expr(l, e);
    for (size_t i = rights.len; i-- > 0;)
        go_lower_expr(l, rights.items[i]);
    MS_VEC_FREE(&rights);
}

void go_lower_expr(go_lower *l, TSNode e) {
    if (ts_node_is_null(e) || !ts_node_is_named(e))
        return;
    const go_grammar *g = l->g;
    switch (go_kind_of(g, e)) {
        case GK_IDENTIFIER:
        case GK_INT_LITERAL:
        case GK_INTERPRETED_STRING_LITERAL:
        case GK_RAW_STRING_LITERAL:
        case GK_NIL:
        case GK_IOTA:
        case GK_FIELD_IDENTIFIER:
        case GK_TYPE_IDENTIFIER:
        case GK_MAP_TYPE:
        case GK_SLICE_TYPE:
        case GK_POINTER_TYPE:
        case GK_QUALIFIED_TYPE:
        case GK_GENERIC_TYPE:
        case GK_STRUCT_TYPE:
        case GK_INTERFACE_TYPE:
        case GK_CHANNEL_TYPE:
        case GK_FUNCTION_TYPE:
            return;
        case GK_BINARY_EXPRESSION:
            lower_binary(l, e);
            return;
        default:
            break;
    }
    if (!go_enter(l, e))
        return;
    switch (go_kind_of(g, e)) {
        case GK_CALL_EXPRESSION:
            go_lower_call(l, e, 0);
            break;
        case GK_INDEX_EXPRESSION: {
            TSNode operand = go_field(e, g->f_operand), index = go_field(e, g->f_index);
            go_lower_expr(l, operand);
            go_lower_expr(l, index);
            if (go_is_map_expr(l, operand))
                emit_map_op(l, e, MS_OP_READ, operand, index);
            break;
        }
        case GK_SELECTOR_EXPRESSION:
            go_lower_expr(l, go_field(e, g->f_operand));
            break;
        case GK_UNARY_EXPRESSION: {
            TSNode operand = go_field(e, g->f_operand);
            TSNode op = go_field(e, g->f_operator);
            const char *ops = ts_node_is_null(op) ? "" : ts_node_type(op);
            go_lower_expr(l, operand);
            if (strcmp(ops, "<-") == 0) {
                ms_node *j = go_new_node(l, MS_NODE_JOIN, e);
                j->u.join.join_kind = MS_JOIN_CHANNEL;
                j->u.join.obj = go_path_of(l, operand);
                go_emit(l, j);
            } else if (strcmp(ops, "&") == 0) {
                mark_address_taken(l, operand);
            }
            break;
        }
        case GK_FUNC_LITERAL:
            go_lower_closure(l, e);
            break;
        default:
            lower_children(l, e);
            break;
    }
    go_leave(l);
}

/* ---- calls ---------------------------------------------------------------------------------- */

go_callee go_resolve_callee(go_lower *l, TSNode e, uint32_t closure) {
    const go_grammar *g = l->g;
    go_pkg *p = l->p;
    go_callee out = {0};
    if (closure) {
        out.func = closure;
        return out;
    }
    for (int guard = 0; guard < 8 && !ts_node_is_null(e); guard++) {
        switch (go_kind_of(g, e)) {
            case GK_PARENTHESIZED_EXPRESSION:
                e = go_named(e, 0);
                continue;
            case GK_IDENTIFIER: {
                const go_binding *b = go_lookup_local(l, e);
                if (b) {
                    out.func = b->sym ? p->sym_closure.items[b->sym] : 0;
                    if (!out.func)
                        goto value; /* a handler value: its ServeHTTP */
                    return out;
                }
                go_decl *d = go_pkg_decl(p, go_node_text(p, l->file, e));
                if (d && d->kind == GD_FUNC)
                    out.func = d->func;
                else if (d && d->kind == GD_VAR)
                    out.func = p->sym_closure.items[d->sym];
                if (!out.func && d && d->kind == GD_VAR)
                    goto value;
                return out;
            }
            case GK_SELECTOR_EXPRESSION: {
                TSNode operand = go_field(e, g->f_operand);
                if (go_lookup_import(l, operand))
                    return out;
                const char *name = go_node_text(p, l->file, go_field(e, g->f_field));
                const char *via = NULL;
                out.func = go_method_of(p, go_expr_type(p, l->file, operand), name, &via);
                if (out.func) {
                    out.receiver = go_path_of(l, operand);
                    if (via)
                        push_step(&out.receiver, (ms_step){.kind = MS_STEP_FIELD, .field = via});
                    out.has_receiver = true;
                    return out;
                }
                goto value;
            }
            case GK_CALL_EXPRESSION: {
                /* http.HandlerFunc(f) and other conversions: the function inside */
                TSNode args = go_field(e, g->f_arguments);
                if (go_named_count(args) != 1)
                    return out;
                e = go_named(args, 0);
                continue;
            }
            case GK_UNARY_EXPRESSION:
            case GK_COMPOSITE_LITERAL:
                goto value;
            default:
                return out;
        }
    }
    return out;
value:
    /* A value whose type has a ServeHTTP method (http.Handle). */
    out.func = go_method_of(p, go_expr_type(p, l->file, e), ms_intern_cstr(p->names, "ServeHTTP"),
                            &(const char *){NULL});
    if (out.func) {
        out.receiver = go_path_of(l, e);
        out.has_receiver = true;
    }
    return out;
}

typedef struct call_args {
    MS_VEC(TSNode) nodes;
    MS_VEC(uint32_t) closures; /* per argument: closure it is a literal of */
} call_args;

/* Evaluates the arguments in order, lowering function literals as closures. */
static void lower_args(go_lower *l, TSNode args, call_args *out) {
    go_children it;
    TSNode a;
    go_children_begin(&it, l->g, args);
    while (go_children_next(&it, &a)) {
        TSNode v = go_kind_of(l->g, a) == GK_VARIADIC_ARGUMENT ? go_named(a, 0) : a;
        uint32_t closure = 0;
        if (go_kind_of(l->g, v) == GK_FUNC_LITERAL)
            closure = go_lower_closure(l, v);
        else
            go_lower_expr(l, v);
        MS_VEC_PUSH(&out->nodes, v);
        MS_VEC_PUSH(&out->closures, closure);
    }
    go_children_end(&it);
}

static void free_args(call_args *a) {
    MS_VEC_FREE(&a->nodes);
    MS_VEC_FREE(&a->closures);
}

/* Paths of the arguments, with a bound receiver first. */
static ms_path *arg_paths(go_lower *l, const call_args *a, const ms_path *receiver,
                          uint32_t *count) {
    uint32_t n = (uint32_t)a->nodes.len + (receiver ? 1 : 0), k = 0;
    ms_path *paths = MS_NEW_ARRAY(l->p->arena, ms_path, n ? n : 1);
    if (receiver)
        paths[k++] = *receiver;
    for (size_t i = 0; i < a->nodes.len; i++)
        paths[k++] = go_path_of(l, a->nodes.items[i]);
    *count = n;
    return paths;
}

static void emit_call(go_lower *l, TSNode at, uint32_t callee, const char *name, const call_args *a,
                      const ms_path *receiver, uint32_t flags) {
    ms_node *c = go_new_node(l, MS_NODE_CALL, at);
    c->u.call.callee = callee;
    c->u.call.name = name;
    c->u.call.flags = flags;
    c->u.call.args = arg_paths(l, a, receiver, &c->u.call.nargs);
    go_emit(l, c);
}

/* A map variable, or its address, handed to code nobody analysed may be
 * filled or kept there: an unresolved call node records it (callee
 * MS_NONE). Only plain variables are checked: typing every selector
 * argument of every call would cost more than the rare case is worth. */
static bool gives_map(go_lower *l, TSNode a) {
    while (go_kind_of(l->g, a) == GK_PARENTHESIZED_EXPRESSION)
        a = ts_node_named_child(a, 0);
    if (go_kind_of(l->g, a) == GK_UNARY_EXPRESSION) {
        TSNode op = go_field(a, l->g->f_operator);
        if (ts_node_is_null(op) || strcmp(ts_node_type(op), "&") != 0)
            return false;
        a = go_field(a, l->g->f_operand);
    }
    return go_kind_of(l->g, a) == GK_IDENTIFIER && go_is_map_expr(l, a);
}

static void emit_escape(go_lower *l, TSNode call, TSNode fn, const call_args *a, uint32_t flags) {
    for (size_t i = 0; i < a->nodes.len; i++) {
        if (gives_map(l, a->nodes.items[i])) {
            emit_call(l, call, MS_NONE, go_node_text(l->p, l->file, fn), a, NULL, flags);
            return;
        }
    }
}

static ms_node *emit_spawn(go_lower *l, TSNode at, ms_spawn_kind kind, go_callee callee,
                           const call_args *extra) {
    ms_node *s = go_new_node(l, MS_NODE_SPAWN, at);
    s->u.spawn.spawn_kind = (uint8_t)kind;
    s->u.spawn.entry = callee.func;
    call_args none = {0};
    s->u.spawn.args = arg_paths(l, extra ? extra : &none,
                                callee.has_receiver ? &callee.receiver : NULL, &s->u.spawn.nargs);
    go_emit(l, s);
    return s;
}

static void push_via(ms_path *p, const go_via *via) {
    for (uint8_t i = 0; via && i < via->n; i++)
        push_step(p, (ms_step){.kind = MS_STEP_FIELD, .field = via->steps[i]});
}

/* A call the model catalogue describes. Returns true for noreturn. */
static bool apply_model(go_lower *l, TSNode call, const ms_model_api *api, const call_args *a,
                        TSNode receiver, const go_via *via, uint32_t flags) {
    switch (api->role) {
        case MS_ROLE_NORETURN:
            return !(flags & MS_CALLF_DEFERRED);
        case MS_ROLE_LOCK_ACQUIRE:
        case MS_ROLE_LOCK_RELEASE: {
            ms_node *n = go_new_node(l, MS_NODE_LOCK, call);
            n->u.lock.action =
                api->role == MS_ROLE_LOCK_ACQUIRE ? MS_LOCK_ACQUIRE : MS_LOCK_RELEASE;
            n->u.lock.mode = api->mode ? api->mode : MS_LOCK_EXCLUSIVE;
            n->u.lock.deferred = (flags & MS_CALLF_DEFERRED) != 0;
            TSNode target = api->lock >= 0 && (size_t)api->lock < a->nodes.len
                                ? a->nodes.items[api->lock]
                                : receiver;
            n->u.lock.lock = go_path_of(l, target);
            if (api->lock < 0)
                push_via(&n->u.lock.lock, via);
            go_emit(l, n);
            return false;
        }
        case MS_ROLE_SPAWN: {
            if (api->entry < 0 || (size_t)api->entry >= a->nodes.len)
                return false;
            go_callee callee =
                go_resolve_callee(l, a->nodes.items[api->entry], a->closures.items[api->entry]);
            ms_node *s = emit_spawn(l, call, api->spawn, callee, NULL);
            /* g.Go(f): g.Wait() joins it */
            if (!ts_node_is_null(receiver)) {
                s->u.spawn.handle = go_path_of(l, receiver);
                push_via(&s->u.spawn.handle, via);
            }
            return false;
        }
        case MS_ROLE_JOIN: {
            /* defer wg.Wait() waits when the function returns, after all
             * of its statements: no join at the defer statement. */
            if (flags & MS_CALLF_DEFERRED)
                return false;
            ms_node *j = go_new_node(l, MS_NODE_JOIN, call);
            j->u.join.join_kind = api->join ? api->join : MS_JOIN_WAITGROUP;
            j->u.join.obj = go_path_of(l, receiver);
            push_via(&j->u.join.obj, via);
            go_emit(l, j);
            return false;
        }
        case MS_ROLE_MAP_INSERT:
        case MS_ROLE_MAP_ERASE:
        case MS_ROLE_MAP_CLEAR:
        case MS_ROLE_MAP_READ: {
            if (api->map < 0 || (size_t)api->map >= a->nodes.len)
                return false;
            TSNode m = a->nodes.items[api->map];
            if (!go_is_map_expr(l, m))
                return false;
            ms_map_op op = api->role == MS_ROLE_MAP_INSERT  ? MS_OP_INSERT
                           : api->role == MS_ROLE_MAP_ERASE ? MS_OP_ERASE
                           : api->role == MS_ROLE_MAP_CLEAR ? MS_OP_CLEAR
                                                            : MS_OP_READ;
            TSNode key = api->key >= 0 && (size_t)api->key < a->nodes.len ? a->nodes.items[api->key]
                                                                          : (TSNode){0};
            ms_node *n = emit_map_op(l, call, op, m, key);
            if (ts_node_is_null(key) && op == MS_OP_INSERT) {
                /* maps.Copy and friends insert keys we cannot name */
                n->u.map_op.key_kind = MS_KEY_OTHER;
                n->u.map_op.flags |= MS_MAPOPF_BULK;
            }
            return false;
        }
        default:
            return false;
    }
}

static bool lower_builtin(go_lower *l, TSNode call, const char *name, const call_args *a) {
    go_pkg *p = l->p;
    if (name == p->universe_delete && a->nodes.len >= 1) {
        if (go_is_map_expr(l, a->nodes.items[0]))
            emit_map_op(l, call, MS_OP_ERASE, a->nodes.items[0],
                        a->nodes.len > 1 ? a->nodes.items[1] : (TSNode){0});
        return false;
    }
    if (name == p->universe_clear && a->nodes.len == 1) {
        if (go_is_map_expr(l, a->nodes.items[0]))
            emit_map_op(l, call, MS_OP_CLEAR, a->nodes.items[0], (TSNode){0});
        return false;
    }
    if (strcmp(name, "close") == 0 && a->nodes.len == 1) {
        ms_node *sig = go_new_node(l, MS_NODE_SIGNAL, call);
        sig->u.signal.signal_kind = MS_SIGNAL_CLOSE;
        sig->u.signal.obj = go_path_of(l, a->nodes.items[0]);
        go_emit(l, sig);
        return false;
    }
    if (name == p->universe_len && a->nodes.len == 1) {
        if (go_is_map_expr(l, a->nodes.items[0]))
            emit_map_op(l, call, MS_OP_READ, a->nodes.items[0], (TSNode){0});
        return false;
    }
    const ms_model_api *api = ms_catalogue_function(p->cat, MS_MODEL_GO, "", name);
    return api && api->role == MS_ROLE_NORETURN;
}

bool go_lower_call(go_lower *l, TSNode call, uint32_t flags) {
    const go_grammar *g = l->g;
    go_pkg *p = l->p;
    TSNode fn = go_field(call, g->f_function);
    go_kind fk = go_kind_of(g, fn);
    if (fk == GK_INDEX_EXPRESSION || fk == GK_TYPE_INSTANTIATION_EXPRESSION) {
        TSNode base =
            fk == GK_INDEX_EXPRESSION ? go_field(fn, g->f_operand) : go_field(fn, g->f_type);
        if (!ts_node_is_null(base) && (go_kind_of(g, base) == GK_IDENTIFIER ||
                                       go_kind_of(g, base) == GK_SELECTOR_EXPRESSION)) {
            fn = base;
            fk = go_kind_of(g, fn);
        }
    }
    bool noreturn = false;
    call_args a = {0};
    uint32_t closure = 0;
    const char *import = NULL;
    TSNode operand = {0};
    if (fk == GK_FUNC_LITERAL) {
        closure = go_lower_closure(l, fn);
    } else if (fk == GK_SELECTOR_EXPRESSION) {
        operand = go_field(fn, g->f_operand);
        import = go_lookup_import(l, operand);
        if (!import)
            go_lower_expr(l, operand);
    } else if (fk != GK_IDENTIFIER) {
        go_lower_expr(l, fn);
    }
    lower_args(l, go_field(call, g->f_arguments), &a);

    /* Whether what the callee does to maps is known: a function of this
     * package (summaries), a builtin, a conversion or a modelled API. */
    bool known = true;
    if (closure) {
        emit_call(l, call, closure, NULL, &a, NULL, flags);
    } else if (fk == GK_IDENTIFIER) {
        const char *name = go_node_text(p, l->file, fn);
        const go_binding *b = go_lookup_local(l, fn);
        go_decl *d = b ? NULL : go_pkg_decl(p, name);
        if (b) {
            uint32_t target = b->sym ? p->sym_closure.items[b->sym] : 0;
            if (target)
                emit_call(l, call, target, name, &a, NULL, flags);
            known = target != 0 || b->type_def;
        } else if (d && d->kind == GD_FUNC) {
            emit_call(l, call, d->func, name, &a, NULL, flags);
        } else if (d && d->kind == GD_VAR && p->sym_closure.items[d->sym]) {
            emit_call(l, call, p->sym_closure.items[d->sym], name, &a, NULL, flags);
        } else if (!d) {
            noreturn = lower_builtin(l, call, name, &a) && !(flags & MS_CALLF_DEFERRED);
        } else {
            known = d->kind == GD_TYPE;
        }
    } else if (fk == GK_SELECTOR_EXPRESSION) {
        const char *name = go_node_text(p, l->file, go_field(fn, g->f_field));
        if (import) {
            const ms_model_api *api = ms_catalogue_function(p->cat, MS_MODEL_GO, import, name);
            if (api)
                noreturn = apply_model(l, call, api, &a, (TSNode){0}, NULL, flags);
            known = api != NULL;
        } else {
            const go_type *recv = go_expr_type(p, l->file, operand);
            const char *via = NULL;
            uint32_t method = go_method_of(p, recv, name, &via);
            if (method) {
                ms_path rp = go_path_of(l, operand);
                if (via)
                    push_step(&rp, (ms_step){.kind = MS_STEP_FIELD, .field = via});
                emit_call(l, call, method, name, &a, &rp, flags);
            } else {
                const char *pkg, *tname;
                const ms_model_api *api = NULL;
                go_via embedded = {0};
                if (go_type_external(p, recv, &pkg, &tname))
                    api = ms_catalogue_method(p->cat, MS_MODEL_GO, pkg, tname, name);
                else
                    api = go_embedded_model_method(p, recv, name, &embedded);
                if (api)
                    noreturn = apply_model(l, call, api, &a, operand, &embedded, flags);
                known = api != NULL;
            }
        }
    } else {
        known = false;
    }
    if (!known)
        emit_escape(l, call, fn, &a, flags);
    free_args(&a);
    return noreturn;
}

void go_lower_go_statement(go_lower *l, TSNode call) {
    const go_grammar *g = l->g;
    TSNode fn = go_field(call, g->f_function);
    uint32_t closure = 0;
    if (go_kind_of(g, fn) == GK_FUNC_LITERAL)
        closure = go_lower_closure(l, fn);
    else if (go_kind_of(g, fn) == GK_SELECTOR_EXPRESSION &&
             !go_lookup_import(l, go_field(fn, g->f_operand)))
        go_lower_expr(l, go_field(fn, g->f_operand));
    call_args a = {0};
    lower_args(l, go_field(call, g->f_arguments), &a);
    go_callee callee = go_resolve_callee(l, fn, closure);
    emit_spawn(l, call, MS_SPAWN_GO, callee, &a);
    free_args(&a);
}
