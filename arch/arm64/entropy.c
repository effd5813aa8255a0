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

bool arch_entropy(uint64_t *out)
{
	uint64_t isar0 = read_sysreg(id_aa64isar0_el1);

	if (((isar0 >> ISAR0_RNDR_SHIFT) & 0xfu) == 0u) {
		return false;
	}
	for (uint32_t i = 0u; i < RNDR_TRIES; i++) {
		uint64_t v;
		uint64_t ok;

		/* RNDR: a value and NZCV = 0000, or 0 and Z set when none could be made in time. */
		__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne" : "=r"(v), "=r"(ok) : : "cc");
		if (ok != 0u) {
			*out = v;
			return true;
		}
	}
	return false;
}
