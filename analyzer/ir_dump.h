/* A readable dump of a unit's IR, for frontend work (MAPSAFE_DUMP_IR=1). */
#ifndef MAPSAFE_IR_DUMP_H
#define MAPSAFE_IR_DUMP_H

#include "ir.h"

#include <stdio.h>

void ms_ir_dump(FILE *out, const ms_unit *u);

#endif
