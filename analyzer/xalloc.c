#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void out_of_memory(void) {
    fputs("mapsafe: out of memory\n", stderr);
    exit(2);
}

void *ms_xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *ms_xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *ms_xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q)
        out_of_memory();
    return q;
}

char *ms_xstrdup(const char *s) {
    return ms_xstrndup(s, strlen(s));
}

char *ms_xstrndup(const char *s, size_t n) {
    char *p = ms_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *ms_xvasprintf(const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *p = ms_xmalloc((size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(p, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

char *ms_xasprintf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *p = ms_xvasprintf(fmt, ap);
    va_end(ap);
    return p;
}

char *ms_errno_text(int err) {
    char buf[256];
    /* The XSI strerror_r: it fills buf, unlike strerror's shared buffer. */
    if (strerror_r(err, buf, sizeof(buf)) != 0)
        snprintf(buf, sizeof(buf), "error %d", err);
    return ms_xstrdup(buf);
}
