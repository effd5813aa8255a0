/* SPDX-License-Identifier: MIT */
#include <stdarg.h>

#include "diag.h"

void diag_init(struct diag *d, const char *source, FILE *stream)
{
	d->source = source;
	d->stream = stream;
	d->errors = 0;
}

void diag_error(struct diag *d, const char *node, const char *prop, const char *fmt, ...)
{
	va_list ap;

	d->errors++;
	fprintf(d->stream, "%s: ", d->source);
	if (node)
		fprintf(d->stream, "%s: ", node);
	if (prop)
		fprintf(d->stream, "%s: ", prop);
	va_start(ap, fmt);
	vfprintf(d->stream, fmt, ap);
	va_end(ap);
	fputc('\n', d->stream);
}
