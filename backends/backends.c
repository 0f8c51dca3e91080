/* backends.c - what the three backends share. */
#include "backends.h"

const char *be_family_name(ir_dialect d)
{
    switch (d) {
    case IR_D_POSTGRESQL: return "postgresql";
    case IR_D_SQLITE: return "sqlite";
    default: return "mysql";
    }
}
