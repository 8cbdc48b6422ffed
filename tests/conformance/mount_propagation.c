/* Mount propagation: mounts made under a shared mount appear under its peers and its
 * slaves (not the other way), unmounts follow, the peer group and master shown by
 * mountinfo, slaves handed over when a group's last member turns private, MS_MOVE out of
 * a shared parent. Run as root; natively in a mount namespace of its own. */
#include <sched.h>
#include <stdbool.h>
#include <sys/mount.h>
#include "cf.h"

/* The optional fields of the n-th mount (from 0) at a mount point ending in suffix. */
struct opt {
	int found, shared, master;
};

static struct opt
opts_of(const char *suffix, int nth)
{
	char line[2048];
	struct opt o = { 0 };
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int seen = 0;

	while (f && fgets(line, sizeof(line), f)) {
		char mp[1024];

		if (sscanf(line, "%*d %*d %*s %*s %1023s", mp) != 1)
			continue;
		size_t n = strlen(mp), s = strlen(suffix);
		if (n < s || strcmp(mp + n - s, suffix) || seen++ != nth)
			continue;
		char *dash = strstr(line, " - ");
		if (dash)
			*dash = 0;
		char *p = strstr(line, " shared:"), *q = strstr(line, " master:");
		o.found = 1;
		o.shared = p ? atoi(p + 8) : 0;
		o.master = q ? atoi(q + 8) : 0;
	}
	if (f)
		fclose(f);
	return o;
}

static int
count_at(const char *suffix)
{
	int n = 0;

	while (opts_of(suffix, n).found)
		n++;
	return n;
}

int
main(void)
{
	struct stat st;

	cf_init();
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	if (unshare(CLONE_NEWNS) == 0)
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	/* everything below happens on a private tmpfs of our own */
	mkdir("base", 0755);
	R("mount base", mount("base", "base", "tmpfs", 0, "mode=0755"));
	R("base private", mount(NULL, "base", NULL, MS_PRIVATE, NULL));
	R("chdir base", chdir("base"));
	mkdir("a", 0755);
	mkdir("b", 0755);
	mkdir("s", 0755);
	mkdir("p", 0755);
	R("tmpfs on a", mount("x", "a", "tmpfs", 0, "mode=0755"));
	mkdir("a/sub", 0755);
	mkdir("a/sub2", 0755);
	R("a shared", mount(NULL, "a", NULL, MS_SHARED, NULL));
	R("bind a on b", mount("a", "b", NULL, MS_BIND, NULL));
	R("bind a on s", mount("a", "s", NULL, MS_BIND, NULL));
	R("s slave", mount(NULL, "s", NULL, MS_SLAVE, NULL));
	struct opt A = opts_of("/a", 0), B = opts_of("/b", 0), S = opts_of("/s", 0);
	YN("a shared", A.shared != 0);
	YN("b a peer of a", B.shared == A.shared && !B.master);
	YN("s a slave of a's group", !S.shared && S.master == A.shared);

	/* a mount under a appears under its peer b and its slave s */
	R("tmpfs on a/sub", mount("y", "a/sub", "tmpfs", 0, "mode=0755"));
	cf_write_file("a/sub/f", "x", 1);
	R("b/sub/f", stat("b/sub/f", &st));
	R("s/sub/f", stat("s/sub/f", &st));
	struct opt AS = opts_of("/a/sub", 0), BS = opts_of("/b/sub", 0), SS = opts_of("/s/sub", 0);
	YN("a/sub shared", AS.shared != 0);
	YN("b/sub its peer", BS.shared == AS.shared);
	YN("s/sub its slave, private", SS.master == AS.shared && !SS.shared);

	/* a mount under the slave stays there */
	R("tmpfs on s/sub2", mount("z", "s/sub2", "tmpfs", 0, NULL));
	printf("mounts at a/sub2: %d, s/sub2: %d\n", count_at("/a/sub2"), count_at("/s/sub2"));
	R("umount s/sub2", umount("s/sub2"));

	/* unmounting at a takes the copies */
	R("umount a/sub", umount2("a/sub", MNT_DETACH));
	printf("mounts at a/sub %d b/sub %d s/sub %d\n", count_at("/a/sub"), count_at("/b/sub"),
	       count_at("/s/sub"));

	/* a bind under a shared mount: a peer of the source's copies too */
	R("bind base/p on b/sub2", mount("p", "b/sub2", NULL, MS_BIND, NULL));
	printf("mounts at a/sub2 %d b/sub2 %d s/sub2 %d\n", count_at("/a/sub2"),
	       count_at("/b/sub2"), count_at("/s/sub2"));
	R("MS_MOVE out of a shared parent", mount("b/sub2", "p", NULL, MS_MOVE, NULL));
	R("umount b/sub2", umount("b/sub2"));
	printf("after: a/sub2 %d b/sub2 %d s/sub2 %d\n", count_at("/a/sub2"), count_at("/b/sub2"),
	       count_at("/s/sub2"));

	/* a move into a shared mount propagates too */
	mkdir("mv", 0755);
	R("tmpfs on mv", mount("w", "mv", "tmpfs", 0, NULL));
	cf_write_file("mv/t", "t", 1);
	R("MS_MOVE into a shared mount", mount("mv", "a/sub2", NULL, MS_MOVE, NULL));
	printf("moved: a/sub2 %d b/sub2 %d s/sub2 %d\n", count_at("/a/sub2"), count_at("/b/sub2"),
	       count_at("/s/sub2"));
	R("b/sub2/t", stat("b/sub2/t", &st));
	YN("moved mount shared", opts_of("/a/sub2", 0).shared != 0);
	R("umount a/sub2", umount2("a/sub2", MNT_DETACH));
	printf("after: a/sub2 %d b/sub2 %d s/sub2 %d\n", count_at("/a/sub2"), count_at("/b/sub2"),
	       count_at("/s/sub2"));

	/* private: the last peer's slaves go to its own master (none here) */
	R("b private", mount(NULL, "b", NULL, MS_PRIVATE, NULL));
	S = opts_of("/s", 0);
	YN("s still a slave of a", S.master == opts_of("/a", 0).shared);
	R("a private", mount(NULL, "a", NULL, MS_PRIVATE, NULL));
	S = opts_of("/s", 0);
	printf("s after a went private: shared %d master %d\n", S.shared != 0, S.master != 0);

	R("umount s", umount2("s", MNT_DETACH));
	R("umount b", umount2("b", MNT_DETACH));
	R("umount a", umount2("a", MNT_DETACH));
	R("chdir ..", chdir(".."));
	R("umount base", umount2("base", MNT_DETACH));
	return 0;
}
