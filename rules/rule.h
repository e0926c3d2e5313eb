/* The rule interface, modelled on go/analysis: each rule is a unit with its
 * own documentation (rules/<ID>/help.md), a run function over the IR of one
 * analysis unit, and a fixture directory (fixtures/<ID>/<lang>/). */
#ifndef MAPSAFE_RULE_H
#define MAPSAFE_RULE_H

#include "arena.h"
#include "cfg.h"
#include "ir.h"
#include "report.h"
#include "summary.h"

typedef struct ms_rule ms_rule;

/* What a rule sees while it runs on one unit. Rules keep no state of their
 * own between units, so units run in parallel. */
typedef struct ms_rule_ctx {
    const ms_unit *unit;
    const ms_summaries *summaries;
    ms_arena *arena; /* scratch, freed with the unit */
    ms_report *report;
    ms_cfg **cfgs;                      /* per function, built on first use by ms_rule_cfg */
    struct ms_concurrency *concurrency; /* built on first use by ms_rule_concurrency */
} ms_rule_ctx;

struct ms_rule {
    const char *id;   /* "MS101" */
    const char *name; /* "map-mutated-during-iteration" */
    const char *short_description;
    const char *full_description;
    const char *help_markdown; /* rules/<ID>/help.md, embedded at build time */
    ms_level level_go;
    ms_level level_c; /* C and C++ */
    const char *tags[4];
    const char *precision;         /* SARIF property: very-high, high, medium, low */
    const char *problem_severity;  /* SARIF property: error, warning, recommendation */
    void (*run)(ms_rule_ctx *ctx); /* NULL for rules reported by the driver */
};

extern const ms_rule ms_rule_ms001, ms_rule_ms002, ms_rule_ms101, ms_rule_ms201, ms_rule_ms202,
    ms_rule_ms301;

/* Help texts, embedded from rules/<ID>/help.md at build time. */
extern const char ms_help_MS001[], ms_help_MS002[], ms_help_MS101[], ms_help_MS201[],
    ms_help_MS202[], ms_help_MS301[];

/* The registry: every rule, in id order. */
extern const ms_rule *const ms_rules[];
extern const size_t ms_rules_count;
const ms_rule *ms_rule_find(const char *id);
size_t ms_rule_index(const ms_rule *rule);

ms_cfg *ms_rule_cfg(ms_rule_ctx *ctx, uint32_t func);
/* Locks, map accesses and threads of the unit (concurrency.h), shared by the
 * concurrency rules. */
struct ms_concurrency *ms_rule_concurrency(ms_rule_ctx *ctx);

/* ---- building findings ---------------------------------------------------- */

const struct ms_source *ms_rule_source(const ms_rule_ctx *ctx, ms_span span);
ms_level ms_rule_level(const ms_rule *rule, const struct ms_source *src);

/* A finding at `primary` (a statement span) inside function `func`; the
 * message is printf-style and may refer to related locations as [text](1).
 * It is added to the report and returned for related locations and fixes. */
ms_finding *ms_rule_report(ms_rule_ctx *ctx, const ms_rule *rule, ms_span primary, uint32_t func,
                           const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void ms_rule_related(ms_rule_ctx *ctx, ms_finding *f, ms_span span, const char *message);
void ms_rule_flow(ms_rule_ctx *ctx, ms_finding *f, ms_span span, const char *message);

/* The source text of a span, copied into the scratch arena. */
const char *ms_rule_text(ms_rule_ctx *ctx, ms_span span);

#endif
