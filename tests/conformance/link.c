/* link/linkat: hard links, nlink counts, EEXIST, EPERM on directories, AT_SYMLINK_FOLLOW;
 * linkat AT_EMPTY_PATH without CAP_DAC_READ_SEARCH: only with the opener's credentials
 * (Linux 6.10). */
#include <linux/capability.h>
#include <sys/wait.h>
#include "cf.h"

static void
drop_cap(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	syscall(SYS_capget, &h, d);
	d[cap / 32].effective &= ~(1u << (cap % 32));
	syscall(SYS_capset, &h, d);
}

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

	if (geteuid() == 0) {
		pid_t p = fork();

		if (p == 0) {
			drop_cap(CAP_DAC_READ_SEARCH); /* before the open: the opener's creds */
			int fd = open("f", O_RDONLY);
			R("linkat AT_EMPTY_PATH, same creds", linkat(fd, "", AT_FDCWD, "e1", AT_EMPTY_PATH));
			pid_t q = fork();
			if (q == 0) {
				R("linkat AT_EMPTY_PATH in a child", linkat(fd, "", AT_FDCWD, "e2", AT_EMPTY_PATH));
				fflush(stdout);
				_exit(0);
			}
			waitpid(q, NULL, 0);
			drop_cap(CAP_CHOWN); /* new creds */
			R("linkat AT_EMPTY_PATH, creds changed", linkat(fd, "", AT_FDCWD, "e3", AT_EMPTY_PATH));
			R("linkat \"\" without AT_EMPTY_PATH", linkat(fd, "", AT_FDCWD, "e4", 0));
			fflush(stdout);
			_exit(0);
		}
		waitpid(p, NULL, 0);
		R("nlink f with the fd links", nl("f"));
	}
	return 0;
}
