/* Replacing the current table by a rebuilt one, and the lifetime of replaced
 * tables.
 *
 * A rebuild never happens in place: an unfinished iteration keeps walking the
 * table it started on (Go does the same) and looks each key up in the live
 * map. So a replaced table that iterations have pinned is kept on the map's
 * retired list, and freed once no iteration pins it (checked at the next
 * rebuild, refmap_clear or refmap_free). */
#ifndef REFMAP_RESIZE_H
#define REFMAP_RESIZE_H

#include <stddef.h>

#include "map.h"

/* Moves every entry into a new table of the given capacity and makes it
 * current. The old table goes to *replaced (NULL if there was none); the
 * caller hands it to table_release once it no longer reads from it. Returns
 * nonzero, leaving the map unchanged, when memory runs out. */
int table_rebuild(struct refmap *m, size_t capacity, struct table **replaced);

/* Rebuilds so that one more key fits: a larger table, or the same size when
 * mostly tombstones fill it. Same contract as table_rebuild. */
int table_make_room(struct refmap *m, struct table **replaced);

/* Frees a replaced table, or retires it while iterations pin it. */
void table_release(struct refmap *m, struct table *replaced);

/* Frees every retired table, pinned or not (refmap_clear, refmap_free). */
void retired_free_all(struct refmap *m);

#endif
