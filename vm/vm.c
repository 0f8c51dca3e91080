/* vm.c - the opcode table (from opcodes.def) and the format version. */
#include "vm.h"

static const vm_opcode_info opcode_table[VM_OP__COUNT] = {
#define VM_OP(name, a, b, c, doc) {#name, a, b, c, doc},
#include "opcodes.def"
#undef VM_OP
};

unsigned vm_format_version(void)
{
    return VM_FORMAT_VERSION;
}

const vm_opcode_info *vm_opcode_get(unsigned op)
{
    return op < VM_OP__COUNT ? &opcode_table[op] : NULL;
}
