/* The Docker daemon's effective configuration: dockerd's flags (from its
 * /proc cmdline or its unit's ExecStart) merged onto daemon.json. The result
 * uses daemon.json's keys and types, so checks ask one object. */
#pragma once

#include "base/error.h"

#include <jansson.h>
#include <stddef.h>

/* Splits a /proc/PID/cmdline buffer (NUL-separated) into a vector. */
char **audit_cmdline_split(const char *data, size_t len);

/* Turns dockerd's arguments (argv[0] is the program) into an object with
 * daemon.json keys: {"icc":false,"hosts":["fd://"],...}. Unknown flags are
 * kept under their own name. Fails on a flag without its value or a
 * malformed boolean or ulimit, naming the argument. */
json_t *audit_dockerd_flags(char *const *argv, struct bh_error *err);

/* The --config-file given in argv, or NULL. */
const char *audit_dockerd_config_file(char *const *argv);

/* Merges flags onto daemon_json (either may be NULL): list values are joined,
 * scalars from the flags win (dockerd itself refuses a key set in both). */
json_t *audit_config_merge(const json_t *daemon_json, const json_t *flags);

/* Parses a systemd unit's text (and drop-ins, in order) for the effective
 * ExecStart command of a simple service, expanding $VAR and ${VAR} from
 * Environment= and from the env text (EnvironmentFile contents) given.
 * Returns NULL and sets err when there is none. */
char **audit_unit_execstart(char *const *unit_texts, size_t n, const char *env_text,
                            struct bh_error *err);

/* The files named by EnvironmentFile= in the units (a leading '-' removed). */
char **audit_unit_environment_files(char *const *unit_texts, size_t n);
