/* bundle.c - the .jyb writer and loader.  Placeholder. */
#include "vm.h"
#define NI jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.not-implemented", NULL, "%s is not implemented yet", __func__)
int vm_bundle_write(const vm_bundle *b, const char *path, jy_diags *d) { (void)b; (void)path; NI; return -1; }
int vm_bundle_serialize(const vm_bundle *b, unsigned char **data, size_t *len, jy_diags *d)
{ (void)b; *data = NULL; *len = 0; NI; return -1; }
int vm_bundle_load(const char *path, vm_bundle **out, jy_diags *d) { (void)path; *out = NULL; NI; return -1; }
int vm_bundle_load_memory(const unsigned char *data, size_t len, vm_bundle **out, jy_diags *d)
{ (void)data; (void)len; *out = NULL; NI; return -1; }
void vm_bundle_free(vm_bundle *b) { if (b) jy_arena_free(b->arena); }
const vm_migration *vm_bundle_find(const vm_bundle *b, const char *id) { (void)b; (void)id; return NULL; }
char *vm_disassemble(const vm_bundle *b) { (void)b; return NULL; }
