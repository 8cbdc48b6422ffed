/* Capability sets: capget/capset, what dropping CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH,
 * CAP_FOWNER, CAP_CHOWN and CAP_SYS_CHROOT changes for root, and what set*uid does to
 * the sets (cleared leaving uid 0, kept with PR_SET_KEEPCAPS). Run as root natively. */
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include "cf.h"

static struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };

static int
caps_get(struct __user_cap_data_struct d[2])
{
	memset(d, 0, 2 * sizeof(d[0]));
	return syscall(SYS_capget, &hdr, d);
}

static int
caps_drop(int cap)
{
	struct __user_cap_data_struct d[2];

	if (caps_get(d) < 0)
		return -1;
	d[cap / 32].effective &= ~(1u << (cap % 32));
	d[cap / 32].permitted &= ~(1u << (cap % 32));
	return syscall(SYS_capset, &hdr, d);
}

static void
status_line(const char *key)
{
	char buf[4096], *p;
	FILE *f = fopen("/proc/self/status", "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = 0;
	p = strstr(buf, key);
	if (!p) {
		printf("%s missing\n", key);
		return;
	}
	unsigned long long v = strtoull(p + strlen(key), NULL, 16);
	/* the host may lack some capabilities (a container): only the ones checked here */
	printf("%s DAC_OVERRIDE %d DAC_READ_SEARCH %d CHOWN %d\n", key,
	       (int)(v >> CAP_DAC_OVERRIDE) & 1, (int)(v >> CAP_DAC_READ_SEARCH) & 1,
	       (int)(v >> CAP_CHOWN) & 1);
}

static void
dac(void)
{
	struct __user_cap_data_struct d[2];

	OK("drop DAC_OVERRIDE", caps_drop(CAP_DAC_OVERRIDE));
	OK("drop DAC_READ_SEARCH", caps_drop(CAP_DAC_READ_SEARCH));
	OK("capget", caps_get(d));
	YN("DAC_OVERRIDE gone", !(d[0].effective & (1u << CAP_DAC_OVERRIDE)));
	YN("CHOWN kept", d[0].effective & (1u << CAP_CHOWN));
	status_line("CapEff:");
	int fd = FD("create 055", open("f", O_CREAT | O_WRONLY | O_TRUNC, 055));
	close(fd);
	FD("open O_RDONLY owner without r", open("f", O_RDONLY));
	FD("open O_PATH", open("f", O_PATH));
	FD("open O_RDONLY|O_TRUNC", open("f", O_RDONLY | O_TRUNC));
	R("access R_OK", access("f", R_OK));
	OK("chmod as owner", chmod("f", 0644));
	FD("open after chmod", open("f", O_RDWR));
	OK("mkdir d 0555", mkdir("d", 0555));
	FD("create in 0555 dir", open("d/x", O_CREAT | O_WRONLY, 0644));
	OK("mkdir in 0555 dir", mkdir("d/y", 0755));
	OK("mkdir e 0", mkdir("e", 0));
	OK("chdir into mode 0 dir", chdir("e"));
	OK("chroot mode 0 dir", chroot("e"));
	/* regaining a dropped capability is refused */
	caps_get(d);
	d[0].effective |= 1u << CAP_DAC_OVERRIDE;
	R("capset raise effective", syscall(SYS_capset, &hdr, d));
	d[0].permitted |= 1u << CAP_DAC_OVERRIDE;
	R("capset raise permitted", syscall(SYS_capset, &hdr, d));
	struct __user_cap_header_struct other = { _LINUX_CAPABILITY_VERSION_3, 1 };
	caps_get(d);
	R("capset of another pid", syscall(SYS_capset, &other, d));
	struct __user_cap_header_struct bad = { 0x12345678, 0 };
	R("capset bad version", syscall(SYS_capset, &bad, d));
	printf("version written back: %s\n", bad.version == _LINUX_CAPABILITY_VERSION_3 ? "v3" : "?");
}

static void
owner_caps(void)
{
	int fd = FD("create owned by 1", open("g", O_CREAT | O_WRONLY, 0644));
	close(fd);
	OK("chown g to 1", chown("g", 1, 1));
	OK("drop FOWNER", caps_drop(CAP_FOWNER));
	R("chmod other's file", chmod("g", 0600));
	OK("mkdir sticky", mkdir("s", 01777));
	OK("chown sticky dir to 1", chown("s", 1, 1));
	fd = open("s/h", O_CREAT | O_WRONLY, 0644);
	close(fd);
	OK("chown s/h to 2", chown("s/h", 2, 2));
	OK("drop CHOWN", caps_drop(CAP_CHOWN));
	R("chown other's file", chown("g", 2, 2));
	R("unlink other's file in other's sticky dir", unlink("s/h"));
	R("rename it away", rename("s/h", "h2"));
	OK("drop SYS_CHROOT", caps_drop(CAP_SYS_CHROOT));
	R("chroot without SYS_CHROOT", chroot("."));
}

static void
setuid_caps(void)
{
	struct __user_cap_data_struct d[2];

	R("setuid(-1)", setuid(-1));
	R("setgid(-1)", setgid(-1));
	R("PR_CAPBSET_READ SETUID", prctl(PR_CAPBSET_READ, CAP_SETUID));
	R("PR_CAPBSET_READ 64", prctl(PR_CAPBSET_READ, 64));
	R("PR_GET_KEEPCAPS", prctl(PR_GET_KEEPCAPS));
	R("setreuid(65534, 65533)", setreuid(65534, 65533));
	uid_t r, e, s;
	getresuid(&r, &e, &s);
	printf("ids: %u %u %u\n", r, e, s);
	caps_get(d);
	printf("caps after setreuid: eff %x prm %x\n", d[0].effective, d[0].permitted);
	status_line("CapPrm:");
	R("setuid(0) now", setuid(0));
	R("chown without caps", chown("x-none", 0, 0));
}

static void
keepcaps(void)
{
	struct __user_cap_data_struct d[2];

	R("PR_SET_KEEPCAPS 1", prctl(PR_SET_KEEPCAPS, 1));
	R("PR_SET_KEEPCAPS 2", prctl(PR_SET_KEEPCAPS, 2));
	R("setresuid(1,1,1)", setresuid(1, 1, 1));
	caps_get(d);
	printf("keepcaps: eff %x prm-has-chown %d\n", d[0].effective,
	       !!(d[0].permitted & (1u << CAP_CHOWN)));
	d[0].effective = d[0].permitted;
	d[1].effective = d[1].permitted;
	OK("capset effective from kept permitted", syscall(SYS_capset, &hdr, d));
	int fd = open("k", O_CREAT | O_WRONLY, 0600);
	close(fd);
	OK("chown with kept CAP_CHOWN", chown("k", 5, 5));
}

/* A security.capability attribute goes with a change of owner and with a write. */
static void
killpriv(void)
{
	struct vfs_cap_data v = { .magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE };
	char buf[64];
	int fd = open("c", O_CREAT | O_RDWR, 0755);

	v.data[0].permitted = 1u << CAP_NET_RAW;
	int r = fsetxattr(fd, "security.capability", &v, sizeof(v), 0);
	if (r < 0 && (errno == EOPNOTSUPP || errno == EPERM)) {
		printf("security.capability: unsupported here\n");
		return;
	}
	R("set security.capability", r);
	R("get it", fgetxattr(fd, "security.capability", buf, sizeof(buf)));
	OK("chown", fchown(fd, 3, 3));
	R("get after chown", fgetxattr(fd, "security.capability", buf, sizeof(buf)));
	R("set again", fsetxattr(fd, "security.capability", &v, sizeof(v), 0));
	R("write", write(fd, "x", 1));
	R("get after write", fgetxattr(fd, "security.capability", buf, sizeof(buf)));
	R("set again", fsetxattr(fd, "security.capability", &v, sizeof(v), 0));
	R("ftruncate", ftruncate(fd, 0));
	R("get after truncate", fgetxattr(fd, "security.capability", buf, sizeof(buf)));
	close(fd);
}

static void
in_child(const char *name, void (*fn)(void))
{
	int st;
	pid_t p = fork();

	if (p == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	waitpid(p, &st, 0);
	printf("%s: exit %d\n", name, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int
main(void)
{
	cf_init();
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	in_child("dac", dac);
	in_child("owner", owner_caps);
	in_child("setuid", setuid_caps);
	in_child("keepcaps", keepcaps);
	killpriv();
	return 0;
}
