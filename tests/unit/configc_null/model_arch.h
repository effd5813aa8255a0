/* SPDX-License-Identifier: MIT */
/*
 * The null back end's part of bhcc's model (backend_null.c): an architecture
 * with nothing of its own but a hardware id per cpu. It lets the front end
 * be built and tested without any real architecture's headers.
 */
#ifndef BHCC_MODEL_ARCH_H
#define BHCC_MODEL_ARCH_H

#ifndef BHCC_MODEL_H
#error "model_arch.h is part of model.h: include model.h"
#endif

#define BH_ARCH_MAX_IRQ 255u

struct bh_arch_board {
	unsigned unused;
};

struct bh_arch_cpu {
	uint64_t hw_id;
};

struct bh_arch_partition {
	unsigned unused;
};

#endif /* BHCC_MODEL_ARCH_H */
