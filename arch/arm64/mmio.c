/* SPDX-License-Identifier: MIT */
/*
 * Emulated MMIO: a stage-2 data abort on an address of one of the
 * partition's emulated devices (core's registry, emul.h: the virtual GIC's
 * frames) is decoded from its syndrome and completed by its handler.
 * Accesses the syndrome cannot describe (load/store pair, writeback,
 * SIMD; ESR.ISV = 0) or that are misaligned are not emulated: they remain
 * faults of the partition.
 */
#include "arm64.h"
#include "cpu.h"
#include "emul.h"
#include "partition.h"
#include "sysreg.h"

/* Implements: REQ-TRP-011, REQ-TRP-012, REQ-TRP-001 */
bool arm64_mmio_emulate(struct cpu *cpu, struct guest_frame *f, uint64_t esr, uint64_t ipa)
{
	const struct emul_region *r = emul_find(&cpu->partition->emul[EMUL_MMIO], ipa);

	if ((r == NULL) || ((esr & ISS_DABT_ISV) == 0u) || ((esr & ISS_DABT_S1PTW) != 0u)) {
		return false;
	}
	emul_handler_t handler = r->handler;
	void *context = r->context;
	uint64_t offset = ipa - r->base;
	uint32_t sas = (uint32_t)(esr >> ISS_DABT_SAS_SHIFT) & 3u;
	uint32_t size = (uint32_t)1u << sas;
	uint32_t rt = (uint32_t)(esr >> ISS_DABT_SRT_SHIFT) & 0x1fu;
	bool write = (esr & ISS_DABT_WNR) != 0u;
	uint64_t value = 0u;

	if ((ipa & (size - 1u)) != 0u) {
		return false;
	}
	if (write && (rt != 31u)) {
		value = f->x[rt];
		if (size < 8u) {
			uint32_t width = 8u * size;

			value &= (1UL << width) - 1u;
		}
	}
	if (!handler(cpu, context, offset, write, size, &value)) {
		return false;
	}
	if (!write && (rt != 31u)) {
		if (size < 8u) {
			uint32_t width = 8u * size;

			value &= (1UL << width) - 1u;
			uint32_t sign = width - 1u;

			if (((esr & ISS_DABT_SSE) != 0u) && ((value >> sign) != 0u)) {
				value |= ~((1UL << width) - 1u);
			}
		}
		if ((esr & ISS_DABT_SF) == 0u) {
			value &= 0xffffffffu;
		}
		f->x[rt] = value;
	}
	/* A 16-bit T32 instruction (AArch32 EL0) has IL = 0. */
	arm64_guest_skip(esr);
	return true;
}
