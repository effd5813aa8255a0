/* SPDX-License-Identifier: MIT */
/*
 * DMA isolation with Intel VT-d's DMA remapping, where the board describes
 * the unit (cfg_system.arch.iommu of kind CFG_X86_IOMMU_VTD, iommu.c;
 * QEMU's `-device intel-iommu` on q35, its registers at 0xfed90000). It is
 * set up when the first partition with an assigned PCI function starts and
 * stays on, in legacy mode: the root table's bus 0 entry points to one
 * context table, the board's only bus; a requester without a present
 * context entry is blocked, and its DMA recorded as a fault. An assigned
 * function's context entry translates its bus addresses, which are its
 * partition's guest-physical addresses, through second-level tables of
 * three levels (39-bit bus addresses, which every VT-d unit and QEMU's
 * default supports) built from the partition's RAM regions (iopt.c: 2 MiB
 * pages; read always, write where the partition may write), its domain
 * being the partition's.
 *
 * Every change of the tables is followed by register-based global
 * invalidation of the context cache and the IOTLB, waited for: queued
 * invalidation buys nothing for tables that change once per assigned
 * function at start-up. Fault events are not signalled (the fault event
 * interrupt stays masked: the hypervisor takes no device interrupts); the
 * fault recording registers are read instead whenever the owner of a
 * function next reaches its configuration space, or restarts
 * (x86_iommu_poll), and each fault is counted and logged.
 */
#include "cfg.h"
#include "log.h"
#include "partition.h"
#include "spinlock.h"
#include "x86.h"

#define REG_CAP 0x08u
#define REG_ECAP 0x10u
#define REG_GCMD 0x18u
#define REG_GSTS 0x1cu
#define REG_RTADDR 0x20u
#define REG_CCMD 0x28u
#define REG_FSTS 0x34u
#define REG_FECTL 0x38u

#define CAP_SAGAW_39 (1ULL << 9)            /* three-level second-level tables */
#define CAP_FRO_SHIFT 24u                    /* the first fault recording register / 16 */
#define CAP_NFR_SHIFT 40u                    /* fault recording registers - 1 */
#define ECAP_COHERENT 0x1ULL                 /* the unit snoops the caches on its table walks */
#define ECAP_IRO_SHIFT 8u                    /* the IOTLB registers / 16 */
#define GCMD_TE 0x80000000u
#define GCMD_SRTP 0x40000000u
#define GSTS_TES 0x80000000u
#define GSTS_RTPS 0x40000000u
#define GSTS_PERSISTENT 0x96ffffffu          /* the enables a command write must repeat; one-shot bits masked */
#define CCMD_ICC (1ULL << 63)
#define CCMD_GLOBAL (1ULL << 61)
#define IOTLB_IVT (1ULL << 63)
#define IOTLB_GLOBAL (1ULL << 60)
#define FSTS_PFO 0x1u
#define FSTS_PPF 0x2u
#define FSTS_FRI(fsts) (((fsts) >> 8) & 0xffu)
#define FECTL_IM 0x80000000u                 /* fault events masked */
#define FRCD_F (1ULL << 63)
#define FRCD_READ (1ULL << 62)
#define FRCD_REASON(hi) ((uint32_t)(((hi) >> 32) & 0xffu))
#define FRCD_SID(hi) ((uint32_t)((hi) & 0xffffu))

#define ROOT_PRESENT 0x1ULL
#define CONTEXT_PRESENT 0x1ULL               /* translation type 0: second-level tables, faults reported */
#define CONTEXT_AW_39 0x1ULL
#define CONTEXT_DID_SHIFT 8u
#define SL_READ 0x1ULL
#define SL_WRITE 0x2ULL
#define SL_PAGE 0x80ULL                      /* a level-2 entry that is a 2 MiB page */
#define TABLE_ADDR 0x000ffffffffff000ULL

#define BUS0_DEVFNS 256u
#define POLL_LIMIT 10000000u
#define FAULTS_LOGGED 16u                    /* then counted only: a partition's DMA must not flood the log */

static uint64_t context_table[BUS0_DEVFNS][2] __attribute__((aligned(4096), section(".noload.vtd")));
static bool vtd_enabled;
static uint32_t fault_offset;   /* the first fault recording register */
static uint32_t fault_records;
static uint32_t iotlb_offset;   /* the IOTLB invalidate register */
static uint32_t faults;
static struct spinlock vtd_lock = SPINLOCK_INIT;

/* A command the unit completes by itself; one that never does refuses the boot. */
static void wait_for(uint32_t offset, uint64_t mask, uint64_t want, const char *what)
{
	uint32_t n = 0u;

	while (((x86_iommu_read64(offset) & mask) != want) && (n < POLL_LIMIT)) {
		n++;
	}
	if (n == POLL_LIMIT) {
		panic("VT-d at 0x%lx: %s did not complete", cfg_system.arch.iommu.base, what);
	}
}

static void global_command(uint32_t command, uint32_t status, const char *what)
{
	uint32_t keep = x86_iommu_read32(REG_GSTS) & GSTS_PERSISTENT;

	x86_iommu_write32(REG_GCMD, keep | command);
	wait_for(REG_GSTS, status, status, what);
}

/* Implements: REQ-DEV-005 */
static void invalidate(void)
{
	uint64_t ecap = x86_iommu_read64(REG_ECAP);

	if ((ecap & ECAP_COHERENT) == 0u) {
		__asm__ volatile("wbinvd" : : : "memory");   /* its table walks do not snoop: the tables in memory first */
	}
	x86_iommu_write64(REG_CCMD, CCMD_ICC | CCMD_GLOBAL);
	wait_for(REG_CCMD, CCMD_ICC, 0u, "context-cache invalidation");
	x86_iommu_write64(iotlb_offset, IOTLB_IVT | IOTLB_GLOBAL);
	wait_for(iotlb_offset, IOTLB_IVT, 0u, "IOTLB invalidation");
}

/* Implements: REQ-DEV-005 */
static void vtd_enable(void)
{
	static uint64_t root_table[256][2] __attribute__((aligned(4096), section(".noload.vtd")));
	uint64_t cap = x86_iommu_read64(REG_CAP);
	uint64_t ecap = x86_iommu_read64(REG_ECAP);

	if ((cap & CAP_SAGAW_39) == 0u) {
		panic("VT-d at 0x%lx: no three-level second-level tables (CAP 0x%lx)", cfg_system.arch.iommu.base, cap);
	}
	fault_offset = (uint32_t)((cap >> CAP_FRO_SHIFT) & 0x3ffULL) * 16u;
	fault_records = (uint32_t)((cap >> CAP_NFR_SHIFT) & 0xffULL) + 1u;
	iotlb_offset = ((uint32_t)((ecap >> ECAP_IRO_SHIFT) & 0x3ffULL) * 16u) + 8u;
	root_table[0][0] = ROOT_PRESENT | pa_from_ptr(context_table).pa;
	x86_iommu_write32(REG_FECTL, FECTL_IM);
	x86_iommu_write64(REG_RTADDR, pa_from_ptr(root_table).pa);   /* legacy mode */
	global_command(GCMD_SRTP, GSTS_RTPS, "setting the root table");
	invalidate();
	global_command(GCMD_TE, GSTS_TES, "enabling translation");
}

bool vtd_active(void)
{
	return __atomic_load_n(&vtd_enabled, __ATOMIC_ACQUIRE);
}

/* Implements: REQ-DEV-005 */
void vtd_assign(const struct partition *p, uint32_t bdf)
{
	static const struct x86_iopt_format vtd_format = {
		.table = SL_READ | SL_WRITE,
		.leaf = SL_READ | SL_PAGE,
		.write = SL_WRITE,
	};

	if (bdf < BUS0_DEVFNS) {
		uint64_t root = x86_iopt_build(p, &vtd_format);

		spin_lock(&vtd_lock);
		context_table[bdf][1] = CONTEXT_AW_39 | (((uint64_t)p->id + 1U) << CONTEXT_DID_SHIFT);
		context_table[bdf][0] = CONTEXT_PRESENT | (root & TABLE_ADDR);
		if (!vtd_active()) {
			vtd_enable();
			__atomic_store_n(&vtd_enabled, true, __ATOMIC_RELEASE);
		} else {
			invalidate();
		}
		spin_unlock(&vtd_lock);
	} else {
		panic("PCI %x:%x.%x: the IOMMU's context table covers bus 0 only", bdf >> 8, (bdf >> 3) & 0x1fu, bdf & 7u);
	}
}

/* One fault recording register: counted, logged while few, freed for the next fault. */
/* Implements: REQ-DEV-006 */
static void take_record(uint32_t offset)
{
	uint64_t hi = x86_iommu_read64(offset + 8u);

	if ((hi & FRCD_F) != 0u) {
		uint64_t address = x86_iommu_read64(offset) & TABLE_ADDR;
		uint32_t sid = FRCD_SID(hi);

		faults++;
		if (faults <= FAULTS_LOGGED) {
			log_warning("VT-d: DMA fault %u: PCI %x:%x.%x %s at 0x%lx refused (reason %u)", faults, sid >> 8,
				    (sid >> 3) & 0x1fu, sid & 7u, ((hi & FRCD_READ) != 0u) ? "read" : "write", address,
				    FRCD_REASON(hi));
		}
		x86_iommu_write32(offset + 12u, (uint32_t)(FRCD_F >> 32));   /* write 1 to clear */
	}
}

/* Implements: REQ-DEV-006 */
void vtd_poll(void)
{
	uint32_t fsts;

	if (!__atomic_load_n(&vtd_enabled, __ATOMIC_ACQUIRE)) {
		return;
	}
	spin_lock(&vtd_lock);
	fsts = x86_iommu_read32(REG_FSTS);
	if ((fsts & FSTS_PPF) != 0u) {
		for (uint32_t k = 0u; k < fault_records; k++) {
			take_record(fault_offset + (16u * ((FSTS_FRI(fsts) + k) % fault_records)));
		}
	}
	if ((fsts & FSTS_PFO) != 0u) {
		log_warning("VT-d: fault records overflowed after %u faults: later faults were not recorded", faults);
		x86_iommu_write32(REG_FSTS, FSTS_PFO);
	}
	spin_unlock(&vtd_lock);
}
