/* SPDX-License-Identifier: MIT */
/*
 * newlib system calls: output goes to the partition's console channel when
 * its device tree has one (the service partition prints it), otherwise to
 * the hypervisor's debug console; input comes from the console channel; the
 * heap lies between the program and its stacks, exit stops the partition.
 * stdio is vCPU 0's (bhrt.h): the console channel's doorbell is taken there.
 */
#include <bulkhead/channel.h>
#include <bulkhead/hypercall.h>
#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "bhrt.h"
#include "bhrt_channel.h"

/* How long a write waits for room in the console ring before it drops the
 * record and counts it (the service partition reports the count): a stopped
 * service partition must not stop this one. */
#define CONSOLE_WAIT_US 200000u
#define CONSOLE_READ_WAIT_US 1000000u

enum console_state {
	CONSOLE_UNKNOWN = 0,    /* the device tree not read yet */
	CONSOLE_CHANNEL = 1,    /* the console channel is open */
	CONSOLE_DEBUG = 2,      /* none: the debug console hypercall */
};

static struct rt_channel console;

static bool console_channel(void)
{
	static enum console_state console_state;

	if (console_state == CONSOLE_UNKNOWN) {
		struct rt_channel_info info;

		/* Its own console is end 0; the service partition is end 1 of every other partition's. */
		console_state = ((rt_channel_find("console", &info) == 0) && (info.kind == RT_CHANNEL_CONSOLE) &&
				 (info.end == 0u) &&
				 (rt_channel_open(&console, &info, BH_CONSOLE_SLOT, RT_RING_BACKPRESSURE) == RT_RING_OK))
					? CONSOLE_CHANNEL
					: CONSOLE_DEBUG;
	}
	return console_state == CONSOLE_CHANNEL;
}

/* One record into the console channel; a record the ring has no room for in time is counted as dropped. */
static void channel_write(const char *buf, size_t len)
{
	if (rt_channel_write(&console, buf, len, CONSOLE_WAIT_US) != RT_RING_OK) {
		console.tx.drops++;
		__atomic_store_n(console.tx.dropped, console.tx.drops, __ATOMIC_RELEASE);
	}
}

static int console_write(const char *buf, int len)
{
	size_t max = rt_ring_max_payload(&console.tx);
	size_t done = 0u;

	while (done < (size_t)len) {
		size_t n = (((size_t)len - done) < max) ? ((size_t)len - done) : max;

		channel_write(&buf[done], n);
		done += n;
	}
	return len;
}

extern char __heap_start[], __heap_end[];

int _write(int fd, const char *buf, int len);
int _read(int fd, char *buf, int len);
void *_sbrk(ptrdiff_t incr);
_Noreturn void _exit(int status);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _lseek(int fd, int off, int whence);
int _kill(int pid, int sig);
int _getpid(void);

int _write(int fd, const char *buf, int len)
{
	int done = 0;

	if ((fd != 1) && (fd != 2)) {
		errno = EBADF;
		return -1;
	}
	if (console_channel()) {
		return console_write(buf, len);
	}
	while (done < len) {
		long r = rt_console_write(&buf[done], (size_t)len - (size_t)done);
		if (r <= 0) {
			errno = EIO;
			return (done > 0) ? done : -1;
		}
		done += (int)r;
	}
	return done;
}

/* Typed input from the console channel: waits for a record, returns what it has (at least a byte). */
int _read(int fd, char *buf, int len)
{
	static uint8_t input[BH_CONSOLE_SLOT];   /* the input record being read */
	static size_t input_len;
	static size_t input_pos;
	int n = 0;

	if ((fd != 0) || (len < 0)) {
		errno = EBADF;
		return -1;
	}
	if (!console_channel()) {
		return 0;   /* no console input: end of file */
	}
	while (input_pos >= input_len) {
		size_t got = 0u;

		/* Waits of a second at a time: a deadline of "never" (a CVAL near 2^64) makes
		 * QEMU 7.2's generic timer re-arm itself without end. */
		if (rt_channel_read(&console, input, sizeof(input), &got, CONSOLE_READ_WAIT_US) == RT_RING_OK) {
			input_len = got;
			input_pos = 0u;
		}
	}
	while ((n < len) && (input_pos < input_len)) {
		buf[n] = (char)input[input_pos];
		input_pos++;
		n++;
	}
	return n;
}

void *_sbrk(ptrdiff_t incr)
{
	static char *brk = __heap_start;
	char *old = brk;

	if ((incr > (__heap_end - brk)) || (incr < (__heap_start - brk))) {
		errno = ENOMEM;
		return (void *)-1;
	}
	brk += incr;
	return old;
}

_Noreturn void _exit(int status)
{
	(void)rt_printf("exit(%d)\n", status);
	rt_system_off();
}

int _close(int fd)
{
	(void)fd;
	return 0;
}

int _fstat(int fd, struct stat *st)
{
	(void)fd;
	st->st_mode = S_IFCHR;
	return 0;
}

int _isatty(int fd)
{
	return (fd >= 0) && (fd <= 2);
}

int _lseek(int fd, int off, int whence)
{
	(void)fd;
	(void)off;
	(void)whence;
	return 0;
}

int _kill(int pid, int sig)
{
	(void)pid;
	(void)sig;
	errno = EINVAL;
	return -1;
}

int _getpid(void)
{
	return 1;
}
