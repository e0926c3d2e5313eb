/* One source file in memory, with the line table that turns byte offsets into
 * the 1-based line and UTF-16 column regions that SARIF wants. */
#ifndef MAPSAFE_SOURCE_H
#define MAPSAFE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ms_lang { MS_LANG_GO, MS_LANG_C, MS_LANG_CXX } ms_lang;

/* A region: 1-based lines and columns (columns in UTF-16 code units, end
 * column exclusive as in SARIF), plus the byte offsets it came from. */
typedef struct ms_region {
    uint32_t start_line, start_col, end_line, end_col;
    uint32_t byte_start, byte_end;
} ms_region;

typedef struct ms_source {
    char *path;    /* as reported: relative to the working directory, '/'-separated */
    char *fs_path; /* as opened */
    ms_lang lang;
    char *text; /* NUL-terminated copy of the file */
    uint32_t size;
    uint32_t *line_starts; /* byte offset of each line start */
    uint32_t nlines;
    bool binary;                /* holds a NUL byte */
    int64_t first_invalid_utf8; /* byte offset, or -1 */
    uint64_t content_hash;      /* ms_source_hash of text: fixes record what they apply to */
} ms_source;

/* Files above this size are refused with a notification rather than parsed. */
#define MS_SOURCE_MAX_BYTES (256u * 1024u * 1024u)

/* Reads the file. Returns 0, or -1 with *error set to a malloc'd message. */
int ms_source_load(ms_source *s, const char *fs_path, const char *display_path, ms_lang lang,
                   char **error);
/* Wraps a buffer the caller already has (tests, fixes); copies it. */
void ms_source_from_buffer(ms_source *s, const char *display_path, ms_lang lang, const char *text,
                           size_t size);
void ms_source_free(ms_source *s);
/* The hash fixes carry of the text they were computed on, so --fix can
 * refuse a file that changed since. */
uint64_t ms_source_hash(const char *text, size_t size);

ms_region ms_source_region(const ms_source *s, uint32_t byte_start, uint32_t byte_end);
uint32_t ms_source_line_of(const ms_source *s, uint32_t byte_offset);
/* The text of a 1-based line without its newline. */
const char *ms_source_line_text(const ms_source *s, uint32_t line, uint32_t *len);

/* Language for a file name, from its extension; returns false when mapsafe
 * does not analyse that extension. */
bool ms_lang_for_path(const char *path, ms_lang *lang);
/* Whether a file name is a C or C++ header (.h, .hh, .hpp, .hxx). */
bool ms_path_is_header(const char *path);
const char *ms_lang_name(ms_lang lang);

#endif
