/* The C and C++ frontend: one translation unit from parse to IR. */
#include "c_internal.h"

#include "cfg.h"

#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MAPSAFE_CLANG_RESOURCE_DIR
#define MAPSAFE_CLANG_RESOURCE_DIR ""
#endif

static bool has_builtin_headers(const char *dir) {
    char path[PATH_MAX];
    struct stat st;
    snprintf(path, sizeof(path), "%s/include/stddef.h", dir);
    return stat(path, &st) == 0;
}

/* Clang's resource directory: the one of the libclang mapsafe was built
 * with, else the newest installed one. Without it nothing parses. */
static char *find_resource_dir(void) {
    if (MAPSAFE_CLANG_RESOURCE_DIR[0] && has_builtin_headers(MAPSAFE_CLANG_RESOURCE_DIR))
        return ms_xstrdup(MAPSAFE_CLANG_RESOURCE_DIR);
    glob_t g;
    char *found = NULL;
    if (glob("/usr/lib/llvm-*/lib/clang/*", 0, NULL, &g) == 0) {
        for (size_t i = g.gl_pathc; i-- > 0 && !found;)
            if (has_builtin_headers(g.gl_pathv[i]))
                found = ms_xstrdup(g.gl_pathv[i]);
        globfree(&g);
    }
    return found;
}

static bool file_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* -p DIR, else ./compile_commands.json, else ./build/compile_commands.json.
 * -p may also name the file itself. */
static char *database_dir(const ms_options *o) {
    if (o->compile_commands_dir) {
        const char *p = o->compile_commands_dir;
        size_t n = strlen(p);
        const char *file = "compile_commands.json";
        if (n >= strlen(file) && strcmp(p + n - strlen(file), file) == 0) {
            char *dir = ms_xstrndup(p, n - strlen(file));
            if (!dir[0]) {
                free(dir);
                return ms_xstrdup(".");
            }
            return dir;
        }
        return ms_xstrdup(p);
    }
    if (file_exists("compile_commands.json"))
        return ms_xstrdup(".");
    if (file_exists("build/compile_commands.json"))
        return ms_xstrdup("build");
    return NULL;
}

static int cmp_display_items(const void *a, const void *b) {
    return strcmp(((const c_display *)a)->real, ((const c_display *)b)->real);
}

ms_c_frontend *ms_c_frontend_new(const ms_catalogue *catalogue, const ms_options *options,
                                 const ms_input_list *inputs, char **error) {
    ms_c_frontend *fe = ms_xcalloc(1, sizeof(*fe));
    fe->cat = catalogue;
    char cwd[PATH_MAX];
    fe->cwd = ms_c_real_path(getcwd(cwd, sizeof(cwd)) ? cwd : ".");
    if (!fe->cwd)
        fe->cwd = ms_xstrdup("/");
    fe->extra_args = options->extra_args.items;
    fe->nextra = options->extra_args.len;
    fe->resource_dir = find_resource_dir();
    fe->db_lock = ms_xcalloc(1, sizeof(pthread_mutex_t));
    pthread_mutex_init(fe->db_lock, NULL);

    /* The project: the working directory and whatever is being analysed. */
    fe->roots = ms_xcalloc(options->paths.len + 1, sizeof(char *));
    fe->roots[fe->nroots++] = ms_xstrdup(fe->cwd);
    for (size_t i = 0; i < options->paths.len; i++) {
        char *real = ms_c_real_path(options->paths.items[i]);
        struct stat st;
        if (real && stat(real, &st) == 0 && !S_ISDIR(st.st_mode)) {
            char *slash = strrchr(real, '/');
            if (slash && slash != real)
                *slash = '\0';
        }
        if (real)
            fe->roots[fe->nroots++] = real;
    }
    fe->displays = ms_xcalloc(inputs->len ? inputs->len : 1, sizeof(c_display));
    for (size_t i = 0; i < inputs->len; i++) {
        const ms_input_file *in = &inputs->items[i];
        if (in->lang == MS_LANG_GO)
            continue;
        char *real = ms_c_real_path(in->fs_path);
        if (!real)
            continue;
        fe->displays[fe->ndisplays++] = (c_display){real, ms_xstrdup(in->display)};
    }
    qsort(fe->displays, fe->ndisplays, sizeof(c_display), cmp_display_items);

    char *dir = database_dir(options);
    if (dir) {
        CXCompilationDatabase_Error err = CXCompilationDatabase_NoError;
        fe->db = clang_CompilationDatabase_fromDirectory(dir, &err);
        if (err != CXCompilationDatabase_NoError && fe->db) {
            clang_CompilationDatabase_dispose(fe->db);
            fe->db = NULL;
        }
        if (!fe->db && options->compile_commands_dir) {
            *error = ms_xasprintf("%s: no readable compile_commands.json there", dir);
            free(dir);
            ms_c_frontend_free(fe);
            return NULL;
        }
        if (fe->db)
            fe->db_dir = dir;
        else
            free(dir);
    }
    return fe;
}

void ms_c_frontend_free(ms_c_frontend *fe) {
    if (!fe)
        return;
    if (fe->db)
        clang_CompilationDatabase_dispose(fe->db);
    free(fe->db_dir);
    pthread_mutex_destroy(fe->db_lock);
    free(fe->db_lock);
    free(fe->resource_dir);
    free(fe->cwd);
    for (size_t i = 0; i < fe->nroots; i++)
        free(fe->roots[i]);
    free(fe->roots);
    for (size_t i = 0; i < fe->ndisplays; i++) {
        free(fe->displays[i].real);
        free(fe->displays[i].display);
    }
    free(fe->displays);
    free(fe);
}

const char *ms_c_frontend_database(const ms_c_frontend *fe) {
    return fe->db_dir;
}

ms_c_worker *ms_c_worker_new(const ms_c_frontend *fe) {
    ms_c_worker *w = ms_xcalloc(1, sizeof(*w));
    w->fe = fe;
    w->index = clang_createIndex(0, 0);
    return w;
}

void ms_c_worker_free(ms_c_worker *w) {
    if (!w)
        return;
    clang_disposeIndex(w->index);
    free(w);
}

static char *absolute_path(const char *path, const char *cwd) {
    char *real = ms_c_real_path(path);
    if (real)
        return real;
    return path[0] == '/' ? ms_xstrdup(path) : ms_xasprintf("%s/%s", cwd, path);
}

void ms_c_analyse(ms_c_worker *w, ms_source *main, ms_report *report, ms_unit_fn fn, void *ctx,
                  ms_c_paths *covered) {
    const ms_c_frontend *fe = w->fe;
    if (!fe->resource_dir) {
        ms_report_notify(report, MS_LEVEL_WARNING, "clang-resources", main->path, 0, 0,
                         "Clang's builtin headers (stddef.h) were not found: install "
                         "libclang-common-dev; the file is not analysed");
        return;
    }
    char *abs = absolute_path(main->fs_path, fe->cwd);
    c_parsed parsed;
    c_parse_unit(w, main, abs, report, &parsed);
    if (!parsed.tu) {
        free(abs);
        return;
    }
    ms_arena arena;
    ms_arena_init(&arena);
    ms_interner names;
    ms_intern_init(&names, &arena);
    c_tu t = {.fe = fe,
              .cat = fe->cat,
              .tu = parsed.tu,
              .arena = &arena,
              .names = &names,
              .report = report,
              .cxx = parsed.cxx,
              .model_lang = parsed.cxx ? MS_MODEL_CXX : MS_MODEL_C};
    c_cursor_map_init(&t.sym_of);
    c_cursor_map_init(&t.func_of);
    ms_sym none_sym = {0};
    ms_func none_func = {0};
    c_symx none_x = {0};
    MS_VEC_PUSH(&t.syms, none_sym);
    MS_VEC_PUSH(&t.symx, none_x);
    MS_VEC_PUSH(&t.funcs, none_func);
    MS_VEC_PUSH(&t.func_cursor, clang_getNullCursor());
    /* The main file is unit file 0, with the text the driver loaded. */
    c_file_index(&t, clang_getFile(parsed.tu, abs));
    if (t.files.len == 0)
        MS_VEC_PUSH(&t.files, main);
    else
        t.files.items[0] = main;

    c_lower_unit(&t);
    c_collect_includes(&t, covered);

    ms_unit unit = {0};
    unit.nfiles = (uint32_t)t.files.len;
    unit.files = MS_NEW_ARRAY(&arena, ms_source *, unit.nfiles);
    memcpy(unit.files, t.files.items, sizeof(ms_source *) * unit.nfiles);
    unit.nsyms = (uint32_t)t.syms.len;
    unit.syms = MS_NEW_ARRAY(&arena, ms_sym, unit.nsyms);
    memcpy(unit.syms, t.syms.items, sizeof(ms_sym) * unit.nsyms);
    unit.nfuncs = (uint32_t)t.funcs.len;
    unit.funcs = MS_NEW_ARRAY(&arena, ms_func, unit.nfuncs);
    memcpy(unit.funcs, t.funcs.items, sizeof(ms_func) * unit.nfuncs);
    unit.name = main->path;
    ms_unit_number_nodes(&unit);
    fn(&unit, &arena, ctx);

    for (size_t i = 1; i < t.files.len; i++) {
        ms_source_free(t.files.items[i]);
        free(t.files.items[i]);
    }
    MS_VEC_FREE(&t.files);
    free(t.file_slots);
    MS_VEC_FREE(&t.syms);
    MS_VEC_FREE(&t.symx);
    MS_VEC_FREE(&t.funcs);
    MS_VEC_FREE(&t.func_cursor);
    c_cursor_map_free(&t.sym_of);
    c_cursor_map_free(&t.func_of);
    ms_intern_free(&names);
    ms_arena_free(&arena);
    c_parsed_free(&parsed);
    free(abs);
}
