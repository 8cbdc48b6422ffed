/* setfsuid/setfsgid: the old id comes back whatever happens, what an unprivileged process
 * may take, that set*id calls reset the filesystem ids to the effective ones, that file
 * access and new files' owners follow them, and the filesystem capabilities leaving with a
 * non-root fsuid. Run as root natively. */
#include "cf.h"
#include <sys/fsuid.h>
#include <sys/wait.h>

static void
access_as(const char *label, const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf("%s: -1 %s\n", label, en(errno));
	} else {
		printf("%s: ok\n", label);
		close(fd);
	}
}

int
main(void)
{
	cf_init();
	if (getuid() != 0) {
		printf("needs root\n");
		return 0;
	}
	cf_write_file("secret", "x", 1);
	chmod("secret", 0600);
	chmod(".", 0777);
	cf_write_file("g", "x", 1);
	chown("g", 0, 1234);
	chmod("g", 0040);

	R("fsuid query", setfsuid(-1));
	R("fsgid query", setfsgid(-1));
	R("setfsuid 1000 (old)", setfsuid(1000));
	R("fsuid now", setfsuid(-1));
	access_as("root file with fsuid 1000", "secret");
	int fd = open("made_by_1000", O_CREAT | O_WRONLY, 0644);
	struct stat st;
	fstat(fd, &st);
	printf("new file owner: %u\n", (unsigned)st.st_uid);
	close(fd);
	R("getuid", getuid());
	R("geteuid", geteuid());
	R("back to 0", setfsuid(0));
	access_as("root file with fsuid 0", "secret");

	R("setfsgid 1234 (old)", setfsgid(1234));
	R("fsgid now", setfsgid(-1));
	setfsuid(1000);
	access_as("group file by fsgid", "g");
	setfsuid(0);
	R("setfsgid back", setfsgid(0));

	/* a set*uid call resets the fsuid */
	setfsuid(1000);
	R("seteuid 0", seteuid(0));
	R("fsuid after seteuid", setfsuid(-1));

	pid_t pid = fork();
	if (pid == 0) {
		/* unprivileged: only real, effective, saved or current filesystem ids */
		if (setresgid(3000, 3001, 3002) < 0 || setresuid(2000, 2001, 2002) < 0)
			_exit(1);
		R("child fsuid", setfsuid(-1));
		R("child to 3000 (refused, old back)", setfsuid(3000));
		R("child fsuid still", setfsuid(-1));
		R("child to real", setfsuid(2000));
		R("child to saved", setfsuid(2002));
		R("child fsuid now", setfsuid(-1));
		R("child to 0 (refused)", setfsuid(0));
		R("child fsuid unchanged", setfsuid(-1));
		R("child fsgid", setfsgid(-1));
		R("child fsgid to 5 (refused)", setfsgid(5));
		R("child fsgid to 3002", setfsgid(3002));
		R("child fsgid now", setfsgid(-1));
		_exit(0);
	}
	int stt;
	waitpid(pid, &stt, 0);
	printf("child: %d\n", WIFEXITED(stt) ? WEXITSTATUS(stt) : -1);
	return 0;
}
