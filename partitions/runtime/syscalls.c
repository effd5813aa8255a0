/* SPDX-License-Identifier: MIT */
/*
 * newlib system calls: output goes to the hypervisor's debug console, the
 * heap lies between the program and its stacks, exit stops the partition.
 */
#include <bulkhead/hypercall.h>
#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "bhrt.h"

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

int _read(int fd, char *buf, int len)
{
	(void)fd;
	(void)buf;
	(void)len;
	return 0;
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
