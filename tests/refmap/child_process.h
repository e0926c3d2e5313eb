/* Running a program as a child process and capturing what it printed, for
 * tests whose expected outcome is an abort. */
#ifndef REFMAP_TEST_CHILD_PROCESS_H
#define REFMAP_TEST_CHILD_PROCESS_H

struct child_result {
    int exited; /* the child called exit; exit_code is set */
    int exit_code;
    int signaled; /* the child was killed; signal is set */
    int signal;
    char *out; /* everything written to stdout, NUL-terminated */
    char *err; /* everything written to stderr, NUL-terminated */
};

/* Runs argv[0] with argv. REFMAP_DEBUG is set to debug_env in the child, or
 * removed when debug_env is NULL. Fails the current test if it cannot run. */
void child_run(const char *const argv[], const char *debug_env, struct child_result *result);
void child_result_free(struct child_result *result);

/* Asserts that the child aborted after printing message as a whole line on
 * stderr, and that no sanitizer reported anything. */
void assert_child_aborted_with(const struct child_result *result, const char *message);
/* Asserts a clean exit with status 0 and no sanitizer report. */
void assert_child_succeeded(const struct child_result *result);

#endif
