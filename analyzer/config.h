/* The optional project configuration file, .mapsafe.json, read from the
 * current directory (the project root: %SRCROOT%, and what reported paths
 * are relative to). Command-line options override it:
 *
 *   {
 *     "enable":  ["MS101", "MS201"],     run only these rules
 *     "disable": ["MS301"],              do not run these
 *     "exclude": ["gen", "*.pb.go"],     paths not to analyse
 *     "models":  ["tools/mymap.json"],   extra API models
 *     "fail-on": "error"                 error|warning|note|none
 *   }
 *
 * --enable or --disable on the command line replaces the file's rule
 * selection, --fail-on its fail-on; models from both are loaded. */
#ifndef MAPSAFE_CONFIG_H
#define MAPSAFE_CONFIG_H

#include "options.h"

#include <stdbool.h>
#include <stdio.h>

#define MS_CONFIG_FILE ".mapsafe.json"

/* Reads `path` when it exists and folds it into `o`. Returns 0, or -1 after
 * printing to `err` where the file is wrong (file:line:col for JSON syntax,
 * the JSON path of a bad entry otherwise). */
int ms_config_load(ms_options *o, const char *path, FILE *err);

/* True when a reported path matches one of the exclude globs:
 *   *  any characters but '/';  ?  one of them;  [a-z]  a class;
 *   ** any number of directories, none included.
 * A glob without '/' is matched against every file and directory name of
 * the path; a glob with '/' against the path from the root (a leading '/'
 * is allowed). A glob that matches a directory excludes all of it. */
bool ms_config_excluded(const ms_options *o, const char *path);
bool ms_glob_match(const char *glob, const char *path);

#endif
