/* Shared libraries that only some commands need (libcurl, libarchive,
 * libcrypto, SQLite) are loaded on first use rather than at start-up: each
 * pulls in a tree of dependencies (libcurl alone about thirty) whose loading
 * costs every command several milliseconds, `bulkhead lint` included. The
 * stubs in this directory define the functions Bulkhead calls with the
 * libraries' own prototypes and forward to the real ones, found with
 * dlopen/dlsym the first time. A library that cannot be loaded is a broken
 * installation: the program stops with a message naming it, as the dynamic
 * loader would have at start-up. */
#pragma once

struct bh_lazy_lib {
        const char *soname; /* "libcurl.so.4" */
        void *handle;
};

/* The address of name in lib, loading lib on first use. Never NULL. */
void *bh_lazy_sym(struct bh_lazy_lib *lib, const char *name);

/* Defines a stub that forwards to the real function (non-void results). */
#define BH_LAZY_FN(lib, ret, name, params, args)                                                   \
        ret name params                                                                            \
        {                                                                                          \
                static ret(*volatile real) params;                                                 \
                if (!real)                                                                         \
                        real = (ret(*) params)bh_lazy_sym(&lib, #name);                            \
                return real args;                                                                  \
        }

#define BH_LAZY_VOID(lib, name, params, args)                                                      \
        void name params                                                                           \
        {                                                                                          \
                static void(*volatile real) params;                                                \
                if (!real)                                                                         \
                        real = (void(*) params)bh_lazy_sym(&lib, #name);                           \
                real args;                                                                         \
        }
