/* Compares mapsafe with clang-tidy on a C/C++ code base with a compile
 * database: both analyse exactly the translation units the database lists,
 * with the same parallelism (mapsafe -j N; N clang-tidy processes at a time,
 * as run-clang-tidy runs them), and clang-tidy runs a single cheap check.
 * Prints the median wall and CPU time of each and the ratio.
 *
 * usage: bench_cfamily [--mapsafe PATH] [--clang-tidy PATH] [--check NAME]
 *                      [--runs N] [-j N] BUILD_DIR
 * BUILD_DIR holds compile_commands.json; run.sh fetches and configures a
 * Debian source package to make one. A benchmark, not a test. */
/* wait4() for a child's resource usage is a BSD/GNU interface. */
#define _DEFAULT_SOURCE

#include "vec.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MAPSAFE_BINARY
#define MAPSAFE_BINARY "mapsafe"
#endif

typedef MS_VEC(char *) string_vec;

typedef struct sample {
    double wall, cpu;
    int failures; /* runs that did not exit as expected */
} sample;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double children_cpu(void) {
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static pid_t spawn(char **argv) {
    fflush(stdout); /* or the child's freopen would print it again */
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            _exit(127);
        execvp(argv[0], argv);
        _exit(127);
    }
    return pid;
}

/* The translation units of the database, as absolute paths, once each. */
static int read_database(const char *dir, string_vec *files) {
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/compile_commands.json", dir);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench_cfamily: cannot open %s\n", path);
        return -1;
    }
    MS_VEC(char) text = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        MS_VEC_RESERVE(&text, text.len + got + 1);
        memcpy(text.items + text.len, chunk, got);
        text.len += got;
    }
    fclose(f);
    cJSON *root = cJSON_ParseWithLength(text.items, text.len);
    MS_VEC_FREE(&text);
    if (!cJSON_IsArray(root)) {
        fprintf(stderr, "bench_cfamily: %s is not a compile database\n", path);
        cJSON_Delete(root);
        return -1;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, root) {
        const cJSON *file = cJSON_GetObjectItemCaseSensitive(e, "file");
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "directory");
        if (!cJSON_IsString(file))
            continue;
        char *abs = file->valuestring[0] == '/' || !cJSON_IsString(d)
                        ? ms_xstrdup(file->valuestring)
                        : ms_xasprintf("%s/%s", d->valuestring, file->valuestring);
        bool seen = false;
        for (size_t i = 0; i < files->len && !seen; i++)
            seen = strcmp(files->items[i], abs) == 0;
        if (seen)
            free(abs);
        else
            MS_VEC_PUSH(files, abs);
    }
    cJSON_Delete(root);
    return 0;
}

static sample run_mapsafe(const char *mapsafe, const char *dir, int jobs, const string_vec *files) {
    string_vec argv = {0};
    char jarg[32];
    snprintf(jarg, sizeof(jarg), "-j%d", jobs);
    const char *fixed[] = {mapsafe, "-p", dir, jarg, "--format", "sarif", "-o", "/dev/null"};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        MS_VEC_PUSH(&argv, (char *)fixed[i]);
    for (size_t i = 0; i < files->len; i++)
        MS_VEC_PUSH(&argv, files->items[i]);
    MS_VEC_PUSH(&argv, NULL);
    sample s = {0};
    double cpu = children_cpu(), start = now();
    pid_t pid = spawn(argv.items);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) > 1)
        s.failures++;
    s.wall = now() - start;
    s.cpu = children_cpu() - cpu;
    MS_VEC_FREE(&argv);
    return s;
}

/* One clang-tidy process per translation unit, `jobs` at a time. */
static sample run_tidy(const char *tidy, const char *dir, const char *check, int jobs,
                       const string_vec *files) {
    char checks[256], parg[PATH_MAX + 4];
    snprintf(checks, sizeof(checks), "-checks=-*,%s", check);
    snprintf(parg, sizeof(parg), "-p=%s", dir);
    sample s = {0};
    double cpu = children_cpu(), start = now();
    size_t next = 0, running = 0;
    while (next < files->len || running > 0) {
        while (running < (size_t)jobs && next < files->len) {
            char *argv[] = {(char *)tidy, checks, parg, "-quiet", files->items[next++], NULL};
            if (spawn(argv) > 0)
                running++;
            else
                s.failures++;
        }
        int status;
        if (wait(&status) < 0)
            break;
        running--;
        /* clang-tidy exits 1 when it finds something; crashes are failures */
        if (!WIFEXITED(status))
            s.failures++;
    }
    s.wall = now() - start;
    s.cpu = children_cpu() - cpu;
    return s;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv) {
    const char *mapsafe = MAPSAFE_BINARY, *tidy = "clang-tidy";
    const char *check = "misc-unused-alias-decls", *dir = NULL;
    int runs = 3, jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--mapsafe") == 0 && i + 1 < argc)
            mapsafe = argv[++i];
        else if (strcmp(argv[i], "--clang-tidy") == 0 && i + 1 < argc)
            tidy = argv[++i];
        else if (strcmp(argv[i], "--check") == 0 && i + 1 < argc)
            check = argv[++i];
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "-j") == 0 && i + 1 < argc)
            jobs = atoi(argv[++i]);
        else if (argv[i][0] != '-')
            dir = argv[i];
        else {
            fprintf(stderr, "usage: bench_cfamily [--mapsafe PATH] [--clang-tidy PATH] "
                            "[--check NAME] [--runs N] [-j N] BUILD_DIR\n");
            return 2;
        }
    }
    if (!dir || runs < 1 || runs > 100 || jobs < 1) {
        fprintf(stderr, "bench_cfamily: give the directory of compile_commands.json\n");
        return 2;
    }
    string_vec files = {0};
    if (read_database(dir, &files) != 0)
        return 2;
    printf("compile database: %s/compile_commands.json, %zu translation units\n", dir, files.len);
    printf("parallelism: %d; clang-tidy check: %s; %d runs each, alternating\n\n", jobs, check,
           runs);
    double *mw = ms_xcalloc((size_t)runs, sizeof(double)),
           *mc = ms_xcalloc((size_t)runs, sizeof(double));
    double *tw = ms_xcalloc((size_t)runs, sizeof(double)),
           *tc = ms_xcalloc((size_t)runs, sizeof(double));
    int mfail = 0, tfail = 0;
    for (int r = 0; r < runs; r++) {
        sample m = run_mapsafe(mapsafe, dir, jobs, &files);
        sample t = run_tidy(tidy, dir, check, jobs, &files);
        mw[r] = m.wall;
        mc[r] = m.cpu;
        tw[r] = t.wall;
        tc[r] = t.cpu;
        mfail += m.failures;
        tfail += t.failures;
        printf("run %d: mapsafe %.2f s wall, %.2f s CPU; clang-tidy %.2f s wall, %.2f s CPU\n",
               r + 1, m.wall, m.cpu, t.wall, t.cpu);
        fflush(stdout);
    }
    double mwall = median(mw, runs), mcpu = median(mc, runs);
    double twall = median(tw, runs), tcpu = median(tc, runs);
    printf("\n%-12s %12s %12s\n", "median", "wall (s)", "CPU (s)");
    printf("%-12s %12.2f %12.2f\n", "mapsafe", mwall, mcpu);
    printf("%-12s %12.2f %12.2f\n", "clang-tidy", twall, tcpu);
    printf("\nmapsafe / clang-tidy: %.2fx wall, %.2fx CPU (below 1: mapsafe is faster)\n",
           twall > 0 ? mwall / twall : 0, tcpu > 0 ? mcpu / tcpu : 0);
    if (mfail || tfail)
        printf("failed runs: mapsafe %d, clang-tidy %d\n", mfail, tfail);
    for (size_t i = 0; i < files.len; i++)
        free(files.items[i]);
    MS_VEC_FREE(&files);
    free(mw);
    free(mc);
    free(tw);
    free(tc);
    return 0;
}
