/* Shared by the cgroup files of the runtime. */
#pragma once

#include "runtime/cgroup.h"

int rt_cg_write(const char *dir, const char *file, const char *value, struct bh_error *err);
int rt_cg_read(const char *dir, const char *file, char **out, struct bh_error *err);
bool rt_cg_has_file(const char *dir, const char *file);
