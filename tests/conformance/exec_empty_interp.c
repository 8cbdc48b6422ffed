/* execve of an ELF whose PT_INTERP names the empty string: EACCES (Linux resolves it to the
 * working directory, which is no regular file); a missing interpreter is ENOENT. */
#include "cf.h"
#include <elf.h>
#include <stddef.h>

struct img {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	char interp[32];
};

static int
try(const char *interp, size_t len)
{
	struct img img;
	memset(&img, 0, sizeof(img));
	memcpy(img.eh.e_ident, ELFMAG, SELFMAG);
	img.eh.e_ident[EI_CLASS] = ELFCLASS64;
	img.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	img.eh.e_ident[EI_VERSION] = EV_CURRENT;
	img.eh.e_type = ET_EXEC;
	img.eh.e_machine = EM_X86_64;
	img.eh.e_version = EV_CURRENT;
	img.eh.e_entry = 0x400000 + sizeof(img);
	img.eh.e_phoff = sizeof(Elf64_Ehdr);
	img.eh.e_ehsize = sizeof(Elf64_Ehdr);
	img.eh.e_phentsize = sizeof(Elf64_Phdr);
	img.eh.e_phnum = 2;
	img.ph[0].p_type = PT_INTERP;
	img.ph[0].p_offset = offsetof(struct img, interp);
	img.ph[0].p_vaddr = 0x400000 + img.ph[0].p_offset;
	img.ph[0].p_filesz = img.ph[0].p_memsz = len;
	img.ph[0].p_flags = PF_R;
	memcpy(img.interp, interp, len);
	img.ph[1].p_type = PT_LOAD;
	img.ph[1].p_vaddr = 0x400000;
	img.ph[1].p_filesz = img.ph[1].p_memsz = sizeof(img);
	img.ph[1].p_flags = PF_R | PF_X;
	img.ph[1].p_align = 4096;
	int fd = open("prog", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	write(fd, &img, sizeof(img));
	close(fd);
	char *av[] = { "prog", NULL };
	execve("./prog", av, av + 1);
	return -1;
}

int
main(void)
{
	cf_init();
	R("interpreter \"\"", try("\0", 2));
	R("interpreter missing", try("/nonexistent/ld.so", 19));
	R("interpreter a directory", try("/", 2));
	return 0;
}
