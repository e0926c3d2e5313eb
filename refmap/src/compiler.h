/* Portability shims for the few compiler features refmap relies on. */
#ifndef REFMAP_COMPILER_H
#define REFMAP_COMPILER_H

#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define REFMAP_ALWAYS_INLINE inline __attribute__((always_inline))
#define REFMAP_NOINLINE __attribute__((noinline))
#define REFMAP_LIKELY(x) __builtin_expect(!!(x), 1)
#define REFMAP_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define REFMAP_ALWAYS_INLINE inline
#define REFMAP_NOINLINE
#define REFMAP_LIKELY(x) (x)
#define REFMAP_UNLIKELY(x) (x)
#endif

/* Index of the lowest set bit; bits must be nonzero. */
static inline unsigned lowest_bit_index(uint32_t bits) {
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctz(bits);
#else
    unsigned n = 0;
    while (!(bits & 1u)) {
        bits >>= 1;
        n++;
    }
    return n;
#endif
}

#endif
