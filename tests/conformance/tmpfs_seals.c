/* Seals on a regular tmpfs file (/dev/shm): Linux shmem files are born with F_SEAL_SEAL,
 * so F_GET_SEALS shows it and F_ADD_SEALS is EPERM; an O_PATH descriptor and a directory
 * have no seals. */
#include "cf.h"

int
main(void)
{
	char path[64];
	int fd, pfd, dfd;

	setvbuf(stdout, NULL, _IONBF, 0);
	snprintf(path, sizeof(path), "/dev/shm/cf_seals_%d", (int)getpid());
	fd = FD("create in /dev/shm", open(path, O_RDWR | O_CREAT | O_EXCL, 0600));
	R("F_GET_SEALS", fcntl(fd, F_GET_SEALS));
	R("F_ADD_SEALS GROW", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	R("write", write(fd, "abc", 3));
	R("ftruncate", ftruncate(fd, 1));
	pfd = FD("O_PATH", open(path, O_PATH));
	R("F_GET_SEALS O_PATH", fcntl(pfd, F_GET_SEALS));
	dfd = FD("directory", open("/dev/shm", O_RDONLY | O_DIRECTORY));
	R("F_GET_SEALS directory", fcntl(dfd, F_GET_SEALS));
	unlink(path);
	R("F_GET_SEALS unlinked", fcntl(fd, F_GET_SEALS));
	return 0;
}
