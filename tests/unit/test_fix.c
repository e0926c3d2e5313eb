/* Unit tests of ms_fix_apply (analyzer/fix.c): applying the fixes of a
 * report to files on disk, independent of any rule or frontend. */
#define _XOPEN_SOURCE 700

#include "fix.h"
#include "xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct fixture {
    char dir[64];
    char path[128];
    ms_source src;
    ms_report report;
} fixture;

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* A file `name` with `text`, loaded as the analysis would load it. */
static fixture *setup_named(const char *name, ms_lang lang, const char *text) {
    fixture *fx = ms_xcalloc(1, sizeof(*fx));
    strcpy(fx->dir, "/tmp/mapsafe-fix-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->path, sizeof(fx->path), "%s/%s", fx->dir, name);
    write_text(fx->path, text);
    char *error = NULL;
    assert_int_equal(ms_source_load(&fx->src, fx->path, name, lang, &error), 0);
    ms_report_init(&fx->report);
    return fx;
}

static fixture *setup_file(const char *text) {
    return setup_named("a.go", MS_LANG_GO, text);
}

static void teardown_file(fixture *fx) {
    ms_report_free(&fx->report);
    ms_source_free(&fx->src);
    unlink(fx->path);
    rmdir(fx->dir);
    free(fx);
}

/* A finding with one fix of one replacement of [start, end). */
static ms_finding *add_fix(fixture *fx, uint32_t start, uint32_t end, const char *text) {
    ms_finding *f = ms_finding_new("MS301", MS_LEVEL_NOTE);
    ms_fix *fix = ms_finding_add_fix(f, fx->src.path, "test fix");
    ms_fix_add_replacement(fix, &fx->src, start, end, text);
    ms_report_add_finding(&fx->report, f);
    return f;
}

static bool has_notification(const ms_report *r, const char *kind) {
    for (size_t i = 0; i < r->notifications.len; i++)
        if (strcmp(r->notifications.items[i].kind, kind) == 0)
            return true;
    return false;
}

static void apply(fixture *fx, ms_report *notes, ms_fix_stats *stats) {
    ms_report_init(notes);
    ms_fix_apply(&fx->report, notes, stats);
}

static void applies_replacements_and_keeps_mode(void **state) {
    (void)state;
    fixture *fx = setup_file("make(map[K]V)\nmap[K]V{}\n");
    chmod(fx->path, 0751);
    add_fix(fx, 12, 12, ", n");
    add_fix(fx, 14, 23, "make(map[K]V, n)");
    ms_report notes;
    ms_fix_stats stats;
    apply(fx, &notes, &stats);
    assert_int_equal(stats.applied, 2);
    assert_int_equal(stats.files, 1);
    assert_string_equal(read_text(fx->path), "make(map[K]V, n)\nmake(map[K]V, n)\n");
    struct stat st;
    assert_int_equal(stat(fx->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0751);
    assert_true(has_notification(&notes, "fixes-applied"));
    ms_report_free(&notes);
    teardown_file(fx);
}

static void refuses_a_changed_file(void **state) {
    (void)state;
    fixture *fx = setup_file("make(map[K]V)\n");
    add_fix(fx, 12, 12, ", n");
    write_text(fx->path, "make(map[K]V) // edited\n");
    ms_report notes;
    ms_fix_stats stats;
    apply(fx, &notes, &stats);
    assert_int_equal(stats.applied, 0);
    assert_int_equal(stats.skipped, 1);
    assert_string_equal(read_text(fx->path), "make(map[K]V) // edited\n");
    assert_true(has_notification(&notes, "fix-refused"));
    ms_report_free(&notes);
    teardown_file(fx);
}

static void refuses_a_same_size_edit(void **state) {
    (void)state;
    fixture *fx = setup_file("make(map[K]V)\n");
    add_fix(fx, 12, 12, ", n");
    write_text(fx->path, "make(map[Q]V)\n");
    ms_report notes;
    ms_fix_stats stats;
    apply(fx, &notes, &stats);
    assert_int_equal(stats.applied, 0);
    assert_string_equal(read_text(fx->path), "make(map[Q]V)\n");
    ms_report_free(&notes);
    teardown_file(fx);
}

static void skips_an_overlapping_fix(void **state) {
    (void)state;
    fixture *fx = setup_file("abcdef\n");
    add_fix(fx, 1, 4, "X");
    add_fix(fx, 3, 5, "Y"); /* overlaps the first */
    add_fix(fx, 4, 4, "Z"); /* an insertion right after it is fine */
    ms_report notes;
    ms_fix_stats stats;
    apply(fx, &notes, &stats);
    assert_int_equal(stats.applied, 2);
    assert_int_equal(stats.skipped, 1);
    assert_string_equal(read_text(fx->path), "aXZef\n");
    assert_true(has_notification(&notes, "fixes-skipped"));
    ms_report_free(&notes);
    teardown_file(fx);
}

static void skips_a_fix_that_overlaps_itself(void **state) {
    (void)state;
    fixture *fx = setup_file("abcdef\n");
    ms_finding *f = add_fix(fx, 1, 4, "X");
    ms_fix_add_replacement(&f->fixes[0], &fx->src, 2, 5, "Y");
    add_fix(fx, 5, 6, "Z");
    ms_report notes;
    ms_fix_stats stats;
    apply(fx, &notes, &stats);
    assert_int_equal(stats.applied, 1);
    assert_int_equal(stats.skipped, 1);
    assert_string_equal(read_text(fx->path), "abcdeZ\n");
    ms_report_free(&notes);
    teardown_file(fx);
}

static void keeps_insertions_in_report_order(void **state) {
    (void)state;
    fixture *fx = setup_file("loop\n");
    add_fix(fx, 0, 0, "first\n");
    add_fix(fx, 0, 0, "second\n");
    ms_report notes;
    ms_fix_stats stats;
    apply(fx, &notes, &stats);
    assert_string_equal(read_text(fx->path), "first\nsecond\nloop\n");
    ms_report_free(&notes);
    teardown_file(fx);
}

static void leaves_suppressed_findings_alone(void **state) {
    (void)state;
    fixture *fx = setup_file("make(map[K]V)\n");
    ms_finding *f = add_fix(fx, 12, 12, ", n");
    f->suppression.suppressed = true;
    ms_report notes;
    ms_fix_stats stats;
    apply(fx, &notes, &stats);
    assert_int_equal(stats.applied, 0);
    assert_int_equal(stats.skipped, 0);
    assert_string_equal(read_text(fx->path), "make(map[K]V)\n");
    ms_report_free(&notes);
    teardown_file(fx);
}

static void leaves_files_with_syntax_errors_alone(void **state) {
    (void)state;
    fixture *fx = setup_file("make(map[K]V)\nfunc (\n");
    add_fix(fx, 12, 12, ", n");
    ms_report_notify(&fx->report, MS_LEVEL_WARNING, "syntax-error", "a.go", 2, 1, "syntax error");
    ms_report notes;
    ms_fix_stats stats;
    apply(fx, &notes, &stats);
    assert_int_equal(stats.applied, 0);
    assert_int_equal(stats.skipped, 1);
    assert_string_equal(read_text(fx->path), "make(map[K]V)\nfunc (\n");
    assert_true(has_notification(&notes, "fix-not-applied"));
    ms_report_free(&notes);
    teardown_file(fx);
}

/* libclang's compile errors stop C and C++ fixes the way Go syntax errors
 * do; a notification about another file does not. */
static void leaves_files_with_compile_errors_alone(void **state) {
    (void)state;
    static const char text[] = "std::unordered_map<int, int> m;\nint x = ;\n";
    fixture *fx = setup_named("a.cpp", MS_LANG_CXX, text);
    add_fix(fx, 31, 31, "\nm.reserve(n);");
    ms_report_notify(&fx->report, MS_LEVEL_WARNING, "compile-error", "b.cpp", 2, 9, "error");
    ms_report_notify(&fx->report, MS_LEVEL_WARNING, "compile-error", "a.cpp", 2, 9,
                     "expected expression");
    ms_report notes;
    ms_fix_stats stats;
    apply(fx, &notes, &stats);
    assert_int_equal(stats.applied, 0);
    assert_int_equal(stats.skipped, 1);
    assert_string_equal(read_text(fx->path), text);
    assert_true(has_notification(&notes, "fix-not-applied"));
    ms_report_free(&notes);
    teardown_file(fx);
}

static void a_compile_error_elsewhere_does_not_stop_fixes(void **state) {
    (void)state;
    fixture *fx = setup_named("a.cpp", MS_LANG_CXX, "std::unordered_map<int, int> m;\n");
    add_fix(fx, 31, 31, "\nm.reserve(n);");
    ms_report_notify(&fx->report, MS_LEVEL_WARNING, "compile-error", "b.cpp", 2, 9, "error");
    ms_report notes;
    ms_fix_stats stats;
    apply(fx, &notes, &stats);
    assert_int_equal(stats.applied, 1);
    assert_string_equal(read_text(fx->path), "std::unordered_map<int, int> m;\nm.reserve(n);\n");
    ms_report_free(&notes);
    teardown_file(fx);
}

static void writes_through_a_symlink(void **state) {
    (void)state;
    fixture *fx = setup_file("make(map[K]V)\n");
    char link[160];
    snprintf(link, sizeof(link), "%s/link.go", fx->dir);
    assert_int_equal(symlink("a.go", link), 0);
    ms_source via;
    char *error = NULL;
    assert_int_equal(ms_source_load(&via, link, "link.go", MS_LANG_GO, &error), 0);
    ms_finding *f = ms_finding_new("MS301", MS_LEVEL_NOTE);
    ms_fix_add_replacement(ms_finding_add_fix(f, "link.go", "test"), &via, 12, 12, ", n");
    ms_report_add_finding(&fx->report, f);
    ms_report notes;
    ms_fix_stats stats;
    apply(fx, &notes, &stats);
    assert_int_equal(stats.applied, 1);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_string_equal(read_text(fx->path), "make(map[K]V, n)\n");
    ms_report_free(&notes);
    ms_source_free(&via);
    unlink(link);
    teardown_file(fx);
}

static void nothing_to_do_rewrites_nothing(void **state) {
    (void)state;
    fixture *fx = setup_file("x\n");
    add_fix(fx, 0, 1, "x"); /* replaces x with x */
    struct stat before, after;
    assert_int_equal(stat(fx->path, &before), 0);
    ms_report notes;
    ms_fix_stats stats;
    apply(fx, &notes, &stats);
    assert_int_equal(stat(fx->path, &after), 0);
    assert_int_equal(before.st_ino, after.st_ino);
    assert_int_equal(stats.files, 0);
    ms_report_free(&notes);
    teardown_file(fx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(applies_replacements_and_keeps_mode),
        cmocka_unit_test(refuses_a_changed_file),
        cmocka_unit_test(refuses_a_same_size_edit),
        cmocka_unit_test(skips_an_overlapping_fix),
        cmocka_unit_test(skips_a_fix_that_overlaps_itself),
        cmocka_unit_test(keeps_insertions_in_report_order),
        cmocka_unit_test(leaves_suppressed_findings_alone),
        cmocka_unit_test(leaves_files_with_syntax_errors_alone),
        cmocka_unit_test(leaves_files_with_compile_errors_alone),
        cmocka_unit_test(a_compile_error_elsewhere_does_not_stop_fixes),
        cmocka_unit_test(writes_through_a_symlink),
        cmocka_unit_test(nothing_to_do_rewrites_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
