/* Iteration with Go's guarantees.
 *
 * An iteration walks the groups of the table that was current when it began,
 * from a random group and in a random rotation within each group. It pins
 * that table, so a rebuild caused by an insert during the iteration retires
 * the table instead of freeing it. While the walked table is still current,
 * slots are read directly: a deleted entry has lost its control byte and is
 * skipped. Once it has been replaced, the walk continues over the frozen old
 * slots, which fixes the order and the set of keys, and each key is looked up
 * in the live map: deleted keys are skipped, the value produced is the live
 * one, and keys inserted after the rebuild are not produced. Each key sits in
 * one slot of the walked table, so no entry is produced twice. */
#include <stdint.h>

#include "hash.h"
#include "hazard.h"
#include "probe.h"

static unsigned slots_per_group(const struct table *t) {
    return t->capacity < GROUP_WIDTH ? (unsigned)t->capacity : GROUP_WIDTH;
}

void refmap_iter_init(refmap_iter *it, refmap *m) {
    reader_check(m, MSG_ITERATION_AND_WRITE);
    struct table *t = m->table;
    it->map_ = m;
    it->table_ = t;
    it->clear_mark_ = m->clears;
    it->groups_loaded_ = 0;
    it->pending_ = 0;
    it->start_group_ = 0;
    it->order_ = 0;
    if (!t)
        return;
    atomic_fetch_add_explicit(&t->pins, 1, memory_order_relaxed);
    /* Per-iteration randomness without global state: the iterator's address
     * and the map's iteration count, mixed with the map's seed. */
    uint64_t count = atomic_fetch_add_explicit(&m->iterations, 1, memory_order_relaxed);
    uint64_t r = hash_u64((uint64_t)(uintptr_t)it ^ (count * HASH_K3), m->seed);
    it->start_group_ = (size_t)(r >> 32) & t->group_mask;
    it->order_ = (unsigned)r & (slots_per_group(t) - 1);
}

static void finish(refmap_iter *it, struct table *t) {
    atomic_fetch_sub_explicit(&t->pins, 1, memory_order_release);
    it->table_ = NULL;
}

/* Walk position k of a group is slot (k + order) mod width: rotates the
 * group's bits so that bit k stands for walk position k. */
static group_bits rotate_to_walk_order(group_bits bits, unsigned order, unsigned width) {
    group_bits all = ((group_bits)1 << width) - 1;
    return ((bits >> order) | (bits << (width - order))) & all;
}

/* The next slot of the walk that holds an entry, or NULL at the end. The
 * full slots of a group are noted when the walk reaches it; each is checked
 * again when its turn comes, since a delete may have emptied it. */
static unsigned char *next_full_slot(refmap_iter *it, const struct table *t, size_t slot_size) {
    unsigned width = slots_per_group(t);
    for (;;) {
        if (it->pending_) {
            size_t g = (it->start_group_ + it->groups_loaded_ - 1) & t->group_mask;
            unsigned k = lowest_bit_index(it->pending_);
            it->pending_ &= it->pending_ - 1;
            size_t index = g * GROUP_WIDTH + ((k + it->order_) & (width - 1));
            if (ctrl_is_full(t->ctrl[index]))
                return t->slots + index * slot_size;
            continue;
        }
        if (it->groups_loaded_ > t->group_mask)
            return NULL;
        size_t g = (it->start_group_ + it->groups_loaded_) & t->group_mask;
        it->groups_loaded_++;
        group_bits full = group_match_full(group_load(t->ctrl + g * GROUP_WIDTH)) & t->usable;
        it->pending_ = rotate_to_walk_order(full, it->order_, width);
    }
}

int refmap_iter_next(refmap_iter *it, void **key, void **val) {
    struct table *t = it->table_;
    if (!t)
        return 0;
    const struct refmap *m = it->map_;
    reader_check(m, MSG_ITERATION_AND_WRITE);
    if (it->clear_mark_ != m->clears) {
        /* refmap_clear deleted every entry and dropped all pins (it may have
         * freed t), so there is nothing left to produce or release. */
        it->table_ = NULL;
        return 0;
    }
    unsigned char *slot;
    while ((slot = next_full_slot(it, t, m->slot_size)) != NULL) {
        if (t != m->table && (slot = m->ops->find_slot(m, slot)) == NULL)
            continue;
        if (key)
            *key = slot;
        if (val)
            *val = slot + m->val_offset;
        return 1;
    }
    finish(it, t);
    return 0;
}

void refmap_iter_stop(refmap_iter *it) {
    struct table *t = it->table_;
    if (!t)
        return;
    if (it->clear_mark_ == it->map_->clears)
        finish(it, t);
    it->table_ = NULL;
}
