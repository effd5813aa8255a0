/* SPDX-License-Identifier: MIT */
/*
 * Each vCPU's stack, at the top of the partition's RAM: shared by the linker
 * script (partition.lds), the start-up code (crt0.S) and C (a program's check
 * of its stack budget: partitions/service/stack_budget.h).
 */
#ifndef RT_STACK_H
#define RT_STACK_H

#define RT_STACK_SIZE 0x10000

#endif
