/* atime as Linux with relatime: reads (even at the end of the file, not of 0 bytes), mmap,
 * getdents, readlink and splice update an atime that is not after mtime/ctime; O_NOATIME,
 * open/close alone and a recent atime do not. */
#include "cf.h"
#include <sys/mman.h>
static long at(const char *p){struct stat st; stat(p,&st); return st.st_atime;}
int main(void){ char b[8]; cf_init(); cf_write_file("f","abc",3); struct timespec ts[2]={{1000,0},{0,UTIME_OMIT}};
utimensat(AT_FDCWD,"f",ts,0); int fd=open("f",O_RDONLY); read(fd,b,3); close(fd); printf("read updates old atime: %s\n", at("f")>1000?"yes":"no");
utimensat(AT_FDCWD,"f",ts,0); fd=open("f",O_RDONLY|O_NOATIME); read(fd,b,3); close(fd); printf("O_NOATIME read: %s\n", at("f")>1000?"yes":"no");
utimensat(AT_FDCWD,"f",ts,0); fd=open("f",O_RDONLY); close(fd); printf("open+close only: %s\n", at("f")>1000?"yes":"no");
utimensat(AT_FDCWD,"f",ts,0); fd=open("f",O_RDONLY); read(fd,b,0); close(fd); printf("read 0 bytes: %s\n", at("f")>1000?"yes":"no");
utimensat(AT_FDCWD,"f",ts,0); fd=open("f",O_RDONLY); lseek(fd,10,SEEK_SET); read(fd,b,3); close(fd); printf("read at EOF: %s\n", at("f")>1000?"yes":"no");
utimensat(AT_FDCWD,"f",ts,0); fd=open("f",O_RDONLY); char *p=mmap(NULL,4096,PROT_READ,MAP_PRIVATE,fd,0); volatile char c=p[0]; close(fd); printf("mmap read: %s\n", at("f")>1000?"yes":"no");
/* relatime: atime newer than mtime and < 24h old: no update */
fd=open("f",O_RDONLY); read(fd,b,3); close(fd); long a1=at("f"); fd=open("f",O_RDONLY); read(fd,b,3); close(fd); printf("relatime second read updates: %s\n", at("f")!=a1?"yes":"no");
mkdir("d",0755); struct timespec t2[2]={{1000,0},{0,UTIME_OMIT}}; utimensat(AT_FDCWD,"d",t2,0); fd=open("d",O_RDONLY); syscall(SYS_getdents64,fd,b,8); char big[4096]; syscall(SYS_getdents64,fd,big,4096); close(fd); printf("getdents updates dir atime: %s\n", at("d")>1000?"yes":"no");
utimensat(AT_FDCWD,"f",ts,0); int p2[2]; pipe(p2); fd=open("f",O_RDONLY); splice(fd,NULL,p2[1],NULL,3,0); close(fd); printf("splice read: %s\n", at("f")>1000?"yes":"no");
utimensat(AT_FDCWD,"f",ts,0); symlink("f","l"); struct timespec t3[2]={{1000,0},{0,UTIME_OMIT}}; utimensat(AT_FDCWD,"l",t3,AT_SYMLINK_NOFOLLOW); readlink("l",b,8); struct stat st; lstat("l",&st); printf("readlink updates link atime: %s\n", st.st_atime>1000?"yes":"no");
return 0;}
