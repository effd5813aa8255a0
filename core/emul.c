/* SPDX-License-Identifier: MIT */
/*
 * The emulated-device registry (see emul.h).
 */
#include "emul.h"
#include "cfg.h"
#include "lib.h"
#include "partition.h"

/* Implements: REQ-TRP-011 */
static bool overlaps(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
	/* Neither range wraps (emul_register checked the new one, bhcc the maps). */
	return (a < (b + b_size)) && (b < (a + a_size));
}

/* Implements: REQ-TRP-011 */
static bool overlaps_memory(const struct partition *p, uint64_t base, uint64_t size)
{
	for (uint32_t i = 0u; i < p->cfg->n_regions; i++) {
		const struct cfg_region *m = &p->cfg->regions[i];

		if (overlaps(base, size, m->ipa, m->size)) {
			return true;
		}
	}
	return false;
}

/* Implements: REQ-TRP-011 */
enum core_status emul_register(struct partition *p, enum emul_space space, uint64_t base, uint64_t size,
			       emul_handler_t handler, void *context)
{
	struct emul_table *t;

	if (((uint32_t)space >= EMUL_SPACES) || (size == 0u) || (((base | size) & 7u) != 0u) || (base > (UINT64_MAX - size)) || (handler == NULL)) {
		return CORE_ERR_INVALID;
	}
	if ((space == EMUL_MMIO) && overlaps_memory(p, base, size)) {
		return CORE_ERR_INVALID;
	}
	t = &p->emul[space];
	for (uint32_t i = 0u; i < t->n; i++) {
		const struct emul_region *r = &t->regions[i];

		if (overlaps(base, size, r->base, r->size)) {
			return CORE_ERR_INVALID;
		}
	}
	if (t->n == EMUL_REGIONS) {
		return CORE_ERR_BUSY;
	}
	t->regions[t->n] = (struct emul_region){ base, size, handler, context };
	t->n++;
	return CORE_OK;
}
