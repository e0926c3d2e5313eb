/* Helpers over libclang cursors: children as arrays, implicit nodes skipped,
 * names as the model catalogue spells them, and maps keyed by cursor. */
#include "c_internal.h"

#include <ctype.h>
#include <string.h>

/* ---- children ----------------------------------------------------------- */

static enum CXChildVisitResult push_child(CXCursor c, CXCursor parent, CXClientData data) {
    (void)parent;
    c_cursors *out = data;
    MS_VEC_PUSH(out, c);
    return CXChildVisit_Continue;
}

void c_children(CXCursor c, c_cursors *out) {
    out->len = 0;
    clang_visitChildren(c, push_child, out);
}

typedef struct first_child {
    CXCursor child;
    unsigned count;
} first_child;

static enum CXChildVisitResult count_child(CXCursor c, CXCursor parent, CXClientData data) {
    (void)parent;
    first_child *fc = data;
    if (fc->count++ == 0)
        fc->child = c;
    return fc->count > 1 ? CXChildVisit_Break : CXChildVisit_Continue;
}

/* The only child of c, or a null cursor when it has none or several. */
static CXCursor only_child(CXCursor c) {
    first_child fc = {clang_getNullCursor(), 0};
    clang_visitChildren(c, count_child, &fc);
    return fc.count == 1 ? fc.child : clang_getNullCursor();
}

static enum CXChildVisitResult last_expr(CXCursor c, CXCursor parent, CXClientData data) {
    (void)parent;
    if (clang_isExpression(clang_getCursorKind(c)))
        *(CXCursor *)data = c;
    return CXChildVisit_Continue;
}

static bool is_cast(enum CXCursorKind k) {
    return k == CXCursor_CStyleCastExpr || k == CXCursor_CXXStaticCastExpr ||
           k == CXCursor_CXXReinterpretCastExpr || k == CXCursor_CXXConstCastExpr ||
           k == CXCursor_CXXFunctionalCastExpr;
}

static bool same_value_constructor(CXCursor ctor) {
    if (clang_CXXConstructor_isCopyConstructor(ctor) ||
        clang_CXXConstructor_isMoveConstructor(ctor))
        return true;
    CXString s = clang_getCursorSpelling(ctor);
    const char *name = clang_getCString(s);
    bool same = name && (strstr(name, "iterator") || strstr(name, "string"));
    clang_disposeString(s);
    return same;
}

/* The stand-in type of a missing header (c_recover.c) converts to
 * anything through an operator call: (GHashTable *)data, while
 * (g_hash_table_iter_next(...)). The value is the object converted. */
static CXCursor standin_conversion_object(CXCursor call) {
    CXCursor fn = clang_getCursorReferenced(call);
    if (clang_getCursorKind(fn) != CXCursor_ConversionFunction)
        return clang_getNullCursor();
    CXString owner = clang_getCursorSpelling(clang_getCursorSemanticParent(fn));
    bool standin = clang_getCString(owner) && strcmp(clang_getCString(owner), "__mapsafe_any") == 0;
    clang_disposeString(owner);
    CXCursor member = standin ? only_child(call) : clang_getNullCursor();
    return clang_getCursorKind(member) == CXCursor_MemberRefExpr ? only_child(member)
                                                                 : clang_getNullCursor();
}

CXCursor c_strip(CXCursor c) {
    for (int guard = 0; guard < 64; guard++) {
        enum CXCursorKind k = clang_getCursorKind(c);
        CXCursor next = clang_getNullCursor();
        if (k == CXCursor_UnexposedExpr || k == CXCursor_ParenExpr) {
            next = only_child(c);
        } else if (is_cast(k)) {
            clang_visitChildren(c, last_expr, &next);
        } else if (k == CXCursor_CallExpr && clang_Cursor_getNumArguments(c) == 1) {
            /* A constructor of one argument that copies or converts the same
             * value (iterator to const_iterator, string(k)); not a lock guard
             * or a thread, which are constructed from what they act on. */
            CXCursor ref = clang_getCursorReferenced(c);
            if (clang_getCursorKind(ref) == CXCursor_Constructor && same_value_constructor(ref))
                next = clang_Cursor_getArgument(c, 0);
        } else if (k == CXCursor_CallExpr && clang_Cursor_getNumArguments(c) == 0) {
            next = standin_conversion_object(c);
        }
        if (clang_Cursor_isNull(next))
            return c;
        c = next;
    }
    return c;
}

/* ---- names ------------------------------------------------------------------- */

const char *c_spelling(c_tu *t, CXCursor c) {
    CXString s = clang_getCursorSpelling(c);
    const char *out = ms_intern_cstr(t->names, clang_getCString(s) ? clang_getCString(s) : "");
    clang_disposeString(s);
    return out;
}

static bool is_scope(enum CXCursorKind k) {
    return k == CXCursor_Namespace || k == CXCursor_ClassDecl || k == CXCursor_StructDecl ||
           k == CXCursor_UnionDecl || k == CXCursor_ClassTemplate ||
           k == CXCursor_ClassTemplatePartialSpecialization;
}

const char *c_qualified_name(c_tu *t, CXCursor decl) {
    /* A specialization is named after its template. */
    CXCursor tmpl = clang_getSpecializedCursorTemplate(decl);
    if (!clang_Cursor_isNull(tmpl) && clang_getCursorKind(decl) != CXCursor_FunctionDecl &&
        clang_getCursorKind(decl) != CXCursor_CXXMethod)
        decl = tmpl;
    const char *parts[16];
    size_t n = 0;
    CXCursor c = decl;
    for (int guard = 0; guard < 16 && n < 16; guard++) {
        enum CXCursorKind k = clang_getCursorKind(c);
        if (guard > 0) {
            if (!is_scope(k))
                break;
            if (k == CXCursor_Namespace &&
                (clang_Cursor_isInlineNamespace(c) || clang_Cursor_isAnonymous(c))) {
                c = clang_getCursorSemanticParent(c);
                continue;
            }
            CXCursor ct = clang_getSpecializedCursorTemplate(c);
            if (!clang_Cursor_isNull(ct))
                c = ct;
        }
        parts[n++] = c_spelling(t, c);
        c = clang_getCursorSemanticParent(c);
    }
    if (n == 1)
        return parts[0];
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen(parts[i]) + 2;
    char *buf = ms_xmalloc(len + 1), *p = buf;
    for (size_t i = n; i-- > 0;) {
        size_t k = strlen(parts[i]);
        memcpy(p, parts[i], k);
        p += k;
        if (i > 0) {
            memcpy(p, "::", 2);
            p += 2;
        }
    }
    *p = '\0';
    const char *out = ms_intern_cstr(t->names, buf);
    free(buf);
    return out;
}

const char *c_member_name(c_tu *t, CXCursor member) {
    const char *name = c_spelling(t, member);
    if (name[0])
        return name;
    /* A dependent member (m.begin() in a template): the identifier that
     * ends the member expression. */
    ms_span sp;
    if (!c_cursor_span(t, member, &sp) || sp.end <= sp.start)
        return name;
    const char *text = c_file_source(t, sp.file)->text;
    uint32_t end = sp.end, start = end;
    while (start > sp.start && (isalnum((unsigned char)text[start - 1]) || text[start - 1] == '_'))
        start--;
    return start < end ? ms_intern(t->names, text + start, end - start) : name;
}

bool c_is_function_kind(enum CXCursorKind k) {
    return k == CXCursor_FunctionDecl || k == CXCursor_CXXMethod || k == CXCursor_Constructor ||
           k == CXCursor_Destructor || k == CXCursor_ConversionFunction ||
           k == CXCursor_FunctionTemplate;
}

/* ---- cursor maps ---------------------------------------------------------------- */

void c_cursor_map_init(c_cursor_map *m) {
    m->cap = 256;
    m->len = 0;
    m->slots = ms_xcalloc(m->cap, sizeof(c_cursor_slot));
}

void c_cursor_map_free(c_cursor_map *m) {
    free(m->slots);
    m->slots = NULL;
    m->cap = m->len = 0;
}

static size_t slot_of(const c_cursor_map *m, CXCursor key, unsigned hash) {
    size_t j = hash & (m->cap - 1);
    while (m->slots[j].value &&
           !(m->slots[j].hash == hash && clang_equalCursors(m->slots[j].key, key)))
        j = (j + 1) & (m->cap - 1);
    return j;
}

uint32_t c_cursor_map_get(const c_cursor_map *m, CXCursor key) {
    if (clang_Cursor_isNull(key))
        return 0;
    return m->slots[slot_of(m, key, clang_hashCursor(key))].value;
}

void c_cursor_map_put(c_cursor_map *m, CXCursor key, uint32_t value) {
    if (m->len * 2 + 2 > m->cap) {
        c_cursor_slot *old = m->slots;
        size_t old_cap = m->cap;
        m->cap *= 2;
        m->slots = ms_xcalloc(m->cap, sizeof(c_cursor_slot));
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].value)
                m->slots[slot_of(m, old[i].key, old[i].hash)] = old[i];
        free(old);
    }
    unsigned hash = clang_hashCursor(key);
    size_t j = slot_of(m, key, hash);
    if (!m->slots[j].value)
        m->len++;
    m->slots[j] = (c_cursor_slot){key, value, hash};
}
