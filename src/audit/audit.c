#include "audit/audit.h"
#include "audit/checks.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <string.h>

static const struct {
        const char *id, *title;
} sections[] = {
    {"1", "Host configuration"},
    {"2", "Docker daemon configuration"},
    {"3", "Docker daemon configuration files"},
    {"4", "Container images and build files"},
    {"5", "Container runtime"},
    {"6", "Docker security operations"},
    {"7", "Docker swarm configuration"},
    {"BH", "Beyond the benchmark: the ten security steps"},
};

static const struct audit_check *const tables[] = {
    audit_checks_host,       audit_checks_daemon,     audit_checks_files, audit_checks_images,
    audit_checks_containers, audit_checks_operations, audit_checks_swarm, audit_checks_beyond,
};

const struct audit_check *audit_check_at(size_t i)
{
        for (size_t t = 0; t < BH_ARRAY_SIZE(tables); t++) {
                size_t n = 0;
                while (tables[t][n].rule)
                        n++;
                if (i < n)
                        return &tables[t][i];
                i -= n;
        }
        return NULL;
}

int audit_cis_version_parse(const char *s, enum audit_cis_version *out)
{
        if (strcmp(s, "1.6") == 0 || strcmp(s, "1.6.0") == 0)
                *out = AUDIT_CIS_1_6;
        else if (strcmp(s, "1.7") == 0 || strcmp(s, "1.7.0") == 0)
                *out = AUDIT_CIS_1_7;
        else if (strcmp(s, "1.8") == 0 || strcmp(s, "1.8.0") == 0)
                *out = AUDIT_CIS_1_8;
        else
                return -EINVAL;
        return 0;
}

const char *audit_cis_version_name(enum audit_cis_version v)
{
        switch (v) {
        case AUDIT_CIS_1_7:
                return "1.7.0";
        case AUDIT_CIS_1_8:
                return "1.8.0";
        default:
                return "1.6.0";
        }
}

const char *audit_check_id(const struct audit_check *ck, enum audit_cis_version v)
{
        if (ck->bh_id)
                return ck->bh_id;
        return v == AUDIT_CIS_1_8 ? ck->cis18 : ck->cis16;
}

static bool matches_any(char *const *patterns, const char *id, const char *rule)
{
        for (size_t i = 0; patterns && patterns[i]; i++) {
                const char *p = patterns[i];
                if (fnmatch(p, id, 0) == 0 || fnmatch(p, rule, 0) == 0)
                        return true;
                /* "5" selects the section, "1.1" the subsection */
                size_t n = strlen(p);
                if (strncmp(id, p, n) == 0 && id[n] == '.')
                        return true;
        }
        return false;
}

bool audit_check_selected(const struct audit_check *ck, const struct audit_options *o)
{
        const char *id = audit_check_id(ck, o->cis_version);
        if (!id) /* not part of the chosen benchmark version */
                return false;
        if (o->level == 1 && ck->level > 1)
                return false;
        if (o->checks && !matches_any(o->checks, id, ck->rule))
                return false;
        if (o->skips && matches_any(o->skips, id, ck->rule))
                return false;
        return true;
}

bool audit_needs_image_files(const struct audit_options *o)
{
        for (size_t i = 0; audit_check_at(i); i++) {
                const struct audit_check *ck = audit_check_at(i);
                if (strcmp(ck->rule, "image-setid-files") == 0)
                        return audit_check_selected(ck, o);
        }
        return false;
}

/* ---- emitting results ---- */

struct audit_ctx {
        const struct audit_check *check;
        const struct audit_options *opt;
        struct bh_report *report;
        const struct audit_container *container;
        const struct audit_image *image;
};

static struct bh_finding *new_finding(struct audit_ctx *c, enum bh_status status)
{
        const struct audit_check *ck = c->check;
        struct bh_finding *f = bh_report_add(c->report);
        const char *id = audit_check_id(ck, c->opt->cis_version);
        f->id = bh_xstrdup(id);
        f->rule = bh_xstrdup(ck->rule);
        f->title = bh_xstrdup(ck->title);
        size_t dot = strcspn(id, ".-");
        f->section = ck->bh_id ? bh_xstrdup("BH") : bh_xstrndup(id, dot);
        f->level = ck->level;
        f->severity = ck->severity;
        f->status = status;
        if (ck->remediation)
                f->remediation = bh_xstrdup(ck->remediation);
        if (!ck->bh_id) {
                char *ref = bh_xasprintf("CIS Docker %s %s",
                                         audit_cis_version_name(c->opt->cis_version), id);
                bh_strv_push_take(&f->references, ref);
        }
        if (c->container) {
                f->target.kind = BH_TARGET_CONTAINER;
                f->target.id = bh_xstrdup(c->container->id ? c->container->id : "");
                f->target.name = bh_xstrdup(c->container->name ? c->container->name : "");
        } else if (c->image) {
                f->target.kind = BH_TARGET_IMAGE;
                f->target.id = bh_xstrdup(c->image->id ? c->image->id : "");
                f->target.name = bh_xstrdup(c->image->name ? c->image->name : "");
        } else {
                enum audit_scope sc = ck->scope;
                f->target.kind = sc == AUDIT_SCOPE_HOST ? BH_TARGET_HOST : BH_TARGET_DAEMON;
        }
        return f;
}

const void *audit_ctx_arg(const struct audit_ctx *c)
{
        return c->check->arg;
}

char **audit_rule_paths(const struct audit_snapshot *s, const struct audit_path_rule *r)
{
        char **out = NULL;
        const char *one = NULL;
        char *const *many = NULL;
        switch (r->source) {
        case AUDIT_PATHS_FIXED:
                one = r->path;
                break;
        case AUDIT_PATHS_DOCKERD:
                one = s->dockerd_path;
                break;
        case AUDIT_PATHS_CONTAINERD:
                one = s->containerd_path;
                break;
        case AUDIT_PATHS_SHIM:
                one = s->shim_path;
                break;
        case AUDIT_PATHS_SHIM_V1:
                one = s->shim_v1_path;
                break;
        case AUDIT_PATHS_SHIM_V2:
                one = s->shim_v2_path;
                break;
        case AUDIT_PATHS_RUNC:
                one = s->runc_path;
                break;
        case AUDIT_PATHS_DOCKER_ROOT:
                one = s->docker_root;
                break;
        case AUDIT_PATHS_DAEMON_JSON:
                one = s->daemon_json_path ? s->daemon_json_path : "/etc/docker/daemon.json";
                break;
        case AUDIT_PATHS_SERVICE_UNITS:
                many = s->docker_service_files;
                break;
        case AUDIT_PATHS_SOCKET_UNITS:
                many = s->docker_socket_files;
                break;
        case AUDIT_PATHS_REGISTRY_CERTS:
                many = s->registry_cert_files;
                break;
        case AUDIT_PATHS_CONTAINERD_SOCKETS:
                many = s->containerd_sockets;
                break;
        case AUDIT_PATHS_CONFIG_KEY:
                one = audit_cfg_str(s, r->path);
                break;
        }
        if (one)
                bh_strv_push(&out, one);
        for (size_t i = 0; many && many[i]; i++)
                bh_strv_push(&out, many[i]);
        return out;
}

bool audit_rule_paths_unknown(const struct audit_snapshot *s, const struct audit_path_rule *r,
                              struct audit_ctx *c)
{
        if (r->source == AUDIT_PATHS_CONTAINERD_SOCKETS && !s->containerd_sockets &&
            s->containerd_sockets_fail.code) {
                audit_emit(c, BH_STATUS_ERROR, "%s", s->containerd_sockets_fail.msg);
                return true;
        }
        return false;
}

void audit_emit(struct audit_ctx *c, enum bh_status status, const char *fmt, ...)
{
        struct bh_finding *f = new_finding(c, status);
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(&f->message, fmt, ap) < 0)
                abort();
        va_end(ap);
}

void audit_emit_file(struct audit_ctx *c, enum bh_status status, const char *path, const char *fmt,
                     ...)
{
        struct bh_finding *f = new_finding(c, status);
        free(f->target.id);
        free(f->target.name);
        f->target.id = f->target.name = NULL;
        f->target.kind = BH_TARGET_FILE;
        f->target.path = bh_xstrdup(path);
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(&f->message, fmt, ap) < 0)
                abort();
        va_end(ap);
}

/* ---- shared lookups ---- */

json_t *audit_cfg(const struct audit_snapshot *s, const char *key)
{
        return s->config ? json_object_get(s->config, key) : NULL;
}

const char *audit_cfg_str(const struct audit_snapshot *s, const char *key)
{
        return json_string_value(audit_cfg(s, key));
}

int audit_cfg_bool(const struct audit_snapshot *s, const char *key)
{
        json_t *v = audit_cfg(s, key);
        if (json_is_boolean(v))
                return json_is_true(v);
        if (json_is_string(v)) { /* unknown flags keep strings */
                const char *t = json_string_value(v);
                if (strcmp(t, "true") == 0)
                        return 1;
                if (strcmp(t, "false") == 0)
                        return 0;
        }
        return -1;
}

bool audit_cfg_unavailable(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (s->config)
                return false;
        audit_emit(c, BH_STATUS_ERROR, "%s",
                   s->config_fail.code ? s->config_fail.msg
                                       : "the daemon's configuration could not be read");
        return true;
}

bool audit_engine_security_option(const struct audit_snapshot *s, const char *name)
{
        json_t *opts = bh_json_get(s->info, "SecurityOptions");
        size_t i;
        json_t *v;
        size_t n = strlen(name);
        json_array_foreach(opts, i, v)
        {
                const char *o = json_string_value(v);
                if (!o)
                        continue;
                /* "name=seccomp,profile=default" or the old bare "seccomp" */
                if (bh_startswith(o, "name=") && strncmp(o + 5, name, n) == 0 &&
                    (o[5 + n] == '\0' || o[5 + n] == ','))
                        return true;
                if (strcmp(o, name) == 0)
                        return true;
        }
        return false;
}

bool audit_swarm_active(const struct audit_snapshot *s)
{
        const char *st = bh_json_str(s->info, "Swarm.LocalNodeState");
        return st && (strcmp(st, "active") == 0 || strcmp(st, "locked") == 0);
}

bool audit_daemon_rootless(const struct audit_snapshot *s)
{
        if (audit_engine_security_option(s, "rootless"))
                return true;
        if (audit_cfg_bool(s, "rootless") == 1)
                return true;
        return s->dockerd_uid > 0;
}

bool audit_container_proc_missing(const struct audit_container *ct, struct audit_ctx *c)
{
        if (!ct->running) {
                audit_emit(c, BH_STATUS_NA, "%s is not running", ct->name);
                return true;
        }
        if (ct->proc.fail.code) {
                audit_emit(c, BH_STATUS_ERROR, "%s", ct->proc.fail.msg);
                return true;
        }
        return false;
}

const char *audit_container_hc_str(const struct audit_container *ct, const char *key)
{
        json_t *hc = json_object_get(ct->inspect, "HostConfig");
        return json_string_value(json_object_get(hc, key));
}

bool audit_container_security_opt(const struct audit_container *ct, const char *prefix,
                                  const char **value)
{
        json_t *opts = bh_json_get(ct->inspect, "HostConfig.SecurityOpt");
        size_t i, n = strlen(prefix);
        json_t *v;
        json_array_foreach(opts, i, v)
        {
                const char *o = json_string_value(v);
                if (!o || strncmp(o, prefix, n) != 0)
                        continue;
                /* "seccomp=unconfined", the old "seccomp:unconfined", or a bare flag */
                if (o[n] == '=' || o[n] == ':') {
                        if (value)
                                *value = o + n + 1;
                        return true;
                }
                if (o[n] == '\0') {
                        if (value)
                                *value = "";
                        return true;
                }
        }
        return false;
}

/* ---- running the table ---- */

static void judge_per_container(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (s->ncontainers == 0) {
                audit_emit(c, BH_STATUS_NA, "%s",
                           c->opt->all_containers
                               ? "there are no containers"
                               : "no container is running (--all includes stopped ones)");
                return;
        }
        for (size_t i = 0; i < s->ncontainers; i++) {
                const struct audit_container *ct = &s->containers[i];
                c->container = ct;
                if (ct->fail.code)
                        audit_emit(c, BH_STATUS_ERROR, "%s", ct->fail.msg);
                else
                        c->check->container(s, ct, c);
        }
        c->container = NULL;
}

static void judge_per_image(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (s->nimages == 0) {
                audit_emit(c, BH_STATUS_NA, "there are no images");
                return;
        }
        for (size_t i = 0; i < s->nimages; i++) {
                const struct audit_image *im = &s->images[i];
                c->image = im;
                if (im->fail.code)
                        audit_emit(c, BH_STATUS_ERROR, "%s", im->fail.msg);
                else
                        c->check->image(s, im, c);
        }
        c->image = NULL;
}

static void judge_one(const struct audit_snapshot *s, struct audit_ctx *c)
{
        const struct audit_check *ck = c->check;
        bool needs_api = ck->scope == AUDIT_SCOPE_ENGINE || ck->scope == AUDIT_SCOPE_CONTAINER ||
                         ck->scope == AUDIT_SCOPE_IMAGE || ck->scope == AUDIT_SCOPE_SWARM;
        if (needs_api && s->api_fail.code) {
                audit_emit(c, BH_STATUS_ERROR, "%s", s->api_fail.msg);
                return;
        }
        if (ck->scope == AUDIT_SCOPE_DAEMON && s->podman) {
                audit_emit(c, BH_STATUS_NA,
                           "the engine at %s is Podman: dockerd's configuration does "
                           "not apply",
                           s->endpoint ? s->endpoint : "the socket");
                return;
        }
        switch (ck->scope) {
        case AUDIT_SCOPE_CONTAINER:

                judge_per_container(s, c);
                return;
        case AUDIT_SCOPE_IMAGE:
                judge_per_image(s, c);
                return;
        case AUDIT_SCOPE_SWARM:
                if (!audit_swarm_active(s)) {
                        audit_emit(c, BH_STATUS_NA, "swarm mode is not active on this node");
                        return;
                }
                ck->host(s, c);
                return;
        default:
                ck->host(s, c);
        }
}

void audit_judge(const struct audit_snapshot *s, const struct audit_options *o, struct bh_report *r)
{
        for (size_t i = 0; i < BH_ARRAY_SIZE(sections); i++)
                bh_report_add_section(r, sections[i].id, sections[i].title);
        struct audit_options opts = *o;
        for (size_t i = 0; audit_check_at(i); i++) {
                const struct audit_check *ck = audit_check_at(i);
                if (!audit_check_selected(ck, &opts))
                        continue;
                struct audit_ctx c = {.check = ck, .opt = &opts, .report = r};
                judge_one(s, &c);
        }
        if (!r->meta)
                r->meta = json_object();
        json_object_set_new(r->meta, "benchmark",
                            json_pack("{s:s,s:s}", "name", "CIS Docker Benchmark", "version",
                                      audit_cis_version_name(o->cis_version)));
}
