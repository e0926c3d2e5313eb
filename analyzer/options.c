#include "options.h"

#include "rule.h"
#include "version.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: mapsafe [OPTIONS] [PATH...]\n"
    "\n"
    "Finds unsafe map usage in Go, C and C++: maps mutated while iterated (MS101),\n"
    "unsynchronized concurrent writes (MS201, MS202) and missing capacity hints (MS301).\n"
    "PATH is a file or a directory (default: .); directories are walked recursively,\n"
    "skipping dot-directories, vendor, testdata, node_modules, _-prefixed ones and\n"
    "CMakeFiles.\n"
    "\n"
    "options:\n"
    "  --format text|sarif|github  report format (default: text)\n"
    "  -o, --output FILE           write the report to FILE instead of stdout\n"
    "  --enable IDS                run only these rules (comma-separated ids)\n"
    "  --disable IDS               do not run these rules\n"
    "  --fail-on LEVEL             error|warning|note|none: lowest level that makes\n"
    "                              the exit status 1 (default: warning)\n"
    "  -p, --compile-commands DIR  read DIR/compile_commands.json for C/C++ flags\n"
    "  --extra-arg ARG             add ARG to every C/C++ compile command (repeatable)\n"
    "  --model FILE.json           add an API model (repeatable)\n"
    "  --baseline FILE.sarif       only findings not in this earlier log count\n"
    "  --hide-suppressed           leave suppressed findings out of the report\n"
    "  --fix                       apply every available fix in place\n"
    "  -j N                        worker threads, 1-256 (default: online CPUs, at most 64)\n"
    "  --list-rules                list the rules and exit\n"
    "  --version                   print the version and exit\n"
    "  -h, --help                  print this help and exit\n"
    "\n"
    "exit status: 0 no finding at or above --fail-on, 1 at least one, 2 usage error,\n"
    "unreadable path or model, or nothing could be analysed.\n";

/* Marks the rules of a comma-separated id list in `set`. */
static bool mark_rules(bool *set, const char *ids, FILE *err) {
    char *copy = ms_xstrdup(ids);
    bool ok = true;
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        const ms_rule *r = ms_rule_find(tok);
        if (!r) {
            fprintf(err, "mapsafe: unknown rule id '%s' (see --list-rules)\n", tok);
            ok = false;
            continue;
        }
        set[ms_rule_index(r)] = true;
    }
    free(copy);
    return ok;
}

static void list_rules(FILE *out) {
    for (size_t i = 0; i < ms_rules_count; i++) {
        const ms_rule *r = ms_rules[i];
        char level[32];
        if (r->level_go == r->level_c)
            snprintf(level, sizeof(level), "%s", ms_level_name(r->level_go));
        else
            snprintf(level, sizeof(level), "%s (C/C++: %s)", ms_level_name(r->level_go),
                     ms_level_name(r->level_c));
        fprintf(out, "%s  %-38s %-20s %s\n", r->id, r->name, level, r->short_description);
    }
}

/* Option value: "--opt=value", "--opt value", "-j4" or "-j 4". */
static const char *take_value(int argc, char **argv, int *i, const char *arg, size_t name_len,
                              FILE *err) {
    if (arg[name_len] == '=')
        return arg + name_len + 1;
    if (arg[name_len] != '\0' && arg[1] != '-')
        return arg + name_len; /* -j4 */
    if (*i + 1 >= argc) {
        fprintf(err, "mapsafe: option '%.*s' needs a value\n", (int)name_len, arg);
        return NULL;
    }
    return argv[++*i];
}

static bool matches(const char *arg, const char *name) {
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 &&
           (arg[n] == '\0' || arg[n] == '=' || (name[1] != '-' && arg[n] != '\0'));
}

static int default_jobs(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

ms_parse_result ms_options_parse(ms_options *o, int argc, char **argv, FILE *out, FILE *err) {
    memset(o, 0, sizeof(*o));
    o->format = MS_FORMAT_TEXT;
    o->fail_on = MS_LEVEL_WARNING;
    o->jobs = default_jobs();
    /* --enable and --disable lists accumulate; the result does not depend
     * on their order: the enabled rules (all, if none is named) minus the
     * disabled ones. */
    bool enabled[MS_MAX_RULES] = {0}, disabled[MS_MAX_RULES] = {0}, any_enabled = false;
    bool only_paths = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v;
        if (only_paths || a[0] != '-' || strcmp(a, "-") == 0) {
            MS_VEC_PUSH(&o->paths, ms_xstrdup(a));
        } else if (strcmp(a, "--") == 0) {
            only_paths = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, out);
            return MS_PARSE_DONE;
        } else if (strcmp(a, "--version") == 0) {
            fprintf(out, "mapsafe %s\n", MAPSAFE_VERSION);
            return MS_PARSE_DONE;
        } else if (strcmp(a, "--list-rules") == 0) {
            list_rules(out);
            return MS_PARSE_DONE;
        } else if (matches(a, "--format")) {
            if (!(v = take_value(argc, argv, &i, a, 8, err)))
                return MS_PARSE_USAGE;
            if (strcmp(v, "text") == 0)
                o->format = MS_FORMAT_TEXT;
            else if (strcmp(v, "sarif") == 0)
                o->format = MS_FORMAT_SARIF;
            else if (strcmp(v, "github") == 0)
                o->format = MS_FORMAT_GITHUB;
            else {
                fprintf(err, "mapsafe: unknown format '%s' (text, sarif or github)\n", v);
                return MS_PARSE_USAGE;
            }
        } else if (matches(a, "--output") || matches(a, "-o")) {
            size_t n = a[1] == '-' ? 8 : 2;
            if (!(v = take_value(argc, argv, &i, a, n, err)))
                return MS_PARSE_USAGE;
            free(o->output);
            o->output = ms_xstrdup(v);
        } else if (matches(a, "--enable") || matches(a, "--disable")) {
            bool enable = a[2] == 'e';
            o->rules_given = true;
            any_enabled |= enable;
            if (!(v = take_value(argc, argv, &i, a, enable ? 8 : 9, err)) ||
                !mark_rules(enable ? enabled : disabled, v, err))
                return MS_PARSE_USAGE;
        } else if (matches(a, "--fail-on")) {
            if (!(v = take_value(argc, argv, &i, a, 9, err)))
                return MS_PARSE_USAGE;
            o->fail_on_given = true;
            if (!ms_level_parse(v, &o->fail_on)) {
                fprintf(err, "mapsafe: --fail-on takes error, warning, note or none, not '%s'\n",
                        v);
                return MS_PARSE_USAGE;
            }
        } else if (matches(a, "--compile-commands") || matches(a, "-p")) {
            size_t n = a[1] == '-' ? 18 : 2;
            if (!(v = take_value(argc, argv, &i, a, n, err)))
                return MS_PARSE_USAGE;
            free(o->compile_commands_dir);
            o->compile_commands_dir = ms_xstrdup(v);
        } else if (matches(a, "--extra-arg")) {
            if (!(v = take_value(argc, argv, &i, a, 11, err)))
                return MS_PARSE_USAGE;
            MS_VEC_PUSH(&o->extra_args, ms_xstrdup(v));
        } else if (matches(a, "--model")) {
            if (!(v = take_value(argc, argv, &i, a, 7, err)))
                return MS_PARSE_USAGE;
            MS_VEC_PUSH(&o->models, ms_xstrdup(v));
        } else if (matches(a, "--baseline")) {
            if (!(v = take_value(argc, argv, &i, a, 10, err)))
                return MS_PARSE_USAGE;
            free(o->baseline);
            o->baseline = ms_xstrdup(v);
        } else if (strcmp(a, "--hide-suppressed") == 0) {
            o->hide_suppressed = true;
        } else if (strcmp(a, "--fix") == 0) {
            o->fix = true;
        } else if (matches(a, "-j")) {
            if (!(v = take_value(argc, argv, &i, a, 2, err)))
                return MS_PARSE_USAGE;
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 256) {
                fprintf(err, "mapsafe: -j takes a number from 1 to 256, not '%s'\n", v);
                return MS_PARSE_USAGE;
            }
            o->jobs = (int)n;
        } else {
            fprintf(err, "mapsafe: unknown option '%s' (see --help)\n", a);
            return MS_PARSE_USAGE;
        }
    }
    for (size_t i = 0; i < ms_rules_count; i++)
        o->rule_enabled[i] = (!any_enabled || enabled[i]) && !disabled[i];
    if (o->paths.len == 0)
        MS_VEC_PUSH(&o->paths, ms_xstrdup("."));
    return MS_PARSE_RUN;
}

static void free_strings(char **items, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(items[i]);
}

void ms_options_free(ms_options *o) {
    free_strings(o->paths.items, o->paths.len);
    MS_VEC_FREE(&o->paths);
    free_strings(o->models.items, o->models.len);
    MS_VEC_FREE(&o->models);
    free_strings(o->extra_args.items, o->extra_args.len);
    MS_VEC_FREE(&o->extra_args);
    free_strings(o->excludes.items, o->excludes.len);
    MS_VEC_FREE(&o->excludes);
    free(o->output);
    free(o->compile_commands_dir);
    free(o->baseline);
}
