/* Suppression placement on the C and C++ fixtures of MS001 and MS002,
 * without a C/C++ frontend: every line marked `want MS101` or
 * `want-suppressed MS101` gets a simulated MS101 finding whose region is its
 * statement (from that line to the first line whose code ends with ';').
 * Then the suppression pass runs as in the driver, and the result must
 * match the fixture's expectations for MS101, MS001 and MS002: which
 * findings are suppressed, and where the unused and malformed comments are.
 *
 * The fixture tests (fixtures/MS001/cpp, ...) check the same files through
 * the real binary once the C/C++ frontend reports MS101; this test checks
 * the comment scanning and placement for C and C++ on its own.
 *
 * usage: test_suppress_fixtures DIR...
 */
#include "comments.h"
#include "rule.h"
#include "suppress.h"
#include "vec.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

typedef struct want {
    uint32_t line;
    const char *rule;
    int suppressed; /* 0 or 1 */
    int wanted, found;
} want;

typedef MS_VEC(want) want_list;
typedef MS_VEC(ms_comment) comment_list;

static want *slot(want_list *w, uint32_t line, const char *rule, int suppressed) {
    for (size_t i = 0; i < w->len; i++)
        if (w->items[i].line == line && strcmp(w->items[i].rule, rule) == 0 &&
            w->items[i].suppressed == suppressed)
            return &w->items[i];
    want x = {line, rule, suppressed, 0, 0};
    MS_VEC_PUSH(w, x);
    return &w->items[w->len - 1];
}

static void scan_keyword(want_list *w, uint32_t line, const char *text, size_t len,
                         const char *keyword, int suppressed) {
    char *copy = ms_xstrndup(text, len);
    for (const char *p = copy; (p = strstr(p, keyword)) != NULL;) {
        const char *before = p;
        while (before > copy && before[-1] == ' ')
            before--;
        p += strlen(keyword);
        if (before - copy < 2 || before[-2] != '/' || (before[-1] != '/' && before[-1] != '*'))
            continue;
        for (;;) {
            while (*p == ' ')
                p++;
            if (!(p[0] == 'M' && p[1] == 'S' && isdigit((unsigned char)p[2])))
                break;
            const ms_rule *r = NULL;
            size_t n = 2;
            while (isdigit((unsigned char)p[n]))
                n++;
            for (size_t i = 0; i < ms_rules_count; i++)
                if (strlen(ms_rules[i]->id) == n && strncmp(ms_rules[i]->id, p, n) == 0)
                    r = ms_rules[i];
            if (r)
                slot(w, line, r->id, suppressed)->wanted++;
            p += n;
        }
    }
    free(copy);
}

static void collect(const ms_comment *c, void *ctx) {
    MS_VEC_PUSH((comment_list *)ctx, *c);
}

static bool in_comment(const comment_list *cs, uint32_t at) {
    for (size_t i = 0; i < cs->len; i++)
        if (cs->items[i].start <= at && at < cs->items[i].end)
            return true;
    return false;
}

/* The last byte of code (not blank, not comment) on a line, or '\0'. */
static char last_code(const ms_source *src, const comment_list *cs, uint32_t line) {
    uint32_t start = src->line_starts[line - 1];
    uint32_t end = line < src->nlines ? src->line_starts[line] - 1 : src->size;
    for (uint32_t p = end; p > start; p--) {
        char c = src->text[p - 1];
        if (!isspace((unsigned char)c) && !in_comment(cs, p - 1))
            return c;
    }
    return '\0';
}

/* A simulated MS101 finding for the statement starting on `line`. */
static ms_finding *finding_at(const ms_source *src, const comment_list *cs, uint32_t line) {
    uint32_t last = line;
    while (last < src->nlines && last_code(src, cs, last) != ';')
        last++;
    uint32_t start = src->line_starts[line - 1];
    while (isspace((unsigned char)src->text[start]))
        start++;
    uint32_t end = last < src->nlines ? src->line_starts[last] - 1 : src->size;
    ms_finding *f = ms_finding_new(ms_rule_ms101.id, MS_LEVEL_ERROR);
    f->message = ms_xstrdup("simulated");
    ms_location_set(&f->primary, src, start, end, NULL);
    f->snippet = ms_xstrdup("");
    f->context = ms_xstrdup("");
    return f;
}

static int check_file(const char *dir, const char *name) {
    char *path = ms_xasprintf("%s/%s", dir, name);
    ms_lang lang;
    if (!ms_lang_for_path(name, &lang) || lang == MS_LANG_GO) {
        free(path);
        return 0;
    }
    ms_source src;
    char *error = NULL;
    if (ms_source_load(&src, path, name, lang, &error) != 0) {
        fprintf(stderr, "FAIL: %s: %s\n", path, error);
        free(error);
        free(path);
        return 1;
    }
    want_list wants = {0};
    for (uint32_t line = 1; line <= src.nlines; line++) {
        uint32_t len;
        const char *text = ms_source_line_text(&src, line, &len);
        scan_keyword(&wants, line, text, len, "want ", 0);
        scan_keyword(&wants, line, text, len, "want-suppressed ", 1);
    }
    comment_list cs = {0};
    ms_comments_scan(src.text, src.size, src.lang, collect, &cs);

    ms_report report;
    ms_report_init(&report);
    for (size_t i = 0; i < wants.len; i++)
        if (wants.items[i].rule == ms_rule_ms101.id)
            for (int k = 0; k < wants.items[i].wanted; k++)
                ms_report_add_finding(&report, finding_at(&src, &cs, wants.items[i].line));
    ms_source *files[] = {&src};
    ms_suppress_job *job = ms_suppress_apply(files, 1, &report);
    bool enabled[32];
    for (size_t i = 0; i < 32; i++)
        enabled[i] = true;
    ms_suppress_finish(&job, 1, enabled, &report);

    int failures = 0;
    for (size_t i = 0; i < report.findings.len; i++) {
        const ms_finding *f = report.findings.items[i];
        want *w = slot(&wants, f->primary.region.start_line, f->rule_id,
                       f->suppression.suppressed ? 1 : 0);
        w->found++;
        if (f->rule_id != ms_rule_ms101.id && w->found > w->wanted)
            fprintf(stderr, "  %s:%u: %s: %s\n", path, w->line, f->rule_id, f->message);
    }
    for (size_t i = 0; i < wants.len; i++) {
        const want *w = &wants.items[i];
        if (w->found != w->wanted) {
            fprintf(stderr, "FAIL: %s:%u: %s%s: expected %d, got %d\n", path, w->line, w->rule,
                    w->suppressed ? " (suppressed)" : "", w->wanted, w->found);
            failures++;
        }
    }
    printf("%s: %zu expectations, %d mismatches\n", path, wants.len, failures);
    ms_report_free(&report);
    MS_VEC_FREE(&cs);
    MS_VEC_FREE(&wants);
    ms_source_free(&src);
    free(path);
    return failures;
}

int main(int argc, char **argv) {
    int failures = 0, files = 0;
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        if (!d) {
            fprintf(stderr, "FAIL: cannot open %s\n", argv[i]);
            return 1;
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            ms_lang lang;
            if (ms_lang_for_path(e->d_name, &lang) && lang != MS_LANG_GO)
                files++;
            failures += check_file(argv[i], e->d_name);
        }
        closedir(d);
    }
    if (files == 0) {
        fprintf(stderr, "FAIL: no C or C++ fixture files\n");
        return 1;
    }
    return failures ? 1 : 0;
}
