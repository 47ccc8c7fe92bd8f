/* libarchive, loaded on first use (see lazy.h). */
#include "lazy/lazy.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdarg.h>
#include <stdio.h>

static struct bh_lazy_lib la = {"libarchive.so.13", NULL};

typedef struct archive A;
typedef struct archive_entry E;

BH_LAZY_FN(la, __LA_MODE_T, archive_entry_filetype, (E * e), (e))
BH_LAZY_FN(la, la_int64_t, archive_entry_gid, (E * e), (e))
BH_LAZY_FN(la, const char *, archive_entry_hardlink, (E * e), (e))
BH_LAZY_FN(la, const char *, archive_entry_pathname, (E * e), (e))
BH_LAZY_FN(la, __LA_MODE_T, archive_entry_perm, (E * e), (e))
BH_LAZY_FN(la, la_int64_t, archive_entry_size, (E * e), (e))
BH_LAZY_FN(la, int, archive_entry_size_is_set, (E * e), (e))
BH_LAZY_FN(la, const char *, archive_entry_symlink, (E * e), (e))
BH_LAZY_FN(la, la_int64_t, archive_entry_uid, (E * e), (e))
BH_LAZY_FN(la, const char *, archive_error_string, (A * a), (a))
BH_LAZY_FN(la, la_int64_t, archive_filter_bytes, (A * a, int n), (a, n))
BH_LAZY_FN(la, int, archive_filter_code, (A * a, int n), (a, n))
BH_LAZY_FN(la, int, archive_filter_count, (A * a), (a))
BH_LAZY_FN(la, la_ssize_t, archive_read_data, (A * a, void *buf, size_t n), (a, buf, n))
BH_LAZY_FN(la, int, archive_read_data_block,
           (A * a, const void **buf, size_t *size, la_int64_t *offset), (a, buf, size, offset))
BH_LAZY_FN(la, int, archive_read_free, (A * a), (a))
BH_LAZY_FN(la, A *, archive_read_new, (void), ())
BH_LAZY_FN(la, int, archive_read_next_header, (A * a, E **e), (a, e))
BH_LAZY_FN(la, int, archive_read_open,
           (A * a, void *data, archive_open_callback *o, archive_read_callback *r,
            archive_close_callback *c),
           (a, data, o, r, c))
BH_LAZY_FN(la, int, archive_read_open1, (A * a), (a))
BH_LAZY_FN(la, int, archive_read_open_fd, (A * a, int fd, size_t block), (a, fd, block))
BH_LAZY_FN(la, int, archive_read_open_memory, (A * a, const void *buf, size_t n), (a, buf, n))
BH_LAZY_FN(la, int, archive_read_set_callback_data, (A * a, void *data), (a, data))
BH_LAZY_FN(la, int, archive_read_set_read_callback, (A * a, archive_read_callback *cb), (a, cb))
BH_LAZY_FN(la, int, archive_read_set_skip_callback, (A * a, archive_skip_callback *cb), (a, cb))
BH_LAZY_FN(la, int, archive_read_support_filter_all, (A * a), (a))
BH_LAZY_FN(la, int, archive_read_support_filter_none, (A * a), (a))
BH_LAZY_FN(la, int, archive_read_support_format_gnutar, (A * a), (a))
BH_LAZY_FN(la, int, archive_read_support_format_raw, (A * a), (a))
BH_LAZY_FN(la, int, archive_read_support_format_tar, (A * a), (a))
BH_LAZY_FN(la, int, archive_read_support_format_zip, (A * a), (a))

/* A variadic function cannot be forwarded: format here, hand over the text. */
void archive_set_error(A *a, int err, const char *fmt, ...)
{
        static void (*volatile real)(A *, int, const char *, ...);
        if (!real)
                real = (void (*)(A *, int, const char *, ...))bh_lazy_sym(&la, "archive_set_error");
        char msg[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        real(a, err, "%s", msg);
}
