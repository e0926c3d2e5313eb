/* Fixture harness: runs the real mapsafe binary over one fixture directory
 * (fixtures/<rule>/<lang>) with SARIF output, and compares the findings of
 * that rule with the inline expectations, line by line, like Go's
 * analysistest:
 *
 *     m[k+"x"] = v // want MS101
 *
 * A finding that a suppression comment silences (it stays in SARIF with
 * `suppressions`) is expected with `want-suppressed`, written in a block
 * comment before the suppression comment so that it is not read as part of
 * its reason (see fixtures/README.md):
 *
 *     m[k+"x"] = v (want-suppressed MS101 in a block comment) //mapsafe:ignore MS101 reason
 *
 * A missing finding and an unexpected one both fail. So does any warning or
 * error notification (a fixture must parse cleanly), and a run that does not
 * exit with 0 or 1.
 *
 * usage: fixture_check MAPSAFE RULE DIR [SARIF_OUT]
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "walk.h"

typedef struct expectation {
    char *path; /* relative to DIR */
    unsigned line;
    int wanted[2], found[2]; /* [0] reported, [1] reported as suppressed */
    char *messages;          /* messages of the findings seen on this line */
} expectation;

typedef struct table {
    expectation *items;
    size_t len, cap;
} table;

static expectation *slot(table *t, const char *path, unsigned line) {
    for (size_t i = 0; i < t->len; i++)
        if (t->items[i].line == line && strcmp(t->items[i].path, path) == 0)
            return &t->items[i];
    if (t->len == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->items = realloc(t->items, t->cap * sizeof(expectation));
    }
    expectation *e = &t->items[t->len++];
    memset(e, 0, sizeof(*e));
    e->path = strdup(path);
    e->line = line;
    return e;
}

static void free_table(table *t) {
    for (size_t i = 0; i < t->len; i++) {
        free(t->items[i].path);
        free(t->items[i].messages);
    }
    free(t->items);
}

static bool source_file(const char *name) {
    const char *dot = strrchr(name, '.');
    static const char *const exts[] = {".go",  ".c",  ".h",   ".cc", ".cpp",
                                       ".cxx", ".hh", ".hpp", ".hxx"};
    if (!dot)
        return false;
    for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
        if (strcmp(dot, exts[i]) == 0)
            return true;
    return false;
}

/* Counts `KEYWORD RULE` on each line (KEYWORD is "want " or
 * "want-suppressed "): after it, rule ids separated by spaces; the same id
 * twice expects two findings. */
static void scan_keyword(table *t, const char *path, unsigned line, const char *text,
                         const char *rule, const char *keyword, int kind) {
    const char *p = text;
    while ((p = strstr(p, keyword)) != NULL) {
        const char *before = p;
        while (before > text && before[-1] == ' ')
            before--;
        bool in_comment = before - text >= 2 && ((before[-2] == '/' && before[-1] == '/') ||
                                                 (before[-2] == '/' && before[-1] == '*'));
        p += strlen(keyword);
        if (!in_comment)
            continue;
        while (*p) {
            while (*p == ' ')
                p++;
            if (!(p[0] == 'M' && p[1] == 'S' && isdigit((unsigned char)p[2])))
                break;
            size_t n = 2;
            while (isdigit((unsigned char)p[n]))
                n++;
            if (strlen(rule) == n && strncmp(p, rule, n) == 0)
                slot(t, path, line)->wanted[kind]++;
            p += n;
        }
    }
}

static void scan_line(table *t, const char *path, unsigned line, const char *text,
                      const char *rule) {
    scan_keyword(t, path, line, text, rule, "want ", 0);
    scan_keyword(t, path, line, text, rule, "want-suppressed ", 1);
}

/* malloc'd "a/b", or "b" when a is empty */
static char *join(const char *a, const char *b) {
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    snprintf(s, n, "%s%s%s", a, *a ? "/" : "", b);
    return s;
}

static void scan_file(table *t, const char *root, const char *rel, const char *rule) {
    char *full = join(root, rel);
    FILE *f = fopen(full, "r");
    free(full);
    if (!f)
        return;
    char *buf = NULL;
    size_t cap = 0;
    unsigned line = 0;
    while (getline(&buf, &cap, f) >= 0) {
        line++;
        scan_line(t, rel, line, buf, rule);
    }
    free(buf);
    fclose(f);
}

/* Walks the fixture directory as mapsafe walks it: expectations in the
 * directories it skips (vendor, testdata, _x, .x) cannot be met. */
static void scan_dir(table *t, const char *root, const char *rel, const char *rule) {
    char *full = *rel ? join(root, rel) : strdup(root);
    DIR *d = opendir(full);
    free(full);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *child = join(rel, e->d_name);
        char *child_full = join(root, child);
        struct stat st;
        if (stat(child_full, &st) == 0) {
            if (S_ISDIR(st.st_mode) && !ms_walk_skips_dir(e->d_name))
                scan_dir(t, root, child, rule);
            else if (S_ISREG(st.st_mode) && source_file(e->d_name))
                scan_file(t, root, child, rule);
        }
        free(child);
        free(child_full);
    }
    closedir(d);
}

/* SARIF URIs are percent-encoded (a space is %20); expectations hold the
 * path as it is on disk. */
static char *decode_uri(const char *uri) {
    size_t n = strlen(uri);
    char *out = malloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (uri[i] == '%' && isxdigit((unsigned char)uri[i + 1]) &&
            isxdigit((unsigned char)uri[i + 2])) {
            char hex[3] = {uri[i + 1], uri[i + 2], 0};
            out[k++] = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            out[k++] = uri[i];
        }
    }
    out[k] = '\0';
    return out;
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    buf[got] = '\0';
    fclose(f);
    return buf;
}

/* Runs mapsafe in DIR; returns its exit status or -1. */
static int run_mapsafe(const char *mapsafe, const char *dir, const char *out) {
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(127);
        execl(mapsafe, mapsafe, "--format", "sarif", "-o", out, "-j", "2", ".", (char *)NULL);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char *get_str(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: fixture_check MAPSAFE RULE DIR [SARIF_OUT]\n");
        return 2;
    }
    const char *rule = argv[2], *dir = argv[3];
    /* mapsafe runs inside DIR: resolve a relative path to it first. */
    char *mapsafe = realpath(argv[1], NULL);
    if (!mapsafe) {
        fprintf(stderr, "fixture_check: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    /* mapsafe runs inside DIR, so the output path must be absolute. */
    char *out;
    if (argc > 4 && argv[4][0] == '/') {
        out = strdup(argv[4]);
    } else if (argc > 4) {
        char cwd[4096];
        if (!getcwd(cwd, sizeof(cwd)))
            return 2;
        out = join(cwd, argv[4]);
    } else {
        char tmp[64];
        snprintf(tmp, sizeof(tmp), "/tmp/fixture_check_%d.sarif", (int)getpid());
        out = strdup(tmp);
    }

    table t = {0};
    scan_dir(&t, dir, "", rule);
    int wanted = 0;
    for (size_t i = 0; i < t.len; i++)
        wanted += t.items[i].wanted[0] + t.items[i].wanted[1];

    int status = run_mapsafe(mapsafe, dir, out);
    if (status != 0 && status != 1) {
        fprintf(stderr, "FAIL: mapsafe exited with status %d on %s\n", status, dir);
        free(out);
        free(mapsafe);
        return 1;
    }
    char *text = slurp(out);
    cJSON *log = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (argc <= 4)
        remove(out);
    free(out);
    free(mapsafe);
    if (!log) {
        fprintf(stderr, "FAIL: mapsafe did not write a JSON log\n");
        return 1;
    }
    int failures = 0;
    const cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(log, "runs"), 0);
    const cJSON *inv = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(run, "invocations"), 0);
    const cJSON *note;
    cJSON_ArrayForEach(note, cJSON_GetObjectItemCaseSensitive(inv, "toolExecutionNotifications")) {
        const char *level = get_str(note, "level");
        if (level && (strcmp(level, "warning") == 0 || strcmp(level, "error") == 0)) {
            const cJSON *msg = cJSON_GetObjectItemCaseSensitive(note, "message");
            fprintf(stderr, "FAIL: notification: %s\n", get_str(msg, "text"));
            failures++;
        }
    }
    const cJSON *res;
    int found = 0;
    cJSON_ArrayForEach(res, cJSON_GetObjectItemCaseSensitive(run, "results")) {
        const char *id = get_str(res, "ruleId");
        if (!id || strcmp(id, rule) != 0)
            continue;
        int kind =
            cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(res, "suppressions")) > 0 ? 1 : 0;
        const cJSON *loc =
            cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res, "locations"), 0);
        const cJSON *phys = cJSON_GetObjectItemCaseSensitive(loc, "physicalLocation");
        const char *uri =
            get_str(cJSON_GetObjectItemCaseSensitive(phys, "artifactLocation"), "uri");
        const cJSON *line = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(phys, "region"), "startLine");
        if (!uri || !cJSON_IsNumber(line)) {
            fprintf(stderr, "FAIL: a %s result has no location\n", rule);
            failures++;
            continue;
        }
        char *path = decode_uri(uri);
        expectation *e = slot(&t, path, (unsigned)line->valueint);
        free(path);
        e->found[kind]++;
        found++;
        const char *msg = get_str(cJSON_GetObjectItemCaseSensitive(res, "message"), "text");
        if (!e->messages && msg)
            e->messages = strdup(msg);
    }
    for (size_t i = 0; i < t.len; i++) {
        expectation *e = &t.items[i];
        for (int k = 0; k < 2; k++) {
            const char *how = k ? " suppressed" : "";
            if (e->found[k] < e->wanted[k]) {
                fprintf(stderr, "FAIL: %s/%s:%u: expected %d%s %s finding%s, got %d\n", dir,
                        e->path, e->line, e->wanted[k], how, rule, e->wanted[k] == 1 ? "" : "s",
                        e->found[k]);
                failures++;
            } else if (e->found[k] > e->wanted[k]) {
                fprintf(stderr, "FAIL: %s/%s:%u: unexpected%s %s finding: %s\n", dir, e->path,
                        e->line, how, rule, e->messages ? e->messages : "");
                failures++;
            }
        }
    }
    printf("%s %s: %d expected, %d reported, %d mismatch%s\n", rule, dir, wanted, found, failures,
           failures == 1 ? "" : "es");
    cJSON_Delete(log);
    free_table(&t);
    return failures ? 1 : 0;
}
