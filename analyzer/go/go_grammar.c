#include "go_internal.h"

#include <string.h>

const TSLanguage *tree_sitter_go(void);

static const struct {
    go_kind kind;
    const char *name;
} kind_names[] = {
#define GO_KIND(id, name) {id, name},
#include "go_kinds.def"
#undef GO_KIND
};

void go_grammar_init(go_grammar *g) {
    memset(g, 0, sizeof(*g));
    g->lang = tree_sitter_go();
    g->nsymbols = ts_language_symbol_count(g->lang);
    g->kinds = ms_xcalloc(g->nsymbols, 1);
    /* Map every symbol by name, so aliased nodes (field_identifier is an
     * alias of identifier in the grammar) get their visible kind. */
    for (uint32_t s = 0; s < g->nsymbols; s++) {
        const char *name = ts_language_symbol_name(g->lang, (TSSymbol)s);
        if (!name || ts_language_symbol_type(g->lang, (TSSymbol)s) != TSSymbolTypeRegular)
            continue;
        for (size_t k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]); k++) {
            if (strcmp(name, kind_names[k].name) == 0) {
                g->kinds[s] = (uint8_t)kind_names[k].kind;
                break;
            }
        }
    }
#define GO_FIELD(id)                                                                               \
    g->id = ts_language_field_id_for_name(g->lang, #id + 2, (uint32_t)strlen(#id + 2));
#include "go_fields.def"
#undef GO_FIELD
}

void go_grammar_free(go_grammar *g) {
    free(g->kinds);
    g->kinds = NULL;
}

void go_children_begin(go_children *it, const go_grammar *g, TSNode parent) {
    it->g = g;
    it->started = false;
    it->finished = ts_node_is_null(parent) || ts_node_child_count(parent) == 0;
    it->cursor = ts_tree_cursor_new(parent);
}

bool go_children_next(go_children *it, TSNode *out) {
    while (!it->finished) {
        bool moved = it->started ? ts_tree_cursor_goto_next_sibling(&it->cursor)
                                 : ts_tree_cursor_goto_first_child(&it->cursor);
        it->started = true;
        if (!moved) {
            it->finished = true;
            break;
        }
        TSNode n = ts_tree_cursor_current_node(&it->cursor);
        if (ts_node_is_named(n) && !ts_node_is_extra(n)) {
            *out = n;
            return true;
        }
    }
    return false;
}

void go_children_end(go_children *it) {
    ts_tree_cursor_delete(&it->cursor);
}

TSNode go_named(TSNode n, uint32_t index) {
    TSNode none = {0};
    if (ts_node_is_null(n))
        return none;
    if (index == 0) {
        TSNode first = ts_node_named_child(n, 0);
        if (ts_node_is_null(first) || !ts_node_is_extra(first))
            return first;
    }
    TSTreeCursor c = ts_tree_cursor_new(n);
    TSNode found = none;
    uint32_t seen = 0;
    for (bool ok = ts_tree_cursor_goto_first_child(&c); ok;
         ok = ts_tree_cursor_goto_next_sibling(&c)) {
        TSNode child = ts_tree_cursor_current_node(&c);
        if (!ts_node_is_named(child) || ts_node_is_extra(child))
            continue;
        if (seen++ == index) {
            found = child;
            break;
        }
    }
    ts_tree_cursor_delete(&c);
    return found;
}

uint32_t go_named_count(TSNode n) {
    if (ts_node_is_null(n))
        return 0;
    TSTreeCursor c = ts_tree_cursor_new(n);
    uint32_t count = 0;
    for (bool ok = ts_tree_cursor_goto_first_child(&c); ok;
         ok = ts_tree_cursor_goto_next_sibling(&c)) {
        TSNode child = ts_tree_cursor_current_node(&c);
        count += ts_node_is_named(child) && !ts_node_is_extra(child);
    }
    ts_tree_cursor_delete(&c);
    return count;
}

bool go_cursor_preorder_next(TSTreeCursor *c, bool descend) {
    if (descend && ts_tree_cursor_goto_first_child(c))
        return true;
    while (!ts_tree_cursor_goto_next_sibling(c))
        if (!ts_tree_cursor_goto_parent(c))
            return false;
    return true;
}
