/* SPDX-License-Identifier: MIT */
/*
 * What bhcc's front end (the files of tools/configc/ itself: parsing,
 * validation, placement, reports) needs from an architecture. Exactly one back end is linked, from
 * tools/configc/<arch>/ (the build variable BHCC_ARCH); it also provides
 * model_arch.h (its part of the model) and, through the architecture's
 * include folder, cfg_arch.h (its part of the hypervisor's tables). The
 * front end includes no architecture header directly, so that adding an
 * architecture means a new folder here and nothing else.
 */
#ifndef BHCC_BACKEND_H
#define BHCC_BACKEND_H

#include <stdio.h>

#include "bhcc.h"

#define BE_MAX_IRQC_RANGES 8   /* ranges of the interrupt controller */
#define BE_MAX_WINDOWS 4       /* emulated guest-physical windows per partition */

/** The address spaces: what a partition and the hypervisor can map. */
struct be_space {
	uint64_t guest_limit;          /* guest-physical addresses stay below this */
	const char *guest_limit_text;  /* "the 39-bit stage-2 IPA limit" */
	uint64_t hyp_limit;            /* what the hypervisor maps for itself stays below this */
	const char *hyp_limit_text;    /* "the 39-bit addresses the hypervisor maps for itself" */
};

/** A console device the hypervisor has a driver for. */
struct be_console {
	const char *compatible;        /* matched against the device's compatible list */
	uint8_t kind;                  /* enum bh_console_kind */
	const char *driver;            /* the driver the build links (system.mk: BH_CONSOLE) */
};

/** A guest-physical window the hypervisor emulates, which a partition's RAM must leave free. */
struct be_window {
	const char *what;              /* "distributor" */
	struct bh_range r;
};

/* Description of the architecture (constants). */
extern const struct be_space be_space;
extern const struct be_console be_consoles[];       /* ends with a NULL compatible */
extern const char *const be_console_names;          /* for messages: "\"arm,pl011\" or \"ns16550a\"" */
/* The emulated UART a partition's `console` may ask for here (enum cfg_console_kind:
 * CFG_CONSOLE_PL011 on arm64, CFG_CONSOLE_NS16550 on x86, CFG_CONSOLE_NONE: none). */
extern const uint8_t be_emulated_console;
extern const char *const be_partition_props[];      /* partition properties of the back end, NULL ended */

/* ---- the board ---- */

/**
 * Takes a /board child that the front end does not know (not memory, cpus):
 * the interrupt controller, which it parses and records (board.irqc_path,
 * board.irqc_offset). False: the front end parses the node as a device.
 */
bool be_board_node(struct bh_ctx *c, int node, unsigned ac, unsigned sc);

/** After /board: reports what the board must have and the back end did not find. */
void be_board_end(struct bh_ctx *c);

/**
 * Parses a /board/cpus/cpu@ node (properties, its hardware id in @cpu->arch;
 * @ac is 0 when the cpus node's cells are unusable); the front end has
 * checked the node name. PROP_OK; PROP_BAD after an error; PROP_ABSENT
 * (after an error) when the node has no usable id and is left out.
 */
int be_parse_cpu(struct bh_ctx *c, int node, const char *path, unsigned ac, struct bh_cpu *cpu);

/** True when @irq is an interrupt id of this architecture; otherwise reports it. */
bool be_irq_id(struct bh_ctx *c, const char *path, uint32_t irq);

/**
 * The interrupt controller's ranges that no RAM or device may overlap, for
 * the board's overlap check; returns how many it wrote (at most
 * BE_MAX_IRQC_RANGES). Checks each range and may invalidate the controller.
 */
unsigned be_board_ranges(struct bh_ctx *c, struct bh_named_range *out);

/** Board checks that need the whole board (e.g. a frame per cpu). */
void be_validate_board(struct bh_ctx *c);

/** Reports a board RAM range this board model cannot have; false when reported. */
bool be_board_ram(struct bh_ctx *c, const char *path, struct bh_range r);

/**
 * The ranges the hypervisor maps for itself besides its image and partition
 * RAM (the interrupt controller's). Returns how many (at most BE_MAX_IRQC_RANGES).
 */
unsigned be_hyp_ranges(const struct bh_system *sys, struct bh_range *out);

/* ---- partitions ---- */

/** Parses the back end's partition properties (be_partition_props). */
void be_parse_partition(struct bh_ctx *c, struct bh_partition *p, int node);

/** True when @irq of device @d may be given to a partition; otherwise reports it. */
bool be_irq_assignable(struct bh_ctx *c, const struct bh_partition *p, const struct bh_device *d, uint32_t irq);

/**
 * True when @irq can be a doorbell (@level false) or an emulated device's
 * interrupt (@level true) raised in partition @p: a purely virtual
 * interrupt that none of its devices owns. Otherwise reports it at @path,
 * @prop. Several doorbells of one partition may share an id.
 */
bool be_doorbell_valid(struct bh_ctx *c, const struct bh_partition *p, const char *path, const char *prop,
		       uint32_t irq, bool level);

/**
 * Checks an emulated 16550's console-address (its first I/O port) and
 * console-interrupt (its pin) in partition @p, reporting what is wrong.
 * Called only where be_emulated_console is CFG_CONSOLE_NS16550.
 */
void be_check_port_console(struct bh_ctx *c, const struct bh_partition *p);

/** Adds the regions the architecture gives every partition (after its devices). */
void be_partition_regions(struct bh_ctx *c, struct bh_partition *p);

/** The emulated windows partition @p sees; returns how many (at most BE_MAX_WINDOWS). */
unsigned be_guest_windows(const struct bh_system *sys, const struct bh_partition *p, struct be_window *out);

/** Checks between partitions (after devices and interrupts are assigned). */
void be_validate_partitions(struct bh_ctx *c);

/**
 * Counts the pages of every table pool the hypervisor allocates from
 * (sys->s2_pages, each partition's s2_pages, sys->el2_pages), reporting a
 * mapping the hypervisor's builder would refuse.
 */
void be_count_pools(struct bh_ctx *c);

/* ---- the guest description (dtb-address) ---- */

/** Reports what would clash with the generated guest description (an x86 bzImage: may set its entry). */
void be_check_guest_desc(struct bh_ctx *c, struct bh_partition *p);

/**
 * Writes partition @p's guest description into @buf. Returns its size, or a
 * negative number when it does not fit @bufsize.
 */
int be_guest_desc_build(const struct bh_system *sys, const struct bh_partition *p, void *buf, int bufsize);

/* ---- outputs ---- */

/** system.mk: the architecture's variables. */
void be_emit_mk(FILE *f, const struct bh_system *sys);

/** config.c: the `.arch = { ... }` of cfg_system, a cfg_cpu and a cfg_partition (one line each). */
void be_emit_c_system(FILE *f, const struct bh_system *sys);
void be_emit_c_cpu(FILE *f, const struct bh_cpu *cpu);
void be_emit_c_partition(FILE *f, const struct bh_partition *p);

/** The cpu's hardware id as the report shows it ("0x100"), and its name ("MPIDR"). */
const char *be_cpu_id_text(const struct bh_cpu *cpu, char *buf, size_t len);
extern const char *const be_cpu_id_title;

/** isolation.md: the interrupt controller's row of the board table. */
void be_report_board(FILE *f, const struct bh_system *sys);

/** isolation.md: the table pools' rows of the board table. */
void be_report_pools(FILE *f, const struct bh_system *sys);

/** isolation.md: the architecture's rows of a partition's table. */
void be_report_partition(FILE *f, const struct bh_partition *p);

/** isolation.md: the interrupt controller's row of the device table. */
void be_report_irqc(FILE *f, const struct bh_system *sys);

/** isolation.md: the interrupts section's note on per-cpu interrupts, and what an interrupt id is called. */
extern const char *const be_irq_note;
extern const char *const be_irq_title;

/** isolation.md: the risks the description accepts; returns how many it listed. */
unsigned be_report_risks(FILE *f, const struct bh_system *sys);

#endif /* BHCC_BACKEND_H */
