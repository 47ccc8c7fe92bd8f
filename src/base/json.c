#include "base/json.h"
#include "base/file.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>

json_t *bh_json_parse(const char *data, size_t len, const char *what, struct bh_error *err)
{
        json_error_t je;
        json_t *j = json_loadb(data, len, JSON_ALLOW_NUL, &je);
        if (!j) {
                bh_error_set(err, EINVAL, "%s: line %d, column %d: %s", what, je.line, je.column,
                             je.text);
                return NULL;
        }
        return j;
}

json_t *bh_json_load_file(const char *path, size_t max, struct bh_error *err)
{
        _cleanup_free_ char *data = NULL;
        size_t len = 0;
        if (bh_read_file(path, max, &data, &len, err) < 0)
                return NULL;
        return bh_json_parse(data, len, path, err);
}

json_t *bh_json_get(const json_t *obj, const char *path)
{
        const json_t *cur = obj;
        const char *p = path;
        while (cur && *p) {
                const char *dot = strchr(p, '.');
                size_t n = dot ? (size_t)(dot - p) : strlen(p);
                if (!json_is_object(cur))
                        return NULL;
                cur = json_object_getn(cur, p, n);
                p += n;
                if (*p == '.')
                        p++;
        }
        return (json_t *)cur;
}

const char *bh_json_str(const json_t *obj, const char *path)
{
        return json_string_value(bh_json_get(obj, path));
}

long long bh_json_int(const json_t *obj, const char *path, long long def)
{
        json_t *v = bh_json_get(obj, path);
        if (json_is_integer(v))
                return json_integer_value(v);
        if (json_is_real(v))
                return (long long)json_real_value(v);
        return def;
}

bool bh_json_bool(const json_t *obj, const char *path, bool def)
{
        bool out = def;
        bh_json_bool_opt(obj, path, &out);
        return out;
}

bool bh_json_bool_opt(const json_t *obj, const char *path, bool *out)
{
        json_t *v = bh_json_get(obj, path);
        if (!json_is_boolean(v))
                return false;
        *out = json_is_true(v);
        return true;
}

size_t bh_json_array_len(const json_t *obj, const char *path)
{
        json_t *v = bh_json_get(obj, path);
        return json_is_array(v) ? json_array_size(v) : 0;
}

char *bh_json_dump(const json_t *j)
{
        char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
        return s ? s : bh_xstrdup("null");
}
