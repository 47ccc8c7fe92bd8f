/* Image sources: how a name is read, and bh_image_open's dispatch. */
#include "docker/image_internal.h"
#include "base/file.h"
#include "base/util.h"
#include "docker/engine.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *bh_image_kind_name(enum bh_image_kind k)
{
        switch (k) {
        case BH_IMAGE_DAEMON:
                return "docker-daemon";
        case BH_IMAGE_DOCKER_ARCHIVE:
                return "docker-archive";
        case BH_IMAGE_OCI_DIR:
                return "oci";
        case BH_IMAGE_OCI_ARCHIVE:
                return "oci-archive";
        case BH_IMAGE_ROOTFS:
                return "dir";
        case BH_IMAGE_REGISTRY:
                return "docker";
        case BH_IMAGE_AUTO:
                break;
        }
        return "auto";
}

static const struct {
        const char *prefix;
        enum bh_image_kind kind;
} prefixes[] = {
    {"docker-archive:", BH_IMAGE_DOCKER_ARCHIVE},
    {"oci-archive:", BH_IMAGE_OCI_ARCHIVE},
    {"oci:", BH_IMAGE_OCI_DIR},
    {"dir:", BH_IMAGE_ROOTFS},
    {"docker-daemon:", BH_IMAGE_DAEMON},
    {"docker://", BH_IMAGE_REGISTRY},
};

/* "PATH:NAME" or "PATH:@N" (as skopeo names one image of an archive or
 * layout that holds several): the longest prefix ending before a colon that
 * exists is the path. *pick points into ref or is NULL. Caller frees. */
static char *split_pick(const char *ref, const char **pick)
{
        struct stat st;
        *pick = NULL;
        if (stat(ref, &st) == 0)
                return bh_xstrdup(ref);
        for (const char *c = strrchr(ref, ':'); c && c > ref; c--) {
                if (*c != ':')
                        continue;
                _cleanup_free_ char *path = bh_xstrndup(ref, (size_t)(c - ref));
                if (stat(path, &st) == 0 && c[1]) {
                        *pick = c + 1;
                        return bh_steal_ptr(&path);
                }
        }
        return bh_xstrdup(ref);
}

int bh_image_source_parse(const char *name, struct bh_image_source *src, struct bh_error *err)
{
        memset(src, 0, sizeof *src);
        if (!name || !*name)
                return bh_error_set(err, EINVAL, "an empty image name");
        for (size_t i = 0; i < BH_ARRAY_SIZE(prefixes); i++)
                if (bh_startswith(name, prefixes[i].prefix)) {
                        src->kind = prefixes[i].kind;
                        src->ref = name + strlen(prefixes[i].prefix);
                        if (!*src->ref)
                                return bh_error_set(err, EINVAL, "%s: nothing after the prefix",
                                                    name);
                        return 0;
                }
        src->ref = name;
        struct stat st;
        /* a path (never an image name) may end in :NAME or :@N */
        const char *pick = NULL;
        _cleanup_free_ char *path =
            name[0] == '/' || name[0] == '.' ? split_pick(name, &pick) : bh_xstrdup(name);
        if (stat(path, &st) == 0) {
                if (S_ISDIR(st.st_mode)) {
                        _cleanup_free_ char *layout = bh_path_join(path, "oci-layout");
                        _cleanup_free_ char *index = bh_path_join(path, "index.json");
                        src->kind = access(layout, F_OK) == 0 || access(index, F_OK) == 0
                                        ? BH_IMAGE_OCI_DIR
                                        : BH_IMAGE_ROOTFS;
                        if (src->kind == BH_IMAGE_ROOTFS && pick)
                                return bh_error_set(err, EINVAL,
                                                    "%s: a root filesystem is one image: nothing "
                                                    "to choose %s from",
                                                    path, pick);
                } else {
                        /* docker-archive or OCI archive: one reader tells them apart */
                        src->kind = BH_IMAGE_DOCKER_ARCHIVE;
                }
                return 0;
        }
        if (strchr(name, '/') && (name[0] == '/' || name[0] == '.'))
                return bh_error_set(err, ENOENT, "%s: no such file or directory", name);
        src->kind = BH_IMAGE_DAEMON;
        return 0;
}

static bool no_contents(const char *path, void *user)
{
        return false;
}

static int open_archive_file(struct bh_image *img, const char *ref,
                             const struct bh_image_options *opt, struct bh_error *err)
{
        const char *pick;
        _cleanup_free_ char *path = split_pick(ref, &pick);
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return bh_error_errno(err, errno, "%s", path);
        struct stat st;
        if (fstat(fd, &st) < 0)
                return bh_error_errno(err, errno, "%s", path);
        if (S_ISDIR(st.st_mode))
                return bh_error_set(err, EISDIR, "%s: a directory, not an archive", path);
        return image_open_archive_fd(img, fd, path, pick, opt, err);
}

static int open_daemon(struct bh_image *img, const struct bh_image_source *src,
                       const struct bh_image_options *opt, struct bh_error *err)
{
        if (src->docker)
                return image_open_daemon(img, src->docker, src->ref, opt, err);
        struct bh_docker_endpoint ep = {0};
        int rc = bh_docker_endpoint_resolve(NULL, NULL, &ep, err);
        if (rc < 0)
                return rc;
        struct bh_docker *d = NULL;
        struct bh_docker_options dopt = {.timeout_ms = 60000};
        rc = bh_docker_open(&d, &ep, &dopt, err);
        bh_docker_endpoint_free(&ep);
        if (rc < 0)
                return rc;
        rc = image_open_daemon(img, d, src->ref, opt, err);
        bh_docker_close(d);
        return rc;
}

int bh_image_open(struct bh_image **out, const struct bh_image_source *src,
                  const struct bh_image_options *opt_in, struct bh_error *err)
{
        struct bh_image_options opt = {0};
        if (opt_in)
                opt = *opt_in;
        if (!opt.want)
                opt.want = no_contents;
        if (!opt.max_file)
                opt.max_file = 256u << 20;
        if (!opt.max_layer_size)
                opt.max_layer_size = 32ull << 30;
        if (!opt.max_ratio)
                opt.max_ratio = 1000;
        if (!opt.max_entries)
                opt.max_entries = 4u << 20;
        struct bh_image_source s = *src;
        if (s.kind == BH_IMAGE_AUTO) {
                int rc = bh_image_source_parse(src->ref, &s, err);
                if (rc < 0)
                        return rc;
                s.docker = src->docker;
                s.insecure = src->insecure;
                s.username = src->username;
                s.password = src->password;
        }
        struct bh_image *img = image_new(s.ref);
        int rc;
        switch (s.kind) {
        case BH_IMAGE_DOCKER_ARCHIVE:
        case BH_IMAGE_OCI_ARCHIVE:
                rc = open_archive_file(img, s.ref, &opt, err);
                break;
        case BH_IMAGE_OCI_DIR: {
                const char *pick;
                _cleanup_free_ char *path = split_pick(s.ref, &pick);
                rc = image_open_oci_dir(img, path, pick, &opt, err);
                break;
        }
        case BH_IMAGE_ROOTFS:
                rc = image_open_rootfs(img, s.ref, &opt, err);
                break;
        case BH_IMAGE_DAEMON:
                rc = open_daemon(img, &s, &opt, err);
                break;
        case BH_IMAGE_REGISTRY:
                rc = image_open_registry(img, &s, &opt, err);
                break;
        default:
                rc = bh_error_set(err, EINVAL, "%s: unknown image source", s.ref);
        }
        if (rc == 0 && !opt.defer_verify)
                rc = bh_image_verify(img, err);
        if (rc < 0) {
                bh_image_free(img);
                return rc;
        }
        *out = img;
        return 0;
}
