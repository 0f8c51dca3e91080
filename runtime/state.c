/* state.c - the state tables (reference §9.2).  Placeholder: issue 4 fills it in. */
#include "runtime.h"
#define NI jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.not-implemented", NULL, "%s is not implemented yet", __func__)
const char *rt_mig_status_name(rt_mig_status s) { (void)s; return "none"; }
const char *rt_step_status_name(rt_step_status s) { (void)s; return "pending"; }
bool rt_mig_status_parse(const char *s, rt_mig_status *out) { (void)s; (void)out; return false; }
bool rt_step_status_parse(const char *s, rt_step_status *out) { (void)s; (void)out; return false; }
int rt_state_ensure(rt_conn *c, jy_diags *d) { (void)c; NI; return -1; }
int rt_state_load(rt_conn *c, rt_state *st, jy_diags *d) { (void)c; (void)st; NI; return -1; }
void rt_state_free(rt_state *st) { (void)st; }
const rt_mig_row *rt_state_find(const rt_state *st, const char *id) { (void)st; (void)id; return NULL; }
int rt_state_mig_begin(rt_conn *c, const char *id, const char *checksum, const char *dialect, jy_diags *d)
{ (void)c; (void)id; (void)checksum; (void)dialect; NI; return -1; }
int rt_state_mig_set(rt_conn *c, const char *id, rt_mig_status s, const char *last_error,
                     const char *pause_reason, jy_diags *d)
{ (void)c; (void)id; (void)s; (void)last_error; (void)pause_reason; NI; return -1; }
int rt_state_mig_set_checksum(rt_conn *c, const char *id, const char *checksum, jy_diags *d)
{ (void)c; (void)id; (void)checksum; NI; return -1; }
int rt_state_mig_delete(rt_conn *c, const char *id, jy_diags *d) { (void)c; (void)id; NI; return -1; }
int rt_state_step_begin(rt_conn *c, const char *id, uint32_t step_index, const char *op_kind,
                        const char *fingerprint, jy_diags *d)
{ (void)c; (void)id; (void)step_index; (void)op_kind; (void)fingerprint; NI; return -1; }
int rt_state_step_set(rt_conn *c, const char *id, uint32_t step_index, rt_step_status s,
                      const char *progress, jy_diags *d)
{ (void)c; (void)id; (void)step_index; (void)s; (void)progress; NI; return -1; }
int rt_state_steps_delete(rt_conn *c, const char *id, uint32_t from, jy_diags *d)
{ (void)c; (void)id; (void)from; NI; return -1; }
