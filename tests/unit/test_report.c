/* Reports: deterministic order, duplicate removal, fingerprints, and the
 * text helpers the writers share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "report.h"
#include "writers.h"

#include <stdlib.h>
#include <string.h>

static ms_finding *finding(const char *rule, const char *path, uint32_t line, const char *ctx,
                           const char *snippet) {
    ms_finding *f = ms_finding_new(rule, MS_LEVEL_WARNING);
    f->message = strdup("msg");
    f->primary.path = strdup(path);
    f->primary.region = (ms_region){line, 1, line, 5, 0, 0};
    f->context = strdup(ctx);
    f->snippet = strdup(snippet);
    return f;
}

static void sorted_deduplicated_fingerprinted(void **state) {
    (void)state;
    ms_report r;
    ms_report_init(&r);
    ms_report_add_finding(&r, finding("MS101", "b.go", 3, "F", "m[k]=1"));
    ms_report_add_finding(&r, finding("MS101", "a.go", 9, "G", "m[x]=1"));
    ms_report_add_finding(&r, finding("MS101", "a.go", 2, "G", "m[x]=1"));
    ms_report_add_finding(&r, finding("MS101", "a.go", 2, "G", "m[x]=1")); /* duplicate */
    ms_report_add_finding(&r, finding("MS201", "a.go", 2, "G", "m[x]=1"));
    ms_report_finalize(&r);
    assert_int_equal(r.findings.len, 4);
    assert_string_equal(r.findings.items[0]->primary.path, "a.go");
    assert_int_equal(r.findings.items[0]->primary.region.start_line, 2);
    assert_string_equal(r.findings.items[1]->rule_id, "MS201");
    assert_int_equal(r.findings.items[2]->primary.region.start_line, 9);
    assert_string_equal(r.findings.items[3]->primary.path, "b.go");
    /* same identity (rule, file, function, statement): ordinals 0 and 1 */
    const char *fp0 = r.findings.items[0]->fingerprint, *fp2 = r.findings.items[2]->fingerprint;
    assert_int_equal(strncmp(fp0, fp2, 16), 0);
    assert_non_null(strstr(fp0, ":0"));
    assert_non_null(strstr(fp2, ":1"));
    /* a different rule on the same statement has another fingerprint */
    assert_int_not_equal(strncmp(fp0, r.findings.items[1]->fingerprint, 16), 0);
    ms_report_free(&r);
}

static void fingerprints_ignore_lines(void **state) {
    (void)state;
    ms_finding *a = finding("MS101", "a.go", 10, "F", "m[k]=1");
    ms_finding *b = finding("MS101", "a.go", 250, "F", "m[k]=1");
    char fa[40], fb[40];
    ms_fingerprint(a, 0, fa);
    ms_fingerprint(b, 0, fb);
    assert_string_equal(fa, fb);
    ms_finding_free(a);
    ms_finding_free(b);
}

static void plain_messages_and_uris(void **state) {
    (void)state;
    char *s = ms_plain_message("call to [f](2) inserts while the loop [ranges](1) [x](y) [z]");
    assert_string_equal(s, "call to f inserts while the loop ranges [x](y) [z]");
    free(s);
    s = ms_uri_escape("dir with space/é#1.go");
    assert_string_equal(s, "dir%20with%20space/%C3%A9%231.go");
    free(s);
    s = ms_normalize_snippet("m[k +  \"x\"]\n\t= v", 17);
    assert_string_equal(s, "m[k+\"x\"]=v");
    free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sorted_deduplicated_fingerprinted),
        cmocka_unit_test(fingerprints_ignore_lines),
        cmocka_unit_test(plain_messages_and_uris),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
