/* SPDX-License-Identifier: MIT */
/*
 * The service partition's stack budget per vCPU. make cert-stack-service
 * (tools/cert/stack-model-service.txt, REQ-CRT-033) holds its worst-case
 * stack, C library included, to 75% of it on each architecture; main.c
 * refuses to build when the runtime gives a vCPU less (rt_stack.h).
 */
#ifndef SVC_STACK_BUDGET_H
#define SVC_STACK_BUDGET_H

#define SVC_STACK_BUDGET 0x4000

#endif
