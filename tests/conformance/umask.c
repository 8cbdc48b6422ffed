/* umask: returned previous value, effect on open/mkdir/mkfifo modes. */
#include "cf.h"

static void
mode(const char *label, const char *p)
{
	struct stat st;
	if (lstat(p, &st) < 0)
		printf("%s: %s\n", label, en(errno));
	else
		printf("%s: %o\n", label, st.st_mode & 07777);
}

int
main(void)
{
	cf_init();
	printf("umask(027) returned: %o\n", umask(027));
	printf("umask(027) again: %o\n", umask(027));
	close(open("f1", O_CREAT | O_WRONLY, 0666));
	mode("file 0666 under 027", "f1");
	mkdir("d1", 0777);
	mode("dir 0777 under 027", "d1");
	mkfifo("p1", 0666);
	mode("fifo 0666 under 027", "p1");
	symlink("f1", "l1");
	mode("symlink under 027", "l1");
	printf("umask(0) returned: %o\n", umask(0));
	close(open("f2", O_CREAT | O_WRONLY, 0777));
	mode("file 0777 under 0", "f2");
	printf("umask(0777777) returned: %o\n", umask(0777777));
	printf("umask after big value: %o\n", umask(022));
	close(open("f3", O_CREAT | O_WRONLY, 06777));
	mode("file 06777 under 022", "f3");
	return 0;
}
