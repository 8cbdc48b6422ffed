/*
 * ELF parsing and validation: turns the headers of an executable into a load plan.
 * Pure: reads through struct elf_src, touches no guest. Every bound is checked here,
 * libelf only decodes the (already bounded) header and program headers.
 */
#include <elf.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "loader/internal.h"
#include "sentry/util.h"

static int __attribute__((format(printf, 3, 4)))
bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -ENOEXEC;
}

bool
elf_is_elf(const void *buf, size_t n)
{
	return n >= SELFMAG && memcmp(buf, ELFMAG, SELFMAG) == 0;
}

/* Reads exactly n bytes at off; a short file gives -ENOEXEC. */
static int
read_exact(const struct elf_src *src, void *buf, size_t n, uint64_t off)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = src->pread(src->ctx, (char *)buf + done, n - done, off + done);
		if (r < 0)
			return (int)r;
		if (r == 0 || (size_t)r > n - done)
			return -ENOEXEC;
		done += (size_t)r;
	}
	return 0;
}

static void
end_elfp(Elf **e)
{
	if (*e)
		elf_end(*e);
}

static int
prot_of(uint32_t flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) |
	       ((flags & PF_X) ? PROT_EXEC : 0);
}

/* Checks the identification and the fixed header fields we rely on before libelf sees them. */
static int
check_ehdr(const Elf64_Ehdr *eh, uint64_t size, char *err, size_t errlen)
{
	uint64_t phsize;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return bad(err, errlen, "not an ELF file");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return bad(err, errlen, "not a 64-bit ELF file (class %u)", eh->e_ident[EI_CLASS]);
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return bad(err, errlen, "not a little-endian ELF file");
	if (eh->e_machine != EM_X86_64)
		return bad(err, errlen, "wrong architecture (e_machine %u, want x86-64)",
			   eh->e_machine);
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return bad(err, errlen, "not an executable (e_type %u)", eh->e_type);
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return bad(err, errlen, "bad program header size %u", eh->e_phentsize);
	if (eh->e_phnum == 0)
		return bad(err, errlen, "no program headers");
	phsize = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
	if (phsize > ELF_PHDRS_MAX)
		return bad(err, errlen, "too many program headers (%u)", eh->e_phnum);
	if (eh->e_phoff > size || phsize > size - eh->e_phoff)
		return bad(err, errlen, "program headers extend past end of file");
	return 0;
}

/*
 * Builds a small image holding the ELF header followed by the program headers, and has
 * libelf decode it. Section headers are dropped: the loader never needs them.
 */
static int
decode_phdrs(const struct elf_src *src, const Elf64_Ehdr *eh, Elf64_Phdr *out, char *err,
	     size_t errlen)
{
	static bool inited;
	size_t phsize = (size_t)eh->e_phnum * sizeof(Elf64_Phdr), n = 0;
	_cleanup_free_ char *img = NULL;
	_cleanup_(end_elfp) Elf *e = NULL;
	Elf64_Ehdr *cp;
	GElf_Ehdr geh;
	int r;

	if (!inited) {
		if (elf_version(EV_CURRENT) == EV_NONE)
			return bad(err, errlen, "libelf: %s", elf_errmsg(-1));
		inited = true;
	}
	img = xmalloc(sizeof(*eh) + phsize);
	cp = (Elf64_Ehdr *)img;
	*cp = *eh;
	cp->e_phoff = sizeof(*eh);
	cp->e_shoff = 0;
	cp->e_shnum = 0;
	cp->e_shstrndx = SHN_UNDEF;
	cp->e_ehsize = sizeof(*eh);
	r = read_exact(src, img + sizeof(*eh), phsize, eh->e_phoff);
	if (r == -ENOEXEC)
		return bad(err, errlen, "program headers extend past end of file");
	if (r < 0)
		return r;

	e = elf_memory(img, sizeof(*eh) + phsize);
	if (!e || elf_kind(e) != ELF_K_ELF || gelf_getclass(e) != ELFCLASS64)
		return bad(err, errlen, "malformed ELF header (%s)", elf_errmsg(-1));
	if (!gelf_getehdr(e, &geh) || geh.e_machine != EM_X86_64 || geh.e_type != eh->e_type)
		return bad(err, errlen, "malformed ELF header (%s)", elf_errmsg(-1));
	if (elf_getphdrnum(e, &n) != 0 || n != eh->e_phnum)
		return bad(err, errlen, "malformed program headers (%s)", elf_errmsg(-1));
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e, (int)i, &ph))
			return bad(err, errlen, "malformed program header %zu (%s)", i,
				   elf_errmsg(-1));
		out[i] = ph;
	}
	return 0;
}

/*
 * A PT_LOAD Linux takes but cannot map: it fails only after the point of no return, and
 * the process dies of SIGSEGV. The plan is then doomed (elf_plan_build): 1 with the
 * reason in err. Segments that overlap or come out of order are mapped in table order
 * (a later one replaces the pages of an earlier one), as Linux does.
 */
static int
check_load(const Elf64_Phdr *ph, int i, char *err, size_t errlen)
{
	if (ph->p_filesz > ph->p_memsz) {
		bad(err, errlen, "segment %d file size exceeds its memory size", i);
		return 1;
	}
	if (ph->p_vaddr >= ELF_TASK_SIZE || ph->p_memsz > ELF_TASK_SIZE - ph->p_vaddr) {
		bad(err, errlen, "segment %d lies outside the user address range", i);
		return 1;
	}
	if (ph->p_filesz && ((ph->p_vaddr ^ ph->p_offset) & (PAGE_SIZE - 1))) {
		bad(err, errlen, "segment %d offset and address differ modulo the page size", i);
		return 1;
	}
	return 0;
}

static int
read_interp(const struct elf_src *src, const Elf64_Phdr *ph, int i, struct elf_plan *plan,
	    char *err, size_t errlen)
{
	_cleanup_free_ char *s = NULL;
	int r;

	if (ph->p_filesz < 2 || ph->p_filesz > PATH_MAX)
		return bad(err, errlen, "interpreter path (segment %d) has a bad length", i);
	if (ph->p_offset > src->size || ph->p_filesz > src->size - ph->p_offset)
		return bad(err, errlen, "interpreter path (segment %d) extends past end of file", i);
	s = xmalloc(ph->p_filesz);
	r = read_exact(src, s, ph->p_filesz, ph->p_offset);
	if (r < 0)
		return r == -ENOEXEC ? bad(err, errlen, "interpreter path extends past end of file")
				     : r;
	if (s[ph->p_filesz - 1] != '\0')
		return bad(err, errlen, "interpreter path is not NUL-terminated");
	plan->interp = steal_ptr(&s);
	return 0;
}

static void
add_seg(struct elf_plan *plan, const Elf64_Phdr *ph, int i, uint64_t size)
{
	struct elf_seg *s = &plan->segs[plan->nsegs++];

	s->vaddr = ph->p_vaddr;
	s->memsz = ph->p_memsz;
	s->offset = ph->p_offset;
	s->filesz = ph->p_filesz;
	/* file bytes past the end of the file read as zeros (Linux maps the pages: those
	 * wholly past the end fault on access) */
	if (ph->p_offset >= size)
		s->filesz = 0;
	else if (s->filesz > size - ph->p_offset)
		s->filesz = size - ph->p_offset;
	s->prot = prot_of(ph->p_flags);
	/* memory of a segment with no file bytes is anonymous, writable (Linux's vm_brk) */
	if (!s->filesz)
		s->prot |= PROT_READ | PROT_WRITE;
	s->phdr_index = i;
	if (ph->p_align > plan->align && ph->p_align <= ELF_ALIGN_MAX &&
	    (ph->p_align & (ph->p_align - 1)) == 0)
		plan->align = ph->p_align;
}

static int
walk_phdrs(const struct elf_src *src, const Elf64_Phdr *ph, int n, struct elf_plan *plan,
	   char *err, size_t errlen)
{
	int r;

	for (int i = 0; i < n; i++) {
		switch (ph[i].p_type) {
		case PT_LOAD:
			if (plan->doomed)
				break;
			plan->doomed = check_load(&ph[i], i, err, errlen);
			if (!plan->doomed && ph[i].p_memsz)
				add_seg(plan, &ph[i], i, src->size);
			break;
		case PT_INTERP:
			if (plan->interp)
				break; /* Linux uses the first one */
			r = read_interp(src, &ph[i], i, plan, err, errlen);
			if (r < 0)
				return r;
			break;
		case PT_PHDR:
			plan->have_phdr_vaddr = true;
			plan->phdr_vaddr = ph[i].p_vaddr;
			break;
		case PT_GNU_STACK:
			plan->exec_stack = (ph[i].p_flags & PF_X) != 0;
			break;
		default:
			break;
		}
	}
	return 0;
}

/* Without PT_PHDR, the table is wherever the PT_LOAD covering e_phoff puts it. */
static void
find_phdr_vaddr(struct elf_plan *plan)
{
	uint64_t len = (uint64_t)plan->phnum * plan->phentsize;

	if (plan->have_phdr_vaddr)
		return;
	for (int i = 0; i < plan->nsegs; i++) {
		const struct elf_seg *s = &plan->segs[i];
		if (plan->phoff >= s->offset && plan->phoff - s->offset <= s->filesz &&
		    len <= s->filesz - (plan->phoff - s->offset)) {
			plan->have_phdr_vaddr = true;
			plan->phdr_vaddr = s->vaddr + (plan->phoff - s->offset);
			return;
		}
	}
}

/* The memory an ET_EXEC image's segments cover, each page-rounded (a page two of them
 * share counts twice: the bound is what matters). */
static unsigned long
exec_memory(const struct elf_plan *plan)
{
	unsigned long total = 0;

	for (int i = 0; i < plan->nsegs; i++) {
		const struct elf_seg *s = &plan->segs[i];
		total += PAGE_UP(s->vaddr + s->memsz) - PAGE_DOWN(s->vaddr);
	}
	return total;
}

int
elf_plan_build(const struct elf_src *src, struct elf_plan *plan, char *err, size_t errlen)
{
	_cleanup_free_ Elf64_Phdr *ph = NULL;
	unsigned char id[EI_NIDENT] = { 0 };
	Elf64_Ehdr eh;
	int r;

	memset(plan, 0, sizeof(*plan));
	if (err && errlen)
		err[0] = '\0';
	if (src->size < SELFMAG)
		return bad(err, errlen, "file too short to be an ELF file");
	if (src->size < sizeof(eh)) {
		r = read_exact(src, id, MIN(src->size, sizeof(id)), 0);
		if (r < 0 && r != -ENOEXEC)
			return r;
		if (!elf_is_elf(id, sizeof(id)))
			return bad(err, errlen, "not an ELF file");
		return bad(err, errlen, "truncated ELF header");
	}
	r = read_exact(src, &eh, sizeof(eh), 0);
	if (r == -ENOEXEC)
		return bad(err, errlen, "truncated ELF header");
	if (r < 0)
		return r;
	r = check_ehdr(&eh, src->size, err, errlen);
	if (r < 0)
		return r;

	ph = xcalloc(eh.e_phnum, sizeof(*ph));
	r = decode_phdrs(src, &eh, ph, err, errlen);
	if (r < 0)
		return r;

	plan->type = eh.e_type;
	plan->entry = eh.e_entry;
	plan->phoff = eh.e_phoff;
	plan->phnum = eh.e_phnum;
	plan->phentsize = eh.e_phentsize;
	plan->align = PAGE_SIZE;
	plan->segs = xcalloc(eh.e_phnum, sizeof(*plan->segs));
	r = walk_phdrs(src, ph, eh.e_phnum, plan, err, errlen);
	if (r < 0)
		goto fail;
	if (plan->doomed) {
		/* nothing to map, no interpreter, and an entry point that faults at once */
		plan->nsegs = 0;
		plan->entry = 0;
		plan->type = ET_EXEC;
		plan->lo = plan->hi = ELF_DOOMED_BASE;
		plan->have_phdr_vaddr = false;
		free(plan->interp);
		plan->interp = NULL;
		return 0;
	}
	if (plan->nsegs == 0) {
		r = bad(err, errlen, "no loadable segments");
		goto fail;
	}
	plan->lo = PAGE_DOWN(plan->segs[0].vaddr);
	plan->hi = PAGE_UP(plan->segs[0].vaddr + plan->segs[0].memsz);
	for (int i = 1; i < plan->nsegs; i++) {
		const struct elf_seg *s = &plan->segs[i];
		if (s->vaddr < plan->segs[i - 1].vaddr + plan->segs[i - 1].memsz)
			plan->unordered = true;
		plan->lo = MIN(plan->lo, PAGE_DOWN(s->vaddr));
		plan->hi = MAX(plan->hi, PAGE_UP(s->vaddr + s->memsz));
	}
	/* An ET_DYN image is placed as one block (its whole span); an ET_EXEC one's segments
	 * each at their own address, however far apart (proot's loader: 0x400000 and
	 * 0x600000000000), so only the memory they cover counts. */
	unsigned long span = plan->hi - plan->lo;
	if (plan->type == ET_EXEC)
		span = exec_memory(plan);
	if (span > ELF_SPAN_MAX) {
		r = bad(err, errlen, "loadable segments span %llu MiB, more than the %lu MiB allowed",
			(unsigned long long)(span >> 20), ELF_SPAN_MAX >> 20);
		goto fail;
	}
	find_phdr_vaddr(plan);
	return 0;
fail:
	elf_plan_free(plan);
	return r;
}

void
elf_plan_free(struct elf_plan *plan)
{
	free(plan->segs);
	free(plan->interp);
	memset(plan, 0, sizeof(*plan));
}
