/* SPDX-License-Identifier: MIT */
/*
 * PCI device assignment from a partition (configs/qemu-x86_64-pci.dts,
 * arch/x86/pci.c). It scans bus 0 through configuration mechanism #1
 * (0xcf8/0xcfc) and prints what it finds. The partition given QEMU's edu
 * function at 00:03.0 then sizes its BAR, drives it through the BAR's
 * window (identity register, the liveness register that returns the
 * inverse of what is written, a factorial), and tries what the filter must
 * refuse, printing the hypervisor's register-incident count
 * (BH_HC_INCIDENTS) after each: moving the BAR over RAM, enabling I/O
 * space (and bus mastering, which the board's IOMMU lets through: then edu
 * copies through its RAM and is refused elsewhere), writing another
 * function's command, a write
 * past the header, an unaligned four-byte read of 0xcfd, a byte write to
 * 0xcf9 (the chipset's reset control) and a word read of 0xcf8. The
 * partition without a function finds nothing and then loads from edu's
 * window, which is not in its map: a nested page fault stops it. The
 * assigned one then faults on purpose (its fault policy restarts it) and,
 * restarted, finds its function again with memory decoding off.
 * "ESCAPED" would mean something got through.
 */
#include <stdint.h>
#include <stdio.h>
#include <bulkhead/hypercall.h>
#include "bhrt.h"
#include "bhrt_x86.h"

#define PCI_ADDRESS 0xcf8u
#define PCI_DATA 0xcfcu
#define PCI_ENABLE 0x80000000u
#define EDU_BDF ((3u << 3) | 0u)       /* 00:03.0, configs/boards/qemu-x86_64.dtsi */
#define EDU_ID 0x11e8u                 /* vendor 0x1234, device 0x11e8: the dword reads 0x11e81234 */
#define EDU_BAR 0xd0000000u            /* the description's BAR0 */
#define EDU_IDENT 0x00u
#define EDU_LIVENESS 0x04u
#define EDU_FACTORIAL 0x08u
#define EDU_STATUS 0x20u
#define EDU_STATUS_COMPUTING 0x1u
#define HOST_BRIDGE_BDF 0u
#define LPC_BDF ((0x1fu << 3) | 0u)
#define RAM_TARGET 0x00400000u          /* inside its own RAM: a BAR there would shadow it */
#define RAM_TARGET_OUTSIDE 0x08000000u  /* 128 MiB: outside its 16 MiB of RAM, a nested page fault */

static uint32_t cfg_read(uint32_t bdf, uint32_t reg)
{
	x86_outl(PCI_ADDRESS, PCI_ENABLE | (bdf << 8) | reg);
	return x86_inl(PCI_DATA);
}

static void cfg_write(uint32_t bdf, uint32_t reg, uint32_t v)
{
	x86_outl(PCI_ADDRESS, PCI_ENABLE | (bdf << 8) | reg);
	x86_outl(PCI_DATA, v);
}

static unsigned long incidents(void)
{
	return (unsigned long)rt_hvc(BH_HC_INCIDENTS, BH_INCIDENT_REGISTER, 0, 0).x1;
}

static volatile uint32_t *edu(uint32_t offset)
{
	return (volatile uint32_t *)(uintptr_t)(EDU_BAR + offset);
}

/* Bus 0, every device and function: how many answer, and the last one's BDF. */
static unsigned scan(uint32_t *last)
{
	unsigned found = 0;

	for (uint32_t bdf = 0; bdf < 256u; bdf++) {
		if ((cfg_read(bdf, 0) & 0xffffu) != 0xffffu) {
			printf("x86pci: function %02x:%02x.%u id 0x%08x\n", (unsigned)(bdf >> 8), (unsigned)(bdf >> 3),
			       (unsigned)(bdf & 7u), (unsigned)cfg_read(bdf, 0));
			*last = bdf;
			found++;
		}
	}
	return found;
}

static void drive(void)
{
	printf("x86pci: ident 0x%08x\n", (unsigned)*edu(EDU_IDENT));
	*edu(EDU_LIVENESS) = 0x12345678u;
	printf("x86pci: liveness 0x%08x\n", (unsigned)*edu(EDU_LIVENESS));
	*edu(EDU_FACTORIAL) = 10u;
	while ((*edu(EDU_STATUS) & EDU_STATUS_COMPUTING) != 0u) {
	}
	printf("x86pci: factorial(10) %u\n", (unsigned)*edu(EDU_FACTORIAL));
}

#define EDU_DMA_SRC 0x80u
#define EDU_DMA_DST 0x88u
#define EDU_DMA_COUNT 0x90u
#define EDU_DMA_CMD 0x98u
#define EDU_DMA_RUN 0x1u
#define EDU_DMA_TO_RAM 0x2u
#define EDU_DMA_BUFFER 0x40000u         /* edu's own 4 KiB buffer, in its DMA address space */
#define DMA_BYTES 64u
#define OWN_HOST_ADDRESS 0x6000000u     /* its RAM's host-address (configs/qemu-x86_64-pci.dts) */
#define RAM_IPA 0x200000u
#define OUTSIDER_HOST_ADDRESS 0x8000000u
#define HYP_HOST_ADDRESS 0x1000000u     /* the hypervisor's RAM (configs/boards/qemu-x86_64.dtsi), one of our guest-physical addresses */

static uint8_t dma_out[DMA_BYTES] __attribute__((aligned(64)));
static uint8_t dma_in[DMA_BYTES] __attribute__((aligned(64)));

static void edu_dma(uint32_t src, uint32_t dst, uint32_t cmd)
{
	*edu(EDU_DMA_SRC) = src;
	*edu(EDU_DMA_DST) = dst;
	*edu(EDU_DMA_COUNT) = DMA_BYTES;
	*edu(EDU_DMA_CMD) = cmd;
	while ((*edu(EDU_DMA_CMD) & EDU_DMA_RUN) != 0u) {
	}
}

static unsigned dma_in_equal(uint8_t (*want)(unsigned))
{
	unsigned same = 0;

	for (unsigned i = 0; i < DMA_BYTES; i++)
		same += ((volatile uint8_t *)dma_in)[i] == want(i);
	return same;
}

static uint8_t pattern(unsigned i)
{
	return (uint8_t)(i * 7u + 1u);
}

static uint8_t image(unsigned i)
{
	return ((const volatile uint8_t *)(uintptr_t)RAM_IPA)[i];
}

static uint8_t filler(unsigned i)
{
	(void)i;
	return 0x5au;
}

/*
 * Bus addresses are its guest-physical ones: a round trip through its own
 * RAM arrives; a write to the host address of that same RAM changes
 * nothing, a read of another partition's RAM brings none of it, and a
 * write to the hypervisor's host address lands in its own RAM there.
 */
static void dma(void)
{
	for (unsigned i = 0; i < DMA_BYTES; i++) {
		dma_out[i] = pattern(i);
		dma_in[i] = 0u;
	}
	edu_dma((uint32_t)(uintptr_t)dma_out, EDU_DMA_BUFFER, EDU_DMA_RUN);
	edu_dma(EDU_DMA_BUFFER, (uint32_t)(uintptr_t)dma_in, EDU_DMA_RUN | EDU_DMA_TO_RAM);
	printf("x86pci: DMA round trip through its RAM: %u of %u bytes\n", dma_in_equal(pattern), DMA_BYTES);
	for (unsigned i = 0; i < DMA_BYTES; i++)
		dma_in[i] = filler(i);
	edu_dma(EDU_DMA_BUFFER, OWN_HOST_ADDRESS + ((uint32_t)(uintptr_t)dma_in - RAM_IPA), EDU_DMA_RUN | EDU_DMA_TO_RAM);
	printf("x86pci: DMA to its RAM's host address 0x%x: %u of %u bytes unchanged\n",
	       (unsigned)(OWN_HOST_ADDRESS + ((uint32_t)(uintptr_t)dma_in - RAM_IPA)), dma_in_equal(filler), DMA_BYTES);
	(void)cfg_read(EDU_BDF, 0);   /* where the hypervisor reads the IOMMU's fault records (arch/x86/vtd.c): one per refused DMA */
	/* outsider runs this program: its RAM starts with the same bytes as ours */
	edu_dma(OUTSIDER_HOST_ADDRESS, EDU_DMA_BUFFER, EDU_DMA_RUN);
	edu_dma(EDU_DMA_BUFFER, (uint32_t)(uintptr_t)dma_in, EDU_DMA_RUN | EDU_DMA_TO_RAM);
	unsigned nonzero = 0, same = 0;

	for (unsigned i = 0; i < DMA_BYTES; i++) {   /* a refused read may bring zeros: only the image's other bytes count */
		nonzero += image(i) != 0u;
		same += image(i) != 0u && ((volatile uint8_t *)dma_in)[i] == image(i);
	}
	printf("x86pci: DMA from outsider's RAM 0x%x: %u of its image's %u nonzero bytes\n", (unsigned)OUTSIDER_HOST_ADDRESS,
	       same, nonzero);
	(void)cfg_read(EDU_BDF, 0);
	/* the hypervisor's host address is a bus address of our RAM: the write lands there, in our own RAM */
	volatile uint8_t *own = (volatile uint8_t *)(uintptr_t)HYP_HOST_ADDRESS;
	unsigned landed = 0;

	for (unsigned i = 0; i < DMA_BYTES; i++)
		own[i] = filler(i);
	edu_dma((uint32_t)(uintptr_t)dma_out, EDU_DMA_BUFFER, EDU_DMA_RUN);
	edu_dma(EDU_DMA_BUFFER, HYP_HOST_ADDRESS, EDU_DMA_RUN | EDU_DMA_TO_RAM);
	for (unsigned i = 0; i < DMA_BYTES; i++)
		landed += own[i] == pattern(i);
	printf("x86pci: DMA to the hypervisor's host address 0x%x: %u of %u bytes in its own RAM there\n",
	       (unsigned)HYP_HOST_ADDRESS, landed, DMA_BYTES);
}

static void hostile(void)
{
	cfg_write(EDU_BDF, 0x10, RAM_TARGET);
	printf("x86pci: BAR0 after a move 0x%08x, incidents %lu\n", (unsigned)cfg_read(EDU_BDF, 0x10), incidents());
	cfg_write(EDU_BDF, 0x04, 0x7u);   /* I/O space, memory space, bus master */
	uint32_t command = cfg_read(EDU_BDF, 0x04) & 0xffffu;
	printf("x86pci: command after 0x7 0x%04x, incidents %lu\n", (unsigned)command, incidents());
	if ((command & 0x4u) != 0u)
		dma();
	else
		printf("x86pci: bus mastering denied\n");
	printf("x86pci: status 0x%04x capabilities 0x%02x header+0x40 0x%08x\n",
	       (unsigned)(cfg_read(EDU_BDF, 0x04) >> 16), (unsigned)(cfg_read(EDU_BDF, 0x34) & 0xffu),
	       (unsigned)cfg_read(EDU_BDF, 0x40));
	cfg_write(EDU_BDF, 0x40, 0xffffffffu);
	printf("x86pci: write past the header, incidents %lu\n", incidents());
	printf("x86pci: host bridge 0x%08x\n", (unsigned)cfg_read(HOST_BRIDGE_BDF, 0));
	cfg_write(LPC_BDF, 0x04, 0u);
	printf("x86pci: LPC command write, incidents %lu\n", incidents());
	x86_outl(PCI_ADDRESS, PCI_ENABLE | (EDU_BDF << 8));
	uint32_t unaligned = x86_inl(PCI_DATA + 1u);
	printf("x86pci: unaligned 0xcfd 0x%08x, incidents %lu\n", (unsigned)unaligned, incidents());
	x86_outb(PCI_ADDRESS + 1u, 0x06u);   /* a full reset through the reset control register */
	printf("x86pci: 0xcf9 write, incidents %lu\n", incidents());
	uint16_t word = x86_inw(PCI_ADDRESS);
	printf("x86pci: word 0xcf8 0x%04x, incidents %lu\n", (unsigned)word, incidents());
}

static void assigned(void)
{
	uint32_t bar = cfg_read(EDU_BDF, 0x10);
	uint32_t size;

	printf("x86pci: BAR0 0x%08x command 0x%04x\n", (unsigned)bar, (unsigned)(cfg_read(EDU_BDF, 0x04) & 0xffffu));
	cfg_write(EDU_BDF, 0x10, 0xffffffffu);
	size = ~(cfg_read(EDU_BDF, 0x10) & ~0xfu) + 1u;
	cfg_write(EDU_BDF, 0x10, bar);
	printf("x86pci: BAR0 size 0x%x, then 0x%08x, incidents %lu\n", (unsigned)size, (unsigned)cfg_read(EDU_BDF, 0x10),
	       incidents());
	cfg_write(EDU_BDF, 0x04, 0x2u);   /* memory space */
	drive();
	hostile();
	drive();   /* the function still answers where the description put it */
}

int main(void)
{
	struct rt_info me = rt_partition_info();
	uint32_t last = 0xffffffffu;
	unsigned found = scan(&last);

	printf("x86pci: restart %u, %u functions, incidents %lu\n", (unsigned)me.restarts, found, incidents());
	if (found == 1u && last == EDU_BDF && (cfg_read(EDU_BDF, 0) >> 16) == EDU_ID && me.restarts > 0u) {
		/* restarted: the function as the first start found it, decoding off */
		printf("x86pci: BAR0 0x%08x command 0x%04x\n", (unsigned)cfg_read(EDU_BDF, 0x10),
		       (unsigned)(cfg_read(EDU_BDF, 0x04) & 0xffffu));
	} else if (found == 1u && last == EDU_BDF && (cfg_read(EDU_BDF, 0) >> 16) == EDU_ID) {
		assigned();
		printf("x86pci: faulting to be restarted\n");
		*(volatile uint32_t *)(uintptr_t)RAM_TARGET_OUTSIDE = 0u;
	} else if (found == 0u) {
		printf("x86pci: loading from 0x%08x\n", (unsigned)EDU_BAR);
		printf("x86pci: ESCAPED: read 0x%08x\n", (unsigned)*edu(EDU_IDENT));
	} else {
		printf("x86pci: ESCAPED: sees functions it was not given\n");
	}
	printf("x86pci: done\n");
	return 0;
}
