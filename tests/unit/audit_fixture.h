/* Builds audit snapshots from JSON fixtures (tests/data/audit), so every
 * check can be judged on a described host without touching this one. */
#pragma once

#include "audit/snapshot.h"

#include <jansson.h>

/* Fills s from the fixture object (see tests/data/audit/README.md). */
void audit_fixture_load(struct audit_snapshot *s, const json_t *fixture);
/* Deep-merges patch into base (objects merge, everything else replaces). */
void audit_fixture_merge(json_t *base, const json_t *patch);
