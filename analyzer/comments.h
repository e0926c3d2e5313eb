/* Finding the comments of a Go, C or C++ file without being fooled by
 * literals: Go interpreted and raw strings and runes; C and C++ string and
 * character literals, C++ raw strings R"x(...)x", digit separators (1'000)
 * and backslash-newline line splices. Used by suppression comments. */
#ifndef MAPSAFE_COMMENTS_H
#define MAPSAFE_COMMENTS_H

#include "source.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct ms_comment {
    uint32_t start, end;           /* the whole comment, delimiters included; end exclusive */
    uint32_t body_start, body_end; /* the text between the delimiters */
    bool block;                    /* a slash-star comment */
    bool literal;                  /* ms_code_scan only: a string or character literal */
} ms_comment;

/* Called for every comment, in source order. */
typedef void (*ms_comment_fn)(const ms_comment *c, void *ctx);

void ms_comments_scan(const char *text, uint32_t len, ms_lang lang, ms_comment_fn fn, void *ctx);

/* Comments and literals, in source order: what code reading must skip. A
 * literal's body is the whole literal. */
void ms_code_scan(const char *text, uint32_t len, ms_lang lang, ms_comment_fn fn, void *ctx);

#endif
