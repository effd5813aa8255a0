/* SPDX-License-Identifier: MIT */
/*
 * The PC's legacy devices from a partition (tests/system/configs/x86-legacy.dts):
 * reads the RTC/CMOS (index 0x70, data 0x71: status register A, whose
 * update-in-progress bit 7 and divider bits 6:4 = 010 a real MC146818 shows),
 * latches and reads PIT channel 0 (0x43, 0x40) twice, and reads the PCI
 * configuration space of 00:00.0 (address 0xcf8, data 0xcfc: the host
 * bridge's vendor and device ids). A partition whose description assigns
 * them gets the devices; one whose does not reads all ones from each port
 * (each access refused and counted by the hypervisor). It prints what it
 * read and exits.
 */
#include <stdint.h>
#include <stdio.h>
#include "bhrt.h"
#include "bhrt_x86.h"

#define CMOS_INDEX 0x70u
#define CMOS_DATA 0x71u
#define CMOS_STATUS_A 0x0au
#define PIT_CH0 0x40u
#define PIT_MODE 0x43u
#define PIT_LATCH_CH0 0x00u
#define PCI_ADDRESS 0xcf8u
#define PCI_DATA 0xcfcu
#define PCI_ENABLE_00_0_REG0 0x80000000u

static uint32_t pit_read(void)
{
	x86_outb(PIT_MODE, PIT_LATCH_CH0);
	uint32_t lo = x86_inb(PIT_CH0);
	uint32_t hi = x86_inb(PIT_CH0);

	return (hi << 8) | lo;
}

int main(void)
{
	struct rt_info me = rt_partition_info();

	x86_outb(CMOS_INDEX, CMOS_STATUS_A);
	uint32_t status_a = x86_inb(CMOS_DATA);
	printf("x86legacy: partition %u: RTC status A 0x%02x\n", (unsigned)me.partition, (unsigned)status_a);

	uint32_t pit1 = pit_read();
	rt_delay_us(1000u);
	uint32_t pit2 = pit_read();
	printf("x86legacy: PIT channel 0 0x%04x then 0x%04x\n", (unsigned)pit1, (unsigned)pit2);

	x86_outl(PCI_ADDRESS, PCI_ENABLE_00_0_REG0);
	uint32_t id = x86_inl(PCI_DATA);
	printf("x86legacy: PCI 00:00.0 id 0x%08x\n", (unsigned)id);
	return 0;
}
