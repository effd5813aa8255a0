/* SPDX-License-Identifier: MIT */
/*
 * A back end for bhcc with nothing architectural: no interrupt controller,
 * cpus with a plain hardware id, interrupts 0..255 all assignable, 48-bit
 * address spaces, no table pools and a guest description that is just the
 * partition's name. tests/unit/test_configc_front.c links the front end
 * against it, with no architecture's header on the include path: what a new
 * architecture's back end must provide is exactly backend.h.
 */
#include <string.h>

#include "backend.h"
#include "props.h"

static const char *const cpu_props[] = { "reg", NULL };

const struct be_space be_space = {
	.guest_limit = UINT64_C(1) << 48,
	.guest_limit_text = "the 48-bit guest address limit",
	.hyp_limit = UINT64_C(1) << 48,
	.hyp_limit_text = "the 48-bit addresses the hypervisor maps",
};
/* No emulated UART. */
const uint8_t be_emulated_console = 0u;   /* CFG_CONSOLE_NONE (cfg.h needs an architecture's cfg_arch.h) */

void be_check_port_console(struct bh_ctx *c, const struct bh_partition *p)
{
	(void)c;
	(void)p;
}

const struct be_console be_consoles[] = {
	{ "ns16550a", BH_CONSOLE_NS16550, "ns16550" },
	{ NULL, BH_CONSOLE_NONE, NULL },
};
const char *const be_console_names = "\"ns16550a\"";
const char *const be_cpu_id_title = "Id";
const char *const be_irq_note = "Every interrupt can be assigned.";
const char *const be_irq_title = "Interrupt";

bool be_board_node(struct bh_ctx *c, int node, unsigned ac, unsigned sc)
{
	(void)c;
	(void)node;
	(void)ac;
	(void)sc;
	return false;
}

void be_board_end(struct bh_ctx *c)
{
	(void)c;
}

int be_parse_cpu(struct bh_ctx *c, int node, const char *path, unsigned ac, struct bh_cpu *cpu)
{
	props_whitelist(c, node, path, cpu_props);
	if (!ac || prop_address(c, node, path, "reg", true, ac, &cpu->arch.hw_id) != PROP_OK)
		return PROP_ABSENT;
	return PROP_OK;
}

bool be_irq_id(struct bh_ctx *c, const char *path, uint32_t irq)
{
	if (irq <= BH_ARCH_MAX_IRQ)
		return true;
	diag_error(c->diag, path, "interrupts", "%u is not an interrupt id (0..%u)", irq, BH_ARCH_MAX_IRQ);
	return false;
}

unsigned be_board_ranges(struct bh_ctx *c, struct bh_named_range *out)
{
	(void)c;
	(void)out;
	return 0;
}

void be_validate_board(struct bh_ctx *c)
{
	(void)c;
}

bool be_board_ram(struct bh_ctx *c, const char *path, struct bh_range r)
{
	(void)c;
	(void)path;
	(void)r;
	return true;
}

unsigned be_hyp_ranges(const struct bh_system *sys, struct bh_range *out)
{
	(void)sys;
	(void)out;
	return 0;
}

bool be_irq_assignable(struct bh_ctx *c, const struct bh_partition *p, const struct bh_device *d, uint32_t irq)
{
	(void)c;
	(void)p;
	(void)d;
	(void)irq;
	return true;
}

bool be_doorbell_valid(struct bh_ctx *c, const struct bh_partition *p, const char *path, const char *prop,
		       uint32_t irq, bool level)
{
	(void)c;
	(void)p;
	(void)path;
	(void)prop;
	(void)irq;
	(void)level;
	return true;
}

void be_partition_regions(struct bh_ctx *c, struct bh_partition *p)
{
	(void)c;
	(void)p;
}

void be_count_pools(struct bh_ctx *c)
{
	c->sys->s2_pages = 0;
	c->sys->el2_pages = 0;
}

void be_check_guest_desc(struct bh_ctx *c, struct bh_partition *p)
{
	(void)c;
	(void)p;
}

int be_guest_desc_build(const struct bh_system *sys, const struct bh_partition *p, void *buf, int bufsize)
{
	int n = (int)strlen(p->name);

	(void)sys;
	if (n > bufsize)
		return -1;
	memcpy(buf, p->name, (size_t)n);
	return n;
}

void be_emit_mk(FILE *f, const struct bh_system *sys)
{
	(void)sys;
	fprintf(f, "BH_NULL_ARCH := 1\n");
}

void be_emit_c_system(FILE *f, const struct bh_system *sys)
{
	(void)sys;
	fprintf(f, "\t.arch = { .unused = 0 },\n");
}

void be_emit_c_cpu(FILE *f, const struct bh_cpu *cpu)
{
	fprintf(f, ".arch = { .hw_id = 0x%llx }", (unsigned long long)cpu->arch.hw_id);
}

void be_emit_c_partition(FILE *f, const struct bh_partition *p)
{
	(void)p;
	fprintf(f, "\t\t.arch = { .unused = 0 },\n");
}

const char *be_cpu_id_text(const struct bh_cpu *cpu, char *buf, size_t len)
{
	snprintf(buf, len, "%llu", (unsigned long long)cpu->arch.hw_id);
	return buf;
}

void be_report_board(FILE *f, const struct bh_system *sys)
{
	(void)sys;
	fprintf(f, "| Interrupt controller | none (null back end) |\n");
}

void be_report_pools(FILE *f, const struct bh_system *sys)
{
	(void)sys;
	fprintf(f, "| Table pools | none (null back end) |\n");
}

void be_report_partition(FILE *f, const struct bh_partition *p)
{
	(void)f;
	(void)p;
}

void be_report_irqc(FILE *f, const struct bh_system *sys)
{
	(void)f;
	(void)sys;
}

unsigned be_report_risks(FILE *f, const struct bh_system *sys)
{
	(void)f;
	(void)sys;
	return 0;
}
