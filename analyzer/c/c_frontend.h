/* The C and C++ frontend: parses one translation unit with libclang, using
 * the flags of the project's compile_commands.json when there is one, and
 * lowers the functions of the main file and of the project's own headers to
 * an ms_unit. System headers are never analysed. */
#ifndef MAPSAFE_C_FRONTEND_H
#define MAPSAFE_C_FRONTEND_H

#include "arena.h"
#include "ir.h"
#include "model.h"
#include "options.h"
#include "report.h"
#include "source.h"
#include "vec.h"
#include "walk.h"

typedef struct ms_c_frontend ms_c_frontend;
typedef struct ms_c_worker ms_c_worker;

/* Called once per translation unit with its IR; both die after the call.
 * (The Go frontend declares the same type.) */
typedef void (*ms_unit_fn)(ms_unit *unit, ms_arena *arena, void *ctx);

typedef MS_VEC(char *) ms_c_paths;

/* Shared by every worker, read-only once created. Finds the compile database
 * (-p DIR, else ./ or ./build). Returns NULL with *error set when -p names a
 * directory without a usable compile_commands.json. */
ms_c_frontend *ms_c_frontend_new(const ms_catalogue *catalogue, const ms_options *options,
                                 const ms_input_list *inputs, char **error);
void ms_c_frontend_free(ms_c_frontend *fe);
/* Whether a compile database was found, and where (for messages). */
const char *ms_c_frontend_database(const ms_c_frontend *fe);

/* Per worker thread: libclang's index, reused for every unit it parses. */
ms_c_worker *ms_c_worker_new(const ms_c_frontend *fe);
void ms_c_worker_free(ms_c_worker *w);

/* Analyses the translation unit whose main file is `main` (a source file, or
 * a header that no translation unit includes). The project's headers it
 * includes are analysed with it; their real paths are appended to `covered`
 * (malloc'd). Problems become notifications in `report`. */
void ms_c_analyse(ms_c_worker *w, ms_source *main, ms_report *report, ms_unit_fn fn, void *ctx,
                  ms_c_paths *covered);

/* The real path of a file, or NULL (malloc'd). */
char *ms_c_real_path(const char *path);

#endif
