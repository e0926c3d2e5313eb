/* Allocation that cannot fail: mapsafe has no useful way to continue when the
 * system is out of memory, so these print a message and exit with status 2. */
#ifndef MAPSAFE_XALLOC_H
#define MAPSAFE_XALLOC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

void *ms_xmalloc(size_t n);
void *ms_xcalloc(size_t n, size_t size);
void *ms_xrealloc(void *p, size_t n);
char *ms_xstrdup(const char *s);
char *ms_xstrndup(const char *s, size_t n);
char *ms_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *ms_xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* strerror(err) for any thread: a malloc'd copy of the text. */
char *ms_errno_text(int err);

#endif
