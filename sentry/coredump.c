/*
 * Core dumps with the program's memory, as Linux's elf_core_dump writes them
 * (fs/binfmt_elf.c) with core_pattern "core": an ELF core file with a PT_NOTE segment
 * (NT_PRSTATUS, NT_PRPSINFO, NT_SIGINFO, NT_AUXV, NT_FILE, NT_FPREGSET, NT_X86_XSTATE) and
 * one PT_LOAD per mapping, holding what /proc/PID/coredump_filter asks for (by default
 * private and shared anonymous memory, written private file pages and the first page of
 * each mapped ELF file). It is written while the dumping thread is stopped for its fatal
 * signal, so gdb PROG core shows where it died.
 *
 * Left out: the registers of the process's other threads that run on the host meanwhile
 * (guest code, or a call the host serves such as a futex wait): Linux stops them all and
 * writes each one's; here only those the sentry holds stopped are in the core. And pages of a mapping that was never touched are written as zeros (a hole) where Linux
 * leaves out a private mapping that has none of its own pages yet.
 */
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/procfs.h>
#include <sys/user.h>

#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"

#define CORE_CHUNK (64UL << 10)
#define NT_X86_XSTATE_ 0x202

/* coredump_filter bits (Linux MMF_DUMP_*) */
enum {
	DUMP_ANON_PRIVATE = 1 << 0,
	DUMP_ANON_SHARED = 1 << 1,
	DUMP_MAPPED_PRIVATE = 1 << 2,
	DUMP_MAPPED_SHARED = 1 << 3,
	DUMP_ELF_HEADERS = 1 << 4,
};

struct notes {
	char *buf;
	size_t len, cap;
};

static void
note_add(struct notes *n, const char *name, unsigned type, const void *desc, size_t size)
{
	size_t namesz = strlen(name) + 1, need = sizeof(Elf64_Nhdr) + ((namesz + 3) & ~3UL) +
						 ((size + 3) & ~3UL);
	Elf64_Nhdr h = { .n_namesz = (Elf64_Word)namesz, .n_descsz = (Elf64_Word)size,
			 .n_type = type };

	if (n->len + need > n->cap) {
		size_t cap = MAX(n->cap * 2, n->len + need);
		char *b = xmalloc(cap);
		if (n->len)
			memcpy(b, n->buf, n->len);
		free(n->buf);
		n->buf = b;
		n->cap = cap;
	}
	char *p = n->buf + n->len;
	memset(p, 0, need);
	memcpy(p, &h, sizeof(h));
	memcpy(p + sizeof(h), name, namesz);
	memcpy(p + sizeof(h) + ((namesz + 3) & ~3UL), desc, size);
	n->len += need;
}

static bool
name_is_file(const struct vma *v)
{
	return v->name && v->name->path[0] != '[';
}

/* Linux's vma_dump_size: how many bytes of v the core holds, from its start. */
static unsigned long
dump_size(struct task *t, const struct vma *v, unsigned filter)
{
	unsigned long size = v->end - v->start;

	if (v->flags & VMA_RESERVED || !(v->prot & PROT_READ))
		return 0;
	if (v->name && !name_is_file(v))
		return size; /* the vDSO and its data, as Linux's always_dump_vma */
	if (v->flags & VMA_DONTDUMP)
		return 0;
	if (v->shm || (v->flags & VMA_SHARED)) {
		/* a deleted file (memfd, shm) counts as anonymous memory */
		size_t n = v->name ? strlen(v->name->path) : 0;
		bool anon = v->shm || (n > 10 && !strcmp(v->name->path + n - 10, " (deleted)"));
		return (filter & (anon ? DUMP_ANON_SHARED : DUMP_MAPPED_SHARED)) ? size : 0;
	}
	/* private: its own pages (accounted once writable) count as anonymous memory */
	if ((!v->name || v->flags & VMA_ACCOUNTED) && filter & DUMP_ANON_PRIVATE)
		return size;
	if (!v->name)
		return 0;
	if (filter & DUMP_MAPPED_PRIVATE)
		return size;
	unsigned char magic[SELFMAG];
	if (filter & DUMP_ELF_HEADERS && v->off == 0 &&
	    copy_from_guest(t, magic, v->start, sizeof(magic)) == 0 &&
	    !memcmp(magic, ELFMAG, SELFMAG))
		return PAGE_SIZE;
	return 0;
}

/* NT_FILE: count, page size, (start, end, page offset) for each file mapping, names. */
static void
note_files(struct notes *n, const struct mm *mm)
{
	size_t count = 0, names = 0;

	for (int i = 0; i < mm->nvmas; i++)
		if (name_is_file(&mm->vmas[i]) && !(mm->vmas[i].flags & VMA_RESERVED)) {
			count++;
			names += strlen(mm->vmas[i].name->path) + 1;
		}
	size_t size = (2 + 3 * count) * sizeof(long) + names;
	unsigned long *d = xcalloc(1, size);
	char *s = (char *)(d + 2 + 3 * count);
	size_t k = 0;

	d[0] = count;
	d[1] = PAGE_SIZE;
	for (int i = 0; i < mm->nvmas; i++) {
		const struct vma *v = &mm->vmas[i];
		if (!name_is_file(v) || v->flags & VMA_RESERVED)
			continue;
		d[2 + 3 * k] = v->start;
		d[3 + 3 * k] = v->end;
		d[4 + 3 * k] = v->off / PAGE_SIZE;
		k++;
		size_t len = strlen(v->name->path) + 1;
		memcpy(s, v->name->path, len);
		s += len;
	}
	note_add(n, "CORE", NT_FILE, d, size);
	free(d);
}

static void
note_prstatus(struct notes *n, struct task *t, int sig, const struct user_regs_struct *r,
	      bool fpvalid)
{
	struct elf_prstatus ps;
	unsigned long mask = 0, u = 0, s = 0;

	memset(&ps, 0, sizeof(ps));
	ps.pr_info.si_signo = ps.pr_cursig = (short)sig;
	if (plat_get_sigmask(t->ctx, &mask) == 0)
		ps.pr_sighold = mask;
	ps.pr_pid = task_vnr(t, t->tid);
	ps.pr_ppid = task_vnr(t, t->ppid);
	ps.pr_pgrp = task_vnr(t, t->pgid);
	ps.pr_sid = task_vnr(t, t->sid);
	if (plat_cpu_times(t->ctx, &u, &s) == 0) {
		ps.pr_utime.tv_sec = (long)(u / 1000000), ps.pr_utime.tv_usec = (long)(u % 1000000);
		ps.pr_stime.tv_sec = (long)(s / 1000000), ps.pr_stime.tv_usec = (long)(s % 1000000);
	}
	_Static_assert(sizeof(ps.pr_reg) == sizeof(*r), "elf_gregset_t is user_regs_struct");
	memcpy(&ps.pr_reg, r, sizeof(*r));
	ps.pr_fpvalid = fpvalid;
	note_add(n, "CORE", NT_PRSTATUS, &ps, sizeof(ps));
}

static void
note_prpsinfo(struct notes *n, struct task *t)
{
	struct elf_prpsinfo pi;
	const struct mm *mm = t->mm;

	memset(&pi, 0, sizeof(pi));
	pi.pr_sname = 'R'; /* running: it is dumping (pr_state 0) */
	pi.pr_nice = (char)t->nice;
	pi.pr_uid = userns_uid_out(t, t->uid);
	pi.pr_gid = userns_gid_out(t, t->gid);
	pi.pr_pid = task_vnr(t, t->tgid);
	pi.pr_ppid = task_vnr(t, t->ppid);
	pi.pr_pgrp = task_vnr(t, t->pgid);
	pi.pr_sid = task_vnr(t, t->sid);
	memcpy(pi.pr_fname, t->leader->comm, MIN(sizeof(pi.pr_fname), sizeof(t->leader->comm)));
	size_t len = MIN(mm->arg_end - mm->arg_start, sizeof(pi.pr_psargs) - 1);
	if (mm->arg_end > mm->arg_start && copy_from_guest(t, pi.pr_psargs, mm->arg_start, len))
		len = 0;
	for (size_t i = 0; i < len; i++) /* the arguments' NULs become spaces, the last too */
		if (!pi.pr_psargs[i])
			pi.pr_psargs[i] = ' ';
	pi.pr_psargs[len] = '\0';
	note_add(n, "CORE", NT_PRPSINFO, &pi, sizeof(pi));
}

/* A thread's notes: NT_PRSTATUS, (the process's, for the dumping thread,) its FPU and
 * extended state. */
static void
thread_notes(struct notes *n, struct task *t, int sig, const siginfo_t *si,
	     const struct user_regs_struct *r)
{
	struct user_fpregs_struct fp;
	size_t fplen = sizeof(fp), xlen = PLAT_XSTATE_MAX;
	bool fpvalid = plat_regset(t->ctx, false, NT_PRFPREG, &fp, &fplen) == 0 &&
		       fplen == sizeof(fp);
	void *xstate = xmalloc(PLAT_XSTATE_MAX);

	note_prstatus(n, t, sig, r, fpvalid);
	if (si) {
		note_prpsinfo(n, t);
		note_add(n, "CORE", NT_SIGINFO, si, sizeof(*si));
		if (t->mm->auxv)
			note_add(n, "CORE", NT_AUXV, t->mm->auxv, mm_auxv_shown(t->mm));
		note_files(n, t->mm);
	}
	if (fpvalid)
		note_add(n, "CORE", NT_PRFPREG, &fp, sizeof(fp));
	if (plat_regset(t->ctx, false, NT_X86_XSTATE_, xstate, &xlen) == 0 && xlen)
		note_add(n, "LINUX", NT_X86_XSTATE_, xstate, xlen);
	free(xstate);
}

/* The dumping thread t's notes first (Linux's order), then its process's other threads
 * the sentry holds stopped (in a call it serves): they are ended with it. */
static void
build_notes(struct notes *n, struct task *t, int sig, const siginfo_t *si,
	    const struct user_regs_struct *r)
{
	struct user_regs_struct or;

	thread_notes(n, t, sig, si, r);
	for (struct task *x = task_next(NULL); x; x = task_next(x))
		if (x != t && x->tgid == t->tgid && x->state != TASK_ZOMBIE && x->ctx &&
		    (plat_is_stopped(x->ctx) || plat_in_notif(x->ctx)) &&
		    plat_get_regs(x->ctx, &or) == 0)
			thread_notes(n, x, sig, NULL, &or);
}

/* The core file being written; RLIMIT_CORE counts the bytes written (holes are free). */
struct dump {
	struct file *f;
	unsigned long written, limit;
};

/* Linux's dump_emit: false when the limit or the file refused it, and the dump stops. */
static bool
emit(struct dump *d, const void *buf, size_t n, off_t off)
{
	if (d->written + n > d->limit || file_pwrite(d->f, buf, n, off) != (ssize_t)n)
		return false;
	d->written += n;
	return true;
}

/* Writes [addr, addr + len) of t's memory at off; pages it cannot read or that are all
 * zeros stay holes. */
static bool
write_memory(struct task *t, struct dump *d, unsigned long addr, unsigned long len, off_t off,
	     char *buf)
{
	static const char zero[PAGE_SIZE];

	for (unsigned long done = 0; done < len; done += CORE_CHUNK) {
		unsigned long n = MIN(CORE_CHUNK, len - done);
		bool whole = copy_from_guest(t, buf, addr + done, n) == 0;
		for (unsigned long p = 0; p < n; p += PAGE_SIZE) {
			if (!whole && copy_from_guest(t, buf + p, addr + done + p, PAGE_SIZE))
				continue;
			if (!memcmp(buf + p, zero, PAGE_SIZE))
				continue;
			if (!emit(d, buf + p, PAGE_SIZE, off + (off_t)(done + p)))
				return false;
		}
	}
	return true;
}

/* The ELF header, the program headers and the notes, then each mapping's bytes. */
static void
write_core(struct task *t, struct dump *d, const struct notes *n)
{
	const struct mm *mm = t->mm;
	unsigned filter = t->leader->coredump_filter;
	int nph = 1;

	for (int i = 0; i < mm->nvmas; i++)
		nph += !(mm->vmas[i].flags & VMA_RESERVED);
	Elf64_Phdr *ph = xcalloc(nph, sizeof(*ph));
	off_t notes_at = sizeof(Elf64_Ehdr) + nph * sizeof(Elf64_Phdr);
	off_t at = (off_t)PAGE_UP(notes_at + n->len);
	Elf64_Ehdr eh = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT,
			     ELFOSABI_NONE },
		.e_type = ET_CORE, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
		.e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr), .e_phnum = (Elf64_Half)nph,
	};

	ph[0] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = notes_at, .p_filesz = n->len,
			      .p_align = 4 };
	for (int i = 0, k = 1; i < mm->nvmas; i++) {
		const struct vma *v = &mm->vmas[i];
		if (v->flags & VMA_RESERVED)
			continue;
		ph[k] = (Elf64_Phdr){
			.p_type = PT_LOAD, .p_offset = at, .p_vaddr = v->start,
			.p_filesz = dump_size(t, v, filter), .p_memsz = v->end - v->start,
			.p_flags = (v->prot & PROT_READ ? PF_R : 0) |
				   (v->prot & PROT_WRITE ? PF_W : 0) | (v->prot & PROT_EXEC ? PF_X : 0),
			.p_align = PAGE_SIZE,
		};
		at += ph[k++].p_filesz;
	}
	bool ok = emit(d, &eh, sizeof(eh), 0) && emit(d, ph, nph * sizeof(*ph), sizeof(eh)) &&
		  emit(d, n->buf, n->len, notes_at);
	char *buf = xmalloc(CORE_CHUNK);
	for (int k = 1, i = 0; ok && k < nph; i++) {
		const struct vma *v = &mm->vmas[i];
		if (v->flags & VMA_RESERVED)
			continue;
		if (ph[k].p_filesz)
			ok = write_memory(t, d, v->start, ph[k].p_filesz, (off_t)ph[k].p_offset, buf);
		k++;
	}
	free(buf);
	free(ph);
	/* the holes at the end are part of the file too, unless the dump stopped short */
	if (ok)
		file_truncate(d->f, at);
}

/*
 * t is stopped for sig (si), whose default action dumps core, and is about to be ended by
 * it: write the core when the process may dump (dumpable, RLIMIT_CORE at least a page,
 * "core" in t's working directory made anew). Its wait status then has WCOREDUMP
 * (task_core_status), also when RLIMIT_CORE cut the file short, as on Linux (the dump
 * counts from its notes on: what does not fit is left out).
 */
void
task_dump_core(struct task *t, int sig, const siginfo_t *si)
{
	struct task *l = t->leader;
	unsigned long limit = l->rlim[RLIMIT_CORE].rlim_cur;
	struct user_regs_struct r;
	struct notes n = { 0 };
	struct dump d = { .limit = limit };

	if (l->core_sig || !l->dumpable || limit < PAGE_SIZE || !t->fs || !t->mm)
		return;
	l->core_sig = -1; /* tried: no other thread dumps, no header-only file after it */
	if (plat_get_regs(t->ctx, &r) || core_file_open(t, sig, &d.f))
		return;
	mm_sync_stack(t); /* the stack as far as the host grew it */
	build_notes(&n, t, sig, si, &r);
	write_core(t, &d, &n);
	free(n.buf);
	file_put(d.f);
	l->core_sig = sig;
}
