#include "go_frontend.h"

#include "cfg.h"
#include "go_internal.h"

#include <string.h>

struct ms_go_frontend {
    go_grammar grammar;
    const ms_catalogue *catalogue;
};

ms_go_frontend *ms_go_frontend_new(const ms_catalogue *catalogue) {
    ms_go_frontend *fe = ms_xcalloc(1, sizeof(*fe));
    go_grammar_init(&fe->grammar);
    fe->catalogue = catalogue;
    return fe;
}

void ms_go_frontend_free(ms_go_frontend *fe) {
    if (!fe)
        return;
    go_grammar_free(&fe->grammar);
    free(fe);
}

/* The first ERROR or MISSING node in document order, found with a cursor so
 * deep trees cost no recursion. */
static bool first_error(TSNode root, TSNode *out) {
    TSTreeCursor c = ts_tree_cursor_new(root);
    bool found = false;
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&c);
        if (ts_node_is_error(n) || ts_node_is_missing(n)) {
            *out = n;
            found = true;
            break;
        }
        if (!go_cursor_preorder_next(&c, ts_node_has_error(n)))
            break;
    }
    ts_tree_cursor_delete(&c);
    return found;
}

static void report_syntax_error(ms_report *report, const ms_source *src, TSNode root) {
    TSNode err;
    if (!first_error(root, &err)) {
        ms_report_notify(report, MS_LEVEL_WARNING, "syntax-error", src->path, 1, 1,
                         "syntax error; the file is analysed as far as it parses");
        return;
    }
    ms_region r = ms_source_region(src, ts_node_start_byte(err), ts_node_end_byte(err));
    if (ts_node_is_missing(err)) {
        ms_report_notify(report, MS_LEVEL_WARNING, "syntax-error", src->path, r.start_line,
                         r.start_col,
                         "syntax error: missing '%s'; the file is analysed as far as it parses",
                         ts_node_type(err));
    } else {
        ms_report_notify(report, MS_LEVEL_WARNING, "syntax-error", src->path, r.start_line,
                         r.start_col, "syntax error; the file is analysed as far as it parses");
    }
}

static void pkg_init(go_pkg *p, const ms_go_frontend *fe, ms_arena *arena, ms_interner *names,
                     ms_report *report) {
    memset(p, 0, sizeof(*p));
    p->arena = arena;
    p->names = names;
    p->g = &fe->grammar;
    p->cat = fe->catalogue;
    p->report = report;
    go_table_init(&p->decl_by_name);
    go_table_init(&p->method_by_recv);
    go_scope_init(&p->scope);
    /* Index 0 of symbols and functions is "none". */
    ms_sym none_sym = {0};
    ms_func none_func = {0};
    ms_path none_path = {0};
    TSNode none_node = {0};
    MS_VEC_PUSH(&p->syms, none_sym);
    MS_VEC_PUSH(&p->sym_types, NULL);
    MS_VEC_PUSH(&p->sym_alias, none_path);
    MS_VEC_PUSH(&p->sym_closure, 0);
    MS_VEC_PUSH(&p->funcs, none_func);
    MS_VEC_PUSH(&p->func_nodes, none_node);
    p->universe_make = ms_intern_cstr(names, "make");
    p->universe_delete = ms_intern_cstr(names, "delete");
    p->universe_clear = ms_intern_cstr(names, "clear");
    p->universe_len = ms_intern_cstr(names, "len");
    p->universe_new = ms_intern_cstr(names, "new");
    p->universe_panic = ms_intern_cstr(names, "panic");
    p->universe_append = ms_intern_cstr(names, "append");
    p->blank = ms_intern_cstr(names, "_");
}

static void pkg_free(go_pkg *p) {
    MS_VEC_FREE(&p->decls);
    go_table_free(&p->decl_by_name);
    go_table_free(&p->method_by_recv);
    go_scope_free(&p->scope);
    MS_VEC_FREE(&p->syms);
    MS_VEC_FREE(&p->funcs);
    MS_VEC_FREE(&p->func_nodes);
    MS_VEC_FREE(&p->sym_types);
    MS_VEC_FREE(&p->sym_alias);
    MS_VEC_FREE(&p->alias_holders);
    MS_VEC_FREE(&p->sym_closure);
}

/* Lowers one package (files sharing a package clause) and hands it on. */
static void analyse_package(const ms_go_frontend *fe, go_file *files, uint32_t nfiles,
                            ms_report *report, ms_unit_fn fn, void *ctx) {
    ms_arena arena;
    ms_arena_init(&arena);
    ms_interner names;
    ms_intern_init(&names, &arena);
    go_pkg p;
    pkg_init(&p, fe, &arena, &names, report);
    p.files = files;
    p.nfiles = nfiles;
    for (uint32_t i = 0; i < nfiles; i++) {
        files[i].index = i;
        files[i].imports.len = 0;
    }
    p.name = nfiles ? files[0].package : NULL;

    go_collect_decls(&p);
    go_lower_package(&p);

    ms_unit unit = {0};
    unit.nfiles = nfiles;
    unit.files = MS_NEW_ARRAY(&arena, ms_source *, nfiles ? nfiles : 1);
    for (uint32_t i = 0; i < nfiles; i++)
        unit.files[i] = files[i].src;
    unit.nsyms = (uint32_t)p.syms.len;
    unit.syms = MS_NEW_ARRAY(&arena, ms_sym, unit.nsyms);
    memcpy(unit.syms, p.syms.items, sizeof(ms_sym) * unit.nsyms);
    unit.nfuncs = (uint32_t)p.funcs.len;
    unit.funcs = MS_NEW_ARRAY(&arena, ms_func, unit.nfuncs);
    memcpy(unit.funcs, p.funcs.items, sizeof(ms_func) * unit.nfuncs);
    unit.name = p.name;
    ms_unit_number_nodes(&unit);

    fn(&unit, &arena, ctx);

    for (uint32_t i = 0; i < nfiles; i++)
        MS_VEC_FREE(&files[i].imports);
    pkg_free(&p);
    ms_intern_free(&names);
    ms_arena_free(&arena);
}

static int cmp_by_package(const void *a, const void *b) {
    const go_file *fa = a, *fb = b;
    int c = strcmp(fa->package ? fa->package : "", fb->package ? fb->package : "");
    if (c)
        return c;
    return strcmp(fa->src->path, fb->src->path);
}

void ms_go_analyse(const ms_go_frontend *fe, ms_source **sources, uint32_t nfiles,
                   ms_report *report, ms_unit_fn fn, void *ctx) {
    if (nfiles == 0)
        return;
    TSParser *parser = ts_parser_new();
    ts_parser_set_language(parser, fe->grammar.lang);
    go_file *files = ms_xcalloc(nfiles, sizeof(go_file));
    /* Package names are read from the trees before grouping; they are
     * stored as malloc'd strings because the per-package arenas come later. */
    char **package_names = ms_xcalloc(nfiles, sizeof(char *));
    for (uint32_t i = 0; i < nfiles; i++) {
        go_file *f = &files[i];
        f->src = sources[i];
        f->tree = ts_parser_parse_string(parser, NULL, f->src->text, f->src->size);
        if (!f->tree) {
            ms_report_notify(report, MS_LEVEL_WARNING, "parse-failed", f->src->path, 0, 0,
                             "the Go parser gave up on this file; it is not analysed");
            continue;
        }
        f->root = ts_tree_root_node(f->tree);
        if (ts_node_has_error(f->root))
            report_syntax_error(report, f->src, f->root);
        uint32_t count = go_named_count(f->root);
        for (uint32_t k = 0; k < count && k < 64; k++) {
            TSNode c = go_named(f->root, k);
            if (strcmp(ts_node_type(c), "package_clause") == 0) {
                TSNode id = go_named(c, 0);
                if (!ts_node_is_null(id))
                    package_names[i] = ms_xstrndup(f->src->text + ts_node_start_byte(id),
                                                   ts_node_end_byte(id) - ts_node_start_byte(id));
                break;
            }
        }
        f->package = package_names[i];
    }
    /* Drop files that did not parse at all, then group by package. */
    uint32_t kept = 0;
    for (uint32_t i = 0; i < nfiles; i++)
        if (files[i].tree)
            files[kept++] = files[i];
    qsort(files, kept, sizeof(go_file), cmp_by_package);
    for (uint32_t start = 0; start < kept;) {
        uint32_t end = start + 1;
        while (end < kept && strcmp(files[end].package ? files[end].package : "",
                                    files[start].package ? files[start].package : "") == 0)
            end++;
        analyse_package(fe, files + start, end - start, report, fn, ctx);
        start = end;
    }
    for (uint32_t i = 0; i < kept; i++)
        ts_tree_delete(files[i].tree);
    for (uint32_t i = 0; i < nfiles; i++)
        free(package_names[i]);
    free(package_names);
    free(files);
    ts_parser_delete(parser);
}
