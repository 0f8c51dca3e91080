/*
 * vm.h - the bundle format, assembler, loader, disassembler and the step VM.
 * Prefix: vm_.  (Issue 4 fills this in.)
 */
#ifndef JORYU_VM_H
#define JORYU_VM_H

#include "base.h"

/* The bundle format version this build reads and writes. */
#define VM_FORMAT_VERSION 1u

unsigned vm_format_version(void);

#endif /* JORYU_VM_H */
