/* MS301 map-missing-capacity-hint: metadata. The analysis lands with the
 * allocation issue; until then the rule is listed but not run. */
#include "rule.h"

const ms_rule ms_rule_ms301 = {
    .id = "MS301",
    .name = "map-missing-capacity-hint",
    .short_description = "Map filled in a loop of known length without a capacity hint",
    .full_description =
        "A map is created empty without a size hint and then filled in a loop whose trip count "
        "is known before the loop, one key per iteration. The map grows and rehashes several "
        "times on the way; a hint allocates once.",
    .help_markdown = ms_help_MS301,
    .level_go = MS_LEVEL_NOTE,
    .level_c = MS_LEVEL_NOTE,
    .tags = {"performance", "allocation", "maps", NULL},
    .precision = "high",
    .problem_severity = "recommendation",
    .run = NULL,
};
