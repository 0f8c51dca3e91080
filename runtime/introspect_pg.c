/* introspect_pg.c - placeholder, replaced below */
#include "driver_int.h"
int rt__introspect_pg(rt_conn *c, ir_schema *s, jy_diags *d) { (void)c; (void)s; (void)d; return -1; }
