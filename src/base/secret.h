/* Heuristics for secrets in names and values (ENV, ARG, LABEL, build
 * history), shared by audit, lint and scan. Callers must never print the
 * value they judge; they name the variable and the reason. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* True when a variable name looks like it holds a credential
 * (PASSWORD, DB_PASS, API_KEY, AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN, ...),
 * false for well-known harmless names (GPG_KEYS, *_KEY_ID, *_FILE, *_PATH...). */
bool bh_secret_name(const char *name);

/* When the value looks like a credential on its own (a private key, a cloud
 * or forge token with a known prefix, or a long high-entropy string), returns a
 * short reason ("AWS access key id", "private key", "high-entropy string");
 * otherwise NULL. */
const char *bh_secret_value(const char *value);
