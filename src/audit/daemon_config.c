#include "audit/daemon_config.h"
#include "base/buf.h"
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum flag_kind { FLAG_BOOL, FLAG_STRING, FLAG_LIST, FLAG_MAP, FLAG_ULIMIT, FLAG_RUNTIME };

struct dockerd_flag {
        const char *name; /* long name without dashes */
        char short_name;  /* 0 when none */
        const char *key;  /* daemon.json key */
        enum flag_kind kind;
};

/* dockerd's flags whose daemon.json key or type a check needs to know.
 * Every other flag is kept by its own name. */
static const struct dockerd_flag dockerd_flags[] = {
    {"host", 'H', "hosts", FLAG_LIST},
    {"insecure-registry", 0, "insecure-registries", FLAG_LIST},
    {"authorization-plugin", 0, "authorization-plugins", FLAG_LIST},
    {"storage-opt", 0, "storage-opts", FLAG_LIST},
    {"exec-opt", 0, "exec-opts", FLAG_LIST},
    {"label", 0, "labels", FLAG_LIST},
    {"dns", 0, "dns", FLAG_LIST},
    {"dns-opt", 0, "dns-opts", FLAG_LIST},
    {"dns-search", 0, "dns-search", FLAG_LIST},
    {"registry-mirror", 0, "registry-mirrors", FLAG_LIST},
    {"allow-nondistributable-artifacts", 0, "allow-nondistributable-artifacts", FLAG_LIST},
    {"log-opt", 0, "log-opts", FLAG_MAP},
    {"default-ulimit", 0, "default-ulimits", FLAG_ULIMIT},
    {"add-runtime", 0, "runtimes", FLAG_RUNTIME},
    {"debug", 'D', "debug", FLAG_BOOL},
    {"tls", 0, "tls", FLAG_BOOL},
    {"tlsverify", 0, "tlsverify", FLAG_BOOL},
    {"icc", 0, "icc", FLAG_BOOL},
    {"iptables", 0, "iptables", FLAG_BOOL},
    {"ip6tables", 0, "ip6tables", FLAG_BOOL},
    {"ip-forward", 0, "ip-forward", FLAG_BOOL},
    {"ip-masq", 0, "ip-masq", FLAG_BOOL},
    {"ipv6", 0, "ipv6", FLAG_BOOL},
    {"selinux-enabled", 0, "selinux-enabled", FLAG_BOOL},
    {"no-new-privileges", 0, "no-new-privileges", FLAG_BOOL},
    {"live-restore", 0, "live-restore", FLAG_BOOL},
    {"userland-proxy", 0, "userland-proxy", FLAG_BOOL},
    {"experimental", 0, "experimental", FLAG_BOOL},
    {"init", 0, "init", FLAG_BOOL},
    {"raw-logs", 0, "raw-logs", FLAG_BOOL},
    {"rootless", 0, "rootless", FLAG_BOOL},
    {"validate", 0, "validate", FLAG_BOOL},
    {"help", 'h', "help", FLAG_BOOL},
    {"version", 'v', "version", FLAG_BOOL},
    {"log-level", 'l', "log-level", FLAG_STRING},
    {"group", 'G', "group", FLAG_STRING},
    {"pidfile", 'p', "pidfile", FLAG_STRING},
    {"storage-driver", 's', "storage-driver", FLAG_STRING},
    {"bridge", 'b', "bridge", FLAG_STRING},
    {"data-root", 0, "data-root", FLAG_STRING},
    {"graph", 'g', "data-root", FLAG_STRING},
    {"exec-root", 0, "exec-root", FLAG_STRING},
    {"config-file", 0, "config-file", FLAG_STRING},
    {"containerd", 0, "containerd", FLAG_STRING},
    {"tlscacert", 0, "tlscacert", FLAG_STRING},
    {"tlscert", 0, "tlscert", FLAG_STRING},
    {"tlskey", 0, "tlskey", FLAG_STRING},
    {"userns-remap", 0, "userns-remap", FLAG_STRING},
    {"cgroup-parent", 0, "cgroup-parent", FLAG_STRING},
    {"seccomp-profile", 0, "seccomp-profile", FLAG_STRING},
    {"log-driver", 0, "log-driver", FLAG_STRING},
    {"default-runtime", 0, "default-runtime", FLAG_STRING},
};

char **audit_cmdline_split(const char *data, size_t len)
{
        char **v = NULL;
        size_t start = 0;
        for (size_t i = 0; i < len; i++) {
                if (data[i] == '\0') {
                        bh_strv_push_take(&v, bh_xstrndup(data + start, i - start));
                        start = i + 1;
                }
        }
        if (start < len)
                bh_strv_push_take(&v, bh_xstrndup(data + start, len - start));
        if (!v)
                v = bh_xcalloc(1, sizeof(char *));
        return v;
}

static const struct dockerd_flag *find_long(const char *name, size_t n)
{
        for (size_t i = 0; i < BH_ARRAY_SIZE(dockerd_flags); i++)
                if (strlen(dockerd_flags[i].name) == n &&
                    strncmp(dockerd_flags[i].name, name, n) == 0)
                        return &dockerd_flags[i];
        return NULL;
}

static const struct dockerd_flag *find_short(char c)
{
        for (size_t i = 0; i < BH_ARRAY_SIZE(dockerd_flags); i++)
                if (dockerd_flags[i].short_name == c)
                        return &dockerd_flags[i];
        return NULL;
}

/* Go's strconv.ParseBool. */
static int parse_bool(const char *s, bool *out)
{
        static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
        static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
        for (size_t i = 0; i < BH_ARRAY_SIZE(yes); i++) {
                if (strcmp(s, yes[i]) == 0) {
                        *out = true;
                        return 0;
                }
                if (strcmp(s, no[i]) == 0) {
                        *out = false;
                        return 0;
                }
        }
        return -EINVAL;
}

static int parse_long(const char *s, long long *out)
{
        char *end = NULL;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (errno || end == s || *end)
                return -EINVAL;
        *out = v;
        return 0;
}

/* "nofile=1024:2048" or "nproc=512" -> {"Name":"nofile","Soft":1024,"Hard":2048} */
static json_t *parse_ulimit(const char *v)
{
        const char *eq = strchr(v, '=');
        if (!eq || eq == v)
                return NULL;
        _cleanup_free_ char *name = bh_xstrndup(v, (size_t)(eq - v));
        _cleanup_free_ char *limits = bh_xstrdup(eq + 1);
        char *colon = strchr(limits, ':');
        long long soft, hard;
        if (colon)
                *colon = '\0';
        if (parse_long(limits, &soft) < 0)
                return NULL;
        hard = soft;
        if (colon && parse_long(colon + 1, &hard) < 0)
                return NULL;
        return json_pack("{s:s,s:I,s:I}", "Name", name, "Soft", (json_int_t)soft, "Hard",
                         (json_int_t)hard);
}

static int set_flag(json_t *out, const struct dockerd_flag *f, const char *name, const char *value,
                    bool has_value, struct bh_error *err)
{
        const char *key = f ? f->key : name;
        enum flag_kind kind = f ? f->kind : FLAG_STRING;
        if (kind == FLAG_BOOL) {
                bool b = true;
                if (has_value && parse_bool(value, &b) < 0)
                        return bh_error_set(
                            err, EINVAL, "dockerd flag --%s: \"%s\" is not a boolean", name, value);
                json_object_set_new(out, key, json_boolean(b));
                return 0;
        }
        if (!has_value) /* unknown flags without a value are switches */
                return json_object_set_new(out, key, json_true()), 0;
        switch (kind) {
        case FLAG_LIST: {
                json_t *list = json_object_get(out, key);
                if (!json_is_array(list)) {
                        list = json_array();
                        json_object_set_new(out, key, list);
                }
                json_array_append_new(list, json_string(value));
                return 0;
        }
        case FLAG_MAP:
        case FLAG_RUNTIME: {
                const char *eq = strchr(value, '=');
                if (!eq)
                        return bh_error_set(
                            err, EINVAL, "dockerd flag --%s: \"%s\" is not KEY=VALUE", name, value);
                json_t *map = json_object_get(out, key);
                if (!json_is_object(map)) {
                        map = json_object();
                        json_object_set_new(out, key, map);
                }
                _cleanup_free_ char *k = bh_xstrndup(value, (size_t)(eq - value));
                if (kind == FLAG_RUNTIME)
                        json_object_set_new(map, k, json_pack("{s:s}", "path", eq + 1));
                else
                        json_object_set_new(map, k, json_string(eq + 1));
                return 0;
        }
        case FLAG_ULIMIT: {
                json_t *u = parse_ulimit(value);
                if (!u)
                        return bh_error_set(err, EINVAL,
                                            "dockerd flag --%s: \"%s\" is not NAME=SOFT[:HARD]",
                                            name, value);
                json_t *map = json_object_get(out, key);
                if (!json_is_object(map)) {
                        map = json_object();
                        json_object_set_new(out, key, map);
                }
                json_object_set_new(map, json_string_value(json_object_get(u, "Name")), u);
                return 0;
        }
        default:
                json_object_set_new(out, key, json_string(value));
                return 0;
        }
}

json_t *audit_dockerd_flags(char *const *argv, struct bh_error *err)
{
        json_t *out = json_object();
        size_t argc = bh_strv_len(argv);
        for (size_t i = 1; i < argc; i++) {
                const char *arg = argv[i];
                const struct dockerd_flag *f = NULL;
                _cleanup_free_ char *name = NULL;
                const char *value = NULL;
                bool has_value = false;
                if (strcmp(arg, "--") == 0)
                        break;
                if (bh_startswith(arg, "--")) {
                        const char *body = arg + 2;
                        const char *eq = strchr(body, '=');
                        size_t n = eq ? (size_t)(eq - body) : strlen(body);
                        name = bh_xstrndup(body, n);
                        f = find_long(body, n);
                        if (eq) {
                                value = eq + 1;
                                has_value = true;
                        }
                } else if (arg[0] == '-' && arg[1]) {
                        /* -H fd:// or -Hfd:// or -D; combined booleans like -Dv are rare */
                        f = find_short(arg[1]);
                        name = bh_xasprintf("%c", arg[1]);
                        if (f)
                                free(name), name = bh_xstrdup(f->name);
                        if (arg[2]) {
                                value = arg[2] == '=' ? arg + 3 : arg + 2;
                                has_value = true;
                        }
                } else {
                        continue; /* dockerd takes no positional arguments; ignore strays */
                }
                bool takes_value =
                    f ? f->kind != FLAG_BOOL : !has_value && i + 1 < argc && argv[i + 1][0] != '-';
                if (!has_value && takes_value) {
                        if (i + 1 >= argc) {
                                json_decref(out);
                                bh_error_set(err, EINVAL, "dockerd flag %s has no value", arg);
                                return NULL;
                        }
                        value = argv[++i];
                        has_value = true;
                }
                if (set_flag(out, f, name, value, has_value, err) < 0) {
                        json_decref(out);
                        return NULL;
                }
        }
        return out;
}

const char *audit_dockerd_config_file(char *const *argv)
{
        size_t argc = bh_strv_len(argv);
        for (size_t i = 1; i < argc; i++) {
                if (bh_startswith(argv[i], "--config-file="))
                        return argv[i] + strlen("--config-file=");
                if (strcmp(argv[i], "--config-file") == 0 && i + 1 < argc)
                        return argv[i + 1];
        }
        return NULL;
}

json_t *audit_config_merge(const json_t *daemon_json, const json_t *flags)
{
        json_t *out = json_is_object(daemon_json) ? json_deep_copy(daemon_json) : json_object();
        if (!json_is_object(flags))
                return out;
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)flags, key, v)
        {
                json_t *cur = json_object_get(out, key);
                if (json_is_array(v) && json_is_array(cur)) {
                        json_array_extend(cur, v);
                } else if (json_is_object(v) && json_is_object(cur)) {
                        json_object_update(cur, v);
                } else {
                        json_object_set(out, key, v);
                }
        }
        return out;
}

/* ---- systemd units ---- */

/* Looks up NAME in "K=V" lines (Environment= values and EnvironmentFile text). */
static const char *env_lookup(char *const *env, const char *name, size_t n)
{
        const char *found = NULL;
        for (size_t i = 0; env && env[i]; i++)
                if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
                        found = env[i] + n + 1; /* later assignments win */
        return found;
}

static void env_add_assignments(char ***env, const char *text)
{
        /* Environment="A=1" "B=2" or EnvironmentFile lines A=1 / A="1" */
        const char *p = text;
        while (*p) {
                while (*p == ' ' || *p == '\t')
                        p++;
                if (!*p)
                        break;
                struct bh_buf word = BH_BUF_INIT;
                char quote = 0;
                for (; *p && (quote || (*p != ' ' && *p != '\t')); p++) {
                        if (!quote && (*p == '"' || *p == '\'')) {
                                quote = *p;
                                continue;
                        }
                        if (quote && *p == quote) {
                                quote = 0;
                                continue;
                        }
                        bh_buf_putc(&word, *p);
                }
                char *w = bh_buf_steal(&word);
                if (strchr(w, '=') && w[0] != '=')
                        bh_strv_push_take(env, w);
                else
                        free(w);
        }
}

static void env_add_file(char ***env, const char *text)
{
        _cleanup_free_ char *copy = bh_xstrdup(text);
        char *save = NULL;
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                bh_strstrip(line);
                if (line[0] == '#' || line[0] == ';' || !strchr(line, '='))
                        continue;
                if (bh_startswith(line, "export "))
                        line += 7;
                char *eq = strchr(line, '=');
                size_t vlen = strlen(eq + 1);
                if (vlen >= 2 && (eq[1] == '"' || eq[1] == '\'') && eq[vlen] == eq[1]) {
                        eq[vlen] = '\0';
                        memmove(eq + 1, eq + 2, vlen - 1);
                }
                bh_strv_push(env, line);
        }
}

/* Splits an ExecStart command line the way systemd does (quotes, backslash
 * escapes) and expands $VAR (split into words) and ${VAR} (one word). */
static char **split_words(const char *cmd, char *const *env)
{
        char **out = NULL;
        const char *p = cmd;
        for (;;) {
                while (*p == ' ' || *p == '\t')
                        p++;
                if (!*p)
                        break;
                struct bh_buf word = BH_BUF_INIT;
                bool any = false;
                char quote = 0;
                for (; *p && (quote || (*p != ' ' && *p != '\t')); p++) {
                        if (!quote && (*p == '"' || *p == '\'')) {
                                quote = *p;
                                any = true;
                                continue;
                        }
                        if (quote && *p == quote) {
                                quote = 0;
                                continue;
                        }
                        if (*p == '\\' && p[1]) {
                                p++;
                                bh_buf_putc(&word, *p);
                                any = true;
                                continue;
                        }
                        if (*p == '$' && p[1] == '{') {
                                const char *close = strchr(p, '}');
                                if (close) {
                                        const char *v =
                                            env_lookup(env, p + 2, (size_t)(close - p - 2));
                                        if (v)
                                                bh_buf_puts(&word, v);
                                        p = close;
                                        any = true;
                                        continue;
                                }
                        }
                        if (*p == '$' && !quote && (isalpha((unsigned char)p[1]) || p[1] == '_') &&
                            word.len == 0) {
                                size_t n = 1;
                                while (isalnum((unsigned char)p[n]) || p[n] == '_')
                                        n++;
                                const char *v = env_lookup(env, p + 1, n - 1);
                                p += n - 1;
                                if (p[1] == ' ' || p[1] == '\t' || !p[1]) {
                                        /* unbraced variable alone: split into words */
                                        if (v) {
                                                _cleanup_strv_ char **words = split_words(v, NULL);
                                                for (size_t i = 0; words && words[i]; i++)
                                                        bh_strv_push(&out, words[i]);
                                        }
                                        any = false;
                                        bh_buf_free(&word);
                                        continue;
                                }
                                if (v)
                                        bh_buf_puts(&word, v);
                                any = true;
                                continue;
                        }
                        bh_buf_putc(&word, *p);
                        any = true;
                }
                if (any || word.len)
                        bh_strv_push_take(&out, bh_buf_steal(&word));
                else
                        bh_buf_free(&word);
        }
        return out;
}

char **audit_unit_execstart(char *const *unit_texts, size_t n, const char *env_text,
                            struct bh_error *err)
{
        _cleanup_free_ char *exec = NULL;
        _cleanup_strv_ char **env = NULL;
        if (env_text)
                env_add_file(&env, env_text);
        for (size_t u = 0; u < n; u++) {
                /* join continuation lines first */
                struct bh_buf joined = BH_BUF_INIT;
                for (const char *p = unit_texts[u]; *p; p++) {
                        if (*p == '\\' && p[1] == '\n') {
                                bh_buf_putc(&joined, ' ');
                                p++;
                                continue;
                        }
                        bh_buf_putc(&joined, *p);
                }
                _cleanup_free_ char *text = bh_buf_steal(&joined);
                bool in_service = false;
                char *save = NULL;
                for (char *line = strtok_r(text, "\n", &save); line;
                     line = strtok_r(NULL, "\n", &save)) {
                        bh_strstrip(line);
                        if (line[0] == '[') {
                                in_service = strcmp(line, "[Service]") == 0;
                                continue;
                        }
                        if (!in_service || line[0] == '#' || line[0] == ';')
                                continue;
                        char *eq = strchr(line, '=');
                        if (!eq)
                                continue;
                        *eq = '\0';
                        char *key = bh_strstrip(line), *val = bh_strstrip(eq + 1);
                        if (strcmp(key, "ExecStart") == 0) {
                                free(exec);
                                exec = val[0] ? bh_xstrdup(val) : NULL; /* empty resets */
                        } else if (strcmp(key, "Environment") == 0) {
                                env_add_assignments(&env, val);
                        }
                }
        }
        if (!exec) {
                bh_error_set(err, ENOENT, "the unit has no ExecStart");
                return NULL;
        }
        /* ExecStart prefixes: - @ : + ! !! */
        const char *cmd = exec;
        while (*cmd == '-' || *cmd == '@' || *cmd == ':' || *cmd == '+' || *cmd == '!')
                cmd++;
        char **argv = split_words(cmd, env);

        if (!argv) {
                bh_error_set(err, EINVAL, "the unit's ExecStart is empty");
                return NULL;
        }
        return argv;
}

char **audit_unit_environment_files(char *const *unit_texts, size_t n)
{
        char **out = NULL;
        for (size_t u = 0; u < n; u++) {
                _cleanup_free_ char *text = bh_xstrdup(unit_texts[u]);
                char *save = NULL;
                for (char *line = strtok_r(text, "\n", &save); line;
                     line = strtok_r(NULL, "\n", &save)) {
                        bh_strstrip(line);
                        if (!bh_startswith(line, "EnvironmentFile"))
                                continue;
                        char *eq = strchr(line, '=');
                        if (!eq)
                                continue;
                        char *v = bh_strstrip(eq + 1);
                        if (v[0] == '-')
                                v++;
                        if (v[0])
                                bh_strv_push(&out, v);
                }
        }
        return out;
}
