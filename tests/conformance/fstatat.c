/* newfstatat: dirfd-relative lookup, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW, errors. */
#include "cf.h"

static void
show(const char *label, int r, const struct stat *st)
{
	if (r < 0)
		printf("%s: -1 %s\n", label, en(errno));
	else
		printf("%s: mode=%06o\n", label, st->st_mode);
}

int
main(void)
{
	struct stat st = {0};
	int r;

	cf_init();
	mkdir("d", 0711);
	cf_write_file("d/f", "abc", 3);
	symlink("f", "d/l");
	int dfd = open("d", O_RDONLY | O_DIRECTORY);
	r = fstatat(dfd, "f", &st, 0); show("fstatat dfd f", r, &st);
	r = fstatat(dfd, "l", &st, 0); show("fstatat dfd l", r, &st);
	r = fstatat(dfd, "l", &st, AT_SYMLINK_NOFOLLOW); show("fstatat dfd l nofollow", r, &st);
	r = fstatat(dfd, "", &st, AT_EMPTY_PATH); show("fstatat dfd empty AT_EMPTY_PATH", r, &st);
	r = fstatat(dfd, "", &st, 0); show("fstatat dfd empty", r, &st);
	r = fstatat(AT_FDCWD, "d/f", &st, 0); show("fstatat AT_FDCWD d/f", r, &st);
	r = fstatat(9999, "f", &st, 0); show("fstatat bad dirfd", r, &st);
	r = fstatat(9999, "/dev/null", &st, 0); show("fstatat bad dirfd absolute", r, &st);
	int ffd = open("d/f", O_RDONLY);
	r = fstatat(ffd, "x", &st, 0); show("fstatat file dirfd", r, &st);
	r = fstatat(ffd, "", &st, AT_EMPTY_PATH); show("fstatat file AT_EMPTY_PATH", r, &st);
	r = fstatat(dfd, "f", &st, 0x4000000); show("fstatat bad flag", r, &st);
	r = syscall(SYS_newfstatat, dfd, "f", &st, 0); show("raw newfstatat", r, &st);
	r = syscall(SYS_newfstatat, AT_FDCWD, "/", &st, 0); show("raw newfstatat /", r, &st);
	return 0;
}
