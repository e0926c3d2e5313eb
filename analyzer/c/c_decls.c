/* The declarations whose bodies are analysed: function, method, constructor
 * and template definitions in the project's files, found through namespaces,
 * extern "C" blocks and class bodies. Every one is registered before any is
 * lowered, so a call finds a function defined further down. */
#include "c_internal.h"

#include <string.h>

static bool is_container(enum CXCursorKind k) {
    return k == CXCursor_Namespace || k == CXCursor_LinkageSpec || k == CXCursor_ClassDecl ||
           k == CXCursor_StructDecl || k == CXCursor_UnionDecl || k == CXCursor_ClassTemplate ||
           k == CXCursor_ClassTemplatePartialSpecialization;
}

static bool is_class(enum CXCursorKind k) {
    return k == CXCursor_ClassDecl || k == CXCursor_StructDecl || k == CXCursor_UnionDecl ||
           k == CXCursor_ClassTemplate || k == CXCursor_ClassTemplatePartialSpecialization;
}

static void register_function(c_tu *t, CXCursor c) {
    if (!clang_isCursorDefinition(c) || !c_cursor_in_project(t, c))
        return;
    enum CXCursorKind k = clang_getCursorKind(c);
    const char *name = c_spelling(t, c);
    const char *display = t->cxx ? c_qualified_name(t, c) : name;
    const char *recv = NULL;
    uint32_t flags = 0;
    CXCursor parent = clang_getCursorSemanticParent(c);
    if (is_class(clang_getCursorKind(parent))) {
        recv = c_qualified_name(t, parent);
        bool is_static = k == CXCursor_CXXMethod && clang_CXXMethod_isStatic(c);
        if (k == CXCursor_FunctionTemplate)
            is_static = clang_CXXMethod_isStatic(c);
        if (!is_static)
            flags |= MS_FUNCF_METHOD;
    }
    c_new_func(t, c, name, display, recv, flags);
}

static enum CXChildVisitResult visit_decl(CXCursor c, CXCursor parent, CXClientData data) {
    (void)parent;
    c_tu *t = data;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (is_container(k)) {
        if (c_cursor_in_project(t, c))
            clang_visitChildren(c, visit_decl, t);
    } else if (c_is_function_kind(k)) {
        register_function(t, c);
    }
    return CXChildVisit_Continue;
}

void c_lower_unit(c_tu *t) {
    clang_visitChildren(clang_getTranslationUnitCursor(t->tu), visit_decl, t);
    uint32_t declared = (uint32_t)t->funcs.len;
    for (uint32_t f = 1; f < declared; f++)
        c_lower_function(t, f);
}
