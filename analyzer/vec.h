/* Growable arrays of any element type, on the heap:
 *     MS_VEC(int) v = {0};  MS_VEC_PUSH(&v, 3);  ... MS_VEC_FREE(&v);
 */
#ifndef MAPSAFE_VEC_H
#define MAPSAFE_VEC_H

#include "xalloc.h"

#define MS_VEC(T)                                                                                  \
    struct {                                                                                       \
        T *items;                                                                                  \
        size_t len, cap;                                                                           \
    }

#define MS_VEC_RESERVE(v, n)                                                                       \
    do {                                                                                           \
        if ((n) > (v)->cap) {                                                                      \
            size_t ms_cap_ = (v)->cap ? (v)->cap * 2 : 8;                                          \
            while (ms_cap_ < (n))                                                                  \
                ms_cap_ *= 2;                                                                      \
            (v)->items = ms_xrealloc((v)->items, ms_cap_ * sizeof(*(v)->items));                   \
            (v)->cap = ms_cap_;                                                                    \
        }                                                                                          \
    } while (0)

#define MS_VEC_PUSH(v, x)                                                                          \
    do {                                                                                           \
        MS_VEC_RESERVE((v), (v)->len + 1);                                                         \
        (v)->items[(v)->len++] = (x);                                                              \
    } while (0)

#define MS_VEC_FREE(v)                                                                             \
    do {                                                                                           \
        free((v)->items);                                                                          \
        (v)->items = NULL;                                                                         \
        (v)->len = (v)->cap = 0;                                                                   \
    } while (0)

#endif
