/* Trailing slashes and symlinks to directories in every namespace call: rename, unlink, rmdir,
 * mkdir, link, symlink, mknod, readlink, chmod, truncate, utimensat, access, "." and "..". */
#include "cf.h"
int main(void){ cf_init(); mkdir("d",0755); symlink("d","ld"); symlink("nope","dang"); cf_write_file("f","x",1); struct stat st;
R("rename ld/ x", rename("ld/","x")); R("rename ld x/", rename("ld","x/")); R("rename d x/", rename("d","x/")); rename("x","d");
R("unlink ld/", unlink("ld/")); R("rmdir ld/", rmdir("ld/")); R("rmdir ld", rmdir("ld")); R("mkdir ld/", mkdir("ld/",0755)); R("mkdir dang/", mkdir("dang/",0755));
R("stat dang/", stat("dang/",&st)); R("lstat ld/", (lstat("ld/",&st), S_ISDIR(st.st_mode))); R("lstat ld", (lstat("ld",&st), S_ISLNK(st.st_mode)));
R("link ld/ x", link("ld/","x")); R("link f x/", link("f","x/")); R("symlink f x/", symlink("f","x/")); R("symlink f ld/", symlink("f","ld/"));
R("mknod x/", mknod("x/",S_IFIFO|0644,0)); R("rename f ld/", rename("f","ld/")); R("rename f d/", rename("f","d/")); 
R("rename d ld/", rename("d","ld/")); R("rename ld d2", rename("ld","d2")); R("lstat d2 lnk", (lstat("d2",&st), S_ISLNK(st.st_mode)));
R("rename d d/", rename("d","d/")); R("rename d/ d", rename("d/","d")); R("rename d/ e/", rename("d/","e/")); R("stat e", stat("e",&st));
R("readlink ld/", readlink("d2/",(char[16]){0},16)); R("chmod d2/", chmod("d2/",0700)); R("truncate d2/", truncate("d2/",0));
R("utimensat d2/ nofollow", utimensat(AT_FDCWD,"d2/",NULL,AT_SYMLINK_NOFOLLOW)); R("lchown d2/", lchown("d2/",-1,-1));
R("access dang/", access("dang/",F_OK)); R("open dang O_CREAT|O_EXCL", open("dang",O_CREAT|O_EXCL|O_WRONLY,0644));
R("rmdir e/.", rmdir("e/.")); R("rmdir e/..", rmdir("e/..")); R("rename e/. x", rename("e/.","x")); R("rename x e/..", rename("f","e/.."));
return 0;}
