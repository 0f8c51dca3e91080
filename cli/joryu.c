/* joryu.c - placeholder main. */
#include "base.h"
int main(void) { return 0; }
