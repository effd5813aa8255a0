/* SPDX-License-Identifier: MIT */
/*
 * The Linux disk benchmark's reader (tests/bench/bench_linux.py): reads
 * /dev/vda from start to end with O_DIRECT (every byte comes from the device,
 * none from the page cache) in 64 KiB requests, between two functions whose
 * first instructions are the plugin's points, prints what it read and powers
 * the machine (or the partition) off. Static, non-PIE, no libc: the points
 * lie at the same addresses natively and under Bulkhead.
 */
#define AT_FDCWD (-100)
#define O_DIRECT 0200000          /* arm64 */
#define CHUNK 65536

static char buf[CHUNK] __attribute__((aligned(4096)));

static long sys3(long nr, long a, long b, long c)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
}

/* The measured span: from the first instruction of one to the first of the other. */
__attribute__((noinline)) void bench_disk_start(void) { __asm__ volatile(""); }
__attribute__((noinline)) void bench_disk_end(void) { __asm__ volatile(""); }

static void say(const char *s)
{
	long n = 0;

	while (s[n])
		n++;
	sys3(64, 1, (long)s, n);
}

static void say_number(unsigned long v)
{
	char d[24];
	int i = 23;

	d[i] = 0;
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	say(&d[i]);
}

void _start(void)
{
	unsigned long total = 0;
	long fd = sys3(56, AT_FDCWD, (long)"/dev/vda", O_DIRECT);
	long n = 0;

	if (fd >= 0) {
		bench_disk_start();
		while ((n = sys3(63, fd, (long)buf, CHUNK)) > 0)
			total += (unsigned long)n;
		bench_disk_end();
	}
	say("BULKHEAD-BENCH-DISK bytes ");
	say_number(total);
	say(fd < 0 || n < 0 ? " (error)\n" : "\n");
	sys3(142, (long)0xfee1dead, 0x28121969, 0x4321fedc);   /* reboot(POWER_OFF) */
	for (;;)
		;
}
