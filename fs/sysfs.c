/* A minimal sysfs: just what glibc's get_nprocs and friends read. */
#include <stdio.h>
#include <string.h>

#include "fs/internal.h"

static struct dentry *
mkdirs(struct dentry *d, const char *const *names)
{
	for (; *names; names++)
		d = tmpfs_add(d, *names, S_IFDIR | 0755, NULL);
	return d;
}

static void
add_file(struct dentry *dir, const char *name, const char *text)
{
	struct dentry *d = tmpfs_add(dir, name, S_IFREG | 0444, NULL);

	tmpfs_set_data(d->inode, text, strlen(text));
}

int
sysfs_populate(struct super_block *sb)
{
	static const char *const cpu_path[] = { "devices", "system", "cpu", NULL };
	struct dentry *cpu = mkdirs(sb->root, cpu_path);
	char range[32];
	unsigned n = vfs_nprocs();

	if (n > 1)
		snprintf(range, sizeof(range), "0-%u\n", n - 1);
	else
		snprintf(range, sizeof(range), "0\n");
	add_file(cpu, "online", range);
	add_file(cpu, "possible", range);
	add_file(cpu, "present", range);
	for (unsigned i = 0; i < n && i < 4096; i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu%u", i);
		tmpfs_add(cpu, name, S_IFDIR | 0755, NULL);
	}
	tmpfs_add(sb->root, "fs", S_IFDIR | 0755, NULL);
	tmpfs_add(sb->root, "kernel", S_IFDIR | 0755, NULL);
	sb->flags |= SB_RDONLY;
	return 0;
}
