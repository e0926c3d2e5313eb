/* The language-neutral program representation that every rule reads.
 *
 * A frontend (Go through tree-sitter, C and C++ through libclang) lowers one
 * analysis unit (a Go package, a C/C++ translation unit) into:
 *   - symbols: variables, parameters and globals, with a coarse type class;
 *   - functions: each a structured tree of nodes in source order;
 *   - nodes: control structure (blocks, branches, loops, exits) and the events
 *     the rules care about (map operations, calls, spawns, locks, joins).
 *
 * Frontends resolve language facts (which expression is a map, which local is
 * an alias of which map, which call is a lock); rules do the hazard reasoning
 * on top (cfg.h for paths, summary.h for calls). Everything is allocated in
 * the unit's arena.
 */
#ifndef MAPSAFE_IR_H
#define MAPSAFE_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Concurrency conventions (what the MS201/MS202 analysis relies on):
 *   - SPAWN: `entry` runs on a new thread or goroutine; args[i] binds to
 *     entry's params[i] (a method value's receiver first; pthread_create's
 *     data argument binds to the start routine's param 0). Captured
 *     variables are the enclosing function's own symbols. A spawn whose
 *     node can reach itself in the spawner's CFG without passing a join of
 *     it is "started in a loop": several copies run at once.
 *     MS_SPAWN_HANDLER entries always run concurrently with themselves (and
 *     their arguments are evaluated once, at registration).
 *   - Per-iteration variables: a variable declared inside a loop's span, or
 *     assigned (ASSIGN) inside it, is a new variable in each iteration (Go
 *     1.22 loop variables, C block-scoped declarations), so a map reached
 *     through it is a different map for each copy of a spawn in that loop.
 *     An MS_STEP_INDEX by such a variable (or by the entry's param bound to
 *     it) names a per-thread element; an index by an unknown expression
 *     names an element the analysis cannot compare.
 *   - LOCK: `lock` names the mutex by path; two different paths are two
 *     mutexes. A deferred release holds the lock to the function's end. A
 *     `scoped` (RAII) acquire is released when control leaves the innermost
 *     BLOCK node containing the LOCK node, so frontends put the guard in the
 *     block of the statement list that declares it. A release ends the lock
 *     whatever its mode.
 *   - JOIN/SIGNAL: a JOIN_CHANNEL (and a loop over a channel) waits for a
 *     spawned thread only if that thread SIGNALs the same channel; a
 *     JOIN_WAITGROUP waits for everything; a JOIN_THREAD waits for the spawn
 *     whose `handle` it names. Frontends emit no JOIN for a deferred wait
 *     (Go's defer wg.Wait()): it waits after everything else.
 *   - Writes: besides MAP_OP writes, rebinding a map-typed variable (ASSIGN)
 *     or a field or element that holds a map (MAP_MAKE to a path with steps)
 *     replaces the map other threads use.
 *   - Identity across functions: symbols are unit-wide, so captured
 *     variables compare by symbol; fields reached through MS_SYM_RECEIVER
 *     symbols with the same `type_name` are the same fields for threads
 *     started on different methods of that type.
 *   - MS_FUNCF_CALLER_LOCKED: callers hold the lock guarding what the
 *     function touches, although the analysis cannot name it.
 */

#define MS_NONE 0u /* invalid symbol or function id; real ids start at 1 */

/* A byte range in one of the unit's files. */
typedef struct ms_span {
    uint32_t file, start, end;
} ms_span;

/* What a frontend knows about a value's type, as far as rules need it. */
typedef enum ms_type_class {
    MS_TC_UNKNOWN = 0,
    MS_TC_MAP,            /* a map the rules check */
    MS_TC_LOCK,           /* exclusive lock */
    MS_TC_RWLOCK,         /* reader/writer lock */
    MS_TC_CONCURRENT_MAP, /* safe for concurrent use (sync.Map) */
    MS_TC_ATOMIC,
    MS_TC_WAITGROUP,
    MS_TC_CHANNEL,
    MS_TC_OTHER,
} ms_type_class;

/* Iteration semantics of a map type, from its model: which mutations
 * during iteration are hazards. */
typedef enum ms_iter_semantics {
    MS_ITER_GO = 0,    /* inserting a new key is the hazard; deletes are fine */
    MS_ITER_ORDERED,   /* std::map: erasing the current element invalidates */
    MS_ITER_UNORDERED, /* std::unordered_map: erase current, or any insert (rehash) */
    MS_ITER_STRICT,    /* GHashTable: any add/remove/replace invalidates */
} ms_iter_semantics;

/* An access path: a root symbol followed by field selections and indexing,
 * for example s.items or shards[i].m. Paths are small values compared with
 * ms_path_equal; frontends substitute local aliases before building them. */
typedef enum ms_step_kind { MS_STEP_FIELD = 1, MS_STEP_INDEX, MS_STEP_DEREF } ms_step_kind;

typedef struct ms_step {
    uint8_t kind;
    /* MS_STEP_FIELD: interned name. MS_STEP_INDEX: interned text of a
     * constant index (m["a"], shards[0]), NULL otherwise; two equal texts
     * name the same element. */
    const char *field;
    uint32_t index_sym; /* MS_STEP_INDEX: symbol used as index, MS_NONE if not a plain variable */
} ms_step;

#define MS_PATH_MAX 4

typedef struct ms_path {
    uint32_t root; /* symbol id; MS_NONE: not a trackable path */
    uint8_t len;
    ms_step steps[MS_PATH_MAX];
} ms_path;

bool ms_path_valid(const ms_path *p);
/* Whether a step indexes (shards[i]): the path names one of several elements. */
bool ms_path_has_index(const ms_path *p);
bool ms_path_equal(const ms_path *a, const ms_path *b);
/* True when the two steps name the same field or element: equal field names,
 * or indices by the same variable or the same constant. */
bool ms_step_same(const ms_step *a, const ms_step *b);
/* Paths that name the same object, by ms_step_same (ms_path_equal leaves
 * constant indices apart). */
bool ms_path_same(const ms_path *a, const ms_path *b);
/* Paths written the same, step by step, unknown indices included (paths
 * are compared field by field: their padding is not initialised). */
bool ms_path_identical(const ms_path *a, const ms_path *b);
/* Appends the steps of tail (its root is ignored) to base; false when the
 * result is too long. */
bool ms_path_concat(const ms_path *base, const ms_path *tail, ms_path *out);

typedef enum ms_sym_kind {
    MS_SYM_LOCAL = 1,
    MS_SYM_PARAM,
    MS_SYM_RECEIVER,
    MS_SYM_GLOBAL,
} ms_sym_kind;

enum {
    MS_SYMF_REASSIGNED = 1u << 0, /* assigned again after its declaration */
    MS_SYMF_ADDRESS_TAKEN = 1u << 1,
};

typedef struct ms_sym {
    const char *name;
    uint8_t kind;
    uint8_t type_class;
    uint8_t semantics;     /* ms_iter_semantics, for maps */
    int16_t param_index;   /* index in the owning function's params, or -1 */
    uint32_t func;         /* owning function, MS_NONE for globals */
    const char *type_name; /* named type, without pointers, or NULL */
    uint32_t flags;
    ms_span decl;
} ms_sym;

enum {
    MS_FUNCF_METHOD = 1u << 0,
    MS_FUNCF_CLOSURE = 1u << 1,
    /* By the language's naming convention the caller holds the lock that
     * guards what this function touches (Go: fooLocked). */
    MS_FUNCF_CALLER_LOCKED = 1u << 2,
};

typedef struct ms_node ms_node;

typedef struct ms_func {
    const char *name;      /* declared name; closures get "func1", "func2", ... */
    const char *display;   /* qualified for messages and fingerprints: "(*Cache).Put" */
    const char *recv_type; /* receiver's named type for methods, else NULL */
    uint32_t parent;       /* enclosing function for closures */
    uint32_t *params;      /* symbol ids; the receiver first for methods */
    uint32_t nparams;
    ms_node *body; /* NULL when only declared */
    ms_span span, name_span;
    uint32_t flags;
    uint32_t first_node_id, last_node_id; /* node ids of the body, preorder */
} ms_func;

typedef enum ms_node_kind {
    MS_NODE_BLOCK = 1,
    MS_NODE_BRANCH, /* if/else, switch, select: one arm runs */
    MS_NODE_LOOP,
    MS_NODE_LABEL,    /* goto target */
    MS_NODE_EXIT,     /* break, continue, return, panic, goto, fallthrough */
    MS_NODE_MAP_OP,   /* an operation on a map */
    MS_NODE_MAP_MAKE, /* a map is created and bound to a path */
    MS_NODE_CALL,     /* a call of a function of this unit, or one with known effects;
                       * also an unresolved call (callee MS_NONE) that is given a map
                       * or its address: the map escapes to code nobody analysed;
                       * and a deferred call nothing else stands for (Go: defer
                       * unlock() of a function value), whose lock effects are
                       * unknown */
    MS_NODE_SPAWN,    /* a goroutine or thread starts running a function */
    MS_NODE_LOCK,     /* acquire or release */
    MS_NODE_JOIN,     /* waits for spawned work: wg.Wait, <-done, pthread_join */
    MS_NODE_ASSIGN,   /* a variable is rebound to another value */
    MS_NODE_SIGNAL,   /* tells a waiting thread it may go on: ch <- v, close(ch) */
} ms_node_kind;

typedef enum ms_map_op {
    MS_OP_READ = 1,
    MS_OP_INSERT,      /* may create a key: m[k] = v, m[k]++, insert/emplace/operator[] */
    MS_OP_ERASE,       /* one key, or the element an iterator points at */
    MS_OP_ERASE_RANGE, /* erase(first, last) */
    MS_OP_CLEAR,
    MS_OP_REHASH,      /* reserve, rehash */
    MS_OP_REPLACE,     /* the whole container is assigned or swapped */
    MS_OP_ITER_MUTATE, /* mutation through the loop's own iterator, which stays valid */
} ms_map_op;

typedef enum ms_key_kind {
    MS_KEY_NONE = 0, /* no key (clear, whole-map operations) */
    MS_KEY_SYM,      /* a plain variable: key_sym */
    MS_KEY_ITER,     /* the element iterator variable key_sym points at (it, it->first) */
    MS_KEY_OTHER,    /* any other expression */
} ms_key_kind;

enum {
    MS_MAPOPF_RESULT_TO_ITER = 1u << 0, /* it = m.erase(it): the iterator is refreshed */
    MS_MAPOPF_ITER_POSTINC = 1u << 1,   /* m.erase(it++): advanced before the erase */
    /* An insert that reads the entry it writes (m[k] += v, m[k]++, ++m[k]):
     * code written so that keys repeat (counting, grouping). */
    MS_MAPOPF_UPDATE = 1u << 2,
    /* The key takes few values however often it is evaluated: a constant,
     * or an expression folded by %, &, / or >> (m[i%n]). */
    MS_MAPOPF_FEW_KEYS = 1u << 3,
    /* Inserts any number of keys at once (maps.Copy, insert(first, last)). */
    MS_MAPOPF_BULK = 1u << 4,
    /* Stores a constant (m[k] = true, m[k] = struct{}{}): the map is a set.
     * Filled with keys computed from elements, it collects distinct values,
     * which may be far fewer than the elements. */
    MS_MAPOPF_CONST_VALUE = 1u << 5,
};

typedef enum ms_loop_kind {
    MS_LOOP_RANGE = 1, /* iterates a value: see range_kind */
    MS_LOOP_COUNTED,   /* for i := a; i < n; i++ with an unmodified counter */
    MS_LOOP_WHILE,     /* any other loop */
} ms_loop_kind;

typedef enum ms_range_kind {
    MS_RANGE_NONE = 0,
    MS_RANGE_MAP,   /* live iteration over the map `map` */
    MS_RANGE_SLICE, /* slices, arrays, strings and copies of keys */
    MS_RANGE_INT,
    MS_RANGE_CHAN,
    MS_RANGE_FUNC,
    MS_RANGE_UNKNOWN,
} ms_range_kind;

/* A loop's trip count, known before the loop starts: for capacity hints.
 *
 * trip_text spells the count in the source language, safe to evaluate again
 * anywhere the variables in trip_syms are in scope and unchanged: "len(xs)",
 * "n", "xs.size()", "64". trip_syms lists those variables (roots of paths and
 * index variables, MS_NONE-terminated). A counted loop's bound is evaluated on
 * every iteration, so rules check that the body does not assign trip_syms. */
typedef enum ms_trip_kind {
    MS_TRIP_UNKNOWN = 0,
    MS_TRIP_EXPR,  /* trip_text is an expression for the trip count */
    MS_TRIP_CONST, /* trip_const, a compile-time constant; trip_text names it */
} ms_trip_kind;

#define MS_TRIP_SYMS_MAX 4

/* How a capacity hint is given to a new map (MS301's fix).
 *   MS_MAKE_FIX_HINT: in the creation itself. Replace fix_span with
 *     fix_prefix + hint + fix_suffix. Go make(map[K]V): an empty span after
 *     the type, prefix ", "; Go map[K]V{}: the literal, "make(map[K]V, " and
 *     ")"; C refmap_new(.., 0): the 0, empty prefix and suffix. The hint
 *     must then be computable where the map is created.
 *   MS_MAKE_FIX_RESERVE: a statement inserted right after the creation
 *     statement (stmt): reserve_prefix + hint + reserve_suffix, as in C++
 *     "m.reserve(" and ");". The hint must be computable there. The
 *     frontend leaves reserve_prefix NULL when no statement can follow the
 *     creation (a for or if init, a macro): the finding then has no fix.
 *   MS_MAKE_FIX_NONE: the map type has no capacity API (GLib, uthash):
 *     never suggest one. */
typedef enum ms_make_fix {
    MS_MAKE_FIX_NONE = 0,
    MS_MAKE_FIX_HINT,
    MS_MAKE_FIX_RESERVE,
} ms_make_fix;

typedef enum ms_exit_kind {
    MS_EXIT_BREAK = 1,
    MS_EXIT_CONTINUE,
    MS_EXIT_RETURN,
    MS_EXIT_PANIC, /* panic, os.Exit, log.Fatal, abort: control never returns */
    MS_EXIT_GOTO,
    MS_EXIT_FALLTHROUGH,
} ms_exit_kind;

typedef enum ms_spawn_kind {
    MS_SPAWN_GO = 1,  /* go statement */
    MS_SPAWN_TASK,    /* errgroup.Go, WaitGroup.Go */
    MS_SPAWN_HANDLER, /* net/http handler: runs concurrently with itself */
    MS_SPAWN_THREAD,  /* pthread_create, std::thread, ... */
} ms_spawn_kind;

typedef enum ms_lock_action { MS_LOCK_ACQUIRE = 1, MS_LOCK_RELEASE } ms_lock_action;
typedef enum ms_lock_mode { MS_LOCK_EXCLUSIVE = 1, MS_LOCK_SHARED } ms_lock_mode;

typedef enum ms_join_kind {
    MS_JOIN_WAITGROUP = 1, /* wg.Wait(), g.Wait() */
    MS_JOIN_CHANNEL,       /* <-ch */
    MS_JOIN_THREAD,        /* pthread_join, t.join() */
} ms_join_kind;

typedef enum ms_signal_kind {
    MS_SIGNAL_SEND = 1, /* ch <- v: a receive of ch waits for it */
    MS_SIGNAL_CLOSE,    /* close(ch): every receive of ch waits for it */
} ms_signal_kind;

enum {
    MS_CALLF_DEFERRED = 1u << 0, /* runs when the function returns */
};

struct ms_node {
    uint8_t kind;
    uint32_t id; /* preorder number within the unit; a subtree is [id, last_id] */
    uint32_t last_id;
    ms_span span; /* the operation itself */
    ms_span stmt; /* the enclosing statement: where a user would change code */
    union {
        struct {
            ms_node **items;
            uint32_t len;
        } block;
        struct {
            ms_node **arms; /* each a block */
            uint32_t narms;
            bool exhaustive; /* some arm always runs (else/default, or select) */
            bool breakable;  /* break inside leaves the branch (switch, select) */
            const char *label;
        } branch;
        struct {
            uint8_t loop_kind;
            uint8_t range_kind;
            uint8_t semantics; /* ms_iter_semantics of the ranged map */
            bool infinite;     /* no condition: only exits leave it */
            /* The body is a callback an API runs for each entry
             * (g_hash_table_foreach(T, cb, data)): a hazard found in a call
             * from it is reported where the callback mutates the map. */
            bool callback;
            ms_path map;     /* the live map iterated, when range_kind is MS_RANGE_MAP */
            ms_path channel; /* the channel received from, when range_kind is MS_RANGE_CHAN */
            uint32_t key_sym, val_sym, iter_sym;
            const char *label;
            ms_node *body;
            ms_node *post; /* runs before each next iteration; may be NULL */
            ms_span header;
            uint8_t trip; /* ms_trip_kind */
            const char *trip_text;
            int64_t trip_const;
            uint32_t trip_syms[MS_TRIP_SYMS_MAX]; /* variables trip_text reads */
        } loop;
        struct {
            const char *name;
        } label;
        struct {
            uint8_t exit_kind;
            const char *label;
            ms_node *target; /* loop or branch for break/continue, label for goto */
        } exit;
        struct {
            uint8_t op;
            uint8_t key_kind;
            uint8_t semantics;
            uint8_t flags;
            uint32_t key_sym;
            ms_path map;
        } map_op;
        struct {
            ms_path dest;
            bool has_hint; /* a size hint or initial entries already */
            uint8_t semantics;
            /* The fix: replace fix_span with fix_prefix + hint + fix_suffix. */
            ms_span fix_span;
            const char *fix_prefix, *fix_suffix;
            uint8_t fix_kind; /* ms_make_fix */
            /* Entries the new map holds before it first grows (the model's
             * initial_capacity; Go: 8): counts up to it need no hint. */
            uint32_t initial_capacity;
            const char *reserve_prefix, *reserve_suffix; /* MS_MAKE_FIX_RESERVE */
        } make;
        struct {
            uint32_t callee; /* function id in this unit, MS_NONE when unresolved */
            const char *name;
            ms_path *args; /* the receiver first for methods; invalid paths for other args */
            uint32_t nargs;
            uint32_t flags;
        } call;
        struct {
            uint8_t spawn_kind;
            uint32_t entry; /* function id */
            ms_path *args;  /* bound to entry's params */
            uint32_t nargs;
            /* What a later JOIN names to wait for this spawn: the thread
             * handle (pthread_t, std::thread) or the group (WaitGroup.Go,
             * errgroup.Go); invalid when there is none. */
            ms_path handle;
        } spawn;
        struct {
            uint8_t action;
            uint8_t mode;
            bool deferred; /* released when the function returns */
            bool scoped;   /* RAII: released at the end of the enclosing block */
            ms_path lock;
        } lock;
        struct {
            uint8_t join_kind;
            ms_path obj;
        } join;
        struct {
            uint8_t signal_kind;
            ms_path obj; /* the channel */
        } signal;
        struct {
            uint32_t sym;
        } assign;
    } u;
};

/* One source file of the unit; the text stays owned by the driver. */
struct ms_source;

/* A field of a local struct that holds a map or lock known by another path
 * (C: struct worker a = {orders, 0}; a.orders is orders). Paths bound across
 * calls and spawns are rewritten through these, so two threads given two
 * such structs are seen to share the map. Frontends record one only while
 * neither side is assigned again. */
typedef struct ms_field_alias {
    ms_path from, to;
} ms_field_alias;

typedef struct ms_unit {
    struct ms_source **files;
    uint32_t nfiles;
    ms_sym *syms; /* index 0 unused */
    uint32_t nsyms;
    ms_func *funcs; /* index 0 unused */
    uint32_t nfuncs;
    uint32_t nnodes;
    const char *name; /* package import path or file name, for messages */
    const ms_field_alias *field_aliases;
    uint32_t nfield_aliases;
} ms_unit;

static inline const ms_sym *ms_unit_sym(const ms_unit *u, uint32_t id) {
    return id && id < u->nsyms ? &u->syms[id] : NULL;
}

static inline bool ms_node_contains(const ms_node *outer, const ms_node *inner) {
    return inner->id >= outer->id && inner->id <= outer->last_id;
}

/* Calls visit on every node of the tree under n, in preorder, including n.
 * The walk stops descending where visit returns false. */
typedef bool (*ms_node_visit)(const ms_node *n, void *ctx);
void ms_node_walk(const ms_node *n, ms_node_visit visit, void *ctx);

/* Whether two paths may name the same object or one inside the other: the
 * same root and the same fields as far as both go (any two index steps may
 * be the same element). */
bool ms_path_overlap(const ms_path *a, const ms_path *b);

/* Rewrites p through the unit's field aliases: a.orders.x becomes orders.x. */
void ms_path_unalias(const ms_unit *u, ms_path *p);

/* Renders a path for messages: "s.items", "shards[i].m". */
const char *ms_path_render(const ms_unit *u, const ms_path *p, char *buf, size_t cap);

#endif
