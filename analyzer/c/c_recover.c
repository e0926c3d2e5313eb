/* Recovery from missing headers. When a header cannot be found, every name
 * it declares is unknown: Clang drops declarations of unknown types and the
 * statements that use them, and in C++ calls of unknown functions. From the
 * diagnostics of a first parse, this writes a stub that declares each unknown
 * name loosely (a type that converts to anything, a function that takes
 * anything), so a second parse keeps the statements and calls: the model
 * catalogue then matches calls by name. */
#include "c_internal.h"

#include <ctype.h>
#include <string.h>

typedef enum stub_kind {
    STUB_TYPE = 1, /* highest priority when a name is seen in several roles */
    STUB_TEMPLATE,
    STUB_NAMESPACE,
    STUB_FUNCTION,
    STUB_VALUE,
} stub_kind;

typedef struct stub_name {
    char *name;
    char *ns; /* enclosing namespace as written ("a::b"), or NULL */
    stub_kind kind;
} stub_name;

typedef MS_VEC(stub_name) stub_list;

static bool valid_identifier(const char *s) {
    if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return false;
    return true;
}

static bool valid_namespace(const char *s) {
    /* a, a::b */
    size_t n = strlen(s);
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ':') {
            if (s[i + 1] != ':' || i == 0 || i + 2 >= n)
                return false;
            i++;
            continue;
        }
        if (!(isalnum((unsigned char)c) || c == '_'))
            return false;
    }
    return true;
}

/* Adds a name; true when it is new or changed role. */
static bool add_name(stub_list *list, const char *name, size_t len, const char *ns, size_t ns_len,
                     stub_kind kind) {
    char *n = ms_xstrndup(name, len);
    char *s = ns ? ms_xstrndup(ns, ns_len) : NULL;
    if (!valid_identifier(n) || (s && !valid_namespace(s)) || strncmp(n, "__mapsafe", 9) == 0) {
        free(n);
        free(s);
        return false;
    }
    for (size_t i = 0; i < list->len; i++) {
        stub_name *e = &list->items[i];
        if (strcmp(e->name, n) == 0 && ((!e->ns && !s) || (e->ns && s && strcmp(e->ns, s) == 0))) {
            bool changed = kind < e->kind;
            if (changed)
                e->kind = kind;
            free(n);
            free(s);
            return changed;
        }
    }
    stub_name e = {n, s, kind};
    MS_VEC_PUSH(list, e);
    return true;
}

/* The quoted name after `prefix` in a diagnostic: "unknown type name 'X'". */
static bool quoted_after(const char *msg, const char *prefix, const char **name, size_t *len) {
    size_t p = strlen(prefix);
    if (strncmp(msg, prefix, p) != 0 || msg[p] != '\'')
        return false;
    const char *start = msg + p + 1, *end = strchr(start, '\'');
    if (!end)
        return false;
    *name = start;
    *len = (size_t)(end - start);
    return true;
}

/* " in namespace 'a::b'" after the name's closing quote. */
static bool in_namespace(const char *after, const char **ns, size_t *len) {
    const char *p = strstr(after, " in namespace '");
    if (!p)
        return false;
    p += strlen(" in namespace '");
    const char *end = strchr(p, '\'');
    if (!end)
        return false;
    *ns = p;
    *len = (size_t)(end - p);
    return true;
}

/* The first character after the identifier at the diagnostic's location,
 * skipping spaces, or 0. Two-character "::" is returned as ':'. */
static char next_char(CXTranslationUnit tu, CXDiagnostic d, size_t name_len) {
    CXFile file;
    unsigned offset;
    clang_getExpansionLocation(clang_getDiagnosticLocation(d), &file, NULL, NULL, &offset);
    if (!file)
        return 0;
    size_t size = 0;
    const char *text = clang_getFileContents(tu, file, &size);
    if (!text || offset + name_len > size)
        return 0;
    size_t i = offset + name_len;
    while (i < size && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        i++;
    if (i >= size)
        return 0;
    char c = text[i];
    if (c == ':' && i + 1 < size && text[i + 1] != ':')
        return 0;
    if (isalpha((unsigned char)c) || c == '_')
        return 'a';
    if ((c == '*' || c == '&') && i + 1 < size) {
        /* "T *name" declares; "a * b" multiplies: look for a name next. */
        size_t k = i + 1;
        while (k < size && (text[k] == ' ' || text[k] == '*' || text[k] == '&'))
            k++;
        if (k < size && (isalpha((unsigned char)text[k]) || text[k] == '_'))
            return 'a';
    }
    return c;
}

static bool collect(CXTranslationUnit tu, bool cxx, stub_list *list) {
    bool added = false;
    unsigned n = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        if (clang_getDiagnosticSeverity(d) < CXDiagnostic_Error) {
            clang_disposeDiagnostic(d);
            continue;
        }
        CXString s = clang_getDiagnosticSpelling(d);
        const char *msg = clang_getCString(s);
        const char *name = NULL, *ns = NULL;
        size_t len = 0, ns_len = 0;
        if (quoted_after(msg, "unknown type name ", &name, &len)) {
            added |= add_name(list, name, len, NULL, 0, STUB_TYPE);
        } else if (quoted_after(msg, "no template named ", &name, &len)) {
            bool q = in_namespace(name + len, &ns, &ns_len);
            if (cxx)
                added |= add_name(list, name, len, q ? ns : NULL, ns_len, STUB_TEMPLATE);
        } else if (quoted_after(msg, "no type named ", &name, &len)) {
            if (cxx && in_namespace(name + len, &ns, &ns_len))
                added |= add_name(list, name, len, ns, ns_len, STUB_TYPE);
        } else if (quoted_after(msg, "no member named ", &name, &len)) {
            if (cxx && in_namespace(name + len, &ns, &ns_len)) {
                char c = next_char(tu, d, len);
                added |=
                    add_name(list, name, len, ns, ns_len, c == '(' ? STUB_FUNCTION : STUB_VALUE);
            }
        } else if (quoted_after(msg, "use of undeclared identifier ", &name, &len)) {
            char c = next_char(tu, d, len);
            stub_kind kind = c == 'a'   ? STUB_TYPE
                             : c == '(' ? STUB_FUNCTION
                             : c == ':' ? (cxx ? STUB_NAMESPACE : STUB_VALUE)
                                        : STUB_VALUE;
            added |= add_name(list, name, len, NULL, 0, kind);
        }
        clang_disposeString(s);
        clang_disposeDiagnostic(d);
    }
    return added;
}

static bool all_caps(const char *s) {
    bool letter = false;
    for (; *s; s++) {
        if (islower((unsigned char)*s))
            return false;
        letter |= isupper((unsigned char)*s) != 0;
    }
    return letter;
}

typedef MS_VEC(char) text_buf;

static void append(text_buf *b, const char *s) {
    size_t n = strlen(s);
    MS_VEC_RESERVE(b, b->len + n + 1);
    memcpy(b->items + b->len, s, n);
    b->len += n;
    b->items[b->len] = '\0';
}

static void appendf_name(text_buf *b, const char *fmt, const char *name) {
    char *s = ms_xasprintf(fmt, name);
    append(b, s);
    free(s);
}

static void open_namespace(text_buf *b, const char *ns) {
    if (!ns)
        return;
    char *copy = ms_xstrdup(ns);
    for (char *save = NULL, *part = strtok_r(copy, ":", &save); part;
         part = strtok_r(NULL, ":", &save))
        appendf_name(b, "namespace %s { ", part);
    free(copy);
}

static void close_namespace(text_buf *b, const char *ns) {
    if (!ns)
        return;
    for (const char *p = ns; *p; p++)
        if (p[0] == ':' && p[1] == ':')
            append(b, "} ");
    append(b, "}\n");
}

static const char cxx_prelude[] = "struct __mapsafe_any {\n"
                                  "  template <class... A> __mapsafe_any(A &&...);\n"
                                  "  template <class T> operator T &() const;\n"
                                  "  template <class T> __mapsafe_any &operator=(T &&);\n"
                                  "  template <class T> __mapsafe_any &operator[](T &&);\n"
                                  "  template <class... A> __mapsafe_any &operator()(A &&...);\n"
                                  "  __mapsafe_any *operator->();\n"
                                  "  __mapsafe_any &operator*();\n"
                                  "  __mapsafe_any &operator++();\n"
                                  "  __mapsafe_any &operator++(int);\n"
                                  "};\n";

struct c_stub {
    stub_list names;
};

c_stub *c_stub_new(void) {
    return ms_xcalloc(1, sizeof(c_stub));
}

void c_stub_free(c_stub *st) {
    if (!st)
        return;
    for (size_t i = 0; i < st->names.len; i++) {
        free(st->names.items[i].name);
        free(st->names.items[i].ns);
    }
    MS_VEC_FREE(&st->names);
    free(st);
}

bool c_stub_collect(c_stub *st, CXTranslationUnit tu, bool cxx) {
    return collect(tu, cxx, &st->names);
}

char *c_stub_text(const c_stub *st, bool cxx) {
    text_buf b = {0};
    append(&b, "#ifndef __MAPSAFE_RECOVERY\n#define __MAPSAFE_RECOVERY\n");
    if (cxx)
        append(&b, cxx_prelude);
    unsigned next_value = 1001;
    for (size_t i = 0; i < st->names.len; i++) {
        const stub_name *e = &st->names.items[i];
        open_namespace(&b, e->ns);
        switch (e->kind) {
            case STUB_TYPE:
                appendf_name(&b, cxx ? "typedef __mapsafe_any %s;\n" : "typedef void *%s;\n",
                             e->name);
                break;
            case STUB_TEMPLATE:
                appendf_name(&b, "template <class...> using %s = __mapsafe_any;\n", e->name);
                break;
            case STUB_NAMESPACE:
                appendf_name(&b, "namespace %s {}\n", e->name);
                break;
            case STUB_FUNCTION:
                if (cxx)
                    appendf_name(&b, "template <class... A> __mapsafe_any %s(A &&...);\n", e->name);
                else
                    appendf_name(&b, "int %s();\n", e->name);
                break;
            case STUB_VALUE:
                if (all_caps(e->name)) {
                    char *s = ms_xasprintf("enum { %s = %u };\n", e->name, next_value++);
                    append(&b, s);
                    free(s);
                } else {
                    appendf_name(&b, cxx ? "extern __mapsafe_any %s;\n" : "extern int %s;\n",
                                 e->name);
                }
                break;
        }
        close_namespace(&b, e->ns);
    }
    append(&b, "#endif\n");
    return b.items;
}
