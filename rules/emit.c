#include "rule.h"

#include "concurrency.h"
#include "source.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const ms_source *ms_rule_source(const ms_rule_ctx *ctx, ms_span span) {
    return ctx->unit->files[span.file < ctx->unit->nfiles ? span.file : 0];
}

ms_level ms_rule_level(const ms_rule *rule, const ms_source *src) {
    return src->lang == MS_LANG_GO ? rule->level_go : rule->level_c;
}

ms_cfg *ms_rule_cfg(ms_rule_ctx *ctx, uint32_t func) {
    if (!ctx->cfgs[func])
        ctx->cfgs[func] = ms_cfg_build(ctx->arena, &ctx->unit->funcs[func]);
    return ctx->cfgs[func];
}

ms_concurrency *ms_rule_concurrency(ms_rule_ctx *ctx) {
    if (!ctx->concurrency)
        ctx->concurrency = ms_concurrency_build(ctx->arena, ctx->unit, ctx->cfgs);
    return ctx->concurrency;
}

ms_finding *ms_rule_report(ms_rule_ctx *ctx, const ms_rule *rule, ms_span primary, uint32_t func,
                           const char *fmt, ...) {
    const ms_source *src = ms_rule_source(ctx, primary);
    ms_finding *f = ms_finding_new(rule->id, ms_rule_level(rule, src));
    va_list ap;
    va_start(ap, fmt);
    f->message = ms_xvasprintf(fmt, ap);
    va_end(ap);
    ms_location_set(&f->primary, src, primary.start, primary.end, NULL);
    f->snippet = ms_normalize_snippet(src->text + primary.start, primary.end - primary.start);
    const ms_func *fn = func && func < ctx->unit->nfuncs ? &ctx->unit->funcs[func] : NULL;
    f->context = ms_xstrdup(fn && fn->display ? fn->display : "");
    ms_report_add_finding(ctx->report, f);
    return f;
}

void ms_rule_related(ms_rule_ctx *ctx, ms_finding *f, ms_span span, const char *message) {
    ms_finding_add_related(f, ms_rule_source(ctx, span), span.start, span.end, message);
}

void ms_rule_flow(ms_rule_ctx *ctx, ms_finding *f, ms_span span, const char *message) {
    ms_finding_add_flow(f, ms_rule_source(ctx, span), span.start, span.end, message);
}

const char *ms_rule_text(ms_rule_ctx *ctx, ms_span span) {
    const ms_source *src = ms_rule_source(ctx, span);
    uint32_t end = span.end > src->size ? src->size : span.end;
    uint32_t start = span.start > end ? end : span.start;
    return ms_arena_strndup(ctx->arena, src->text + start, end - start);
}
