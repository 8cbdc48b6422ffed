/* link/linkat: hard links, nlink counts, EEXIST, EPERM on directories, AT_SYMLINK_FOLLOW. */
#include "cf.h"

static long
nl(const char *p)
{
	struct stat st;
	return lstat(p, &st) < 0 ? -errno : (long)st.st_nlink;
}

int
main(void)
{
	cf_init();
	cf_write_file("f", "data", 4);
	mkdir("d", 0755);
	R("link f g", link("f", "g"));
	R("nlink f", nl("f"));
	R("link f g again", link("f", "g"));
	R("link missing", link("missing", "h"));
	R("link dir", link("d", "d2"));
	R("link into missing dir", link("f", "nodir/h"));
	R("link f d/h", link("f", "d/h"));
	R("nlink f now", nl("f"));
	unlink("g");
	R("nlink after unlink", nl("f"));
	cf_write_file("g", "GGGG", 4);
	R("link over existing", link("f", "g"));
	symlink("f", "sl");
	R("linkat symlink no follow", linkat(AT_FDCWD, "sl", AT_FDCWD, "sl-hard", 0));
	struct stat st;
	lstat("sl-hard", &st);
	YN("sl-hard is symlink", S_ISLNK(st.st_mode));
	R("linkat AT_SYMLINK_FOLLOW", linkat(AT_FDCWD, "sl", AT_FDCWD, "followed", AT_SYMLINK_FOLLOW));
	lstat("followed", &st);
	YN("followed is regular", S_ISREG(st.st_mode));
	R("nlink f final", nl("f"));
	R("linkat bad flags", linkat(AT_FDCWD, "f", AT_FDCWD, "q", 0x1));
	R("link trailing slash", link("f", "q/"));
	R("link empty", link("", "q"));
	return 0;
}
