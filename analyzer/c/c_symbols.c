/* Symbols and functions of a unit, keyed by the canonical declaration
 * cursor, so every reference to a variable or a function finds the same id
 * whichever redeclaration it names. */
#include "c_internal.h"

#include <string.h>

uint32_t c_new_sym(c_tu *t, const char *name, ms_sym_kind kind, uint32_t func, CXCursor decl) {
    ms_sym s = {.name = name, .kind = (uint8_t)kind, .param_index = -1, .func = func};
    c_type type = c_classify_cursor(t, decl);
    s.type_class = type.type_class;
    s.semantics = type.semantics;
    s.type_name = type.name;
    ms_span span;
    if (c_cursor_span(t, decl, &span))
        s.decl = span;
    MS_VEC_PUSH(&t->syms, s);
    c_symx x = {.type = type};
    if (!clang_Cursor_isNull(decl)) {
        CXString ts = clang_getTypeSpelling(clang_getCursorType(decl));
        const char *tsp = clang_getCString(ts);
        x.is_iterator = tsp && strstr(tsp, "iterator") != NULL;
        clang_disposeString(ts);
    }
    MS_VEC_PUSH(&t->symx, x);
    uint32_t id = (uint32_t)t->syms.len - 1;
    if (!clang_Cursor_isNull(decl))
        c_cursor_map_put(&t->sym_of, clang_getCanonicalCursor(decl), id);
    return id;
}

static bool is_variable(enum CXCursorKind k) {
    return k == CXCursor_VarDecl || k == CXCursor_ParmDecl || k == CXCursor_FieldDecl ||
           k == CXCursor_UnexposedDecl; /* structured bindings */
}

uint32_t c_sym_of_decl(c_tu *t, CXCursor decl) {
    enum CXCursorKind k = clang_getCursorKind(decl);
    if (!is_variable(k) || k == CXCursor_FieldDecl)
        return MS_NONE;
    uint32_t id = c_cursor_map_get(&t->sym_of, clang_getCanonicalCursor(decl));
    if (id)
        return id;
    /* Globals, static locals and static members are created on first use:
     * the analysis needs only those the project's functions touch. */
    if (k == CXCursor_VarDecl && clang_Cursor_hasVarDeclGlobalStorage(decl) == 1)
        return c_new_sym(t, c_spelling(t, decl), MS_SYM_GLOBAL, MS_NONE, decl);
    return MS_NONE;
}

uint32_t c_new_func(c_tu *t, CXCursor def, const char *name, const char *display,
                    const char *recv_type, uint32_t flags) {
    ms_func f = {.name = name, .display = display, .recv_type = recv_type, .flags = flags};
    ms_span span;
    if (c_cursor_span(t, def, &span)) {
        f.span = span;
        f.name_span = span;
    }
    CXSourceRange nr = clang_Cursor_getSpellingNameRange(def, 0, 0);
    uint32_t file, start, end;
    if (!clang_Range_isNull(nr) && c_location(t, clang_getRangeStart(nr), &file, &start) &&
        c_location(t, clang_getRangeEnd(nr), &file, &end) && file == f.span.file && end >= start)
        f.name_span = (ms_span){file, start, end};
    MS_VEC_PUSH(&t->funcs, f);
    MS_VEC_PUSH(&t->func_cursor, def);
    uint32_t id = (uint32_t)t->funcs.len - 1;
    if (clang_getCursorKind(def) != CXCursor_LambdaExpr)
        c_cursor_map_put(&t->func_of, clang_getCanonicalCursor(def), id);
    return id;
}

uint32_t c_func_of_decl(c_tu *t, CXCursor decl) {
    if (clang_Cursor_isNull(decl))
        return MS_NONE;
    uint32_t id = c_cursor_map_get(&t->func_of, clang_getCanonicalCursor(decl));
    if (id)
        return id;
    /* A call of a template's instantiation names the instantiation; the
     * body we lowered is the template's. */
    CXCursor tmpl = clang_getSpecializedCursorTemplate(decl);
    if (!clang_Cursor_isNull(tmpl))
        return c_cursor_map_get(&t->func_of, clang_getCanonicalCursor(tmpl));
    return MS_NONE;
}
