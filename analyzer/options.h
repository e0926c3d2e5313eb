/* The command line of interface.md, parsed into options. */
#ifndef MAPSAFE_OPTIONS_H
#define MAPSAFE_OPTIONS_H

#include "finding.h"
#include "vec.h"

#include <stdbool.h>
#include <stdio.h>

typedef enum ms_format { MS_FORMAT_TEXT, MS_FORMAT_SARIF, MS_FORMAT_GITHUB } ms_format;

#define MS_MAX_RULES 32

typedef struct ms_options {
    MS_VEC(char *) paths;
    ms_format format;
    char *output;
    bool rule_enabled[MS_MAX_RULES]; /* by registry index */
    ms_level fail_on;
    int jobs;
    MS_VEC(char *) models;
    char *compile_commands_dir;
    MS_VEC(char *) extra_args;
    char *baseline;
    bool hide_suppressed;
    bool fix;
    /* Set by .mapsafe.json (config.h); the flags say what the command line
     * gave, which the file then leaves alone. */
    MS_VEC(char *) excludes;
    bool rules_given, fail_on_given;
} ms_options;

typedef enum ms_parse_result {
    MS_PARSE_RUN,   /* analyse */
    MS_PARSE_DONE,  /* --help, --version or --list-rules was printed: exit 0 */
    MS_PARSE_USAGE, /* a usage error was printed: exit 2 */
} ms_parse_result;

ms_parse_result ms_options_parse(ms_options *o, int argc, char **argv, FILE *out, FILE *err);
void ms_options_free(ms_options *o);

#endif
