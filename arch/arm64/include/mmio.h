/* SPDX-License-Identifier: MIT */
/*
 * Device register access. Volatile plus the ordering the device needs.
 */
#ifndef ARM64_MMIO_H
#define ARM64_MMIO_H

#include <stdint.h>

/* Implements: infrastructure */
static inline uint32_t mmio_read32(uint64_t addr)
{
	uint32_t v = *(volatile const uint32_t *)(uintptr_t)addr;
	__asm__ volatile("" : : : "memory");
	return v;
}

/* Implements: infrastructure */
static inline uint64_t mmio_read64(uint64_t addr)
{
	uint64_t v = *(volatile const uint64_t *)(uintptr_t)addr;
	__asm__ volatile("" : : : "memory");
	return v;
}

/* Implements: infrastructure */
static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	__asm__ volatile("" : : : "memory");
	*(volatile uint32_t *)(uintptr_t)addr = v;
}

/* Implements: infrastructure */
static inline void mmio_write64(uint64_t addr, uint64_t v)
{
	__asm__ volatile("" : : : "memory");
	*(volatile uint64_t *)(uintptr_t)addr = v;
}

/* Implements: infrastructure */
static inline uint8_t mmio_read8(uint64_t addr)
{
	uint8_t v = *(volatile const uint8_t *)(uintptr_t)addr;
	__asm__ volatile("" : : : "memory");
	return v;
}

/* Implements: infrastructure */
static inline void mmio_write8(uint64_t addr, uint8_t v)
{
	__asm__ volatile("" : : : "memory");
	*(volatile uint8_t *)(uintptr_t)addr = v;
}

#endif /* ARM64_MMIO_H */
