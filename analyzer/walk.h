/* Finding the files to analyse: explicit files always, directories walked
 * recursively with the skips of interface.md. */
#ifndef MAPSAFE_WALK_H
#define MAPSAFE_WALK_H

#include "report.h"
#include "source.h"
#include "vec.h"

typedef struct ms_input_file {
    char *fs_path; /* as opened */
    char *display; /* relative to the working directory when inside it */
    ms_lang lang;
} ms_input_file;

typedef MS_VEC(ms_input_file) ms_input_list;

/* Directories the walk leaves out whole (the configuration's exclude
 * list), so an excluded tree costs no reading at all. */
typedef struct ms_walk_prune {
    bool (*excluded)(const char *display, const void *ctx);
    const void *ctx;
    size_t pruned; /* out: how many directories were left out */
} ms_walk_prune;

/* Appends the files under `paths`, sorted by directory then name, without
 * duplicates. Unreadable paths are notifications; returns how many of the
 * given paths could not be read at all. `prune` may be NULL. */
size_t ms_walk(char *const *paths, size_t npaths, ms_input_list *out, ms_report *report,
               ms_walk_prune *prune);
void ms_input_list_free(ms_input_list *list);

/* True when a directory of this name is skipped while walking. */
bool ms_walk_skips_dir(const char *name);
/* The display form of a path: relative to cwd when inside it, "./" removed. */
char *ms_display_path(const char *path, const char *cwd);

#endif
