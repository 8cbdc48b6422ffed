/*
 * Loader internals: the ELF "load plan" built by elf.c from the file's headers alone
 * (pure: no guest, no VFS), and applied to a stub by exec.c.
 */
#pragma once
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ELF_PHDRS_MAX 65536UL              /* bytes of program headers we accept */
#define ELF_SPAN_MAX (64UL << 30)          /* PT_LOAD span, page-rounded */
#define ELF_TASK_SIZE 0x7ffffffff000UL     /* user address limit (x86-64, 4-level) */
#define ELF_ALIGN_MAX (1UL << 30)          /* largest p_align honoured for ET_DYN placement */
#define ELF_DOOMED_BASE 0x400000UL         /* a doomed plan's (empty) image: its break goes above */

/* Where the bytes come from: a file through the VFS, or memory in the unit test. */
struct elf_src {
	/* Reads up to n bytes at off; returns the count (0 at end of file) or -errno. */
	ssize_t (*pread)(void *ctx, void *buf, size_t n, uint64_t off);
	void *ctx;
	uint64_t size;                     /* file size (st_size) */
};

/* One PT_LOAD segment, validated. */
struct elf_seg {
	uint64_t vaddr, memsz;
	uint64_t offset, filesz;
	int prot;                          /* PROT_READ | PROT_WRITE | PROT_EXEC */
	int phdr_index;                    /* index in the program header table (for messages) */
};

struct elf_plan {
	int type;                          /* ET_EXEC or ET_DYN */
	uint64_t entry;                    /* e_entry, unbiased */
	uint64_t phoff;
	uint16_t phnum, phentsize;
	int nsegs;
	struct elf_seg *segs;              /* nsegs entries in table order */
	bool unordered;                    /* some segment overlaps or precedes the one before */
	uint64_t lo, hi;                   /* PAGE_DOWN(lowest vaddr), PAGE_UP(highest end) */
	uint64_t align;                    /* largest power-of-two p_align (>= page), capped */
	bool have_phdr_vaddr;
	uint64_t phdr_vaddr;               /* unbiased address of the phdr table in memory */
	bool exec_stack;                   /* PT_GNU_STACK with PF_X */
	char *interp;                      /* PT_INTERP path (NUL-terminated) or NULL */
	/* Linux would take the file and then fail to map it (SIGSEGV after the point of no
	 * return): no segments, entry 0, the reason in elf_plan_build's err */
	bool doomed;
};

/*
 * Reads the ELF header, the program headers (at most ELF_PHDRS_MAX bytes) and the PT_INTERP
 * string from src, validates them and fills plan. Returns 0, -ENOEXEC with a short reason in
 * err (e.g. "program headers extend past end of file"), -ENOMEM, or a read error; 0 with
 * plan->doomed and the reason in err for a file Linux runs into SIGSEGV.
 * On failure plan holds nothing to free; on success release it with elf_plan_free.
 */
int elf_plan_build(const struct elf_src *src, struct elf_plan *plan, char *err, size_t errlen);
void elf_plan_free(struct elf_plan *plan);

/* True when buf (n bytes) starts with the ELF magic. */
bool elf_is_elf(const void *buf, size_t n);
