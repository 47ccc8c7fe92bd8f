/* Capability names and the five sets of a process. */
#pragma once

#include "base/error.h"

#include <stdbool.h>
#include <stdint.h>

#define RT_CAP_COUNT 41 /* CAP_CHOWN (0) .. CAP_CHECKPOINT_RESTORE (40) */

extern const char *const rt_cap_names[RT_CAP_COUNT];

/* Index of "CAP_SYS_ADMIN" (the "CAP_" prefix may be left out, case does
 * not matter), or -1. */
int rt_cap_from_name(const char *name);
/* The highest capability this kernel knows (/proc/sys/kernel/cap_last_cap). */
int rt_cap_last(void);
/* Mask of every capability this kernel knows. */
uint64_t rt_cap_all(void);
/* Names of the bits of mask as a NULL-terminated vector; free with bh_strv_free. */
char **rt_cap_names_of(uint64_t mask);

struct rt_caps;
/* Applies the sets to the calling process: drops the bounding set, sets
 * effective/permitted/inheritable and raises the ambient ones. Call after
 * the uid change (with PR_SET_KEEPCAPS set before it). */
int rt_caps_apply(const struct rt_caps *caps, struct bh_error *err);
/* Drops from the bounding set every capability not in keep. */
int rt_caps_drop_bounding(uint64_t keep, struct bh_error *err);
