/* SPDX-License-Identifier: MIT */
/*
 * A small, bounded printf formatter for the log: no floating point, no
 * allocation, no recursion.
 */
#include "log.h"

struct fmt_out {
	char *buf;
	size_t size;
	size_t len;
};

/** One conversion specification, %[width][l]<conv>; conv is '\0' when the format ends inside it. */
struct fmt_spec {
	unsigned width;
	bool is_long;
	char conv;
};

/* Implements: REQ-CON-005 */
static void out_char(struct fmt_out *o, char c)
{
	if ((o->len + 1u) < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

/* Implements: REQ-CON-005 */
static void out_str(struct fmt_out *o, const char *s)
{
	const char *str = (s != NULL) ? s : "(null)";

	for (size_t i = 0u; str[i] != '\0'; i++) {
		out_char(o, str[i]);
	}
}

/* Implements: REQ-CON-005 */
static void out_unsigned(struct fmt_out *o, uint64_t value, unsigned base, unsigned min_digits)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[24];
	uint64_t v = value;
	unsigned n = 0u;

	do {
		tmp[n] = digits[v % base];
		v /= base;
		n++;
	} while ((v != 0u) && (n < sizeof(tmp)));
	while ((n < min_digits) && (n < sizeof(tmp))) {
		tmp[n] = '0';
		n++;
	}
	while (n > 0u) {
		n--;
		out_char(o, tmp[n]);
	}
}

/* Implements: REQ-CON-005 */
static void out_signed(struct fmt_out *o, int64_t v, unsigned width)
{
	if (v < 0) {
		out_char(o, '-');
		out_unsigned(o, (uint64_t)0 - (uint64_t)v, 10u, width);
	} else {
		out_unsigned(o, (uint64_t)v, 10u, width);
	}
}

/* Reads the specification that starts at fmt[*pos], just after its '%', and
 * moves *pos past it (never past the terminating '\0'). */
/* Implements: REQ-CON-005 */
static struct fmt_spec parse_spec(const char *fmt, size_t *pos)
{
	struct fmt_spec s = { 0u, false, '\0' };
	size_t i = *pos;

	while ((fmt[i] >= '0') && (fmt[i] <= '9')) {
		s.width = (s.width * 10u) + ((unsigned)fmt[i] - (unsigned)'0');
		i++;
	}
	if (fmt[i] == 'l') {
		s.is_long = true;
		i++;
	}
	s.conv = fmt[i];
	if (s.conv != '\0') {
		i++;
	}
	*pos = i;
	return s;
}

/* Implements: REQ-CON-005 */
static uint64_t arg_unsigned(const struct fmt_spec *s, va_list *ap)
{
	uint64_t v;

	if (s->is_long) {
		v = va_arg(*ap, uint64_t);
	} else {
		v = va_arg(*ap, unsigned);
	}
	return v;
}

/* Implements: REQ-CON-005 */
static void out_conversion(struct fmt_out *o, const struct fmt_spec *s, va_list *ap)
{
	switch (s->conv) {
	case 's':
		out_str(o, va_arg(*ap, const char *));
		break;
	case 'c':
		out_char(o, (char)va_arg(*ap, int));
		break;
	case 'd':
		if (s->is_long) {
			out_signed(o, va_arg(*ap, int64_t), s->width);
		} else {
			out_signed(o, (int64_t)va_arg(*ap, int), s->width);
		}
		break;
	case 'u':
		out_unsigned(o, arg_unsigned(s, ap), 10u, s->width);
		break;
	case 'x':
		out_unsigned(o, arg_unsigned(s, ap), 16u, s->width);
		break;
	case 'p':
		out_str(o, "0x");
		out_unsigned(o, (uint64_t)(uintptr_t)va_arg(*ap, void *), 16u, s->width);
		break;
	case '%':
		out_char(o, '%');
		break;
	default:
		/* An unknown conversion is a hypervisor bug: show it rather than guess. */
		out_str(o, "%?");
		break;
	}
}

/* Implements: REQ-CON-005 */
size_t fmt_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { buf, size, 0u };
	size_t i = 0u;
	size_t written;
	va_list args;

	/* A copy, so that the conversions can share it through a pointer. */
	va_copy(args, ap);
	while (fmt[i] != '\0') {
		if (fmt[i] == '%') {
			i++;
			struct fmt_spec s = parse_spec(fmt, &i);
			out_conversion(&o, &s, &args);
		} else {
			out_char(&o, fmt[i]);
			i++;
		}
	}
	va_end(args);
	written = o.len;
	if ((written >= size) && (size > 0u)) {
		written = size - 1u;
	} else if (written >= size) {
		written = 0u;
	} else {
		/* the whole output fitted */
	}
	if (size > 0u) {
		buf[written] = '\0';
	}
	return written;
}
