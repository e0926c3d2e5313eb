/* Test helper: lowers Go source text with the real frontend and hands the
 * unit to a check function, plus small queries over the IR. */
#ifndef MAPSAFE_TEST_GO_SNIPPET_H
#define MAPSAFE_TEST_GO_SNIPPET_H

#include "arena.h"
#include "ir.h"
#include "report.h"

typedef void (*snippet_check)(const ms_unit *u, ms_arena *arena, void *ctx);

/* Lowers `text` as one file of a package; returns how many units ran. */
int go_snippet(const char *text, snippet_check check, void *ctx, ms_report *notes);

const ms_func *find_func(const ms_unit *u, const char *display);
/* The n-th node (0-based, preorder) of a kind in a function. */
const ms_node *find_node(const ms_func *f, ms_node_kind kind, int n);
int count_nodes(const ms_func *f, ms_node_kind kind);
const char *sym_name(const ms_unit *u, uint32_t sym);

#endif
