/* /proc/PID/timerslack_ns: its mode, that it shows PR_GET_TIMERSLACK's value and sets it
 * (0: the default; a '+' and a newline allowed; other text EINVAL, past 64 bits ERANGE),
 * another process's (CAP_SYS_NICE, root here), a child's inherited value, and that it is
 * not in task/TID. (LTP prctl08 reads it.) */
#include <sys/prctl.h>
#include <sys/wait.h>
#include "cf.h"

static char buf[64];

static const char *
show(const char *path)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return en(errno);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return en(errno);
	buf[n] = 0;
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	return buf;
}

static void
put(const char *text)
{
	char label[64];
	int fd = open("/proc/self/timerslack_ns", O_WRONLY);

	snprintf(label, sizeof(label), "write '%.*s%s'", (int)strcspn(text, "\n"), text,
		 strchr(text, '\n') ? "\\n" : "");
	if (fd < 0) {
		printf("%s: open %s\n", label, en(errno));
		return;
	}
	R(label, write(fd, text, strlen(text)));
	close(fd);
	printf("  now %s, prctl %ld\n", show("/proc/self/timerslack_ns"),
	       (long)prctl(PR_GET_TIMERSLACK));
}

int
main(void)
{
	struct stat st;
	char path[64];
	long dfl;

	cf_init();
	R("stat", stat("/proc/self/timerslack_ns", &st));
	printf("mode %o\n", st.st_mode & 07777);
	dfl = prctl(PR_GET_TIMERSLACK);
	YN("shows PR_GET_TIMERSLACK", atol(show("/proc/self/timerslack_ns")) == dfl);
	R("PR_SET_TIMERSLACK 70000", prctl(PR_SET_TIMERSLACK, 70000));
	printf("file: %s\n", show("/proc/self/timerslack_ns"));
	put("12345\n");
	put("+7");
	put("1");
	put("-1");
	put("abc");
	put(" 5");
	put("5 ");
	put("");
	put("99999999999999999999");
	put("18446744073709551615");
	put("0000000000000000000000000000007"); /* 31 bytes: more than 23 are read */
	put("00000000000000000000000000000000000000000000000000000000000000000008x"); /* the first 66 */
	put("0");
	YN("0 is the default", prctl(PR_GET_TIMERSLACK) == dfl);
	put("4242");
	snprintf(path, sizeof(path), "/proc/self/task/%d/timerslack_ns", getpid());
	printf("task/TID: %s\n", show(path));
	pid_t c = fork();
	if (c == 0) {
		printf("child inherits: %s\n", show("/proc/self/timerslack_ns"));
		snprintf(path, sizeof(path), "/proc/%d/timerslack_ns", getppid());
		printf("child reads parent's: %s\n", show(path));
		int fd = open(path, O_WRONLY);
		R("child writes parent's", fd < 0 ? -1 : write(fd, "777", 3));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	printf("parent now: %s\n", show("/proc/self/timerslack_ns"));
	prctl(PR_SET_TIMERSLACK, 0);
	return 0;
}
