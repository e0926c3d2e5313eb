/* mapsafe: the command-line entry point. */
#include "baseline.h"
#include "config.h"
#include "driver.h"
#include "fix.h"
#include "options.h"
#include "writers.h"
#include "xalloc.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

static int load_models(const ms_options *o, ms_catalogue *cat) {
    char *error = NULL;
    if (ms_catalogue_add_bundled(cat, &error) != 0) {
        fprintf(stderr, "mapsafe: bundled model: %s\n", error);
        free(error);
        return -1;
    }
    for (size_t i = 0; i < o->models.len; i++) {
        if (ms_catalogue_add_file(cat, o->models.items[i], &error) != 0) {
            fprintf(stderr, "mapsafe: %s\n", error);
            free(error);
            return -1;
        }
    }
    return 0;
}

static int load_baseline(const ms_options *o, ms_baseline **out) {
    if (!o->baseline)
        return 0;
    char *error = NULL;
    *out = ms_baseline_load(o->baseline, &error);
    if (!*out) {
        fprintf(stderr, "mapsafe: %s\n", error);
        free(error);
        return -1;
    }
    return 0;
}

static int write_report(const ms_options *o, const ms_report *report, const ms_report *absent,
                        bool ok) {
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd) - 1))
        strcpy(cwd, "/");
    size_t n = strlen(cwd);
    if (n == 0 || cwd[n - 1] != '/')
        strcat(cwd, "/");
    ms_writer_opts wo = {.srcroot = cwd,
                         .hide_suppressed = o->hide_suppressed,
                         .baseline = o->baseline != NULL,
                         .execution_successful = ok,
                         .absent = absent};
    FILE *out = stdout;
    if (o->output) {
        out = fopen(o->output, "w");
        if (!out) {
            fprintf(stderr, "mapsafe: cannot write %s: %s\n", o->output, strerror(errno));
            return -1;
        }
    }
    int rc;
    switch (o->format) {
        case MS_FORMAT_SARIF:
            rc = ms_write_sarif(out, report, &wo);
            break;
        case MS_FORMAT_GITHUB:
            rc = ms_write_github(out, report, &wo);
            break;
        default:
            rc = ms_write_text(out, report, &wo);
            break;
    }
    if (o->format != MS_FORMAT_SARIF)
        ms_write_notifications(stderr, report);
    if (out != stdout && fclose(out) != 0)
        rc = -1;
    else if (out == stdout && fflush(stdout) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "mapsafe: error writing the report\n");
    return rc;
}

int main(int argc, char **argv) {
    ms_options o;
    switch (ms_options_parse(&o, argc, argv, stdout, stderr)) {
        case MS_PARSE_DONE:
            ms_options_free(&o);
            return 0;
        case MS_PARSE_USAGE:
            ms_options_free(&o);
            return 2;
        case MS_PARSE_RUN:
            break;
    }
    ms_baseline *baseline = NULL;
    if (ms_config_load(&o, MS_CONFIG_FILE, stderr) != 0 || load_baseline(&o, &baseline) != 0) {
        ms_options_free(&o);
        return 2;
    }
    ms_catalogue *cat = ms_catalogue_new();
    if (load_models(&o, cat) != 0) {
        ms_catalogue_free(cat);
        ms_baseline_free(baseline);
        ms_options_free(&o);
        return 2;
    }
    ms_report report, absent;
    ms_report_init(&report);
    ms_report_init(&absent);
    ms_run_stats stats;
    int status = o.fix ? ms_run_fix(&o, cat, &report, &stats) : ms_run(&o, cat, &report, &stats);
    if (baseline)
        ms_baseline_apply(baseline, &o, &report, &absent);
    if (write_report(&o, &report, &absent, status == 0) != 0)
        status = 2;
    if (status == 0)
        status = ms_exit_status(&o, &report);
    ms_report_free(&report);
    ms_report_free(&absent);
    ms_baseline_free(baseline);
    ms_catalogue_free(cat);
    ms_options_free(&o);
    return status;
}
