/* JSON through jansson, with messages that name the document, and lookups
 * by dotted path that tolerate missing or mistyped members. */
#pragma once

#include "base/error.h"

#include <jansson.h>
#include <stdbool.h>

static inline void bh_json_decrefp(json_t **j)
{
        json_decref(*j);
}
#define _cleanup_json_ __attribute__((cleanup(bh_json_decrefp)))

/* Parses len bytes; what names the document in the error
 * ("daemon.json: line 3, column 5: ..."). Duplicate keys: the last wins. */
json_t *bh_json_parse(const char *data, size_t len, const char *what, struct bh_error *err);
json_t *bh_json_load_file(const char *path, size_t max, struct bh_error *err);

/* Member by dotted path ("HostConfig.Privileged"); NULL if any step is missing. */
json_t *bh_json_get(const json_t *obj, const char *path);
/* Typed lookups: NULL / def when missing or of another type. */
const char *bh_json_str(const json_t *obj, const char *path);
long long bh_json_int(const json_t *obj, const char *path, long long def);
bool bh_json_bool(const json_t *obj, const char *path, bool def);
/* True when the path exists and holds a boolean; *out receives it. */
bool bh_json_bool_opt(const json_t *obj, const char *path, bool *out);
/* Number of elements when the member is an array, else 0. */
size_t bh_json_array_len(const json_t *obj, const char *path);

/* Serialises compactly; the caller frees. */
char *bh_json_dump(const json_t *j);
