/* Changes to a variable's value that do not assign the variable itself: a
 * store through it (q->n--, s.len = 0), a non-const method called on it
 * (xs.push_back(x), q.xs = other), or the variable handed by pointer or
 * non-const reference to code that may change it (trim(q), swap(xs, ys)).
 *
 * A counted loop evaluates its bound on every iteration: MS301 trusts
 * "i < q->n" or "i < xs.size()" as the trip count only when the body makes
 * none of these changes to the bound's variables. The lowering counts them
 * per symbol (c_symx.changes), and the loop compares the counts around its
 * body, as it does with assignments of the counter. */
#include "c_internal.h"

#include <string.h>

/* Changes to one element (xs[i] = v, touch(q->items[i])) leave the
 * container's size and the other fields alone. */
static void note_change(c_lower *l, CXCursor target) {
    ms_path p = c_path_of(l, target);
    if (ms_path_valid(&p) && !ms_path_has_index(&p))
        c_sx(l->t, p.root)->changes++;
}

void c_note_store(c_lower *l, CXCursor lhs) {
    if (!c_var_of(l, lhs)) /* a plain variable counts as an assignment */
        note_change(l, lhs);
}

/* Methods that have a const overload: a non-const object picks the
 * non-const one, which still changes nothing. */
static bool accessor(const char *name) {
    static const char *const names[] = {
        "at",   "front", "back",        "begin",       "end",         "rbegin", "rend",
        "data", "find",  "lower_bound", "upper_bound", "equal_range", "get",    "value",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

static bool method_changes_object(c_lower *l, CXCursor method, CXCursor object) {
    if (clang_getCursorKind(method) != CXCursor_CXXMethod)
        return !clang_Cursor_isNull(method); /* a template or unresolved: may */
    if (clang_CXXMethod_isConst(method) || clang_CXXMethod_isStatic(method))
        return false;
    const char *name = c_spelling(l->t, method);
    if (accessor(name))
        return false;
    if (strcmp(name, "operator[]") == 0) {
        /* an element of a vector or a string; a map's operator[] inserts */
        c_type type = c_classify_cursor(l->t, c_strip(object));
        return type.type_class == MS_TC_MAP;
    }
    return true;
}

/* Whether a parameter lets the callee change what the argument names. */
static bool param_writes(CXType param) {
    param = clang_getCanonicalType(param);
    if (param.kind != CXType_Pointer && param.kind != CXType_LValueReference &&
        param.kind != CXType_RValueReference)
        return false;
    return !clang_isConstQualifiedType(clang_getPointeeType(param));
}

static bool arg_writes(CXCursor callee, int index, CXCursor arg) {
    enum CXCursorKind k = clang_getCursorKind(callee);
    if (c_is_function_kind(k) && k != CXCursor_FunctionTemplate) {
        CXType fn = clang_getCursorType(callee);
        int nparams = clang_getNumArgTypes(fn);
        if (index < nparams)
            return param_writes(clang_getArgType(fn, (unsigned)index));
        if (nparams >= 0 && !clang_isFunctionTypeVariadic(fn))
            return false;
    }
    /* an unknown callee: what it receives by pointer it may change */
    return clang_getCanonicalType(clang_getCursorType(c_strip(arg))).kind == CXType_Pointer;
}

void c_note_call_writes(c_lower *l, CXCursor callee, CXCursor object, bool member,
                        const CXCursor *args, int nargs) {
    if (member && method_changes_object(l, callee, object)) {
        if (clang_Cursor_isNull(object)) {
            if (l->this_sym)
                c_sx(l->t, l->this_sym)->changes++;
        } else {
            note_change(l, object);
        }
    }
    for (int i = 0; i < nargs; i++)
        if (arg_writes(callee, i, args[i]))
            note_change(l, args[i]);
}

/* ---- the variables a bound reads ------------------------------------------------------ */

typedef struct bound_reader {
    c_lower *l;
    c_bound_vars *out;
} bound_reader;

static void add_var(c_bound_vars *b, uint32_t sym) {
    if (!sym)
        return;
    for (uint32_t i = 0; i < b->n; i++)
        if (b->syms[i] == sym)
            return;
    if (b->n == C_BOUND_VARS_MAX) {
        b->overflow = true;
        return;
    }
    b->syms[b->n++] = sym;
}

static enum CXChildVisitResult visit_bound(CXCursor c, CXCursor parent, CXClientData data) {
    (void)parent;
    bound_reader *r = data;
    switch (clang_getCursorKind(c)) {
        case CXCursor_DeclRefExpr:
            add_var(r->out, c_var_of(r->l, c));
            break;
        case CXCursor_CXXThisExpr:
            add_var(r->out, r->l->this_sym);
            break;
        case CXCursor_MemberRefExpr: {
            c_cursors kids = {0};
            c_children(c, &kids);
            if (!kids.len) /* a member of this, named alone */
                add_var(r->out, r->l->this_sym);
            MS_VEC_FREE(&kids);
            break;
        }
        default:
            break;
    }
    return CXChildVisit_Recurse;
}

void c_bound_vars_of(c_lower *l, CXCursor bound, c_bound_vars *out) {
    memset(out, 0, sizeof(*out));
    if (clang_Cursor_isNull(bound))
        return;
    bound_reader r = {.l = l, .out = out};
    visit_bound(bound, clang_getNullCursor(), &r);
    clang_visitChildren(bound, visit_bound, &r);
}

uint64_t c_bound_changes(c_lower *l, const c_bound_vars *b) {
    uint64_t sum = 0;
    for (uint32_t i = 0; i < b->n; i++)
        sum += c_sx(l->t, b->syms[i])->changes;
    return sum;
}
