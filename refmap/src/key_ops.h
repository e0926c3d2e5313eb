/* The operations whose inner loops depend on how keys are hashed and
 * compared. They are instantiated once per key kind, each with its own
 * inlined probe loop, and a map calls them through the table picked when it
 * was made. */
#ifndef REFMAP_KEY_OPS_H
#define REFMAP_KEY_OPS_H

struct refmap;
struct table;

enum key_kind { KEY_BYTES, KEY_U32, KEY_U64, KEY_CUSTOM };

struct key_ops {
    /* The value slot of key, or NULL. */
    void *(*get)(const struct refmap *m, const void *key);
    /* refmap_put without the hazard checks. */
    void *(*put)(struct refmap *m, const void *key, const void *val);
    /* refmap_del without the hazard checks. */
    int (*del)(struct refmap *m, const void *key);
    /* The slot (key first) of key, or NULL. */
    unsigned char *(*find_slot)(const struct refmap *m, const void *key);
    /* Places every entry of `from` in the empty table `to`. */
    void (*move_entries)(const struct refmap *m, const struct table *from, struct table *to);
};

const struct key_ops *key_ops_for(enum key_kind kind);

#endif
