/*
 * Bulkhead's QEMU TCG measurement plugin. Counts executed instructions,
 * exactly and per vCPU, with no help from the code being measured:
 *
 *   point=NAME@ADDR        first execution of ADDR on each vCPU: prints the
 *                          instructions executed so far (all vCPUs, and this one)
 *   range=NAME@START-END   instructions executed with the PC in [START, END):
 *                          each uninterrupted stay in the range is one "run";
 *                          prints runs, total, min / median / max per run
 *   mark=NAME@ADDR         phase mark: each execution of ADDR, on any vCPU,
 *                          makes NAME the current phase and starts a new
 *                          segment of it. Range runs are then also reported
 *                          per phase (the phase current when the run began),
 *                          and per segment: the instructions in the range, all
 *                          vCPUs together, from one mark to the next
 *   profile=on             also count, per mark, the instructions executed in
 *                          the ranges by translation block start address
 *   out=FILE               write the report there instead of QEMU's log
 *
 * Report lines (all start with "bh-plugin: "):
 *   point NAME cpu V total T cpu_insns C
 *   range NAME cpu V runs N insns T min A median B max C
 *   range NAME mark M cpu V runs N insns T min A median B max C
 *   range NAME mark M segments S insns T min A median B max C
 *   profile MARK ADDR INSNS          (with profile=on: block at ADDR, all vCPUs)
 *   cpu V insns T
 * Runs before the first mark belong to mark "none".
 *
 * Counting is per translation block, so it is exact as long as no exception
 * cuts a block short inside a range (hypervisor code does not fault). One
 * case is corrected: with -icount, an I/O access (device register, timer or
 * GIC system register) that is not the last instruction of its block makes
 * QEMU abandon the block at that instruction and run it again as a block of
 * its own; the instructions counted for the abandoned block from that one on
 * are taken back. Marks assume one vCPU runs at a time (QEMU's -icount or
 * -accel tcg,thread=single).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qemu_plugin_api.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MAX_VCPUS 64
#define MAX_POINTS 16
#define MAX_RANGES 8
#define MAX_MARKS 16      /* mark 0 is "none" */

struct point {
	char name[32];
	uint64_t addr;
	bool seen[MAX_VCPUS];
};

struct run_log {
	uint64_t *len;
	size_t n, cap;
};

struct range {
	char name[32];
	uint64_t start, end;
	uint64_t insns[MAX_VCPUS];
	bool in_run[MAX_VCPUS];
	uint64_t cur[MAX_VCPUS];
	int run_mark[MAX_VCPUS];          /* the mark current when the run began */
	struct run_log runs[MAX_VCPUS];
};

/* What one range did during one mark's phase. */
struct mark_range {
	uint64_t insns[MAX_VCPUS];
	struct run_log runs[MAX_VCPUS];
	uint64_t seg_cur;                 /* instructions in the open segment */
	uint64_t seg_insns;
	struct run_log segments;
};

struct mark {
	char name[32];
	uint64_t addr;
	struct mark_range ranges[MAX_RANGES];
};

struct tb_info {
	uint64_t pc;
	uint32_t n_insns;
	int range;        /* index into ranges, or -1 */
};

static struct point points[MAX_POINTS];
static int n_points;
static struct range ranges[MAX_RANGES];
static int n_ranges;
/* The block each vCPU executed last, and the mark it was counted under. */
static const struct tb_info *last_tb[MAX_VCPUS];
static int last_mark[MAX_VCPUS];
static struct mark marks[MAX_MARKS] = { [0] = { .name = "none" } };
static int n_marks = 1;
static int cur_mark;              /* 0 until a mark executes */
static bool seg_open;             /* a mark has started a segment */

/* profile=on: instructions per (mark, block start) inside the ranges. */
#define PROFILE_SLOTS 16384u      /* per mark, power of two */
struct profile_slot {
	uint64_t pc;                  /* 0: free */
	uint64_t insns;
};
static bool profile_on;
static struct profile_slot *profile;   /* MAX_MARKS * PROFILE_SLOTS */

static void profile_add(int mark, uint64_t pc, int64_t insns)
{
	struct profile_slot *t = &profile[(size_t)mark * PROFILE_SLOTS];
	uint64_t h = (pc >> 2) * 0x9e3779b97f4a7c15ull;

	for (uint32_t i = 0; i < PROFILE_SLOTS; i++) {
		struct profile_slot *e = &t[(h + i) & (PROFILE_SLOTS - 1u)];
		if ((e->pc == pc) || (e->pc == 0)) {
			e->pc = pc;
			e->insns += (uint64_t)insns;
			return;
		}
	}
}
static uint64_t vcpu_insns[MAX_VCPUS];
static FILE *out;

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (out != NULL) {
		fputs(buf, out);
		fflush(out);
	} else {
		qemu_plugin_outs(buf);
	}
}

static uint64_t total_insns(void)
{
	uint64_t t = 0;

	for (int i = 0; i < MAX_VCPUS; i++) {
		t += __atomic_load_n(&vcpu_insns[i], __ATOMIC_RELAXED);
	}
	return t;
}

static void run_push(struct run_log *log, uint64_t len)
{
	if (log->n == log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 1024;
		uint64_t *p = realloc(log->len, cap * sizeof(*p));
		if (p == NULL) {
			return;
		}
		log->len = p;
		log->cap = cap;
	}
	log->len[log->n++] = len;
}

static void run_end(struct range *rg, int r, unsigned int vcpu)
{
	run_push(&rg->runs[vcpu], rg->cur[vcpu]);
	if (n_marks > 1) {
		run_push(&marks[rg->run_mark[vcpu]].ranges[r].runs[vcpu], rg->cur[vcpu]);
	}
	rg->in_run[vcpu] = false;
	rg->cur[vcpu] = 0;
}

/*
 * A block that starts inside the block this vCPU executed just before:
 * QEMU abandoned that one at `pc` (icount I/O) and executes the rest again.
 */
static void take_back(unsigned int vcpu, uint64_t pc)
{
	const struct tb_info *prev = last_tb[vcpu];

	if ((prev == NULL) || (pc <= prev->pc) || (pc >= prev->pc + 4u * (uint64_t)prev->n_insns)) {
		return;
	}
	uint64_t excess = prev->n_insns - (pc - prev->pc) / 4u;
	vcpu_insns[vcpu] -= excess;
	if (prev->range >= 0) {
		struct range *rg = &ranges[prev->range];
		struct mark_range *mr = &marks[last_mark[vcpu]].ranges[prev->range];
		if (rg->in_run[vcpu] && (rg->cur[vcpu] >= excess)) {
			rg->cur[vcpu] -= excess;
		}
		rg->insns[vcpu] -= excess;
		mr->insns[vcpu] -= excess;
		mr->seg_insns -= excess;
		if (profile_on) {
			profile_add(last_mark[vcpu], prev->pc, -(int64_t)excess);
		}
		if ((cur_mark == last_mark[vcpu]) && (mr->seg_cur >= excess)) {
			mr->seg_cur -= excess;
		}
	}
}

static void tb_exec(unsigned int vcpu, void *udata)
{
	const struct tb_info *tb = udata;

	if (vcpu >= MAX_VCPUS) {
		return;
	}
	take_back(vcpu, tb->pc);
	last_tb[vcpu] = tb;
	last_mark[vcpu] = cur_mark;
	vcpu_insns[vcpu] += tb->n_insns;
	for (int r = 0; r < n_ranges; r++) {
		struct range *rg = &ranges[r];
		if (r == tb->range) {
			if (!rg->in_run[vcpu]) {
				rg->in_run[vcpu] = true;
				rg->run_mark[vcpu] = cur_mark;
			}
			rg->cur[vcpu] += tb->n_insns;
			rg->insns[vcpu] += tb->n_insns;
			struct mark_range *mr = &marks[cur_mark].ranges[r];
			mr->insns[vcpu] += tb->n_insns;
			mr->seg_cur += tb->n_insns;
			mr->seg_insns += tb->n_insns;
			if (profile_on) {
				profile_add(cur_mark, tb->pc, tb->n_insns);
			}
		} else if (rg->in_run[vcpu]) {
			run_end(rg, r, vcpu);
		}
	}
}

/* Closes the open segment of the current mark (if a mark opened one). */
static void segment_close(void)
{
	if (!seg_open) {
		return;
	}
	for (int r = 0; r < n_ranges; r++) {
		struct mark_range *mr = &marks[cur_mark].ranges[r];
		run_push(&mr->segments, mr->seg_cur);
		mr->seg_cur = 0;
	}
	seg_open = false;
}

static void mark_exec(unsigned int vcpu, void *udata)
{
	int m = (int)(intptr_t)udata;

	(void)vcpu;
	segment_close();
	cur_mark = m;
	for (int r = 0; r < n_ranges; r++) {
		marks[m].ranges[r].seg_cur = 0;
	}
	seg_open = true;
}

static void point_exec(unsigned int vcpu, void *udata)
{
	struct point *p = udata;

	if ((vcpu >= MAX_VCPUS) || p->seen[vcpu]) {
		return;
	}
	p->seen[vcpu] = true;
	emit("bh-plugin: point %s cpu %u total %" PRIu64 " cpu_insns %" PRIu64 "\n", p->name, vcpu,
	     total_insns(), vcpu_insns[vcpu]);
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	struct tb_info *info = malloc(sizeof(*info));
	uint64_t pc = qemu_plugin_tb_vaddr(tb);
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	if (info == NULL) {
		return;
	}
	info->pc = pc;
	info->n_insns = (uint32_t)n;
	info->range = -1;
	for (int r = 0; r < n_ranges; r++) {
		if ((pc >= ranges[r].start) && (pc < ranges[r].end)) {
			info->range = r;
		}
	}
	qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec, QEMU_PLUGIN_CB_NO_REGS, info);
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t a = qemu_plugin_insn_vaddr(insn);
		for (int p = 0; p < n_points; p++) {
			if (points[p].addr == a) {
				qemu_plugin_register_vcpu_insn_exec_cb(insn, point_exec, QEMU_PLUGIN_CB_NO_REGS,
								       &points[p]);
			}
		}
		for (int m = 1; m < n_marks; m++) {
			if (marks[m].addr == a) {
				qemu_plugin_register_vcpu_insn_exec_cb(insn, mark_exec, QEMU_PLUGIN_CB_NO_REGS,
								       (void *)(intptr_t)m);
			}
		}
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static void emit_stats(const char *what, struct run_log *log, uint64_t insns)
{
	qsort(log->len, log->n, sizeof(uint64_t), cmp_u64);
	emit("bh-plugin: %s %zu insns %" PRIu64 " min %" PRIu64 " median %" PRIu64 " max %" PRIu64 "\n", what,
	     log->n, insns, log->len[0], log->len[log->n / 2], log->len[log->n - 1]);
}

static void at_exit(qemu_plugin_id_t id, void *udata)
{
	char what[128];

	(void)id;
	(void)udata;
	for (int r = 0; r < n_ranges; r++) {
		for (int v = 0; v < MAX_VCPUS; v++) {
			struct range *rg = &ranges[r];
			if (rg->in_run[v]) {
				run_end(rg, r, (unsigned int)v);
			}
		}
	}
	segment_close();
	for (int r = 0; r < n_ranges; r++) {
		struct range *rg = &ranges[r];
		for (int v = 0; v < MAX_VCPUS; v++) {
			if (rg->runs[v].n != 0) {
				snprintf(what, sizeof(what), "range %s cpu %d runs", rg->name, v);
				emit_stats(what, &rg->runs[v], rg->insns[v]);
			}
		}
		for (int m = 0; (n_marks > 1) && (m < n_marks); m++) {
			struct mark_range *mr = &marks[m].ranges[r];
			for (int v = 0; v < MAX_VCPUS; v++) {
				if (mr->runs[v].n != 0) {
					snprintf(what, sizeof(what), "range %s mark %s cpu %d runs", rg->name,
						 marks[m].name, v);
					emit_stats(what, &mr->runs[v], mr->insns[v]);
				}
			}
			if (mr->segments.n != 0) {
				snprintf(what, sizeof(what), "range %s mark %s segments", rg->name, marks[m].name);
				emit_stats(what, &mr->segments, mr->seg_insns);
			}
		}
	}
	for (int m = 0; profile_on && (m < n_marks); m++) {
		const struct profile_slot *t = &profile[(size_t)m * PROFILE_SLOTS];
		for (uint32_t i = 0; i < PROFILE_SLOTS; i++) {
			if ((t[i].pc != 0) && (t[i].insns != 0)) {
				emit("bh-plugin: profile %s %#" PRIx64 " %" PRIu64 "\n", marks[m].name, t[i].pc, t[i].insns);
			}
		}
	}
	for (int v = 0; v < MAX_VCPUS; v++) {
		if (vcpu_insns[v] != 0) {
			emit("bh-plugin: cpu %d insns %" PRIu64 "\n", v, vcpu_insns[v]);
		}
	}
	if (out != NULL) {
		fclose(out);
	}
}

static bool parse_name(const char *s, char *name, size_t size, const char **rest)
{
	const char *at = strchr(s, '@');

	if ((at == NULL) || ((size_t)(at - s) >= size)) {
		return false;
	}
	memcpy(name, s, (size_t)(at - s));
	name[at - s] = '\0';
	*rest = at + 1;
	return true;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv);
QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	(void)info;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *rest;
		if ((strncmp(a, "point=", 6) == 0) && (n_points < MAX_POINTS) &&
		    parse_name(a + 6, points[n_points].name, sizeof(points[0].name), &rest)) {
			points[n_points].addr = strtoull(rest, NULL, 0);
			n_points++;
		} else if ((strncmp(a, "range=", 6) == 0) && (n_ranges < MAX_RANGES) &&
			   parse_name(a + 6, ranges[n_ranges].name, sizeof(ranges[0].name), &rest)) {
			char *end;
			ranges[n_ranges].start = strtoull(rest, &end, 0);
			ranges[n_ranges].end = (*end == '-') ? strtoull(end + 1, NULL, 0) : 0;
			n_ranges++;
		} else if ((strncmp(a, "mark=", 5) == 0) && (n_marks < MAX_MARKS) &&
			   parse_name(a + 5, marks[n_marks].name, sizeof(marks[0].name), &rest)) {
			marks[n_marks].addr = strtoull(rest, NULL, 0);
			n_marks++;
		} else if (strcmp(a, "profile=on") == 0) {
			profile_on = true;
		} else if (strncmp(a, "out=", 4) == 0) {
			out = fopen(a + 4, "w");
		} else {
			fprintf(stderr, "tracepoints: bad argument '%s'\n", a);
			return -1;
		}
	}
	if (profile_on) {
		profile = calloc((size_t)MAX_MARKS * PROFILE_SLOTS, sizeof(*profile));
		if (profile == NULL) {
			return -1;
		}
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
