/* CIS 4.8 needs the setuid and setgid files of each image's final
 * filesystem. A local overlay2 store is read in place (metadata only).
 * Otherwise the engine streams each image out (GET /images/{id}/get); the
 * image walker reads only tar headers, applies whiteouts and keeps nothing
 * on disk. Streams run in parallel, one Engine API client per thread, and the
 * answer is cached by image id, which names the image's content. */
#include "audit/gather.h"
#include "audit/overlay_files.h"
#include "base/file.h"
#include "base/json.h"
#include "base/util.h"
#include "docker/engine.h"
#include "docker/image.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CACHE_MAX (4u << 20)
#define MAX_THREADS 4

/* "sha256:<64 hex>" -> the hex, or NULL for anything else (no path tricks). */
static const char *id_hex(const char *id)
{
        if (!id || !bh_startswith(id, "sha256:") || strlen(id) != 71)
                return NULL;
        for (const char *p = id + 7; *p; p++)
                if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
                        return NULL;
        return id + 7;
}

static bool cache_load(const char *dir, struct audit_image *im)
{
        const char *hex = id_hex(im->id);
        if (!dir || !hex)
                return false;
        _cleanup_free_ char *path = bh_xasprintf("%s/%s.json", dir, hex);
        _cleanup_json_ json_t *j = bh_json_load_file(path, CACHE_MAX, NULL);
        json_t *list = json_object_get(j, "setid");
        if (!json_is_array(list))
                return false;
        size_t i;
        json_t *v;
        json_array_foreach(list, i, v)
        {
                if (json_string_value(v)) {
                        bh_strv_push(&im->setid_files, json_string_value(v));
                        im->setid_count++;
                }
        }
        im->files_gathered = true;
        return true;
}

static void cache_store(const char *dir, const struct audit_image *im)
{
        const char *hex = id_hex(im->id);
        if (!dir || !hex)
                return;
        json_t *list = json_array();
        for (size_t i = 0; i < im->setid_count; i++)
                json_array_append_new(list, json_string(im->setid_files[i]));
        _cleanup_json_ json_t *j = json_pack("{s:o}", "setid", list);
        _cleanup_free_ char *text = bh_json_dump(j);
        _cleanup_free_ char *path = bh_xasprintf("%s/%s.json", dir, hex);
        bh_write_file_atomic(path, text, strlen(text), 0600, NULL);
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_image(struct bh_docker *d, struct audit_image *im)
{
        struct bh_image_source src = {.kind = BH_IMAGE_DAEMON, .ref = im->id, .docker = d};
        struct bh_image *img = NULL;
        struct bh_error err = {0};
        if (bh_image_open(&img, &src, NULL, &err) < 0) {
                im->files_fail.code = err.code ? err.code : EIO;
                snprintf(im->files_fail.msg, sizeof im->files_fail.msg, "%s: %s", im->name,
                         err.msg);
                return;
        }
        struct bh_image_file *special = NULL;
        size_t n = bh_image_special_files(img, &special);
        for (size_t k = 0; k < n; k++) {
                const struct bh_image_file *f = &special[k];
                if (f->type != BH_FILE_REG || !(f->mode & (S_ISUID | S_ISGID)))
                        continue;
                bh_strv_push_take(&im->setid_files, bh_xasprintf("/%s", f->path));
                im->setid_count++;
        }
        if (im->setid_count > 1)
                qsort(im->setid_files, im->setid_count, sizeof(char *), cmp_str);
        im->files_gathered = true;
        free(special);
        bh_image_free(img);
}

/* A local overlay2 store can be read in place: metadata only, no export.
 * Returns false (and leaves the image to the stream) when it cannot. */
static bool read_overlay(const struct audit_snapshot *s, struct audit_image *im)
{
        const char *driver = bh_json_str(im->inspect, "GraphDriver.Name");
        const char *upper = bh_json_str(im->inspect, "GraphDriver.Data.UpperDir");
        const char *lower = bh_json_str(im->inspect, "GraphDriver.Data.LowerDir");
        if (!driver || (strcmp(driver, "overlay2") != 0 && strcmp(driver, "overlay") != 0) ||
            !upper || strcmp(s->root, "/") != 0 || !s->endpoint ||
            !bh_startswith(s->endpoint, "unix://"))
                return false;
        char **layers = NULL;
        bh_strv_push(&layers, upper);
        _cleanup_free_ char *copy = lower ? bh_xstrdup(lower) : NULL;
        char *save = NULL;
        for (char *l = copy ? strtok_r(copy, ":", &save) : NULL; l; l = strtok_r(NULL, ":", &save))
                bh_strv_push(&layers, l);
        char **files = NULL;
        size_t count = 0;
        struct bh_error err = {0};
        int rc = audit_overlay_setid_files(layers, &files, &count, &err);
        bh_strv_free(layers);
        if (rc < 0) {
                bh_strv_free(files);
                return false;
        }
        if (count > 1)
                qsort(files, count, sizeof(char *), cmp_str);
        im->setid_files = files;
        im->setid_count = count;
        im->files_gathered = true;
        return true;
}

struct work {
        struct audit_image **todo;
        size_t n, next;
        pthread_mutex_t lock;
        const struct bh_docker_endpoint *ep;
        long timeout_ms;
};

static void *worker(void *arg)
{
        struct work *w = arg;
        struct bh_docker *d = NULL;
        struct bh_error err = {0};
        /* an export may take long: the timeout applies to stalls, not the whole stream */
        struct bh_docker_options opt = {.timeout_ms = w->timeout_ms};
        int rc = bh_docker_open(&d, w->ep, &opt, &err);
        for (;;) {
                pthread_mutex_lock(&w->lock);
                size_t i = w->next++;
                pthread_mutex_unlock(&w->lock);
                if (i >= w->n)
                        break;
                struct audit_image *im = w->todo[i];
                if (rc < 0) {
                        im->files_fail.code = err.code ? err.code : EIO;
                        snprintf(im->files_fail.msg, sizeof im->files_fail.msg, "%s", err.msg);
                        continue;
                }
                read_image(d, im);
        }
        bh_docker_close(d);
        return NULL;
}

void gather_image_files(struct audit_snapshot *s, const struct bh_docker_endpoint *ep,
                        long timeout_ms, bool no_cache)
{
        _cleanup_free_ char *dir = no_cache ? NULL : bh_cache_dir("audit-setid-v1", true);
        struct work w = {.ep = ep, .timeout_ms = timeout_ms};
        pthread_mutex_init(&w.lock, NULL);
        w.todo = bh_xcalloc(s->nimages + 1, sizeof *w.todo);
        for (size_t i = 0; i < s->nimages; i++) {
                struct audit_image *im = &s->images[i];
                if (im->fail.code || !im->id || cache_load(dir, im) || read_overlay(s, im))
                        continue;
                w.todo[w.n++] = im;
        }
        size_t nthreads = w.n < MAX_THREADS ? w.n : MAX_THREADS;
        pthread_t threads[MAX_THREADS];
        size_t started = 0;
        for (size_t t = 0; t < nthreads; t++)
                if (pthread_create(&threads[t], NULL, worker, &w) == 0)
                        started++;
        if (started == 0 && w.n > 0)
                worker(&w); /* no threads: do the work here */
        for (size_t t = 0; t < started; t++)
                pthread_join(threads[t], NULL);
        for (size_t i = 0; i < w.n; i++)
                if (w.todo[i]->files_gathered)
                        cache_store(dir, w.todo[i]);
        pthread_mutex_destroy(&w.lock);
        free(w.todo);
}
