/* What libclang's cursors do not say but the source text does: which child
 * of an if or for statement is the condition and which the body (libclang
 * leaves absent parts out), and how a lambda captures. */
#include "c_internal.h"

#include <ctype.h>
#include <string.h>

const char *c_span_text(const c_tu *t, ms_span s, uint32_t *len) {
    const ms_source *src = c_file_source(t, s.file);
    uint32_t end = s.end > src->size ? src->size : s.end;
    uint32_t start = s.start > end ? end : s.start;
    *len = end - start;
    return src->text + start;
}

static bool ident_char(char c) {
    return isalnum((unsigned char)c) || c == '_';
}

bool c_text_has_word(const char *text, uint32_t size, uint32_t at, const char *word) {
    size_t n = strlen(word);
    if (at + n > size || strncmp(text + at, word, n) != 0)
        return false;
    return at + n == size || !ident_char(text[at + n]);
}

/* Skips spaces and comments from i; returns the new position. */
static uint32_t skip_space(const char *text, uint32_t size, uint32_t i) {
    while (i < size) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            i++;
        } else if (c == '/' && i + 1 < size && text[i + 1] == '/') {
            while (i < size && text[i] != '\n')
                i++;
        } else if (c == '/' && i + 1 < size && text[i + 1] == '*') {
            i += 2;
            while (i + 1 < size && !(text[i] == '*' && text[i + 1] == '/'))
                i++;
            i = i + 2 <= size ? i + 2 : size;
        } else if (c == '\\' && i + 1 < size && text[i + 1] == '\n') {
            i += 2;
        } else {
            break;
        }
    }
    return i;
}

/* Skips a string or character literal starting at i (its quote). */
static uint32_t skip_literal(const char *text, uint32_t size, uint32_t i) {
    char quote = text[i++];
    while (i < size && text[i] != quote && text[i] != '\n') {
        if (text[i] == '\\')
            i++;
        i++;
    }
    return i < size ? i + 1 : size;
}

bool c_header_layout(const char *text, uint32_t size, uint32_t start, uint32_t *close_paren,
                     uint32_t semi[2]) {
    semi[0] = semi[1] = 0;
    uint32_t i = start;
    if (i >= size || !isalpha((unsigned char)text[i]))
        return false;
    while (i < size && ident_char(text[i]))
        i++;
    i = skip_space(text, size, i);
    if (c_text_has_word(text, size, i, "constexpr"))
        i = skip_space(text, size, i + 9);
    if (i >= size || text[i] != '(')
        return false;
    int depth = 0;
    unsigned nsemi = 0;
    for (; i < size; i++) {
        char c = text[i];
        if (c == '"' || c == '\'') {
            i = skip_literal(text, size, i) - 1;
            continue;
        }
        if (c == '/' && i + 1 < size && (text[i + 1] == '/' || text[i + 1] == '*')) {
            i = skip_space(text, size, i) - 1;
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            depth++;
        } else if (c == ')' || c == ']' || c == '}') {
            if (--depth == 0) {
                if (c != ')')
                    return false;
                *close_paren = i + 1;
                return true;
            }
        } else if (c == ';' && depth == 1 && nsemi < 2) {
            semi[nsemi++] = i;
        }
    }
    return false;
}

/* ---- lambda captures ----------------------------------------------------- */

/* The end of the capture starting at i: the next ',' or ']' outside
 * brackets, or len when there is none. With `angles`, '<' opens a bracket
 * too, for the commas of std::map<K, V>{}; a comparison (n < limit) then
 * never closes, and the caller scans again without. */
static uint32_t capture_end(const char *text, uint32_t len, uint32_t i, bool angles) {
    char open[64];
    size_t depth = 0;
    for (; i < len; i++) {
        char c = text[i];
        if (c == '"' || c == '\'') {
            i = skip_literal(text, len, i) - 1;
        } else if (c == '(' || c == '[' || c == '{' || (angles && c == '<')) {
            if (depth == sizeof(open))
                return len;
            open[depth++] = c;
        } else if (c == '>' && depth > 0 && open[depth - 1] == '<') {
            depth--;
        } else if (c == ')' || c == ']' || c == '}') {
            if (depth == 0)
                return c == ']' ? i : len;
            char want = c == ')' ? '(' : c == ']' ? '[' : '{';
            while (depth > 0 && open[depth - 1] == '<')
                depth--; /* a '<' that was a comparison */
            if (depth == 0 || open[depth - 1] != want)
                return len;
            depth--;
        } else if (c == ',' && depth == 0) {
            return i;
        }
    }
    return len;
}

/* One capture, [item, item + n): the default, this, or a name. */
static void add_capture(c_tu *t, const char *item, uint32_t n, c_capture_list *out) {
    if (n == 1 && item[0] == '&') {
        out->dflt = C_CAPTURE_REF;
    } else if (n == 1 && item[0] == '=') {
        out->dflt = C_CAPTURE_COPY;
    } else if (n == 4 && strncmp(item, "this", 4) == 0) {
        out->this_by_ref = true;
    } else if (n == 5 && strncmp(item, "*this", 5) == 0) {
        out->this_by_copy = true;
    } else if (n > 0) {
        bool by_ref = item[0] == '&';
        uint32_t k = skip_space(item, n, by_ref ? 1 : 0);
        uint32_t name_start = k;
        while (k < n && ident_char(item[k]))
            k++;
        if (k > name_start) {
            const char *name = ms_intern(t->names, item + name_start, k - name_start);
            /* x = expr / &x = expr: an init-capture names a new variable;
             * by reference it still refers to whatever expr names. */
            if (by_ref)
                MS_VEC_PUSH(&out->by_ref, name);
            else
                MS_VEC_PUSH(&out->by_copy, name);
        }
    }
}

bool c_parse_captures(c_tu *t, const char *text, uint32_t len, c_capture_list *out) {
    memset(out, 0, sizeof(*out));
    uint32_t i = skip_space(text, len, 0);
    if (i >= len || text[i] != '[')
        return false;
    i++;
    for (;;) {
        i = skip_space(text, len, i);
        if (i >= len)
            break;
        if (text[i] == ']')
            return true;
        uint32_t start = i;
        i = capture_end(text, len, start, true);
        if (i >= len)
            i = capture_end(text, len, start, false);
        if (i >= len)
            break;
        uint32_t end = i;
        while (end > start && isspace((unsigned char)text[end - 1]))
            end--;
        add_capture(t, text + start, end - start, out);
        if (text[i] == ',')
            i++;
    }
    /* No closing ']': not a capture list after all. */
    c_capture_list_free(out);
    memset(out, 0, sizeof(*out));
    return false;
}

void c_capture_list_free(c_capture_list *c) {
    MS_VEC_FREE(&c->by_ref);
    MS_VEC_FREE(&c->by_copy);
}
