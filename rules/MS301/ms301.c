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
    if (!ms_path_valid(p))
        return false;
    for (uint8_t i = 0; i < p->len; i++)
        if (p->steps[i].kind == MS_STEP_INDEX)
            return false;
    return true;
}

/* The trip count can be computed where the hint goes, with the same value
 * the loop will see: its variables are declared before that point and not
 * assigned between the creation and the loop (for a hint in the creation),
 * and nothing writes them through a pointer. */
static bool hint_computable(const ms_fill_ctx *c, const ms_fill *fill) {
    const ms_node *make = c->make, *loop = fill->loop;
    bool in_creation = make->u.make.fix_kind == MS_MAKE_FIX_HINT;
    ms_span at = in_creation ? make->stmt : loop->span;
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
        if (in_creation && ms_fill_assigned_between(c, fill, s))
            return false;
    }
    return true;
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
    /* A statement of its own before the loop, indented like the loop. */
    const ms_source *src = ms_rule_source(ctx, loop->span);
    uint32_t line = ms_source_line_of(src, loop->span.start);
    uint32_t start = src->line_starts[line - 1], indent = start;
    while (indent < src->size && (src->text[indent] == ' ' || src->text[indent] == '\t'))
        indent++;
    uint32_t len;
    const char *text = ms_source_line_text(src, line, &len);
    bool crlf = text + len < src->text + src->size && text[len] == '\r';
    ms_fix *fix = ms_finding_add_fix(
        f, src->path,
        ms_arena_printf(ctx->arena, "Reserve %s entries in map '%s' before the loop", hint, map));
    ms_fix_add_replacement(
        fix, src, start, start,
        ms_arena_printf(ctx->arena, "%.*s%s%s%s%s", (int)(indent - start), src->text + start,
                        make->u.make.reserve_prefix ? make->u.make.reserve_prefix : "", hint,
                        make->u.make.reserve_suffix ? make->u.make.reserve_suffix : "",
                        crlf ? "\r\n" : "\n"));
}

static void report(ms_rule_ctx *ctx, uint32_t func, const ms_node *make, const ms_node *loop) {
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
            if (ms_fill_find(&fc, &fill) && worth_a_hint(make, fill.loop) &&
                hint_computable(&fc, &fill) && ms_fill_one_per_iteration(&fc, &fill))
                report(ctx, f, make, fill.loop);
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
