/* SPDX-License-Identifier: MIT */
/*
 * Exceptions of the partition's own code, as the arm64 runtime takes them
 * (bhrt.h's rt_set_exception_hook): the hook is called with x86's syndrome
 * (esr: the vector << 32 | the error code), the saved RIP (elr: for a fault,
 * the faulting instruction's) and, for a page fault, CR2 (far). Returning
 * true resumes at the RIP rt_exception_resume() set during the call (x86
 * instructions have no fixed length, so the hook says where), or at the
 * saved RIP, where a fault whose cause the hook did not remove is raised
 * again. Returning false, or an exception without a hook, prints it and
 * crashes the partition as before there was an IDT: a triple fault, which
 * the hypervisor takes as the partition's fault (its fault policy applies)
 * and QEMU without one as a shutdown.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bhrt.h"
#include "bhrt_x86.h"

#define EXCEPTION_VECTORS 32u
#define STUB_BYTES 16u
#define VECTOR_PF 14u

/* exc_vectors.S */
extern const uint8_t rt_x86_exception_stubs[];

static rt_exception_hook_t exception_hook;
static uint64_t resume_rip;
static bool resume_set;

/* Called from exc_vectors.S with the saved RIP's slot; SSE is saved there. */
void rt_x86_exception(uint64_t vector, uint64_t error, uint64_t *rip);

void rt_x86_exception(uint64_t vector, uint64_t error, uint64_t *rip)
{
	uint64_t far = 0u;
	rt_exception_hook_t hook = __atomic_load_n(&exception_hook, __ATOMIC_ACQUIRE);

	if (vector == VECTOR_PF) {
		__asm__ volatile("mov %%cr2, %0" : "=r"(far));
	}
	resume_set = false;
	if ((hook != NULL) && hook((vector << 32) | error, *rip, far)) {
		if (resume_set) {
			*rip = resume_rip;
		}
		return;
	}
	/* newlib's small printf has no %ll: long is 64 bits here. */
	(void)rt_printf("unexpected exception (vector %u, error 0x%lx): RIP 0x%lx CR2 0x%lx\n", (unsigned)vector,
			(unsigned long)error, (unsigned long)*rip, (unsigned long)far);
	/* An empty IDT: the next exception cannot be delivered, a triple fault. */
	const uint16_t none[5] = { 0u, 0u, 0u, 0u, 0u };

	__asm__ volatile("lidt %0\n\tint3" : : "m"(none) : "memory");
	for (;;) {
	}
}

void rt_exception_resume(uint64_t rip)
{
	resume_rip = rip;
	resume_set = true;
}

/*
 * Every exception vector gets its gate but one that another gate of the
 * runtime took already (x86_msr_refusals_catch()'s #GP), and the calling
 * vCPU loads the IDT; a vCPU that starts later loads it with
 * rt_doorbell_enable() or x86_idt_load().
 */
void rt_set_exception_hook(rt_exception_hook_t hook)
{
	__atomic_store_n(&exception_hook, hook, __ATOMIC_RELEASE);
	for (uint32_t v = 0u; v < EXCEPTION_VECTORS; v++) {
		if (!x86_idt_present((uint8_t)v)) {
			x86_idt_set((uint8_t)v, &rt_x86_exception_stubs[v * STUB_BYTES]);
		}
	}
	x86_idt_load();
}
