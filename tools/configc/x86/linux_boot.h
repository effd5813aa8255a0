/* SPDX-License-Identifier: MIT */
/*
 * A bzImage partition's boot (linux_boot.c): its setup header as bhcc reads
 * it, and the zero page, command line and ACPI tables built at its
 * dtb-address.
 */
#ifndef BHCC_X86_LINUX_BOOT_H
#define BHCC_X86_LINUX_BOOT_H

#include "bhcc.h"

#define X86_BZ_HDR_END 0x280u             /* the setup header lies below this (protocol 2.15) */
#define X86_LINUX_BLOB_SIZE 0x2000u       /* zero page, command line, ACPI tables */
#define X86_BZ_MIN_VERSION 0x20eu         /* 2.14: boot_params.acpi_rsdp_addr */

struct x86_bz {
	uint8_t hdr[X86_BZ_HDR_END];
	bool has_hdrs;                     /* "HdrS": protocol 2.00 or later */
	uint32_t version;
	uint32_t setup_size;               /* bytes before the protected-mode part */
	uint32_t hdr_end;
	bool relocatable;
	bool kernel_64;
	uint32_t align;
	uint32_t initrd_max;
	uint32_t cmdline_size;
	uint64_t pref_address;
	uint32_t init_size;
};

/** Reads @file's boot sector and setup header; false when it has no 0xAA55 boot flag (not a bzImage). */
bool x86_bz_read(const char *file, struct x86_bz *bz);

/** Where the kernel started at @start decompresses itself. */
uint64_t x86_bz_target(const struct x86_bz *bz, uint64_t start);

/** Writes partition @p's zero page, command line and ACPI tables into @b; returns their size or -1. */
int x86_linux_blob(const struct bh_system *sys, const struct bh_partition *p, const struct x86_bz *bz, uint8_t *b,
		   int bufsize);

/** Reports what is wrong in a bzImage partition @p, and sets its entry to the protected-mode part. */
void x86_linux_check(struct bh_ctx *c, struct bh_partition *p);

#endif /* BHCC_X86_LINUX_BOOT_H */
