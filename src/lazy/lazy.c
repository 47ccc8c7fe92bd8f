#include "lazy/lazy.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void *bh_lazy_sym(struct bh_lazy_lib *lib, const char *name)
{
        pthread_mutex_lock(&lock);
        if (!lib->handle)
                lib->handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
        void *handle = lib->handle;
        pthread_mutex_unlock(&lock);
        if (!handle) {
                fprintf(stderr, "bulkhead: cannot load %s: %s (is the package installed?)\n",
                        lib->soname, dlerror());
                abort();
        }
        void *sym = dlsym(handle, name);
        if (!sym) {
                fprintf(stderr, "bulkhead: %s has no %s: %s\n", lib->soname, name, dlerror());
                abort();
        }
        return sym;
}
