/* Linux audit rules: what the kernel has loaded (read over netlink) and what
 * the rules files say (auditctl syntax). The audit checks only need the
 * paths that are watched. */
#pragma once

#include "base/error.h"

#include <stdbool.h>
#include <stddef.h>

/* Adds the paths watched by auditctl-syntax rules in text ("-w PATH",
 * "-a ... -F path=PATH", "-F dir=PATH"; "-W PATH" and "-D" remove). name is
 * for messages. Malformed lines are skipped; returns how many were. */
int audit_rules_parse_text(const char *text, const char *name, char ***paths);

/* Parses the payloads of AUDIT_LIST_RULES netlink messages (a buffer of
 * nlmsghdr-framed messages as received) and adds the watched paths. Fails
 * on a truncated or inconsistent message. */
int audit_rules_parse_netlink(const void *data, size_t len, char ***paths, struct bh_error *err);

/* Asks the kernel for its rules. -EPROTONOSUPPORT: the kernel has no audit;
 * -EPERM: not allowed (needs CAP_AUDIT_CONTROL). */
int audit_rules_read_kernel(char ***paths, struct bh_error *err);

/* True when target is watched: the same path, or inside a watched directory. */
bool audit_rules_cover(char *const *paths, const char *target);
