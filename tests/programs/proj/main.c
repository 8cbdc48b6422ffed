#include <stdio.h>

int f1(void), f2(void), f3(void), f4(void);

int
main(void)
{
	printf("sum of squares: %d\n", f1() + f2() + f3() + f4());
	return 0;
}
