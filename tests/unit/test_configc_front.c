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

#include <stdlib.h>
#include <string.h>

#include "bhcc.h"
#include "bhcc_fixture.h"
#include "cfg.h"

#define PATH FX_PATH

static int group_setup(void **state)
{
	(void)state;
	return fx_setup("front");
}

static int group_teardown(void **state)
{
	(void)state;
	return fx_teardown();
}

/* Both passes of bhcc on @fixture into fx_tmp/@tag; returns the messages (empty when accepted). */
static char *run_both(const char *fixture, const char *tag, int *rc)
{
	char dtb[PATH], out[PATH], src[PATH];
	struct bhcc_options opt;

	snprintf(dtb, sizeof(dtb), "%s/unit/configc-null-fixtures/%s.dtb", fx_build, fixture);
	snprintf(out, sizeof(out), "%s/%s/gen", fx_tmp, tag);
	snprintf(src, sizeof(src), "%s/%s/src", fx_tmp, tag);
	fx_mkdirs(out);
	fx_write_file(src, "one.bin", 300);
	fx_write_file(src, "two.bin", 200);
	opt = (struct bhcc_options){ .dtb = dtb, .source = fixture, .out = out, .max_cpus = 8,
				     .max_partitions = 8, .srctree = src };
	return fx_run_passes(&opt, out, rc);
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
	snprintf(path, sizeof(path), "%s/null/gen/config.c", fx_tmp);
	text = fx_read(path);
	assert_non_null(strstr(text, "\t\t.ipa = 0x0,\n\t\t.pa = 0x81200000,\n\t\t.size = 0x400000,\n"));
	assert_non_null(strstr(text, "\t\t.pa = 0x81000000,\n"));
	/* The device went with its interrupt, which only the back end judges. */
	assert_non_null(strstr(text, "static const uint32_t bh_one_irqs[] = { 200 };"));
	assert_non_null(strstr(text, "{ .partition = 1, .vcpu = 0, .arch = { .hw_id = 0x0 } },"));
	assert_non_null(strstr(text, "{ .partition = 0, .vcpu = 0, .arch = { .hw_id = 0x7 } },"));
	free(text);

	/* The report has the front end's tables and the back end's words. */
	snprintf(path, sizeof(path), "%s/null/gen/isolation.md", fx_tmp);
	text = fx_read(path);
	assert_non_null(strstr(text, "| Interrupt controller | none (null back end) |"));
	assert_non_null(strstr(text, "| Cores | core 1 (Id 7) as vCPU 0 |"));
	assert_non_null(strstr(text, "| 200 | `/board/timer@10001000` | one |"));
	free(text);

	/* The guest description is the back end's (here the partition's name). */
	snprintf(path, sizeof(path), "%s/null/gen/one.dtb", fx_tmp);
	text = fx_read(path);
	assert_string_equal(text, "one");
	free(text);

	/* config.c compiles against the null architecture's part of the contract. */
	snprintf(cmd, sizeof(cmd),
		 "gcc -std=c11 -Wall -Wextra -Werror -Icore/include -Itests/unit/configc_null "
		 "-c '%s/null/gen/config.c' -o '%s/null/config.o'",
		 fx_tmp, fx_tmp);
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
