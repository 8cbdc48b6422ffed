/* /proc/self/fdinfo/N: pos and flags (with O_CLOEXEC of the descriptor) of files opened in
 * several ways, after lseek, dup and fcntl. */
#include "cf.h"

static void
show(const char *label, int fd)
{
	char p[64], b[1024];
	snprintf(p, sizeof p, "/proc/self/fdinfo/%d", fd);
	if (cf_read_text(p, b, sizeof b) < 0) {
		printf("%s: %s\n", label, en(errno));
		return;
	}
	printf("%s:", label);
	for (char *l = strtok(b, "\n"); l; l = strtok(NULL, "\n"))
		if (!strncmp(l, "pos:", 4) || !strncmp(l, "flags:", 6))
			printf(" %s", l);
	printf("\n");
}

int
main(void)
{
	cf_init();
	int a = open("f", O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	write(a, "abcdef", 6);
	lseek(a, 2, SEEK_SET);
	show("rdwr append cloexec", a);
	int b = dup(a);
	show("dup (no cloexec)", b);
	fcntl(b, F_SETFD, FD_CLOEXEC);
	show("dup after FD_CLOEXEC", b);
	fcntl(b, F_SETFL, O_NONBLOCK);
	show("after F_SETFL O_NONBLOCK", a);
	int c = open("f", O_RDONLY | O_NOATIME);
	show("rdonly noatime", c);
	int d = open(".", O_PATH | O_DIRECTORY);
	show("O_PATH dir", d);
	int e = open("f", O_WRONLY | O_SYNC);
	show("O_SYNC", e);
	int p[2];
	pipe2(p, O_NONBLOCK);
	show("pipe read end", p[0]);
	show("pipe write end", p[1]);
	show("missing fd", 99);
	return 0;
}
