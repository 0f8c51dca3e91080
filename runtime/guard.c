/* guard.c - ensure guards against the live catalog.  Placeholder. */
#include <stdlib.h>
#include "runtime.h"
#define NI jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.not-implemented", NULL, "%s is not implemented yet", __func__)
int rt_guard_eval(rt_conn *c, const char *guard_json, rt_guard_result *r, jy_diags *d)
{ (void)c; (void)guard_json; r->outcome = RT_GUARD_RUN; r->detail = NULL; r->sql = NULL; r->nsql = 0; NI; return -1; }
void rt_guard_result_free(rt_guard_result *r) { (void)r; }
int rt_introspect_table(rt_conn *c, const char *table, ir_schema *s, jy_diags *d)
{ (void)c; (void)table; (void)s; NI; return -1; }
