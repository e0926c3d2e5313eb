/* MS301 map-missing-capacity-hint.
 *
 * For every map created without a hint, find the loop that fills it first
 * (fill_loop.h). Report the creation when that loop's trip count is known
 * before it starts, larger than what the map holds before its first growth,
 * computable where the hint goes, and the loop inserts exactly one key per
 * iteration and runs to the end. The fix gives the hint the way the
 * frontend says the map takes one (ir.h, ms_make_fix). See help.md. */
#include "fill_loop.h"
#include "source.h"
#include "vec.h"

#include <stdio.h>
#include <string.h>

/* Paths with an index step (shards[i]) stand for several maps. */
static bool trackable(const ms_path *p) {
    return ms_path_valid(p) && !ms_path_has_index(p);
}

/* The trip count can be computed at the creation (where a hint in the
 * creation, or a reserve statement right after it, goes) or else before the
 * loop, with the same value the loop will see: its variables are declared
 * before that point and, at the creation, not assigned between the creation
 * and the loop, and nothing writes them through a pointer. */
static bool hint_computable(const ms_fill_ctx *c, const ms_fill *fill, bool at_creation) {
    const ms_node *make = c->make, *loop = fill->loop;
    ms_span at = at_creation ? make->stmt : loop->span;
    if (loop->u.loop.range_kind == MS_RANGE_MAP && ms_path_equal(&loop->u.loop.map, c->map))
        return false; /* the loop ranges over the new, empty map itself */
    for (uint32_t i = 0; i < MS_TRIP_SYMS_MAX && loop->u.loop.trip_syms[i]; i++) {
        uint32_t s = loop->u.loop.trip_syms[i];
        const ms_sym *sym = ms_unit_sym(c->rule->unit, s);
        if (!sym || (sym->flags & MS_SYMF_ADDRESS_TAKEN))
            return false;
        if (s == c->map->root && c->map->len == 0)
            return false; /* the loop ranges over the new map itself */
        if (sym->kind != MS_SYM_GLOBAL && (sym->decl.file != at.file || sym->decl.end > at.start))
            return false;
        if (at_creation && ms_fill_assigned_between(c, fill, s))
            return false;
    }
    return true;
}

/* `m.reserve(n);` right after the creation statement: on a line of its own,
 * indented like the creation, when only a comment follows the statement on
 * its line; else on the same line, after the statement. */
static void add_reserve(ms_rule_ctx *ctx, ms_fix *fix, const ms_node *make, const char *hint) {
    const ms_source *src = ms_rule_source(ctx, make->stmt);
    const char *text = src->text;
    const char *reserve =
        ms_arena_printf(ctx->arena, "%s%s%s", make->u.make.reserve_prefix, hint,
                        make->u.make.reserve_suffix ? make->u.make.reserve_suffix : "");
    uint32_t end = make->stmt.end, rest = end;
    while (rest < src->size && (text[rest] == ' ' || text[rest] == '\t'))
        rest++;
    bool alone = rest == src->size || text[rest] == '\n' || text[rest] == '\r' ||
                 (rest + 1 < src->size && text[rest] == '/' && text[rest + 1] == '/');
    uint32_t line = ms_source_line_of(src, end);
    if (!alone || line >= src->nlines) {
        ms_fix_add_replacement(fix, src, end, end, ms_arena_printf(ctx->arena, " %s", reserve));
        return;
    }
    uint32_t first = ms_source_line_of(src, make->stmt.start);
    uint32_t start = src->line_starts[first - 1], indent = start;
    while (indent < src->size && (text[indent] == ' ' || text[indent] == '\t'))
        indent++;
    uint32_t next = src->line_starts[line]; /* the line after the statement's last */
    bool crlf = next >= 2 && text[next - 2] == '\r';
    ms_fix_add_replacement(fix, src, next, next,
                           ms_arena_printf(ctx->arena, "%.*s%s%s", (int)(indent - start),
                                           text + start, reserve, crlf ? "\r\n" : "\n"));
}

static void add_fix(ms_rule_ctx *ctx, ms_finding *f, const ms_node *make, const ms_node *loop,
                    const char *map) {
    const char *hint = loop->u.loop.trip_text;
    if (make->u.make.fix_kind == MS_MAKE_FIX_HINT) {
        ms_span at = make->u.make.fix_span;
        const ms_source *src = ms_rule_source(ctx, at);
        ms_fix *fix = ms_finding_add_fix(
            f, src->path, ms_arena_printf(ctx->arena, "Give map '%s' the size hint %s", map, hint));
        ms_fix_add_replacement(
            fix, src, at.start, at.end,
            ms_arena_printf(ctx->arena, "%s%s%s",
                            make->u.make.fix_prefix ? make->u.make.fix_prefix : "", hint,
                            make->u.make.fix_suffix ? make->u.make.fix_suffix : ""));
        return;
    }
    const ms_source *src = ms_rule_source(ctx, make->stmt);
    add_reserve(ctx,
                ms_finding_add_fix(f, src->path,
                                   ms_arena_printf(ctx->arena,
                                                   "Reserve %s entries in map '%s' where it is "
                                                   "created",
                                                   hint, map)),
                make, hint);
}

static void report(ms_rule_ctx *ctx, uint32_t func, const ms_node *make, const ms_node *loop,
                   bool fixable) {
    char map[128];
    ms_path_render(ctx->unit, &make->u.make.dest, map, sizeof(map));
    const char *hint = loop->u.loop.trip_text;
    ms_finding *f = ms_rule_report(
        ctx, &ms_rule_ms301, make->stmt, func,
        "map '%s' is created without a size hint, then [the loop](1) inserts one key per "
        "iteration, %s in all; the map grows and rehashes on the way, where a hint of %s "
        "allocates once",
        map, hint, hint);
    ms_rule_related(ctx, f, loop->u.loop.header, "the loop that fills the map");
    if (fixable)
        add_fix(ctx, f, make, loop, map);
}

/* Whether a hint would change anything: a known count above what the map
 * holds before its first growth. */
static bool worth_a_hint(const ms_node *make, const ms_node *loop) {
    switch (loop->u.loop.trip) {
        case MS_TRIP_EXPR:
            return loop->u.loop.trip_text != NULL;
        case MS_TRIP_CONST:
            return loop->u.loop.trip_text != NULL &&
                   loop->u.loop.trip_const > (int64_t)make->u.make.initial_capacity;
        default:
            return false;
    }
}

/* What one walk of a function finds: unhinted creations, and inserts. A
 * creation needs an insert into its map after it before the graph searches
 * are worth running. */
typedef struct candidates {
    MS_VEC(const ms_node *) makes;
    MS_VEC(const ms_node *) inserts;
} candidates;

static bool collect(const ms_node *n, void *arg) {
    candidates *c = arg;
    if (n->kind == MS_NODE_MAP_MAKE && !n->u.make.has_hint &&
        n->u.make.fix_kind != MS_MAKE_FIX_NONE && trackable(&n->u.make.dest))
        MS_VEC_PUSH(&c->makes, n);
    else if (n->kind == MS_NODE_MAP_OP && n->u.map_op.op == MS_OP_INSERT)
        MS_VEC_PUSH(&c->inserts, n);
    return true;
}

static bool filled_later(const candidates *c, const ms_node *make) {
    for (size_t i = 0; i < c->inserts.len; i++) {
        const ms_node *op = c->inserts.items[i];
        if (op->id > make->id && ms_path_equal(&op->u.map_op.map, &make->u.make.dest))
            return true;
    }
    return false;
}

static void run(ms_rule_ctx *ctx) {
    const ms_unit *u = ctx->unit;
    for (uint32_t f = 1; f < u->nfuncs; f++) {
        if (!u->funcs[f].body)
            continue;
        candidates c = {0};
        ms_node_walk(u->funcs[f].body, collect, &c);
        for (size_t i = 0; i < c.makes.len; i++) {
            const ms_node *make = c.makes.items[i];
            if (!filled_later(&c, make))
                continue;
            ms_fill_ctx fc = {
                .rule = ctx, .cfg = ms_rule_cfg(ctx, f), .make = make, .map = &make->u.make.dest};
            ms_fill fill = {0};
            /* A hint in the creation must be computable there. A reserve
             * statement is worth reporting when the count is known before
             * the loop; it is fixed only where the frontend found a place
             * after the creation and the count is computable there. */
            bool in_creation = make->u.make.fix_kind == MS_MAKE_FIX_HINT;
            if (ms_fill_find(&fc, &fill) && worth_a_hint(make, fill.loop) &&
                hint_computable(&fc, &fill, in_creation) && ms_fill_one_per_iteration(&fc, &fill)) {
                bool fixable = in_creation ||
                               (make->u.make.reserve_prefix && hint_computable(&fc, &fill, true));
                report(ctx, f, make, fill.loop, fixable);
            }
            ms_fill_free(&fill);
        }
        MS_VEC_FREE(&c.makes);
        MS_VEC_FREE(&c.inserts);
    }
}

const ms_rule ms_rule_ms301 = {
    .id = "MS301",
    .name = "map-missing-capacity-hint",
    .short_description = "Map filled in a loop of known length without a capacity hint",
    .full_description =
        "A map is created empty without a size hint and then filled in a loop whose trip count "
        "is known before the loop, one key per iteration. The map grows and rehashes several "
        "times on the way; a hint allocates once.",
    .help_markdown = ms_help_MS301,
    .level_go = MS_LEVEL_NOTE,
    .level_c = MS_LEVEL_NOTE,
    .tags = {"performance", "allocation", "maps", NULL},
    .precision = "high",
    .problem_severity = "recommendation",
    .run = run,
};
