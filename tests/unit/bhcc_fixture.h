/* SPDX-License-Identifier: MIT */
/*
 * What every unit-test program of bhcc needs around the compiler: the build
 * folder the fixtures were compiled into, a scratch folder per run, files
 * read and written there, and bhcc's two passes run with its messages
 * captured. One copy for the arm64, x86 and null back ends' tests.
 */
#ifndef BHCC_FIXTURE_H
#define BHCC_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "bhcc.h"

#define FX_PATH 1024

/** $BULKHEAD_BUILD, where `make unit-test` compiled the fixtures. */
extern char fx_build[FX_PATH / 2];
/** The scratch folder of this test program's run, removed at the end. */
extern char fx_tmp[FX_PATH / 2];

/**
 * cmocka group set-up: reads $BULKHEAD_BUILD, checks the program runs from
 * the source tree (config.c checks compile against core/include) and makes
 * the scratch folder /tmp/bhcc-@name.XXXXXX. Returns 0 or -1 with a message.
 */
int fx_setup(const char *name);
/** cmocka group tear-down: removes the scratch folder. */
int fx_teardown(void);

/** mkdir -p @dir (fails the test if it cannot). */
void fx_mkdirs(const char *dir);
/** Whether @dir/@name exists. */
bool fx_exists(const char *dir, const char *name);
/** Creates @dir/@name with @size bytes of a fixed pattern (sparse when over 1 MiB). */
void fx_write_file(const char *dir, const char *name, uint64_t size);
/** The whole of @path as a NUL-terminated string (the caller frees it); fails the test if absent. */
char *fx_read(const char *path);
/** fx_read() of @dir/@name. */
char *fx_read_in(const char *dir, const char *name);

/**
 * Runs bhcc on @opt: the layout pass, then, if it passed, the full pass
 * with images read from @images. Returns everything bhcc printed (empty
 * when it accepted; the caller frees it) and its exit status in @rc.
 */
char *fx_run_passes(struct bhcc_options *opt, const char *images, int *rc);

/*
 * be_guest_desc_build() is linked wrapped (-Wl,--wrap, UT_BHCC_LIBS in
 * tests/unit/build.mk). While fx_sweep_guest_desc is set, each tree bhcc
 * builds is first built again into every smaller buffer: each must fail and
 * write nothing past the buffer it was given (the test fails otherwise), so a
 * tree that does not fit is an error bhcc reports, never a truncated tree.
 * fx_trees_swept counts the trees so checked.
 */
extern bool fx_sweep_guest_desc;
extern unsigned fx_trees_swept;

#endif
