/* Handler prototypes for syscalls/table.c; private to syscalls/. */
#pragma once
#include "sentry/sentry.h"
#include "syscalls/syscalls.h"

#define SYSCALL(name) long sys_##name(struct task *t, const struct sysargs *a)

/* files and I/O (sys_file.c, sys_rw.c) */
/* FILE-PROTOS-BEGIN */
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452 /* Linux 6.6; older uapi headers lack it */
#endif
#ifndef __NR_set_mempolicy_home_node
#define __NR_set_mempolicy_home_node 450 /* Linux 5.17 */
#endif
#ifndef __NR_cachestat
#define __NR_cachestat 451 /* Linux 6.5 */
#endif
#ifndef __NR_lsm_get_self_attr
#define __NR_lsm_get_self_attr 459 /* Linux 6.8 */
#define __NR_lsm_set_self_attr 460
#define __NR_lsm_list_modules 461
#endif
struct file *sys_fd_io(struct task *t, long fd);	/* like sys_fd, NULL for O_PATH files */
void sys_hold_fd(struct task *t, struct file *f);	/* a blocking call keeps f while it waits */
/* Wait until f is ready for ev (its wait queue or host fd), holding f: SYSRET_BLOCK. */
long sys_block_on(struct task *t, struct file *f, short ev);
long sys_install(struct task *t, struct file *f, bool cloexec); /* a new fd for f; puts f */
/* Copies and checks a guest iovec array (Linux import_iovec: at most UIO_MAXIOV, each range
 * a user one, lengths clamped so the total stays within MAX_RW_COUNT); *out is malloc'ed. */
struct iovec;
long sys_import_iov(struct task *t, unsigned long uvec, unsigned long cnt, struct iovec **out,
		    size_t *total);
/* dirfd for a path argument: absolute paths ignore dirfd; a non-directory dirfd with a
 * relative non-empty path is -ENOTDIR. */
int sys_dirfd_path(struct task *t, long dirfd, const char *path, struct file **out);
/* path_from_guest, but AT_EMPTY_PATH in at_flags accepts "" (and NULL when null_ok). */
int sys_path_arg(struct task *t, unsigned long addr, int at_flags, bool null_ok, char **out);
/* Linux copy_struct_from_user: a struct of usize bytes at uaddr into dst (ksize bytes):
 * a shorter one is zero-filled, a longer one's bytes past ksize must be zero (-E2BIG). */
int sys_copy_struct(struct task *t, void *dst, size_t ksize, unsigned long uaddr, size_t usize);
mode_t sys_umask_of(struct task *t);
void file_put(struct file *f);
long prctl_set_mm(struct task *t, const struct sysargs *a); /* prctl_mm.c */
static inline void
sys_file_putp(struct file **f)
{
	if (*f)
		file_put(*f);
}
SYSCALL(read); SYSCALL(write); SYSCALL(pread64); SYSCALL(pwrite64); SYSCALL(readv);
SYSCALL(writev); SYSCALL(preadv); SYSCALL(pwritev); SYSCALL(preadv2); SYSCALL(pwritev2);
SYSCALL(lseek); SYSCALL(sendfile); SYSCALL(copy_file_range); SYSCALL(open); SYSCALL(openat);
SYSCALL(openat2); SYSCALL(creat); SYSCALL(close); SYSCALL(close_range); SYSCALL(dup);
SYSCALL(dup2); SYSCALL(dup3); SYSCALL(fcntl); SYSCALL(ioctl); SYSCALL(flock);
SYSCALL(fadvise64); SYSCALL(readahead); SYSCALL(cachestat); SYSCALL(fallocate); SYSCALL(access); SYSCALL(faccessat);
SYSCALL(faccessat2); SYSCALL(readlink); SYSCALL(readlinkat); SYSCALL(getdents64);
SYSCALL(getdents); SYSCALL(mkdir); SYSCALL(mkdirat); SYSCALL(mknod); SYSCALL(mknodat);
SYSCALL(rmdir); SYSCALL(unlink); SYSCALL(unlinkat); SYSCALL(rename); SYSCALL(renameat);
SYSCALL(renameat2); SYSCALL(link); SYSCALL(linkat); SYSCALL(symlink); SYSCALL(symlinkat);
SYSCALL(mount); SYSCALL(umount2); SYSCALL(pivot_root);
SYSCALL(fsopen); SYSCALL(fsconfig); SYSCALL(fsmount); SYSCALL(fspick); SYSCALL(move_mount);
SYSCALL(open_tree);
#ifndef __NR_open_tree_attr
#define __NR_open_tree_attr 467 /* Linux 6.15 */
#endif
SYSCALL(open_tree_attr);
SYSCALL(mount_setattr);
#ifndef __NR_statmount
#define __NR_statmount 457 /* Linux 6.8 */
#define __NR_listmount 458
#endif
SYSCALL(statmount); SYSCALL(listmount);
#ifndef __NR_file_getattr
#define __NR_file_getattr 468 /* Linux 6.17 */
#define __NR_file_setattr 469
#endif
#ifndef PR_SET_MEMORY_MERGE
#define PR_SET_MEMORY_MERGE 67 /* Linux 6.4 */
#define PR_GET_MEMORY_MERGE 68
#endif
#ifndef PR_FUTEX_HASH
#define PR_FUTEX_HASH 78 /* Linux 6.16 */
#endif
#ifndef PR_TIMER_CREATE_RESTORE_IDS
#define PR_TIMER_CREATE_RESTORE_IDS 77 /* Linux 6.16 */
#define PR_TIMER_CREATE_RESTORE_IDS_OFF 0
#define PR_TIMER_CREATE_RESTORE_IDS_ON 1
#define PR_TIMER_CREATE_RESTORE_IDS_GET 2
#endif
SYSCALL(file_getattr); SYSCALL(file_setattr);
/* sys_lsm.c */
SYSCALL(landlock_create_ruleset); SYSCALL(landlock_add_rule); SYSCALL(landlock_restrict_self);
SYSCALL(lsm_list_modules);
SYSCALL(lsm_get_self_attr);
SYSCALL(lsm_set_self_attr);
SYSCALL(chdir); SYSCALL(fchdir); SYSCALL(getcwd); SYSCALL(chroot); SYSCALL(chmod);
SYSCALL(fchmod); SYSCALL(fchmodat); SYSCALL(fchmodat2); SYSCALL(chown); SYSCALL(fchown);
SYSCALL(lchown); SYSCALL(fchownat); SYSCALL(umask); SYSCALL(truncate); SYSCALL(ftruncate);
SYSCALL(fsync); SYSCALL(fdatasync); SYSCALL(sync); SYSCALL(syncfs);
SYSCALL(sync_file_range); SYSCALL(utimensat); SYSCALL(name_to_handle_at); SYSCALL(open_by_handle_at);
SYSCALL(utime); SYSCALL(utimes); SYSCALL(futimesat); SYSCALL(stat); SYSCALL(fstat);
SYSCALL(lstat); SYSCALL(newfstatat); SYSCALL(statx); SYSCALL(statfs); SYSCALL(fstatfs); SYSCALL(ustat); SYSCALL(sysfs);
SYSCALL(getxattr); SYSCALL(lgetxattr); SYSCALL(fgetxattr); SYSCALL(listxattr);
SYSCALL(llistxattr); SYSCALL(flistxattr); SYSCALL(setxattr); SYSCALL(lsetxattr);
SYSCALL(fsetxattr); SYSCALL(removexattr); SYSCALL(lremovexattr); SYSCALL(fremovexattr);
#ifndef __NR_setxattrat
#define __NR_setxattrat 463 /* Linux 6.13 */
#define __NR_getxattrat 464
#define __NR_listxattrat 465
#define __NR_removexattrat 466
#endif
SYSCALL(setxattrat); SYSCALL(getxattrat); SYSCALL(listxattrat); SYSCALL(removexattrat);
SYSCALL(inotify_init); SYSCALL(inotify_init1); SYSCALL(inotify_add_watch);
SYSCALL(inotify_rm_watch);
/* FILE-PROTOS-END */

/* memory (sys_mm.c) */
/* MM-PROTOS-BEGIN */
SYSCALL(mmap);
SYSCALL(munmap);
SYSCALL(mprotect);
SYSCALL(pkey_mprotect);
SYSCALL(madvise);
SYSCALL(process_madvise);
SYSCALL(process_mrelease);
SYSCALL(mremap);
SYSCALL(remap_file_pages);
SYSCALL(brk);
SYSCALL(msync);
SYSCALL(mm_native);
/* MM-PROTOS-END */
/* sys_mm.c: the shift of the huge page size a MAP_HUGE_/SHM_HUGE_ field names (0: the
 * default, 2M), -EINVAL for one x86-64 has not (Linux hstate_sizelog) */
int huge_page_shift(int log);

/* processes (sys_proc.c) */
/* PROC-PROTOS-BEGIN */
SYSCALL(fork);
SYSCALL(vfork);
SYSCALL(clone);
SYSCALL(clone3);
SYSCALL(execve);
SYSCALL(execveat);
SYSCALL(getpid);
SYSCALL(gettid);
SYSCALL(getppid);
SYSCALL(getuid);
SYSCALL(geteuid);
SYSCALL(getgid);
SYSCALL(getegid);
SYSCALL(getresuid);
SYSCALL(getresgid);
SYSCALL(getgroups);
SYSCALL(setgroups);
SYSCALL(setuid);
SYSCALL(setgid);
SYSCALL(setreuid);
SYSCALL(setregid);
SYSCALL(setresuid);
SYSCALL(setresgid);
SYSCALL(setfsuid);
SYSCALL(setfsgid);
SYSCALL(getpgrp);
SYSCALL(getpgid);
SYSCALL(setpgid);
SYSCALL(getsid);
SYSCALL(setsid);
SYSCALL(reboot);
SYSCALL(exit);
SYSCALL(exit_group);
SYSCALL(uname);
SYSCALL(setdomainname); SYSCALL(sethostname);
SYSCALL(syslog);
SYSCALL(arch_prctl);
SYSCALL(set_tid_address);
SYSCALL(prlimit64);
SYSCALL(getrlimit);
SYSCALL(setrlimit);
SYSCALL(sched_getaffinity);
SYSCALL(sched_setaffinity);
void task_apply_rlimits(struct task *t); /* the guest's RLIMIT_CPU, on the host */
SYSCALL(sched_getparam);
SYSCALL(sched_setparam);
SYSCALL(sched_getscheduler);
SYSCALL(sched_setscheduler);
SYSCALL(sched_rr_get_interval);
SYSCALL(sched_getattr);
SYSCALL(sched_setattr);
SYSCALL(ioprio_get);
SYSCALL(io_setup);
SYSCALL(io_destroy);
SYSCALL(io_submit);
SYSCALL(io_getevents);
SYSCALL(io_pgetevents);
SYSCALL(io_cancel);
/* AIO (sys_aio.c): the contexts of address space mm go with it (ipc_mm_drop, last user).
 * sys_aio_rw (sys_rw.c): one read or write request checked as Linux's aio_prep_rw does
 * (-errno: io_submit fails), then run without waiting: *res is its result. */
void aio_mm_drop(struct mm *mm);
/* sys_poll.c: a call's temporary signal mask (ppoll's and the like): sigmask_arg reads it
 * (none when umask is 0), install_sigmask puts it in place before the call waits. */
long sigmask_arg(struct task *t, unsigned long umask, size_t size, unsigned long *mask);
long install_sigmask(struct task *t, unsigned long mask);
long sys_aio_rw(struct task *t, struct file *f, bool wr, bool vec, unsigned long buf, size_t n,
		off_t pos, long *res);
SYSCALL(ioprio_set);
SYSCALL(sig_native);
/* futexes (sys_futex.c): PI operations and robust lists on guest tids */
SYSCALL(futex); SYSCALL(set_robust_list); SYSCALL(get_robust_list);
SYSCALL(getpriority);
SYSCALL(setpriority);
SYSCALL(personality);
SYSCALL(mlock);
SYSCALL(mlock2);
SYSCALL(mseal);
SYSCALL(mlockall);
SYSCALL(munlock);
SYSCALL(munlockall);
SYSCALL(set_mempolicy);
SYSCALL(get_mempolicy);
SYSCALL(mbind);
SYSCALL(migrate_pages); SYSCALL(move_pages); SYSCALL(set_mempolicy_home_node);
SYSCALL(seccomp); SYSCALL(prctl);
SYSCALL(capget);
SYSCALL(capset);
SYSCALL(wait4);
SYSCALL(waitid);
SYSCALL(kill);
SYSCALL(pidfd_open);
SYSCALL(pidfd_getfd);
SYSCALL(kcmp);
unsigned long kcmp_new_ctx(void); /* sys_proc.c: a new id for kcmp's KCMP_IO and KCMP_SYSVSEM */
SYSCALL(setns);
SYSCALL(unshare);
SYSCALL(pidfd_send_signal);
SYSCALL(tkill);
SYSCALL(tgkill);
SYSCALL(getcpu);
SYSCALL(sysinfo);
SYSCALL(times);
SYSCALL(getrusage);
SYSCALL(ptrace);
SYSCALL(process_vm_readv);
SYSCALL(process_vm_writev);
/* PROC-PROTOS-END */

/* signals and time (sys_signal.c, sys_time.c) */
/* SIG-PROTOS-BEGIN */
SYSCALL(sig_native);
SYSCALL(rt_sigqueueinfo);
SYSCALL(rt_tgsigqueueinfo);
SYSCALL(timer_create);
SYSCALL(clock_cpu);
SYSCALL(clock_settime);
SYSCALL(settimeofday);
SYSCALL(adjtimex);
SYSCALL(clock_adjtime);
SYSCALL(rt_sigaction);
SYSCALL(rt_sigtimedwait);
SYSCALL(signalfd);
SYSCALL(signalfd4);
SYSCALL(alarm);
SYSCALL(setitimer);
SYSCALL(getitimer);
SYSCALL(timer_settime);
SYSCALL(timer_gettime);
SYSCALL(timer_getoverrun);
SYSCALL(timer_delete);
SYSCALL(self_native);
/* SIG-PROTOS-END */

/* terminals (sys_tty.c): read/write/ioctl of a pty master or slave */
struct iovec;
long sys_tty_rw(struct task *t, struct file *f, const struct iovec *iov, int cnt, size_t total,
		bool wr);
long sys_tty_ioctl(struct task *t, struct file *f, unsigned int cmd, unsigned long arg);
SYSCALL(vhangup); /* sys_tty.c */
/* ioctl PIDFD_GET_INFO on pidfd f (sys_proc.c); -ENOTTY if f is not a pidfd. */
long pidfd_get_info(struct task *t, struct file *f, unsigned int cmd, unsigned long uarg);

/* pipes and readiness (sys_poll.c) */
/* POLL-PROTOS-BEGIN */
SYSCALL(memfd_create); SYSCALL(splice); SYSCALL(tee); SYSCALL(vmsplice); SYSCALL(pipe); SYSCALL(pipe2); SYSCALL(eventfd); SYSCALL(eventfd2);
SYSCALL(timerfd_create); SYSCALL(timerfd_settime); SYSCALL(timerfd_gettime); SYSCALL(poll);
SYSCALL(ppoll); SYSCALL(select); SYSCALL(pselect6); SYSCALL(epoll_create);
SYSCALL(epoll_create1); SYSCALL(epoll_ctl); SYSCALL(epoll_wait); SYSCALL(epoll_pwait);
SYSCALL(epoll_pwait2);
/* POLL-PROTOS-END */

/* sockets (sys_socket.c) */
SYSCALL(socket); SYSCALL(socketpair); SYSCALL(bind); SYSCALL(listen); SYSCALL(connect);
SYSCALL(accept); SYSCALL(accept4); SYSCALL(getsockname); SYSCALL(getpeername);
SYSCALL(shutdown); SYSCALL(sendto); SYSCALL(recvfrom); SYSCALL(sendmsg); SYSCALL(recvmsg);
SYSCALL(sendmmsg); SYSCALL(recvmmsg); SYSCALL(getsockopt); SYSCALL(setsockopt);
/* read/write/readv/writev on a socket: recv/send with flags (their waits, SO_RCVTIMEO /
 * SO_SNDTIMEO, a blocking stream write writing everything). */
long sys_sock_rw(struct task *t, struct file *f, const struct iovec *iov, int cnt, size_t total,
		 bool wr, int flags);

/* System V IPC and POSIX message queues (sys_shm.c, sys_sem.c, sys_msg.c, sys_mqueue.c) */
/* IPC-PROTOS-BEGIN */
SYSCALL(shmget); SYSCALL(shmat); SYSCALL(shmdt); SYSCALL(shmctl);
SYSCALL(semget); SYSCALL(semop); SYSCALL(semtimedop); SYSCALL(semctl);
SYSCALL(msgget); SYSCALL(msgsnd); SYSCALL(msgrcv); SYSCALL(msgctl);
SYSCALL(mq_open); SYSCALL(mq_unlink); SYSCALL(mq_timedsend); SYSCALL(mq_timedreceive);
SYSCALL(mq_notify); SYSCALL(mq_getsetattr);
/* IPC-PROTOS-END */

/* keys (sys_keys.c) */
SYSCALL(add_key); SYSCALL(request_key); SYSCALL(keyctl);

