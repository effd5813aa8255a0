/* SPDX-License-Identifier: MIT */
/*
 * <string.h> for code the freestanding hypervisor shares with the partition
 * runtime (partitions/runtime/ring.c): the routines core/lib.c provides.
 * Only the hypervisor's build puts this directory on the include path.
 */
#ifndef BULKHEAD_LIBC_STRING_H
#define BULKHEAD_LIBC_STRING_H

#include "lib.h"

#endif /* BULKHEAD_LIBC_STRING_H */
