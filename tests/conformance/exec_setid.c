/* execve of set-user-ID and set-group-ID programs: the effective ids become the file's
 * owner and group (saved ones follow), unless no_new_privs or the program is a script;
 * AT_SECURE and dumpability say so. Runs as root: the child drops to other ids first. */
#include "cf.h"
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static char self[4096];

static void
show_ids(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;

	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	printf("uids %d %d %d gids %d %d %d secure %lu dumpable %d\n", (int)r, (int)e, (int)s,
	       (int)gr, (int)ge, (int)gs, getauxval(AT_SECURE), prctl(PR_GET_DUMPABLE));
}

static int
copy_file(const char *from, const char *to, mode_t mode)
{
	char b[65536];
	ssize_t n;
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0700);

	if (in < 0 || out < 0)
		return -1;
	while ((n = read(in, b, sizeof(b))) > 0)
		if (write(out, b, n) != n)
			return -1;
	close(in);
	close(out);
	return chmod(to, mode);
}

/* In a child: set the ids (and no_new_privs), then run path; prints what it reports. */
static void
run(const char *label, const char *path, uid_t uid[3], gid_t gid[3], int nnp)
{
	int st;

	printf("%s: ", label);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		if (nnp)
			prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		if (setresgid(gid[0], gid[1], gid[2]) < 0 || setresuid(uid[0], uid[1], uid[2]) < 0) {
			printf("set ids: %s\n", en(errno));
			_exit(1);
		}
		char *argv[] = { (char *)path, "show", NULL }, *envp[] = { NULL };
		execve(path, argv, envp);
		printf("execve: %s\n", en(errno));
		_exit(1);
	}
	waitpid(c, &st, 0);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "show")) {
		show_ids();
		return 0;
	}
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return 1;
	self[n] = '\0';
	cf_init();
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	/* cf_dir must be searchable by the other ids */
	chmod(cf_dir, 0755);
	uid_t u[3] = { 12345, 12345, 12345 };
	gid_t g[3] = { 12345, 12345, 12345 };
	uid_t mixed_u[3] = { 1000, 2000, 3000 };
	gid_t mixed_g[3] = { 1001, 2001, 3001 };

	R("plain", copy_file(self, "plain", 0755));
	R("suid", copy_file(self, "suid", 04755));
	R("sgid", copy_file(self, "sgid", 02755));
	R("sgid without group exec", copy_file(self, "sgid_nox", 02745));
	run("plain program, mixed ids", "./plain", mixed_u, mixed_g, 0);
	run("set-user-ID root", "./suid", u, g, 0);
	run("set-group-ID root", "./sgid", u, g, 0);
	run("set-group-ID without group execute", "./sgid_nox", u, g, 0);
	run("set-user-ID with no_new_privs", "./suid", u, g, 1);
	/* owned by another user: root runs it as that user */
	R("suid owned by 4242", chown("suid", 4242, 4343));
	R("mode again", chmod("suid", 06755));
	uid_t root[3] = { 0, 0, 0 };
	gid_t rootg[3] = { 0, 0, 0 };
	run("root runs set-id 4242:4343", "./suid", root, rootg, 0);
	/* a set-user-ID script runs as its caller */
	const char *script = "#!/bin/sh\nexec \"$0.bin\" show\n";
	R("script", cf_write_file("s", script, strlen(script)));
	R("script suid", chmod("s", 04755));
	R("script's program", copy_file(self, "s.bin", 0755));
	run("set-user-ID script", "./s", u, g, 0);
	return 0;
}
