/* Reading JSON inputs (model files, .mapsafe.json, --baseline logs) with
 * errors that point at the problem: the file, and for syntax errors the line
 * and column. */
#ifndef MAPSAFE_JSON_FILE_H
#define MAPSAFE_JSON_FILE_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* The whole file, NUL-terminated, or NULL with *err set to an errno value. */
char *ms_read_file(const char *path, size_t *len, int *err);

/* Parses text; NULL with *error = "ORIGIN:LINE:COL: invalid JSON" (malloc'd). */
cJSON *ms_json_parse(const char *text, size_t len, const char *origin, char **error);

#endif
