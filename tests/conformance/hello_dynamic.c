/* build: dynamic */
/* A dynamically linked hello world: exercises the interpreter (ld.so) and libc loading. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int
main(void)
{
	printf("hello from a dynamic binary\n");
	void *h = dlopen("libm.so.6", RTLD_NOW);
	printf("dlopen libm: %s\n", h ? "ok" : "failed");
	if (h) {
		double (*cosp)(double) = (double (*)(double))dlsym(h, "cos");
		printf("cos(0) via dlsym: %.1f\n", cosp ? cosp(0.0) : -1.0);
		dlclose(h);
	}
	void *m = dlopen("libdoes-not-exist.so.9", RTLD_NOW);
	printf("dlopen missing: %s\n", m ? "ok" : "NULL");
	return 0;
}
