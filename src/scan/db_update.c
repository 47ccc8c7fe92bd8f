/* Downloading OSV ecosystem zips (https://.../ECOSYSTEM/all.zip) with libcurl
 * into a file beside the database, so an interrupted download never touches
 * the database itself. */
#include "scan/db_update.h"
#include "base/util.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct dl {
        FILE *f;
        bh_download_progress_fn progress;
        void *user;
        uint64_t max;
        uint64_t got;
        bool too_big;
};

static size_t on_data(char *p, size_t size, size_t n, void *user)
{
        struct dl *d = user;
        size_t len = size * n;
        d->got += len;
        if (d->got > d->max) {
                d->too_big = true;
                return 0;
        }
        return fwrite(p, 1, len, d->f) == len ? len : 0;
}

static int on_progress(void *user, curl_off_t total, curl_off_t now, curl_off_t ut, curl_off_t un)
{
        struct dl *d = user;
        if (d->progress)
                d->progress((uint64_t)now, (uint64_t)total, d->user);
        return 0;
}

char *bh_osv_zip_url(const char *base, const char *ecosystem)
{
        size_t n = strlen(base);
        while (n > 0 && base[n - 1] == '/')
                n--;
        char *esc = curl_easy_escape(NULL, ecosystem, 0);
        char *url = bh_xasprintf("%.*s/%s/all.zip", (int)n, base, esc ? esc : ecosystem);
        curl_free(esc);
        return url;
}

int bh_download(const char *url, const char *dest, bh_download_progress_fn progress, void *user,
                struct bh_error *err)
{
        FILE *f = fopen(dest, "wbe");
        if (!f)
                return bh_error_errno(err, errno, "%s", dest);
        CURL *c = curl_easy_init();
        if (!c) {
                fclose(f);
                unlink(dest);
                return bh_error_set(err, ENOMEM, "cannot start an HTTP client");
        }
        struct dl d = {.f = f, .progress = progress, .user = user, .max = 8ull << 30};
        char errbuf[CURL_ERROR_SIZE] = "";
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
        curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_USERAGENT, "bulkhead");
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &d);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, &d);
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
        CURLcode rc = curl_easy_perform(c);
        curl_easy_cleanup(c);
        int r = 0;
        if (fclose(f) != 0 && rc == CURLE_OK)
                r = bh_error_errno(err, errno, "%s", dest);
        if (rc != CURLE_OK)
                r = bh_error_set(err, d.too_big ? EFBIG : EIO, "%s: %s", url,
                                 d.too_big   ? "too large"
                                 : errbuf[0] ? errbuf
                                             : curl_easy_strerror(rc));
        if (r < 0)
                unlink(dest);
        return r;
}
