/*
 * prctl(PR_SET_MM): the layout figures of the caller's address space (Linux kernel/sys.c
 * prctl_set_mm, prctl_set_mm_map, validate_prctl_map_addr, prctl_set_auxv,
 * prctl_set_mm_exe_file). PR_SET_MM_MAP (and its size) needs no privilege but for a new
 * exe file; the single fields need CAP_SYS_RESOURCE. The figures are the sentry's (struct
 * mm: /proc/PID/stat, cmdline, environ, auxv, brk); where the stub's own break carries the
 * guest's (mm->host_brk) the stub gets the new break too, or, if its kernel refuses it,
 * the sentry maps the heap itself from then on.
 */
#include <linux/prctl.h>
#include <string.h>
#include <sys/resource.h>

#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/vma.h"
#include "syscalls/internal.h"

#define CAP_CHECKPOINT_RESTORE_ 40 /* (older headers lack it) */

/* The map's eleven addresses, in order (Linux checks each against the address space). */
static unsigned long *
map_field(struct prctl_mm_map *m, int i)
{
	unsigned long *f[] = {
		(unsigned long *)&m->start_code, (unsigned long *)&m->end_code,
		(unsigned long *)&m->start_data, (unsigned long *)&m->end_data,
		(unsigned long *)&m->start_brk, (unsigned long *)&m->brk,
		(unsigned long *)&m->start_stack, (unsigned long *)&m->arg_start,
		(unsigned long *)&m->arg_end, (unsigned long *)&m->env_start,
		(unsigned long *)&m->env_end,
	};

	return i < (int)ARRAY_SIZE(f) ? f[i] : NULL;
}

/* Linux validate_prctl_map_addr: every address inside the address space and above
 * mmap_min_addr, the pairs ordered, the break and data within RLIMIT_DATA (-EINVAL). */
static int
map_valid(struct task *t, struct prctl_mm_map *m)
{
	rlim_t data = t->leader->rlim[RLIMIT_DATA].rlim_cur;
	unsigned long *f;

	for (int i = 0; (f = map_field(m, i)); i++)
		if (*f >= VMA_TASK_SIZE || *f < (unsigned long)mmap_min_addr())
			return -EINVAL;
	if (m->start_code >= m->end_code || m->start_data > m->end_data ||
	    m->start_brk > m->brk || m->arg_start > m->arg_end || m->env_start > m->env_end)
		return -EINVAL;
	if (data != RLIM_INFINITY &&
	    (m->brk - m->start_brk) + (m->end_data - m->start_data) > data)
		return -EINVAL;
	return 0;
}

/* The address space's figures as a map (no new exe file). */
static void
map_of(const struct mm *mm, struct prctl_mm_map *m)
{
	*m = (struct prctl_mm_map){
		.start_code = mm->start_code, .end_code = mm->end_code,
		.start_data = mm->start_data, .end_data = mm->end_data,
		.start_brk = mm->brk_start, .brk = mm->brk, .start_stack = mm->start_stack,
		.arg_start = mm->arg_start, .arg_end = mm->arg_end,
		.env_start = mm->env_start, .env_end = mm->env_end, .exe_fd = (uint32_t)-1,
	};
}

/* Takes the map's figures. A new break reaches the stub that runs brk itself. */
static void
map_apply(struct task *t, const struct prctl_mm_map *m)
{
	struct mm *mm = t->mm;
	bool brk_moved = m->start_brk != mm->brk_start || m->brk != mm->brk;

	mm->start_code = m->start_code;
	mm->end_code = m->end_code;
	mm->start_data = m->start_data;
	mm->end_data = m->end_data;
	mm->brk_start = m->start_brk;
	mm->brk = m->brk;
	mm->start_stack = m->start_stack;
	mm->arg_start = m->arg_start;
	mm->arg_end = m->arg_end;
	mm->env_start = m->env_start;
	mm->env_end = m->env_end;
	if (!brk_moved)
		return;
	/* (what is mapped there now is the new heap's start, as for Linux's next brk) */
	mm->brk_mapped = PAGE_UP(m->brk);
	if (mm->host_brk) {
		struct prctl_mm_map host = *m;

		host.exe_fd = (uint32_t)-1;
		host.auxv = 0;
		host.auxv_size = 0;
		if (plat_set_mm_map(t->ctx, &host, NULL, 0) != 0)
			mm->host_brk = false;
	}
}

/* The saved auxiliary vector becomes saved (MM_SAVED_AUXV words). */
static void
auxv_keep(struct mm *mm, const unsigned long *saved)
{
	free(mm->auxv);
	mm->auxv_len = MM_SAVED_AUXV * sizeof(long);
	mm->auxv = xmalloc(mm->auxv_len);
	memcpy(mm->auxv, saved, mm->auxv_len);
}

/* The saved vector as it is now, zero-filled past what the image started with. */
static void
auxv_now(const struct mm *mm, unsigned long *saved)
{
	memset(saved, 0, MM_SAVED_AUXV * sizeof(long));
	if (mm->auxv)
		memcpy(saved, mm->auxv, MIN(mm->auxv_len, MM_SAVED_AUXV * sizeof(long)));
}

/* Linux prctl_set_mm_exe_file: an executable regular file the caller may run becomes
 * /proc/PID/exe, once the old one is no longer mapped (EBUSY). */
static int
set_exe_file(struct task *t, long fd)
{
	struct file *f = sys_fd_io(t, fd);
	struct mm *mm = t->mm;

	if (!f)
		return -EBADF;
	int err = file_exec_ok(t, f);
	if (err)
		return err;
	for (int i = 0; mm->exe_file && i < mm->nvmas; i++)
		if (mm->vmas[i].name && mm->exe_path &&
		    !strcmp(mm->vmas[i].name->path, mm->exe_path))
			return -EBUSY;
	if (exe_deny(f) != 0)
		return -EACCES;
	exe_allow(mm->exe_file);
	mm->exe_file = f;
	mm_set_exe(mm, f, NULL);
	return 0;
}

static long
set_mm_map(struct task *t, unsigned long uaddr, unsigned long size)
{
	unsigned long saved[MM_SAVED_AUXV];
	struct prctl_mm_map m;

	if (size != sizeof(m))
		return -EINVAL;
	if (copy_from_guest(t, &m, uaddr, sizeof(m)))
		return -EFAULT;
	int err = map_valid(t, &m);
	if (err)
		return err;
	if (m.auxv_size) {
		if (!m.auxv || m.auxv_size > sizeof(saved))
			return -EINVAL;
		memset(saved, 0, sizeof(saved));
		if (copy_from_guest(t, saved, (unsigned long)m.auxv, m.auxv_size))
			return -EFAULT;
		saved[MM_SAVED_AUXV - 2] = saved[MM_SAVED_AUXV - 1] = 0; /* AT_NULL last */
	}
	if (m.exe_fd != (uint32_t)-1) {
		/* Linux checkpoint_restore_ns_capable of the caller's own user namespace */
		if (!((t->cap_eff >> CAP_SYS_ADMIN) & 1) &&
		    !((t->cap_eff >> CAP_CHECKPOINT_RESTORE_) & 1))
			return -EPERM;
		err = set_exe_file(t, m.exe_fd);
		if (err)
			return err;
	}
	map_apply(t, &m);
	if (m.auxv_size)
		auxv_keep(t->mm, saved);
	return 0;
}

/* PR_SET_MM_AUXV: the first len bytes of the saved vector (its last word pair AT_NULL). */
static long
set_auxv(struct task *t, unsigned long uaddr, unsigned long len)
{
	unsigned long user[MM_SAVED_AUXV] = { 0 }, saved[MM_SAVED_AUXV];

	if (len > sizeof(user))
		return -EINVAL;
	if (len && copy_from_guest(t, user, uaddr, len))
		return -EFAULT;
	user[MM_SAVED_AUXV - 2] = user[MM_SAVED_AUXV - 1] = 0;
	auxv_now(t->mm, saved);
	memcpy(saved, user, len);
	auxv_keep(t->mm, saved);
	return 0;
}

/* One of the single fields (PR_SET_MM_START_CODE to PR_SET_MM_ENV_END), checked with
 * the others as a whole map; the stack and argument ones must lie below some mapping. */
static long
set_field(struct task *t, int opt, unsigned long addr)
{
	struct prctl_mm_map m;
	struct mm *mm = t->mm;
	static const int fields[] = {
		[PR_SET_MM_START_CODE] = 0, [PR_SET_MM_END_CODE] = 1,
		[PR_SET_MM_START_DATA] = 2, [PR_SET_MM_END_DATA] = 3,
		[PR_SET_MM_START_BRK] = 4, [PR_SET_MM_BRK] = 5,
		[PR_SET_MM_START_STACK] = 6, [PR_SET_MM_ARG_START] = 7,
		[PR_SET_MM_ARG_END] = 8, [PR_SET_MM_ENV_START] = 9, [PR_SET_MM_ENV_END] = 10,
	};

	if (addr >= VMA_TASK_SIZE || addr < (unsigned long)mmap_min_addr())
		return -EINVAL;
	if (opt < PR_SET_MM_START_CODE || opt > PR_SET_MM_ENV_END)
		return -EINVAL;
	map_of(mm, &m);
	*map_field(&m, fields[opt]) = addr;
	int err = map_valid(t, &m);
	if (err)
		return err;
	/* Linux find_vma: a mapping ending above addr */
	bool below_one = mm->nvmas && mm->vmas[mm->nvmas - 1].end > addr;
	if ((opt == PR_SET_MM_START_STACK || opt >= PR_SET_MM_ARG_START) && !below_one)
		return -EFAULT;
	map_apply(t, &m);
	return 0;
}

long
prctl_set_mm(struct task *t, const struct sysargs *a)
{
	int opt = (int)a->a[1];
	unsigned long addr = a->a[2], arg4 = a->a[3];

	if (a->a[4] || (arg4 && opt != PR_SET_MM_AUXV && opt != PR_SET_MM_MAP &&
			opt != PR_SET_MM_MAP_SIZE))
		return -EINVAL;
	if (!t->mm)
		return -EINVAL;
	if (opt == PR_SET_MM_MAP_SIZE) {
		unsigned int size = sizeof(struct prctl_mm_map);
		return copy_to_guest(t, addr, &size, sizeof(size)) ? -EFAULT : 0;
	}
	if (opt == PR_SET_MM_MAP)
		return set_mm_map(t, addr, arg4);
	if (!task_capable(t, CAP_SYS_RESOURCE))
		return -EPERM;
	if (opt == PR_SET_MM_EXE_FILE)
		return set_exe_file(t, (long)(unsigned int)addr);
	if (opt == PR_SET_MM_AUXV)
		return set_auxv(t, addr, arg4);
	return set_field(t, opt, addr);
}
