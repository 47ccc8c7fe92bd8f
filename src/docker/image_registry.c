/* Placeholder until the registry reader lands. */
#include "docker/image_internal.h"

#include <errno.h>

int image_open_registry(struct bh_image *img, const struct bh_image_source *src,
                        const struct bh_image_options *opt, struct bh_error *err)
{
        return bh_error_set(err, ENOTSUP, "%s: registries are not supported yet", src->ref);
}
