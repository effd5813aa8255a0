/* SPDX-License-Identifier: MIT */
/*
 * Types of the constant system tables.
 *
 * tools/configc generates one `const struct cfg_system cfg_system` from the
 * system description; the hypervisor reads it and never writes it. This
 * header is the contract between the two: it is included by both, so it
 * uses only <stdint.h>.
 *
 * It holds what every architecture has (partitions, cpus, memory, devices,
 * interrupts as plain ids, the console, policies). What only one
 * architecture has (its interrupt controller, its cpu ids, how interrupts
 * are delivered) is that architecture's cfg_arch.h, embedded here as the
 * `arch` members; bhcc's back end for the architecture fills them in.
 */
#ifndef BULKHEAD_CFG_H
#define BULKHEAD_CFG_H

#include <stdint.h>
#include "cfg_base.h"
/* The architecture's part of the contract: struct cfg_arch_system,
 * cfg_arch_cpu and cfg_arch_partition (arch/<arch>/include/cfg_arch.h). */
#include "cfg_arch.h"

#define CFG_ACCESS_R 0x1u
#define CFG_ACCESS_W 0x2u
#define CFG_ACCESS_X 0x4u

/**
 * What a partition region maps: its own RAM, a passed-through device, or
 * RAM it shares with other partitions (a /shared-memory region; mapped like
 * RAM, Normal write-back inner-shareable, never executable, with the rights
 * the description gives this partition, and never by the hypervisor).
 */
enum cfg_region_kind {
	CFG_REGION_RAM = 0,
	CFG_REGION_DEVICE = 1,
	CFG_REGION_SHARED = 2,
};

/** One contiguous guest-physical range and where it lives in host memory. */
struct cfg_region {
	uint64_t ipa;     /* guest-physical base, 4 KiB aligned */
	uint64_t pa;      /* host-physical base, 4 KiB aligned */
	uint64_t size;    /* bytes, non-zero multiple of 4 KiB */
	uint8_t access;   /* CFG_ACCESS_* */
	uint8_t kind;     /* enum cfg_region_kind */
};

/** A blob copied into a partition's memory each time the partition starts. */
struct cfg_blob {
	uint64_t pa;           /* host-physical address of its pristine copy in the image store */
	uint64_t size;         /* 0: no blob */
	uint64_t ipa;          /* where it is copied */
	/* Non-zero (images only): the boot flow also places the image at ipa for
	 * the first start, followed at the next 8-byte boundary by this value,
	 * which the hypervisor checks and erases (docs/boot.md). */
	uint64_t placed_tag;
};

enum cfg_fault_policy {
	CFG_FAULT_STOP = 0,     /* stop the partition, log the event */
	CFG_FAULT_RESTART = 1,  /* log, then restart the partition from its image */
};

/** A virtual interrupt raised in a vCPU of another partition each time this one restarts. */
struct cfg_notify {
	uint8_t partition;             /* index into cfg_system.partitions */
	uint8_t vcpu;                  /* its vCPU */
	uint16_t virq;                 /* the virtual interrupt (arch_virq_valid) */
};

/** What a partition prints and reads through (its `console` property). */
enum cfg_console_kind {
	CFG_CONSOLE_NONE = 0,      /* only the debug-console hypercall (into the hypervisor's log) */
	CFG_CONSOLE_CHANNEL = 1,   /* a console channel to the service partition it maps itself */
	CFG_CONSOLE_PL011 = 2,     /* an emulated PL011 in its address space; the hypervisor moves the bytes */
	CFG_CONSOLE_NS16550 = 3,   /* an emulated 16550 at its I/O ports (x86); the hypervisor moves the bytes */
};

/** A partition's console, when it has one. */
struct cfg_partition_console {
	uint8_t kind;              /* enum cfg_console_kind */
	uint8_t channel;           /* its console channel: index into cfg_system.channels */
	uint16_t irq;              /* emulated UART: its interrupt line (PL011: a virtual SPI; 16550: an ISA pin) */
	uint64_t ipa;              /* emulated UART: PL011: its guest-physical base (4 KiB); 16550: its first I/O port */
};

/** Room for the counter's rate in kHz in decimal (below 10^10 kHz: 10 THz). */
#define CFG_COUNTER_KHZ_DIGITS 10u

/** Bytes of /chosen/rng-seed (Linux mixes in any length; 64 is what QEMU and U-Boot pass). */
#define CFG_RNG_SEED_SIZE 64u

/**
 * A partition's virtual disk (a /disks client, docs/disk.md): a virtio-mmio
 * block device the hypervisor emulates at `ipa`, served by the service
 * partition from a slice of the board's disk over channel `channel`.
 */
struct cfg_partition_disk {
	uint8_t present;           /* 1: the partition is a disk client */
	uint8_t window;            /* 1: window mode (the driver must accept VIRTIO_F_ACCESS_PLATFORM) */
	uint8_t channel;           /* its CFG_CHANNEL_DISK channel */
	uint16_t irq;              /* the device's virtual interrupt */
	uint64_t ipa;              /* the virtio-mmio frame's guest-physical base (4 KiB) */
	uint64_t sectors;          /* the slice's size in 512-byte sectors (the device's capacity) */
};

struct cfg_partition {
	const char *name;
	uint32_t n_vcpus;
	const uint8_t *vcpu_cpu;       /* vCPU index -> physical core index; vCPU 0 boots */
	uint64_t entry;                /* IPA where vCPU 0 starts */
	struct cfg_blob image;
	/* What the guest learns its machine from (arm64: a device tree); vCPU 0
	 * starts with its IPA as first argument (cfg_arch.h: the boot protocol). */
	struct cfg_blob boot_info;
	struct cfg_blob initrd;        /* an initial RAM disk (size 0: none); the guest learns it from boot_info */
	/* Offsets in boot_info of its /chosen placeholder properties (their
	 * FDT_PROP tokens) that the hypervisor fills with entropy at each boot,
	 * or removes when the board has none (core/seed.c); 0: none. */
	uint32_t kaslr_seed;           /* "kaslr-seed": 8 bytes */
	uint32_t rng_seed;             /* "rng-seed": CFG_RNG_SEED_SIZE bytes */
	/* Offset in boot_info of CFG_COUNTER_KHZ_DIGITS spaces where the
	 * hypervisor writes its counter's calibrated rate in kHz, in decimal,
	 * at each start (core/counter_rate.c: x86 Linux's tsc_early_khz=); 0: none. */
	uint32_t counter_khz;
	uint32_t n_regions;
	const struct cfg_region *regions;
	uint32_t n_irqs;
	const uint32_t *irqs;          /* interrupt ids owned (from passthrough devices), ascending */
	uint8_t fault_policy;          /* enum cfg_fault_policy */
	uint8_t scrub_on_restart;      /* 1: a restart zeroes its writable RAM first (REQ-CPU-015) */
	struct cfg_arch_partition arch;
	uint32_t n_restart_notify;
	const struct cfg_notify *restart_notify;   /* whom to tell when it has restarted */
	struct cfg_partition_console console;
	uint8_t service_control;       /* 1: the service partition may stop and restart it */
	struct cfg_partition_disk disk;
};

#define CFG_NO_PARTITION 0xffu

/** A physical core of the board and the one vCPU it runs. */
struct cfg_cpu {
	/* First: the interrupt path reads the cpu's hardware id (arm64: its MPIDR)
	 * with one scaled load from the table. */
	struct cfg_arch_cpu arch;
	uint8_t partition;     /* index into cfg_system.partitions, or CFG_NO_PARTITION */
	uint8_t vcpu;          /* vCPU index inside that partition */
};

/** The hypervisor's console device (its driver is chosen at link time, BH_CONSOLE). */
struct cfg_console {
	uint64_t base;
	uint64_t size;
	uint8_t reg_shift;      /* NS16550: register i is at base + (i << reg_shift) */
	uint8_t reg_io_width;   /* NS16550: each access is 1 or 4 bytes wide */
};

/** Who sits at one end of a channel. */
enum cfg_end_kind {
	CFG_END_PARTITION = 0,     /* a partition that maps the channel */
	CFG_END_HYPERVISOR = 1,    /* the hypervisor (its log, or a partition's emulated UART) */
};

#define CFG_NO_DOORBELL 0xffffu

/** One end of a channel. */
struct cfg_channel_end {
	uint8_t kind;              /* enum cfg_end_kind */
	/* CFG_END_PARTITION: the partition at this end. CFG_END_HYPERVISOR: the
	 * partition whose emulated UART it is, or CFG_NO_PARTITION (the log). */
	uint8_t partition;
	uint8_t vcpu;              /* the vCPU whose doorbell rings */
	uint16_t doorbell;         /* virtual interrupt raised when the peer rings, or CFG_NO_DOORBELL */
	uint64_t ipa;              /* CFG_END_PARTITION: where that partition sees the channel */
};

/** What a channel carries (the memory layout is the same for all; include/bulkhead/channel.h). */
enum cfg_channel_kind {
	CFG_CHANNEL_DATA = 0,      /* declared in /channels: the partitions' business */
	CFG_CHANNEL_CONSOLE = 1,   /* a partition's console to the service partition (end[1]) */
	CFG_CHANNEL_LOG = 2,       /* the hypervisor's log (end[0]) to the service partition (end[1]) */
	CFG_CHANNEL_DISK = 3,      /* a client's emulated disk (end[0], the hypervisor) to the service partition (bulkhead/disk.h) */
};

/**
 * Memory two ends share, and a doorbell each way. One-way: end[0] sends.
 * Two-way: the first half carries end[0] -> end[1], the second the reverse.
 * Each direction is one receiver page (writable by the receiver only) and
 * the sender's pages after it (writable by the sender only).
 */
struct cfg_channel {
	const char *name;
	uint64_t pa;               /* host-physical base, 4 KiB aligned */
	uint64_t size;             /* bytes, a multiple of 4 KiB (two-way: of 8 KiB) */
	uint8_t kind;              /* enum cfg_channel_kind */
	uint8_t one_way;           /* 1: only end[0] sends */
	struct cfg_channel_end end[2];
};

struct cfg_system {
	struct cfg_console console;
	uint32_t n_cpus;
	const struct cfg_cpu *cpus;
	uint32_t n_partitions;
	const struct cfg_partition *partitions;
	uint8_t service;               /* the service partition, or CFG_NO_PARTITION */
	uint8_t log_channel;           /* its CFG_CHANNEL_LOG channel (valid when service is) */
	uint32_t n_channels;
	const struct cfg_channel *channels;
	/* The image store: pristine images and guest device trees, loaded by the boot
	 * flow beside the hypervisor; no partition maps it, the hypervisor only reads it. */
	uint64_t store_pa;
	uint64_t store_size;
	struct cfg_arch_system arch;
};

/** The system, generated from the system description. */
extern const struct cfg_system cfg_system;

#endif /* BULKHEAD_CFG_H */
