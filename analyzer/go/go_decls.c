#include "go_internal.h"

#include <string.h>

const char *go_node_text(go_pkg *p, uint32_t file, TSNode n) {
    const ms_source *src = p->files[file].src;
    uint32_t start = ts_node_start_byte(n), end = ts_node_end_byte(n);
    if (end > src->size)
        end = src->size;
    if (start > end)
        start = end;
    return ms_intern(p->names, src->text + start, end - start);
}

uint32_t go_new_sym(go_pkg *p, const char *name, ms_sym_kind kind, uint32_t func, uint32_t file,
                    TSNode decl) {
    ms_sym s = {.name = name, .kind = (uint8_t)kind, .func = func, .param_index = -1};
    s.decl.file = file;
    if (!ts_node_is_null(decl)) {
        s.decl.start = ts_node_start_byte(decl);
        s.decl.end = ts_node_end_byte(decl);
    }
    MS_VEC_PUSH(&p->syms, s);
    MS_VEC_PUSH(&p->sym_types, NULL);
    ms_path none = {0};
    MS_VEC_PUSH(&p->sym_alias, none);
    MS_VEC_PUSH(&p->sym_closure, 0);
    return (uint32_t)p->syms.len - 1;
}

go_decl *go_pkg_decl(go_pkg *p, const char *name) {
    uint32_t i = go_table_get(&p->decl_by_name, name, NULL);
    return i ? &p->decls.items[i - 1] : NULL;
}

uint32_t go_pkg_method(go_pkg *p, const char *recv_type, const char *method) {
    return go_table_get(&p->method_by_recv, recv_type, method);
}

const char *go_import_path(const go_file *f, const char *local_name) {
    for (size_t i = 0; i < f->imports.len; i++)
        if (f->imports.items[i].name == local_name)
            return f->imports.items[i].path;
    return NULL;
}

static TSNode receiver_type_node(go_pkg *p, TSNode receiver_list, bool *pointer) {
    TSNode none = {0};
    *pointer = false;
    go_children it;
    TSNode param = none, child;
    go_children_begin(&it, p->g, receiver_list);
    if (go_children_next(&it, &child))
        param = child;
    go_children_end(&it);
    TSNode t = go_field(param, p->g->f_type);
    while (!ts_node_is_null(t)) {
        go_kind k = go_kind_of(p->g, t);
        if (k == GK_POINTER_TYPE) {
            *pointer = true;
            t = go_named(t, 0);
        } else if (k == GK_PARENTHESIZED_TYPE) {
            t = go_named(t, 0);
        } else if (k == GK_GENERIC_TYPE) {
            t = go_field(t, p->g->f_type);
        } else {
            break;
        }
    }
    return t;
}

const char *go_receiver_type_name(go_pkg *p, uint32_t file, TSNode receiver_list) {
    bool pointer;
    TSNode t = receiver_type_node(p, receiver_list, &pointer);
    return go_kind_of(p->g, t) == GK_TYPE_IDENTIFIER ? go_node_text(p, file, t) : NULL;
}

static void add_decl(go_pkg *p, go_decl d) {
    MS_VEC_PUSH(&p->decls, d);
    /* The first declaration of a name wins; duplicates are compile errors. */
    if (!go_table_get(&p->decl_by_name, d.name, NULL))
        go_table_put(&p->decl_by_name, d.name, NULL, (uint32_t)p->decls.len);
}

uint32_t go_new_func(go_pkg *p, uint32_t file, TSNode node, const char *name, const char *display,
                     const char *recv_type, uint32_t flags) {
    ms_func f = {.name = name, .display = display, .recv_type = recv_type, .flags = flags};
    f.span = (ms_span){file, ts_node_start_byte(node), ts_node_end_byte(node)};
    TSNode nm = go_field(node, p->g->f_name);
    if (!ts_node_is_null(nm))
        f.name_span = (ms_span){file, ts_node_start_byte(nm), ts_node_end_byte(nm)};
    MS_VEC_PUSH(&p->funcs, f);
    MS_VEC_PUSH(&p->func_nodes, node);
    return (uint32_t)p->funcs.len - 1;
}

/* The package name an import binds by default: usually the last path element,
 * skipping a major-version element (.../v2) and a gopkg.in-style suffix
 * (yaml.v3), and a "go-" prefix (go-cmp). */
static const char *default_import_name(go_pkg *p, const char *path) {
    const char *end = path + strlen(path);
    const char *start = end;
    while (start > path && start[-1] != '/')
        start--;
    bool version = start[0] == 'v' && start[1] >= '0' && start[1] <= '9';
    if (version && start > path) {
        end = start - 1;
        start = end;
        while (start > path && start[-1] != '/')
            start--;
    }
    const char *dot = memchr(start, '.', (size_t)(end - start));
    if (dot)
        end = dot;
    if (end - start > 3 && strncmp(start, "go-", 3) == 0)
        start += 3;
    return ms_intern(p->names, start, (size_t)(end - start));
}

static void collect_imports(go_pkg *p, go_file *f, TSNode decl) {
    go_children it;
    TSNode child;
    go_children_begin(&it, p->g, decl);
    while (go_children_next(&it, &child)) {
        if (go_kind_of(p->g, child) == GK_IMPORT_SPEC_LIST) {
            collect_imports(p, f, child);
            continue;
        }
        if (go_kind_of(p->g, child) != GK_IMPORT_SPEC)
            continue;
        TSNode path = go_field(child, p->g->f_path);
        if (ts_node_is_null(path))
            continue;
        const char *quoted = go_node_text(p, f->index, path);
        size_t len = strlen(quoted);
        if (len < 2)
            continue;
        const char *ipath = ms_intern(p->names, quoted + 1, len - 2);
        TSNode name = go_field(child, p->g->f_name);
        const char *local;
        if (!ts_node_is_null(name)) {
            local = go_node_text(p, f->index, name);
        } else {
            local = default_import_name(p, ipath);
        }
        go_import imp = {.name = local, .path = ipath};
        MS_VEC_PUSH(&f->imports, imp);
    }
    go_children_end(&it);
}

static void collect_var_spec(go_pkg *p, go_file *f, TSNode spec, go_decl_kind kind) {
    TSNode type = go_field(spec, p->g->f_type);
    TSNode values = go_field(spec, p->g->f_value);
    /* Names and values pair up by position. */
    uint32_t index = 0;
    uint32_t count = ts_node_child_count(spec);
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_child(spec, i);
        const char *field = ts_node_field_name_for_child(spec, i);
        if (!field || strcmp(field, "name") != 0)
            continue;
        go_decl d = {.kind = (uint8_t)kind, .file = f->index, .node = spec, .type_node = type};
        d.name = go_node_text(p, f->index, c);
        if (!ts_node_is_null(values)) {
            uint32_t nvalues = go_named_count(values);
            if (nvalues == 1) {
                d.value = go_named(values, 0);
                d.value_index = index;
            } else if (index < nvalues) {
                d.value = go_named(values, index);
            }
        }
        if (kind == GD_VAR) {
            d.sym = go_new_sym(p, d.name, MS_SYM_GLOBAL, MS_NONE, f->index, c);
        }
        add_decl(p, d);
        index++;
    }
}

static void collect_spec_list(go_pkg *p, go_file *f, TSNode decl, go_decl_kind kind) {
    go_children it;
    TSNode child;
    go_children_begin(&it, p->g, decl);
    while (go_children_next(&it, &child)) {
        go_kind k = go_kind_of(p->g, child);
        if (k == GK_VAR_SPEC || k == GK_CONST_SPEC)
            collect_var_spec(p, f, child, kind);
        else if (k == GK_VAR_SPEC_LIST)
            collect_spec_list(p, f, child, kind);
    }
    go_children_end(&it);
}

static void collect_types(go_pkg *p, go_file *f, TSNode decl) {
    go_children it;
    TSNode child;
    go_children_begin(&it, p->g, decl);
    while (go_children_next(&it, &child)) {
        go_kind k = go_kind_of(p->g, child);
        if (k != GK_TYPE_SPEC && k != GK_TYPE_ALIAS)
            continue;
        TSNode name = go_field(child, p->g->f_name);
        if (ts_node_is_null(name))
            continue;
        go_decl d = {.kind = GD_TYPE,
                     .file = f->index,
                     .node = child,
                     .type_node = go_field(child, p->g->f_type),
                     .alias = k == GK_TYPE_ALIAS};
        d.name = go_node_text(p, f->index, name);
        add_decl(p, d);
    }
    go_children_end(&it);
}

/* Go's convention: fooLocked expects its caller to hold the lock. */
static uint32_t naming_flags(const char *name) {
    size_t n = strlen(name);
    return n > 6 && strcmp(name + n - 6, "Locked") == 0 ? MS_FUNCF_CALLER_LOCKED : 0;
}

static void collect_file(go_pkg *p, go_file *f) {
    go_children it;
    TSNode child;
    go_children_begin(&it, p->g, f->root);
    while (go_children_next(&it, &child)) {
        switch (go_kind_of(p->g, child)) {
            case GK_PACKAGE_CLAUSE: {
                TSNode id = go_named(child, 0);
                if (!ts_node_is_null(id))
                    f->package = go_node_text(p, f->index, id);
                break;
            }
            case GK_IMPORT_DECLARATION:
                collect_imports(p, f, child);
                break;
            case GK_FUNCTION_DECLARATION: {
                TSNode name = go_field(child, p->g->f_name);
                if (ts_node_is_null(name))
                    break;
                const char *n = go_node_text(p, f->index, name);
                go_decl d = {.kind = GD_FUNC, .file = f->index, .node = child, .name = n};
                /* init functions may repeat and are never called by name */
                d.func = go_new_func(p, f->index, child, n, n, NULL, naming_flags(n));
                if (strcmp(n, "init") != 0 && strcmp(n, "_") != 0)
                    add_decl(p, d);
                break;
            }
            case GK_METHOD_DECLARATION: {
                TSNode name = go_field(child, p->g->f_name);
                TSNode recv = go_field(child, p->g->f_receiver);
                if (ts_node_is_null(name))
                    break;
                bool pointer = false;
                TSNode rt = receiver_type_node(p, recv, &pointer);
                const char *rtype = go_kind_of(p->g, rt) == GK_TYPE_IDENTIFIER
                                        ? go_node_text(p, f->index, rt)
                                        : NULL;
                const char *n = go_node_text(p, f->index, name);
                const char *display = ms_arena_printf(p->arena, pointer ? "(*%s).%s" : "%s.%s",
                                                      rtype ? rtype : "?", n);
                uint32_t id = go_new_func(p, f->index, child, n, display, rtype,
                                          MS_FUNCF_METHOD | naming_flags(n));
                if (rtype && !go_pkg_method(p, rtype, n))
                    go_table_put(&p->method_by_recv, rtype, n, id);
                break;
            }
            case GK_TYPE_DECLARATION:
                collect_types(p, f, child);
                break;
            case GK_VAR_DECLARATION:
                collect_spec_list(p, f, child, GD_VAR);
                break;
            case GK_CONST_DECLARATION:
                collect_spec_list(p, f, child, GD_CONST);
                break;
            default:
                break;
        }
    }
    go_children_end(&it);
}

void go_collect_decls(go_pkg *p) {
    for (uint32_t i = 0; i < p->nfiles; i++)
        collect_file(p, &p->files[i]);
}
