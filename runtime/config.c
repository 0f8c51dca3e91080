/* config.c - joryu.toml (placeholder). */
#include "runtime.h"
