#include "source.h"

#include "intern.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Offset of the first byte that is not valid UTF-8, or -1. */
static int64_t find_invalid_utf8(const unsigned char *p, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t min;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            min = 0x10000;
        } else {
            return (int64_t)i;
        }
        if (i + len > n)
            return (int64_t)i;
        uint32_t cp = c & (0x7F >> len);
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return (int64_t)i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return (int64_t)i;
        i += len;
    }
    return -1;
}

static void index_lines(ms_source *s) {
    uint32_t count = 1;
    for (uint32_t i = 0; i < s->size; i++)
        if (s->text[i] == '\n')
            count++;
    s->line_starts = ms_xmalloc(sizeof(uint32_t) * count);
    s->nlines = 0;
    s->line_starts[s->nlines++] = 0;
    for (uint32_t i = 0; i < s->size; i++)
        if (s->text[i] == '\n')
            s->line_starts[s->nlines++] = i + 1;
}

static void finish_load(ms_source *s) {
    s->binary = memchr(s->text, '\0', s->size) != NULL;
    s->first_invalid_utf8 =
        s->binary ? -1 : find_invalid_utf8((const unsigned char *)s->text, s->size);
    index_lines(s);
    s->content_hash = ms_source_hash(s->text, s->size);
}

uint64_t ms_source_hash(const char *text, size_t size) {
    return ms_hash_bytes(text, size, UINT64_C(0x6d61707361666531));
}

int ms_source_load(ms_source *s, const char *fs_path, const char *display_path, ms_lang lang,
                   char **error) {
    memset(s, 0, sizeof(*s));
    s->first_invalid_utf8 = -1;
    FILE *f = fopen(fs_path, "rb");
    if (!f) {
        char *why = ms_errno_text(errno);
        *error = ms_xasprintf("cannot open: %s", why);
        free(why);
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        *error = ms_xstrdup("not a regular file");
        return -1;
    }
    if ((uint64_t)st.st_size > MS_SOURCE_MAX_BYTES) {
        fclose(f);
        *error = ms_xasprintf("file is %lld bytes, above the %u-byte limit; not analysed",
                              (long long)st.st_size, MS_SOURCE_MAX_BYTES);
        return -1;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = ms_xmalloc(cap);
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
        if (n + 1 == cap) {
            if (cap > MS_SOURCE_MAX_BYTES) {
                break;
            }
            cap *= 2;
            buf = ms_xrealloc(buf, cap);
        }
    }
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        free(buf);
        *error = ms_xstrdup("read error");
        return -1;
    }
    buf[n] = '\0';
    s->text = buf;
    s->size = (uint32_t)n;
    s->path = ms_xstrdup(display_path);
    s->fs_path = ms_xstrdup(fs_path);
    s->lang = lang;
    finish_load(s);
    return 0;
}

void ms_source_from_buffer(ms_source *s, const char *display_path, ms_lang lang, const char *text,
                           size_t size) {
    memset(s, 0, sizeof(*s));
    s->text = ms_xstrndup(text, size);
    s->size = (uint32_t)size;
    s->path = ms_xstrdup(display_path);
    s->fs_path = ms_xstrdup(display_path);
    s->lang = lang;
    finish_load(s);
}

void ms_source_free(ms_source *s) {
    free(s->path);
    free(s->fs_path);
    free(s->text);
    free(s->line_starts);
    memset(s, 0, sizeof(*s));
}

uint32_t ms_source_line_of(const ms_source *s, uint32_t off) {
    uint32_t lo = 0, hi = s->nlines;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->line_starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo + 1;
}

/* UTF-16 code units between two byte offsets on one line. Bytes that are not
 * valid UTF-8 count as one unit each, as a decoder's replacement would. */
static uint32_t utf16_units(const char *text, uint32_t from, uint32_t to) {
    uint32_t units = 0;
    const unsigned char *p = (const unsigned char *)text;
    for (uint32_t i = from; i < to;) {
        unsigned char c = p[i];
        uint32_t len = c < 0x80             ? 1
                       : (c & 0xE0) == 0xC0 ? 2
                       : (c & 0xF0) == 0xE0 ? 3
                       : (c & 0xF8) == 0xF0 ? 4
                                            : 1;
        uint32_t k = 1;
        while (k < len && i + k < to && (p[i + k] & 0xC0) == 0x80)
            k++;
        if (k != len)
            len = 1; /* truncated or invalid sequence */
        units += len == 4 ? 2 : 1;
        i += len;
    }
    return units;
}

ms_region ms_source_region(const ms_source *s, uint32_t start, uint32_t end) {
    ms_region r;
    if (start > s->size)
        start = s->size;
    if (end > s->size)
        end = s->size;
    if (end < start)
        end = start;
    r.byte_start = start;
    r.byte_end = end;
    r.start_line = ms_source_line_of(s, start);
    r.end_line = ms_source_line_of(s, end);
    r.start_col = 1 + utf16_units(s->text, s->line_starts[r.start_line - 1], start);
    r.end_col = 1 + utf16_units(s->text, s->line_starts[r.end_line - 1], end);
    return r;
}

const char *ms_source_line_text(const ms_source *s, uint32_t line, uint32_t *len) {
    if (line == 0 || line > s->nlines) {
        *len = 0;
        return "";
    }
    uint32_t start = s->line_starts[line - 1];
    uint32_t end = line < s->nlines ? s->line_starts[line] - 1 : s->size;
    if (end > start && s->text[end - 1] == '\r')
        end--;
    *len = end - start;
    return s->text + start;
}

/* The extensions mapsafe analyses: one list for the language and for
 * whether a file is a header. */
typedef struct ext_info {
    const char *ext;
    ms_lang lang;
    bool header;
} ext_info;

static const ext_info *ext_of(const char *path) {
    static const ext_info table[] = {
        {".go", MS_LANG_GO, false},  {".c", MS_LANG_C, false},     {".h", MS_LANG_C, true},
        {".cc", MS_LANG_CXX, false}, {".cpp", MS_LANG_CXX, false}, {".cxx", MS_LANG_CXX, false},
        {".hh", MS_LANG_CXX, true},  {".hpp", MS_LANG_CXX, true},  {".hxx", MS_LANG_CXX, true},
    };
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return NULL;
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (strcmp(dot, table[i].ext) == 0)
            return &table[i];
    return NULL;
}

bool ms_lang_for_path(const char *path, ms_lang *lang) {
    const ext_info *e = ext_of(path);
    if (e)
        *lang = e->lang;
    return e != NULL;
}

bool ms_path_is_header(const char *path) {
    const ext_info *e = ext_of(path);
    return e && e->header;
}

const char *ms_lang_name(ms_lang lang) {
    switch (lang) {
        case MS_LANG_GO:
            return "go";
        case MS_LANG_C:
            return "c";
        case MS_LANG_CXX:
            return "cpp";
    }
    return "?";
}
