/* A process killed while blocked reading its own pipe (it holds both ends), and a thread
 * blocked in read while another thread closes that descriptor and the process exits:
 * the ends go with the process and nothing else is disturbed. Then pipes still work. */
#include "cf.h"
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

static int tp[2];

static void *
blocked_reader(void *arg)
{
	char c;

	(void)arg;
	read(tp[0], &c, 1);
	return NULL;
}

int
main(void)
{
	for (int i = 0; i < 20; i++) {
		int p[2], st;
		pid_t c = fork();

		if (c == 0) {
			char ch;

			pipe(p);
			read(p[0], &ch, 1);
			_exit(1);
		}
		usleep(2000);
		kill(c, SIGKILL);
		waitpid(c, &st, 0);
		if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
			printf("round %d: unexpected status %#x\n", i, st);
	}
	printf("killed readers reaped\n");
	for (int i = 0; i < 20; i++) {
		int st;
		pid_t c = fork();

		if (c == 0) {
			pthread_t th;

			pipe(tp);
			pthread_create(&th, NULL, blocked_reader, NULL);
			usleep(1000);
			close(tp[0]);
			_exit(3);
		}
		waitpid(c, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 3)
			printf("round %d: unexpected status %#x\n", i, st);
	}
	printf("exits with a held read end reaped\n");
	int p[2];
	char b[4] = "abc", r[4] = { 0 };
	R("pipe", pipe(p));
	R("write", write(p[1], b, 3));
	R("read", read(p[0], r, 3));
	printf("got %s\n", r);
	return 0;
}
