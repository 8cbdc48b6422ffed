/* close/dup/dup2/dup3: lowest-fd reuse, shared offsets, EBADF/EINVAL cases. */
#include "cf.h"

int
main(void)
{
	cf_init();
	cf_write_file("f", "abcdef", 6);
	int a = open("f", O_RDONLY);
	int b = open("f", O_RDONLY);
	close(a);
	int c = open("f", O_RDONLY);
	YN("lowest free fd reused", c == a);
	YN("new fd > previous", b > a);
	int d = FD("dup", dup(b));
	YN("dup is lowest free", d > b);
	char ch;
	read(b, &ch, 1);
	R("dup shares offset", lseek(d, 0, SEEK_CUR));
	R("dup FD_CLOEXEC clear", fcntl(d, F_GETFD));
	R("dup2 same fd", dup2(b, b) == b);
	R("dup2 bad oldfd", dup2(9999, b));
	R("dup2 bad oldfd same", dup2(9998, 9998));
	int e = dup2(b, 100);
	R("dup2 to 100", e);
	R("dup2 offset shared", lseek(100, 0, SEEK_CUR));
	R("dup2 over open fd", dup2(c, 100));
	R("offset now from c", lseek(100, 0, SEEK_CUR));
	R("dup2 negative newfd", dup2(b, -1));
	R("dup2 newfd huge", dup2(b, 1 << 30));
	R("dup3 same fd", dup3(b, b, 0));
	R("dup3 bad flags", dup3(b, 101, 0x4));
	R("dup3 O_CLOEXEC", dup3(b, 101, O_CLOEXEC));
	R("dup3 cloexec set", fcntl(101, F_GETFD));
	R("dup3 bad oldfd", dup3(9999, 102, 0));
	R("dup bad fd", dup(9999));
	R("dup -1", dup(-1));
	R("close 101", close(101));
	R("close 101 again", close(101));
	R("close -1", close(-1));
	R("close huge", close(1 << 30));
	R("read closed", read(101, &ch, 1));
	return 0;
}
