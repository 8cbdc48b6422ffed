/* Key management: add_key, request_key, keyctl (keyrings(7)). Serial numbers are never
 * printed, only relations between them. The program first joins a new anonymous session
 * keyring so that nothing of the caller's keyrings shows. */
#include "cf.h"
#include <linux/keyctl.h>
#include <pthread.h>
#include <sys/wait.h>

static long
add_key(const char *type, const char *desc, const void *p, size_t n, long ring)
{
	return syscall(SYS_add_key, type, desc, p, n, ring);
}

static long
request_key(const char *type, const char *desc, const char *callout, long ring)
{
	return syscall(SYS_request_key, type, desc, callout, ring);
}

static long
kc(long op, long a, long b, long c, long d)
{
	return syscall(SYS_keyctl, op, a, b, c, d);
}

/* The /proc/keys line of key id (described desc), without serial and usage count (an
 * earlier run's keys may still show natively until Linux's garbage collector runs). */
static void
proc_line(long id, const char *desc)
{
	char line[512];
	FILE *f = fopen("/proc/keys", "r");
	int found = 0;

	if (!f) {
		printf("/proc/keys: %s\n", en(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char flags[16], tm[16], perm[16], type[32], d[256];
		unsigned serial;
		int use, uid, gid;
		if (sscanf(line, "%x %15s %d %15s %15s %d %d %31s %255[^\n]", &serial, flags, &use, tm,
			   perm, &uid, &gid, type, d) != 9)
			continue;
		if ((long)serial != id || strncmp(d, desc, strlen(desc)) || d[strlen(desc)] != ':')
			continue;
		printf("/proc/keys %s: %s %s %s %s %s\n", desc, flags, tm, perm, type, d);
		found = 1;
	}
	fclose(f);
	if (!found)
		printf("/proc/keys %s: absent\n", desc);
}

static long thread_ids[2];

static void *
thread_main(void *arg)
{
	(void)arg;
	thread_ids[0] = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 0);
	thread_ids[1] = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 0);
	return NULL;
}

static void
child_exec(char *self, long ses)
{
	char arg[32];
	snprintf(arg, sizeof(arg), "%ld", ses);
	execl(self, self, "exec", arg, (char *)NULL);
	_exit(99);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "exec")) {
		long ses = atol(argv[2]);
		YN("exec: same session keyring", kc(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0, 0, 0) == ses);
		R("exec: thread keyring", kc(KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 0, 0, 0));
		R("exec: process keyring", kc(KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 0, 0, 0));
		return 0;
	}
	long ses = kc(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0);
	YN("join anonymous session", ses > 0);
	YN("session id", kc(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0, 0, 0) == ses);
	char buf[8192];
	long n = kc(KEYCTL_DESCRIBE, KEY_SPEC_SESSION_KEYRING, (long)buf, sizeof(buf), 0);
	printf("describe session: %ld %s\n", n, n > 0 ? buf : en(errno));
	R("read empty session", kc(KEYCTL_READ, KEY_SPEC_SESSION_KEYRING, (long)buf, sizeof(buf), 0));

	/* user keys */
	long k1 = add_key("user", "cfkey", "hello", 5, KEY_SPEC_SESSION_KEYRING);
	YN("add user key", k1 > 0);
	memset(buf, 0, sizeof(buf));
	n = kc(KEYCTL_READ, k1, (long)buf, sizeof(buf), 0);
	printf("read: %ld %s\n", n, buf);
	R("read length only", kc(KEYCTL_READ, k1, 0, 0, 0));
	R("read short buffer", kc(KEYCTL_READ, k1, (long)buf, 2, 0));
	n = kc(KEYCTL_DESCRIBE, k1, (long)buf, sizeof(buf), 0);
	printf("describe: %ld %s\n", n, n > 0 ? buf : en(errno));
	R("describe length only", kc(KEYCTL_DESCRIBE, k1, 0, 0, 0));
	long k1b = add_key("user", "cfkey", "world!", 6, KEY_SPEC_SESSION_KEYRING);
	YN("add again updates the same key", k1b == k1);
	memset(buf, 0, sizeof(buf));
	n = kc(KEYCTL_READ, k1, (long)buf, sizeof(buf), 0);
	printf("read updated: %ld %s\n", n, buf);
	R("update", kc(KEYCTL_UPDATE, k1, (long)"again", 5, 0));
	R("update empty", kc(KEYCTL_UPDATE, k1, (long)"", 0, 0));
	R("update bad pointer", kc(KEYCTL_UPDATE, k1, (long)cf_unmapped(), 5, 0));
	int ids[4] = { 0 };
	n = kc(KEYCTL_READ, KEY_SPEC_SESSION_KEYRING, (long)ids, sizeof(ids), 0);
	printf("read session: %ld first is key: %s\n", n, ids[0] == k1 ? "yes" : "no");
	proc_line(k1, "cfkey");

	/* argument errors */
	R("unknown type", add_key("nosuchtype", "d", "p", 1, KEY_SPEC_SESSION_KEYRING));
	R("dot type", add_key(".foo", "d", "p", 1, KEY_SPEC_SESSION_KEYRING));
	R("type too long", add_key("abcdefghijklmnopqrstuvwxyz0123456", "d", "p", 1, KEY_SPEC_SESSION_KEYRING));
	R("empty type", add_key("", "d", "p", 1, KEY_SPEC_SESSION_KEYRING));
	R("bad type pointer", add_key(cf_unmapped(), "d", "p", 1, KEY_SPEC_SESSION_KEYRING));
	R("bad desc pointer", add_key("user", cf_unmapped(), "p", 1, KEY_SPEC_SESSION_KEYRING));
	R("no description", add_key("user", NULL, "p", 1, KEY_SPEC_SESSION_KEYRING));
	R("empty description", add_key("user", "", "p", 1, KEY_SPEC_SESSION_KEYRING));
	R("NULL payload", add_key("user", "d", NULL, 5, KEY_SPEC_SESSION_KEYRING));
	R("no payload", add_key("user", "d", NULL, 0, KEY_SPEC_SESSION_KEYRING));
	static char big[1 << 20];
	R("payload 32768", add_key("user", "d", big, 32768, KEY_SPEC_SESSION_KEYRING));
	R("payload 1MiB", add_key("user", "d", big, 1 << 20, KEY_SPEC_SESSION_KEYRING));
	R("unknown type big payload", add_key("nosuchtype", "d", big, 1 << 20, KEY_SPEC_SESSION_KEYRING));
	R("unknown type NULL payload", add_key("nosuchtype", "d", NULL, 64, KEY_SPEC_SESSION_KEYRING));
	R("keyring with payload", add_key("keyring", "r", "p", 1, KEY_SPEC_SESSION_KEYRING));
	R("dot keyring", add_key("keyring", ".r", NULL, 0, KEY_SPEC_SESSION_KEYRING));
	R("logon without prefix", add_key("logon", "nocolon", "p", 1, KEY_SPEC_SESSION_KEYRING));
	R("logon empty prefix", add_key("logon", ":x", "p", 1, KEY_SPEC_SESSION_KEYRING));
	long lk = add_key("logon", "cf:logon", "secret", 6, KEY_SPEC_SESSION_KEYRING);
	YN("logon key", lk > 0);
	R("read logon", kc(KEYCTL_READ, lk, (long)buf, sizeof(buf), 0));
	n = kc(KEYCTL_DESCRIBE, lk, (long)buf, sizeof(buf), 0);
	printf("describe logon: %ld %s\n", n, n > 0 ? buf : en(errno));
	memset(big, 'a', 4096);
	big[4095] = 0;
	YN("description 4095", add_key("user", big, "p", 1, KEY_SPEC_SESSION_KEYRING) > 0);
	big[4095] = 'a';
	big[4096] = 0;
	R("description 4096", add_key("user", big, "p", 1, KEY_SPEC_SESSION_KEYRING));
	R("into a non-keyring", add_key("user", "d", "p", 1, k1));
	R("into serial 0", add_key("user", "d", "p", 1, 0));
	R("into group keyring", add_key("user", "d", "p", 1, KEY_SPEC_GROUP_KEYRING));
	R("into missing key", add_key("user", "d", "p", 1, 0x7ffffff0));
	R("get id 0", kc(KEYCTL_GET_KEYRING_ID, 0, 0, 0, 0));
	R("get id -20", kc(KEYCTL_GET_KEYRING_ID, -20, 0, 0, 0));
	R("get id group", kc(KEYCTL_GET_KEYRING_ID, KEY_SPEC_GROUP_KEYRING, 0, 0, 0));
	R("unknown op", kc(99, 0, 0, 0, 0));
	R("instantiate", kc(KEYCTL_INSTANTIATE, k1, (long)"x", 1, 0));
	R("negate", kc(KEYCTL_NEGATE, k1, 10, 0, 0));
	R("reject bad error", kc(KEYCTL_REJECT, k1, 10, 0, 0));
	R("reject", kc(KEYCTL_REJECT, k1, 10, EKEYREJECTED, 0));
	R("assume authority 0", kc(KEYCTL_ASSUME_AUTHORITY, 0, 0, 0, 0));
	R("assume authority", kc(KEYCTL_ASSUME_AUTHORITY, k1, 0, 0, 0));
	R("setperm bad bits", kc(KEYCTL_SETPERM, k1, 0x40000000, 0, 0));
	R("chown nothing", kc(KEYCTL_CHOWN, k1, -1, -1, 0));
	R("describe bad buffer", kc(KEYCTL_DESCRIBE, k1, (long)cf_unmapped(), 100, 0));
	R("read bad buffer", kc(KEYCTL_READ, k1, (long)cf_unmapped(), 100, 0));

	/* keyrings */
	long r1 = add_key("keyring", "cfring", NULL, 0, KEY_SPEC_SESSION_KEYRING);
	YN("add keyring", r1 > 0);
	n = kc(KEYCTL_DESCRIBE, r1, (long)buf, sizeof(buf), 0);
	printf("describe keyring: %ld %s\n", n, n > 0 ? buf : en(errno));
	long r1b = add_key("keyring", "cfring", NULL, 0, KEY_SPEC_SESSION_KEYRING);
	YN("a second keyring of that name is new", r1b > 0 && r1b != r1);
	r1 = r1b;
	R("link", kc(KEYCTL_LINK, k1, r1, 0, 0));
	R("link again", kc(KEYCTL_LINK, k1, r1, 0, 0));
	R("read keyring", kc(KEYCTL_READ, r1, 0, 0, 0));
	YN("search finds it", kc(KEYCTL_SEARCH, r1, (long)"user", (long)"cfkey", 0) == k1);
	YN("search from session", kc(KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, (long)"user", (long)"cfkey", 0) == k1);
	R("search wrong type", kc(KEYCTL_SEARCH, r1, (long)"logon", (long)"cfkey", 0));
	R("search unknown type", kc(KEYCTL_SEARCH, r1, (long)"nosuchtype", (long)"cfkey", 0));
	R("search in a user key", kc(KEYCTL_SEARCH, k1, (long)"user", (long)"cfkey", 0));
	R("link into itself", kc(KEYCTL_LINK, r1, r1, 0, 0));
	R("link session into child", kc(KEYCTL_LINK, KEY_SPEC_SESSION_KEYRING, r1, 0, 0));
	R("link into user key", kc(KEYCTL_LINK, r1, k1, 0, 0));
	R("unlink", kc(KEYCTL_UNLINK, k1, r1, 0, 0));
	R("unlink again", kc(KEYCTL_UNLINK, k1, r1, 0, 0));
	R("search after unlink", kc(KEYCTL_SEARCH, r1, (long)"user", (long)"cfkey", 0));
	R("update keyring", kc(KEYCTL_UPDATE, r1, (long)"x", 1, 0));
	R("clear user key", kc(KEYCTL_CLEAR, k1, 0, 0, 0));
	long k2 = add_key("user", "cfkey2", "two", 3, r1);
	YN("add into keyring", k2 > 0);
	YN("search nested", kc(KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, (long)"user", (long)"cfkey2", 0) == k2);
	YN("request_key finds it", request_key("user", "cfkey2", NULL, 0) == k2);
	R("request_key missing", request_key("user", "cf-missing", NULL, 0));
	R("request_key unknown type", request_key("nosuchtype", "x", NULL, 0));
	R("request_key dot type", request_key(".x", "x", NULL, 0));
	R("request_key bad callout", request_key("user", "x", cf_unmapped(), 0));
	R("move", kc(KEYCTL_MOVE, k2, r1, KEY_SPEC_SESSION_KEYRING, 0));
	R("move again", kc(KEYCTL_MOVE, k2, r1, KEY_SPEC_SESSION_KEYRING, 0));
	R("move bad flags", kc(KEYCTL_MOVE, k2, KEY_SPEC_SESSION_KEYRING, r1, 2));
	R("clear keyring", kc(KEYCTL_CLEAR, r1, 0, 0, 0));
	R("read cleared", kc(KEYCTL_READ, r1, 0, 0, 0));
	R("restrict", kc(KEYCTL_RESTRICT_KEYRING, r1, 0, 0, 0));
	R("restrict again", kc(KEYCTL_RESTRICT_KEYRING, r1, 0, 0, 0));
	R("add into restricted", add_key("user", "d", "p", 1, r1));
	R("link into restricted", kc(KEYCTL_LINK, k2, r1, 0, 0));

	/* permissions */
	R("setperm view only", kc(KEYCTL_SETPERM, k2, 0x01010101, 0, 0));
	R("read without permission", kc(KEYCTL_READ, k2, (long)buf, sizeof(buf), 0));
	R("update without permission", kc(KEYCTL_UPDATE, k2, (long)"x", 1, 0));
	n = kc(KEYCTL_DESCRIBE, k2, (long)buf, sizeof(buf), 0);
	printf("describe view only: %ld %s\n", n, n > 0 ? buf : en(errno));
	R("setperm without setattr", kc(KEYCTL_SETPERM, k2, 0x3f010000, 0, 0));
	R("revoke without permission", kc(KEYCTL_REVOKE, k2, 0, 0, 0));

	/* revocation, expiry, invalidation */
	long k3 = add_key("user", "cfkey3", "three", 5, KEY_SPEC_SESSION_KEYRING);
	R("revoke", kc(KEYCTL_REVOKE, k3, 0, 0, 0));
	R("read revoked", kc(KEYCTL_READ, k3, (long)buf, sizeof(buf), 0));
	R("revoke revoked", kc(KEYCTL_REVOKE, k3, 0, 0, 0));
	R("describe revoked", kc(KEYCTL_DESCRIBE, k3, (long)buf, sizeof(buf), 0));
	R("update revoked", kc(KEYCTL_UPDATE, k3, (long)"x", 1, 0));
	R("search revoked", kc(KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, (long)"user", (long)"cfkey3", 0));
	long k4 = add_key("user", "cfkey4", "four", 4, KEY_SPEC_SESSION_KEYRING);
	R("set timeout", kc(KEYCTL_SET_TIMEOUT, k4, 1, 0, 0));
	sleep(2);
	R("read expired", kc(KEYCTL_READ, k4, (long)buf, sizeof(buf), 0));
	R("search expired", kc(KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, (long)"user", (long)"cfkey4", 0));
	R("timeout expired", kc(KEYCTL_SET_TIMEOUT, k4, 10, 0, 0));
	long k5 = add_key("user", "cfkey5", "five", 4, KEY_SPEC_SESSION_KEYRING);
	R("invalidate", kc(KEYCTL_INVALIDATE, k5, 0, 0, 0));
	/* (an invalidated key's serial answers EACCES or ENOKEY, depending on whether
	 * Linux's garbage collector ran yet) */

	/* special keyrings */
	R("thread keyring absent", kc(KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 0, 0, 0));
	R("process keyring absent", kc(KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 0, 0, 0));
	long th = kc(KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 1, 0, 0);
	long pr = kc(KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 1, 0, 0);
	YN("thread and process keyrings made", th > 0 && pr > 0 && th != pr);
	n = kc(KEYCTL_DESCRIBE, th, (long)buf, sizeof(buf), 0);
	printf("describe thread keyring: %ld %s\n", n, n > 0 ? buf : en(errno));
	n = kc(KEYCTL_DESCRIBE, pr, (long)buf, sizeof(buf), 0);
	printf("describe process keyring: %ld %s\n", n, n > 0 ? buf : en(errno));
	long us = kc(KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0, 0, 0);
	long uss = kc(KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_SESSION_KEYRING, 0, 0, 0);
	YN("user keyrings", us > 0 && uss > 0 && us != uss && us != ses);
	R("reqkey default", kc(KEYCTL_SET_REQKEY_KEYRING, KEY_REQKEY_DEFL_NO_CHANGE, 0, 0, 0));
	R("reqkey session", kc(KEYCTL_SET_REQKEY_KEYRING, KEY_REQKEY_DEFL_SESSION_KEYRING, 0, 0, 0));
	R("reqkey group", kc(KEYCTL_SET_REQKEY_KEYRING, KEY_REQKEY_DEFL_GROUP_KEYRING, 0, 0, 0));
	R("reqkey 9", kc(KEYCTL_SET_REQKEY_KEYRING, 9, 0, 0, 0));
	R("reqkey back", kc(KEYCTL_SET_REQKEY_KEYRING, KEY_REQKEY_DEFL_DEFAULT, 0, 0, 0));
	long per = kc(KEYCTL_GET_PERSISTENT, -1, KEY_SPEC_SESSION_KEYRING, 0, 0);
	YN("persistent keyring", per > 0);
	n = kc(KEYCTL_DESCRIBE, per, (long)buf, sizeof(buf), 0);
	printf("describe persistent: %ld %s\n", n, n > 0 ? buf : en(errno));
	YN("persistent again", kc(KEYCTL_GET_PERSISTENT, -1, KEY_SPEC_SESSION_KEYRING, 0, 0) == per);
	R("persistent into missing key", kc(KEYCTL_GET_PERSISTENT, -1, 0x7ffffff0, 0, 0));
	R("unlink persistent", kc(KEYCTL_UNLINK, per, KEY_SPEC_SESSION_KEYRING, 0, 0));
	long pk = add_key("user", "cfproc", "p", 1, KEY_SPEC_PROCESS_KEYRING);
	YN("key in process keyring found", request_key("user", "cfproc", NULL, 0) == pk);

	pthread_t th_;
	pthread_create(&th_, NULL, thread_main, NULL);
	pthread_join(th_, NULL);
	YN("thread: its own new thread keyring", thread_ids[0] > 0 && thread_ids[0] != th);
	YN("thread: the same process keyring", thread_ids[1] == pr);
	pid_t c = fork();
	if (c == 0) {
		YN("child: same session", kc(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0, 0, 0) == ses);
		R("child: thread keyring", kc(KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 0, 0, 0));
		R("child: process keyring", kc(KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 0, 0, 0));
		R("child: process key not found", request_key("user", "cfproc", NULL, 0));
		YN("child: session key found", request_key("user", "cfkey2", NULL, 0) == k2);
		YN("child: parent's process keyring by serial", kc(KEYCTL_READ, pr, 0, 0, 0) == 4);
		long nses = kc(KEYCTL_JOIN_SESSION_KEYRING, (long)"cf-named", 0, 0, 0);
		YN("child: joined named session", nses > 0 && nses != ses);
		n = kc(KEYCTL_DESCRIBE, nses, (long)buf, sizeof(buf), 0);
		printf("child: describe named: %ld %s\n", n, n > 0 ? buf : en(errno));
		YN("child: join it again", kc(KEYCTL_JOIN_SESSION_KEYRING, (long)"cf-named", 0, 0, 0) == nses);
		R("child: join dot name", kc(KEYCTL_JOIN_SESSION_KEYRING, (long)".builtin_trusted_keys", 0, 0, 0));
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	YN("parent: session unchanged", kc(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0, 0, 0) == ses);
	c = fork();
	if (c == 0)
		child_exec(argv[0], ses);
	waitpid(c, &st, 0);
	R("clear session", kc(KEYCTL_CLEAR, KEY_SPEC_SESSION_KEYRING, 0, 0, 0));
	R("read cleared session", kc(KEYCTL_READ, KEY_SPEC_SESSION_KEYRING, 0, 0, 0));
	return 0;
}
