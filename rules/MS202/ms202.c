/* MS202 map-write-under-read-lock: metadata. The analysis lands with the
 * concurrency issue; until then the rule is listed but not run. */
#include "rule.h"

const ms_rule ms_rule_ms202 = {
    .id = "MS202",
    .name = "map-write-under-read-lock",
    .short_description = "Map written while only a shared (read) lock is held",
    .full_description =
        "A map is written while the only lock held is a shared one (RWMutex.RLock, "
        "std::shared_lock, pthread_rwlock_rdlock). Several readers hold a shared lock at "
        "once, so their writes race with each other.",
    .help_markdown = ms_help_MS202,
    .level_go = MS_LEVEL_ERROR,
    .level_c = MS_LEVEL_ERROR,
    .tags = {"correctness", "concurrency", "maps", NULL},
    .precision = "very-high",
    .problem_severity = "error",
    .run = NULL,
};
