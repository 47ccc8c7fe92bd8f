/* YAML documents read into jansson values (scalars as strings). */
#pragma once

#include "base/error.h"

#include <jansson.h>

json_t *bh_yaml_to_json(const char *data, size_t len, const char *what, struct bh_error *err);
