/* Hashing of byte keys. The 4- and 8-byte cases are inline because they are
 * the common integer and pointer keys; everything else goes through
 * refmap_hash_bytes. */
#ifndef REFMAP_HASH_H
#define REFMAP_HASH_H

#include <stdint.h>
#include <string.h>

#define HASH_K0 0xd1a6e55e9b9b1325u
#define HASH_K1 0xd66bf9d7c55a45f9u
#define HASH_K2 0xcf0c26ef4243ed53u
#define HASH_K3 0xdd96cf7f265beda9u

/* Multiplies to 128 bits and folds the halves together: every input bit
 * reaches both the low bits (control byte) and the high bits (group). */
static inline uint64_t fold_multiply(uint64_t a, uint64_t b) {
#ifdef __SIZEOF_INT128__
    __extension__ typedef unsigned __int128 u128;
    u128 product = (u128)a * b;
    return (uint64_t)product ^ (uint64_t)(product >> 64);
#else
    uint64_t a_lo = (uint32_t)a, a_hi = a >> 32, b_lo = (uint32_t)b, b_hi = b >> 32;
    uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
    uint64_t cross = (lo_lo >> 32) + (uint32_t)hi_lo + lo_hi;
    uint64_t high = hi_hi + (hi_lo >> 32) + (cross >> 32);
    uint64_t low = (cross << 32) | (uint32_t)lo_lo;
    return high ^ low;
#endif
}

static inline uint64_t load_u64(const void *p) {
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint32_t load_u32(const void *p) {
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint64_t hash_u64(uint64_t key, uint64_t seed) {
    return fold_multiply(key ^ seed, HASH_K0);
}

static inline uint64_t hash_u32(uint32_t key, uint64_t seed) {
    return fold_multiply((uint64_t)key ^ seed, HASH_K1);
}

/* Spreads a hash the caller computed, which may be weak (identity, say). */
static inline uint64_t hash_strengthen(uint64_t user_hash, uint64_t seed) {
    return fold_multiply(user_hash ^ seed, HASH_K2);
}

#endif
