/*
 * runtime.h - what joryu-run needs at run time: configuration (joryu.toml),
 * database URLs, drivers, state tables, locks.  Prefix: rt_.
 */
#ifndef JORYU_RUNTIME_H
#define JORYU_RUNTIME_H

#include "base.h"

#endif /* JORYU_RUNTIME_H */
