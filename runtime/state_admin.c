/*
 * state_admin.c - state-table writers that only the VM's administrative
 * commands need (repair).  Additive to state.c: same tables, same rules (one
 * statement on the connection as it is, inside the caller's transaction).
 */
#include "driver_int.h"

#include <stdio.h>
#include <string.h>

/*
 * Set the op_kind and op_fingerprint of one step row, leaving its status,
 * times and progress as they are (repair: the step is the migration's new
 * code for it).  0; -1 with rt.state-missing-row when the row is not there,
 * or rt.sql-error.
 */
int rt_state_step_set_code(rt_conn *c, const char *id, uint32_t step_index, const char *op_kind,
                           const char *fingerprint, jy_diags *d)
{
    char idx[16], p1[16], p2[16], p3[16], p4[16];
    snprintf(idx, sizeof idx, "%u", (unsigned)step_index);
    const char *cast_open = c->url.kind == RT_DB_MYSQL ? "" : "CAST(";
    const char *cast_close = c->url.kind == RT_DB_MYSQL ? "" : " AS INTEGER)";
    char sql[320];
    snprintf(sql, sizeof sql,
             "UPDATE joryu_migration_steps SET op_kind = %s, op_fingerprint = %s"
             " WHERE migration_id = %s AND step_index = %s%s%s",
             rt_placeholder(c, 1, p1), rt_placeholder(c, 2, p2), rt_placeholder(c, 3, p3),
             cast_open, rt_placeholder(c, 4, p4), cast_close);
    const char *params[] = {op_kind, fingerprint, id, idx};
    rt_rows *r = NULL;
    if (rt_query(c, sql, params, 4, &r, d))
        return -1;
    int64_t n = r ? r->affected : -1;
    rt_rows_free(r);
    if (n == 0 && c->url.kind != RT_DB_MYSQL) { /* MySQL counts changed rows only */
        jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.state-missing-row",
                                   c->url.redacted ? c->url.redacted : "database",
                                   "joryu_migration_steps has no row for migration '%s', step %u: "
                                   "cannot record its new code",
                                   id, (unsigned)step_index + 1);
        if (g)
            jy_diag_hint(g, "someone changed the state tables during this run; check "
                            "`joryu status` and run it again");
        return -1;
    }
    return 0;
}
