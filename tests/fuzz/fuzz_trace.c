/*
 * libFuzzer target for syscall argument decoding: the --trace formatter (sys_trace_format in
 * syscalls/dispatch.c, with the real table's argument formats) and the guest-memory helpers
 * it and every handler use (sentry/usermem.c: string copies that stop at unmapped pages).
 *
 * The input picks a syscall number, a result and six arguments, each either raw or a pointer
 * into a fake guest address space of 8 pages whose contents and holes also come from the
 * input. Built by `make fuzz` (tests/fuzz.sh) against the whole sentry minus main.c, with
 * process_vm_readv/writev renamed to the fakes below (-D), so usermem.c runs unchanged.
 *
 * Checks besides "no crash" (ASan/UBSan): the line is NUL-terminated, within its buffer,
 * ends with its only newline and holds printable characters only; strncpy_from_guest never
 * reports a length past its limit and its copy has no NUL before that length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "sentry/oci.h"
#include "sentry/sentry.h"
#include "syscalls/syscalls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* main.c's, which the OCI runtime (sentry/oci.c) calls; never reached from here. */
int
sandbox_run(int argc, char **argv, const struct oci_run *x)
{
	(void)argc, (void)argv, (void)x;
	abort();
}

void
sandbox_run_check(int argc, char **argv)
{
	(void)argc, (void)argv;
	abort();
}

int
sandbox_help(void)
{
	abort();
}

#define GBASE 0x10000000UL
#define GPAGES 8
static unsigned char guest[GPAGES * PAGE_SIZE];
static uint8_t mapped;    /* bit i: page i is mapped */

/* The kernel's partial-transfer rule: bytes up to the first unmapped page, -1 if none. */
static ssize_t
fake_vm(const struct iovec *local, const struct iovec *remote, bool write)
{
	unsigned long a = (unsigned long)remote->iov_base;
	size_t n = MIN(local->iov_len, remote->iov_len), done = 0;

	while (done < n) {
		unsigned long p = a + done;
		if (p < GBASE || p >= GBASE + sizeof(guest) || !(mapped & (1u << ((p - GBASE) / PAGE_SIZE))))
			break;
		size_t k = MIN(n - done, PAGE_SIZE - (p & (PAGE_SIZE - 1)));
		if (write)
			memcpy(guest + (p - GBASE), (char *)local->iov_base + done, k);
		else
			memcpy((char *)local->iov_base + done, guest + (p - GBASE), k);
		done += k;
	}
	if (!done && n) {
		errno = EFAULT;
		return -1;
	}
	return done;
}

ssize_t
fuzz_vm_readv(pid_t pid, const struct iovec *local, unsigned long liovcnt,
	      const struct iovec *remote, unsigned long riovcnt, unsigned long flags)
{
	return liovcnt == 1 && riovcnt == 1 ? fake_vm(local, remote, false) : -1;
}

ssize_t
fuzz_vm_writev(pid_t pid, const struct iovec *local, unsigned long liovcnt,
	       const struct iovec *remote, unsigned long riovcnt, unsigned long flags)
{
	return liovcnt == 1 && riovcnt == 1 ? fake_vm(local, remote, true) : -1;
}

struct input {
	const uint8_t *p;
	size_t left;
};

static uint64_t
take(struct input *in, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n && in->left; i++, in->left--)
		v |= (uint64_t)*in->p++ << (8 * i);
	return v;
}

static void
check_line(const char *line, int n, size_t size)
{
	if (n <= 0 || (size_t)n >= size || line[n] != '\0' || line[n - 1] != '\n' ||
	    strlen(line) != (size_t)n)
		abort();
	for (int i = 0; i < n - 1; i++)
		if ((unsigned char)line[i] < 0x20 || (unsigned char)line[i] >= 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long results[] = { 0, 1, -1, -2, -4095, -4096, SYSRET_NATIVE, SYSRET_BLOCK,
					SYSRET_EXITED, SYSRET_DONE, 0x7fffffffffffL, LONG_MIN };
	struct input in = { data, size };
	struct task t = { .tid = 1, .tgid = 1 };
	struct sysargs a = { 0 };

	a.nr = (long)(int16_t)take(&in, 2);      /* negative and past the table too */
	uint64_t sel = take(&in, 2);
	long r = (sel >> 12) < ARRAY_SIZE(results) ? results[sel >> 12] : (long)take(&in, 8);
	for (int i = 0; i < 6; i++) {
		uint64_t v = take(&in, 4);
		switch ((sel >> (2 * i)) & 3) {
		case 0: a.a[i] = v | take(&in, 4) << 32; break;          /* raw */
		case 1: a.a[i] = GBASE + v % (sizeof(guest) + 64); break; /* into (or past) guest memory */
		case 2: a.a[i] = v & 0xffff; break;                       /* small */
		case 3: a.a[i] = -(unsigned long)(v & 0xff); break;       /* negative: AT_FDCWD... */
		}
	}
	mapped = take(&in, 1);
	memset(guest, 0, sizeof(guest));
	memcpy(guest, in.p, MIN(in.left, sizeof(guest)));

	/* the formatter, with a roomy and a tight buffer */
	char line[1024];
	const struct sysent *e = sys_lookup(a.nr);
	check_line(line, sys_trace_format(&t, &a, e, r, line, sizeof(line)), sizeof(line));
	char small[256];
	check_line(small, sys_trace_format(&t, &a, e, r, small, sizeof(small)), sizeof(small));

	/* string copies across page holes, at several limits */
	static const size_t limits[] = { 1, 2, 64, PAGE_SIZE, PAGE_SIZE + 1, 3 * PAGE_SIZE };
	char *buf = malloc(3 * PAGE_SIZE);
	for (size_t i = 0; i < ARRAY_SIZE(limits); i++) {
		long len = strncpy_from_guest(&t, buf, a.a[0], limits[i]);
		if (len >= (long)limits[i] || (len < 0 && len != -EFAULT && len != -ENAMETOOLONG))
			abort();
		if (len >= 0 && (buf[len] != '\0' || memchr(buf, '\0', len)))
			abort();
	}
	free(buf);
	char *path = NULL;
	if (path_from_guest(&t, a.a[1], &path) == 0) {
		if (!*path || strlen(path) >= PATH_MAX)
			abort();
		free(path);
	}
	/* partial copies report a prefix no longer than asked */
	char tmp[3 * PAGE_SIZE];
	memset(tmp, 0x5a, sizeof(tmp));
	size_t want = a.a[2] % sizeof(tmp);
	if (copy_from_guest_partial(&t, tmp, a.a[3], want) > want)
		abort();
	if (copy_to_guest_partial(&t, a.a[4], tmp, want) > want)
		abort();
	return 0;
}
