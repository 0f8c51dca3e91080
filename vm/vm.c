/* vm.c - the step VM. */
#include "vm.h"

unsigned vm_format_version(void)
{
    return VM_FORMAT_VERSION;
}
