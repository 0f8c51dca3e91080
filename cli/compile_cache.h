/*
 * compile_cache.h - joryu's compile cache (cmd_cache.c): the bundle that
 * `joryu apply|status|down|mark|repair|heads` compiles from the migrations
 * folder, kept in .joryu/cache/<dialect>.jyb with a manifest of everything
 * the compile read (<dialect>.key), so that a run over an unchanged history does not
 * compile it again.  docs/SPEC.md, "The compile cache", is the user's view.
 *
 * Built into joryu only (it calls fe_list_dir).
 */
#ifndef JORYU_COMPILE_CACHE_H
#define JORYU_COMPILE_CACHE_H

#include "cli_int.h"

/* The folder of the cache, relative to the project (the folder holding
 * joryu.toml, the current directory). */
#define CC_CACHE_DIR ".joryu/cache"

typedef enum {
    CC_CACHE_ON,      /* read and write (default) */
    CC_CACHE_OFF,     /* JORYU_CACHE=off: neither read nor written */
    CC_CACHE_VERBOSE  /* JORYU_CACHE=verbose: on, and say what happened on stderr */
} cc_cache_mode;

/* From the environment variable JORYU_CACHE. */
cc_cache_mode cc_cache_mode_get(void);

typedef struct cc_cache {
    cc_cache_mode mode;
    ir_dialect dl;
    const char *dir;     /* the migrations folder */
    char path[256];      /* .joryu/cache/<dialect>.jyb: the bundle */
    char keypath[256];   /* .joryu/cache/<dialect>.key: the manifest */
    unsigned code;       /* VM_KEEP_*: the code a hit loads (vm_bundle_load_code) */
    int64_t built_ns;    /* when the compile started (CLOCK_REALTIME) */
    char *manifest;      /* malloc'd: the key computed before compiling, or NULL */
    size_t manifest_len;
    char why[160];       /* why the lookup missed (for JORYU_CACHE=verbose) */
    /* what the last lookup did (for JORYU_CACHE=verbose) */
    size_t nfiles;       /* files whose stat was compared */
    size_t nhashed;      /* of them, files read and hashed (changed < 2 s before the key) */
    bool listed;         /* the folder was listed (its own stat had changed) */
    bool refreshed;      /* the key was written again so that they need not be */
} cc_cache;

/* code: what the command runs (VM_KEEP_UP_CODE for apply, ...). */
void cc_cache_init(cc_cache *k, cc_cache_mode mode, const char *dir, ir_dialect dl,
                   unsigned code);
void cc_cache_free(cc_cache *k);

/*
 * Look the bundle up.  0 and *out (vm_bundle_free) on a hit; -1 on a miss
 * (k->why says why).  Never prints, never fails loudly: a missing, stale,
 * damaged or unreadable cache is a miss.  A hit may write the key again
 * (atomically) when files it had to hash are now old enough to be trusted
 * by their stat alone (k->refreshed).
 */
int cc_cache_lookup(cc_cache *k, vm_bundle **out);

/* Before compiling after a miss: take the manifest of the files as they are
 * now.  Without it cc_cache_store stores nothing. */
void cc_cache_begin(cc_cache *k);

/*
 * After a clean compile (no diagnostic at all): store b, when the files
 * still have the manifest taken by cc_cache_begin (nothing changed during
 * the compile).  Written to a temporary file, then renamed; every failure
 * is silent (the cache is an optimisation).  true when it was stored.
 */
bool cc_cache_store(cc_cache *k, const vm_bundle *b);

#endif /* JORYU_COMPILE_CACHE_H */
