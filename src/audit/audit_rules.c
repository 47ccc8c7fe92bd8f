#include "audit/audit_rules.h"
#include "base/util.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define KERNEL_RULES_MAX (16u << 20) /* bytes of netlink answers we accept */

static char *normalise(const char *path)
{
        char *p = bh_xstrdup(path);
        size_t n = strlen(p);
        while (n > 1 && p[n - 1] == '/')
                p[--n] = '\0';
        return p;
}

static void remove_path(char **paths, const char *path)
{
        size_t n = bh_strv_len(paths), j = 0;
        for (size_t i = 0; i < n; i++) {
                if (strcmp(paths[i], path) == 0) {
                        free(paths[i]);
                        continue;
                }
                paths[j++] = paths[i];
        }
        if (paths)
                paths[j] = NULL;
}

static void clear_paths(char **paths)
{
        for (size_t i = 0; paths && paths[i]; i++) {
                free(paths[i]);
                paths[i] = NULL;
        }
}

int audit_rules_parse_text(const char *text, const char *name, char ***paths)
{
        int skipped = 0;
        _cleanup_free_ char *copy = bh_xstrdup(text);
        char *save_line = NULL;
        for (char *line = strtok_r(copy, "\n", &save_line); line;
             line = strtok_r(NULL, "\n", &save_line)) {
                char *hash = strchr(line, '#');
                if (hash)
                        *hash = '\0';
                char *save = NULL;
                char *tok = strtok_r(line, " \t\r", &save);
                if (!tok)
                        continue;
                if (strcmp(tok, "-D") == 0) {
                        clear_paths(*paths);
                        continue;
                }
                if (strcmp(tok, "-w") == 0 || strcmp(tok, "-W") == 0) {
                        char *p = strtok_r(NULL, " \t\r", &save);
                        if (!p || p[0] != '/') {
                                skipped++;
                                continue;
                        }
                        _cleanup_free_ char *norm = normalise(p);
                        if (tok[1] == 'w')
                                bh_strv_push(paths, norm);
                        else
                                remove_path(*paths, norm);
                        continue;
                }
                if (strcmp(tok, "-a") == 0 || strcmp(tok, "-A") == 0 || strcmp(tok, "-d") == 0) {
                        bool del = strcmp(tok, "-d") == 0;
                        for (char *f = strtok_r(NULL, " \t\r", &save); f;
                             f = strtok_r(NULL, " \t\r", &save)) {
                                if (strcmp(f, "-F") != 0)
                                        continue;
                                char *field = strtok_r(NULL, " \t\r", &save);
                                if (!field)
                                        break;
                                const char *p = NULL;
                                if (bh_startswith(field, "path="))
                                        p = field + 5;
                                else if (bh_startswith(field, "dir="))
                                        p = field + 4;
                                if (!p || p[0] != '/')
                                        continue;
                                _cleanup_free_ char *norm = normalise(p);
                                if (del)
                                        remove_path(*paths, norm);
                                else
                                        bh_strv_push(paths, norm);
                        }
                        continue;
                }
                /* -b, -f, -e, -r, --backlog_wait_time...: settings, no paths */
                if (tok[0] != '-')
                        skipped++;
        }
        (void)name;
        return skipped;
}

static bool is_string_field(__u32 field)
{
        switch (field) {
        case AUDIT_SUBJ_USER:
        case AUDIT_SUBJ_ROLE:
        case AUDIT_SUBJ_TYPE:
        case AUDIT_SUBJ_SEN:
        case AUDIT_SUBJ_CLR:
        case AUDIT_OBJ_USER:
        case AUDIT_OBJ_ROLE:
        case AUDIT_OBJ_TYPE:
        case AUDIT_OBJ_LEV_LOW:
        case AUDIT_OBJ_LEV_HIGH:
        case AUDIT_WATCH:
        case AUDIT_DIR:
        case AUDIT_FILTERKEY:
        case AUDIT_EXE:
                return true;
        default:
                return false;
        }
}

static int parse_rule(const struct audit_rule_data *r, size_t len, char ***paths,
                      struct bh_error *err)
{
        size_t head = offsetof(struct audit_rule_data, buf);
        if (len < head)
                return bh_error_set(err, EPROTO, "audit netlink: rule shorter than its header");
        if (r->field_count > AUDIT_MAX_FIELDS)
                return bh_error_set(err, EPROTO, "audit netlink: %u fields, more than %d",
                                    r->field_count, AUDIT_MAX_FIELDS);
        if (r->buflen > len - head)
                return bh_error_set(err, EPROTO,
                                    "audit netlink: string area of %u bytes overruns the message",
                                    r->buflen);
        size_t off = 0;
        for (__u32 i = 0; i < r->field_count; i++) {
                __u32 field = r->fields[i] & ~(__u32)AUDIT_OPERATORS;
                if (!is_string_field(field))
                        continue;
                __u32 n = r->values[i];
                if (n > r->buflen - off)
                        return bh_error_set(err, EPROTO,
                                            "audit netlink: string field overruns the rule");
                if ((field == AUDIT_WATCH || field == AUDIT_DIR) && n > 0 && r->buf[off] == '/') {
                        _cleanup_free_ char *s = bh_xstrndup(r->buf + off, n);
                        _cleanup_free_ char *norm = normalise(s);
                        bh_strv_push(paths, norm);
                }
                off += n;
        }
        return 0;
}

int audit_rules_parse_netlink(const void *data, size_t len, char ***paths, struct bh_error *err)
{
        const unsigned char *p = data;
        while (len >= sizeof(struct nlmsghdr)) {
                struct nlmsghdr h;
                memcpy(&h, p, sizeof h);
                if (h.nlmsg_len < sizeof h || h.nlmsg_len > len)
                        return bh_error_set(err, EPROTO,
                                            "audit netlink: message length %u does not fit",
                                            h.nlmsg_len);
                if (h.nlmsg_type == AUDIT_LIST_RULES) {
                        size_t plen = h.nlmsg_len - NLMSG_HDRLEN;
                        /* copy to aligned storage: the payload may not be aligned for the struct */
                        void *copy = bh_xmalloc(plen ? plen : 1);
                        memcpy(copy, p + NLMSG_HDRLEN, plen);
                        int r = parse_rule(copy, plen, paths, err);
                        free(copy);
                        if (r < 0)
                                return r;
                }
                size_t step = NLMSG_ALIGN(h.nlmsg_len);
                if (step >= len)
                        break;
                p += step;
                len -= step;
        }
        return 0;
}

int audit_rules_read_kernel(char ***paths, struct bh_error *err)
{
        _cleanup_close_ int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
        if (fd < 0) {
                int e = errno;
                if (e == EPROTONOSUPPORT || e == EAFNOSUPPORT)
                        return bh_error_set(err, EPROTONOSUPPORT,
                                            "the kernel has no audit support");
                return bh_error_errno(err, e, "cannot open the kernel audit socket");
        }
        struct timeval tv = {.tv_sec = 2};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        struct nlmsghdr req = {
            .nlmsg_len = NLMSG_LENGTH(0),
            .nlmsg_type = AUDIT_LIST_RULES,
            .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
            .nlmsg_seq = 1,
        };
        struct sockaddr_nl addr = {.nl_family = AF_NETLINK};
        if (sendto(fd, &req, req.nlmsg_len, 0, (struct sockaddr *)&addr, sizeof addr) < 0)
                return bh_error_errno(err, errno, "cannot ask the kernel for its audit rules");
        static _Alignas(struct nlmsghdr) unsigned char buf[65536];
        size_t total = 0;
        for (;;) {
                ssize_t n = recv(fd, buf, sizeof buf, 0);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return bh_error_errno(err, errno, "reading the kernel's audit rules");
                }
                total += (size_t)n;
                if (total > KERNEL_RULES_MAX)
                        return bh_error_set(err, EFBIG, "the kernel's audit rules exceed %u bytes",
                                            KERNEL_RULES_MAX);
                bool done = false;
                size_t left = (size_t)n;
                for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left);
                     h = NLMSG_NEXT(h, left)) {
                        if (h->nlmsg_type == NLMSG_DONE) {
                                done = true;
                        } else if (h->nlmsg_type == NLMSG_ERROR) {
                                const struct nlmsgerr *e = NLMSG_DATA(h);
                                if (h->nlmsg_len >= NLMSG_LENGTH(sizeof *e) && e->error != 0) {
                                        int code = -e->error;
                                        return bh_error_errno(
                                            err, code, "the kernel refused to list audit rules%s",
                                            code == EPERM
                                                ? " (needs CAP_AUDIT_CONTROL: run as root)"
                                                : "");
                                }
                        }
                }
                int r = audit_rules_parse_netlink(buf, (size_t)n, paths, err);
                if (r < 0)
                        return r;
                if (done)
                        return 0;
        }
}

bool audit_rules_cover(char *const *paths, const char *target)
{
        _cleanup_free_ char *t = normalise(target);
        for (size_t i = 0; paths && paths[i]; i++) {
                const char *p = paths[i];
                size_t n = strlen(p);
                if (strcmp(p, t) == 0)
                        return true;
                if (strncmp(p, t, n) == 0 && (t[n] == '/' || (n == 1 && p[0] == '/')))
                        return true;
        }
        return false;
}
