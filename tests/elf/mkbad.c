/*
 * Writes crafted ELF files and "#!" scripts into the directory argv[1], one per case of
 * tests/elf/cases.txt (which says what `sandbox run -- FILE` must do with each).
 * Build: gcc -o mkbad tests/elf/mkbad.c
 * Scripts that name other files use the absolute path of argv[1].
 */
#include "platform/platform.h" /* PLAT_STUB_DEFAULT */
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BASE 0x400000UL
#define FILE_SIZE 0x1100

static char dir[PATH_MAX];
static int failed;

struct img {
	unsigned char b[FILE_SIZE];
	size_t size;
};

static Elf64_Ehdr *
eh(struct img *m)
{
	return (Elf64_Ehdr *)m->b;
}

static Elf64_Phdr *
ph(struct img *m, int i)
{
	return (Elf64_Phdr *)(m->b + sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr));
}

/* exit_group(42) */
static const unsigned char code42[] = {
	0xbf, 0x2a, 0x00, 0x00, 0x00, /* mov edi, 42 */
	0xb8, 0xe7, 0x00, 0x00, 0x00, /* mov eax, 231 */
	0x0f, 0x05,                   /* syscall */
};

#define CODE_OFF (sizeof(Elf64_Ehdr) + 4 * sizeof(Elf64_Phdr))
#define INTERP_OFF 0x200

/*
 * A valid static program: text R+X at BASE (headers and code), data R+W at BASE+0x1000
 * (0x10 bytes from the file, 0x2000 in memory), PT_GNU_STACK, and a spare PT_NOTE slot.
 */
static void
good(struct img *m, int type)
{
	Elf64_Ehdr *e = eh(m);
	unsigned long base = type == ET_DYN ? 0 : BASE;

	memset(m, 0, sizeof(*m));
	m->size = 0x1010;
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS64;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = type;
	e->e_machine = EM_X86_64;
	e->e_version = EV_CURRENT;
	e->e_entry = base + CODE_OFF;
	e->e_phoff = sizeof(Elf64_Ehdr);
	e->e_ehsize = sizeof(Elf64_Ehdr);
	e->e_phentsize = sizeof(Elf64_Phdr);
	e->e_phnum = 4;
	*ph(m, 0) = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
				  .p_vaddr = base, .p_paddr = base, .p_filesz = 0x1000,
				  .p_memsz = 0x1000, .p_align = 0x1000 };
	*ph(m, 1) = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x1000,
				  .p_vaddr = base + 0x1000, .p_paddr = base + 0x1000,
				  .p_filesz = 0x10, .p_memsz = 0x2000, .p_align = 0x1000 };
	*ph(m, 2) = (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W, .p_align = 16 };
	*ph(m, 3) = (Elf64_Phdr){ .p_type = PT_NOTE, .p_flags = PF_R, .p_offset = 0x100,
				  .p_vaddr = base + 0x100, .p_align = 4 };
	memcpy(m->b + CODE_OFF, code42, sizeof(code42));
}

static void
set_interp(struct img *m, const char *path, size_t len)
{
	*ph(m, 3) = (Elf64_Phdr){ .p_type = PT_INTERP, .p_flags = PF_R, .p_offset = INTERP_OFF,
				  .p_vaddr = eh(m)->e_entry - CODE_OFF + INTERP_OFF,
				  .p_filesz = len, .p_memsz = len, .p_align = 1 };
	memcpy(m->b + INTERP_OFF, path, strlen(path) + 1);
}

static void
put(const char *name, const void *data, size_t n, mode_t mode)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "mkbad: %s: %s\n", path, strerror(errno));
		failed = 1;
		return;
	}
	if (chmod(path, mode) < 0) {
		fprintf(stderr, "mkbad: chmod %s: %s\n", path, strerror(errno));
		failed = 1;
	}
}

static void
put_img(const char *name, struct img *m)
{
	put(name, m->b, m->size, 0755);
}

static void
put_script(const char *name, const char *fmt, const char *arg)
{
	char text[PATH_MAX + 128];

	snprintf(text, sizeof(text), fmt, arg);
	put(name, text, strlen(text), 0755);
}

static void
elf_cases(void)
{
	struct img m;

	good(&m, ET_EXEC);
	put_img("ok-static-exit42", &m);
	good(&m, ET_DYN);
	put_img("ok-static-pie-exit42", &m);

	good(&m, ET_EXEC);
	m.size = 40;
	put_img("bad-truncated-header", &m);
	good(&m, ET_EXEC);
	eh(&m)->e_phoff = 0x1000;
	put_img("bad-phdrs-past-eof", &m);
	good(&m, ET_EXEC);
	ph(&m, 1)->p_filesz = 0x3000;
	put_img("bad-filesz-gt-memsz", &m);
	good(&m, ET_EXEC);
	ph(&m, 1)->p_filesz = 0x800;
	put_img("bad-segment-past-eof", &m);
	good(&m, ET_EXEC);
	ph(&m, 1)->p_memsz = 0xfffffffffff00000UL;
	put_img("bad-absurd-memsz", &m);
	good(&m, ET_EXEC);
	ph(&m, 1)->p_memsz = 100UL << 30;
	put_img("bad-span-100g", &m);
	good(&m, ET_EXEC);
	ph(&m, 1)->p_vaddr = BASE + 0x800;
	ph(&m, 1)->p_offset = 0x800;
	put_img("bad-overlapping-segments", &m);
	good(&m, ET_EXEC);
	ph(&m, 1)->p_vaddr = BASE + 0x1008;
	put_img("bad-misaligned-offset", &m);
	good(&m, ET_EXEC);
	eh(&m)->e_machine = EM_AARCH64;
	put_img("bad-wrong-machine", &m);
	good(&m, ET_EXEC);
	eh(&m)->e_ident[EI_CLASS] = ELFCLASS32;
	put_img("bad-class32", &m);
	good(&m, ET_EXEC);
	eh(&m)->e_ident[EI_DATA] = ELFDATA2MSB;
	put_img("bad-big-endian", &m);
	good(&m, ET_EXEC);
	eh(&m)->e_type = ET_REL;
	put_img("bad-et-rel", &m);
	good(&m, ET_EXEC);
	eh(&m)->e_phnum = 0;
	put_img("bad-phnum-zero", &m);
	good(&m, ET_EXEC);
	eh(&m)->e_phentsize = 32;
	put_img("bad-phentsize", &m);
	good(&m, ET_EXEC);
	ph(&m, 0)->p_type = PT_NULL;
	ph(&m, 1)->p_type = PT_NULL;
	put_img("bad-no-load", &m);
	good(&m, ET_EXEC);
	ph(&m, 0)->p_vaddr = PLAT_STUB_DEFAULT; /* the sandbox's stub page */
	ph(&m, 1)->p_vaddr = PLAT_STUB_DEFAULT + 0x1000;
	eh(&m)->e_entry = PLAT_STUB_DEFAULT + CODE_OFF;
	put_img("bad-stub-region", &m);
	good(&m, ET_EXEC);
	set_interp(&m, "/lib64/ld-linux-x86-64.so.2", 10); /* cut before the NUL */
	put_img("bad-interp-no-nul", &m);
	good(&m, ET_DYN);
	set_interp(&m, "/nonexistent/ld.so", sizeof("/nonexistent/ld.so"));
	put_img("bad-interp-missing", &m);
	{
		char ip[PATH_MAX + 32];
		snprintf(ip, sizeof(ip), "%s/script-missing-interp", dir);
		if (strlen(ip) + 1 > sizeof(m.b) - INTERP_OFF) {
			fprintf(stderr, "mkbad: directory path too long\n");
			exit(1);
		}
		good(&m, ET_DYN);
		set_interp(&m, ip, strlen(ip) + 1);
		put_img("bad-interp-is-script", &m);
	}
	good(&m, ET_EXEC);
	put("bad-empty-file", "", 0, 0755);
	put("bad-garbage", "\x01\x02garbage, not a program\n", 24, 0755);
	good(&m, ET_EXEC);
	put("bad-not-executable", m.b, m.size, 0644);
}

static void
script_cases(void)
{
	char prev[PATH_MAX + 32], name[32];

	put_script("script-missing-interp", "#!%s\necho unreachable\n", "/nonexistent/interp");
	put_script("script-empty-shebang", "#!%s\n", "   ");
	put_script("script-ok", "#!/bin/sh %s\necho script-ok \"$0\" \"$@\"\nexit 7\n", "-e");
	/* nest-0 is run by /bin/sh; nest-K by nest-(K-1). Linux runs up to nest-4. */
	put_script("script-nest-0", "#!%s\necho nested; exit 5\n", "/bin/sh");
	for (int k = 1; k <= 5; k++) {
		snprintf(prev, sizeof(prev), "%s/script-nest-%d", dir, k - 1);
		snprintf(name, sizeof(name), "script-nest-%d", k);
		put_script(name, "#!%s\n", prev);
	}
	snprintf(prev, sizeof(prev), "%s/script-self", dir);
	put_script("script-self", "#!%s\n", prev);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkbad DIR\n");
		return 2;
	}
	mkdir(argv[1], 0755);
	if (!realpath(argv[1], dir)) {
		fprintf(stderr, "mkbad: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	elf_cases();
	script_cases();
	return failed;
}
