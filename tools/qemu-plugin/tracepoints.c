/* SPDX-License-Identifier: MIT */
/*
 * Bulkhead's QEMU TCG measurement plugin (QEMU 7.2, plugin API v1, AArch64
 * and x86_64 system emulation). Counts executed instructions, exactly and per vCPU, with no help
 * from the code being measured:
 *
 *   point=NAME@ADDR        first execution of ADDR on each vCPU: prints the
 *                          instructions executed before it (all vCPUs, and this one)
 *   range=NAME@START-END   instructions executed with the PC in [START, END):
 *                          each uninterrupted stay in the range is one "run";
 *                          prints runs, total, min / median / max per run
 *   mark=NAME@ADDR         phase mark: each execution of ADDR, on any vCPU,
 *                          makes NAME the current phase and starts a new
 *                          segment of it. Range runs are then also reported
 *                          per phase (the phase current when the run began),
 *                          and per segment: the instructions in the range, all
 *                          vCPUs together, from one mark to the next
 *   tag=NAME@ADDR          a run (of any range holding ADDR) that executes ADDR
 *                          carries NAME: runs are also reported per set of
 *                          tags they carry, per vCPU (a tag at each entry
 *                          function tells which entry path a run took)
 *   profile=on             also count, per mark, the instructions executed in
 *                          the ranges by translation block start address
 *   out=FILE               write the report there instead of QEMU's log
 *
 * Report lines (all start with "bh-plugin: "):
 *   point NAME cpu V total T cpu_insns C
 *   range NAME cpu V runs N insns T min A median B max C
 *   range NAME mark M cpu V runs N insns T min A median B max C
 *   range NAME mark M segments S insns T min A median B max C
 *   tag NAME bit K
 *   range NAME tags MASK cpu V runs N insns T max C   (MASK: bit K set for tag K)
 *   profile MARK ADDR INSNS          (with profile=on: block at ADDR, all vCPUs)
 *   cpu V insns T
 *   cpu V aborted A                  (loads and stores that faulted: not in T)
 *   error TEXT                       (the counts cannot be trusted)
 * Runs before the first mark belong to mark "none".
 *
 * How it counts. Each instruction adds one to a counter as it starts (an
 * inline add that QEMU compiles into the translated code, so nothing is
 * inferred from block sizes), and a callback at the start of each
 * translation block hands the instructions counted since the previous
 * callback to the block that ran them: to its vCPU, and to the ranges each
 * of those instructions lies in. A block that an exception cuts short, that
 * -icount abandons at an I/O access (QEMU then runs that one instruction in
 * a block of its own, uninstrumented, so it counts once) or that a loop
 * enters in the middle counts exactly the instructions that ran.
 *
 * A load or store that faults did not execute: its exception handler runs
 * instead, and the handler skips or retries it (a retry counts again). QEMU's
 * -icount rewinds it the same way. The plugin recognises it as a load or
 * store after which its vCPU continues at a synchronous exception vector
 * (bits [8:0] of the address clear) instead of its successor, and takes it
 * back. Every other instruction counts once started,
 * as under -icount: SVC, HVC and SMC, and a system register access or WFI
 * trapped to a higher exception level. Known differences from -icount: an
 * FP/SIMD load or store trapped because FP is disabled counts as not
 * executed (-icount counts it), and so does a load or store completed just
 * before the next instruction's fetch faults (the last one of an executable
 * page); neither happens in Bulkhead or its guests.
 *
 * x86_64: a range is a range of RIP, whatever the mode: under SVM QEMU runs
 * the guest on the same TCG vCPU, so a hypervisor range counts the
 * hypervisor only where no guest runs code at those virtual addresses (the
 * x86 benchmarks check it: tests/bench/bench_x86.py). VMRUN counts as the
 * hypervisor's instruction, the guest instruction that exits as the guest's.
 * A faulting x86 load or store is not recognised (no vector alignment tells
 * it): it counts as executed where -icount does not count it, so x86 counts
 * are exact for code that takes no fault on a memory access (nested page
 * fault, #PF, #GP); the hypervisor takes none.
 *
 * The vCPUs must run one at a time in one thread (QEMU's -icount mode or
 * -accel tcg,thread=single): the report says "error" otherwise.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qemu_plugin_api.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MAX_VCPUS 64
#define MAX_POINTS 32
#define MAX_RANGES 8
#define MAX_MARKS 32      /* mark 0 is "none" */
#define MAX_TAGS 64
#define MAX_TAG_SETS 1024

/* Per instruction of a block: the ranges it lies in (bit r) and whether it loads or stores. */
#define INSN_RANGES 0x00ffu
#define INSN_MEMORY 0x0100u
/* Exception vectors: a synchronous one is 512-byte aligned, IRQ, FIQ and SError ones are not. */
#define SYNC_VECTOR_MASK 0x1ffu

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
	uint64_t tags[MAX_VCPUS];         /* the tags the run (or the one about to begin) executed */
	struct run_log runs[MAX_VCPUS];
};

struct tag {
	char name[32];
	uint64_t addr;
};

/* The runs of one range on one vCPU that carried exactly one set of tags. */
struct tag_set {
	int range;
	unsigned int vcpu;
	uint64_t mask;
	uint64_t runs, insns, max;
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

/* A translation block, as translated: what each of its instructions is. */
struct block_insn {
	uint64_t addr;
	uint32_t size;
	uint32_t flags;                   /* INSN_RANGES, INSN_MEMORY */
};

struct block {
	uint64_t pc;
	uint32_t n_insns;
	bool mixed;                       /* its instructions do not all lie in the same ranges */
	struct block_insn insn[];
};

/*
 * A load or store that ended its vCPU's last block, counted but not yet
 * known to have executed: the vCPU's next block tells.
 */
struct pending_access {
	bool valid;
	const struct block *block;
	uint32_t index;
	int mark;                         /* the mark it was counted under */
	uint64_t segment;                 /* and the segment */
};

static struct point points[MAX_POINTS];
static int n_points;
static struct range ranges[MAX_RANGES];
static int n_ranges;
static struct mark marks[MAX_MARKS] = { [0] = { .name = "none" } };
static int n_marks = 1;
static int cur_mark;              /* 0 until a mark executes */
static struct tag tags[MAX_TAGS];
static int n_tags;
static struct tag_set tag_sets[MAX_TAG_SETS];
static int n_tag_sets;
static bool seg_open;             /* a mark has started a segment */
static uint64_t segment_serial;   /* counts the segments opened */

/*
 * The counting: `started` is the inline counter every instruction adds one
 * to; `handed` how many of them have been handed to blocks. The block that
 * runs now (on `cur_vcpu`) has had `cur_done` of its instructions handed.
 */
static uint64_t started;
static uint64_t handed;
static const struct block *cur_block;
static unsigned int cur_vcpu = MAX_VCPUS;
static uint32_t cur_done;
static struct pending_access pending[MAX_VCPUS];
static uint64_t vcpu_insns[MAX_VCPUS];
static uint64_t vcpu_aborted[MAX_VCPUS];
static pthread_t counting_thread;
static bool thread_known;
static bool failed;

/* profile=on: instructions per (mark, block start) inside the ranges. */
#define PROFILE_SLOTS 16384u      /* per mark, power of two */
struct profile_slot {
	uint64_t pc;                  /* 0: free */
	uint64_t insns;
};
static bool profile_on;
static struct profile_slot *profile;   /* MAX_MARKS * PROFILE_SLOTS */
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

/* Says once, in the report, that the counts cannot be trusted, and why. */
static void fail(const char *why)
{
	if (!failed) {
		failed = true;
		emit("bh-plugin: error %s\n", why);
	}
}

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
	fail("profile table full");
}

static uint64_t total_insns(void)
{
	uint64_t t = 0;

	for (int i = 0; i < MAX_VCPUS; i++) {
		t += vcpu_insns[i];
	}
	return t;
}

static void run_push(struct run_log *log, uint64_t len)
{
	if (log->n == log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 1024;
		uint64_t *p = realloc(log->len, cap * sizeof(*p));
		if (p == NULL) {
			fail("out of memory for runs");
			return;
		}
		log->len = p;
		log->cap = cap;
	}
	log->len[log->n++] = len;
}

static void tag_set_add(int r, unsigned int vcpu, uint64_t mask, uint64_t len)
{
	int i = 0;

	while ((i < n_tag_sets) &&
	       ((tag_sets[i].range != r) || (tag_sets[i].vcpu != vcpu) || (tag_sets[i].mask != mask))) {
		i++;
	}
	if (i == n_tag_sets) {
		if (n_tag_sets == MAX_TAG_SETS) {
			fail("more sets of tags than MAX_TAG_SETS");
			return;
		}
		tag_sets[i] = (struct tag_set){ .range = r, .vcpu = vcpu, .mask = mask };
		n_tag_sets++;
	}
	tag_sets[i].runs++;
	tag_sets[i].insns += len;
	if (len > tag_sets[i].max) {
		tag_sets[i].max = len;
	}
}

static void run_end(struct range *rg, int r, unsigned int vcpu)
{
	run_push(&rg->runs[vcpu], rg->cur[vcpu]);
	if (n_tags > 0) {
		tag_set_add(r, vcpu, rg->tags[vcpu], rg->cur[vcpu]);
		rg->tags[vcpu] = 0;
	}
	if (n_marks > 1) {
		run_push(&marks[rg->run_mark[vcpu]].ranges[r].runs[vcpu], rg->cur[vcpu]);
	}
	rg->in_run[vcpu] = false;
	rg->cur[vcpu] = 0;
}

/* `n` consecutive instructions of block `pc` on `vcpu`, all in the ranges of mask `in`. */
static void account_span(unsigned int vcpu, uint64_t pc, uint32_t in, uint32_t n)
{
	for (int r = 0; r < n_ranges; r++) {
		struct range *rg = &ranges[r];
		if ((in & (1u << r)) == 0) {
			if (rg->in_run[vcpu]) {
				run_end(rg, r, vcpu);
			}
			continue;
		}
		if (!rg->in_run[vcpu]) {
			rg->in_run[vcpu] = true;
			rg->run_mark[vcpu] = cur_mark;
		}
		rg->cur[vcpu] += n;
		rg->insns[vcpu] += n;
		struct mark_range *mr = &marks[cur_mark].ranges[r];
		mr->insns[vcpu] += n;
		mr->seg_cur += n;
		mr->seg_insns += n;
		if (profile_on) {
			profile_add(cur_mark, pc, n);
		}
	}
}

/* Instructions [from, to) of block `b` executed on `vcpu`. */
static void account(unsigned int vcpu, const struct block *b, uint32_t from, uint32_t to)
{
	vcpu_insns[vcpu] += to - from;
	while (from < to) {
		uint32_t in = b->insn[from].flags & INSN_RANGES;
		uint32_t end = b->mixed ? from + 1u : to;
		while ((end < to) && ((b->insn[end].flags & INSN_RANGES) == in)) {
			end++;
		}
		account_span(vcpu, b->pc, in, end - from);
		from = end;
	}
}

/* Hands the instructions started since the last call to the block running now. */
static void settle(void)
{
	uint64_t n = started - handed;

	if (n == 0) {
		return;
	}
	handed = started;
	if ((cur_block == NULL) || (n > (uint64_t)(cur_block->n_insns - cur_done))) {
		fail("more instructions started than the block has: vCPUs ran in parallel?");
		return;
	}
	account(cur_vcpu, cur_block, cur_done, cur_done + (uint32_t)n);
	cur_done += (uint32_t)n;
}

/* The block running now is left: its last instruction, if it loads or stores, waits for its vCPU's next block. */
static void leave_block(void)
{
	if ((cur_block == NULL) || (cur_done == 0)) {
		return;
	}
	struct pending_access *p = &pending[cur_vcpu];
	p->valid = (cur_block->insn[cur_done - 1u].flags & INSN_MEMORY) != 0;
	p->block = cur_block;
	p->index = cur_done - 1u;
	p->mark = cur_mark;
	p->segment = segment_serial;
}

/* Undoes the counting of a load or store that faulted. */
static void take_back(unsigned int vcpu, const struct pending_access *p)
{
	uint32_t in = p->block->insn[p->index].flags & INSN_RANGES;

	vcpu_insns[vcpu]--;
	vcpu_aborted[vcpu]++;
	for (int r = 0; r < n_ranges; r++) {
		if ((in & (1u << r)) == 0) {
			continue;
		}
		struct range *rg = &ranges[r];
		struct mark_range *mr = &marks[p->mark].ranges[r];
		rg->insns[vcpu]--;
		if (rg->in_run[vcpu] && (--rg->cur[vcpu] == 0)) {
			rg->in_run[vcpu] = false;     /* the run was that one instruction */
		}
		mr->insns[vcpu]--;
		mr->seg_insns--;
		if (p->segment == segment_serial) {
			mr->seg_cur--;
		}
		if (profile_on) {
			profile_add(p->mark, p->block->pc, -1);
		}
	}
}

/* `vcpu` continues at `pc`: did its pending load or store execute? */
static void resolve_pending(unsigned int vcpu, uint64_t pc)
{
	struct pending_access *p = &pending[vcpu];

	if (!p->valid) {
		return;
	}
	p->valid = false;
	const struct block_insn *in = &p->block->insn[p->index];
	if (((pc & SYNC_VECTOR_MASK) == 0) && (pc != in->addr + in->size)) {
		take_back(vcpu, p);
	}
}

static void check_thread(void)
{
	if (!thread_known) {
		counting_thread = pthread_self();
		thread_known = true;
	} else if (!pthread_equal(counting_thread, pthread_self())) {
		fail("vCPUs run in parallel threads: counting needs -icount or -accel tcg,thread=single");
	}
}

static void block_exec(unsigned int vcpu, void *udata)
{
	const struct block *b = udata;

	settle();
	leave_block();
	if (vcpu != cur_vcpu) {
		check_thread();
	}
	if (vcpu >= MAX_VCPUS) {
		fail("vCPU index beyond MAX_VCPUS");
		cur_block = NULL;
		return;
	}
	resolve_pending(vcpu, b->pc);
	cur_block = b;
	cur_vcpu = vcpu;
	cur_done = 0;
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
	settle();
	segment_close();
	cur_mark = m;
	for (int r = 0; r < n_ranges; r++) {
		marks[m].ranges[r].seg_cur = 0;
	}
	seg_open = true;
	segment_serial++;
}

/*
 * A tag's instruction is about to execute: the instructions before it are
 * handed out first, so a run they ended has been recorded, and the tag goes
 * to the run it belongs to (in progress, or begun by this instruction).
 */
static void tag_exec(unsigned int vcpu, void *udata)
{
	const struct tag *t = udata;

	settle();
	if (vcpu >= MAX_VCPUS) {
		return;
	}
	for (int r = 0; r < n_ranges; r++) {
		if ((t->addr >= ranges[r].start) && (t->addr < ranges[r].end)) {
			ranges[r].tags[vcpu] |= 1ull << (t - tags);
		}
	}
}

static void point_exec(unsigned int vcpu, void *udata)
{
	struct point *p = udata;

	settle();
	if ((vcpu >= MAX_VCPUS) || p->seen[vcpu]) {
		return;
	}
	p->seen[vcpu] = true;
	emit("bh-plugin: point %s cpu %u total %" PRIu64 " cpu_insns %" PRIu64 "\n", p->name, vcpu,
	     total_insns(), vcpu_insns[vcpu]);
}

/* Set for x86_64 system emulation: no load or store is taken back (above). */
static bool x86;

/* A64: the loads and stores are the encodings with op0 (bits [28:25]) = x1x0. */
static bool loads_or_stores(const struct qemu_plugin_insn *insn)
{
	uint32_t op;

	if (x86) {
		return false;
	}
	if (qemu_plugin_insn_size(insn) != sizeof(op)) {
		return false;
	}
	memcpy(&op, qemu_plugin_insn_data(insn), sizeof(op));
	return (op & 0x0a000000u) == 0x08000000u;
}

static uint32_t ranges_at(uint64_t addr)
{
	uint32_t in = 0;

	for (int r = 0; r < n_ranges; r++) {
		if ((addr >= ranges[r].start) && (addr < ranges[r].end)) {
			in |= 1u << r;
		}
	}
	return in;
}

/* The points and marks at `insn`; their callbacks run before its inline count (QEMU's order). */
static void register_probes(struct qemu_plugin_insn *insn, uint64_t addr)
{
	for (int p = 0; p < n_points; p++) {
		if (points[p].addr == addr) {
			qemu_plugin_register_vcpu_insn_exec_cb(insn, point_exec, QEMU_PLUGIN_CB_NO_REGS, &points[p]);
		}
	}
	for (int t = 0; t < n_tags; t++) {
		if (tags[t].addr == addr) {
			qemu_plugin_register_vcpu_insn_exec_cb(insn, tag_exec, QEMU_PLUGIN_CB_NO_REGS, &tags[t]);
		}
	}
	for (int m = 1; m < n_marks; m++) {
		if (marks[m].addr == addr) {
			qemu_plugin_register_vcpu_insn_exec_cb(insn, mark_exec, QEMU_PLUGIN_CB_NO_REGS,
							       (void *)(intptr_t)m);
		}
	}
}

static void block_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	struct block *b = malloc(sizeof(*b) + n * sizeof(b->insn[0]));

	(void)id;
	if (b == NULL) {
		fail("out of memory for blocks");
		return;
	}
	b->pc = qemu_plugin_tb_vaddr(tb);
	b->n_insns = (uint32_t)n;
	b->mixed = false;
	qemu_plugin_register_vcpu_tb_exec_cb(tb, block_exec, QEMU_PLUGIN_CB_NO_REGS, b);
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		struct block_insn *bi = &b->insn[i];
		bi->addr = qemu_plugin_insn_vaddr(insn);
		bi->size = (uint32_t)qemu_plugin_insn_size(insn);
		bi->flags = ranges_at(bi->addr) | (loads_or_stores(insn) ? INSN_MEMORY : 0u);
		if ((bi->flags & INSN_RANGES) != (b->insn[0].flags & INSN_RANGES)) {
			b->mixed = true;
		}
		register_probes(insn, bi->addr);
		qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &started, 1);
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

static void emit_range(int r)
{
	char what[128];
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
				snprintf(what, sizeof(what), "range %s mark %s cpu %d runs", rg->name, marks[m].name, v);
				emit_stats(what, &mr->runs[v], mr->insns[v]);
			}
		}
		if (mr->segments.n != 0) {
			snprintf(what, sizeof(what), "range %s mark %s segments", rg->name, marks[m].name);
			emit_stats(what, &mr->segments, mr->seg_insns);
		}
	}
	for (int i = 0; i < n_tag_sets; i++) {
		const struct tag_set *ts = &tag_sets[i];
		if (ts->range == r) {
			emit("bh-plugin: range %s tags %#" PRIx64 " cpu %u runs %" PRIu64 " insns %" PRIu64 " max %" PRIu64
			     "\n", rg->name, ts->mask, ts->vcpu, ts->runs, ts->insns, ts->max);
		}
	}
}

static void at_exit(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	settle();
	for (int r = 0; r < n_ranges; r++) {
		for (int v = 0; v < MAX_VCPUS; v++) {
			if (ranges[r].in_run[v]) {
				run_end(&ranges[r], r, (unsigned int)v);
			}
		}
	}
	segment_close();
	for (int t = 0; t < n_tags; t++) {
		emit("bh-plugin: tag %s bit %d\n", tags[t].name, t);
	}
	for (int r = 0; r < n_ranges; r++) {
		emit_range(r);
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
		if (vcpu_aborted[v] != 0) {
			emit("bh-plugin: cpu %d aborted %" PRIu64 "\n", v, vcpu_aborted[v]);
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

static bool parse_arg(const char *a)
{
	const char *rest;

	if (strncmp(a, "point=", 6) == 0) {
		if ((n_points == MAX_POINTS) || !parse_name(a + 6, points[n_points].name, sizeof(points[0].name), &rest)) {
			return false;
		}
		points[n_points].addr = strtoull(rest, NULL, 0);
		n_points++;
	} else if (strncmp(a, "range=", 6) == 0) {
		char *end;
		if ((n_ranges == MAX_RANGES) || !parse_name(a + 6, ranges[n_ranges].name, sizeof(ranges[0].name), &rest)) {
			return false;
		}
		ranges[n_ranges].start = strtoull(rest, &end, 0);
		ranges[n_ranges].end = (*end == '-') ? strtoull(end + 1, NULL, 0) : 0;
		n_ranges++;
	} else if (strncmp(a, "mark=", 5) == 0) {
		if ((n_marks == MAX_MARKS) || !parse_name(a + 5, marks[n_marks].name, sizeof(marks[0].name), &rest)) {
			return false;
		}
		marks[n_marks].addr = strtoull(rest, NULL, 0);
		n_marks++;
	} else if (strncmp(a, "tag=", 4) == 0) {
		if ((n_tags == MAX_TAGS) || !parse_name(a + 4, tags[n_tags].name, sizeof(tags[0].name), &rest)) {
			return false;
		}
		tags[n_tags].addr = strtoull(rest, NULL, 0);
		n_tags++;
	} else if (strcmp(a, "profile=on") == 0) {
		profile_on = true;
	} else if (strncmp(a, "out=", 4) == 0) {
		out = fopen(a + 4, "w");
		return out != NULL;
	} else {
		return false;
	}
	return true;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv);
QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	x86 = strcmp(info->target_name, "x86_64") == 0;
	if (((strcmp(info->target_name, "aarch64") != 0) && !x86) || !info->system_emulation) {
		fprintf(stderr, "tracepoints: counts AArch64 and x86_64 system emulation only, not %s\n",
			info->target_name);
		return -1;
	}
	if (info->system.max_vcpus > MAX_VCPUS) {
		fprintf(stderr, "tracepoints: %d vCPUs, at most %d\n", info->system.max_vcpus, MAX_VCPUS);
		return -1;
	}
	for (int i = 0; i < argc; i++) {
		if (!parse_arg(argv[i])) {
			fprintf(stderr,
				"tracepoints: bad argument '%s' (names up to 31 characters; at most %d points, %d ranges, "
				"%d marks, %d tags; out= a writable file)\n",
				argv[i], MAX_POINTS, MAX_RANGES, MAX_MARKS - 1, MAX_TAGS);
			return -1;
		}
	}
	if (profile_on) {
		profile = calloc((size_t)MAX_MARKS * PROFILE_SLOTS, sizeof(*profile));
		if (profile == NULL) {
			return -1;
		}
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, block_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
