/* bundle.c - the .jyb writer and loader.  Placeholder (find is real). */
#include <string.h>

#include "vm.h"
#define NI jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.not-implemented", NULL, "%s is not implemented yet", __func__)
int vm_bundle_write(const vm_bundle *b, const char *path, jy_diags *d) { (void)b; (void)path; NI; return -1; }
int vm_bundle_serialize(const vm_bundle *b, unsigned char **data, size_t *len, jy_diags *d)
{ (void)b; *data = NULL; *len = 0; NI; return -1; }
int vm_bundle_load(const char *path, vm_bundle **out, jy_diags *d) { (void)path; *out = NULL; NI; return -1; }
int vm_bundle_load_memory(const unsigned char *data, size_t len, vm_bundle **out, jy_diags *d)
{ (void)data; (void)len; *out = NULL; NI; return -1; }
void vm_bundle_free(vm_bundle *b) { if (b) jy_arena_free(b->arena); }

/* The migration with that id (binary search: migs are sorted by id). */
const vm_migration *vm_bundle_find(const vm_bundle *b, const char *id)
{
    uint32_t lo = 0, hi = b->nmigs;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(b->migs[mid].id, id);
        if (c == 0)
            return &b->migs[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
