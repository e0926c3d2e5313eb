/* Parsing the text of one comment into a suppression directive. */
#include "suppress.h"

#include "rule.h"
#include "xalloc.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

uint32_t ms_sup_analysis_rules(void) {
    uint32_t bits = 0;
    for (size_t i = 0; i < ms_rules_count && i < 32; i++)
        if (ms_rules[i] != &ms_rule_ms001 && ms_rules[i] != &ms_rule_ms002)
            bits |= 1u << i;
    return bits;
}

static uint32_t hygiene_rules(void) {
    return (1u << ms_rule_index(&ms_rule_ms001)) | (1u << ms_rule_index(&ms_rule_ms002));
}

/* The comment text on one line: line splices and the leading '*' of block
 * comment continuation lines become spaces. */
static char *clean_text(const char *body, size_t len, bool block) {
    char *out = ms_xmalloc(len + 1);
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        char c = body[i];
        if (c == '\\' && i + 1 < len && (body[i + 1] == '\n' || body[i + 1] == '\r')) {
            out[k++] = ' ';
            continue;
        }
        if (c == '\n' || c == '\r') {
            out[k++] = ' ';
            if (block && c == '\n') {
                while (i + 1 < len && (body[i + 1] == ' ' || body[i + 1] == '\t'))
                    i++;
                if (i + 1 < len && body[i + 1] == '*')
                    i++;
            }
            continue;
        }
        out[k++] = c;
    }
    out[k] = '\0';
    return out;
}

static const char *skip_ws(const char *p) {
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static bool starts_with(const char *p, const char *word) {
    return strncmp(p, word, strlen(word)) == 0;
}

/* The word at p ends there: end of text, space, or one of `also`. */
static bool word_ends(char c, const char *also) {
    return c == '\0' || c == ' ' || c == '\t' || (c && strchr(also, c));
}

/* Appends one problem to d->problem, "; "-separated. */
static void add_problem(ms_sup_directive *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add_problem(ms_sup_directive *d, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = ms_xvasprintf(fmt, ap);
    va_end(ap);
    if (d->problem) {
        char *joined = ms_xasprintf("%s; %s", d->problem, msg);
        free(d->problem);
        free(msg);
        msg = joined;
    }
    d->problem = msg;
}

/* A rule named by id or name, ignoring case. */
static const ms_rule *find_rule(const char *name, size_t len) {
    for (size_t i = 0; i < ms_rules_count; i++) {
        const ms_rule *r = ms_rules[i];
        if ((strlen(r->id) == len && strncasecmp(r->id, name, len) == 0) ||
            (strlen(r->name) == len && strncasecmp(r->name, name, len) == 0))
            return r;
    }
    return NULL;
}

/* "MS" and digits: the shape of a mapsafe rule id, known or not. */
static bool looks_like_id(const char *p, size_t len) {
    if (len < 3 || toupper((unsigned char)p[0]) != 'M' || toupper((unsigned char)p[1]) != 'S')
        return false;
    for (size_t i = 2; i < len; i++)
        if (!isdigit((unsigned char)p[i]))
            return false;
    return true;
}

static size_t token_len(const char *p) {
    size_t n = 0;
    while (!word_ends(p[n], ",:"))
        n++;
    return n;
}

/* Rule ids after mapsafe:ignore or lint:ignore: separated by commas (spaces
 * around them allowed), or by spaces while the next word is shaped like an
 * id. `foreign_ok`: words that are not mapsafe ids belong to another tool
 * (staticcheck's SA4006) and are skipped. Returns where the reason starts. */
static const char *parse_ids(const char *p, ms_sup_directive *d, bool foreign_ok, bool *any) {
    for (;;) {
        p = skip_ws(p);
        size_t n = token_len(p);
        if (n == 0)
            break;
        const ms_rule *r = find_rule(p, n);
        if (r) {
            d->rules |= 1u << ms_rule_index(r);
            *any = true;
        } else if (!foreign_ok || looks_like_id(p, n)) {
            add_problem(d, "'%.*s' is not a mapsafe rule id (see mapsafe --list-rules)", (int)n, p);
            *any = true;
        }
        p = skip_ws(p + n);
        if (*p == ',') {
            p++;
            continue;
        }
        size_t next = token_len(p);
        if (next == 0 || !looks_like_id(p, next))
            break;
    }
    return p;
}

/* The reason: separators such as "--" or ":" dropped, whitespace collapsed.
 * NULL when no letter or digit is left. */
static char *reason_of(const char *p) {
    p = skip_ws(p);
    while (*p == '-' || *p == ':' || *p == ' ' || *p == '\t' || starts_with(p, "//") ||
           starts_with(p, "\xE2\x80\x94") /* em dash */ || starts_with(p, "\xE2\x80\x93"))
        p += (unsigned char)*p == 0xE2 ? 3 : *p == '/' ? 2 : 1;
    char *out = ms_xmalloc(strlen(p) + 1);
    size_t k = 0;
    bool alnum = false;
    for (; *p; p++) {
        if (*p == ' ' || *p == '\t') {
            if (k > 0 && out[k - 1] != ' ')
                out[k++] = ' ';
            continue;
        }
        if (isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80)
            alnum = true;
        out[k++] = *p;
    }
    while (k > 0 && out[k - 1] == ' ')
        k--;
    out[k] = '\0';
    if (!alnum) {
        free(out);
        return NULL;
    }
    return out;
}

/* Line-level forms cannot name MS001 or MS002: their findings sit on
 * suppression comments, so a comment could excuse itself. */
static void drop_hygiene_rules(ms_sup_directive *d) {
    uint32_t named = d->rules & hygiene_rules();
    for (size_t i = 0; i < ms_rules_count; i++)
        if (named & (1u << i))
            add_problem(d,
                        "%s can only be suppressed for a whole file, with mapsafe:file-ignore %s "
                        "<reason>",
                        ms_rules[i]->id, ms_rules[i]->id);
    d->rules &= ~hygiene_rules();
}

static void require_reason(ms_sup_directive *d, const char *rest, const char *example) {
    d->justification = reason_of(rest);
    if (!d->justification)
        add_problem(d, "no reason given: say why the finding is accepted, as in %s", example);
}

static void parse_mapsafe(const char *p, ms_sup_directive *d) {
    size_t n = 0;
    while (!word_ends(p[n], ""))
        n++;
    if (n == 14 && strncmp(p, "mapsafe:ignore", n) == 0) {
        d->place = MS_SUP_STATEMENT;
        d->form = "mapsafe:ignore";
    } else if (n == 19 && strncmp(p, "mapsafe:file-ignore", n) == 0) {
        d->place = MS_SUP_FILE;
        d->form = "mapsafe:file-ignore";
    } else {
        /* Reported, and suppresses nothing. */
        d->place = MS_SUP_STATEMENT;
        d->form = "mapsafe:";
        add_problem(d, "unknown directive '%.*s': use mapsafe:ignore or mapsafe:file-ignore",
                    (int)n, p);
        return;
    }
    bool any = false;
    const char *rest = parse_ids(p + n, d, false, &any);
    if (!any)
        add_problem(d, "names no rule: write %s MS101[,MS202] <reason>", d->form);
    if (d->place != MS_SUP_FILE)
        drop_hygiene_rules(d);
    require_reason(d, rest,
                   d->place == MS_SUP_FILE ? "mapsafe:file-ignore MS301 <reason>"
                                           : "mapsafe:ignore MS101 <reason>");
}

/* staticcheck: lint:ignore / lint:file-ignore Check1[,Check2] reason. Only
 * comments naming a mapsafe id (or something shaped like one) are ours. */
static void parse_lint(const char *p, ms_sup_directive *d) {
    bool file = starts_with(p, "lint:file-ignore");
    d->form = file ? "lint:file-ignore" : "lint:ignore";
    bool any = false;
    const char *rest = parse_ids(p + strlen(d->form), d, true, &any);
    if (!any)
        return; /* staticcheck's own checks only */
    d->place = file ? MS_SUP_FILE : MS_SUP_STATEMENT;
    if (!file)
        drop_hygiene_rules(d);
    require_reason(d, rest,
                   file ? "lint:file-ignore MS301 <reason>" : "lint:ignore MS101 <reason>");
}

/* golangci-lint: nolint, nolint:all, nolint:a,mapsafe,b // explanation. */
static void parse_nolint(const char *p, ms_sup_directive *d) {
    p += 6;
    d->form = "nolint";
    d->golangci = true;
    if (*p == ':') {
        const char *list = p + 1;
        size_t n = 0;
        while (!word_ends(list[n], ""))
            n++;
        for (const char *item = list; item < list + n;) {
            const char *comma = memchr(item, ',', (size_t)(list + n - item));
            size_t len = comma ? (size_t)(comma - item) : (size_t)(list + n - item);
            if (len == 7 && strncasecmp(item, "mapsafe", 7) == 0)
                d->all_rules = true;
            else if (len == 3 && strncasecmp(item, "all", 3) == 0)
                d->blanket = true;
            item += len + (comma ? 1 : 0);
        }
        if (!d->all_rules && !d->blanket)
            return; /* other linters only */
        d->form = d->blanket ? "nolint:all" : "nolint:mapsafe";
        p = list + n;
    } else {
        d->blanket = true;
    }
    d->place = MS_SUP_STATEMENT;
    d->rules = ms_sup_analysis_rules();
    d->justification = reason_of(p);
}

/* clang-tidy: NOLINT, NOLINT(check, glob*), NOLINTNEXTLINE(...), followed
 * by free text. Checks of other tools are skipped. */
static void parse_clang(const char *p, ms_sup_directive *d, bool next_line) {
    d->form = next_line ? "NOLINTNEXTLINE" : "NOLINT";
    p += strlen(d->form);
    bool ours = false;
    if (*p == '(') {
        const char *close = strchr(p, ')');
        if (!close)
            return; /* clang-tidy ignores it too */
        uint32_t all = ms_sup_analysis_rules();
        for (const char *item = p + 1; item < close;) {
            const char *comma = memchr(item, ',', (size_t)(close - item));
            const char *end = comma ? comma : close;
            const char *a = skip_ws(item), *b = end;
            while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
                b--;
            char *check = ms_xstrndup(a, (size_t)(b - a));
            for (char *c = check; *c; c++)
                *c = (char)tolower((unsigned char)*c);
            if (strcmp(check, "*") == 0) {
                d->blanket = true;
                ours = true;
            } else if (strpbrk(check, "*?[")) {
                uint32_t bits = 0;
                for (size_t i = 0; i < ms_rules_count && i < 32; i++) {
                    char *name = ms_xasprintf("mapsafe-%s", ms_rules[i]->id);
                    for (char *c = name; *c; c++)
                        *c = (char)tolower((unsigned char)*c);
                    if (fnmatch(check, name, 0) == 0)
                        bits |= 1u << i;
                    free(name);
                }
                bits &= all; /* a glob never selects MS001/MS002 */
                if (bits == all)
                    d->all_rules = true;
                d->rules |= bits;
                ours = ours || bits != 0;
            } else if (strncasecmp(check, "mapsafe-", 8) == 0) {
                const ms_rule *r = find_rule(check + 8, strlen(check + 8));
                if (r)
                    d->rules |= 1u << ms_rule_index(r);
                else
                    add_problem(d, "'%s' is not a mapsafe check: write mapsafe-MS101", check);
                ours = true;
            }
            free(check);
            item = end + (comma ? 1 : 0);
        }
        p = close + 1;
    } else {
        d->blanket = true;
        ours = true;
    }
    if (!ours)
        return;
    if (d->blanket || d->all_rules)
        d->rules |= ms_sup_analysis_rules();
    d->place = next_line ? MS_SUP_NEXT_LINE : MS_SUP_SAME_LINE;
    drop_hygiene_rules(d);
    d->justification = reason_of(p);
}

void ms_sup_parse(const char *body, size_t len, bool block, ms_lang lang, ms_sup_directive *out) {
    memset(out, 0, sizeof(*out));
    char *text = clean_text(body, len, block);
    const char *p = skip_ws(text);
    while (block && *p == '*') /* slash-star-star doc comments */
        p++;
    p = skip_ws(p);
    /* golangci-lint's and staticcheck's directives exist only in Go, as line
     * comments with no space after the slashes; anywhere else the same words
     * are prose (a C comment that documents them, say). */
    bool go_directive = lang == MS_LANG_GO && !block && p == text;
    if (starts_with(p, "mapsafe:") && isalpha((unsigned char)p[8]))
        parse_mapsafe(p, out);
    else if (go_directive && starts_with(p, "nolint") && word_ends(p[6], ":/"))
        parse_nolint(p, out);
    else if (go_directive && ((starts_with(p, "lint:ignore") && word_ends(p[11], "")) ||
                              (starts_with(p, "lint:file-ignore") && word_ends(p[16], ""))))
        parse_lint(p, out);
    else if (starts_with(p, "NOLINTNEXTLINE") && word_ends(p[14], "(:"))
        parse_clang(p, out, true);
    else if (starts_with(p, "NOLINT") && word_ends(p[6], "(:"))
        parse_clang(p, out, false);
    free(text);
    if (out->place == MS_SUP_NONE)
        ms_sup_directive_clear(out);
}

void ms_sup_directive_clear(ms_sup_directive *d) {
    free(d->justification);
    free(d->problem);
    memset(d, 0, sizeof(*d));
}
