/* SPDX-License-Identifier: MIT */
/*
 * Error reporting. Every message names the system description as the user
 * wrote it, then the node and the property, so that an error can be found
 * without knowing how the build preprocessed the file.
 */
#ifndef BHCC_DIAG_H
#define BHCC_DIAG_H

#include <stdio.h>

struct diag {
	const char *source;   /* the .dts path the user wrote */
	FILE *stream;
	unsigned errors;
};

/** Starts counting errors for @source; messages go to @stream. */
void diag_init(struct diag *d, const char *source, FILE *stream);

/**
 * Reports one error as "<source>: <node>: <prop>: <message>"; a NULL @prop
 * drops the property part and a NULL @node the node part.
 */
void diag_error(struct diag *d, const char *node, const char *prop, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* BHCC_DIAG_H */
