/* SPDX-License-Identifier: MIT */
/* Direct delivery and the SPIs of other partitions (delivery.c), for the report. */
#ifndef BHCC_ARM64_DELIVERY_H
#define BHCC_ARM64_DELIVERY_H

#include "bhcc.h"

/**
 * Writes the SPIs partitions other than @pi own ("34 (/partitions/x), ...",
 * the first few) into @buf and returns how many there are.
 */
unsigned foreign_spis_text(const struct bh_system *sys, unsigned pi, char *buf, size_t len);

#endif
