#include "writers.h"

#include "xalloc.h"

#include <ctype.h>
#include <string.h>

char *ms_plain_message(const char *message) {
    size_t n = strlen(message);
    char *out = ms_xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        /* [text](id) -> text; anything else is copied as is */
        if (message[i] == '[') {
            const char *close = strchr(message + i + 1, ']');
            if (close && close[1] == '(') {
                const char *end = strchr(close + 2, ')');
                bool id = end && end > close + 2;
                for (const char *c = close + 2; id && c < end; c++)
                    if (!isdigit((unsigned char)*c))
                        id = false;
                if (id) {
                    size_t len = (size_t)(close - (message + i + 1));
                    memcpy(out + k, message + i + 1, len);
                    k += len;
                    i = (size_t)(end - message);
                    continue;
                }
            }
        }
        out[k++] = message[i];
    }
    out[k] = '\0';
    return out;
}

char *ms_uri_escape(const char *path) {
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(path);
    char *out = ms_xmalloc(n * 3 + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)path[i];
        if (isalnum(c) || strchr("-._~/!$&'()*+,;=:@", c)) {
            out[k++] = (char)c;
        } else {
            out[k++] = '%';
            out[k++] = hex[c >> 4];
            out[k++] = hex[c & 15];
        }
    }
    out[k] = '\0';
    return out;
}
