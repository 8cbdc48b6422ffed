/* Propagation with thousands of mounts (gVisor's MaxMounts, MaxMountsWithSlave): a bind
 * onto itself in a peer group doubles the group; a shared slave's copies each get a peer
 * group of their own; a lazy unmount of the parent takes every copy. Counts of mounts and
 * of distinct peer groups and masters, after each step. Run as root. */
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
	rmdir(p);
	return 0;
}
