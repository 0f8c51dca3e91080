/* lock.c - the apply lock.  Placeholder: issue 4 fills it in. */
#include "runtime.h"
#define NI jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.not-implemented", NULL, "%s is not implemented yet", __func__)
int rt_lock_acquire(rt_conn *c, double timeout, jy_diags *d) { (void)c; (void)timeout; NI; return -1; }
int rt_lock_release(rt_conn *c, jy_diags *d) { (void)c; NI; return -1; }
