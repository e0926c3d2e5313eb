#include "resize.h"

#include <stdint.h>
#include <string.h>

#include "hazard.h"

static void install(struct refmap *m, struct table *t) {
    m->table = t;
    m->ctrl = t->ctrl;
    m->slots = t->slots;
    m->group_mask = t->group_mask;
    m->growth_left = table_growth_limit(t->capacity) - m->len;
    m->tombstones = 0;
}

int table_rebuild(struct refmap *m, size_t capacity, struct table **replaced) {
    struct table *fresh = table_alloc(&m->allocator, capacity, m->slot_size);
    if (!fresh)
        return -1;
    struct table *old = m->table;
    if (old) {
        m->ops->move_entries(m, old, fresh);
        if (capacity > old->capacity)
            m->grows++;
        else
            m->rehashes++;
    }
    install(m, fresh);
    *replaced = old;
    return 0;
}

int table_make_room(struct refmap *m, struct table **replaced) {
    size_t capacity = SMALL_TABLE_CAPACITY;
    if (m->table) {
        capacity = m->table->capacity;
        /* Same size when tombstones fill at least a quarter of the limit:
         * the rebuild then frees a quarter of the table for new keys, which
         * keeps rebuilds amortised O(1) per insert. */
        size_t limit = table_growth_limit(capacity);
        if (m->len + 1 > limit - limit / 4) {
            if (capacity > SIZE_MAX / 2)
                return -1;
            capacity *= 2;
        }
    }
    return table_rebuild(m, capacity, replaced);
}

static int pinned(const struct table *t) {
    return atomic_load_explicit(&t->pins, memory_order_acquire) != 0;
}

static void retired_sweep(struct refmap *m) {
    struct table **link = &m->retired;
    while (*link) {
        struct table *t = *link;
        if (pinned(t)) {
            link = &t->next_retired;
        } else {
            *link = t->next_retired;
            table_free(&m->allocator, t);
        }
    }
}

void table_release(struct refmap *m, struct table *replaced) {
    retired_sweep(m);
    if (pinned(replaced)) {
        replaced->next_retired = m->retired;
        m->retired = replaced;
    } else {
        table_free(&m->allocator, replaced);
    }
}

void retired_free_all(struct refmap *m) {
    while (m->retired) {
        struct table *t = m->retired;
        m->retired = t->next_retired;
        table_free(&m->allocator, t);
    }
}

int refmap_reserve(refmap *m, size_t n) {
    writer_begin(m);
    int rc = 0;
    if (n > m->len && n - m->len > m->growth_left) {
        size_t capacity = table_capacity_for(n);
        if (capacity == 0) {
            rc = -1;
        } else {
            /* Never shrink: a smaller capacity only means tombstones fill
             * the current table, and a same-size rebuild drops them. */
            if (m->table && capacity < m->table->capacity)
                capacity = m->table->capacity;
            struct table *replaced = NULL;
            rc = table_rebuild(m, capacity, &replaced);
            if (replaced)
                table_release(m, replaced);
        }
    }
    writer_end(m);
    return rc;
}
