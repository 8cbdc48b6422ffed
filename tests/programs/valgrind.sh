# Valgrind inside: memcheck's reports of a leak and an invalid read, a threaded program,
# helgrind, callgrind and memcheck of ls (whose heap summary counts stdio's buffers, sized
# by st_blksize: 1K for /proc/filesystems), with process ids and addresses masked.
cat > leak.c <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
	char *p = malloc(16);
	strcpy(p, "leaky");
	int *q = malloc(4 * sizeof(int));
	q[0] = 1;
	int v = argc == 1 ? q[argc + 3] : 0;	/* just past the end */
	free(q);
	printf("%s %d\n", p, v > 0 ? 1 : 0);
	p = NULL;
	return 0;
}
C
cat > thr.c <<'C'
#include <pthread.h>
#include <stdio.h>
static int shared;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static void *bump(void *a)
{
	(void)a;
	for (int i = 0; i < 1000; i++) {
		pthread_mutex_lock(&mu);
		shared++;
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}
int main(void)
{
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, bump, NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("shared=%d\n", shared);
	return 0;
}
C
gcc -g -O0 leak.c -o leak && gcc -g -O0 -pthread thr.c -o thr || exit 1
norm() { sed -E 's/==[0-9]+==/==PID==/; s/0x[0-9A-Fa-f]+/ADDR/g'; }
valgrind --leak-check=full ./leak 2>&1 | norm | grep -vE 'Copyright|Using Valgrind|Command:'
valgrind -q --error-exitcode=9 ./leak >/dev/null 2>&1; echo "error exit $?"
valgrind -q ./thr 2>&1 | norm
valgrind --tool=helgrind ./thr 2>&1 | norm | grep -E 'shared=|ERROR SUMMARY'
valgrind --tool=callgrind --callgrind-out-file=cg.out ./leak 2>&1 | norm | grep -E 'leaky|Collected' | sed -E 's/[0-9]+$/N/'
valgrind --trace-children=yes -q /bin/sh -c './leak x; exit 3'; echo "child exit $?"
valgrind ls -la /usr/share/doc/valgrind 2>&1 | norm | grep -E 'total heap usage|ERROR SUMMARY'
