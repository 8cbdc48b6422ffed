/* /proc/self/maps names the executable's segments after execve of a copy in /tmp (a tmpfs
 * file in the sandbox, copied in rather than mapped from a host fd): path, order of the
 * permissions, offsets within the file. */
#include "cf.h"
#include <sys/wait.h>

static int
child(const char *self)
{
	char line[1024], perms[8];
	unsigned long lo, hi, off;
	FILE *f = fopen("/proc/self/maps", "r");
	int n = 0, named = 0;

	if (!f)
		return 3;
	while (fgets(line, sizeof(line), f)) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (sscanf(line, "%lx-%lx %7s %lx", &lo, &hi, perms, &off) != 4)
			continue;
		n++;
		size_t ll = strlen(line), sl = strlen(self);
		if (ll > sl && strcmp(line + ll - sl, self) == 0 && line[ll - sl - 1] == ' ') {
			named++;
			printf("  %s offset page-aligned: %s\n", perms, off % 4096 ? "no" : "yes");
		}
	}
	fclose(f);
	YN("mappings named after the executable", named > 0);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1)
		return child(argv[1]);
	cf_init();
	char path[512];
	snprintf(path, sizeof(path), "%s/prog", cf_dir);
	int in = open("/proc/self/exe", O_RDONLY);
	int out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	char buf[65536];
	ssize_t k;
	while ((k = read(in, buf, sizeof(buf))) > 0)
		write(out, buf, k);
	close(in);
	close(out);
	pid_t c = fork();
	if (c == 0) {
		char *av[] = { path, path, NULL };
		execv(path, av);
		_exit(4);
	}
	int st;
	waitpid(c, &st, 0);
	R("child", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
