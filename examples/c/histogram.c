/* refmap, the reference C hash map that comes with mapsafe, and the
 * capacity hint it takes. */
#include "../../refmap/include/refmap.h"

#include <stddef.h>

/* The table is made with no hint (the 0), then filled with n keys: it grows
 * and rehashes on the way (MS301). */
refmap *index_ids(const int *ids, size_t n) {
    refmap *m = refmap_new(sizeof(int), sizeof(size_t), 0);
    for (size_t i = 0; i < n; i++)
        refmap_put(m, &ids[i], &i);
    return m;
}

/* Sized once, for the n keys it will hold. */
refmap *index_ids_hinted(const int *ids, size_t n) {
    refmap *m = refmap_new(sizeof(int), sizeof(size_t), n);
    for (size_t i = 0; i < n; i++)
        refmap_put(m, &ids[i], &i);
    return m;
}
