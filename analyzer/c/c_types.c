/* Types as the model catalogue names them: through pointers, references,
 * typedefs and template arguments to "std::unordered_map", "GHashTable",
 * "pthread_mutex_t". A typedef that the catalogue knows wins over what it
 * stands for (gpointer is not void *, for us). */
#include "c_internal.h"

#include <string.h>

static const ms_model_type *lookup(c_tu *t, const char *name) {
    if (!name || !name[0])
        return NULL;
    return ms_catalogue_type(t->cat, t->model_lang, NULL, name);
}

static c_type from_model(const ms_model_type *m, bool indirect, bool pointer, const char *name) {
    c_type out = {0};
    out.type_class = (uint8_t)m->type_class;
    out.semantics = (uint8_t)m->semantics;
    out.indirect = indirect;
    out.pointer = pointer;
    out.name = name;
    out.model = m;
    return out;
}

/* The declaration's name for a record: qualified in C++, the tag in C. */
static const char *record_decl_name(c_tu *t, CXCursor decl) {
    if (clang_Cursor_isNull(decl) || clang_getCursorKind(decl) == CXCursor_NoDeclFound)
        return NULL;
    return t->cxx ? c_qualified_name(t, decl) : c_spelling(t, decl);
}

c_type c_classify_type(c_tu *t, CXType type) {
    c_type out = {0};
    bool indirect = false, pointer = false;
    for (int guard = 0; guard < 32; guard++) {
        switch (type.kind) {
            case CXType_Pointer:
            case CXType_LValueReference:
            case CXType_RValueReference:
                indirect = true;
                pointer |= type.kind == CXType_Pointer;
                type = clang_getPointeeType(type);
                continue;
            case CXType_Elaborated:
                type = clang_Type_getNamedType(type);
                continue;
            case CXType_Typedef: {
                CXCursor decl = clang_getTypeDeclaration(type);
                const char *name = record_decl_name(t, decl);
                const ms_model_type *m = lookup(t, name);
                if (m)
                    return from_model(m, indirect, pointer, name);
                CXType under = clang_getTypedefDeclUnderlyingType(decl);
                if (under.kind == CXType_Invalid)
                    return out;
                type = under;
                continue;
            }
            case CXType_Record:
            case CXType_Unexposed:
            case CXType_Auto: {
                CXCursor decl = clang_getTypeDeclaration(type);
                const char *name = record_decl_name(t, decl);
                const ms_model_type *m = lookup(t, name);
                if (m)
                    return from_model(m, indirect, pointer, name);
                CXType canon = clang_getCanonicalType(type);
                if (type.kind != CXType_Record && canon.kind != type.kind &&
                    canon.kind != CXType_Invalid) {
                    type = canon;
                    continue;
                }
                out.indirect = indirect;
                out.pointer = pointer;
                return out;
            }
            default:
                out.indirect = indirect;
                out.pointer = pointer;
                return out;
        }
    }
    return out;
}

c_type c_classify_cursor(c_tu *t, CXCursor c) {
    return c_classify_type(t, clang_getCursorType(c));
}

const char *c_record_name(c_tu *t, CXType type) {
    for (int guard = 0; guard < 32; guard++) {
        switch (type.kind) {
            case CXType_Pointer:
            case CXType_LValueReference:
            case CXType_RValueReference:
                type = clang_getPointeeType(type);
                continue;
            case CXType_Elaborated:
                type = clang_Type_getNamedType(type);
                continue;
            case CXType_Typedef: {
                CXCursor decl = clang_getTypeDeclaration(type);
                const char *name = record_decl_name(t, decl);
                if (lookup(t, name))
                    return name;
                type = clang_getTypedefDeclUnderlyingType(decl);
                continue;
            }
            case CXType_Record:
            case CXType_Unexposed:
            case CXType_Auto: {
                const char *name = record_decl_name(t, clang_getTypeDeclaration(type));
                if (name && name[0])
                    return name;
                CXType canon = clang_getCanonicalType(type);
                if (canon.kind == type.kind || canon.kind == CXType_Invalid)
                    return NULL;
                type = canon;
                continue;
            }
            default:
                return NULL;
        }
    }
    return NULL;
}

const ms_model_type *c_api_map_type(c_tu *t, const ms_model_api *api) {
    if (api->type && strcmp(api->type, "*") != 0) {
        const ms_model_type *m = ms_catalogue_type(t->cat, api->lang, NULL, api->type);
        if (m && m->type_class == MS_TC_MAP)
            return m;
    }
    /* A C API of a model with one map type (GLib, refmap): that type. */
    const ms_model_type *found = NULL;
    size_t n = ms_catalogue_type_count(t->cat);
    for (size_t i = 0; i < n; i++) {
        const ms_model_type *m = ms_catalogue_type_at(t->cat, i);
        if (m->type_class != MS_TC_MAP || !m->model || !api->model ||
            strcmp(m->model, api->model) != 0)
            continue;
        if (found)
            return NULL;
        found = m;
    }
    return found;
}
