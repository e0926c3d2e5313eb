/* Parsing one translation unit with libclang, and what its diagnostics mean
 * for the user: a missing header, a compile error, a command line libclang
 * rejects. The main file is handed over in memory, so the byte offsets of
 * the IR are those of the text the driver loaded. */
#include "c_internal.h"

#include <stdio.h>
#include <string.h>

enum { RECOVERY_ROUNDS = 2 };

#define STUB_PATH "/__mapsafe__/recovery.h"
#define MISSING_DIR "/__mapsafe__/missing"

/* Errors, not warnings, are all we read; KeepGoing parses past fatal ones
 * such as a missing header. */
static const unsigned parse_flags = CXTranslationUnit_KeepGoing;

typedef MS_VEC(char *) string_vec;

typedef struct diag_summary {
    string_vec missing; /* headers not found, as spelled */
    unsigned errors;    /* other errors */
    char *first_error;
    unsigned missing_line, missing_col, error_line, error_col; /* in the main file, or 0 */
    char *error_where; /* "file:line: " when the first error is in another file */
} diag_summary;

static void summary_free(diag_summary *s) {
    for (size_t i = 0; i < s->missing.len; i++)
        free(s->missing.items[i]);
    MS_VEC_FREE(&s->missing);
    free(s->first_error);
    free(s->error_where);
}

/* Where a diagnostic is, when that is the main file (after macro expansion). */
static void main_position(CXDiagnostic d, CXFile main_file, unsigned *line, unsigned *col) {
    CXFile file = NULL;
    unsigned l = 0, c = 0;
    clang_getExpansionLocation(clang_getDiagnosticLocation(d), &file, &l, &c, NULL);
    if (file && main_file && clang_File_isEqual(file, main_file)) {
        *line = l;
        *col = c;
    }
}

/* "include/x.h:12: " for a diagnostic outside the main file. */
static char *where(CXDiagnostic d) {
    CXFile file = NULL;
    unsigned line = 0;
    clang_getExpansionLocation(clang_getDiagnosticLocation(d), &file, &line, NULL, NULL);
    if (!file)
        return NULL;
    CXString name = clang_getFileName(file);
    const char *n = clang_getCString(name);
    const char *base = n ? strrchr(n, '/') : NULL;
    char *out = ms_xasprintf("%s:%u: ", base ? base + 1 : n ? n : "?", line);
    clang_disposeString(name);
    return out;
}

static void summarise(CXTranslationUnit tu, const char *abs_path, diag_summary *s) {
    memset(s, 0, sizeof(*s));
    CXFile main_file = clang_getFile(tu, abs_path);
    unsigned n = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
        if (sev >= CXDiagnostic_Error) {
            CXString sp = clang_getDiagnosticSpelling(d);
            const char *msg = clang_getCString(sp);
            const char *tail = strstr(msg, "' file not found");
            if (msg[0] == '\'' && tail && tail[16] == '\0') {
                char *name = ms_xstrndup(msg + 1, (size_t)(tail - msg - 1));
                bool seen = false;
                for (size_t k = 0; k < s->missing.len && !seen; k++)
                    seen = strcmp(s->missing.items[k], name) == 0;
                if (seen) {
                    free(name);
                } else {
                    if (s->missing.len == 0)
                        main_position(d, main_file, &s->missing_line, &s->missing_col);
                    MS_VEC_PUSH(&s->missing, name);
                }
            } else {
                if (s->errors++ == 0) {
                    s->first_error = ms_xstrdup(msg);
                    main_position(d, main_file, &s->error_line, &s->error_col);
                    if (!s->error_line)
                        s->error_where = where(d);
                }
            }
            clang_disposeString(sp);
        }
        clang_disposeDiagnostic(d);
    }
}

static enum CXErrorCode parse(ms_c_worker *w, const char *path, const c_command *cmd,
                              struct CXUnsavedFile *unsaved, unsigned nunsaved,
                              CXTranslationUnit *tu) {
    *tu = NULL;
    return clang_parseTranslationUnit2(w->index, path, (const char *const *)cmd->args.items,
                                       (int)cmd->args.len, unsaved, nunsaved, parse_flags, tu);
}

/* Parses again with stubs for the unknown names and empty files in place of
 * the missing headers, as long as that teaches Clang new names. */
static void recover(ms_c_worker *w, const char *abs_path, c_command *cmd,
                    struct CXUnsavedFile *main_file, const diag_summary *first, c_parsed *out) {
    c_stub *stub = c_stub_new();
    if (!c_stub_collect(stub, out->tu, cmd->cxx)) {
        c_stub_free(stub);
        return;
    }
    MS_VEC_PUSH(&cmd->args, ms_xstrdup("-include"));
    MS_VEC_PUSH(&cmd->args, ms_xstrdup(STUB_PATH));
    MS_VEC_PUSH(&cmd->args, ms_xstrdup("-idirafter"));
    MS_VEC_PUSH(&cmd->args, ms_xstrdup(MISSING_DIR));
    size_t nfiles = first->missing.len + 2;
    struct CXUnsavedFile *files = ms_xcalloc(nfiles, sizeof(*files));
    char **paths = ms_xcalloc(nfiles, sizeof(char *));
    files[0] = *main_file;
    for (size_t i = 0; i < first->missing.len; i++) {
        paths[i] = ms_xasprintf(MISSING_DIR "/%s", first->missing.items[i]);
        files[i + 2] = (struct CXUnsavedFile){paths[i], "", 0};
    }
    for (int round = 0; round < RECOVERY_ROUNDS; round++) {
        char *text = c_stub_text(stub, cmd->cxx);
        files[1] = (struct CXUnsavedFile){STUB_PATH, text, (unsigned long)strlen(text)};
        CXTranslationUnit tu;
        enum CXErrorCode rc = parse(w, abs_path, cmd, files, (unsigned)nfiles, &tu);
        free(text);
        if (rc != CXError_Success || !tu)
            break;
        clang_disposeTranslationUnit(out->tu);
        out->tu = tu;
        if (!c_stub_collect(stub, tu, cmd->cxx))
            break;
    }
    for (size_t i = 0; i < nfiles; i++)
        free(paths[i]);
    free(paths);
    free(files);
    c_stub_free(stub);
}

void c_parse_unit(ms_c_worker *w, const ms_source *main, const char *abs_path, ms_report *report,
                  c_parsed *out) {
    memset(out, 0, sizeof(*out));
    c_command cmd;
    c_command_build(w->fe, abs_path, main, &cmd);
    struct CXUnsavedFile main_file = {abs_path, main->text, main->size};
    enum CXErrorCode rc = parse(w, abs_path, &cmd, &main_file, 1, &out->tu);
    if (rc != CXError_Success || !out->tu) {
        /* Some compiler flag libclang does not know: keep only what shapes
         * the parse (include paths, macros, the language) and try again. */
        c_command_reduce(&cmd);
        rc = parse(w, abs_path, &cmd, &main_file, 1, &out->tu);
    }
    if (rc != CXError_Success || !out->tu) {
        ms_report_notify(report, MS_LEVEL_WARNING, "parse-failed", main->path, 0, 0,
                         "libclang could not parse this file with its compile command (error "
                         "%d); it is not analysed",
                         (int)rc);
        c_command_free(&cmd);
        return;
    }
    diag_summary s;
    summarise(out->tu, abs_path, &s);
    /* Names left unknown by a missing header or a missing -D: parse again
     * with stand-ins, so the statements that use them are kept. */
    if (s.missing.len > 0 || s.errors > 0)
        recover(w, abs_path, &cmd, &main_file, &s, out);
    if (s.missing.len > 0) {
        /* Without a database mapsafe cannot know the include paths: expected,
         * so a note. With one, the project is not set up as it says. */
        ms_level level = cmd.from_db ? MS_LEVEL_WARNING : MS_LEVEL_NOTE;
        char more[64] = "";
        if (s.missing.len > 1)
            snprintf(more, sizeof(more), " (and %zu more)", s.missing.len - 1);
        ms_report_notify(report, level, "missing-header", main->path, s.missing_line, s.missing_col,
                         "header '%s' not found%s; what it declares is unknown, and calls of its "
                         "functions are matched by name only%s",
                         s.missing.items[0], more,
                         cmd.from_db ? ""
                                     : "; give mapsafe the project's compile_commands.json "
                                       "(-p DIR)");
    } else if (s.errors > 0) {
        char more[64] = "";
        if (s.errors > 1)
            snprintf(more, sizeof(more), " (and %u more errors)", s.errors - 1);
        ms_report_notify(report, MS_LEVEL_WARNING, "compile-error", main->path, s.error_line,
                         s.error_col, "%s%s%s; the file is analysed as far as it parses%s",
                         s.error_where ? s.error_where : "", s.first_error, more,
                         cmd.from_db ? ""
                                     : " (without a compile database, flags such as -D "
                                       "are unknown: give mapsafe -p DIR)");
    }
    summary_free(&s);
    out->cxx = cmd.cxx;
    c_command_free(&cmd);
}

void c_parsed_free(c_parsed *p) {
    if (p->tu)
        clang_disposeTranslationUnit(p->tu);
    memset(p, 0, sizeof(*p));
}
