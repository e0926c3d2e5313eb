#include "walk.h"

#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool ms_walk_skips_dir(const char *name) {
    /* CMakeFiles holds CMake's compiler probes, never project code; an
     * in-tree build directory would otherwise add their compile errors. */
    return name[0] == '.' || name[0] == '_' || strcmp(name, "vendor") == 0 ||
           strcmp(name, "testdata") == 0 || strcmp(name, "node_modules") == 0 ||
           strcmp(name, "CMakeFiles") == 0;
}

/* Removes "./" segments and duplicate slashes, and a trailing slash. */
static char *normalize(const char *path) {
    size_t n = strlen(path);
    char *out = ms_xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (path[i] == '/' && k > 0 && out[k - 1] == '/') {
            i++;
            continue;
        }
        bool seg_start = k == 0 || out[k - 1] == '/';
        if (seg_start && path[i] == '.' && (path[i + 1] == '/' || path[i + 1] == '\0') &&
            !(k == 0 && path[i + 1] == '\0')) {
            i += path[i + 1] == '/' ? 2 : 1;
            continue;
        }
        out[k++] = path[i++];
    }
    while (k > 1 && out[k - 1] == '/')
        k--;
    if (k == 0)
        out[k++] = '.';
    out[k] = '\0';
    return out;
}

char *ms_display_path(const char *path, const char *cwd) {
    char *norm = normalize(path);
    size_t clen = cwd ? strlen(cwd) : 0;
    if (norm[0] == '/' && clen > 0 && strncmp(norm, cwd, clen) == 0 &&
        (norm[clen] == '/' || norm[clen] == '\0')) {
        const char *rest = norm[clen] == '/' ? norm + clen + 1 : ".";
        char *rel = ms_xstrdup(*rest ? rest : ".");
        free(norm);
        return rel;
    }
    return norm;
}

static char *join(const char *dir, const char *name) {
    if (strcmp(dir, ".") == 0)
        return ms_xstrdup(name);
    size_t n = strlen(dir);
    return ms_xasprintf("%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

static void add_file(ms_input_list *out, const char *fs_path, const char *display, ms_lang lang) {
    ms_input_file f = {
        .fs_path = ms_xstrdup(fs_path), .display = ms_xstrdup(display), .lang = lang};
    MS_VEC_PUSH(out, f);
}

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool pruned(ms_walk_prune *prune, const char *display) {
    if (!prune || !prune->excluded || !prune->excluded(display, prune->ctx))
        return false;
    prune->pruned++;
    return true;
}

static void walk_dir(const char *fs_dir, const char *display_dir, ms_input_list *out,
                     ms_report *report, ms_walk_prune *prune, int depth) {
    if (depth > 256) {
        ms_report_notify(report, MS_LEVEL_WARNING, "walk-too-deep", display_dir, 0, 0,
                         "directory nesting deeper than 256 levels; not walked further");
        return;
    }
    DIR *d = opendir(fs_dir);
    if (!d) {
        ms_report_notify(report, MS_LEVEL_WARNING, "unreadable-directory", display_dir, 0, 0,
                         "cannot read directory: %s", strerror(errno));
        return;
    }
    MS_VEC(char *) names = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        MS_VEC_PUSH(&names, ms_xstrdup(e->d_name));
    }
    closedir(d);
    if (names.len > 1)
        qsort(names.items, names.len, sizeof(char *), cmp_names);
    for (size_t i = 0; i < names.len; i++) {
        const char *name = names.items[i];
        char *fs = join(fs_dir, name);
        char *disp = join(display_dir, name);
        struct stat st;
        if (lstat(fs, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                if (!ms_walk_skips_dir(name) && !pruned(prune, disp))
                    walk_dir(fs, disp, out, report, prune, depth + 1);
            } else {
                ms_lang lang;
                /* Symlinked files are followed; symlinked directories are not,
                 * so a link cycle cannot trap the walk. */
                bool regular = S_ISREG(st.st_mode) ||
                               (S_ISLNK(st.st_mode) && stat(fs, &st) == 0 && S_ISREG(st.st_mode));
                if (regular && ms_lang_for_path(name, &lang))
                    add_file(out, fs, disp, lang);
            }
        }
        free(fs);
        free(disp);
    }
    for (size_t i = 0; i < names.len; i++)
        free(names.items[i]);
    MS_VEC_FREE(&names);
}

/* Sort key: directory first, then file name, so a directory's files are
 * contiguous (the Go frontend takes a directory at a time). */
static int cmp_inputs(const void *pa, const void *pb) {
    const ms_input_file *a = pa, *b = pb;
    const char *sa = strrchr(a->display, '/'), *sb = strrchr(b->display, '/');
    size_t da = sa ? (size_t)(sa - a->display) : 0, db = sb ? (size_t)(sb - b->display) : 0;
    size_t common = da < db ? da : db;
    int c = strncmp(a->display, b->display, common);
    if (c)
        return c;
    if (da != db)
        return da < db ? -1 : 1;
    return strcmp(a->display, b->display);
}

size_t ms_walk(char *const *paths, size_t npaths, ms_input_list *out, ms_report *report,
               ms_walk_prune *prune) {
    char cwd[PATH_MAX];
    const char *cwdp = getcwd(cwd, sizeof(cwd)) ? cwd : NULL;
    size_t failures = 0;
    for (size_t i = 0; i < npaths; i++) {
        /* Go's "./..." means the tree below: that is what a directory is. */
        char *path = ms_xstrdup(paths[i]);
        size_t len = strlen(path);
        if (strcmp(path, "...") == 0)
            strcpy(path, ".");
        else if (len > 4 && strcmp(path + len - 4, "/...") == 0)
            path[len - 4] = '\0';
        char *display = ms_display_path(path, cwdp);
        struct stat st;
        if (stat(path, &st) != 0) {
            ms_report_notify(report, MS_LEVEL_ERROR, "unreadable-path", display, 0, 0,
                             "cannot read: %s", strerror(errno));
            failures++;
        } else if (S_ISDIR(st.st_mode)) {
            if (!pruned(prune, display))
                walk_dir(path, display, out, report, prune, 0);
        } else {
            ms_lang lang;
            if (ms_lang_for_path(path, &lang)) {
                add_file(out, path, display, lang);
            } else {
                ms_report_notify(report, MS_LEVEL_WARNING, "unsupported-file", display, 0, 0,
                                 "not a Go, C or C++ file (by its extension); not analysed");
            }
        }
        free(display);
        free(path);
    }
    if (out->len > 1)
        qsort(out->items, out->len, sizeof(ms_input_file), cmp_inputs);
    /* The same file named twice, or named and also walked, is analysed once. */
    size_t kept = 0;
    for (size_t i = 0; i < out->len; i++) {
        if (kept && strcmp(out->items[kept - 1].display, out->items[i].display) == 0) {
            free(out->items[i].fs_path);
            free(out->items[i].display);
            continue;
        }
        out->items[kept++] = out->items[i];
    }
    out->len = kept;
    return failures;
}

void ms_input_list_free(ms_input_list *list) {
    for (size_t i = 0; i < list->len; i++) {
        free(list->items[i].fs_path);
        free(list->items[i].display);
    }
    MS_VEC_FREE(list);
}
