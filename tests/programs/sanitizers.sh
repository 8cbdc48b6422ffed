# Programs built with the sanitizers run as natively: ThreadSanitizer maps its shadow and
# protects the gaps between its ranges with fixed mappings (the stub page must be outside
# them), AddressSanitizer reserves 16 TiB of shadow. Each reports the bug it was built for.
cat > race.c <<'C'
#include <pthread.h>
#include <stdio.h>
static int shared;
static void *bump(void *a) { (void)a; for (int i = 0; i < 100000; i++) shared++; return NULL; }
int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, bump, NULL);
	pthread_create(&b, NULL, bump, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("done\n");
	return 0;
}
C
cat > overflow.c <<'C'
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) { char *p = malloc(8); memset(p, 0, 8 + (argc > 1)); free(p); return 0; }
C
gcc -g -fsanitize=thread -o race race.c || exit 1
gcc -g -fsanitize=address,undefined -o overflow overflow.c || exit 1
./race 2>race.err; echo "tsan exit $?"
grep -c "WARNING: ThreadSanitizer: data race" race.err
./overflow; echo "asan clean exit $?"
./overflow x 2>asan.err; echo "asan exit $?"
grep -o "ERROR: AddressSanitizer: heap-buffer-overflow" asan.err
