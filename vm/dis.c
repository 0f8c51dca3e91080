/* dis.c - the disassembler.  Placeholder. */
#include "vm.h"
char *vm_disassemble(const vm_bundle *b) { (void)b; return NULL; }
