/* refmap: a C11 hash map with Go map semantics.
 *
 * Keys and values are fixed-size byte blobs stored inline in the table. Keys
 * are hashed and compared as bytes unless the map is made with refmap_new_with
 * and user functions (for string keys, for example).
 *
 * Semantics follow Go's map: iteration order is unspecified and changes from
 * one iteration to the next; deleting any key during iteration is allowed; an
 * entry inserted during iteration may or may not be produced. Two threads may
 * read or iterate one map at once, but a write must exclude every other access.
 * Concurrent misuse is detected on a best-effort basis and aborts, as in Go.
 *
 * Pointers returned by refmap_put, refmap_get and refmap_iter_next stay valid
 * until the next write (put, del, clear, reserve) to the map.
 */
#ifndef REFMAP_H
#define REFMAP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct refmap refmap;

/* Memory for the map and its tables. alloc must return memory aligned for
 * any object type (as malloc does), or NULL on failure; free receives the size
 * that was requested. */
struct refmap_allocator {
    void *(*alloc)(size_t size, void *ctx);
    void (*free)(void *ptr, size_t size, void *ctx);
    void *ctx;
};

/* Returns a 64-bit hash of the key that key points to. seed is per map. */
typedef uint64_t (*refmap_hash_fn)(const void *key, uint64_t seed, void *ctx);
/* Returns nonzero when the keys a and b are equal. */
typedef int (*refmap_equal_fn)(const void *a, const void *b, void *ctx);

/* Debug switches for refmap_options.debug. They can also be turned on with
 * the environment variable REFMAP_DEBUG (for example REFMAP_DEBUG=iter), read
 * when the map is made, or for every map by compiling refmap with
 * -DREFMAP_DEBUG_ITER_DEFAULT. */
enum {
    /* Abort with "refmap: map modified during iteration" when a new key is
     * inserted while an iteration of the map is unfinished. An iteration left
     * early counts as unfinished until refmap_iter_stop is called on it. */
    REFMAP_DEBUG_ITER = 1u << 0
};

struct refmap_options {
    refmap_hash_fn hash;                      /* NULL: hash the key bytes */
    refmap_equal_fn equal;                    /* NULL: compare the key bytes; set both or neither */
    void *fn_ctx;                             /* passed to hash and equal */
    const struct refmap_allocator *allocator; /* NULL: malloc and free; copied */
    unsigned debug;                           /* REFMAP_DEBUG_* bits */
};

/* Makes a map for keys of key_size bytes and values of val_size bytes, with
 * room for hint entries (0: allocate no table until the first insert). Returns
 * NULL when memory runs out or the sizes are unusable. */
refmap *refmap_new(size_t key_size, size_t val_size, size_t hint);
/* The same, with the choices of refmap_options; opts may be NULL. */
refmap *refmap_new_with(size_t key_size, size_t val_size, size_t hint,
                        const struct refmap_options *opts);
void refmap_free(refmap *m);

/* Inserts key or updates its value, and returns the value slot. val NULL
 * zeroes the value of a new entry and leaves an existing value unchanged.
 * Returns NULL when memory runs out; the map is then unchanged. */
void *refmap_put(refmap *m, const void *key, const void *val);
/* Returns the value slot of key, or NULL when key is absent. */
void *refmap_get(const refmap *m, const void *key);
/* Removes key. Returns 1 when it was present, 0 otherwise. */
int refmap_del(refmap *m, const void *key);
/* Removes every entry and keeps the table for reuse. */
void refmap_clear(refmap *m);
size_t refmap_len(const refmap *m);
/* Makes room for n entries in total, so that inserting up to n keys does not
 * grow the table. Returns 0 on success, nonzero when memory runs out (the map
 * is then unchanged). */
int refmap_reserve(refmap *m, size_t n);

/* An iteration in progress. Stack-allocate it; its fields are private. */
typedef struct refmap_iter {
    struct refmap *map_;
    void *table_;         /* table being walked; NULL once finished */
    uint64_t clear_mark_; /* map's clear count when the iteration began */
    size_t start_group_;
    size_t groups_loaded_;
    unsigned pending_; /* positions of the last loaded group still to visit */
    unsigned order_;
} refmap_iter;

/* Starts an iteration of m, in an order chosen at random for this iteration. */
void refmap_iter_init(refmap_iter *it, refmap *m);
/* Produces the next entry: stores pointers to its key and value in *key and
 * *val (either may be NULL) and returns 1, or returns 0 when done. */
int refmap_iter_next(refmap_iter *it, void **key, void **val);
/* Ends an iteration early. Optional, but it lets the map free a table that
 * was replaced during the iteration and ends the REFMAP_DEBUG_ITER check.
 * Calling it on a finished iteration does nothing. */
void refmap_iter_stop(refmap_iter *it);

struct refmap_stats {
    size_t entries;        /* live entries, as refmap_len */
    size_t capacity;       /* slots in the current table */
    size_t grows;          /* tables replaced by a larger one (first table excluded) */
    size_t rehashes;       /* same-size rebuilds that dropped deleted slots */
    size_t tombstones;     /* deleted slots not yet reclaimed */
    size_t retired_tables; /* replaced tables kept alive for iterations */
    size_t bytes;          /* memory held by the map and its tables */
};
#if defined(__cplusplus) && defined(__GNUC__)
/* In C++ the function's name hides the struct's; the names are fixed. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#endif
void refmap_stats(const refmap *m, struct refmap_stats *out);
#if defined(__cplusplus) && defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

/* The hash refmap uses for byte keys, for use in user hash functions. */
uint64_t refmap_hash_bytes(const void *data, size_t size, uint64_t seed);

#ifdef __cplusplus
}
#endif

#endif
