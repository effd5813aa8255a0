/* SPDX-License-Identifier: MIT */
/*
 * bhcc's in-memory model of a system description.
 *
 * Every table is a fixed-size array: the generated hypervisor tables are
 * fixed too, and a description that exceeds a bound gets a clear error
 * instead of an allocation failure somewhere later.
 */
#ifndef BHCC_MODEL_H
#define BHCC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BHCC_MAX_CPUS 64          /* cfg_partition.cpu_mask has 64 bits */
#define BHCC_MAX_PARTITIONS 64     /* cfg_cpu.partition is a uint8_t, 0xff = none */
#define BHCC_MAX_REGIONS 48        /* per partition: RAM, device, shared-memory and channel regions together */
#define BHCC_MAX_SHARED 16         /* shared-memory regions */
#define BHCC_MAX_CHANNELS 64       /* declared and generated; cfg indexes them with a uint8_t */
#define BHCC_MAX_RAM 8             /* board memory ranges */
#define BHCC_MAX_DEVICES 64        /* board devices */
#define BHCC_MAX_DEV_REGS 8        /* MMIO ranges per device */
#define BHCC_MAX_DEV_IRQS 16       /* interrupts per device */
#define BHCC_MAX_PART_DEVICES 16   /* passthrough devices per partition */
#define BHCC_MAX_DISKS 4           /* /disks children */
#define BHCC_MAX_DISK_CLIENTS 16   /* clients of one disk */
#define BHCC_MAX_IRQS 64           /* interrupts owned per partition (arm64's vGIC: VGIC_MAX_SPIS) */
#define BHCC_NAME_MAX 31           /* partition name length */
#define BHCC_HYP_NAME "bulkhead"   /* the hypervisor's console prefix, no partition's name */
#define BHCC_PATH_MAX 256          /* device tree node path */
#define BHCC_FILE_MAX 1024         /* file system path */
#define BHCC_STR_MAX 256           /* compatible lists, program names, model */
#define BHCC_BOOTARGS_MAX 1024

#define BHCC_PAGE UINT64_C(0x1000)
#define BHCC_2M UINT64_C(0x200000)
#define BHCC_1G UINT64_C(0x40000000)

/* Owner of a core, device or interrupt: a partition index, or one of these. */
#define BHCC_OWNER_NONE (-1)
#define BHCC_OWNER_HYP (-2)

/** A [base, base + size) range of addresses. */
struct bh_range {
	uint64_t base;
	uint64_t size;
};

/** A range and what it is, for messages. */
struct bh_named_range {
	const char *path;
	const char *what;
	struct bh_range r;
};

/* The back end's part of the model: struct bh_arch_board, bh_arch_cpu and
 * bh_arch_partition, and BH_ARCH_MAX_IRQ, its highest interrupt id
 * (tools/configc/<arch>/model_arch.h). */
#include "model_arch.h"

/** A board core: `/board/cpus/cpu@N`. Its index is its position among the cpu nodes. */
struct bh_cpu {
	char path[BHCC_PATH_MAX];
	int offset;
	int owner;            /* partition index or BHCC_OWNER_NONE */
	unsigned vcpu;
	struct bh_arch_cpu arch;
};

/** A board device node (anything under /board that is not RAM, cpus or the GIC). */
struct bh_device {
	char path[BHCC_PATH_MAX];
	char name[BHCC_PATH_MAX];               /* node name with unit address */
	int offset;
	char compatible[BHCC_STR_MAX];          /* raw string list, NUL separated */
	size_t compatible_len;
	unsigned n_regs;
	struct bh_range regs[BHCC_MAX_DEV_REGS];
	unsigned n_irqs;
	uint32_t irqs[BHCC_MAX_DEV_IRQS];
	bool ports;                             /* reg is I/O ports (set by the back end): never mapped, any alignment */
	bool has_reg_shift, has_reg_io_width;   /* written in the description */
	uint32_t reg_shift;                     /* register i at reg[0] + (i << reg_shift); 0 */
	uint32_t reg_io_width;                  /* bytes per register access; 1 */
	bool valid;                             /* parsed without error */
	int owner;                              /* partition, BHCC_OWNER_HYP or BHCC_OWNER_NONE */
};

struct bh_board {
	char path[BHCC_PATH_MAX];
	int offset;
	char compatible[BHCC_STR_MAX];          /* first string, for the report */
	bool qemu_virt;                         /* compatible lists "qemu,virt" */
	unsigned n_ram;
	struct bh_range ram[BHCC_MAX_RAM];
	char ram_path[BHCC_MAX_RAM][BHCC_PATH_MAX];
	unsigned n_cpus;
	struct bh_cpu cpus[BHCC_MAX_CPUS];
	bool cpus_valid;                        /* every cpu node parsed */
	char irqc_path[BHCC_PATH_MAX];          /* the interrupt controller, "" when none */
	int irqc_offset;
	unsigned n_devices;
	struct bh_device devices[BHCC_MAX_DEVICES];
	struct bh_arch_board arch;
};

/** The console drivers the hypervisor has; system.mk names the one to link. */
enum bh_console_kind {
	BH_CONSOLE_NONE = 0,
	BH_CONSOLE_PL011 = 1,
	BH_CONSOLE_NS16550 = 2,
	BH_CONSOLE_CADENCE = 3,
	BH_CONSOLE_IMX = 4,
};

struct bh_hyp {
	char path[BHCC_PATH_MAX];
	bool valid;                             /* reg parsed and usable for checks */
	struct bh_range reg;
	int console;                            /* board device index, -1 when none */
	uint8_t console_kind;                   /* enum bh_console_kind */
};

/** One partition region: a `memory@` child (RAM) or a passthrough device range. */
struct bh_region {
	char path[BHCC_PATH_MAX];
	uint64_t ipa;
	uint64_t size;
	uint64_t pa;
	uint8_t access;                         /* CFG_ACCESS_* */
	uint8_t kind;                           /* enum cfg_region_kind */
	bool valid;                             /* ipa and size passed their checks */
	bool has_host;                          /* host-address written in the description */
	bool placed;                            /* pa is valid (explicit and checked, or auto-placed) */
	int device;                             /* board device index for device regions, else -1 */
	int shared;                             /* sys->shared index for shared-memory regions, else -1 */
	int channel;                            /* sys->channels index for channel regions, else -1 */
	bool lent;                              /* trusted-service disk mode: another partition's RAM */
	int lent_from;                          /* ... that partition */
	unsigned lent_region;                   /* ... and which of its RAM regions */
	uint64_t channel_off;                   /* ... and where in the channel it starts */
	int offset;                             /* its node, for document order (RAM and shared only) */
};

struct bh_partition {
	char name[BHCC_NAME_MAX + 1];
	char sym[BHCC_NAME_MAX + 1];            /* name usable as a C identifier */
	char path[BHCC_PATH_MAX];
	int offset;
	unsigned n_vcpus;
	uint8_t vcpu_cpu[BHCC_MAX_CPUS];
	char program[BHCC_STR_MAX];             /* empty for prebuilt images */
	char image[BHCC_FILE_MAX];              /* as written, empty for programs */
	char image_file[BHCC_FILE_MAX];         /* the file pass 2 embeds */
	bool has_entry;
	uint64_t entry;
	bool has_load;                          /* load-address written in the description */
	uint64_t load;                          /* = entry when load-address is absent */
	bool valid_name;                        /* name follows the naming rule */
	uint8_t fault_policy;                   /* enum cfg_fault_policy */
	bool scrub_on_restart;                  /* `scrub-on-restart`: writable RAM zeroed for a new life */
	unsigned n_devices;
	unsigned devices[BHCC_MAX_PART_DEVICES];
	bool has_dtb;
	uint64_t dtb_ipa;
	uint64_t dtb_size;                      /* generated guest device tree, when has_dtb */
	uint32_t kaslr_seed;                    /* offset of its /chosen/kaslr-seed property (0: none) */
	uint32_t rng_seed;                      /* offset of its /chosen/rng-seed property (0: none) */
	uint32_t counter_khz;                   /* offset of the counter rate's room in its boot info (0: none) */
	bool has_bootargs;
	char bootargs[BHCC_BOOTARGS_MAX];
	unsigned n_ram;                         /* regions[0 .. n_ram) are RAM */
	unsigned n_regions;
	struct bh_region regions[BHCC_MAX_REGIONS];
	unsigned n_irqs;
	uint32_t irqs[BHCC_MAX_IRQS];           /* ascending */
	bool has_image_size;                    /* pass 2 only */
	uint64_t image_size;
	uint64_t image_extent;                  /* what it occupies from load: its size, or an arm64 Image's image_size (pass 2) */
	uint64_t image_slot_pa;                 /* its pristine copy in the image store */
	uint64_t image_slot_size;               /* room for it there (both passes) */
	uint64_t placed_tag;                    /* pass 2, non-zero: the image is also placed where it runs */
	uint64_t placed_pa;                     /* ... at this host address, */
	uint64_t placed_size;                   /* ... the image, zeros to an 8-byte boundary, the tag */
	uint64_t dtb_slot_pa;                   /* the guest device tree's, when has_dtb */
	bool has_initrd;                        /* `initrd` */
	char initrd[BHCC_FILE_MAX];             /* as written */
	char initrd_file[BHCC_FILE_MAX];        /* resolved like a prebuilt image */
	uint64_t initrd_size;                   /* its size (both passes) */
	uint64_t initrd_ipa;                    /* at the top of the RAM region holding load-address */
	uint64_t initrd_slot_pa;                /* its pristine copy in the image store */
	unsigned s2_pages;
	struct bh_arch_partition arch;
	bool service;                           /* the service partition (`service`) */
	bool service_control;                   /* `service-control` */
	uint8_t console;                        /* enum cfg_console_kind (`console`) */
	int console_channel;                    /* its console channel, -1 when none */
	bool has_console_doorbell;
	uint32_t console_doorbell;              /* `console-doorbell` */
	bool has_console_address;
	uint64_t console_address;               /* `console-address` (pl011: guest address; ns16550: I/O port) */
	bool has_console_irq;
	uint32_t console_irq;                   /* `console-interrupt` (pl011: virtual SPI; ns16550: ISA pin) */
	unsigned n_channel_ends;                /* channel ends it maps, for the guest device tree */
	int disk;                               /* the disk it is a client of (sys->disks index), -1 when none */
	int disk_client;                        /* ... and which client it is there */
	bool no_dtb_reported;                   /* a generated channel reported its missing dtb-address */
};

/** One partition's mapping of a shared-memory region: a child of the region's node. */
struct bh_mapper {
	char path[BHCC_PATH_MAX];
	int partition;                          /* index, -1 when no partition has the node's name */
	uint64_t ipa;                           /* guest-address */
	uint8_t access;                         /* CFG_ACCESS_R, or with CFG_ACCESS_W */
	bool valid;                             /* guest-address and access passed their checks */
};

/** A region of host RAM that several partitions map: /shared-memory/<name>. */
struct bh_shared {
	char name[BHCC_NAME_MAX + 1];
	char path[BHCC_PATH_MAX];
	int offset;
	uint64_t size;
	uint64_t pa;
	bool valid;                             /* size passed its checks */
	bool has_host;                          /* host-address written in the description */
	bool placed;                            /* pa is valid */
	unsigned n_mappers;
	struct bh_mapper mappers[BHCC_MAX_PARTITIONS];
};

/** One end of a channel: a child of the channel's node, or one bhcc made. */
struct bh_chan_end {
	char path[BHCC_PATH_MAX];               /* its node; a generated end: its partition's node */
	const char *doorbell_prop;              /* the property that gives its doorbell, for messages */
	uint8_t kind;                           /* enum cfg_end_kind */
	int partition;                          /* index, -1 when unknown (CFG_END_HYPERVISOR: the UART's, or -1) */
	uint32_t vcpu;                          /* doorbell-vcpu */
	bool has_doorbell;
	uint32_t doorbell;                      /* raised in this end when the peer rings */
	bool has_ipa;                           /* guest-address written */
	uint64_t ipa;                           /* where the partition sees the channel (placed when not written) */
	bool valid;                             /* named a partition and its properties parsed */
};

/** A channel: /channels/<name>, or a console or log channel bhcc made (include/bulkhead/channel.h). */
struct bh_channel {
	char name[BHCC_NAME_MAX + 9];           /* generated: "console-<partition>", "log" */
	char path[BHCC_PATH_MAX];               /* its node; generated: the partition whose property made it */
	int offset;                             /* document order; generated ones come after every node */
	uint8_t kind;                           /* enum cfg_channel_kind */
	bool one_way;                           /* end[0] sends only */
	uint64_t size;
	uint64_t pa;
	bool valid;                             /* size passed its checks */
	bool has_host;
	bool placed;
	struct bh_chan_end end[2];
};

/** How the service partition reaches a disk client's buffers (docs/disk.md). */
enum bh_disk_mode {
	BH_DISK_WINDOW = 0,                     /* in a shared-memory window both map */
	BH_DISK_TRUSTED = 1,                    /* the service partition maps the client's RAM */
};

/** A client of a disk: a child of its node, named after the partition. */
struct bh_disk_client {
	char path[BHCC_PATH_MAX];
	int partition;                          /* index, -1 when unknown */
	uint64_t lba;                           /* first sector of its slice */
	uint64_t sectors;                       /* sectors in its slice */
	uint8_t mode;                           /* enum bh_disk_mode */
	int window;                             /* window mode: sys->shared index, -1 when none */
	uint64_t client_window;                 /* ... where the client maps it */
	uint64_t service_window;                /* ... where the service partition maps it */
	bool has_service_address;
	uint64_t service_address;               /* trusted-service: where the service partition sees the client's RAM */
	uint64_t address;                       /* the emulated virtio-mmio frame in the client */
	uint32_t irq;                           /* its interrupt */
	int channel;                            /* its disk channel, -1 before one is made */
	bool valid;                             /* its properties parsed */
};

/** A block device of the board the service partition serves in slices: /disks/<name>. */
struct bh_disk {
	char name[BHCC_NAME_MAX + 1];
	char path[BHCC_PATH_MAX];
	int device;                             /* board device index, -1 when unknown */
	bool has_sectors;
	uint64_t sectors;                       /* the disk's size, when the description gives it */
	unsigned n_clients;
	struct bh_disk_client clients[BHCC_MAX_DISK_CLIENTS];
	bool valid;
};

struct bh_system {
	bool has_model;
	char model[BHCC_STR_MAX];
	struct bh_board board;
	struct bh_hyp hyp;
	unsigned n_partitions;
	struct bh_partition partitions[BHCC_MAX_PARTITIONS];
	unsigned n_shared;
	struct bh_shared shared[BHCC_MAX_SHARED];
	unsigned n_channels;
	struct bh_channel channels[BHCC_MAX_CHANNELS];
	unsigned n_disks;
	struct bh_disk disks[BHCC_MAX_DISKS];
	int service;                            /* the service partition, -1 when none */
	bool hyp_console_shared;                /* the service partition owns the hypervisor's console device */
	int log_channel;                        /* its log channel, -1 when none */
	unsigned s2_pages;                      /* all partitions; valid after a clean validation */
	unsigned el2_pages;                     /* the hypervisor's EL2 map, likewise */
	struct bh_range store;                  /* the image store (place.c); size 0 when not placed */
};

#endif /* BHCC_MODEL_H */
