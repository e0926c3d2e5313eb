#include "json_file.h"

#include "xalloc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

char *ms_read_file(const char *path, size_t *len, int *err) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = errno;
        return NULL;
    }
    size_t cap = 1 << 14, n = 0;
    char *buf = ms_xmalloc(cap);
    for (size_t got; (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (n + 1 == cap)
            buf = ms_xrealloc(buf, cap *= 2);
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        *err = EIO;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    *err = 0;
    return buf;
}

cJSON *ms_json_parse(const char *text, size_t len, const char *origin, char **error) {
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (root)
        return root;
    unsigned line = 1, col = 1;
    const char *stop = end && end >= text && end <= text + len ? end : text + len;
    for (const char *p = text; p < stop; p++) {
        if (*p == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    *error = ms_xasprintf("%s:%u:%u: invalid JSON", origin, line, col);
    return NULL;
}
