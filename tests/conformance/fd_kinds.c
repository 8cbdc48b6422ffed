/* Calls on descriptors that are not files: pipes, sockets, eventfds, devices (positional
 * I/O, truncate, fallocate, attributes, locks, sync): the errno of each, in Linux's order. */
#include "cf.h"
#include <sys/socket.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <sys/file.h>
#include <sys/xattr.h>
int main(void){ int p[2]; pipe(p); int s[2]; socketpair(AF_UNIX,SOCK_STREAM,0,s); int e=eventfd(0,0); char b[8]; struct stat st;
int dn=open("/dev/null",O_RDWR), dz=open("/dev/zero",O_RDWR);
int fds[]={p[0],s[0],e,dn,dz}; const char *nm[]={"pipe","sock","eventfd","/dev/null","/dev/zero"};
for(int i=0;i<5;i++){ int fd=fds[i]; printf("== %s\n",nm[i]);
R("readahead", readahead(fd,0,10)); R("fadvise", posix_fadvise(fd,0,0,POSIX_FADV_NORMAL)); R("fallocate", fallocate(fd,0,0,10));
R("ftruncate", ftruncate(fd,0)); /* (EINVAL: not a regular file) */ R("lseek", lseek(fd,0,SEEK_CUR)); R("pread", pread(fd,b,1,0)); R("pwrite", pwrite(fd,b,1,0));
R("preadv2 off", ({struct iovec v={b,1}; preadv2(fd,&v,1,0,0);})); if (i < 3) { /* never change the host's device nodes */
R("fchmod", fchmod(fd,0600)); R("fchown", fchown(fd,-1,-1));
R("futimens", futimens(fd,NULL)); } R("fstat mode", (fstat(fd,&st), (long)(st.st_mode&07777)));
if (i < 3) { R("fsetxattr", fsetxattr(fd,"user.a","1",1,0)); /* locks: the host's device nodes may be locked by anyone (dockerd holds an OFD lock on its /dev/null) */
R("flock", flock(fd,LOCK_EX|LOCK_NB)); R("fcntl lock", ({struct flock fl={.l_type=F_WRLCK}; fcntl(fd,F_SETLK,&fl);})); }
R("getdents", syscall(SYS_getdents64,fd,b,8)); R("fchdir", fchdir(fd)); R("fdatasync", fdatasync(fd)); R("syncfs", syncfs(fd));
R("sync_file_range", sync_file_range(fd,0,0,0)); }
return 0;}
