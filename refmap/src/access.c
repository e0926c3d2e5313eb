/* refmap_get, refmap_put and refmap_del: the hazard checks around the
 * per-key-kind operations. */
#include "hazard.h"
#include "key_ops.h"

void *refmap_get(const refmap *m, const void *key) {
    reader_check(m, MSG_READ_AND_WRITE);
    return m->ops->get(m, key);
}

void *refmap_put(refmap *m, const void *key, const void *val) {
    writer_begin(m);
    void *value = m->ops->put(m, key, val);
    writer_end(m);
    return value;
}

int refmap_del(refmap *m, const void *key) {
    writer_begin(m);
    int removed = m->ops->del(m, key);
    writer_end(m);
    return removed;
}
