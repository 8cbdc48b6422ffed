/*
 * The loader: builds a fresh guest address space for execve.
 * The program (and its interpreter) are read through the sandbox's VFS, never from the host.
 */
#pragma once
#include <stdbool.h>
#include <sys/types.h>
#include <sys/user.h>

struct task;
struct fs_context;

struct ld_result {
	struct user_regs_struct regs;   /* initial registers (rip, rsp, zeroed rest) */
	unsigned long code_start, code_end; /* the program's image (for the stub's own view) */
	char errmsg[256];               /* one line, set when ld_exec fails */
	/* The effective ids the new image runs with (a set-user-ID or set-group-ID program's
	 * owner, Linux's bprm_fill_uid rules), and AT_SECURE: they differ from the real ones. */
	uid_t euid;
	gid_t egid;
	bool secure;
	/* the program or its interpreter is not readable by the caller (execute-only): the
	 * image is not dumpable (Linux would_dump) */
	bool unreadable;
};

/*
 * Loads path into t (t->ctx is an empty stub from plat_new_as, t->mm a fresh mm),
 * resolving path with t->fs. Handles "#!" scripts (one level of interpreter re-exec,
 * up to 4 nested) and ELF64 x86-64 static, static-pie and dynamic (PT_INTERP) binaries.
 * On success fills res->regs and sets t->mm's brk/stack/arg fields, returns 0.
 * Errors: -ENOENT, -EACCES, -ENOEXEC (with errmsg), -ENOMEM, -E2BIG, -ELOOP, -EFAULT...
 */
int ld_exec(struct task *t, const char *path, char *const argv[], char *const envp[],
	    struct ld_result *res);

/* After ld_exec, before the image runs: the stub's own program break becomes the guest's
 * (t->mm->host_brk then says so, and brk runs in the stub: syscalls/sys_mm.c), with the n
 * calls of more in the same stop (plat_set_mm_map). Otherwise the sentry maps the heap. */
struct plat_call;
void ld_host_brk(struct task *t, const struct ld_result *res, struct plat_call *more, int n);
