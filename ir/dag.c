/* dag.c - the depends_on DAG (issue 5).  Placeholder bodies. */
#include "ir.h"

int ir_dag_build(const ir_program *p, ir_dialect d, ir_dag **out, jy_diags *diags)
{
    (void)p;
    (void)d;
    (void)diags;
    *out = NULL;
    return -1;
}
void ir_dag_free(ir_dag *g)
{
    (void)g;
}
const size_t *ir_dag_order(const ir_dag *g, size_t *n)
{
    (void)g;
    *n = 0;
    return NULL;
}
size_t ir_dag_position(const ir_dag *g, size_t i)
{
    (void)g;
    (void)i;
    return (size_t)-1;
}
const size_t *ir_dag_deps(const ir_dag *g, size_t i, size_t *n)
{
    (void)g;
    (void)i;
    *n = 0;
    return NULL;
}
bool ir_dag_reaches(ir_dag *g, size_t from, size_t to)
{
    (void)g;
    (void)from;
    (void)to;
    return false;
}
bool ir_dag_ordered(ir_dag *g, size_t a, size_t b)
{
    (void)g;
    (void)a;
    (void)b;
    return false;
}
