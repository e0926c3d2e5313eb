#include "ir.h"

#include "source.h"

#include <stdio.h>
#include <string.h>

bool ms_path_valid(const ms_path *p) {
    return p && p->root != MS_NONE;
}

/* Two unknown indices may name different elements; MS101 also keeps
 * constant indices apart. */
static bool step_equal(const ms_step *a, const ms_step *b) {
    if (a->kind == MS_STEP_INDEX && b->kind == MS_STEP_INDEX)
        return a->index_sym != MS_NONE && a->index_sym == b->index_sym;
    return ms_step_same(a, b);
}

static bool steps_match(const ms_path *a, const ms_path *b,
                        bool (*same)(const ms_step *, const ms_step *)) {
    if (a->root != b->root || a->len != b->len)
        return false;
    for (uint8_t i = 0; i < a->len; i++)
        if (!same(&a->steps[i], &b->steps[i]))
            return false;
    return true;
}

bool ms_path_has_index(const ms_path *p) {
    for (uint8_t i = 0; i < p->len; i++)
        if (p->steps[i].kind == MS_STEP_INDEX)
            return true;
    return false;
}

bool ms_path_equal(const ms_path *a, const ms_path *b) {
    return ms_path_valid(a) && ms_path_valid(b) && steps_match(a, b, step_equal);
}

bool ms_step_same(const ms_step *a, const ms_step *b) {
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
        case MS_STEP_FIELD:
            return a->field == b->field;
        case MS_STEP_INDEX:
            if (a->index_sym != MS_NONE || b->index_sym != MS_NONE)
                return a->index_sym == b->index_sym;
            return a->field && a->field == b->field;
        default:
            return true;
    }
}

bool ms_path_same(const ms_path *a, const ms_path *b) {
    return ms_path_valid(a) && ms_path_valid(b) && steps_match(a, b, ms_step_same);
}

static bool step_identical(const ms_step *a, const ms_step *b) {
    return a->kind == b->kind && a->field == b->field && a->index_sym == b->index_sym;
}

bool ms_path_identical(const ms_path *a, const ms_path *b) {
    return steps_match(a, b, step_identical);
}

bool ms_path_concat(const ms_path *base, const ms_path *tail, ms_path *out) {
    if (!ms_path_valid(base) || base->len + tail->len > MS_PATH_MAX)
        return false;
    *out = *base;
    for (uint8_t i = 0; i < tail->len; i++)
        out->steps[out->len++] = tail->steps[i];
    return true;
}

static void walk_list(ms_node *const *items, uint32_t n, ms_node_visit visit, void *ctx) {
    for (uint32_t i = 0; i < n; i++)
        ms_node_walk(items[i], visit, ctx);
}

void ms_node_walk(const ms_node *n, ms_node_visit visit, void *ctx) {
    if (!n || !visit(n, ctx))
        return;
    switch (n->kind) {
        case MS_NODE_BLOCK:
            walk_list(n->u.block.items, n->u.block.len, visit, ctx);
            break;
        case MS_NODE_BRANCH:
            walk_list(n->u.branch.arms, n->u.branch.narms, visit, ctx);
            break;
        case MS_NODE_LOOP:
            ms_node_walk(n->u.loop.body, visit, ctx);
            ms_node_walk(n->u.loop.post, visit, ctx);
            break;
        default:
            break;
    }
}

const char *ms_path_render(const ms_unit *u, const ms_path *p, char *buf, size_t cap) {
    const ms_sym *root = ms_unit_sym(u, p->root);
    /* C++'s receiver is a pointer: this->items, as the code spells it */
    bool cxx_this = root && root->kind == MS_SYM_RECEIVER && u->nfiles > 0 &&
                    u->files[0]->lang == MS_LANG_CXX && strcmp(root->name, "this") == 0;
    size_t n = (size_t)snprintf(buf, cap, "%s", root ? root->name : "?");
    for (uint8_t i = 0; i < p->len && n < cap; i++) {
        const ms_step *s = &p->steps[i];
        const ms_sym *idx = ms_unit_sym(u, s->index_sym);
        switch (s->kind) {
            case MS_STEP_FIELD:
                n += (size_t)snprintf(buf + n, cap - n, "%s%s", i == 0 && cxx_this ? "->" : ".",
                                      s->field);
                break;
            case MS_STEP_INDEX:
                n += (size_t)snprintf(buf + n, cap - n, "[%s]",
                                      idx        ? idx->name
                                      : s->field ? s->field
                                                 : "_");
                break;
            default:
                n += (size_t)snprintf(buf + n, cap - n, ".*");
                break;
        }
    }
    return buf;
}

bool ms_path_overlap(const ms_path *a, const ms_path *b) {
    if (!ms_path_valid(a) || !ms_path_valid(b) || a->root != b->root)
        return false;
    uint8_t n = a->len < b->len ? a->len : b->len;
    for (uint8_t i = 0; i < n; i++) {
        if (a->steps[i].kind != b->steps[i].kind)
            return false;
        if (a->steps[i].kind == MS_STEP_FIELD && a->steps[i].field != b->steps[i].field)
            return false;
    }
    return true;
}

void ms_path_unalias(const ms_unit *u, ms_path *p) {
    for (uint32_t i = 0; i < u->nfield_aliases; i++) {
        const ms_field_alias *a = &u->field_aliases[i];
        if (a->from.root != p->root || a->from.len > p->len)
            continue;
        bool prefix = true;
        for (uint8_t k = 0; k < a->from.len && prefix; k++)
            prefix = ms_step_same(&a->from.steps[k], &p->steps[k]);
        if (!prefix || a->to.len + (p->len - a->from.len) > MS_PATH_MAX)
            continue;
        ms_path out = a->to;
        for (uint8_t k = a->from.len; k < p->len; k++)
            out.steps[out.len++] = p->steps[k];
        *p = out;
        return;
    }
}
