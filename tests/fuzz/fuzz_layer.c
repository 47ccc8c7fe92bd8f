/* libFuzzer: the image archive reader and layer walker (outer docker-archive
 * or OCI tar, nested layer tars, whiteouts, the final view, symlink reads). */
#define _GNU_SOURCE
#include "docker/image.h"
#include "scan/package.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static int count(const struct bh_image_file *f, void *user)
{
        (*(size_t *)user)++;
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        int fd = memfd_create("fuzz-image", MFD_CLOEXEC);
        if (fd < 0)
                return 0;
        if (write(fd, data, size) != (ssize_t)size) {
                close(fd);
                return 0;
        }
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        struct bh_image_source src = {.kind = BH_IMAGE_DOCKER_ARCHIVE, .ref = path};
        struct bh_image_options opt = {.want = bh_scan_wants,
                                       .max_layer_size = 64u << 20,
                                       .max_entries = 100000,
                                       .no_cache = true};
        struct bh_image *img = NULL;
        struct bh_error err;
        if (bh_image_open(&img, &src, &opt, &err) == 0) {
                size_t n = 0;
                bh_image_foreach_file(img, count, &n);
                const char *d;
                size_t len;
                bh_image_read(img, "etc/os-release", &d, &len, &err);
                struct bh_image_file *sp;
                bh_image_special_files(img, &sp);
                free(sp);
                struct bh_package_list l = {0};
                char **warnings = NULL;
                bh_packages_read(img, &l, &warnings, &err);
                bh_package_list_free(&l);
                for (size_t i = 0; warnings && warnings[i]; i++)
                        free(warnings[i]);
                free(warnings);
                bh_image_free(img);
        }
        close(fd);
        return 0;
}
