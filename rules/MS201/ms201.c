/* MS201 unsynchronized-concurrent-map-write: metadata. The analysis lands
 * with the concurrency issue; until then the rule is listed but not run. */
#include "rule.h"

const ms_rule ms_rule_ms201 = {
    .id = "MS201",
    .name = "unsynchronized-concurrent-map-write",
    .short_description = "Map written from a goroutine or thread without a lock",
    .full_description =
        "A map is written by one goroutine or thread while another may read, iterate or write "
        "it, and no lock is held on both sides. In Go this ends the program with \"fatal "
        "error: concurrent map writes\"; in C and C++ it is a data race.",
    .help_markdown = ms_help_MS201,
    .level_go = MS_LEVEL_ERROR,
    .level_c = MS_LEVEL_ERROR,
    .tags = {"correctness", "concurrency", "maps", NULL},
    .precision = "high",
    .problem_severity = "error",
    .run = NULL,
};
