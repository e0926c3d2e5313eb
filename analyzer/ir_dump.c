/* A readable dump of a unit's IR, for frontend work: MAPSAFE_DUMP_IR=1 in
 * the environment makes the driver print every unit to stderr. */
#include "ir_dump.h"

#include "source.h"

static const char *const node_names[] = {
    "?",        "BLOCK", "BRANCH", "LOOP", "LABEL", "EXIT",   "MAP_OP",
    "MAP_MAKE", "CALL",  "SPAWN",  "LOCK", "JOIN",  "ASSIGN", "SIGNAL",
};

static const char *const op_names[] = {"?",     "READ",   "INSERT",  "ERASE",      "ERASE_RANGE",
                                       "CLEAR", "REHASH", "REPLACE", "ITER_MUTATE"};

static void path(FILE *out, const ms_unit *u, const ms_path *p) {
    char buf[160];
    fputs(ms_path_valid(p) ? ms_path_render(u, p, buf, sizeof(buf)) : "-", out);
}

static unsigned line_of(const ms_unit *u, ms_span s) {
    if (s.file >= u->nfiles)
        return 0;
    return ms_source_line_of(u->files[s.file], s.start);
}

static const char *sym_name(const ms_unit *u, uint32_t id) {
    const ms_sym *s = ms_unit_sym(u, id);
    return s ? s->name : "-";
}

static void node(FILE *out, const ms_unit *u, const ms_node *n, int depth) {
    if (!n)
        return;
    fprintf(out, "%*s%s @%u", depth * 2, "", n->kind < 14 ? node_names[n->kind] : "?",
            line_of(u, n->span));
    switch (n->kind) {
        case MS_NODE_BLOCK:
            fputc('\n', out);
            for (uint32_t i = 0; i < n->u.block.len; i++)
                node(out, u, n->u.block.items[i], depth + 1);
            return;
        case MS_NODE_BRANCH:
            fprintf(out, " arms=%u%s%s\n", n->u.branch.narms,
                    n->u.branch.exhaustive ? " exhaustive" : "",
                    n->u.branch.breakable ? " breakable" : "");
            for (uint32_t i = 0; i < n->u.branch.narms; i++)
                node(out, u, n->u.branch.arms[i], depth + 1);
            return;
        case MS_NODE_LOOP:
            fprintf(out, " kind=%u range=%u sem=%u map=", n->u.loop.loop_kind, n->u.loop.range_kind,
                    n->u.loop.semantics);
            path(out, u, &n->u.loop.map);
            fprintf(out, " key=%s val=%s iter=%s trip=%u:%s%s%s\n", sym_name(u, n->u.loop.key_sym),
                    sym_name(u, n->u.loop.val_sym), sym_name(u, n->u.loop.iter_sym), n->u.loop.trip,
                    n->u.loop.trip_text ? n->u.loop.trip_text : "",
                    n->u.loop.infinite ? " infinite" : "", n->u.loop.callback ? " callback" : "");
            node(out, u, n->u.loop.body, depth + 1);
            if (n->u.loop.post) {
                fprintf(out, "%*spost:\n", depth * 2 + 2, "");
                node(out, u, n->u.loop.post, depth + 1);
            }
            return;
        case MS_NODE_EXIT:
            fprintf(out, " kind=%u%s\n", n->u.exit.exit_kind, n->u.exit.target ? " ->" : "");
            return;
        case MS_NODE_MAP_OP:
            fprintf(out, " %s ", n->u.map_op.op < 9 ? op_names[n->u.map_op.op] : "?");
            path(out, u, &n->u.map_op.map);
            fprintf(out, " key=%u:%s sem=%u flags=%u\n", n->u.map_op.key_kind,
                    sym_name(u, n->u.map_op.key_sym), n->u.map_op.semantics, n->u.map_op.flags);
            return;
        case MS_NODE_MAP_MAKE:
            fputc(' ', out);
            path(out, u, &n->u.make.dest);
            fprintf(out, " hint=%d sem=%u\n", n->u.make.has_hint, n->u.make.semantics);
            return;
        case MS_NODE_CALL:
            fprintf(out, " %s callee=%u args=", n->u.call.name ? n->u.call.name : "?",
                    n->u.call.callee);
            for (uint32_t i = 0; i < n->u.call.nargs; i++) {
                path(out, u, &n->u.call.args[i]);
                fputc(i + 1 < n->u.call.nargs ? ',' : ' ', out);
            }
            fputc('\n', out);
            return;
        case MS_NODE_SPAWN:
            fprintf(out, " kind=%u entry=%s args=", n->u.spawn.spawn_kind,
                    n->u.spawn.entry && n->u.spawn.entry < u->nfuncs
                        ? u->funcs[n->u.spawn.entry].display
                        : "-");
            for (uint32_t i = 0; i < n->u.spawn.nargs; i++) {
                path(out, u, &n->u.spawn.args[i]);
                fputc(i + 1 < n->u.spawn.nargs ? ',' : ' ', out);
            }
            fputs("handle=", out);
            path(out, u, &n->u.spawn.handle);
            fputc('\n', out);
            return;
        case MS_NODE_LOCK:
            fprintf(out, " %s %s%s ", n->u.lock.action == MS_LOCK_ACQUIRE ? "acquire" : "release",
                    n->u.lock.mode == MS_LOCK_SHARED ? "shared" : "exclusive",
                    n->u.lock.scoped     ? " scoped"
                    : n->u.lock.deferred ? " deferred"
                                         : "");
            path(out, u, &n->u.lock.lock);
            fputc('\n', out);
            return;
        case MS_NODE_JOIN:
            fprintf(out, " kind=%u ", n->u.join.join_kind);
            path(out, u, &n->u.join.obj);
            fputc('\n', out);
            return;
        case MS_NODE_ASSIGN:
            fprintf(out, " %s\n", sym_name(u, n->u.assign.sym));
            return;
        case MS_NODE_SIGNAL:
            fprintf(out, " %s ", n->u.signal.signal_kind == MS_SIGNAL_CLOSE ? "close" : "send");
            path(out, u, &n->u.signal.obj);
            fputc('\n', out);
            return;
        default:
            fputc('\n', out);
            return;
    }
}

void ms_ir_dump(FILE *out, const ms_unit *u) {
    fprintf(out, "unit %s: %u functions, %u symbols\n", u->name ? u->name : "?", u->nfuncs - 1,
            u->nsyms - 1);
    for (uint32_t s = 1; s < u->nsyms; s++) {
        const ms_sym *sym = &u->syms[s];
        if (sym->type_class)
            fprintf(out, "  sym %u %s kind=%u class=%u sem=%u type=%s func=%u\n", s, sym->name,
                    sym->kind, sym->type_class, sym->semantics,
                    sym->type_name ? sym->type_name : "-", sym->func);
    }
    for (uint32_t f = 1; f < u->nfuncs; f++) {
        const ms_func *fn = &u->funcs[f];
        fprintf(out, "func %u %s (%u params)%s\n", f, fn->display ? fn->display : "?", fn->nparams,
                fn->body ? "" : " declared");
        node(out, u, fn->body, 1);
    }
}
