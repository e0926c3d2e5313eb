#include "comments.h"

#include <string.h>

/* A literal that is not closed on its line ends there: an unbalanced quote
 * (a typo, or an apostrophe in #error text) spoils one line, not the file. */

/* ---- Go ------------------------------------------------------------------ */

static uint32_t go_quoted(const char *t, uint32_t len, uint32_t i, char quote) {
    for (i++; i < len; i++) {
        if (t[i] == '\\' && i + 1 < len && t[i + 1] != '\n')
            i++;
        else if (t[i] == quote)
            return i + 1;
        else if (t[i] == '\n')
            return i;
    }
    return len;
}

/* Reports [start, end) as a literal when literals are wanted. */
static void literal(uint32_t start, uint32_t end, bool want, ms_comment_fn fn, void *ctx) {
    if (!want)
        return;
    ms_comment lit = {start, end, start, end, false, true};
    fn(&lit, ctx);
}

static void scan_go(const char *t, uint32_t len, bool literals, ms_comment_fn fn, void *ctx) {
    for (uint32_t i = 0; i < len;) {
        char c = t[i];
        char n = i + 1 < len ? t[i + 1] : '\0';
        if (c == '/' && n == '/') {
            uint32_t end = i + 2;
            while (end < len && t[end] != '\n')
                end++;
            ms_comment cm = {i, end, i + 2, end, false, false};
            fn(&cm, ctx);
            i = end;
        } else if (c == '/' && n == '*') {
            const char *close = NULL;
            for (uint32_t k = i + 2; k + 1 < len && !close; k++)
                if (t[k] == '*' && t[k + 1] == '/')
                    close = t + k;
            uint32_t body_end = close ? (uint32_t)(close - t) : len;
            uint32_t end = close ? body_end + 2 : len;
            ms_comment cm = {i, end, i + 2, body_end, true, false};
            fn(&cm, ctx);
            i = end;
        } else if (c == '"' || c == '\'') {
            uint32_t end = go_quoted(t, len, i, c);
            literal(i, end, literals, fn, ctx);
            i = end;
        } else if (c == '`') {
            const char *close = memchr(t + i + 1, '`', len - i - 1);
            uint32_t end = close ? (uint32_t)(close - t) + 1 : len;
            literal(i, end, literals, fn, ctx);
            i = end;
        } else {
            i++;
        }
    }
}

/* ---- C and C++ ----------------------------------------------------------- */

/* Skips backslash-newline splices at i (translation phase 2). */
static uint32_t splice(const char *t, uint32_t len, uint32_t i) {
    for (;;) {
        if (i + 1 < len && t[i] == '\\' && t[i + 1] == '\n')
            i += 2;
        else if (i + 2 < len && t[i] == '\\' && t[i + 1] == '\r' && t[i + 2] == '\n')
            i += 3;
        else
            return i;
    }
}

static bool ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* End of a "..." or '...' literal starting at i, honouring escapes and
 * splices. */
static uint32_t c_quoted(const char *t, uint32_t len, uint32_t i, char quote) {
    for (i = splice(t, len, i + 1); i < len; i = splice(t, len, i)) {
        if (t[i] == '\\') {
            i = splice(t, len, i + 1);
            if (i < len && t[i] != '\n')
                i++;
        } else if (t[i] == quote) {
            return i + 1;
        } else if (t[i] == '\n') {
            return i;
        } else {
            i++;
        }
    }
    return len;
}

/* True when the identifier [start, quote) is a raw string prefix. */
static bool raw_prefix(const char *t, uint32_t start, uint32_t quote) {
    static const char *const prefixes[] = {"R", "u8R", "uR", "UR", "LR"};
    uint32_t n = quote - start;
    for (size_t k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++)
        if (strlen(prefixes[k]) == n && memcmp(t + start, prefixes[k], n) == 0)
            return true;
    return false;
}

/* End of the raw string whose opening quote is at i, or 0 when the text
 * after the quote is not a raw string delimiter. Splices are not undone
 * inside raw strings, so this reads bytes as they are. */
static uint32_t raw_string_end(const char *t, uint32_t len, uint32_t i) {
    uint32_t d = i + 1, dlen = 0;
    while (d + dlen < len && dlen <= 16 && t[d + dlen] != '(') {
        char c = t[d + dlen];
        if (c == ' ' || c == ')' || c == '\\' || c == '\t' || c == '\n' || c == '"')
            return 0;
        dlen++;
    }
    if (dlen > 16 || d + dlen >= len)
        return 0;
    for (uint32_t k = d + dlen + 1; k < len; k++)
        if (t[k] == ')' && k + 1 + dlen < len && memcmp(t + k + 1, t + d, dlen) == 0 &&
            t[k + 1 + dlen] == '"')
            return k + dlen + 2;
    return len; /* unterminated: the rest of the file is the string */
}

static void scan_c(const char *t, uint32_t len, bool literals, ms_comment_fn fn, void *ctx) {
    uint32_t token_start = 0; /* start of the identifier or number being read */
    bool in_token = false;
    for (uint32_t i = splice(t, len, 0); i < len;) {
        char c = t[i];
        uint32_t j = splice(t, len, i + 1);
        char n = j < len ? t[j] : '\0';
        if (c == '/' && n == '/') {
            uint32_t end = j + 1;
            while (end < len) {
                uint32_t s = splice(t, len, end);
                if (s != end) {
                    end = s; /* a splice continues the comment on the next line */
                    continue;
                }
                if (t[end] == '\n')
                    break;
                end++;
            }
            ms_comment cm = {i, end, j + 1, end, false, false};
            fn(&cm, ctx);
            i = end;
            in_token = false;
            continue;
        }
        if (c == '/' && n == '*') {
            uint32_t k = splice(t, len, j + 1), body_end = len, end = len;
            while (k < len) {
                uint32_t k2 = splice(t, len, k + 1);
                if (t[k] == '*' && k2 < len && t[k2] == '/') {
                    body_end = k;
                    end = k2 + 1;
                    break;
                }
                k = k2;
            }
            ms_comment cm = {i, end, j + 1, body_end, true, false};
            fn(&cm, ctx);
            i = end;
            in_token = false;
            continue;
        }
        if (c == '"') {
            uint32_t raw =
                in_token && raw_prefix(t, token_start, i) ? raw_string_end(t, len, i) : 0;
            uint32_t end = raw ? raw : c_quoted(t, len, i, '"');
            literal(i, end, literals, fn, ctx);
            i = end;
            in_token = false;
            continue;
        }
        if (c == '\'') {
            bool separator = in_token && t[token_start] >= '0' && t[token_start] <= '9';
            if (separator) { /* 1'000'000: C++14 and C23 digit separator */
                i = j;
                continue;
            }
            uint32_t end = c_quoted(t, len, i, '\'');
            literal(i, end, literals, fn, ctx);
            i = end;
            in_token = false;
            continue;
        }
        if (ident_char(c)) {
            if (!in_token) {
                token_start = i;
                in_token = true;
            }
        } else if (!(c == '.' && in_token && t[token_start] >= '0' && t[token_start] <= '9')) {
            in_token = false; /* a '.' inside a number keeps it one token */
        }
        i = j;
    }
}

void ms_comments_scan(const char *text, uint32_t len, ms_lang lang, ms_comment_fn fn, void *ctx) {
    if (lang == MS_LANG_GO)
        scan_go(text, len, false, fn, ctx);
    else
        scan_c(text, len, false, fn, ctx);
}

void ms_code_scan(const char *text, uint32_t len, ms_lang lang, ms_comment_fn fn, void *ctx) {
    if (lang == MS_LANG_GO)
        scan_go(text, len, true, fn, ctx);
    else
        scan_c(text, len, true, fn, ctx);
}
