/* Runs mapsafe over a Go tree and prints what it costs: files, lines, bytes,
 * wall and CPU time, MB/s and peak RSS (median of several runs).
 *
 * usage: bench_go_tree [--mapsafe PATH] [--runs N] [-j N] [--] [ARGS...] [TREE]
 * TREE defaults to Debian's golang-1.19-src (/usr/share/go-1.19/src);
 * ARGS after -- go to mapsafe unchanged (for example --enable MS101).
 * It walks TREE with mapsafe's own walker, so the counts are exactly the
 * files mapsafe analyses. A benchmark, not a test: it asserts nothing. */
/* wait4() for the child's resource usage is a BSD/GNU interface. */
#define _DEFAULT_SOURCE

#include "report.h"
#include "walk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MAPSAFE_BINARY
#define MAPSAFE_BINARY "mapsafe"
#endif

typedef struct sample {
    double wall, user, sys;
    long max_rss_kb;
    int status;
} sample;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv(struct timeval t) {
    return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

static int run_once(char **argv, sample *s) {
    double start = now();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        /* The report is not what is measured: discard it. */
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0)
        return -1;
    s->wall = now() - start;
    s->user = tv(ru.ru_utime);
    s->sys = tv(ru.ru_stime);
    s->max_rss_kb = ru.ru_maxrss;
    s->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return 0;
}

static int by_wall(const void *a, const void *b) {
    double x = ((const sample *)a)->wall, y = ((const sample *)b)->wall;
    return x < y ? -1 : x > y;
}

static void count_tree(const char *tree, size_t *files, size_t *lines, size_t *bytes) {
    ms_input_list inputs = {0};
    ms_report notes;
    ms_report_init(&notes);
    char *paths[] = {(char *)tree};
    ms_walk(paths, 1, &inputs, &notes, NULL);
    *files = *lines = *bytes = 0;
    for (size_t i = 0; i < inputs.len; i++) {
        FILE *f = fopen(inputs.items[i].fs_path, "rb");
        if (!f)
            continue;
        char buf[1 << 16];
        size_t n;
        while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
            *bytes += n;
            for (size_t k = 0; k < n; k++)
                *lines += buf[k] == '\n';
        }
        fclose(f);
        (*files)++;
    }
    ms_input_list_free(&inputs);
    ms_report_free(&notes);
}

int main(int argc, char **argv) {
    const char *mapsafe = MAPSAFE_BINARY, *tree = "/usr/share/go-1.19/src", *jobs = NULL;
    int runs = 3;
    char *extra[32];
    int nextra = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--mapsafe") == 0 && i + 1 < argc) {
            mapsafe = argv[++i];
        } else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = atoi(argv[++i]);
        } else if (strcmp(argv[i], "-j") == 0 && i + 1 < argc) {
            jobs = argv[++i];
        } else if (strcmp(argv[i], "--") == 0) {
            for (i++; i < argc - 1 && nextra < 30; i++)
                extra[nextra++] = argv[i];
            if (i < argc)
                tree = argv[i];
        } else if (argv[i][0] != '-') {
            tree = argv[i];
        } else {
            fprintf(
                stderr,
                "usage: bench_go_tree [--mapsafe PATH] [--runs N] [-j N] [-- ARGS...] [TREE]\n");
            return 2;
        }
    }
    if (runs < 1)
        runs = 1;
    struct stat st;
    if (stat(tree, &st) != 0) {
        fprintf(stderr,
                "bench_go_tree: %s: %s\n(install Debian's golang-1.19-src, or name another tree)\n",
                tree, strerror(errno));
        return 2;
    }
    size_t files, lines, bytes;
    count_tree(tree, &files, &lines, &bytes);

    char *args[48];
    int n = 0;
    args[n++] = (char *)mapsafe;
    if (jobs) {
        args[n++] = "-j";
        args[n++] = (char *)jobs;
    }
    args[n++] = "--fail-on";
    args[n++] = "none";
    for (int i = 0; i < nextra; i++)
        args[n++] = extra[i];
    args[n++] = (char *)tree;
    args[n] = NULL;

    sample *samples = calloc((size_t)runs, sizeof(sample));
    for (int r = 0; r < runs; r++) {
        if (run_once(args, &samples[r]) != 0 || samples[r].status != 0) {
            fprintf(stderr, "bench_go_tree: mapsafe failed (status %d)\n", samples[r].status);
            return 1;
        }
    }
    qsort(samples, (size_t)runs, sizeof(sample), by_wall);
    sample med = samples[runs / 2];
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    printf("mapsafe benchmark: %s\n", tree);
    printf("  mapsafe      %s%s%s\n", mapsafe, jobs ? " -j " : "", jobs ? jobs : "");
    printf("  cpus         %ld\n", cpus);
    printf("  files        %zu\n", files);
    printf("  lines        %zu\n", lines);
    printf("  MB           %.1f\n", (double)bytes / 1e6);
    printf("  runs         %d (median by wall time)\n", runs);
    printf("  wall         %.2f s (min %.2f, max %.2f)\n", med.wall, samples[0].wall,
           samples[runs - 1].wall);
    printf("  cpu          %.2f s user, %.2f s sys\n", med.user, med.sys);
    printf("  throughput   %.1f MB/s, %.0f lines/s\n", (double)bytes / 1e6 / med.wall,
           (double)lines / med.wall);
    printf("  peak RSS     %.0f MB\n", (double)med.max_rss_kb / 1024.0);
    free(samples);
    return 0;
}
