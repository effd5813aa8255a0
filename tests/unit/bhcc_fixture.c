/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bhcc_fixture.h"

char fx_build[FX_PATH / 2];
char fx_tmp[FX_PATH / 2];

int fx_setup(const char *name)
{
	const char *b = getenv("BULKHEAD_BUILD");
	struct stat st;

	if (!b) {
		fprintf(stderr, "BULKHEAD_BUILD is not set: run `make unit-test`, or set it to the build folder\n");
		return -1;
	}
	if (stat("core/include/cfg.h", &st) != 0) {
		fprintf(stderr, "run the test from the source tree (core/include/cfg.h not found)\n");
		return -1;
	}
	snprintf(fx_build, sizeof(fx_build), "%s", b);
	snprintf(fx_tmp, sizeof(fx_tmp), "/tmp/bhcc-%s.XXXXXX", name);
	if (!mkdtemp(fx_tmp)) {
		perror("mkdtemp");
		return -1;
	}
	return 0;
}

int fx_teardown(void)
{
	char cmd[FX_PATH];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx_tmp);
	return system(cmd) == 0 ? 0 : -1;
}

void fx_mkdirs(const char *dir)
{
	char cmd[FX_PATH + 16];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

bool fx_exists(const char *dir, const char *name)
{
	char path[FX_PATH * 2];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0;
}

void fx_write_file(const char *dir, const char *name, uint64_t size)
{
	char path[FX_PATH * 2];
	FILE *f;

	fx_mkdirs(dir);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	if (size > (UINT64_C(1) << 20)) {
		assert_int_equal(ftruncate(fileno(f), (off_t)size), 0);
	} else {
		for (uint64_t i = 0; i < size; i++)
			fputc((int)(i * 7 + 3) & 0xff, f);
	}
	assert_int_equal(fclose(f), 0);
}

char *fx_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		fail_msg("cannot read %s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

char *fx_read_in(const char *dir, const char *name)
{
	char path[FX_PATH * 2];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return fx_read(path);
}

char *fx_run_passes(struct bhcc_options *opt, const char *images, int *rc)
{
	char *err;
	size_t len;
	FILE *f = open_memstream(&err, &len);

	assert_non_null(f);
	opt->layout_only = true;
	*rc = bhcc_run(opt, f);
	if (*rc == 0) {
		opt->layout_only = false;
		opt->images = images;
		*rc = bhcc_run(opt, f);
	}
	fclose(f);
	return err;
}

bool fx_sweep_guest_desc;
unsigned fx_trees_swept;

int __real_be_guest_desc_build(const struct bh_system *sys, const struct bh_partition *p, void *buf, int bufsize);
int __wrap_be_guest_desc_build(const struct bh_system *sys, const struct bh_partition *p, void *buf, int bufsize);

int __wrap_be_guest_desc_build(const struct bh_system *sys, const struct bh_partition *p, void *buf, int bufsize)
{
	enum { GUARD = 64 };
	static uint8_t small[BHCC_GUEST_DESC_MAX + GUARD];
	int size = __real_be_guest_desc_build(sys, p, buf, bufsize);

	if (!fx_sweep_guest_desc || (size <= 0))
		return size;
	for (int n = 0; n < size; n++) {
		memset(&small[n], 0xa5, GUARD);
		if (__real_be_guest_desc_build(sys, p, small, n) >= 0)
			fail_msg("partition '%s': its tree of %d bytes was built into %d", p->name, size, n);
		for (int i = 0; i < GUARD; i++)
			if (small[n + i] != 0xa5)
				fail_msg("partition '%s': a %d-byte buffer was written past its end", p->name, n);
	}
	fx_trees_swept++;
	return size;
}
