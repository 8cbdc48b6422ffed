#include <stdio.h>
static int depth(int n) { if (n == 0) { volatile int *p = 0; return *p; } return depth(n - 1) + 1; }
int main(void) { printf("start\n"); fflush(stdout); return depth(3); }
