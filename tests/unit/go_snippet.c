#include "go_snippet.h"

#include "go/go_frontend.h"
#include "model.h"
#include "source.h"

#include <stdlib.h>
#include <string.h>

typedef struct snippet_run {
    snippet_check check;
    void *ctx;
    int units;
} snippet_run;

static void on_unit(ms_unit *unit, ms_arena *arena, void *arg) {
    snippet_run *run = arg;
    run->units++;
    run->check(unit, arena, run->ctx);
}

int go_snippet(const char *text, snippet_check check, void *ctx, ms_report *notes) {
    ms_catalogue *cat = ms_catalogue_new();
    char *error = NULL;
    if (ms_catalogue_add_bundled(cat, &error) != 0)
        abort();
    ms_go_frontend *fe = ms_go_frontend_new(cat);
    ms_source src;
    ms_source_from_buffer(&src, "snippet.go", MS_LANG_GO, text, strlen(text));
    ms_source *files[] = {&src};
    snippet_run run = {.check = check, .ctx = ctx};
    ms_report local;
    ms_report_init(&local);
    ms_go_analyse(fe, files, 1, notes ? notes : &local, on_unit, &run);
    ms_report_free(&local);
    ms_source_free(&src);
    ms_go_frontend_free(fe);
    ms_catalogue_free(cat);
    return run.units;
}

const ms_func *find_func(const ms_unit *u, const char *display) {
    for (uint32_t f = 1; f < u->nfuncs; f++)
        if (u->funcs[f].display && strcmp(u->funcs[f].display, display) == 0)
            return &u->funcs[f];
    return NULL;
}

typedef struct node_query {
    ms_node_kind kind;
    int want, seen;
    const ms_node *found;
} node_query;

static bool visit(const ms_node *n, void *arg) {
    node_query *q = arg;
    if (n->kind == q->kind && q->seen++ == q->want && !q->found)
        q->found = n;
    return true;
}

const ms_node *find_node(const ms_func *f, ms_node_kind kind, int n) {
    node_query q = {.kind = kind, .want = n};
    if (f)
        ms_node_walk(f->body, visit, &q);
    return q.found;
}

int count_nodes(const ms_func *f, ms_node_kind kind) {
    node_query q = {.kind = kind, .want = -1};
    if (f)
        ms_node_walk(f->body, visit, &q);
    return q.seen;
}

const char *sym_name(const ms_unit *u, uint32_t sym) {
    const ms_sym *s = ms_unit_sym(u, sym);
    return s ? s->name : "(none)";
}
