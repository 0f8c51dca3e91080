/* asm.c - the assembler.  Placeholder. */
#include "vm.h"
#define NI jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.not-implemented", NULL, "%s is not implemented yet", __func__)
int vm_assemble(const ir_program *p, const struct be_program *const *bps, size_t nbps,
                vm_bundle **out, jy_diags *d)
{ (void)p; (void)bps; (void)nbps; *out = NULL; NI; return -1; }
