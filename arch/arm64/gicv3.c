/*
 * GICv3 physical interface, owned by the hypervisor: the distributor keeps
 * every SPI disabled until a partition's virtual GIC enables it, each
 * redistributor enables only the hypervisor's own SGI, and the CPU
 * interface is used through the ICC_* system registers at EL2.
 */
#include <generated/autoconf.h>
#include "arm64.h"
#include "cfg.h"
#include "log.h"
#include "mmio.h"
#include "sysreg.h"

#define GICD_CTLR        0x0000u
#define GICD_TYPER       0x0004u
#define GICD_IGROUPR     0x0080u
#define GICD_ICENABLER   0x0180u
#define GICD_ICPENDR     0x0280u
#define GICD_CTLR_RWP    (1u << 31)
#define GICD_CTLR_ARE    (1u << 4)
#define GICD_CTLR_GRP1   (1u << 1)

#define GICR_CTLR        0x0000u
#define GICR_TYPER       0x0008u
#define GICR_WAKER       0x0014u
#define GICR_CTLR_RWP    (1u << 3)
#define GICR_TYPER_VLPIS (1ul << 1)
#define GICR_TYPER_LAST  (1ul << 4)
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_SGI_BASE    0x10000u
#define GICR_IGROUPR0    (GICR_SGI_BASE + 0x0080u)
#define GICR_ISENABLER0  (GICR_SGI_BASE + 0x0100u)
#define GICR_ICENABLER0  (GICR_SGI_BASE + 0x0180u)
#define GICR_IPRIORITYR  (GICR_SGI_BASE + 0x0400u)

#define ICC_SRE_SRE      (1ul << 0)
#define ICC_SRE_DFB      (1ul << 1)
#define ICC_SRE_DIB      (1ul << 2)
#define ICC_SRE_ENABLE   (1ul << 3)

#define IPI_PRIORITY 0x80u

static uint64_t redist[CONFIG_MAX_CORES];

static void wait_rwp(uint64_t reg, uint32_t bit)
{
	while ((mmio_read32(reg) & bit) != 0u) {
	}
}

void gic_init_global(void)
{
	uint64_t d = cfg_system.gic.dist.base;
	uint32_t lines = ((mmio_read32(d + GICD_TYPER) & 0x1fu) + 1u) * 32u;

	mmio_write32(d + GICD_CTLR, 0u);
	wait_rwp(d + GICD_CTLR, GICD_CTLR_RWP);
	for (uint32_t i = 1u; i < (lines / 32u); i++) {
		mmio_write32(d + GICD_ICENABLER + (4u * i), 0xffffffffu);
		mmio_write32(d + GICD_ICPENDR + (4u * i), 0xffffffffu);
		mmio_write32(d + GICD_IGROUPR + (4u * i), 0xffffffffu);
	}
	mmio_write32(d + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
	wait_rwp(d + GICD_CTLR, GICD_CTLR_RWP);
}

/* Redistributor frames are found by affinity, not assumed to follow core order. */
static uint64_t find_redist(uint64_t mpidr)
{
	uint32_t aff = (uint32_t)(((mpidr >> 8) & 0xff000000u) | (mpidr & 0xffffffu));
	uint64_t rd = cfg_system.gic.redist.base;
	uint64_t end = rd + cfg_system.gic.redist.size;

	while (rd < end) {
		uint64_t typer = mmio_read64(rd + GICR_TYPER);

		if ((uint32_t)(typer >> 32) == aff) {
			return rd;
		}
		if ((typer & GICR_TYPER_LAST) != 0u) {
			break;
		}
		rd += ((typer & GICR_TYPER_VLPIS) != 0u) ? 0x40000u : 0x20000u;
	}
	panic("no GICv3 redistributor for MPIDR 0x%lx", mpidr);
}

void gic_init_cpu(uint32_t core)
{
	uint64_t rd = redist[core];

	if (rd == 0u) {
		rd = find_redist(arm64_cpu_mpidr(core));
		redist[core] = rd;
	}
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while ((mmio_read32(rd + GICR_WAKER) & GICR_WAKER_ASLEEP) != 0u) {
	}
	mmio_write32(rd + GICR_ICENABLER0, 0xffffffffu);
	wait_rwp(rd + GICR_CTLR, GICR_CTLR_RWP);
	mmio_write32(rd + GICR_IGROUPR0, 0xffffffffu);
	mmio_write8(rd + GICR_IPRIORITYR + GIC_IPI_SGI, IPI_PRIORITY);
	mmio_write32(rd + GICR_ISENABLER0, 1u << GIC_IPI_SGI);

	write_sysreg(icc_sre_el2, ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB | ICC_SRE_ENABLE);
	isb();
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, 0);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

void gic_send_ipi(uint32_t core)
{
	uint64_t mpidr = arm64_cpu_mpidr(core);
	uint64_t aff0 = mpidr & 0xffu;
	uint64_t sgi = (((mpidr >> 32) & 0xffu) << 48) | (((mpidr >> 16) & 0xffu) << 32) |
		       ((aff0 >> 4) << 44) | ((uint64_t)GIC_IPI_SGI << 24) |
		       (((mpidr >> 8) & 0xffu) << 16) | (1ul << (aff0 & 0xfu));

	write_sysreg(icc_sgi1r_el1, sgi);
	isb();
}

uint32_t gic_ack(void)
{
	return (uint32_t)read_sysreg(icc_iar1_el1) & 0xffffffu;
}

void gic_eoi(uint32_t intid)
{
	write_sysreg(icc_eoir1_el1, intid);
	isb();
}

void gic_cpu_off(void)
{
	write_sysreg(icc_igrpen1_el1, 0);
	isb();
}
