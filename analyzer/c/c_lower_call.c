/* Calls. A call is one of
 *   - an API of the model catalogue: a map operation, an iteration, a lock,
 *     a thread spawn or join, a function that never returns;
 *   - a call of a function or lambda of this unit (followed by summaries);
 *   - anything else: when it is given a map, the map escapes to code nobody
 *     analysed (a CALL without callee).
 * Methods are looked up by the class that declares them ("std::unordered_map"
 * "erase"), free functions by qualified name ("pthread_create", "std::async").
 * A call libclang could not resolve (a missing header, a template) is still
 * matched by name where that is unambiguous: a C function name, or a method
 * on an object whose type is known. */
#include "c_internal.h"

#include <string.h>

static bool starts_with(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static CXCursor first_child(CXCursor c) {
    c_cursors kids = {0};
    c_children(c, &kids);
    CXCursor out = kids.len ? kids.items[0] : clang_getNullCursor();
    MS_VEC_FREE(&kids);
    return out;
}

void c_call_analyse(c_lower *l, CXCursor call, c_call *ci) {
    c_tu *t = l->t;
    memset(ci, 0, sizeof(*ci));
    ci->call = call;
    ci->ref = clang_getCursorReferenced(call);
    ci->object = clang_getNullCursor();
    enum CXCursorKind rk = clang_getCursorKind(ci->ref);
    int n = clang_Cursor_getNumArguments(call);
    if (n < 0)
        n = 0;
    CXCursor callee = c_strip(first_child(call));
    int first_arg = 0;
    if (rk == CXCursor_Constructor) {
        ci->construct = true;
        ci->name = c_spelling(t, ci->ref);
        ci->cls = c_qualified_name(t, clang_getCursorSemanticParent(ci->ref));
    } else if (clang_getCursorKind(callee) == CXCursor_MemberRefExpr &&
               (clang_Cursor_isNull(clang_getCursorReferenced(callee)) ||
                c_is_function_kind(clang_getCursorKind(clang_getCursorReferenced(callee))))) {
        /* obj.method(...), obj->method(...), method(...) on this */
        ci->member = true;
        ci->object = first_child(callee);
        ci->name = c_member_name(t, callee);
        if (rk == CXCursor_CXXMethod || rk == CXCursor_FunctionTemplate)
            ci->cls = c_qualified_name(t, clang_getCursorSemanticParent(ci->ref));
        else if (!clang_Cursor_isNull(ci->object))
            ci->cls = c_record_name(t, clang_getCursorType(ci->object));
    } else if (rk == CXCursor_CXXMethod && starts_with(c_spelling(t, ci->ref), "operator") &&
               n > 0 && !clang_CXXMethod_isStatic(ci->ref)) {
        /* a member operator: m[k], it != end, m = other; the object is the
         * first argument */
        ci->member = true;
        ci->object = clang_Cursor_getArgument(call, 0);
        ci->name = c_spelling(t, ci->ref);
        ci->cls = c_qualified_name(t, clang_getCursorSemanticParent(ci->ref));
        first_arg = 1;
    } else if (c_is_function_kind(rk)) {
        ci->name = t->cxx ? c_qualified_name(t, ci->ref) : c_spelling(t, ci->ref);
    } else if (!clang_Cursor_isNull(callee)) {
        enum CXCursorKind ck = clang_getCursorKind(callee);
        if (ck == CXCursor_DeclRefExpr || ck == CXCursor_OverloadedDeclRef)
            ci->name = c_spelling(t, callee);
    }
    ci->nargs = n - first_arg;
    ci->args = MS_NEW_ARRAY(t->arena, CXCursor, ci->nargs > 0 ? ci->nargs : 1);
    ci->closures = MS_NEW_ARRAY(t->arena, uint32_t, ci->nargs > 0 ? ci->nargs : 1);
    for (int i = 0; i < ci->nargs; i++)
        ci->args[i] = clang_Cursor_getArgument(call, (unsigned)(i + first_arg));
    if (!ci->name)
        return;
    if (ci->member || ci->construct) {
        if (ci->cls)
            ci->api =
                ms_catalogue_method_n(t->cat, t->model_lang, NULL, ci->cls, ci->name, ci->nargs);
        /* A method the class inherits or re-exports from an implementation
         * base (libstdc++'s debug containers: std::__cxx1998::unordered_map)
         * is looked up on the object's own type too. */
        const char *own = !ci->api && ci->member && !clang_Cursor_isNull(ci->object)
                              ? c_record_name(t, clang_getCursorType(c_strip(ci->object)))
                              : NULL;
        if (own && own != ci->cls) {
            ci->api = ms_catalogue_method_n(t->cat, t->model_lang, NULL, own, ci->name, ci->nargs);
            if (ci->api)
                ci->cls = own;
        }
    } else {
        ci->api = ms_catalogue_function_n(t->cat, t->model_lang, NULL, ci->name, ci->nargs);
    }
}

/* Evaluates the object and the arguments; lambdas among them are lowered
 * once, as closures. */
static void lower_operands(c_lower *l, c_call *ci) {
    if (ci->member && !clang_Cursor_isNull(ci->object))
        c_lower_expr(l, ci->object);
    l->updating = false; /* the object's, not the arguments' */
    for (int i = 0; i < ci->nargs; i++) {
        CXCursor a = c_strip(ci->args[i]);
        if (clang_getCursorKind(a) == CXCursor_LambdaExpr)
            ci->closures[i] = c_lower_lambda(l, a);
        else
            c_lower_expr(l, ci->args[i]);
    }
    if (!ci->construct)
        c_note_call_writes(l, ci->ref, ci->object, ci->member, ci->args, ci->nargs);
}

CXCursor c_call_arg(const c_call *ci, int index) {
    return index >= 0 && index < ci->nargs ? ci->args[index] : clang_getNullCursor();
}

static ms_path object_path(c_lower *l, const c_call *ci) {
    if (clang_Cursor_isNull(ci->object)) {
        ms_path p = {.root = l->this_sym};
        return p;
    }
    return c_path_of(l, ci->object);
}

static ms_path arg_path(c_lower *l, const c_call *ci, int index) {
    if (index == MS_ARG_RECEIVER)
        return object_path(l, ci);
    CXCursor a = c_call_arg(ci, index);
    ms_path none = {0};
    return clang_Cursor_isNull(a) ? none : c_path_of(l, a);
}

static uint32_t callable_arg(c_lower *l, const c_call *ci, int index) {
    if (index < 0 || index >= ci->nargs)
        return MS_NONE;
    return ci->closures[index] ? ci->closures[index] : c_callable(l, ci->args[index], NULL);
}

/* ---- maps ---------------------------------------------------------------------- */

/* The map an API acts on, and its iteration semantics: from its type, or,
 * for a call matched by name with the type unknown, from the API's model. */
static bool api_map(c_lower *l, const c_call *ci, const ms_model_api *api, int which, ms_path *path,
                    uint8_t *semantics) {
    if (which == MS_ARG_NONE)
        return false;
    c_type ty = {0};
    if (which == MS_ARG_RECEIVER) {
        const ms_model_type *m =
            ci->cls ? ms_catalogue_type(l->t->cat, l->t->model_lang, NULL, ci->cls) : NULL;
        if (!m || m->type_class != MS_TC_MAP)
            return false;
        *semantics = (uint8_t)m->semantics;
    } else {
        CXCursor a = c_call_arg(ci, which);
        if (clang_Cursor_isNull(a))
            return false;
        if (c_is_map_expr(l, a, &ty)) {
            *semantics = ty.semantics;
        } else {
            if (ty.type_class != MS_TC_UNKNOWN)
                return false; /* a known type that is not a map */
            const ms_model_type *m = c_api_map_type(l->t, api);
            if (!m)
                return false;
            *semantics = (uint8_t)m->semantics;
        }
    }
    *path = arg_path(l, ci, which);
    return ms_path_valid(path);
}

/* m.insert({k, v}), m.insert(std::make_pair(k, v)): the key is the first. */
static CXCursor pair_key(c_lower *l, CXCursor e) {
    CXCursor s = c_strip(e);
    enum CXCursorKind k = clang_getCursorKind(s);
    if (k == CXCursor_InitListExpr) {
        CXCursor first = first_child(s);
        return clang_Cursor_isNull(first) ? e : first;
    }
    if (k == CXCursor_CallExpr && clang_Cursor_getNumArguments(s) == 2) {
        const char *name = c_spelling(l->t, clang_getCursorReferenced(s));
        if (strcmp(name, "make_pair") == 0 || strcmp(name, "pair") == 0)
            return clang_Cursor_getArgument(s, 0);
    }
    return e;
}

static ms_map_op op_of_role(ms_model_role role) {
    switch (role) {
        case MS_ROLE_MAP_INSERT:
            return MS_OP_INSERT;
        case MS_ROLE_MAP_ERASE:
            return MS_OP_ERASE;
        case MS_ROLE_MAP_ERASE_RANGE:
            return MS_OP_ERASE_RANGE;
        case MS_ROLE_MAP_CLEAR:
            return MS_OP_CLEAR;
        case MS_ROLE_MAP_REHASH:
        case MS_ROLE_MAP_RESERVE:
            return MS_OP_REHASH;
        case MS_ROLE_MAP_REPLACE:
            return MS_OP_REPLACE;
        case MS_ROLE_ITER_MUTATE:
            return MS_OP_ITER_MUTATE;
        default:
            return MS_OP_READ;
    }
}

/* Both arguments are iterators: insert(first, last). */
static bool iterator_pair(const c_call *ci) {
    if (ci->nargs != 2)
        return false;
    for (int i = 0; i < 2; i++) {
        CXString ts = clang_getTypeSpelling(clang_getCursorType(c_strip(ci->args[i])));
        bool it = clang_getCString(ts) && strstr(clang_getCString(ts), "iterator");
        clang_disposeString(ts);
        if (!it)
            return false;
    }
    return true;
}

static void map_operation(c_lower *l, const c_call *ci, const ms_model_api *api,
                          uint32_t assign_target, bool updating) {
    ms_path map;
    uint8_t semantics;
    ms_map_op op = op_of_role(api->role);
    if (op == MS_OP_ITER_MUTATE) {
        /* g_hash_table_iter_remove(&iter): on the map the iterator walks */
        uint32_t it = c_var_or_address_of(
            l, api->iterator == MS_ARG_RECEIVER ? ci->object : c_call_arg(ci, api->iterator));
        if (!it || !ms_path_valid(&c_sx(l->t, it)->iter_map))
            return;
        map = c_sx(l->t, it)->iter_map;
        semantics = c_sx(l->t, it)->iter_sem;
    } else if (!api_map(l, ci, api, api->map, &map, &semantics)) {
        return;
    }
    ms_node *n = c_new_node(l, MS_NODE_MAP_OP, ci->call);
    n->u.map_op.op = (uint8_t)op;
    n->u.map_op.map = map;
    n->u.map_op.semantics = semantics;
    CXCursor key = c_call_arg(ci, api->key);
    if (!clang_Cursor_isNull(key)) {
        if (op == MS_OP_INSERT)
            key = pair_key(l, key);
        c_classify_key(l, key, &n->u.map_op.key_kind, &n->u.map_op.key_sym, &n->u.map_op.flags);
    } else {
        /* whole-map operations; inserts of keys nobody can name */
        n->u.map_op.key_kind = op == MS_OP_INSERT ? MS_KEY_OTHER : MS_KEY_NONE;
        if (op == MS_OP_INSERT && (ci->nargs != 2 || iterator_pair(ci)))
            n->u.map_op.flags |= MS_MAPOPF_BULK; /* insert(first, last), merge */
    }
    if (op == MS_OP_INSERT && updating)
        n->u.map_op.flags |= MS_MAPOPF_UPDATE; /* m[k] += v, m[k].push_back(x) */
    const char *cls = ci->member ? ci->cls : NULL;
    size_t cn = cls ? strlen(cls) : 0;
    if (op == MS_OP_INSERT && cn >= 3 && strcmp(cls + cn - 3, "set") == 0)
        n->u.map_op.flags |= MS_MAPOPF_CONST_VALUE; /* a set: keys only */
    if (op == MS_OP_ERASE && n->u.map_op.key_kind == MS_KEY_ITER && assign_target &&
        assign_target == n->u.map_op.key_sym)
        n->u.map_op.flags |= MS_MAPOPF_RESULT_TO_ITER; /* it = m.erase(it) */
    c_emit(l, n);
}

static void iter_init(c_lower *l, const c_call *ci, const ms_model_api *api) {
    if (api->iterator < 0)
        return; /* C++ begin(): the iterator is the result, bound by the assignment */
    uint32_t it = c_var_or_address_of(l, c_call_arg(ci, api->iterator));
    ms_path map;
    uint8_t semantics;
    if (!it || !api_map(l, ci, api, api->map, &map, &semantics))
        return;
    c_sx(l->t, it)->iter_map = map;
    c_sx(l->t, it)->iter_sem = semantics;
}

bool c_iter_source(c_lower *l, CXCursor e, ms_path *map, uint8_t *semantics, bool *is_end) {
    e = c_strip(e);
    if (clang_getCursorKind(e) != CXCursor_CallExpr)
        return false;
    c_call ci;
    c_call_analyse(l, e, &ci);
    if (!ci.member || !ci.cls)
        return false;
    const ms_model_type *m = ms_catalogue_type(l->t->cat, l->t->model_lang, NULL, ci.cls);
    if (!m || m->type_class != MS_TC_MAP)
        return false;
    bool iterator_result = false;
    if (ci.api && (ci.api->role == MS_ROLE_ITER_INIT || ci.api->role == MS_ROLE_ITER_END)) {
        iterator_result = true;
    } else {
        CXString ts = clang_getTypeSpelling(clang_getCursorType(e));
        iterator_result = clang_getCString(ts) && strstr(clang_getCString(ts), "iterator");
        clang_disposeString(ts);
    }
    if (!iterator_result)
        return false;
    *map = object_path(l, &ci);
    *semantics = (uint8_t)m->semantics;
    *is_end = ci.api && ci.api->role == MS_ROLE_ITER_END;
    return ms_path_valid(map);
}

/* Whether a statement can be inserted right after the declaration of `var`:
 * the declaration is a statement of a compound block, not a for or if init
 * or the body of a brace-less if or loop (where the inserted statement would
 * take the place of the body), and its text, the statement the finding
 * shows, ends with its own ';' (not a macro that supplies it). */
static bool reserve_can_follow(c_lower *l, CXCursor var, const ms_node *mk) {
    CXCursor item = l->block_item;
    if (clang_getCursorKind(item) != CXCursor_DeclStmt)
        return false;
    ms_span sp;
    if (!c_cursor_span(l->t, item, &sp) || sp.file != mk->stmt.file || sp.start != mk->stmt.start ||
        sp.end != mk->stmt.end)
        return false;
    uint32_t len;
    const char *text = c_span_text(l->t, sp, &len);
    if (len == 0 || text[len - 1] != ';')
        return false;
    c_cursors kids = {0};
    c_children(item, &kids);
    bool declared_here = false;
    for (size_t i = 0; i < kids.len && !declared_here; i++)
        declared_here = clang_equalCursors(kids.items[i], var) != 0;
    MS_VEC_FREE(&kids);
    return declared_here;
}

bool c_map_make(c_lower *l, CXCursor init, CXCursor var, ms_node *mk) {
    c_tu *t = l->t;
    CXCursor e = clang_Cursor_isNull(init) ? init : c_strip(init);
    if (!clang_Cursor_isNull(e) && clang_getCursorKind(e) == CXCursor_CallExpr &&
        clang_getCursorKind(clang_getCursorReferenced(e)) != CXCursor_Constructor) {
        /* refmap_new(ks, vs, 0), g_hash_table_new(...) */
        c_call ci;
        c_call_analyse(l, e, &ci);
        if (!ci.api || ci.api->role != MS_ROLE_MAP_NEW)
            return false;
        const ms_model_type *m = c_api_map_type(t, ci.api);
        mk->u.make.semantics = m ? (uint8_t)m->semantics : MS_ITER_GO;
        mk->u.make.initial_capacity = m ? m->initial_capacity : 0;
        CXCursor hint = c_call_arg(&ci, ci.api->capacity);
        if (clang_Cursor_isNull(hint) || !(m && m->has_capacity)) {
            mk->u.make.fix_kind = MS_MAKE_FIX_NONE; /* no capacity API (GLib) */
            return true;
        }
        CXEvalResult r = clang_Cursor_Evaluate(hint);
        bool zero = r && clang_EvalResult_getKind(r) == CXEval_Int &&
                    clang_EvalResult_getAsLongLong(r) == 0;
        if (r)
            clang_EvalResult_dispose(r);
        mk->u.make.has_hint = !zero;
        ms_span hs;
        if (c_cursor_span(t, hint, &hs)) {
            mk->u.make.fix_span = hs;
            mk->u.make.fix_prefix = "";
            mk->u.make.fix_suffix = "";
            mk->u.make.fix_kind = MS_MAKE_FIX_HINT; /* MS301 replaces the hint argument */
        }
        return true;
    }
    /* A map held by value and constructed here: std::unordered_map<K, V> m; */
    if (clang_Cursor_isNull(var) || clang_getCursorKind(var) != CXCursor_VarDecl)
        return false;
    c_type ty = c_classify_cursor(t, var);
    if (ty.type_class != MS_TC_MAP || ty.indirect || !ty.model)
        return false;
    mk->u.make.semantics = ty.semantics;
    bool empty = clang_Cursor_isNull(e);
    if (!empty) {
        enum CXCursorKind k = clang_getCursorKind(e);
        if (k == CXCursor_CallExpr &&
            clang_getCursorKind(clang_getCursorReferenced(e)) == CXCursor_Constructor)
            empty = clang_Cursor_getNumArguments(e) == 0;
        else if (k == CXCursor_InitListExpr)
            empty = clang_Cursor_isNull(first_child(e));
    }
    mk->u.make.has_hint = !empty;
    /* MS301 inserts `m.reserve(n);` after the declaration, when a statement
     * can follow it there; std::map has no reserve. */
    mk->u.make.fix_kind = ty.model->has_capacity ? MS_MAKE_FIX_RESERVE : MS_MAKE_FIX_NONE;
    if (reserve_can_follow(l, var, mk)) {
        mk->u.make.reserve_prefix = ms_arena_printf(t->arena, "%s.reserve(", c_spelling(t, var));
        mk->u.make.reserve_suffix = ");";
    }
    mk->u.make.initial_capacity = ty.model->initial_capacity;
    return true;
}

/* ---- locks -------------------------------------------------------------------- */

static void emit_lock(c_lower *l, CXCursor at, ms_path lock, uint8_t action, uint8_t mode,
                      bool scoped) {
    if (!ms_path_valid(&lock))
        return;
    ms_node *n = c_new_node(l, MS_NODE_LOCK, at);
    n->u.lock.action = action;
    n->u.lock.mode = mode;
    n->u.lock.scoped = scoped;
    n->u.lock.lock = lock;
    c_emit(l, n);
}

/* A guard variable (a std::unique_lock made with std::defer_lock) stands
 * for the mutexes it was constructed with: unique_lock::lock() and
 * std::lock(la, lb) take those. */
static bool guard_locks(c_lower *l, CXCursor guard_expr, CXCursor call, uint8_t action) {
    uint32_t guard = clang_Cursor_isNull(guard_expr) ? MS_NONE : c_var_of(l, guard_expr);
    if (!guard || !c_sx(l->t, guard)->nguarded)
        return false;
    c_symx *x = c_sx(l->t, guard);
    for (uint8_t i = 0; i < x->nguarded; i++)
        emit_lock(l, call, x->guarded[i], action, x->guard_mode, false);
    return true;
}

static void lock_call(c_lower *l, const c_call *ci, const ms_model_api *api) {
    uint8_t action = api->role == MS_ROLE_LOCK_ACQUIRE ? MS_LOCK_ACQUIRE : MS_LOCK_RELEASE;
    uint8_t mode = api->mode ? api->mode : MS_LOCK_EXCLUSIVE;
    if (api->lock == MS_ARG_RECEIVER && guard_locks(l, ci->object, ci->call, action))
        return;
    if (api->lock == MS_ARG_ALL) {
        for (int i = 0; i < ci->nargs; i++)
            if (!guard_locks(l, ci->args[i], ci->call, action))
                emit_lock(l, ci->call, arg_path(l, ci, i), action, mode, false);
        return;
    }
    emit_lock(l, ci->call, arg_path(l, ci, api->lock), action, mode, false);
}

typedef enum lock_tag { TAG_NONE, TAG_DEFER, TAG_HELD } lock_tag;

/* std::defer_lock: the guard does not take the lock when it is
 * constructed; a later lock() or std::lock() does. std::adopt_lock (the lock
 * is held already, by std::lock(a, b) say) and std::try_to_lock (code
 * checks owns_lock() before it writes) leave the lock held as far as the
 * analysis goes: when it cannot tell, it must not report. */
static lock_tag lock_tag_of(c_lower *l, CXCursor a) {
    const char *name = c_record_name(l->t, clang_getCursorType(a));
    if (!name)
        return TAG_NONE;
    if (strstr(name, "defer_lock_t"))
        return TAG_DEFER;
    return strstr(name, "try_to_lock_t") || strstr(name, "adopt_lock_t") ? TAG_HELD : TAG_NONE;
}

/* ---- threads ------------------------------------------------------------------- */

static ms_node *emit_spawn(c_lower *l, CXCursor at, const ms_model_api *api, uint32_t entry,
                           ms_path *args, uint32_t nargs) {
    ms_node *s = c_new_node(l, MS_NODE_SPAWN, at);
    s->u.spawn.spawn_kind = api->spawn ? api->spawn : MS_SPAWN_THREAD;
    s->u.spawn.entry = entry;
    s->u.spawn.args = args;
    s->u.spawn.nargs = nargs;
    c_emit(l, s);
    return s;
}

/* An argument handed to a thread: std::ref(x) and pointers share the
 * object; anything else is copied into the thread. */
static ms_path thread_arg(c_lower *l, CXCursor a) {
    CXCursor s = c_strip(a);
    ms_path none = {0};
    if (clang_getCursorKind(s) == CXCursor_CallExpr && clang_Cursor_getNumArguments(s) == 1) {
        const char *name = c_spelling(l->t, clang_getCursorReferenced(s));
        if (strcmp(name, "ref") == 0 || strcmp(name, "cref") == 0)
            return c_path_of(l, clang_Cursor_getArgument(s, 0));
    }
    c_type ty = c_classify_cursor(l->t, s);
    if (ty.indirect)
        return c_path_of(l, s);
    CXType t = clang_getCanonicalType(clang_getCursorType(s));
    return t.kind == CXType_Pointer ? c_path_of(l, s) : none;
}

/* A variable for the future of a std::async call nobody keeps: what its
 * spawn and the join at the end of the statement both name. */
static ms_path temporary(c_lower *l, const char *name) {
    uint32_t sym = c_new_sym(l->t, ms_intern_cstr(l->t->names, name), MS_SYM_LOCAL, l->func,
                             clang_getNullCursor());
    ms_path p = {.root = sym};
    return p;
}

/* `result` is where the call's result or the constructed object goes (the
 * thread or future variable), for the spawn's handle. */
static void spawn_call(c_lower *l, const c_call *ci, const ms_model_api *api, ms_path result) {
    /* The entry is the first callable at or after the model's position:
     * std::async takes an optional launch policy first. */
    uint32_t entry = MS_NONE;
    int at = api->entry;
    for (; at >= 0 && at < ci->nargs && !entry; at++)
        entry = callable_arg(l, ci, at);
    if (!entry)
        return;
    ms_path *args;
    uint32_t nargs;
    if (api->data >= 0) {
        /* pthread_create(&t, NULL, start, arg): arg is the entry's parameter */
        uint32_t slot = (uint32_t)api->data_param;
        nargs = slot + 1;
        args = MS_NEW_ARRAY(l->t->arena, ms_path, nargs);
        args[slot] = arg_path(l, ci, api->data);
    } else {
        /* std::thread(f, a, b): the rest are f's arguments */
        nargs = at < ci->nargs ? (uint32_t)(ci->nargs - at) : 0;
        args = MS_NEW_ARRAY(l->t->arena, ms_path, nargs ? nargs : 1);
        for (uint32_t i = 0; i < nargs; i++)
            args[i] = thread_arg(l, ci->args[at + (int)i]);
    }
    bool async = ci->name && strcmp(ci->name, "std::async") == 0;
    ms_path handle = {0};
    if (api->handle >= 0)
        handle = arg_path(l, ci, api->handle); /* pthread_create(&t, ...) */
    else if (api->handle == MS_ARG_RECEIVER || api->handle == MS_ARG_RETURN || async)
        handle = result; /* std::thread t(...), GThread *t = g_thread_new(...) */
    if (!ms_path_valid(&handle) && ms_path_valid(&l->spawn_container))
        handle = l->spawn_container; /* threads.emplace_back(...) */
    bool discarded = async && l->result_discarded;
    if (discarded)
        handle = temporary(l, "(future)");
    ms_node *s = emit_spawn(l, ci->call, api, entry, args, nargs);
    s->u.spawn.handle = handle;
    if (!async)
        return;
    /* The future's destructor waits for the task: at once when nobody
     * keeps it, at the end of the block otherwise. */
    if (discarded) {
        ms_node *j = c_new_node(l, MS_NODE_JOIN, ci->call);
        j->u.join.join_kind = MS_JOIN_THREAD;
        j->u.join.obj = handle;
        c_emit(l, j);
    } else {
        l->async_future = true;
    }
}

/* std::vector<std::thread> and friends: what is put in starts a thread. */
static bool thread_container(c_lower *l, const c_call *ci) {
    static const char *const adders[] = {"emplace_back", "push_back", "emplace", "push_front",
                                         "emplace_front"};
    if (!ci->member || !ci->name || clang_Cursor_isNull(ci->object))
        return false;
    bool adder = false;
    for (size_t i = 0; i < sizeof(adders) / sizeof(adders[0]); i++)
        adder |= strcmp(ci->name, adders[i]) == 0;
    if (!adder)
        return false;
    CXType ty = clang_getCanonicalType(clang_getCursorType(c_strip(ci->object)));
    if (ty.kind == CXType_Pointer || ty.kind == CXType_LValueReference)
        ty = clang_getCanonicalType(clang_getPointeeType(ty));
    if (clang_Type_getNumTemplateArguments(ty) < 1)
        return false;
    const char *elem = c_record_name(l->t, clang_Type_getTemplateArgumentAsType(ty, 0));
    return elem && (strcmp(elem, "std::thread") == 0 || strcmp(elem, "std::jthread") == 0);
}

static void join_call(c_lower *l, const c_call *ci, const ms_model_api *api) {
    ms_node *j = c_new_node(l, MS_NODE_JOIN, ci->call);
    j->u.join.join_kind = api->join ? api->join : MS_JOIN_THREAD;
    int which = api->handle != MS_ARG_NONE ? api->handle : ci->member ? MS_ARG_RECEIVER : 0;
    j->u.join.obj = arg_path(l, ci, which);
    /* for (auto &t : threads) t.join(): joins what the container holds */
    const ms_path *obj = &j->u.join.obj;
    if (ms_path_valid(obj) && obj->len == 0 && ms_path_valid(&c_sx(l->t, obj->root)->elem_of))
        j->u.join.obj = c_sx(l->t, obj->root)->elem_of;
    c_emit(l, j);
}

/* g_hash_table_foreach(T, cb, data): a loop over T whose body calls cb for
 * each entry, data in the parameter the model names. */
static void foreach_call(c_lower *l, const c_call *ci, const ms_model_api *api) {
    ms_path map;
    uint8_t semantics;
    uint32_t cb = callable_arg(l, ci, api->callback);
    if (!cb || !api_map(l, ci, api, api->map, &map, &semantics))
        return;
    ms_node *loop = c_new_node(l, MS_NODE_LOOP, ci->call);
    loop->u.loop.loop_kind = MS_LOOP_RANGE;
    loop->u.loop.range_kind = MS_RANGE_MAP;
    loop->u.loop.map = map;
    loop->u.loop.semantics = semantics;
    loop->u.loop.header = loop->span;
    loop->u.loop.callback = true;
    ms_node *call = c_new_node(l, MS_NODE_CALL, ci->call);
    call->u.call.callee = cb;
    call->u.call.name = l->t->funcs.items[cb].name;
    uint32_t slot = (uint32_t)api->data_param;
    call->u.call.nargs = slot + 1;
    call->u.call.args = MS_NEW_ARRAY(l->t->arena, ms_path, slot + 1);
    if (api->data >= 0)
        call->u.call.args[slot] = arg_path(l, ci, api->data);
    ms_node *body = c_new_node(l, MS_NODE_BLOCK, ci->call);
    body->u.block.len = 1;
    body->u.block.items = MS_NEW_ARRAY(l->t->arena, ms_node *, 1);
    body->u.block.items[0] = call;
    loop->u.loop.body = body;
    c_emit(l, loop);
}

/* Returns true when the call never returns. */
static bool apply_model(c_lower *l, const c_call *ci, uint32_t assign_target, ms_path result,
                        bool updating) {
    const ms_model_api *api = ci->api;
    switch (api->role) {
        case MS_ROLE_NORETURN:
            return true;
        case MS_ROLE_MAP_INSERT:
        case MS_ROLE_MAP_ERASE:
        case MS_ROLE_MAP_ERASE_RANGE:
        case MS_ROLE_MAP_CLEAR:
        case MS_ROLE_MAP_READ:
        case MS_ROLE_MAP_REHASH:
        case MS_ROLE_MAP_REPLACE:
        case MS_ROLE_MAP_RESERVE:
        case MS_ROLE_ITER_MUTATE:
            map_operation(l, ci, api, assign_target, updating);
            return false;
        case MS_ROLE_ITER_INIT:
            iter_init(l, ci, api);
            return false;
        case MS_ROLE_MAP_FOREACH:
            foreach_call(l, ci, api);
            return false;
        case MS_ROLE_LOCK_ACQUIRE:
        case MS_ROLE_LOCK_RELEASE:
            lock_call(l, ci, api);
            return false;
        case MS_ROLE_SPAWN:
            spawn_call(l, ci, api, result);
            return false;
        case MS_ROLE_JOIN:
            join_call(l, ci, api);
            return false;
        default:
            return false;
    }
}

/* ---- calls of the unit's functions ------------------------------------------------ */

/* MutexLock l(&mu) with MutexLock(Mutex *m) : mu_(m): l.mu_ is &mu for as
 * long as l lives, so what the constructor and destructor do to this->mu_
 * they do to mu. Pointer and reference members set from a parameter. */
static void alias_members(c_lower *l, const c_call *ci, uint32_t constructed) {
    CXCursor def = clang_getCursorDefinition(ci->ref);
    if (!constructed || clang_Cursor_isNull(def))
        return;
    c_cursors kids = {0};
    c_children(def, &kids);
    int param = 0;
    CXCursor params[16];
    for (size_t i = 0; i < kids.len; i++) {
        CXCursor c = kids.items[i];
        if (clang_getCursorKind(c) == CXCursor_ParmDecl && param < 16)
            params[param++] = c;
        if (clang_getCursorKind(c) != CXCursor_MemberRef || i + 1 >= kids.len)
            continue;
        CXCursor field = clang_getCursorReferenced(c);
        CXType ft = clang_getCanonicalType(clang_getCursorType(field));
        CXCursor value = c_strip(kids.items[i + 1]);
        if ((ft.kind != CXType_Pointer && ft.kind != CXType_LValueReference) ||
            clang_getCursorKind(value) != CXCursor_DeclRefExpr)
            continue;
        CXCursor p = clang_getCursorReferenced(value);
        for (int k = 0; k < param && k < ci->nargs; k++) {
            if (clang_equalCursors(params[k], p)) {
                c_add_field_alias(l, constructed, field, ci->args[k]);
                break;
            }
        }
    }
    MS_VEC_FREE(&kids);
}

static void emit_call(c_lower *l, const c_call *ci, uint32_t callee, bool with_receiver,
                      uint32_t constructed) {
    if (ci->construct)
        alias_members(l, ci, constructed);
    ms_node *c = c_new_node(l, MS_NODE_CALL, ci->call);
    c->u.call.callee = callee;
    c->u.call.name = callee ? l->t->funcs.items[callee].name : ci->name;
    uint32_t n = (uint32_t)(ci->nargs > 0 ? ci->nargs : 0) + (with_receiver ? 1 : 0), k = 0;
    c->u.call.args = MS_NEW_ARRAY(l->t->arena, ms_path, n ? n : 1);
    if (with_receiver && ci->construct)
        c->u.call.args[k++] = (ms_path){.root = constructed}; /* the object being built */
    else if (with_receiver)
        c->u.call.args[k++] = object_path(l, ci);
    for (int i = 0; i < ci->nargs; i++)
        c->u.call.args[k++] = c_arg_path(l, ci->args[i]);
    c->u.call.nargs = n;
    c_emit(l, c);
}

/* Functions that only pass their argument on. */
static bool transparent(const char *name) {
    return name && (strcmp(name, "std::ref") == 0 || strcmp(name, "std::cref") == 0 ||
                    strcmp(name, "std::move") == 0 || strcmp(name, "std::forward") == 0);
}

static bool passes_a_map(c_lower *l, const c_call *ci) {
    for (int i = 0; i < ci->nargs; i++) {
        c_type ty;
        if (c_is_map_expr(l, ci->args[i], &ty))
            return true;
    }
    return false;
}

/* Operators and methods that change the object they are called on in place:
 * on m[k] they read the entry they write (m[k] += 1, m[k].push_back(x)). */
static bool updates_object(const c_call *ci) {
    if (!ci->member || !ci->name || clang_Cursor_isNull(ci->object))
        return false;
    CXCursor obj = c_strip(ci->object);
    return clang_getCursorKind(obj) == CXCursor_CallExpr &&
           strcmp(ci->name, "operator=") != 0; /* m[k] = v writes without reading */
}

bool c_lower_call(c_lower *l, CXCursor call) {
    uint32_t assign_target = l->assign_target, constructed = l->constructing;
    bool discarded = l->result_discarded, updating = l->updating;
    l->assign_target = MS_NONE;
    l->constructing = MS_NONE;
    l->updating = false;
    l->result_discarded = false;
    c_call ci;
    c_call_analyse(l, call, &ci);
    if (ci.member && ci.name && strcmp(ci.name, "operator=") == 0 && ci.nargs == 1 &&
        !(ci.api && ci.api->role == MS_ROLE_MAP_REPLACE)) {
        /* it = m.erase(it) on a class-type iterator: an assignment */
        l->assign_target = c_var_of(l, ci.object);
        lower_operands(l, &ci);
        l->assign_target = MS_NONE;
        c_note_assign(l, ci.object, ci.args[0]);
        return false;
    }
    ms_path saved_container = l->spawn_container;
    bool threads = thread_container(l, &ci);
    if (threads)
        l->spawn_container = c_path_of(l, ci.object);
    l->updating = updates_object(&ci);
    lower_operands(l, &ci);
    l->updating = false;
    l->result_discarded = discarded;
    l->async_future = false;
    ms_path result = {.root = constructed ? constructed : assign_target};
    bool noreturn = false;
    if (threads) {
        /* threads.emplace_back(f, args...): std::thread's constructor */
        const ms_model_api *ctor =
            ms_catalogue_method(l->t->cat, l->t->model_lang, NULL, "std::thread", "thread");
        if (ctor && ctor->role == MS_ROLE_SPAWN && ci.nargs > 0 &&
            strncmp(ci.name, "emplace", 7) == 0)
            spawn_call(l, &ci, ctor, l->spawn_container);
    } else if (ci.api) {
        noreturn = apply_model(l, &ci, assign_target, result, updating);
    } else {
        uint32_t callee = MS_NONE;
        bool receiver = false;
        if (ci.member && ci.name && strcmp(ci.name, "operator()") == 0) {
            /* fn(x) with fn a lambda, or [&]{ ... }() */
            CXCursor obj = c_strip(ci.object);
            callee = clang_getCursorKind(obj) == CXCursor_LambdaExpr
                         ? c_lower_lambda(l, obj)
                         : c_callable(l, ci.object, NULL);
        } else {
            callee = c_func_of_decl(l->t, ci.ref);
            receiver = callee && (l->t->funcs.items[callee].flags & MS_FUNCF_METHOD);
            if (!callee && !ci.member) {
                /* a call through a function pointer variable */
                CXCursor fn = c_strip(first_child(call));
                if (clang_getCursorKind(fn) == CXCursor_DeclRefExpr)
                    callee = c_callable(l, fn, NULL);
            }
        }
        if (callee)
            emit_call(l, &ci, callee, receiver, constructed);
        else if (!transparent(ci.name) && !ci.construct && passes_a_map(l, &ci))
            emit_call(l, &ci, MS_NONE, false, MS_NONE);
    }
    l->result_discarded = false;
    l->spawn_container = saved_container;
    return noreturn;
}

/* ---- constructions ---------------------------------------------------------------------- */

static enum CXChildVisitResult find_destructor(CXCursor c, CXCursor parent, CXClientData data) {
    (void)parent;
    if (clang_getCursorKind(c) != CXCursor_Destructor)
        return CXChildVisit_Continue;
    *(CXCursor *)data = c;
    return CXChildVisit_Break;
}

void c_schedule_destructor(c_lower *l, CXCursor var, uint32_t sym) {
    CXType ty = clang_getCanonicalType(clang_getCursorType(var));
    if (ty.kind != CXType_Record)
        return;
    CXCursor cls = clang_getTypeDeclaration(ty), dtor = clang_getNullCursor();
    clang_visitChildren(cls, find_destructor, &dtor);
    uint32_t callee = c_func_of_decl(l->t, dtor);
    if (!callee)
        return;
    ms_node *c = c_new_node(l, MS_NODE_CALL, var);
    c->u.call.callee = callee;
    c->u.call.name = l->t->funcs.items[callee].name;
    c->u.call.nargs = 1;
    c->u.call.args = MS_NEW_ARRAY(l->t->arena, ms_path, 1);
    c->u.call.args[0] = (ms_path){.root = sym};
    MS_VEC_PUSH(&l->scope_exits, c);
}

/* The constructor call that initialises a variable, through implicit
 * conversions but not through the constructor itself. */
static CXCursor construction(CXCursor init) {
    for (int guard = 0; guard < 16 && !clang_Cursor_isNull(init); guard++) {
        enum CXCursorKind k = clang_getCursorKind(init);
        if (k == CXCursor_CallExpr) {
            CXCursor ref = clang_getCursorReferenced(init);
            if (clang_getCursorKind(ref) != CXCursor_Constructor)
                return clang_getNullCursor();
            /* std::thread t = std::thread(f): the move of a temporary */
            if ((clang_CXXConstructor_isMoveConstructor(ref) ||
                 clang_CXXConstructor_isCopyConstructor(ref)) &&
                clang_Cursor_getNumArguments(init) == 1) {
                init = clang_Cursor_getArgument(init, 0);
                continue;
            }
            return init;
        }
        if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr &&
            k != CXCursor_CXXFunctionalCastExpr)
            return clang_getNullCursor();
        init = first_child(init);
    }
    return clang_getNullCursor();
}

bool c_lower_construct(c_lower *l, CXCursor var, CXCursor init, uint32_t sym) {
    c_tu *t = l->t;
    const char *cls = c_record_name(t, clang_getCursorType(var));
    if (!cls)
        return false;
    const ms_model_api *guard = ms_catalogue_function(t->cat, t->model_lang, NULL, cls);
    CXCursor ctor = construction(init);
    if (guard && guard->role == MS_ROLE_LOCK_GUARD) {
        if (clang_Cursor_isNull(ctor))
            return false;
        c_call ci;
        c_call_analyse(l, ctor, &ci);
        lower_operands(l, &ci);
        MS_VEC(ms_path) locks = {0};
        bool deferred = false;
        for (int i = 0; i < ci.nargs; i++) {
            lock_tag tag = lock_tag_of(l, ci.args[i]);
            if (tag != TAG_NONE)
                deferred |= tag == TAG_DEFER;
            else if (guard->lock == MS_ARG_ALL || guard->lock == i)
                MS_VEC_PUSH(&locks, c_path_of(l, ci.args[i]));
        }
        c_symx *x = c_sx(t, sym);
        x->nguarded = (uint8_t)(locks.len > 8 ? 8 : locks.len);
        x->guarded = MS_NEW_ARRAY(t->arena, ms_path, x->nguarded ? x->nguarded : 1);
        if (x->nguarded)
            memcpy(x->guarded, locks.items, sizeof(ms_path) * x->nguarded);
        x->guard_mode = guard->mode ? guard->mode : MS_LOCK_EXCLUSIVE;
        MS_VEC_FREE(&locks);
        if (!deferred)
            for (uint8_t i = 0; i < x->nguarded; i++)
                emit_lock(l, ctor, x->guarded[i], MS_LOCK_ACQUIRE, x->guard_mode, true);
        return true;
    }
    if (clang_Cursor_isNull(ctor))
        return false;
    c_call ci;
    c_call_analyse(l, ctor, &ci);
    if (!ci.api || ci.api->role != MS_ROLE_SPAWN)
        return false;
    lower_operands(l, &ci);
    spawn_call(l, &ci, ci.api, (ms_path){.root = sym});
    c_sx(t, sym)->spawn_join = true;
    if (strcmp(cls, "std::jthread") == 0) {
        /* a jthread joins when it goes out of scope */
        ms_node *j = c_new_node(l, MS_NODE_JOIN, var);
        j->u.join.join_kind = MS_JOIN_THREAD;
        j->u.join.obj = (ms_path){.root = sym};
        MS_VEC_PUSH(&l->scope_exits, j);
    }
    return true;
}
