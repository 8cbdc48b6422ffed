/* Propagation with thousands of mounts (gVisor's MaxMounts, MaxMountsWithSlave): a bind
 * onto itself in a peer group doubles the group; a shared slave's copies each get a peer
 * group of their own; a lazy unmount of the parent takes every copy. Counts of mounts and
 * of distinct peer groups and masters, after each step. Then which of a stack of mounts a
 * path reaches (the one on top), looked up again and again among a thousand mounts, as
 * mounts are added, unmounted and moved. Run as root. */
#include "cf.h"
#include "cf_mount.h"

#define MAXG 65536

/* Mounts whose mount point lies under prefix; distinct shared: and master: ids among them. */
static void
census(const char *label, const char *prefix)
{
	static unsigned char shared[MAXG], master[MAXG];
	char line[4096], mp[2048];
	int n = 0, ng = 0, nm = 0;
	FILE *f = fopen("/proc/self/mountinfo", "r");

	memset(shared, 0, sizeof(shared));
	memset(master, 0, sizeof(master));
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*d %*d %*s %*s %2047s", mp) != 1 ||
		    strncmp(mp, prefix, strlen(prefix)))
			continue;
		char *dash = strstr(line, " - "), *p, *q;
		if (dash)
			*dash = 0;
		n++;
		if ((p = strstr(line, " shared:")) && atoi(p + 8) > 0 && atoi(p + 8) < MAXG &&
		    !shared[atoi(p + 8)])
			ng += shared[atoi(p + 8)] = 1;
		if ((q = strstr(line, " master:")) && atoi(q + 8) > 0 && atoi(q + 8) < MAXG &&
		    !master[atoi(q + 8)])
			nm += master[atoi(q + 8)] = 1;
	}
	if (f)
		fclose(f);
	printf("%s: %d mounts, %d peer groups, %d masters\n", label, n, ng, nm);
}

static void
doubling(const char *label, const char *d, const char *prefix, int rounds, bool reshare)
{
	char what[64];

	for (int i = 0; i < rounds; i++) {
		int r = mount(d, d, NULL, MS_BIND, NULL);
		if (r) {
			R(label, r);
			return;
		}
		if (reshare && mount("", d, NULL, MS_SHARED, NULL))
			R("make shared", -1);
		snprintf(what, sizeof(what), "%s round %d", label, i + 1);
		census(what, prefix);
	}
}

/* Which marker file the path dir/ shows (each mount of the stack has its own), twice. */
static void
top(const char *label, const char *dir)
{
	static const char *const names[] = { "one", "two", "three", "moved", NULL };
	char f[1400];

	for (int round = 0; round < 2; round++) {
		const char *seen = "none";
		for (int i = 0; names[i]; i++) {
			snprintf(f, sizeof(f), "%s/%s", dir, names[i]);
			if (access(f, F_OK) == 0)
				seen = names[i];
		}
		printf("%s: %s\n", label, seen);
	}
}

static void
stack_one(const char *dir, const char *marker)
{
	char f[1400];

	R(marker, mount("t", dir, "tmpfs", 0, "mode=0755"));
	snprintf(f, sizeof(f), "%s/%s", dir, marker);
	close(open(f, O_CREAT | O_WRONLY, 0600));
}

int
main(void)
{
	char cwd[1024], p[1100], a[1200], b[1200], c[1200], d[1300], dd[1300];

	cf_init();
	if (!cf_own_mounts())
		return 0;
	if (!getcwd(cwd, sizeof(cwd)))
		return 1;
	snprintf(p, sizeof(p), "%s/p", cwd);
	mkdir(p, 0755);

	/* one peer group: each bind of dd onto itself doubles it */
	R("mount parent", mount("t", p, "tmpfs", 0, "mode=0755"));
	snprintf(dd, sizeof(dd), "%s/dir", p);
	mkdir(dd, 0755);
	R("bind dir", mount(dd, dd, NULL, MS_BIND, NULL));
	R("shared dir", mount("", dd, NULL, MS_SHARED, NULL));
	census("peers start", p);
	doubling("peers", dd, p, 11, false);
	R("umount lazy", umount2(p, MNT_DETACH));
	census("peers after umount", p);

	/* a shared, b its slave and shared, c a slave of b; d in a bound onto itself and
	 * made shared again, each round */
	R("mount parent again", mount("t", p, "tmpfs", 0, "mode=0755"));
	snprintf(a, sizeof(a), "%s/a", p);
	snprintf(b, sizeof(b), "%s/b", p);
	snprintf(c, sizeof(c), "%s/c", p);
	mkdir(a, 0755), mkdir(b, 0755), mkdir(c, 0755);
	R("mount a", mount("t", a, "tmpfs", 0, "mode=0755"));
	R("shared a", mount("", a, NULL, MS_SHARED, NULL));
	R("bind b", mount(a, b, NULL, MS_BIND, NULL));
	R("slave b", mount("", b, NULL, MS_SLAVE, NULL));
	R("shared b", mount("", b, NULL, MS_SHARED, NULL));
	R("bind c", mount(b, c, NULL, MS_BIND, NULL));
	R("slave c", mount("", c, NULL, MS_SLAVE, NULL));
	snprintf(d, sizeof(d), "%s/d", a);
	mkdir(d, 0755);
	census("slaves start", p);
	doubling("slaves", d, p, 9, true);
	R("umount c lazy", umount2(c, MNT_DETACH));
	census("slaves after umount c", p);
	R("umount lazy", umount2(p, MNT_DETACH));
	census("slaves after umount", p);

	/* a stack at s among 1000 other mounts */
	char s[1200], mv[1200], x[1300];
	R("mount parent for stack", mount("t", p, "tmpfs", 0, "mode=0755"));
	for (int i = 0; i < 1000; i++) {
		snprintf(x, sizeof(x), "%s/m%d", p, i);
		mkdir(x, 0755);
		if (mount("t", x, "tmpfs", 0, "mode=0755"))
			R("mount many", -1);
	}
	snprintf(s, sizeof(s), "%s/s", p);
	snprintf(mv, sizeof(mv), "%s/mv", p);
	mkdir(s, 0755), mkdir(mv, 0755);
	top("empty", s);
	stack_one(s, "one");
	top("one mounted", s);
	stack_one(s, "two");
	stack_one(s, "three");
	top("three mounted", s);
	R("umount top", umount(s));
	top("after umount", s);
	stack_one(mv, "moved");
	R("move onto the stack", mount(mv, s, NULL, MS_MOVE, NULL));
	top("after move", s);
	top("move source", mv);
	R("umount moved", umount(s));
	top("moved unmounted", s);
	R("umount two", umount(s));
	top("two unmounted", s);
	/* one dentry, mounted on in two mounts of its filesystem (a and its bind b) */
	char sa[1300], sb[1300];
	snprintf(a, sizeof(a), "%s/a", p);
	snprintf(b, sizeof(b), "%s/b", p);
	mkdir(a, 0755), mkdir(b, 0755);
	R("mount a for sub", mount("t", a, "tmpfs", 0, "mode=0755"));
	snprintf(sa, sizeof(sa), "%s/sub", a);
	snprintf(sb, sizeof(sb), "%s/sub", b);
	mkdir(sa, 0755);
	R("bind a to b", mount(a, b, NULL, MS_BIND, NULL));
	stack_one(sa, "one");
	stack_one(sb, "two");
	top("a/sub", sa);
	top("b/sub", sb);
	R("umount a/sub", umount(sa));
	top("a/sub after umount", sa);
	top("b/sub after umount", sb);
	R("umount lazy", umount2(p, MNT_DETACH));
	census("stack after umount", p);
	rmdir(p);
	return 0;
}
