/* exec.c - the step VM.  Placeholder. */
#include "vm.h"
#define NI jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.not-implemented", NULL, "%s is not implemented yet", __func__)
int vm_apply(rt_conn *c, const vm_bundle *b, const vm_apply_opts *o, vm_result *r, jy_diags *d)
{ (void)c; (void)b; (void)o; r->exit_code = 1; NI; return -1; }
int vm_down(rt_conn *c, const vm_bundle *b, const vm_down_opts *o, vm_result *r, jy_diags *d)
{ (void)c; (void)b; (void)o; r->exit_code = 1; NI; return -1; }
int vm_status_read(rt_conn *c, const vm_bundle *b, vm_status **out, jy_diags *d)
{ (void)c; (void)b; *out = NULL; NI; return -1; }
void vm_status_free(vm_status *s) { (void)s; }
int vm_mark(rt_conn *c, const vm_bundle *b, const char *id, uint32_t step, const char *as,
            const char *reason, jy_diags *d)
{ (void)c; (void)b; (void)id; (void)step; (void)as; (void)reason; NI; return -1; }
int vm_repair(rt_conn *c, const vm_bundle *b, const char *id, jy_diags *d)
{ (void)c; (void)b; (void)id; NI; return -1; }
