/* libcurl, loaded on first use (see lazy.h). */
#define CURL_DISABLE_TYPECHECK 1
#include "lazy/lazy.h"

#include <curl/curl.h>
#include <stdarg.h>

static struct bh_lazy_lib curl = {"libcurl.so.4", NULL};

BH_LAZY_FN(curl, CURLcode, curl_global_init, (long flags), (flags))
BH_LAZY_FN(curl, CURL *, curl_easy_init, (void), ())
BH_LAZY_VOID(curl, curl_easy_cleanup, (CURL * h), (h))
BH_LAZY_FN(curl, CURLcode, curl_easy_perform, (CURL * h), (h))
BH_LAZY_FN(curl, const char *, curl_easy_strerror, (CURLcode c), (c))
BH_LAZY_FN(curl, char *, curl_easy_escape, (CURL * h, const char *s, int n), (h, s, n))
BH_LAZY_VOID(curl, curl_free, (void *p), (p))
BH_LAZY_FN(curl, struct curl_slist *, curl_slist_append, (struct curl_slist * l, const char *s),
           (l, s))
BH_LAZY_VOID(curl, curl_slist_free_all, (struct curl_slist * l), (l))
BH_LAZY_FN(curl, CURLM *, curl_multi_init, (void), ())
BH_LAZY_FN(curl, CURLMcode, curl_multi_cleanup, (CURLM * m), (m))
BH_LAZY_FN(curl, CURLMcode, curl_multi_add_handle, (CURLM * m, CURL *h), (m, h))
BH_LAZY_FN(curl, CURLMcode, curl_multi_remove_handle, (CURLM * m, CURL *h), (m, h))
BH_LAZY_FN(curl, CURLMcode, curl_multi_perform, (CURLM * m, int *running), (m, running))
BH_LAZY_FN(curl, CURLMsg *, curl_multi_info_read, (CURLM * m, int *left), (m, left))
BH_LAZY_FN(curl, CURLMcode, curl_multi_poll,
           (CURLM * m, struct curl_waitfd *fds, unsigned int n, int ms, int *numfds),
           (m, fds, n, ms, numfds))

/* The option decides the type of the one variadic argument: long, a data or
 * function pointer, or curl_off_t; each is read and passed as what it is. */
CURLcode curl_easy_setopt(CURL *h, CURLoption option, ...)
{
        static CURLcode (*volatile real)(CURL *, CURLoption, ...);
        if (!real)
                real = (CURLcode(*)(CURL *, CURLoption, ...))bh_lazy_sym(&curl, "curl_easy_setopt");
        va_list ap;
        va_start(ap, option);
        CURLcode rc;
        if (option < CURLOPTTYPE_OBJECTPOINT) {
                long v = va_arg(ap, long);
                rc = real(h, option, v);
        } else if (option < CURLOPTTYPE_FUNCTIONPOINT) {
                void *v = va_arg(ap, void *);
                rc = real(h, option, v);
        } else if (option < CURLOPTTYPE_OFF_T) {
                void (*v)(void) = va_arg(ap, void (*)(void));
                rc = real(h, option, v);
        } else if (option < CURLOPTTYPE_BLOB) {
                curl_off_t v = va_arg(ap, curl_off_t);
                rc = real(h, option, v);
        } else {
                void *v = va_arg(ap, void *);
                rc = real(h, option, v);
        }
        va_end(ap);
        return rc;
}

CURLMcode curl_multi_setopt(CURLM *m, CURLMoption option, ...)
{
        static CURLMcode (*volatile real)(CURLM *, CURLMoption, ...);
        if (!real)
                real = (CURLMcode(*)(CURLM *, CURLMoption, ...))bh_lazy_sym(&curl,
                                                                            "curl_multi_setopt");
        va_list ap;
        va_start(ap, option);
        CURLMcode rc;
        if (option < CURLOPTTYPE_OBJECTPOINT) {
                long v = va_arg(ap, long);
                rc = real(m, option, v);
        } else if (option < CURLOPTTYPE_OFF_T) {
                void *v = va_arg(ap, void *);
                rc = real(m, option, v);
        } else {
                curl_off_t v = va_arg(ap, curl_off_t);
                rc = real(m, option, v);
        }
        va_end(ap);
        return rc;
}

/* Every CURLINFO takes a pointer to where the answer goes. */
CURLcode curl_easy_getinfo(CURL *h, CURLINFO info, ...)
{
        static CURLcode (*volatile real)(CURL *, CURLINFO, ...);
        if (!real)
                real = (CURLcode(*)(CURL *, CURLINFO, ...))bh_lazy_sym(&curl, "curl_easy_getinfo");
        va_list ap;
        va_start(ap, info);
        void *out = va_arg(ap, void *);
        va_end(ap);
        return real(h, info, out);
}
