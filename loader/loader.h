/*
 * The loader: builds a fresh guest address space for execve.
 * The program (and its interpreter) are read through the sandbox's VFS, never from the host.
 */
#pragma once
#include <sys/user.h>

struct task;
struct fs_context;

struct ld_result {
	struct user_regs_struct regs;   /* initial registers (rip, rsp, zeroed rest) */
	char errmsg[256];               /* one line, set when ld_exec fails */
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
