/* SPDX-License-Identifier: MIT */
/*
 * newlib for x86_64-elf is configured with MISSING_SYSCALL_NAMES (its
 * configure.host gives the target no syscall folder), so its reentrant
 * layer calls read(), write(), sbrk() ... where AArch64's calls _read(),
 * _write(), _sbrk(). The runtime's system calls (syscalls.c) keep the
 * underscore names; these are the plain names for x86_64's newlib.
 */
#include <stddef.h>
#include <sys/stat.h>

int _write(int fd, const char *buf, int len);
int _read(int fd, char *buf, int len);
void *_sbrk(ptrdiff_t incr);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _lseek(int fd, int off, int whence);
int _kill(int pid, int sig);
int _getpid(void);

int write(int fd, const char *buf, int len);
int read(int fd, char *buf, int len);
void *sbrk(ptrdiff_t incr);
int close(int fd);
int fstat(int fd, struct stat *st);
int isatty(int fd);
int lseek(int fd, int off, int whence);
int kill(int pid, int sig);
int getpid(void);

int write(int fd, const char *buf, int len)
{
	return _write(fd, buf, len);
}

int read(int fd, char *buf, int len)
{
	return _read(fd, buf, len);
}

void *sbrk(ptrdiff_t incr)
{
	return _sbrk(incr);
}

int close(int fd)
{
	return _close(fd);
}

int fstat(int fd, struct stat *st)
{
	return _fstat(fd, st);
}

int isatty(int fd)
{
	return _isatty(fd);
}

int lseek(int fd, int off, int whence)
{
	return _lseek(fd, off, whence);
}

int kill(int pid, int sig)
{
	return _kill(pid, sig);
}

int getpid(void)
{
	return _getpid();
}
