/* Control bytes and group matching.
 *
 * Every slot has a control byte: CTRL_EMPTY, CTRL_DELETED (a tombstone), or
 * the low 7 bits of the hash of the key it holds. Slots are grouped by
 * GROUP_WIDTH; a lookup compares a whole group of control bytes at once and
 * only touches slots whose byte matches. SSE2 does a group in three
 * instructions; other targets use a byte loop. */
#ifndef REFMAP_GROUP_H
#define REFMAP_GROUP_H

#include <stdint.h>

#if defined(__SSE2__) && !defined(REFMAP_PORTABLE_GROUP)
#define REFMAP_GROUP_SSE2 1
#include <emmintrin.h>
#endif

#define GROUP_WIDTH 16u
#define CTRL_EMPTY 0x80u
#define CTRL_DELETED 0xfeu

/* One bit per slot of a group, bit i for slot i. */
typedef uint32_t group_bits;

static inline int ctrl_is_full(unsigned char c) {
    return c < 0x80u;
}

static inline unsigned char ctrl_hash_bits(uint64_t hash) {
    return (unsigned char)(hash & 0x7fu);
}

#ifdef REFMAP_GROUP_SSE2

typedef __m128i group;

static inline group group_load(const unsigned char *ctrl) {
    return _mm_loadu_si128((const __m128i *)(const void *)ctrl);
}

static inline group_bits group_match(group g, unsigned char hash_bits) {
    return (group_bits)_mm_movemask_epi8(_mm_cmpeq_epi8(g, _mm_set1_epi8((char)hash_bits)));
}

static inline group_bits group_match_empty(group g) {
    return group_match(g, (unsigned char)CTRL_EMPTY);
}

/* Empty and deleted are the bytes with the top bit set. */
static inline group_bits group_match_free(group g) {
    return (group_bits)_mm_movemask_epi8(g);
}

static inline group_bits group_match_full(group g) {
    return ~group_match_free(g) & 0xffffu;
}

#else

typedef struct {
    unsigned char ctrl[GROUP_WIDTH];
} group;

static inline group group_load(const unsigned char *ctrl) {
    group g;
    for (unsigned i = 0; i < GROUP_WIDTH; i++)
        g.ctrl[i] = ctrl[i];
    return g;
}

static inline group_bits group_match(group g, unsigned char hash_bits) {
    group_bits bits = 0;
    for (unsigned i = 0; i < GROUP_WIDTH; i++)
        bits |= (group_bits)(g.ctrl[i] == hash_bits) << i;
    return bits;
}

static inline group_bits group_match_empty(group g) {
    return group_match(g, (unsigned char)CTRL_EMPTY);
}

static inline group_bits group_match_free(group g) {
    group_bits bits = 0;
    for (unsigned i = 0; i < GROUP_WIDTH; i++)
        bits |= (group_bits)(g.ctrl[i] >> 7) << i;
    return bits;
}

static inline group_bits group_match_full(group g) {
    return ~group_match_free(g) & 0xffffu;
}

#endif

#endif
