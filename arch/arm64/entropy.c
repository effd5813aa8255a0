/* SPDX-License-Identifier: MIT */
/*
 * The hardware random number generator (arch_entropy, arch.h): RNDR of
 * FEAT_RNG where ID_AA64ISAR0_EL1 says the core has it. QEMU's `max` CPU
 * has it (backed by the host's entropy); its Cortex-A72 and A53 models do
 * not, nor do those cores.
 */
#include "arch.h"
#include "sysreg.h"

#define ISAR0_RNDR_SHIFT 60u
#define RNDR_TRIES 8u          /* RNDR may fail transiently (Arm ARM: "a reasonable period") */

/* One RNDR read: a value and NZCV = 0000, or 0 and Z set when none could be made in time. */
/* Implements: REQ-LNX-007 */
static bool rndr(uint64_t *out)
{
	uint64_t value;
	uint64_t made;

	__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne" : "=r"(value), "=r"(made) : : "cc");
	*out = value;
	return made != 0u;
}

/* Implements: REQ-LNX-007 */
bool arch_entropy(uint64_t *out)
{
	uint64_t isar0 = read_sysreg(id_aa64isar0_el1);
	bool got = false;

	if (((isar0 >> ISAR0_RNDR_SHIFT) & 0xfu) == 0u) {
		return false;
	}
	for (uint32_t i = 0u; (i < RNDR_TRIES) && !got; i++) {
		got = rndr(out);
	}
	return got;
}
