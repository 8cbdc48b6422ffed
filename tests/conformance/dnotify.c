/*
 * dnotify (fcntl F_NOTIFY): which changes in and of a directory signal the descriptor's
 * owner, with the F_SETSIG signal (si_code POLL_MSG, si_fd the descriptor, si_band) or
 * SIGIO; one-shot unless DN_MULTISHOT; DN_RENAME only for renames within the directory;
 * nothing after the descriptor is closed; the errors of F_NOTIFY itself.
 */
#include "cf.h"
#include <signal.h>

static volatile int hits, last_fd, last_code, sigio_hits;
static volatile long last_band;

static void
on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	hits++;
	last_fd = si->si_fd;
	last_code = si->si_code;
	last_band = si->si_band;
}

static void
on_sigio(int sig)
{
	(void)sig;
	sigio_hits++;
}

/* Runs what the step did and prints how many signals came (and from which fd). */
static void
report(const char *what, int fd)
{
	printf("%s: %d signal(s)%s\n", what, hits,
	       hits ? (last_fd == fd ? " si_fd ok" : " si_fd other") : "");
	hits = 0;
}

static int
watch(const char *dir, unsigned long arg)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	fcntl(fd, F_SETSIG, SIGRTMIN + 1);
	OK("F_NOTIFY", fcntl(fd, F_NOTIFY, arg));
	return fd;
}

int
main(void)
{
	struct sigaction sa = { .sa_sigaction = on_sig, .sa_flags = SA_SIGINFO };
	int fd, sub, f;

	setvbuf(stdout, NULL, _IONBF, 0);
	cf_init();
	sigemptyset(&sa.sa_mask);
	sigaction(SIGRTMIN + 1, &sa, NULL);
	signal(SIGIO, on_sigio);
	mkdir("d", 0700);
	mkdir("d/sub", 0700);
	close(open("d/file", O_CREAT | O_WRONLY, 0600));

	fd = watch("d", DN_ATTRIB | DN_MULTISHOT);
	sub = watch("d/sub", DN_ATTRIB | DN_MULTISHOT);
	chmod("d/file", 0644);
	report("chmod of an entry, parent watched", fd);
	chmod("d/sub", 0755);
	printf("chmod of a watched subdirectory: %d signal(s)\n", hits);
	hits = 0;
	printf("si_code POLL_MSG: %s band %lx\n", last_code == POLL_MSG ? "yes" : "no",
	       (unsigned long)last_band);
	chmod("d", 0755);
	report("chmod of the watched directory itself", fd);
	f = open("d/file", O_WRONLY);
	write(f, "x", 1);
	report("write to an entry (DN_MODIFY not asked)", fd);
	close(sub);
	close(fd);
	chmod("d/file", 0600);
	report("after close", fd);

	fd = watch("d", DN_CREATE | DN_MODIFY);
	write(f, "y", 1);
	report("one-shot: write to an entry", fd);
	write(f, "z", 1);
	report("one-shot: again", fd);
	close(f);
	OK("F_NOTIFY again, adding to the mask", fcntl(fd, F_NOTIFY, DN_CREATE | DN_MULTISHOT));
	close(open("d/new", O_CREAT | O_WRONLY, 0600));
	report("create in the directory", fd);
	mkdir("d/newdir", 0700);
	report("mkdir in the directory", fd);
	OK("F_NOTIFY 0 ends the watch", fcntl(fd, F_NOTIFY, 0));
	close(open("d/new2", O_CREAT | O_WRONLY, 0600));
	report("create after F_NOTIFY 0", fd);
	close(fd);

	fd = watch("d", DN_RENAME | DN_MULTISHOT);
	sub = watch("d/sub", DN_RENAME | DN_MULTISHOT);
	rename("d/file", "d/sub/file");
	report("rename from the directory into a subdirectory", fd);
	rename("d/sub", "d/sub2");
	report("rename within the directory", fd);
	rename("d/sub2/file", "d/sub2/file2");
	report("rename within the subdirectory (watched by its fd still)", sub);
	close(fd);
	close(sub);

	fd = watch("d", DN_DELETE | DN_MULTISHOT);
	unlink("d/new");
	report("unlink in the directory", fd);
	rename("d/new2", "d/newdir/new2");
	report("rename out of the directory", fd);
	close(fd);

	fd = open("d", O_RDONLY);
	OK("F_NOTIFY without F_SETSIG", fcntl(fd, F_NOTIFY, DN_ATTRIB));
	chmod("d/newdir", 0755);
	printf("SIGIO: %d, rt signals: %d\n", sigio_hits, hits);
	close(fd);

	f = open("d/new2x", O_CREAT | O_RDWR, 0600);
	OK("F_NOTIFY on a file", fcntl(f, F_NOTIFY, DN_ATTRIB));
	OK("F_NOTIFY 0 on a file", fcntl(f, F_NOTIFY, 0));
	OK("F_NOTIFY DN_MULTISHOT alone on a file", fcntl(f, F_NOTIFY, DN_MULTISHOT));
	close(f);
	return 0;
}
