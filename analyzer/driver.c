#include "driver.h"

#include "c/c_frontend.h"
#include "config.h"
#include "go/go_frontend.h"
#include "ir_dump.h"
#include "rule.h"
#include "source.h"
#include "suppress.h"
#include "walk.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* A job is what one worker analyses at a time: the Go files of one directory,
 * or one C/C++ translation unit. A header is a job of its own only when no
 * translation unit includes it. */
typedef struct job {
    ms_lang lang;
    size_t first, count; /* range in the input list */
    ms_report report;    /* this job's results; merged in job order */
    ms_run_stats stats;
    bool header;               /* a C/C++ header: analysed after the translation units */
    bool included;             /* a header some translation unit analysed already */
    ms_c_paths covered;        /* real paths of the headers this unit analysed */
    ms_suppress_job *suppress; /* its suppression comments, for MS001/MS002 */
} job;

typedef struct run_ctx {
    const ms_options *options;
    const ms_catalogue *catalogue;
    const ms_go_frontend *go;
    const ms_c_frontend *c;
    const ms_input_list *inputs;
    job *jobs;
    size_t *order; /* the jobs of the current phase */
    size_t norder;
    bool dump_ir; /* MAPSAFE_DUMP_IR, read once before the workers start */
    atomic_size_t next;
} run_ctx;

typedef struct unit_ctx {
    const ms_options *options;
    ms_report *report;
    bool dump_ir; /* MAPSAFE_DUMP_IR set: print each unit's IR to stderr */
} unit_ctx;

static void run_rules(ms_unit *unit, ms_arena *arena, void *arg) {
    unit_ctx *uc = arg;
    if (uc->dump_ir)
        ms_ir_dump(stderr, unit);
    ms_rule_ctx ctx = {
        .unit = unit,
        .summaries = ms_summaries_compute(arena, unit),
        .arena = arena,
        .report = uc->report,
        .cfgs = MS_NEW_ARRAY(arena, ms_cfg *, unit->nfuncs ? unit->nfuncs : 1),
    };
    for (size_t i = 0; i < ms_rules_count; i++)
        if (uc->options->rule_enabled[i] && ms_rules[i]->run)
            ms_rules[i]->run(&ctx);
}

/* Loads a file; notifications for what cannot be analysed. NULL: skipped. */
static ms_source *load(const ms_input_file *in, ms_report *report) {
    ms_source *src = ms_xcalloc(1, sizeof(*src));
    char *error = NULL;
    if (ms_source_load(src, in->fs_path, in->display, in->lang, &error) != 0) {
        ms_report_notify(report, MS_LEVEL_WARNING, "unreadable-file", in->display, 0, 0, "%s",
                         error);
        free(error);
        free(src);
        return NULL;
    }
    if (src->binary) {
        ms_report_notify(report, MS_LEVEL_WARNING, "binary-file", in->display, 0, 0,
                         "looks like a binary file (it contains NUL bytes); not analysed");
        ms_source_free(src);
        free(src);
        return NULL;
    }
    if (src->first_invalid_utf8 >= 0) {
        ms_region r = ms_source_region(src, (uint32_t)src->first_invalid_utf8,
                                       (uint32_t)src->first_invalid_utf8);
        ms_report_notify(report, MS_LEVEL_WARNING, "invalid-utf8", in->display, r.start_line,
                         r.start_col,
                         "invalid UTF-8; the bytes are read as replacement characters and the "
                         "file is analysed");
    }
    if (src->size == 0)
        ms_report_notify(report, MS_LEVEL_NOTE, "empty-file", in->display, 0, 0,
                         "the file is empty; nothing to analyse");
    return src;
}

static void run_job(run_ctx *rc, job *j, ms_c_worker **cw) {
    ms_source **sources = ms_xcalloc(j->count, sizeof(ms_source *));
    uint32_t n = 0;
    for (size_t i = 0; i < j->count; i++) {
        const ms_input_file *in = &rc->inputs->items[j->first + i];
        ms_source *src = load(in, &j->report);
        if (!src)
            continue;
        sources[n++] = src;
        MS_VEC_PUSH(&j->report.artifacts, ms_xstrdup(in->display));
        j->report.files_analysed++;
        j->stats.files++;
        j->stats.bytes += src->size;
        j->stats.lines += src->nlines;
    }
    unit_ctx uc = {.options = rc->options, .report = &j->report, .dump_ir = rc->dump_ir};
    if (n > 0) {
        switch (j->lang) {
            case MS_LANG_GO:
                ms_go_analyse(rc->go, sources, n, &j->report, run_rules, &uc);
                break;
            case MS_LANG_C:
            case MS_LANG_CXX:
                if (j->included)
                    break; /* analysed with the translation units that include it */
                if (!*cw)
                    *cw = ms_c_worker_new(rc->c);
                ms_c_analyse(*cw, sources[0], &j->report, run_rules, &uc, &j->covered);
                break;
        }
    }
    j->suppress = ms_suppress_apply(sources, n, &j->report);
    for (uint32_t i = 0; i < n; i++) {
        ms_source_free(sources[i]);
        free(sources[i]);
    }
    free(sources);
}

static void *worker(void *arg) {
    run_ctx *rc = arg;
    ms_c_worker *cw = NULL; /* libclang's index, made on first use, reused */
    for (;;) {
        size_t i = atomic_fetch_add(&rc->next, 1);
        if (i >= rc->norder)
            break;
        run_job(rc, &rc->jobs[rc->order[i]], &cw);
    }
    ms_c_worker_free(cw);
    return NULL;
}

static size_t dir_len(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) : 0;
}

static job *make_jobs(const ms_input_list *inputs, size_t *njobs) {
    job *jobs = ms_xcalloc(inputs->len ? inputs->len : 1, sizeof(job));
    size_t n = 0;
    for (size_t i = 0; i < inputs->len;) {
        const ms_input_file *f = &inputs->items[i];
        size_t end = i + 1;
        if (f->lang == MS_LANG_GO) {
            size_t dl = dir_len(f->display);
            while (end < inputs->len && inputs->items[end].lang == MS_LANG_GO &&
                   dir_len(inputs->items[end].display) == dl &&
                   strncmp(inputs->items[end].display, f->display, dl) == 0)
                end++;
        }
        jobs[n].lang = f->lang;
        jobs[n].first = i;
        jobs[n].count = end - i;
        jobs[n].header = f->lang != MS_LANG_GO && ms_path_is_header(f->display);
        ms_report_init(&jobs[n].report);
        n++;
        i = end;
    }
    *njobs = n;
    return jobs;
}

static bool excluded_by_config(const char *display, const void *ctx) {
    return ms_config_excluded(ctx, display);
}

/* Drops the files the configuration file excludes; returns how many. */
static size_t exclude_inputs(const ms_options *o, ms_input_list *inputs) {
    size_t kept = 0;
    for (size_t i = 0; i < inputs->len; i++) {
        ms_input_file *f = &inputs->items[i];
        if (o->excludes.len > 0 && ms_config_excluded(o, f->display)) {
            free(f->fs_path);
            free(f->display);
            continue;
        }
        inputs->items[kept++] = *f;
    }
    size_t dropped = inputs->len - kept;
    inputs->len = kept;
    return dropped;
}

/* Workers get big stacks: lowering recurses with the nesting of the code,
 * up to the frontend's nesting limit. */
enum { WORKER_STACK = 64 * 1024 * 1024 };

/* Runs the jobs in rc->order on up to `jobs` threads. */
static void run_phase(run_ctx *rc, int jobs) {
    atomic_store(&rc->next, 0);
    size_t nthreads = (size_t)(jobs < 1 ? 1 : jobs);
    if (nthreads > rc->norder)
        nthreads = rc->norder ? rc->norder : 1;
    pthread_t *threads = ms_xcalloc(nthreads, sizeof(pthread_t));
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, WORKER_STACK);
    size_t started = 0;
    for (size_t t = 0; t < nthreads; t++)
        if (pthread_create(&threads[t], &attr, worker, rc) == 0)
            started++;
    pthread_attr_destroy(&attr);
    if (started == 0)
        worker(rc); /* no threads available: analyse on this one */
    for (size_t t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    free(threads);
}

static int cmp_strings(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Marks the headers that some translation unit of the first phase analysed:
 * they are not analysed again on their own. */
static void mark_included_headers(run_ctx *rc, size_t njobs) {
    MS_VEC(char *) seen = {0};
    for (size_t i = 0; i < njobs; i++)
        for (size_t k = 0; k < rc->jobs[i].covered.len; k++)
            MS_VEC_PUSH(&seen, rc->jobs[i].covered.items[k]);
    if (seen.len > 1)
        qsort(seen.items, seen.len, sizeof(char *), cmp_strings);
    for (size_t i = 0; i < njobs; i++) {
        job *j = &rc->jobs[i];
        if (!j->header || seen.len == 0)
            continue;
        char *real = ms_c_real_path(rc->inputs->items[j->first].fs_path);
        j->included = real && bsearch(&real, seen.items, seen.len, sizeof(char *), cmp_strings);
        free(real);
    }
    for (size_t i = 0; i < njobs; i++) {
        for (size_t k = 0; k < rc->jobs[i].covered.len; k++)
            free(rc->jobs[i].covered.items[k]);
        MS_VEC_FREE(&rc->jobs[i].covered);
    }
    MS_VEC_FREE(&seen);
}

int ms_run(const ms_options *o, const ms_catalogue *catalogue, ms_report *report,
           ms_run_stats *stats) {
    memset(stats, 0, sizeof(*stats));
    ms_input_list inputs = {0};
    ms_walk_prune prune = {.excluded = excluded_by_config, .ctx = o};
    size_t failures = ms_walk(o->paths.items, o->paths.len, &inputs, report, &prune);
    size_t excluded = exclude_inputs(o, &inputs) + prune.pruned;
    bool all_excluded = excluded > 0 && inputs.len == 0;

    run_ctx rc = {.options = o,
                  .catalogue = catalogue,
                  .inputs = &inputs,
                  .dump_ir = getenv("MAPSAFE_DUMP_IR") != NULL};
    size_t njobs = 0;
    rc.jobs = make_jobs(&inputs, &njobs);
    bool any_c = false;
    for (size_t i = 0; i < njobs; i++)
        any_c |= rc.jobs[i].lang != MS_LANG_GO;
    if (any_c) {
        char *error = NULL;
        rc.c = ms_c_frontend_new(catalogue, o, &inputs, &error);
        if (!rc.c) {
            ms_report_notify(report, MS_LEVEL_ERROR, "compile-database", NULL, 0, 0, "%s", error);
            free(error);
            for (size_t i = 0; i < njobs; i++)
                ms_report_free(&rc.jobs[i].report);
            free(rc.jobs);
            ms_input_list_free(&inputs);
            ms_report_finalize(report);
            return 2;
        }
    }
    rc.go = ms_go_frontend_new(catalogue);
    atomic_init(&rc.next, 0);
    rc.order = ms_xcalloc(njobs ? njobs : 1, sizeof(size_t));

    /* Translation units and Go packages first, then the headers no
     * translation unit included. */
    for (size_t i = 0; i < njobs; i++)
        if (!rc.jobs[i].header)
            rc.order[rc.norder++] = i;
    run_phase(&rc, o->jobs);
    mark_included_headers(&rc, njobs);
    rc.norder = 0;
    for (size_t i = 0; i < njobs; i++)
        if (rc.jobs[i].header)
            rc.order[rc.norder++] = i;
    if (rc.norder)
        run_phase(&rc, o->jobs);
    free(rc.order);

    ms_suppress_job **suppress = ms_xcalloc(njobs ? njobs : 1, sizeof(*suppress));
    for (size_t i = 0; i < njobs; i++) {
        stats->files += rc.jobs[i].stats.files;
        stats->lines += rc.jobs[i].stats.lines;
        stats->bytes += rc.jobs[i].stats.bytes;
        ms_report_merge(report, &rc.jobs[i].report);
        ms_report_free(&rc.jobs[i].report);
        suppress[i] = rc.jobs[i].suppress;
        for (size_t k = 0; k < rc.jobs[i].covered.len; k++)
            free(rc.jobs[i].covered.items[k]);
        MS_VEC_FREE(&rc.jobs[i].covered);
    }
    ms_suppress_finish(suppress, njobs, o->rule_enabled, report);
    free(suppress);
    free(rc.jobs);
    ms_go_frontend_free((ms_go_frontend *)rc.go);
    ms_c_frontend_free((ms_c_frontend *)rc.c);
    ms_input_list_free(&inputs);
    ms_report_finalize(report);

    if (failures > 0)
        return 2;
    if (report->files_analysed == 0 && all_excluded) {
        ms_report_notify(report, MS_LEVEL_NOTE, "all-excluded", NULL, 0, 0,
                         "every file was excluded by the exclude list of %s", MS_CONFIG_FILE);
        return 0;
    }
    if (report->files_analysed == 0) {
        ms_report_notify(report, MS_LEVEL_ERROR, "nothing-analysed", NULL, 0, 0,
                         "no Go, C or C++ file could be analysed");
        return 2;
    }
    return 0;
}

int ms_exit_status(const ms_options *o, const ms_report *report) {
    if (o->fail_on == MS_LEVEL_NONE)
        return 0;
    for (size_t i = 0; i < report->findings.len; i++) {
        const ms_finding *f = report->findings.items[i];
        if (f->suppression.suppressed)
            continue;
        if (o->baseline && f->baseline != MS_BASELINE_NEW)
            continue;
        if (f->level >= o->fail_on)
            return 1;
    }
    return 0;
}
