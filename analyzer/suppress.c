/* Suppression comments: where they apply, which findings they silence, and
 * MS001/MS002 for the ones that are unused or malformed. See suppress.h. */
#include "suppress.h"

#include "comments.h"
#include "rule.h"
#include "vec.h"
#include "xalloc.h"

#include <string.h>

typedef struct sup {
    ms_sup_directive d;
    uint32_t targets[3]; /* lines whose statements it covers (not for MS_SUP_FILE) */
    uint8_t ntargets;
    uint32_t from, to; /* nolint above a construct: findings starting on these lines */
    uint32_t used;     /* rule bits that matched a finding */
    ms_region region;
    char *snippet; /* the comment without whitespace: MS001/MS002 fingerprints */
} sup;

typedef struct sup_file {
    char *path;
    ms_lang lang;
    bool owned; /* a file of a job: its MS001/MS002 are reported */
    bool clean; /* its job had no warnings: an unused comment is really unused */
    MS_VEC(sup) items;
} sup_file;

struct ms_suppress_job {
    MS_VEC(sup_file) files;
};

/* ---- finding the comments of a file ------------------------------------- */

typedef MS_VEC(ms_comment) comment_list;

static void collect(const ms_comment *c, void *ctx) {
    MS_VEC_PUSH((comment_list *)ctx, *c);
}

/* Cheap test that lets most files skip the comment scan. */
static bool may_hold_suppressions(const ms_source *src) {
    return strstr(src->text, "mapsafe") || strstr(src->text, "lint") || strstr(src->text, "LINT");
}

static bool blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* The comment or literal holding byte `at`, or NULL. */
static const ms_comment *comment_at(const comment_list *cs, uint32_t at) {
    size_t lo = 0, hi = cs->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cs->items[mid].end <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < cs->len && cs->items[lo].start <= at ? &cs->items[lo] : NULL;
}

/* True when [from, to) holds nothing but whitespace and comments. */
static bool only_comments(const ms_source *src, const comment_list *cs, uint32_t from,
                          uint32_t to) {
    for (uint32_t p = from; p < to;) {
        if (blank(src->text[p])) {
            p++;
            continue;
        }
        const ms_comment *c = comment_at(cs, p);
        if (!c || c->literal)
            return false;
        p = c->end;
    }
    return true;
}

static uint32_t line_start(const ms_source *src, uint32_t line) {
    return src->line_starts[line - 1];
}

static uint32_t line_end(const ms_source *src, uint32_t line) {
    return line < src->nlines ? src->line_starts[line] - 1 : src->size;
}

static bool blank_line(const ms_source *src, uint32_t line) {
    for (uint32_t p = line_start(src, line); p < line_end(src, line); p++)
        if (!blank(src->text[p]))
            return false;
    return true;
}

/* The first line of code after a comment that stands on its own lines,
 * across other comment-only lines but not across a blank line; 0 if none. */
static uint32_t next_code_line(const ms_source *src, const comment_list *cs, uint32_t after) {
    for (uint32_t line = after + 1; line <= src->nlines; line++) {
        const ms_comment *inside = comment_at(cs, line_start(src, line));
        if (blank_line(src, line) && !(inside && !inside->literal))
            return 0; /* a blank line, not one inside a block comment */
        if (!only_comments(src, cs, line_start(src, line), line_end(src, line)))
            return line;
    }
    return 0;
}

static void add_target(sup *s, uint32_t line) {
    for (uint8_t i = 0; i < s->ntargets; i++)
        if (s->targets[i] == line)
            return;
    if (line > 0 && s->ntargets < 3)
        s->targets[s->ntargets++] = line;
}

static bool starts_package_clause(const ms_source *src, uint32_t line) {
    uint32_t len;
    const char *text = ms_source_line_text(src, line, &len);
    while (len > 0 && blank(*text)) {
        text++;
        len--;
    }
    return len > 8 && strncmp(text, "package", 7) == 0 && blank(text[7]);
}

static uint32_t first_code_byte(const ms_source *src, uint32_t line) {
    uint32_t p = line_start(src, line);
    while (p < line_end(src, line) && blank(src->text[p]))
        p++;
    return p;
}

/* The last line of the Go construct that starts at byte p: brackets are
 * balanced and the line ends a statement by Go's semicolon rule (its last
 * token is an identifier, a literal, `)`, `]`, `}`, `++` or `--`). */
static uint32_t go_construct_end(const ms_source *src, const comment_list *cs, uint32_t p) {
    int depth = 0;
    char last = 0, before = 0;
    while (p < src->size) {
        const ms_comment *skip = comment_at(cs, p);
        if (skip) {
            if (skip->literal) {
                before = last;
                last = '"';
            }
            p = skip->end > p ? skip->end : p + 1;
            continue;
        }
        char c = src->text[p];
        if (c == '\n' && depth <= 0 && last) {
            bool ends = last == '"' || last == ')' || last == ']' || last == '}' || last == '_' ||
                        (last >= '0' && last <= '9') || (last >= 'a' && last <= 'z') ||
                        (last >= 'A' && last <= 'Z') || (unsigned char)last >= 0x80 ||
                        ((last == '+' || last == '-') && before == last);
            if (ends)
                return ms_source_line_of(src, p);
        }
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if (c == ')' || c == ']' || c == '}')
            depth--;
        if (!blank(c)) {
            before = last;
            last = c;
        }
        p++;
    }
    return src->nlines;
}

/* golangci-lint: a nolint comment on lines of its own covers the whole
 * construct that starts on the next line at the comment's column (a
 * function declaration, a loop with its body, a statement). */
static void golangci_range(sup *s, const ms_source *src, const comment_list *cs,
                           const ms_comment *c, uint32_t first, uint32_t next) {
    uint32_t code = first_code_byte(src, next);
    if (code - line_start(src, next) != c->start - line_start(src, first))
        return;
    s->from = next;
    s->to = go_construct_end(src, cs, code);
}

static void place(sup *s, const ms_source *src, const comment_list *cs, const ms_comment *c) {
    uint32_t first = ms_source_line_of(src, c->start);
    uint32_t last = ms_source_line_of(src, c->end > c->start ? c->end - 1 : c->start);
    switch (s->d.place) {
        case MS_SUP_SAME_LINE:
            add_target(s, first);
            break;
        case MS_SUP_NEXT_LINE:
            add_target(s, last + 1);
            break;
        case MS_SUP_STATEMENT: {
            add_target(s, first);
            add_target(s, last);
            bool alone = only_comments(src, cs, line_start(src, first), c->start) &&
                         only_comments(src, cs, c->end, line_end(src, last));
            uint32_t next = alone ? next_code_line(src, cs, last) : 0;
            if (next && s->d.golangci && src->lang == MS_LANG_GO &&
                starts_package_clause(src, next))
                s->d.place = MS_SUP_FILE; /* golangci-lint: nolint above package */
            else
                add_target(s, next);
            if (next && s->d.golangci && src->lang == MS_LANG_GO && s->d.place != MS_SUP_FILE)
                golangci_range(s, src, cs, c, first, next);
            break;
        }
        case MS_SUP_FILE:
        case MS_SUP_NONE:
            break;
    }
}

static sup_file *add_file(ms_suppress_job *job, const ms_source *src, bool owned) {
    sup_file f = {.path = ms_xstrdup(src->path), .lang = src->lang, .owned = owned};
    MS_VEC_PUSH(&job->files, f);
    return &job->files.items[job->files.len - 1];
}

/* The suppression comments of one loaded file; NULL when it has none. */
static sup_file *scan_file(ms_suppress_job *job, const ms_source *src, bool owned) {
    if (!src->text || !may_hold_suppressions(src))
        return NULL;
    comment_list cs = {0};
    ms_code_scan(src->text, src->size, src->lang, collect, &cs);
    sup_file *file = NULL;
    for (size_t i = 0; i < cs.len; i++) {
        const ms_comment *c = &cs.items[i];
        if (c->literal)
            continue;
        sup s = {0};
        ms_sup_parse(src->text + c->body_start, c->body_end - c->body_start, c->block, src->lang,
                     &s.d);
        if (s.d.place == MS_SUP_NONE)
            continue;
        place(&s, src, &cs, c);
        s.region = ms_source_region(src, c->start, c->end);
        s.snippet = ms_normalize_snippet(src->text + c->start, c->end - c->start);
        if (!file)
            file = add_file(job, src, owned);
        MS_VEC_PUSH(&file->items, s);
    }
    MS_VEC_FREE(&cs);
    return file;
}

/* ---- matching findings ---------------------------------------------------- */

static bool covers(const sup *s, const ms_region *r) {
    if (s->d.place == MS_SUP_FILE)
        return true;
    if (s->to && r->start_line >= s->from && r->start_line <= s->to)
        return true;
    for (uint8_t i = 0; i < s->ntargets; i++)
        if (s->targets[i] >= r->start_line && s->targets[i] <= r->end_line)
            return true;
    return false;
}

static void match(sup_file *file, ms_finding *f) {
    const ms_rule *rule = ms_rule_find(f->rule_id);
    size_t index = rule ? ms_rule_index(rule) : 32;
    if (index >= 32)
        return;
    uint32_t bit = 1u << index;
    const char *why = NULL;
    bool hit = false;
    for (size_t i = 0; i < file->items.len; i++) {
        sup *s = &file->items.items[i];
        if (!(s->d.rules & bit) || !covers(s, &f->primary.region))
            continue;
        s->used |= bit;
        hit = true;
        if (!why)
            why = s->d.justification;
    }
    if (!hit)
        return;
    f->suppression.suppressed = true;
    free(f->suppression.justification);
    f->suppression.justification = why ? ms_xstrdup(why) : NULL;
}

/* A warning about any file of a job (a syntax error, say) may hide findings
 * in its other files too: a Go package is analysed as a whole. */
static bool has_warnings(const ms_report *report) {
    for (size_t i = 0; i < report->notifications.len; i++)
        if (report->notifications.items[i].level >= MS_LEVEL_WARNING)
            return true;
    return false;
}

static sup_file *find_file(ms_suppress_job *job, const char *path) {
    for (size_t i = 0; i < job->files.len; i++)
        if (strcmp(job->files.items[i].path, path) == 0)
            return &job->files.items[i];
    return NULL;
}

/* A finding in a file that is not one of the job's (a header included by a
 * translation unit): that file is read here. Its comments suppress, but
 * its MS001/MS002 are left to the job that analyses it, if any. */
static sup_file *load_other(ms_suppress_job *job, const char *path, bool clean) {
    ms_source src = {0};
    char *error = NULL;
    ms_lang lang = MS_LANG_C;
    ms_lang_for_path(path, &lang);
    sup_file *file = NULL;
    if (ms_source_load(&src, path, path, lang, &error) == 0 && !src.binary)
        file = scan_file(job, &src, false);
    free(error);
    if (src.text)
        ms_source_free(&src);
    if (!file) { /* remember that it has none */
        sup_file none = {.path = ms_xstrdup(path), .lang = lang};
        MS_VEC_PUSH(&job->files, none);
        file = &job->files.items[job->files.len - 1];
    }
    file->clean = clean;
    return file;
}

ms_suppress_job *ms_suppress_apply(ms_source *const *files, uint32_t nfiles, ms_report *report) {
    ms_suppress_job *job = ms_xcalloc(1, sizeof(*job));
    bool clean = !has_warnings(report);
    for (uint32_t i = 0; i < nfiles; i++) {
        sup_file *file = scan_file(job, files[i], true);
        if (file)
            file->clean = clean;
    }
    for (size_t i = 0; i < report->findings.len; i++) {
        ms_finding *f = report->findings.items[i];
        if (!f->primary.path)
            continue;
        sup_file *file = find_file(job, f->primary.path);
        if (!file) {
            bool own = false;
            for (uint32_t k = 0; k < nfiles && !own; k++)
                own = strcmp(files[k]->path, f->primary.path) == 0;
            if (own)
                continue; /* a file of the job without suppressions */
            file = load_other(job, f->primary.path, clean);
        }
        match(file, f);
    }
    return job;
}

/* ---- MS001 and MS002, once all jobs are merged ------------------------------ */

static void free_file(sup_file *file) {
    for (size_t i = 0; i < file->items.len; i++) {
        ms_sup_directive_clear(&file->items.items[i].d);
        free(file->items.items[i].snippet);
    }
    MS_VEC_FREE(&file->items);
    free(file->path);
}

static int cmp_files(const void *a, const void *b) {
    return strcmp(((const sup_file *)a)->path, ((const sup_file *)b)->path);
}

static ms_finding *hygiene_finding(ms_report *report, const ms_rule *rule, const sup_file *file,
                                   const sup *s, char *message) {
    ms_finding *f =
        ms_finding_new(rule->id, file->lang == MS_LANG_GO ? rule->level_go : rule->level_c);
    f->message = message;
    f->primary.path = ms_xstrdup(file->path);
    f->primary.region = s->region;
    f->snippet = ms_xstrdup(s->snippet);
    f->context = ms_xstrdup("");
    ms_report_add_finding(report, f);
    return f;
}

/* "MS101, MS202" for the rule bits. */
/* The unused part of a suppression as it would be written: "mapsafe:ignore
 * MS101, MS202" or, for clang-tidy's forms, "NOLINT(mapsafe-MS101)". */
static char *written(const sup *s, uint32_t bits) {
    bool clang = strncmp(s->d.form, "NOLINT", 6) == 0;
    char *out = ms_xstrdup("");
    for (size_t i = 0; i < ms_rules_count && i < 32; i++) {
        if (!(bits & (1u << i)))
            continue;
        char *next = ms_xasprintf("%s%s%s%s", out, *out ? (clang ? "," : ", ") : "",
                                  clang ? "mapsafe-" : "", ms_rules[i]->id);
        free(out);
        out = next;
    }
    char *all = ms_xasprintf(clang ? "%s(%s)" : "%s %s", s->d.form, out);
    free(out);
    return all;
}

/* The MS001 message for an unused comment, or NULL when it is used or
 * cannot be judged (a rule it names did not run). */
static char *unused_message(const sup *s, uint32_t ran, uint32_t implemented) {
    uint32_t analysis = ms_sup_analysis_rules();
    uint32_t ms001 = 1u << ms_rule_index(&ms_rule_ms001);
    const char *where = s->d.place == MS_SUP_FILE ? " in this file" : "";
    const char *advice = s->d.place == MS_SUP_FILE
                             ? "remove it"
                             : "remove it, or move it to the statement it is meant for";
    if (s->d.blanket)
        return NULL; /* also meant for other tools */
    if (s->d.all_rules) {
        if (s->used || (implemented & analysis & ~ran))
            return NULL;
        return ms_xasprintf("unused suppression: %s matched no finding%s; %s", s->d.form, where,
                            advice);
    }
    uint32_t unused = s->d.rules & ~s->used & ran & ~ms001;
    if (!unused)
        return NULL;
    char *what = written(s, unused);
    char *msg =
        ms_xasprintf("unused suppression: %s matched no finding%s; %s", what, where, advice);
    free(what);
    return msg;
}

/* File-level suppressions of MS001/MS002 (the only ones those rules have). */
static void match_file_level(sup_file *file, ms_finding *f) {
    uint32_t bit = 1u << ms_rule_index(ms_rule_find(f->rule_id));
    for (size_t i = 0; i < file->items.len; i++) {
        sup *s = &file->items.items[i];
        if (s->d.place != MS_SUP_FILE || !(s->d.rules & bit))
            continue;
        s->used |= bit;
        if (!f->suppression.suppressed || !f->suppression.justification) {
            free(f->suppression.justification);
            f->suppression.justification =
                s->d.justification ? ms_xstrdup(s->d.justification) : NULL;
        }
        f->suppression.suppressed = true;
    }
}

static void report_file(sup_file *file, uint32_t ran, uint32_t implemented, ms_report *report) {
    if (!file->owned)
        return;
    if (ran & (1u << ms_rule_index(&ms_rule_ms002))) {
        for (size_t i = 0; i < file->items.len; i++) {
            sup *s = &file->items.items[i];
            if (!s->d.problem)
                continue;
            char *msg = ms_xasprintf("malformed suppression: %s", s->d.problem);
            match_file_level(file, hygiene_finding(report, &ms_rule_ms002, file, s, msg));
        }
    }
    if (!file->clean || !(ran & (1u << ms_rule_index(&ms_rule_ms001))))
        return;
    for (size_t i = 0; i < file->items.len; i++) {
        char *msg = unused_message(&file->items.items[i], ran, implemented);
        if (msg)
            match_file_level(
                file, hygiene_finding(report, &ms_rule_ms001, file, &file->items.items[i], msg));
    }
}

/* Folds `from` (the same file, seen by another job: a header) into `into`.
 * A comment is used if any job used it, and judged only if every job that
 * saw the file analysed it without warnings. */
static void merge_file(sup_file *into, sup_file *from) {
    into->clean = into->clean && from->clean;
    into->owned = into->owned || from->owned;
    if (into->items.len == from->items.len)
        for (size_t i = 0; i < into->items.len; i++)
            into->items.items[i].used |= from->items.items[i].used;
}

void ms_suppress_finish(ms_suppress_job **jobs, size_t njobs, const bool *rule_enabled,
                        ms_report *report) {
    uint32_t ran = 0, implemented = 0;
    for (size_t i = 0; i < ms_rules_count && i < 32; i++) {
        const ms_rule *r = ms_rules[i];
        bool hygiene = r == &ms_rule_ms001 || r == &ms_rule_ms002;
        if (r->run || hygiene) {
            implemented |= 1u << i;
            if (rule_enabled[i])
                ran |= 1u << i;
        }
    }
    MS_VEC(sup_file) all = {0};
    for (size_t j = 0; j < njobs; j++) {
        if (!jobs[j])
            continue;
        for (size_t i = 0; i < jobs[j]->files.len; i++)
            if (jobs[j]->files.items[i].items.len > 0)
                MS_VEC_PUSH(&all, jobs[j]->files.items[i]);
            else
                free_file(&jobs[j]->files.items[i]);
        MS_VEC_FREE(&jobs[j]->files);
        free(jobs[j]);
    }
    if (all.len > 1)
        qsort(all.items, all.len, sizeof(sup_file), cmp_files);
    for (size_t i = 0; i < all.len;) {
        size_t k = i + 1;
        for (; k < all.len && strcmp(all.items[k].path, all.items[i].path) == 0; k++) {
            merge_file(&all.items[i], &all.items[k]);
            free_file(&all.items[k]);
        }
        report_file(&all.items[i], ran, implemented, report);
        free_file(&all.items[i]);
        i = k;
    }
    MS_VEC_FREE(&all);
}
