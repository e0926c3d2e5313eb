/* A race MS201 found, and how it is reported (race_report.c). */
#ifndef MAPSAFE_MS201_RACE_H
#define MAPSAFE_MS201_RACE_H

#include "concurrency.h"
#include "rule.h"

typedef enum ms_race_kind {
    MS_RACE_SPAWNER = 1,   /* the thread writes; its spawner accesses before waiting */
    MS_RACE_SPAWNER_WRITE, /* the spawner writes before waiting; the thread accesses */
    MS_RACE_SELF,          /* copies of one thread (a loop, a handler) */
    MS_RACE_PAIR,          /* two threads */
    MS_RACE_GUARDED,       /* the thread skips the lock that guards the map elsewhere */
} ms_race_kind;

typedef struct ms_race {
    ms_race_kind kind;
    const ms_thread *thread; /* the thread involved (the writer's, except SPAWNER_WRITE) */
    const ms_thread *other;  /* PAIR: the thread of the racing access; SELF: the
                                thread whose copies start the copies of `thread` */
    const ms_access *write;  /* in the spawner's terms */
    const ms_access *racing;
    ms_heldset write_locks, racing_locks; /* as compared */
} ms_race;

void ms201_report_race(ms_rule_ctx *ctx, const ms_rule *rule, const ms_race *race);

#endif
