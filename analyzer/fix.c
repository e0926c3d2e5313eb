/* realpath is an XSI interface. */
#define _XOPEN_SOURCE 700

#include "fix.h"

#include "vec.h"
#include "xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A fix waiting to be applied, in report order. */
typedef struct pending {
    const ms_fix *fix;
    size_t order;
} pending;

/* One replacement taken for a file; `order` keeps insertions at the same
 * offset in the order of their findings. */
typedef struct edit {
    uint32_t start, end;
    const char *text;
    size_t order;
} edit;

static int cmp_pending(const void *pa, const void *pb) {
    const pending *a = pa, *b = pb;
    int c = strcmp(a->fix->fs_path, b->fix->fs_path);
    if (c)
        return c;
    return a->order < b->order ? -1 : a->order > b->order;
}

static int cmp_edit(const void *pa, const void *pb) {
    const edit *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* [a,b) and [c,d) share a byte, or an insertion falls strictly inside a
 * deleted range. Insertions at the same offset do not overlap. */
static bool overlap(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
    return a < d && c < b;
}

/* Writes `text` next to `path` and renames it over `path`: readers see the
 * old file or the new one, never a half-written one. Keeps the mode, and
 * the owner when permitted. Returns NULL or a malloc'd error. */
static char *replace_file(const char *path, const char *text, size_t size, const struct stat *st) {
    char real[PATH_MAX];
    const char *target = realpath(path, real) ? real : path; /* write through symlinks */
    const char *slash = strrchr(target, '/');
    char *tmp =
        slash ? ms_xasprintf("%.*s/.%s.mapsafe-XXXXXX", (int)(slash - target), target, slash + 1)
              : ms_xasprintf(".%s.mapsafe-XXXXXX", target);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        char *error = ms_xasprintf("cannot create a temporary file: %s", strerror(errno));
        free(tmp);
        return error;
    }
    char *error = NULL;
    if (fchmod(fd, st->st_mode & 07777) != 0)
        error = ms_xasprintf("cannot set the file mode: %s", strerror(errno));
    if (!error && (st->st_uid != geteuid() || st->st_gid != getegid()) &&
        fchown(fd, st->st_uid, st->st_gid) != 0) {
        /* Not permitted: the file now belongs to whoever ran mapsafe. */
    }
    for (size_t done = 0; !error && done < size;) {
        ssize_t w = write(fd, text + done, size - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            error = ms_xasprintf("write error: %s", strerror(errno));
        else
            done += (size_t)w;
    }
    if (!error && fsync(fd) != 0)
        error = ms_xasprintf("write error: %s", strerror(errno));
    if (close(fd) != 0 && !error)
        error = ms_xasprintf("write error: %s", strerror(errno));
    if (!error && rename(tmp, target) != 0)
        error = ms_xasprintf("cannot replace the file: %s", strerror(errno));
    if (error)
        unlink(tmp);
    free(tmp);
    return error;
}

/* A file that did not parse is not edited: a fix computed from a partial
 * parse may land in the wrong place. These notifications say a file did not
 * parse: Go syntax errors, and C/C++ compile errors (after which libclang
 * drops or misreads statements). Returns the one found, or NULL. */
static const char *parse_failure(const ms_report *analysed, const char *path) {
    static const char *const kinds[] = {"syntax-error", "compile-error"};
    for (size_t i = 0; i < analysed->notifications.len; i++) {
        const ms_notification *n = &analysed->notifications.items[i];
        if (!n->path || strcmp(n->path, path) != 0)
            continue;
        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
            if (strcmp(n->kind, kinds[k]) == 0)
                return kinds[k];
    }
    return NULL;
}

/* The fixes of one file, in report order. */
static void apply_file(const ms_report *analysed, const pending *fixes, size_t n, ms_report *notes,
                       ms_fix_stats *stats) {
    const char *fs_path = fixes[0].fix->fs_path, *shown = fixes[0].fix->path;
    const char *failure = parse_failure(analysed, shown);
    if (failure) {
        ms_report_notify(notes, MS_LEVEL_NOTE, "fix-not-applied", shown, 0, 0,
                         "the file has %s; its fixes were not applied",
                         strcmp(failure, "syntax-error") == 0 ? "syntax errors" : "compile errors");
        stats->skipped += n;
        return;
    }
    struct stat st;
    ms_source src;
    ms_lang lang = MS_LANG_GO;
    ms_lang_for_path(fs_path, &lang);
    char *error = NULL;
    if (stat(fs_path, &st) != 0 || ms_source_load(&src, fs_path, shown, lang, &error) != 0) {
        ms_report_notify(notes, MS_LEVEL_WARNING, "fix-not-applied", shown, 0, 0,
                         "%s; its fixes were not applied", error ? error : strerror(errno));
        free(error);
        stats->skipped += n;
        return;
    }
    const char *text = src.text;
    size_t size = src.size;
    uint64_t hash = ms_source_hash(text, size);
    for (size_t i = 0; i < n; i++) {
        const ms_fix *fix = fixes[i].fix;
        if (fix->source_size != size || fix->source_hash != hash) {
            ms_report_notify(notes, MS_LEVEL_WARNING, "fix-refused", shown, 0, 0,
                             "the file changed since it was analysed; its fixes were not "
                             "applied (run mapsafe --fix again)");
            ms_source_free(&src);
            stats->skipped += n;
            return;
        }
    }

    MS_VEC(edit) edits = {0};
    size_t taken = 0;
    for (size_t i = 0; i < n; i++) {
        /* A fix is taken whole or not at all: its replacements must fit the
         * file and overlap neither those taken already nor each other. */
        const ms_fix *fix = fixes[i].fix;
        size_t mark = edits.len;
        bool fits = fix->nreplacements > 0;
        for (size_t r = 0; r < fix->nreplacements && fits; r++) {
            const ms_replacement *rp = &fix->replacements[r];
            const ms_region *d = &rp->deleted;
            fits = d->byte_start <= d->byte_end && d->byte_end <= size;
            for (size_t k = 0; k < edits.len && fits; k++)
                fits =
                    !overlap(d->byte_start, d->byte_end, edits.items[k].start, edits.items[k].end);
            edit e = {d->byte_start, d->byte_end, rp->inserted, edits.len};
            MS_VEC_PUSH(&edits, e);
        }
        if (!fits) {
            edits.len = mark;
            stats->skipped++;
            continue;
        }
        taken++;
    }
    if (edits.len > 1)
        qsort(edits.items, edits.len, sizeof(edit), cmp_edit);

    size_t cap = size + 1;
    for (size_t k = 0; k < edits.len; k++)
        cap += strlen(edits.items[k].text);
    char *out = ms_xmalloc(cap);
    size_t len = 0, pos = 0;
    for (size_t k = 0; k < edits.len; k++) {
        const edit *e = &edits.items[k];
        memcpy(out + len, text + pos, e->start - pos);
        len += e->start - pos;
        size_t t = strlen(e->text);
        memcpy(out + len, e->text, t);
        len += t;
        pos = e->end;
    }
    memcpy(out + len, text + pos, size - pos);
    len += size - pos;

    if (len != size || memcmp(out, text, size) != 0) {
        error = replace_file(fs_path, out, len, &st);
        if (error) {
            ms_report_notify(notes, MS_LEVEL_ERROR, "fix-not-applied", shown, 0, 0,
                             "%s; its fixes were not applied", error);
            free(error);
            stats->skipped += taken;
        } else {
            stats->applied += taken;
            stats->files++;
        }
    }
    MS_VEC_FREE(&edits);
    free(out);
    ms_source_free(&src);
}

void ms_fix_apply(const ms_report *analysed, ms_report *notes, ms_fix_stats *stats) {
    memset(stats, 0, sizeof(*stats));
    MS_VEC(pending) all = {0};
    for (size_t i = 0; i < analysed->findings.len; i++) {
        const ms_finding *f = analysed->findings.items[i];
        if (f->suppression.suppressed)
            continue; /* accepted as it is */
        for (size_t k = 0; k < f->nfixes; k++) {
            if (!f->fixes[k].fs_path)
                continue;
            pending p = {&f->fixes[k], all.len};
            MS_VEC_PUSH(&all, p);
        }
    }
    if (all.len > 1)
        qsort(all.items, all.len, sizeof(pending), cmp_pending);
    for (size_t i = 0; i < all.len;) {
        size_t end = i + 1;
        while (end < all.len && strcmp(all.items[end].fix->fs_path, all.items[i].fix->fs_path) == 0)
            end++;
        apply_file(analysed, all.items + i, end - i, notes, stats);
        i = end;
    }
    MS_VEC_FREE(&all);
    if (stats->applied)
        ms_report_notify(notes, MS_LEVEL_NOTE, "fixes-applied", NULL, 0, 0,
                         "applied %zu fix%s to %zu file%s", stats->applied,
                         stats->applied == 1 ? "" : "es", stats->files,
                         stats->files == 1 ? "" : "s");
    if (stats->skipped)
        ms_report_notify(notes, MS_LEVEL_NOTE, "fixes-skipped", NULL, 0, 0,
                         "%zu fix%s not applied; the findings remain in the report", stats->skipped,
                         stats->skipped == 1 ? " was" : "es were");
}

/* The MAPSAFE_TEST_FIX_SYNC handshake (fix.h). */
static void test_sync(void) {
    const char *fifo = getenv("MAPSAFE_TEST_FIX_SYNC");
    if (!fifo || !*fifo)
        return;
    FILE *f = fopen(fifo, "w");
    if (f) {
        fputs("analysed\n", f);
        fclose(f);
    }
    f = fopen(fifo, "r");
    if (f) {
        char line[64];
        if (!fgets(line, sizeof(line), f))
            line[0] = '\0';
        fclose(f);
    }
}

int ms_run_fix(const ms_options *o, const ms_catalogue *catalogue, ms_report *report,
               ms_run_stats *stats) {
    int status = ms_run(o, catalogue, report, stats);
    if (status != 0)
        return status;
    test_sync();
    ms_report notes;
    ms_report_init(&notes);
    ms_fix_stats fs;
    ms_fix_apply(report, &notes, &fs);
    if (fs.files > 0) {
        /* Report what remains, with positions in the fixed files. */
        ms_report_free(report);
        ms_report_init(report);
        status = ms_run(o, catalogue, report, stats);
    }
    ms_report_merge(report, &notes);
    ms_report_free(&notes);
    ms_report_finalize(report);
    return status;
}
