#include "binding.h"

bool ms_sym_visible(const ms_unit *u, uint32_t sym, uint32_t func) {
    const ms_sym *s = ms_unit_sym(u, sym);
    if (!s)
        return false;
    if (s->kind == MS_SYM_GLOBAL)
        return true;
    /* Closures nest a few levels at most; the bound guards bad input. */
    for (int depth = 0; func && func < u->nfuncs && depth < 64; depth++) {
        if (s->func == func)
            return true;
        func = u->funcs[func].parent;
    }
    return false;
}

/* The argument bound to `sym` when it is one of the callee's parameters. */
static const ms_path *argument_of(const ms_binding *b, uint32_t sym) {
    const ms_sym *s = ms_unit_sym(b->unit, sym);
    if (!s || s->func != b->callee || (s->kind != MS_SYM_PARAM && s->kind != MS_SYM_RECEIVER) ||
        s->param_index < 0)
        return NULL;
    const ms_func *f = &b->unit->funcs[b->callee];
    /* The IR numbers parameters in order, the receiver first. */
    uint32_t slot = (uint32_t)s->param_index;
    if (slot >= f->nparams || f->params[slot] != sym || slot >= b->nargs)
        return NULL;
    return &b->args[slot];
}

static bool callee_local(const ms_binding *b, uint32_t sym) {
    const ms_sym *s = ms_unit_sym(b->unit, sym);
    return s && s->kind != MS_SYM_GLOBAL && s->func == b->callee;
}

bool ms_bind_out(const ms_binding *b, const ms_path *in, ms_path *out) {
    if (!ms_path_valid(in))
        return false;
    ms_path tail = *in;
    /* Indices by callee variables: a plain argument names the same index in
     * the caller; anything else is unknown there. */
    for (uint8_t i = 0; i < tail.len; i++) {
        ms_step *s = &tail.steps[i];
        if (s->kind != MS_STEP_INDEX || s->index_sym == MS_NONE)
            continue;
        const ms_path *arg = argument_of(b, s->index_sym);
        if (arg)
            s->index_sym = ms_path_valid(arg) && arg->len == 0 ? arg->root : MS_NONE;
        else if (callee_local(b, s->index_sym))
            s->index_sym = MS_NONE;
    }
    const ms_path *arg = argument_of(b, in->root);
    if (arg) {
        if (!ms_path_valid(arg) || !ms_path_concat(arg, &tail, out))
            return false;
        ms_path_unalias(b->unit, out);
        return true;
    }
    if (callee_local(b, in->root))
        return false;
    *out = tail;
    return true;
}

static bool is_prefix(const ms_path *prefix, const ms_path *p) {
    if (!ms_path_valid(prefix) || prefix->root != p->root || prefix->len > p->len)
        return false;
    for (uint8_t i = 0; i < prefix->len; i++)
        if (!ms_step_same(&prefix->steps[i], &p->steps[i]))
            return false;
    return true;
}

bool ms_bind_in(const ms_binding *b, const ms_path *in, ms_path *out) {
    if (!ms_path_valid(in))
        return false;
    const ms_func *f = &b->unit->funcs[b->callee];
    for (uint32_t i = 0; i < b->nargs && i < f->nparams; i++) {
        if (!is_prefix(&b->args[i], in))
            continue;
        ms_path p = {.root = f->params[i]};
        for (uint8_t k = b->args[i].len; k < in->len; k++)
            p.steps[p.len++] = in->steps[k];
        *out = p;
        return true;
    }
    if (!ms_sym_visible(b->unit, in->root, b->callee))
        return false;
    *out = *in;
    return true;
}
