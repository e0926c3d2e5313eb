#include "child_process.h"

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

static char *read_all(FILE *f) {
    size_t size = 0, cap = 4096;
    char *text = malloc(cap);
    assert_non_null(text);
    rewind(f);
    size_t n;
    while ((n = fread(text + size, 1, cap - size - 1, f)) > 0) {
        size += n;
        if (cap - size - 1 == 0) {
            cap *= 2;
            text = realloc(text, cap);
            assert_non_null(text);
        }
    }
    text[size] = '\0';
    return text;
}

void child_run(const char *const argv[], const char *debug_env, struct child_result *result) {
    memset(result, 0, sizeof *result);
    FILE *out = tmpfile(), *err = tmpfile();
    assert_non_null(out);
    assert_non_null(err);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (debug_env)
            setenv("REFMAP_DEBUG", debug_env, 1);
        else
            unsetenv("REFMAP_DEBUG");
        dup2(fileno(out), STDOUT_FILENO);
        dup2(fileno(err), STDERR_FILENO);
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "cannot run %s\n", argv[0]);
        _exit(127);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    result->exited = WIFEXITED(status);
    result->exit_code = result->exited ? WEXITSTATUS(status) : -1;
    result->signaled = WIFSIGNALED(status);
    result->signal = result->signaled ? WTERMSIG(status) : 0;
    result->out = read_all(out);
    result->err = read_all(err);
    fclose(out);
    fclose(err);
}

void child_result_free(struct child_result *result) {
    free(result->out);
    free(result->err);
}

static void assert_no_sanitizer_report(const struct child_result *result) {
    if (strstr(result->err, "Sanitizer") || strstr(result->err, "runtime error")) {
        print_error("sanitizer report from child:\n%s\n", result->err);
        fail();
    }
}

static int has_line(const char *text, const char *line) {
    size_t n = strlen(line);
    for (const char *p = strstr(text, line); p; p = strstr(p + 1, line))
        if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
            return 1;
    return 0;
}

void assert_child_aborted_with(const struct child_result *result, const char *message) {
    if (!result->signaled || result->signal != SIGABRT || !has_line(result->err, message)) {
        print_error("expected abort with \"%s\"; exited=%d code=%d signal=%d\nstdout:\n%s\n"
                    "stderr:\n%s\n",
                    message, result->exited, result->exit_code, result->signal, result->out,
                    result->err);
        fail();
    }
    assert_no_sanitizer_report(result);
}

void assert_child_succeeded(const struct child_result *result) {
    if (!result->exited || result->exit_code != 0) {
        print_error("expected success; exited=%d code=%d signal=%d\nstdout:\n%s\nstderr:\n%s\n",
                    result->exited, result->exit_code, result->signal, result->out, result->err);
        fail();
    }
    assert_no_sanitizer_report(result);
}
