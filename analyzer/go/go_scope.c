#include "go_internal.h"

#include <string.h>

/* ---- pointer-keyed table -------------------------------------------------- */

static uint64_t key_hash(const void *a, const void *b) {
    uint64_t h = (uint64_t)(uintptr_t)a * 0x9E3779B97F4A7C15ULL;
    h ^= (uint64_t)(uintptr_t)b * 0xC2B2AE3D27D4EB4FULL;
    return h ^ (h >> 29);
}

void go_table_init(go_name_table *t) {
    t->cap = 64;
    t->len = 0;
    t->slots = ms_xcalloc(t->cap, sizeof(go_name_slot));
}

void go_table_free(go_name_table *t) {
    free(t->slots);
    t->slots = NULL;
    t->cap = t->len = 0;
}

static go_name_slot *find_slot(go_name_slot *slots, size_t cap, const void *a, const void *b) {
    size_t j = key_hash(a, b) & (cap - 1);
    while (slots[j].key_a && (slots[j].key_a != a || slots[j].key_b != b))
        j = (j + 1) & (cap - 1);
    return &slots[j];
}

uint32_t go_table_get(const go_name_table *t, const void *a, const void *b) {
    if (!a || !t->slots)
        return 0;
    return find_slot(t->slots, t->cap, a, b)->value;
}

void go_table_put(go_name_table *t, const void *a, const void *b, uint32_t value) {
    if (!a)
        return;
    if ((t->len + 1) * 2 > t->cap) {
        size_t cap = t->cap * 2;
        go_name_slot *slots = ms_xcalloc(cap, sizeof(go_name_slot));
        for (size_t i = 0; i < t->cap; i++)
            if (t->slots[i].key_a)
                *find_slot(slots, cap, t->slots[i].key_a, t->slots[i].key_b) = t->slots[i];
        free(t->slots);
        t->slots = slots;
        t->cap = cap;
    }
    go_name_slot *s = find_slot(t->slots, t->cap, a, b);
    if (!s->key_a) {
        s->key_a = a;
        s->key_b = b;
        t->len++;
    }
    s->value = value;
}

/* ---- lexical scopes --------------------------------------------------------- */

void go_scope_init(go_scope *s) {
    memset(s, 0, sizeof(*s));
    go_table_init(&s->top);
}

void go_scope_free(go_scope *s) {
    MS_VEC_FREE(&s->bindings);
    MS_VEC_FREE(&s->marks);
    go_table_free(&s->top);
}

void go_scope_push(go_scope *s) {
    MS_VEC_PUSH(&s->marks, s->bindings.len);
}

void go_scope_pop(go_scope *s) {
    if (s->marks.len == 0)
        return;
    size_t mark = s->marks.items[--s->marks.len];
    while (s->bindings.len > mark) {
        go_binding *b = &s->bindings.items[--s->bindings.len];
        go_table_put(&s->top, b->name, NULL, b->prev);
    }
}

void go_scope_bind(go_scope *s, const char *name, uint32_t sym, const go_type *type_def) {
    go_binding b = {.name = name, .sym = sym, .type_def = type_def};
    b.prev = go_table_get(&s->top, name, NULL);
    MS_VEC_PUSH(&s->bindings, b);
    go_table_put(&s->top, name, NULL, (uint32_t)s->bindings.len);
}

const go_binding *go_scope_lookup(const go_scope *s, const char *name) {
    uint32_t i = go_table_get(&s->top, name, NULL);
    return i ? &s->bindings.items[i - 1] : NULL;
}

bool go_scope_is_current(const go_scope *s, const go_binding *b) {
    size_t mark = s->marks.len ? s->marks.items[s->marks.len - 1] : 0;
    return (size_t)(b - s->bindings.items) >= mark;
}
