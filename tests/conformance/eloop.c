/* ELOOP: symlink cycles, self loops, the 40-link nesting limit, O_NOFOLLOW. */
#include <stdio.h>
#include "cf.h"

int
main(void)
{
	char name[32], target[32];

	cf_init();
	symlink("b", "a");
	symlink("a", "b");
	symlink("self", "self");
	FD("open cycle", open("a", O_RDONLY));
	FD("open self", open("self", O_RDONLY));
	struct stat st;
	R("stat cycle", stat("a", &st));
	R("lstat cycle", lstat("a", &st));
	R("access self", access("self", F_OK));
	FD("open cycle O_NOFOLLOW", open("a", O_RDONLY | O_NOFOLLOW));
	FD("open cycle O_CREAT", open("a", O_WRONLY | O_CREAT, 0644));
	R("mkdir through cycle", mkdir("a/x", 0755));
	R("chdir cycle", chdir("a"));

	cf_write_file("end", "E", 1);
	/* chain: c0 -> end, c1 -> c0, ..., c44 -> c43 */
	for (int i = 0; i < 45; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		if (i == 0)
			snprintf(target, sizeof(target), "end");
		else
			snprintf(target, sizeof(target), "c%d", i - 1);
		symlink(target, name);
	}
	for (int i = 36; i < 45; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		char label[48];
		snprintf(label, sizeof(label), "open chain of %d links", i + 1);
		int fd = FD(label, open(name, O_RDONLY));
		if (fd >= 0)
			close(fd);
	}
	mkdir("dir", 0755);
	symlink("dir", "dl0");
	for (int i = 1; i < 45; i++) {
		snprintf(name, sizeof(name), "dl%d", i);
		snprintf(target, sizeof(target), "dl%d/.", i - 1);
		symlink(target, name);
	}
	R("stat nested dir chain 20", stat("dl19", &st));
	R("stat nested dir chain 41", stat("dl40", &st));
	return 0;
}
