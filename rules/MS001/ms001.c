/* MS001 unused-suppression: metadata. Reported by the suppression pass in
 * the driver, not by a run function over the IR. */
#include "rule.h"

const ms_rule ms_rule_ms001 = {
    .id = "MS001",
    .name = "unused-suppression",
    .short_description = "Suppression comment that matches no finding",
    .full_description =
        "A mapsafe suppression comment (mapsafe:ignore, nolint:mapsafe, NOLINT(mapsafe-...)) "
        "matched no finding. Stale suppressions hide future findings on that line; remove it.",
    .help_markdown = ms_help_MS001,
    .level_go = MS_LEVEL_WARNING,
    .level_c = MS_LEVEL_WARNING,
    .tags = {"hygiene", "suppression", NULL, NULL},
    .precision = "very-high",
    .problem_severity = "warning",
    .run = NULL,
};
