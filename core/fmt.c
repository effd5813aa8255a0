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

static void out_char(struct fmt_out *o, char c)
{
	if (o->len + 1u < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

static void out_str(struct fmt_out *o, const char *s)
{
	if (s == NULL) {
		s = "(null)";
	}
	while (*s != '\0') {
		out_char(o, *s);
		s++;
	}
}

static void out_unsigned(struct fmt_out *o, uint64_t v, unsigned base, unsigned min_digits)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[24];
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

size_t fmt_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { buf, size, 0u };

	for (const char *p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			out_char(&o, *p);
			continue;
		}
		p++;
		unsigned width = 0u;
		while ((*p >= '0') && (*p <= '9')) {
			width = (width * 10u) + (unsigned)(*p - '0');
			p++;
		}
		bool is_long = false;
		if (*p == 'l') {
			is_long = true;
			p++;
		}
		switch (*p) {
		case 's':
			out_str(&o, va_arg(ap, const char *));
			break;
		case 'c':
			out_char(&o, (char)va_arg(ap, int));
			break;
		case 'd': {
			int64_t v = is_long ? va_arg(ap, int64_t) : (int64_t)va_arg(ap, int);
			if (v < 0) {
				out_char(&o, '-');
				out_unsigned(&o, (uint64_t)0 - (uint64_t)v, 10u, width);
			} else {
				out_unsigned(&o, (uint64_t)v, 10u, width);
			}
			break;
		}
		case 'u':
			out_unsigned(&o, is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10u, width);
			break;
		case 'x':
			out_unsigned(&o, is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16u, width);
			break;
		case 'p':
			out_str(&o, "0x");
			out_unsigned(&o, (uint64_t)(uintptr_t)va_arg(ap, void *), 16u, width);
			break;
		case '%':
			out_char(&o, '%');
			break;
		default:
			/* An unknown conversion is a hypervisor bug: show it rather than guess. */
			out_str(&o, "%?");
			if (*p == '\0') {
				p--;
			}
			break;
		}
	}
	if (size > 0u) {
		o.buf[(o.len < size) ? o.len : (size - 1u)] = '\0';
	}
	return (o.len < size) ? o.len : ((size > 0u) ? (size - 1u) : 0u);
}
