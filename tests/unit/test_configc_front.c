/* SPDX-License-Identifier: MIT */
/*
 * bhcc's front end on a back end with nothing architectural
 * (tests/unit/configc_null/backend_null.c). The program is built without
 * any architecture's include folder: that it compiles at all shows that the
 * front end needs only backend.h, model_arch.h and cfg_arch.h of the
 * architecture it compiles for; the tests show that it parses, validates,
 * places and reports on its own, and that the config.c it writes compiles
 * against that architecture's part of the contract.
 *
 * The fixtures tests/unit/configc_null/<name>.dts are compiled by dtc into
 * $BULKHEAD_BUILD/unit/configc-null-fixtures/<name>.dtb.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bhcc.h"
#include "cfg.h"

#define PATH 1024

static char g_build[PATH / 2];
static char g_tmp[PATH / 2];

static int group_setup(void **state)
{
	const char *b = getenv("BULKHEAD_BUILD");

	(void)state;
	if (!b) {
		fprintf(stderr, "BULKHEAD_BUILD is not set: run `make unit-test`\n");
		return -1;
	}
	snprintf(g_build, sizeof(g_build), "%s", b);
	snprintf(g_tmp, sizeof(g_tmp), "/tmp/bhcc-front.XXXXXX");
	return mkdtemp(g_tmp) ? 0 : -1;
}

static int group_teardown(void **state)
{
	char cmd[PATH];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static void write_bytes(const char *path, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fputc((int)i & 0xff, f);
	assert_int_equal(fclose(f), 0);
}

/* Both passes of bhcc on @fixture into g_tmp/@tag; returns the messages (empty when accepted). */
static char *run_both(const char *fixture, const char *tag, int *rc)
{
	char dtb[PATH], out[PATH], src[PATH], cmd[3 * PATH];
	struct bhcc_options opt = { 0 };
	char *err;
	size_t len;
	FILE *f;

	snprintf(dtb, sizeof(dtb), "%s/unit/configc-null-fixtures/%s.dtb", g_build, fixture);
	snprintf(out, sizeof(out), "%s/%s/gen", g_tmp, tag);
	snprintf(src, sizeof(src), "%s/%s/src", g_tmp, tag);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' '%s'", out, src);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/one.bin", src);
	write_bytes(cmd, 300);
	snprintf(cmd, sizeof(cmd), "%s/two.bin", src);
	write_bytes(cmd, 200);
	opt = (struct bhcc_options){ .dtb = dtb, .source = fixture, .out = out, .max_cpus = 8,
				     .max_partitions = 8, .layout_only = true,
				     .srctree = src };
	f = open_memstream(&err, &len);
	assert_non_null(f);
	*rc = bhcc_run(&opt, f);
	if (*rc == 0) {
		opt.layout_only = false;
		opt.images = out;
		*rc = bhcc_run(&opt, f);
	}
	fclose(f);
	return err;
}

/* Verifies: REQ-CFG-048, REQ-CFG-033 */
static void test_front_end_on_the_null_back_end(void **state)
{
	char path[PATH], cmd[4 * PATH], *err, *text;
	int rc;

	(void)state;
	err = run_both("null", "null", &rc);
	assert_string_equal(err, "");
	assert_int_equal(rc, 0);
	free(err);

	/* Placement: 'one' auto-placed at the lowest free 2 MiB boundary, past the hypervisor and two. */
	snprintf(path, sizeof(path), "%s/null/gen/config.c", g_tmp);
	text = read_text(path);
	assert_non_null(strstr(text, "\t\t.ipa = 0x0,\n\t\t.pa = 0x81200000,\n\t\t.size = 0x400000,\n"));
	assert_non_null(strstr(text, "\t\t.pa = 0x81000000,\n"));
	/* The device went with its interrupt, which only the back end judges. */
	assert_non_null(strstr(text, "static const uint32_t bh_one_irqs[] = { 200 };"));
	assert_non_null(strstr(text, "{ .partition = 1, .vcpu = 0, .arch = { .hw_id = 0x0 } },"));
	assert_non_null(strstr(text, "{ .partition = 0, .vcpu = 0, .arch = { .hw_id = 0x7 } },"));
	free(text);

	/* The report has the front end's tables and the back end's words. */
	snprintf(path, sizeof(path), "%s/null/gen/isolation.md", g_tmp);
	text = read_text(path);
	assert_non_null(strstr(text, "| Interrupt controller | none (null back end) |"));
	assert_non_null(strstr(text, "| Cores | core 1 (Id 7) as vCPU 0 |"));
	assert_non_null(strstr(text, "| 200 | `/board/timer@10001000` | one |"));
	free(text);

	/* The guest description is the back end's (here the partition's name). */
	snprintf(path, sizeof(path), "%s/null/gen/one.dtb", g_tmp);
	text = read_text(path);
	assert_string_equal(text, "one");
	free(text);

	/* config.c compiles against the null architecture's part of the contract. */
	snprintf(cmd, sizeof(cmd),
		 "gcc -std=c11 -Wall -Wextra -Werror -Icore/include -Itests/unit/configc_null "
		 "-c '%s/null/gen/config.c' -o '%s/null/config.o'",
		 g_tmp, g_tmp);
	assert_int_equal(system(cmd), 0);
}

/* Verifies: REQ-CFG-048, REQ-CFG-003 */
static void test_front_end_checks_need_no_back_end(void **state)
{
	char *err;
	int rc;

	(void)state;
	err = run_both("null-overlap", "overlap", &rc);
	assert_int_equal(rc, 1);
	assert_string_equal(err,
		"null-overlap: /partitions/two/memory@0: host-address: host range 0x81000000-0x811fffff overlaps /partitions/one/memory@0 (0x81000000-0x813fffff)\n");
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_front_end_on_the_null_back_end),
		cmocka_unit_test(test_front_end_checks_need_no_back_end),
	};
	return cmocka_run_group_tests_name("configc_front", tests, group_setup, group_teardown);
}
