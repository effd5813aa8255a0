/* SPDX-License-Identifier: MIT */
/*
 * Writing GENDIR atomically: every file goes to a temporary name first and
 * all are renamed only once all were written, so make never reads a half
 * written table or a mix of old and new ones.
 */
#ifndef BHCC_OUTPUT_H
#define BHCC_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "model.h"

/* A guest device tree and a placed image per partition, and the tables. */
#define OUT_MAX_FILES (2 * BHCC_MAX_PARTITIONS + 4)

struct out_file {
	char final[BHCC_FILE_MAX];
	char tmp[BHCC_FILE_MAX];
};

struct outputs {
	const char *dir;
	struct diag *diag;
	bool failed;
	unsigned n;
	struct out_file f[OUT_MAX_FILES];
};

/** Starts a set of outputs in @dir, creating it if needed. */
bool out_init(struct outputs *o, const char *dir, struct diag *d);

/** Opens a temporary file that out_commit() will rename to @dir/@name; NULL after an error. */
FILE *out_begin(struct outputs *o, const char *name);

/** Closes a file from out_begin(), recording any write error. */
void out_end(struct outputs *o, FILE *f);

/** Writes @len bytes of @data as @dir/@name. */
void out_blob(struct outputs *o, const char *name, const void *data, size_t len);

/** Renames every file into place; after any error removes the temporaries and returns false. */
bool out_commit(struct outputs *o);

/** Removes @dir/@name unless it is the same file as @keep (the input blob). */
void out_remove(const char *dir, const char *name, const char *keep);

#endif /* BHCC_OUTPUT_H */
