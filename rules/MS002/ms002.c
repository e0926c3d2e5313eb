/* MS002 malformed-suppression: metadata. Reported by the suppression pass in
 * the driver, not by a run function over the IR. */
#include "rule.h"

const ms_rule ms_rule_ms002 = {
    .id = "MS002",
    .name = "malformed-suppression",
    .short_description = "Suppression comment without a reason or naming an unknown rule",
    .full_description =
        "A mapsafe suppression comment must name known rule ids and give a reason, for example "
        "//mapsafe:ignore MS101 keys are re-validated below. A comment without a reason, or "
        "with an unknown rule id, is reported and suppresses nothing it cannot name.",
    .help_markdown = ms_help_MS002,
    .level_go = MS_LEVEL_WARNING,
    .level_c = MS_LEVEL_WARNING,
    .tags = {"hygiene", "suppression", NULL, NULL},
    .precision = "very-high",
    .problem_severity = "warning",
    .run = NULL,
};
