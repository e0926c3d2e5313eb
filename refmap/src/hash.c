/* refmap_hash_bytes: a multiply-fold hash over 8-byte words. */
#include "hash.h"

#include "refmap.h"

/* Combines two words; the first multiply keeps a zero word from erasing the
 * other one. */
static uint64_t combine(uint64_t state, uint64_t a, uint64_t b) {
    return fold_multiply(fold_multiply(a ^ state, HASH_K1) ^ b, HASH_K2);
}

uint64_t refmap_hash_bytes(const void *data, size_t size, uint64_t seed) {
    const unsigned char *p = data;
    uint64_t state = seed ^ fold_multiply((uint64_t)size, HASH_K0);
    uint64_t a, b;
    if (size <= 16) {
        if (size >= 8) {
            a = load_u64(p);
            b = load_u64(p + size - 8);
        } else if (size >= 4) {
            a = load_u32(p);
            b = load_u32(p + size - 4);
        } else if (size > 0) {
            a = ((uint64_t)p[0] << 16) | ((uint64_t)p[size / 2] << 8) | p[size - 1];
            b = 0;
        } else {
            a = b = 0;
        }
    } else {
        /* Whole 16-byte blocks, then the last 16 bytes (which may overlap). */
        size_t left = size;
        while (left > 16) {
            state = combine(state, load_u64(p), load_u64(p + 8));
            p += 16;
            left -= 16;
        }
        a = load_u64(p + left - 16);
        b = load_u64(p + left - 8);
    }
    return combine(state, a, b);
}
