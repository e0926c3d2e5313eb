/* Compile commands: the project's database when there is one (libclang reads
 * compile_commands.json the way clang-tidy does, and infers a command for
 * files it does not list from their neighbours), else the defaults of
 * interface.md; then what every parse needs and the user's --extra-arg. */
#include "c_internal.h"

#include <ctype.h>
#include <string.h>
#include <sys/stat.h>

static bool starts_with(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool has_suffix(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void add(c_command *cmd, const char *arg) {
    MS_VEC_PUSH(&cmd->args, ms_xstrdup(arg));
}

/* Flags whose value is a path. Clang's -working-directory would resolve
 * relative ones, but it changes the process's working directory, which
 * threads share: paths are made absolute here instead. Longer names first. */
static const char *const path_flags[] = {
    "-include-pch", "-isystem",     "-iquote",  "-idirafter", "-include",  "-imacros", "-isysroot",
    "-iframework",  "-cxx-isystem", "-iprefix", "--sysroot=", "--sysroot", "-I",       "-F",
};

static char *absolute(const char *dir, const char *path) {
    if (path[0] == '/' || !dir || !dir[0])
        return ms_xstrdup(path);
    return ms_xasprintf("%s/%s", dir, path);
}

/* -include and -imacros look in the working directory first, then along the
 * include path: only a file that is there is taken from there. */
static char *resolve(const char *flag, const char *dir, const char *path) {
    char *abs = absolute(dir, path);
    struct stat st;
    if ((strcmp(flag, "-include") == 0 || strcmp(flag, "-imacros") == 0) && stat(abs, &st) != 0) {
        free(abs);
        return ms_xstrdup(path);
    }
    return abs;
}

/* Adds arg (and, for a flag with a separate value, the value at *i + 1),
 * with relative paths resolved against dir. Returns how many were used. */
static unsigned add_resolved(c_command *cmd, const char *dir, const char *arg, const char *next) {
    for (size_t k = 0; k < sizeof(path_flags) / sizeof(path_flags[0]); k++) {
        size_t n = strlen(path_flags[k]);
        if (strncmp(arg, path_flags[k], n) != 0)
            continue;
        if (arg[n] == '\0') {
            add(cmd, arg);
            if (!next)
                return 1;
            MS_VEC_PUSH(&cmd->args, resolve(path_flags[k], dir, next));
            return 2;
        }
        char *value = resolve(path_flags[k], dir, arg + n);
        MS_VEC_PUSH(&cmd->args, ms_xasprintf("%.*s%s", (int)n, arg, value));
        free(value);
        return 1;
    }
    add(cmd, arg);
    return 1;
}

/* Flags that only matter to a build: outputs and dependency files. The
 * second element says whether the flag takes the next argument. */
static int build_only_flag(const char *a) {
    static const char *const with_value[] = {"-o", "-MF", "-MT", "-MQ", "-Xlinker", "-l", "-L"};
    static const char *const alone[] = {"-c",  "-MD", "-MMD", "-MP", "-M",   "-MM",
                                        "-MG", "-S",  "-E",   "-v",  "-pipe"};
    for (size_t i = 0; i < sizeof(with_value) / sizeof(with_value[0]); i++)
        if (strcmp(a, with_value[i]) == 0)
            return 2;
    for (size_t i = 0; i < sizeof(alone) / sizeof(alone[0]); i++)
        if (strcmp(a, alone[i]) == 0)
            return 1;
    if ((starts_with(a, "-o") || starts_with(a, "-MF") || starts_with(a, "-MT") ||
         starts_with(a, "-MQ") || starts_with(a, "-Wl,") || starts_with(a, "-save-temps")) &&
        strlen(a) > 2)
        return 1;
    return 0;
}

static bool cxx_by_extension(const char *path) {
    ms_lang lang;
    return ms_lang_for_path(path, &lang) && lang == MS_LANG_CXX;
}

/* Whether `arg`, an input of the command, is the file being analysed. */
static bool is_input(const char *arg, const char *filename, const char *abs_path) {
    if (strcmp(arg, filename) == 0 || strcmp(arg, abs_path) == 0)
        return true;
    size_t n = strlen(arg);
    return n > 0 && has_suffix(abs_path, arg) && abs_path[strlen(abs_path) - n - 1] == '/' &&
           arg[0] != '-';
}

static bool from_database(const ms_c_frontend *fe, const char *abs_path, c_command *cmd) {
    pthread_mutex_lock(fe->db_lock);
    CXCompileCommands cmds = clang_CompilationDatabase_getCompileCommands(fe->db, abs_path);
    bool found = cmds && clang_CompileCommands_getSize(cmds) > 0;
    if (found) {
        CXCompileCommand c = clang_CompileCommands_getCommand(cmds, 0);
        CXString dir = clang_CompileCommand_getDirectory(c);
        CXString file = clang_CompileCommand_getFilename(c);
        const char *filename = clang_getCString(file);
        char *joined = filename[0] == '/' ? ms_xstrdup(filename)
                                          : ms_xasprintf("%s/%s", clang_getCString(dir), filename);
        char *real = ms_c_real_path(joined);
        /* An inferred command (for a file the database does not list) keeps
         * its neighbour's driver mode; the file's own extension and -x decide. */
        bool exact = real && strcmp(real, abs_path) == 0;
        free(joined);
        free(real);
        unsigned n = clang_CompileCommand_getNumArgs(c);
        bool driver_cxx = false, x_cxx = false, x_seen = false;
        const char *directory = clang_getCString(dir);
        for (unsigned i = 1; i < n; i++) {
            CXString s = clang_CompileCommand_getArg(c, i);
            const char *a = clang_getCString(s);
            int skip = build_only_flag(a);
            if (strcmp(a, "--") == 0) {
                clang_disposeString(s);
                break;
            }
            if (skip == 2)
                i++;
            if (skip || is_input(a, filename, abs_path)) {
                clang_disposeString(s);
                continue;
            }
            if (starts_with(a, "--driver-mode=")) {
                driver_cxx = strcmp(a + 14, "g++") == 0;
                if (!exact) {
                    clang_disposeString(s);
                    continue;
                }
            }
            char *next = NULL;
            if (i + 1 < n) {
                CXString v = clang_CompileCommand_getArg(c, i + 1);
                next = ms_xstrdup(clang_getCString(v));
                clang_disposeString(v);
            }
            if (strcmp(a, "-x") == 0 && next) {
                x_seen = true;
                x_cxx = starts_with(next, "c++") || starts_with(next, "objective-c++");
            }
            i += add_resolved(cmd, directory, a, next) - 1;
            free(next);
            clang_disposeString(s);
        }
        /* The compiler's name says C++ too: g++, clang++, c++. */
        CXString cc = clang_CompileCommand_getArg(c, 0);
        const char *compiler = clang_getCString(cc);
        const char *base = strrchr(compiler, '/');
        base = base ? base + 1 : compiler;
        bool compiler_cxx = strstr(base, "++") != NULL;
        clang_disposeString(cc);
        if (x_seen)
            cmd->cxx = x_cxx;
        else if (exact)
            cmd->cxx = driver_cxx || compiler_cxx || cxx_by_extension(abs_path);
        else
            cmd->cxx = cxx_by_extension(abs_path);
        clang_disposeString(dir);
        clang_disposeString(file);
    }
    if (cmds)
        clang_CompileCommands_dispose(cmds);
    pthread_mutex_unlock(fe->db_lock);
    return found;
}

static bool word_at(const char *text, size_t size, size_t i, const char *word) {
    size_t n = strlen(word);
    if (i + n > size || strncmp(text + i, word, n) != 0)
        return false;
    bool before = i == 0 || !(isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_');
    bool after = i + n == size || !(isalnum((unsigned char)text[i + n]) || text[i + n] == '_');
    return before && after;
}

/* A header with no compile command is C, as interface.md says, unless its
 * text is plainly C++ and not meant for C as well (no __cplusplus guard). */
static bool plainly_cxx(const ms_source *src) {
    static const char *const signs[] = {
        "namespace", "template", "public:", "private:", "protected:", "constexpr", "nullptr"};
    const char *t = src->text;
    size_t n = src->size;
    bool cxx = false;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '_' && word_at(t, n, i, "__cplusplus"))
            return false;
        if (i + 5 <= n && strncmp(t + i, "std::", 5) == 0 && word_at(t, n, i, "std"))
            cxx = true;
        for (size_t k = 0; k < sizeof(signs) / sizeof(signs[0]) && !cxx; k++)
            if (t[i] == signs[k][0] && word_at(t, n, i, signs[k]))
                cxx = true;
    }
    return cxx;
}

static bool is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Without a database: the standard of interface.md, and the include paths
 * most projects use, so their own headers are found: the project's roots for
 * quoted includes (#include "db/format.h" from anywhere in the tree) and
 * their include/ directories. */
static void defaults(const ms_c_frontend *fe, const char *abs_path, const ms_source *main,
                     c_command *cmd) {
    cmd->cxx = main->lang == MS_LANG_CXX || (ms_path_is_header(abs_path) && plainly_cxx(main));
    add(cmd, "-x");
    add(cmd, cmd->cxx ? "c++" : "c");
    add(cmd, cmd->cxx ? "-std=c++17" : "-std=c17");
    /* ISO C17 hides POSIX and GNU declarations (pthread_rwlock_t) that code
     * written for gcc's default gnu17 expects. */
    add(cmd, "-D_GNU_SOURCE");
    for (size_t i = 0; i < fe->nroots; i++) {
        add(cmd, "-iquote");
        add(cmd, fe->roots[i]);
        char *inc = ms_xasprintf("%s/include", fe->roots[i]);
        if (is_dir(inc)) {
            add(cmd, "-I");
            add(cmd, inc);
        }
        free(inc);
    }
}

void c_command_build(const ms_c_frontend *fe, const char *abs_path, const ms_source *main,
                     c_command *cmd) {
    memset(cmd, 0, sizeof(*cmd));
    if (fe->db && from_database(fe, abs_path, cmd))
        cmd->from_db = true;
    else
        defaults(fe, abs_path, main, cmd);
    /* What every parse needs: Clang's builtin headers; no warnings (only
     * errors matter); no limit on errors, which would stop the parse early
     * when headers are missing; no typo correction, which would turn an
     * unknown name into a different, known one. */
    if (fe->resource_dir) {
        add(cmd, "-resource-dir");
        add(cmd, fe->resource_dir);
    }
    add(cmd, "-w");
    add(cmd, "-ferror-limit=0");
    add(cmd, "-fno-spell-checking");
    for (size_t i = 0; i < fe->nextra; i++)
        add(cmd, fe->extra_args[i]);
}

void c_command_reduce(c_command *cmd) {
    static const char *const with_value[] = {
        "-isystem",           "-iquote",       "-idirafter", "-include", "-x", "-isysroot",
        "-working-directory", "-resource-dir", "-I",         "-D",       "-U", "-imacros"};
    static const char *const prefixes[] = {
        "-I",        "-D",      "-U",         "-std=",         "--sysroot",
        "-isystem",  "-iquote", "-idirafter", "-ferror-limit", "-fno-spell-checking",
        "-nostdinc", "-w"};
    size_t kept = 0;
    for (size_t i = 0; i < cmd->args.len; i++) {
        char *a = cmd->args.items[i];
        bool keep = false, value = false;
        for (size_t k = 0; k < sizeof(with_value) / sizeof(with_value[0]) && !keep; k++)
            if (strcmp(a, with_value[k]) == 0)
                keep = value = true;
        for (size_t k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]) && !keep; k++)
            if (starts_with(a, prefixes[k]))
                keep = true;
        if (!keep) {
            free(a);
            continue;
        }
        cmd->args.items[kept++] = a;
        if (value && i + 1 < cmd->args.len)
            cmd->args.items[kept++] = cmd->args.items[++i];
    }
    cmd->args.len = kept;
}

void c_command_free(c_command *cmd) {
    for (size_t i = 0; i < cmd->args.len; i++)
        free(cmd->args.items[i]);
    MS_VEC_FREE(&cmd->args);
}
