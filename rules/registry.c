#include "rule.h"

#include <string.h>

/* Every rule, in id order. Adding a rule: its directory under rules/, its
 * help.md in the embed list of rules/CMakeLists.txt, and a line here. */
const ms_rule *const ms_rules[] = {
    &ms_rule_ms001, &ms_rule_ms002, &ms_rule_ms101, &ms_rule_ms201, &ms_rule_ms202, &ms_rule_ms301,
};
const size_t ms_rules_count = sizeof(ms_rules) / sizeof(ms_rules[0]);

const ms_rule *ms_rule_find(const char *id) {
    for (size_t i = 0; i < ms_rules_count; i++)
        if (strcmp(ms_rules[i]->id, id) == 0)
            return ms_rules[i];
    return NULL;
}

size_t ms_rule_index(const ms_rule *rule) {
    for (size_t i = 0; i < ms_rules_count; i++)
        if (ms_rules[i] == rule)
            return i;
    return 0;
}
