/*
 * `sandbox exec` (runc exec): a new process in a running container. The client sends one
 * request (struct exec_req, then the ids and strings) with its three stdio fds (and those
 * of --preserve-fds, which become fds 3 and up) to the
 * container's exec.sock; a listener the container's CLI started checks it and hands it,
 * with the client's connection, to the sentry over a socketpair made before the sentry was.
 * The sentry starts the process in the container (its first program's namespaces, ppid 0,
 * a session of its own) and reports on the connection: EXEC_STARTED, then EXEC_EXITED
 * with the wait status, or EXEC_FAILED; the client may send EXEC_SIGNAL meanwhile.
 * With EXEC_TTY the process gets a pseudo-terminal of the sandbox's own as controlling
 * terminal, relayed to the client's (sentry/console.c).
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define EXEC_MAGIC 0x58454253u  /* "SBEX" */
#define EXEC_REQ_MAX 65536      /* a request's bytes, header included */
#define EXEC_MAX_GROUPS 256
#define EXEC_TTY 1u             /* the stdio fds are a terminal's slave */
#define EXEC_MAX_PRESERVED 32   /* --preserve-fds: fds sent after the stdio three (fds 3...) */

struct exec_req {
	uint32_t magic;
	uint32_t flags;
	int32_t uid, gid;
	uint32_t ngroups;       /* gid_t values right after the header */
	uint32_t nargs, nenv;   /* then cwd, the args and the environment, each NUL-ended */
	uint32_t len;           /* bytes after the header */
	uint32_t have_caps;     /* 1: caps (bounding, effective, inheritable, permitted, ambient) */
	uint32_t pad;
	uint64_t caps[5];
};

/* EXEC_RESIZE (client, with EXEC_TTY): the terminal's window size may have changed. */
enum { EXEC_STARTED = 1, EXEC_EXITED, EXEC_FAILED, EXEC_SIGNAL, EXEC_RESIZE, EXEC_LIMITS_SET };

/* `sandbox update` (sentry/oci.c): the container's new limits for the sentry's own fences,
 * sent alone (no fds) instead of a request. The listener writes the memory limit into the
 * limit page the CLI and the sentry share; a pids limit goes on to the sentry (with the
 * connection), which takes it once the first program runs. Answered EXEC_LIMITS_SET or
 * EXEC_FAILED. */
#define EXEC_LIMITS_MAGIC 0x4d4c4253u  /* "SBLM" */
struct exec_limits {
	uint32_t magic;
	uint32_t pids_limit;    /* 1 to 1000000 (as --pids); 0: unchanged */
	uint64_t mem_limit;     /* bytes, 1M to 2^50 (as --memory); 0: unchanged */
};

struct exec_msg {
	uint32_t kind;
	int32_t val;            /* STARTED: the pid inside; EXITED: wait status; FAILED: errno;
				 * SIGNAL: the signal */
	char text[200];         /* FAILED: why, one line */
};

/* CLI side: listens on path and passes checked requests to the sentry's end (fd, SEQPACKET).
 * Returns the listener's pid, or -errno. */
pid_t exec_listener_start(const char *path, int fd);
/* The address of the socket file at path; a path too long for sun_path goes through an fd
 * of its directory (*dirfd, to be closed after bind or connect; else -1). 0 / -errno. */
struct sockaddr_un;
int exec_sock_addr(const char *path, struct sockaddr_un *sa, int *dirfd);

/* Sentry side: serve requests arriving on fd (after the first program started). */
void exec_ctl_init(int fd);
struct task;
/* A process without a parent has died: if exec started it, its client gets the status and
 * the zombie is reaped (true). */
bool exec_ctl_process_died(struct task *leader);
