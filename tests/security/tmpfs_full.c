/* A full tmpfs (tests/security/tmpfs_full.sh): writes, fallocate, sparse growth, new names
 * and short and long symlinks when no page is left; statfs numbers. */
#include "cf.h"
#include <sys/statfs.h>
int main(int c, char **v){ char buf[100000]; memset(buf,'x',sizeof buf); struct statfs sf; chdir(v[1]);
statfs(".",&sf); printf("blocks %ld bfree %ld bsize %ld\n",(long)sf.f_blocks,(long)sf.f_bfree,(long)sf.f_bsize);
int fd=open("big",O_WRONLY|O_CREAT|O_TRUNC,0644); R("write 100000", write(fd,buf,100000)); R("write more", write(fd,buf,10));
struct stat st; fstat(fd,&st); printf("size %ld blocks %ld\n",(long)st.st_size,(long)st.st_blocks);
statfs(".",&sf); printf("bfree %ld bavail %ld\n",(long)sf.f_bfree,(long)sf.f_bavail);
R("fallocate more", fallocate(fd,0,0,200000)); R("ftruncate big (sparse)", ftruncate(fd,1<<30)); 
R("pwrite at 500000", pwrite(fd,buf,10,500000));
R("creat another", ({int f2=open("small",O_WRONLY|O_CREAT,0644); f2>=0? write(f2,"a",1):-1;}));
R("mkdir", mkdir("dd",0755)); R("short symlink", symlink("xxxxxxxxxxxxxxxxxxxx","sl"));
{ char t[300]; memset(t,'y',299); t[299]=0; R("long symlink", symlink(t,"sl2")); }
unlink("big"); statfs(".",&sf); printf("after unlink bfree %ld\n",(long)sf.f_bfree);
R("write after unlink", ({int f2=open("b2",O_WRONLY|O_CREAT,0644); write(f2,buf,20000);}));
unlink("b2"); unlink("small"); rmdir("dd"); unlink("sl"); unlink("sl2");
return 0;}
