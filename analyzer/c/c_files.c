/* The files of a unit. The main file and the project's own headers (not
 * system headers, and under the working directory or a path being analysed)
 * become unit files, with their text taken from libclang; everything else is
 * outside the analysis. Spans are expansion locations, so code a macro
 * expands to is placed at the macro's use. */
/* realpath is XSI */
#define _XOPEN_SOURCE 700

#include "c_internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

char *ms_c_real_path(const char *path) {
    char buf[PATH_MAX];
    return realpath(path, buf) ? ms_xstrdup(buf) : NULL;
}

bool c_path_in_project(const ms_c_frontend *fe, const char *real) {
    for (size_t i = 0; i < fe->nroots; i++) {
        size_t n = strlen(fe->roots[i]);
        if (strncmp(real, fe->roots[i], n) == 0 &&
            (real[n] == '/' || real[n] == '\0' || (n == 1 && fe->roots[i][0] == '/')))
            return true;
    }
    return false;
}

static int cmp_display(const void *key, const void *item) {
    return strcmp(key, ((const c_display *)item)->real);
}

/* How a file is named in findings: as the walk named it when it was walked,
 * so a header analysed through a translation unit and alone agree. */
static char *display_of(const ms_c_frontend *fe, const char *real) {
    const c_display *d = bsearch(real, fe->displays, fe->ndisplays, sizeof(c_display), cmp_display);
    return d ? ms_xstrdup(d->display) : ms_display_path(real, fe->cwd);
}

static char *file_real_path(CXFile file) {
    CXString rp = clang_File_tryGetRealPathName(file);
    const char *s = clang_getCString(rp);
    char *out = s && s[0] == '/' ? ms_c_real_path(s) : NULL;
    clang_disposeString(rp);
    if (!out) {
        CXString name = clang_getFileName(file);
        const char *n = clang_getCString(name);
        out = n ? ms_c_real_path(n) : NULL;
        clang_disposeString(name);
    }
    return out;
}

static uint64_t id_hash(const CXFileUniqueID *id) {
    return ms_hash_bytes(id->data, sizeof(id->data), 0);
}

static c_file_slot *find_slot(c_tu *t, const CXFileUniqueID *id) {
    if (t->file_len * 2 + 2 > t->file_cap) {
        size_t old_cap = t->file_cap;
        c_file_slot *old = t->file_slots;
        t->file_cap = old_cap ? old_cap * 2 : 64;
        t->file_slots = ms_xcalloc(t->file_cap, sizeof(c_file_slot));
        for (size_t i = 0; i < old_cap; i++) {
            if (!old[i].used)
                continue;
            CXFileUniqueID oid;
            memcpy(oid.data, old[i].id, sizeof(oid.data));
            size_t j = id_hash(&oid) & (t->file_cap - 1);
            while (t->file_slots[j].used)
                j = (j + 1) & (t->file_cap - 1);
            t->file_slots[j] = old[i];
        }
        free(old);
    }
    size_t j = id_hash(id) & (t->file_cap - 1);
    while (t->file_slots[j].used && memcmp(t->file_slots[j].id, id->data, sizeof(id->data)) != 0)
        j = (j + 1) & (t->file_cap - 1);
    return &t->file_slots[j];
}

int c_file_index(c_tu *t, CXFile file) {
    if (!file)
        return -1;
    CXFileUniqueID id;
    if (clang_getFileUniqueID(file, &id) != 0)
        return -1;
    c_file_slot *slot = find_slot(t, &id);
    if (slot->used)
        return slot->index;
    int index = -1;
    if (t->files.len == 0) {
        index = 0; /* the first file registered is the main file */
    } else if (!clang_Location_isInSystemHeader(clang_getLocationForOffset(t->tu, file, 0))) {
        char *real = file_real_path(file);
        size_t size = 0;
        const char *text = real && c_path_in_project(t->fe, real)
                               ? clang_getFileContents(t->tu, file, &size)
                               : NULL;
        if (text && size < MS_SOURCE_MAX_BYTES) {
            ms_source *src = ms_xcalloc(1, sizeof(*src));
            char *display = display_of(t->fe, real);
            ms_source_from_buffer(src, display, t->cxx ? MS_LANG_CXX : MS_LANG_C, text, size);
            free(src->fs_path);
            src->fs_path = ms_xstrdup(real);
            free(display);
            MS_VEC_PUSH(&t->files, src);
            index = (int)t->files.len - 1;
        }
        free(real);
    }
    /* Registering may have grown the table: look the slot up again. */
    slot = find_slot(t, &id);
    slot->used = true;
    memcpy(slot->id, id.data, sizeof(id.data));
    slot->index = index;
    t->file_len++;
    return index;
}

bool c_location(c_tu *t, CXSourceLocation loc, uint32_t *file, uint32_t *offset) {
    CXFile f = NULL;
    unsigned off = 0;
    clang_getExpansionLocation(loc, &f, NULL, NULL, &off);
    int index = c_file_index(t, f);
    if (index < 0)
        return false;
    *file = (uint32_t)index;
    *offset = off;
    return true;
}

bool c_cursor_span(c_tu *t, CXCursor c, ms_span *out) {
    CXSourceRange r = clang_getCursorExtent(c);
    uint32_t file, start, end_file, end;
    if (!c_location(t, clang_getRangeStart(r), &file, &start))
        return false;
    if (!c_location(t, clang_getRangeEnd(r), &end_file, &end) || end_file != file || end < start)
        end = start;
    const ms_source *src = t->files.items[file];
    if (end > src->size)
        end = src->size;
    if (start > end)
        start = end;
    *out = (ms_span){file, start, end};
    return true;
}

bool c_cursor_in_project(c_tu *t, CXCursor c) {
    uint32_t file, offset;
    return c_location(t, clang_getCursorLocation(c), &file, &offset);
}

const ms_source *c_file_source(const c_tu *t, uint32_t file) {
    return t->files.items[file < t->files.len ? file : 0];
}

typedef struct include_ctx {
    c_tu *t;
    ms_c_paths *covered;
} include_ctx;

static void visit_inclusion(CXFile file, CXSourceLocation *stack, unsigned depth,
                            CXClientData data) {
    (void)stack;
    include_ctx *ic = data;
    if (depth == 0)
        return; /* the main file */
    int index = c_file_index(ic->t, file);
    if (index > 0)
        MS_VEC_PUSH(ic->covered, ms_xstrdup(ic->t->files.items[index]->fs_path));
}

void c_collect_includes(c_tu *t, ms_c_paths *covered) {
    include_ctx ic = {t, covered};
    clang_getInclusions(t->tu, visit_inclusion, &ic);
}
