/* Expressions: the events inside them (calls, lambdas, conditional
 * evaluation), access paths (s->items, shards[i].m, (*p)[k] name their map
 * the way Go paths do: pointers and references are transparent), keys, and
 * what declarations and assignments bind (aliases, closures, iterators). */
#include "c_internal.h"

#include <ctype.h>
#include <string.h>

typedef enum unary_kind { UN_OTHER, UN_ADDR, UN_DEREF, UN_PREINC, UN_POSTINC } unary_kind;

/* ---- symbols ------------------------------------------------------------------ */

static uint32_t resolve_sym(c_lower *l, CXCursor decl) {
    uint32_t sym = c_sym_of_decl(l->t, decl);
    for (size_t i = 0; sym && i < l->captures.len; i++)
        if (l->captures.items[i].outer == sym)
            return l->captures.items[i].inner;
    return sym;
}

uint32_t c_var_of(c_lower *l, CXCursor e) {
    e = c_strip(e);
    if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
        return MS_NONE;
    return resolve_sym(l, clang_getCursorReferenced(e));
}

static unary_kind unary_of(c_lower *l, CXCursor e);
static CXCursor first_child(CXCursor c);

uint32_t c_var_or_address_of(c_lower *l, CXCursor e) {
    e = c_strip(e);
    if (clang_getCursorKind(e) == CXCursor_UnaryOperator && unary_of(l, e) == UN_ADDR)
        e = first_child(e);
    return c_var_of(l, e);
}

/* ---- operators ---------------------------------------------------------------- */

/* The operator token of a binary expression: the text between its operands.
 * "" when they come from a macro and the text does not show it. */
const char *c_binary_op(c_lower *l, CXCursor lhs, CXCursor rhs) {
    ms_span a, b;
    if (!c_cursor_span(l->t, lhs, &a) || !c_cursor_span(l->t, rhs, &b) || a.file != b.file ||
        a.end > b.start)
        return "";
    uint32_t len;
    const char *text = c_span_text(l->t, (ms_span){a.file, a.end, b.start}, &len);
    uint32_t i = 0;
    while (i < len) {
        if (isspace((unsigned char)text[i])) {
            i++;
        } else if (text[i] == ')') {
            i++; /* (a) = b */
        } else if (i + 1 < len && text[i] == '/' && text[i + 1] == '*') {
            const char *end = strstr(text + i + 2, "*/");
            if (!end || end >= text + len)
                return "";
            i = (uint32_t)(end - text) + 2;
        } else {
            break;
        }
    }
    uint32_t start = i;
    while (i < len && strchr("=!<>&|+-*/%^", text[i]) && i - start < 3)
        i++;
    return ms_intern(l->t->names, text + start, i - start);
}

static unary_kind unary_of(c_lower *l, CXCursor e) {
    /* & and * by their types, which hold inside macro expansions too. */
    CXType result = clang_getCanonicalType(clang_getCursorType(e));
    CXType operand = clang_getCanonicalType(clang_getCursorType(first_child(e)));
    if (result.kind == CXType_Pointer &&
        clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(result)), operand))
        return UN_ADDR;
    if (operand.kind == CXType_Pointer &&
        clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(operand)), result))
        return UN_DEREF;
    ms_span sp;
    if (!c_cursor_span(l->t, e, &sp) || sp.end <= sp.start)
        return UN_OTHER;
    uint32_t len;
    const char *text = c_span_text(l->t, sp, &len);
    if (text[0] == '&' && (len < 2 || text[1] != '&'))
        return UN_ADDR;
    if (text[0] == '*')
        return UN_DEREF;
    if (len >= 2 && ((text[0] == '+' && text[1] == '+') || (text[0] == '-' && text[1] == '-')))
        return UN_PREINC;
    if (len >= 2 && ((text[len - 1] == '+' && text[len - 2] == '+') ||
                     (text[len - 1] == '-' && text[len - 2] == '-')))
        return UN_POSTINC;
    return UN_OTHER;
}

/* ---- paths --------------------------------------------------------------------- */

static bool push_step(ms_path *p, ms_step step) {
    if (p->len >= MS_PATH_MAX) {
        p->root = MS_NONE;
        return false;
    }
    p->steps[p->len++] = step;
    return true;
}

static CXCursor first_child(CXCursor c) {
    c_cursors kids = {0};
    c_children(c, &kids);
    CXCursor out = kids.len ? kids.items[0] : clang_getNullCursor();
    MS_VEC_FREE(&kids);
    return out;
}

/* A smart pointer's operator* or operator->: the object it points to. */
static bool smart_deref(c_lower *l, CXCursor call, CXCursor *object) {
    CXCursor ref = clang_getCursorReferenced(call);
    const char *name = c_spelling(l->t, ref);
    if (strcmp(name, "operator*") != 0 && strcmp(name, "operator->") != 0)
        return false;
    if (clang_Cursor_getNumArguments(call) != 1)
        return false;
    const char *cls = c_qualified_name(l->t, clang_getCursorSemanticParent(ref));
    if (strcmp(cls, "std::unique_ptr") != 0 && strcmp(cls, "std::shared_ptr") != 0)
        return false;
    *object = clang_Cursor_getArgument(call, 0);
    return true;
}

/* shards[0]: the constant's value as text, so equal constants name the
 * same element (ir.h, MS_STEP_INDEX). */
static const char *constant_index(c_lower *l, CXCursor e) {
    e = c_strip(e);
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k != CXCursor_IntegerLiteral && k != CXCursor_DeclRefExpr)
        return NULL;
    if (k == CXCursor_DeclRefExpr &&
        clang_getCursorKind(clang_getCursorReferenced(e)) != CXCursor_EnumConstantDecl)
        return NULL;
    CXEvalResult r = clang_Cursor_Evaluate(e);
    const char *text = NULL;
    if (r && clang_EvalResult_getKind(r) == CXEval_Int)
        text = ms_arena_printf(l->t->arena, "%lld", clang_EvalResult_getAsLongLong(r));
    if (r)
        clang_EvalResult_dispose(r);
    return text ? ms_intern_cstr(l->t->names, text) : NULL;
}

ms_path c_path_of(c_lower *l, CXCursor e) {
    ms_path none = {0};
    for (int guard = 0; guard < 32; guard++) {
        e = c_strip(e);
        switch (clang_getCursorKind(e)) {
            case CXCursor_DeclRefExpr: {
                uint32_t sym = resolve_sym(l, clang_getCursorReferenced(e));
                if (!sym)
                    return none;
                ms_path alias = c_sx(l->t, sym)->alias;
                if (ms_path_valid(&alias))
                    return alias;
                ms_path out = {.root = sym};
                return out;
            }
            case CXCursor_CXXThisExpr: {
                ms_path out = {.root = l->this_sym};
                return out;
            }
            case CXCursor_MemberRefExpr: {
                CXCursor field = clang_getCursorReferenced(e);
                if (clang_getCursorKind(field) != CXCursor_FieldDecl)
                    return none;
                CXCursor base = first_child(e);
                ms_path p =
                    clang_Cursor_isNull(base) ? (ms_path){.root = l->this_sym} : c_path_of(l, base);
                if (!ms_path_valid(&p))
                    return none;
                push_step(&p, (ms_step){.kind = MS_STEP_FIELD, .field = c_spelling(l->t, field)});
                return p;
            }
            case CXCursor_UnaryOperator: {
                unary_kind k = unary_of(l, e);
                if (k != UN_ADDR && k != UN_DEREF)
                    return none;
                e = first_child(e);
                continue;
            }
            case CXCursor_ArraySubscriptExpr: {
                c_cursors kids = {0};
                c_children(e, &kids);
                ms_path p = kids.len == 2 ? c_path_of(l, kids.items[0]) : none;
                if (ms_path_valid(&p))
                    push_step(&p, (ms_step){.kind = MS_STEP_INDEX,
                                            .index_sym = c_var_of(l, kids.items[1]),
                                            .field = constant_index(l, kids.items[1])});
                MS_VEC_FREE(&kids);
                return p;
            }
            case CXCursor_CallExpr: {
                CXCursor object;
                if (!smart_deref(l, e, &object))
                    return none;
                e = object;
                continue;
            }
            default:
                return none;
        }
    }
    return none;
}

bool c_is_map_expr(c_lower *l, CXCursor e, c_type *type) {
    c_type ty = c_classify_cursor(l->t, c_strip(e));
    if (ty.type_class != MS_TC_MAP) {
        /* a variable whose declared type knows better (auto, templates) */
        uint32_t sym = c_var_of(l, e);
        if (sym)
            ty = c_sx(l->t, sym)->type;
    }
    if (type)
        *type = ty;
    return ty.type_class == MS_TC_MAP;
}

/* ---- keys ---------------------------------------------------------------------------- */

static bool is_iterator_sym(c_lower *l, uint32_t sym) {
    c_symx *x = c_sx(l->t, sym);
    if (ms_path_valid(&x->iter_map))
        return true;
    return x->is_iterator;
}

/* The iterator a `it->first`, `(*it).first` or `*it` refers through. */
static uint32_t deref_iterator(c_lower *l, CXCursor e) {
    e = c_strip(e);
    if (clang_getCursorKind(e) != CXCursor_CallExpr)
        return MS_NONE;
    const char *name = c_spelling(l->t, clang_getCursorReferenced(e));
    if (strcmp(name, "operator->") != 0 && strcmp(name, "operator*") != 0)
        return MS_NONE;
    if (clang_Cursor_getNumArguments(e) < 1)
        return MS_NONE;
    uint32_t sym = c_var_of(l, clang_Cursor_getArgument(e, 0));
    return sym && is_iterator_sym(l, sym) ? sym : MS_NONE;
}

/* x++ on an iterator, built in or overloaded (postfix operator++ has a
 * second, dummy argument). */
static uint32_t postinc_iterator(c_lower *l, CXCursor e) {
    e = c_strip(e);
    if (clang_getCursorKind(e) == CXCursor_UnaryOperator && unary_of(l, e) == UN_POSTINC)
        return c_var_of(l, first_child(e));
    if (clang_getCursorKind(e) == CXCursor_CallExpr &&
        strcmp(c_spelling(l->t, clang_getCursorReferenced(e)), "operator++") == 0 &&
        clang_Cursor_getNumArguments(e) == 2)
        return c_var_of(l, clang_Cursor_getArgument(e, 0));
    return MS_NONE;
}

/* The element a key expression names when it is the current element of an
 * iteration: it->first, (*it).first, kv.first, *it, or a copy of one. */
static uint32_t element_of(c_lower *l, CXCursor e, bool *through_iterator) {
    e = c_strip(e);
    *through_iterator = false;
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_MemberRefExpr) {
        /* by name, so kv.first in a template (a dependent member) counts */
        if (strcmp(c_member_name(l->t, e), "first") != 0)
            return MS_NONE;
        CXCursor base = first_child(e);
        uint32_t it = deref_iterator(l, base);
        if (it) {
            *through_iterator = true;
            return it;
        }
        return c_var_of(l, base); /* kv.first */
    }
    if (k == CXCursor_CallExpr) {
        uint32_t it = deref_iterator(l, e);
        *through_iterator = it != MS_NONE;
        return it;
    }
    return MS_NONE;
}

ms_path c_arg_path(c_lower *l, CXCursor e) {
    /* drop(kv.first), drop(it->first): the callee's key is the element */
    bool through = false;
    uint32_t elem = element_of(l, e, &through);
    if (elem) {
        ms_path p = {.root = elem};
        return p;
    }
    return c_path_of(l, e);
}

/* A key that takes few values however often it is computed: a constant,
 * or an expression folded by %, &, / or >> (m[i % n]). */
static bool few_keys(c_lower *l, CXCursor e) {
    switch (clang_getCursorKind(e)) {
        case CXCursor_IntegerLiteral:
        case CXCursor_StringLiteral:
        case CXCursor_CharacterLiteral:
        case CXCursor_CXXBoolLiteralExpr:
            return true;
        case CXCursor_DeclRefExpr:
            return clang_getCursorKind(clang_getCursorReferenced(e)) == CXCursor_EnumConstantDecl;
        case CXCursor_BinaryOperator: {
            c_cursors kids = {0};
            c_children(e, &kids);
            const char *op = kids.len == 2 ? c_binary_op(l, kids.items[0], kids.items[1]) : "";
            MS_VEC_FREE(&kids);
            return strcmp(op, "%") == 0 || strcmp(op, "&") == 0 || strcmp(op, "/") == 0 ||
                   strcmp(op, ">>") == 0;
        }
        default:
            return false;
    }
}

void c_classify_key(c_lower *l, CXCursor key, uint8_t *kind, uint32_t *sym, uint8_t *flags) {
    *kind = MS_KEY_OTHER;
    *sym = MS_NONE;
    *flags = 0;
    CXCursor e = c_strip(key);
    if (few_keys(l, e))
        *flags |= MS_MAPOPF_FEW_KEYS;
    if (clang_getCursorKind(e) == CXCursor_UnaryOperator && unary_of(l, e) == UN_ADDR)
        e = c_strip(first_child(e)); /* refmap_put(m, &k, ...) */
    uint32_t post = postinc_iterator(l, e);
    if (post) {
        *kind = MS_KEY_ITER;
        *sym = post;
        *flags |= MS_MAPOPF_ITER_POSTINC;
        return;
    }
    bool through = false;
    uint32_t elem = element_of(l, e, &through);
    if (elem) {
        *kind = through ? MS_KEY_ITER : MS_KEY_SYM;
        *sym = elem;
        return;
    }
    uint32_t v = c_var_of(l, e);
    if (!v)
        return;
    c_symx *x = c_sx(l->t, v);
    const ms_sym *s = &l->t->syms.items[v];
    if (x->few_keys)
        *flags |= MS_MAPOPF_FEW_KEYS; /* int b = x % 16; put(m, &b, ...) */
    if (x->key_of && !(s->flags & MS_SYMF_REASSIGNED)) {
        /* auto k = it->first; ... erase(k) */
        *kind = is_iterator_sym(l, x->key_of) ? MS_KEY_ITER : MS_KEY_SYM;
        *sym = x->key_of;
        return;
    }
    if (is_iterator_sym(l, v)) {
        *kind = MS_KEY_ITER;
        *sym = v;
        return;
    }
    if (s->flags & MS_SYMF_REASSIGNED)
        return;
    *kind = MS_KEY_SYM;
    *sym = v;
}

/* ---- counts ------------------------------------------------------------------------------- */

static bool simple_expr(c_lower *l, CXCursor e, int depth) {
    e = c_strip(e);
    switch (clang_getCursorKind(e)) {
        case CXCursor_DeclRefExpr: {
            CXCursor d = clang_getCursorReferenced(e);
            enum CXCursorKind dk = clang_getCursorKind(d);
            return dk == CXCursor_VarDecl || dk == CXCursor_ParmDecl ||
                   dk == CXCursor_EnumConstantDecl;
        }
        case CXCursor_IntegerLiteral:
            return true;
        case CXCursor_MemberRefExpr: {
            if (depth > 4 ||
                clang_getCursorKind(clang_getCursorReferenced(e)) != CXCursor_FieldDecl)
                return false;
            CXCursor base = first_child(e);
            return clang_Cursor_isNull(base) || simple_expr(l, base, depth + 1);
        }
        case CXCursor_CXXThisExpr:
            return true;
        case CXCursor_CallExpr: {
            /* xs.size(), xs.length() */
            const char *name = c_spelling(l->t, clang_getCursorReferenced(e));
            if ((strcmp(name, "size") != 0 && strcmp(name, "length") != 0) ||
                clang_Cursor_getNumArguments(e) != 0)
                return false;
            CXCursor callee = first_child(e);
            if (clang_getCursorKind(callee) != CXCursor_MemberRefExpr)
                return false;
            CXCursor base = first_child(callee);
            return !clang_Cursor_isNull(base) && simple_expr(l, base, depth + 1);
        }
        default:
            return false;
    }
}

const char *c_simple_text(c_lower *l, CXCursor e) {
    if (!simple_expr(l, e, 0))
        return NULL;
    ms_span sp;
    if (!c_cursor_span(l->t, c_strip(e), &sp) || sp.end <= sp.start)
        return NULL;
    uint32_t len;
    const char *text = c_span_text(l->t, sp, &len);
    return ms_intern(l->t->names, text, len);
}

/* ---- callables ----------------------------------------------------------------------------- */

uint32_t c_callable(c_lower *l, CXCursor e, ms_path *bound_this) {
    (void)bound_this;
    for (int guard = 0; guard < 8; guard++) {
        e = c_strip(e);
        switch (clang_getCursorKind(e)) {
            case CXCursor_LambdaExpr:
                return c_lower_lambda(l, e);
            case CXCursor_DeclRefExpr: {
                CXCursor d = clang_getCursorReferenced(e);
                if (c_is_function_kind(clang_getCursorKind(d)))
                    return c_func_of_decl(l->t, d);
                uint32_t sym = resolve_sym(l, d);
                return sym ? c_sx(l->t, sym)->closure : MS_NONE;
            }
            case CXCursor_UnaryOperator:
                e = first_child(e); /* &worker, &Class::method */
                continue;
            case CXCursor_MemberRefExpr: {
                CXCursor d = clang_getCursorReferenced(e);
                return c_is_function_kind(clang_getCursorKind(d)) ? c_func_of_decl(l->t, d)
                                                                  : MS_NONE;
            }
            default:
                return MS_NONE;
        }
    }
    return MS_NONE;
}

/* ---- declarations and assignments ------------------------------------------------------------ */

/* What a variable holds after `v = init`: the map or lock it points to, the
 * function it names, the iteration it belongs to. */
static void bind_value(c_lower *l, uint32_t sym, CXCursor init) {
    /* Computed into a copy: resolving names may add symbols, which moves
     * the symbol table. */
    c_symx x = *c_sx(l->t, sym);
    ms_path none = {0};
    x.alias = none;
    x.closure = MS_NONE;
    x.iter_map = none;
    x.key_of = MS_NONE;
    x.few_keys = false;
    if (clang_Cursor_isNull(init)) {
        *c_sx(l->t, sym) = x;
        return;
    }
    CXCursor e = c_strip(init);
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_DeclRefExpr) {
        CXCursor d = clang_getCursorReferenced(e);
        if (c_is_function_kind(clang_getCursorKind(d))) {
            x.closure = c_func_of_decl(l->t, d);
        } else {
            uint32_t src = resolve_sym(l, d);
            if (src && c_sx(l->t, src)->closure)
                x.closure = c_sx(l->t, src)->closure;
        }
    }
    if (x.type.indirect || x.type.type_class == MS_TC_UNKNOWN) {
        c_type it;
        /* A pointer or reference names what it was set to: a map, a lock,
         * or a struct that holds them (struct worker *w = arg). */
        if (c_is_map_expr(l, e, &it) || it.type_class == MS_TC_LOCK ||
            it.type_class == MS_TC_RWLOCK || x.type.indirect ||
            (x.type.type_class == MS_TC_MAP && clang_getCursorKind(e) == CXCursor_DeclRefExpr)) {
            ms_path p = c_path_of(l, e);
            if (ms_path_valid(&p) && p.root != sym)
                x.alias = p;
        }
    }
    bool through = false;
    uint32_t elem = element_of(l, e, &through);
    if (elem)
        x.key_of = elem;
    /* folded values only: a counter starts at a constant too */
    x.few_keys = clang_getCursorKind(e) == CXCursor_BinaryOperator && few_keys(l, e);
    ms_path from;
    uint8_t sem;
    bool is_end;
    if (c_iter_source(l, e, &from, &sem, &is_end)) {
        x.iter_map = from;
        x.iter_sem = sem;
        x.iter_end = is_end;
    } else {
        uint32_t other = c_var_of(l, e);
        if (other && ms_path_valid(&c_sx(l->t, other)->iter_map)) {
            x.iter_map = c_sx(l->t, other)->iter_map;
            x.iter_sem = c_sx(l->t, other)->iter_sem;
            x.iter_end = c_sx(l->t, other)->iter_end;
        }
    }
    *c_sx(l->t, sym) = x;
}

static void emit_make(c_lower *l, CXCursor init, ms_path dest, CXCursor var) {
    if (!ms_path_valid(&dest))
        return;
    ms_node *mk = c_new_node(l, MS_NODE_MAP_MAKE, clang_Cursor_isNull(init) ? var : init);
    if (!c_map_make(l, init, var, mk))
        return;
    mk->u.make.dest = dest;
    c_emit(l, mk);
}

static void lower_init(c_lower *l, CXCursor var, uint32_t sym, CXCursor init) {
    CXCursor e = c_strip(init);
    if (clang_getCursorKind(e) == CXCursor_LambdaExpr) {
        /* Lowering the lambda can add symbols and move the table, so
         * look the slot up only after it returns. */
        uint32_t closure = c_lower_lambda(l, e);
        c_sx(l->t, sym)->closure = closure;
        return;
    }
    l->async_future = false;
    if (!c_lower_construct(l, var, init, sym)) {
        l->constructing = sym;
        c_lower_expr(l, init);
        l->constructing = MS_NONE;
    }
    if (l->async_future) {
        /* the future of std::async waits for the task when it is destroyed */
        ms_node *j = c_new_node(l, MS_NODE_JOIN, var);
        j->u.join.join_kind = MS_JOIN_THREAD;
        j->u.join.obj = (ms_path){.root = sym};
        MS_VEC_PUSH(&l->scope_exits, j);
        c_sx(l->t, sym)->spawn_join = true;
        l->async_future = false;
    }
    bind_value(l, sym, init);
}

static enum CXChildVisitResult collect_field(CXCursor c, CXCursor parent, CXClientData data) {
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_FieldDecl)
        MS_VEC_PUSH((c_cursors *)data, c);
    return CXChildVisit_Continue;
}

/* struct worker a = {orders, 0}, {.orders = orders}: a.orders is orders
 * until one of them is assigned again. */
static void record_field_aliases(c_lower *l, CXCursor var, uint32_t sym, CXCursor init) {
    CXCursor list = c_strip(init);
    CXType ty = clang_getCanonicalType(clang_getCursorType(var));
    if (clang_getCursorKind(list) != CXCursor_InitListExpr || ty.kind != CXType_Record)
        return;
    c_cursors fields = {0}, items = {0}, parts = {0};
    clang_visitChildren(clang_getTypeDeclaration(ty), collect_field, &fields);
    c_children(list, &items);
    size_t next = 0;
    for (size_t i = 0; i < items.len; i++) {
        CXCursor item = items.items[i], field = clang_getNullCursor(), value = item;
        c_children(item, &parts);
        if (clang_getCursorKind(item) == CXCursor_UnexposedExpr && parts.len == 2 &&
            clang_getCursorKind(parts.items[0]) == CXCursor_MemberRef) {
            field = clang_getCursorReferenced(parts.items[0]); /* .name = value */
            value = parts.items[1];
            for (size_t k = 0; k < fields.len; k++)
                if (clang_equalCursors(fields.items[k], field))
                    next = k;
        } else if (next < fields.len) {
            field = fields.items[next];
        }
        next++;
        c_type vt = c_classify_cursor(l->t, c_strip(value));
        if (clang_Cursor_isNull(field) ||
            (vt.type_class != MS_TC_MAP && vt.type_class != MS_TC_LOCK &&
             vt.type_class != MS_TC_RWLOCK))
            continue;
        c_add_field_alias(l, sym, field, value);
    }
    MS_VEC_FREE(&parts);
    MS_VEC_FREE(&items);
    MS_VEC_FREE(&fields);
}

void c_add_field_alias(c_lower *l, uint32_t root, CXCursor field, CXCursor value) {
    ms_path to = c_path_of(l, value);
    if (!ms_path_valid(&to))
        return;
    ms_field_alias a = {.from = {.root = root, .len = 1}, .to = to};
    a.from.steps[0] = (ms_step){.kind = MS_STEP_FIELD, .field = c_spelling(l->t, field)};
    MS_VEC_PUSH(&l->t->aliases, a);
    MS_VEC_PUSH(&l->t->alias_dead, false);
}

/* An assignment to a.f ends what was known about a.f; returns whether
 * anything was known. */
static bool kill_field_aliases(c_lower *l, const ms_path *p) {
    c_tu *t = l->t;
    bool known = false;
    for (size_t i = 0; i < t->aliases.len; i++) {
        if (!ms_path_overlap(&t->aliases.items[i].from, p))
            continue;
        t->alias_dead.items[i] = true;
        known = true;
    }
    return known;
}

/* jobs[i].out = out: a field set once, to a map or lock, names it. */
static void assign_field_alias(c_lower *l, const ms_path *dest, CXCursor rhs) {
    if (kill_field_aliases(l, dest) || dest->len == 0)
        return; /* set more than once: which value holds is unknown */
    c_type vt = c_classify_cursor(l->t, c_strip(rhs));
    if (vt.type_class != MS_TC_MAP && vt.type_class != MS_TC_LOCK && vt.type_class != MS_TC_RWLOCK)
        return;
    ms_path to = c_path_of(l, rhs);
    if (!ms_path_valid(&to))
        return;
    ms_field_alias a = {.from = *dest, .to = to};
    MS_VEC_PUSH(&l->t->aliases, a);
    MS_VEC_PUSH(&l->t->alias_dead, false);
}

void c_lower_var_decl(c_lower *l, CXCursor decl) {
    c_tu *t = l->t;
    if (clang_getCursorKind(decl) == CXCursor_UnexposedDecl) {
        /* auto [k, v] = ...: the bindings, then the initializer */
        c_cursors kids = {0};
        c_children(decl, &kids);
        for (size_t i = 0; i < kids.len; i++) {
            CXCursor c = kids.items[i];
            enum CXCursorKind k = clang_getCursorKind(c);
            if (k == CXCursor_UnexposedDecl)
                c_new_sym(t, c_spelling(t, c), MS_SYM_LOCAL, l->func, c);
            else if (clang_isExpression(k))
                c_lower_expr(l, c);
        }
        MS_VEC_FREE(&kids);
        return;
    }
    bool global = clang_Cursor_hasVarDeclGlobalStorage(decl) == 1;
    uint32_t sym = c_new_sym(t, c_spelling(t, decl), global ? MS_SYM_GLOBAL : MS_SYM_LOCAL,
                             global ? MS_NONE : l->func, decl);
    CXCursor init = clang_Cursor_getVarDeclInitializer(decl);
    if (!clang_Cursor_isNull(init)) {
        lower_init(l, decl, sym, init);
        if (!global)
            record_field_aliases(l, decl, sym, init);
    } else {
        c_lower_construct(l, decl, init, sym);
    }
    ms_path dest = {.root = sym};
    if (!global) {
        emit_make(l, init, dest, decl);
        c_schedule_destructor(l, decl, sym);
    }
}

void c_note_assign(c_lower *l, CXCursor lhs, CXCursor rhs) {
    uint32_t sym = c_var_of(l, lhs);
    if (sym) {
        l->t->syms.items[sym].flags |= MS_SYMF_REASSIGNED;
        c_sx(l->t, sym)->assigns++;
        ms_node *a = c_new_node(l, MS_NODE_ASSIGN, lhs);
        a->u.assign.sym = sym;
        c_emit(l, a);
        if (clang_getCursorKind(c_strip(rhs)) == CXCursor_LambdaExpr)
            return; /* bound when the lambda was lowered */
        bind_value(l, sym, rhs);
        ms_path dest = {.root = sym};
        kill_field_aliases(l, &dest);
        emit_make(l, rhs, dest, lhs);
        return;
    }
    c_note_store(l, lhs);
    ms_path dest = c_path_of(l, lhs);
    if (ms_path_valid(&dest))
        assign_field_alias(l, &dest, rhs);
    emit_make(l, rhs, dest, lhs);
}

/* ---- expressions -------------------------------------------------------------------------------
 */

static void lower_children(c_lower *l, CXCursor e) {
    c_cursors kids = {0};
    c_children(e, &kids);
    for (size_t i = 0; i < kids.len; i++) {
        CXCursor c = kids.items[i];
        enum CXCursorKind k = clang_getCursorKind(c);
        if (clang_isExpression(k))
            c_lower_expr(l, c);
        else if (k == CXCursor_CompoundStmt || clang_isStatement(k))
            c_lower_stmt(l, c); /* ({ ... }) */
        else if (k == CXCursor_VarDecl)
            c_lower_var_decl(l, c);
    }
    MS_VEC_FREE(&kids);
}

/* Evaluated only sometimes: the right of && and ||, the arms of ?:. */
static void lower_conditional(c_lower *l, CXCursor at, const CXCursor *arms, size_t n) {
    ms_node *br = c_new_node(l, MS_NODE_BRANCH, at);
    br->u.branch.narms = (uint32_t)n;
    br->u.branch.arms = MS_NEW_ARRAY(l->t->arena, ms_node *, n ? n : 1);
    br->u.branch.exhaustive = n == 2;
    for (size_t i = 0; i < n; i++) {
        c_node_vec v = {0};
        c_node_vec *saved = l->out;
        l->out = &v;
        c_lower_expr(l, arms[i]);
        l->out = saved;
        br->u.branch.arms[i] = c_make_block(l, &v, arms[i]);
    }
    c_emit(l, br);
}

static void mark_reassigned(c_lower *l, CXCursor lhs) {
    uint32_t sym = c_var_of(l, lhs);
    if (sym) {
        l->t->syms.items[sym].flags |= MS_SYMF_REASSIGNED;
        c_sx(l->t, sym)->assigns++;
    } else {
        c_note_store(l, lhs);
    }
}

static void lower_binary(c_lower *l, CXCursor e) {
    c_cursors kids = {0};
    c_children(e, &kids);
    if (kids.len != 2) {
        MS_VEC_FREE(&kids);
        lower_children(l, e);
        return;
    }
    CXCursor lhs = kids.items[0], rhs = kids.items[1];
    MS_VEC_FREE(&kids);
    const char *op = c_binary_op(l, lhs, rhs);
    if (strcmp(op, "&&") == 0 || strcmp(op, "||") == 0) {
        c_lower_expr(l, lhs);
        lower_conditional(l, rhs, &rhs, 1);
    } else if (strcmp(op, "=") == 0) {
        uint32_t saved = l->assign_target;
        l->assign_target = c_var_of(l, lhs);
        c_lower_expr(l, rhs);
        l->assign_target = saved;
        c_lower_expr(l, lhs);
        c_note_assign(l, lhs, rhs);
    } else {
        c_lower_expr(l, lhs);
        c_lower_expr(l, rhs);
    }
}

void c_lower_expr(c_lower *l, CXCursor e) {
    if (clang_Cursor_isNull(e))
        return;
    enum CXCursorKind k = clang_getCursorKind(e);
    switch (k) {
        case CXCursor_DeclRefExpr:
        case CXCursor_IntegerLiteral:
        case CXCursor_FloatingLiteral:
        case CXCursor_ImaginaryLiteral:
        case CXCursor_StringLiteral:
        case CXCursor_CharacterLiteral:
        case CXCursor_CXXBoolLiteralExpr:
        case CXCursor_CXXNullPtrLiteralExpr:
        case CXCursor_CXXThisExpr:
        case CXCursor_UnaryExpr: /* sizeof, alignof: not evaluated */
        case CXCursor_TypeRef:
        case CXCursor_TemplateRef:
        case CXCursor_NamespaceRef:
        case CXCursor_OverloadedDeclRef:
            return;
        default:
            break;
    }
    if (!c_enter(l, e))
        return;
    switch (k) {
        case CXCursor_CallExpr:
            c_lower_call(l, e);
            break;
        case CXCursor_LambdaExpr:
            c_lower_lambda(l, e);
            break;
        case CXCursor_BinaryOperator:
            lower_binary(l, e);
            break;
        case CXCursor_CompoundAssignOperator: {
            c_cursors kids = {0};
            c_children(e, &kids);
            bool saved = l->updating;
            for (size_t i = 0; i < kids.len; i++) {
                l->updating = i == 0;
                c_lower_expr(l, kids.items[i]);
            }
            l->updating = saved;
            if (kids.len)
                mark_reassigned(l, kids.items[0]);
            MS_VEC_FREE(&kids);
            break;
        }
        case CXCursor_UnaryOperator: {
            unary_kind u = unary_of(l, e);
            CXCursor operand = first_child(e);
            bool saved = l->updating;
            l->updating = u == UN_PREINC || u == UN_POSTINC;
            c_lower_expr(l, operand);
            l->updating = saved;
            if (u == UN_PREINC || u == UN_POSTINC) {
                mark_reassigned(l, operand);
            } else if (u == UN_ADDR) {
                uint32_t sym = c_var_of(l, operand);
                if (sym)
                    l->t->syms.items[sym].flags |= MS_SYMF_ADDRESS_TAKEN;
            }
            break;
        }
        case CXCursor_ConditionalOperator: {
            c_cursors kids = {0};
            c_children(e, &kids);
            if (kids.len == 3) {
                c_lower_expr(l, kids.items[0]);
                lower_conditional(l, e, kids.items + 1, 2);
            } else {
                lower_children(l, e);
            }
            MS_VEC_FREE(&kids);
            break;
        }
        default:
            lower_children(l, e);
            break;
    }
    c_leave(l);
}
