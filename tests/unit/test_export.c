/* Unit tests for the CLI side of the change export (sentry/export.c): hand-made streams,
 * well-formed and hostile, must never make it write outside DIR. TAP output. */
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/tap.h"
#include "sentry/export.h"

static char base[] = "/tmp/export-test-XXXXXX";
static char stream[1 << 20];
static size_t slen;

static void
put(const void *p, size_t n)
{
	if (slen + n > sizeof(stream))
		abort();
	memcpy(stream + slen, p, n);
	slen += n;
}

/* One record: path, optional target and link, data_len bytes of data. */
static void
rec(int kind, mode_t mode, const char *path, const char *target, const char *link,
    const char *data, size_t size)
{
	struct export_rec r = {
		.magic = EXPORT_MAGIC, .kind = kind, .mode = mode,
		.path_len = strlen(path), .target_len = target ? strlen(target) : 0,
		.link_len = link ? strlen(link) : 0, .size = size,
		.data = data != NULL, .mtime_sec = 1000000000,
	};
	struct export_seg seg = { 0, size }, end = { 0, 0 };

	put(&r, sizeof(r));
	put(path, r.path_len);
	if (target)
		put(target, r.target_len);
	if (link)
		put(link, r.link_len);
	if (data) {
		if (size)
			put(&seg, sizeof(seg));
		put(data, size);
		put(&end, sizeof(end));
	}
}

static void
seg(uint64_t off, uint64_t len, const char *data)
{
	struct export_seg s = { off, len };

	put(&s, sizeof(s));
	if (data)
		put(data, len);
}

static void
end(unsigned long n)
{
	struct export_rec r = { .magic = EXPORT_MAGIC, .kind = EXPORT_END, .size = n };

	put(&r, sizeof(r));
}

static void
hook(bool interrupted)
{
}

/* Feeds the stream to export_receive with DIR base/name; returns its result. */
static int
run(const char *name, const char *json_name)
{
	char dir[PATH_MAX], js[PATH_MAX];
	int sv[2], jfd = -1, r;

	snprintf(dir, sizeof(dir), "%s/%s", base, name);
	if (json_name) {
		snprintf(js, sizeof(js), "%s/%s", base, json_name);
		jfd = open(js, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		abort();
	if (fork() == 0) {
		close(sv[0]);
		if (write(sv[1], stream, slen) != (ssize_t)slen)
			_exit(1);
		_exit(0);
	}
	close(sv[1]);
	r = export_receive(sv[0], jfd, dir, hook);
	close(sv[0]);
	slen = 0;
	return r;
}

static int
exists(const char *rel)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	return lstat(p, &st) == 0;
}

static long
file_size(const char *rel)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	return lstat(p, &st) == 0 ? st.st_size : -1;
}

static int
json_has(const char *rel, const char *needle)
{
	char p[PATH_MAX], buf[65536];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	f = fopen(p, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return strstr(buf, needle) != NULL;
}

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	remove(p);
	return 0;
}

int
main(void)
{
	char canary[PATH_MAX], big[300];

	if (!mkdtemp(base))
		return 1;
	snprintf(canary, sizeof(canary), "%s/canary", base);
	mkdir(canary, 0755);

	/* a well-formed stream */
	rec(EXPORT_CREATED, S_IFDIR | 0750, "/a", NULL, NULL, NULL, 0);
	rec(EXPORT_CREATED, S_IFREG | 0640, "/a/f", NULL, NULL, "hello", 5);
	rec(EXPORT_CREATED, S_IFREG | 0640, "/a/h", NULL, "/a/f", "hello", 5);
	rec(EXPORT_CREATED, S_IFLNK | 0777, "/a/l", "/etc/passwd", NULL, NULL, 11);
	rec(EXPORT_DELETED, S_IFREG | 0644, "/a/gone", NULL, NULL, NULL, 3);
	rec(EXPORT_CREATED, S_IFIFO | 0644, "/a/fifo", NULL, NULL, NULL, 0);
	rec(EXPORT_MODIFIED, S_IFREG | 04755, "/b/c/d", NULL, NULL, "xy", 2);
	end(7);
	ok(run("ok", "ok.json") == 0, "well-formed stream exported");
	ok(file_size("ok/a/f") == 5 && file_size("ok/b/c/d") == 2, "files written, parents made");
	ok(exists("ok/a/h") && !exists("ok/a/gone") && !exists("ok/a/fifo"), "link made; nothing for deleted or fifo");
	ok(json_has("ok.json", "\"complete\": true") && json_has("ok.json", "\"deleted\"") &&
	   json_has("ok.json", "\"target\": \"/etc/passwd\""), "document complete");
	{
		struct stat st;
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "%s/ok/b/c/d", base);
		memset(&st, 0, sizeof(st));
		stat(p, &st);
		ok((st.st_mode & 07777) == 0755, "set-uid bit dropped (%o)", st.st_mode & 07777);
		snprintf(p, sizeof(p), "%s/ok/a", base);
		ok(stat(p, &st) == 0 && (st.st_mode & 07777) == 0750, "directory mode applied last");
	}

	/* a symlink, then files through it: never followed */
	rec(EXPORT_CREATED, S_IFLNK | 0777, "/s", canary, NULL, NULL, strlen(canary));
	rec(EXPORT_CREATED, S_IFREG | 0644, "/s/pwned", NULL, NULL, "x", 1);
	rec(EXPORT_CREATED, S_IFDIR | 0755, "/s/d", NULL, NULL, NULL, 0);
	rec(EXPORT_CREATED, S_IFLNK | 0777, "/s2", "..", NULL, NULL, 2);
	rec(EXPORT_CREATED, S_IFREG | 0644, "/s2/pwned", NULL, NULL, "x", 1);
	rec(EXPORT_CREATED, S_IFREG | 0644, "/h", NULL, "/s/../../canary/x", "x", 1);
	rec(EXPORT_CREATED, S_IFREG | 0644, "/s", NULL, NULL, "x", 1);
	end(7);
	ok(run("sym", "sym.json") > 0, "writes through symlinks fail");
	ok(!exists("canary/pwned") && !exists("canary/d") && !exists("pwned") &&
	   !exists("canary/x"), "nothing written through a symlink");
	ok(json_has("sym.json", "\"error\""), "the failures are in the document");

	/* malformed streams: cut short, nothing outside */
	rec(EXPORT_CREATED, S_IFREG | 0644, "/../escape", NULL, NULL, "x", 1);
	end(1);
	run("dotdot", "dotdot.json");
	ok(!exists("escape") && json_has("dotdot.json", "\"complete\": false"), "\"..\" refused");
	rec(EXPORT_CREATED, S_IFREG | 0644, "relative", NULL, NULL, "x", 1);
	run("rel", NULL);
	ok(!exists("rel/relative"), "relative path refused");
	rec(EXPORT_CREATED, S_IFREG | 0644, "/a/./b", NULL, NULL, "x", 1);
	rec(EXPORT_CREATED, S_IFREG | 0644, "/a//b", NULL, NULL, "x", 1);
	run("dot", NULL);
	ok(!exists("dot/a/b"), "\".\" and \"\" components refused");
	memset(big, 'n', sizeof(big));
	big[0] = '/';
	big[sizeof(big) - 1] = '\0';
	rec(EXPORT_CREATED, S_IFREG | 0644, big, NULL, NULL, "x", 1);
	run("long", NULL);
	ok(!exists("long/" "nnnn"), "component longer than NAME_MAX refused");
	{
		struct export_rec r = { .magic = EXPORT_MAGIC, .kind = EXPORT_CREATED,
					.mode = S_IFREG | 0644, .path_len = 0xffffffff };

		put(&r, sizeof(r));
		ok(run("huge", "huge.json") == 0 && json_has("huge.json", "\"complete\": false"),
		   "huge path length refused");
		r.path_len = 2;
		r.size = 10;
		r.data = 1;
		put(&r, sizeof(r));
		put("/z", 2);
		seg(8, 4, "abcd");
		ok(run("beyond", "beyond.json") == 0 && json_has("beyond.json", "\"complete\": false"),
		   "a segment past the size refused");
		put(&r, sizeof(r));
		put("/z", 2);
		seg(4, 2, "ab");
		seg(0, 2, "cd");
		ok(run("order", "order.json") == 0 && json_has("order.json", "\"complete\": false"),
		   "segments out of order refused");
		put(&r, sizeof(r));
		put("/z", 2);
		seg(0, 70000, NULL);
		ok(run("bigseg", "bigseg.json") == 0 && json_has("bigseg.json", "\"complete\": false"),
		   "an oversized segment refused");
		r.size = (uint64_t)1 << 40;
		put(&r, sizeof(r));
		put("/s", 2);
		seg(((uint64_t)1 << 40) - 3, 3, "end");
		seg(0, 0, NULL);
		end(1);
		ok(run("sparse", NULL) == 0 && file_size("sparse/s") == (1L << 40),
		   "a sparse terabyte costs one segment");
		{
			struct stat st;
			char p[PATH_MAX];

			snprintf(p, sizeof(p), "%s/sparse/s", base);
			ok(stat(p, &st) == 0 && st.st_blocks < 1024, "and stays sparse on disk");
			unlink(p);
		}
		r.size = 10;
		r.mode = S_IFLNK | 0777;
		put(&r, sizeof(r));
		put("/z", 2);
		ok(run("lnkdata", NULL) == 0 && !exists("lnkdata/z"), "data for a symlink refused");
		r.magic = 0;
		put(&r, sizeof(r));
		ok(run("magic", NULL) == 0, "bad magic stops the stream");
	}
	rec(EXPORT_CREATED, S_IFREG | 0644, "/dup", NULL, NULL, "one", 3);
	rec(EXPORT_CREATED, S_IFREG | 0644, "/dup", NULL, NULL, "two!", 4);
	end(2);
	ok(run("dup", NULL) == 1 && file_size("dup/dup") == 3, "a duplicate never overwrites");
	rec(EXPORT_CREATED, S_IFREG | 0644, "/cut", NULL, NULL, "abc", 3);
	slen -= 2;
	run("cut", "cut.json");
	ok(json_has("cut.json", "\"complete\": false"), "a stream cut in the data is incomplete");
	ok(!exists("canary/pwned") && !exists("escape"), "the canary stays empty");

	nftw(base, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	printf("1..%d\n", ntest);
	return nfail ? 1 : 0;
}
