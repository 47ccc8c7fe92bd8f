/* CIS section 4: container images and build files. Judged per image on the
 * image's config and build history, and on the files in its final layer view. */
#include "audit/checks.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/secret.h"
#include "base/util.h"

#include <ctype.h>
#include <string.h>

/* "", "root", "0", "0:0", "root:staff" are root; "1000", "app", "1000:0" are not. */
bool audit_user_is_root(const char *user)
{
        if (!user || !*user)
                return true;
        size_t n = strcspn(user, ":");
        if (n == 4 && strncmp(user, "root", 4) == 0)
                return true;
        /* a number is a uid, however it is spelled: "0", "00" (runc reads
         * both as uid 0) */
        return n > 0 && strspn(user, "0") >= n;
}

static void check_container_user(const struct audit_snapshot *s, const struct audit_container *ct,
                                 struct audit_ctx *c)
{
        const char *user = bh_json_str(ct->inspect, "Config.User");
        if (audit_user_is_root(user))
                audit_emit(c, BH_STATUS_FAIL, "%s runs as root (user \"%s\")", ct->name,
                           user ? user : "");
        else
                audit_emit(c, BH_STATUS_PASS, "%s runs as user %s", ct->name, user);
}

static void check_manual_base_images(const struct audit_snapshot *s, struct audit_ctx *c)
{
        audit_emit(c, BH_STATUS_MANUAL,
                   "which registries and base images are trusted is a policy only you can set; "
                   "review where each image comes from");
}

static void check_manual_packages(const struct audit_snapshot *s, struct audit_ctx *c)
{
        audit_emit(c, BH_STATUS_MANUAL,
                   "review each image for packages it does not need; distroless or scratch final "
                   "stages leave least behind");
}

static void check_manual_scanned(const struct audit_snapshot *s, struct audit_ctx *c)
{
        audit_emit(c, BH_STATUS_MANUAL,
                   "scan images for known vulnerabilities (bulkhead scan IMAGE) and rebuild them "
                   "when fixes are released");
}

static void check_content_trust(const struct audit_snapshot *s, struct audit_ctx *c)
{
        bool on = false, seen = false;
        struct bh_buf where = BH_BUF_INIT;
        for (size_t i = 0; s->content_trust_sources && s->content_trust_sources[i]; i++) {
                const char *src = s->content_trust_sources[i];
                seen = true;
                const char *colon = strrchr(src, ':');
                if (colon && strcmp(colon + 1, " 1") == 0)
                        on = true;
                bh_buf_printf(&where, "%s%s", where.len ? "; " : "", src);
        }
        if (on)
                audit_emit(c, BH_STATUS_PASS, "DOCKER_CONTENT_TRUST=1 (%s)", where.data);
        else if (seen)
                audit_emit(c, BH_STATUS_FAIL, "DOCKER_CONTENT_TRUST is set but not to 1 (%s)",
                           where.data);
        else
                audit_emit(c, BH_STATUS_FAIL,
                           "DOCKER_CONTENT_TRUST is not set for clients of this host (checked this "
                           "environment, /etc/environment and /etc/profile.d)");
        bh_buf_free(&where);
}

static void check_image_healthcheck(const struct audit_snapshot *s, const struct audit_image *im,
                                    struct audit_ctx *c)
{
        json_t *test = bh_json_get(im->inspect, "Config.Healthcheck.Test");
        const char *first = json_string_value(json_array_get(test, 0));
        if (!json_is_array(test) || json_array_size(test) == 0)
                audit_emit(c, BH_STATUS_FAIL, "%s has no HEALTHCHECK", im->name);
        else if (first && strcmp(first, "NONE") == 0)
                audit_emit(c, BH_STATUS_FAIL, "%s disables the health check (HEALTHCHECK NONE)",
                           im->name);
        else
                audit_emit(c, BH_STATUS_PASS, "%s has a HEALTHCHECK", im->name);
}

/* The build step of a history entry, without the shell wrapper. */
static const char *created_by(json_t *entry)
{
        const char *s = bh_json_str(entry, "CreatedBy");
        return s ? s : "";
}

static bool has_word(const char *hay, const char *needle)
{
        size_t n = strlen(needle);
        for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) {
                bool start = p == hay || !isalnum((unsigned char)p[-1]);
                bool end = !isalnum((unsigned char)p[n]) && p[n] != '-';
                if (start && end)
                        return true;
        }
        return false;
}

static void check_update_alone(const struct audit_snapshot *s, const struct audit_image *im,
                               struct audit_ctx *c)
{
        static const char *const refresh[] = {
            "apt-get update", "apt update",    "apk update",    "zypper refresh",
            "zypper ref",     "yum makecache", "dnf makecache", "microdnf makecache"};
        static const char *const install[] = {"install", "apk add", "upgrade", "dist-upgrade",
                                              "zypper in"};
        size_t i;
        json_t *h;
        json_array_foreach(im->history, i, h)
        {
                const char *cmd = created_by(h);
                for (size_t r = 0; r < BH_ARRAY_SIZE(refresh); r++) {
                        if (!has_word(cmd, refresh[r]))
                                continue;
                        bool installs = false;
                        for (size_t k = 0; k < BH_ARRAY_SIZE(install); k++)
                                installs |= has_word(cmd, install[k]);
                        if (!installs) {
                                audit_emit(
                                    c, BH_STATUS_WARN,
                                    "%s refreshes its package index (%s) in a step that installs "
                                    "nothing; later steps can use a stale cached index",
                                    im->name, refresh[r]);
                                return;
                        }
                }
        }
        audit_emit(c, BH_STATUS_PASS, "%s never refreshes a package index on its own", im->name);
}

static void check_setid_files(const struct audit_snapshot *s, const struct audit_image *im,
                              struct audit_ctx *c)
{
        if (im->files_fail.code) {
                audit_emit(c, BH_STATUS_ERROR, "%s", im->files_fail.msg);
                return;
        }
        if (!im->files_gathered) {
                audit_emit(c, BH_STATUS_ERROR, "the files of %s were not examined", im->name);
                return;
        }
        if (im->setid_count == 0) {
                audit_emit(c, BH_STATUS_PASS, "%s has no setuid or setgid file", im->name);
                return;
        }
        struct bh_buf b = BH_BUF_INIT;
        size_t shown = 0;
        for (size_t i = 0; im->setid_files && im->setid_files[i] && shown < 12; i++, shown++)
                bh_buf_printf(&b, "%s%s", i ? ", " : "", im->setid_files[i]);
        audit_emit(c, BH_STATUS_WARN, "%s has %zu setuid/setgid file%s: %s%s", im->name,
                   im->setid_count, im->setid_count == 1 ? "" : "s", b.data,
                   im->setid_count > shown ? ", ..." : "");
        bh_buf_free(&b);
}

/* "ADD file:abc in /" from the base image's rootfs is the usual way images
 * start; any later ADD (and every ADD of a URL) is reported. */
static void check_add_instead_of_copy(const struct audit_snapshot *s, const struct audit_image *im,
                                      struct audit_ctx *c)
{
        size_t n = json_array_size(im->history);
        size_t adds = 0, remote = 0;
        /* history is newest first; the last entry is the bottom of the image */
        for (size_t i = 0; i < n; i++) {
                const char *cmd = created_by(json_array_get(im->history, i));
                const char *add = strstr(cmd, "ADD ");
                if (!add ||
                    (add != cmd && !strstr(cmd, "#(nop) ADD ") && !bh_startswith(cmd, "ADD ")))
                        continue;
                bool bottom = true;
                for (size_t j = i + 1; j < n; j++)
                        if (created_by(json_array_get(im->history, j))[0])
                                bottom = false;
                if (strstr(add, "http://") || strstr(add, "https://"))
                        remote++;
                else if (!bottom)
                        adds++;
        }
        if (remote)
                audit_emit(c, BH_STATUS_WARN,
                           "%s was built with %zu ADD of a URL: the download is not verified and "
                           "not reproducible",
                           im->name, remote);
        else if (adds)
                audit_emit(c, BH_STATUS_WARN,
                           "%s was built with %zu ADD step%s where COPY would do (ADD also unpacks "
                           "archives and fetches URLs)",
                           im->name, adds, adds == 1 ? "" : "s");
        else
                audit_emit(c, BH_STATUS_PASS, "%s uses COPY, not ADD, after its base", im->name);
}

static void note_secret(struct bh_buf *b, const char *where, const char *name, const char *why)
{
        bh_buf_printf(b, "%s%s %s (%s)", b->len ? "; " : "", where, name, why);
}

/* "|2 TOKEN=x B=y /bin/sh -c ..." records build arguments of a RUN step. */
static void scan_build_args(const char *cmd, struct bh_buf *found)
{
        const char *p = strstr(cmd, "|");
        if (!p || !isdigit((unsigned char)p[1]))
                return;
        char *end = NULL;
        long count = strtol(p + 1, &end, 10);
        p = end;
        for (long i = 0; i < count && i < 256 && p && *p; i++) {
                while (*p == ' ')
                        p++;
                size_t len = strcspn(p, " ");
                _cleanup_free_ char *kv = bh_xstrndup(p, len);
                p += len;
                char *eq = strchr(kv, '=');
                if (!eq)
                        continue;
                *eq = '\0';
                const char *why = bh_secret_value(eq + 1);
                if (eq[1] && bh_secret_name(kv))
                        note_secret(found, "build argument", kv, "name suggests a credential");
                else if (why)
                        note_secret(found, "build argument", kv, why);
        }
}

static void check_secrets(const struct audit_snapshot *s, const struct audit_image *im,
                          struct audit_ctx *c)
{
        struct bh_buf found = BH_BUF_INIT;
        size_t i;
        json_t *v;
        json_array_foreach(bh_json_get(im->inspect, "Config.Env"), i, v)
        {
                const char *e = json_string_value(v);
                const char *eq = e ? strchr(e, '=') : NULL;
                if (!eq)
                        continue;
                _cleanup_free_ char *name = bh_xstrndup(e, (size_t)(eq - e));
                const char *why = bh_secret_value(eq + 1);
                if (eq[1] && bh_secret_name(name))
                        note_secret(&found, "ENV", name, "name suggests a credential");
                else if (why)
                        note_secret(&found, "ENV", name, why);
        }
        const char *key;
        json_object_foreach(bh_json_get(im->inspect, "Config.Labels"), key, v)
        {
                const char *why = bh_secret_value(json_string_value(v));
                if (json_string_value(v) && json_string_value(v)[0] && bh_secret_name(key))
                        note_secret(&found, "LABEL", key, "name suggests a credential");
                else if (why)
                        note_secret(&found, "LABEL", key, why);
        }
        json_array_foreach(im->history, i, v)
        {
                const char *cmd = created_by(v);
                scan_build_args(cmd, &found);
                const char *why = bh_secret_value(cmd);
                if (why && strcmp(why, "high-entropy string") != 0) {
                        char step[32];
                        snprintf(step, sizeof step, "%zu", json_array_size(im->history) - i);
                        note_secret(&found, "build step", step, why);
                }
        }
        if (found.len)
                audit_emit(c, BH_STATUS_FAIL,
                           "%s carries secrets in its configuration or history: %s", im->name,
                           found.data);
        else
                audit_emit(c, BH_STATUS_PASS, "%s shows no secret in ENV, labels or build history",
                           im->name);
        bh_buf_free(&found);
}

static void check_manual_verified_packages(const struct audit_snapshot *s, struct audit_ctx *c)
{
        audit_emit(c, BH_STATUS_MANUAL,
                   "check that images install packages only from signed repositories (no "
                   "--allow-unauthenticated, no --nogpgcheck, no curl | sh)");
}

static void check_manual_signed_artifacts(const struct audit_snapshot *s, struct audit_ctx *c)
{
        audit_emit(
            c, BH_STATUS_MANUAL,
            "check that signed artifacts (images, packages, downloads) are verified before use");
}

const struct audit_check audit_checks_images[] = {
    {"container-user-not-root", "4.1", "4.1", NULL, "Containers run as a non-root user", 1,
     BH_SEV_HIGH, AUDIT_SCOPE_CONTAINER,
     "Add a USER with a non-zero numeric uid to the image (USER 10001), or run the container "
     "with --user 10001:10001.",
     NULL, check_container_user},
    {"image-trusted-base", "4.2", "4.2", NULL, "Containers use only trusted base images", 1,
     BH_SEV_MEDIUM, AUDIT_SCOPE_HOST,
     "Build only FROM images you trust, pinned by digest, from registries you control.",
     check_manual_base_images},
    {"image-no-unneeded-packages", "4.3", "4.3", NULL, "Images hold no packages they do not need",
     1, BH_SEV_LOW, AUDIT_SCOPE_HOST,
     "Use multi-stage builds and a minimal (distroless or scratch) final stage.",
     check_manual_packages},
    {"image-scanned-rebuilt", "4.4", "4.4", NULL,
     "Images are scanned and rebuilt with security fixes", 1, BH_SEV_HIGH, AUDIT_SCOPE_HOST,
     "Scan every image in CI and on a schedule; rebuild and redeploy when fixes appear.",
     check_manual_scanned},
    {"content-trust-enabled", "4.5", "4.5", NULL, "Docker content trust is on", 2, BH_SEV_MEDIUM,
     AUDIT_SCOPE_HOST,
     "Export DOCKER_CONTENT_TRUST=1 for every user of the docker client (e.g. in "
     "/etc/environment).",
     check_content_trust},
    {"image-healthcheck", "4.6", "4.6", NULL, "Images define a HEALTHCHECK", 1, BH_SEV_LOW,
     AUDIT_SCOPE_IMAGE, "Add a HEALTHCHECK instruction that probes the service.", NULL, NULL,
     check_image_healthcheck},
    {"image-no-lone-update", "4.7", "4.7", NULL,
     "Package index refreshes are not left alone in a step", 1, BH_SEV_LOW, AUDIT_SCOPE_IMAGE,
     "Refresh and install in the same RUN (apt-get update && apt-get install -y ...).", NULL, NULL,
     check_update_alone},
    {"image-setid-files", "4.8", "4.8", NULL, "Images hold no needless setuid or setgid files", 2,
     BH_SEV_MEDIUM, AUDIT_SCOPE_IMAGE,
     "Strip the bits in the image: RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +", NULL,
     NULL, check_setid_files},
    {"image-copy-not-add", "4.9", "4.9", NULL, "Images are built with COPY rather than ADD", 1,
     BH_SEV_LOW, AUDIT_SCOPE_IMAGE,
     "Use COPY for local files; download with a verified checksum (ADD --checksum or curl + "
     "sha256sum) instead of ADD URL.",
     NULL, NULL, check_add_instead_of_copy},
    {"image-no-secrets", "4.10", "4.10", NULL, "Images carry no secrets", 1, BH_SEV_CRITICAL,
     AUDIT_SCOPE_IMAGE,
     "Rotate the exposed credentials; pass secrets at build time with RUN "
     "--mount=type=secret and at run time with secrets or files, never ENV, ARG or LABEL.",
     NULL, NULL, check_secrets},
    {"image-verified-packages", "4.11", "4.11", NULL, "Only verified packages are installed", 2,
     BH_SEV_MEDIUM, AUDIT_SCOPE_HOST,
     "Install packages from signed repositories and verify downloads by checksum or signature.",
     check_manual_verified_packages},
    {"image-signed-artifacts", "4.12", "4.12", NULL, "Signed artifacts are verified", 1,
     BH_SEV_MEDIUM, AUDIT_SCOPE_HOST, "Verify signatures (cosign, notation, gpg) before use.",
     check_manual_signed_artifacts},
    {NULL},
};
