/*
 * backends.h - per-dialect SQL from the IR (PostgreSQL, MySQL/MariaDB,
 * SQLite).  Prefix: be_.  (Issue 3 fills this in.)
 */
#ifndef JORYU_BACKENDS_H
#define JORYU_BACKENDS_H

#include "ir.h"

/* The backend family of a dialect: "postgresql", "mysql" or "sqlite". */
const char *be_family_name(ir_dialect d);

#endif /* JORYU_BACKENDS_H */
